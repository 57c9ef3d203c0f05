/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router SNAT: header translation of TCP, UDP and ICMP echo on hand-built mbufs, ICMP
 * errors quoting a translated packet, port allocation for new sessions, and the control
 * side: ageing on a fake clock, `clear nat sessions`, `show nat sessions` lines.
 *
 * Every translated packet is compared with the same packet built from scratch with the
 * translated addresses and ports, whose checksums are computed in full: the incremental
 * updates must give exactly what a recomputation gives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "sg/conntrack.h"
#include "dp_fixture.h"
#include "nat/nat_out.h"
#include "nat/nat_rewrite.h"
#include "nat/nat_table.h"
#include "vxg_ct.h"
#include "vxg_nat.h"

#include "ip4.h"

#define IPN(a, b, c, d) rte_cpu_to_be_32(IP(a, b, c, d))
#define PN(p) rte_cpu_to_be_16(p)

#define L3 ((uint16_t)sizeof(struct rte_ether_hdr))

/* ICMP error types (DPDK 22.11 names only echo) */
#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11

/* Inside hosts, remote ends, the SNAT address and a router on the way. */
#define IN_A IPN(10, 1, 0, 11)
#define IN_B IPN(10, 1, 0, 12)
#define IN_C IPN(10, 1, 0, 13)
#define REMOTE IPN(198, 51, 100, 10)
#define REMOTE2 IPN(198, 51, 100, 20)
#define EXT IPN(203, 0, 113, 10)
#define ROUTER IPN(192, 0, 2, 1)

static struct rte_mempool *pool;
/* Workers' QSBR with no worker registered: synchronize returns at once. */
static struct rte_rcu_qsbr *qsbr;

/* ---- packets ------------------------------------------------------------------------------ */

/* An Ethernet + IPv4 frame carrying the `len` bytes at l4 as they are (checksums of the
 * L4 are the caller's); frag: the fragment_offset field, host order. */
static struct rte_mbuf *
frame(uint8_t proto, rte_be32_t src, rte_be32_t dst, const void *l4, uint16_t len, uint16_t frag)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, L3 + sizeof(*ip) + len);
	assert_non_null(eth);
	memset(eth, 0, L3);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + len);
	ip->packet_id = rte_cpu_to_be_16(0x4d2);
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memcpy(ip + 1, l4, len);
	m->l2_len = L3;
	m->l3_len = sizeof(*ip);
	return m;
}

static struct rte_ipv4_hdr *
ip_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L3);
}

/* ICMP's checksum of the len bytes at p (the checksum field at offset 2 read as 0). */
static uint16_t
icmp_cksum(const void *p, uint16_t len)
{
	uint8_t buf[1500];

	assert_true(len <= sizeof(buf));
	memcpy(buf, p, len);
	buf[2] = buf[3] = 0;
	return (uint16_t)~rte_raw_cksum(buf, len);
}

/* The TCP/UDP checksum of the datagram at ip, recomputed with the field read as 0. */
static uint16_t
l4_cksum(struct rte_ipv4_hdr *ip)
{
	uint8_t *l4 = (uint8_t *)(ip + 1);
	size_t off = ip->next_proto_id == IPPROTO_TCP ? offsetof(struct rte_tcp_hdr, cksum)
						      : offsetof(struct rte_udp_hdr, dgram_cksum);
	uint16_t saved, c;

	memcpy(&saved, l4 + off, 2);
	memset(l4 + off, 0, 2);
	c = rte_ipv4_udptcp_cksum(ip, l4);
	memcpy(l4 + off, &saved, 2);
	return c;
}

/* The IPv4 header checksum of ip, recomputed. */
static uint16_t
ip_cksum(const struct rte_ipv4_hdr *ip)
{
	struct rte_ipv4_hdr h = *ip;

	h.hdr_checksum = 0;
	return rte_ipv4_cksum(&h);
}

static const char tcp_payload[] = "hello, nat!"; /* 11 bytes: an odd length */

