/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet helpers the router and NAT share, on hand-built mbufs: IPv4 header
 * validation and the incremental TTL checksum (vxg_ipv4.h), ICMP errors made in place
 * (lib/icmp.c) and the rate limiter that paces them (lib/ratelimit.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "vxg_icmp.h"
#include "vxg_ipv4.h"
#include "vxg_ratelimit.h"

#include "ip4.h"

static struct rte_mempool *pool;

/* An Ethernet + IPv4 + UDP frame with `payload` bytes. */
static struct rte_mbuf *
udp_frame(uint32_t src, uint32_t dst, uint8_t ttl, uint16_t payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint16_t len = sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
		       sizeof(struct rte_udp_hdr) + payload;
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, len);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(p, 0, len);
	for (uint16_t i = 0; i < payload; i++)
		((uint8_t *)(udp + 1))[i] = i;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(struct rte_ether_hdr));
	ip->packet_id = rte_cpu_to_be_16(0x1234);
	ip->time_to_live = ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(40000);
	udp->dst_port = rte_cpu_to_be_16(33434);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload);
	m->l2_len = sizeof(struct rte_ether_hdr);
	return m;
}

static struct rte_ipv4_hdr *
ip_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
}

static void
ipv4_check(void **state)
{
	struct rte_mbuf *m = udp_frame(IP(10, 2, 0, 12), IP(8, 8, 8, 8), 64, 20);
	struct rte_ipv4_hdr *ip = ip_of(m);

	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_OK);
	ip->version_ihl = 0x65;
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_BAD_HEADER);
	ip->version_ihl = 0x44;
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_BAD_HEADER);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(200);
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_BAD_HEADER);
	ip->total_length = rte_cpu_to_be_16(48);
	ip->hdr_checksum ^= 1;
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_BAD_CHECKSUM);
	rte_pktmbuf_trim(m, m->data_len - 20);
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_BAD_HEADER);
	rte_pktmbuf_free(m);
}

/*
 * The checksum test of a 20-byte header (a sum modulo 0xffff, not folded) agrees with
 * RFC 1071's folded sum on many random headers: three in four with a right checksum (where
 * it is 0x0000 or 0xffff, swapped for the other, the same in one's complement), one in four
 * with one bit of the header flipped, which always shows.
 */
static void
ipv4_check_matches_rfc1071(void **state)
{
	struct rte_mbuf *m = udp_frame(IP(10, 2, 0, 12), IP(8, 8, 8, 8), 64, 20);
	struct rte_ipv4_hdr *ip = ip_of(m);
	uint8_t *p = (uint8_t *)ip;
	uint32_t seed = 12345, ok = 0, bad = 0;

	for (unsigned i = 0; i < 200000; i++) {
		bool want;

		for (unsigned k = 2; k < 20; k++) {
			seed = seed * 1103515245 + 12345;
			p[k] = (uint8_t)(seed >> 16);
		}
		ip->total_length = rte_cpu_to_be_16(48); /* a sane header but for the sums */
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		if (i % 4 == 1) {
			ip->hdr_checksum =
				(rte_be16_t)~ip->hdr_checksum; /* 0 <-> 0xffff: still good */
			if (ip->hdr_checksum != 0 && ip->hdr_checksum != 0xffff)
				ip->hdr_checksum = (rte_be16_t)~ip->hdr_checksum;
		} else if (i % 2 == 1) {
			seed = seed * 1103515245 + 12345;
			p[10 + (seed >> 16) % 10] ^= (uint8_t)(1u << ((seed >> 8) % 8));
		}
		want = rte_raw_cksum(ip, sizeof(*ip)) == 0xffff;
		assert_int_equal(vxg_ipv4_check(m, 14) == VXG_IPV4_OK, want);
		ok += want;
		bad += !want;
	}
	assert_int_equal(ok, 150000);
	assert_int_equal(bad, 50000);
	rte_pktmbuf_free(m);
}

/* The incremental update equals a recomputation for every TTL and many headers,
 * including checksums next to 0x0000 and 0xffff. */
static void
ttl_dec_matches_recompute(void **state)
{
	struct rte_ipv4_hdr ip;

	srand(3);
	for (int i = 0; i < 200000; i++) {
		uint16_t want;

		memset(&ip, 0, sizeof(ip));
		ip.version_ihl = RTE_IPV4_VHL_DEF;
		ip.total_length = rte_cpu_to_be_16(rand());
		ip.packet_id = rand();
		ip.time_to_live = 1 + rand() % 255;
		ip.next_proto_id = rand();
		ip.src_addr = rand();
		ip.dst_addr = rand();
		ip.hdr_checksum = rte_ipv4_cksum(&ip);
		want = ip.time_to_live - 1;
		vxg_ipv4_ttl_dec(&ip);
		assert_int_equal(ip.time_to_live, want);
		assert_int_equal(rte_raw_cksum(&ip, sizeof(ip)), 0xffff);
	}
}

