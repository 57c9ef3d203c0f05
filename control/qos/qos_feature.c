/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QoS feature (qos_feature.h): meter numbers and the attachments of each generation,
 * the workers' meters, and the division of the policies' rates between workers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "qos/qos_feature.h"
#include "qos/qos_share.h"
#include "vxg_qos.h"

#define DIVIDE_EVERY_MS 100
#define POOL_EVERY_MS 10 /* the pools of unused rate are filled this often */
#define POOL_DT_MAX_MS 1000

/* What makes a meter the same across generations: attachment, direction and policy. */
struct qos_ident {
	uint8_t kind, dir, action, dscp;
	char vpc[VXG_NAME_MAX], name[VXG_NAME_MAX], policy[VXG_NAME_MAX];
	uint64_t rate, burst; /* bits a second, bytes */
};

struct qos_meter {
	bool live; /* the live generation names it */
	bool pending; /* the generation being built names it */
	struct qos_ident id;
};

/* Thread-safety: control thread only. */
static struct {
	struct qos_meter m[VXG_QOS_METERS];
	unsigned n_workers;
	struct vxg_qos_meter *mt[RTE_MAX_LCORE];
	struct vxg_qos_pool *pool; /* shared; NULL with one worker */
	uint64_t conform_last[VXG_QOS_METERS]; /* conforming bytes at the last pool fill */
	uint64_t *last; /* [worker * VXG_QOS_METERS + id]: bytes at the last division */
	struct vxg_qos_att *atts, *next; /* live; being built */
	unsigned n_atts, n_next;
	uint64_t divide_ms, pool_ms;
	uint64_t token; /* QSBR token of the last flip of the profiles */
	bool flipped;
	struct vxg_qos_stats stats;
} qos;

const struct vxg_qos_att *
vxg_qos_atts(unsigned *n)
{
	*n = qos.n_atts;
	return qos.atts;
}

const struct vxg_qos_stats *
vxg_qos_stats(void)
{
	return &qos.stats;
}

const char *
vxg_qos_kind_name(unsigned kind)
{
	static const char *const names[] = {"port", "floating_ip", "snat"};

	return kind < RTE_DIM(names) ? names[kind] : "?";
}

void
vxg_qos_counters(const struct vxg_daemon *d, uint16_t id, uint64_t pkts[2], uint64_t bytes[2])
{
	pkts[0] = pkts[1] = bytes[0] = bytes[1] = 0;
	for (unsigned w = 0; id != 0 && w < qos.n_workers; w++) {
		const struct vxg_qos_wm *q = &qos.mt[w][id].wm;

		for (unsigned c = 0; c < 2; c++) {
			pkts[c] += __atomic_load_n(&q->pkts[c], __ATOMIC_RELAXED);
			bytes[c] += __atomic_load_n(&q->bytes[c], __ATOMIC_RELAXED);
		}
	}
	RTE_SET_USED(d);
}

/* Give every worker its share of meter id as if each had the same demand, a full bucket
 * and zero counters: id is new, no generation the workers can read names it. */
static void
qos_meter_reset(uint16_t id, const struct qos_ident *ident)
{
	uint64_t cir[RTE_MAX_LCORE], cbs[RTE_MAX_LCORE], zero[RTE_MAX_LCORE] = {0};

	vxg_qos_shares(ident->rate / 8, ident->burst, zero, qos.n_workers, cir, cbs);
	for (unsigned w = 0; w < qos.n_workers; w++) {
		struct vxg_qos_wm *q = &qos.mt[w][id].wm;
		struct vxg_qos_prof *p = &qos.mt[w][id].prof;

		memset(q, 0, sizeof(*q));
		vxg_qos_profile(&p->p[0], cir[w], cbs[w]);
		p->p[1] = p->p[0];
		p->cur = 0;
		p->action = ident->action;
		p->dscp = ident->dscp;
		/* time and period 0: the worker's first check fills the bucket and takes its
		 * own clock */
		q->m.tc = cbs[w];
		qos.last[(size_t)w * VXG_QOS_METERS + id] = 0;
	}
	if (qos.pool != NULL)
		__atomic_store_n(&qos.pool[id].tokens, 0, __ATOMIC_RELAXED);
	qos.conform_last[id] = 0;
}

