/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's life: mbuf pool, workers and their rings, publishing generations on start
 * and reload, the per-VPC conntrack and NAT tables a generation points at, the timers
 * (ageing, neighbours, gratuitous ARP), and the handling of every frame workers punt.
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
#include "l3/router_neigh.h"
#include "nat/nat_config.h"
#include "nat/nat_table.h"
#include "sg/sg_hits.h"

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
	/* ICMP errors: 1000/s per worker, bursts of 100 (traceroute's probes fit). */
	vxg_ratelimit_init(&w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
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
	/* External interfaces' gateways: the routers' default routes go there. */
	for (unsigned i = 0; i < d->cfg->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &d->cfg->interfaces[i];

		if (ic->role == VXG_ROLE_EXTERNAL && ic->gateway != 0)
			daemon_want_nexthop(d, i, ic->gateway, now);
	}
	if (!vx->enabled)
		return;
	for (unsigned i = 0; i < vx->n_vteps; i++)
		daemon_want_nexthop(d, ul, rte_be_to_cpu_32(vx->vteps[i].nexthop), now);
	if (d->cfg->interfaces[ul].gateway != 0)
		daemon_want_nexthop(d, ul, d->cfg->interfaces[ul].gateway, now);
}

/* The conntrack table of VPC `name`, or NULL; the newest while a resize is in flight. */
struct vxg_ct *
vxg_daemon_ct(const struct vxg_daemon *d, const char *name)
{
	for (unsigned i = d->n_ct; i-- > 0;)
		if (strcmp(d->ct[i]->name, name) == 0)
			return d->ct[i];
	return NULL;
}

/*
 * A conntrack table of `limit` entries for VPC `name`, in d->ct from now on: empty, or
 * holding what fits of old's connections (old stays in d->ct, and in use, until the
 * generation that points at the new one is live: daemon_ct_prune).
 */
static struct vxg_ct *
daemon_ct_new(struct vxg_daemon *d, const char *name, const struct vxg_ct *old, uint32_t limit,
	char *err, size_t errlen)
{
	uint32_t dropped = 0;
	struct vxg_ct *ct;

	if (d->n_ct == RTE_DIM(d->ct)) {
		snprintf(err, errlen, "vpc %s: more than %zu VPCs with security groups", name,
			RTE_DIM(d->ct));
		return NULL;
	}
	/* Connections workers open in old from here until the publish are not copied (their
	 * next packets are classified again as new ones in the new table), nor are state
	 * changes made meanwhile (the copy goes on from the state it had). */
	ct = old == NULL ? vxg_ct_create_table(name, limit, d->qsbr)
			 : vxg_ct_resize(old, limit, vxg_ct_now(), &dropped);
	if (ct == NULL) {
		snprintf(err, errlen,
			"vpc %s: cannot create its conntrack table of %u entries "
			"(dataplane.limits.conntrack): %s",
			name, limit, rte_strerror(rte_errno));
		return NULL;
	}
	d->ct_resize_pending += dropped;
	d->ct[d->n_ct++] = ct;
	return ct;
}

/*
 * Give each VPC of g with security groups its conntrack table: the one it had, or a new
 * one of the new size with its connections when dataplane.limits.conntrack changed, or
 * a new empty one on first use.
 */
static int
daemon_ct_attach(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	uint32_t limit = cfg->dataplane.limits.conntrack;

	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const char *name = cfg->vpcs[v].name;
		struct vxg_ct *ct;

		if (g->vpcs[v].sg.n_refs == 0)
			continue;
		ct = vxg_daemon_ct(d, name);
		if (ct == NULL || ct->limit != limit)
			ct = daemon_ct_new(d, name, ct, limit, err, errlen);
		if (ct == NULL)
			return -ENOMEM;
		g->vpcs[v].ct = ct;
	}
	return 0;
}

/*
 * Wait until no worker can still read a table of the generation before g (a publish
 * that timed out leaves a worker on it until its next pass).
 */
static void
daemon_quiesce(const struct vxg_daemon *d)
{
	if (d->qsbr != NULL && d->n_workers > 0)
		rte_rcu_qsbr_synchronize(d->qsbr, RTE_QSBR_THRID_INVALID);
}

