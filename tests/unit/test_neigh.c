/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP and ICMP for our own addresses, and the neighbour table: the reply builders on
 * hand-built frames, the state machine on a fake clock, VTEP templates built from
 * learned neighbours (static ones win), and the workers' punt of ARP/ping.
 */
#include <rte_arp.h>
#include <rte_icmp.h>

#include "dp_fixture.h"
#include "neigh/underlay_neigh.h"

#include "ip4.h"

/* Network byte order, as the neighbour table keeps them. */
#define IPN(a, b, c, d) rte_cpu_to_be_32(IP(a, b, c, d))

static const struct rte_ether_addr HV = {{0x02, 0x00, 0xac, 0x10, 0x00, 0x03}};
static const struct rte_ether_addr HV2 = {{0x02, 0x00, 0xac, 0x10, 0x00, 0x33}};

static struct vxg_neigh_self
self_of_uplink(void)
{
	struct vxg_neigh_self s = {.mac = UL_MAC, .n_addrs = 2};

	s.addrs[0] = IPN(172, 16, 0, 1);
	s.addrs[1] = IPN(172, 16, 0, 9);
	return s;
}

static struct rte_mbuf *
arp_frame(uint16_t op, const struct rte_ether_addr *sha, rte_be32_t sip, rte_be32_t tip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	assert_non_null(m);
	assert_int_equal(vxg_arp_request(m, sha, sip, tip), 0);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_opcode = rte_cpu_to_be_16(op);
	if (op == RTE_ARP_OP_REPLY)
		eth->dst_addr = UL_MAC;
	return m;
}

static struct rte_mbuf *
echo_frame(rte_be32_t dst, uint16_t payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t len = sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
		       sizeof(struct rte_icmp_hdr) + payload;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	assert_non_null(eth);
	memset(eth, 0x5a, len);
	eth->dst_addr = UL_MAC;
	eth->src_addr = HV;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eth));
	ip->time_to_live = 63;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = IPN(172, 16, 0, 3);
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_code = 0;
	icmp->icmp_ident = RTE_BE16(0x1234);
	icmp->icmp_seq_nb = RTE_BE16(7);
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, sizeof(*icmp) + payload);
	return m;
}

static void
test_arp_reply(void **state)
{
	struct vxg_neigh_self self = self_of_uplink();
	rte_be32_t tips[] = {IPN(172, 16, 0, 1), IPN(172, 16, 0, 9)};

	for (unsigned i = 0; i < RTE_DIM(tips); i++) {
		struct rte_mbuf *m =
			arp_frame(RTE_ARP_OP_REQUEST, &HV, IPN(172, 16, 0, 3), tips[i]);
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
		struct rte_ether_addr smac;
		rte_be32_t sip = 0;

		assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_ARP_REQUEST);
		assert_int_equal(sip, IPN(172, 16, 0, 3));
		assert_true(rte_is_same_ether_addr(&smac, &HV));
		assert_true(rte_is_same_ether_addr(&eth->dst_addr, &HV));
		assert_true(rte_is_same_ether_addr(&eth->src_addr, &UL_MAC));
		assert_int_equal(arp->arp_opcode, RTE_BE16(RTE_ARP_OP_REPLY));
		assert_true(rte_is_same_ether_addr(&arp->arp_data.arp_sha, &UL_MAC));
		assert_int_equal(arp->arp_data.arp_sip, tips[i]);
		assert_true(rte_is_same_ether_addr(&arp->arp_data.arp_tha, &HV));
		assert_int_equal(arp->arp_data.arp_tip, IPN(172, 16, 0, 3));
		rte_pktmbuf_free(m);
	}
}

static void
test_arp_not_ours(void **state)
{
	struct vxg_neigh_self self = self_of_uplink();
	struct rte_mbuf *m =
		arp_frame(RTE_ARP_OP_REQUEST, &HV, IPN(172, 16, 0, 3), IPN(172, 16, 0, 4));
	struct rte_mbuf *r =
		arp_frame(RTE_ARP_OP_REPLY, &HV, IPN(172, 16, 0, 3), IPN(172, 16, 0, 1));
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	/* Someone else's request: not answered, but its sender is reported for the merge. */
	assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_IGNORED);
	assert_int_equal(sip, IPN(172, 16, 0, 3));
	assert_int_equal(rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, 14)->arp_opcode,
		RTE_BE16(RTE_ARP_OP_REQUEST));
	sip = 0;
	assert_int_equal(vxg_neigh_answer(r, &self, &sip, &smac), VXG_PUNT_ARP_REPLY);
	assert_int_equal(sip, IPN(172, 16, 0, 3));
	/* Truncated: ignored, nothing read past the end. */
	rte_pktmbuf_trim(m, m->pkt_len - 20);
	assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_IGNORED);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(r);
}

