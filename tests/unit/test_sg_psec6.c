/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security for IPv6 (dataplane/sg/psec6.c and its table, control/sg/psec6_config.c):
 * the generation's per-port IPv6 table, then frames through the real L2 input, each
 * allowed case and each drop under its own reason alone.
 */
#include "sg_fixture.h"

#include "config/fields.h"
#include "sg/psec6_config.h"

/*
 * One VPC: web (VNI 100, dual-stack once the test sets its IPv6 block) and old (VNI 300,
 * IPv4 only). vm3 on `local` VLAN 5 (fixed addresses, a pair with a MAC of its own), vm2 on
 * `trunk` VLAN 8 (no fixed address: DHCP), vm1 behind VTEP 172.16.0.2; in old, vm4 on
 * `trunk` VLAN 9 and vm5 on `local` VLAN 7. No security groups: port security alone.
 */
static const char p6_yaml[] = DP_IFACES_YAML
	"vtep: {address: 172.16.0.1, ageing: 30}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2]}\n"
	"      - {name: old, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {vtep: 172.16.0.2}}\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:03\", ip: 10.1.0.3,\n"
	"         location: {interface: local, vlan: 5},\n"
	"         allowed_address_pairs: [{ip: 10.1.0.50}, {ip: 10.1.0.60, mac: "
	"\"02:00:0a:01:00:60\"},\n"
	"         {ip: 10.1.0.61, mac: \"02:00:0a:01:00:60\"}]}\n"
	"      - {name: vm2, network: web, mac: \"02:00:0a:01:00:0c\",\n"
	"         location: {interface: trunk, vlan: 8}}\n"
	"      - {name: vm4, network: old, mac: \"02:00:0a:03:00:04\", ip: 10.3.0.4,\n"
	"         location: {interface: trunk, vlan: 9}}\n"
	"      - {name: vm5, network: old, mac: \"02:00:0a:03:00:05\", ip: 10.3.0.5,\n"
	"         location: {interface: local, vlan: 7}}\n";

static const struct rte_ether_addr M_VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr M_VM3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x03}};
static const struct rte_ether_addr M_PAIR = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x60}};
static const struct rte_ether_addr M_VM2 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0c}};
static const struct rte_ether_addr M_VM4 = {{0x02, 0x00, 0x0a, 0x03, 0x00, 0x04}};
static const struct rte_ether_addr M_VM5 = {{0x02, 0x00, 0x0a, 0x03, 0x00, 0x05}};
static const struct rte_ether_addr M_OTHER = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x99}};
static const struct rte_ether_addr M_ALL_NODES = {{0x33, 0x33, 0, 0, 0, 1}};
static const struct rte_ether_addr M_ALL_ROUTERS = {{0x33, 0x33, 0, 0, 0, 2}};
static const struct rte_ether_addr M_SOLICITED = {{0x33, 0x33, 0xff, 0, 0, 0x03}};

#define VLAN3 5
#define VLAN2 8
#define VLAN4 9
#define VLAN5 7

/* 2001:db8:1::<last>, and fe80::EUI-64 of a MAC. */
static struct vxg_ip6
web6(uint16_t last)
{
	struct vxg_ip6 a = {.a = {0x20, 0x01, 0x0d, 0xb8, 0, 1}};

	a.a[14] = last >> 8;
	a.a[15] = last & 0xff;
	return a;
}

static const struct vxg_ip6 UNSPEC;
static const struct vxg_ip6 ALL_NODES = {.a = {0xff, 0x02, [15] = 1}};
static const struct vxg_ip6 ALL_ROUTERS = {.a = {0xff, 0x02, [15] = 2}};
static const struct vxg_ip6 SOLICITED = {.a = {0xff, 0x02, [11] = 1, 0xff, 0, 0, 3}};
static const struct vxg_ip6 MLD2_ROUTERS = {.a = {0xff, 0x02, [15] = 0x16}};
static const struct vxg_ip6 DHCP6_SERVERS = {.a = {0xff, 0x02, [13] = 1, 0, 2}};

