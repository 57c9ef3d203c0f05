/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon: one per process, owned by the control thread (the EAL main lcore).
 *
 * Thread-safety: the control thread writes everything here. The DPDK telemetry thread
 * reads cfg, ifs and worker stats under `lock`; the control thread takes `lock` only to
 * swap cfg on reload. Workers never see this struct, only their own vxg_worker.
 */
#ifndef VXG_DAEMON_H
#define VXG_DAEMON_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "sg/conntrack.h"
#include "dhcp/dhcp_service.h"
#include "l2/fdb.h"
#include "core/gen.h"
#include "core/port.h"
#include "vxg_config.h"
#include "vxg_l3.h"
#include "vxg_neigh.h"
#include "vxg_worker.h"

#define VXG_ERR_MAX 8192
#define VXG_CT_TABLES_MAX 1024
#define VXG_GARP_MAX 4096
#define VXG_GARP_COUNT 3
#define VXG_PUBLISH_TIMEOUT_MS 2000
#define VXG_STATE_DIR_DEFAULT "/var/lib/vxgate"

struct vxg_options {
	const char *config;
	const char *socket;
	const char *state_dir; /* DHCP leases */
	bool interactive;
	bool check;
	bool replay; /* exit once the rx ports are drained (pcap replay) */
};

struct vxg_daemon {
	pthread_mutex_t lock;
	struct vxg_options opt;
	struct vxg_config *cfg;
	struct vxg_gen *gen; /* the generation last published */
	uint64_t gen_id;
	time_t loaded_at;
	uint64_t reloads_ok, reloads_failed;

	struct rte_mempool *pool;
	struct vxg_iface ifs[VXG_IF_MAX];
	unsigned n_ifs;
	struct vxg_worker *workers[RTE_MAX_LCORE];
	unsigned n_workers;
	struct rte_rcu_qsbr *qsbr;
	struct vxg_publisher pub;
	struct rte_ring *punt_ring;
	uint64_t punt_freed; /* punted frames control did not answer */
	struct {
		uint64_t arp_requests_rx, arp_replies_rx, arp_replies_tx;
		uint64_t icmp_echo_rx, icmp_echo_replies_tx;
		uint64_t arp_requests_tx; /* probes for next hops */
		uint64_t ctl_tx_full; /* control's frames dropped: tx queue or inject ring full */
		uint64_t neigh_full; /* neighbours not kept: dataplane.limits.neighbours */
		uint64_t regens, regen_failed; /* generations rebuilt for a neighbour change */
	} punt;
	struct {
		uint64_t arp_requests_rx, arp_replies_tx, arp_replies_rx; /* for gateways */
		uint64_t arp_requests_tx; /* from gateways, for next hops */
		uint64_t icmp_echo_rx, icmp_echo_replies_tx, icmp_port_unreach_tx;
		uint64_t neigh_miss_rx, held_tx; /* packets waiting for a next hop, sent */
		uint64_t dhcp_rx, dhcp_tx;
		uint64_t inject_full; /* control's frames into networks not taken: ring full */
		uint64_t unknown_network; /* punted from a network a reload took away */
	} router;
	struct vxg_l3_neigh_table *l3n; /* router neighbours, survive reloads */
	uint64_t l3n_ms; /* when their timers last ran */
	struct vxg_dhcp_service *dhcp;
	struct vxg_neigh_table *neigh; /* survives reloads */
	uint64_t neigh_ms; /* when the neighbour timers last ran */
	/* per VPC with security groups, survive reloads; a reload that changes
	 * dataplane.limits.conntrack replaces one with a copy of the new size (both are here
	 * until the generation using the new one is live) */
	struct vxg_ct *ct[VXG_CT_TABLES_MAX];
	unsigned n_ct;
	uint64_t ct_aged; /* connections the ager deleted */
	/* connections a change of dataplane.limits.conntrack did not carry over (no room in
	 * the smaller table); _pending: of the generation being built */
	uint64_t ct_resize_dropped, ct_resize_pending;
	/* per VPC with SNAT, kept across reloads while its mapping is unchanged; a change of
	 * dataplane.limits.sessions replaces one with a copy of the new size, as for ct */
	struct vxg_nat_table *nat[VXG_CT_TABLES_MAX];
	unsigned n_nat;
	uint64_t nat_aged; /* sessions the ager deleted */
	/* sessions a change of dataplane.limits.sessions did not carry over; _pending: of
	 * the generation being built */
	uint64_t nat_resize_dropped, nat_resize_pending;
	/* [VPC of gen][ref]: hits of gen's rules counted in earlier generations, for the rules
	 * that a reload kept unchanged (vxg_sg_hits_carry); NULL: none */
	uint64_t **sg_hits_base;
	unsigned n_sg_hits_base;
	/* Gratuitous ARP for NAT addresses that are new or moved: VXG_GARP_COUNT each, a
	 * second apart. */
	struct {
		rte_be32_t ip;
		uint8_t ifindex;
		uint8_t left;
	} garp[VXG_GARP_MAX];
	unsigned n_garp;
	uint64_t garp_ms; /* when the last round went out */
	uint64_t garp_tx, garp_skipped; /* sent; not sent (list full, no mbuf) */
	struct vxg_fdb *fdb; /* survives reloads */
	uint32_t fdb_aged; /* entries the ager deleted */
	uint64_t age_tsc; /* when the ager last ran */

	struct vxg_worker_stats base[RTE_MAX_LCORE]; /* `clear stats` baseline */

	/* Replay mode: when rx last moved. */
	uint64_t replay_rx, replay_tsc;

	volatile sig_atomic_t quit;
	volatile sig_atomic_t hup;
};

extern struct vxg_daemon vxg_daemon;

/* Takes ownership of cfg. */
int vxg_daemon_init(struct vxg_daemon *d, struct vxg_config *cfg, char *err, size_t errlen);
/* Validate and apply `path` (NULL: the current file). Nothing changes on error. */
int vxg_daemon_reload(struct vxg_daemon *d, const char *path, char *err, size_t errlen);
/* Periodic control work: reclaim old generations, drain punts (at most 64 bursts a call,
 * so a flood cannot hold the control thread), replay end. True: punts are left. */
bool vxg_daemon_tick(struct vxg_daemon *d);
void vxg_daemon_fini(struct vxg_daemon *d);

/*
 * Send m (Ethernet first) on port_id from the control thread: on the port's control tx
 * queue where it has one, else through worker 0's inject ring. Takes m in every case;
 * 0, or -ENOBUFS (queue or ring full, counted) or -ENODEV.
 */
int vxg_ctl_tx(struct vxg_daemon *d, uint16_t port_id, struct rte_mbuf *m);

/* The conntrack table of VPC `name`, or NULL. */
/* The NAT session table of VPC `name`, NULL if it has none. */
struct vxg_nat_table *vxg_daemon_nat(const struct vxg_daemon *d, const char *name);
struct vxg_ct *vxg_daemon_ct(const struct vxg_daemon *d, const char *name);

/* Worker i's counters since the last `clear stats`. */
void vxg_daemon_worker_stats(const struct vxg_daemon *d, unsigned i, struct vxg_worker_stats *s);
/* All workers' counters since the last `clear stats`, summed. */
void vxg_daemon_stats_total(const struct vxg_daemon *d, struct vxg_worker_stats *t);
void vxg_daemon_clear_stats(struct vxg_daemon *d);

#endif
