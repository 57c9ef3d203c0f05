/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router neighbour table, control side (control/l3/router_neigh.c), on the addresses
 * of l3_fixture.h's config: static entries synced per generation, learning, misses with
 * their held queue, and the timers of INCOMPLETE, REACHABLE and STALE entries on a fake
 * clock.
 */
#include "l3_fixture.h"

/* ---- the router neighbour table (control) ------------------------------------------ */

static unsigned n_probes;
static const struct vxg_l3_neigh *last_probe;

static void
count_probe(const struct vxg_l3_neigh *e, void *arg)
{
	n_probes++;
	last_probe = e;
	(void)arg;
}

static unsigned n_flushed;

static void
free_send(struct rte_mbuf *m, const struct vxg_l3_neigh *e, void *arg)
{
	n_flushed++;
	rte_pktmbuf_free(m);
	(void)e;
	(void)arg;
}

static const struct vxg_l3_neigh *
nget(struct vxg_l3_neigh_table *t, uint32_t vni, uint32_t ip)
{
	return vxg_l3n_lookup(t, vni, rte_cpu_to_be_32(ip));
}

static void
check_static(struct vxg_l3_neigh_table *t, uint32_t vni, uint32_t ip,
	const struct rte_ether_addr *mac, uint32_t gen)
{
	const struct vxg_l3_neigh *e = nget(t, vni, ip);

	assert_non_null(e);
	assert_int_equal(e->state, VXG_L3N_STATIC);
	assert_int_equal(e->static_gen, gen);
	assert_true(e->mac.valid);
	assert_true(e->mac.is_static);
	assert_memory_equal(&e->mac.mac, mac, 6);
}

static void
test_l3n_static_sync(void **state)
{
	struct vxg_l3_neigh_table *t = vxg_l3n_create(64, NULL);
	struct vxg_vpc_cfg *red = &dp.cfg->vpcs[1];
	const struct rte_ether_addr other = {{0x02, 0, 0, 0, 0, 0x42}};

	assert_non_null(t);
	assert_int_equal(vxg_l3n_sync_static(t, dp.cfg, 1), 0);
	assert_int_equal(vxg_l3n_count(t), 8); /* every port address; vm8 has none */
	check_static(t, 100, IP(10, 1, 0, 11), &M_VM1, 1);
	check_static(t, 100, IP(10, 1, 0, 3), &M_VM3, 1);
	check_static(t, 100, IP(10, 1, 0, 4), &M_VM4, 1);
	check_static(t, 200, IP(10, 2, 0, 5), &M_VM5, 1);
	check_static(t, 200, IP(10, 2, 0, 6), &M_VM6, 1);
	check_static(t, 200, IP(10, 2, 0, 7), &M_VM7, 1);
	check_static(t, 300, IP(10, 1, 0, 4), &M_R1, 1);
	check_static(t, 400, IP(10, 2, 0, 5), &M_R5, 1);

	/* A learned entry; learning never changes a static one. */
	assert_non_null(vxg_l3n_learn(t, 200, rte_cpu_to_be_32(IP(10, 2, 0, 50)), &other, true, 5));
	assert_non_null(vxg_l3n_learn(t, 200, rte_cpu_to_be_32(IP(10, 2, 0, 5)), &other, true, 5));
	check_static(t, 200, IP(10, 2, 0, 5), &M_VM5, 1);

	/* r5 leaves the config: generation 2 drops its entry, keeps the rest. */
	red->n_ports--;
	assert_int_equal(vxg_l3n_sync_static(t, dp.cfg, 2), 0);
	red->n_ports++;
	assert_null(nget(t, 400, IP(10, 2, 0, 5)));
	check_static(t, 300, IP(10, 1, 0, 4), &M_R1, 2);
	check_static(t, 200, IP(10, 2, 0, 5), &M_VM5, 2);
	assert_non_null(nget(t, 200, IP(10, 2, 0, 50))); /* learned: not the sync's */
	assert_int_equal(nget(t, 200, IP(10, 2, 0, 50))->state, VXG_L3N_REACHABLE);
	assert_int_equal(vxg_l3n_count(t), 8);
	/* clear removes learned entries only. */
	assert_int_equal(vxg_l3n_clear(t, 0), 1);
	assert_int_equal(vxg_l3n_count(t), 7);
	vxg_l3n_destroy(t);
}

