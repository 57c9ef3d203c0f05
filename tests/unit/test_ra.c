/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router Advertisements (control/ra): the frame built, checked field by field against
 * RFC 4861 4.2/4.6 and RFC 8106; the service's timers and its answers to solicitations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "ra/ra_build.h"
#include "vxg_icmp6.h"
#include "ra/ra_service.h"

static const struct rte_ether_addr gw = {{0x02, 0x00, 0x00, 0xaa, 0x00, 0x01}};
static const struct vxg_ip6 all_nodes = {{0xff, 0x02, [15] = 1}};

static struct vxg_ra_params
params(enum vxg_ip6_mode mode)
{
	struct vxg_ra_params p = {.gw_mac = gw,
		.mode = mode,
		.router_lifetime = 600,
		.mtu = 1450,
		.n_dns = 1,
		.dns_lifetime = 600};

	p.prefix.addr = (struct vxg_ip6){{0x20, 0x01, 0x0d, 0xb8, 0, 1}};
	p.prefix.len = 64;
	p.dns[0] = (struct vxg_ip6){{0x20, 0x01, 0x0d, 0xb8, [14] = 0, [15] = 0x53}};
	snprintf(p.domain, sizeof(p.domain), "blue.example");
	return p;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
ra_bytes_stateless(void **state)
{
	struct vxg_ra_params p = params(VXG_IP6_DHCP_STATELESS);
	uint8_t b[VXG_RA_FRAME_MAX];
	struct rte_ether_addr mac;
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(b + 14);
	const uint8_t *ra = b + 14 + 40, *o;
	static const uint8_t ll[16] = {
		0xfe, 0x80, [8] = 0x00, 0x00, 0x00, 0xff, 0xfe, 0xaa, 0x00, 0x01};
	static const uint8_t dnssl[16] = {
		4, 'b', 'l', 'u', 'e', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 0};
	size_t len;

	vxg_ip6_mcast_mac(&mac, all_nodes.a);
	len = vxg_ra_build(&p, &mac, &all_nodes, b, sizeof(b));
	/* 14 + 40 + 16 + SLLA 8 + MTU 8 + PIO 32 + RDNSS 24 + DNSSL 24 */
	assert_int_equal(len, 14 + 40 + 16 + 8 + 8 + 32 + 24 + 24);
	assert_memory_equal(b, "\x33\x33\x00\x00\x00\x01", 6);
	assert_memory_equal(b + 6, gw.addr_bytes, 6);
	assert_int_equal(b[12] << 8 | b[13], RTE_ETHER_TYPE_IPV6);
	assert_int_equal(rte_be_to_cpu_16(ip->payload_len), len - 54);
	assert_int_equal(ip->proto, 58);
	assert_int_equal(ip->hop_limits, 255);
	assert_memory_equal(ip->src_addr, ll, 16);
	assert_memory_equal(ip->dst_addr, all_nodes.a, 16);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(ip, ra), 0);
	assert_int_equal(ra[0], 134);
	assert_int_equal(ra[1], 0);
	assert_int_equal(ra[4], 64); /* cur hop limit */
	assert_int_equal(ra[5], 0x40); /* M0 O1 */
	assert_int_equal(ra[6] << 8 | ra[7], 600);
	assert_int_equal(rd32(ra + 8), 0);
	assert_int_equal(rd32(ra + 12), 0);
	o = ra + 16;
	assert_int_equal(o[0], 1); /* SLLA */
	assert_int_equal(o[1], 1);
	assert_memory_equal(o + 2, gw.addr_bytes, 6);
	o += 8;
	assert_int_equal(o[0], 5); /* MTU */
	assert_int_equal(o[1], 1);
	assert_int_equal(rd32(o + 4), 1450);
	o += 8;
	assert_int_equal(o[0], 3); /* PIO */
	assert_int_equal(o[1], 4);
	assert_int_equal(o[2], 64);
	assert_int_equal(o[3], 0xc0); /* L and A */
	assert_int_equal(rd32(o + 4), VXG_RA_VALID_LIFETIME);
	assert_int_equal(rd32(o + 8), VXG_RA_PREFERRED_LIFETIME);
	assert_memory_equal(o + 16, p.prefix.addr.a, 16);
	o += 32;
	assert_int_equal(o[0], 25); /* RDNSS */
	assert_int_equal(o[1], 3);
	assert_int_equal(rd32(o + 4), 600);
	assert_memory_equal(o + 8, p.dns[0].a, 16);
	o += 24;
	assert_int_equal(o[0], 31); /* DNSSL */
	assert_int_equal(o[1], 3);
	assert_int_equal(rd32(o + 4), 600);
	assert_memory_equal(o + 8, dnssl, 16);
}

