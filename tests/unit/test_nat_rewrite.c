/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's packet rewriting (dataplane/nat/nat_rewrite.c) on hand-built mbufs: header
 * translation of TCP, UDP and ICMP echo, and ICMP errors quoting a translated packet.
 *
 * Every translated packet is compared with the same packet built from scratch with the
 * translated addresses and ports, whose checksums are computed in full: the incremental
 * updates must give exactly what a recomputation gives.
 */
#include "nat_fixture.h"

/* ---- vxg_nat_rewrite ---------------------------------------------------------------------- */

static void
test_tcp_source(void **state)
{
	struct rte_mbuf *m = tcp_pkt(IN_A, 40000, REMOTE, 80);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip_of(m) + 1);

	vxg_nat_rewrite(m, L3, EXT, PN(1024), 0, 0);
	assert_int_equal(ip_of(m)->src_addr, EXT);
	assert_int_equal(ip_of(m)->dst_addr, REMOTE);
	assert_int_equal(tcp->src_port, PN(1024));
	assert_int_equal(tcp->dst_port, PN(80));
	check_cksums(m);
	assert_frame(m, tcp_pkt(EXT, 1024, REMOTE, 80));
}

static void
test_tcp_destination(void **state)
{
	struct rte_mbuf *m = tcp_pkt(REMOTE, 80, EXT, 1024);

	vxg_nat_rewrite(m, L3, 0, 0, IN_A, PN(40000));
	check_cksums(m);
	assert_frame(m, tcp_pkt(REMOTE, 80, IN_A, 40000));
}

/* A floating IP: the address only; the pseudo-header still changes the TCP checksum. */
static void
test_tcp_address_only(void **state)
{
	struct rte_mbuf *m = tcp_pkt(IN_A, 40000, REMOTE, 80);

	vxg_nat_rewrite(m, L3, EXT, 0, 0, 0);
	check_cksums(m);
	assert_frame(m, tcp_pkt(EXT, 40000, REMOTE, 80));
	m = tcp_pkt(REMOTE, 80, EXT, 40000);
	vxg_nat_rewrite(m, L3, 0, 0, IN_B, 0);
	check_cksums(m);
	assert_frame(m, tcp_pkt(REMOTE, 80, IN_B, 40000));
}

static void
test_udp_both_sides(void **state)
{
	struct rte_mbuf *m = udp_std(IN_A, 40000, REMOTE, 53);

	vxg_nat_rewrite(m, L3, EXT, PN(1025), 0, 0);
	check_cksums(m);
	assert_frame(m, udp_std(EXT, 1025, REMOTE, 53));
	m = udp_std(REMOTE, 53, EXT, 1025);
	vxg_nat_rewrite(m, L3, 0, 0, IN_A, PN(40000));
	check_cksums(m);
	assert_frame(m, udp_std(REMOTE, 53, IN_A, 40000));
}

static void
test_udp_zero_cksum(void **state)
{
	struct rte_mbuf *m = udp_pkt(IN_A, 40000, REMOTE, 53, false, udp_payload, 11);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip_of(m) + 1);

	vxg_nat_rewrite(m, L3, EXT, PN(1025), 0, 0);
	assert_int_equal(udp->dgram_cksum, 0); /* "no checksum" stays so */
	assert_int_equal(udp->src_port, PN(1025));
	check_cksums(m);
	assert_frame(m, udp_pkt(EXT, 1025, REMOTE, 53, false, udp_payload, 11));
	m = udp_pkt(REMOTE, 53, EXT, 1025, false, udp_payload, 11);
	vxg_nat_rewrite(m, L3, 0, 0, IN_A, PN(40000));
	assert_frame(m, udp_pkt(REMOTE, 53, IN_A, 40000, false, udp_payload, 11));
}

