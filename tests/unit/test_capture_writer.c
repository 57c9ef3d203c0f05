/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture from the worker's tap to the file: vxg_capture_tap on hand-built
 * frames (ports and directions captured or not, the filter, a full ring, an empty pool;
 * the frames themselves untouched), then the writer (its thread, or its passes) into a
 * real pcapng file that libpcap reads back: every frame, byte for byte, at the time the
 * worker saw it, cut at snaplen, and the limits (max-packets, max-bytes) kept exactly.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "capture/capture_feature.h"
#include "capture/capture_writer.h"
#include "vxg_capture.h"

#include "capture_fixture.h"

#define RX VXG_CAP_BIT(VXG_CAP_DIR_RX)
#define TX VXG_CAP_BIT(VXG_CAP_DIR_TX)

static struct rte_mempool *pool;
static struct vxg_capture *cap;
static char path[64];
static unsigned seq;

static int
setup(void **state)
{
	char err[256];

	cap = vxg_capture_alloc(2, 1024, err, sizeof(err));
	if (cap == NULL)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "/tmp/vxg-test-capture-%d.pcapng", getpid());
	return 0;
}

static int
teardown(void **state)
{
	vxg_capture_free_shared(cap);
	rte_free(cap);
	unlink(path);
	return 0;
}

/* n frames of f (split: 0 one segment), into pkts. */
static void
burst_of(struct rte_mbuf **pkts, unsigned n, const struct frame *f, uint16_t split)
{
	for (unsigned i = 0; i < n; i++) {
		pkts[i] = frame_mbuf(pool, f, split);
		assert_non_null(pkts[i]);
	}
}

static void
free_burst(struct rte_mbuf **pkts, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		/* untouched: still ours alone */
		assert_int_equal(rte_mbuf_refcnt_read(pkts[i]), 1);
		rte_pktmbuf_free(pkts[i]);
	}
}

/* Only the ports and directions captured, only what the filter takes; counted per worker
 * and direction; each copy stamped with where it was seen; the frames untouched. */
static void
test_tap(void **state)
{
	struct frame udp = frame_make(F_UDP, 0, 40000, 4789, 30),
		     arp = frame_make(F_ARP, 0, 0, 0, 0);
	struct rte_mbuf *pkts[4], *copy = NULL;
	struct vxg_capture_stamp *st;
	char err[256];

	assert_int_equal(vxg_filter_compile("udp", &cap->filter, err, sizeof(err)), 0);
	cap->dir[0] = RX;
	cap->dir[1] = RX | TX;
	burst_of(pkts, 2, &udp, 0);
	burst_of(pkts + 2, 2, &arp, 0);
	vxg_capture_tap(cap, 0, 0, 3, pkts, 4, VXG_CAP_DIR_RX);
	vxg_capture_tap(cap, 0, 0, 3, pkts, 4, VXG_CAP_DIR_TX); /* not captured */
	vxg_capture_tap(cap, 1, 1, 1, pkts, 4, VXG_CAP_DIR_TX);
	vxg_capture_tap(cap, 1, 2, 1, pkts, 4, VXG_CAP_DIR_RX); /* not captured */
	assert_memory_equal(&cap->wk[0].ctr[VXG_CAP_DIR_RX],
		(&(struct vxg_capture_ctr){.captured = 2, .filtered = 2}),
		sizeof(struct vxg_capture_ctr));
	assert_memory_equal(&cap->wk[1].ctr[VXG_CAP_DIR_TX],
		(&(struct vxg_capture_ctr){.captured = 2, .filtered = 2}),
		sizeof(struct vxg_capture_ctr));
	assert_int_equal(cap->wk[0].ctr[VXG_CAP_DIR_TX].filtered, 0);
	assert_int_equal(cap->wk[1].ctr[VXG_CAP_DIR_RX].filtered, 0);
	assert_int_equal(rte_ring_count(cap->wk[0].ring), 2);
	assert_int_equal(rte_ring_count(cap->wk[1].ring), 2);
	assert_int_equal(rte_ring_sc_dequeue(cap->wk[1].ring, (void **)&copy), 0);
	st = rte_mbuf_to_priv(copy);
	assert_int_equal(st->port, 1);
	assert_int_equal(st->queue, 1);
	assert_int_equal(st->dir, VXG_CAP_DIR_TX);
	assert_int_equal(rte_pktmbuf_pkt_len(copy), udp.len);
	assert_memory_equal(rte_pktmbuf_mtod(copy, void *), udp.b, udp.len);
	rte_pktmbuf_free(copy);
	free_burst(pkts, 4);
}

