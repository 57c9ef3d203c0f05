/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP and ICMP for vxgate's own underlay addresses, done by the control thread on the
 * frames workers punt to it (the dataplane never answers ARP or ping itself).
 *
 * Thread-safety: control thread only. The builders work on an mbuf the control thread
 * owns (taken off the punt ring) and turn it into the reply in place, so answering costs
 * no allocation; the caller then sends it with vxg_ctl_tx.
 */
#ifndef VXG_UNDERLAY_NEIGH_H
#define VXG_UNDERLAY_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

/* Who we are on one interface: its MAC and the addresses we answer for (the interface
 * address and, on the underlay, the VTEP address; on an external interface, also those
 * `proxy` says are ours: floating IPs and SNAT addresses). */
struct vxg_neigh_self {
	struct rte_ether_addr mac;
	unsigned n_addrs;
	rte_be32_t addrs[2];
	bool (*proxy)(const void *arg, rte_be32_t ip); /* NULL: none */
	const void *proxy_arg;
};

/* What a punted frame turned out to be. */
enum vxg_punt_kind {
	VXG_PUNT_ARP_REQUEST, /* an ARP request for one of our addresses: now the reply */
	VXG_PUNT_ARP_REPLY, /* an ARP reply (sender learned by the caller, frame unchanged) */
	VXG_PUNT_ICMP_ECHO, /* an echo request to one of our addresses: now the echo reply */
	VXG_PUNT_IGNORED, /* anything else: the caller frees it */
};

/*
 * Look at a punted frame (Ethernet first, untagged) and, if it asks us something, rewrite
 * it into the answer: ARP request -> ARP reply from self's MAC, ICMP echo request -> echo
 * reply (addresses and MACs swapped, checksum patched incrementally, RFC 1624).
 * sender_ip and sender_mac get the ARP sender (requests and replies) for the neighbour
 * table; they are left alone otherwise.
 */
enum vxg_punt_kind vxg_neigh_answer(struct rte_mbuf *m, const struct vxg_neigh_self *self,
	rte_be32_t *sender_ip, struct rte_ether_addr *sender_mac);

/*
 * The neighbour table: IPv4 -> MAC on each routed interface, learned from ARP by the
 * control thread. Generations copy what they need into their VTEP header templates, so
 * workers never read it; control rebuilds a generation when an entry the templates use
 * resolves, changes MAC or is lost.
 *
 * States follow the kernel's: an entry wanted (a VTEP's next hop) but unknown is
 * INCOMPLETE and probed with back-off (1 s, 2 s, 4 s ... capped at NEIGH_PROBE_MAX_MS);
 * an answer makes it REACHABLE; after VXG_NEIGH_REACHABLE_MS without news it turns STALE,
 * still used while it is re-probed; VXG_NEIGH_STALE_PROBES unanswered probes lose the MAC
 * (back to INCOMPLETE if still wanted, else the entry goes). Static config neighbours are
 * not kept here: the generation looks at the config first, so they always win.
 *
 * Thread-safety: control thread only. Times are milliseconds of any monotonic clock the
 * caller passes (tests pass a fake one).
 */
#define VXG_NEIGH_REACHABLE_MS 60000
#define VXG_NEIGH_PROBE_MIN_MS 1000
#define VXG_NEIGH_PROBE_MAX_MS 30000
#define VXG_NEIGH_STALE_PROBES 3

enum vxg_neigh_state {
	VXG_NEIGH_INCOMPLETE,
	VXG_NEIGH_REACHABLE,
	VXG_NEIGH_STALE,
};

struct vxg_neigh {
	uint8_t ifi; /* interface index in the config */
	uint8_t state; /* enum vxg_neigh_state */
	bool wanted; /* a VTEP's next hop: keep resolving it */
	uint16_t probes; /* probes sent since the last answer */
	rte_be32_t ip;
	struct rte_ether_addr mac; /* valid unless INCOMPLETE */
	uint64_t updated_ms; /* last answer (or creation) */
	uint64_t next_probe_ms;
};

struct vxg_neigh_table {
	uint32_t cap, n;
	struct vxg_neigh *e; /* n used entries, unordered */
	uint64_t full; /* entries not created: the table was full */
};

/* A table of `cap` entries (dataplane.limits.neighbours). NULL when out of memory. */
struct vxg_neigh_table *vxg_neigh_table_create(uint32_t cap);
void vxg_neigh_table_destroy(struct vxg_neigh_table *t);

struct vxg_neigh *vxg_neigh_lookup(const struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip);
/* The MAC to use for ip on ifi (REACHABLE or STALE), or NULL. */
const struct rte_ether_addr *vxg_neigh_mac(
	const struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip);

/* Clear every `wanted` mark (before marking the next hops of a new generation). */
void vxg_neigh_unwant_all(struct vxg_neigh_table *t);
/* Keep ip on ifi resolved: creates an INCOMPLETE entry to probe now. 0, -ENOSPC. */
int vxg_neigh_want(struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip, uint64_t now_ms);

/*
 * An ARP packet from ip/mac on ifi (RFC 826 merge): an existing entry takes the MAC and
 * becomes REACHABLE; a new one is created only if `create` (the packet was addressed to
 * us). Returns 1 if the MAC in use changed (resolved or moved), 0 if not, -ENOSPC.
 */
int vxg_neigh_learn(struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create, uint64_t now_ms);

/*
 * Run the timers at now_ms: call probe(ifi, ip, arg) for every entry whose probe is due,
 * age REACHABLE to STALE, lose the MACs that stopped answering. Returns 1 if a MAC in use
 * went away (the generation must be rebuilt), else 0.
 */
int vxg_neigh_timers(struct vxg_neigh_table *t, uint64_t now_ms,
	void (*probe)(unsigned ifi, rte_be32_t ip, void *arg), void *arg);

const char *vxg_neigh_state_name(enum vxg_neigh_state s);

/* An ARP request (broadcast) for `ip` from `mac`/`sip`, written into the empty mbuf m.
 * 0, or -ENOSPC if m has no room. */
int vxg_arp_request(
	struct rte_mbuf *m, const struct rte_ether_addr *mac, rte_be32_t sip, rte_be32_t ip);

#endif
