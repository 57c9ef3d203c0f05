/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security groups feature's registration and the state it keeps across generations:
 * conntrack tables per VPC (attached to each new generation, pruned once it is live,
 * aged), the per-port counters of new ports, and the rule hits carried over reloads.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "l2/l2_feature.h"
#include "sg/conntrack.h"
#include "sg/conntrack6.h"
#include "sg/sg_acl6.h"
#include "sg/sg_feature.h"
#include "sg/sg_hits.h"
#include "sg/sg_config.h"

#define CT_TABLES_MAX 1024
/* Conntrack positions the ager looks at per run (ten runs a second). */
#define AGE_SLICE 65536
#define AGE_EVERY_MS 100

/* Thread-safety: control thread only. */
static struct {
	/* per VPC with security groups, survive reloads; a reload that changes
	 * its size (limits.conntrack) replaces one with a copy of the new size (both are here
	 * until the generation using the new one is live) */
	struct vxg_ct *ct[CT_TABLES_MAX];
	unsigned n_ct;
	uint64_t age_ms; /* when the ager last ran */
	struct vxg_sg_stats stats;
	/* [VPC of the live generation][ref]: hits of its rules counted in earlier
	 * generations, for the rules a reload kept unchanged; NULL: none */
	uint64_t **hits_base;
	unsigned n_hits_base;
} sg;

struct vxg_ct *
vxg_sg_conntrack(const char *vpc)
{
	for (unsigned i = sg.n_ct; i-- > 0;)
		if (strcmp(sg.ct[i]->name, vpc) == 0)
			return sg.ct[i];
	return NULL;
}

struct vxg_ct *
vxg_sg_conntrack_at(unsigned i)
{
	return i < sg.n_ct ? sg.ct[i] : NULL;
}

const struct vxg_sg_stats *
vxg_sg_stats(void)
{
	return &sg.stats;
}

unsigned
vxg_sg_hits_base(uint64_t *const **base)
{
	*base = sg.hits_base;
	return sg.n_hits_base;
}

/*
 * A conntrack table of `limit` entries for VPC `name`, in sg.ct from now on: empty, or
 * holding what fits of old's connections (old stays in sg.ct, and in use, until the
 * generation that points at the new one is live: sg_ct_prune).
 */
static struct vxg_ct *
sg_ct_new(struct vxg_daemon *d, const char *name, const struct vxg_ct *old, uint32_t limit,
	char *err, size_t errlen)
{
	uint32_t dropped = 0;
	struct vxg_ct *ct;

	if (sg.n_ct == RTE_DIM(sg.ct)) {
		snprintf(err, errlen, "vpc %s: more than %zu VPCs with security groups", name,
			RTE_DIM(sg.ct));
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
			"(limits.conntrack): %s",
			name, limit, rte_strerror(rte_errno));
		return NULL;
	}
	sg.stats.resize_pending += dropped;
	sg.ct[sg.n_ct++] = ct;
	return ct;
}

/* Does VPC v carry IPv6: a dual-stack network, or an IPv6 rule? Its conntrack table then
 * gets its IPv6 half. */
static bool
sg_vpc_has_ip6(const struct vxg_vpc_cfg *v)
{
	for (unsigned i = 0; i < v->n_networks; i++)
		if (v->networks[i].ip6.enabled)
			return true;
	for (unsigned i = 0; i < v->n_sgs; i++)
		for (unsigned r = 0; r < v->sgs[i].n_rules; r++)
			if (vxg_rule_is6(&v->sgs[i].rules[r]))
				return true;
	return false;
}

/*
 * Give each VPC of g with security groups its conntrack table: the one it had, or a new
 * one of the new size with its connections when its size (the VPC's limits.conntrack,
 * else dataplane.limits.conntrack) changed, or a new empty one on first use.
 */
