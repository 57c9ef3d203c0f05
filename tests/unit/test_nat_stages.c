/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's stages in the pipeline (dataplane/nat/nat_out.c, nat_in.c) on the fixture's
 * dataplane: ICMP errors back to the outside about translated packets, pings of the SNAT
 * address, floating IP and SNAT flows repeated through the workers' caches, a floating
 * IP behind a security group, a full in table, and the hairpin between two VPCs.
 */
#include "nat_fixture.h"

/* ---- the stages: errors back to the outside, pings of the SNAT address ---------------------- */

/* VPC blue: vm1 (IN_A) has floating IP FIP, vm2 (IN_B) goes out by SNAT as EXT. Ports:
 * 0 uplink, 1 local (vm1, vm2), 2 wan (external, 203.0.113.2). */
static const char nat_dp_yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24}\n"
	"  - {name: local, device: net_null1, role: access}\n"
	"  - {name: wan, device: net_null2, role: external, address: 203.0.113.2/24,\n"
	"     gateway: 203.0.113.1, neighbours: [{ip: 203.0.113.1, mac: \"02:00:cb:00:71:01\"}]}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1400}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {interface: local}}\n"
	"      - {name: vm2, network: web, mac: \"02:00:0a:01:00:0c\", ip: 10.1.0.12,\n"
	"         location: {interface: local}}\n"
	"    routes: [{prefix: 0.0.0.0/0, via: wan}]\n"
	"    nat: {snat: 203.0.113.10, floating_ips: [{ip: 203.0.113.20, port: vm1}]}\n";

#define P_WAN 2
#define WAN_ADDR IPN(203, 0, 113, 2)
#define FIP IPN(203, 0, 113, 20)

static const struct rte_ether_addr M_UPSTREAM = {{0x02, 0x00, 0xcb, 0x00, 0x71, 0x01}};
static const struct rte_ether_addr M_VM2 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0c}};
static const struct rte_ether_addr M_GW_WEB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};

static struct vxg_nat_table *nat_dp_sess;

static int
nat_dp_setup(void **state)
{
	if (dp_setup_cfg(dp_config("nat.yaml", nat_dp_yaml), 3, 1024) < 0)
		return -1;
	/* the daemon's part: blue's session table */
	nat_dp_sess = vxg_nat_table_create("blue", 64, EXT, 1024, 65535, P_WAN, NULL);
	if (nat_dp_sess == NULL)
		return -1;
	dp.gen->vpcs[0].nat.sess = nat_dp_sess;
	dp.w->n_workers = 1;
	return 0;
}

static int
nat_dp_teardown(void **state)
{
	dp.gen->vpcs[0].nat.sess = NULL;
	vxg_nat_table_destroy(nat_dp_sess);
	return dp_teardown_leaks(state);
}

/* The same with a security group on vm1: tcp/80 from anywhere, nothing else in. */
static struct vxg_ct *nat_dp_ct;

static int
nat_dp_setup_sg(void **state)
{
	char yaml[sizeof(nat_dp_yaml) + 256];
	char *p;

	snprintf(yaml, sizeof(yaml), "%s", nat_dp_yaml);
	p = strstr(yaml, "location: {interface: local}}\n");
	assert_non_null(p);
	memcpy(p, "location: {interface: local}, security_groups: [web]}\n",
		sizeof("location: {interface: local}, security_groups: [web]}\n"));
	snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml), "%s%s",
		strstr(nat_dp_yaml, "      - {name: vm2"),
		"    security_groups:\n"
		"      - {name: web, rules: [{direction: ingress, protocol: tcp, ports: 80,\n"
		"         remote: 0.0.0.0/0}]}\n");
	if (dp_setup_cfg(dp_config("nat-sg.yaml", yaml), 3, 1024) < 0)
		return -1;
	nat_dp_sess = vxg_nat_table_create("blue", 64, EXT, 1024, 65535, P_WAN, NULL);
	nat_dp_ct = vxg_ct_create_table("blue", 1024, NULL);
	if (nat_dp_sess == NULL || nat_dp_ct == NULL)
		return -1;
	dp.gen->vpcs[0].nat.sess = nat_dp_sess;
	dp.gen->vpcs[0].ct = nat_dp_ct;
	dp.w->n_workers = 1;
	return 0;
}