/* Conntrack tables that g does not use (VPC without groups any more, replaced by a table
 * of another size, or never published): after g is live. g NULL: all of them. */
static void
daemon_ct_prune(struct vxg_daemon *d, const struct vxg_gen *g)
{
	struct vxg_ct *gone[VXG_CT_TABLES_MAX];
	unsigned k = 0, n_gone = 0;

	for (unsigned i = 0; i < d->n_ct; i++) {
		bool used = false;

		for (unsigned v = 0; g != NULL && v < g->n_vpcs && !used; v++)
			used = g->vpcs[v].ct == d->ct[i];
		if (used)
			d->ct[k++] = d->ct[i];
		else
			gone[n_gone++] = d->ct[i];
	}
	d->n_ct = k;
	if (n_gone > 0)
		daemon_quiesce(d);
	for (unsigned i = 0; i < n_gone; i++)
		vxg_ct_destroy(gone[i]);
}

struct vxg_nat_table *
vxg_daemon_nat(const struct vxg_daemon *d, const char *name)
{
	for (unsigned i = d->n_nat; i-- > 0;)
		if (strcmp(d->nat[i]->name, name) == 0)
			return d->nat[i];
	return NULL;
}

/*
 * A session table of `limit` sessions for VPC `name` and SNAT mapping nc, in d->nat from
 * now on: empty, or holding what fits of old's sessions (old has the same mapping; it
 * stays in d->nat, and in use, until the generation that points at the new one is live:
 * daemon_nat_prune).
 */
static struct vxg_nat_table *
daemon_nat_new(struct vxg_daemon *d, const char *name, const struct vxg_nat_cfg *nc,
	const struct vxg_nat_table *old, uint32_t limit, char *err, size_t errlen)
{
	struct vxg_nat_table *t;
	uint32_t dropped = 0;

	if (d->n_nat == RTE_DIM(d->nat)) {
		snprintf(
			err, errlen, "vpc %s: more than %zu session tables", name, RTE_DIM(d->nat));
		return NULL;
	}
	/* Sessions workers open in old from here until the publish are not copied (their
	 * replies miss, and the flow's next packet out opens a new session), nor are state
	 * changes made meanwhile. */
	t = old != NULL ? vxg_nat_table_resize(old, limit, vxg_ct_now(), &dropped)
			: vxg_nat_table_create(name, limit, rte_cpu_to_be_32(nc->snat),
				  nc->port_min, nc->port_max, (uint16_t)nc->interface, d->qsbr);
	if (t == NULL) {
		snprintf(err, errlen,
			"vpc %s: cannot create its NAT session table of %u entries "
			"(dataplane.limits.sessions): %s",
			name, limit, rte_strerror(rte_errno));
		return NULL;
	}
	d->nat_resize_pending += dropped;
	d->nat[d->n_nat++] = t;
	return t;
}

/*
 * Give each VPC of g with SNAT its session table: the one it had if the mapping (address,
 * port range, interface) is the same, or a new one of the new size with its sessions when
 * dataplane.limits.sessions changed; else a new empty one (the old one goes after the
 * publish, with its sessions).
 */
static int
daemon_nat_attach(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	uint32_t limit = cfg->dataplane.limits.sessions;

	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_nat_cfg *nc = &cfg->vpcs[v].nat;
		const char *name = cfg->vpcs[v].name;
		struct vxg_nat_table *t = NULL;

		if (nc->interface == VXG_NONE || nc->snat == 0)
			continue;
		for (unsigned i = d->n_nat; i-- > 0 && t == NULL;)
			if (strcmp(d->nat[i]->name, name) == 0 &&
				d->nat[i]->addr == rte_cpu_to_be_32(nc->snat) &&
				d->nat[i]->port_min == nc->port_min &&
				d->nat[i]->port_max == nc->port_max &&
				d->nat[i]->ifindex == nc->interface)
				t = d->nat[i];
		if (t == NULL || t->limit != limit)
			t = daemon_nat_new(d, name, nc, t, limit, err, errlen);
		if (t == NULL)
			return -ENOMEM;
		g->vpcs[v].nat.sess = t;
	}
	return 0;
}

