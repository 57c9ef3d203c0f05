/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow: each network with EVPN on, mirrored in a network namespace as Linux
 * would hold it, so that FRR's zebra learns VNIs, local MACs and remote VTEPs from the
 * kernel (as SONiC's fdbsyncd and OVN's EVPN support do), kept in step over rtnetlink both
 * ways:
 *
 *   per VNI: bridge vxb<vni> -- VXLAN vxv<vni> (id vni, local = our VTEP, no learning)
 *                            -- veth vxp<vni> (port) / vxq<vni> (peer, unattached):
 *                               vxgate's side of the network
 *
 *   vxgate -> kernel: the MACs vxgate holds on access interfaces (declared ports, learned)
 *     and each router's gateway MAC become `bridge fdb add MAC dev vxp<vni> master static`
 *     (the gateway's MAC/IP also a NUD_NOARP neighbour on vxb<vni>): zebra advertises them
 *     as type-2 routes. Diffed against the FDB in the tick, a slice at a time.
 *   kernel -> vxgate: what zebra installs on vxv<vni> from the routes of other VTEPs: the
 *     all-zero MAC with a destination (type 3: a remote VTEP, flooded to) and MACs with
 *     NTF_EXT_LEARNED and a destination (type 2: a MAC behind that VTEP). VTEPs become the
 *     network's dynamic flood set (vxlan/vxlan_dyn.h) in the next generation, one regen per
 *     50 ms burst at most; MACs become FDB entries of origin EVPN.
 *
 * A reconcile dumps the kernel's tables and marks and sweeps both directions; it runs
 * after open and apply, when asked (FRR restarted), and when the event socket overran.
 *
 * Thread-safety: control thread only. Every call is bounded: apply and close wait for the
 * kernel's acknowledgements of link changes (at most a second each); tick never blocks.
 */
#ifndef VXG_EVPN_SYNC_H
#define VXG_EVPN_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "evpn/evpn_state.h" /* struct vxg_evpn_sync_sum */

struct vxg_config;
struct vxg_daemon;
struct vxg_fdb;

/*
 * Open the shadow in namespace netns_fd (vxg_netns_open; kept as a duplicate): rtnetlink
 * sockets made inside it, non-blocking, one subscribed to RTNLGRP_NEIGH and RTNLGRP_LINK,
 * then a reconcile started. NULL with the reason in err.
 */
struct vxg_evpn_sync *vxg_evpn_sync_open(int netns_fd, char *err, size_t errlen);

/* Delete the shadow devices it made, take its MACs out of the FDB and its VTEPs out of the
 * flood sets (the next generation drops them: regenerate unless a reload follows), close. */
void vxg_evpn_sync_close(struct vxg_evpn_sync *s);

/*
 * Shadow cfg's EVPN networks (cfg->vtep.evpn.enabled && network.evpn): make or adopt their
 * devices (a restarted vxgate finds them: kept when they match, made again when not),
 * delete those of networks gone, set the gateways' entries; then a reconcile. 0, or
 * -errno with the first failure in err (the other networks are still done).
 */
int vxg_evpn_sync_apply(struct vxg_evpn_sync *s, struct vxg_daemon *d, const struct vxg_config *cfg,
	char *err, size_t errlen);

/* Read what the kernel sent, apply it, advertise a slice of the FDB, regenerate when flood
 * sets changed (d may be NULL: no regeneration). Bounded work; never blocks. */
void vxg_evpn_sync_tick(struct vxg_evpn_sync *s, struct vxg_daemon *d, uint64_t now_ms);

/* Start a reconcile (it completes in the ticks that follow; one asked for while one runs
 * runs after it). 0, or -errno when the dump could not be asked for. */
int vxg_evpn_sync_reconcile(struct vxg_evpn_sync *s, struct vxg_daemon *d);

void vxg_evpn_sync_summary(const struct vxg_evpn_sync *s, struct vxg_evpn_sync_sum *out);

/* The shadow open now (the last opened), for the shell; NULL: none. */
struct vxg_evpn_sync *vxg_evpn_sync_current(void);

/* Tests and tools: the FDB to use instead of the L2 feature's (vxg_l2_fdb). */
void vxg_evpn_sync_use_fdb(struct vxg_evpn_sync *s, struct vxg_fdb *fdb);

/* Tests: a shadow with no sockets nor namespace, fed messages by hand (evpn_sync_rx.h);
 * closed with vxg_evpn_sync_close. NULL: no memory. */
struct vxg_evpn_sync *vxg_evpn_sync_bare(void);

/* The descriptor of the event socket, to wake the control loop on (poll for POLLIN). */
int vxg_evpn_sync_fd(const struct vxg_evpn_sync *s);

#endif