static int
nat_dp_teardown_sg(void **state)
{
	dp.gen->vpcs[0].ct = NULL;
	vxg_ct_destroy(nat_dp_ct);
	return nat_dp_teardown(state);
}

/* Frame m (from the test's pool) from src to dst MAC, on DPDK port `port`. */
static struct rte_mbuf *
on_wire(struct rte_mbuf *m, const struct rte_ether_addr *src, const struct rte_ether_addr *dst,
	uint16_t port)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	eth->src_addr = *src;
	eth->dst_addr = *dst;
	m->port = port;
	return m;
}

/* Set m's TTL and DF, fixing the header checksum. */
static struct rte_mbuf *
ttl_df(struct rte_mbuf *m, uint8_t ttl, bool df)
{
	ip_of(m)->time_to_live = ttl;
	ip_of(m)->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip_of(m)->hdr_checksum = ip_cksum(ip_of(m));
	return m;
}

/* The one frame the worker sent out of port p, taken off its tx buffer. */
static struct rte_mbuf *
sent_on(uint16_t p)
{
	struct vxg_tx_buf *b = &dp.w->tx[p];

	assert_int_equal(b->n, 1);
	b->n = 0;
	return b->pkts[0];
}

/*
 * The ICMP error e (type, code, info) from wan's address back to the upstream router's
 * MAC, to `to`, quoting the first bytes of the IPv4 datagram `sent` exactly as it was
 * sent; every checksum recomputed.
 */
static void
check_outside_error(struct rte_mbuf *e, uint8_t type, uint8_t code, uint32_t info, rte_be32_t to,
	const uint8_t *sent, uint16_t sent_len)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(e, const struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = ip_of(e);
	uint16_t len, ql = RTE_MIN(sent_len, (uint16_t)(576 - 20 - 8));
	uint8_t *icmp = icmp_of(e, &len);

	assert_memory_equal(&eth->dst_addr, &M_UPSTREAM, RTE_ETHER_ADDR_LEN);
	assert_memory_equal(&eth->src_addr, &dp_if(P_WAN)->mac, RTE_ETHER_ADDR_LEN);
	assert_int_equal(eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	assert_int_equal(ip->src_addr, WAN_ADDR);
	assert_int_equal(ip->dst_addr, to);
	assert_int_equal(ip->next_proto_id, IPPROTO_ICMP);
	assert_int_equal(ip->hdr_checksum, ip_cksum(ip));
	assert_int_equal(len, 8 + ql);
	assert_int_equal(rte_pktmbuf_data_len(e), L3 + 20 + 8 + ql);
	assert_int_equal(icmp[0], type);
	assert_int_equal(icmp[1], code);
	assert_int_equal(((struct rte_icmp_hdr *)icmp)->icmp_cksum, icmp_cksum(icmp, len));
	assert_int_equal(rte_be_to_cpu_16(((struct rte_icmp_hdr *)icmp)->icmp_ident), info >> 16);
	assert_int_equal(
		rte_be_to_cpu_16(((struct rte_icmp_hdr *)icmp)->icmp_seq_nb), info & 0xffff);
	/* the quote: the sender's own packet, byte for byte (its checksums included) */
	assert_memory_equal(icmp + 8, sent, ql);
}

/* A reply of vm2's SNAT session arrives with TTL 1: time exceeded from wan's address to
 * the remote end, quoting the reply as the remote end sent it (to EXT:ext). */
static void
test_outside_ttl_snat(void **state)
{
	struct vxg_nat_key k = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	uint8_t sent[128];
	uint64_t ev = dp.w->stats.events[VXG_EV_icmp_time_exceeded];
	struct rte_mbuf *m;
	uint16_t ext, sl;
	int32_t pos;

	pos = vxg_nat_sess_create(nat_dp_sess, &k, 0, 1, VXG_CT_UDP_NEW, vxg_ct_now());
	ext = check_sess(nat_dp_sess, &k, pos);
	m = on_wire(ttl_df(udp_std(REMOTE, 53, EXT, ext), 1, false), &M_UPSTREAM,
		&dp_if(P_WAN)->mac, P_WAN);
	sl = rte_be_to_cpu_16(ip_of(m)->total_length);
	memcpy(sent, ip_of(m), sl);
	vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_time_exceeded], ev + 1);
	m = sent_on(P_WAN);
	check_outside_error(m, ICMP_TIME_EXCEEDED, 0, 0, REMOTE, sent, sl);
	rte_pktmbuf_free(m);
	/* an echo reply of a ping session too: its identifier back to the translated one */
	k = okey(IPPROTO_ICMP, IN_B, 77, REMOTE, 77);
	pos = vxg_nat_sess_create(nat_dp_sess, &k, 0, 1, VXG_CT_ICMP_NEW, vxg_ct_now());
	ext = check_sess(nat_dp_sess, &k, pos);
	m = on_wire(ttl_df(echo_pkt(RTE_IP_ICMP_ECHO_REPLY, REMOTE, EXT, ext), 1, true),
		&M_UPSTREAM, &dp_if(P_WAN)->mac, P_WAN);
	sl = rte_be_to_cpu_16(ip_of(m)->total_length);
	memcpy(sent, ip_of(m), sl);
	vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
	m = sent_on(P_WAN);
	check_outside_error(m, ICMP_TIME_EXCEEDED, 0, 0, REMOTE, sent, sl);
	rte_pktmbuf_free(m);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_time_exceeded], ev + 2);
}