static void
icmp_time_exceeded(void **state)
{
	struct rte_mbuf *m = udp_frame(IP(10, 2, 0, 12), IP(198, 51, 100, 10), 1, 40);
	uint8_t orig[76];
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *ic;

	memcpy(orig, ip_of(m), sizeof(orig));
	assert_true(vxg_icmp_error(m, VXG_ICMP_TIME_EXCEEDED, 0, 0, IP(10, 2, 0, 1)));
	ip = ip_of(m);
	assert_int_equal(m->pkt_len, 14 + 20 + 8 + 68);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 20 + 8 + 68);
	assert_int_equal(ip->next_proto_id, IPPROTO_ICMP);
	assert_int_equal(rte_be_to_cpu_32(ip->src_addr), IP(10, 2, 0, 1));
	assert_int_equal(rte_be_to_cpu_32(ip->dst_addr), IP(10, 2, 0, 12));
	assert_int_equal(vxg_ipv4_check(m, 14), VXG_IPV4_OK);
	ic = (struct rte_icmp_hdr *)(ip + 1);
	assert_int_equal(ic->icmp_type, VXG_ICMP_TIME_EXCEEDED);
	assert_int_equal(ic->icmp_code, 0);
	assert_int_equal(rte_raw_cksum(ic, 8 + 68), 0xffff);
	assert_memory_equal(ic + 1, orig, 68); /* the whole original datagram */
	rte_pktmbuf_free(m);
}

static void
icmp_frag_needed_and_quote_limit(void **state)
{
	struct rte_mbuf *m = udp_frame(IP(10, 2, 0, 12), IP(198, 51, 100, 10), 64, 1400);
	struct rte_icmp_hdr *ic;

	assert_true(vxg_icmp_error(m, VXG_ICMP_DEST_UNREACH, 4, 1450, IP(10, 2, 0, 1)));
	assert_int_equal(rte_be_to_cpu_16(ip_of(m)->total_length), 576);
	ic = (struct rte_icmp_hdr *)(ip_of(m) + 1);
	assert_int_equal(rte_be_to_cpu_16(ic->icmp_seq_nb), 1450); /* next-hop MTU */
	assert_int_equal(ic->icmp_ident, 0);
	assert_int_equal(rte_raw_cksum(ic, 576 - 20), 0xffff);
	rte_pktmbuf_free(m);
}

static void
icmp_error_not_about(void **state)
{
	struct rte_mbuf *m = udp_frame(IP(10, 2, 0, 12), IP(255, 255, 255, 255), 1, 10);
	struct rte_ipv4_hdr *ip;
	uint8_t before[128];

	assert_false(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* broadcast */
	rte_pktmbuf_free(m);
	m = udp_frame(IP(10, 2, 0, 12), IP(224, 0, 0, 5), 1, 10);
	assert_false(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* multicast */
	rte_pktmbuf_free(m);
	m = udp_frame(0, IP(10, 1, 0, 5), 1, 10);
	assert_false(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* unspecified source */
	rte_pktmbuf_free(m);
	m = udp_frame(IP(10, 2, 0, 12), IP(10, 1, 0, 5), 1, 10);
	ip = ip_of(m);
	ip->fragment_offset = rte_cpu_to_be_16(100);
	assert_false(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* non-first fragment */
	ip->fragment_offset = 0;
	ip->next_proto_id = IPPROTO_ICMP;
	((uint8_t *)(ip + 1))[0] = VXG_ICMP_DEST_UNREACH;
	memcpy(before, rte_pktmbuf_mtod(m, void *), m->data_len);
	assert_false(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* an ICMP error */
	assert_memory_equal(before, rte_pktmbuf_mtod(m, void *), m->data_len); /* untouched */
	((uint8_t *)(ip + 1))[0] = RTE_IP_ICMP_ECHO_REQUEST;
	assert_true(vxg_icmp_error(m, 11, 0, 0, IP(10, 2, 0, 1))); /* a ping: yes */
	rte_pktmbuf_free(m);
}

static void
ratelimit(void **state)
{
	struct vxg_ratelimit rl;
	int ok = 0;

	vxg_ratelimit_init(&rl, 1000, 10, 5); /* 1000 ticks a second: a token each 100 */
	for (int i = 0; i < 20; i++)
		ok += vxg_ratelimit_take(&rl, 0);
	assert_int_equal(ok, 5);
	assert_false(vxg_ratelimit_take(&rl, 99));
	assert_true(vxg_ratelimit_take(&rl, 100));
	assert_false(vxg_ratelimit_take(&rl, 150));
	ok = 0;
	for (int i = 0; i < 20; i++)
		ok += vxg_ratelimit_take(&rl, 100000);
	assert_int_equal(ok, 5); /* never more than the burst */

	/* A clock behind the bucket's (another core's TSC) refills nothing: an empty bucket
	 * stays empty, however far behind. */
	assert_false(vxg_ratelimit_take(&rl, 99999));
	assert_false(vxg_ratelimit_take(&rl, 0));
	assert_true(vxg_ratelimit_take(&rl, 100100));
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "512", "-l", "0", "--file-prefix",
		"vxg_test_lib", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_check),
		cmocka_unit_test(ipv4_check_matches_rfc1071),
		cmocka_unit_test(ttl_dec_matches_recompute),
		cmocka_unit_test(icmp_time_exceeded),
		cmocka_unit_test(icmp_frag_needed_and_quote_limit),
		cmocka_unit_test(icmp_error_not_about),
		cmocka_unit_test(ratelimit),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("test_lib", 256, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