static struct rte_mbuf *
tcp_pkt(rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport)
{
	uint8_t buf[sizeof(struct rte_tcp_hdr) + sizeof(tcp_payload) - 1];
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)buf;
	struct rte_mbuf *m;

	memset(buf, 0, sizeof(buf));
	tcp->src_port = PN(sport);
	tcp->dst_port = PN(dport);
	tcp->sent_seq = rte_cpu_to_be_32(0x01020304);
	tcp->recv_ack = rte_cpu_to_be_32(0x0a0b0c0d);
	tcp->data_off = 0x50;
	tcp->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	tcp->rx_win = PN(64240);
	memcpy(tcp + 1, tcp_payload, sizeof(tcp_payload) - 1);
	m = frame(IPPROTO_TCP, src, dst, buf, sizeof(buf), 0);
	tcp = (struct rte_tcp_hdr *)(ip_of(m) + 1);
	tcp->cksum = rte_ipv4_udptcp_cksum(ip_of(m), tcp);
	return m;
}

/* A UDP datagram with `len` bytes of payload pl, checksummed or not (0). */
static struct rte_mbuf *
udp_pkt(rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport, bool cksum, const void *pl,
	uint16_t len)
{
	uint8_t buf[sizeof(struct rte_udp_hdr) + 64];
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)buf;
	struct rte_mbuf *m;

	assert_true(len <= 64);
	udp->src_port = PN(sport);
	udp->dst_port = PN(dport);
	udp->dgram_len = PN(sizeof(*udp) + len);
	udp->dgram_cksum = 0;
	memcpy(udp + 1, pl, len);
	m = frame(IPPROTO_UDP, src, dst, buf, sizeof(*udp) + len, 0);
	udp = (struct rte_udp_hdr *)(ip_of(m) + 1);
	if (cksum)
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip_of(m), udp);
	return m;
}

static const char udp_payload[] = "query 12345"; /* 11 bytes */

static struct rte_mbuf *
udp_std(rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport)
{
	return udp_pkt(src, sport, dst, dport, true, udp_payload, sizeof(udp_payload) - 1);
}

/* An ICMP echo request (8) or reply (0) with identifier id. */
static struct rte_mbuf *
echo_pkt(uint8_t type, rte_be32_t src, rte_be32_t dst, uint16_t id)
{
	uint8_t buf[sizeof(struct rte_icmp_hdr) + 13];
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)buf;
	struct rte_mbuf *m;

	memset(buf, 0, sizeof(buf));
	icmp->icmp_type = type;
	icmp->icmp_ident = PN(id);
	icmp->icmp_seq_nb = PN(5);
	memcpy(icmp + 1, "abcdefghijklm", 13);
	icmp->icmp_cksum = icmp_cksum(buf, sizeof(buf));
	m = frame(IPPROTO_ICMP, src, dst, buf, sizeof(buf), 0);
	return m;
}

/* An ICMP error (type, code) from src to dst quoting the first qlen bytes of the IPv4
 * datagram in q, which is freed. */
static struct rte_mbuf *
icmp_err(uint8_t type, uint8_t code, rte_be32_t src, rte_be32_t dst, struct rte_mbuf *q,
	uint16_t qlen)
{
	uint8_t buf[8 + 128];
	uint16_t c;

	assert_true(qlen <= 128 && qlen <= rte_pktmbuf_data_len(q) - L3);
	memset(buf, 0, 8);
	buf[0] = type;
	buf[1] = code;
	memcpy(buf + 8, ip_of(q), qlen);
	rte_pktmbuf_free(q);
	c = icmp_cksum(buf, (uint16_t)(8 + qlen));
	memcpy(buf + 2, &c, 2);
	return frame(IPPROTO_ICMP, src, dst, buf, (uint16_t)(8 + qlen), 0);
}

/* The ICMP message of m and its length. */
static uint8_t *
icmp_of(struct rte_mbuf *m, uint16_t *len)
{
	struct rte_ipv4_hdr *ip = ip_of(m);

	*len = (uint16_t)(rte_be_to_cpu_16(ip->total_length) - sizeof(*ip));
	return (uint8_t *)(ip + 1);
}