/* The meter of ident in the generation being built: the same one as before if it is
 * live or taken already, else a new one. 0: none left. */
static uint16_t
qos_meter_get(const struct qos_ident *ident)
{
	uint16_t free_id = 0;

	for (uint16_t i = 1; i < VXG_QOS_METERS; i++) {
		struct qos_meter *m = &qos.m[i];

		if (!m->live && !m->pending) {
			if (free_id == 0)
				free_id = i;
			continue;
		}
		if (memcmp(&m->id, ident, sizeof(*ident)) == 0) {
			m->pending = true;
			return i;
		}
	}
	if (free_id != 0) {
		qos.m[free_id].pending = true;
		qos.m[free_id].id = *ident;
		qos_meter_reset(free_id, ident);
	}
	return free_id;
}

/* The meters of an attachment (kind, name) of VPC v with policy q, into meter[]. */
static int
qos_attach(const struct vxg_vpc_cfg *v, unsigned vi, unsigned qi, uint8_t kind, const char *name,
	uint16_t meter[2])
{
	const struct vxg_qos_policy_cfg *q = &v->qos_policies[qi];
	struct vxg_qos_att *a = &qos.next[qos.n_next++];

	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->vpc = vi;
	a->policy = qi;
	snprintf(a->name, sizeof(a->name), "%s", name);
	for (unsigned d = 0; d < 2; d++) {
		struct qos_ident id;

		if (!q->dir[d].set)
			continue;
		memset(&id, 0, sizeof(id));
		id.kind = kind;
		id.dir = (uint8_t)d;
		id.action = (uint8_t)q->action;
		id.dscp = q->dscp;
		snprintf(id.vpc, sizeof(id.vpc), "%s", v->name);
		snprintf(id.name, sizeof(id.name), "%s", name);
		snprintf(id.policy, sizeof(id.policy), "%s", q->name);
		id.rate = q->dir[d].rate;
		id.burst = q->dir[d].burst;
		if ((a->meter[d] = qos_meter_get(&id)) == 0)
			return -ENOSPC;
	}
	memcpy(meter, a->meter, sizeof(a->meter));
	return 0;
}

/* The floating IP ext (network order) of g, NULL if none. */
static struct vxg_nat_addr *
qos_fip(struct vxg_gen *g, rte_be32_t ext)
{
	for (uint32_t i = 0; i < g->nat.n_addrs; i++)
		if (g->nat.addrs[i].ext == ext && g->nat.addrs[i].kind == VXG_NAT_FIP)
			return &g->nat.addrs[i];
	return NULL;
}

/* The ports' meters, by slot: a port is the slot's VPC and index. */
static int
qos_build_ports(struct vxg_gen *g, const struct vxg_config *cfg)
{
	for (uint32_t s = 0; g->lports != NULL && s < g->n_lports; s++) {
		struct vxg_gen_lport *lp = &g->lports[s];
		const struct vxg_vpc_cfg *v;
		const struct vxg_port_cfg *pc;

		if (!(lp->flags & VXG_LP_DECLARED))
			continue;
		v = &cfg->vpcs[lp->vpc_idx];
		pc = &v->ports[lp->vpc_port];
		if (pc->qos != VXG_NONE &&
			qos_attach(v, lp->vpc_idx, pc->qos, VXG_QOS_PORT, pc->name, lp->qos) < 0)
			return -ENOSPC;
	}
	return 0;
}

