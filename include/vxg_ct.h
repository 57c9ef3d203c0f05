/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection tracking for stateful security groups: one table per VPC, one entry per
 * connection serving both directions (the key is normalised), a loose TCP state machine
 * and per-state timeouts.
 *
 * Thread-safety: one lock-free rte_hash (RW_CONCURRENCY_LF | MULTI_WRITER_ADD) per VPC,
 * created by control and kept across reloads while the VPC has security groups (replaced
 * by a copy of the new size when dataplane.limits.conntrack changes); any
 * worker may see either direction of a connection. Workers look up (bulk, positions) and
 * add keys for new connections (vxg_ct_create); rte_hash serialises adders and deleters
 * internally. Entry storage is the `entries` array indexed by the key position, so nothing
 * is allocated per connection. The creating worker writes the entry and publishes it by
 * storing `state` last (release); readers load `state` (acquire) and treat VXG_CT_NONE as
 * a miss. On a hit a worker writes `state` only when it changes and `seen` at most once a
 * second, so a steady flow does not write a shared cache line per packet; `flags` and
 * `gen` are plain racy writes (last writer wins, a lost update only costs a recheck).
 * Only control deletes (ageing, `clear conntrack`, reloads): it deletes the keys, waits
 * for every worker to be quiescent (rte_rcu_qsbr_synchronize), then clears the entries
 * and frees their positions, so a worker never sees a position reused under it.
 */
#ifndef VXG_CT_H
#define VXG_CT_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_rcu_qsbr.h>
#include <rte_tcp.h>

/*
 * 16 bytes: rte_hash compares 16-byte keys with one SSE compare. Normalised so one entry
 * serves both directions: (addr[0], port[0]) <= (addr[1], port[1]), comparing the
 * addresses in host order first, then the ports in host order. Network byte order stored.
 */
struct vxg_ct_key {
	rte_be32_t addr[2];
	/* TCP/UDP/SCTP ports; ICMP echo: both are the echo identifier; other protocols: 0 */
	rte_be16_t port[2];
	uint8_t proto;
	uint8_t pad[3]; /* always 0 */
};

enum vxg_ct_state {
	VXG_CT_NONE, /* position taken, entry being written, or being deleted */
	VXG_CT_TCP_SYN_SENT, /* the originator sent SYN */
	VXG_CT_TCP_SYN_RECV, /* the responder answered SYN+ACK */
	VXG_CT_TCP_ESTABLISHED,
	VXG_CT_TCP_FIN_WAIT, /* a FIN seen from either side */
	VXG_CT_TCP_CLOSED, /* RST seen, or FIN from both sides */
	VXG_CT_UDP_NEW, /* one direction only so far */
	VXG_CT_UDP_REPLIED, /* both directions seen */
	VXG_CT_ICMP_NEW,
	VXG_CT_ICMP_REPLIED,
	VXG_CT_OTHER_NEW,
	VXG_CT_OTHER_REPLIED,
	VXG_CT_STATE_MAX
};

/* 32 bytes, two per cache line. */
struct vxg_ct_entry {
	struct vxg_ct_key key; /* a copy, so control can walk the array */
	uint32_t seen; /* seconds (vxg_ct_now()), refreshed at most once a second */
	uint8_t state; /* enum vxg_ct_state; published last with a release store */
	uint8_t orig; /* 0: the originator is (addr[0], port[0]); 1: (addr[1], port[1]) */
	uint8_t flags; /* VXG_CT_F_* */
	uint8_t pad;
	uint32_t gen; /* the config generation whose rules last allowed it */
	/* logical (VM) port slot + 1 of the originator [0] and the responder [1]; 0: none
	 * (not a VM port, e.g. the outside) */
	uint16_t lport[2];
};

#define VXG_CT_F_FIN_ORIG 0x01 /* FIN seen from the originator */
#define VXG_CT_F_FIN_REPLY 0x02 /* FIN seen from the responder */
#define VXG_CT_F_BLOCKED 0x04 /* the current rules no longer allow it (dataplane/sg/sg.c) */

struct vxg_ct6;

struct vxg_ct {
	struct rte_hash *h; /* RW_CONCURRENCY_LF | MULTI_WRITER_ADD, like the FDB */
	struct vxg_ct_entry *entries; /* indexed by key position, n_entries long */
	uint32_t n_entries; /* rte_hash_max_key_id + 1 */
	uint32_t limit; /* dataplane.limits.conntrack */
	struct rte_rcu_qsbr *qsbr; /* the workers' QSBR, for deletes; NULL: no wait (tests) */
	uint32_t age_cursor; /* control: where the ager stopped */
	char name[32]; /* the VPC's name */
	/* The VPC's IPv6 flows (vxg_ct6.h): NULL until it has IPv6, then set once */
	struct vxg_ct6 *v6;
};