/* Every checksum of the (translated) packet m equals its recomputation. */
static void
check_cksums(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = ip_of(m);
	uint8_t *l4 = (uint8_t *)(ip + 1);
	uint16_t len;

	assert_int_equal(ip->hdr_checksum, ip_cksum(ip));
	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK))
		return;
	if (ip->next_proto_id == IPPROTO_TCP)
		assert_int_equal(((struct rte_tcp_hdr *)l4)->cksum, l4_cksum(ip));
	if (ip->next_proto_id == IPPROTO_UDP && ((struct rte_udp_hdr *)l4)->dgram_cksum != 0)
		assert_int_equal(((struct rte_udp_hdr *)l4)->dgram_cksum, l4_cksum(ip));
	if (ip->next_proto_id == IPPROTO_ICMP) {
		l4 = icmp_of(m, &len);
		assert_int_equal(((struct rte_icmp_hdr *)l4)->icmp_cksum, icmp_cksum(l4, len));
	}
}

/* m is byte for byte the expected frame exp; both are freed. */
static void
assert_frame(struct rte_mbuf *m, struct rte_mbuf *exp)
{
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_data_len(exp));
	assert_memory_equal(rte_pktmbuf_mtod(m, void *), rte_pktmbuf_mtod(exp, void *),
		rte_pktmbuf_data_len(m));
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(exp);
}

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

/* ---- sessions: port allocation ------------------------------------------------------------ */

static struct vxg_nat_key
okey(uint8_t proto, rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport)
{
	struct vxg_nat_key k;

	memset(&k, 0, sizeof(k));
	k.src = src;
	k.dst = dst;
	k.sport = PN(sport);
	k.dport = PN(dport);
	k.proto = proto;
	return k;
}

static struct vxg_nat_table *
table(uint32_t limit, uint16_t pmin, uint16_t pmax, struct rte_rcu_qsbr *q)
{
	struct vxg_nat_table *t = vxg_nat_table_create("vpc1", limit, EXT, pmin, pmax, 3, q);

	assert_non_null(t);
	return t;
}

/* Session pos of out key k is published and both its keys lead to it; its port. */
static uint16_t
check_sess(struct vxg_nat_table *t, const struct vxg_nat_key *k, int32_t pos)
{
	struct vxg_nat_sess *s;
	struct vxg_nat_key in;

	assert_true(pos >= 0 && (uint32_t)pos < t->n_sess);
	s = &t->sess[pos];
	assert_int_equal(rte_hash_lookup(t->out_h, k), pos);
	assert_memory_equal(&s->out, k, sizeof(*k));
	assert_int_not_equal(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE), VXG_CT_NONE);
	vxg_nat_in_key(&in, k, t->addr, s->ext_port);
	assert_int_equal(rte_hash_lookup(t->in_h, &in), s->in_pos);
	assert_true(s->in_pos >= 0 && (uint32_t)s->in_pos < t->n_in);
	assert_int_equal(t->in_out[s->in_pos], pos);
	return rte_be_to_cpu_16(s->ext_port);
}

static void
test_port_own_kept(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, NULL);
	struct vxg_nat_key a = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key b = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	struct vxg_nat_key c = okey(IPPROTO_UDP, IN_C, 40000, REMOTE2, 53);
	struct vxg_nat_key low = okey(IPPROTO_UDP, IN_C, 80, REMOTE, 53);
	int32_t pa, pb, pc, pl;
	uint16_t port;

	pa = vxg_nat_sess_create(t, &a, 0, 1, VXG_CT_UDP_NEW, 100);
	assert_int_equal(check_sess(t, &a, pa), 40000);
	assert_int_equal(t->sess[pa].state, VXG_CT_UDP_NEW);
	assert_int_equal(t->sess[pa].seen, 100);
	/* B's flow to the same remote end cannot have 40000 too */
	pb = vxg_nat_sess_create(t, &b, 0, 1, VXG_CT_UDP_NEW, 100);
	port = check_sess(t, &b, pb);
	assert_int_not_equal(port, 40000);
	assert_true(port >= 1024);
	assert_int_not_equal(pa, pb);
	/* toward another remote end, 40000 is free */
	pc = vxg_nat_sess_create(t, &c, 0, 1, VXG_CT_UDP_NEW, 100);
	assert_int_equal(check_sess(t, &c, pc), 40000);
	/* a port below the range is not kept */
	pl = vxg_nat_sess_create(t, &low, 0, 1, VXG_CT_UDP_NEW, 100);
	port = check_sess(t, &low, pl);
	assert_true(port >= 1024);
	assert_int_equal(vxg_nat_count(t), 4);
	/* the same flow again (another worker's miss): the same session */
	assert_int_equal(vxg_nat_sess_create(t, &a, 0, 1, VXG_CT_UDP_NEW, 101), pa);
	assert_int_equal(vxg_nat_count(t), 4);
	assert_int_equal(check_sess(t, &a, pa), 40000);
	vxg_nat_table_destroy(t);
}

