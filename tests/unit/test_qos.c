/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QoS: the meter stage (dataplane/qos/qos.h) on hand-built mbufs at explicit TSC values,
 * against rte_meter itself: a known burst, the refill after time passes, re-marking
 * (IPv4 TOS and checksum, IPv6 traffic class), frames that are not IP, the pool of what
 * other workers left, the division-free check against rte_meter's; and how control
 * divides a policy between workers (qos_share.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "qos/qos.h"
#include "qos/qos_share.h"
#include "vxg_worker.h"

#pragma GCC diagnostic ignored "-Warray-bounds"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif

static struct rte_mempool *pool;
static struct vxg_worker *w;

#define ID 7
#define T0 1000000000000ull /* the TSC of the burst */

/* A frame of ethertype type with ip_len IP bytes (IPv4: total length; IPv6: 40 + payload). */
static struct rte_mbuf *
frame(uint16_t type, uint16_t ip_len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(14 + ip_len));

	assert_non_null(p);
	memset(p, 0, 14u + ip_len);
	p[12] = (uint8_t)(type >> 8);
	p[13] = (uint8_t)type;
	m->l2_len = 14;
	if (type == RTE_ETHER_TYPE_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + 14);

		ip->version_ihl = 0x45;
		ip->type_of_service = 0x01; /* ECN bits, which a re-mark keeps */
		ip->total_length = rte_cpu_to_be_16(ip_len);
		ip->time_to_live = 64;
		ip->next_proto_id = 17;
		ip->src_addr = RTE_BE32(0x0a02000c);
		ip->dst_addr = RTE_BE32(0x0a01000b);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else if (type == RTE_ETHER_TYPE_IPV6) {
		p[14] = 0x60;
		p[15] = 0x01; /* flow label bits, kept */
		p[18] = (uint8_t)((ip_len - 40) >> 8);
		p[19] = (uint8_t)(ip_len - 40);
		p[20] = 17;
		p[21] = 64;
	}
	return m;
}

/* Meter ID for cir bytes a second and bucket cbs, as control sets a new one up. */
static void
meter_setup(uint64_t cir, uint64_t cbs, uint8_t action, uint8_t dscp)
{
	struct vxg_qos_wm *q = &w->qos[ID].wm;
	struct vxg_qos_prof *p = (struct vxg_qos_prof *)(uintptr_t)&w->qos[ID].prof;

	memset(q, 0, sizeof(*q));
	assert_int_equal(vxg_qos_profile(&p->p[0], cir, cbs), 0);
	p->cur = 0;
	p->action = action;
	p->dscp = dscp;
	q->m.tc = cbs;
}

/* n frames of ip_len bytes at TSC t: how many the stage lets through as they are. */
static unsigned
pass_n(unsigned n, uint16_t ip_len, uint64_t t, struct rte_meter_srtcm *ref,
	struct rte_meter_srtcm_profile *rp, unsigned *ref_green)
{
	unsigned ok = 0;

	w->tsc = t;
	*ref_green = 0;
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = frame(RTE_ETHER_TYPE_IPV4, ip_len);

		ok += vxg_qos_frame(w, ID, m);
		*ref_green +=
			rte_meter_srtcm_color_blind_check(ref, rp, t, ip_len) == RTE_COLOR_GREEN;
		rte_pktmbuf_free(m);
	}
	return ok;
}

/* 100 packets of 1000 IP bytes at t=0 against 50mbit with a burst of 64kb: what rte_meter
 * gives (64), then after 10 ms the refill (50e6 / 8 * 0.01 = 62500 bytes: 62 more). */
