/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture's writer thread (capture_writer.h): rings -> pcapng blocks -> the file, up
 * to the limits; after the end it keeps taking copies off the rings, counted as
 * discarded, so that the workers never find them full because of a capture that is over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "capture/capture_writer.h"

#define WRITER_BATCH 64
/* The writer's nap when every ring is empty: short against a ring's fill time at a
 * line rate it could keep up with (4096 copies at 8 Mpps: 0.5 ms). */
#define WRITER_IDLE_NS 200000

/* Where an enhanced packet block keeps its timestamp (pcapng, section 4.3): two 32-bit
 * words in the writer's byte order, nanoseconds here (the interface blocks say so). */
#define EPB_TS_HIGH 12
#define EPB_TS_LOW 16

void
vxg_capture_writer_clock(struct vxg_capture_writer *wr)
{
	struct timespec ts;

	wr->clock_tsc = rte_get_tsc_cycles();
	clock_gettime(CLOCK_REALTIME, &ts);
	wr->clock_ns = (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* The wall clock of a worker's stamp: whole seconds first, so that nothing overflows. */
static uint64_t
writer_ns(const struct vxg_capture_writer *wr, uint64_t tsc)
{
	uint64_t hz = rte_get_tsc_hz(), d = tsc - wr->clock_tsc;

	return wr->clock_ns + d / hz * NS_PER_S + d % hz * NS_PER_S / hz;
}

/*
 * The pcapng block of copy mc, stamped with the time the worker saw the frame. DPDK
 * 22.11's rte_pcapng_copy converts its timestamp with a base it moves forward in a
 * static, and a timestamp behind that base wraps (copies of several workers arrive out
 * of order): it is given the writer's own monotonic now, which keeps that base sane, and
 * the block's timestamp is then set from the stamp.
 */
static struct rte_mbuf *
writer_block(struct vxg_capture_writer *wr, struct rte_mbuf *mc)
{
	const struct vxg_capture_stamp *st = rte_mbuf_to_priv(mc);
	struct rte_mbuf *b;
	uint64_t ns;
	uint32_t w;

	b = rte_pcapng_copy(st->port, st->queue, mc, wr->pool, wr->snaplen, rte_get_tsc_cycles(),
		st->dir == VXG_CAP_DIR_RX ? RTE_PCAPNG_DIRECTION_IN : RTE_PCAPNG_DIRECTION_OUT);
	if (b == NULL)
		return NULL;
	ns = writer_ns(wr, st->tsc);
	w = (uint32_t)(ns >> 32);
	memcpy(rte_pktmbuf_mtod_offset(b, uint8_t *, EPB_TS_HIGH), &w, sizeof(w));
	w = (uint32_t)ns;
	memcpy(rte_pktmbuf_mtod_offset(b, uint8_t *, EPB_TS_LOW), &w, sizeof(w));
	return b;
}

static void
writer_end(struct vxg_capture_writer *wr, int end, int error)
{
	wr->error = error;
	__atomic_store_n(&wr->end, end, __ATOMIC_RELEASE);
}

/* Write blocks out[0..n), len bytes in all, and free them. */
static void
writer_flush(struct vxg_capture_writer *wr, struct rte_mbuf **out, unsigned n, uint64_t len)
{
	/* DPDK 22.11's rte_pcapng_write_packets does not free the blocks, whatever its
	 * documentation says (dpdk-dumpcap frees them after it too). */
	ssize_t ret = rte_pcapng_write_packets(wr->pcapng, out, n);

	rte_pktmbuf_free_bulk(out, n);
	if (ret == (ssize_t)len) {
		wr->written += n;
		wr->bytes += len;
		return;
	}
	/* A failed or short write: the file ends there (a short one leaves a block cut
	 * short, which readers report as a truncated last packet). */
	if (ret > 0)
		wr->bytes += ret;
	wr->discarded += n;
	writer_end(wr, VXG_CAP_END_ERROR, ret < 0 ? rte_errno : ENOSPC);
}

/* The copies in[0..n): into the file as far as the limits allow; all freed. */
static void
writer_write(struct vxg_capture_writer *wr, struct rte_mbuf **in, unsigned n)
{
	struct rte_mbuf *out[WRITER_BATCH];
	int end = VXG_CAP_END_NONE;
	unsigned no = 0, i;
	uint64_t len = 0;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *b;

		if (wr->max_packets != 0 && wr->written + no >= wr->max_packets) {
			end = VXG_CAP_END_PACKETS;
			break;
		}
		b = writer_block(wr, in[i]);
		if (b == NULL) { /* the pool holds two batches: not expected, but counted */
			wr->discarded++;
			continue;
		}
		if (wr->bytes + len + rte_pktmbuf_pkt_len(b) > wr->max_bytes) {
			rte_pktmbuf_free(b);
			end = VXG_CAP_END_BYTES;
			break;
		}
		len += rte_pktmbuf_pkt_len(b);
		out[no++] = b;
	}
	wr->discarded += n - i;
	rte_pktmbuf_free_bulk(in, n);
	if (no > 0)
		writer_flush(wr, out, no, len);
	if (end == VXG_CAP_END_NONE && wr->max_packets != 0 && wr->written >= wr->max_packets)
		end = VXG_CAP_END_PACKETS;
	if (end != VXG_CAP_END_NONE && wr->end == VXG_CAP_END_NONE)
		writer_end(wr, end, 0);
}

unsigned
vxg_capture_writer_pass(struct vxg_capture_writer *wr)
{
	struct rte_mbuf *in[WRITER_BATCH];
	unsigned total = 0;

	for (unsigned k = 0; k < vxg_capture_slots(wr->cap); k++) {
		unsigned n = rte_ring_sc_dequeue_burst(
			wr->cap->wk[k].ring, (void **)in, WRITER_BATCH, NULL);

		if (n == 0)
			continue;
		total += n;
		if (wr->end == VXG_CAP_END_NONE) {
			writer_write(wr, in, n);
		} else {
			wr->discarded += n;
			rte_pktmbuf_free_bulk(in, n);
		}
	}
	return total;
}

static void *
writer_main(void *arg)
{
	struct vxg_capture_writer *wr = arg;
	const struct timespec nap = {0, WRITER_IDLE_NS};

	for (;;) {
		/* Read before the pass: once drain is set no copy arrives, so an empty pass
		 * after seeing it means the rings are empty for good. */
		bool last = __atomic_load_n(&wr->drain, __ATOMIC_ACQUIRE);

		if (vxg_capture_writer_pass(wr) > 0)
			continue;
		if (last)
			break;
		nanosleep(&nap, NULL);
	}
	rte_pcapng_close(wr->pcapng); /* closes the file: it may wait on the disk too */
	wr->pcapng = NULL;
	__atomic_store_n(&wr->done, true, __ATOMIC_RELEASE);
	return NULL;
}

int
vxg_capture_writer_start(struct vxg_capture_writer *wr, char *err, size_t errlen)
{
	int ret = rte_ctrl_thread_create(&wr->thread, "vxg-capture", NULL, writer_main, wr);

	if (ret != 0) {
		ret = ret > 0 ? ret : -ret;
		snprintf(
			err, errlen, "cannot start the capture's writer thread: %s", strerror(ret));
		return -ret;
	}
	wr->started = true;
	return 0;
}

void
vxg_capture_writer_join(struct vxg_capture_writer *wr)
{
	if (!wr->started)
		return;
	pthread_join(wr->thread, NULL);
	wr->started = false;
}
