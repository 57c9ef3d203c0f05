/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace on hand-built mbufs (dataplane/core/trace.c, the stages' events, and
 * control/trace's formatting): a routed packet through the batched router and through the
 * fast path (nothing recorded twice when the fast path gives a packet up), SNAT out of an
 * external interface, a packet the security groups drop, a flood with one exit per copy,
 * a punt; IPv6 routed, its hop limit spent and no route; the budget, the interface, a filter, a
 * full buffer, a new epoch; and the records in text and JSON. Each record is compared event by
 * event: a stage that stops recording fails.
 */
#include "l3_fixture.h"
#include "capture/capture_filter.h"
#include "nat/nat_table.h"
#include "sg/conntrack.h"
#include "l3/router_neigh6.h"
#include "sg/conntrack6.h"
#include "trace/trace_format.h"

/* uplink 0 (VTEP 172.16.0.2 static), a 1 (vm2, db), b 2 (vm1 and vm4, web; vm5, db on
 * VLAN 7), wan 3 (external, SNAT). web and db are dual-stack. vm1 has a group: UDP 5001 in
 * from 10/8 and from 2001:db8::/32. */
static const char tr_yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24, mtu: 1600,\n"
	"     neighbours: [{ip: 172.16.0.2, mac: \"02:00:ac:10:00:02\"}]}\n"
	"  - {name: a, device: net_null1, role: access}\n"
	"  - {name: b, device: net_null2, role: access}\n"
	"  - {name: wan, device: net_null3, role: external, address: 203.0.113.2/24,\n"
	"     gateway: 203.0.113.1, neighbours: [{ip: 203.0.113.1, mac: \"02:00:cb:00:71:01\"}]}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,\n"
	"         ipv6: {cidr: \"2001:db8:1::/64\"}}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, flood: [172.16.0.2],\n"
	"         ipv6: {cidr: \"2001:db8:2::/64\"}}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         ip6: \"2001:db8:1::11\",\n"
	"         location: {interface: b}, security_groups: [web]}\n"
	"      - {name: vm4, network: web, mac: \"02:00:0a:01:00:0e\", ip: 10.1.0.14,\n"
	"         location: {interface: b}}\n"
	"      - {name: vm2, network: db, mac: \"02:00:0a:02:00:0c\", ip: 10.2.0.12,\n"
	"         ip6: \"2001:db8:2::12\",\n"
	"         location: {interface: a}}\n"
	"      - {name: vm5, network: db, mac: \"02:00:0a:02:00:0f\", ip: 10.2.0.15,\n"
	"         location: {interface: b, vlan: 7}}\n"
	"    security_groups:\n"
	"      - {name: web, rules: [{direction: ingress, protocol: udp, ports: 5001,\n"
	"         remote: 10.0.0.0/8}, {direction: ingress, protocol: udp, ports: 5001,\n"
	"         remote: \"2001:db8::/32\"}]}\n"
	"    routes: [{prefix: 0.0.0.0/0, via: wan}]\n"
	"    nat: {snat: 203.0.113.10}\n";

#define P_A 1
#define P_B 2
#define SNAT_ADDR IP(203, 0, 113, 10)

static const struct rte_ether_addr T_VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr T_VM2 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c}};

static struct vxg_ct *tr_ct;
static struct vxg_l3_neigh6_table *tr_l3n6;
static struct vxg_nat_table *tr_nat;
static uint32_t tr_seq;

static int
tr_setup(void **state)
{
	if (dp_setup_cfg(dp_config("trace.yaml", tr_yaml), 4, 1024) < 0)
		return -1;
	tr_ct = vxg_ct_create_table("blue", 1024, NULL);
	tr_nat = vxg_nat_table_create(
		"blue", 64, rte_cpu_to_be_32(SNAT_ADDR), 1024, 65535, P_WAN, NULL);
	dp.w->trace_buf = rte_zmalloc(NULL, sizeof(*dp.w->trace_buf), RTE_CACHE_LINE_SIZE);
	tr_l3n6 = vxg_l3n6_create(64, NULL);
	if (tr_ct == NULL || tr_nat == NULL || dp.w->trace_buf == NULL || tr_l3n6 == NULL ||
		vxg_ct_enable_v6(tr_ct) < 0 || vxg_l3n6_sync_static(tr_l3n6, dp.cfg, 1) < 0)
		return -1;
	dp.gen->l3n6 = tr_l3n6;
	dp.gen->vpcs[0].ct = tr_ct;
	dp.gen->vpcs[0].nat.sess = tr_nat;
	dp.w->n_workers = 1;
	return 0;
}