static void
test_port_exhaustion(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1027, NULL);
	struct vxg_nat_key k[5], other;
	int32_t pos[5];
	unsigned seen = 0; /* bit port - 1024 */

	for (unsigned i = 0; i < 5; i++) {
		k[i] = okey(IPPROTO_UDP, IPN(10, 1, 0, 1 + i), 5000, REMOTE, 53);
		pos[i] = vxg_nat_sess_create(t, &k[i], 0, 1, VXG_CT_UDP_NEW, 100);
	}
	for (unsigned i = 0; i < 4; i++) {
		uint16_t port = check_sess(t, &k[i], pos[i]);

		assert_true(port >= 1024 && port <= 1027);
		assert_false(seen & 1u << (port - 1024));
		seen |= 1u << (port - 1024);
	}
	assert_int_equal(pos[4], -EADDRINUSE);
	assert_int_equal(rte_hash_lookup(t->out_h, &k[4]), -ENOENT);
	assert_int_equal(vxg_nat_count(t), 4);
	assert_int_equal(rte_hash_count(t->in_h), 4);
	for (unsigned i = 0; i < 4; i++)
		check_sess(t, &k[i], pos[i]);
	/* another remote end still has every port */
	other = okey(IPPROTO_UDP, IPN(10, 1, 0, 5), 5000, REMOTE2, 53);
	check_sess(t, &other, vxg_nat_sess_create(t, &other, 0, 1, VXG_CT_UDP_NEW, 100));
	/* and the TCP ports of the same remote end are another space */
	other = okey(IPPROTO_TCP, IPN(10, 1, 0, 5), 5000, REMOTE, 53);
	check_sess(t, &other, vxg_nat_sess_create(t, &other, 0, 1, VXG_CT_TCP_SYN_SENT, 100));
	vxg_nat_table_destroy(t);
}

static void
test_port_stripes(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1031, NULL);
	struct vxg_nat_key k;
	unsigned seen = 0;
	int32_t pos;

	/* 1026 is worker 0's: worker 1 may not keep it */
	for (unsigned i = 0; i < 4; i++) {
		uint16_t port;

		k = okey(IPPROTO_TCP, IPN(10, 1, 0, 1 + i), 1026, REMOTE, 443);
		port = check_sess(t, &k, vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9));
		assert_true(port >= 1024 && port <= 1031);
		assert_int_equal((port - 1024) % 2, 1);
		assert_false(seen & 1u << (port - 1024));
		seen |= 1u << (port - 1024);
	}
	k = okey(IPPROTO_TCP, IPN(10, 1, 0, 5), 1026, REMOTE, 443);
	assert_int_equal(vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9), -EADDRINUSE);
	/* worker 0's stripe is untouched */
	pos = vxg_nat_sess_create(t, &k, 0, 2, VXG_CT_TCP_SYN_SENT, 9);
	assert_int_equal(check_sess(t, &k, pos), 1026);
	/* 1027 is worker 1's: kept toward a remote end where it is free */
	k = okey(IPPROTO_TCP, IN_A, 1027, REMOTE2, 443);
	assert_int_equal(
		check_sess(t, &k, vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9)), 1027);
	vxg_nat_table_destroy(t);
}

