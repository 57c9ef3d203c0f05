/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security groups for IPv6 (dataplane/sg/sg6.c, control/sg/sg_acl6.c, conntrack6.c) on
 * hand-built mbufs, at the stage: the rules compiled into their own rte_acl contexts and
 * classified (prefixes, remote groups, ICMPv6 types), IPv4 and IPv6 rules kept apart,
 * TCP and ICMPv6 echo tracked in the IPv6 table, replies, the fast path of established
 * flows, ICMPv6 errors about a tracked flow, ND and MLD, later fragments, truncated
 * headers, and the IPv6 table's expiry, clear and resize. The config's IPv6 fields are set
 * on the loaded model, as the loader will fill them.
 */
#include <arpa/inet.h>

#include "sg_fixture.h"
#include "vxg_ct6.h"

/* Web's rules: tcp/80 and tcp/22 from 2001:db8:9::/48 become IPv6, tcp/8080 stays IPv4. */
#define WEB_RULES                                                                           \
	"          - {direction: ingress, protocol: tcp, ports: 80}\n"                      \
	"          - {direction: ingress, protocol: tcp, ports: 22, remote: 10.9.0.0/16}\n" \
	"          - {direction: ingress, protocol: tcp, ports: 8080}\n"

static uint8_t A_VM1[16], A_VM3[16], A_VM2[16], A_NET9[16], A_NET8[16];
static uint16_t L_VM1, L_VM3, L_VM2;

static void
ip6(uint8_t *a, const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

static void
rule6(struct vxg_rule_cfg *r, uint16_t proto)
{
	r->ethertype = RTE_ETHER_TYPE_IPV6;
	r->proto = proto;
}

/* The model as the loader fills it from `ethertype: ipv6`, `remote: 2001:db8:9::/48`,
 * `ip6: ...`. */
static void
sg6_patch(struct vxg_config *cfg)
{
	struct vxg_vpc_cfg *v = &cfg->vpcs[0];
	struct vxg_sg_cfg *web = &v->sgs[0], *db = &v->sgs[2];

	rule6(&web->rules[0], IPPROTO_TCP);
	rule6(&web->rules[1], IPPROTO_TCP);
	memcpy(web->rules[1].remote6.addr.a, A_NET9, 16);
	web->rules[1].remote6.len = 48;
	rule6(&web->rules[3], IPPROTO_ICMPV6); /* was icmp: echo requests only */
	web->rules[3].icmp_type = 128;
	rule6(&db->rules[0], IPPROTO_TCP); /* 5432 from remote_group web */
	memcpy(v->ports[0].ip6s[0].a, A_VM1, 16);
	memcpy(v->ports[1].ip6s[0].a, A_VM3, 16);
	memcpy(v->ports[2].ip6s[0].a, A_VM2, 16);
	v->ports[0].n_ip6s = v->ports[1].n_ip6s = v->ports[2].n_ip6s = 1;
}

static uint16_t
slot_of(unsigned port)
{
	for (uint32_t s = 0; s < dp.gen->n_lports; s++)
		if ((dp.gen->lports[s].flags & VXG_LP_DECLARED) &&
			dp.gen->lports[s].vpc_port == port)
			return (uint16_t)(s + 1);
	fail_msg("port %u has no slot", port);
	return 0;
}

static int
sg6_setup(void **state)
{
	struct vxg_config *cfg;

	ip6(A_VM1, "2001:db8:1::11");
	ip6(A_VM3, "2001:db8:1::3");
	ip6(A_VM2, "2001:db8:2::12");
	ip6(A_NET9, "2001:db8:9::");
	ip6(A_NET8, "2001:db8:8::5");
	memset(&sgd, 0, sizeof(sgd));
	cfg = sg_config(WEB_RULES);
	if (cfg == NULL)
		return -1;
	sg6_patch(cfg);
	if (sg_setup_cfg(cfg, 1024) < 0 || vxg_ct_enable_v6(sgd.ct) < 0)
		return -1;
	L_VM1 = slot_of(0);
	L_VM3 = slot_of(1);
	L_VM2 = slot_of(2);
	return 0;
}

/* ---- Frames ------------------------------------------------------------------------- */

/* An untagged IPv6 frame: TCP with flags, UDP, or ICMPv6 of type `flags` (identifier
 * sport), after `ext` bytes of extension headers (ext_nh their first next header). */
static struct rte_mbuf *
p6_ext(const uint8_t *sip, const uint8_t *dip, uint8_t proto, uint16_t sport, uint16_t dport,
	uint8_t flags, const uint8_t *ext, uint16_t ext_len, uint8_t ext_nh, uint16_t extra)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l4len = proto == IPPROTO_TCP ? 20 : 8;
	struct rte_ipv6_hdr *ip;
	uint8_t *p, *l4;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, 14 + 40 + ext_len + l4len + extra);
	assert_non_null(p);
	memset(p, 0, m->pkt_len);
	dp_eth(p, &S_VM3, &S_VM1, 0);
	*(rte_be16_t *)(p + 12) = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	m->l2_len = 14;
	ip = (struct rte_ipv6_hdr *)(p + 14);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(ext_len + l4len + extra);
	ip->proto = ext_len ? ext_nh : proto;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, sip, 16);
	memcpy(ip->dst_addr, dip, 16);
	if (ext_len > 0)
		memcpy(ip + 1, ext, ext_len);
	l4 = (uint8_t *)(ip + 1) + ext_len;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		*(rte_be16_t *)l4 = rte_cpu_to_be_16(sport);
		*(rte_be16_t *)(l4 + 2) = rte_cpu_to_be_16(dport);
		if (proto == IPPROTO_TCP) {
			l4[12] = 0x50;
			l4[13] = flags;
		}
	} else if (proto == IPPROTO_ICMPV6) {
		l4[0] = flags;
		*(rte_be16_t *)(l4 + 4) = rte_cpu_to_be_16(sport);
	}
	return m;
}