static int
tr_teardown(void **state)
{
	dp.gen->vpcs[0].ct = NULL;
	dp.gen->vpcs[0].nat.sess = NULL;
	dp.gen->l3n6 = NULL;
	vxg_l3n6_destroy(tr_l3n6);
	vxg_ct_destroy(tr_ct);
	vxg_nat_table_destroy(tr_nat);
	rte_free(dp.w->trace_buf);
	return dp_teardown_leaks(state);
}

/* What control sends (VXG_MSG_TRACE), taken between passes. */
static void
tr_arm(uint32_t budget, uint16_t port, uint32_t epoch)
{
	struct vxg_trace_cmd c = {.seq = ++tr_seq, .epoch = epoch, .budget = budget, .port = port};

	vxg_trace_take(dp.w, &c);
	assert_int_equal(dp.w->trace_buf->applied, tr_seq);
}

/* One pass of the worker over m, received on port p (as worker_rx_all, worker_pass). */
static void
tr_rx(unsigned p, struct rte_mbuf *m)
{
	m->port = p;
	if (dp.w->trace.budget != 0)
		vxg_trace_rx(dp.w, dp_if(p), &m, 1);
	vxg_eth_input(dp.w, dp_if(p), &m, 1);
	if (dp.w->trace.live != 0)
		vxg_trace_pass_end(dp.w);
}

static const struct vxg_trace_rec *
tr_rec(uint32_t i)
{
	assert_true(i < __atomic_load_n(&dp.w->trace_buf->n_done, __ATOMIC_ACQUIRE));
	return &dp.w->trace_buf->rec[i];
}

/* Record r holds exactly these events, in this order. */
static void
tr_expect(const struct vxg_trace_rec *r, const uint8_t *kinds, unsigned n)
{
	bool same = r->n_ev == n && r->lost == 0;

	for (unsigned i = 0; same && i < n; i++)
		same = r->ev[i].kind == kinds[i];
	if (!same) {
		fprintf(stderr, "record %u: events", r->seq);
		for (unsigned i = 0; i < r->n_ev; i++)
			fprintf(stderr, " %u", r->ev[i].kind);
		fprintf(stderr, " (lost %u), expected", r->lost);
		for (unsigned i = 0; i < n; i++)
			fprintf(stderr, " %u", kinds[i]);
		fprintf(stderr, "\n");
	}
	assert_true(same);
}
#define TR_EXPECT(r, ...)                                  \
	do {                                               \
		static const uint8_t k_[] = {__VA_ARGS__}; \
		tr_expect(r, k_, RTE_DIM(k_));             \
	} while (0)

/* The first event of kind k in r. */
static const struct vxg_trace_ev *
tr_ev(const struct vxg_trace_rec *r, uint8_t k)
{
	for (unsigned i = 0; i < r->n_ev; i++)
		if (r->ev[i].kind == k)
			return &r->ev[i];
	fail_msg("record %u has no event of kind %u", r->seq, k);
	return NULL;
}

static struct rte_mbuf *
tr_udp(const struct rte_ether_addr *src, uint32_t sip, uint32_t dip, uint16_t dport)
{
	struct rte_mbuf *m = udp(src, &GW_DB, 0, sip, dip, 64, 60);

	rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34)->dst_port = rte_cpu_to_be_16(dport);
	return m;
}

/* Slot + 1 of the declared port with MAC mac (its static FDB entry's). */
static uint16_t
tr_lport(uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(dp.fdb->h, &k);
	assert_true(pos >= 0);
	return dp.fdb->entries[pos].lport;
}

