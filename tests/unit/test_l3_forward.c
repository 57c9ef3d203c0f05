/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's last step end to end on hand-built mbufs (l3_forward.c): a packet too big
 * for the egress network (ICMP with DF, else fragments), a next hop with no MAC yet (to
 * control, then sent once learned), static routes by next hop, and out of an external
 * interface (routed, ICMP errors, fragments).
 */
#include "l3_fixture.h"

/* ---- 5: MTU ------------------------------------------------------------------------ */

static void
test_too_big(void **state)
{
	const struct rte_icmp_hdr *ic;
	struct rte_mbuf *m, *o;
	uint8_t *orig;

	/* web (MTU 1450) -> db (MTU 1400) with DF: fragmentation needed, MTU 1400. */
	m = ipf(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), IPPROTO_UDP, 64, 1420, true);
	orig = save_ip(m, 18, 1420);
	rx(P_LOCAL, m);
	o = tx_one(P_LOCAL);
	ic = check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 5, &GW_WEB, IP(10, 1, 0, 1),
		&M_VM3, orig, 1420, VXG_ICMP_DEST_UNREACH, VXG_ICMP_FRAG_NEEDED);
	assert_int_equal(ic->icmp_ident, 0);
	assert_int_equal(rte_be_to_cpu_16(ic->icmp_seq_nb), 1400);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_frag_needed], 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 0);
	free(orig);
	dp_tx_clear();

	/* Exactly the MTU, with DF: routed whole. */
	m = ipf(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), IPPROTO_UDP, 64, 1400, true);
	orig = save_ip(m, 18, 1400);
	rx(P_LOCAL, m);
	o = tx_one(P_LOCAL);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 1400, &GW_DB, &M_VM7, 0);
	free(orig);
	dp_tx_clear();
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), 0);
}

/* The fragments in tx (from port p, tag vlan) reassemble to orig, each within mtu. */
static void
check_fragments(unsigned p, uint16_t vlan, const uint8_t *orig, uint16_t ip_len, uint16_t mtu,
	const struct rte_ether_addr *src, const struct rte_ether_addr *dst, bool vtep)
{
	uint8_t *re = calloc(1, ip_len);
	uint32_t covered = 0, expect_off = 0;
	uint16_t l2 = l2len(vlan);
	unsigned n = dp.w->tx[p].n;

	assert_non_null(re);
	assert_true(n >= 2);
	assert_int_equal(tx_total(), n);
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *f = dp.w->tx[p].pkts[i];
		const uint8_t *fp;
		const struct rte_ipv4_hdr *ip;
		uint16_t len, tl, off, fo;

		assert_int_equal(f->nb_segs, 1);
		if (vtep)
			fp = vx_inner(f, VTEP2, 200, &len);
		else
			fp = rte_pktmbuf_mtod(f, const uint8_t *), len = (uint16_t)f->pkt_len;
		assert_memory_equal(fp, dst->addr_bytes, 6);
		assert_memory_equal(fp + 6, src->addr_bytes, 6);
		assert_int_equal(fp[l2 - 2] << 8 | fp[l2 - 1], RTE_ETHER_TYPE_IPV4);
		ip = (const struct rte_ipv4_hdr *)(fp + l2);
		tl = rte_be_to_cpu_16(ip->total_length);
		assert_int_equal(len, l2 + tl);
		assert_true(tl <= mtu);
		assert_true(dp_ip_cksum_ok(ip));
		assert_int_equal(ip->time_to_live, orig[8] - 1);
		assert_int_equal(ip->packet_id, RTE_BE16(0x1234));
		assert_memory_equal(&ip->src_addr, orig + 12, 8);
		fo = rte_be_to_cpu_16(ip->fragment_offset);
		off = (fo & RTE_IPV4_HDR_OFFSET_MASK) * 8;
		assert_int_equal(off, expect_off);
		if (i + 1 < n) {
			assert_true(fo & RTE_IPV4_HDR_MF_FLAG);
			assert_int_equal((tl - 20) % 8, 0);
		} else {
			assert_false(fo & RTE_IPV4_HDR_MF_FLAG);
		}
		assert_false(fo & RTE_IPV4_HDR_DF_FLAG);
		assert_true(off + tl - 20 <= ip_len - 20);
		memcpy(re + 20 + off, ip + 1, tl - 20);
		covered += tl - 20;
		expect_off += tl - 20;
	}
	assert_int_equal(covered, ip_len - 20);
	assert_memory_equal(re + 20, orig + 20, ip_len - 20);
	free(re);
}