static void
test_icmp_session(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1024, NULL);
	struct vxg_nat_key k = okey(IPPROTO_ICMP, IN_A, 77, REMOTE, 77), in;
	int32_t pos = vxg_nat_sess_create(t, &k, 0, 1, VXG_CT_ICMP_NEW, 5), ipos;

	assert_int_equal(check_sess(t, &k, pos), 1024);
	/* what the echo reply carries: remote -> SNAT address, both ids the translated one */
	in = okey(IPPROTO_ICMP, REMOTE, 1024, EXT, 1024);
	ipos = rte_hash_lookup(t->in_h, &in);
	assert_true(ipos >= 0);
	assert_int_equal(t->in_out[ipos], pos);
	vxg_nat_table_destroy(t);
}

static void
test_table_full(void **state)
{
	struct vxg_nat_table *t = table(16, 1024, 65535, NULL);
	struct vxg_nat_key k[256];
	int32_t pos = 0;
	unsigned n;

	for (n = 0; n < RTE_DIM(k); n++) {
		k[n] = okey(IPPROTO_UDP, IN_A, 40000, IPN(198, 51, 100, n), 53);
		pos = vxg_nat_sess_create(t, &k[n], 0, 1, VXG_CT_UDP_NEW, 10);
		if (pos < 0)
			break;
	}
	assert_int_equal(pos, -ENOSPC);
	assert_true(n >= 16);
	assert_int_equal(vxg_nat_count(t), n);
	for (unsigned i = 0; i < n; i++)
		check_sess(t, &k[i], rte_hash_lookup(t->out_h, &k[i]));
	assert_int_equal(vxg_nat_clear(t), n);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	/* every position is back */
	for (unsigned i = 0; i < n; i++)
		check_sess(t, &k[i], vxg_nat_sess_create(t, &k[i], 0, 1, VXG_CT_UDP_NEW, 20));
	assert_int_equal(vxg_nat_count(t), n);
	vxg_nat_table_destroy(t);
}

/* ---- control: ageing, clear, format ------------------------------------------------------- */

/* A session made by hand as a worker makes it (so these tests do not depend on the port
 * allocator); its position. */
static int32_t
sess_put(struct vxg_nat_table *t, const struct vxg_nat_key *k, uint16_t ext, uint8_t st,
	uint32_t seen)
{
	int32_t pos = rte_hash_add_key(t->out_h, k);
	struct vxg_nat_sess *s;
	struct vxg_nat_key in;

	assert_true(pos >= 0);
	s = &t->sess[pos];
	s->out = *k;
	s->seen = seen;
	s->ext_port = PN(ext);
	vxg_nat_in_key(&in, k, t->addr, s->ext_port);
	s->in_pos = rte_hash_add_key(t->in_h, &in);
	assert_true(s->in_pos >= 0);
	t->in_out[s->in_pos] = pos;
	__atomic_store_n(&s->state, st, __ATOMIC_RELEASE);
	return pos;
}

/* Neither key of the session of out key k (port ext) is in t. */
static void
assert_gone(struct vxg_nat_table *t, const struct vxg_nat_key *k, uint16_t ext)
{
	struct vxg_nat_key in;

	vxg_nat_in_key(&in, k, t->addr, PN(ext));
	assert_int_equal(rte_hash_lookup(t->out_h, k), -ENOENT);
	assert_int_equal(rte_hash_lookup(t->in_h, &in), -ENOENT);
}

