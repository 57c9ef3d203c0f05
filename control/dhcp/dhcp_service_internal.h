/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP service's state, shared by the service (dhcp_service.c) and its shell commands
 * (dhcp_show.c) and by nothing else: its counters, networks and client rate limiter.
 *
 * Thread-safety: control thread only (see dhcp_service.h).
 */
#ifndef VXG_DHCP_SERVICE_INTERNAL_H
#define VXG_DHCP_SERVICE_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rte_ether.h>

#include "dhcp/dhcp_limit.h"
#include "dhcp/dhcp_service.h"
#include "dhcp/dhcp_server.h"

/* Why a frame got no reply, besides the codec's parse errors; each is a counter. */
#define SVC_DROPS(X)                                                              \
	X(bad_frame, "not one writable segment, too short, or not IPv4")          \
	X(bad_ip, "bad IPv4 header, length or checksum, a fragment, not UDP")     \
	X(bad_udp, "bad UDP length or checksum, or not to port 67")               \
	X(not_for_us, "to another address, or a REQUEST for another server")      \
	X(unknown_network, "the VNI is not a network with DHCP")                  \
	X(rate_limited, "the client sent more than its rate")                     \
	X(client_table_full, "a new MAC: no idle slot, new clients bucket spent") \
	X(global_limited, "all clients together exceeded dataplane.dhcp_rate")    \
	X(no_address, "no fixed address and no range, or the pool is exhausted")  \
	X(no_reply, "RELEASE, DECLINE or an unusable REQUEST: nothing to answer") \
	X(build_failed, "the reply did not fit the client's maximum size")        \
	X(no_room, "the mbuf cannot hold the reply")

enum svc_drop {
#define SVC_DROP_ENUM(name, help) SVC_DROP_##name,
	SVC_DROPS(SVC_DROP_ENUM)
#undef SVC_DROP_ENUM
		SVC_DROP_MAX
};

#define MSG_TYPES 9 /* enum dhcp_msg_type is 1..8 */

struct svc_stats {
	uint64_t rx[MSG_TYPES]; /* by message type received */
	uint64_t tx[MSG_TYPES]; /* by message type sent */
	uint64_t drops[SVC_DROP_MAX];
	uint64_t parse[DHCP_ERR_MAX];
};

struct svc_net {
	struct dhcp_net n; /* name "vpc/network" */
	uint32_t vni;
	struct rte_ether_addr gw_mac;
	struct vxg_cidr cidr;
	struct svc_stats stats;
};

struct vxg_dhcp_service {
	struct svc_net *nets; /* sorted by vni */
	unsigned n_nets;
	struct svc_stats stats; /* every network, and frames of no network */
	char lease_path[PATH_MAX]; /* "" : no lease file */
	const char *lease_status; /* "ok", "none", "error" */
	int lease_errno; /* why the last save or the directory failed */
	bool dirty;
	time_t last_save;
	uint64_t saves, save_errors;
	time_t last_now; /* the latest clock input() or tick() saw, for show stats */
	struct vxg_dhcp_limiter lim; /* dataplane.dhcp_client_rate and dhcp_rate */
};

/* Pools (dhcp_metrics.c). Is l held (offered, bound or declined) at time now? */
bool svc_lease_live(const struct dhcp_lease *l, time_t now);
/* A network's pool (fixed addresses left out) at time now: its size and its leases by
 * state. */
struct svc_pool_use {
	unsigned size, bound, offered, declined, free;
};
struct svc_pool_use svc_pool_use(const struct dhcp_net *n, time_t now);

#endif