static void
test_l3n_learn_and_miss(void **state)
{
	struct vxg_l3_neigh_table *t = vxg_l3n_create(64, NULL);
	const rte_be32_t a = rte_cpu_to_be_32(IP(10, 2, 0, 60));
	const rte_be32_t b = rte_cpu_to_be_32(IP(10, 2, 0, 61));
	unsigned avail = rte_mempool_avail_count(dp.pool);
	struct rte_mbuf *m[6];
	struct vxg_l3_neigh *e;

	assert_non_null(t);
	/* create=false: an unknown address stays unknown. */
	assert_null(vxg_l3n_learn(t, 200, a, &M_VM8, false, 0));
	assert_null(vxg_l3n_lookup(t, 200, a));
	assert_int_equal(vxg_l3n_count(t), 0);

	/* Misses: the first asks (1), the rest wait (0); the queue keeps the newest 4. */
	for (unsigned i = 0; i < 6; i++) {
		m[i] = rte_pktmbuf_alloc(dp.pool);
		assert_non_null(m[i]);
		assert_int_equal(vxg_l3n_miss(t, 200, b, m[i], 1000), i == 0 ? 1 : 0);
	}
	e = vxg_l3n_lookup(t, 200, b);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_L3N_INCOMPLETE);
	assert_false(e->mac.valid);
	assert_int_equal(e->nq, VXG_L3_NEIGH_QLEN);
	assert_ptr_equal(e->q[0], m[2]);
	assert_ptr_equal(e->q[VXG_L3_NEIGH_QLEN - 1], m[5]);
	assert_int_equal(t->queue_drops, 2);
	assert_int_equal(rte_mempool_avail_count(dp.pool), avail - VXG_L3_NEIGH_QLEN);

	/* create=false on an existing entry resolves it; the next miss is sent (2). */
	assert_ptr_equal(vxg_l3n_learn(t, 200, b, &M_VM8, false, 1100), e);
	assert_int_equal(e->state, VXG_L3N_REACHABLE);
	assert_true(e->mac.valid);
	assert_false(e->mac.is_static);
	assert_memory_equal(&e->mac.mac, &M_VM8, 6);
	m[0] = rte_pktmbuf_alloc(dp.pool);
	assert_int_equal(vxg_l3n_miss(t, 200, b, m[0], 1200), 2);
	rte_pktmbuf_free(m[0]);
	/* Held packets are the caller's to flush. */
	assert_int_equal(e->nq, VXG_L3_NEIGH_QLEN);
	n_flushed = 0;
	vxg_l3n_flush(e, free_send, NULL);
	assert_int_equal(n_flushed, VXG_L3_NEIGH_QLEN);
	assert_int_equal(e->nq, 0);
	assert_int_equal(rte_mempool_avail_count(dp.pool), avail);
	/* The same address in another network is another entry. */
	assert_null(vxg_l3n_lookup(t, 100, b));
	vxg_l3n_destroy(t);
}