static void
test_age(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	struct vxg_nat_key u = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key e = okey(IPPROTO_TCP, IN_B, 40001, REMOTE, 80);
	struct vxg_nat_key f = okey(IPPROTO_UDP, IN_C, 40002, REMOTE, 53);
	int32_t pu = sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 100);
	int32_t pe = sess_put(t, &e, 40001, VXG_CT_TCP_ESTABLISHED, 125);

	/* a worker refreshed f a second past the ager's clock: not expired */
	sess_put(t, &f, 40002, VXG_CT_UDP_NEW, 131);
	assert_int_equal(vxg_nat_age(t, 130, t->n_sess), 0); /* 30 s: not more than 30 */
	assert_int_equal(vxg_nat_age(t, 130, t->n_sess), 0);
	assert_int_equal(vxg_nat_age(t, 131, t->n_sess), 1); /* u */
	assert_gone(t, &u, 40000);
	assert_int_equal(t->sess[pu].state, VXG_CT_NONE);
	check_sess(t, &e, pe);
	assert_int_equal(vxg_nat_count(t), 2);
	assert_int_equal(rte_hash_count(t->in_h), 2);
	assert_int_equal(vxg_nat_age(t, 125 + 7440, t->n_sess), 1); /* f */
	assert_int_equal(vxg_nat_age(t, 125 + 7441, t->n_sess), 1); /* e */
	assert_gone(t, &e, 40001);
	assert_gone(t, &f, 40002);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	/* the positions are reusable: the same keys again */
	check_sess(t, &u, sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 200));
	check_sess(t, &e, sess_put(t, &e, 40001, VXG_CT_UDP_NEW, 200));
	vxg_nat_table_destroy(t);
}

/* The ager looks at `budget` positions a call and goes on where it stopped. */
static void
test_age_budget(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	unsigned total = 0, calls = 0;

	for (unsigned i = 0; i < 10; i++) {
		struct vxg_nat_key k = okey(IPPROTO_UDP, IN_A, (uint16_t)(2000 + i), REMOTE, 53);

		sess_put(t, &k, (uint16_t)(2000 + i), VXG_CT_UDP_NEW, 0);
	}
	while (total < 10 && calls <= t->n_sess / 8 + 1) {
		unsigned n = vxg_nat_age(t, 1000, 8);

		assert_true(n <= 8);
		total += n;
		calls++;
	}
	assert_int_equal(total, 10);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	vxg_nat_table_destroy(t);
}

static void
test_clear(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	struct vxg_nat_key k[10], half;
	int32_t hp;

	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		k[i] = okey(IPPROTO_TCP, IPN(10, 1, 1, i), 3000, REMOTE, 443);
		sess_put(t, &k[i], (uint16_t)(3000 + i), VXG_CT_TCP_ESTABLISHED, 50);
	}
	/* a key a worker has added but not published yet: left alone */
	half = okey(IPPROTO_TCP, IN_A, 1, REMOTE, 1);
	hp = rte_hash_add_key(t->out_h, &half);
	assert_true(hp >= 0);
	assert_int_equal(vxg_nat_clear(t), RTE_DIM(k));
	assert_int_equal(rte_hash_lookup(t->out_h, &half), hp);
	assert_int_equal(vxg_nat_count(t), 1);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	for (unsigned i = 0; i < RTE_DIM(k); i++)
		assert_gone(t, &k[i], (uint16_t)(3000 + i));
	assert_int_equal(vxg_nat_clear(t), 0);
	for (unsigned i = 0; i < RTE_DIM(k); i++)
		check_sess(t, &k[i], sess_put(t, &k[i], (uint16_t)(3000 + i), VXG_CT_UDP_NEW, 9));
	vxg_nat_table_destroy(t);
}

static void
test_create_errors(void **state)
{
	struct vxg_nat_table *t, *big;

	rte_errno = 0;
	assert_null(vxg_nat_table_create("vpc1", 64, EXT, 2000, 1999, 0, NULL));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(vxg_nat_table_create("vpc1", 0, EXT, 1024, 2000, 0, NULL));
	assert_int_equal(rte_errno, EINVAL);
	vxg_nat_table_destroy(NULL);
	/* a VPC name is reused by a reload: both tables exist at once */
	t = table(64, 1024, 2000, NULL);
	big = vxg_nat_table_create("vpc1", 4096, IPN(203, 0, 113, 11), 1, 65535, 7, NULL);
	assert_non_null(big);
	assert_string_equal(big->name, "vpc1");
	assert_int_equal(big->addr, IPN(203, 0, 113, 11));
	assert_int_equal(big->port_min, 1);
	assert_int_equal(big->port_max, 65535);
	assert_int_equal(big->ifindex, 7);
	assert_int_equal(big->limit, 4096);
	assert_true(big->n_sess >= 4096);
	assert_int_equal(big->n_sess, rte_hash_max_key_id(big->out_h) + 1);
	assert_true(vxg_nat_memsize(big) > vxg_nat_memsize(t));
	assert_true(vxg_nat_memsize(big) >=
		    (uint64_t)big->n_sess *
			    (sizeof(struct vxg_nat_sess) + 2 * sizeof(struct vxg_nat_key)));
	vxg_nat_table_destroy(big);
	vxg_nat_table_destroy(t);
}