/* Too big with DF for web's MTU (1400) through the floating IP: fragmentation needed
 * with 1400 from wan's address, quoting the datagram as sent to FIP (548 bytes of it). */
static void
test_outside_frag_needed_fip(void **state)
{
	static uint8_t l4[1430], sent[1450];
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)l4;
	uint64_t ev = dp.w->stats.events[VXG_EV_icmp_frag_needed];
	struct rte_mbuf *m;

	for (unsigned i = 0; i < sizeof(l4); i++)
		l4[i] = (uint8_t)i;
	udp->src_port = PN(4000);
	udp->dst_port = PN(5000);
	udp->dgram_len = PN(sizeof(l4));
	udp->dgram_cksum = 0;
	m = ttl_df(frame(IPPROTO_UDP, REMOTE, FIP, l4, sizeof(l4), 0), 60, true);
	udp = (struct rte_udp_hdr *)(ip_of(m) + 1);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip_of(m), udp);
	on_wire(m, &M_UPSTREAM, &dp_if(P_WAN)->mac, P_WAN);
	memcpy(sent, ip_of(m), sizeof(sent));
	vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_frag_needed], ev + 1);
	m = sent_on(P_WAN);
	check_outside_error(m, ICMP_DEST_UNREACH, 4, 1400, REMOTE, sent, sizeof(sent));
	rte_pktmbuf_free(m);
	/* without DF it is fragmented into web as before: nothing goes back out */
	m = ttl_df(frame(IPPROTO_UDP, REMOTE, FIP, l4, sizeof(l4), 0), 60, false);
	vxg_eth_input(dp.w, dp_if(P_WAN),
		&(struct rte_mbuf *){on_wire(m, &M_UPSTREAM, &dp_if(P_WAN)->mac, P_WAN)}, 1);
	assert_int_equal(dp.w->tx[P_WAN].n, 0);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_frag_needed], ev + 1);
	dp_tx_clear();
}

/* The outside reaches vm1 by its floating IP, burst after burst (the router's caches warm
 * after the first): DNAT to vm1's fixed IP, routed to its MAC on `local`. */
static void
test_fip_inbound_repeated(void **state)
{
	static const struct rte_ether_addr m_vm1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
	uint64_t routed = dp.w->stats.events[VXG_EV_routed];

	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *m = on_wire(tcp_pkt(REMOTE, 40000 + i, FIP, 80), &M_UPSTREAM,
			&dp_if(P_WAN)->mac, P_WAN);
		const struct rte_ether_hdr *eth;

		vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
		m = sent_on(1);
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		assert_memory_equal(&eth->dst_addr, &m_vm1, RTE_ETHER_ADDR_LEN);
		assert_memory_equal(&eth->src_addr, &M_GW_WEB, RTE_ETHER_ADDR_LEN);
		assert_int_equal(ip_of(m)->dst_addr, IN_A);
		assert_int_equal(ip_of(m)->src_addr, REMOTE);
		assert_int_equal(ip_of(m)->time_to_live, 63);
		assert_int_equal(ip_of(m)->hdr_checksum, ip_cksum(ip_of(m)));
		assert_int_equal(((struct rte_tcp_hdr *)(ip_of(m) + 1))->cksum, l4_cksum(ip_of(m)));
		rte_pktmbuf_free(m);
	}
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], routed + 4);
}

