/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN decap and encap on hand-built mbufs: byte-exact output, one drop reason per
 * malformed case, the outer source port per flow, unresolved VTEPs and the MTU; the
 * dynamic flood sets (EVPN) merged into a generation's VTEPs and flood lists.
 */
#include "dp_fixture.h"
#include "vxlan/vxlan_dyn.h"
#include "vxlan/vxlan_decap.h"
#include "vxlan/vxlan_encap.h"

/* Whether the last decap() took its frame on the fast path (vxg_decap_try). */
static bool decap_was_fast;

/* Decap one frame into an L2 burst, as Ethernet input does before it switches (the fast
 * path, else the full checks); returns how many came out (a frame that did not is dropped
 * and counted). */
static uint16_t
decap(struct rte_mbuf *m, struct vxg_l2_burst *b)
{
	struct vxg_decap d;
	enum vxg_drop_reason r;

	b->n = 0;
	b->from_overlay = true;
	vxg_decap_init(&d, dp.w, dp_if(P_UP));
	decap_was_fast = vxg_decap_try(dp.w, &d, m, b);
	r = decap_was_fast ? VXG_DECAP_OK : vxg_decap_one(dp.w, &d, m, b);
	if (r == VXG_DECAP_OK)
		b->n++;
	else
		vxg_drop(dp.w, m, r);
	vxg_decap_count(dp.w, &d);
	return b->n;
}

static void
test_decap_gives_the_exact_inner_frame(void **state)
{
	struct rte_mbuf *inner = dp_frame(&VM1, &VM3, 0, 40000, 64), *m;
	uint8_t want[64];
	struct vxg_l2_burst b;

	memcpy(want, rte_pktmbuf_mtod(inner, void *), 64);
	m = dp_vxlan(inner, 100);
	assert_int_equal(m->pkt_len, 114);
	assert_int_equal(decap(m, &b), 1);
	assert_true(decap_was_fast);
	assert_true(b.from_overlay);
	assert_int_equal(b.net[0]->vni, 100);
	assert_int_equal(b.src[0], RTE_BE32(0xac100002));
	assert_int_equal(b.pkts[0]->pkt_len, 64);
	assert_memory_equal(rte_pktmbuf_mtod(b.pkts[0], void *), want, 64);
	assert_int_equal(vxg_vtep_by_ip(&dp.gen->vx, b.src[0])->ip, b.src[0]);
	assert_int_equal(
		dp.gen->vx.ctr[vxg_vtep_by_ip(&dp.gen->vx, b.src[0]) - dp.gen->vx.vteps].rx, 1);
	rte_pktmbuf_free(b.pkts[0]);
}

/* Ethernet padding after the UDP datagram is not part of the inner frame. */
static void
test_decap_trims_padding(void **state)
{
	struct rte_mbuf *m = dp_vxlan(dp_frame(&VM1, &VM3, 0, 40000, 60), 100);
	struct vxg_l2_burst b;

	assert_non_null(rte_pktmbuf_append(m, 6));
	assert_int_equal(decap(m, &b), 1);
	assert_false(decap_was_fast); /* the full checks trim it */
	assert_int_equal(b.pkts[0]->pkt_len, 60);
	rte_pktmbuf_free(b.pkts[0]);
}

typedef void (*mangle_fn)(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m);

static void
expect_drop(mangle_fn f, enum vxg_drop_reason r, bool fix_cksum)
{
	struct rte_mbuf *m = dp_vxlan(dp_frame(&VM1, &VM3, 0, 40000, 64), 100);
	struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, struct vxg_vxlan_tmpl *);
	struct vxg_l2_burst b;
	uint64_t before = dp_drops(r);

	f(h, m);
	if (fix_cksum) {
		h->ip.hdr_checksum = 0;
		h->ip.hdr_checksum = rte_ipv4_cksum(&h->ip);
	}
	assert_int_equal(decap(m, &b), 0);
	assert_int_equal(dp_drops(r), before + 1);
}

