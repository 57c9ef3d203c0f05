/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A packet filter as the workers run it: a tcpdump expression that control compiled with
 * libpcap, converted to eBPF (rte_bpf_convert) and loaded with rte_bpf_load
 * (control/capture/capture_filter.h), with the native code of DPDK's JIT when it has one
 * for this CPU. Packet capture runs it on every frame of a captured port.
 *
 * Thread-safety: built by control before any worker can see it, then read-only. The eBPF
 * interpreter and the JIT code keep no state of their own, so any number of workers run
 * one filter at once. Control destroys it only once no worker can still read it (the
 * capture that holds it is gone and every worker has been quiescent since).
 */
#ifndef VXG_BPF_H
#define VXG_BPF_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_bpf.h>
#include <rte_mbuf.h>

struct vxg_bpf {
	struct rte_bpf *bpf; /* NULL: no filter, every frame matches */
	uint64_t (*jit)(void *ctx); /* bpf's native code; NULL: rte_bpf_exec interprets it */
};

/* Does frame m (Ethernet first, any number of segments) match f? A load past the frame's
 * end makes the program return 0, as in the kernel: no match. */
static inline bool
vxg_bpf_match(const struct vxg_bpf *f, struct rte_mbuf *m)
{
	if (f->bpf == NULL)
		return true;
	if (f->jit != NULL)
		return f->jit(m) != 0;
	return rte_bpf_exec(f->bpf, m) != 0;
}

#endif
