/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow, vxgate -> kernel (evpn_sync_adv.c): the MACs advertised for zebra.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_SYNC_ADV_H
#define VXG_EVPN_SYNC_ADV_H

#include "evpn/evpn_state.h"

int evs_adv_init(struct vxg_evpn_sync *s);
void evs_adv_fini(struct vxg_evpn_sync *s);
/* Look at up to budget FDB positions; a whole pass withdraws what it did not see. */
void evs_adv_scan(struct vxg_evpn_sync *s, uint32_t budget);
/* The gateway of n, advertised (again). */
void evs_adv_gw(struct vxg_evpn_sync *s, struct evs_net *n);
/* Withdraw n's gateway (del: tell the kernel too; else its devices are gone). */
void evs_adv_gw_del(struct vxg_evpn_sync *s, struct evs_net *n, bool del);
/* Forget n's advertised MACs (its devices are gone with them). */
void evs_adv_forget(struct vxg_evpn_sync *s, uint32_t vni);
/* Reconcile: all unconfirmed; then the dump confirms one; then re-send the rest. */
void evs_adv_rc_start(struct vxg_evpn_sync *s);
void evs_adv_rc_seen(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_nl_neigh *m);
void evs_adv_rc_done(struct vxg_evpn_sync *s);
/* The kernel lost an advertised MAC (a delete we did not ask for): send it again. */
void evs_adv_lost(struct vxg_evpn_sync *s, struct evs_net *n, const struct rte_ether_addr *mac);

#endif