/* A full ring and an empty pool lose the copy, counted; never the frame. */
static void
test_ring_full_pool_empty(void **state)
{
	struct frame udp = frame_make(F_UDP, 0, 1, 2, 10);
	struct vxg_capture *small;
	struct rte_mbuf *pkts[256];
	char err[256];
	unsigned sent = 0;

	cap->dir[0] = RX;
	burst_of(pkts, 256, &udp, 0);
	while (sent < VXG_CAPTURE_RING + 100) {
		vxg_capture_tap(cap, 0, 0, 0, pkts, 100, VXG_CAP_DIR_RX);
		sent += 100;
	}
	/* the ring holds one less than its size; the pool (1024) runs out first */
	assert_int_equal(
		cap->wk[0].ctr[VXG_CAP_DIR_RX].captured + cap->wk[0].ctr[VXG_CAP_DIR_RX].pool_empty,
		sent);
	assert_true(cap->wk[0].ctr[VXG_CAP_DIR_RX].pool_empty >= sent - 1024);
	assert_int_equal(cap->wk[0].ctr[VXG_CAP_DIR_RX].ring_full, 0);

	small = vxg_capture_alloc(1, 2 * VXG_CAPTURE_RING, err, sizeof(err));
	assert_non_null(small);
	small->dir[0] = RX;
	for (sent = 0; sent < VXG_CAPTURE_RING + 256; sent += 256)
		vxg_capture_tap(small, 0, 0, 0, pkts, 256, VXG_CAP_DIR_RX);
	assert_int_equal(small->wk[0].ctr[VXG_CAP_DIR_RX].captured, VXG_CAPTURE_RING - 1);
	assert_int_equal(small->wk[0].ctr[VXG_CAP_DIR_RX].ring_full, sent - (VXG_CAPTURE_RING - 1));
	assert_int_equal(small->wk[0].ctr[VXG_CAP_DIR_RX].pool_empty, 0);
	vxg_capture_free_shared(small); /* frees the copies left on its ring */
	rte_free(small);
	free_burst(pkts, 256);
}

/* The writer of the file at `path`, set up as a capture start sets it. */
static void
writer_open(
	struct vxg_capture_writer *wr, uint32_t snaplen, uint64_t max_packets, uint64_t max_bytes)
{
	char name[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	*wr = (struct vxg_capture_writer){
		.cap = cap, .snaplen = snaplen, .max_packets = max_packets, .max_bytes = max_bytes};
	vxg_capture_writer_clock(wr);
	snprintf(name, sizeof(name), "test_capw%u", seq++);
	wr->pool = rte_pktmbuf_pool_create_by_ops(
		name, 255, 0, 0, rte_pcapng_mbuf_size(RTE_MIN(snaplen, 2048u)), 0, "ring_sp_sc");
	assert_non_null(wr->pool);
	wr->pcapng = rte_pcapng_fdopen(fd, NULL, NULL, "test_capture_writer", NULL);
	assert_non_null(wr->pcapng);
	wr->bytes = (uint64_t)lseek(fd, 0, SEEK_CUR);
}

static void
writer_close(struct vxg_capture_writer *wr)
{
	if (wr->pcapng != NULL)
		rte_pcapng_close(wr->pcapng);
	rte_mempool_free(wr->pool);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* The file read back: n frames, frame i as want[i % nwant] cut at snaplen; each stamped
 * between t0 and t1 (give or take a millisecond: the writer's clock is its own reading of
 * the TSC and the wall clock, made a moment apart). */
static void
read_back(unsigned n, const struct frame *want, unsigned nwant, uint32_t snaplen, uint64_t t0,
	uint64_t t1)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned got = 0;

	if (p == NULL)
		fail_msg("libpcap cannot read %s: %s", path, err);
	while (pcap_next_ex(p, &h, &data) == 1) {
		const struct frame *f = &want[got % nwant];
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000 + (uint64_t)h->ts.tv_usec;

		assert_int_equal(h->len, f->len);
		assert_int_equal(h->caplen, RTE_MIN(f->len, snaplen));
		assert_memory_equal(data, f->b, h->caplen);
		if (ts + 1000000 < t0 || ts > t1 + 1000000)
			fail_msg("frame %u stamped %" PRIu64 ", outside [%" PRIu64 ", %" PRIu64 "]",
				got, ts, t0, t1);
		got++;
	}
	assert_int_equal(got, n);
	pcap_close(p);
}

/* Frames of both directions, of two workers and the control thread, one split over two
 * segments, through the writer's thread:
 * the file holds each, as seen and when seen; its size is what the writer counted. */
static void
test_writer_file(void **state)
{
	const struct frame f[3] = {frame_make(F_UDP, 0, 40000, 4789, 100),
		frame_make(F_ICMP, 7, 0, 0, 200), frame_make(F_ARP, 0, 0, 0, 0)};
	struct vxg_capture_writer wr;
	struct rte_mbuf *pkts[3];
	struct stat sb;
	uint64_t t0, t1;
	char err[128];

	cap->dir[0] = RX | TX;
	cap->dir[1] = RX | TX;
	writer_open(&wr, VXG_CAPTURE_SNAPLEN_DEFAULT, 0, UINT64_MAX);
	assert_int_equal(vxg_capture_writer_start(&wr, err, sizeof(err)), 0);
	t0 = now_ns();
	for (unsigned i = 0; i < 3; i++)
		pkts[i] = frame_mbuf(pool, &f[i], i == 1 ? 30 : 0);
	/* worker 0 sends, worker 1 receives, the control thread (slot 2) sends */
	for (unsigned k = 0; k < 10; k++)
		vxg_capture_tap(cap, k % 3, k % 2, 0, pkts, 3,
			k % 3 == 1 ? VXG_CAP_DIR_RX : VXG_CAP_DIR_TX);
	t1 = now_ns();
	/* Every copy is on a ring, no one will add one: drain, close, return. */
	__atomic_store_n(&wr.drain, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&wr.done, __ATOMIC_ACQUIRE))
		usleep(1000);
	vxg_capture_writer_join(&wr);
	assert_null(wr.pcapng); /* closed by the thread */
	assert_int_equal(wr.written, 30);
	assert_int_equal(wr.discarded, 0);
	assert_int_equal(wr.end, VXG_CAP_END_NONE);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(wr.bytes, (uint64_t)sb.st_size);
	/* each worker's frames in order; the two rings may interleave, one kind each */
	read_back(30, f, 3, UINT32_MAX, t0, t1);
	writer_close(&wr);
	free_burst(pkts, 3);
}