/* Seconds for `seen`: from the TSC, cheap enough to read once per burst. */
static inline uint32_t
vxg_ct_now(void)
{
	return (uint32_t)(rte_get_tsc_cycles() / rte_get_tsc_hz());
}

/*
 * Fill k with the normalised key of a packet from (src, sport) to (dst, dport). True when
 * the packet's source is the (addr[1], port[1]) side, i.e. the tuple was swapped; a tie
 * (same address and port on both sides) is not swapped. Selects, no branches.
 */
static inline bool
vxg_ct_key_make(struct vxg_ct_key *k, uint8_t proto, rte_be32_t src, rte_be32_t dst,
	rte_be16_t sport, rte_be16_t dport)
{
	uint64_t s = (uint64_t)rte_be_to_cpu_32(src) << 16 | rte_be_to_cpu_16(sport);
	uint64_t d = (uint64_t)rte_be_to_cpu_32(dst) << 16 | rte_be_to_cpu_16(dport);
	bool swapped = s > d;

	k->addr[0] = swapped ? dst : src;
	k->addr[1] = swapped ? src : dst;
	k->port[0] = swapped ? dport : sport;
	k->port[1] = swapped ? sport : dport;
	k->proto = proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
	return swapped;
}

/* The TCP part of vxg_ct_next. */
static inline uint8_t
vxg_ct_next_tcp(uint8_t state, bool from_orig, uint8_t tcp_flags, uint8_t *flags)
{
	bool syn = tcp_flags & RTE_TCP_SYN_FLAG, ack = tcp_flags & RTE_TCP_ACK_FLAG;

	if (state < VXG_CT_TCP_SYN_SENT || state > VXG_CT_TCP_CLOSED)
		return state; /* not a TCP state: leave it */
	if (tcp_flags & RTE_TCP_RST_FLAG)
		return VXG_CT_TCP_CLOSED;
	if (state == VXG_CT_TCP_CLOSED) {
		if (!(from_orig && syn && !ack))
			return state;
		/* the originator reuses the ports: a new connection */
		*flags &= (uint8_t) ~(VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY);
		return VXG_CT_TCP_SYN_SENT;
	}
	if (state == VXG_CT_TCP_SYN_SENT && !from_orig)
		/* SYN+ACK (or a simultaneous open's SYN); data: picked up mid-stream */
		state = syn ? VXG_CT_TCP_SYN_RECV : VXG_CT_TCP_ESTABLISHED;
	else if (state == VXG_CT_TCP_SYN_RECV && !syn)
		state = VXG_CT_TCP_ESTABLISHED; /* the handshake's ACK, or anything after it */
	if (tcp_flags & RTE_TCP_FIN_FLAG) {
		*flags |= from_orig ? VXG_CT_F_FIN_ORIG : VXG_CT_F_FIN_REPLY;
		state = (~*flags & (VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY)) == 0
				? VXG_CT_TCP_CLOSED
				: VXG_CT_TCP_FIN_WAIT;
	}
	return state;
}

/*
 * The loose state machine: the state after a packet of protocol `proto` in `state`, from
 * the originator or not, with TCP flags tcp_flags (TCP only). Updates the FIN bits of
 * *flags (other bits are left alone). A state of another protocol, or VXG_CT_NONE, is
 * returned unchanged.
 */
static inline uint8_t
vxg_ct_next(uint8_t state, uint8_t proto, bool from_orig, uint8_t tcp_flags, uint8_t *flags)
{
	if (proto == IPPROTO_TCP)
		return vxg_ct_next_tcp(state, from_orig, tcp_flags, flags);
	/* UDP, ICMP echo, others: the first reply; each REPLIED follows its NEW */
	if (!from_orig &&
		(state == VXG_CT_UDP_NEW || state == VXG_CT_ICMP_NEW || state == VXG_CT_OTHER_NEW))
		return (uint8_t)(state + 1);
	return state;
}

