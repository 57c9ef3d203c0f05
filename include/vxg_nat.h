/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Floating IPs and router SNAT.
 *
 * A floating IP is a 1:1 mapping between an external address and a port's fixed IP:
 * stateless, compiled into each generation (vxg_gen_nat). Router SNAT translates a VPC's
 * other traffic out of its NAT interface to one external address and a port (or ICMP
 * echo identifier) from a range, with one session per flow in the VPC's session table.
 *
 * Sessions: two lock-free rte_hash per VPC with SNAT (RW_CONCURRENCY_LF |
 * MULTI_WRITER_ADD), `out` keyed by the inside 5-tuple, `in` by the outside one (the
 * remote end, the SNAT address and the translated port), created by control and kept
 * across reloads while the VPC's mapping (address, port range, interface) is unchanged, and
 * copied into a table of the new size when dataplane.limits.sessions changes.
 * Entry storage is `sess`, indexed by the out key's position; `in_out`, indexed by the
 * in key's position, holds the out key's position. A worker that misses on an outbound packet
 * allocates a port from its own stripe of the range (port - port_min = k * n_workers + worker id),
 * so two workers never pick the same translated port; it writes the entry, publishes it by storing
 * `state` last (release), then adds the in key. Readers load `state` (acquire) and take VXG_CT_NONE
 * as a miss. `seen` and `state` are refreshed as in conntrack (vxg_ct.h), whose loose state machine
 * and timeouts sessions share. Control deletes (ageing, `clear nat sessions`): it deletes both
 * keys, waits for every worker to be quiescent (rte_rcu_qsbr_synchronize), then clears the entries
 * and frees the positions. A worker whose in key finds no room deletes the out key it just added
 * (the hash takes its writer lock for that, as for adds) but cannot free the position, which a
 * reader may still hold: it marks the entry VXG_NAT_F_DEAD (release, `state` stays VXG_CT_NONE),
 * and control's next ageing pass over the position frees it after a grace period.
 *
 * Port forwards: an inbound TCP or UDP flow to a forward's external address and port that
 * matches no session opens one (VXG_NAT_F_FWD) in the same table, made by the worker as
 * an SNAT session is, its out key the target's side (what the target's replies carry), its
 * ext_addr and ext_port the address and port the flow came in on; control deletes those
 * whose rule a reload removed. Hairpin to an SNAT mapping (a packet from inside to the
 * VPC's SNAT address and a port one of its sessions holds) finds that session through
 * `owner`, and the sender's own mapping, for the session a hairpin opens, through `ep`:
 * both are lossy position caches, written (relaxed) by the worker that creates a session
 * and checked against the entry on reading, as the workers' exact-match caches are. A
 * hairpin session may so take a port of another worker's stripe: its in key, whose remote
 * end is one of our own address and port pairs, is still the flow's alone.
 */
#ifndef VXG_NAT_H
#define VXG_NAT_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

/* 16 bytes, network byte order. ICMP echo: both ports are the identifier. Outbound keys
 * are (inside source, remote, inside port, remote port); inbound keys are (remote, SNAT
 * address, remote port, translated port), as the reply carries them. */
struct vxg_nat_key {
	rte_be32_t src, dst;
	rte_be16_t sport, dport;
	uint8_t proto;
	uint8_t pad[3]; /* always 0 */
};

/* 32 bytes. */
struct vxg_nat_sess {
	struct vxg_nat_key out; /* a copy, so control can walk the array */
	uint32_t seen; /* seconds (vxg_ct_now()) */
	int32_t in_pos; /* the in key's position */
	rte_be16_t ext_port; /* the translated source port or echo identifier */
	uint8_t state; /* enum vxg_ct_state; published last with a release store */
	uint8_t flags; /* VXG_CT_F_FIN_*, VXG_NAT_F_FWD, VXG_NAT_F_DEAD */
	rte_be32_t ext_addr; /* the translated address: the SNAT address, or a forward's */
};

/* An entry never published (its in key found no room), its out key deleted: control frees
 * the position (the VXG_CT_F_* bits are below). */
#define VXG_NAT_F_DEAD 0x80
/* A port forward's session: opened from outside, to the forward's target. */
#define VXG_NAT_F_FWD 0x40

/* owner: positions + 1 by protocol (vxg_nat_proto_idx) and translated port; ep: by the
 * hash of the inside endpoint (vxg_nat_ep_slot). */
#define VXG_NAT_EP_SLOTS 65536

struct vxg_nat_table {
	struct rte_hash *out_h, *in_h;
	struct vxg_nat_sess *sess; /* indexed by the out key's position, n_sess long */
	uint32_t n_sess;
	/* indexed by the in key's position, n_in long: the out key's position. A stale
	 * value (a freed in key) is caught by checking the session against the key. */
	int32_t *in_out;
	uint32_t n_in;
	uint32_t limit; /* dataplane.limits.sessions */
	/* The mapping the sessions were made for; a reload that changes it gets a new table. */
	rte_be32_t addr;
	uint16_t port_min, port_max; /* host order */
	uint16_t ifindex; /* the NAT interface, config index */
	uint32_t *owner; /* 3 * 65536: the last session given each translated port */
	uint32_t *ep; /* VXG_NAT_EP_SLOTS: the last SNAT session of an inside endpoint */
	struct rte_rcu_qsbr *qsbr; /* NULL: deletes do not wait (tests) */
	uint32_t age_cursor;
	char name[32]; /* the VPC's */
};

/* An external address vxgate owns (proxy ARP), as the inbound lookup finds it. */
enum vxg_nat_kind {
	VXG_NAT_FIP,
	VXG_NAT_SNAT,
	VXG_NAT_FWD, /* an address only port forwards use */
};

struct vxg_nat_addr {
	rte_be32_t ext; /* the external address */
	rte_be32_t fixed; /* VXG_NAT_FIP: the port's fixed IP */
	uint16_t vpc; /* generation VPC index */
	uint8_t kind; /* enum vxg_nat_kind */
	uint8_t ifindex; /* gen ifs[] index of the NAT interface */
	uint32_t fwd_first, fwd_n; /* its forwards: fwds[fwd_first..+fwd_n) */
	uint16_t qos[2]; /* VXG_NAT_FIP: [enum vxg_dir] its QoS meter (vxg_qos.h), 0 none */
};

/* A port forward: proto to ext, ports port_min..port_max, goes to `to`, port to_min + the
 * offset. Sorted by VPC, then address, protocol and first port. */
struct vxg_nat_fwd {
	rte_be32_t ext, to;
	uint16_t port_min, port_max, to_min; /* host order */
	uint8_t proto;
	uint8_t pad;
	uint16_t vpc;
	uint16_t to_port; /* config index of the target port, for show */
};

/* Per worker and forward; rows of n_fwds (rounded to a cache line) per worker. */
struct vxg_nat_fwd_ctr {
	uint64_t pkts, bytes, sess, pad;
};

/* One VPC's NAT in a generation. */
struct vxg_gen_nat {
	bool on; /* a nat section: traffic out of ifindex is translated */
	uint8_t ifindex; /* gen ifs[] index */
	uint16_t port_id; /* its DPDK port */
	rte_be32_t snat; /* 0: no router SNAT (then only floating IPs are translated) */
	uint16_t port_min, port_max; /* host order */
	struct vxg_nat_table *sess; /* the daemon's; NULL without snat and forwards */
	uint32_t fwd_first, fwd_n; /* the VPC's forwards in the map's fwds */
	/* NULL, or a bit per port of the SNAT address that a forward holds: SNAT skips them */
	const uint64_t *fwd_ports;
	uint16_t qos[2]; /* [enum vxg_dir]: the QoS meter of its SNAT traffic, 0 none */
};

#define VXG_NAT_BITS 65536

/* Generation-wide: external address -> vxg_nat_addr (all VPCs), and (VPC, fixed IP) ->
 * index into addrs of its floating IP. Read-only once built. */
struct vxg_gen_nat_map {
	struct rte_hash *ext; /* key rte_be32_t; data = index into addrs; NULL: none */
	struct rte_hash *fixed; /* key struct vxg_nat_fkey; data = index into addrs; NULL: none */
	struct vxg_nat_addr *addrs;
	uint32_t n_addrs;
	/* Bit vxg_nat_bit(a) set for each external address a: "not ours" without a lookup. */
	uint64_t ext_bits[VXG_NAT_BITS / 64];
	struct vxg_nat_fwd *fwds;
	uint32_t n_fwds;
	uint32_t ctr_rows, ctr_stride; /* rows (workers) and forwards per row */
	struct vxg_nat_fwd_ctr *ctr; /* ctr_rows * ctr_stride; the workers' */
	uint64_t *fwd_ports; /* what the VPCs' fwd_ports point into */
};

/* owner's row of a protocol: TCP 0, UDP 1, ICMP 2. */
static inline uint32_t
vxg_nat_proto_idx(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 0 : proto == IPPROTO_UDP ? 1 : 2;
}

/* The forward among m's fwds[first..+n) that covers proto to ext:port (host order), or -1. */
static inline int32_t
vxg_nat_fwd_find(const struct vxg_gen_nat_map *m, uint32_t first, uint32_t n, rte_be32_t ext,
	uint8_t proto, uint16_t port)
{
	for (uint32_t i = first; i < first + n; i++) {
		const struct vxg_nat_fwd *f = &m->fwds[i];

		if (f->ext == ext && f->proto == proto && port >= f->port_min &&
			port <= f->port_max)
			return (int32_t)i;
	}
	return -1;
}

/* The counters of forward i for worker row. */
static inline struct vxg_nat_fwd_ctr *
vxg_nat_fwd_ctr(const struct vxg_gen_nat_map *m, unsigned row, uint32_t i)
{
	return &m->ctr[(size_t)(row < m->ctr_rows ? row : m->ctr_rows - 1) * m->ctr_stride + i];
}

static inline uint32_t
vxg_nat_bit(rte_be32_t a)
{
	return (uint32_t)(((uint64_t)a * 0x9e3779b97f4a7c15ull) >> 48) & (VXG_NAT_BITS - 1);
}

struct vxg_nat_fkey {
	uint32_t vpc;
	rte_be32_t ip;
};

/* The inbound key of the session whose outbound key is `out`, translated to addr and
 * ext_port: what the remote end's replies carry. */
static inline void
vxg_nat_in_key(
	struct vxg_nat_key *k, const struct vxg_nat_key *out, rte_be32_t addr, rte_be16_t ext_port)
{
	k->src = out->dst;
	k->dst = addr;
	k->sport = out->proto == IPPROTO_ICMP ? ext_port : out->dport;
	k->dport = ext_port;
	k->proto = out->proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
}

/* The ep slot of an inside endpoint (host order hash of protocol, address, port). */
static inline uint32_t
vxg_nat_ep_slot(uint8_t proto, rte_be32_t src, rte_be16_t sport)
{
	uint64_t k = (uint64_t)src << 32 | (uint64_t)sport << 8 | proto;

	return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 48) & (VXG_NAT_EP_SLOTS - 1);
}

/* Note SNAT session s at pos in t's owner and ep caches (a forward's is found by its rule). */
static inline void
vxg_nat_remember(struct vxg_nat_table *t, const struct vxg_nat_sess *s, int32_t pos)
{
	uint32_t v = (uint32_t)pos + 1;

	if (s->flags & VXG_NAT_F_FWD)
		return;
	__atomic_store_n(
		&t->owner[vxg_nat_proto_idx(s->out.proto) * 65536 + rte_be_to_cpu_16(s->ext_port)],
		v, __ATOMIC_RELAXED);
	__atomic_store_n(&t->ep[vxg_nat_ep_slot(s->out.proto, s->out.src, s->out.sport)], v,
		__ATOMIC_RELAXED);
}

#endif
