/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon: one per process, owned by the control thread (the EAL main lcore). It
 * holds what every feature shares: the config, the live generation, ports, workers,
 * the mbuf pool and the publisher. Each feature's own state lives in its folder
 * (core/feature.h).
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

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "config/model.h"
#include "core/gen.h"
#include "core/port.h"
#include "vxg_worker.h"

#define VXG_ERR_MAX 8192
#define VXG_PUBLISH_TIMEOUT_MS 2000
#define VXG_STATE_DIR_DEFAULT "/var/lib/vxgate"

struct vxg_options {
	const char *config;
	const char *socket;
	const char *state_dir; /* DHCP leases */
	const char *group, *admin_group; /* control socket access (ctl_access.h); NULL default */
	const char *log_target, *log_level; /* core/log.h; NULL: the defaults */
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
	/* rebuilds of the same config (vxg_daemon_regen: an underlay neighbour, an EVPN
	 * flood set) */
	uint64_t rebuilds;

	struct rte_mempool *pool;
	struct vxg_iface ifs[VXG_IF_MAX];
	unsigned n_ifs;
	struct vxg_worker *workers[RTE_MAX_LCORE];
	unsigned n_workers;
	struct rte_rcu_qsbr *qsbr;
	struct vxg_publisher pub;
	struct rte_ring *punt_ring;
	uint64_t punt_freed; /* punted frames control did not answer */
	/* control's frames dropped: tx queue or inject ring full (vxg_ctl_tx), or no mbuf */
	uint64_t ctl_tx_full;
	/* control's frames into networks not taken: ring full (vxg_inject_net), or no mbuf */
	uint64_t inject_full;

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
 * so a flood cannot hold the control thread), the features' ticks, replay end. True:
 * punts are left. */
bool vxg_daemon_tick(struct vxg_daemon *d);
void vxg_daemon_fini(struct vxg_daemon *d);

/*
 * Build a generation from the same config and publish it: for a feature whose state the
 * generation copies (a neighbour's MAC in the VTEP templates). Rebuilding the whole
 * generation is simple and correct; such changes are seldom. 0 (published, or queued to
 * a slow worker), or -errno when it did not build (the live one stays).
 */
int vxg_daemon_regen(struct vxg_daemon *d);

/* Wait until no worker can still read a table of a generation before the live one (a
 * publish that timed out leaves a worker on it until its next pass). */
void vxg_daemon_quiesce(const struct vxg_daemon *d);

/*
 * Send m (Ethernet first) on port_id from the control thread: on the port's control tx
 * queue where it has one, else through worker 0's inject ring. Takes m in every case;
 * 0, or -ENOBUFS (queue or ring full, counted in ctl_tx_full) or -ENODEV.
 */
int vxg_ctl_tx(struct vxg_daemon *d, uint16_t port_id, struct rte_mbuf *m);

/*
 * Send m (Ethernet first, untagged) into network vni through worker 0's L2 output, as
 * sent by port `lport` (slot + 1; VXG_LPORT_SELF: vxgate itself, as a gateway) for the
 * security groups. Takes m; 0, or -ENOBUFS (ring full, counted in inject_full).
 */
int vxg_inject_net(struct vxg_daemon *d, uint32_t vni, struct rte_mbuf *m, uint16_t lport);

/* Milliseconds of the monotonic clock control's timers run on. */
static inline uint64_t
vxg_ctl_now_ms(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);
}

/* Worker i's counters since the last `clear stats` (stats.c). */
void vxg_daemon_worker_stats(const struct vxg_daemon *d, unsigned i, struct vxg_worker_stats *s);
/* All workers' counters since the last `clear stats`, summed. */
void vxg_daemon_stats_total(const struct vxg_daemon *d, struct vxg_worker_stats *t);
void vxg_daemon_clear_stats(struct vxg_daemon *d);

#endif