/* Seconds an entry lives without traffic in `state`; 0 for VXG_CT_NONE. */
static inline uint32_t
vxg_ct_timeout(uint8_t state)
{
	/* Linux's nf_conntrack defaults, ESTABLISHED shortened to 2h04m as in OVS: long
	 * enough for TCP keepalives (2 h) to keep an idle connection. */
	static const uint32_t timeout[VXG_CT_STATE_MAX] = {
		[VXG_CT_NONE] = 0,
		[VXG_CT_TCP_SYN_SENT] = 30,
		[VXG_CT_TCP_SYN_RECV] = 30,
		[VXG_CT_TCP_ESTABLISHED] = 7440,
		[VXG_CT_TCP_FIN_WAIT] = 120,
		[VXG_CT_TCP_CLOSED] = 10,
		[VXG_CT_UDP_NEW] = 30,
		[VXG_CT_UDP_REPLIED] = 180,
		[VXG_CT_ICMP_NEW] = 30,
		[VXG_CT_ICMP_REPLIED] = 30,
		[VXG_CT_OTHER_NEW] = 30,
		[VXG_CT_OTHER_REPLIED] = 180,
	};

	return state < VXG_CT_STATE_MAX ? timeout[state] : 0;
}

/* Is a connection in `state` established or replied (both directions seen)? */
static inline bool
vxg_ct_state_replied(uint8_t state)
{
	return state == VXG_CT_TCP_ESTABLISHED || state == VXG_CT_UDP_REPLIED ||
	       state == VXG_CT_ICMP_REPLIED || state == VXG_CT_OTHER_REPLIED;
}

/* Has e had no traffic for longer than its state's timeout? Signed: a worker may have
 * refreshed `seen` a second past the caller's `now`. */
static inline bool
vxg_ct_expired(const struct vxg_ct_entry *e, uint32_t now)
{
	uint8_t state = __atomic_load_n(&e->state, __ATOMIC_RELAXED);

	return (int32_t)(now - e->seen) > (int32_t)vxg_ct_timeout(state);
}

/* Is a packet whose key came out `swapped` (vxg_ct_key_make) from e's originator? */
static inline bool
vxg_ct_from_orig(const struct vxg_ct_entry *e, bool swapped)
{
	return swapped == (e->orig != 0);
}

/*
 * Track a new connection that the rules allowed; its first packet gave k and `swapped`.
 * The position of its entry, or a negative errno from rte_hash_add_key (-ENOSPC: full).
 * An entry already live there (another worker created it a moment ago) is returned
 * unchanged; an expired one not aged yet is rewritten, as a new connection. Two workers
 * racing on a brand-new key may both write the entry: the last writer wins, both wrote
 * a valid first state.
 */
static inline int32_t
vxg_ct_create(struct vxg_ct *ct, const struct vxg_ct_key *k, bool swapped, uint8_t state,
	uint32_t gen, uint16_t lport_orig, uint16_t lport_resp, uint32_t now)
{
	int32_t pos = rte_hash_add_key(ct->h, k);
	struct vxg_ct_entry *e;

	if (pos < 0)
		return pos;
	e = &ct->entries[pos];
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != VXG_CT_NONE) {
		if (!vxg_ct_expired(e, now))
			return pos;
		/* readers take it as a miss while it is rewritten */
		__atomic_store_n(&e->state, VXG_CT_NONE, __ATOMIC_RELEASE);
	}
	e->key = *k;
	e->seen = now;
	e->orig = swapped;
	e->flags = 0;
	e->gen = gen;
	e->lport[0] = lport_orig;
	e->lport[1] = lport_resp;
	__atomic_store_n(&e->state, state, __ATOMIC_RELEASE);
	return pos;
}

/*
 * A packet of a connection (or NAT session) of protocol proto whose shared fields are
 * *state, *flags and *seen: advance the state and refresh `seen`, writing only what
 * changed, so a steady flow does not write a shared cache line per packet.
 */
static inline void
vxg_ct_advance(uint8_t *state, uint8_t *flags, uint32_t *seen, uint8_t proto, bool from_orig,
	uint8_t tcp_flags, uint32_t now)
{
	uint8_t cur = __atomic_load_n(state, __ATOMIC_RELAXED);
	uint8_t f = *flags;
	uint8_t next = vxg_ct_next(cur, proto, from_orig, tcp_flags, &f);

	if (*seen != now)
		*seen = now;
	if (f != *flags)
		*flags = f;
	if (next != cur)
		__atomic_store_n(state, next, __ATOMIC_RELEASE);
}

/* A packet of e's connection. from_orig: vxg_ct_from_orig(). */
static inline void
vxg_ct_touch(struct vxg_ct_entry *e, bool from_orig, uint8_t tcp_flags, uint32_t now)
{
	vxg_ct_advance(&e->state, &e->flags, &e->seen, e->key.proto, from_orig, tcp_flags, now);
}

#endif