/* A translation whose checksum comes out 0 must be sent as 0xffff, not as "none". */
static void
test_udp_cksum_becomes_ffff(void **state)
{
	uint8_t pl[4] = {0};
	struct rte_mbuf *exp = udp_pkt(EXT, 1025, REMOTE, 53, true, pl, sizeof(pl)), *m;
	uint16_t c = ((struct rte_udp_hdr *)(ip_of(exp) + 1))->dgram_cksum;

	/* a payload word equal to the checksum makes the translated sum 0xffff */
	rte_pktmbuf_free(exp);
	memcpy(pl, &c, 2);
	exp = udp_pkt(EXT, 1025, REMOTE, 53, true, pl, sizeof(pl));
	assert_int_equal(((struct rte_udp_hdr *)(ip_of(exp) + 1))->dgram_cksum, 0xffff);
	m = udp_pkt(IN_A, 40000, REMOTE, 53, true, pl, sizeof(pl));
	vxg_nat_rewrite(m, L3, EXT, PN(1025), 0, 0);
	assert_int_equal(((struct rte_udp_hdr *)(ip_of(m) + 1))->dgram_cksum, 0xffff);
	assert_frame(m, exp);
}

static void
test_icmp_echo(void **state)
{
	struct rte_mbuf *m = echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, IN_A, REMOTE, 77);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip_of(m) + 1);

	vxg_nat_rewrite(m, L3, EXT, PN(1024), 0, 0);
	assert_int_equal(icmp->icmp_ident, PN(1024));
	assert_int_equal(icmp->icmp_seq_nb, PN(5));
	check_cksums(m);
	assert_frame(m, echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, EXT, REMOTE, 1024));
	/* the reply: destination and identifier back to the inside host's */
	m = echo_pkt(RTE_IP_ICMP_ECHO_REPLY, REMOTE, EXT, 1024);
	vxg_nat_rewrite(m, L3, 0, 0, IN_A, PN(77));
	check_cksums(m);
	assert_frame(m, echo_pkt(RTE_IP_ICMP_ECHO_REPLY, REMOTE, IN_A, 77));
}

/* A non-first fragment has no L4 header: only its IP header is translated. */
static void
test_non_first_fragment(void **state)
{
	uint8_t l4[24];
	struct rte_mbuf *m;

	for (unsigned i = 0; i < sizeof(l4); i++)
		l4[i] = (uint8_t)(0x9c + 7 * i);
	m = frame(IPPROTO_UDP, IN_A, REMOTE, l4, sizeof(l4), 185);
	vxg_nat_rewrite(m, L3, EXT, PN(1024), 0, 0);
	check_cksums(m);
	assert_frame(m, frame(IPPROTO_UDP, EXT, REMOTE, l4, sizeof(l4), 185));
	m = frame(IPPROTO_TCP, REMOTE, EXT, l4, sizeof(l4), 185 | RTE_IPV4_HDR_MF_FLAG);
	vxg_nat_rewrite(m, L3, 0, 0, IN_A, PN(40000));
	check_cksums(m);
	assert_frame(
		m, frame(IPPROTO_TCP, REMOTE, IN_A, l4, sizeof(l4), 185 | RTE_IPV4_HDR_MF_FLAG));
}

/* ---- vxg_nat_icmp_error ------------------------------------------------------------------- */

/* Every checksum of an ICMP error: outer IP, ICMP over the message, the quoted IP header
 * and, when whole (the whole datagram is quoted), the quoted TCP/UDP checksum. */
static void
check_icmp_error(struct rte_mbuf *m, bool whole)
{
	uint16_t len;
	uint8_t *icmp = icmp_of(m, &len);
	struct rte_ipv4_hdr *q = (struct rte_ipv4_hdr *)(icmp + 8);
	uint8_t *ql4 = (uint8_t *)(q + 1);

	assert_int_equal(ip_of(m)->hdr_checksum, ip_cksum(ip_of(m)));
	assert_int_equal(((struct rte_icmp_hdr *)icmp)->icmp_cksum, icmp_cksum(icmp, len));
	assert_int_equal(q->hdr_checksum, ip_cksum(q));
	if (whole && q->next_proto_id == IPPROTO_UDP)
		assert_int_equal(((struct rte_udp_hdr *)ql4)->dgram_cksum, l4_cksum(q));
	if (whole && q->next_proto_id == IPPROTO_TCP)
		assert_int_equal(((struct rte_tcp_hdr *)ql4)->cksum, l4_cksum(q));
}