static int
qos_build_vpc(struct vxg_gen *g, const struct vxg_config *cfg, unsigned vi)
{
	const struct vxg_vpc_cfg *v = &cfg->vpcs[vi];
	char ip[20];

	for (unsigned f = 0; f < v->nat.n_fips; f++) {
		const struct vxg_fip_cfg *fc = &v->nat.fips[f];
		struct vxg_nat_addr *a = qos_fip(g, rte_cpu_to_be_32(fc->ip));
		uint16_t meter[2];

		if (fc->qos == VXG_NONE || a == NULL)
			continue;
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u", fc->ip >> 24, fc->ip >> 16 & 255,
			fc->ip >> 8 & 255, fc->ip & 255);
		if (qos_attach(v, vi, fc->qos, VXG_QOS_FIP, ip, meter) < 0)
			return -ENOSPC;
		memcpy(a->qos, meter, sizeof(meter));
	}
	if (v->nat.qos != VXG_NONE && v->nat.interface != VXG_NONE && vi < g->n_vpcs &&
		qos_attach(v, vi, v->nat.qos, VXG_QOS_SNAT, "snat", g->vpcs[vi].nat.qos) < 0)
		return -ENOSPC;
	return 0;
}

static unsigned
qos_count(const struct vxg_config *cfg)
{
	unsigned n = 0;

	for (unsigned vi = 0; vi < cfg->n_vpcs; vi++) {
		const struct vxg_vpc_cfg *v = &cfg->vpcs[vi];

		for (unsigned p = 0; p < v->n_ports; p++)
			n += v->ports[p].qos != VXG_NONE;
		for (unsigned f = 0; f < v->nat.n_fips; f++)
			n += v->nat.fips[f].qos != VXG_NONE;
		n += v->nat.qos != VXG_NONE;
	}
	return n;
}

static void
qos_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	for (unsigned i = 0; i < VXG_QOS_METERS; i++)
		qos.m[i].pending = false;
	free(qos.next);
	qos.next = NULL;
	qos.n_next = 0;
	RTE_SET_USED(d);
	RTE_SET_USED(g);
}

static int
qos_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	unsigned n = qos_count(cfg);
	int ret = 0;

	qos_abort(d, g); /* a build before this one that was neither published nor aborted */
	if (n == 0 || qos.n_workers == 0)
		return 0;
	if ((qos.next = calloc(n, sizeof(*qos.next))) == NULL) {
		snprintf(err, errlen, "%sout of memory for the QoS attachments", VXG_GEN_BUILD_ERR);
		return -ENOMEM;
	}
	ret = qos_build_ports(g, cfg);
	for (unsigned vi = 0; vi < cfg->n_vpcs && ret == 0; vi++)
		ret = qos_build_vpc(g, cfg, vi);
	if (ret < 0) {
		snprintf(err, errlen, "%smore than %u QoS meters (attachments times directions)",
			VXG_GEN_BUILD_ERR, VXG_QOS_METERS - 1);
		return ret;
	}
	g->qos_on = qos.n_next > 0;
	return 0;
}

/* g is live: the meters only the old generation named are free again. */
static void
qos_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	bool freed = false;

	for (unsigned i = 0; i < VXG_QOS_METERS; i++) {
		freed |= qos.m[i].live && !qos.m[i].pending;
		qos.m[i].live = qos.m[i].pending;
		qos.m[i].pending = false;
	}
	/* a worker late on the old generation must not count into a number given again */
	if (freed)
		vxg_daemon_quiesce(d);
	free(qos.atts);
	qos.atts = qos.next;
	qos.n_atts = qos.n_next;
	qos.next = NULL;
	qos.n_next = 0;
	RTE_SET_USED(g);
	RTE_SET_USED(cfg);
	RTE_SET_USED(old);
	RTE_SET_USED(ocfg);
}

/* Meter id's new shares from each worker's demand since the last division. */
static void
qos_divide_one(uint16_t id)
{
	uint64_t demand[RTE_MAX_LCORE], cir[RTE_MAX_LCORE], cbs[RTE_MAX_LCORE];
	const struct qos_ident *ident = &qos.m[id].id;

	for (unsigned w = 0; w < qos.n_workers; w++) {
		const struct vxg_qos_wm *q = &qos.mt[w][id].wm;
		uint64_t *last = &qos.last[(size_t)w * VXG_QOS_METERS + id];
		uint64_t now = __atomic_load_n(&q->bytes[0], __ATOMIC_RELAXED) +
			       __atomic_load_n(&q->bytes[1], __ATOMIC_RELAXED);

		demand[w] = now - *last;
		*last = now;
	}
	vxg_qos_shares(ident->rate / 8, ident->burst, demand, qos.n_workers, cir, cbs);
	for (unsigned w = 0; w < qos.n_workers; w++) {
		struct vxg_qos_prof *p = &qos.mt[w][id].prof;
		uint32_t next = p->cur + 1;

		if (vxg_qos_profile(&p->p[next & 1], cir[w], cbs[w]) == 0)
			__atomic_store_n(&p->cur, next, __ATOMIC_RELEASE);
	}
}

