/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP (RFC 2131): the per-network server, its addresses, leases and decisions, on
 * messages the codec (dhcp/dhcp_codec.h) parsed.
 *
 * Thread-safety: control thread only.
 *
 * Addresses are IPv4 in host byte order, as in config/model.h.
 */
#ifndef VXG_DHCP_SERVER_H
#define VXG_DHCP_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_ether.h>

#include "dhcp/dhcp_codec.h"

enum dhcp_lease_state {
	DHCP_LEASE_FREE,
	DHCP_LEASE_OFFERED,
	DHCP_LEASE_BOUND,
	DHCP_LEASE_DECLINED, /* someone else answers ARP for it: quarantined */
};

struct dhcp_lease {
	uint32_t ip;
	struct rte_ether_addr mac;
	enum dhcp_lease_state state;
	time_t expires;
	char hostname[64];
};

struct dhcp_fixed {
	struct rte_ether_addr mac;
	uint32_t ip;
};

#define DHCP_OFFER_HOLD 60 /* seconds an offered address is held for its client */
#define DHCP_DECLINE_HOLD 600 /* seconds a declined address stays out of the pool */

struct dhcp_pool; /* the pool's indexes, private to dhcp_server.c */

/*
 * Copies of a dhcp_net (the lease file functions take arrays of them) share its leases and
 * indexes: everything that changes after vxg_dhcp_net_init() lives behind a pointer.
 */
struct dhcp_net {
	char name[64]; /* "vpc/network", for the lease file and the shell */
	uint32_t network, mask, gateway;
	uint32_t range_start, range_end; /* 0: no dynamic pool */
	uint32_t lease_time;
	struct dhcp_fixed *fixed; /* declared ports and static hosts: always their IP */
	unsigned n_fixed;
	uint32_t *reserved; /* addresses the pool never hands out (fixed IPs, gateway) */
	unsigned n_reserved;
	struct dhcp_lease *leases; /* one slot per address of the range, by ip - range_start */
	unsigned n_leases;
	struct dhcp_pool *pool; /* set by vxg_dhcp_net_init() */
	struct dhcp_reply tmpl; /* options common to every reply of this network */
};

/*
 * Pool: a lease slot per address of [range_start, range_end], and the indexes that make
 * every decision O(1) in the size of the pool: held leases by MAC, fixed addresses by MAC,
 * reserved and free addresses by bitmap (the lowest free address is found in one word
 * per level of a 64-ary summary), held leases by expiry in a heap. fixed and reserved must
 * be set before, and not change after. Returns 0 or -ENOMEM.
 */
int vxg_dhcp_net_init(struct dhcp_net *n);
void vxg_dhcp_net_fini(struct dhcp_net *n);

/* Bytes the network's lease slots, pool indexes and fixed addresses take (show memory). */
uint64_t vxg_dhcp_net_memsize(const struct dhcp_net *n);

/* The fixed binding of mac, or NULL. */
const struct dhcp_fixed *vxg_dhcp_fixed_lookup(
	const struct dhcp_net *n, const struct rte_ether_addr *mac);

/* Is ip, an address of the range, one the pool never hands out? */
bool vxg_dhcp_reserved(const struct dhcp_net *n, uint32_t ip);

/*
 * Put back a lease read from the lease file or carried over a reload (l->state not
 * DHCP_LEASE_FREE). False, and nothing changes, when its address is not in the range or is
 * reserved, its MAC has a fixed address, or its MAC already holds a lease that lasts at
 * least as long (a client holds one address).
 */
bool vxg_dhcp_lease_restore(struct dhcp_net *n, const struct dhcp_lease *l);

/*
 * The server's decision for one parsed request, per RFC 2131 4.3. Returns true and fills
 * r when a reply is due (OFFER, ACK, NAK); false when the request gets no answer
 * (RELEASE, DECLINE, a REQUEST for another server, an unknown MAC without a pool, an
 * exhausted pool).
 */
bool vxg_dhcp_handle(
	struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r);

/*
 * Lease file: one line per bound lease, "network mac ip expiry hostname". A save replaces
 * the file atomically (a temporary file in its directory, fsync, rename, fsync of the
 * directory): a crash leaves the old or the new file, whole. 0 or -errno. A load skips
 * the lines it cannot use; only a file it cannot open is an error (none is not).
 */
int vxg_dhcp_leases_save(struct dhcp_net *nets, unsigned n_nets, const char *path);
int vxg_dhcp_leases_load(struct dhcp_net *nets, unsigned n_nets, const char *path, time_t now);

#endif