static int
sg_ct_attach(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const char *name = cfg->vpcs[v].name;
		uint32_t limit = vxg_vpc_conntrack(cfg, v);
		struct vxg_ct *ct;

		if (g->vpcs[v].sg.n_refs == 0)
			continue;
		ct = vxg_sg_conntrack(name);
		if (ct == NULL || ct->limit != limit)
			ct = sg_ct_new(d, name, ct, limit, err, errlen);
		if (ct == NULL)
			return -ENOMEM;
		if (sg_vpc_has_ip6(&cfg->vpcs[v]) && vxg_ct_enable_v6(ct) < 0) {
			snprintf(err, errlen,
				"vpc %s: cannot create its IPv6 conntrack table of %u entries "
				"(limits.conntrack): %s",
				name, limit, rte_strerror(rte_errno));
			return -ENOMEM;
		}
		g->vpcs[v].ct = ct;
	}
	return 0;
}

/* Conntrack tables that g does not use (VPC without groups any more, replaced by a table
 * of another size, or never published): after g is live. g NULL: all of them. */
static void
sg_ct_prune(struct vxg_daemon *d, const struct vxg_gen *g)
{
	struct vxg_ct *gone[CT_TABLES_MAX];
	unsigned k = 0, n_gone = 0;

	for (unsigned i = 0; i < sg.n_ct; i++) {
		bool used = false;

		for (unsigned v = 0; g != NULL && v < g->n_vpcs && !used; v++)
			used = g->vpcs[v].ct == sg.ct[i];
		if (used)
			sg.ct[k++] = sg.ct[i];
		else
			gone[n_gone++] = sg.ct[i];
	}
	sg.n_ct = k;
	if (n_gone > 0)
		vxg_daemon_quiesce(d);
	for (unsigned i = 0; i < n_gone; i++)
		vxg_ct_destroy(gone[i]);
}

/*
 * Slots that g gives to ports the generation before did not have start their security
 * group counters from zero. No worker writes them: the live generation has no port there.
 */
static void
sg_lport_ctr_reset(struct vxg_daemon *d, const struct vxg_gen *g)
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

static int
sg_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	/* a rebuild of the live config (a neighbour, an EVPN flood set): its classifiers */
	struct vxg_gen *same = cfg == d->cfg ? d->gen : NULL;
	char why[512] = "out of memory";
	int ret;

	if ((ret = vxg_sg_build(g, cfg, d->ifs, vxg_l2_fdb(), same, why, sizeof(why))) < 0) {
		snprintf(err, errlen, "%s%s", VXG_GEN_BUILD_ERR, why);
		return ret;
	}
	sg.stats.resize_pending = 0;
	if ((ret = sg_ct_attach(d, g, cfg, err, errlen)) < 0)
		return ret;
	sg_lport_ctr_reset(d, g);
	return 0;
}

/* The tables made for g were never published: no worker has seen them. Classifiers g
 * took over from the live generation go back to it. */
static void
sg_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	for (unsigned v = 0;
		d->gen != NULL && g->vpcs != NULL && v < g->n_vpcs && v < d->gen->n_vpcs; v++) {
		struct vxg_sg_vpc *live = &d->gen->vpcs[v].sg, *mine = &g->vpcs[v].sg;

		if (live->lent && live->acl[0] == mine->acl[0] && live->acl[1] == mine->acl[1] &&
			live->refs == mine->refs) {
			live->lent = false;
			mine->lent = true;
		}
	}
	sg_ct_prune(d, d->gen);
	sg.stats.resize_pending = 0;
}

/*
 * g is live: the hits of the rules it keeps carry over (a worker that took longer than
 * the publish timeout may have a few more hits in old, which are lost), and the tables
 * it no longer uses go.
 */
static void
sg_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	uint64_t **base = NULL;

	if (vxg_sg_hits_carry(&base, g, cfg, old, ocfg, sg.hits_base, sg.n_hits_base, d->workers,
		    d->n_workers) < 0)
		base = NULL; /* out of memory: the hits start again from zero */
	vxg_sg_hits_base_free(sg.hits_base, sg.n_hits_base);
	sg.hits_base = base;
	sg.n_hits_base = base != NULL ? g->n_vpcs : 0;
	sg_ct_prune(d, g);
	sg.stats.resize_dropped += sg.stats.resize_pending;
}