static void
m_flags_i_clear(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->vx.vx_flags = 0;
}
static void
m_flags_reserved(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->vx.vx_flags = RTE_BE32(0x08000001);
}
static void
m_vni_reserved(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->vx.vx_vni = RTE_BE32((100 << 8) | 1);
}
static void
m_vni_unknown(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->vx.vx_vni = RTE_BE32(12345 << 8);
}
static void
m_cksum(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.hdr_checksum ^= 0x0101;
}
static void
m_version(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.version_ihl = 0x65;
}
static void
m_ihl(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.version_ihl = 0x44;
}
static void
m_total_length(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(h->ip.total_length) + 100);
}
static void
m_mf(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
}
static void
m_offset(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->ip.fragment_offset = RTE_BE16(8);
}
static void
m_udp_short(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->udp.dgram_len = RTE_BE16(12);
}
static void
m_udp_long(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	h->udp.dgram_len = rte_cpu_to_be_16(rte_be_to_cpu_16(h->udp.dgram_len) + 1);
}
static void
m_frame_short(struct vxg_vxlan_tmpl *h, struct rte_mbuf *m)
{
	/* Headers claim a VXLAN header and an inner frame the frame does not hold. */
	h->ip.total_length = RTE_BE16(20 + 8 + 4);
	h->udp.dgram_len = RTE_BE16(8 + 4);
	rte_pktmbuf_trim(m, m->pkt_len - (14 + 20 + 8 + 4));
}

static void
test_decap_malformed(void **state)
{
	expect_drop(m_flags_i_clear, VXG_DROP_vxlan_bad_flags, false);
	expect_drop(m_flags_reserved, VXG_DROP_vxlan_bad_flags, false);
	expect_drop(m_vni_reserved, VXG_DROP_vxlan_bad_flags, false);
	expect_drop(m_vni_unknown, VXG_DROP_vxlan_unknown_vni, false);
	expect_drop(m_cksum, VXG_DROP_ip_bad_checksum, false);
	expect_drop(m_version, VXG_DROP_ip_bad_header, true);
	expect_drop(m_ihl, VXG_DROP_ip_bad_header, true);
	expect_drop(m_total_length, VXG_DROP_ip_bad_header, true);
	expect_drop(m_mf, VXG_DROP_ip_fragment, true);
	expect_drop(m_offset, VXG_DROP_ip_fragment, true);
	expect_drop(m_udp_short, VXG_DROP_vxlan_truncated, false);
	expect_drop(m_udp_long, VXG_DROP_vxlan_truncated, false);
	expect_drop(m_frame_short, VXG_DROP_vxlan_truncated, true);
}

/* IPv4 to us that is not VXLAN (another port, not UDP) is for stages not built yet. */
static void
test_decap_other_traffic_is_no_stage(void **state)
{
	uint64_t before = dp_drops(VXG_DROP_no_stage);
	struct rte_mbuf *m = dp_vxlan(dp_frame(&VM1, &VM3, 0, 40000, 64), 100);
	struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, struct vxg_vxlan_tmpl *);
	struct vxg_l2_burst b;

	h->udp.dst_port = RTE_BE16(8472);
	assert_int_equal(decap(m, &b), 0);
	assert_int_equal(dp_drops(VXG_DROP_no_stage), before + 1);
}

/* Encapsulate one frame of web to 172.16.0.2: the 50 bytes in front, byte for byte. */
static void
test_encap_is_byte_exact(void **state)
{
	const struct vxg_gen_vtep *t = vxg_vtep_by_ip(&dp.gen->vx, RTE_BE32(0xac100002));
	struct rte_mbuf *m = dp_frame(&VM3, &VM1, 0, 40000, 64);
	uint8_t inner[64],
		want[50] = {
			0x02, 0x00, 0xac, 0x10, 0x00, 0x02, /* dst: the VTEP's static neighbour */
			0x02, 0x00, 0xac, 0x10, 0x00, 0x01, /* src: the underlay port */
			0x08, 0x00, /* IPv4 */
			0x45, 0x00, 0x00, 100, 0x00, 0x00, 0x00, 0x00, /* len 100, id 0, no DF */
			64, 17, 0x00, 0x00, /* ttl, UDP, checksum (below) */
			172, 16, 0, 1, 172, 16, 0, 2, /* our VTEP -> remote */
			0x00, 0x00, 0x12, 0xb5, 0x00, 80, 0x00,
			0x00, /* sport (below), 4789, len 80 */
			0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 100, 0x00, /* I flag, VNI 100 */
		};
	const uint8_t *got;
	uint16_t sport;

	assert_non_null(t);
	assert_true(t->resolved);
	memcpy(inner, rte_pktmbuf_mtod(m, void *), 64);
	vxg_vxlan_encap(dp.w, t, t->ip, &dp.gen->vx.nets[0], m);
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	m = dp.w->tx[P_UP].pkts[0];
	assert_int_equal(m->pkt_len, 114);
	got = rte_pktmbuf_mtod(m, const uint8_t *);
	sport = (uint16_t)(got[34] << 8 | got[35]);
	assert_true(sport >= 32768 && sport <= 60999);
	want[34] = got[34];
	want[35] = got[35];
	assert_true(dp_ip_cksum_ok((const struct rte_ipv4_hdr *)(got + 14)));
	want[24] = got[24];
	want[25] = got[25];
	assert_memory_equal(got, want, 50);
	assert_memory_equal(got + 50, inner, 64);
	assert_int_equal(dp.gen->vx.ctr[t - dp.gen->vx.vteps].tx, 1); /* show vtep's counter */
	dp_tx_clear();
}