/* Session tables that g does not use (mapping removed or changed, replaced by a table of
 * another size, or never published): after g is live. g NULL: all of them. */
static void
daemon_nat_prune(struct vxg_daemon *d, const struct vxg_gen *g)
{
	struct vxg_nat_table *gone[VXG_CT_TABLES_MAX];
	unsigned k = 0, n_gone = 0;

	for (unsigned i = 0; i < d->n_nat; i++) {
		bool used = false;

		for (unsigned v = 0; g != NULL && v < g->n_vpcs && !used; v++)
			used = g->vpcs[v].nat.sess == d->nat[i];
		if (used)
			d->nat[k++] = d->nat[i];
		else
			gone[n_gone++] = d->nat[i];
	}
	d->n_nat = k;
	if (n_gone > 0)
		daemon_quiesce(d);
	for (unsigned i = 0; i < n_gone; i++)
		vxg_nat_table_destroy(gone[i]);
}

/* Send one gratuitous ARP (a request for ip from ip, RFC 5227) out of interface ifi. */
static void
daemon_garp_send(struct vxg_daemon *d, unsigned ifi, rte_be32_t ip)
{
	const struct vxg_gen_if *gi = &d->gen->ifs[ifi];
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);

	if (m == NULL || vxg_arp_request(m, &gi->mac, ip, ip) < 0) {
		rte_pktmbuf_free(m);
		d->garp_skipped++;
		return;
	}
	if (vxg_ctl_tx(d, gi->port_id, m) == 0)
		d->garp_tx++;
}

/* Announce the NAT addresses of g that old did not have on the same interface for the
 * same VPC and fixed IP: new or moved. */
static void
daemon_garp_plan(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_gen *old)
{
	for (uint32_t i = 0; i < g->nat.n_addrs; i++) {
		const struct vxg_nat_addr *a = &g->nat.addrs[i];
		bool known = false;

		for (uint32_t j = 0; old != NULL && j < old->nat.n_addrs && !known; j++) {
			const struct vxg_nat_addr *b = &old->nat.addrs[j];

			known = b->ext == a->ext && b->ifindex == a->ifindex &&
				b->fixed == a->fixed && b->kind == a->kind &&
				strcmp(old->vpcs[b->vpc].name, g->vpcs[a->vpc].name) == 0;
		}
		if (known)
			continue;
		if (d->n_garp == RTE_DIM(d->garp)) {
			d->garp_skipped++;
			continue;
		}
		d->garp[d->n_garp].ip = a->ext;
		d->garp[d->n_garp].ifindex = a->ifindex;
		d->garp[d->n_garp++].left = VXG_GARP_COUNT;
	}
	d->garp_ms = 0; /* the first round at the next tick */
}

static void
daemon_garp_timers(struct vxg_daemon *d)
{
	uint64_t now = daemon_now_ms();
	unsigned k = 0;

	if (d->n_garp == 0 || now - d->garp_ms < 1000)
		return;
	d->garp_ms = now;
	for (unsigned i = 0; i < d->n_garp; i++) {
		if (d->garp[i].ifindex < d->gen->n_ifs)
			daemon_garp_send(d, d->garp[i].ifindex, d->garp[i].ip);
		if (--d->garp[i].left > 0)
			d->garp[k++] = d->garp[i];
	}
	d->n_garp = k;
}

/*
 * Slots that g gives to ports the generation before did not have start their security
 * group counters from zero. No worker writes them: the live generation has no port there.
 */
static void
daemon_lport_ctr_reset(struct vxg_daemon *d, const struct vxg_gen *g)
{
	const struct vxg_gen *old = d->gen;

	for (uint32_t s = 0; g->lports != NULL && s < g->n_lports; s++) {
		if (!(g->lports[s].flags & VXG_LP_DECLARED) ||
			(old != NULL && old->lports != NULL &&
				(old->lports[s].flags & VXG_LP_DECLARED)))
			continue;
		for (unsigned i = 0; i < d->n_workers; i++)
			memset(&d->workers[i]->lport_ctr[s], 0,
				sizeof(d->workers[i]->lport_ctr[s]));
	}
}