/* Meter id's pool gets what the workers left of the rate in the last dt_ms: the rate's
 * bytes less the conforming ones (the pool's own included), the pool kept within 0 and
 * two periods' worth. */
static void
qos_pool_fill(uint16_t id, uint64_t dt_ms)
{
	const struct qos_ident *ident = &qos.m[id].id;
	/* two periods of the rate at most: the pool moves what one worker left to another
	 * for a moment; kept longer, it would add to the bursts the workers' own buckets
	 * already allow */
	int64_t cap = (int64_t)RTE_MIN(ident->burst, ident->rate / 8 * 2 * POOL_EVERY_MS / 1000);
	uint64_t conform = 0;
	int64_t cur, want;

	for (unsigned w = 0; w < qos.n_workers; w++)
		conform += __atomic_load_n(&qos.mt[w][id].wm.bytes[0], __ATOMIC_RELAXED);
	cur = __atomic_load_n(&qos.pool[id].tokens, __ATOMIC_RELAXED);
	want = cur + (int64_t)(ident->rate / 8 * dt_ms / 1000) -
	       (int64_t)(conform - qos.conform_last[id]);
	if (want > cap)
		want = cap;
	if (want < 0)
		want = 0;
	qos.conform_last[id] = conform;
	__atomic_add_fetch(&qos.pool[id].tokens, want - cur, __ATOMIC_RELAXED);
}

static void
qos_pools(uint64_t now_ms)
{
	uint64_t dt = RTE_MIN(now_ms - qos.pool_ms, (uint64_t)POOL_DT_MAX_MS);

	qos.pool_ms = now_ms;
	for (uint16_t i = 1; i < VXG_QOS_METERS; i++)
		if (qos.m[i].live)
			qos_pool_fill(i, dt);
}

/* With two workers or more: every 10 ms the pools, every 100 ms re-divide each live
 * meter, once every worker has passed since the last flip (so none still reads the
 * profiles about to be written). */
static void
qos_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (qos.n_workers < 2 || qos.n_atts == 0)
		return;
	if (now_ms - qos.pool_ms >= POOL_EVERY_MS)
		qos_pools(now_ms);
	if (now_ms - qos.divide_ms < DIVIDE_EVERY_MS)
		return;
	qos.divide_ms = now_ms;
	if (qos.flipped && rte_rcu_qsbr_check(d->qsbr, qos.token, false) != 1) {
		qos.stats.divisions_late++;
		return;
	}
	for (uint16_t i = 1; i < VXG_QOS_METERS; i++)
		if (qos.m[i].live)
			qos_divide_one(i);
	qos.token = rte_rcu_qsbr_start(d->qsbr);
	qos.flipped = true;
	qos.stats.divisions++;
}

static void
qos_fini(struct vxg_daemon *d)
{
	for (unsigned w = 0; w < qos.n_workers; w++) {
		if (d->workers[w] != NULL) {
			d->workers[w]->qos = NULL;
			d->workers[w]->qos_pool = NULL;
		}
		rte_free(qos.mt[w]);
		qos.mt[w] = NULL;
	}
	rte_free(qos.pool);
	free(qos.last);
	free(qos.atts);
	free(qos.next);
	memset(&qos, 0, sizeof(qos));
}

