/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security and the security-group stage (dataplane/sg/sg.c) end to end on hand-built
 * mbufs (vxg_eth_input -> L2 [-> router] -> SG -> tx buffers): switched and routed
 * traffic, stateful replies, port security, a full conntrack table, the router's own ICMP
 * errors, floods meeting the receivers' ingress rules, and packets to the router's own
 * addresses. Reloads are in test_sg_reload.c.
 */
#include "sg_fixture.h"

/* ---- 1. Switched ---------------------------------------------------------------------- */

/* vm3 (local, VLAN 5) -> vm1 (behind the VTEP) in web: tcp/80 in, tracked; tcp/22 not. */
static void
test_dp_switched(void **state)
{
	const struct vxg_ct_entry *e;
	struct rte_mbuf *o;

	o = expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 80);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 0);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_SENT);
	assert_int_equal(e->gen, 1);

	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40001, 22, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);

	/* web takes ICMP too; UDP only on 5000-5999. */
	expect_pass(P_LOCAL,
		sg_pkt(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, IPPROTO_ICMP, 7, 7,
			RTE_IP_ICMP_ECHO_REQUEST),
		P_UP);
	expect_drop(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 53),
		VXG_DROP_sg_ingress_deny);
	/* vm9 has no group: only vm1's ingress rules apply to what it sends. */
	expect_pass(
		P_TRUNK, sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP_VM9, IP_VM1, 40000, 80, SYN), P_UP);
	expect_drop(P_TRUNK, sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP_VM9, IP_VM1, 40000, 22, SYN),
		VXG_DROP_sg_ingress_deny);
	/* client takes nothing in. */
	expect_drop(P_TRUNK, sg_tcp(&S_VM9, &S_VM3, VLAN_VM9, IP_VM9, IP_VM3, 40000, 80, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_created), 3);
}

/* ---- 2. Stateful ---------------------------------------------------------------------- */

/* vm1's answers to what vm3 opened come in; what vm1 opens towards vm3 does not. */
static void
test_dp_stateful(void **state)
{
	const struct vxg_ct_entry *e;
	struct rte_mbuf *o;

	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 0);
	o = expect_pass(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, SYNACK), 100),
		P_LOCAL);
	sg_check_frame(rte_pktmbuf_mtod(o, const uint8_t *), &S_VM3, VLAN_VM3, 40000);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 1);
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_RECV);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK), P_UP);
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);

	/* vm1 opening a connection to vm3: client has no ingress rule. */
	expect_drop(P_UP, from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 50000, 22, SYN), 100),
		VXG_DROP_sg_ingress_deny);
	/* Nor does an "answer" from a port vm3 never talked to. */
	expect_drop(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 81, 40000, SYNACK), 100),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
}

/* ---- 3. Port security ------------------------------------------------------------------ */

static void
test_dp_port_security(void **state)
{
	struct rte_mbuf *m;

	/* Not vm3's address; its allowed address pair; its own. */
	expect_drop(P_LOCAL,
		sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP(10, 1, 0, 99), IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_ip);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_PAIR, IP_VM1, 40000, 80, SYN), P_UP);
	/* ARP: claiming another address; its own (flooded to vm9's VLAN, the only other
	 * access VLAN of web, no flood list); its pair's. */
	expect_drop(
		P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP(10, 1, 0, 99), IP_VM9), VXG_DROP_spoof_arp);
	expect_pass(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_VM3, IP_VM9), P_TRUNK);
	expect_pass(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_PAIR, IP_VM9), P_TRUNK);
	/* A DHCP server in vm3. */
	expect_drop(P_LOCAL,
		sg_udp(&S_VM3, &S_BCAST, VLAN_VM3, IP_VM3, IP(255, 255, 255, 255), 67, 68),
		VXG_DROP_spoof_dhcp);
	/* The IPv6 ethertype on an IPv4 header: IPv6's checks cannot read it; nor any
	 * ethertype but IPv4, IPv6 and ARP. */
	m = sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN);
	*rte_pktmbuf_mtod_offset(m, rte_be16_t *, 16) = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	expect_drop(P_LOCAL, m, VXG_DROP_psec_ip6_header);
	m = sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN);
	*rte_pktmbuf_mtod_offset(m, rte_be16_t *, 16) = RTE_BE16(0x88b5);
	expect_drop(P_LOCAL, m, VXG_DROP_port_sec_ethertype);
	/* A MAC that is no port's, where a port with groups lives: not learned either. */
	expect_drop(P_LOCAL, sg_tcp(&S_STRANGER, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_mac);
	assert_int_equal(sg_event(VXG_EV_fdb_learned), 0);
	/* vm1's MAC on vm3's port; vm1 is still behind its VTEP afterwards. */
	expect_drop(P_LOCAL, sg_tcp(&S_VM1, &S_VM9, VLAN_VM3, IP_VM1, IP_VM9, 40000, 80, SYN),
		VXG_DROP_spoof_mac);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40002, 80, SYN), P_UP);
	/* vm9 (no group) is held to its address too... */
	expect_drop(P_TRUNK,
		sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP(10, 1, 0, 98), IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_ip);
	/* ...but where no port with groups lives, a MAC that is no port's is learned. */
	expect_pass(P_TRUNK,
		sg_tcp(&S_STRANGER, &S_VM1, VLAN_VM9, IP(10, 1, 0, 77), IP_VM1, 40000, 80, SYN),
		P_UP);
	assert_int_equal(sg_event(VXG_EV_fdb_learned), 1);
}

