/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router stage end to end on hand-built mbufs (vxg_eth_input -> L2 -> vxg_l3_input
 * -> L2 output): routing between two networks of a VPC (access ports, VLAN tags, VTEPs),
 * TTL and ICMP errors with their rate limit, MTU (ICMP or fragments), neighbour misses
 * and static routes, local delivery, malformed IPv4, VPC isolation; and the control side
 * of the router neighbour table (control/l3_neigh.c).
 */
#include <stdlib.h>

#include <rte_arp.h>
#include <rte_icmp.h>

#include "dp_fixture.h"
#include "vxg_icmp.h"

#include "ip4.h"

/* Two routed networks in blue (db with DHCP), a static route, and red reusing both CIDRs.
 * local: vm3 (web, VLAN 5), vm7 and vm8 (db, untagged); trunk: vm4 (web, VLAN 7), vm5 (db,
 * VLAN 8), red's r1 (VLAN 11) and r5 (VLAN 10); behind 172.16.0.2: vm1 (web), vm6 (db). */
static const char rt_yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24,\n"
	"     gateway: 172.16.0.254, mtu: 1600, neighbours: [{ip: 172.16.0.2, mac: "
	"\"02:00:ac:10:00:02\"},\n"
	"     {ip: 172.16.0.254, mac: \"02:00:ac:10:00:fe\"}]}\n"
	"  - {name: local, device: net_null1, role: access}\n"
	"  - {name: trunk, device: net_null2, role: access}\n"
	"  - {name: wan, device: net_null3, role: external, address: 203.0.113.2/24,\n"
	"     gateway: 203.0.113.1, mtu: 1500, neighbours: [{ip: 203.0.113.1, mac: "
	"\"02:00:cb:00:71:01\"}]}\n"
	"vtep: {address: 172.16.0.1, ageing: 30}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1400, dhcp: {}}\n"
	"    routes: [{prefix: 192.168.0.0/16, nexthop: 10.2.0.254},\n"
	"             {prefix: 198.51.100.0/24, via: wan},\n"
	"             {prefix: 100.64.0.0/16, via: wan, nexthop: 203.0.113.9}]\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {vtep: 172.16.0.2}}\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:03\", ip: 10.1.0.3,\n"
	"         location: {interface: local, vlan: 5}}\n"
	"      - {name: vm4, network: web, mac: \"02:00:0a:01:00:04\", ip: 10.1.0.4,\n"
	"         location: {interface: trunk, vlan: 7}}\n"
	"      - {name: vm5, network: db, mac: \"02:00:0a:02:00:05\", ip: 10.2.0.5,\n"
	"         location: {interface: trunk, vlan: 8}}\n"
	"      - {name: vm6, network: db, mac: \"02:00:0a:02:00:06\", ip: 10.2.0.6,\n"
	"         location: {vtep: 172.16.0.2}}\n"
	"      - {name: vm7, network: db, mac: \"02:00:0a:02:00:07\", ip: 10.2.0.7,\n"
	"         location: {interface: local}}\n"
	"      - {name: vm8, network: db, mac: \"02:00:0a:02:00:08\", location: {interface: "
	"local}}\n"
	"  - name: red\n"
	"    networks:\n"
	"      - {name: web, vni: 300, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1550}\n"
	"      - {name: db, vni: 400, cidr: 10.2.0.0/24, gateway: 10.2.0.1}\n"
	"    routes: [{prefix: 198.51.100.0/24, via: wan}]\n"
	"    ports:\n"
	"      - {name: r1, network: web, mac: \"02:00:0b:01:00:04\", ip: 10.1.0.4,\n"
	"         location: {interface: trunk, vlan: 11}}\n"
	"      - {name: r5, network: db, mac: \"02:00:0b:02:00:05\", ip: 10.2.0.5,\n"
	"         location: {interface: trunk, vlan: 10}}\n";

