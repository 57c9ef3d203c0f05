/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 service: punted frames in, reply frames out, for every dual-stack network.
 * It checks the frames (IPv6, UDP to 547, checksum, to ff02::1:2 or the gateway), limits
 * clients as DHCPv4 does (dhcp/dhcp_limit.h, the same rates), lets the network's server
 * (dhcp6_server.h) decide, and rewrites the mbuf into the reply: from the gateway's
 * link-local address and MAC to the client's. It keeps its DUID and leases in the state
 * directory (dhcp6_store.c).
 *
 * Thread-safety: control thread only; nothing here is shared with workers.
 */
#ifndef VXG_DHCP6_SERVICE_H
#define VXG_DHCP6_SERVICE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config/model.h"
#include "dhcp/dhcp_limit.h"
#include "dhcp6/dhcp6_server.h"

/* Why a frame got no reply, besides the codec's errors; each a counter. */
#define DHCP6_SVC_DROPS(X)                                                        \
	X(bad_frame, "not one writable segment, too short, or not IPv6")          \
	X(bad_ip, "a payload length past the frame, or not UDP")                  \
	X(bad_udp, "a UDP length that is not the payload's, or a bad checksum")   \
	X(not_for_us, "to another address, or for another server's DUID")         \
	X(unknown_network, "the VNI is not a dual-stack network")                 \
	X(rate_limited, "the client sent more than its rate")                     \
	X(client_table_full, "a new MAC: no idle slot, new clients bucket spent") \
	X(global_limited, "all clients together exceeded dataplane.dhcp_rate")    \
	X(no_reply, "a Confirm with no address: nothing to answer")               \
	X(no_room, "the reply does not fit the mbuf")

enum dhcp6_svc_drop {
#define DHCP6_SVC_ENUM(name, help) DHCP6_SVC_##name,
	DHCP6_SVC_DROPS(DHCP6_SVC_ENUM)
#undef DHCP6_SVC_ENUM
		DHCP6_SVC_MAX
};

struct dhcp6_stats {
	uint64_t rx[DHCP6_TYPES], tx[DHCP6_TYPES];
	uint64_t drops[DHCP6_SVC_MAX];
	uint64_t parse[DHCP6_ERR_MAX];
};

struct dhcp6_svc_net {
	struct dhcp6_net n;
	uint32_t vni;
	struct rte_ether_addr gw_mac;
	struct vxg_ip6 gw, gw_ll; /* the gateway's addresses: unicast goes to either */
	struct dhcp6_stats stats;
};

struct vxg_dhcp6_service {
	struct dhcp6_svc_net *nets;
	unsigned n_nets;
	struct dhcp6_duid duid; /* this server's, kept in the state directory */
	struct dhcp6_stats stats; /* every network, and frames of no network */
	char lease_path[PATH_MAX]; /* "": none */
	int store_errno; /* the last lease file or DUID error */
	bool dirty;
	time_t last_save, last_now;
	uint64_t saves, save_errors;
	struct vxg_dhcp_limiter lim;
};

/* The service for cfg's dual-stack networks; its DUID and leases from state_dir (NULL:
 * in memory only). NULL on out of memory. */
struct vxg_dhcp6_service *vxg_dhcp6_service_create(
	const struct vxg_config *cfg, const char *state_dir, time_t now);
void vxg_dhcp6_service_destroy(struct vxg_dhcp6_service *s);
/* A reload: networks that keep their name, VNI and prefix keep their leases and
 * counters. 0 or -ENOMEM (s unchanged). */
int vxg_dhcp6_service_update(struct vxg_dhcp6_service *s, const struct vxg_config *cfg);

/*
 * m: a frame punted from network vni, Ethernet first, untagged. 1: m is the reply frame
 * to send into the network; 0: no reply (counted), m untouched for the caller to free.
 */
int vxg_dhcp6_service_input(
	struct vxg_dhcp6_service *s, uint32_t vni, struct rte_mbuf *m, time_t now);
/* The network of vni, or NULL. */
struct dhcp6_svc_net *vxg_dhcp6_net_of(struct vxg_dhcp6_service *s, uint32_t vni);
/* Save the lease file if leases changed (at most once a second). */
void vxg_dhcp6_service_tick(struct vxg_dhcp6_service *s, time_t now);

/* Shell output (dhcp6_show.c). */
void vxg_dhcp6_service_show_leases(
	const struct vxg_dhcp6_service *s, time_t now, FILE *out, bool json);
void vxg_dhcp6_service_show_stats(const struct vxg_dhcp6_service *s, FILE *out, bool json);

/* The metrics endpoint's samples (dhcp6_metrics.c): messages by type, bound leases and pool
 * size per network, into rows (room for max); how many there are (core/feature.h). */
struct vxg_metric;
unsigned vxg_dhcp6_service_metrics(
	const struct vxg_dhcp6_service *s, time_t now, struct vxg_metric *rows, unsigned max);

#endif