/* ---- What each stage records ------------------------------------------------------------- */

/* The first routed packet's record, field by field (test_routed). */
static void
check_routed_batched(const struct vxg_trace_rec *r, uint16_t vm1, uint16_t vm2)
{
	const struct vxg_trace_ev *e;

	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ROUTE,
		VXG_TR_NEIGH, VXG_TR_SG, VXG_TR_L2, VXG_TR_TX);
	assert_int_equal(r->seq, 1);
	assert_int_equal(r->port, P_A);
	assert_int_equal(r->ev[0].h, P_A);
	assert_int_equal(r->ev[0].code, VXG_ROLE_ACCESS);
	assert_int_equal(r->ev[1].code, VXG_TR_ETH_ACCESS);
	assert_int_equal(r->ev[1].a, 200);
	assert_int_equal(r->ev[2].code, VXG_DROP_MAX); /* port security passes */
	assert_int_equal(r->ev[2].h, vm2);
	assert_int_equal(r->ev[3].code, VXG_TR_LEARN_STATIC);
	assert_int_equal(r->ev[4].code, VXG_TR_L2_ROUTER);
	e = &r->ev[5];
	assert_int_equal(e->code, VXG_TR_ROUTE_CONNECTED);
	assert_int_equal(e->a, RTE_BE32(IP(10, 1, 0, 11)));
	assert_int_equal(e->b, RTE_BE32(IP(10, 1, 0, 11)));
	assert_int_equal(e->c, 1); /* web's connected route: the first next hop */
	assert_int_equal(r->ev[6].code, 1);
	assert_memory_equal(&r->ev[6].mac, &T_VM1, 6);
	e = &r->ev[7];
	assert_int_equal(e->code, VXG_TR_SG_NEW);
	assert_int_equal(e->a, UINT32_MAX); /* vm2 has no groups: no egress rule to meet */
	assert_true(e->b != 0 && e->b != UINT32_MAX); /* the rule of web that matched */
	assert_int_equal(e->c, vm2);
	assert_int_equal(e->d, vm1);
	assert_int_equal(r->ev[8].code, VXG_TR_L2_HIT);
	assert_int_equal(r->ev[8].h, P_B);
	assert_int_equal(r->ev[9].h, P_B);
}

/* vm2 (db) -> vm1 (web): first the batched path (caches cold: a new connection to vm1),
 * then the fast path (an established one), then nothing once the budget is spent. */
static void
test_routed(void **state)
{
	const struct vxg_trace_rec *r;
	struct rte_mbuf *m;

	tr_arm(2, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	assert_int_equal(dp.w->tx[P_B].n, 1);
	check_routed_batched(tr_rec(0), tr_lport(100, &T_VM1), tr_lport(200, &T_VM2));
	dp_tx_clear();

	/* The same flow again, whole in the fast path: the connection is established. */
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	assert_int_equal(dp.w->stats.events[VXG_EV_ct_cached], 1);
	r = tr_rec(1);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_L2, VXG_TR_ROUTE, VXG_TR_NEIGH,
		VXG_TR_SG, VXG_TR_L2, VXG_TR_TX, VXG_TR_LEARN);
	assert_int_equal(r->ev[6].code, VXG_TR_SG_ESTABLISHED | VXG_TR_SG_CACHED);
	assert_int_equal(r->ev[6].a, VXG_CT_UDP_NEW);
	dp_tx_clear();

	/* The budget is spent: the next packet is not marked. */
	assert_int_equal(dp.w->trace.budget, 0);
	m = tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001);
	tr_rx(P_A, m);
	assert_int_equal(dp.w->trace_buf->n_done, 2);
	assert_int_equal(dp.w->trace_buf->traced, 2);
	assert_int_equal(dp.w->tx[P_B].n, 1);
	assert_false(dp.w->tx[P_B].pkts[0]->ol_flags & vxg_trace_mask);
	dp_tx_clear();
}