/* snaplen cuts the frame, not its length; max-packets stops at exactly that many, the
 * copies after it discarded and counted. */
static void
test_writer_snaplen_max_packets(void **state)
{
	const struct frame f = frame_make(F_UDP, 0, 40000, 4789, 150);
	struct vxg_capture_writer wr;
	struct rte_mbuf *pkts[8];
	uint64_t t0 = now_ns();

	cap->dir[0] = RX;
	writer_open(&wr, 64, 5, UINT64_MAX);
	burst_of(pkts, 8, &f, 0);
	vxg_capture_tap(cap, 0, 0, 0, pkts, 8, VXG_CAP_DIR_RX);
	assert_int_equal(vxg_capture_writer_pass(&wr), 8);
	assert_int_equal(wr.written, 5);
	assert_int_equal(wr.discarded, 3);
	assert_int_equal(wr.end, VXG_CAP_END_PACKETS);
	/* after the end: taken off the ring and discarded, the file as it was */
	vxg_capture_tap(cap, 0, 0, 0, pkts, 8, VXG_CAP_DIR_RX);
	assert_int_equal(vxg_capture_writer_pass(&wr), 8);
	assert_int_equal(wr.written, 5);
	assert_int_equal(wr.discarded, 11);
	rte_pcapng_close(wr.pcapng);
	wr.pcapng = NULL;
	read_back(5, &f, 1, 64, t0, now_ns());
	writer_close(&wr);
	free_burst(pkts, 8);
}

/* max-bytes: the file never passes it; the block that would is the end. */
static void
test_writer_max_bytes(void **state)
{
	const struct frame f = frame_make(F_UDP, 0, 40000, 4789, 100);
	struct vxg_capture_writer wr;
	struct rte_mbuf *pkts[8];
	uint64_t block, t0 = now_ns();
	struct stat sb;

	cap->dir[0] = RX;
	writer_open(&wr, VXG_CAPTURE_SNAPLEN_DEFAULT, 0, UINT64_MAX);
	burst_of(pkts, 8, &f, 0);
	vxg_capture_tap(cap, 0, 0, 0, pkts, 1, VXG_CAP_DIR_RX);
	block = wr.bytes;
	vxg_capture_writer_pass(&wr);
	block = wr.bytes - block; /* one block's size */
	wr.max_bytes = wr.bytes + 2 * block + block / 2;
	vxg_capture_tap(cap, 0, 0, 0, pkts, 8, VXG_CAP_DIR_RX);
	vxg_capture_writer_pass(&wr);
	assert_int_equal(wr.written, 3);
	assert_int_equal(wr.discarded, 6);
	assert_int_equal(wr.end, VXG_CAP_END_BYTES);
	rte_pcapng_close(wr.pcapng);
	wr.pcapng = NULL;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(wr.bytes, (uint64_t)sb.st_size);
	assert_true(wr.bytes <= wr.max_bytes);
	read_back(3, &f, 1, UINT32_MAX, t0, now_ns());
	writer_close(&wr);
	free_burst(pkts, 8);
}

int
main(int argc, char **argv)
{
	/* Two ports: rte_pcapng_fdopen writes an interface block for each. */
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "256", "-l", "0", "--vdev",
		"net_null0", "--vdev", "net_null1", "--file-prefix", "vxg_test_capture_writer",
		"--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full_pool_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_snaplen_max_packets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_max_bytes, setup, teardown),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	pool = rte_pktmbuf_pool_create("test_cap_frames", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