static void
test_format(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, NULL);
	struct vxg_nat_sess s;
	char buf[160];

	memset(&s, 0, sizeof(s));
	s.out = okey(IPPROTO_TCP, IN_A, 40000, REMOTE, 80);
	s.ext_port = PN(40000);
	s.seen = 100;
	s.state = VXG_CT_TCP_ESTABLISHED;
	assert_true(vxg_nat_sess_format(t, &s, 103, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "tcp 10.1.0.11:40000 -> 198.51.100.10:80 as 203.0.113.10:40000 "
				 "ESTABLISHED age 3 expires 7437");
	s.out = okey(IPPROTO_ICMP, IN_A, 77, REMOTE, 77);
	s.ext_port = PN(1024);
	s.state = VXG_CT_ICMP_NEW;
	vxg_nat_sess_format(t, &s, 100, buf, sizeof(buf));
	assert_string_equal(buf, "icmp 10.1.0.11 -> 198.51.100.10 id 77 as 203.0.113.10 id 1024 "
				 "ICMP_NEW age 0 expires 30");
	/* expired, not aged yet; and a clock behind `seen` */
	s.out = okey(IPPROTO_UDP, IN_B, 5353, REMOTE2, 53);
	s.ext_port = PN(1025);
	s.state = VXG_CT_UDP_REPLIED;
	vxg_nat_sess_format(t, &s, 400, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.1.0.12:5353 -> 198.51.100.20:53 as 203.0.113.10:1025 "
				 "UDP_REPLIED age 300 expires 0");
	vxg_nat_sess_format(t, &s, 99, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.1.0.12:5353 -> 198.51.100.20:53 as 203.0.113.10:1025 "
				 "UDP_REPLIED age 0 expires 180");
	/* truncation is snprintf's */
	assert_true(vxg_nat_sess_format(t, &s, 100, buf, 8) > 8);
	assert_string_equal(buf, "udp 10.");
	vxg_nat_table_destroy(t);
}

/* ---- resize (a reload that changes dataplane.limits.sessions) ----------------------------- */

/* The session of out key k in t, or NULL. */
static const struct vxg_nat_sess *
sess_get(const struct vxg_nat_table *t, const struct vxg_nat_key *k)
{
	int32_t pos = rte_hash_lookup(t->out_h, k);

	return pos < 0 ? NULL : &t->sess[pos];
}

/* A bigger table: each live session moves over with both keys, its translated port, state
 * and times; expired ones do not; the ports stay claimed for new flows. */