/* The fast path records as it goes; a packet it gives up part way (vm2's FDB position is
 * cached, vm1's neighbour is not) must not keep those events: the batched path records the
 * packet again, and each event is there once. */
static void
test_fast_path_gives_up(void **state)
{
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 14), 5001)); /* to vm4 */
	dp_tx_clear();
	tr_arm(1, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	TR_EXPECT(tr_rec(0), VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2,
		VXG_TR_ROUTE, VXG_TR_NEIGH, VXG_TR_SG, VXG_TR_L2, VXG_TR_TX);
	dp_tx_clear();
}

/* vm2 -> the internet: routed out of wan, SNAT (a new session, then the fast path). */
static void
test_snat(void **state)
{
	const struct vxg_trace_rec *r;
	const struct vxg_trace_ev *e;
	uint16_t port;

	tr_arm(2, P_A, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(198, 51, 100, 10), 5001));
	assert_int_equal(dp.w->tx[P_WAN].n, 1);
	r = tr_rec(0);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ROUTE,
		VXG_TR_NAT, VXG_TR_TX);
	e = tr_ev(r, VXG_TR_ROUTE);
	assert_int_equal(e->code, VXG_TR_ROUTE_INTERFACE);
	assert_int_equal(e->b, RTE_BE32(IP(203, 0, 113, 1)));
	assert_int_equal(e->d, P_WAN);
	e = tr_ev(r, VXG_TR_NAT);
	assert_int_equal(e->code, VXG_TR_NAT_SNAT_NEW);
	assert_int_equal(e->a, RTE_BE32(IP(10, 2, 0, 12)));
	assert_int_equal(e->b, RTE_BE32(SNAT_ADDR));
	assert_int_equal(e->c, RTE_BE16(40000));
	port = rte_be_to_cpu_16(
		rte_pktmbuf_mtod_offset(dp.w->tx[P_WAN].pkts[0], struct rte_udp_hdr *, 34)
			->src_port);
	assert_int_equal(rte_be_to_cpu_16(e->d), port); /* the port it left with */
	assert_int_equal(tr_ev(r, VXG_TR_TX)->h, P_WAN);
	dp_tx_clear();

	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(198, 51, 100, 10), 5001));
	r = tr_rec(1);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_L2, VXG_TR_ROUTE, VXG_TR_NAT,
		VXG_TR_TX, VXG_TR_LEARN);
	assert_int_equal(tr_ev(r, VXG_TR_NAT)->code, VXG_TR_NAT_SNAT);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_cached], 1);
	dp_tx_clear();
}

/* vm2 -> vm1 on UDP 53: no rule of vm1's group allows it. */
static void
test_dropped(void **state)
{
	const struct vxg_trace_rec *r;
	const struct vxg_trace_ev *e;

	tr_arm(1, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 53));
	assert_int_equal(dp_drops(VXG_DROP_sg_ingress_deny), 1);
	r = tr_rec(0);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ROUTE,
		VXG_TR_NEIGH, VXG_TR_SG, VXG_TR_DROP);
	e = tr_ev(r, VXG_TR_SG);
	assert_int_equal(e->code, VXG_TR_SG_DENY);
	assert_int_equal(e->b, 0); /* no ingress rule */
	assert_int_equal(tr_ev(r, VXG_TR_DROP)->code, VXG_DROP_sg_ingress_deny);
}

/* A broadcast of vm2 in db: one record, the exit of each copy (b VLAN 7, the flood VTEP). */
static void
test_flood(void **state)
{
	const struct vxg_trace_rec *r;
	const struct vxg_trace_ev *e;
	struct rte_mbuf *m;

	tr_arm(1, VXG_TRACE_ANY_PORT, 0);
	m = udp(&T_VM2, &BCAST, 0, IP(10, 2, 0, 12), IP(10, 2, 0, 255), 64, 60);
	tr_rx(P_A, m);
	assert_int_equal(dp.w->tx[P_B].n, 1);
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	r = tr_rec(0);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_FLOOD,
		VXG_TR_TX, VXG_TR_ENCAP, VXG_TR_TX);
	assert_int_equal(tr_ev(r, VXG_TR_L2)->code, VXG_TR_L2_MISS);
	e = tr_ev(r, VXG_TR_FLOOD);
	assert_int_equal(e->a, 200);
	assert_int_equal(e->b, 2);
	assert_int_equal(r->ev[6].h, P_B);
	assert_int_equal(r->ev[6].c, 7);
	assert_int_equal(r->ev[7].a, RTE_BE32(IP(172, 16, 0, 2)));
	assert_int_equal(r->ev[7].b, 200);
	assert_int_equal(r->ev[8].h, P_UP);
	dp_tx_clear();
}

