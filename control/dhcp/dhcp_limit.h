/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP servers' rate limiter, shared by DHCPv4 and DHCPv6: a token bucket per client
 * (keyed by the frame's source MAC: what a port can send, not a field it chooses) and a
 * global cap.
 *
 * Client buckets live in a set-associative table of SETS x WAYS; a bucket that has filled
 * up again holds nothing a new one would not, so only such idle clients are evicted: a
 * client that has spent tokens keeps its bucket whatever MACs come after it, colliding or
 * flooding. A new MAC whose set holds only busy clients is served from one shared bucket
 * for new clients, untracked, and refused (LIMIT_TABLE_FULL) when that is empty.
 *
 * Thread-safety: control thread only; each service owns its limiter.
 */
#ifndef VXG_DHCP_LIMIT_H
#define VXG_DHCP_LIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_ether.h>

#define VXG_DHCP_LIMIT_SETS 8192
#define VXG_DHCP_LIMIT_WAYS 8
#define VXG_DHCP_LIMIT_NEW_RATE 100 /* new clients' messages per second, bursts as many */

struct vxg_dhcp_bucket {
	struct rte_ether_addr mac;
	bool used;
	uint32_t tokens;
	time_t last;
};

struct vxg_dhcp_limiter {
	uint32_t global_rate; /* messages a second, every client together; 0: no cap */
	uint32_t client_rate; /* per client, bursts of twice as many; 0: no limit */
	struct vxg_dhcp_bucket global;
	struct vxg_dhcp_bucket newcomers; /* new clients that found no idle slot */
	struct vxg_dhcp_bucket rl[VXG_DHCP_LIMIT_SETS][VXG_DHCP_LIMIT_WAYS];
};

enum vxg_dhcp_limit {
	VXG_DHCP_LIMIT_OK,
	VXG_DHCP_LIMIT_CLIENT, /* the client sent more than its rate */
	VXG_DHCP_LIMIT_TABLE_FULL, /* a new MAC, no idle slot, the new clients' bucket spent */
	VXG_DHCP_LIMIT_GLOBAL, /* all clients together exceeded the cap */
};

void vxg_dhcp_limit_init(struct vxg_dhcp_limiter *l, uint32_t client_rate, uint32_t global_rate);
/* New rates from a reload: a changed client rate gives every client a full bucket again,
 * a changed cap applies at once, its bucket full. */
void vxg_dhcp_limit_rates(struct vxg_dhcp_limiter *l, uint32_t client_rate, uint32_t global_rate);
/* May a message from src go on at now? Takes its tokens when it may. */
enum vxg_dhcp_limit vxg_dhcp_limit_check(
	struct vxg_dhcp_limiter *l, const struct rte_ether_addr *src, time_t now);
/* The set of the client table a MAC falls in (tests use it to make collisions). */
unsigned vxg_dhcp_limit_set(const struct rte_ether_addr *mac);

#endif