static void
test_fragmented(void **state)
{
	struct rte_mbuf *m;
	uint8_t *orig;

	/* web local VLAN 5 -> vm7 on local untagged, MTU 1400. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 1420);
	orig = save_ip(m, 18, 1420);
	rx(P_LOCAL, m);
	check_fragments(P_LOCAL, 0, orig, 1420, 1400, &GW_DB, &M_VM7, false);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 2);
	assert_int_equal(dp.w->stats.events[VXG_EV_fragmented], 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 1);
	free(orig);
	dp_tx_clear();

	/* From the overlay to vm5 on trunk VLAN 8: each fragment tagged. */
	m = udp(&M_VM1, &GW_WEB, 0, IP(10, 1, 0, 11), IP(10, 2, 0, 5), 64, 1450);
	orig = save_ip(m, 14, 1450);
	rx_overlay(m, 100);
	check_fragments(P_TRUNK, 8, orig, 1450, 1400, &GW_DB, &M_VM5, false);
	for (unsigned i = 0; i < dp.w->tx[P_TRUNK].n; i++) {
		const uint8_t *p = rte_pktmbuf_mtod(dp.w->tx[P_TRUNK].pkts[i], const uint8_t *);

		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_VLAN);
		assert_int_equal((p[14] << 8 | p[15]) & 0xfff, 8);
	}
	free(orig);
	dp_tx_clear();

	/* A fragment (offset 800, MF) fragmented again: offsets go on from 800, MF stays. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 1420);
	ip_at(m, 18)->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | 100);
	fix_cksum(ip_at(m, 18));
	rx(P_LOCAL, m);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 2);
	assert_int_equal(tx_total(), 2);
	for (unsigned i = 0; i < 2; i++) {
		const struct rte_ipv4_hdr *ip = ip_at(dp.w->tx[P_LOCAL].pkts[i], 14);
		uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);

		assert_true(dp_ip_cksum_ok(ip));
		assert_true(fo & RTE_IPV4_HDR_MF_FLAG);
		assert_int_equal(fo & RTE_IPV4_HDR_OFFSET_MASK, i == 0 ? 100 : 100 + 1376 / 8);
		assert_true(rte_be_to_cpu_16(ip->total_length) <= 1400);
	}
	dp_tx_clear();

	/* To vm6 behind the VTEP: fragments, each encapsulated. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 6), 64, 1440);
	orig = save_ip(m, 18, 1440);
	rx(P_LOCAL, m);
	check_fragments(P_UP, 0, orig, 1440, 1400, &GW_DB, &M_VM6, true);
	free(orig);
	dp_tx_clear();
	assert_int_equal(dp.w->stats.events[VXG_EV_fragmented], 4);
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), 0);
}

/* ---- 6: neighbour misses, static route ---------------------------------------------- */

static void
check_miss(struct rte_mbuf *p, const uint8_t *orig, uint16_t ip_len, uint32_t vni, uint32_t nh)
{
	const uint8_t *b = rte_pktmbuf_mtod(p, const uint8_t *);

	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_NEIGH_MISS);
	assert_int_equal(vxg_meta(p)->vni, vni);
	assert_int_equal(vxg_meta(p)->nexthop, rte_cpu_to_be_32(nh));
	assert_int_equal(p->l2_len, 14);
	assert_int_equal(p->pkt_len, 14 + ip_len);
	assert_memory_equal(b + 6, GW_DB.addr_bytes, 6);
	assert_int_equal(b[12] << 8 | b[13], RTE_ETHER_TYPE_IPV4);
	assert_true(dp_ip_cksum_ok((const struct rte_ipv4_hdr *)(b + 14)));
	assert_int_equal(b[14 + 8], orig[8] - 1);
	assert_memory_equal(b + 14 + 12, orig + 12, ip_len - 12);
}

static void
test_neigh_miss_then_learned(void **state)
{
	struct rte_mbuf *m, *p, *o;
	uint8_t *orig;

	/* 10.2.0.99 is in db but no port declares it: to control, tag off, TTL spent. */
	m = udp(&M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 99), 64, 100);
	orig = save_ip(m, 18, 100);
	rx(P_TRUNK, m);
	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_punted(&p), 1);
	check_miss(p, orig, 100, 200, IP(10, 2, 0, 99));
	rte_pktmbuf_free(p);
	assert_int_equal(dp.w->stats.events[VXG_EV_neigh_miss], 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 0);

	/* Control learns it at vm8 (a port without an address): forwarded, no punt. */
	assert_non_null(
		vxg_l3n_learn(dp.l3n, 200, rte_cpu_to_be_32(IP(10, 2, 0, 99)), &M_VM8, true, 1000));
	m = udp(&M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 99), 64, 100);
	rx(P_TRUNK, m);
	assert_int_equal(dp_punted(NULL), 0);
	o = tx_one(P_LOCAL);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 100, &GW_DB, &M_VM8, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 1);
	free(orig);
	dp_tx_clear();
}