static void
ra_flags_by_mode(void **state)
{
	uint8_t b[VXG_RA_FRAME_MAX];
	struct vxg_ra_params p = params(VXG_IP6_SLAAC);

	p.n_dns = 0;
	p.domain[0] = '\0';
	p.mtu = 0;
	assert_int_equal(vxg_ra_build(&p, &gw, &all_nodes, b, sizeof(b)), 14 + 40 + 16 + 8 + 32);
	assert_int_equal(b[54 + 5], 0);
	assert_int_equal(b[54 + 16 + 8 + 3], 0xc0);
	p.mode = VXG_IP6_DHCP_STATEFUL;
	vxg_ra_build(&p, &gw, &all_nodes, b, sizeof(b));
	assert_int_equal(b[54 + 5], 0xc0); /* M1 O1 */
	assert_int_equal(b[54 + 16 + 8 + 3], 0x80); /* L only: no SLAAC */
	assert_int_equal(vxg_ra_build(&p, &gw, &all_nodes, b, 100), 0);
}

static void
ra_dns_names(void **state)
{
	uint8_t b[300];

	assert_int_equal(vxg_dns_names_encode("a.b, c.", b, sizeof(b)), 5 + 3);
	assert_memory_equal(b,
		"\x01"
		"a\x01"
		"b\x00\x01"
		"c\x00",
		8);
	assert_int_equal(vxg_dns_names_encode("a..b", b, sizeof(b)), 0);
	assert_int_equal(vxg_dns_names_encode("", b, sizeof(b)), 0);
	assert_int_equal(vxg_dns_names_encode("abc", b, 4), 0);
}

/* A config with one dual-stack network. */
static struct vxg_network_cfg net;
static struct vxg_vpc_cfg vpc;
static struct vxg_config cfg;

static void
cfg_make(uint32_t ra_interval)
{
	memset(&net, 0, sizeof(net));
	snprintf(net.name, sizeof(net.name), "web");
	net.vni = 100;
	net.mtu = 1450;
	net.gw_mac = gw;
	net.ip6.enabled = true;
	net.ip6.cidr = params(VXG_IP6_SLAAC).prefix;
	net.ip6.ra_interval = ra_interval;
	net.ip6.ra_lifetime = 3 * ra_interval;
	memset(&vpc, 0, sizeof(vpc));
	snprintf(vpc.name, sizeof(vpc.name), "blue");
	vpc.networks = &net;
	vpc.n_networks = 1;
	cfg = (struct vxg_config){.vpcs = &vpc, .n_vpcs = 1};
}

struct sent {
	unsigned n;
	enum ra_kind kind[16];
	struct vxg_ip6 dst[16];
};

static enum ra_send
record(void *ctx, struct ra_net *n, enum ra_kind k, const struct rte_ether_addr *mac,
	const struct vxg_ip6 *dst)
{
	struct sent *s = ctx;

	s->kind[s->n] = k;
	s->dst[s->n++] = *dst;
	return RA_SEND_OK;
}

/* As the feature does for a network whose ports are all behind VTEPs it does not flood
 * to: multicast RAs reach no one; unicast ones are recorded. */
static enum ra_send
record_unicast(void *ctx, struct ra_net *n, enum ra_kind k, const struct rte_ether_addr *mac,
	const struct vxg_ip6 *dst)
{
	return rte_is_multicast_ether_addr(mac) ? RA_SEND_NOWHERE : record(ctx, n, k, mac, dst);
}

static void
ra_timers(void **state)
{
	struct vxg_ra_service *s;
	struct sent got = {0};
	uint64_t t = 1000, prev;

	cfg_make(200);
	s = vxg_ra_create(&cfg, t);
	assert_non_null(s);
	assert_int_equal(s->n_nets, 1);
	assert_int_equal(s->nets[0].max_ms, 200000);
	assert_int_equal(s->nets[0].min_ms, 66000);
	vxg_ra_poll(s, t, record, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.kind[0], RA_PERIODIC);
	/* The next three at most 16 s apart, then between Min and Max. */
	for (unsigned i = 0; i < 3; i++) {
		prev = t;
		t = s->nets[0].next_ms;
		assert_true(t - prev >= 3000 && t - prev <= 16000);
		vxg_ra_poll(s, t, record, &got);
	}
	prev = t;
	assert_true(s->nets[0].next_ms - prev >= 66000 && s->nets[0].next_ms - prev <= 200000);
	assert_int_equal(s->nets[0].sent[RA_PERIODIC], 4);
	vxg_ra_destroy(s);
}

/* An RS from host (:: when NULL), hop limit hl, checksummed. */
static size_t
rs_frame(uint8_t *b, const struct vxg_ip6 *host, uint8_t hl)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(b + 14);
	uint8_t *icmp = b + 54;

	memset(b, 0, 70);
	memcpy(b, "\x33\x33\x00\x00\x00\x02", 6);
	memcpy(b + 6, "\x02\x00\x00\x00\x00\x0b", 6);
	b[12] = 0x86, b[13] = 0xdd;
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(8);
	ip->proto = 58;
	ip->hop_limits = hl;
	if (host != NULL)
		memcpy(ip->src_addr, host->a, 16);
	ip->dst_addr[0] = 0xff, ip->dst_addr[1] = 2, ip->dst_addr[15] = 2;
	icmp[0] = 133;
	((struct rte_icmp_hdr *)icmp)->icmp_cksum = rte_ipv6_udptcp_cksum(ip, icmp);
	return 62;
}

