/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NAT feature's registration and the state it keeps across generations: SNAT
 * session tables per VPC (attached to each new generation, pruned once it is live,
 * aged), the gratuitous ARPs that announce new or moved NAT addresses, and the port
 * forwards' counters carried across reloads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "core/log.h"
#include "config/fields.h"
#include "nat/nat_config.h"
#include "nat/nat_feature.h"
#include "sg/sg_feature.h"
#include "neigh/underlay_neigh.h"

#define NAT_TABLES_MAX 1024
/* Session positions the ager looks at per run (ten runs a second). */
#define AGE_SLICE 65536
#define AGE_EVERY_MS 100
#define GARP_MAX 4096
#define GARP_COUNT 3 /* per address, a second apart */
#define GARP_EVERY_MS 1000

/* Thread-safety: control thread only. */
static struct {
	/* per VPC with SNAT, kept across reloads while its mapping is unchanged; a change of
	 * its size (limits.sessions) replaces one with a copy of the new size (both are here
	 * until the generation using the new one is live) */
	struct vxg_nat_table *t[NAT_TABLES_MAX];
	unsigned n;
	uint64_t age_ms; /* when the ager last ran */
	/* Gratuitous ARP for NAT addresses that are new or moved: GARP_COUNT each. */
	struct {
		rte_be32_t ip;
		uint8_t ifindex;
		uint8_t left;
	} garp[GARP_MAX];
	unsigned n_garp;
	uint64_t garp_ms; /* when the last round went out */
	/* [forward of the live generation]: what the generations before it counted for the
	 * same rule; NULL: nothing (no forward, or none kept) */
	struct vxg_nat_fwd_ctr *fwd_base;
	uint32_t n_fwd_base;
	struct vxg_nat_stats stats;
} nat;

struct vxg_nat_table *
vxg_nat_sessions(const char *vpc)
{
	for (unsigned i = nat.n; i-- > 0;)
		if (strcmp(nat.t[i]->name, vpc) == 0)
			return nat.t[i];
	return NULL;
}

struct vxg_nat_table *
vxg_nat_sessions_at(unsigned i)
{
	return i < nat.n ? nat.t[i] : NULL;
}

const struct vxg_nat_stats *
vxg_nat_stats(void)
{
	return &nat.stats;
}

/* Add forward i's rows of map (every worker's) into sum. */
static void
nat_fwd_rows(const struct vxg_gen_nat_map *map, uint32_t i, struct vxg_nat_fwd_ctr *sum)
{
	for (uint32_t r = 0; r < map->ctr_rows; r++) {
		const struct vxg_nat_fwd_ctr *c = vxg_nat_fwd_ctr(map, r, i);

		sum->pkts += c->pkts;
		sum->bytes += c->bytes;
		sum->sess += c->sess;
	}
}

void
vxg_nat_fwd_total(const struct vxg_daemon *d, uint32_t i, struct vxg_nat_fwd_ctr *sum)
{
	memset(sum, 0, sizeof(*sum));
	if (nat.fwd_base != NULL && i < nat.n_fwd_base)
		*sum = nat.fwd_base[i];
	nat_fwd_rows(&d->gen->nat, i, sum);
}

/* Forward a of a generation of config ca is forward b of one of cb: the same rule. */
static bool
nat_fwd_same(const struct vxg_nat_fwd *a, const struct vxg_config *ca, const struct vxg_nat_fwd *b,
	const struct vxg_config *cb)
{
	return a->ext == b->ext && a->proto == b->proto && a->port_min == b->port_min &&
	       a->port_max == b->port_max && a->to == b->to && a->to_min == b->to_min &&
	       strcmp(ca->vpcs[a->vpc].name, cb->vpcs[b->vpc].name) == 0;
}

/*
 * g is live and no worker counts into old any more: each forward of g that old had too
 * starts from old's total (what nat.fwd_base held for it, and every worker's row), so a
 * reload that keeps a rule keeps its counters (show nat, the metrics), which only grow.
 */
