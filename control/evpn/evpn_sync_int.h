/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's state, shared by its files: evpn_sync.c (open, close, apply: the
 * devices), evpn_sync_rx.c (kernel -> vxgate and the reconcile), evpn_sync_adv.c
 * (vxgate -> kernel), evpn_sync_show.c, and the unit tests, which feed it recorded
 * messages without a kernel.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_SYNC_INT_H
#define VXG_EVPN_SYNC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <rte_ether.h>

#include "evpn/evpn_nl.h"
#include "evpn/evpn_sync.h"
#include "vxg_l2.h"

/* One network's shadow. */
struct evs_net {
	uint32_t vni;
	int32_t br, vx, vp, vq; /* ifindexes of vxb, vxv, vxp, vxq<vni>; 0: not made */
	bool ready; /* all four made and up */
	bool wanted; /* apply: still in the config */
	bool broken; /* a device went away: made again by the tick */
	bool flood_dirty; /* vteps changed since the flood set was last given to vxlan */
	bool has_gw;
	uint32_t gw_ip; /* network order */
	struct rte_ether_addr gw_mac;
	uint32_t *vteps; /* remote VTEPs, host order, sorted */
	unsigned n_vteps, cap_vteps;
	uint32_t *rc_vteps; /* those a running reconcile's dump has shown */
	unsigned rc_n, rc_cap;
	uint64_t evpn_macs; /* FDB entries of this VNI from type-2 routes */
	uint64_t adv; /* its MACs advertised (in the kernel, as far as we know) */
};

/* A MAC advertised to the kernel (on vxp<vni>). */
enum { EVS_ADV_MAC, EVS_ADV_GW };
struct evs_adv {
	struct vxg_fdb_key key;
	uint32_t epoch; /* the FDB pass that last saw it (EVS_ADV_MAC) */
	uint8_t kind;
	uint8_t in_kernel; /* cleared by a reconcile's start, set as the dump shows it */
};

/* A datagram read: a dump's part is at most 32 kB (the kernel's cap). */
#define EVS_RBUF_SIZE 32768

/* Remote MACs unlinked from the FDB, freed together after one grace period. */
#define EVS_GONE_MAX 4096

struct vxg_evpn_sync {
	int netns;
	struct mnl_socket *ev; /* events: RTNLGRP_NEIGH, RTNLGRP_LINK */
	struct mnl_socket *rq; /* FDB and neighbour requests (errors only), dumps */
	struct mnl_socket *ctl; /* link requests, acknowledged one by one */
	uint32_t seq;
	uint32_t vtep; /* our VTEP, network order */
	uint16_t udp_port;
	struct vxg_fdb *fdb; /* NULL: the L2 feature's */

	struct evs_net *nets; /* sorted by VNI */
	unsigned n_nets, cap_nets;
	unsigned last_net; /* where the last ifindex lookup hit */

	/* vxgate -> kernel */
	struct rte_hash *adv_h;
	struct evs_adv *adv; /* by adv_h position */
	struct vxg_fdb_key *tmp_keys; /* VXG_EVPN_ADV_MAX, for sweeps */
	uint32_t scan_pos, epoch;
	uint8_t *sbuf; /* a batch of requests, sent at the tick's end */
	struct mnl_nlmsg_batch *batch;

	/* kernel -> vxgate */
	uint8_t *rbuf;
	int32_t gone[EVS_GONE_MAX];
	unsigned n_gone;
	bool flood_dirty;
	uint64_t dirty_ms, now_ms;

	/* reconcile */
	bool rc, rc_again;
	uint32_t rc_seq;
	uint64_t rc_start_ms;
	uint64_t *mark; /* a bit per FDB position: shown by the dump */
	uint32_t mark_words;

	struct vxg_evpn_sync_sum sum;
};

struct vxg_fdb *evs_fdb(const struct vxg_evpn_sync *s);
/* The network of vni, NULL: none. */
struct evs_net *evs_net_by_vni(struct vxg_evpn_sync *s, uint32_t vni);
/* Add network vni (no devices yet), or find it; NULL: no memory. */
struct evs_net *evs_net_add(struct vxg_evpn_sync *s, uint32_t vni);
/* The state with no sockets (tests); s->fdb given. NULL: no memory. */
struct vxg_evpn_sync *evs_alloc(void);
void evs_free(struct vxg_evpn_sync *s);

/* evpn_sync_rx.c */
/* One message from the kernel: an event (dump false) or part of a dump's answer. */
void evs_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh);
/* Read what waits on the sockets, at most budget messages. */
void evs_read(struct vxg_evpn_sync *s, unsigned budget);
/* Free the unlinked positions (one grace period). */
void evs_release(struct vxg_evpn_sync *s);
int evs_rc_start(struct vxg_evpn_sync *s);
/* Take a network's remote MACs out of the FDB (it leaves the shadow). */
void evs_net_flush_macs(struct vxg_evpn_sync *s, struct evs_net *n);

/* evpn_sync_adv.c */
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
/* The next request's room in the batch, then queue it. */
void *evs_req_slot(struct vxg_evpn_sync *s);
void evs_req_queued(struct vxg_evpn_sync *s);
void evs_req_flush(struct vxg_evpn_sync *s);

#endif