static void
ra_solicited(void **state)
{
	struct vxg_ip6 host = {{0xfe, 0x80, [15] = 0x0b}};
	struct vxg_ra_service *s;
	struct sent got = {0};
	uint8_t f[128];
	size_t len;

	cfg_make(200);
	s = vxg_ra_create(&cfg, 1000);
	vxg_ra_poll(s, 1000, record, &got); /* the first RA */
	/* From an address: unicast within 0.5 s. */
	len = rs_frame(f, &host, 255);
	vxg_ra_solicit(s, 100, f, len, 2000);
	assert_int_equal(s->nets[0].n_pend, 1);
	vxg_ra_poll(s, 2500, record, &got);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.kind[1], RA_SOLICITED_UCAST);
	assert_memory_equal(got.dst[1].a, host.a, 16);
	/* From ::: the multicast one, 3 s at least after the last. */
	len = rs_frame(f, NULL, 255);
	vxg_ra_solicit(s, 100, f, len, 2600);
	assert_true(s->nets[0].next_solicited);
	assert_true(s->nets[0].next_ms >= 4000 && s->nets[0].next_ms <= 4500);
	vxg_ra_poll(s, 4500, record, &got);
	assert_int_equal(got.kind[2], RA_SOLICITED_MCAST);
	/* Refused: hop limit, checksum, unknown network. */
	len = rs_frame(f, &host, 64);
	vxg_ra_solicit(s, 100, f, len, 5000);
	assert_int_equal(s->drops[RA_DROP_bad_ip], 1);
	len = rs_frame(f, &host, 255);
	f[60] ^= 1;
	vxg_ra_solicit(s, 100, f, len, 5000);
	assert_int_equal(s->drops[RA_DROP_bad_icmp], 1);
	vxg_ra_solicit(s, 7, f, len, 5000);
	assert_int_equal(s->drops[RA_DROP_unknown_network], 1);
	assert_int_equal(s->nets[0].rs_rx, 2);
	vxg_ra_destroy(s);
}

static void
final_cb(void *ctx, struct ra_net *n, const struct vxg_ra_params *p)
{
	*(int *)ctx = p->router_lifetime == 0 ? 1 : -1;
}

static void
ra_reload(void **state)
{
	struct vxg_ra_service *s;
	struct vxg_config none = {0};
	int final = 0;

	cfg_make(200);
	s = vxg_ra_create(&cfg, 1000);
	s->nets[0].sent[RA_PERIODIC] = 5;
	s->nets[0].next_ms = 90000;
	vxg_ra_leaving(s, &cfg, final_cb, &final);
	assert_int_equal(final, 0);
	/* Unchanged: timers kept. Changed: counters kept, started again. */
	assert_int_equal(vxg_ra_update(s, &cfg, 2000), 0);
	assert_int_equal(s->nets[0].next_ms, 90000);
	net.mtu = 1400;
	assert_int_equal(vxg_ra_update(s, &cfg, 3000), 0);
	assert_int_equal(s->nets[0].next_ms, 3000);
	assert_int_equal(s->nets[0].sent[RA_PERIODIC], 5);
	vxg_ra_leaving(s, &none, final_cb, &final);
	assert_int_equal(final, 1);
	vxg_ra_destroy(s);
}

/* An RS that comes before the first RA went: that multicast RA reaches no one, so the
 * host's unicast answer must still go (it was dropped as answered by the multicast). */
static void
ra_solicited_nowhere(void **state)
{
	struct vxg_ip6 host = {{0xfe, 0x80, [15] = 0x0b}};
	struct vxg_ra_service *s;
	struct sent got = {0};
	uint8_t f[128];
	size_t len;

	cfg_make(200);
	s = vxg_ra_create(&cfg, 1000);
	len = rs_frame(f, &host, 255);
	vxg_ra_solicit(s, 100, f, len, 1000);
	vxg_ra_poll(s, 1000, record_unicast, &got); /* the first RA, multicast: nowhere */
	assert_int_equal(s->mcast_no_target, 1);
	assert_int_equal(s->nets[0].sent[RA_PERIODIC], 0);
	vxg_ra_poll(s, 1500, record_unicast, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.kind[0], RA_SOLICITED_UCAST);
	assert_memory_equal(got.dst[0].a, host.a, 16);
	assert_int_equal(s->nets[0].sent[RA_SOLICITED_UCAST], 1);
	vxg_ra_destroy(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ra_bytes_stateless),
		cmocka_unit_test(ra_flags_by_mode),
		cmocka_unit_test(ra_dns_names),
		cmocka_unit_test(ra_timers),
		cmocka_unit_test(ra_solicited),
		cmocka_unit_test(ra_solicited_nowhere),
		cmocka_unit_test(ra_reload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