/* The config with web dual-stack (2001:db8:1::/64), vm3 at ::3 with an IPv6 pair
 * 2001:db8:1:0:5::/80 on its pair MAC, vm1 at ::b. The YAML has no IPv6 keys: the model is
 * set as the loader would. */
static struct vxg_config *
p6_config(void)
{
	struct vxg_config *cfg = dp_config("psec6.yaml", p6_yaml);
	struct vxg_vpc_cfg *v;
	struct vxg_port_cfg *vm3;

	if (cfg == NULL)
		return NULL;
	v = &cfg->vpcs[0];
	v->networks[0].ip6.enabled = true;
	v->networks[0].ip6.cidr.addr = web6(0);
	v->networks[0].ip6.cidr.len = 64;
	v->ports[0].ip6s[0] = web6(0xb);
	v->ports[0].n_ip6s = 1;
	vm3 = &v->ports[1];
	vm3->ip6s[0] = web6(3);
	vm3->n_ip6s = 1;
	vm3->pairs[1].is6 = true;
	vm3->pairs[1].ip6.addr = web6(0);
	vm3->pairs[1].ip6.addr.a[8] = 0;
	vm3->pairs[1].ip6.addr.a[9] = 5;
	vm3->pairs[1].ip6.len = 80;
	return cfg;
}

static int
p6_setup(void **state)
{
	memset(&sgd, 0, sizeof(sgd));
	return sg_setup_cfg(p6_config(), 64);
}

/* ---- Frames ---------------------------------------------------------------------------- */

/* Ethernet (802.1Q if vlan) + IPv6 from src to dst, next header nh, then body[0..n-1]. */
static struct rte_mbuf *
p6_pkt(const struct rte_ether_addr *smac, const struct rte_ether_addr *dmac, uint16_t vlan,
	const struct vxg_ip6 *src, const struct vxg_ip6 *dst, uint8_t nh, const void *body,
	uint16_t n)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = sg_l2len(vlan);
	struct rte_ipv6_hdr *ip;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*ip) + n);
	assert_non_null(p);
	dp_eth(p, smac, dmac, vlan);
	*(rte_be16_t *)(p + l2 - 2) = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip = (struct rte_ipv6_hdr *)(p + l2);
	memset(ip, 0, sizeof(*ip));
	ip->vtc_flow = RTE_BE32(0x60000000);
	ip->payload_len = rte_cpu_to_be_16(n);
	ip->proto = nh;
	ip->hop_limits = 255;
	memcpy(ip->src_addr, src->a, 16);
	memcpy(ip->dst_addr, dst->a, 16);
	memcpy(ip + 1, body, n);
	return m;
}

/* UDP from sport to dport with payload's first byte `type`. */
static struct rte_mbuf *
p6_udp(const struct rte_ether_addr *smac, const struct rte_ether_addr *dmac, uint16_t vlan,
	const struct vxg_ip6 *src, const struct vxg_ip6 *dst, uint16_t sport, uint16_t dport,
	uint8_t type)
{
	uint8_t u[16] = {sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 16, 0, 0, type};

	return p6_pkt(smac, dmac, vlan, src, dst, IPPROTO_UDP, u, sizeof(u));
}

/* An ND message (NS, NA) for target, with a link-layer address option of type opt for
 * ll (none when ll is NULL). */
static struct rte_mbuf *
p6_nd(const struct rte_ether_addr *smac, const struct rte_ether_addr *dmac, uint16_t vlan,
	const struct vxg_ip6 *src, const struct vxg_ip6 *dst, uint8_t type,
	const struct vxg_ip6 *target, const struct rte_ether_addr *ll)
{
	uint8_t b[32] = {type};

	memcpy(b + 8, target->a, 16);
	if (ll == NULL)
		return p6_pkt(smac, dmac, vlan, src, dst, IPPROTO_ICMPV6, b, 24);
	b[24] = type == 135 ? 1 : 2;
	b[25] = 1;
	memcpy(b + 26, ll, 6);
	return p6_pkt(smac, dmac, vlan, src, dst, IPPROTO_ICMPV6, b, sizeof(b));
}

