/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface feature (`host`): with vtep.evpn on and in-band (the default), a tap
 * in vxgate's namespace stands for the underlay interface, so that FRR there speaks BGP
 * through the DPDK underlay port. Workers punt what the underlay brings for the VTEP
 * address that vxgate does not handle itself (VXG_PUNT_HOST, vxg_host.h); control writes
 * it to the tap, and sends what the kernel writes there out of the underlay port. What
 * `show host` and the metrics read is exported here.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_HOST_FEATURE_H
#define VXG_HOST_FEATURE_H

#include <stdbool.h>
#include <stdint.h>

#include "host/host_tap.h"

/* What control drops on the way to or from the tap, by reason. */
#define VXG_HOST_DROPS(X)                                                                  \
	X(no_tap, "to the tap, while there was none (a reload removing or remaking it)")   \
	X(tap_full, "to the tap, which took no more (the kernel's backlog is full)")       \
	X(tap_error, "to or from the tap, another error of write or read")                 \
	X(not_ipv4, "from the tap, neither IPv4 nor ARP (the underlay is IPv4 only)")      \
	X(bad_length, "from the tap, shorter than Ethernet or longer than the MTU allows") \
	X(no_mbuf, "from the tap, no mbuf to send it in")                                  \
	X(tx_full, "from the tap, the underlay port's queue (or worker 0's ring) was full")

enum vxg_host_drop {
#define VXG_HOST_DROP_ENUM(name, help) VXG_HOST_DROP_##name,
	VXG_HOST_DROPS(VXG_HOST_DROP_ENUM)
#undef VXG_HOST_DROP_ENUM
		VXG_HOST_DROP_MAX
};

extern const char *const vxg_host_drop_names[VXG_HOST_DROP_MAX];
extern const char *const vxg_host_drop_help[VXG_HOST_DROP_MAX];

struct vxg_host_stats {
	uint64_t to_tap, to_tap_bytes; /* written to the tap */
	uint64_t from_tap, from_tap_bytes; /* read from it and sent out of the underlay */
	uint64_t arp_copies; /* ARP for the tap's address copied to it (also answered) */
	/* the kernel's ARP replies not sent: vxgate has answered the request already */
	uint64_t arp_replies_skipped;
	uint64_t drops[VXG_HOST_DROP_MAX];
};

const struct vxg_host_stats *vxg_host_stats(void);

/* The tap as applied, NULL when there is none. */
const struct vxg_host_tap *vxg_host_tap(void);

#endif
