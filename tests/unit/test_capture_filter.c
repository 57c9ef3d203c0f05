/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture filters (control/capture/capture_filter.c): tcpdump expressions compiled by
 * libpcap and run by DPDK's eBPF on mbufs. Good expressions compile and bad ones are
 * refused with libpcap's own message; on hand-built frames (tagged or not, truncated,
 * split over two segments) and on thousands of mutated ones, what vxg_bpf_match says is
 * what libpcap's own interpreter (pcap_offline_filter) says on the same bytes, with the
 * JIT and with the interpreter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "capture/capture_filter.h"
#include "vxg_bpf.h"

#include "capture_fixture.h"

static struct rte_mempool *pool;

static const char *const filters[] = {
	"udp port 4789",
	"icmp",
	"arp",
	"vlan 7 and udp",
	"udp and src port 40000 and dst port 5001",
	"ip src 172.16.0.2 and not udp",
	"ether src 02:00:ac:10:00:02",
	"udp[8:2] = 0x0001",
	"greater 100",
	"tcp or (udp dst port 53)",
};

/* libpcap's verdict on f's bytes: the reference. */
static bool
pcap_says(const char *expr, const struct frame *f)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	struct pcap_pkthdr h = {.caplen = f->len, .len = f->len};
	struct bpf_program prog;
	bool match;

	assert_int_equal(pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN), 0);
	match = pcap_offline_filter(&prog, &h, f->b) != 0;
	pcap_freecode(&prog);
	pcap_close(p);
	return match;
}

/* vxg_bpf_match on f, in an mbuf cut at split; with the JIT, then interpreted. */
static void
check_frame(const char *expr, struct vxg_bpf *bf, const struct frame *f, uint16_t split)
{
	struct vxg_bpf interp = {bf->bpf, NULL};
	struct rte_mbuf *m = frame_mbuf(pool, f, split);
	bool want = pcap_says(expr, f);

	assert_non_null(m);
	if (vxg_bpf_match(bf, m) != want || vxg_bpf_match(&interp, m) != want)
		fail_msg("\"%s\" on a %u-byte frame cut at %u: libpcap says %d, jit %d, "
			 "interpreter %d",
			expr, f->len, split, want, vxg_bpf_match(bf, m), vxg_bpf_match(&interp, m));
	rte_pktmbuf_free(m);
}

static void
test_compiles(void **state)
{
	char err[512];

	for (unsigned i = 0; i < RTE_DIM(filters); i++) {
		struct vxg_bpf f;

		err[0] = '\0';
		if (vxg_filter_compile(filters[i], &f, err, sizeof(err)) != 0)
			fail_msg("\"%s\": %s", filters[i], err);
		assert_non_null(f.bpf);
#ifdef RTE_ARCH_X86_64
		assert_non_null(f.jit); /* DPDK has a JIT for x86-64: the workers run native code */
#endif
		vxg_filter_free(&f);
		assert_null(f.bpf);
	}
}

/* No expression: no filter, every frame matches. */
static void
test_empty(void **state)
{
	struct frame fr = frame_make(F_ARP, 0, 0, 0, 0);
	struct rte_mbuf *m = frame_mbuf(pool, &fr, 0);
	struct vxg_bpf f = {(void *)1, NULL};
	char err[64];

	assert_int_equal(vxg_filter_compile("  ", &f, err, sizeof(err)), 0);
	assert_null(f.bpf);
	assert_true(vxg_bpf_match(&f, m));
	vxg_filter_free(&f);
	rte_pktmbuf_free(m);
}

/* Refused with what libpcap said, naming the expression; nothing made. */
static void
test_refused(void **state)
{
	static const struct {
		const char *expr, *says;
	} bad[] = {
		{"udp prot 53", "syntax error"},
		{"port 70000", "70000"},
		{"ether host 02:00", "illegal link layer address"},
		{"udp and", "syntax error"},
		{"vlan 5000", "5000"},
	};
	char err[512], want[128];

	for (unsigned i = 0; i < RTE_DIM(bad); i++) {
		struct vxg_bpf f = {NULL, NULL};

		assert_int_equal(vxg_filter_compile(bad[i].expr, &f, err, sizeof(err)), -EINVAL);
		snprintf(want, sizeof(want), "filter \"%s\": ", bad[i].expr);
		if (strncmp(err, want, strlen(want)) != 0 || strstr(err, bad[i].says) == NULL)
			fail_msg("\"%s\": %s", bad[i].expr, err);
		assert_null(f.bpf);
	}
}

/* The hand-built frames, whole and split at every offset up to the headers' end. */
static void
test_hand_built(void **state)
{
	const struct frame frames[] = {
		frame_make(F_UDP, 0, 40000, 4789, 16), frame_make(F_UDP, 0, 40000, 5001, 60),
		frame_make(F_UDP, 7, 40000, 4789, 4), frame_make(F_UDP, 0, 1234, 53, 0),
		frame_make(F_ICMP, 0, 0, 0, 32), frame_make(F_ICMP, 7, 0, 0, 32),
		frame_make(F_ARP, 0, 0, 0, 0),
		{.len = 10, .b = {0x02, 0, 0xac, 0x10, 0, 0x01, 0x02}}, /* truncated */
	};

	for (unsigned i = 0; i < RTE_DIM(filters); i++) {
		struct vxg_bpf bf;
		char err[256];

		assert_int_equal(vxg_filter_compile(filters[i], &bf, err, sizeof(err)), 0);
		for (unsigned k = 0; k < RTE_DIM(frames); k++)
			for (uint16_t split = 0; split < 48 && split < frames[k].len; split++)
				check_frame(filters[i], &bf, &frames[k], split);
		vxg_filter_free(&bf);
	}
}

/* Frames mutated at random (bytes flipped, cut short), each filter: libpcap's verdict. */
static void
test_mutated(void **state)
{
	unsigned matched = 0, seed = 1;

	for (unsigned i = 0; i < RTE_DIM(filters); i++) {
		struct vxg_bpf bf;
		char err[256];

		assert_int_equal(vxg_filter_compile(filters[i], &bf, err, sizeof(err)), 0);
		for (unsigned n = 0; n < 300; n++) {
			struct frame f = frame_make(
				n % 3 == 0 ? F_ICMP : F_UDP, n % 4 == 0 ? 7 : 0, 40000, 4789, 40);

			for (unsigned b = 0; b < 3; b++)
				f.b[rand_r(&seed) % f.len] ^= (uint8_t)(1u << (rand_r(&seed) % 8));
			if (n % 5 == 0)
				f.len = (uint16_t)(1 + rand_r(&seed) % f.len);
			matched += pcap_says(filters[i], &f);
			check_frame(filters[i], &bf, &f, n % 2 ? 0 : (uint16_t)(n % 40));
		}
		vxg_filter_free(&bf);
	}
	/* The mutations leave most frames matching some filters, not all: a real test. */
	assert_true(matched > 300 && matched < 2700);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "128", "-l", "0", "--file-prefix",
		"vxg_test_capture_filter", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compiles),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_mutated),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("test_cap_filter", 512, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
