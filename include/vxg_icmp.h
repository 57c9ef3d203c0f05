/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors as a router sends them (RFC 792, 1191, 1812), built in place in the packet
 * they are about. Both threads build them: workers for what they route (TTL, no route,
 * too big), control for what reaches the router itself (port unreachable).
 *
 * Thread-safety: touches only the packet it is given. Defined in lib/icmp.c.
 */
#ifndef VXG_ICMP_H
#define VXG_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

/* ICMP errors a router sends. */
#define VXG_ICMP_DEST_UNREACH 3
#define VXG_ICMP_NET_UNREACH 0 /* code: no route */
#define VXG_ICMP_HOST_UNREACH 1 /* code: no ARP answer */
#define VXG_ICMP_FRAG_NEEDED 4 /* code: DF set and too big; info = next-hop MTU */
#define VXG_ICMP_TIME_EXCEEDED 11

/*
 * Turn m, whose IPv4 header is at m->l2_len, into an ICMP error about it from `src`
 * (host order) to its source, in place: no allocation. The quote is the original header
 * and as much of its payload as fits in 576 bytes (RFC 1812 4.3.2.3). `info` is the
 * second word of the ICMP header (the next-hop MTU for "fragmentation needed", RFC 1191).
 * The L2 header room is kept in front (m->l2_len bytes) for the caller to fill.
 * Returns false, leaving m as it was, when no error may be sent about it (RFC 1812
 * 4.3.2.7): it is an ICMP error itself, a non-first fragment, or to or from a broadcast,
 * multicast or unspecified address.
 */
bool vxg_icmp_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t info, uint32_t src);

#endif
