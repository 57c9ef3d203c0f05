/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router stage end to end on hand-built mbufs (vxg_eth_input -> L2 -> vxg_l3_input
 * -> L2 output): routing between two networks of a VPC (access ports, VLAN tags, VTEPs),
 * TTL and ICMP errors with their rate limit, no route, local delivery, malformed IPv4,
 * VPC isolation. The next hop's side (MTU, neighbour misses, external interfaces) is in
 * test_l3_forward.c.
 */
#include "l3_fixture.h"

/* ---- 1, 2: routed between networks ----------------------------------------------------- */

static void
test_routed_access_and_vtep(void **state)
{
	struct rte_mbuf *m, *o;
	const uint8_t *inner;
	uint16_t len;
	uint8_t *orig;

	/* web, behind VTEP 172.16.0.2 -> vm7 on local, untagged. */
	m = udp(&M_VM1, &GW_WEB, 0, IP(10, 1, 0, 11), IP(10, 2, 0, 7), 64, 200);
	orig = save_ip(m, 14, 200);
	rx_overlay(m, 100);
	o = tx_one(P_LOCAL);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 200, &GW_DB, &M_VM7, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 1);
	assert_int_equal(dp_punted(NULL), 0);
	free(orig);
	dp_tx_clear();

	/* web on local VLAN 5 -> vm6 behind VTEP 172.16.0.2: encapsulated, VNI 200, the access
	 * tag does not cross the overlay. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 6), 17, 300);
	orig = save_ip(m, 18, 300);
	rx(P_LOCAL, m);
	o = tx_one(P_UP);
	inner = vx_inner(o, VTEP2, 200, &len);
	check_routed(inner, len, orig, 300, &GW_DB, &M_VM6, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 2);
	free(orig);
	dp_tx_clear();

	/* Ethernet padding after the IPv4 packet does not leave the router. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 5), 64, 28);
	orig = save_ip(m, 18, 28);
	assert_non_null(rte_pktmbuf_append(m, 18));
	rx(P_LOCAL, m);
	o = tx_one(P_TRUNK);
	check_routed(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 28, &GW_DB, &M_VM5, 8);
	free(orig);
	dp_tx_clear();
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), 0);
}

static void
test_routed_vlan_tags(void **state)
{
	/* trunk VLAN 7 (web) -> vm7 on local untagged (db): the tag comes off. */
	route_through(P_TRUNK, &M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 7), P_LOCAL,
		&GW_DB, &M_VM7, 0);

	/* local untagged (db) -> vm4 on trunk VLAN 7 (web): a tag is pushed. */
	route_through(P_LOCAL, &M_VM7, &GW_DB, 0, IP(10, 2, 0, 7), IP(10, 1, 0, 4), P_TRUNK,
		&GW_WEB, &M_VM4, 7);

	/* trunk VLAN 7 (web) -> vm5 on trunk VLAN 8 (db), the same interface: rewritten. */
	route_through(P_TRUNK, &M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 5), P_TRUNK,
		&GW_DB, &M_VM5, 8);

	/* local untagged (db) -> vm3 on local VLAN 5 (web): pushed, back out of its port. */
	route_through(P_LOCAL, &M_VM7, &GW_DB, 0, IP(10, 2, 0, 7), IP(10, 1, 0, 3), P_LOCAL,
		&GW_WEB, &M_VM3, 5);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 4);
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), 0);
}

/* ---- 3, 4: TTL, no route ------------------------------------------------------------- */