/* ARP for db's gateway: to the control thread, unmarked (control may send it back). */
static void
test_punt(void **state)
{
	struct rte_mbuf *m;

	tr_arm(1, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, arp_req(&T_VM2, 0, IP(10, 2, 0, 12), IP(10, 2, 0, 1)));
	TR_EXPECT(tr_rec(0), VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2,
		VXG_TR_PUNT);
	assert_int_equal(tr_ev(tr_rec(0), VXG_TR_PUNT)->code, VXG_PUNT_ROUTER);
	assert_int_equal(dp_punted(&m), 1);
	assert_false(m->ol_flags & vxg_trace_mask);
	rte_pktmbuf_free(m);
}

/* ---- Budget, interface, a full buffer, a new epoch, tracing off ---------------------------- */

static void
test_budget(void **state)
{
	struct vxg_trace_buf *b = dp.w->trace_buf;
	struct rte_mbuf *m;

	/* Off: nothing is marked, no stage looks. */
	m = tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001);
	tr_rx(P_A, m);
	assert_int_equal(dp.w->trace.live, 0);
	assert_false(dp.w->tx[P_B].pkts[0]->ol_flags & vxg_trace_mask);
	dp_tx_clear();
	/* On b only: a's packets are not traced. */
	tr_arm(5, P_B, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	assert_int_equal(b->n_done, 0);
	assert_int_equal(b->left, 5);
	dp_tx_clear();
	/* Every packet on any interface up to the buffer's size, then counted as full. */
	tr_arm(VXG_TRACE_MAX, VXG_TRACE_ANY_PORT, 0);
	for (unsigned i = 0; i < VXG_TRACE_MAX; i++) {
		tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
		dp_tx_clear();
	}
	assert_int_equal(b->n_done, VXG_TRACE_MAX);
	assert_int_equal(b->rec[VXG_TRACE_MAX - 1].seq, VXG_TRACE_MAX);
	tr_arm(3, VXG_TRACE_ANY_PORT, 0);
	for (unsigned i = 0; i < 4; i++) {
		tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
		dp_tx_clear();
	}
	assert_int_equal(b->traced, VXG_TRACE_MAX);
	assert_int_equal(b->full, 3);
	assert_int_equal(b->left, 0);
	/* A new epoch empties the buffer. */
	tr_arm(0, VXG_TRACE_ANY_PORT, 1);
	assert_int_equal(b->epoch, 1);
	assert_int_equal(b->n_done, 0);
	assert_int_equal(b->traced, 0);
	assert_int_equal(b->full, 0);
	tr_arm(1, VXG_TRACE_ANY_PORT, 1);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	assert_int_equal(tr_rec(0)->seq, 1);
	dp_tx_clear();
}

/* A filter ("udp") on a burst of ICMP and UDP: only the UDP packets are marked, each
 * ICMP one is counted and leaves the budget; an all-ICMP burst spends none of it. */