static const struct rte_ether_addr M_VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr M_VM3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x03}};
static const struct rte_ether_addr M_VM4 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x04}};
static const struct rte_ether_addr M_VM5 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x05}};
static const struct rte_ether_addr M_VM6 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x06}};
static const struct rte_ether_addr M_VM7 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x07}};
static const struct rte_ether_addr M_VM8 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x08}};
static const struct rte_ether_addr M_R1 = {{0x02, 0x00, 0x0b, 0x01, 0x00, 0x04}};
static const struct rte_ether_addr M_R5 = {{0x02, 0x00, 0x0b, 0x02, 0x00, 0x05}};
static const struct rte_ether_addr GW_WEB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};
static const struct rte_ether_addr GW_DB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0xc8}};
static const struct rte_ether_addr GW_RWEB = {{0x02, 0x76, 0x78, 0x00, 0x01, 0x2c}};
static const struct rte_ether_addr GW_RDB = {{0x02, 0x76, 0x78, 0x00, 0x01, 0x90}};
static const struct rte_ether_addr BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static const struct rte_ether_addr WAN_GW = {{0x02, 0x00, 0xcb, 0x00, 0x71, 0x01}};

#define VTEP2 RTE_BE32(0xac100002)
#define P_WAN 3
#define N_PORTS 4

static int
rt_setup(void **state)
{
	return dp_setup_cfg(dp_config("router.yaml", rt_yaml), N_PORTS, 1024);
}

/* ---- Frames ------------------------------------------------------------------------- */

static uint16_t
l2len(uint16_t vlan)
{
	return vlan ? 18 : 14;
}

/* Ethernet (802.1Q if vlan) + IPv4 of ip_len bytes: a UDP or ICMP echo header, then a
 * byte pattern. */
static struct rte_mbuf *
ipf(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan, uint32_t sip,
	uint32_t dip, uint8_t proto, uint8_t ttl, uint16_t ip_len, bool df)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = l2len(vlan);
	struct rte_ipv4_hdr *ip;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + ip_len);
	assert_non_null(p);
	dp_eth(p, src, dst, vlan);
	ip = (struct rte_ipv4_hdr *)(p + l2);
	for (unsigned i = 0; i < ip_len; i++)
		((uint8_t *)ip)[i] = (uint8_t)(i * 7 + 3);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->packet_id = RTE_BE16(0x1234);
	ip->fragment_offset = df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	ip->time_to_live = ttl;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(sip);
	ip->dst_addr = rte_cpu_to_be_32(dip);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

		u->src_port = RTE_BE16(40000);
		u->dst_port = RTE_BE16(5001);
		u->dgram_len = rte_cpu_to_be_16(ip_len - 20);
		u->dgram_cksum = 0;
	} else if (proto == IPPROTO_ICMP) {
		struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

		ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
		ic->icmp_code = 0;
		ic->icmp_cksum = 0;
		ic->icmp_cksum = ~rte_raw_cksum(ic, ip_len - 20);
	}
	return m;
}

static struct rte_mbuf *
udp(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan, uint32_t sip,
	uint32_t dip, uint8_t ttl, uint16_t ip_len)
{
	return ipf(src, dst, vlan, sip, dip, IPPROTO_UDP, ttl, ip_len, false);
}

static struct rte_ipv4_hdr *
ip_at(struct rte_mbuf *m, uint16_t l2)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
}

static void
fix_cksum(struct rte_ipv4_hdr *ip)
{
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* A broadcast ARP request from src (sip) for tip. */
static struct rte_mbuf *
arp_req(const struct rte_ether_addr *src, uint16_t vlan, uint32_t sip, uint32_t tip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = l2len(vlan);
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*arp) + 18);
	memset(p, 0, m->pkt_len);
	eth = (struct rte_ether_hdr *)p;
	eth->dst_addr = BCAST;
	eth->src_addr = *src;
	if (vlan) {
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		((struct rte_vlan_hdr *)(eth + 1))->vlan_tci = rte_cpu_to_be_16(vlan);
		((struct rte_vlan_hdr *)(eth + 1))->eth_proto = RTE_BE16(RTE_ETHER_TYPE_ARP);
	} else {
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	}
	arp = (struct rte_arp_hdr *)(p + l2);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = *src;
	arp->arp_data.arp_sip = rte_cpu_to_be_32(sip);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return m;
}