static void
test_resize_grow(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr), *big;
	struct vxg_nat_key u = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key e = okey(IPPROTO_TCP, IN_B, 40001, REMOTE, 80);
	struct vxg_nat_key x = okey(IPPROTO_UDP, IN_C, 40002, REMOTE, 53);
	struct vxg_nat_key i = okey(IPPROTO_ICMP, IN_A, 77, REMOTE2, 77);
	struct vxg_nat_key clash = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	const struct vxg_nat_sess *s, *o;
	uint32_t dropped = 99;
	int32_t pos;

	sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 100);
	pos = sess_put(t, &e, 2000, VXG_CT_TCP_ESTABLISHED, 90);
	t->sess[pos].flags = VXG_CT_F_FIN_ORIG;
	sess_put(t, &x, 40002, VXG_CT_UDP_NEW, 60); /* expired at 100, not aged */
	assert_true(vxg_nat_sess_create(t, &i, 0, 1, VXG_CT_ICMP_NEW, 100) >= 0);

	big = vxg_nat_table_resize(t, 4096, 100, &dropped);
	assert_non_null(big);
	assert_int_equal(dropped, 0);
	assert_int_equal(big->limit, 4096);
	assert_string_equal(big->name, "vpc1");
	assert_int_equal(big->addr, EXT);
	assert_int_equal(big->port_min, 1024);
	assert_int_equal(big->port_max, 65535);
	assert_int_equal(big->ifindex, 3);
	assert_ptr_equal(big->qsbr, qsbr);
	assert_int_equal(vxg_nat_count(big), 3);
	assert_int_equal(rte_hash_count(big->in_h), 3);
	assert_int_equal(check_sess(big, &u, rte_hash_lookup(big->out_h, &u)), 40000);
	assert_int_equal(check_sess(big, &e, rte_hash_lookup(big->out_h, &e)), 2000);
	assert_int_equal(check_sess(big, &i, rte_hash_lookup(big->out_h, &i)),
		check_sess(t, &i, rte_hash_lookup(t->out_h, &i)));
	s = sess_get(big, &e);
	o = sess_get(t, &e);
	assert_int_equal(s->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(s->seen, 90);
	assert_int_equal(s->flags, VXG_CT_F_FIN_ORIG);
	assert_int_equal(s->ext_port, o->ext_port);
	assert_null(sess_get(big, &x));
	/* the old table is untouched: workers may still be reading it */
	assert_int_equal(vxg_nat_count(t), 4);
	/* 40000 towards REMOTE:53 is u's: another inside host's flow gets another port */
	pos = vxg_nat_sess_create(big, &clash, 0, 1, VXG_CT_UDP_NEW, 101);
	assert_int_not_equal(check_sess(big, &clash, pos), 40000);
	assert_int_equal(vxg_nat_clear(big), 4);
	assert_int_equal(rte_hash_count(big->in_h), 0);
	vxg_nat_table_destroy(big);
	vxg_nat_table_destroy(t);
}

/* A smaller table: what fits stays, established and replied sessions first, and the rest
 * is counted. */
static void
test_resize_shrink(void **state)
{
	struct vxg_nat_table *t = table(256, 1024, 65535, qsbr), *small;
	struct vxg_nat_key k[100];
	uint32_t dropped = 0, kept = 0;

	for (unsigned n = 0; n < RTE_DIM(k); n++) {
		k[n] = okey(IPPROTO_UDP, IN_A, (uint16_t)(30000 + n), REMOTE, 53);
		sess_put(t, &k[n], (uint16_t)(30000 + n),
			n % 10 == 0 ? VXG_CT_UDP_REPLIED : VXG_CT_UDP_NEW, 100);
	}
	small = vxg_nat_table_resize(t, 32, 100, &dropped);
	assert_non_null(small);
	assert_int_equal(vxg_nat_count(small), 32);
	assert_int_equal(rte_hash_count(small->in_h), 32);
	assert_int_equal(dropped, 100 - 32);
	for (unsigned n = 0; n < RTE_DIM(k); n++) {
		int32_t pos = rte_hash_lookup(small->out_h, &k[n]);

		if (n % 10 == 0)
			assert_true(pos >= 0); /* every replied one made it */
		if (pos >= 0) {
			assert_int_equal(check_sess(small, &k[n], pos), 30000 + n);
			kept++;
		}
	}
	assert_int_equal(kept, 32);
	vxg_nat_table_destroy(small);
	vxg_nat_table_destroy(t);
}

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
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "512", "-l", "0", "--file-prefix",
		"vxg_test_nat", "--log-level", "*:error", NULL};
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
		cmocka_unit_test(test_port_own_kept),
		cmocka_unit_test(test_port_exhaustion),
		cmocka_unit_test(test_port_stripes),
		cmocka_unit_test(test_icmp_session),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_age_budget),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_resize_grow),
		cmocka_unit_test(test_resize_shrink),
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
	size_t sz;
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_nat: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test_nat", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qsbr = rte_zmalloc("test_nat_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (pool == NULL || qsbr == NULL || rte_rcu_qsbr_init(qsbr, RTE_MAX_LCORE) != 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_free(qsbr);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