/* ---- 4. Routed ------------------------------------------------------------------------ */

/* db takes 5432 from web's members: vm1 yes, vm3 (client) no. */
static void
test_dp_routed(void **state)
{
	const uint8_t *p;
	struct rte_mbuf *o;

	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 5432, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_routed), 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 0);

	o = expect_pass(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5432, SYN), 100),
		P_TRUNK);
	p = rte_pktmbuf_mtod(o, const uint8_t *);
	sg_check_frame(p, &S_VM2, VLAN_VM2, 5432);
	assert_memory_equal(p + 6, S_GW_DB.addr_bytes, 6);
	assert_int_equal(p[18 + 8], 63); /* TTL */
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	/* vm2's answer, routed back to vm1: a conntrack hit. */
	o = expect_pass(P_TRUNK,
		sg_tcp(&S_VM2, &S_GW_DB, VLAN_VM2, IP_VM2, IP_VM1, 5432, 40000, SYNACK), P_UP);
	sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 40000);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 1);
	/* Not 5433, even from web. */
	expect_drop(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5433, SYN), 100),
		VXG_DROP_sg_ingress_deny);
}

/*
 * The same flows again and again, each in a burst of its own: once the worker's caches
 * know the addresses, the router's fast path routes them, and the groups still decide.
 */
static void
test_dp_routed_warm(void **state)
{
	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *o;

		o = expect_pass(P_UP,
			from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5432,
					  i == 0 ? SYN : ACK),
				100),
			P_TRUNK);
		sg_check_frame(rte_pktmbuf_mtod(o, const uint8_t *), &S_VM2, VLAN_VM2, 5432);
		o = expect_pass(P_TRUNK,
			sg_tcp(&S_VM2, &S_GW_DB, VLAN_VM2, IP_VM2, IP_VM1, 5432, 40000,
				i == 0 ? SYNACK : ACK),
			P_UP);
		sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 40000);
		expect_drop(P_UP,
			from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40001, 5433, SYN),
				100),
			VXG_DROP_sg_ingress_deny);
		expect_drop(P_LOCAL,
			sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 5432, SYN),
			VXG_DROP_sg_ingress_deny);
	}
	assert_int_equal(sg_event(VXG_EV_routed), 16);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 7);
	/* After the first packet, the worker's exact-match cache finds the connection, but for
	 * vm2's first frame: a MAC not yet in the FDB position cache takes the batched path. */
	assert_int_equal(sg_event(VXG_EV_ct_cached), 6);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
}

/* ---- 5. Conntrack full ----------------------------------------------------------------- */

static void
test_dp_conntrack_full(void **state)
{
	uint64_t passed = 0, full;

	expect_pass(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 1000, 5001), P_UP);
	for (uint16_t i = 0; i < 200; i++) {
		dp_tx_clear();
		sg_rx(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1,
				       (uint16_t)(2000 + i), 5001));
		passed += dp.w->tx[P_UP].n;
	}
	dp_tx_clear();
	full = dp_drops(VXG_DROP_conntrack_full);
	assert_true(full > 0);
	assert_true(passed > 0);
	assert_int_equal(passed + full, 200);
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), full);
	assert_int_equal(sg_event(VXG_EV_ct_created), passed + 1);
	assert_int_equal(vxg_ct_count(sgd.ct), passed + 1);
	assert_true(vxg_ct_count(sgd.ct) <= 64);

	/* The flow created before the table filled still passes, both ways. */
	expect_pass(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 1000, 5001), P_UP);
	expect_pass(P_UP, from_vtep(sg_udp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 5001, 1000), 100),
		P_LOCAL);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	/* A new one still finds no room. */
	expect_drop(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 999, 5001),
		VXG_DROP_conntrack_full);
}

