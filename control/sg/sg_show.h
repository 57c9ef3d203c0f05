/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell output of security groups and connection tracking: `show security-groups [PORT]`,
 * `show conntrack [VPC]` and `clear conntrack [VPC]`, in text or JSON.
 *
 * Thread-safety: control thread only. Counters, hits and conntrack entries are read
 * racily while the workers write them: a row may be a packet behind.
 */
#ifndef VXG_SG_SHOW_H
#define VXG_SG_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"

/* Most conntrack entries `show conntrack` prints per VPC. */
#define VXG_SG_SHOW_CT_MAX 1000

/*
 * Each port with security groups or port security (port NULL), or the port named `port`
 * (NAME, or VPC/NAME when names repeat across VPCs): its groups, port security, the
 * packets its groups allowed and denied, and the compiled rules that apply to it with
 * their hits since the rule appeared or last changed (reloads that keep a rule keep its
 * hits: vxg_sg_hits_carry). 0, -ENOENT for an unknown port, -ENOMEM.
 */
int vxg_sg_show_groups(const struct vxg_daemon *d, const char *port, FILE *out, bool json);

/* The conntrack table of each VPC with security groups (vpc NULL), or of VPC `vpc`: count,
 * limit and the first VXG_SG_SHOW_CT_MAX connections. 0, or -ENOENT for an unknown VPC. */
int vxg_sg_show_conntrack(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json);

/* Forget every tracked connection (vpc NULL), or those of VPC `vpc`, and say how many.
 * Waits for the workers' quiescence. 0, or -ENOENT for an unknown VPC. */
int vxg_sg_clear_conntrack(struct vxg_daemon *d, const char *vpc, FILE *out, bool json);

#endif