static void
test_filter(void **state)
{
	struct vxg_trace_buf *b = dp.w->trace_buf;
	struct vxg_trace_cmd c = {.seq = ++tr_seq, .budget = 2, .port = VXG_TRACE_ANY_PORT};
	struct rte_mbuf *m[5];
	char err[256];

	assert_int_equal(vxg_filter_compile("udp", &c.filter, err, sizeof(err)), 0);
	vxg_trace_take(dp.w, &c);
	/* ICMP, UDP, ICMP, UDP, UDP: the budget of 2 ends at the second UDP packet. */
	for (unsigned i = 0; i < RTE_DIM(m); i++) {
		m[i] = i == 0 || i == 2 ? ipf(&T_VM2, &GW_DB, 0, IP(10, 2, 0, 12), IP(10, 1, 0, 11),
						  IPPROTO_ICMP, 64, 60, false)
					: tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001);
		m[i]->port = P_A;
	}
	vxg_trace_rx(dp.w, dp_if(P_A), m, RTE_DIM(m));
	for (unsigned i = 0; i < RTE_DIM(m); i++)
		assert_int_equal((m[i]->ol_flags & vxg_trace_mask) != 0, i == 1 || i == 3);
	vxg_eth_input(dp.w, dp_if(P_A), m, RTE_DIM(m));
	vxg_trace_pass_end(dp.w);
	dp_tx_clear();
	dp_punt_clear();
	assert_int_equal(b->n_done, 2);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(tr_rec(i)->head[14 + 9], IPPROTO_UDP);
		assert_int_equal(tr_rec(i)->seq, i + 1);
	}
	assert_int_equal(b->traced, 2);
	assert_int_equal(b->filtered, 2);
	assert_int_equal(b->left, 0);
	/* Refused packets keep the budget. */
	c.seq = ++tr_seq;
	c.budget = 3;
	vxg_trace_take(dp.w, &c);
	tr_rx(P_A, ipf(&T_VM2, &GW_DB, 0, IP(10, 2, 0, 12), IP(10, 1, 0, 11), IPPROTO_ICMP, 64, 60,
			   false));
	dp_tx_clear();
	dp_punt_clear();
	assert_int_equal(b->left, 3);
	assert_int_equal(b->filtered, 3);
	assert_int_equal(b->n_done, 2);
	/* The workers drop their copy with the next command; a new epoch zeroes the count. */
	tr_arm(0, VXG_TRACE_ANY_PORT, 1);
	assert_null(dp.w->trace.filter.bpf);
	assert_int_equal(b->filtered, 0);
	vxg_filter_free(&c.filter);
}

/* ---- The records as `show trace` prints them ------------------------------------------- */

static struct vxg_daemon tr_d;

static const struct vxg_daemon *
tr_daemon(void)
{
	tr_d.cfg = dp.cfg;
	tr_d.gen = dp.gen;
	tr_d.n_ifs = dp.n_ifs;
	for (unsigned i = 0; i < dp.n_ifs; i++)
		tr_d.ifs[i] = dp.ifs[i];
	return &tr_d;
}

/* Record i as JSON (json) or text, in a string to free. */
static char *
tr_format(uint32_t i, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw j;

	assert_non_null(f);
	if (json) {
		jw_init(&j, f);
		vxg_trace_rec_json(tr_daemon(), 0, 0, tr_rec(i), &j);
	} else {
		vxg_trace_rec_text(tr_daemon(), 0, 0, tr_rec(i), f);
	}
	fclose(f);
	return buf;
}

static void
has(const char *s, const char *what)
{
	if (strstr(s, what) == NULL)
		fail_msg("no \"%s\" in:\n%s", what, s);
}