/* Ageing: a slice of each table per run, so a big table costs no long pause. */
static void
sg_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (now_ms - sg.age_ms < AGE_EVERY_MS)
		return;
	sg.age_ms = now_ms;
	for (unsigned i = 0; i < sg.n_ct; i++)
		sg.stats.ct_aged += vxg_ct_age(sg.ct[i], vxg_ct_now(), AGE_SLICE);
}

static void
sg_fini(struct vxg_daemon *d)
{
	vxg_sg_hits_base_free(sg.hits_base, sg.n_hits_base);
	sg.hits_base = NULL;
	sg.n_hits_base = 0;
	for (unsigned i = 0; i < sg.n_ct; i++)
		vxg_ct_destroy(sg.ct[i]);
	sg.n_ct = 0;
}

/* show memory: the conntrack tables, and the port slots: per generation the ports by
 * slot, per worker their security group counters; port security's address tables. */
static unsigned
sg_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	uint64_t slot = sizeof(struct vxg_gen_lport) + d->n_workers * sizeof(struct vxg_lport_ctr);
	const struct vxg_gen *g = d->gen;
	uint64_t ct = 0;

	for (unsigned i = 0; i < sg.n_ct; i++)
		ct += vxg_ct_memsize(sg.ct[i]);
	rows[0] = (struct vxg_mem_row){"conntrack", ct, -1};
	rows[1] = (struct vxg_mem_row){"port slots", VXG_LPORT_MAX * slot, -1};
	if (g == NULL)
		return 2;
	rows[2] = (struct vxg_mem_row){"port addresses (IPv4)",
		g->n_lp_addrs * sizeof(struct vxg_lport_addr), g->n_lp_addrs};
	rows[3] = (struct vxg_mem_row){"port addresses (IPv6)",
		g->n_lp_addrs6 * sizeof(struct vxg_lport_addr6), g->n_lp_addrs6};
	return 4;
}

/* Per VPC with security groups and per address family: its conntrack table's use against
 * its size. One family each with a label `family`, so that a sum over it is the VPC's
 * whole; the IPv6 table (as big as the IPv4 one) shows once the VPC has IPv6. */
static unsigned
sg_metrics_family(
	const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max, unsigned n, bool limit)
{
	static const char help[] = "Connections in the VPC's conntrack table of the family";
	static const char help_limit[] =
		"Size of the VPC's conntrack table of the family (limits.conntrack)";
	const char *name = limit ? "vxgate_conntrack_entries_limit" : "vxgate_conntrack_entries";

	for (unsigned i = 0; i < d->cfg->n_vpcs; i++) {
		const char *vpc = d->cfg->vpcs[i].name;
		const struct vxg_ct *ct = vxg_sg_conntrack(vpc);

		if (ct == NULL)
			continue;
		n = vxg_metric_add(rows, max, n, name, limit ? help_limit : help,
			limit ? ct->limit : vxg_ct_count(ct), "vpc", vpc, "family", "ipv4", NULL);
		if (ct->v6 != NULL)
			n = vxg_metric_add(rows, max, n, name, limit ? help_limit : help,
				limit ? ct->limit : vxg_ct6_count(ct), "vpc", vpc, "family", "ipv6",
				NULL);
	}
	return n;
}

static unsigned
sg_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	return sg_metrics_family(d, rows, max, sg_metrics_family(d, rows, max, 0, false), true);
}

/* After vxlan and l3: groups apply on switched and routed traffic, and port slots come
 * from the FDB (l2). */
static struct vxg_feature sg_feature = {
	.name = "sg",
	.order = 500,
	.fini = sg_fini,
	.build = sg_build,
	.abort = sg_abort,
	.gen_free = vxg_sg_gen_free,
	.published = sg_published,
	.tick = sg_tick,
	.memory = sg_memory,
	.metrics = sg_metrics,
};

VXG_FEATURE_REGISTER(sg_feature)