static struct rte_mbuf *
p6(const uint8_t *sip, const uint8_t *dip, uint8_t proto, uint16_t sport, uint16_t dport,
	uint8_t flags)
{
	return p6_ext(sip, dip, proto, sport, dport, flags, NULL, 0, 0, 0);
}

/* An ICMPv6 error of type `type` from sip to dip quoting a TCP packet qs:qp -> qd:qdp. */
static struct rte_mbuf *
p6_error(const uint8_t *sip, const uint8_t *dip, uint8_t type, const uint8_t *qs, uint16_t qp,
	const uint8_t *qd, uint16_t qdp)
{
	struct rte_mbuf *m = p6_ext(sip, dip, IPPROTO_ICMPV6, 0, 0, type, NULL, 0, 0, 48);
	uint8_t *q = rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 40 + 8);
	struct rte_ipv6_hdr *in = (struct rte_ipv6_hdr *)q;

	in->vtc_flow = RTE_BE32(6u << 28);
	in->proto = IPPROTO_TCP;
	memcpy(in->src_addr, qs, 16);
	memcpy(in->dst_addr, qd, 16);
	*(rte_be16_t *)(q + 40) = rte_cpu_to_be_16(qp);
	*(rte_be16_t *)(q + 42) = rte_cpu_to_be_16(qdp);
	return m;
}

/* The security groups' verdict on m from port ls to port ld (slots + 1); m is freed. */
static unsigned
run(struct rte_mbuf *m, uint16_t ls, uint16_t ld)
{
	unsigned v;

	m->l2_len = 14; /* as L2 input sets it */
	vxg_sg_filter(dp.w, &m, &ls, &ld, 1, &v);
	rte_pktmbuf_free(m);
	return v;
}