/* ---- The router's own ICMP errors ------------------------------------------------------ */

/*
 * A traceroute from vm3 through the VPC router: the probe expires in the router (before
 * any SG stage saw it, so nothing is tracked), and the time-exceeded must still reach vm3
 * although client takes nothing in: the router's frames are not filtered (VXG_LPORT_SELF).
 */
static void
test_dp_router_icmp_error_to_port(void **state)
{
	struct rte_mbuf *m = sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 33434);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 18);

	ip->time_to_live = 1;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m = expect_pass(P_LOCAL, m, P_LOCAL);
	assert_int_equal(sg_event(VXG_EV_icmp_time_exceeded), 1);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), S_VM3.addr_bytes, 6);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 14)[1], VLAN_VM3);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 18)[9], IPPROTO_ICMP);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 18 + 20)[0], 11);
}

/* ---- Floods meet the receivers' ingress rules ------------------------------------------- */

/* The slot + 1 of blue's port number p (config order), as FDB entries and counters use. */
static uint16_t
sg_slot(uint32_t p)
{
	for (uint32_t s = 0; s < dp.gen->n_lports; s++)
		if (dp.gen->lports[s].flags != 0 && dp.gen->lports[s].vpc_port == p)
			return (uint16_t)(s + 1);
	fail_msg("no slot for port %u", p);
	return 0;
}

/* Per-port counters for the worker, as the daemon gives it; sg_teardown frees them. */
static void
sg_lport_ctr(void)
{
	dp.w->lport_ctr = rte_zmalloc(NULL, VXG_LPORT_MAX * sizeof(*dp.w->lport_ctr), 0);
	assert_non_null(dp.w->lport_ctr);
}

/* m, received on port `in`, leaves by the ports of mask (bit per port, one frame each)
 * and nowhere else; drops: `deny` more sg_ingress_deny, nothing else. */
static void
expect_flood(unsigned in, struct rte_mbuf *m, unsigned mask, unsigned deny)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	for (int r = 0; r < VXG_DROP_MAX; r++) {
		uint64_t want = before.drops[r] + (r == VXG_DROP_sg_ingress_deny ? deny : 0);

		if (dp.w->stats.drops[r] != want)
			fail_msg("drop counter %s: %" PRIu64 ", expected %" PRIu64,
				vxg_drop_names[r], dp.w->stats.drops[r], want);
	}
	for (unsigned p = 0; p < 3; p++)
		if (dp.w->tx[p].n != ((mask >> p) & 1))
			fail_msg("port %u sent %u frames, expected %u", p, dp.w->tx[p].n,
				(mask >> p) & 1);
	assert_int_equal(dp_punted(NULL), 0);
}

#define TX_UP (1u << P_UP)
#define TX_LOCAL (1u << P_LOCAL)
#define TX_TRUNK (1u << P_TRUNK)

/*
 * A broadcast from vm1 (behind the VTEP) to web's broadcast address, UDP 9999: vm9's VLAN
 * (no groups) gets it, vm3's does not (client takes nothing in), counted as vm3's denial.
 * ARP broadcasts still reach vm3.
 */
static void
test_dp_flood_meets_ingress(void **state)
{
	uint16_t vm3 = sg_slot(1);

	sg_lport_ctr();
	expect_flood(P_UP,
		from_vtep(sg_udp(&S_VM1, &S_BCAST, 0, IP_VM1, IP(10, 1, 0, 255), 40000, 9999), 100),
		TX_TRUNK, 1);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].denied, 1);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].allowed, 0);
	assert_int_equal(vxg_ct_count(sgd.ct), 1); /* vm1's own egress, not one per receiver */
	/* From vm9: vm3's VLAN is its only other target, so nothing leaves. */
	expect_flood(P_TRUNK,
		sg_udp(&S_VM9, &S_BCAST, VLAN_VM9, IP_VM9, IP(10, 1, 0, 255), 40000, 9999), 0, 1);
	expect_pass(P_TRUNK, sg_arp(&S_VM9, VLAN_VM9, IP_VM9, IP_VM3), P_LOCAL);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].denied, 2);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].allowed, 1);
}