/* vm2 reaches the outside burst after burst (the router's caches warm after the first):
 * out of wan to the upstream router, from EXT, one session, one translated port. */
static void
test_snat_outbound_repeated(void **state)
{
	uint64_t created = dp.w->stats.events[VXG_EV_nat_session_created];
	uint64_t out = dp.w->stats.events[VXG_EV_nat_snat_out];
	uint64_t cached = dp.w->stats.events[VXG_EV_nat_cached];
	rte_be16_t port = 0;

	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *m =
			on_wire(udp_std(IN_B, 40000, REMOTE, 53), &M_VM2, &M_GW_WEB, P_LOCAL);
		const struct rte_ether_hdr *eth;
		const struct rte_udp_hdr *udp;

		vxg_eth_input(dp.w, dp_if(P_LOCAL), &m, 1);
		m = sent_on(P_WAN);
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		udp = (const struct rte_udp_hdr *)(ip_of(m) + 1);
		assert_memory_equal(&eth->dst_addr, &M_UPSTREAM, RTE_ETHER_ADDR_LEN);
		assert_memory_equal(&eth->src_addr, &dp_if(P_WAN)->mac, RTE_ETHER_ADDR_LEN);
		assert_int_equal(ip_of(m)->src_addr, EXT);
		assert_int_equal(ip_of(m)->dst_addr, REMOTE);
		assert_int_equal(ip_of(m)->time_to_live, 63);
		assert_int_equal(ip_of(m)->hdr_checksum, ip_cksum(ip_of(m)));
		assert_int_equal(udp->dgram_cksum, l4_cksum(ip_of(m)));
		if (i == 0)
			port = udp->src_port;
		assert_int_equal(udp->src_port, port);
		rte_pktmbuf_free(m);
	}
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_session_created], created + 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_snat_out], out + 4);
	/* after the first, the session came from the worker's exact-match cache */
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_cached], cached + 3);
}

/* vm2's flow out, then `clear nat sessions`: the worker's exact-match cache forgets the
 * session with the table, and the next packet opens a new one (the cache serves it again
 * from the packet after). */
static void
test_snat_cache_after_clear(void **state)
{
	uint64_t created = dp.w->stats.events[VXG_EV_nat_session_created];
	uint64_t cached = dp.w->stats.events[VXG_EV_nat_cached];

	for (int i = 0; i < 6; i++) {
		struct rte_mbuf *m =
			on_wire(udp_std(IN_B, 40000, REMOTE, 53), &M_VM2, &M_GW_WEB, P_LOCAL);

		if (i == 3) {
			uint32_t epoch = vxg_pcache_epoch;

			assert_int_equal(vxg_nat_clear(nat_dp_sess), 1);
			assert_int_equal(vxg_pcache_epoch, epoch + 1); /* every cache forgets */
		}
		vxg_eth_input(dp.w, dp_if(P_LOCAL), &m, 1);
		m = sent_on(P_WAN);
		assert_int_equal(ip_of(m)->src_addr, EXT);
		assert_int_equal(
			((struct rte_udp_hdr *)(ip_of(m) + 1))->dgram_cksum, l4_cksum(ip_of(m)));
		rte_pktmbuf_free(m);
	}
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_session_created], created + 2);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_cached], cached + 4);
	assert_int_equal(vxg_nat_count(nat_dp_sess), 1);
}

/* With vm1's group: tcp/80 through the floating IP passes, tcp/22 is dropped under
 * sg_ingress_deny, burst after burst. */
static void
test_fip_inbound_security_group(void **state)
{
	for (int i = 0; i < 4; i++) {
		uint64_t deny = dp.w->stats.drops[VXG_DROP_sg_ingress_deny];
		struct rte_mbuf *m = on_wire(
			tcp_pkt(REMOTE, 40000, FIP, 80), &M_UPSTREAM, &dp_if(P_WAN)->mac, P_WAN);

		vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
		m = sent_on(1);
		assert_int_equal(ip_of(m)->dst_addr, IN_A);
		rte_pktmbuf_free(m);
		m = on_wire(
			tcp_pkt(REMOTE, 40001, FIP, 22), &M_UPSTREAM, &dp_if(P_WAN)->mac, P_WAN);
		vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
		assert_int_equal(dp.w->tx[1].n, 0);
		assert_int_equal(dp.w->stats.drops[VXG_DROP_sg_ingress_deny], deny + 1);
	}
}