static void
test_ttl_exceeded_and_ratelimit(void **state)
{
	struct rte_mbuf *m, *o, *burst[3];
	uint8_t *orig;

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 1, 100);
	orig = save_ip(m, 18, 100);
	rx(P_LOCAL, m);
	o = tx_one(P_LOCAL);
	check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 5, &GW_WEB, IP(10, 1, 0, 1), &M_VM3,
		orig, 100, VXG_ICMP_TIME_EXCEEDED, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_time_exceeded], 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 0);
	free(orig);
	dp_tx_clear();

	/* TTL 0 as well; from the overlay, the error goes back through the VTEP. */
	m = udp(&M_VM1, &GW_WEB, 0, IP(10, 1, 0, 11), IP(10, 2, 0, 7), 0, 64);
	orig = save_ip(m, 14, 64);
	rx_overlay(m, 100);
	{
		uint16_t len;
		const uint8_t *in = vx_inner(tx_one(P_UP), VTEP2, 100, &len);

		check_icmp(in, len, 0, &GW_WEB, IP(10, 1, 0, 1), &M_VM1, orig, 64,
			VXG_ICMP_TIME_EXCEEDED, 0);
	}
	free(orig);
	dp_tx_clear();

	/* A bucket of 2 (one token an hour): the third error of a burst is not sent. */
	vxg_ratelimit_init(&dp.w->icmp_rl, rte_get_tsc_hz() * 3600, 1, 2);
	for (unsigned i = 0; i < 3; i++)
		burst[i] = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 1, 100);
	vxg_eth_input(dp.w, dp_if(P_LOCAL), burst, 3);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 2);
	assert_int_equal(tx_total(), 2);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_time_exceeded], 4);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_ratelimited], 1);
	assert_int_equal(dp_drops(VXG_DROP_ttl_exceeded), 1);
	dp_tx_clear();
	assert_int_equal(dp_punted(NULL), 0);
}

/* The default bucket (100): a burst of 101 expired packets gets 100 errors. */
static void
test_ratelimit_default_burst(void **state)
{
	struct rte_mbuf *burst[101];

	/* Refills at 1000/s: freeze it at its 100 tokens by moving its clock to the future. */
	dp.w->icmp_rl.last = rte_rdtsc() + rte_get_tsc_hz() * 3600;
	for (unsigned i = 0; i < 101; i++)
		burst[i] = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 1, 64);
	vxg_eth_input(dp.w, dp_if(P_LOCAL), burst, 101);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 100);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_time_exceeded], 100);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_ratelimited], 1);
	assert_int_equal(dp_drops(VXG_DROP_ttl_exceeded), 1);
	dp_tx_clear();
}

static void
test_no_route(void **state)
{
	const struct rte_icmp_hdr *ic;
	struct rte_mbuf *m, *o;
	uint8_t *orig;

	m = udp(&M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(8, 8, 8, 8), 64, 80);
	orig = save_ip(m, 18, 80);
	rx(P_TRUNK, m);
	o = tx_one(P_TRUNK);
	ic = check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 7, &GW_WEB, IP(10, 1, 0, 1),
		&M_VM4, orig, 80, VXG_ICMP_DEST_UNREACH, VXG_ICMP_NET_UNREACH);
	assert_int_equal(ic->icmp_ident, 0);
	assert_int_equal(ic->icmp_seq_nb, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_unreachable], 1);
	free(orig);
	dp_tx_clear();

	/* No error about an ICMP error (RFC 1812 4.3.2.7): dropped under no_route. */
	m = ipf(&M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(8, 8, 8, 8), IPPROTO_ICMP, 64, 64, false);
	{
		struct rte_icmp_hdr *i = (struct rte_icmp_hdr *)(ip_at(m, 18) + 1);

		i->icmp_type = VXG_ICMP_DEST_UNREACH;
	}
	rx(P_TRUNK, m);
	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_drops(VXG_DROP_no_route), 1);
	/* A packet from a broadcast source: port security stops it before the router (which
	 * would send no ICMP error about it either). */
	rx(P_TRUNK, udp(&M_VM4, &GW_WEB, 7, IP(255, 255, 255, 255), IP(8, 8, 8, 8), 64, 64));
	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_drops(VXG_DROP_spoof_ip), 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_unreachable], 1);
}

/* ---- 7: local delivery --------------------------------------------------------------- */

static struct rte_mbuf *
punted_one(void)
{
	struct rte_mbuf *p;

	assert_int_equal(dp_punted(&p), 1);
	return p;
}