static struct rte_mbuf *
p6_icmp(const struct rte_ether_addr *smac, const struct rte_ether_addr *dmac, uint16_t vlan,
	const struct vxg_ip6 *src, const struct vxg_ip6 *dst, uint8_t type)
{
	uint8_t b[16] = {type};

	return p6_pkt(smac, dmac, vlan, src, dst, IPPROTO_ICMPV6, b, sizeof(b));
}

/* An MLDv2 report behind a Hop-by-Hop header with the router alert. */
static struct rte_mbuf *
p6_mld(const struct rte_ether_addr *smac, uint16_t vlan, const struct vxg_ip6 *src)
{
	const struct rte_ether_addr dmac = {{0x33, 0x33, 0, 0, 0, 0x16}};
	uint8_t b[8 + 8] = {IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0, 143};

	return p6_pkt(smac, &dmac, vlan, src, &MLD2_ROUTERS, 0, b, sizeof(b));
}

/* The link-local address of mac. */
static struct vxg_ip6
ll6(const struct rte_ether_addr *mac)
{
	return vxg_ip6_link_local(mac);
}

/* m, received on port `in`, is flooded (broadcast or multicast): nothing dropped, a copy
 * on port out. */
static void
expect_flood(unsigned in, struct rte_mbuf *m, unsigned out)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_true(dp.w->tx[out].n >= 1);
}

/* m, received on port `in`, passes port security and goes to control (a Router
 * Solicitation or DHCPv6 client message of a dual-stack network: answered, not flooded). */
static void
expect_punt(unsigned in, struct rte_mbuf *m)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	dp_punt_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_int_equal(sg_tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 1);
}

/* ---- Tests ------------------------------------------------------------------------------ */

/* The generation's IPv6 table: vm3's address, its link-locals (own and pair MAC), its
 * pair; vm2 any source (no fixed address, dual-stack); vm4 link-local only. */
static void
test_psec6_table(void **state)
{
	const struct vxg_gen *g = dp.gen;
	unsigned seen = 0;

	for (uint32_t s = 0; s < g->n_lports; s++) {
		const struct vxg_gen_lport *lp = &g->lports[s];

		if (!(lp->flags & VXG_LP_DECLARED))
			continue;
		seen++;
		if (lp->vpc_port == 1) { /* vm3 */
			assert_int_equal(lp->n_addrs6, 4);
			assert_int_equal(lp->n_addrs, 3); /* the IPv6 pair is not IPv4's */
			assert_false(lp->flags & VXG_LP_IP6_ANY);
			assert_memory_equal(&lp->addrs6[3].mac, &M_PAIR, 6);
			assert_int_equal(
				rte_be_to_cpu_64(lp->addrs6[3].mask[1]), 0xffff000000000000ull);
			assert_int_equal(rte_be_to_cpu_64(lp->addrs6[3].mask[0]), UINT64_MAX);
		} else if (lp->vpc_port == 2) { /* vm2 */
			assert_int_equal(lp->n_addrs6, 1);
			assert_true(lp->flags & VXG_LP_IP6_ANY);
		} else if (lp->vpc_port == 3) { /* vm4 */
			assert_int_equal(lp->n_addrs6, 1);
			assert_false(lp->flags & VXG_LP_IP6_ANY);
		}
	}
	assert_int_equal(seen, 5);
	assert_int_equal(g->n_lp_addrs6, 2 + 4 + 1 + 1 + 1);
}

