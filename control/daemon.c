/* SPDX-License-Identifier: BSD-3-Clause */
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

#include "daemon.h"

#define PUNT_RING_SIZE 4096
#define CTL_RING_SIZE 64
#define INJECT_RING_SIZE 1024
#define POOL_CACHE 256
/* Replay ends when no packet has arrived for this long after the first. */
#define REPLAY_QUIET_MS 300
/* FDB positions the ager looks at per run (ten runs a second). */
#define AGE_SLICE 65536

struct vxg_daemon vxg_daemon = {.lock = PTHREAD_MUTEX_INITIALIZER};

const char *const vxg_drop_names[VXG_DROP_MAX] = {
#define VXG_DROP_NAME(name, help) #name,
	VXG_DROP_REASONS(VXG_DROP_NAME)
#undef VXG_DROP_NAME
};

const char *const vxg_event_names[VXG_EV_MAX] = {
#define VXG_EVENT_NAME(name, help) #name,
	VXG_EVENTS(VXG_EVENT_NAME)
#undef VXG_EVENT_NAME
};

const char *const vxg_drop_help[VXG_DROP_MAX] = {
#define VXG_DROP_HELP(name, help) help,
	VXG_DROP_REASONS(VXG_DROP_HELP)
#undef VXG_DROP_HELP
};

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
	if (w->ctl_ring == NULL || w->inject_ring == NULL) {
		int ret = -rte_errno;

		rte_ring_free(w->ctl_ring);
		rte_ring_free(w->inject_ring);
		rte_free(w);
		return ret;
	}
	w->id = id;
	w->lcore = lcore;
	w->punt_ring = d->punt_ring;
	w->qsbr = d->qsbr;
	w->burst = d->cfg->dataplane.burst;
	w->idle_sleep_us = d->cfg->dataplane.idle_sleep_us;
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

static bool
daemon_static_neigh(const struct vxg_config *cfg, unsigned ifi, uint32_t ip)
{
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (ic->neighbours[i].ip == ip)
			return true;
	return false;
}

static uint64_t
daemon_now_ms(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);
}

/* Keep resolving nh (host order) on the underlay ul, unless a static neighbour gives it. */
static void
daemon_want_nexthop(struct vxg_daemon *d, unsigned ul, uint32_t nh, uint64_t now)
{
	if (daemon_static_neigh(d->cfg, ul, nh))
		return;
	if (vxg_neigh_want(d->neigh, ul, rte_cpu_to_be_32(nh), now) < 0)
		d->punt.neigh_full++;
}

/* Mark the next hops the current generation's VTEPs need (and the underlay gateway, for
 * VTEPs learned but not configured); the others age out of the table. */
static void
daemon_neigh_want(struct vxg_daemon *d)
{
	const struct vxg_gen_vxlan *vx = &d->gen->vx;
	unsigned ul = d->cfg->vtep.underlay;
	uint64_t now = daemon_now_ms();

	vxg_neigh_unwant_all(d->neigh);
	if (!vx->enabled)
		return;
	for (unsigned i = 0; i < vx->n_vteps; i++)
		daemon_want_nexthop(d, ul, rte_be_to_cpu_32(vx->vteps[i].nexthop), now);
	if (d->cfg->interfaces[ul].gateway != 0)
		daemon_want_nexthop(d, ul, d->cfg->interfaces[ul].gateway, now);
}