static void
test_local_delivery(void **state)
{
	struct rte_mbuf *m, *p;
	const uint8_t *b;

	/* Ping the gateway of its own network: untagged, Ethernet first. */
	rx(P_LOCAL, ipf(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 1, 0, 1), IPPROTO_ICMP, 64, 64,
			    false));
	p = punted_one();
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_ROUTER);
	assert_int_equal(vxg_meta(p)->vni, 100);
	b = rte_pktmbuf_mtod(p, const uint8_t *);
	assert_int_equal(p->pkt_len, 14 + 64);
	assert_int_equal(b[12] << 8 | b[13], RTE_ETHER_TYPE_IPV4);
	assert_int_equal(b[14 + 8], 64); /* for the router: TTL untouched */
	rte_pktmbuf_free(p);

	/* Ping another network's gateway: the router's too, from the ingress network. */
	rx(P_LOCAL, ipf(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 1), IPPROTO_ICMP, 1, 64,
			    false));
	p = punted_one();
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_ROUTER);
	assert_int_equal(vxg_meta(p)->vni, 100);
	rte_pktmbuf_free(p);

	/* A DHCP client's broadcast in db (a DHCP server): to control as DHCP. */
	m = udp(&M_VM7, &BCAST, 0, 0, IP(255, 255, 255, 255), 64, 300);
	{
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip_at(m, 14) + 1);

		u->src_port = RTE_BE16(68);
		u->dst_port = RTE_BE16(67);
	}
	rx(P_LOCAL, m);
	p = punted_one();
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_DHCP);
	assert_int_equal(vxg_meta(p)->vni, 200);
	rte_pktmbuf_free(p);
	assert_int_equal(tx_total(), 0);
	/* A renewal, unicast to the gateway. */
	m = udp(&M_VM7, &GW_DB, 0, IP(10, 2, 0, 7), IP(10, 2, 0, 1), 64, 300);
	((struct rte_udp_hdr *)(ip_at(m, 14) + 1))->dst_port = RTE_BE16(67);
	rx(P_LOCAL, m);
	p = punted_one();
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_DHCP);
	rte_pktmbuf_free(p);

	/* The same broadcast in web (no DHCP server): switched (flooded), not punted. */
	m = udp(&M_VM3, &BCAST, 5, 0, IP(255, 255, 255, 255), 64, 300);
	((struct rte_udp_hdr *)(ip_at(m, 18) + 1))->dst_port = RTE_BE16(67);
	rx(P_LOCAL, m);
	assert_int_equal(dp_punted(NULL), 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1); /* vm4's VLAN 7; vm1's VTEP: no flood list */
	dp_tx_clear();

	/* ARP for the gateway: the router's. ARP for another address: flooded. */
	rx(P_LOCAL, arp_req(&M_VM3, 5, IP(10, 1, 0, 3), IP(10, 1, 0, 1)));
	p = punted_one();
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_ROUTER);
	assert_int_equal(vxg_meta(p)->vni, 100);
	assert_int_equal(p->l2_len, 14);
	b = rte_pktmbuf_mtod(p, const uint8_t *);
	assert_int_equal(b[12] << 8 | b[13], RTE_ETHER_TYPE_ARP);
	rte_pktmbuf_free(p);
	assert_int_equal(tx_total(), 0);
	rx(P_LOCAL, arp_req(&M_VM3, 5, IP(10, 1, 0, 3), IP(10, 1, 0, 4)));
	assert_int_equal(dp_punted(NULL), 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1);
	dp_tx_clear();
	/* ARP in db for web's gateway address: not db's gateway, flooded. */
	rx(P_LOCAL, arp_req(&M_VM7, 0, IP(10, 2, 0, 7), IP(10, 1, 0, 1)));
	assert_int_equal(dp_punted(NULL), 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1); /* vm5 on VLAN 8 */
	dp_tx_clear();

	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 0);
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), 0);
}

/* ---- 8: malformed IPv4 to the router ------------------------------------------------ */