static void
rx(unsigned port, struct rte_mbuf *m)
{
	vxg_eth_input(dp.w, dp_if(port), &m, 1);
}

static void
rx_overlay(struct rte_mbuf *inner, uint32_t vni)
{
	rx(P_UP, dp_vxlan(inner, vni));
}

/* The only frame the worker transmitted, on port p. */
static struct rte_mbuf *
tx_one(unsigned p)
{
	unsigned total = 0;

	for (unsigned i = 0; i < N_PORTS; i++)
		total += dp.w->tx[i].n;
	assert_int_equal(total, 1);
	assert_int_equal(dp.w->tx[p].n, 1);
	return dp.w->tx[p].pkts[0];
}

static unsigned
tx_total(void)
{
	return dp.w->tx[0].n + dp.w->tx[1].n + dp.w->tx[2].n + dp.w->tx[P_WAN].n;
}

/* The inner frame of a VXLAN packet on the underlay to VTEP vtep, network vni. */
static const uint8_t *
vx_inner(struct rte_mbuf *m, rte_be32_t vtep, uint32_t vni, uint16_t *len)
{
	const struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, const struct vxg_vxlan_tmpl *);

	assert_int_equal(h->ip.dst_addr, vtep);
	assert_int_equal(h->vx.vx_vni, rte_cpu_to_be_32(vni << 8));
	assert_int_equal(h->udp.dst_port, RTE_BE16(4789));
	*len = (uint16_t)(m->pkt_len - sizeof(*h));
	return (const uint8_t *)(h + 1);
}

/* A frame (Ethernet first) is orig routed: MACs, tag, TTL - 1, checksum, same bytes. */
static void
check_routed(const uint8_t *p, uint16_t len, const uint8_t *orig, uint16_t ip_len,
	const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan)
{
	uint16_t l2 = l2len(vlan);
	const uint8_t *ip = p + l2;

	assert_int_equal(len, l2 + ip_len);
	assert_memory_equal(p, dst->addr_bytes, 6);
	assert_memory_equal(p + 6, src->addr_bytes, 6);
	if (vlan) {
		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_VLAN);
		assert_int_equal((p[14] << 8 | p[15]) & 0xfff, vlan);
		assert_int_equal(p[16] << 8 | p[17], RTE_ETHER_TYPE_IPV4);
	} else {
		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_IPV4);
	}
	assert_true(dp_ip_cksum_ok((const struct rte_ipv4_hdr *)ip));
	assert_int_equal(ip[8], orig[8] - 1); /* TTL */
	assert_memory_equal(ip, orig, 8);
	assert_int_equal(ip[9], orig[9]);
	assert_memory_equal(ip + 12, orig + 12, ip_len - 12); /* addresses and payload */
}

/* A copy of m's IPv4 packet, to compare with what comes out. */
static uint8_t *save_ip(struct rte_mbuf *m, uint16_t l2, uint16_t ip_len);

/*
 * A 100-byte UDP packet from src (tagged vlan, 0: untagged) to the gateway MAC gw on
 * port `in`, from sip to dip, must leave port `out` alone, routed: from out_src to
 * out_dst with tag out_vlan, TTL one less, the rest intact.
 */
static void
route_through(unsigned in, const struct rte_ether_addr *src, const struct rte_ether_addr *gw,
	uint16_t vlan, uint32_t sip, uint32_t dip, unsigned out,
	const struct rte_ether_addr *out_src, const struct rte_ether_addr *out_dst,
	uint16_t out_vlan)
{
	struct rte_mbuf *m = udp(src, gw, vlan, sip, dip, 64, 100), *o;
	uint8_t *orig = save_ip(m, l2len(vlan), 100);

	rx(in, m);
	o = tx_one(out);
	check_routed(
		rte_pktmbuf_mtod(o, uint8_t *), o->pkt_len, orig, 100, out_src, out_dst, out_vlan);
	free(orig);
	dp_tx_clear();
}

