/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell output of NAT: `show nat [VPC]`, `show nat sessions [SPEC]`,
 * `clear nat sessions [VPC]`, in text or JSON.
 *
 * Thread-safety: control thread only. Sessions are read racily while workers write them:
 * a row may be a packet behind.
 */
#ifndef VXG_NAT_SHOW_H
#define VXG_NAT_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"

/* Sessions `show nat sessions` prints per VPC unless told otherwise (limit=N). */
#define VXG_NAT_SHOW_MAX 1000

/* Each VPC with a nat section (vpc NULL) or VPC `vpc`: interface, SNAT address and port
 * range, session count and limit, floating IPs; and the NAT counters. 0, -ENOENT. */
int vxg_nat_show(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json);

/*
 * The sessions of every VPC with SNAT, or those spec selects: a VPC name, or
 * comma-separated vpc=NAME, ip=A.B.C.D (inside, outside or remote), port=N, proto=tcp|udp|
 * icmp, limit=N (default VXG_NAT_SHOW_MAX per VPC). 0, -EINVAL or -ENOENT with the
 * reason in err.
 */
int vxg_nat_show_sessions(const struct vxg_daemon *d, const char *spec, FILE *out, bool json,
	char *err, size_t errlen);

/* Delete every session (vpc NULL) or those of VPC `vpc`, and say how many. 0, -ENOENT. */
int vxg_nat_clear_sessions(struct vxg_daemon *d, const char *vpc, FILE *out, bool json);

#endif
