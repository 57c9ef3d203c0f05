/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Remote VTEPs a network floods to besides its config's `flood:` list: the dynamic flood
 * sets, per VNI, that BGP EVPN learns (type-3 routes, through control/evpn), and the
 * VTEPs its remote MACs point to (type-2 routes, VXG_DYN_UCAST). The next
 * generation's build merges them in (vxlan_config.c): each becomes a remote VTEP with its
 * header template and underlay neighbour, and a head-end replication target of its network.
 * Setting a set changes no live generation: the caller asks for one (vxg_daemon_regen).
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_VXLAN_DYN_H
#define VXG_VXLAN_DYN_H

#include <stdbool.h>
#include <stdint.h>

/* The most VTEPs one network's dynamic set holds (a generation indexes VTEPs in 16 bits). */
#define VXG_DYN_FLOOD_MAX 4096

/* The set of this pseudo-VNI (VNIs have 24 bits): the VTEPs that remote MACs (EVPN type-2
 * routes) point to, remote VTEPs of the generation that no network floods to unless a
 * flood set names them too. */
#define VXG_DYN_UCAST UINT32_MAX

/* Replace network vni's dynamic set with ips (host order, any order, duplicates allowed);
 * n == 0 removes it. 0, -E2BIG (more than VXG_DYN_FLOOD_MAX) or -ENOMEM (then the old set
 * stays). */
int vxg_vxlan_dyn_flood_set(uint32_t vni, const uint32_t *ips, unsigned n);

/* Network vni's dynamic set, sorted, and its size in *n; NULL (and *n = 0) when it has none. */
const uint32_t *vxg_vxlan_dyn_flood(uint32_t vni, unsigned *n);

/* Is ip (host order) in some network's dynamic set? */
bool vxg_vxlan_dyn_has(uint32_t ip);

/* Forget every set (the EVPN shadow closed). */
void vxg_vxlan_dyn_clear(void);

#endif