/*
 * Unknown unicast (a MAC no FDB entry has) flooded towards vm3: denied like the unicast
 * would be, unless it answers a connection vm3 opened (say, to an address pair's MAC the
 * FDB forgot).
 */
static void
test_dp_flood_unknown_unicast(void **state)
{
	expect_flood(P_TRUNK, sg_tcp(&S_VM9, &S_STRANGER, VLAN_VM9, IP_VM9, IP_VM3, 40000, 80, SYN),
		0, 1);
	expect_flood(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_STRANGER, 0, IP_VM1, IP_VM3, 40000, 80, SYN), 100),
		TX_TRUNK, 1);
	/* vm3 opens vm3:40000 -> vm1:80; vm1's answer to the unknown MAC reaches it. */
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	expect_flood(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_STRANGER, 0, IP_VM1, IP_VM3, 80, 40000, SYNACK), 100),
		TX_LOCAL | TX_TRUNK, 0);
	/* The same "answer" from vm9, which vm3 never talked to. */
	expect_flood(P_TRUNK,
		sg_tcp(&S_VM9, &S_STRANGER, VLAN_VM9, IP_VM9, IP_VM3, 80, 40000, SYNACK), 0, 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 2);
}

/*
 * One config with more ports: vm10 (no groups) shares vm3's VLAN 5, vm11 (group web)
 * and vm12 (group client) VLAN 7 of trunk, and web floods to vm1's VTEP as well.
 */
#define SG_EXTRA_PORTS                                                                    \
	"      - {name: vm10, network: web, mac: \"02:00:0a:01:00:10\", ip: 10.1.0.10,\n" \
	"         location: {interface: local, vlan: 5}}\n"                               \
	"      - {name: vm11, network: web, mac: \"02:00:0a:01:00:11\", ip: 10.1.0.17,\n" \
	"         location: {interface: trunk, vlan: 7}, security_groups: [web]}\n"       \
	"      - {name: vm12, network: web, mac: \"02:00:0a:01:00:12\", ip: 10.1.0.18,\n" \
	"         location: {interface: trunk, vlan: 7}, security_groups: [client]}\n"

static const struct rte_ether_addr S_VM12 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x12}};

/* Insert text into yaml (of size bytes) before the first `before`. */
static void
sg_yaml_insert(char *yaml, size_t size, const char *before, const char *text)
{
	char *at = strstr(yaml, before);
	size_t n = strlen(text);

	assert_non_null(at);
	assert_true(strlen(yaml) + n < size);
	memmove(at + n, at, strlen(at) + 1);
	memcpy(at, text, n);
}

static int
sg_setup_extra(void **state)
{
	char yaml[8192];

	memset(&sgd, 0, sizeof(sgd));
	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, WEB_HTTP);
	sg_yaml_insert(yaml, sizeof(yaml), "}\n      - {name: db", ", flood: [172.16.0.2]");
	sg_yaml_insert(yaml, sizeof(yaml), "    security_groups:\n", SG_EXTRA_PORTS);
	return sg_setup_cfg(dp_config("sg-extra.yaml", yaml), 1024);
}

/*
 * A target with a port without groups takes every flood (vm3's VLAN, with vm10); a target
 * whose ports all have groups takes one if any of them does (vm11 and vm12 on VLAN 7,
 * vm1 behind the VTEP, all but vm12 taking UDP 5000-5999 only).
 */
static void
test_dp_flood_mixed_targets(void **state)
{
	struct vxg_worker_stats before;

	sg_lport_ctr();
	/* From vm9, 9999: only vm3's VLAN, for vm10; VLAN 7 and the VTEP are denied. */
	expect_flood(P_TRUNK,
		sg_udp(&S_VM9, &S_BCAST, VLAN_VM9, IP_VM9, IP(10, 1, 0, 255), 40000, 9999),
		TX_LOCAL, 2);
	assert_int_equal(dp.w->lport_ctr[sg_slot(5) - 1].denied, 1); /* vm11 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(6) - 1].denied, 1); /* vm12 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(0) - 1].denied, 1); /* vm1 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(1) - 1].denied, 0); /* vm3: not asked */
	/* From vm3, 5001: vm11 takes it, so VLAN 7 (vm12 too) gets it; vm1 too. */
	before = dp.w->stats;
	dp_tx_clear();
	sg_rx(P_LOCAL, sg_udp(&S_VM3, &S_BCAST, VLAN_VM3, IP_VM3, IP(10, 1, 0, 255), 40000, 5001));
	sg_check_drops(&before, -1);
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 2); /* VLAN 7 and VLAN 9 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(5) - 1].allowed, 1);
	assert_int_equal(dp.w->lport_ctr[sg_slot(6) - 1].denied, 2);
	/* Unknown unicast from vm12's VLAN: vm3's VLAN (vm10) and vm9's, not the VTEP. */
	expect_flood(P_TRUNK,
		sg_tcp(&S_VM12, &S_STRANGER, 7, IP(10, 1, 0, 18), IP(10, 1, 0, 99), 40000, 22, SYN),
		TX_LOCAL | TX_TRUNK, 1);
}