static void
test_format(void **state)
{
	char *s;

	tr_arm(3, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 5001));
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(198, 51, 100, 10), 5001));
	tr_rx(P_A, tr_udp(&T_VM2, IP(10, 2, 0, 12), IP(10, 1, 0, 11), 53));
	dp_tx_clear();

	s = tr_format(0, true);
	has(s, "\"packet\":{\"summary\":\"02:00:0A:02:00:0C > 02:76:78:00:00:C8, "
	       "10.2.0.12.40000 > 10.1.0.11.5001 udp\"");
	has(s, "{\"stage\":\"rx\",\"interface\":\"a\",\"role\":\"access\",\"length\":74");
	has(s, "{\"stage\":\"eth\",\"event\":\"access\",\"vlan\":0,\"network\":\"blue/db\"");
	has(s, "{\"stage\":\"l2\",\"event\":\"port_security\",\"port\":\"vm2\",\"verdict\":"
	       "\"pass\"");
	has(s, "{\"stage\":\"l2\",\"event\":\"to_router\",\"network\":\"blue/db\"");
	has(s, "\"event\":\"route\",\"vpc\":\"blue\",\"dst\":\"10.1.0.11\",\"kind\":\"connected\","
	       "\"from_outside\":false,\"prefix\":\"10.1.0.0/24\",\"next_hop\":\"10.1.0.11\","
	       "\"network\":\"blue/web\"");
	has(s, "\"event\":\"neighbour\",\"ip\":\"10.1.0.11\",\"network\":\"blue/web\","
	       "\"result\":\"hit\",\"mac\":\"02:00:0A:01:00:0B\"");
	has(s, "{\"stage\":\"sg\",\"event\":\"rules\",\"from\":\"vm2\",\"to\":\"vm1\","
	       "\"verdict\":\"allow\",\"conntrack\":\"new\",\"ingress_rule\":\"web rule 1 "
	       "(ingress udp)\"");
	has(s, "\"exits\":[{\"stage\":\"tx\",\"interface\":\"b\",\"vlan\":0");
	free(s);

	s = tr_format(1, true);
	has(s, "\"kind\":\"interface\",\"from_outside\":false,\"prefix\":\"0.0.0.0/0\","
	       "\"next_hop\":\"203.0.113.1\",\"interface\":\"wan\"");
	has(s, "{\"stage\":\"nat\",\"event\":\"snat\",\"before\":\"10.2.0.12:40000\","
	       "\"after\":\"203.0.113.10:");
	has(s, "\"session\":\"new\"");
	free(s);

	s = tr_format(2, false);
	has(s, "worker 0 packet 3: a, 74 bytes");
	has(s, "  rx    interface a (access), 74 bytes\n");
	has(s, "  l3    10.1.0.11: route 10.1.0.0/24 (connected), next hop 10.1.0.11 in "
	       "blue/web\n");
	has(s, "  sg    denied (vm2 -> vm1); ingress_rule: no rule\n");
	has(s, "  drop  sg_ingress_deny: security groups: no ingress rule of the receiver");
	free(s);
}

/* ---- IPv6 through the router ------------------------------------------------------------ */

static const uint8_t A6_VM1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x11};
static const uint8_t A6_VM2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x12};
static const uint8_t A6_NONE[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x77, [15] = 0x01};

/* UDP over IPv6 from vm2 to db's gateway MAC, for dst. */
static struct rte_mbuf *
tr_udp6(const uint8_t *dst, uint8_t hops, uint16_t dport)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	struct rte_ipv6_hdr *ip;
	struct rte_udp_hdr *u;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, 14 + 40 + 8 + 12);
	assert_non_null(p);
	memset(p, 0, 14 + 40 + 8 + 12);
	dp_eth(p, &T_VM2, &GW_DB, 0);
	((struct rte_ether_hdr *)p)->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip = (struct rte_ipv6_hdr *)(p + 14);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(20);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = hops;
	memcpy(ip->src_addr, A6_VM2, 16);
	memcpy(ip->dst_addr, dst, 16);
	u = (struct rte_udp_hdr *)(ip + 1);
	u->src_port = RTE_BE16(40000);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = RTE_BE16(20);
	u->dgram_cksum = rte_ipv6_udptcp_cksum(ip, u);
	return m;
}

/* vm2 -> vm1 over IPv6: the route, its prefix and next hop, the neighbour, field by field;
 * then a hop limit of 1 and a destination with no route, each an ICMPv6 error back. */