/* No error without a token of the router's rate limit, nor for a hairpinned packet (it
 * came in on no external interface): counted drops. */
static void
test_outside_error_dropped(void **state)
{
	uint64_t ttl = dp_drops(VXG_DROP_ttl_exceeded);
	uint64_t rl = dp.w->stats.events[VXG_EV_icmp_ratelimited];
	struct rte_mbuf *m;

	vxg_ratelimit_init(&dp.w->icmp_rl, rte_get_tsc_hz(), 1, 0);
	m = on_wire(ttl_df(udp_std(REMOTE, 53, FIP, 5000), 1, false), &M_UPSTREAM,
		&dp_if(P_WAN)->mac, P_WAN);
	vxg_eth_input(dp.w, dp_if(P_WAN), &m, 1);
	assert_int_equal(dp.w->tx[P_WAN].n, 0);
	assert_int_equal(dp_drops(VXG_DROP_ttl_exceeded), ttl + 1);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_ratelimited], rl + 1);
	vxg_ratelimit_init(&dp.w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
	/* the same packet, looped back in from inside (m->port: the access port) */
	m = on_wire(ttl_df(udp_std(REMOTE, 53, FIP, 5000), 1, false), &M_UPSTREAM,
		&dp_if(P_WAN)->mac, P_LOCAL);
	vxg_l3_outside_input(dp.w, dp_if(P_WAN), &m, 1);
	assert_int_equal(dp.w->tx[P_WAN].n, 0);
	assert_int_equal(dp_drops(VXG_DROP_ttl_exceeded), ttl + 2);
	assert_int_equal(dp.w->stats.events[VXG_EV_icmp_ratelimited], rl + 1);
}

/* An echo request from vm2 to the SNAT address, as the router hands it to NAT. */
static struct rte_mbuf *
ping_from(rte_be32_t src, rte_be32_t dst)
{
	struct rte_mbuf *m = echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, src, dst, 77);

	return on_wire(m, &M_VM2, &M_GW_WEB, P_LOCAL);
}

/* vm2 (SNAT) and vm1 (floating IP) ping the SNAT address: not translated, no session,
 * to control as the router's own in web (VNI 100), which answers as for a gateway. vm2
 * pinging vm1's floating IP still loops back in (hairpin). */
static void
test_ping_snat_addr_from_inside(void **state)
{
	rte_be32_t srcs[] = {IN_B, IN_A};
	uint16_t vpc = 0;
	uint8_t res;

	for (unsigned i = 0; i < RTE_DIM(srcs); i++) {
		struct rte_mbuf *m = ping_from(srcs[i], EXT), *copy = ping_from(srcs[i], EXT), *p;

		assert_int_equal(vxg_nat_out(dp.w, &m, &vpc, 1, &res), 0);
		assert_int_equal(res, VXG_NAT_LOCAL);
		assert_int_equal(dp_punted(&p), 1);
		assert_ptr_equal(p, m);
		assert_int_equal(vxg_meta(p)->why, VXG_PUNT_ROUTER);
		assert_int_equal(vxg_meta(p)->vni, 100);
		assert_frame(p, copy); /* untouched */
		assert_int_equal(vxg_nat_count(nat_dp_sess), 0);
	}
	{
		struct rte_mbuf *m = ping_from(IN_B, FIP);

		assert_int_equal(vxg_nat_out(dp.w, &m, &vpc, 1, &res), 1);
		assert_int_equal(res, VXG_NAT_LOOP);
		assert_int_equal(ip_of(m)->src_addr, EXT);
		assert_int_equal(dp_punted(NULL), 0);
		rte_pktmbuf_free(m);
	}
}

/* ---- hairpin of two VPCs ------------------------------------------------------------------ */

/* VPCs blue (web, untagged on `local`) and red (app, VLAN 5 on `local`), each with SNAT out of
 * its own external interface: blue by wan (port 2), red by wan2 (port 3). Port security off:
 * the tests send from addresses no route leads back into the VPC. */