/* Sources: own, link-local, pair (with its MAC), DAD's :: and MLD; the rest spoofed. */
static void
test_psec6_source(void **state)
{
	struct vxg_ip6 a3 = web6(3), a2 = web6(0xc), ll3 = ll6(&M_VM3), llp = ll6(&M_PAIR);
	struct vxg_ip6 pair = web6(7), spoof = web6(0x99), a1 = web6(0xb);

	pair.a[9] = 5;
	expect_pass(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 4000, 5000, 0), P_TRUNK);
	expect_pass(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &ll3, &a2, 4000, 5000, 0), P_TRUNK);
	expect_pass(P_LOCAL, p6_udp(&M_PAIR, &M_VM2, VLAN3, &pair, &a2, 4000, 5000, 0), P_TRUNK);
	expect_pass(P_LOCAL, p6_udp(&M_PAIR, &M_VM2, VLAN3, &llp, &a2, 4000, 5000, 0), P_TRUNK);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &spoof, &a2, 4000, 5000, 0),
		VXG_DROP_psec_ip6_src);
	/* the pair's prefix with the port's own MAC, the port's address with the pair's */
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &pair, &a2, 4000, 5000, 0),
		VXG_DROP_psec_ip6_src);
	expect_drop(P_LOCAL, p6_udp(&M_PAIR, &M_VM2, VLAN3, &a3, &a2, 4000, 5000, 0),
		VXG_DROP_psec_ip6_src);
	/* DAD: an NS and an MLD report from ::, nothing else */
	expect_flood(P_LOCAL,
		p6_nd(&M_VM3, &M_SOLICITED, VLAN3, &UNSPEC, &SOLICITED, 135, &a3, NULL), P_TRUNK);
	expect_flood(P_LOCAL, p6_mld(&M_VM3, VLAN3, &UNSPEC), P_TRUNK);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_ALL_NODES, VLAN3, &UNSPEC, &ALL_NODES, 1, 2, 0),
		VXG_DROP_psec_ip6_src);
	expect_drop(P_LOCAL,
		p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &UNSPEC, &ALL_NODES, 136, &a3, NULL),
		VXG_DROP_psec_ip6_src);
	/* behind the VTEP, the same */
	expect_drop(P_UP, from_vtep(p6_udp(&M_VM1, &M_VM2, 0, &spoof, &a2, 1, 2, 0), 100),
		VXG_DROP_psec_ip6_src);
	expect_pass(P_UP, from_vtep(p6_udp(&M_VM1, &M_VM2, 0, &a1, &a2, 1, 2, 0), 100), P_TRUNK);
}

/* TCP and UDP right after the fixed header take a shorter way (no header walk): the same
 * verdicts as the full check's. */
static void
test_psec6_fast_path(void **state)
{
	struct vxg_ip6 a3 = web6(3), a2 = web6(0xc), spoof = web6(0x99);
	uint8_t tcp[20] = {0x9c, 0x40, 0, 80, [12] = 0x50, [13] = 0x02};
	uint8_t short_udp[4] = {0x9c, 0x40, 0x13, 0x89};

	expect_pass(
		P_LOCAL, p6_pkt(&M_VM3, &M_VM2, VLAN3, &a3, &a2, IPPROTO_TCP, tcp, 20), P_TRUNK);
	expect_drop(P_LOCAL, p6_pkt(&M_VM3, &M_VM2, VLAN3, &spoof, &a2, IPPROTO_TCP, tcp, 20),
		VXG_DROP_psec_ip6_src);
	/* the port's address with another port's MAC */
	expect_drop(P_LOCAL, p6_pkt(&M_PAIR, &M_VM2, VLAN3, &a3, &a2, IPPROTO_TCP, tcp, 20),
		VXG_DROP_psec_ip6_src);
	expect_drop(P_LOCAL, p6_pkt(&M_VM3, &M_VM2, VLAN3, &a3, &a2, IPPROTO_UDP, short_udp, 4),
		VXG_DROP_psec_ip6_header);
	/* DHCPv6 ports: the full check's (a client's Solicit passes, a server's reply not) */
	expect_pass(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 546, 547, 1), P_TRUNK);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 547, 546, 7),
		VXG_DROP_psec_dhcp6_server);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 4000, 547, 7),
		VXG_DROP_psec_dhcp6_server);
}

/* A port without a fixed address in a dual-stack network: any source; one with fixed
 * IPv4 addresses in an IPv4-only network: its link-local address only. */