static bool
fast(struct rte_mbuf *m, uint16_t ls, uint16_t ld)
{
	bool r = vxg_sg_fast(dp.w, m, ls, ld, vxg_worker_now(dp.w));

	rte_pktmbuf_free(m);
	return r;
}

static const struct vxg_ct6_entry *
ct6_entry(uint8_t proto, const uint8_t *s, uint16_t sp, const uint8_t *d, uint16_t dp_)
{
	struct vxg_ct6_key k;
	int32_t pos;

	vxg_ct6_key_make(&k, proto, s, d, rte_cpu_to_be_16(sp), rte_cpu_to_be_16(dp_));
	pos = rte_hash_lookup(sgd.ct->v6->h, &k);
	return pos >= 0 ? &sgd.ct->v6->entries[pos] : NULL;
}

/* ---- Tests ----------------------------------------------------------------------------- */

/* The IPv6 rules in their own contexts; a prefix rule matches inside its prefix only. */
static void
test_sg6_compile(void **state)
{
	const struct vxg_sg_vpc *s = &dp.gen->vpcs[0].sg;
	struct vxg_sg6_key k;
	const uint8_t *kp = (const uint8_t *)&k;
	uint32_t res;

	/* vm1: tcp/80, tcp/22 from the prefix, ICMPv6 echo; vm2: 5432 from vm1's address */
	assert_int_equal(s->n_acl6_rules[VXG_DIR_INGRESS], 4);
	/* the implicit egress rule of vm1, vm3 and vm2, in both families */
	assert_int_equal(s->n_acl6_rules[VXG_DIR_EGRESS], 3);
	assert_int_equal(s->n_acl_rules[VXG_DIR_EGRESS], 3);
	/* IPv4: tcp/8080 and udp 5000-5999 of vm1 */
	assert_int_equal(s->n_acl_rules[VXG_DIR_INGRESS], 2);
	vxg_sg6_key_set(&k, IPPROTO_TCP, 0, A_NET8, 22);
	k.remote[1] = RTE_BE32(0x00090000); /* 2001:db8:9::5 */
	vxg_sg6_classify(s, VXG_DIR_INGRESS, &kp, &res, 1);
	assert_true(res > 0);
	assert_int_equal(s->refs[res - 1].sg, 0);
	assert_int_equal(s->refs[res - 1].rule, 1);
	vxg_sg6_key_set(&k, IPPROTO_TCP, 0, A_NET8, 22);
	vxg_sg6_classify(s, VXG_DIR_INGRESS, &kp, &res, 1);
	assert_int_equal(res, 0);
	vxg_sg6_key_set(&k, IPPROTO_ICMPV6, 0, A_NET8, 129 << 8);
	vxg_sg6_classify(s, VXG_DIR_INGRESS, &kp, &res, 1);
	assert_int_equal(res, 0); /* echo requests only */
}

/* vm3 -> vm1 tcp/80 opens a connection, the reply passes on it, the next packet on the
 * fast path; tcp/22 only from the prefix; IPv4's rules do not take IPv6 and back. */