static const char hairpin_yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24}\n"
	"  - {name: local, device: net_null1, role: access}\n"
	"  - {name: wan, device: net_null2, role: external, address: 203.0.113.2/24,\n"
	"     gateway: 203.0.113.1, neighbours: [{ip: 203.0.113.1, mac: \"02:00:cb:00:71:01\"}]}\n"
	"  - {name: wan2, device: net_null3, role: external, address: 198.51.100.2/24,\n"
	"     gateway: 198.51.100.1, neighbours: [{ip: 198.51.100.1, mac: "
	"\"02:00:c6:33:64:01\"}]}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {interface: local}, port_security: false}\n"
	"    routes: [{prefix: 0.0.0.0/0, via: wan}]\n"
	"    nat: {snat: 203.0.113.10}\n"
	"  - name: red\n"
	"    networks:\n"
	"      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1}\n"
	"    ports:\n"
	"      - {name: vm9, network: app, mac: \"02:00:0a:03:00:09\", ip: 10.3.0.9,\n"
	"         location: {interface: local, vlan: 5}, port_security: false}\n"
	"    routes: [{prefix: 0.0.0.0/0, via: wan2}]\n"
	"    nat: {snat: 198.51.100.10, interface: wan2}\n";

#define P_WAN2 3
#define EXT_RED IPN(198, 51, 100, 10)

static struct vxg_nat_table *hairpin_sess[2];

static int
hairpin_setup(void **state)
{
	if (dp_setup_cfg(dp_config("hairpin.yaml", hairpin_yaml), 4, 1024) < 0)
		return -1;
	hairpin_sess[0] = vxg_nat_table_create("blue", 64, EXT, 1024, 65535, P_WAN, NULL);
	hairpin_sess[1] = vxg_nat_table_create("red", 64, EXT_RED, 1024, 65535, P_WAN2, NULL);
	if (hairpin_sess[0] == NULL || hairpin_sess[1] == NULL)
		return -1;
	dp.gen->vpcs[0].nat.sess = hairpin_sess[0];
	dp.gen->vpcs[1].nat.sess = hairpin_sess[1];
	dp.w->n_workers = 1;
	return 0;
}

static int
hairpin_teardown(void **state)
{
	for (unsigned v = 0; v < 2; v++) {
		dp.gen->vpcs[v].nat.sess = NULL;
		vxg_nat_table_destroy(hairpin_sess[v]);
	}
	return dp_teardown_leaks(state);
}

/* m with an 802.1Q tag of VLAN vlan in front of its ethertype. */
static struct rte_mbuf *
tagged(struct rte_mbuf *m, uint16_t vlan)
{
	struct rte_ether_hdr eth = *rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(m, sizeof(struct rte_vlan_hdr));

	assert_non_null(p);
	memcpy(p, &eth, 2 * RTE_ETHER_ADDR_LEN);
	*(rte_be16_t *)(p + 12) = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	*(rte_be16_t *)(p + 14) = rte_cpu_to_be_16(vlan);
	return m;
}

/*
 * One burst on `local` holds a ping from each VPC to the other's SNAT address, from a source
 * outside the VPC (so the router does not take it as a ping of its own address): each is
 * translated to its VPC's SNAT address and loops back in (hairpin), where the other's SNAT
 * address answers it through control. Each must come back in through the NAT interface of
 * the VPC it left, which control answers from: blue's by wan, red's by wan2.
 */
static void
test_hairpin_two_vpcs(void **state)
{
	static const struct rte_ether_addr m_vm1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
	static const struct rte_ether_addr m_vm9 = {{0x02, 0x00, 0x0a, 0x03, 0x00, 0x09}};
	static const struct rte_ether_addr gw_web = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};
	static const struct rte_ether_addr gw_app = {{0x02, 0x76, 0x78, 0x00, 0x01, 0x2c}};
	uint64_t hairpin = dp.w->stats.events[VXG_EV_nat_hairpin];
	struct rte_mbuf *pkts[2], *m;
	unsigned seen = 0;

	pkts[0] = on_wire(echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, IPN(192, 0, 2, 77), EXT_RED, 7),
		&m_vm1, &gw_web, P_LOCAL);
	pkts[1] = tagged(on_wire(echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, IPN(192, 0, 2, 88), EXT, 9),
				 &m_vm9, &gw_app, P_LOCAL),
		5);
	vxg_eth_input(dp.w, dp_if(P_LOCAL), pkts, 2);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_hairpin], hairpin + 2);
	for (unsigned p = 0; p < dp.n_ifs; p++)
		assert_int_equal(dp.w->tx[p].n, 0);
	while (rte_ring_dequeue(dp.punt, (void **)&m) == 0) {
		assert_int_equal(vxg_meta(m)->why, VXG_PUNT_UNDERLAY);
		if (ip_of(m)->dst_addr == EXT_RED) { /* blue's, from blue's SNAT address */
			assert_int_equal(ip_of(m)->src_addr, EXT);
			assert_int_equal(m->port, P_WAN);
			seen |= 1;
		} else {
			assert_int_equal(ip_of(m)->dst_addr, EXT);
			assert_int_equal(ip_of(m)->src_addr, EXT_RED);
			assert_int_equal(m->port, P_WAN2);
			seen |= 2;
		}
		rte_pktmbuf_free(m);
	}
	assert_int_equal(seen, 3);
}