static void
nat_fwd_carry(const struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_gen *old,
	const struct vxg_config *ocfg)
{
	const struct vxg_gen_nat_map *m = &g->nat;
	struct vxg_nat_fwd_ctr *base = NULL;
	uint32_t n_old = old != NULL ? old->nat.n_fwds : 0;

	if (m->n_fwds > 0 && n_old > 0) {
		base = calloc(m->n_fwds, sizeof(*base));
		if (base == NULL)
			VXG_LOG(LOG_WARNING,
				"port forward counters: out of memory, they start again");
	}
	for (uint32_t j = 0; base != NULL && j < m->n_fwds; j++) {
		/* the same index first: a rebuild, or a reload that changes no forward */
		uint32_t i = j < n_old ? j : 0;

		for (uint32_t k = 0; k < n_old; k++, i = (i + 1) % n_old) {
			if (!nat_fwd_same(&m->fwds[j], cfg, &old->nat.fwds[i], ocfg))
				continue;
			if (nat.fwd_base != NULL && i < nat.n_fwd_base)
				base[j] = nat.fwd_base[i];
			nat_fwd_rows(&old->nat, i, &base[j]);
			break;
		}
	}
	free(nat.fwd_base);
	nat.fwd_base = base;
	nat.n_fwd_base = base != NULL ? m->n_fwds : 0;
}

/*
 * A session table of `limit` sessions for VPC `name` and SNAT mapping nc, in nat.t from
 * now on: empty, or holding what fits of old's sessions (old has the same mapping; it
 * stays in nat.t, and in use, until the generation that points at the new one is live:
 * nat_prune).
 */
static struct vxg_nat_table *
nat_new(struct vxg_daemon *d, const char *name, const struct vxg_nat_cfg *nc,
	const struct vxg_nat_table *old, uint32_t limit, char *err, size_t errlen)
{
	struct vxg_nat_table *t;
	uint32_t dropped = 0;

	if (nat.n == RTE_DIM(nat.t)) {
		snprintf(err, errlen, "vpc %s: more than %zu session tables", name, RTE_DIM(nat.t));
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
			"(limits.sessions): %s",
			name, limit, rte_strerror(rte_errno));
		return NULL;
	}
	nat.stats.resize_pending += dropped;
	nat.t[nat.n++] = t;
	return t;
}

/* The table of VPC `name` with the same mapping (address, port range, interface). */
static struct vxg_nat_table *
nat_same_mapping(const char *name, const struct vxg_nat_cfg *nc)
{
	for (unsigned i = nat.n; i-- > 0;)
		if (strcmp(nat.t[i]->name, name) == 0 &&
			nat.t[i]->addr == rte_cpu_to_be_32(nc->snat) &&
			nat.t[i]->port_min == nc->port_min && nat.t[i]->port_max == nc->port_max &&
			nat.t[i]->ifindex == nc->interface)
			return nat.t[i];
	return NULL;
}

/*
 * Give each VPC of g with SNAT its session table: the one it had if the mapping is the
 * same, or a new one of the new size with its sessions when its size (the VPC's
 * limits.sessions, else dataplane.limits.sessions) changed; else a new empty one (the old
 * one goes after the publish, with its sessions).
 */
static int
nat_attach(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_nat_cfg *nc = &cfg->vpcs[v].nat;
		uint32_t limit = vxg_vpc_sessions(cfg, v);
		struct vxg_nat_table *t;

		if (nc->interface == VXG_NONE || (nc->snat == 0 && nc->n_fwds == 0))
			continue;
		t = nat_same_mapping(cfg->vpcs[v].name, nc);
		if (t == NULL || t->limit != limit)
			t = nat_new(d, cfg->vpcs[v].name, nc, t, limit, err, errlen);
		if (t == NULL)
			return -ENOMEM;
		g->vpcs[v].nat.sess = t;
	}
	return 0;
}

/* Session tables that g does not use (mapping removed or changed, replaced by a table of
 * another size, or never published): after g is live. g NULL: all of them. */
static void
nat_prune(struct vxg_daemon *d, const struct vxg_gen *g)
{
	struct vxg_nat_table *gone[NAT_TABLES_MAX];
	unsigned k = 0, n_gone = 0;

	for (unsigned i = 0; i < nat.n; i++) {
		bool used = false;

		for (unsigned v = 0; g != NULL && v < g->n_vpcs && !used; v++)
			used = g->vpcs[v].nat.sess == nat.t[i];
		if (used)
			nat.t[k++] = nat.t[i];
		else
			gone[n_gone++] = nat.t[i];
	}
	nat.n = k;
	if (n_gone > 0)
		vxg_daemon_quiesce(d);
	for (unsigned i = 0; i < n_gone; i++)
		vxg_nat_table_destroy(gone[i]);
}