static void
test_sg6_tcp(void **state)
{
	const struct vxg_ct6_entry *e;

	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 80, SYN), L_VM3, L_VM1), VXG_DROP_MAX);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(vxg_ct6_count(sgd.ct), 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 0);
	e = ct6_entry(IPPROTO_TCP, A_VM3, 40000, A_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_SENT);
	assert_int_equal(e->lport[0], L_VM3);
	/* vm3 takes nothing in but replies */
	assert_int_equal(
		run(p6(A_VM1, A_VM3, IPPROTO_TCP, 80, 40000, SYNACK), L_VM1, L_VM3), VXG_DROP_MAX);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_RECV);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 1);
	assert_true(fast(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 80, ACK), L_VM3, L_VM1));
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(sg_event(VXG_EV_ct_cached), 1);
	assert_false(fast(p6(A_VM3, A_VM1, IPPROTO_TCP, 40001, 80, SYN), L_VM3, L_VM1));
	assert_int_equal(run(p6(A_VM1, A_VM3, IPPROTO_TCP, 80, 40001, SYNACK), L_VM1, L_VM3),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 22, SYN), L_VM3, L_VM1),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(run(p6(A_NET8, A_VM1, IPPROTO_TCP, 40000, 22, SYN), L_VM3, L_VM1),
		VXG_DROP_sg_ingress_deny);
	A_NET8[5] = 0x09; /* 2001:db8:9::5 */
	assert_int_equal(
		run(p6(A_NET8, A_VM1, IPPROTO_TCP, 40000, 22, SYN), L_VM3, L_VM1), VXG_DROP_MAX);
	/* tcp/8080 is an IPv4 rule, tcp/80 an IPv6 one */
	assert_int_equal(run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 8080, SYN), L_VM3, L_VM1),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(
		run(sg_tcp(&S_VM3, &S_VM1, 0, IP_VM3, IP_VM1, 40000, 80, SYN), L_VM3, L_VM1),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(
		run(sg_tcp(&S_VM3, &S_VM1, 0, IP_VM3, IP_VM1, 40000, 8080, SYN), L_VM3, L_VM1),
		VXG_DROP_MAX);
	/* the hit went to vm1's tcp/80 rule */
	for (uint32_t r = 0; r < dp.gen->vpcs[0].sg.n_refs; r++) {
		const struct vxg_sg_rule_ref *rf = &dp.gen->vpcs[0].sg.refs[r];

		if (rf->sg == 0 && rf->rule == 0)
			assert_int_equal(dp.gen->vpcs[0].sg_hits[r], 1);
	}
}

/* Echo by identifier; ICMPv6 errors about a tracked flow pass, about none not; ND, MLD
 * behind a hop-by-hop header and later fragments always; a truncated header never. */
static void
test_sg6_icmp_nd(void **state)
{
	static const uint8_t hbh[8] = {IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0};
	static const uint8_t frag[8] = {IPPROTO_TCP, 0, 0x01, 0x00, 0, 0, 0, 1};
	const struct vxg_ct6_entry *e;
	struct rte_mbuf *m;

	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_ICMPV6, 7, 7, 128), L_VM3, L_VM1), VXG_DROP_MAX);
	e = ct6_entry(IPPROTO_ICMPV6, A_VM3, 7, A_VM1, 7);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_ICMP_NEW);
	assert_int_equal(
		run(p6(A_VM1, A_VM3, IPPROTO_ICMPV6, 7, 7, 129), L_VM1, L_VM3), VXG_DROP_MAX);
	assert_int_equal(e->state, VXG_CT_ICMP_REPLIED);
	assert_int_equal(run(p6(A_VM1, A_VM3, IPPROTO_ICMPV6, 8, 8, 129), L_VM1, L_VM3),
		VXG_DROP_sg_ingress_deny);
	/* vm3 opens tcp/80; vm1's unreachable about it reaches vm3 */
	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 80, SYN), L_VM3, L_VM1), VXG_DROP_MAX);
	assert_int_equal(run(p6_error(A_VM1, A_VM3, 1, A_VM3, 40000, A_VM1, 80), L_VM1, L_VM3),
		VXG_DROP_MAX);
	assert_int_equal(run(p6_error(A_VM1, A_VM3, 1, A_VM3, 40009, A_VM1, 80), L_VM1, L_VM3),
		VXG_DROP_sg_ingress_deny);
	/* ND and MLD */
	assert_int_equal(
		run(p6(A_VM1, A_VM3, IPPROTO_ICMPV6, 0, 0, 135), L_VM1, L_VM3), VXG_DROP_MAX);
	assert_int_equal(
		run(p6(A_VM1, A_VM3, IPPROTO_ICMPV6, 0, 0, 136), L_VM1, L_VM3), VXG_DROP_MAX);
	assert_int_equal(
		run(p6_ext(A_VM1, A_VM3, IPPROTO_ICMPV6, 0, 0, 143, hbh, 8, IPPROTO_HOPOPTS, 0),
			L_VM1, L_VM3),
		VXG_DROP_MAX);
	/* a later fragment; the first fragment is classified */
	assert_int_equal(
		run(p6_ext(A_VM1, A_VM3, IPPROTO_TCP, 1, 2, 0, frag, 8, IPPROTO_FRAGMENT, 0), L_VM1,
			L_VM3),
		VXG_DROP_MAX);
	m = p6_ext(A_VM1, A_VM3, IPPROTO_TCP, 1, 2, SYN, frag, 8, IPPROTO_FRAGMENT, 0);
	rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 40)[2] = 0;
	rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 40)[3] = 1; /* offset 0, more fragments */
	assert_int_equal(run(m, L_VM1, L_VM3), VXG_DROP_sg_ingress_deny);
	m = p6(A_VM1, A_VM3, IPPROTO_TCP, 80, 40000, ACK);
	rte_pktmbuf_trim(m, 20 + 30);
	assert_int_equal(run(m, L_VM1, L_VM3), VXG_DROP_ip_bad_header);
}

