/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server of one dual-stack network (RFC 8415 18.3): its fixed addresses
 * (declared ports, by MAC), its pool (the network's range) and leases, and its decision
 * for each parsed client message. The lease file is here too.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_DHCP6_SERVER_H
#define VXG_DHCP6_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_ether.h>

#include "config/model.h"
#include "dhcp6/dhcp6_codec.h"

#define DHCP6_POOL_MAX 4096 /* lease slots of a range, from its first address */
#define DHCP6_OFFER_HOLD 60 /* seconds an advertised address is held for its client */
#define DHCP6_DECLINE_HOLD 600 /* seconds a declined address stays out of the pool */

enum dhcp6_lease_state {
	DHCP6_FREE,
	DHCP6_OFFERED,
	DHCP6_BOUND,
	DHCP6_DECLINED,
};

/* Slot i of the pool is the range's first address + i. */
struct dhcp6_lease {
	struct dhcp6_duid duid;
	uint32_t iaid;
	uint8_t state; /* enum dhcp6_lease_state */
	time_t expires;
};

/* A declared port's address, and who holds it: the client that last bound it (state BOUND
 * until it expires or is released), for show dhcp6 leases. Not in the lease file: the
 * config gives the address again. */
struct dhcp6_fixed {
	struct rte_ether_addr mac;
	struct vxg_ip6 ip;
	struct dhcp6_lease held;
};

/* Why a message got no reply. */
enum dhcp6_silence {
	DHCP6_SILENT_NONE,
	DHCP6_SILENT_NOT_FOR_US, /* another server's identifier */
	DHCP6_SILENT_NO_ADDRESS, /* Confirm or Rebind with nothing to judge */
};

struct dhcp6_net {
	char name[2 * VXG_NAME_MAX]; /* "vpc/network" */
	struct vxg_cidr6 prefix;
	enum vxg_ip6_mode mode;
	uint32_t lease_time;
	struct vxg_ip6 range_start; /* :: no pool */
	struct dhcp6_fixed *fixed;
	unsigned n_fixed;
	struct vxg_ip6 *reserved; /* the fixed addresses and the gateway: never pooled */
	unsigned n_reserved;
	struct dhcp6_lease *leases;
	unsigned n_leases;
	struct vxg_ip6 dns[VXG_DNS_MAX];
	unsigned n_dns;
	uint8_t domains[256];
	uint16_t domains_len;
};

/* n's tables from the network's config (its ports from vpc); 0 or -ENOMEM. */
int vxg_dhcp6_net_init(struct dhcp6_net *n, const struct vxg_vpc_cfg *vpc, unsigned ni);
void vxg_dhcp6_net_fini(struct dhcp6_net *n);

/*
 * The decision for m from a client whose frame came from src: true and r filled when a
 * reply is due; false and *why otherwise. server: this server's DUID.
 */
bool vxg_dhcp6_handle(struct dhcp6_net *n, const struct dhcp6_msg *m,
	const struct rte_ether_addr *src, const struct dhcp6_duid *server, time_t now,
	struct dhcp6_reply *r, enum dhcp6_silence *why);

/* The address of pool slot i. */
void vxg_dhcp6_slot_ip(const struct dhcp6_net *n, unsigned i, struct vxg_ip6 *ip);

/* The fixed binding of mac and ip in n, or NULL (reloads carry what it holds). */
struct dhcp6_fixed *vxg_dhcp6_fixed_find(
	struct dhcp6_net *n, const struct rte_ether_addr *mac, const struct vxg_ip6 *ip);

/* Put back a bound lease (lease file, reload): false when ip is no slot or is taken. */
bool vxg_dhcp6_lease_restore(struct dhcp6_net *n, const struct vxg_ip6 *ip,
	const struct dhcp6_duid *duid, uint32_t iaid, time_t expires, time_t now);

/* Lease file: "network duid(hex) iaid ip expiry" a line, replaced atomically as the
 * DHCPv4 one is. 0 or -errno; a load skips what it cannot use. */
int vxg_dhcp6_leases_save(struct dhcp6_net *nets, unsigned n, const char *path);
int vxg_dhcp6_leases_load(struct dhcp6_net *nets, unsigned n, const char *path, time_t now);

/* The DUID at path, or a new DUID-LLT of mac saved there (path NULL: not saved). 0 or
 * -errno of the save (the DUID is set either way). */
int vxg_dhcp6_duid_load(
	struct dhcp6_duid *d, const char *path, const struct rte_ether_addr *mac, time_t now);

#endif