/* The in table is full while the out table is not: the new flow is a counted drop
 * (nat_table_full), its out key is gone at once (the next packet misses cleanly), and the
 * entry it had, dead, is freed by the next ageing pass without counting as a session. */
static void
test_in_table_full(void **state)
{
	struct vxg_nat_table *t = nat_dp_sess;
	struct vxg_nat_key k = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53), junk;
	uint64_t full = dp_drops(VXG_DROP_nat_table_full);
	uint16_t vpc = 0;
	unsigned n_junk = 0, dead = 0;
	int32_t jpos = -1;
	struct rte_mbuf *m;
	uint8_t res;

	/* keys of nobody's fill the in table */
	for (;;) {
		int32_t r;

		junk = okey(IPPROTO_TCP, REMOTE2, (uint16_t)(n_junk + 1), EXT, 9);
		r = rte_hash_add_key(t->in_h, &junk);
		if (r < 0)
			break;
		jpos = r;
		n_junk++;
	}
	assert_true(n_junk >= 64);
	m = on_wire(udp_std(IN_B, 40000, REMOTE, 53), &M_VM2, &M_GW_WEB, P_LOCAL);
	assert_int_equal(vxg_nat_out(dp.w, &m, &vpc, 1, &res), 0);
	assert_int_equal(res, VXG_NAT_DROPPED);
	assert_int_equal(dp_drops(VXG_DROP_nat_table_full), full + 1);
	assert_int_equal(rte_hash_lookup(t->out_h, &k), -ENOENT);
	for (uint32_t i = 0; i < t->n_sess; i++)
		if (t->sess[i].flags & VXG_NAT_F_DEAD) {
			assert_int_equal(t->sess[i].state, VXG_CT_NONE);
			dead++;
		}
	assert_int_equal(dead, 1);
	assert_int_equal(vxg_nat_count(t), 1); /* the position, until control frees it */
	assert_int_equal(vxg_nat_age(t, vxg_ct_now(), t->n_sess), 0);
	assert_int_equal(vxg_nat_count(t), 0);
	for (uint32_t i = 0; i < t->n_sess; i++)
		assert_int_equal(t->sess[i].flags & VXG_NAT_F_DEAD, 0);
	/* room again in the in table: the flow's next packet gets its session */
	junk = okey(IPPROTO_TCP, REMOTE2, (uint16_t)n_junk, EXT, 9);
	assert_int_equal(rte_hash_del_key(t->in_h, &junk), jpos);
	rte_hash_free_key_with_position(t->in_h, jpos);
	m = on_wire(udp_std(IN_B, 40000, REMOTE, 53), &M_VM2, &M_GW_WEB, P_LOCAL);
	assert_int_equal(vxg_nat_out(dp.w, &m, &vpc, 1, &res), 0);
	assert_int_equal(res, VXG_NAT_TX);
	assert_int_equal(dp_drops(VXG_DROP_nat_table_full), full + 1);
	check_sess(t, &k, rte_hash_lookup(t->out_h, &k));
	rte_pktmbuf_free(m);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_outside_ttl_snat, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_outside_frag_needed_fip, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_outside_error_dropped, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_ping_snat_addr_from_inside, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(test_in_table_full, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_fip_inbound_repeated, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_snat_outbound_repeated, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_snat_cache_after_clear, nat_dp_setup, nat_dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_fip_inbound_security_group, nat_dp_setup_sg, nat_dp_teardown_sg),
		cmocka_unit_test_setup_teardown(
			test_hairpin_two_vpcs, hairpin_setup, hairpin_teardown),
	};
	int ret;

	if (nat_init(argv[0], "vxg_test_nat_stages") < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nat_fini();
	return ret;
}