/* remote_group web: vm1's IPv6 address reaches vm2's database, vm3's does not. */
static void
test_sg6_remote_group(void **state)
{
	assert_int_equal(
		run(p6(A_VM1, A_VM2, IPPROTO_TCP, 40000, 5432, SYN), L_VM1, L_VM2), VXG_DROP_MAX);
	assert_int_equal(run(p6(A_VM3, A_VM2, IPPROTO_TCP, 40000, 5432, SYN), L_VM3, L_VM2),
		VXG_DROP_sg_ingress_deny);
}

/* The IPv6 table ages, clears and resizes with the IPv4 one. */
static void
test_sg6_conntrack(void **state)
{
	uint32_t now = vxg_ct_now(), dropped = 0;
	struct vxg_ct *bigger;

	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 80, SYN), L_VM3, L_VM1), VXG_DROP_MAX);
	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_ICMPV6, 7, 7, 128), L_VM3, L_VM1), VXG_DROP_MAX);
	assert_int_equal(vxg_ct6_count(sgd.ct), 2);
	bigger = vxg_ct_resize(sgd.ct, 2048, now, &dropped);
	assert_non_null(bigger);
	assert_int_equal(vxg_ct6_count(bigger), 2);
	assert_int_equal(dropped, 0);
	vxg_ct_destroy(bigger);
	assert_int_equal(vxg_ct_age(sgd.ct, now + 10, 1 << 20), 0);
	assert_int_equal(vxg_ct_age(sgd.ct, now + 31, 1 << 20), 2); /* SYN_SENT, ICMP_NEW: 30 s */
	assert_int_equal(vxg_ct6_count(sgd.ct), 0);
	assert_int_equal(
		run(p6(A_VM3, A_VM1, IPPROTO_TCP, 40000, 80, SYN), L_VM3, L_VM1), VXG_DROP_MAX);
	assert_int_equal(vxg_ct_clear(sgd.ct), 1);
	assert_int_equal(vxg_ct6_count(sgd.ct), 0);
	/* a reply without its connection is a new packet again */
	assert_int_equal(run(p6(A_VM1, A_VM3, IPPROTO_TCP, 80, 40000, SYNACK), L_VM1, L_VM3),
		VXG_DROP_sg_ingress_deny);
}

#define SG6T(f) cmocka_unit_test_setup_teardown(f, sg6_setup, sg_teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		SG6T(test_sg6_compile),
		SG6T(test_sg6_tcp),
		SG6T(test_sg6_icmp_nd),
		SG6T(test_sg6_remote_group),
		SG6T(test_sg6_conntrack),
	};
	int ret;

	if (sg_eal_init(argv[0], "vxg_test_sg6") < 0)
		return 1;
	ret = cmocka_run_group_tests_name("sg6", tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
