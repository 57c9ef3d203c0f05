/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP service: punted DHCP frames in, reply frames out, for every network of the
 * config that has dhcp enabled. It wires the codec (dhcp/dhcp_codec.h) and the
 * per-network server (dhcp/dhcp_server.h) to mbufs, rate-limits clients, keeps the lease
 * file and answers the shell.
 *
 * Thread-safety: control thread only. Workers punt frames to the control thread, which
 * calls vxg_dhcp_service_input() and hands the rewritten mbuf back to a worker to send.
 * Nothing here is shared with workers; the service owns all it allocates.
 */
#ifndef VXG_DHCP_SERVICE_H
#define VXG_DHCP_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config/model.h"
#include "dhcp/dhcp_limit.h"

struct vxg_dhcp_service; /* opaque */

struct vxg_dhcp_binding {
	uint32_t ip; /* host order, 0: none */
	struct rte_ether_addr mac;
};

/*
 * Per-client rate limit (token bucket keyed by the frame's source MAC: the config's
 * dataplane.dhcp_client_rate, default VXG_DHCP_CLIENT_RATE, bursts of twice as many; 0:
 * none) and global cap. The
 * global cap is the config's dataplane.dhcp_rate (0: none), default VXG_DHCP_GLOBAL_RATE;
 * its bucket holds one second's worth. Client buckets live in a table of SETS x WAYS; a
 * client's bucket is only given to another MAC once it is full again (the client idle), so
 * neither a collision nor a flood of new MACs resets a busy client's budget. New MACs that
 * find no idle way share one bucket of VXG_DHCP_NEW_CLIENT_RATE (client_table_full when
 * empty).
 */
#define VXG_DHCP_CLIENT_RATE 10 /* messages per second */
#define VXG_DHCP_CLIENT_BURST (2 * VXG_DHCP_CLIENT_RATE)
#define VXG_DHCP_CLIENT_SETS VXG_DHCP_LIMIT_SETS
#define VXG_DHCP_CLIENT_WAYS VXG_DHCP_LIMIT_WAYS
#define VXG_DHCP_NEW_CLIENT_RATE VXG_DHCP_LIMIT_NEW_RATE /* messages per second */
#define VXG_DHCP_GLOBAL_RATE 2000 /* messages per second, every client together */

/* The set of the client table a MAC falls in (tests use it to make collisions). */
unsigned vxg_dhcp_client_set(const struct rte_ether_addr *mac);

/*
 * One dhcp_net per network with dhcp.enabled (and a gateway) in every VPC of cfg. The
 * lease file is STATE_DIR/dhcp.leases when state_dir is non-NULL (the directory is
 * created if missing, mode 0755; failing that, leases stay in memory only and
 * `show dhcp stats` says lease_file: error). Existing leases are loaded from the file.
 * NULL and a message in err on failure (out of memory).
 */
struct vxg_dhcp_service *vxg_dhcp_service_create(
	const struct vxg_config *cfg, const char *state_dir, char *err, size_t errlen);

/*
 * After a config reload: rebuild the networks from cfg, keeping the leases (and stats) of
 * networks that still exist with the same VPC name, network name and CIDR; leases whose
 * address falls outside the new range (or is now reserved) are dropped. A changed
 * dataplane.dhcp_rate applies at once, its bucket full. 0 or -ENOMEM (then the old state
 * stays).
 */
int vxg_dhcp_service_update(struct vxg_dhcp_service *s, const struct vxg_config *cfg);
void vxg_dhcp_service_destroy(struct vxg_dhcp_service *s);

/*
 * m: a frame punted by a worker, untagged Ethernet first, carrying IPv4/UDP to port 67,
 * which arrived in the network with VXLAN id `vni`. Returns 1 when m has been rewritten
 * in place into the whole reply frame to send into network vni (Ethernet from the
 * network's gateway MAC, IPv4 from the gateway IP, checksums computed); *bound is then
 * filled when the reply is an ACK binding an address, else bound->ip = 0 (bound may be
 * NULL). Returns 0 when there is no reply: m is untouched and the caller frees it; the
 * reason is counted (`show dhcp stats`). Frames are checked (IPv4 header, checksum, not a
 * fragment; UDP length, checksum when non-zero), rate-limited, then parsed and answered.
 */
int vxg_dhcp_service_input(struct vxg_dhcp_service *s, uint32_t vni, struct rte_mbuf *m, time_t now,
	struct vxg_dhcp_binding *bound);

/* Periodic: save the lease file if leases changed (at most once a second). */
void vxg_dhcp_service_tick(struct vxg_dhcp_service *s, time_t now);

/* Shell output (dhcp_show.c), text or JSON (one object). network: "vpc/net" or "net",
 * NULL: all. */
void vxg_dhcp_service_show_leases(
	const struct vxg_dhcp_service *s, const char *network, time_t now, FILE *out, bool json);
void vxg_dhcp_service_show_stats(const struct vxg_dhcp_service *s, FILE *out, bool json);

/* What the service costs (show memory): its networks with their lease slots (one per
 * address of every range, allocated at start or reload, not as clients come) and pool
 * indexes; and the service itself, mostly its client rate limiter (a fixed table). */
struct vxg_dhcp_mem {
	uint64_t leases; /* bytes of the networks, their leases and indexes */
	uint64_t slots; /* lease slots */
	uint64_t service; /* bytes of the service and its rate limiter */
};
/* s may be NULL (no service yet): all 0. */
void vxg_dhcp_service_memory(const struct vxg_dhcp_service *s, struct vxg_dhcp_mem *m);
/* The metrics endpoint's samples (dhcp_metrics.c, core/feature.h): bound leases and pool size per
 * network. Returns how many there are, which may be more than max. */
struct vxg_metric;
unsigned vxg_dhcp_service_metrics(
	const struct vxg_dhcp_service *s, time_t now, struct vxg_metric *rows, unsigned max);

/* Does `network` ("vpc/net" or "net") name a DHCP network? */
bool vxg_dhcp_service_has_network(const struct vxg_dhcp_service *s, const char *network);

#endif