/* Send one gratuitous ARP (a request for ip from ip, RFC 5227) out of interface ifi. */
static void
nat_garp_send(struct vxg_daemon *d, unsigned ifi, rte_be32_t ip)
{
	const struct vxg_gen_if *gi = &d->gen->ifs[ifi];
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);

	if (m == NULL || vxg_arp_request(m, &gi->mac, ip, ip) < 0) {
		rte_pktmbuf_free(m);
		nat.stats.garp_skipped++;
		return;
	}
	if (vxg_ctl_tx(d, gi->port_id, m) == 0)
		nat.stats.garp_tx++;
}

/* Announce the NAT addresses of g that old did not have on the same interface for the
 * same VPC and fixed IP: new or moved. */
static void
nat_garp_plan(const struct vxg_gen *g, const struct vxg_gen *old)
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
		if (nat.n_garp == RTE_DIM(nat.garp)) {
			nat.stats.garp_skipped++;
			continue;
		}
		nat.garp[nat.n_garp].ip = a->ext;
		nat.garp[nat.n_garp].ifindex = a->ifindex;
		nat.garp[nat.n_garp++].left = GARP_COUNT;
	}
	nat.garp_ms = 0; /* the first round at the next tick */
}

static void
nat_garp_timers(struct vxg_daemon *d, uint64_t now_ms)
{
	unsigned k = 0;

	if (nat.n_garp == 0 || now_ms - nat.garp_ms < GARP_EVERY_MS)
		return;
	nat.garp_ms = now_ms;
	for (unsigned i = 0; i < nat.n_garp; i++) {
		if (nat.garp[i].ifindex < d->gen->n_ifs)
			nat_garp_send(d, nat.garp[i].ifindex, nat.garp[i].ip);
		if (--nat.garp[i].left > 0)
			nat.garp[k++] = nat.garp[i];
	}
	nat.n_garp = k;
}

static int
nat_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	char why[512] = "out of memory";
	int ret;

	if ((ret = vxg_nat_build(g, cfg, why, sizeof(why))) < 0) {
		snprintf(err, errlen, "%s%s", VXG_GEN_BUILD_ERR, why);
		return ret;
	}
	nat.stats.resize_pending = 0;
	return nat_attach(d, g, cfg, err, errlen);
}

/* The tables made for g were never published: no worker has seen them. */
static void
nat_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	nat_prune(d, d->gen);
	nat.stats.resize_pending = 0;
}

/* Is forward session s (of gen VPC nat) no longer its rule's: the rule gone, or now
 * pointing elsewhere? */
static bool
nat_fwd_gone(const struct vxg_nat_sess *s, void *arg)
{
	const struct vxg_gen *g = arg;
	const struct vxg_gen_nat *gn = NULL;
	const struct vxg_nat_fwd *f;
	uint16_t port = rte_be_to_cpu_16(s->ext_port);
	int32_t r;

	if (!(s->flags & VXG_NAT_F_FWD))
		return false;
	for (unsigned v = 0; v < g->n_vpcs && gn == NULL; v++)
		if (g->vpcs[v].nat.sess != NULL && g->vpcs[v].nat.sess->sess <= s &&
			s < g->vpcs[v].nat.sess->sess + g->vpcs[v].nat.sess->n_sess)
			gn = &g->vpcs[v].nat;
	if (gn == NULL)
		return true;
	r = vxg_nat_fwd_find(&g->nat, gn->fwd_first, gn->fwd_n, s->ext_addr, s->out.proto, port);
	if (r < 0)
		return true;
	f = &g->nat.fwds[r];
	return f->to != s->out.src ||
	       rte_be_to_cpu_16(s->out.sport) != f->to_min + (port - f->port_min);
}

/* g is live: sessions of forwards it no longer has go. */
static void
nat_fwd_prune(const struct vxg_gen *g)
{
	for (unsigned v = 0; v < g->n_vpcs; v++)
		if (g->vpcs[v].nat.sess != NULL)
			nat.stats.fwd_removed +=
				vxg_nat_delete_if(g->vpcs[v].nat.sess, nat_fwd_gone, (void *)g);
}

/* g is live: tables it no longer uses go; addresses of a new config (or the first) that
 * are new or moved are announced. A rebuild of the same config moves none. */
static void
nat_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	if (cfg != ocfg) {
		nat_garp_plan(g, old);
		nat_fwd_prune(g);
	}
	nat_fwd_carry(g, cfg, old, ocfg);
	nat_prune(d, g);
	nat.stats.resize_dropped += nat.stats.resize_pending;
}