static void
test_l3n_timers_incomplete(void **state)
{
	struct vxg_l3_neigh_table *t = vxg_l3n_create(64, NULL);
	const rte_be32_t a = rte_cpu_to_be_32(IP(10, 2, 0, 70));
	unsigned avail = rte_mempool_avail_count(dp.pool), asked;
	uint64_t now = 5000;
	struct vxg_l3_neigh *e;

	assert_non_null(t);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(
			vxg_l3n_miss(t, 200, a, rte_pktmbuf_alloc(dp.pool), now), i == 0 ? 1 : 0);
	asked = 1; /* the caller's request when miss returned 1 */
	e = vxg_l3n_lookup(t, 200, a);
	assert_non_null(e);
	n_probes = 0;
	/* Not due before VXG_L3N_PROBE_MS. */
	assert_int_equal(vxg_l3n_timers(t, now + VXG_L3N_PROBE_MS - 1, count_probe, NULL), 0);
	assert_int_equal(n_probes, 0);
	/* Probed until VXG_L3N_PROBES requests went out, one per VXG_L3N_PROBE_MS. */
	while (asked < VXG_L3N_PROBES) {
		now += VXG_L3N_PROBE_MS;
		assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 0);
		asked++;
		assert_int_equal(n_probes, asked - 1);
		assert_ptr_equal(last_probe, e);
		assert_int_equal(e->state, VXG_L3N_INCOMPLETE);
		/* Twice at the same time: no extra probe. */
		assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 0);
		assert_int_equal(n_probes, asked - 1);
	}
	assert_int_equal(vxg_l3n_timers(t, now + VXG_L3N_PROBE_MS - 1, count_probe, NULL), 0);
	/* No answer to the last one: deleted, its held packets freed and counted. */
	now += VXG_L3N_PROBE_MS;
	assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 1);
	assert_int_equal(n_probes, VXG_L3N_PROBES - 1);
	assert_null(vxg_l3n_lookup(t, 200, a));
	assert_int_equal(vxg_l3n_count(t), 0);
	assert_int_equal(t->unresolved_drops, 3);
	assert_int_equal(rte_mempool_avail_count(dp.pool), avail);
	/* The address can be asked for again, from scratch. */
	assert_int_equal(vxg_l3n_miss(t, 200, a, rte_pktmbuf_alloc(dp.pool), now), 1);
	vxg_l3n_destroy(t);
	assert_int_equal(rte_mempool_avail_count(dp.pool), avail);
}

static void
test_l3n_timers_reachable_stale(void **state)
{
	struct vxg_l3_neigh_table *t = vxg_l3n_create(64, NULL);
	const rte_be32_t a = rte_cpu_to_be_32(IP(10, 2, 0, 80));
	uint64_t t0 = 10000, now;
	struct vxg_l3_neigh *e;

	assert_non_null(t);
	assert_int_equal(vxg_l3n_sync_static(t, dp.cfg, 1), 0);
	e = vxg_l3n_learn(t, 200, a, &M_VM8, true, t0);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_L3N_REACHABLE);
	n_probes = 0;
	assert_int_equal(vxg_l3n_timers(t, t0 + VXG_L3N_REACHABLE_MS - 1, count_probe, NULL), 0);
	assert_int_equal(e->state, VXG_L3N_REACHABLE);
	assert_int_equal(n_probes, 0); /* static entries are never probed either */
	/* Old enough: STALE, probed at once, still used by workers. */
	now = t0 + VXG_L3N_REACHABLE_MS;
	assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 0);
	assert_int_equal(e->state, VXG_L3N_STALE);
	assert_int_equal(n_probes, 1);
	assert_ptr_equal(last_probe, e);
	assert_true(e->mac.valid);
	/* An answer makes it REACHABLE again. */
	assert_ptr_equal(vxg_l3n_learn(t, 200, a, &M_VM8, false, now + 10), e);
	assert_int_equal(e->state, VXG_L3N_REACHABLE);
	assert_int_equal(e->probes, 0);
	/* No answer this time: VXG_L3N_PROBES probes, then it goes. */
	now = now + 10 + VXG_L3N_REACHABLE_MS;
	n_probes = 0;
	for (unsigned i = 0; i < VXG_L3N_PROBES; i++, now += VXG_L3N_PROBE_MS) {
		assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 0);
		assert_int_equal(e->state, VXG_L3N_STALE);
		assert_int_equal(n_probes, i + 1);
	}
	assert_int_equal(vxg_l3n_timers(t, now, count_probe, NULL), 1);
	assert_null(vxg_l3n_lookup(t, 200, a));
	assert_int_equal(n_probes, VXG_L3N_PROBES);
	assert_int_equal(vxg_l3n_count(t), 8); /* the static ones stay */
	vxg_l3n_destroy(t);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_l3n_static_sync),
		T(test_l3n_learn_and_miss),
		T(test_l3n_timers_incomplete),
		T(test_l3n_timers_reachable_stale),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_l3_neigh") < 0) {
		fprintf(stderr, "test_l3_neigh: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
