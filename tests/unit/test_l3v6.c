/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's tables and messages: a VPC's rte_fib6 (control/l3/l3_config6.c) from
 * dual-stack networks, a static route by nexthop6 and ::/0 via an external interface,
 * longest prefix first and no table for an IPv4-only VPC; Neighbour Discovery messages
 * built and parsed, and refused when malformed; ICMPv6 errors built in place, with the
 * packets RFC 4443 forbids an error about (lib/icmp6.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>

#include <cmocka.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "config/model.h"
#include "l3/l3_config.h"
#include "vxg_icmp6.h"
#include "vxg_l3.h"

static struct rte_mempool *pool;

static const char *yaml = "interfaces:\n"
			  "  - {name: up, role: underlay, device: net_null0, address: "
			  "172.16.0.1/24}\n"
			  "  - {name: wan, role: external, device: net_null1, address: "
			  "198.51.100.2/24, gateway: 198.51.100.1}\n"
			  "vtep: {address: 172.16.0.1}\n"
			  "vpcs:\n"
			  "  - name: blue\n"
			  "    networks:\n"
			  "      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n"
			  "      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}\n"
			  "    routes:\n"
			  "      - {prefix: 0.0.0.0/0, via: wan}\n"
			  "      - {prefix: 10.9.0.0/16, nexthop: 10.2.0.9}\n"
			  "      - {prefix: 10.8.0.0/16, nexthop: 10.2.0.8}\n"
			  "  - name: red\n"
			  "    networks:\n"
			  "      - {name: r, vni: 300, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n";

static struct vxg_ip6
ip6(const char *s)
{
	struct vxg_ip6 a;

	assert_int_equal(inet_pton(AF_INET6, s, a.a), 1);
	return a;
}

static void
net6(struct vxg_network_cfg *n, const char *cidr, const char *gw)
{
	n->ip6.enabled = true;
	n->ip6.cidr.addr = ip6(cidr);
	n->ip6.cidr.len = 64;
	n->ip6.gateway = ip6(gw);
}

/* The example above, made dual-stack by hand (the model is what the loader fills). */
static struct vxg_config *
load6(void)
{
	struct vxg_config *c = NULL;
	struct vxg_vpc_cfg *v;
	char err[4096];

	if (vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	v = &c->vpcs[0];
	net6(&v->networks[0], "2001:db8:1::", "2001:db8:1::1");
	net6(&v->networks[1], "2001:db8:2::", "2001:db8:2::1");
	c->interfaces[1].address6 = ip6("2001:db8:ff::2");
	c->interfaces[1].prefixlen6 = 64;
	c->interfaces[1].gateway6 = ip6("2001:db8:ff::1");
	/* ::/0 via wan, 2001:db8:9::/48 by a router in db, 2001:db8:9:9::/64 via wan */
	v->routes[0].is6 = true;
	v->routes[0].prefix6.len = 0;
	memset(&v->routes[0].prefix6.addr, 0, 16);
	v->routes[1].is6 = true;
	v->routes[1].prefix6.addr = ip6("2001:db8:9::");
	v->routes[1].prefix6.len = 48;
	v->routes[1].nexthop6 = ip6("2001:db8:2::9");
	v->routes[2].is6 = true;
	v->routes[2].prefix6.addr = ip6("2001:db8:9:9::");
	v->routes[2].prefix6.len = 64;
	v->routes[2].nexthop = 0;
	memset(&v->routes[2].nexthop6, 0, 16);
	v->routes[2].via = 1;
	return c;
}

static const struct vxg_nh6 *
lookup6(const struct vxg_l3_vpc6 *l3, const char *s)
{
	uint32_t nh = vxg_l3v6_lookup(l3, ip6(s).a);

	if (nh == VXG_L3_NO_ROUTE6)
		return NULL;
	assert_true(nh < l3->n_nhs);
	return &l3->nhs[nh];
}

static void
routes6(void **state)
{
	struct vxg_config *c = load6();
	struct vxg_l3_vpc6 l3;
	const struct vxg_nh6 *nh;
	char err[512];

	assert_int_equal(vxg_l3_compile6(c, 0, &l3, err, sizeof(err)), 0);
	assert_true(l3.on);
	assert_null(l3.fib); /* 5 prefixes: the short list */
	assert_int_equal(l3.n_nhs, 5);
	nh = lookup6(&l3, "2001:db8:1::77");
	assert_int_equal(nh->kind, VXG_NH_CONNECTED);
	assert_int_equal(nh->network, 0);
	nh = lookup6(&l3, "2001:db8:2::12");
	assert_int_equal(nh->kind, VXG_NH_CONNECTED);
	assert_int_equal(nh->network, 1);
	nh = lookup6(&l3, "2001:db8:9:1::1");
	assert_int_equal(nh->kind, VXG_NH_GATEWAY);
	assert_int_equal(nh->network, 1);
	assert_memory_equal(nh->gateway, ip6("2001:db8:2::9").a, 16);
	nh = lookup6(&l3, "2001:db8:9:9::1"); /* the longer prefix wins */
	assert_int_equal(nh->kind, VXG_NH_INTERFACE);
	assert_memory_equal(nh->gateway, ip6("2001:db8:ff::1").a, 16);
	nh = lookup6(&l3, "2606:4700::1111"); /* the default route */
	assert_int_equal(nh->kind, VXG_NH_INTERFACE);
	assert_int_equal(nh->iface, 1);
	assert_int_equal(nh->prefix_len, 0);
	vxg_l3_free6(&l3);
	/* red is IPv4 only: no table */
	assert_int_equal(vxg_l3_compile6(c, 1, &l3, err, sizeof(err)), 0);
	assert_null(l3.fib);
	vxg_config_free(c);
}

/* Without a default route, what matches nothing has no route. */
static void
routes6_none(void **state)
{
	struct vxg_config *c = load6();
	struct vxg_l3_vpc6 l3;
	char err[512];

	c->vpcs[0].routes[0].is6 = false;
	assert_int_equal(vxg_l3_compile6(c, 0, &l3, err, sizeof(err)), 0);
	assert_int_equal(l3.n_nhs, 4);
	assert_null(lookup6(&l3, "2606:4700::1111"));
	assert_null(lookup6(&l3, "2001:db8:3::1"));
	assert_non_null(lookup6(&l3, "2001:db8:1::1"));
	vxg_l3_free6(&l3);
	vxg_config_free(c);
}

static uint64_t seed = 88172645463325252ull;

static uint64_t
rnd(void)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return seed;
}

typedef unsigned __int128 u128;

static u128
mask128(unsigned len)
{
	return len == 0 ? 0 : ~(u128)0 << (128 - len);
}

static void
u128_bytes(u128 x, uint8_t *b)
{
	for (unsigned i = 0; i < 16; i++)
		b[i] = (uint8_t)(x >> (120 - 8 * i));
}

/* n IPv6 routes of random lengths (33 to 128) inside 2001:db8::/32, nested often, by
 * nexthop 2001:db8:1::fe of network a, and a default route: 50,000 random destinations
 * (inside a route's prefix, or anywhere) looked up in the compiled table give what the
 * longest configured prefix says (network a is next hop 0, the default 1, route i
 * 2 + i). want_fib: an rte_fib6, else the short list. */
static void
random_table6(unsigned n, bool want_fib)
{
	static char text[65536];
	u128 net[200], base = (u128)0x20010db8u << 96;
	unsigned len[200];
	struct vxg_config *c = NULL;
	struct vxg_l3_vpc6 l3;
	char err[4096];
	int at;

	assert_true(n < RTE_DIM(net));
	at = snprintf(text, sizeof(text),
		"interfaces:\n"
		"  - {name: up, device: net_null0, role: underlay, address: 172.16.0.1/24}\n"
		"vtep: {address: 172.16.0.1}\n"
		"vpcs:\n"
		"  - name: blue\n"
		"    networks: [{name: a, vni: 1, cidr: 10.0.0.0/24, gateway: 10.0.0.1,\n"
		"                ipv6: {cidr: \"2001:db8:1::/64\"}}]\n"
		"    routes:\n      - {prefix: \"::/0\", nexthop: \"2001:db8:1::fd\"}\n");
	for (unsigned i = 0; i < n; i++) {
		char a[INET6_ADDRSTRLEN];
		uint8_t b[16];
		bool dup;

		do { /* inside an earlier one half of the time; not in network a; no prefix twice */
			u128 x = (u128)rnd() << 64 | rnd();

			if (i > 0 && rnd() % 2) {
				unsigned k = rnd() % i;

				x = net[k] | (x & ~mask128(len[k]));
			}
			len[i] = 33 + rnd() % 96;
			net[i] = (base | (x & ~mask128(32))) & mask128(len[i]);
			dup = (net[i] & mask128(48)) == ((u128)0x20010db80001ull << 80);
			for (unsigned k = 0; k < i; k++)
				dup |= net[k] == net[i] && len[k] == len[i];
		} while (dup);
		u128_bytes(net[i], b);
		inet_ntop(AF_INET6, b, a, sizeof(a));
		at += snprintf(text + at, sizeof(text) - (size_t)at,
			"      - {prefix: \"%s/%u\", nexthop: \"2001:db8:1::fe\"}\n", a, len[i]);
	}
	if (vxg_config_load_string("t.yaml", text, &c, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(vxg_l3_compile6(c, 0, &l3, err, sizeof(err)), 0);
	assert_int_equal(l3.fib != NULL, want_fib);
	for (unsigned t = 0; t < 50000; t++) {
		u128 ip = (u128)rnd() << 64 | rnd();
		uint32_t want = 1; /* the default route */
		unsigned best = 0;
		uint8_t b[16];

		if (t % 2) {
			unsigned r = rnd() % n;

			ip = net[r] | (ip & ~mask128(len[r]));
		}
		for (unsigned i = 0; i < n; i++)
			if ((ip & mask128(len[i])) == net[i] && len[i] >= best)
				want = 2 + i, best = len[i];
		if ((ip & mask128(64)) == (u128)0x20010db80001ull << 80)
			want = 0;
		u128_bytes(ip, b);
		assert_int_equal(vxg_l3v6_lookup(&l3, b), want);
	}
	vxg_l3_free6(&l3);
	vxg_config_free(c);
}

/* The network, the default route and up to 6 routes: a short list; one more, rte_fib6. */
static void
routes6_random(void **state)
{
	for (unsigned round = 0; round < 20; round++) {
		random_table6(1 + round % 6, false);
		random_table6(VXG_L3_SMALL6 - 1 + round % 3, true);
	}
	random_table6(150, true);
	(void)state;
}

static const struct rte_ether_addr mac_a = {{0x02, 0, 0, 0, 0, 0x0a}};
static const struct rte_ether_addr mac_b = {{0x02, 0, 0, 0, 0, 0x0b}};

static void
nd_roundtrip(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct vxg_ip6 src = ip6("fe80::a"), target = ip6("2001:db8:1::1");
	const struct rte_ether_hdr *eth;
	struct vxg_nd nd;

	assert_int_equal(vxg_nd_build_ns(m, &mac_a, src.a, target.a, NULL), 0);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	/* to the solicited-node address ff02::1:ff00:1 and its MAC 33:33:ff:00:00:01 */
	assert_memory_equal(eth->dst_addr.addr_bytes, "\x33\x33\xff\x00\x00\x01", 6);
	assert_int_equal(vxg_nd_parse(m, RTE_ETHER_HDR_LEN, &nd), 0);
	assert_int_equal(nd.type, VXG_ICMP6_NS);
	assert_memory_equal(nd.target, target.a, 16);
	assert_memory_equal(nd.dst, ip6("ff02::1:ff00:1").a, 16);
	assert_true(nd.has_lla);
	assert_memory_equal(&nd.lla, &mac_a, 6);
	rte_pktmbuf_reset(m);
	assert_int_equal(vxg_nd_build_na(m, &mac_b, target.a, &mac_a, src.a, target.a,
				 VXG_ND_NA_ROUTER | VXG_ND_NA_SOLICITED | VXG_ND_NA_OVERRIDE),
		0);
	assert_int_equal(vxg_nd_parse(m, RTE_ETHER_HDR_LEN, &nd), 0);
	assert_int_equal(nd.type, VXG_ICMP6_NA);
	assert_int_equal(nd.flags, 0xe0000000u);
	assert_memory_equal(&nd.lla, &mac_b, 6);
	assert_memory_equal(nd.dst, src.a, 16);
	rte_pktmbuf_free(m);
}

/* What RFC 4861 7.1 says to ignore: a hop limit below 255, a bad checksum, an option of
 * length 0, a source link-layer option from ::, a multicast target. */
static void
nd_malformed(void **state)
{
	struct vxg_ip6 src = ip6("fe80::a"), target = ip6("2001:db8:1::1"), any = {{0}};
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ipv6_hdr *ip;
	uint8_t *p;
	struct vxg_nd nd;

	for (int k = 0; k < 5; k++) {
		rte_pktmbuf_reset(m);
		assert_int_equal(
			vxg_nd_build_ns(m, &mac_a, k == 3 ? any.a : src.a, target.a, NULL), 0);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
		p = (uint8_t *)(ip + 1);
		if (k == 0)
			ip->hop_limits = 64;
		else if (k == 1)
			p[10] ^= 1;
		else if (k == 2)
			p[25] = 0;
		else if (k == 4)
			p[8] = 0xff;
		if (k != 1) {
			((struct rte_icmp_hdr *)p)->icmp_cksum = 0;
			((struct rte_icmp_hdr *)p)->icmp_cksum = rte_ipv6_udptcp_cksum(ip, p);
		}
		assert_int_equal(vxg_nd_parse(m, RTE_ETHER_HDR_LEN, &nd), -EINVAL);
	}
	rte_pktmbuf_free(m);
}

/* A 100-byte UDP packet becomes time exceeded from the router, quoting it whole. */
static void
icmp6_error(void **state)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct vxg_ip6 gw = ip6("2001:db8:1::1"), a = ip6("2001:db8:1::11"),
		       b = ip6("2001:db8:2::12");
	uint8_t *f = (uint8_t *)rte_pktmbuf_append(m, RTE_ETHER_HDR_LEN + 100);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(f + RTE_ETHER_HDR_LEN);
	const uint8_t *ic;

	memset(f, 0, RTE_ETHER_HDR_LEN + 100);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(60);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 1;
	memcpy(ip->src_addr, a.a, 16);
	memcpy(ip->dst_addr, b.a, 16);
	m->l2_len = RTE_ETHER_HDR_LEN;
	assert_true(vxg_icmp6_error(m, VXG_ICMP6_TIME_EXCEEDED, 0, 0, gw.a));
	assert_int_equal(m->pkt_len, RTE_ETHER_HDR_LEN + 40 + 8 + 100);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	assert_int_equal(rte_be_to_cpu_16(ip->payload_len), 108);
	assert_memory_equal(ip->src_addr, gw.a, 16);
	assert_memory_equal(ip->dst_addr, a.a, 16);
	ic = (const uint8_t *)(ip + 1);
	assert_int_equal(ic[0], VXG_ICMP6_TIME_EXCEEDED);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(ip, ic), 0);
	assert_non_null(vxg_icmp6_of(m, RTE_ETHER_HDR_LEN));
	/* an error about that error may not be sent (nor about a multicast destination) */
	assert_false(vxg_icmp6_error(m, VXG_ICMP6_TIME_EXCEEDED, 0, 0, gw.a));
	ip->proto = IPPROTO_UDP;
	ip->dst_addr[0] = 0xff;
	assert_false(vxg_icmp6_error(m, VXG_ICMP6_DST_UNREACH, 0, 0, gw.a));
	rte_pktmbuf_free(m);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "512", "-l", "0", "--file-prefix",
		"vxg_test_l3v6", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes6),
		cmocka_unit_test(routes6_none),
		cmocka_unit_test(routes6_random),
		cmocka_unit_test(nd_roundtrip),
		cmocka_unit_test(nd_malformed),
		cmocka_unit_test(icmp6_error),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("t", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