static void
burst_then_refill(void **state)
{
	const uint64_t cir = 50000000 / 8, cbs = 64000;
	struct rte_meter_srtcm_params prm = {.cir = cir, .cbs = cbs, .ebs = 0};
	struct rte_meter_srtcm_profile rp;
	struct rte_meter_srtcm ref;
	unsigned ok, green;
	uint64_t pk[2];

	meter_setup(cir, cbs, VXG_QOS_DROP, 0);
	assert_int_equal(rte_meter_srtcm_profile_config(&rp, &prm), 0);
	assert_int_equal(rte_meter_srtcm_config(&ref, &rp), 0);
	ref.time = T0;
	ok = pass_n(100, 1000, T0, &ref, &rp, &green);
	assert_int_equal(ok, green);
	assert_int_equal(ok, 64);
	pk[0] = w->qos[ID].wm.pkts[0];
	pk[1] = w->qos[ID].wm.pkts[1];
	assert_int_equal(pk[0], 64);
	assert_int_equal(pk[1], 36);
	assert_int_equal(w->qos[ID].wm.bytes[0], 64000);
	assert_int_equal(w->qos[ID].wm.bytes[1], 36000);
	/* 10 ms later */
	ok = pass_n(100, 1000, T0 + rte_get_tsc_hz() / 100, &ref, &rp, &green);
	assert_int_equal(ok, green);
	assert_in_range(ok, 61, 63);
	/* a second later: the bucket is full again, no more */
	ok = pass_n(100, 1000, T0 + rte_get_tsc_hz() + rte_get_tsc_hz() / 100, &ref, &rp, &green);
	assert_int_equal(ok, green);
	assert_int_equal(ok, 64);
	(void)state;
}

/* n IPv4 frames of 1000 IP bytes through meter ID at w->tsc: how many went on. */
static unsigned
frames_ok(unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = frame(RTE_ETHER_TYPE_IPV4, 1000);

		ok += vxg_qos_frame(w, ID, m);
		rte_pktmbuf_free(m);
	}
	return ok;
}

/* A new profile (control's division) takes effect at the next packet, the bucket kept. */
static void
profile_flip(void **state)
{
	struct vxg_qos_prof *p = (struct vxg_qos_prof *)(uintptr_t)&w->qos[ID].prof;

	meter_setup(1000000, 64000, VXG_QOS_DROP, 0);
	w->tsc = T0;
	assert_int_equal(frames_ok(10), 10); /* 54000 bytes left */
	/* half the bucket: what is left is cut down to it at the next packet */
	assert_int_equal(vxg_qos_profile(&p->p[1], 1000000, 32000), 0);
	__atomic_store_n(&p->cur, 1, __ATOMIC_RELEASE);
	assert_int_equal(frames_ok(100), 32);
	/* two changes between two packets of one burst, p[1] written again (cur 1 -> 3, the
	 * same buffer): the packet after them sees the new, smaller bucket */
	w->tsc = T0 + rte_get_tsc_hz(); /* full again: 32000 */
	assert_int_equal(frames_ok(1), 1);
	assert_int_equal(vxg_qos_profile(&p->p[0], 1000000, 16000), 0);
	__atomic_store_n(&p->cur, 2, __ATOMIC_RELEASE);
	assert_int_equal(vxg_qos_profile(&p->p[1], 1000000, 8000), 0);
	__atomic_store_n(&p->cur, 3, __ATOMIC_RELEASE);
	assert_int_equal(frames_ok(100), 8);
	(void)state;
}

