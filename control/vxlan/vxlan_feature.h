/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VXLAN feature's state across generations: each remote VTEP's packet counters,
 * carried from one generation to the next while the VTEP stays (a reload, or a rebuild
 * for an underlay neighbour or an EVPN flood list), so that they only grow.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_VXLAN_FEATURE_H
#define VXG_VXLAN_FEATURE_H

#include <stdint.h>

struct vxg_daemon;

/* Packets encapsulated to (tx) and decapsulated from (rx) VTEP i of the live generation
 * since it first appeared in one. */
void vxg_vtep_total(const struct vxg_daemon *d, uint16_t i, uint64_t *tx, uint64_t *rx);

#endif
