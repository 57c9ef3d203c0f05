/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Conntrack's control side for IPv6 flows: the table at vxg_ct.v6 (vxg_ct6.h), made when
 * the VPC first has IPv6, then resized, aged, cleared and destroyed with its IPv4 table
 * (conntrack.c calls these).
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CONNTRACK6_H
#define VXG_CONNTRACK6_H

#include <stdint.h>

#include "vxg_ct6.h"

/* Give ct its IPv6 table (of ct->limit entries) if it has none yet. 0 or -errno. */
int vxg_ct_enable_v6(struct vxg_ct *ct);
void vxg_ct6_destroy(struct vxg_ct6 *ct);
/* Carry old's IPv6 connections into to (vxg_ct_resize's rules); 0 or -errno. */
int vxg_ct6_resize(struct vxg_ct *to, const struct vxg_ct *old, uint32_t now, uint32_t *dropped);
/* vxg_ct_age and vxg_ct_clear on the IPv6 table (none: 0). */
unsigned vxg_ct6_age(struct vxg_ct *ct, uint32_t now, uint32_t budget);
unsigned vxg_ct6_clear(struct vxg_ct *ct);
uint32_t vxg_ct6_count(const struct vxg_ct *ct);
uint64_t vxg_ct6_memsize(const struct vxg_ct *ct);

#endif