static void
remark(void **state)
{
	struct rte_mbuf *m4, *m6, *arp;
	struct rte_ipv4_hdr *ip;
	uint8_t *ip6;

	meter_setup(1000000, 1500, VXG_QOS_REMARK, 46);
	w->tsc = T0;
	m4 = frame(RTE_ETHER_TYPE_IPV4, 1000);
	assert_true(vxg_qos_frame(w, ID, m4)); /* conforms: untouched */
	ip = rte_pktmbuf_mtod_offset(m4, struct rte_ipv4_hdr *, 14);
	assert_int_equal(ip->type_of_service, 0x01);
	rte_pktmbuf_free(m4);
	m4 = frame(RTE_ETHER_TYPE_IPV4, 1000);
	assert_true(vxg_qos_frame(w, ID, m4)); /* exceeds: re-marked, sent on */
	ip = rte_pktmbuf_mtod_offset(m4, struct rte_ipv4_hdr *, 14);
	assert_int_equal(ip->type_of_service, 46 << 2 | 0x01);
	assert_int_equal(rte_raw_cksum(ip, 20), 0xffff);
	m6 = frame(RTE_ETHER_TYPE_IPV6, 1000);
	assert_true(vxg_qos_frame(w, ID, m6));
	ip6 = rte_pktmbuf_mtod_offset(m6, uint8_t *, 14);
	assert_int_equal(((ip6[0] & 15) << 4 | ip6[1] >> 4), 46 << 2);
	assert_int_equal(ip6[0] >> 4, 6);
	assert_int_equal(ip6[1] & 15, 0x01); /* the flow label kept */
	assert_int_equal(w->qos[ID].wm.pkts[1], 2);
	/* not IP: not metered */
	arp = frame(RTE_ETHER_TYPE_ARP, 28);
	assert_true(vxg_qos_frame(w, ID, arp));
	assert_int_equal(w->qos[ID].wm.pkts[0] + w->qos[ID].wm.pkts[1], 3);
	rte_pktmbuf_free(m4);
	rte_pktmbuf_free(m6);
	rte_pktmbuf_free(arp);
	(void)state;
}

/* With two workers or more, what a worker's own share refuses comes out of the meter's
 * pool (what the others left unused) while it lasts. */
static void
unused_pool(void **state)
{
	struct vxg_qos_pool *pl = rte_zmalloc("pool", VXG_QOS_METERS * sizeof(*pl), 0);
	struct rte_mbuf *m;
	unsigned ok = 0;

	assert_non_null(pl);
	meter_setup(1000000, 1500, VXG_QOS_DROP, 0);
	pl[ID].tokens = 5500;
	w->qos_pool = pl;
	w->tsc = T0;
	for (unsigned i = 0; i < 100; i++) {
		m = frame(RTE_ETHER_TYPE_IPV4, 1000);
		ok += vxg_qos_frame(w, ID, m);
		rte_pktmbuf_free(m);
	}
	w->qos_pool = NULL;
	assert_int_equal(ok, 6); /* 1 from its own bucket, 5 from the pool */
	assert_int_equal(pl[ID].tokens, 500);
	assert_int_equal(w->qos[ID].wm.pkts[0], 6);
	assert_int_equal(w->qos[ID].wm.pkts[1], 94);
	rte_free(pl);
	(void)state;
}

static void
shares(void **state)
{
	uint64_t d[4], cir[4], cbs[4];

	/* one worker: all of it */
	d[0] = 0;
	vxg_qos_shares(6250000, 64000, d, 1, cir, cbs);
	assert_int_equal(cir[0], 6250000);
	assert_int_equal(cbs[0], 64000);
	/* no demand: equal shares */
	d[0] = d[1] = 0;
	vxg_qos_shares(6250000, 64000, d, 2, cir, cbs);
	assert_int_equal(cir[0], 3125000);
	assert_int_equal(cir[1], 3125000);
	/* one flow on worker 1: 9/10 of it there (floor 1/8 each); the pool moves the rest */
	d[0] = 0;
	d[1] = 1000000;
	vxg_qos_shares(6250000, 64000, d, 2, cir, cbs);
	assert_true(cir[1] >= 6250000 * 0.89 && cir[1] <= 6250000 * 0.91);
	assert_true(cir[0] + cir[1] <= 6250000 && cir[0] + cir[1] >= 6249998);
	assert_int_equal(cbs[0], 9216); /* the floor: a jumbo frame */
	assert_true(cbs[1] > 64000 * 0.89);
	/* in proportion */
	d[0] = 300;
	d[1] = 100;
	d[2] = 0;
	d[3] = 0;
	vxg_qos_shares(4000000, 2000, d, 4, cir, cbs);
	assert_true(cir[0] > 2 * cir[1] && cir[1] > cir[2] && cir[2] == cir[3]);
	assert_int_equal(cbs[2], 2000); /* the floor, capped by the burst */
	(void)state;
}