static void
test_psec6_any_and_v4_only(void **state)
{
	struct vxg_ip6 a3 = web6(3), x = web6(0x77), ll4 = ll6(&M_VM4), ll5 = ll6(&M_VM5);

	expect_pass(P_TRUNK, p6_udp(&M_VM2, &M_VM3, VLAN2, &x, &a3, 1, 2, 0), P_LOCAL);
	expect_drop(P_TRUNK, p6_icmp(&M_VM2, &M_ALL_NODES, VLAN2, &x, &ALL_NODES, 134),
		VXG_DROP_psec_ra_guard);
	expect_pass(P_TRUNK, p6_udp(&M_VM4, &M_VM5, VLAN4, &ll4, &ll5, 1, 2, 0), P_LOCAL);
	expect_drop(
		P_TRUNK, p6_udp(&M_VM4, &M_VM5, VLAN4, &x, &ll5, 1, 2, 0), VXG_DROP_psec_ip6_src);
	/* IPv4 as before; a pair's own MAC, learned once, still its port's */
	for (int i = 0; i < 2; i++)
		expect_pass(P_LOCAL,
			sg_udp(&M_PAIR, &M_VM2, VLAN3, IP(10, 1, 0, 61), IP(10, 1, 0, 12), 1, 2),
			P_TRUNK);
	expect_pass(P_TRUNK, sg_udp(&M_VM4, &M_VM5, VLAN4, IP(10, 3, 0, 4), IP(10, 3, 0, 5), 1, 2),
		P_LOCAL);
	expect_drop(P_TRUNK, sg_udp(&M_VM4, &M_VM5, VLAN4, IP(10, 3, 0, 9), IP(10, 3, 0, 5), 1, 2),
		VXG_DROP_spoof_ip);
}

/* Neighbour Discovery: NA for the port's own addresses with its MACs; NS's SLLA. */
static void
test_psec6_nd(void **state)
{
	struct vxg_ip6 a3 = web6(3), ll3 = ll6(&M_VM3), x = web6(0x99), pair = web6(7);

	pair.a[9] = 5;
	expect_flood(P_LOCAL, p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 136, &a3, &M_VM3),
		P_TRUNK);
	expect_flood(P_LOCAL, p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 136, &a3, NULL),
		P_TRUNK);
	expect_flood(P_LOCAL,
		p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 136, &pair, &M_PAIR), P_TRUNK);
	expect_drop(P_LOCAL, p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 136, &x, &M_VM3),
		VXG_DROP_psec_nd_target);
	expect_drop(P_LOCAL,
		p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 136, &a3, &M_OTHER),
		VXG_DROP_psec_nd_lladdr);
	/* the pair's prefix advertised with the port's own MAC (no option) */
	expect_drop(P_LOCAL, p6_nd(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 136, &pair, NULL),
		VXG_DROP_psec_nd_lladdr);
	expect_flood(P_LOCAL, p6_nd(&M_VM3, &M_SOLICITED, VLAN3, &a3, &SOLICITED, 135, &x, &M_VM3),
		P_TRUNK);
	expect_drop(P_LOCAL, p6_nd(&M_VM3, &M_SOLICITED, VLAN3, &a3, &SOLICITED, 135, &x, &M_OTHER),
		VXG_DROP_psec_nd_lladdr);
}

/* RA guard and DHCPv6 servers; a DHCPv6 client's Solicit goes. */
static void
test_psec6_ra_dhcp6(void **state)
{
	struct vxg_ip6 ll3 = ll6(&M_VM3);
	const struct rte_ether_addr m12 = {{0x33, 0x33, 0, 1, 0, 2}};

	expect_drop(P_LOCAL, p6_icmp(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 134),
		VXG_DROP_psec_ra_guard);
	expect_drop(P_LOCAL, p6_icmp(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 137),
		VXG_DROP_psec_ra_guard);
	expect_punt(P_LOCAL, p6_icmp(&M_VM3, &M_ALL_ROUTERS, VLAN3, &ll3, &ALL_ROUTERS, 133));
	expect_punt(P_LOCAL, p6_udp(&M_VM3, &m12, VLAN3, &ll3, &DHCP6_SERVERS, 546, 547, 1));
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 547, 546, 2),
		VXG_DROP_psec_dhcp6_server);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_ALL_NODES, VLAN3, &ll3, &ALL_NODES, 4000, 546, 7),
		VXG_DROP_psec_dhcp6_server);
	expect_drop(P_LOCAL, p6_udp(&M_VM3, &m12, VLAN3, &ll3, &DHCP6_SERVERS, 546, 547, 7),
		VXG_DROP_psec_dhcp6_server);
}