static struct rte_mbuf *
udp_ttl1(rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport)
{
	struct rte_mbuf *m = udp_std(src, sport, dst, dport);

	ip_of(m)->time_to_live = 1;
	ip_of(m)->hdr_checksum = ip_cksum(ip_of(m));
	return m;
}

/* A router on the way drops our translated UDP probe: its time exceeded goes back to the
 * inside host, about the packet as the inside host sent it. */
static void
test_icmp_error_inbound_udp(void **state)
{
	uint16_t ql = 20 + 8 + 11; /* the whole datagram */
	struct rte_mbuf *m = icmp_err(
		ICMP_TIME_EXCEEDED, 0, ROUTER, EXT, udp_ttl1(EXT, 1024, REMOTE, 33434), ql);
	struct rte_ipv4_hdr *q;

	assert_true(vxg_nat_icmp_error(m, L3, false, IN_A, IN_A, PN(40000)));
	q = (struct rte_ipv4_hdr *)((uint8_t *)(ip_of(m) + 1) + 8);
	assert_int_equal(ip_of(m)->src_addr, ROUTER);
	assert_int_equal(ip_of(m)->dst_addr, IN_A);
	assert_int_equal(q->src_addr, IN_A);
	assert_int_equal(q->dst_addr, REMOTE);
	assert_int_equal(((struct rte_udp_hdr *)(q + 1))->src_port, PN(40000));
	assert_int_equal(((struct rte_udp_hdr *)(q + 1))->dst_port, PN(33434));
	check_icmp_error(m, true);
	assert_frame(m, icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, IN_A,
				udp_ttl1(IN_A, 40000, REMOTE, 33434), ql));
}

/* An inside host's port unreachable about a remote's datagram to our translated port
 * goes out from the SNAT address, about the datagram as the remote sent it. */
static void
test_icmp_error_outbound_udp(void **state)
{
	uint16_t ql = 20 + 8 + 11;
	struct rte_mbuf *m =
		icmp_err(ICMP_DEST_UNREACH, 3, IN_A, REMOTE, udp_std(REMOTE, 53, IN_A, 40000), ql);
	struct rte_ipv4_hdr *q;

	assert_true(vxg_nat_icmp_error(m, L3, true, EXT, EXT, PN(1024)));
	q = (struct rte_ipv4_hdr *)((uint8_t *)(ip_of(m) + 1) + 8);
	assert_int_equal(ip_of(m)->src_addr, EXT);
	assert_int_equal(ip_of(m)->dst_addr, REMOTE);
	assert_int_equal(q->src_addr, REMOTE);
	assert_int_equal(q->dst_addr, EXT);
	assert_int_equal(((struct rte_udp_hdr *)(q + 1))->src_port, PN(53));
	assert_int_equal(((struct rte_udp_hdr *)(q + 1))->dst_port, PN(1024));
	check_icmp_error(m, true);
	assert_frame(
		m, icmp_err(ICMP_DEST_UNREACH, 3, EXT, REMOTE, udp_std(REMOTE, 53, EXT, 1024), ql));
}

/* The classic quote (IP header + 8 bytes, RFC 792): the ports are in it, the TCP
 * checksum is not; then the whole segment, checksum included. */