static uint16_t
encap_sport(uint16_t flow)
{
	const struct vxg_gen_vtep *t = vxg_vtep_by_ip(&dp.gen->vx, RTE_BE32(0xac100002));
	struct rte_mbuf *m = dp_frame(&VM3, &VM1, 0, flow, 64);
	const uint8_t *got;
	uint16_t sport;

	vxg_vxlan_encap(dp.w, t, t->ip, &dp.gen->vx.nets[0], m);
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	got = rte_pktmbuf_mtod(dp.w->tx[P_UP].pkts[0], const uint8_t *);
	sport = (uint16_t)(got[34] << 8 | got[35]);
	dp_tx_clear();
	return sport;
}

static void
test_encap_source_port_per_flow(void **state)
{
	uint16_t seen[64];
	unsigned distinct = 0;

	for (uint16_t f = 0; f < 64; f++) {
		bool dup = false;

		seen[f] = encap_sport(1000 + f);
		assert_int_equal(encap_sport(1000 + f), seen[f]); /* a flow keeps its port */
		for (uint16_t k = 0; k < f; k++)
			dup |= seen[k] == seen[f];
		distinct += !dup;
	}
	assert_true(distinct >= 56); /* and flows spread */
}

static void
test_encap_unresolved_and_mtu(void **state)
{
	const struct vxg_gen_vtep *t3 = vxg_vtep_by_ip(&dp.gen->vx, RTE_BE32(0xac100003));
	const struct vxg_gen_vtep *t9 = vxg_vtep_by_ip(&dp.gen->vx, RTE_BE32(0x0a090909));
	const struct vxg_gen_net *web = &dp.gen->vx.nets[0];
	const uint8_t *got;

	/* 172.16.0.3 is on-link and has no neighbour entry. */
	assert_false(t3->resolved);
	vxg_vxlan_encap(dp.w, t3, t3->ip, web, dp_frame(&VM3, &VM1, 0, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_vtep_unresolved), 1);
	/* 10.9.9.9 is behind the gateway, whose neighbour is known. */
	assert_true(t9->resolved);
	vxg_vxlan_encap(dp.w, t9, t9->ip, web, dp_frame(&VM3, &VM1, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	got = rte_pktmbuf_mtod(dp.w->tx[P_UP].pkts[0], const uint8_t *);
	assert_int_equal(got[5], 0xfe); /* the gateway's MAC */
	assert_int_equal(got[33], 9);
	dp_tx_clear();
	/* A VTEP only learned, off-link: through the gateway too; on-link: unresolved. */
	vxg_vxlan_encap(dp.w, NULL, RTE_BE32(0x0a080808), web, dp_frame(&VM3, &VM1, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	got = rte_pktmbuf_mtod(dp.w->tx[P_UP].pkts[0], const uint8_t *);
	assert_int_equal(got[5], 0xfe);
	assert_int_equal(got[33], 8);
	assert_true(dp_ip_cksum_ok((const struct rte_ipv4_hdr *)(got + 14)));
	dp_tx_clear();
	vxg_vxlan_encap(dp.w, NULL, RTE_BE32(0xac100009), web, dp_frame(&VM3, &VM1, 0, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_vtep_unresolved), 2);
	/* Underlay MTU 1600: the outer packet is the inner frame + 36 bytes. */
	vxg_vxlan_encap(dp.w, t9, t9->ip, web, dp_frame(&VM3, &VM1, 0, 1, 1564));
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	vxg_vxlan_encap(dp.w, t9, t9->ip, web, dp_frame(&VM3, &VM1, 0, 1, 1565));
	assert_int_equal(dp_drops(VXG_DROP_mtu_exceeded), 1);
	dp_tx_clear();
}

/* udp_csum: the outer UDP checksum covers the whole datagram (else 0, as RFC 7348 allows). */
static void
test_encap_udp_checksum(void **state)
{
	const struct vxg_gen_vtep *t = vxg_vtep_by_ip(&dp.gen->vx, RTE_BE32(0xac100002));
	const struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;

	dp.gen->vx.udp_csum = true;
	vxg_vxlan_encap(dp.w, t, t->ip, &dp.gen->vx.nets[0], dp_frame(&VM3, &VM1, 0, 7, 64));
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	m = dp.w->tx[P_UP].pkts[0];
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
	assert_int_not_equal(((const struct rte_udp_hdr *)(ip + 1))->dgram_cksum, 0);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, ip + 1), 0);
	dp_tx_clear();
}

/* What one encapsulation did: the frame sent (if any), and the counters it moved. */
struct encap_out {
	uint16_t n; /* frames queued on the underlay */
	uint8_t bytes[1700];
	uint32_t len;
	uint64_t unresolved, mtu, vtep_tx;
};

static void
encap_run(
	rte_be32_t ip, uint16_t vlan, uint16_t len, struct vxg_encap_memo *em, struct encap_out *o)
{
	const struct vxg_gen_vtep *t = vxg_vtep_by_ip(&dp.gen->vx, ip);
	struct rte_mbuf *m = dp_frame(&VM3, &VM1, vlan, 1234, len);
	uint64_t unres = dp_drops(VXG_DROP_vtep_unresolved), mtu = dp_drops(VXG_DROP_mtu_exceeded);
	uint64_t tx = t != NULL ? dp.gen->vx.ctr[t - dp.gen->vx.vteps].tx : 0;

	m->l2_len = vlan ? 18 : 14; /* as Ethernet input leaves it: the tag still on */
	if (em != NULL)
		vxg_encap_fast(dp.w, em, ip, &dp.gen->vx.nets[0], m);
	else
		vxg_vxlan_encap(dp.w, t, ip, &dp.gen->vx.nets[0], m);
	o->n = dp.w->tx[P_UP].n;
	o->len = 0;
	if (o->n == 1) {
		o->len = dp.w->tx[P_UP].pkts[0]->pkt_len;
		assert_true(o->len <= sizeof(o->bytes));
		memcpy(o->bytes, rte_pktmbuf_mtod(dp.w->tx[P_UP].pkts[0], void *), o->len);
	}
	o->unresolved = dp_drops(VXG_DROP_vtep_unresolved) - unres;
	o->mtu = dp_drops(VXG_DROP_mtu_exceeded) - mtu;
	o->vtep_tx = (t != NULL ? dp.gen->vx.ctr[t - dp.gen->vx.vteps].tx : 0) - tx;
	dp_tx_clear();
}

/*
 * The L2 fast path's encapsulation (vxg_encap_fast: the VTEP remembered between frames, the
 * checksum from the VTEP's own template) gives what vxg_vxlan_encap gives, byte for byte
 * and counter for counter: for a configured VTEP, one behind the gateway, one only learned,
 * unresolved ones, a tagged frame, the MTU's edge and the UDP checksum; in an order that
 * makes the remembered VTEP change and stay.
 */
static void
test_encap_fast_is_the_same(void **state)
{
	static const struct {
		rte_be32_t ip;
		uint16_t vlan, len;
		bool udp_csum;
		uint16_t want_n; /* frames sent */
	} cases[] = {
		{RTE_BE32(0xac100002), 0, 64, false, 1}, /* configured, on-link */
		{RTE_BE32(0xac100002), 0, 1564, false, 1}, /* the largest that fits */
		{RTE_BE32(0xac100002), 0, 1565, false, 0}, /* one byte too many */
		{RTE_BE32(0xac100002), 10, 68, false, 1}, /* tagged: the tag comes off */
		{RTE_BE32(0x0a090909), 0, 64, false, 1}, /* configured, via the gateway */
		{RTE_BE32(0x0a080808), 0, 64, false, 1}, /* only learned, via the gateway */
		{RTE_BE32(0xac100003), 0, 64, false, 0}, /* configured, unresolved */
		{RTE_BE32(0xac100009), 0, 64, false, 0}, /* learned on-link: unresolved */
		{RTE_BE32(0xac100002), 0, 64, true, 1}, /* the UDP checksum asked for */
		{RTE_BE32(0xac100002), 0, 200, false, 1},
	};
	struct vxg_encap_memo em;
	struct encap_out *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

	assert_non_null(a);
	assert_non_null(b);
	vxg_encap_memo_init(&em);
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < RTE_DIM(cases); i++) {
			dp.gen->vx.udp_csum = cases[i].udp_csum;
			encap_run(cases[i].ip, cases[i].vlan, cases[i].len, NULL, a);
			encap_run(cases[i].ip, cases[i].vlan, cases[i].len, &em, b);
			assert_int_equal(a->n, cases[i].want_n);
			assert_int_equal(b->n, a->n);
			assert_int_equal(b->len, a->len);
			assert_memory_equal(b->bytes, a->bytes, a->len);
			if (a->n == 1)
				assert_true(dp_ip_cksum_ok(
					(const struct rte_ipv4_hdr *)(b->bytes + 14)));
			assert_int_equal(b->unresolved, a->unresolved);
			assert_int_equal(b->mtu, a->mtu);
			assert_int_equal(b->vtep_tx, a->vtep_tx);
		}
	}
	dp.gen->vx.udp_csum = false;
	free(a);
	free(b);
}

