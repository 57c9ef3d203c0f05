/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generation publish and reclaim, against a real worker loop on a real lcore
 * (EAL --no-huge, no ports): a worker takes every new generation, and an old one is
 * freed only once every reader has been quiescent since the switch.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "core/gen.h"

#define READER_ID 1 /* a second QSBR reader, driven by the test itself */

static struct vxg_gen *freed[16];
static unsigned n_freed;

static void
count_free(struct vxg_gen *g)
{
	freed[n_freed++] = g;
	rte_free(g);
}

static struct vxg_gen *
gen_new(uint64_t id)
{
	struct vxg_gen *g = rte_zmalloc(NULL, sizeof(*g), 0);

	assert_non_null(g);
	g->id = id;
	memset(g->if_of_port, VXG_IF_NONE, sizeof(g->if_of_port));
	return g;
}

struct fixture {
	struct rte_rcu_qsbr *qsbr;
	struct vxg_worker *w;
	struct vxg_worker *ws[1];
	struct vxg_publisher pub;
	unsigned lcore;
};

static int
setup(void **state)
{
	static struct fixture f;
	size_t sz = rte_rcu_qsbr_get_memsize(2);

	memset(&f, 0, sizeof(f));
	n_freed = 0;
	f.qsbr = rte_zmalloc(NULL, sz, RTE_CACHE_LINE_SIZE);
	assert_int_equal(rte_rcu_qsbr_init(f.qsbr, 2), 0);
	f.w = rte_zmalloc(NULL, sizeof(*f.w), RTE_CACHE_LINE_SIZE);
	f.w->ctl_ring = rte_ring_create_elem(
		"test_ctl", sizeof(struct vxg_msg), 16, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(f.w->ctl_ring);
	f.w->qsbr = f.qsbr;
	f.w->burst = 32;
	f.w->idle_sleep_us = 5;
	f.lcore = rte_get_next_lcore(-1, 1, 0);
	f.ws[0] = f.w;
	assert_int_equal(vxg_publisher_init(&f.pub, f.ws, 1, f.qsbr), 0);
	f.pub.free_fn = count_free;
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct vxg_msg stop = {.type = VXG_MSG_STOP};

	rte_ring_enqueue_elem(f->w->ctl_ring, &stop, sizeof(stop));
	rte_eal_mp_wait_lcore();
	vxg_publisher_fini(&f->pub);
	rte_ring_free(f->w->ctl_ring);
	rte_free(f->w->gen);
	rte_free(f->w);
	rte_free(f->qsbr);
	return 0;
}

static void
wait_reclaimed(struct fixture *f, uint64_t n)
{
	for (int i = 0; i < 2000 && f->pub.reclaimed < n; i++) {
		vxg_gen_reclaim(&f->pub);
		rte_delay_us_sleep(1000);
	}
}

static void
test_worker_takes_each_generation(void **state)
{
	struct fixture *f = *state;
	struct vxg_gen *g1 = gen_new(1), *g2 = gen_new(2), *g3 = gen_new(3);

	assert_int_equal(rte_eal_remote_launch(vxg_worker_main, f->w, f->lcore), 0);
	assert_int_equal(vxg_gen_publish(&f->pub, g1, NULL, 2000), 0);
	assert_int_equal(f->w->gen_applied, 1);
	assert_int_equal(vxg_gen_publish(&f->pub, g2, g1, 2000), 0);
	assert_int_equal(f->w->gen_applied, 2);
	wait_reclaimed(f, 1);
	assert_int_equal(n_freed, 1);
	assert_ptr_equal(freed[0], g1);
	assert_int_equal(vxg_gen_publish(&f->pub, g3, g2, 2000), 0);
	wait_reclaimed(f, 2);
	assert_int_equal(n_freed, 2);
	assert_ptr_equal(freed[1], g2);
	assert_ptr_equal(f->w->gen, g3); /* the live one is never freed */
}

/* A reader that has not been quiescent since the switch keeps the old generation alive. */
static void
test_reclaim_waits_for_every_reader(void **state)
{
	struct fixture *f = *state;
	struct vxg_gen *g1 = gen_new(1), *g2 = gen_new(2);

	assert_int_equal(rte_eal_remote_launch(vxg_worker_main, f->w, f->lcore), 0);
	assert_int_equal(vxg_gen_publish(&f->pub, g1, NULL, 2000), 0);
	assert_int_equal(rte_rcu_qsbr_thread_register(f->qsbr, READER_ID), 0);
	rte_rcu_qsbr_thread_online(f->qsbr, READER_ID);
	assert_int_equal(vxg_gen_publish(&f->pub, g2, g1, 2000), 0);
	for (int i = 0; i < 50; i++) {
		vxg_gen_reclaim(&f->pub);
		rte_delay_us_sleep(1000);
	}
	assert_int_equal(n_freed, 0); /* the stalled reader may still hold g1 */
	rte_rcu_qsbr_quiescent(f->qsbr, READER_ID);
	wait_reclaimed(f, 1);
	assert_int_equal(n_freed, 1);
	assert_ptr_equal(freed[0], g1);
	rte_rcu_qsbr_thread_offline(f->qsbr, READER_ID);
	rte_rcu_qsbr_thread_unregister(f->qsbr, READER_ID);
}

/* A worker that never runs: publish says so instead of hanging, and frees nothing. */
static void
test_publish_times_out_on_a_stuck_worker(void **state)
{
	struct fixture *f = *state;
	struct vxg_gen *g1 = gen_new(1);
	uint64_t t0 = rte_get_timer_cycles();

	assert_int_equal(vxg_gen_publish(&f->pub, g1, NULL, 100), -ETIMEDOUT);
	assert_true(rte_get_timer_cycles() - t0 < rte_get_timer_hz());
	assert_int_equal(n_freed, 0);
	/* It takes the queued generation as soon as it runs. */
	assert_int_equal(rte_eal_remote_launch(vxg_worker_main, f->w, f->lcore), 0);
	for (int i = 0; i < 2000 && f->w->gen_applied != 1; i++)
		rte_delay_us_sleep(1000);
	assert_int_equal(f->w->gen_applied, 1);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "64", "-l", "0-1", "--file-prefix",
		"vxg_test_core_gen", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_worker_takes_each_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_reclaim_waits_for_every_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_publish_times_out_on_a_stuck_worker, setup, teardown),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_core_gen: EAL init failed (needs 2 lcores)\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
