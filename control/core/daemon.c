/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's core: workers, the mbuf pool, ports, QSBR and the publisher; the
 * generation's life (build by looping over the features, publish, reclaim); the reload
 * skeleton; the punt ring, whose frames go to the feature that claims their kind; and
 * the helpers features send frames with. It names no feature: see core/feature.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/log.h"
#include "core/notify.h"

#define PUNT_RING_SIZE 4096
#define CTL_RING_SIZE 64
#define INJECT_RING_SIZE 1024
#define POOL_CACHE 256
/* Replay ends when no packet has arrived for this long after the first. */
#define REPLAY_QUIET_MS 300

struct vxg_daemon vxg_daemon = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int
daemon_pool_create(struct vxg_daemon *d, char *err, size_t errlen)
{
	const struct vxg_config *cfg = d->cfg;
	uint16_t mtu = RTE_ETHER_MTU;

	for (unsigned i = 0; i < cfg->n_interfaces; i++)
		mtu = RTE_MAX(mtu, cfg->interfaces[i].mtu);
	/* One segment holds the largest frame any interface can receive (and at least the
	 * 2 KB that drivers such as net_af_packet assume). */
	d->pool = rte_pktmbuf_pool_create("vxg_mbufs", cfg->dataplane.mbufs, POOL_CACHE, 0,
		RTE_MAX(RTE_MBUF_DEFAULT_BUF_SIZE, RTE_PKTMBUF_HEADROOM + mtu + RTE_ETHER_HDR_LEN +
							   2 * RTE_VLAN_HLEN + RTE_ETHER_CRC_LEN),
		rte_socket_id());
	if (d->pool == NULL) {
		snprintf(err, errlen,
			"cannot create a pool of %u mbufs (dataplane.mbufs): %s; give EAL more "
			"memory (-m MB with --no-huge, or more hugepages)",
			cfg->dataplane.mbufs, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	return 0;
}

static int
daemon_qsbr_create(struct vxg_daemon *d)
{
	size_t sz = rte_rcu_qsbr_get_memsize(RTE_MAX(d->n_workers, 1u));

	d->qsbr = rte_zmalloc("vxg_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (d->qsbr == NULL)
		return -ENOMEM;
	return rte_rcu_qsbr_init(d->qsbr, RTE_MAX(d->n_workers, 1u));
}

static int
daemon_worker_create(struct vxg_daemon *d, unsigned id, unsigned lcore)
{
	char name[RTE_RING_NAMESIZE];
	struct vxg_worker *w;

	w = rte_zmalloc_socket(
		"vxg_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, rte_lcore_to_socket_id(lcore));
	if (w == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vxg_ctl%u", id);
	w->ctl_ring = rte_ring_create_elem(name, sizeof(struct vxg_msg), CTL_RING_SIZE,
		rte_lcore_to_socket_id(lcore), RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "vxg_inj%u", id);
	w->inject_ring = rte_ring_create(name, INJECT_RING_SIZE, rte_lcore_to_socket_id(lcore),
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	w->lport_ctr = rte_zmalloc_socket("vxg_lport_ctr", VXG_LPORT_MAX * sizeof(*w->lport_ctr),
		RTE_CACHE_LINE_SIZE, rte_lcore_to_socket_id(lcore));
	if (w->ctl_ring == NULL || w->inject_ring == NULL || w->lport_ctr == NULL) {
		int ret = w->lport_ctr == NULL ? -ENOMEM : -rte_errno;

		rte_ring_free(w->ctl_ring);
		rte_ring_free(w->inject_ring);
		rte_free(w->lport_ctr);
		rte_free(w);
		return ret;
	}
	w->id = id;
	w->n_workers = d->n_workers;
	w->lcore = lcore;
	w->punt_ring = d->punt_ring;
	w->qsbr = d->qsbr;
	w->burst = d->cfg->dataplane.burst;
	w->idle_sleep_us = d->cfg->dataplane.idle_sleep_us;
	/* ICMP errors: 1000/s per worker, bursts of 100 (traceroute's probes fit); frames for
	 * the host tap: vxg_host.h's rate. */
	vxg_ratelimit_init(&w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
	vxg_ratelimit_init(&w->host_rl, rte_get_tsc_hz(), VXG_HOST_PUNT_RATE, VXG_HOST_PUNT_BURST);
	d->workers[id] = w;
	return 0;
}

static int
daemon_workers_create(struct vxg_daemon *d, char *err, size_t errlen)
{
	unsigned lcore, id = 0;
	int ret;

	d->n_workers = rte_lcore_count() - 1;
	if (d->n_workers == 0) {
		snprintf(err, errlen,
			"no worker lcore: give EAL two lcores or more (e.g. -l 0-1); the main "
			"lcore runs the control thread");
		return -EINVAL;
	}
	if ((ret = daemon_qsbr_create(d)) < 0)
		goto err;
	d->punt_ring = rte_ring_create("vxg_punt", PUNT_RING_SIZE, rte_socket_id(), RING_F_SC_DEQ);
	if (d->punt_ring == NULL) {
		ret = -rte_errno;
		goto err;
	}
	RTE_LCORE_FOREACH_WORKER (lcore) {
		if ((ret = daemon_worker_create(d, id++, lcore)) < 0)
			goto err;
	}
	return 0;
err:
	snprintf(err, errlen, "cannot create workers: %s", rte_strerror(-ret));
	return ret;
}

/* Spread every port's rx queues over the workers: queue q goes to worker q % n. */
static int
daemon_assign_queues(struct vxg_daemon *d, char *err, size_t errlen)
{
	for (unsigned i = 0; i < d->n_ifs; i++) {
		const struct vxg_iface *p = &d->ifs[i];

		for (uint16_t q = 0; q < p->n_rxq; q++) {
			struct vxg_worker *w = d->workers[q % d->n_workers];

			if (w->n_rxq == VXG_WORKER_RXQ_MAX) {
				snprintf(err, errlen, "worker %u: more than %u rx queues", w->id,
					VXG_WORKER_RXQ_MAX);
				return -E2BIG;
			}
			w->rxqs[w->n_rxq].port_id = p->port_id;
			w->rxqs[w->n_rxq].queue_id = q;
			w->n_rxq++;
		}
	}
	return 0;
}

void
vxg_daemon_quiesce(const struct vxg_daemon *d)
{
	if (d->qsbr != NULL && d->n_workers > 0)
		rte_rcu_qsbr_synchronize(d->qsbr, RTE_QSBR_THRID_INVALID);
}

/*
 * Make g (built from cfg) the live generation in place of old (built from ocfg; NULL at
 * start). old is kept until every worker has taken g, so that the features' published
 * hooks can read it (the security groups carry the hits of the rules g keeps); then it
 * is retired. vxg_gen_publish's return.
 */
static int
daemon_publish(struct vxg_daemon *d, struct vxg_gen *g, struct vxg_gen *old,
	const struct vxg_config *cfg, const struct vxg_config *ocfg)
{
	int ret;

	d->gen = g;
	ret = vxg_gen_publish(&d->pub, g, NULL, VXG_PUBLISH_TIMEOUT_MS);
	if (ret == -ENOBUFS)
		return ret; /* some worker may never take g: old must stay (as before) */
	vxg_features_published(d, g, cfg, old, ocfg);
	vxg_gen_retire(&d->pub, old);
	vxg_gen_reclaim(&d->pub);
	return ret;
}

/* A generation of cfg, each feature's part built in order; NULL with the reason in err. */
static struct vxg_gen *
daemon_gen_build(
	struct vxg_daemon *d, const struct vxg_config *cfg, uint64_t id, char *err, size_t errlen)
{
	uint64_t t0 = rte_get_timer_cycles();
	struct vxg_gen *g = vxg_gen_alloc(cfg, d->ifs, d->n_ifs, id);

	if (g == NULL) {
		snprintf(err, errlen, "%sout of memory", VXG_GEN_BUILD_ERR);
		return NULL;
	}
	if (vxg_features_build(d, g, cfg, err, errlen) < 0) {
		vxg_gen_free(g);
		return NULL;
	}
	g->build_us = (rte_get_timer_cycles() - t0) * 1000000 / rte_get_timer_hz();
	return g;
}

static int
daemon_launch(struct vxg_daemon *d, char *err, size_t errlen)
{
	int ret;

	if ((ret = vxg_meta_register()) < 0) {
		snprintf(err, errlen, "cannot register the mbuf metadata field: %s",
			rte_strerror(-ret));
		return ret;
	}
	if ((ret = vxg_features_init(d, err, errlen)) < 0)
		return ret;
	d->gen = daemon_gen_build(d, d->cfg, ++d->gen_id, err, errlen);
	if (d->gen == NULL)
		return -ENOMEM;
	if ((ret = vxg_publisher_init(&d->pub, d->workers, d->n_workers, d->qsbr)) < 0)
		goto err;
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct vxg_worker *w = d->workers[i];

		if ((ret = rte_eal_remote_launch(vxg_worker_main, w, w->lcore)) < 0)
			goto err;
	}
	if ((ret = daemon_publish(d, d->gen, NULL, d->cfg, NULL)) < 0)
		goto err;
	return 0;
err:
	snprintf(err, errlen, "cannot start the workers: %s", rte_strerror(-ret));
	return ret;
}

int
vxg_daemon_init(struct vxg_daemon *d, struct vxg_config *cfg, char *err, size_t errlen)
{
	int ret;

	d->cfg = cfg;
	d->loaded_at = time(NULL);
	if ((ret = daemon_workers_create(d, err, errlen)) < 0)
		return ret;
	if ((ret = daemon_pool_create(d, err, errlen)) < 0)
		return ret;
	ret = vxg_ports_init(cfg, d->n_workers, d->pool, d->ifs, err, errlen);
	if (ret < 0)
		return ret;
	d->n_ifs = cfg->n_interfaces;
	if ((ret = daemon_assign_queues(d, err, errlen)) < 0)
		return ret;
	return daemon_launch(d, err, errlen);
}

/*
 * Ports are set up once: a reload may change addresses and MTUs, not devices or roles; an
 * MTU the device cannot take is refused here, before anything changes.
 */
static int
daemon_check_interfaces(
	const struct vxg_daemon *d, const struct vxg_config *nc, char *err, size_t errlen)
{
	const struct vxg_config *oc = d->cfg;
	char msg[256];

	if (nc->n_interfaces != oc->n_interfaces) {
		snprintf(err, errlen,
			"%s: interfaces: %u interfaces instead of %u; adding or removing "
			"interfaces needs a restart",
			nc->path, nc->n_interfaces, oc->n_interfaces);
		return -EINVAL;
	}
	for (unsigned i = 0; i < nc->n_interfaces; i++) {
		const struct vxg_if_cfg *a = &oc->interfaces[i], *b = &nc->interfaces[i];

		if (strcmp(a->name, b->name) || strcmp(a->device, b->device) ||
			a->role != b->role) {
			snprintf(err, errlen,
				"%s:%u:%u: interface %s: name, device or role changed; that needs "
				"a restart",
				nc->path, b->pos.line, b->pos.col, b->name);
			return -EINVAL;
		}
		if (vxg_port_mtu_check(&d->ifs[i], b->mtu, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "%s:%u:%u: %s", nc->path, b->pos.line, b->pos.col,
				msg);
			return -EINVAL;
		}
	}
	return 0;
}

static void
daemon_apply_mtus(struct vxg_daemon *d)
{
	for (unsigned i = 0; i < d->n_ifs; i++) {
		uint16_t mtu = d->cfg->interfaces[i].mtu;

		if (mtu != d->ifs[i].mtu && rte_eth_dev_set_mtu(d->ifs[i].port_id, mtu) == 0)
			d->ifs[i].mtu = mtu;
	}
}

/* Make g (built from nc) live, bring the features' state in line with nc and swap the
 * config. err gets the warning, if any. */
static void
daemon_apply(
	struct vxg_daemon *d, struct vxg_gen *g, struct vxg_config *nc, char *err, size_t errlen)
{
	struct vxg_config *oc;
	char why[512];
	int ret, fret;

	ret = daemon_publish(d, g, d->gen, nc, d->cfg);
	fret = vxg_features_reload(d, nc, g, why, sizeof(why));
	pthread_mutex_lock(&d->lock);
	oc = d->cfg;
	d->cfg = nc;
	d->loaded_at = time(NULL);
	pthread_mutex_unlock(&d->lock);
	vxg_config_free(oc);
	daemon_apply_mtus(d);
	if (ret == -ETIMEDOUT)
		snprintf(err, errlen,
			"generation %lu published, but a worker has not taken it "
			"yet",
			(unsigned long)g->id);
	else if (ret == 0 && fret != 0)
		snprintf(err, errlen, "%s", why);
}

int
vxg_daemon_reload(struct vxg_daemon *d, const char *path, char *err, size_t errlen)
{
	struct vxg_config *nc = NULL;
	struct vxg_gen *g = NULL;
	int ret;

	err[0] = '\0'; /* set again only for a refusal or a warning */
	path = path ? path : d->cfg->path;
	vxg_notify_reloading("reloading %s", path);
	ret = vxg_config_load(path, &nc, err, errlen);
	if (ret == 0)
		ret = daemon_check_interfaces(d, nc, err, errlen);
	if (ret == 0 && (g = daemon_gen_build(d, nc, d->gen_id + 1, err, errlen)) == NULL)
		ret = -ENOMEM;
	if (ret < 0) {
		vxg_config_free(nc);
		d->reloads_failed++;
		VXG_LOG(LOG_ERR, "reload of %s refused, nothing changed:\n%s", path, err);
		vxg_notify_ready("reload of %s refused; generation %lu of %s stays", path,
			(unsigned long)d->gen_id, d->cfg->path);
		return ret;
	}
	d->gen_id++;
	daemon_apply(d, g, nc, err, errlen);
	d->reloads_ok++;
	VXG_LOG(LOG_INFO, "reloaded %s: generation %lu", d->cfg->path, (unsigned long)d->gen_id);
	if (err[0])
		VXG_LOG(LOG_WARNING, "reload of %s: %s", d->cfg->path, err);
	vxg_notify_ready("generation %lu of %s", (unsigned long)d->gen_id, d->cfg->path);
	return 0;
}

int
vxg_daemon_regen(struct vxg_daemon *d)
{
	struct vxg_gen *g;
	char err[256];

	g = daemon_gen_build(d, d->cfg, d->gen_id + 1, err, sizeof(err));
	if (g == NULL)
		return -ENOMEM;
	d->gen_id++;
	d->rebuilds++;
	daemon_publish(d, g, d->gen, d->cfg, d->cfg);
	return 0;
}

static uint64_t
daemon_rx_total(const struct vxg_daemon *d)
{
	uint64_t rx = 0;

	for (unsigned i = 0; i < d->n_workers; i++)
		rx += d->workers[i]->stats.rx;
	return rx;
}

static void
daemon_replay_check(struct vxg_daemon *d)
{
	uint64_t rx = daemon_rx_total(d), now = rte_get_timer_cycles();

	if (rx != d->replay_rx || d->replay_tsc == 0) {
		d->replay_rx = rx;
		d->replay_tsc = now;
		return;
	}
	if (rx > 0 && now - d->replay_tsc > rte_get_timer_hz() / 1000 * REPLAY_QUIET_MS)
		d->quit = 1;
}

static const struct vxg_iface *
daemon_iface_of_port(const struct vxg_daemon *d, uint16_t port_id)
{
	for (unsigned i = 0; i < d->n_ifs; i++)
		if (d->ifs[i].port_id == port_id)
			return &d->ifs[i];
	return NULL;
}

int
vxg_ctl_tx(struct vxg_daemon *d, uint16_t port_id, struct rte_mbuf *m)
{
	const struct vxg_iface *p = daemon_iface_of_port(d, port_id);

	if (p == NULL || d->n_workers == 0) {
		rte_pktmbuf_free(m);
		return -ENODEV;
	}
	if (p->ctl_txq >= 0) {
		if (rte_eth_tx_burst(port_id, (uint16_t)p->ctl_txq, &m, 1) == 1)
			return 0;
	} else {
		/* The device has no queue for us: worker 0 sends it from its own. */
		m->port = port_id;
		if (rte_ring_sp_enqueue(d->workers[0]->inject_ring, m) == 0)
			return 0;
	}
	rte_pktmbuf_free(m);
	d->ctl_tx_full++;
	return -ENOBUFS;
}

int
vxg_inject_net(struct vxg_daemon *d, uint32_t vni, struct rte_mbuf *m, uint16_t lport)
{
	m->port = VXG_INJECT_NET;
	vxg_meta(m)->vni = vni;
	vxg_meta(m)->lport = lport;
	if (d->n_workers > 0 && rte_ring_sp_enqueue(d->workers[0]->inject_ring, m) == 0)
		return 0;
	rte_pktmbuf_free(m);
	d->inject_full++;
	return -ENOBUFS;
}

/* A punted frame goes to the feature that claims its kind; none: dropped, counted. */
static void
daemon_punt_one(struct vxg_daemon *d, struct rte_mbuf *m)
{
	if (vxg_features_punt(d, m))
		return;
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

bool
vxg_daemon_tick(struct vxg_daemon *d)
{
	struct rte_mbuf *pkts[32];
	unsigned n = 0, b;

	vxg_gen_reclaim(&d->pub);
	for (b = 0; b < 64; b++) {
		n = rte_ring_dequeue_burst(d->punt_ring, (void **)pkts, RTE_DIM(pkts), NULL);
		if (n == 0)
			break;
		for (unsigned i = 0; i < n; i++)
			daemon_punt_one(d, pkts[i]);
	}
	vxg_features_tick(d, vxg_ctl_now_ms());
	if (d->opt.replay)
		daemon_replay_check(d);
	return b == 64;
}

static void
daemon_stop_workers(struct vxg_daemon *d)
{
	struct vxg_msg msg = {.type = VXG_MSG_STOP};

	for (unsigned i = 0; i < d->n_workers; i++)
		if (d->workers[i] != NULL)
			rte_ring_enqueue_elem(d->workers[i]->ctl_ring, &msg, sizeof(msg));
	rte_eal_mp_wait_lcore();
}

void
vxg_daemon_fini(struct vxg_daemon *d)
{
	daemon_stop_workers(d);
	vxg_publisher_fini(&d->pub);
	vxg_gen_free(d->gen);
	d->gen = NULL;
	vxg_features_fini(d);
	/* The telemetry thread may be in a callback: it sees either all or nothing. */
	pthread_mutex_lock(&d->lock);
	vxg_ports_fini(d->ifs, d->n_ifs);
	d->n_ifs = 0;
	for (unsigned i = 0; i < d->n_workers; i++) {
		if (d->workers[i] == NULL)
			continue;
		rte_ring_free(d->workers[i]->ctl_ring);
		rte_ring_free(d->workers[i]->inject_ring);
		rte_free(d->workers[i]->lport_ctr);
		rte_free(d->workers[i]);
		d->workers[i] = NULL;
	}
	rte_ring_free(d->punt_ring);
	rte_free(d->qsbr);
	rte_mempool_free(d->pool);
	vxg_config_free(d->cfg);
	d->cfg = NULL;
	d->n_workers = 0;
	pthread_mutex_unlock(&d->lock);
}