static void
test_icmp_echo_reply(void **state)
{
	struct vxg_neigh_self self = self_of_uplink();
	struct rte_mbuf *m = echo_frame(IPN(172, 16, 0, 1), 56);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_ICMP_ECHO);
	assert_int_equal(sip, 0);
	assert_true(rte_is_same_ether_addr(&eth->dst_addr, &HV));
	assert_true(rte_is_same_ether_addr(&eth->src_addr, &UL_MAC));
	assert_int_equal(ip->src_addr, IPN(172, 16, 0, 1));
	assert_int_equal(ip->dst_addr, IPN(172, 16, 0, 3));
	assert_true(dp_ip_cksum_ok(ip));
	assert_int_equal(icmp->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	assert_int_equal(icmp->icmp_ident, RTE_BE16(0x1234));
	assert_int_equal(icmp->icmp_seq_nb, RTE_BE16(7));
	assert_int_equal(rte_raw_cksum(icmp, sizeof(*icmp) + 56), 0xffff);
	rte_pktmbuf_free(m);
}

static void
test_icmp_not_ours(void **state)
{
	struct vxg_neigh_self self = self_of_uplink();
	struct rte_mbuf *m = echo_frame(IPN(172, 16, 0, 7), 8);
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_IGNORED);
	rte_pktmbuf_free(m);
	/* An echo reply to us is not answered again. */
	m = echo_frame(IPN(172, 16, 0, 1), 8);
	rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, 34)->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	assert_int_equal(vxg_neigh_answer(m, &self, &sip, &smac), VXG_PUNT_IGNORED);
	rte_pktmbuf_free(m);
}

/* The fake clock's probes, in the order they were asked for. */
static rte_be32_t probed[64];
static unsigned n_probed;

static void
probe_rec(unsigned ifi, rte_be32_t ip, void *arg)
{
	if (n_probed < RTE_DIM(probed))
		probed[n_probed++] = ip;
}

/* Run the timers every 100 ms from `from` to `to` (ms); how many probes went out. */
static unsigned
run_clock(struct vxg_neigh_table *t, uint64_t from, uint64_t to, int *changed)
{
	unsigned before = n_probed;

	*changed = 0;
	for (uint64_t now = from; now <= to; now += 100)
		*changed |= vxg_neigh_timers(t, now, probe_rec, NULL);
	return n_probed - before;
}

static void
test_neigh_probe_backoff(void **state)
{
	struct vxg_neigh_table *t = vxg_neigh_table_create(4);
	rte_be32_t hv = IPN(172, 16, 0, 3);
	int changed;

	n_probed = 0;
	assert_int_equal(vxg_neigh_want(t, 0, hv, 1000), 0);
	assert_null(vxg_neigh_mac(t, 0, hv));
	/* Probes at 1000, 2000, 4000, 8000, 16000: 1 s, 2 s, 4 s, 8 s apart. */
	assert_int_equal(run_clock(t, 1000, 1000, &changed), 1);
	assert_int_equal(run_clock(t, 1100, 1900, &changed), 0);
	assert_int_equal(run_clock(t, 2000, 2000, &changed), 1);
	assert_int_equal(run_clock(t, 2100, 3900, &changed), 0);
	assert_int_equal(run_clock(t, 4000, 16000, &changed), 3);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->probes, 5);
	/* Then no further apart than VXG_NEIGH_PROBE_MAX_MS. */
	assert_int_equal(run_clock(t, 16100, 16000 + 3 * VXG_NEIGH_PROBE_MAX_MS, &changed), 3);
	assert_int_equal(probed[0], hv);
	/* The reply resolves it: 1, the templates must be rebuilt. */
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV, false, 200000), 1);
	assert_non_null(vxg_neigh_mac(t, 0, hv));
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_REACHABLE);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->probes, 0);
	/* The same MAC again changes nothing; another MAC does. */
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV, false, 200100), 0);
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV2, false, 200200), 1);
	/* Stale after 60 s; an answer with the same MAC makes it reachable, no rebuild. */
	run_clock(t, 200300, 200200 + VXG_NEIGH_REACHABLE_MS, &changed);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_STALE);
	assert_int_equal(changed, 0);
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV2, false, 260300), 0);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_REACHABLE);
	vxg_neigh_table_destroy(t);
}

