/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What NAT's tests share (test_nat_rewrite.c, test_nat_table.c, test_nat_stages.c): the
 * test's own mbuf pool and a QSBR with no reader; TCP, UDP, ICMP echo and ICMP error
 * packets built from scratch with every checksum computed in full, to compare translated
 * packets with; and session keys and tables, with a check that a session is published
 * under both its keys.
 */
#ifndef VXG_TEST_NAT_FIXTURE_H
#define VXG_TEST_NAT_FIXTURE_H

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

#include "nat/nat_out.h"
#include "nat/nat_rewrite.h"
#include "nat/nat_table.h"
#include "sg/conntrack.h"
#include "vxg_ct.h"
#include "vxg_nat.h"

#include "dp_fixture.h"
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

/* ---- sessions ----------------------------------------------------------------------------- */

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

/* The EAL, the test's pool and QSBR, as each NAT test's main starts: 0, or -1. */
static int
nat_init(const char *argv0, const char *prefix)
{
	char *eal[] = {(char *)argv0, "--no-huge", "--no-pci", "-m", "512", "-l", "0",
		"--file-prefix", (char *)prefix, "--log-level", "*:error", NULL};
	size_t sz;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "%s: EAL init failed: %s\n", prefix, rte_strerror(rte_errno));
		return -1;
	}
	pool = rte_pktmbuf_pool_create("test_nat", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qsbr = rte_zmalloc("test_nat_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (pool == NULL || qsbr == NULL || rte_rcu_qsbr_init(qsbr, RTE_MAX_LCORE) != 0)
		return -1;
	return 0;
}

static void
nat_fini(void)
{
	rte_free(qsbr);
	rte_mempool_free(pool);
	rte_eal_cleanup();
}

#endif
