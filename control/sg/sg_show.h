/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security groups of the ports as `show security-groups` prints them (sg_show.c
 * registers the commands; tests call this directly).
 *
 * Thread-safety: control thread only. Counters and hits are read racily while the
 * workers write them: a row may be a packet behind.
 */
#ifndef VXG_SG_SHOW_H
#define VXG_SG_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"

/*
 * Each port with security groups or port security (port NULL), or the port named `port`
 * (NAME, or VPC/NAME when names repeat across VPCs): its groups, port security, the
 * packets its groups allowed and denied, and the compiled rules that apply to it with
 * their hits since the rule appeared or last changed (reloads that keep a rule keep its
 * hits: vxg_sg_hits_carry). 0, -ENOENT for an unknown port, -ENOMEM.
 */
int vxg_sg_show_groups(const struct vxg_daemon *d, const char *port, FILE *out, bool json);
/* The same with the hits base given (n_base rows, NULL rows for none) instead of the sg
 * feature's: tests show generations that are not live. */
int vxg_sg_show_groups_base(const struct vxg_daemon *d, uint64_t *const *base, unsigned n_base,
	const char *port, FILE *out, bool json);

#endif