static void
test_neigh_ageing(void **state)
{
	struct vxg_neigh_table *t = vxg_neigh_table_create(4);
	rte_be32_t hv = IPN(172, 16, 0, 3), other = IPN(172, 16, 0, 4);
	uint64_t t0 = 5000, stale = t0 + VXG_NEIGH_REACHABLE_MS;
	int changed;

	n_probed = 0;
	assert_int_equal(vxg_neigh_want(t, 0, hv, t0), 0);
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV, false, t0), 1);
	/* Unsolicited and not for us: not created (RFC 826 merges only). */
	assert_int_equal(vxg_neigh_learn(t, 0, other, &HV2, false, t0), 0);
	assert_null(vxg_neigh_lookup(t, 0, other));
	/* Addressed to us: created, reachable. */
	assert_int_equal(vxg_neigh_learn(t, 0, other, &HV2, true, t0), 1);
	assert_int_equal(t->n, 2);
	/* Reachable for 60 s: no probe. */
	assert_int_equal(run_clock(t, t0, stale - 100, &changed), 0);
	/* Then stale, still used, probed 3 times (1 s, 2 s apart). */
	assert_int_equal(run_clock(t, stale, stale, &changed), 2);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_STALE);
	assert_non_null(vxg_neigh_mac(t, 0, hv));
	assert_int_equal(changed, 0);
	assert_int_equal(run_clock(t, stale + 100, stale + 3000, &changed), 4);
	/* Unanswered after the last back-off (4 s): the wanted one goes back to incomplete
	 * (the generation must drop its MAC) and is probed again at once, the other is
	 * forgotten. */
	assert_int_equal(run_clock(t, stale + 3100, stale + 7100, &changed), 1);
	assert_int_equal(changed, 1);
	assert_int_equal(t->n, 1);
	assert_null(vxg_neigh_mac(t, 0, hv));
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_INCOMPLETE);
	/* The answer resolves it again. */
	assert_int_equal(vxg_neigh_learn(t, 0, hv, &HV, false, stale + 8000), 1);
	assert_int_equal(vxg_neigh_lookup(t, 0, hv)->state, VXG_NEIGH_REACHABLE);
	vxg_neigh_table_destroy(t);
}

static void
test_neigh_unwanted_and_full(void **state)
{
	struct vxg_neigh_table *t = vxg_neigh_table_create(2);
	int changed;

	n_probed = 0;
	assert_int_equal(vxg_neigh_want(t, 0, IPN(172, 16, 0, 3), 0), 0);
	assert_int_equal(vxg_neigh_want(t, 0, IPN(172, 16, 0, 4), 0), 0);
	assert_int_equal(vxg_neigh_want(t, 0, IPN(172, 16, 0, 5), 0), -ENOSPC);
	assert_int_equal(vxg_neigh_learn(t, 0, IPN(172, 16, 0, 6), &HV, true, 0), -ENOSPC);
	assert_int_equal(t->full, 2);
	/* A reload no longer needs them: unresolved entries go at the next run. */
	vxg_neigh_unwant_all(t);
	assert_int_equal(run_clock(t, 0, 0, &changed), 0);
	assert_int_equal(t->n, 0);
	vxg_neigh_table_destroy(t);
}

/* VTEP 172.16.0.3 has no static neighbour in dp_yaml; 172.16.0.2 has one. */
static void
test_gen_uses_learned(void **state)
{
	struct vxg_neigh_table *t = vxg_neigh_table_create(8);
	const struct vxg_gen_vtep *v3, *v2;
	struct vxg_gen *g;

	v3 = vxg_vtep_by_ip(&dp.gen->vx, IPN(172, 16, 0, 3));
	assert_non_null(v3);
	assert_false(v3->resolved);
	assert_int_equal(vxg_neigh_learn(t, 0, IPN(172, 16, 0, 3), &HV, true, 0), 1);
	assert_int_equal(vxg_neigh_learn(t, 0, IPN(172, 16, 0, 2), &HV2, true, 0), 1);
	g = dp_gen_build(dp.cfg, dp.ifs, 3, 2, dp.fdb, t, NULL);
	assert_non_null(g);
	v3 = vxg_vtep_by_ip(&g->vx, IPN(172, 16, 0, 3));
	assert_true(v3->resolved);
	assert_true(rte_is_same_ether_addr(&v3->tmpl.eth.dst_addr, &HV));
	/* Static config neighbours always win over ARP. */
	v2 = vxg_vtep_by_ip(&g->vx, IPN(172, 16, 0, 2));
	assert_true(v2->resolved);
	assert_int_equal(v2->tmpl.eth.dst_addr.addr_bytes[5], 0x02);
	vxg_gen_free(g);
	vxg_neigh_table_destroy(t);
}