static void
test_routed6(void **state)
{
	const struct vxg_trace_rec *r;
	const struct vxg_trace_ev *e;
	char *s;

	tr_arm(3, VXG_TRACE_ANY_PORT, 0);
	tr_rx(P_A, tr_udp6(A6_VM1, 64, 5001));
	assert_int_equal(dp.w->tx[P_B].n, 1);
	r = tr_rec(0);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ROUTE6,
		VXG_TR_NEIGH6, VXG_TR_SG, VXG_TR_L2, VXG_TR_TX);
	assert_int_equal(r->ev[4].code, VXG_TR_L2_ROUTER);
	e = &r->ev[5];
	assert_int_equal(e->code, VXG_TR_ROUTE_CONNECTED);
	assert_int_equal(e->h, 0); /* VPC blue */
	assert_int_equal(e->a, 1); /* web's connected /64: the first IPv6 next hop */
	assert_memory_equal(e->ip6, A6_VM1, 16);
	e = &r->ev[6];
	assert_int_equal(e->code, 1); /* vm1's fixed ip6: a static neighbour */
	assert_int_equal(e->a, 100);
	assert_memory_equal(e->ip6, A6_VM1, 16);
	assert_int_equal(r->ev[7].code, VXG_TR_SG_NEW);
	assert_int_equal(r->ev[9].h, P_B);
	dp_tx_clear();

	tr_rx(P_A, tr_udp6(A6_VM1, 1, 5001));
	r = tr_rec(1);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ICMP6,
		VXG_TR_L2, VXG_TR_TX);
	assert_int_equal(r->ev[5].code, 3); /* time exceeded */
	assert_int_equal(r->ev[5].h, 0);
	assert_int_equal(r->ev[7].h, P_A); /* back to vm2 */
	dp_tx_clear();

	tr_rx(P_A, tr_udp6(A6_NONE, 64, 5001));
	r = tr_rec(2);
	TR_EXPECT(r, VXG_TR_RX, VXG_TR_ETH, VXG_TR_PSEC, VXG_TR_LEARN, VXG_TR_L2, VXG_TR_ROUTE6,
		VXG_TR_ICMP6, VXG_TR_L2, VXG_TR_TX);
	assert_int_equal(r->ev[5].code, VXG_TR_ROUTE_NONE);
	assert_int_equal(r->ev[5].a, 0);
	assert_memory_equal(r->ev[5].ip6, A6_NONE, 16);
	assert_int_equal(r->ev[6].code, 1); /* destination unreachable, */
	assert_int_equal(r->ev[6].h, 0); /* no route */
	dp_tx_clear();

	s = tr_format(0, true);
	has(s, "\"summary\":\"02:00:0A:02:00:0C > 02:76:78:00:00:C8, "
	       "2001:db8:2::12.40000 > 2001:db8:1::11.5001 udp\"");
	has(s, "\"src\":\"2001:db8:2::12\",\"dst\":\"2001:db8:1::11\"");
	has(s, "{\"stage\":\"l3\",\"event\":\"route6\",\"vpc\":\"blue\",\"dst\":\"2001:db8:1::11\","
	       "\"kind\":\"connected\",\"from_outside\":false,\"prefix\":\"2001:db8:1::/64\","
	       "\"network\":\"blue/web\"");
	has(s, "{\"stage\":\"l3\",\"event\":\"neighbour6\",\"network\":\"blue/web\","
	       "\"ip\":\"2001:db8:1::11\",\"result\":\"hit\"");
	free(s);
	s = tr_format(0, false);
	has(s, "  l3    2001:db8:1::11: route 2001:db8:1::/64 (connected) in blue/web\n");
	has(s, "  l3    neighbour 2001:db8:1::11 on blue/web: known, MAC rewritten\n");
	free(s);
	s = tr_format(1, false);
	has(s, "  l3    became ICMPv6 time exceeded (type 3 code 0), back to the sender\n");
	free(s);
	s = tr_format(2, false);
	has(s, "  l3    2001:db8:77::1: no IPv6 route in VPC blue\n");
	has(s, "  l3    became ICMPv6 destination unreachable (type 1 code 0), back to the sender");
	free(s);
}

#undef T
#define T(f) cmocka_unit_test_setup_teardown(f, tr_setup, tr_teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_routed),
		T(test_fast_path_gives_up),
		T(test_snat),
		T(test_dropped),
		T(test_flood),
		T(test_punt),
		T(test_routed6),
		T(test_budget),
		T(test_filter),
		T(test_format),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_trace") < 0) {
		fprintf(stderr, "test_trace: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