/* Headers: truncated, not IPv6, an extension header that is not read past, a fragment. */
static void
test_psec6_headers(void **state)
{
	struct vxg_ip6 a3 = web6(3), a2 = web6(0xc);
	uint8_t dst_opts[16] = {IPPROTO_ICMPV6, 0, 1, 4, 0, 0, 0, 0, 134};
	uint8_t frag_ra[16] = {IPPROTO_ICMPV6, 0, 0, 0, 0, 0, 0, 1, 134};
	uint8_t frag_later[16] = {IPPROTO_ICMPV6, 0, 0x05, 0x00, 0, 0, 0, 1, 134};
	uint8_t hop_long[8] = {IPPROTO_UDP, 4};
	uint8_t short_na[12] = {136};
	struct rte_mbuf *m;

	m = p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 1, 2, 0);
	rte_pktmbuf_trim(m, m->pkt_len - 18 - 30);
	expect_drop(P_LOCAL, m, VXG_DROP_psec_ip6_header);
	m = p6_udp(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 1, 2, 0);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 18) = 0x45;
	expect_drop(P_LOCAL, m, VXG_DROP_psec_ip6_header);
	/* an ND message shorter than its target */
	expect_drop(P_LOCAL,
		p6_pkt(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, IPPROTO_ICMPV6, short_na, 12),
		VXG_DROP_psec_ip6_header);
	expect_drop(P_LOCAL,
		p6_pkt(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 60, dst_opts,
			sizeof(dst_opts)),
		VXG_DROP_psec_ip6_header);
	expect_drop(P_LOCAL, p6_pkt(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 0, hop_long, sizeof(hop_long)),
		VXG_DROP_psec_ip6_header);
	expect_drop(P_LOCAL,
		p6_pkt(&M_VM3, &M_ALL_NODES, VLAN3, &a3, &ALL_NODES, 44, frag_ra, sizeof(frag_ra)),
		VXG_DROP_psec_ra_guard);
	expect_pass(P_LOCAL,
		p6_pkt(&M_VM3, &M_VM2, VLAN3, &a3, &a2, 44, frag_later, sizeof(frag_later)),
		P_TRUNK);
}

/* The drop reasons show in the trace's port security event as in the counters. */
static void
test_psec6_counted(void **state)
{
	struct vxg_ip6 spoof = web6(0x99), a2 = web6(0xc);

	for (int i = 0; i < 3; i++)
		expect_drop(P_LOCAL, p6_udp(&M_VM3, &M_VM2, VLAN3, &spoof, &a2, 1, 2, 0),
			VXG_DROP_psec_ip6_src);
	assert_int_equal(dp_drops(VXG_DROP_psec_ip6_src), 3);
	assert_string_equal(vxg_drop_names[VXG_DROP_psec_ip6_src], "psec_ip6_src");
}

#define P6T(f) cmocka_unit_test_setup_teardown(f, p6_setup, sg_teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		P6T(test_psec6_table),
		P6T(test_psec6_source),
		P6T(test_psec6_fast_path),
		P6T(test_psec6_any_and_v4_only),
		P6T(test_psec6_nd),
		P6T(test_psec6_ra_dhcp6),
		P6T(test_psec6_headers),
		P6T(test_psec6_counted),
	};
	int ret;

	if (sg_eal_init(argv[0], "vxg_test_sg_psec6") < 0)
		return 1;
	ret = cmocka_run_group_tests_name("psec6", tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
