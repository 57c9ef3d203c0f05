/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace: what the workers record about the packets control asked them to follow
 * (`trace start`), and the buffer control reads the records from (`show trace`).
 *
 * A worker marks a packet at rx while it has packets left to trace (its budget), if the
 * trace's filter (a tcpdump expression, vxg_bpf.h) matches the frame as received; one it
 * refuses is counted (`filtered`) and leaves the budget as it was. The mark is a bit in
 * ol_flags (vxg_trace_mask, a dynamic mbuf flag: drivers write ol_flags afresh on rx, so
 * no other packet has it) and the record's index in the mbuf's vxg_meta. Each stage adds
 * an event to the record of a marked packet: what it decided. A copy of a marked packet (a
 * flood copy, a fragment) is marked with the same record, so a record lists every copy's
 * exit. A packet is done within the pass that received it, so at the end of the pass the
 * worker publishes its records.
 *
 * Thread-safety: a record is written only by the worker that owns the buffer, and never
 * again once published: the worker stores n_done with release after writing records
 * [0, n_done), and control reads them after an acquire load. A new epoch (`trace clear`)
 * empties the buffer: the worker zeroes it and then stores the epoch with release;
 * control shows a buffer only when its epoch is the one it asked for last. `left`,
 * `traced`, `full` and `filtered` are counters control reads racily. Commands reach the worker over
 * its ctl_ring (VXG_MSG_TRACE) as a struct vxg_trace_cmd that control keeps unchanged
 * until every worker has acknowledged it or a later one (`applied`: a worker copies what
 * it needs as it takes a command, and takes them in order). The command's filter is the
 * one thing a worker keeps a pointer into: control destroys it only once every worker has
 * acknowledged a later command, which replaced the worker's copy between two passes, so
 * no worker can be running it any more.
 */
#ifndef VXG_TRACE_H
#define VXG_TRACE_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "vxg_bpf.h"

#define VXG_TRACE_MAX 1000 /* records a worker keeps; also the most `trace start` takes */
#define VXG_TRACE_DEFAULT 50 /* packets `trace start` follows without a count */
#define VXG_TRACE_EVENTS 24 /* events a record keeps; more are counted in `lost` */
#define VXG_TRACE_HEAD 128 /* bytes of the packet kept as it arrived */
#define VXG_TRACE_ANY_PORT UINT16_MAX

/* What happened to a packet; the fields of struct vxg_trace_ev each kind uses. Addresses
 * and ports are kept in network order. */
enum vxg_trace_kind {
	VXG_TR_NONE,
	VXG_TR_RX, /* h port, code role, a interface index, b length */
	VXG_TR_ETH, /* code enum vxg_tr_eth; h VLAN, a VNI of the network (access) */
	VXG_TR_DECAP, /* a VNI, b the sending VTEP */
	VXG_TR_PSEC, /* code VXG_DROP_MAX: passes, else the drop reason; h port slot + 1 */
	VXG_TR_LEARN, /* code enum vxg_tr_learn */
	VXG_TR_L2, /* code enum vxg_tr_l2; a VNI, mac; FDB: h port, c VLAN, b VTEP */
	VXG_TR_FLOOD, /* a VNI, b targets, code 1: security groups judge each copy */
	VXG_TR_ROUTE, /* code enum vxg_tr_route; h VPC, a destination, b next hop, c nh + 1,
		       * d the port (out of an interface) */
	VXG_TR_NEIGH, /* code 1 hit, 0 miss; a VNI, b address, mac */
	VXG_TR_ICMP, /* code type, h ICMP code: the packet became this ICMP error */
	VXG_TR_FRAG, /* a fragments */
	VXG_TR_SG, /* code enum vxg_tr_sg; h VPC, a egress rule, b ingress rule (ref + 1),
		    * c sender's port slot + 1, d receiver's; conntrack: a its state */
	VXG_TR_NAT, /* code enum vxg_tr_nat; a before, b after (address), c, d their ports */
	VXG_TR_ENCAP, /* a the remote VTEP, b VNI */
	VXG_TR_ROUTE6, /* IPv6 route: code enum vxg_tr_route; h VPC, a nh + 1 | port << 16 (out
			* of an interface), ip6 destination */
	VXG_TR_NEIGH6, /* code 1 hit, 0 miss; a VNI or VXG_L3N6_IF | interface, ip6 address */
	VXG_TR_ICMP6, /* code type, h ICMPv6 code, a MTU (too big): the packet became this */
	VXG_TR_TX, /* exit: h port, c VLAN */
	VXG_TR_PUNT, /* exit: code enum vxg_punt_why */
	VXG_TR_DROP, /* exit: code enum vxg_drop_reason */
	VXG_TR_KINDS
};

enum vxg_tr_eth {
	VXG_TR_ETH_ACCESS, /* into the network of its VLAN */
	VXG_TR_ETH_EXTERNAL, /* IPv4 from outside: to NAT */
	VXG_TR_ETH_FOR_US, /* ARP, or ICMP to an address of ours */
};

enum vxg_tr_learn {
	VXG_TR_LEARN_NEW, /* learned */
	VXG_TR_LEARN_MOVED, /* learned somewhere else before: moved */
	VXG_TR_LEARN_KNOWN, /* learned here already */
	VXG_TR_LEARN_STATIC, /* a declared port's MAC: never moved */
	VXG_TR_LEARN_FULL, /* not learned: the FDB is full */
};

enum vxg_tr_l2 {
	VXG_TR_L2_HIT, /* known unicast: to where the FDB says */
	VXG_TR_L2_MISS, /* unknown unicast, broadcast, multicast: flood */
	VXG_TR_L2_ROUTER, /* to the network's gateway MAC: the router */
};