/*
 * Make g (built from cfg) the live generation in place of d->gen (built from ocfg). The
 * old one is kept until every worker has taken g, so that the hits of the security group
 * rules g keeps carry over (a worker that takes longer than the publish timeout may have
 * a few more hits in it, which are lost). Then tables g no longer uses go, after the
 * workers' quiescence. vxg_gen_publish's return.
 */
static int
daemon_publish(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_config *ocfg)
{
	struct vxg_gen *old = d->gen;
	uint64_t **base = NULL;
	int ret;

	d->gen = g;
	ret = vxg_gen_publish(&d->pub, g, NULL, VXG_PUBLISH_TIMEOUT_MS);
	if (ret == -ENOBUFS)
		return ret; /* some worker may never take g: old must stay (as before) */
	if (vxg_sg_hits_carry(&base, g, cfg, old, ocfg, d->sg_hits_base, d->n_sg_hits_base,
		    d->workers, d->n_workers) < 0)
		base = NULL; /* out of memory: the hits start again from zero */
	vxg_sg_hits_base_free(d->sg_hits_base, d->n_sg_hits_base);
	d->sg_hits_base = base;
	d->n_sg_hits_base = base != NULL ? g->n_vpcs : 0;
	vxg_gen_retire(&d->pub, old);
	vxg_gen_reclaim(&d->pub);
	daemon_ct_prune(d, g);
	daemon_nat_prune(d, g);
	d->ct_resize_dropped += d->ct_resize_pending;
	d->nat_resize_dropped += d->nat_resize_pending;
	return ret;
}

/* A generation of cfg with the daemon's tables; NULL with the reason in err. */
static struct vxg_gen *
daemon_gen_build(
	struct vxg_daemon *d, const struct vxg_config *cfg, uint64_t id, char *err, size_t errlen)
{
	char why[512];
	struct vxg_gen *g = vxg_gen_build_err(
		cfg, d->ifs, d->n_ifs, id, d->fdb, d->neigh, d->l3n, why, sizeof(why));