/* Before the workers start: each one's meters and shares. */
static int
qos_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	qos.n_workers = d->n_workers;
	qos.last = calloc((size_t)RTE_MAX(d->n_workers, 1u) * VXG_QOS_METERS, sizeof(uint64_t));
	if (qos.last == NULL)
		goto nomem;
	if (d->n_workers > 1 &&
		(qos.pool = rte_zmalloc("vxg_qos_pool", VXG_QOS_METERS * sizeof(*qos.pool),
			 RTE_CACHE_LINE_SIZE)) == NULL)
		goto nomem;
	for (unsigned w = 0; w < d->n_workers; w++) {
		int socket = rte_lcore_to_socket_id(d->workers[w]->lcore);

		qos.mt[w] = rte_zmalloc_socket("vxg_qos_meters",
			VXG_QOS_METERS * sizeof(*qos.mt[w]), RTE_CACHE_LINE_SIZE, socket);
		if (qos.mt[w] == NULL)
			goto nomem;
		d->workers[w]->qos = qos.mt[w];
		d->workers[w]->qos_pool = qos.pool;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory for the QoS meters");
	return -ENOMEM;
}

static unsigned
qos_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	int64_t used = 0;

	for (unsigned i = 1; i < VXG_QOS_METERS; i++)
		used += qos.m[i].live;
	rows[0] = (struct vxg_mem_row){"qos meters",
		(uint64_t)d->n_workers * VXG_QOS_METERS * sizeof(struct vxg_qos_meter) +
			(qos.pool != NULL ? VXG_QOS_METERS * sizeof(struct vxg_qos_pool) : 0),
		used};
	return 1;
}

/* Per attachment and direction: packets and bytes conforming and exceeding, and the
 * policy's rate. */
static unsigned
qos_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	static const struct {
		const char *name, *help;
		unsigned c;
		bool bytes;
	} fam[] = {
		{"vxgate_qos_conform_packets_total", "Packets within the policy's rate", 0, false},
		{"vxgate_qos_conform_bytes_total", "IP bytes within the policy's rate", 0, true},
		{"vxgate_qos_exceed_packets_total",
			"Packets over the policy's rate (dropped, or re-marked)", 1, false},
		{"vxgate_qos_exceed_bytes_total", "IP bytes over the policy's rate", 1, true},
	};
	static const char *const dir[2] = {"ingress", "egress"};
	unsigned n = 0;

	for (unsigned f = 0; f < RTE_DIM(fam); f++)
		for (unsigned a = 0; a < qos.n_atts; a++)
			for (unsigned k = 0; k < 2; k++) {
				const struct vxg_qos_att *at = &qos.atts[a];
				uint64_t pk[2], by[2];

				if (at->meter[k] == 0 || at->vpc >= d->cfg->n_vpcs)
					continue;
				vxg_qos_counters(d, at->meter[k], pk, by);
				n = vxg_metric_add(rows, max, n, fam[f].name, fam[f].help,
					(double)(fam[f].bytes ? by : pk)[fam[f].c], "vpc",
					d->cfg->vpcs[at->vpc].name, "kind",
					vxg_qos_kind_name(at->kind), "attachment", at->name,
					"direction", dir[k], NULL);
			}
	for (unsigned a = 0; a < qos.n_atts; a++)
		for (unsigned k = 0; k < 2; k++) {
			const struct vxg_qos_att *at = &qos.atts[a];

			if (at->meter[k] == 0 || at->vpc >= d->cfg->n_vpcs)
				continue;
			n = vxg_metric_add(rows, max, n, "vxgate_qos_rate_bits",
				"The policy's rate, bits a second of IP bytes",
				(double)qos.m[at->meter[k]].id.rate, "vpc",
				d->cfg->vpcs[at->vpc].name, "kind", vxg_qos_kind_name(at->kind),
				"attachment", at->name, "direction", dir[k], NULL);
		}
	return n;
}

/* After nat (it names the floating IPs' entries) and sg (the ports' slots). */
static struct vxg_feature qos_feature = {
	.name = "qos",
	.order = 650,
	.init = qos_init,
	.fini = qos_fini,
	.build = qos_build,
	.abort = qos_abort,
	.published = qos_published,
	.tick = qos_tick,
	.memory = qos_memory,
	.metrics = qos_metrics,
};

VXG_FEATURE_REGISTER(qos_feature)