enum vxg_tr_route {
	VXG_TR_ROUTE_CONNECTED, /* to a host on a network of the VPC */
	VXG_TR_ROUTE_GATEWAY, /* to a router on a network of the VPC */
	VXG_TR_ROUTE_INTERFACE, /* out of an external interface */
	VXG_TR_ROUTE_LOCAL, /* to the router itself */
	VXG_TR_ROUTE_NONE, /* no route */
	VXG_TR_ROUTE_OUTSIDE = 0x80, /* (flag) in from an external interface, through NAT */
};

enum vxg_tr_sg {
	VXG_TR_SG_PASS, /* ARP or a later fragment: no rule applies */
	VXG_TR_SG_ESTABLISHED, /* tracked connection, from its originator */
	VXG_TR_SG_REPLY, /* tracked connection, from its responder */
	VXG_TR_SG_RELATED, /* ICMP error about a tracked connection */
	VXG_TR_SG_NEW, /* allowed by the rules, a new connection tracked */
	VXG_TR_SG_ALLOW, /* allowed by the rules, not tracked (stateless rule, reply) */
	VXG_TR_SG_DENY, /* no rule allows it */
	VXG_TR_SG_BLOCKED, /* a tracked connection the rules stopped allowing */
	VXG_TR_SG_FULL, /* allowed, but the conntrack table is full */
	VXG_TR_SG_BAD, /* not IPv4 enough to classify */
	VXG_TR_SG_CACHED = 0x80, /* (flag) found in the worker's exact-match cache */
};

enum vxg_tr_nat {
	VXG_TR_NAT_SNAT_NEW, /* SNAT out, a new session */
	VXG_TR_NAT_SNAT, /* SNAT out, an existing session */
	VXG_TR_NAT_SNAT_IN, /* a reply to a SNAT session, back to the inside */
	VXG_TR_NAT_FIP_OUT, /* from a floating IP's port */
	VXG_TR_NAT_FIP_IN, /* to a floating IP */
	VXG_TR_NAT_ICMP_OUT, /* an ICMP error about a flow, its quote translated (out) */
	VXG_TR_NAT_ICMP_IN, /* the same, in */
	VXG_TR_NAT_HAIRPIN, /* to one of our NAT addresses: back in from outside */
	VXG_TR_NAT_LOCAL, /* a ping of an SNAT address: the router answers it */
	VXG_TR_NAT_FWD_NEW, /* to a port forward, a new session */
};

/* One event: 24 bytes, the meaning of each field by kind (above). The IPv6 kinds keep
 * their address where the others keep b, c, d and mac: an event stays 24 bytes. */
struct vxg_trace_ev {
	uint8_t kind; /* enum vxg_trace_kind */
	uint8_t code;
	uint16_t h;
	uint32_t a;
	union {
		struct {
			uint32_t b;
			uint16_t c, d;
			struct rte_ether_addr
				mac; /* L2: the destination looked up; NEIGH: the answer */
			uint16_t pad;
		};
		uint8_t ip6[16]; /* ROUTE6, NEIGH6: network order */
	};
};

struct vxg_trace_rec {
	uint64_t tsc; /* when the worker received it */
	uint64_t gen; /* the generation it went through */
	uint32_t seq; /* the worker's count of traced packets, from 1 */
	uint16_t port; /* the DPDK port it came in on */
	uint16_t len; /* its length then */
	uint8_t n_ev; /* events in ev */
	uint8_t lost; /* events that did not fit */
	uint8_t head_len; /* bytes in head */
	uint8_t pad[5];
	uint8_t head[VXG_TRACE_HEAD]; /* its first bytes then */
	struct vxg_trace_ev ev[VXG_TRACE_EVENTS];
};

/* A worker's records, allocated by control before the workers start. */
struct vxg_trace_buf {
	uint32_t epoch; /* the records are of this epoch (release, by the worker) */
	uint32_t n_done; /* records [0, n_done) are complete (release, by the worker) */
	uint32_t left; /* packets still to trace (racy) */
	uint32_t applied; /* the seq of the last command the worker took (release) */
	uint64_t traced; /* packets traced in this epoch (racy) */
	uint64_t full; /* packets not traced: the buffer was full (racy) */
	uint64_t filtered; /* packets not traced: the filter refused them (racy) */
	struct vxg_trace_rec rec[VXG_TRACE_MAX];
} __rte_cache_aligned;

/* What control asks of every worker (VXG_MSG_TRACE). */
struct vxg_trace_cmd {
	uint32_t seq; /* acknowledged in vxg_trace_buf.applied once taken */
	uint32_t epoch; /* not the worker's: empty the buffer first */
	uint32_t budget; /* packets to trace from now on (replaces what was left); 0 stops */
	uint16_t port; /* only those received on this DPDK port; VXG_TRACE_ANY_PORT: all */
	struct vxg_bpf filter; /* only those it matches (no bpf: all); owned by control */
};

/* The worker's side of the trace: private to the worker. */
struct vxg_trace_wk {
	uint32_t budget; /* packets left to mark: 0, tracing is off (the one test at rx) */
	uint16_t live; /* records opened in this pass (0: no stage looks further) */
	uint16_t port;
	uint32_t epoch;
	uint32_t n_used; /* records written, published or not */
	uint32_t pass_first; /* the first record of this pass */
	struct vxg_bpf filter; /* the last command's: run on a packet only while budget != 0 */
};

/* The ol_flags bit of a traced packet (registered with vxg_meta_register). */
extern uint64_t vxg_trace_mask;

#endif