/* The reload's note when smaller limits left connections or sessions out. */
static int
nat_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	uint64_t ct = vxg_sg_stats()->resize_pending;

	if (ct == 0 && nat.stats.resize_pending == 0)
		return 0;
	snprintf(err, errlen,
		"the new limits left out %lu connections (limits.conntrack) "
		"and %lu NAT sessions (limits.sessions) that did not fit",
		(unsigned long)ct, (unsigned long)nat.stats.resize_pending);
	return 1;
}

static void
nat_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	nat_garp_timers(d, now_ms);
	if (now_ms - nat.age_ms < AGE_EVERY_MS)
		return;
	nat.age_ms = now_ms;
	for (unsigned i = 0; i < nat.n; i++)
		nat.stats.aged += vxg_nat_age(nat.t[i], vxg_ct_now(), AGE_SLICE);
}

static void
nat_fini(struct vxg_daemon *d)
{
	for (unsigned i = 0; i < nat.n; i++)
		vxg_nat_table_destroy(nat.t[i]);
	nat.n = 0;
	nat.n_garp = 0;
	free(nat.fwd_base);
	nat.fwd_base = NULL;
	nat.n_fwd_base = 0;
}

/* show memory: the SNAT session tables. */
static unsigned
nat_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < nat.n; i++)
		bytes += vxg_nat_memsize(nat.t[i]);
	rows[0] = (struct vxg_mem_row){"nat sessions", bytes, -1};
	return 1;
}

/* Per port forward of the live generation: packets, bytes and sessions since its rule
 * appeared (kept across reloads that keep it: counters that only grow). */
static unsigned
nat_fwd_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max, unsigned n)
{
	static const struct {
		const char *name, *help;
	} m[] = {
		{"vxgate_nat_forward_packets_total",
			"Packets of the port forward's sessions, both ways"},
		{"vxgate_nat_forward_bytes_total",
			"Bytes of the port forward's sessions, both ways"},
		{"vxgate_nat_forward_sessions_total", "Sessions the port forward opened"},
	};
	const struct vxg_gen_nat_map *map = &d->gen->nat;

	for (unsigned k = 0; k < RTE_DIM(m); k++)
		for (uint32_t i = 0; i < map->n_fwds; i++) {
			const struct vxg_nat_fwd *f = &map->fwds[i];
			struct vxg_nat_fwd_ctr c;
			uint64_t sum;
			char what[VXG_NAME_MAX], ip[20];

			vxg_nat_fwd_total(d, i, &c);
			sum = k == 0 ? c.pkts : k == 1 ? c.bytes : c.sess;
			vxg_endpoint_format(f->ext, NULL, 0, ip, sizeof(ip));
			snprintf(what, sizeof(what), "%s %s:%u",
				f->proto == IPPROTO_TCP ? "tcp" : "udp", ip, f->port_min);
			n = vxg_metric_add(rows, max, n, m[k].name, m[k].help, (double)sum, "vpc",
				d->cfg->vpcs[f->vpc].name, "forward", what, NULL);
		}
	return n;
}

/* Per VPC with SNAT: its session table's use against its size. */
static unsigned
nat_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->cfg->n_vpcs; i++) {
		const char *vpc = d->cfg->vpcs[i].name;
		const struct vxg_nat_table *t = vxg_nat_sessions(vpc);

		if (t != NULL)
			n = vxg_metric_add(rows, max, n, "vxgate_nat_sessions",
				"SNAT sessions in the VPC's session table", vxg_nat_count(t), "vpc",
				vpc, NULL);
	}
	for (unsigned i = 0; i < d->cfg->n_vpcs; i++) {
		const char *vpc = d->cfg->vpcs[i].name;
		const struct vxg_nat_table *t = vxg_nat_sessions(vpc);

		if (t != NULL)
			n = vxg_metric_add(rows, max, n, "vxgate_nat_sessions_limit",
				"Size of the VPC's session table (limits.sessions)", t->limit,
				"vpc", vpc, NULL);
	}
	return nat_fwd_metrics(d, rows, max, n);
}

/* After l3 (NAT is the routers' way out) and sg (sessions follow conntrack's states). */
static struct vxg_feature nat_feature = {
	.name = "nat",
	.order = 600,
	.fini = nat_fini,
	.build = nat_build,
	.abort = nat_abort,
	.gen_free = vxg_nat_gen_free,
	.published = nat_published,
	.reload = nat_reload,
	.tick = nat_tick,
	.arp_proxy = vxg_nat_is_proxy,
	.memory = nat_memory,
	.metrics = nat_metrics,
};

VXG_FEATURE_REGISTER(nat_feature)