/* Workers punt ARP and pings to our addresses on the underlay, and nothing else. */
static void
test_worker_punts(void **state)
{
	struct rte_ring *r = rte_ring_create("t_punt", 64, 0, RING_F_SC_DEQ);
	struct rte_mbuf *pkts[4], *got[8];

	assert_non_null(r);
	dp.w->punt_ring = r;
	pkts[0] = arp_frame(RTE_ARP_OP_REQUEST, &HV, IPN(172, 16, 0, 3), IPN(172, 16, 0, 1));
	pkts[1] = arp_frame(RTE_ARP_OP_REPLY, &HV, IPN(172, 16, 0, 3), IPN(172, 16, 0, 1));
	pkts[2] = echo_frame(IPN(172, 16, 0, 1), 8);
	pkts[3] = echo_frame(IPN(172, 16, 0, 77), 8); /* not ours: decap's, not VXLAN */
	for (unsigned i = 0; i < 4; i++)
		pkts[i]->port = P_UP;
	vxg_eth_input(dp.w, &dp.gen->ifs[P_UP], pkts, 4);
	assert_int_equal(dp.w->stats.punted, 3);
	assert_int_equal(rte_ring_dequeue_burst(r, (void **)got, RTE_DIM(got), NULL), 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_ptr_equal(got[i], pkts[i]);
		assert_int_equal(got[i]->port, P_UP);
	}
	rte_pktmbuf_free_bulk(got, 3);
	assert_int_equal(dp.w->stats.drops[VXG_DROP_no_stage], 1);
	/* A full ring is a counted drop. */
	for (unsigned i = 0; i < 70; i++) {
		struct rte_mbuf *m = echo_frame(IPN(172, 16, 0, 1), 8);

		vxg_eth_input(dp.w, &dp.gen->ifs[P_UP], &m, 1);
	}
	assert_int_equal(dp.w->stats.drops[VXG_DROP_punt_full], 70 - 63);
	while (rte_ring_dequeue_burst(r, (void **)got, RTE_DIM(got), NULL) > 0)
		rte_pktmbuf_free_bulk(got, RTE_DIM(got));
	dp.w->punt_ring = NULL;
	rte_ring_free(r);
}

static void
test_arp_request(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	assert_int_equal(vxg_arp_request(m, &UL_MAC, IPN(172, 16, 0, 1), IPN(172, 16, 0, 3)), 0);
	assert_int_equal(m->pkt_len, 60);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	arp = (struct rte_arp_hdr *)(eth + 1);
	assert_true(rte_is_broadcast_ether_addr(&eth->dst_addr));
	assert_true(rte_is_same_ether_addr(&eth->src_addr, &UL_MAC));
	assert_int_equal(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_ARP));
	assert_int_equal(arp->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	assert_int_equal(arp->arp_data.arp_sip, IPN(172, 16, 0, 1));
	assert_int_equal(arp->arp_data.arp_tip, IPN(172, 16, 0, 3));
	assert_true(rte_is_zero_ether_addr(&arp->arp_data.arp_tha));
	rte_pktmbuf_free(m);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arp_reply, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_arp_not_ours, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_icmp_echo_reply, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_icmp_not_ours, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_arp_request, dp_setup, dp_teardown),
		cmocka_unit_test(test_neigh_probe_backoff),
		cmocka_unit_test(test_neigh_ageing),
		cmocka_unit_test(test_neigh_unwanted_and_full),
		cmocka_unit_test_setup_teardown(test_gen_uses_learned, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_worker_punts, dp_setup, dp_teardown),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_neigh") < 0) {
		fprintf(stderr, "test_neigh: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