/* The division-free check (qos_srtcm_check) against rte_meter's own, side by side on
 * two copies of one meter: bursts sharing a TSC, gaps shorter and longer than a period,
 * sizes above and below the buckets, and profile swaps to a smaller and a larger one.
 * Every colour and every bucket must be the same. */
static void
same_as_rte_meter(void **state)
{
	struct rte_meter_srtcm_params pa[2] = {
		{.cir = 1250000, .cbs = 20000, .ebs = 12000},
		{.cir = 125000, .cbs = 4000, .ebs = 6000},
	};
	struct vxg_qos_prof pr;
	struct vxg_qos_wm ours;
	struct rte_meter_srtcm theirs;
	uint64_t t = T0, seed = 88172645463325252ull;
	unsigned fast = 0, colours[3] = {0};

	memset(&pr, 0, sizeof(pr));
	memset(&ours, 0, sizeof(ours));
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(rte_meter_srtcm_profile_config(&pr.p[i], &pa[i]), 0);
	assert_int_equal(rte_meter_srtcm_config(&ours.m, &pr.p[0]), 0);
	theirs = ours.m;
	for (unsigned i = 0; i < 200000; i++) {
		struct rte_meter_srtcm_profile *p;
		enum rte_color a, b;
		uint32_t len;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		pr.cur = i / 5000; /* changed every 5000 packets */
		p = &pr.p[pr.cur & 1];
		/* a new burst: later by 0 to twice the time the rate takes to refill a burst of
		 * 8 packets (~6,200 bytes), so that all three colours come */
		if (seed % 8 == 0)
			t += (seed >> 8) % (2 * 6200 / p->cir_bytes_per_period * p->cir_period + 1);
		len = 40 + (uint32_t)((seed >> 24) % 1461);
		fast += ours.cur == pr.cur && t - ours.m.time < ours.period;
		a = qos_srtcm_check(&ours, &pr, pr.cur, t, len);
		b = rte_meter_srtcm_color_blind_check(&theirs, p, t, len);
		assert_int_equal(a, b);
		assert_memory_equal(&ours.m, &theirs, sizeof(theirs));
		colours[a]++;
	}
	/* each path and colour taken many times, or the comparison proved little */
	assert_true(fast > 100000 && fast < 190000);
	for (unsigned c = 0; c < 3; c++)
		if (colours[c] < 1000)
			fail_msg("colour %u only %u times (green %u, yellow %u, red %u, fast %u)",
				c, colours[c], colours[0], colours[1], colours[2], fast);
	(void)state;
}

static int
setup(void **state)
{
	char *argv[] = {"test_qos", "--no-huge", "--no-pci", "-m", "64", "--file-prefix",
		"vxg-test-qos", "--log-level", "lib.eal:error", "-l", "0"};

	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("qos_pool", 1023, 0, 0, 2048, SOCKET_ID_ANY);
	w = rte_zmalloc("w", sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (pool == NULL || w == NULL)
		return -1;
	w->qos = rte_zmalloc("m", VXG_QOS_METERS * sizeof(*w->qos), RTE_CACHE_LINE_SIZE);
	(void)state;
	return w->qos == NULL ? -1 : 0;
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(burst_then_refill),
	cmocka_unit_test(profile_flip),
	cmocka_unit_test(remark),
	cmocka_unit_test(unused_pool),
	cmocka_unit_test(shares),
	cmocka_unit_test(same_as_rte_meter),
};

int
main(void)
{
	return cmocka_run_group_tests_name("qos", tests, setup, NULL);
}
