/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker counters and the named drop reasons.
 *
 * Thread-safety: each worker writes only its own struct vxg_worker_stats, with plain
 * stores (no atomics), flushed once per burst. Control, the shell and telemetry read them
 * racily: a 64-bit aligned load on x86-64 is never torn, and a counter read a burst late
 * is fine. `clear stats` never writes to them: control keeps a baseline and subtracts it.
 */
#ifndef VXG_STATS_H
#define VXG_STATS_H

#include <stdint.h>

#include <rte_common.h>

/* One line per reason: the name shown by `show stats` and its meaning. Keep the names
 * stable: scripts and tests grep for them. */
#define VXG_DROP_REASONS(X)                                                                  \
	X(eth_truncated, "frame shorter than its Ethernet/802.1Q header")                    \
	X(eth_src_multicast, "source MAC is multicast or broadcast")                         \
	X(vlan_unknown, "802.1Q tag on an interface that carries no such VLAN")              \
	X(not_for_us, "unicast to a MAC that is not this interface's on a routed interface") \
	X(ethertype_unknown, "ethertype that this interface's role does not handle")         \
	X(no_stage, "traffic whose forwarding stage is not built yet for this role")         \
	X(tx_full, "transmit queue full")                                                    \
	X(punt_full, "worker-to-control ring full")

enum vxg_drop_reason {
#define VXG_DROP_ENUM(name, help) VXG_DROP_##name,
	VXG_DROP_REASONS(VXG_DROP_ENUM)
#undef VXG_DROP_ENUM
		VXG_DROP_MAX
};

extern const char *const vxg_drop_names[VXG_DROP_MAX];
extern const char *const vxg_drop_help[VXG_DROP_MAX];

struct vxg_worker_stats {
	uint64_t rx; /* packets received */
	uint64_t tx; /* packets handed to a NIC that accepted them */
	uint64_t punted; /* packets sent to the control thread */
	uint64_t iterations; /* loop passes */
	uint64_t busy_cycles; /* TSC cycles of passes that received packets */
	uint64_t idle_cycles; /* TSC cycles of passes that received nothing, sleeps included */
	uint64_t drops[VXG_DROP_MAX];
} __rte_cache_aligned;

static inline uint64_t
vxg_stats_drops_total(const struct vxg_worker_stats *s)
{
	uint64_t t = 0;
	for (unsigned i = 0; i < VXG_DROP_MAX; i++)
		t += s->drops[i];
	return t;
}

#endif