/* ---- Packets to the router's own addresses ----------------------------------------------- */

/* m, received on port `in`, goes to the control thread (the router) and nowhere else. */
static void
expect_punt(unsigned in, struct rte_mbuf *m)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_int_equal(sg_tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 1);
}

/* An echo request from vm3 to dip, through the gateway MAC of web. */
static struct rte_mbuf *
sg_ping_gw(uint32_t dip)
{
	return sg_pkt(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, dip, IPPROTO_ICMP, 7, 7,
		RTE_IP_ICMP_ECHO_REQUEST);
}

/* client lets everything out: vm3 pings its gateway and db's, tracked like any ping. */
static void
test_dp_gateway_egress_allowed(void **state)
{
	expect_punt(P_LOCAL, sg_ping_gw(IP(10, 1, 0, 1)));
	expect_punt(P_LOCAL, sg_ping_gw(IP(10, 2, 0, 1)));
	assert_int_equal(vxg_ct_count(sgd.ct), 2);
}

static int
sg_setup_egress(void **state)
{
	char yaml[8192], *at;
	const char *client = "      - {name: client}\n";

	memset(&sgd, 0, sizeof(sgd));
	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, WEB_HTTP);
	at = strstr(yaml, client);
	assert_non_null(at);
	memmove(at, at + strlen(client), strlen(at + strlen(client)) + 1);
	sg_yaml_insert(yaml, sizeof(yaml), "      - name: db\n",
		"      - name: client\n        rules:\n"
		"          - {direction: egress, protocol: tcp}\n");
	return sg_setup_cfg(dp_config("sg-egress.yaml", yaml), 1024);
}

/*
 * client lets only TCP out: vm3's pings of its gateway and of db's are dropped (no echo
 * reply), as its pings of vm1 are; ARP for the gateway, DHCP to it and TCP still reach
 * the router. vm9 (no groups) pings the gateway.
 */
static void
test_dp_gateway_egress_denied(void **state)
{
	expect_drop(P_LOCAL, sg_ping_gw(IP(10, 1, 0, 1)), VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL, sg_ping_gw(IP(10, 2, 0, 1)), VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL,
		sg_pkt(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, IPPROTO_ICMP, 7, 7,
			RTE_IP_ICMP_ECHO_REQUEST),
		VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL,
		sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 40000, 53),
		VXG_DROP_sg_egress_deny);
	expect_punt(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1)));
	expect_punt(P_LOCAL, sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 68, 67));
	expect_punt(P_LOCAL,
		sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 40000, 22, SYN));
	expect_punt(P_TRUNK, sg_pkt(&S_VM9, &S_GW_WEB, VLAN_VM9, IP_VM9, IP(10, 1, 0, 1),
				     IPPROTO_ICMP, 7, 7, RTE_IP_ICMP_ECHO_REQUEST));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest dataplane[] = {
		SGT(test_dp_switched),
		SGT(test_dp_stateful),
		SGT(test_dp_port_security),
		SGT(test_dp_routed),
		SGT(test_dp_routed_warm),
		cmocka_unit_test_setup_teardown(
			test_dp_conntrack_full, sg_setup_small, sg_teardown),
		SGT(test_dp_router_icmp_error_to_port),
		SGT(test_dp_flood_meets_ingress),
		SGT(test_dp_flood_unknown_unicast),
		cmocka_unit_test_setup_teardown(
			test_dp_flood_mixed_targets, sg_setup_extra, sg_teardown),
		SGT(test_dp_gateway_egress_allowed),
		cmocka_unit_test_setup_teardown(
			test_dp_gateway_egress_denied, sg_setup_egress, sg_teardown),
	};
	int ret;

	if (sg_eal_init(argv[0], "vxg_test_sg_stage") < 0)
		return 1;
	ret = cmocka_run_group_tests_name("dataplane", dataplane, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
