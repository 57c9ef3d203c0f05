/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's state, shared by its files: evpn_sync.c (open, close, apply: the
 * devices; evpn_sync.h), evpn_sync_rx.c (kernel -> vxgate and the reconcile),
 * evpn_sync_adv.c (vxgate -> kernel), evpn_sync_show.c; its networks, its counters and
 * the batch of requests to the kernel.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_STATE_H
#define VXG_EVPN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <rte_ether.h>

#include "evpn/evpn_nl.h"
#include "vxg_l2.h"

/* What `show evpn` counts. Counters run from open. */
struct vxg_evpn_sync_sum {
	unsigned vnis; /* networks shadowed */
	unsigned vnis_ready; /* of them, with their four devices up */
	unsigned remote_vteps; /* type-3 VTEPs, summed over VNIs */
	uint64_t evpn_macs; /* remote MACs in the FDB, from type-2 routes */
	uint64_t advertised; /* local MACs (and gateways) in the kernel, for zebra */
	uint64_t events; /* kernel messages applied */
	uint64_t errors; /* messages malformed or cut short, skipped */
	uint64_t unknown_ifindex; /* neighbour messages of no shadow device, ignored */
	uint64_t ignored; /* of a shadow device but not for us (the bridge's copies...) */
	uint64_t fdb_full; /* remote MACs not taken: the FDB (limits.fdb) is full */
	uint64_t adv_full; /* local MACs not advertised: VXG_EVPN_ADV_MAX reached */
	uint64_t conflicts; /* remote MACs of a declared port: the config wins */
	uint64_t mac_adds, mac_moves, mac_dels; /* remote MACs applied to the FDB */
	uint64_t vtep_adds, vtep_dels; /* remote VTEPs */
	uint64_t adv_adds, adv_dels; /* local MACs sent to the kernel */
	uint64_t nl_errors; /* requests the kernel refused (last_nl_error: the last errno) */
	int last_nl_error;
	uint64_t overruns; /* the event socket lost messages (ENOBUFS): reconciled */
	uint64_t regens; /* generations rebuilt for a flood set change */
	uint64_t reconciles; /* reconciles completed */
	uint64_t reconcile_swept; /* remote MACs and VTEPs the kernel no longer had */
	uint64_t reconcile_readded; /* local MACs the kernel had lost */
	uint64_t last_reconcile; /* wall clock, seconds (0: never) */
	uint64_t last_reconcile_ms; /* how long it took */
	int reconciling; /* one is running */
};

/* The local MACs one shadow advertises at most. */
#define VXG_EVPN_ADV_MAX 65536

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
	uint64_t scan_ms; /* when the last slice was looked at */
	uint8_t *sbuf; /* a batch of requests, sent at the tick's end */
	struct mnl_nlmsg_batch *batch;

	/* kernel -> vxgate */
	uint8_t *rbuf;
	int32_t gone[EVS_GONE_MAX];
	unsigned n_gone;
	bool flood_dirty;
	/* The VTEPs remote MACs point to (type-2 routes), sorted, host order: remote VTEPs of
	 * the generation even when no type-3 route put them in a flood set (vxlan_dyn.h's
	 * VXG_DYN_UCAST); they go at the next reconcile once no MAC names them. */
	uint32_t *ucast, *rc_ucast;
	unsigned n_ucast, cap_ucast, rc_n_ucast, rc_cap_ucast;
	bool ucast_dirty;
	uint64_t dirty_ms, now_ms;
	uint64_t repair_ms; /* when broken networks were last made again */

	/* reconcile */
	bool rc, rc_again;
	uint32_t rc_seq;
	uint64_t rc_start_ms;
	uint64_t *mark; /* a bit per FDB position: shown by the dump */
	uint32_t mark_words;

	struct vxg_evpn_sync_sum sum;
};

/* The FDB: the one given (vxg_evpn_sync_use_fdb), else the L2 feature's. */
struct vxg_fdb *evs_fdb(const struct vxg_evpn_sync *s);
/* The network of vni, NULL: none. */
struct evs_net *evs_net_by_vni(struct vxg_evpn_sync *s, uint32_t vni);
/* Add network vni (no devices yet), or find it; NULL: no memory. */
struct evs_net *evs_net_add(struct vxg_evpn_sync *s, uint32_t vni);
/* Take n out of the array (its sets freed). */
void evs_net_remove(struct vxg_evpn_sync *s, struct evs_net *n);
/* The buffers: the datagram read, the batch of requests. 0 or -ENOMEM. */
int evs_state_init(struct vxg_evpn_sync *s);
void evs_state_fini(struct vxg_evpn_sync *s);
/* The next request's room in the batch (VXG_NL_MSG_MAX bytes), then queue it (the batch
 * goes once full); flush sends what is queued. Sent without acknowledgement: the kernel
 * answers only an error, on s->rq. */
void *evs_req_slot(struct vxg_evpn_sync *s);
void evs_req_queued(struct vxg_evpn_sync *s);
void evs_req_flush(struct vxg_evpn_sync *s);

#endif