static void
test_bad_ipv4(void **state)
{
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	ip_at(m, 18)->hdr_checksum ^= 0x0101;
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_checksum), 1);

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	ip = ip_at(m, 18);
	ip->version_ihl = 0x44; /* IHL 16 bytes */
	fix_cksum(ip);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_header), 1);

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	ip = ip_at(m, 18);
	ip->version_ihl = 0x65; /* version 6 under ethertype IPv4 */
	fix_cksum(ip);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_header), 2);

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	ip = ip_at(m, 18);
	ip->total_length = RTE_BE16(101); /* longer than the frame */
	fix_cksum(ip);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_header), 3);

	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	ip = ip_at(m, 18);
	ip->total_length = RTE_BE16(19); /* shorter than its header */
	fix_cksum(ip);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_header), 4);

	/* A frame too short for an IPv4 header. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	rte_pktmbuf_trim(m, 88);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_ip_bad_header), 5);

	/* The IPv6 ethertype on an IPv4 header to the router's MAC: port security takes it
	 * first from a port with addresses. */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	rte_pktmbuf_mtod_offset(m, struct rte_vlan_hdr *, 14)->eth_proto =
		RTE_BE16(RTE_ETHER_TYPE_IPV6);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_psec_ip6_header), 1);

	assert_int_equal(tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 0);
}

/* ---- 9: VPC isolation --------------------------------------------------------------- */

static void
test_vpc_isolation(void **state)
{
	struct rte_mbuf *m, *o;
	uint8_t *orig;

	/* red's web -> 10.2.0.5: red's r5 on VLAN 10, not blue's vm5 on VLAN 8. */
	route_through(P_TRUNK, &M_R1, &GW_RWEB, 11, IP(10, 1, 0, 4), IP(10, 2, 0, 5), P_TRUNK,
		&GW_RDB, &M_R5, 10);

	/* blue's web, same addresses: blue's vm5. */
	route_through(P_TRUNK, &M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 5), P_TRUNK,
		&GW_DB, &M_VM5, 8);

	/* Both VPCs in one burst (per-packet lookups). */
	{
		struct rte_mbuf *b[2] = {
			udp(&M_R1, &GW_RWEB, 11, IP(10, 1, 0, 4), IP(10, 2, 0, 5), 64, 100),
			udp(&M_VM4, &GW_WEB, 7, IP(10, 1, 0, 4), IP(10, 2, 0, 5), 64, 100),
		};
		const uint8_t *p0, *p1;

		vxg_eth_input(dp.w, dp_if(P_TRUNK), b, 2);
		assert_int_equal(dp.w->tx[P_TRUNK].n, 2);
		p0 = rte_pktmbuf_mtod(dp.w->tx[P_TRUNK].pkts[0], const uint8_t *);
		p1 = rte_pktmbuf_mtod(dp.w->tx[P_TRUNK].pkts[1], const uint8_t *);
		assert_memory_equal(p0, M_R5.addr_bytes, 6);
		assert_int_equal((p0[14] << 8 | p0[15]) & 0xfff, 10);
		assert_memory_equal(p1, M_VM5.addr_bytes, 6);
		assert_int_equal((p1[14] << 8 | p1[15]) & 0xfff, 8);
		dp_tx_clear();
	}

	/* blue's static route is not red's: no route. Red's own gateway answers. */
	m = udp(&M_R1, &GW_RWEB, 11, IP(10, 1, 0, 4), IP(192, 168, 7, 9), 64, 100);
	orig = save_ip(m, 18, 100);
	rx(P_TRUNK, m);
	o = tx_one(P_TRUNK);
	check_icmp(rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, 11, &GW_RWEB, IP(10, 1, 0, 1), &M_R1,
		orig, 100, VXG_ICMP_DEST_UNREACH, VXG_ICMP_NET_UNREACH);
	free(orig);
	dp_tx_clear();
	assert_int_equal(dp_punted(NULL), 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 4);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_routed_access_and_vtep),
		T(test_routed_vlan_tags),
		T(test_ttl_exceeded_and_ratelimit),
		T(test_ratelimit_default_burst),
		T(test_no_route),
		T(test_local_delivery),
		T(test_bad_ipv4),
		T(test_vpc_isolation),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_l3_router") < 0) {
		fprintf(stderr, "test_l3_router: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