	if (g == NULL) {
		snprintf(err, errlen, "cannot build the generation: %s", why);
		return NULL;
	}
	d->ct_resize_pending = d->nat_resize_pending = 0;
	if (daemon_ct_attach(d, g, cfg, err, errlen) < 0 ||
		daemon_nat_attach(d, g, cfg, err, errlen) < 0) {
		vxg_gen_free(g);
		/* the tables made for g were never published: no worker has seen them */
		daemon_ct_prune(d, d->gen);
		daemon_nat_prune(d, d->gen);
		d->ct_resize_pending = d->nat_resize_pending = 0;
		return NULL;
	}
	daemon_lport_ctr_reset(d, g);
	return g;
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
	if ((ret = vxg_meta_register()) < 0) {
		snprintf(err, errlen, "cannot register the mbuf metadata field: %s",
			rte_strerror(-ret));
		return ret;
	}
	d->l3n = vxg_l3n_create(d->cfg->dataplane.limits.neighbours, d->qsbr);
	if (d->l3n == NULL) {
		snprintf(err, errlen,
			"cannot create the router neighbour table of %u entries "
			"(dataplane.limits.neighbours): %s",
			d->cfg->dataplane.limits.neighbours, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (vxg_l3n_sync_static(d->l3n, d->cfg, 1) < 0) {
		snprintf(
			err, errlen, "the ports' addresses do not fit dataplane.limits.neighbours");
		return -ENOSPC;
	}
	d->dhcp = vxg_dhcp_service_create(d->cfg, d->opt.state_dir, err, errlen);
	if (d->dhcp == NULL)
		return -ENOMEM;
	d->neigh = vxg_neigh_table_create(d->cfg->dataplane.limits.neighbours);
	if (d->neigh == NULL) {
		snprintf(err, errlen,
			"cannot create the neighbour table of %u entries "
			"(dataplane.limits.neighbours): out of memory",
			d->cfg->dataplane.limits.neighbours);
		return -ENOMEM;
	}
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
	if ((ret = vxg_gen_publish(&d->pub, d->gen, NULL, VXG_PUBLISH_TIMEOUT_MS)) < 0)
		goto err;
	daemon_garp_plan(d, d->gen, NULL);
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
	g = daemon_gen_build(d, nc, d->gen_id + 1, err, errlen);
	if (g == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	d->gen_id++;
	old = d->gen;
	daemon_garp_plan(d, g, old); /* before the publish, which may free old */
	ret = daemon_publish(d, g, nc, d->cfg);
	/* After the publish: a port that moved is static at its new place from now on. */
	if (vxg_fdb_sync_static(d->fdb, nc, d->ifs, (uint32_t)g->id) < 0 && ret == 0) {
		snprintf(err, errlen, "the FDB is full: some ports are not static entries");
		ret = -ENOSPC;
	}
	vxg_fdb_lport_sweep(d->fdb, (uint32_t)g->id);
	if (vxg_l3n_sync_static(d->l3n, nc, (uint32_t)g->id) < 0 && ret == 0) {
		snprintf(err, errlen,
			"the router neighbour table is full: some ports' addresses are not in it");
		ret = -ENOSPC;
	}
	if (vxg_dhcp_service_update(d->dhcp, nc) < 0 && ret == 0) {
		snprintf(err, errlen, "DHCP: out of memory; the servers keep the old config");
		ret = -ENOMEM;
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
	else if (ret == 0 && (d->ct_resize_pending > 0 || d->nat_resize_pending > 0))
		snprintf(err, errlen,
			"the new limits left out %lu connections (dataplane.limits.conntrack) "
			"and %lu NAT sessions (dataplane.limits.sessions) that did not fit",
			(unsigned long)d->ct_resize_pending, (unsigned long)d->nat_resize_pending);
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
	for (unsigned i = 0; i < d->n_ct; i++)
		d->ct_aged += vxg_ct_age(d->ct[i], vxg_ct_now(), AGE_SLICE);
	for (unsigned i = 0; i < d->n_nat; i++)
		d->nat_aged += vxg_nat_age(d->nat[i], vxg_ct_now(), AGE_SLICE);
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

/* Proxy ARP (and pings of the SNAT address): the NAT addresses of an external interface. */
static bool
daemon_nat_proxy(const void *arg, rte_be32_t ip)
{
	const struct vxg_gen_if *gi = arg;
	const struct vxg_gen *g = container_of(gi - gi->index, const struct vxg_gen, ifs[0]);

	return vxg_nat_is_proxy(g, gi->index, ip);
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
	self->proxy = NULL;
	if (g->ifs[i].role == VXG_ROLE_EXTERNAL && g->nat.n_addrs > 0) {
		self->proxy = daemon_nat_proxy;
		self->proxy_arg = &g->ifs[i];
	}
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
	struct vxg_gen *g;
	char err[256];

	g = daemon_gen_build(d, d->cfg, d->gen_id + 1, err, sizeof(err));
	if (g == NULL) {
		d->punt.regen_failed++;
		return;
	}
	d->gen_id++;
	daemon_publish(d, g, d->cfg, d->cfg);
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

/* ---- The VPC routers' control side -------------------------------------------------- */

/* Send m (Ethernet first, untagged) into network vni through worker 0's L2 output, as
 * sent by port `lport` (slot + 1; VXG_LPORT_SELF: vxgate itself) for the security
 * groups. */
static int
daemon_inject_net_from(struct vxg_daemon *d, uint32_t vni, struct rte_mbuf *m, uint16_t lport)
{
	m->port = VXG_INJECT_NET;
	vxg_meta(m)->vni = vni;
	vxg_meta(m)->lport = lport;
	if (d->n_workers > 0 && rte_ring_sp_enqueue(d->workers[0]->inject_ring, m) == 0)
		return 0;
	rte_pktmbuf_free(m);
	d->router.inject_full++;
	return -ENOBUFS;
}

static int
daemon_inject_net(struct vxg_daemon *d, uint32_t vni, struct rte_mbuf *m)
{
	return daemon_inject_net_from(d, vni, m, VXG_LPORT_SELF);
}

static const struct vxg_network_cfg *
daemon_net_cfg(const struct vxg_config *cfg, uint32_t vni)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			if (cfg->vpcs[v].networks[i].vni == vni)
				return &cfg->vpcs[v].networks[i];
	return NULL;
}

static bool
daemon_in_net(const struct vxg_network_cfg *nc, rte_be32_t ip)
{
	uint32_t mask = nc->cidr.len ? ~0u << (32 - nc->cidr.len) : 0;

	return nc->cidr.len != 0 && (rte_be_to_cpu_32(ip) & mask) == nc->cidr.addr;
}

/* A packet held for e goes now that e has a MAC. */
static void
daemon_held_send(struct rte_mbuf *m, const struct vxg_l3_neigh *e, void *arg)
{
	struct vxg_daemon *d = arg;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	eth->dst_addr = e->mac.mac;
	/* Still the sender's packet: its port's security groups apply. */
	if (daemon_inject_net_from(d, e->key.vni, m, vxg_meta(m)->lport) == 0)
		d->router.held_tx++;
}

/* ip is at mac in net: learn it, and send what waited for it. */
static void
daemon_router_learn(struct vxg_daemon *d, uint32_t vni, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create)
{
	struct vxg_l3_neigh *e;

	e = vxg_l3n_learn(d->l3n, vni, ip, mac, create, daemon_now_ms());
	if (e != NULL && e->mac.valid)
		vxg_l3n_flush(e, daemon_held_send, d);
}

/* An ARP request from a gateway (broadcast, or unicast to a stale entry's MAC). */
static void
daemon_router_probe(const struct vxg_l3_neigh *e, void *arg)
{
	struct vxg_daemon *d = arg;
	const struct vxg_gen_net *net = vxg_net_by_vni(&d->gen->vx, e->key.vni);
	struct rte_mbuf *m;

	if (net == NULL || !net->has_gw)
		return;
	m = rte_pktmbuf_alloc(d->pool);
	if (m == NULL || vxg_arp_request(m, &net->gw_mac, net->gw_ip, e->key.ip) < 0) {
		rte_pktmbuf_free(m);
		d->router.inject_full++;
		return;
	}
	if (e->state == VXG_L3N_STALE && e->mac.valid)
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = e->mac.mac;
	if (daemon_inject_net(d, e->key.vni, m) == 0)
		d->router.arp_requests_tx++;
}

static void
daemon_router_arp(struct vxg_daemon *d, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	const struct vxg_network_cfg *nc = daemon_net_cfg(d->cfg, net->vni);
	struct vxg_neigh_self self = {.mac = net->gw_mac, .n_addrs = 1, .addrs = {net->gw_ip}};
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;
	enum vxg_punt_kind k = vxg_neigh_answer(m, &self, &sip, &smac);
	/* Only senders inside the network are neighbours (no spoofing another subnet). */
	bool ok = sip != 0 && nc != NULL && daemon_in_net(nc, sip);

	if (k == VXG_PUNT_ARP_REQUEST) {
		d->router.arp_requests_rx++;
		if (ok)
			daemon_router_learn(d, net->vni, sip, &smac, true);
		if (daemon_inject_net(d, net->vni, m) == 0)
			d->router.arp_replies_tx++;
		return;
	}
	if (k == VXG_PUNT_ARP_REPLY)
		d->router.arp_replies_rx++;
	if (ok)
		daemon_router_learn(d, net->vni, sip, &smac, false);
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

/* IPv4 to a gateway address: echo replies, and port unreachable for other UDP. */
static void
daemon_router_local(struct vxg_daemon *d, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	struct vxg_neigh_self self = {.mac = net->gw_mac, .n_addrs = 1, .addrs = {ip->dst_addr}};
	struct rte_ether_hdr *eth;
	rte_be32_t sip = 0;
	struct rte_ether_addr smac;

	if (ip->next_proto_id == IPPROTO_ICMP) {
		d->router.icmp_echo_rx++;
		if (vxg_neigh_answer(m, &self, &sip, &smac) == VXG_PUNT_ICMP_ECHO) {
			if (daemon_inject_net(d, net->vni, m) == 0)
				d->router.icmp_echo_replies_tx++;
			return;
		}
	} else if (ip->next_proto_id == IPPROTO_UDP) {
		m->l2_len = RTE_ETHER_HDR_LEN;
		if (vxg_icmp_error(m, VXG_ICMP_DEST_UNREACH, 3 /* port */, 0,
			    rte_be_to_cpu_32(ip->dst_addr))) {
			eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
			eth->dst_addr = eth->src_addr;
			eth->src_addr = net->gw_mac;
			if (daemon_inject_net(d, net->vni, m) == 0)
				d->router.icmp_port_unreach_tx++;
			return;
		}
	}
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

static void
daemon_router_dhcp(struct vxg_daemon *d, struct rte_mbuf *m, uint32_t vni)
{
	struct vxg_dhcp_binding bound = {0};

	d->router.dhcp_rx++;
	if (vxg_dhcp_service_input(d->dhcp, vni, m, time(NULL), &bound) != 1) {
		rte_pktmbuf_free(m);
		d->punt_freed++;
		return;
	}
	if (bound.ip != 0)
		daemon_router_learn(d, vni, rte_cpu_to_be_32(bound.ip), &bound.mac, true);
	if (daemon_inject_net(d, vni, m) == 0)
		d->router.dhcp_tx++;
}

static void
daemon_router_miss(struct vxg_daemon *d, struct rte_mbuf *m, uint32_t vni, rte_be32_t nh)
{
	int ret;

	d->router.neigh_miss_rx++;
	ret = vxg_l3n_miss(d->l3n, vni, nh, m, daemon_now_ms());
	if (ret == 2) {
		daemon_held_send(m, vxg_l3n_lookup(d->l3n, vni, nh), d);
	} else if (ret == 1) {
		daemon_router_probe(vxg_l3n_lookup(d->l3n, vni, nh), d);
	}
}

/* A frame a worker punted from a VPC router (untagged, Ethernet first). */
static void
daemon_router_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	const struct vxg_meta meta = *vxg_meta(m);
	const struct vxg_gen_net *net = vxg_net_by_vni(&d->gen->vx, meta.vni);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (net == NULL || !net->has_gw || m->data_len < RTE_ETHER_HDR_LEN) {
		d->router.unknown_network++;
		rte_pktmbuf_free(m);
		return;
	}
	switch (meta.why) {
	case VXG_PUNT_DHCP:
		daemon_router_dhcp(d, m, meta.vni);
		return;
	case VXG_PUNT_NEIGH_MISS:
		daemon_router_miss(d, m, meta.vni, meta.nexthop);
		return;
	default:
		break;
	}
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		daemon_router_arp(d, m, net);
	else
		daemon_router_local(d, m, net);
}

static void
daemon_router_timers(struct vxg_daemon *d)
{
	uint64_t now = daemon_now_ms();

	if (now - d->l3n_ms < 200)
		return;
	d->l3n_ms = now;
	vxg_l3n_timers(d->l3n, now, daemon_router_probe, d);
	vxg_dhcp_service_tick(d->dhcp, time(NULL));
}

static void
daemon_punt_one(struct vxg_daemon *d, struct rte_mbuf *m)
{
	struct vxg_neigh_self self;
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	if (vxg_meta(m)->why != VXG_PUNT_UNDERLAY) {
		daemon_router_punt(d, m);
		return;
	}
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
	daemon_neigh_timers(d);
	daemon_router_timers(d);
	daemon_garp_timers(d);
	if (d->opt.replay)
		daemon_replay_check(d);
	daemon_age(d);
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
	vxg_sg_hits_base_free(d->sg_hits_base, d->n_sg_hits_base);
	d->sg_hits_base = NULL;
	d->n_sg_hits_base = 0;
	vxg_fdb_destroy(d->fdb);
	d->fdb = NULL;
	for (unsigned i = 0; i < d->n_ct; i++)
		vxg_ct_destroy(d->ct[i]);
	d->n_ct = 0;
	for (unsigned i = 0; i < d->n_nat; i++)
		vxg_nat_table_destroy(d->nat[i]);
	d->n_nat = 0;
	vxg_neigh_table_destroy(d->neigh);
	d->neigh = NULL;
	vxg_l3n_destroy(d->l3n);
	d->l3n = NULL;
	vxg_dhcp_service_destroy(d->dhcp);
	d->dhcp = NULL;
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
