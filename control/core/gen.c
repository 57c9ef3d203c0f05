/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generations on the control side: the skeleton every feature's build fills in, freeing
 * one, and publishing them to the workers with reclaim after their quiescence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "core/feature.h"
#include "core/gen.h"
#include "core/port.h"

#define DQ_SIZE 64

struct vxg_gen *
vxg_gen_alloc(
	const struct vxg_config *cfg, const struct vxg_iface *ifs, unsigned n_ifs, uint64_t id)
{
	struct vxg_gen *g;

	if (n_ifs > VXG_IF_MAX)
		return NULL;
	g = rte_zmalloc("vxg_gen", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL)
		return NULL;
	g->id = id;
	memset(g->if_of_port, VXG_IF_NONE, sizeof(g->if_of_port));
	for (unsigned i = 0; i < n_ifs; i++) {
		const struct vxg_if_cfg *ic = &cfg->interfaces[i];
		struct vxg_gen_if *gi = &g->ifs[i];

		gi->port_id = ifs[i].port_id;
		gi->role = ic->role;
		gi->index = i;
		gi->mac = ifs[i].mac;
		gi->addr = rte_cpu_to_be_32(ic->address);
		gi->mtu = ic->mtu;
		g->if_of_port[gi->port_id] = i;
	}
	g->n_ifs = n_ifs;
	if (cfg->vtep.enabled) {
		g->vtep_addr = rte_cpu_to_be_32(cfg->vtep.address);
		g->vtep_port = rte_cpu_to_be_16(cfg->vtep.udp_port);
	}
	return g;
}

/* Each feature frees its part (vxg_feature.gen_free), the last built first. */
void
vxg_gen_free(struct vxg_gen *g)
{
	if (g == NULL)
		return;
	vxg_features_gen_free(g);
	rte_free(g);
}

static void
publisher_dq_free(void *arg, void *e, unsigned n)
{
	struct vxg_publisher *p = arg;
	struct vxg_gen **gens = e;

	for (unsigned i = 0; i < n; i++) {
		p->free_fn(gens[i]);
		p->reclaimed++;
	}
}

int
vxg_publisher_init(
	struct vxg_publisher *p, struct vxg_worker **workers, unsigned n, struct rte_rcu_qsbr *qsbr)
{
	static unsigned seq;
	char name[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct rte_rcu_qsbr_dq_parameters params = {
		.name = name,
		.size = DQ_SIZE,
		.esize = sizeof(struct vxg_gen *),
		.trigger_reclaim_limit = 0,
		.max_reclaim_size = DQ_SIZE,
		.free_fn = publisher_dq_free,
		.p = p,
		.v = qsbr,
	};

	memset(p, 0, sizeof(*p));
	snprintf(name, sizeof(name), "vxg_gen%u", seq++);
	p->workers = workers;
	p->n_workers = n;
	p->qsbr = qsbr;
	p->free_fn = vxg_gen_free;
	p->dq = rte_rcu_qsbr_dq_create(&params);
	return p->dq == NULL ? -rte_errno : 0;
}

static int
publisher_wait_applied(struct vxg_publisher *p, uint64_t id, unsigned timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * timeout_ms;

	for (unsigned i = 0; i < p->n_workers; i++) {
		while (__atomic_load_n(&p->workers[i]->gen_applied, __ATOMIC_ACQUIRE) < id) {
			if (rte_get_timer_cycles() > deadline)
				return -ETIMEDOUT;
			rte_delay_us_sleep(50);
		}
	}
	return 0;
}

int
vxg_gen_publish(
	struct vxg_publisher *p, struct vxg_gen *g, struct vxg_gen *old, unsigned timeout_ms)
{
	struct vxg_msg msg = {.type = VXG_MSG_GEN, .arg = g};
	int ret;

	for (unsigned i = 0; i < p->n_workers; i++)
		if (rte_ring_enqueue_elem(p->workers[i]->ctl_ring, &msg, sizeof(msg)) != 0)
			return -ENOBUFS;
	p->published++;
	/* Deferred after the enqueues: the QSBR token orders them before any worker's next
	 * quiescent report, so a worker reporting past the token takes g in its next pass. */
	vxg_gen_retire(p, old);
	ret = publisher_wait_applied(p, g->id, timeout_ms);
	vxg_gen_reclaim(p);
	return ret;
}

void
vxg_gen_retire(struct vxg_publisher *p, struct vxg_gen *old)
{
	if (old != NULL && rte_rcu_qsbr_dq_enqueue(p->dq, &old) != 0) {
		rte_rcu_qsbr_synchronize(p->qsbr, RTE_QSBR_THRID_INVALID);
		p->free_fn(old);
		p->reclaimed++;
	}
}

void
vxg_gen_reclaim(struct vxg_publisher *p)
{
	unsigned freed, pending, avail;

	rte_rcu_qsbr_dq_reclaim(p->dq, DQ_SIZE, &freed, &pending, &avail);
}

void
vxg_publisher_fini(struct vxg_publisher *p)
{
	if (p->dq != NULL)
		rte_rcu_qsbr_dq_delete(p->dq);
	p->dq = NULL;
}