static uint8_t *
save_ip(struct rte_mbuf *m, uint16_t l2, uint16_t ip_len)
{
	uint8_t *c = malloc(ip_len);

	assert_non_null(c);
	memcpy(c, rte_pktmbuf_mtod_offset(m, void *, l2), ip_len);
	return c;
}

/* An ICMP error frame p (len bytes, tag vlan) from gw_ip/gw_mac to dst about orig. */
static const struct rte_icmp_hdr *
check_icmp(const uint8_t *p, uint16_t len, uint16_t vlan, const struct rte_ether_addr *gw_mac,
	uint32_t gw_ip, const struct rte_ether_addr *dst, const uint8_t *orig, uint16_t orig_len,
	uint8_t type, uint8_t code)
{
	uint16_t l2 = l2len(vlan), quote = RTE_MIN(orig_len, 548);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(p + l2);
	const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)(ip + 1);

	assert_int_equal(len, l2 + 28 + quote);
	assert_memory_equal(p, dst->addr_bytes, 6);
	assert_memory_equal(p + 6, gw_mac->addr_bytes, 6);
	if (vlan) {
		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_VLAN);
		assert_int_equal((p[14] << 8 | p[15]) & 0xfff, vlan);
	}
	assert_int_equal(p[l2 - 2] << 8 | p[l2 - 1], RTE_ETHER_TYPE_IPV4);
	assert_true(dp_ip_cksum_ok(ip));
	assert_int_equal(ip->version_ihl, 0x45);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 28 + quote);
	assert_int_equal(ip->next_proto_id, IPPROTO_ICMP);
	assert_int_equal(ip->src_addr, rte_cpu_to_be_32(gw_ip));
	assert_memory_equal(&ip->dst_addr, orig + 12, 4); /* back to the sender */
	assert_int_equal(ic->icmp_type, type);
	assert_int_equal(ic->icmp_code, code);
	assert_int_equal(rte_raw_cksum(ic, 8 + quote), 0xffff);
	assert_memory_equal(ic + 1, orig, quote); /* the original header, TTL unspent */
	return ic;
}

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

	/* IPv6 to the router's MAC: port security takes it first from a port with
	 * addresses (IPv4 only so far). */
	m = udp(&M_VM3, &GW_WEB, 5, IP(10, 1, 0, 3), IP(10, 2, 0, 7), 64, 100);
	rte_pktmbuf_mtod_offset(m, struct rte_vlan_hdr *, 14)->eth_proto =
		RTE_BE16(RTE_ETHER_TYPE_IPV6);
	rx(P_LOCAL, m);
	assert_int_equal(dp_drops(VXG_DROP_port_sec_ethertype), 1);

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

/* ---- 10: the router neighbour table (control) -------------------------------------- */

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

#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, dp_teardown_leaks)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_routed_access_and_vtep),
		T(test_routed_vlan_tags),
		T(test_ttl_exceeded_and_ratelimit),
		T(test_ratelimit_default_burst),
		T(test_no_route),
		T(test_too_big),
		T(test_fragmented),
		T(test_neigh_miss_then_learned),
		T(test_static_route_nexthop),
		T(test_neigh_miss_too_big),
		T(test_local_delivery),
		T(test_bad_ipv4),
		T(test_vpc_isolation),
		T(test_routed_external),
		T(test_external_fragmentation),
		T(test_l3n_static_sync),
		T(test_l3n_learn_and_miss),
		T(test_l3n_timers_incomplete),
		T(test_l3n_timers_reachable_stale),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_router") < 0) {
		fprintf(stderr, "test_router: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