static void
test_icmp_error_tcp(void **state)
{
	uint16_t lens[] = {20 + 20 + 11, 20 + 8};

	for (unsigned i = 0; i < RTE_DIM(lens); i++) {
		struct rte_mbuf *m = icmp_err(
			ICMP_DEST_UNREACH, 4, ROUTER, EXT, tcp_pkt(EXT, 1024, REMOTE, 80), lens[i]);
		struct rte_ipv4_hdr *q = (struct rte_ipv4_hdr *)((uint8_t *)(ip_of(m) + 1) + 8);

		assert_true(vxg_nat_icmp_error(m, L3, false, IN_A, IN_A, PN(40000)));
		assert_int_equal(q->src_addr, IN_A);
		assert_int_equal(((struct rte_tcp_hdr *)(q + 1))->src_port, PN(40000));
		check_icmp_error(m, i == 0);
		assert_frame(m, icmp_err(ICMP_DEST_UNREACH, 4, ROUTER, IN_A,
					tcp_pkt(IN_A, 40000, REMOTE, 80), lens[i]));
	}
}

/* A quoted echo request: address and identifier back to the inside host's. Quoted whole,
 * its checksum is kept right too (as Linux does). */
static void
test_icmp_error_echo(void **state)
{
	uint16_t ql = 20 + 8, len;
	struct rte_mbuf *m = icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, EXT,
		echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, EXT, REMOTE, 1024), ql);
	uint8_t *icmp = icmp_of(m, &len);
	struct rte_ipv4_hdr *q = (struct rte_ipv4_hdr *)(icmp + 8);

	assert_true(vxg_nat_icmp_error(m, L3, false, IN_A, IN_A, PN(77)));
	assert_int_equal(ip_of(m)->dst_addr, IN_A);
	assert_int_equal(q->src_addr, IN_A);
	assert_int_equal(((struct rte_icmp_hdr *)(q + 1))->icmp_ident, PN(77));
	assert_int_equal(((struct rte_icmp_hdr *)(q + 1))->icmp_type, RTE_IP_ICMP_ECHO_REQUEST);
	check_icmp_error(m, false);
	rte_pktmbuf_free(m);
	ql = 20 + 8 + 13;
	m = icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, EXT,
		echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, EXT, REMOTE, 1024), ql);
	assert_true(vxg_nat_icmp_error(m, L3, false, IN_A, IN_A, PN(77)));
	check_icmp_error(m, true);
	assert_frame(m, icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, IN_A,
				echo_pkt(RTE_IP_ICMP_ECHO_REQUEST, IN_A, REMOTE, 77), ql));
}

/* Too short a quote: refused, and the packet left as it was. */
static void
test_icmp_error_short_quote(void **state)
{
	uint16_t lens[] = {20 + 4, 20 + 7, 12};

	for (unsigned i = 0; i < RTE_DIM(lens); i++) {
		struct rte_mbuf *m = icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, EXT,
			udp_std(EXT, 1024, REMOTE, 33434), lens[i]);
		struct rte_mbuf *copy = icmp_err(ICMP_TIME_EXCEEDED, 0, ROUTER, EXT,
			udp_std(EXT, 1024, REMOTE, 33434), lens[i]);

		assert_false(vxg_nat_icmp_error(m, L3, false, IN_A, IN_A, PN(40000)));
		assert_frame(m, copy);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_source),
		cmocka_unit_test(test_tcp_destination),
		cmocka_unit_test(test_tcp_address_only),
		cmocka_unit_test(test_udp_both_sides),
		cmocka_unit_test(test_udp_zero_cksum),
		cmocka_unit_test(test_udp_cksum_becomes_ffff),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_non_first_fragment),
		cmocka_unit_test(test_icmp_error_inbound_udp),
		cmocka_unit_test(test_icmp_error_outbound_udp),
		cmocka_unit_test(test_icmp_error_tcp),
		cmocka_unit_test(test_icmp_error_echo),
		cmocka_unit_test(test_icmp_error_short_quote),
	};
	int ret;

	if (nat_init(argv[0], "vxg_test_nat_rewrite") < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nat_fini();
	return ret;
}