static void
test_static_route_nexthop(void **state)
{
	struct rte_mbuf *m, *p, *o;
	uint8_t *orig;

	/* 192.168.0.0/16 via 10.2.0.254: the address to resolve is the next hop's. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(192, 168, 7, 9), 64, 60);
	orig = save_ip(m, 18, 60);
	rx(P_LOCAL, m);
	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_punted(&p), 1);
	check_miss(p, orig, 60, 200, IP(10, 2, 0, 254));
	rte_pktmbuf_free(p);

	assert_non_null(vxg_l3n_learn(
		dp.l3n, 200, rte_cpu_to_be_32(IP(10, 2, 0, 254)), &M_VM8, true, 1000));
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(192, 168, 7, 9), 64, 60);
	rx(P_LOCAL, m);
	assert_int_equal(dp_punted(NULL), 0);
	o = tx_one(P_LOCAL);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 60, &GW_DB, &M_VM8, 0);
	free(orig);
	dp_tx_clear();
}

/* A packet too big for the egress network whose next hop has no MAC yet gets what it
 * would get with one (l3_forward): ICMP frag needed with DF, fragments without. */
static void
test_neigh_miss_too_big(void **state)
{
	struct rte_mbuf *m, *o, *p;
	uint8_t *orig;

	/* The MTU is checked at the lookup, before the neighbour: DF draws the error even
	 * while the next hop is unresolved, and without DF the fragments wait for it. */
	/* DF, 1420 bytes for db (MTU 1400), to 10.2.0.99 (no neighbour entry). */
	m = ipf(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 99), IPPROTO_UDP, 64, 1420, true);
	orig = save_ip(m, 18, 1420);
	rx(P_LOCAL, m);
	assert_int_equal(dp_punted(NULL), 0);
	o = tx_one(P_LOCAL);
	check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 5, &GW_WEB, IP(10, 1, 0, 1), &M_VM3,
		orig, 1420, VXG_ICMP_DEST_UNREACH, VXG_ICMP_FRAG_NEEDED);
	free(orig);
	dp_tx_clear();

	/* Without DF: whatever goes to control fits db's MTU. */
	rx(P_LOCAL, udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 99), 64, 1420));
	while (rte_ring_dequeue(dp.punt, (void **)&p) == 0) {
		assert_int_equal(vxg_meta(p)->why, VXG_PUNT_NEIGH_MISS);
		assert_true(rte_be_to_cpu_16(ip_at(p, 14)->total_length) <= 1400);
		rte_pktmbuf_free(p);
	}
}

/* ---- Out of an external interface ------------------------------------------------- */

static void
test_routed_external(void **state)
{
	const struct rte_icmp_hdr *ic;
	struct rte_mbuf *m, *o;
	uint8_t *orig;

	/* 198.51.100.0/24 via wan: untagged, from wan's MAC to its gateway's. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(198, 51, 100, 10), 64, 100);
	orig = save_ip(m, 18, 100);
	rx(P_LOCAL, m);
	o = tx_one(P_WAN);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 100, &dp.ifs[P_WAN].mac,
		&WAN_GW, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 1);
	free(orig);
	dp_tx_clear();

	/* A next hop on wan with no neighbour entry. */
	rx(P_LOCAL, udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(100, 64, 1, 1), 64, 100));
	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_drops(VXG_DROP_nh_unresolved), 1);

	/* TTL 1 towards wan: time exceeded from web's gateway. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(198, 51, 100, 10), 1, 100);
	orig = save_ip(m, 18, 100);
	rx(P_LOCAL, m);
	o = tx_one(P_LOCAL);
	check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 5, &GW_WEB, IP(10, 1, 0, 1), &M_VM3,
		orig, 100, VXG_ICMP_TIME_EXCEEDED, 0);
	free(orig);
	dp_tx_clear();

	/* red's web (MTU 1550) -> wan (MTU 1500) with DF: fragmentation needed, 1500. */
	m = ipf(&M_R1, &GW_RWEB, 11, IP(10, 1, 0, 4), IP(198, 51, 100, 10), IPPROTO_UDP, 64, 1550,
		true);
	orig = save_ip(m, 18, 1550);
	rx(P_TRUNK, m);
	o = tx_one(P_TRUNK);
	ic = check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 11, &GW_RWEB, IP(10, 1, 0, 1),
		&M_R1, orig, 1550, VXG_ICMP_DEST_UNREACH, VXG_ICMP_FRAG_NEEDED);
	assert_int_equal(rte_be_to_cpu_16(ic->icmp_seq_nb), 1500);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_frag_needed], 1);
	free(orig);
	dp_tx_clear();
}

/* Too big for wan's MTU without DF: fragmented, as into a network (vxg_l3.h: "too big
 * without DF is fragmented"). */
static void
test_external_fragmentation(void **state)
{
	struct rte_mbuf *m;
	uint8_t *orig;

	m = udp(&M_R1, &GW_RWEB, 11, IP(10, 1, 0, 4), IP(198, 51, 100, 10), 64, 1550);
	orig = save_ip(m, 18, 1550);
	rx(P_TRUNK, m);
	check_fragments(P_WAN, 0, orig, 1550, 1500, &dp.ifs[P_WAN].mac, &WAN_GW, false);
	assert_int_equal(dp.w->stats.events[VXG_EV_fragmented], 1);
	free(orig);
	dp_tx_clear();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_too_big),
		T(test_fragmented),
		T(test_neigh_miss_then_learned),
		T(test_static_route_nexthop),
		T(test_neigh_miss_too_big),
		T(test_routed_external),
		T(test_external_fragmentation),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_l3_forward") < 0) {
		fprintf(stderr, "test_l3_forward: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
