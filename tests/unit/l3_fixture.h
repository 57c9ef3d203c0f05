/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the router's tests share (test_l3_router.c, test_l3_forward.c, test_l3_neigh.c):
 * the dataplane of dp_fixture.h with two routed networks in VPC blue, static routes, an
 * external interface and VPC red reusing both CIDRs; the MACs of its ports and gateways;
 * frames to send in; and checks of a routed frame and of an ICMP error.
 */
#ifndef VXG_TEST_L3_FIXTURE_H
#define VXG_TEST_L3_FIXTURE_H

#include <stdlib.h>

#include <rte_arp.h>
#include <rte_icmp.h>

#include "dp_fixture.h"
#include "vxg_icmp.h"

#include "ip4.h"

/* Two routed networks in blue (db with DHCP), a static route, and red reusing both CIDRs.
 * local: vm3 (web, VLAN 5), vm7 and vm8 (db, untagged); trunk: vm4 (web, VLAN 7), vm5 (db,
 * VLAN 8), red's r1 (VLAN 11) and r5 (VLAN 10); behind 172.16.0.2: vm1 (web), vm6 (db). */
static const char rt_yaml[] = DP_IFACES_YAML
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

/* Each test on a fresh dataplane of rt_yaml; every mbuf back in the pool at the end. */
#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, dp_teardown_leaks)

#endif