/* A network's dynamic set joins its flood list (once per VTEP, never our own address), and
 * its VTEPs get templates; removing the set takes them out of the next generation. */
static void
test_dyn_flood_merged(void **state)
{
	const uint32_t ips[] = {0xac100009, 0xac100003, 0xac100009, 0xac100001};
	const struct vxg_gen_net *web;
	struct vxg_gen *g;

	dp.cfg->vtep.evpn.enabled = true;
	dp.cfg->vpcs[0].networks[0].evpn = true;
	assert_int_equal(vxg_vxlan_dyn_flood_set(100, ips, 4), 0);
	assert_true(vxg_vxlan_dyn_has(0xac100009));
	assert_false(vxg_vxlan_dyn_has(0xac100002));
	g = dp_gen_build(dp.cfg, dp.ifs, dp.n_ifs, 2, dp.fdb, NULL, NULL);
	assert_non_null(g);
	web = vxg_net_by_vni(&g->vx, 100);
	assert_int_equal(web->n_flood, 4); /* 172.16.0.2, .3, 10.9.9.9 and .9 */
	assert_int_equal(g->vx.vteps[web->flood[3]].ip, RTE_BE32(0xac100009));
	assert_int_equal(vxg_net_by_vni(&g->vx, 200)->n_flood, 0);
	assert_non_null(vxg_vtep_by_ip(&g->vx, RTE_BE32(0xac100009)));
	vxg_gen_free(g);
	/* A network without EVPN (or EVPN off) takes none of its set. */
	dp.cfg->vpcs[0].networks[0].evpn = false;
	g = dp_gen_build(dp.cfg, dp.ifs, dp.n_ifs, 3, dp.fdb, NULL, NULL);
	assert_int_equal(vxg_net_by_vni(&g->vx, 100)->n_flood, 3);
	assert_null(vxg_vtep_by_ip(&g->vx, RTE_BE32(0xac100009)));
	vxg_gen_free(g);
	dp.cfg->vpcs[0].networks[0].evpn = true;
	assert_int_equal(vxg_vxlan_dyn_flood_set(100, NULL, 0), 0);
	g = dp_gen_build(dp.cfg, dp.ifs, dp.n_ifs, 3, dp.fdb, NULL, NULL);
	assert_int_equal(vxg_net_by_vni(&g->vx, 100)->n_flood, 3);
	assert_null(vxg_vtep_by_ip(&g->vx, RTE_BE32(0xac100009)));
	vxg_gen_free(g);
	vxg_vxlan_dyn_clear();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_decap_gives_the_exact_inner_frame, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_decap_trims_padding, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_decap_malformed, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_decap_other_traffic_is_no_stage, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_encap_is_byte_exact, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_encap_source_port_per_flow, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_encap_unresolved_and_mtu, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_encap_udp_checksum, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_encap_fast_is_the_same, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_dyn_flood_merged, dp_setup, dp_teardown),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_vxlan") < 0) {
		fprintf(stderr, "test_vxlan: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
