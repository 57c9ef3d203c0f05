/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow, kernel -> vxgate (evpn_sync_rx.c): messages read and applied to the
 * flood sets and the FDB, and the reconcile.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_SYNC_RX_H
#define VXG_EVPN_SYNC_RX_H

#include "evpn/evpn_state.h"

/* One message from the kernel: an event, or part of a dump's answer (by its seq). */
void evs_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh);
/* Read what waits on the sockets, at most budget messages. */
void evs_read(struct vxg_evpn_sync *s, unsigned budget);
/* Free the unlinked positions (one grace period). */
void evs_release(struct vxg_evpn_sync *s);
int evs_rc_start(struct vxg_evpn_sync *s);
/* Take a network's remote MACs out of the FDB (it leaves the shadow). */
void evs_net_flush_macs(struct vxg_evpn_sync *s, struct evs_net *n);

#endif