static int
daemon_launch(struct vxg_daemon *d, char *err, size_t errlen)
{
	int ret;

	d->fdb = vxg_fdb_create(d->cfg->dataplane.limits.fdb, d->qsbr);
	if (d->fdb == NULL) {
		snprintf(err, errlen,
			"cannot create the FDB of %u entries (dataplane.limits.fdb): %s; give EAL "
			"more memory or lower the limit",
			d->cfg->dataplane.limits.fdb, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (vxg_fdb_sync_static(d->fdb, d->cfg, d->ifs, 1) < 0) {
		snprintf(err, errlen, "the ports of the config do not fit dataplane.limits.fdb");
		return -ENOSPC;
	}
	d->neigh = vxg_neigh_table_create(d->cfg->dataplane.limits.neighbours);
	if (d->neigh == NULL) {
		snprintf(err, errlen,
			"cannot create the neighbour table of %u entries "
			"(dataplane.limits.neighbours): out of memory",
			d->cfg->dataplane.limits.neighbours);
		return -ENOMEM;
	}
	d->gen = vxg_gen_build(d->cfg, d->ifs, d->n_ifs, ++d->gen_id, d->fdb, d->neigh);
	if (d->gen == NULL) {
		snprintf(err, errlen, "cannot build the first generation: out of memory");
		return -ENOMEM;
	}
	if ((ret = vxg_publisher_init(&d->pub, d->workers, d->n_workers, d->qsbr)) < 0)
		goto err;
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct vxg_worker *w = d->workers[i];

		if ((ret = rte_eal_remote_launch(vxg_worker_main, w, w->lcore)) < 0)
			goto err;
	}
	if ((ret = vxg_gen_publish(&d->pub, d->gen, NULL, VXG_PUBLISH_TIMEOUT_MS)) < 0)
		goto err;
	daemon_neigh_want(d);
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

/* Ports are set up once: a reload may change addresses and MTUs, not devices or roles. */
static int
daemon_check_interfaces(
	const struct vxg_daemon *d, const struct vxg_config *nc, char *err, size_t errlen)
{
	const struct vxg_config *oc = d->cfg;

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

int
vxg_daemon_reload(struct vxg_daemon *d, const char *path, char *err, size_t errlen)
{
	struct vxg_config *nc = NULL, *oc;
	struct vxg_gen *g, *old;
	int ret;

	ret = vxg_config_load(path ? path : d->cfg->path, &nc, err, errlen);
	if (ret == 0)
		ret = daemon_check_interfaces(d, nc, err, errlen);
	if (ret < 0)
		goto err;
	g = vxg_gen_build(nc, d->ifs, d->n_ifs, d->gen_id + 1, d->fdb, d->neigh);
	if (g == NULL) {
		snprintf(err, errlen, "cannot build generation: out of memory");
		ret = -ENOMEM;
		goto err;
	}
	d->gen_id++;
	old = d->gen;
	d->gen = g;
	ret = vxg_gen_publish(&d->pub, g, old, VXG_PUBLISH_TIMEOUT_MS);
	/* After the publish: a port that moved is static at its new place from now on. */
	if (vxg_fdb_sync_static(d->fdb, nc, d->ifs, (uint32_t)g->id) < 0 && ret == 0) {
		snprintf(err, errlen, "the FDB is full: some ports are not static entries");
		ret = -ENOSPC;
	}
	pthread_mutex_lock(&d->lock);
	oc = d->cfg;
	d->cfg = nc;
	d->loaded_at = time(NULL);
	pthread_mutex_unlock(&d->lock);
	vxg_config_free(oc);
	daemon_neigh_want(d);
	daemon_apply_mtus(d);
	d->reloads_ok++;
	if (ret == -ETIMEDOUT)
		snprintf(err, errlen,
			"generation %lu published, but a worker has not taken it "
			"yet",
			(unsigned long)g->id);
	return 0;
err:
	vxg_config_free(nc);
	d->reloads_failed++;
	return ret;
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

/* FDB ageing: a slice of the table per tick, so a big table costs no long pause. */
static void
daemon_age(struct vxg_daemon *d)
{
	uint64_t now = rte_get_timer_cycles();

	if (d->fdb == NULL || now - d->age_tsc < rte_get_timer_hz() / 10)
		return;
	d->age_tsc = now;
	/* Without a vtep: section, access-learned MACs age with the default 300 s. */
	d->fdb_aged += vxg_fdb_age(
		d->fdb, d->cfg->vtep.enabled ? d->cfg->vtep.ageing : 300, vxg_fdb_now(), AGE_SLICE);
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
	d->punt.ctl_tx_full++;
	return -ENOBUFS;
}

/* Who we are on the port a frame came in on: its MAC, address and the VTEP address. */
static int
daemon_self(const struct vxg_daemon *d, uint16_t port_id, struct vxg_neigh_self *self)
{
	const struct vxg_gen *g = d->gen;
	uint8_t i = port_id < RTE_MAX_ETHPORTS ? g->if_of_port[port_id] : VXG_IF_NONE;

	if (i == VXG_IF_NONE)
		return -ENODEV;
	self->mac = g->ifs[i].mac;
	self->n_addrs = 0;
	self->addrs[self->n_addrs++] = g->ifs[i].addr;
	if (g->ifs[i].role == VXG_ROLE_UNDERLAY)
		self->addrs[self->n_addrs++] = g->vtep_addr;
	return 0;
}

/*
 * A neighbour the VTEP templates use resolved or changed: publish a generation built from
 * the same config with the new MACs. Rebuilding the whole generation is simple and
 * correct; neighbours change seldom.
 */
static void
daemon_regen(struct vxg_daemon *d)
{
	struct vxg_gen *g, *old;

	g = vxg_gen_build(d->cfg, d->ifs, d->n_ifs, d->gen_id + 1, d->fdb, d->neigh);
	if (g == NULL) {
		d->punt.regen_failed++;
		return;
	}
	d->gen_id++;
	old = d->gen;
	d->gen = g;
	vxg_gen_publish(&d->pub, g, old, VXG_PUBLISH_TIMEOUT_MS);
	d->punt.regens++;
}

static void
daemon_probe(unsigned ifi, rte_be32_t ip, void *arg)
{
	struct vxg_daemon *d = arg;
	const struct vxg_gen_if *gi = &d->gen->ifs[ifi];
	rte_be32_t sip = gi->addr != 0 ? gi->addr : d->gen->vtep_addr;
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);

	if (m == NULL || vxg_arp_request(m, &gi->mac, sip, ip) < 0) {
		rte_pktmbuf_free(m);
		d->punt.ctl_tx_full++;
		return;
	}
	if (vxg_ctl_tx(d, gi->port_id, m) == 0)
		d->punt.arp_requests_tx++;
}

static void
daemon_neigh_timers(struct vxg_daemon *d)
{
	uint64_t now = daemon_now_ms();

	if (now - d->neigh_ms < 100)
		return;
	d->neigh_ms = now;
	if (vxg_neigh_timers(d->neigh, now, daemon_probe, d) > 0)
		daemon_regen(d);
}

/* RFC 826 merge: any ARP updates a known sender; one addressed to us also creates it. */
static void
daemon_learn(struct vxg_daemon *d, uint16_t port_id, rte_be32_t sip,
	const struct rte_ether_addr *smac, bool create)
{
	uint8_t ifi = d->gen->if_of_port[port_id];
	int ret;

	if (sip == 0 || ifi == VXG_IF_NONE)
		return;
	ret = vxg_neigh_learn(d->neigh, ifi, sip, smac, create, daemon_now_ms());
	if (ret < 0)
		d->punt.neigh_full++;
	else if (ret > 0 && vxg_neigh_lookup(d->neigh, ifi, sip)->wanted)
		daemon_regen(d);
}

static void
daemon_punt_one(struct vxg_daemon *d, struct rte_mbuf *m)
{
	struct vxg_neigh_self self;
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	if (daemon_self(d, m->port, &self) < 0)
		goto drop;
	switch (vxg_neigh_answer(m, &self, &sip, &smac)) {
	case VXG_PUNT_ARP_REQUEST:
		d->punt.arp_requests_rx++;
		daemon_learn(d, m->port, sip, &smac, true);
		if (vxg_ctl_tx(d, m->port, m) == 0)
			d->punt.arp_replies_tx++;
		return;
	case VXG_PUNT_ARP_REPLY:
		d->punt.arp_replies_rx++;
		daemon_learn(d, m->port, sip, &smac, false);
		goto drop;
	case VXG_PUNT_ICMP_ECHO:
		d->punt.icmp_echo_rx++;
		if (vxg_ctl_tx(d, m->port, m) == 0)
			d->punt.icmp_echo_replies_tx++;
		return;
	case VXG_PUNT_IGNORED:
		daemon_learn(d, m->port, sip, &smac, false);
		break;
	}
drop:
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

void
vxg_daemon_tick(struct vxg_daemon *d)
{
	struct rte_mbuf *pkts[32];
	unsigned n;

	vxg_gen_reclaim(&d->pub);
	while ((n = rte_ring_dequeue_burst(d->punt_ring, (void **)pkts, RTE_DIM(pkts), NULL))) {
		for (unsigned i = 0; i < n; i++)
			daemon_punt_one(d, pkts[i]);
	}
	daemon_neigh_timers(d);
	if (d->opt.replay)
		daemon_replay_check(d);
	daemon_age(d);
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
	vxg_fdb_destroy(d->fdb);
	d->fdb = NULL;
	vxg_neigh_table_destroy(d->neigh);
	d->neigh = NULL;
	/* The telemetry thread may be in a callback: it sees either all or nothing. */
	pthread_mutex_lock(&d->lock);
	vxg_ports_fini(d->ifs, d->n_ifs);
	d->n_ifs = 0;
	for (unsigned i = 0; i < d->n_workers; i++) {
		if (d->workers[i] == NULL)
			continue;
		rte_ring_free(d->workers[i]->ctl_ring);
		rte_ring_free(d->workers[i]->inject_ring);
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

void
vxg_daemon_worker_stats(const struct vxg_daemon *d, unsigned i, struct vxg_worker_stats *s)
{
	const struct vxg_worker_stats *cur = &d->workers[i]->stats, *b = &d->base[i];

	s->rx = cur->rx - b->rx;
	s->tx = cur->tx - b->tx;
	s->punted = cur->punted - b->punted;
	s->iterations = cur->iterations - b->iterations;
	s->busy_cycles = cur->busy_cycles - b->busy_cycles;
	s->idle_cycles = cur->idle_cycles - b->idle_cycles;
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		s->drops[r] = cur->drops[r] - b->drops[r];
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		s->events[e] = cur->events[e] - b->events[e];
}

void
vxg_daemon_stats_total(const struct vxg_daemon *d, struct vxg_worker_stats *t)
{
	struct vxg_worker_stats s;

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < d->n_workers; i++) {
		vxg_daemon_worker_stats(d, i, &s);
		t->rx += s.rx;
		t->tx += s.tx;
		t->punted += s.punted;
		t->iterations += s.iterations;
		t->busy_cycles += s.busy_cycles;
		t->idle_cycles += s.idle_cycles;
		for (unsigned r = 0; r < VXG_DROP_MAX; r++)
			t->drops[r] += s.drops[r];
		for (unsigned e = 0; e < VXG_EV_MAX; e++)
			t->events[e] += s.events[e];
	}
}

void
vxg_daemon_clear_stats(struct vxg_daemon *d)
{
	for (unsigned i = 0; i < d->n_workers; i++)
		d->base[i] = d->workers[i]->stats;
	for (unsigned i = 0; i < d->n_ifs; i++)
		rte_eth_stats_reset(d->ifs[i].port_id);
}
