/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-worker counters and the named drop reasons.
 *
 * Thread-safety: each worker writes only its own struct vxg_worker_stats, with plain
 * stores (no atomics), flushed once per burst. Control, the shell and telemetry read them
 * racily: a 64-bit aligned load on x86-64 is never torn, and a counter read a burst late
 * is fine. `clear stats` never writes to them: control keeps a baseline and subtracts it.
 */
#ifndef VXG_STATS_H
#define VXG_STATS_H

#include <stdint.h>

#include <rte_common.h>

/* One line per reason: the name shown by `show stats` and its meaning. Keep the names
 * stable: scripts and tests grep for them. */
#define VXG_DROP_REASONS(X)                                                                       \
	X(eth_truncated, "frame shorter than its Ethernet/802.1Q header")                         \
	X(eth_src_multicast, "source MAC is multicast or broadcast")                              \
	X(vlan_unknown, "802.1Q tag on an interface that carries no such VLAN")                   \
	X(not_for_us, "unicast to a MAC that is not this interface's on a routed interface")      \
	X(ethertype_unknown, "ethertype that this interface's role does not handle")              \
	X(no_stage, "traffic whose forwarding stage is not built yet for this role")              \
	X(tx_full, "transmit queue full")                                                         \
	X(punt_full, "worker-to-control ring full")                                               \
	X(ip_bad_header, "IPv4 version, header length or total length is wrong")                  \
	X(ip_bad_checksum, "IPv4 header checksum is wrong")                                       \
	X(ip_fragment, "outer IPv4 fragment: VTEPs must not fragment (RFC 7348)")                 \
	X(vxlan_truncated, "UDP datagram too short for VXLAN and an inner Ethernet header")       \
	X(vxlan_bad_flags, "VXLAN I flag clear or reserved bits set")                             \
	X(vxlan_unknown_vni, "VXLAN VNI of no configured network")                                \
	X(vtep_unresolved, "remote VTEP whose underlay next hop has no neighbour entry")          \
	X(mtu_exceeded, "frame too big for the underlay MTU once encapsulated (+50 bytes)")       \
	X(l2_hairpin, "known unicast to the interface and VLAN it came from")                     \
	X(l2_split_horizon, "from the overlay to a MAC behind a remote VTEP")                     \
	X(l2_no_flood_target, "flooded frame with nowhere to go (split horizon, no ports)")       \
	X(mbuf_exhausted, "no mbuf or headroom for a flood copy, a VLAN tag or outer headers")    \
	X(ttl_exceeded, "routed packet with TTL 1 or 0 and no ICMP error allowed")                \
	X(no_route, "routed packet with no route and no ICMP error allowed")                      \
	X(frag_needed, "too big with DF set for the next hop and no ICMP error allowed")          \
	X(nh_unresolved, "routed out of an interface whose gateway has no neighbour entry")       \
	X(l3_not_ip, "frame to the router MAC that is neither IPv4 nor ARP")                      \
	X(l3_broadcast, "broadcast to the router that is not ARP or DHCP")                        \
	X(spoof_mac, "port security: a port's MAC from elsewhere, or no port's MAC from a port")  \
	X(spoof_ip, "port security: IPv4 source that is not the port's (nor an address pair)")    \
	X(spoof_arp, "port security: ARP sender that is not the port's MAC and address")          \
	X(spoof_dhcp, "port security: a DHCP server reply sent by a port")                        \
	X(port_sec_ethertype, "port security: neither IPv4, IPv6 nor ARP from a secured port")    \
	X(psec_ip6_src, "port security: IPv6 source not the port's (link-local, pair, DAD's ::)") \
	X(psec_ip6_header, "port security: IPv6 headers unreadable, or an extension not parsed")  \
	X(psec_nd_target, "port security: Neighbour Advertisement for an address not the port's") \
	X(psec_nd_lladdr, "port security: ND link-layer address option not the port's MAC")       \
	X(psec_ra_guard, "port security: a Router Advertisement or Redirect sent by a port")      \
	X(psec_dhcp6_server, "port security: a DHCPv6 server message sent by a port")             \
	X(sg_egress_deny, "security groups: no egress rule of the sender allows it")              \
	X(sg_ingress_deny, "security groups: no ingress rule of the receiver allows it")          \
	X(sg_blocked, "security groups: a connection the rules stopped allowing on reload")       \
	X(conntrack_full, "security groups: new connection, the VPC's conntrack table is full")   \
	X(nat_no_mapping, "external: IPv4 to an address that is no floating IP or SNAT address")  \
	X(nat_no_session, "external: to a SNAT address, matching no session")                     \
	X(nat_ports_exhausted, "SNAT: new flow, no free port in the range to that destination")   \
	X(nat_table_full, "SNAT: new flow, the VPC's session table (limits.sessions) is full")    \
	X(nat_unsupported, "SNAT: neither TCP, UDP, ICMP echo nor an ICMP error about a session") \
	X(nat_fragment, "SNAT: a non-first fragment, which has no ports to translate")            \
	X(nat_truncated, "NAT: L4 header or ICMP quote too short to translate")                   \
	X(ip6_bad_header, "IPv6 version or payload length is wrong (at the router)")              \
	X(ip6_not_routable, "IPv6 to or from a link-local, multicast or unspecified address")     \
	X(hop_limit_exceeded, "routed IPv6 with hop limit 1 or 0 and no ICMPv6 error allowed")    \
	X(no_route6, "routed IPv6 packet with no route and no ICMPv6 error allowed")              \
	X(pkt_too_big, "IPv6 bigger than the next hop's MTU and no ICMPv6 error allowed")         \
	X(ip6_no_vpc, "external: IPv6 to no /64 of a VPC that routes out of this interface")      \
	X(host_ratelimit, "for the host tap, past the worker's rate (20000/s, bursts of 512)")   \
	X(qos_exceeded, "QoS: over its port's, floating IP's or SNAT's policy rate and burst")

/* Events that are not drops: the packet goes on, a side effect failed or happened. */
#define VXG_EVENTS(X)                                                           \
	X(fdb_learned, "new MAC learned")                                       \
	X(fdb_moved, "learned MAC seen at another interface or VTEP")           \
	X(fdb_full, "MAC not learned: the FDB (limits.fdb) is full")            \
	X(routed, "packet routed by a VPC router")                              \
	X(icmp_time_exceeded, "ICMP time exceeded sent (TTL)")                  \
	X(icmp_unreachable, "ICMP net unreachable sent (no route)")             \
	X(icmp_frag_needed, "ICMP fragmentation needed sent (DF)")              \
	X(icmp_ratelimited, "ICMP error not sent: rate limit")                  \
	X(fragmented, "packet fragmented for the next hop MTU")                 \
	X(neigh_miss, "routed packet sent to control: no neighbour")            \
	X(ct_hit, "packet of a tracked connection (no classification)")         \
	X(ct_cached, "of those, found in the worker's exact-match cache")       \
	X(ct_created, "connection tracked: a stateful rule allowed it")         \
	X(ct_revalidated, "tracked connection checked against a newer config")  \
	X(nat_snat_out, "packet SNATed out of a NAT interface")                 \
	X(nat_cached, "of those, session found in the worker's cache")          \
	X(nat_snat_in, "reply to a SNAT session translated back")               \
	X(nat_fip_out, "packet from a port with a floating IP translated")      \
	X(nat_fip_in, "packet to a floating IP translated to its port")         \
	X(nat_session_created, "SNAT session created")                          \
	X(nat_hairpin, "translated packet to one of our NAT addresses: looped") \
	X(nat_icmp_error, "ICMP error about a NAT flow translated")             \
	X(nat_in_cached, "inbound NAT session found in the worker's cache")     \
	X(nat_fwd_in, "packet to a port forward translated to its target")      \
	X(nat_fwd_out, "reply of a port forward's session translated back")     \
	X(nat_fwd_session, "port forward session created")                      \
	X(nat_hairpin_snat, "hairpin to an SNAT mapping")                       \
	X(nat_hairpin_fwd, "hairpin to a port forward")                         \
	X(nat_hairpin_fip, "hairpin to a floating IP")                          \
	X(routed6, "IPv6 packet routed by a VPC router")                        \
	X(icmp6_time_exceeded, "ICMPv6 time exceeded sent (hop limit)")         \
	X(icmp6_unreachable, "ICMPv6 destination unreachable sent (no route)")  \
	X(icmp6_pkt_too_big, "ICMPv6 packet too big sent (next hop MTU)")       \
	X(neigh6_miss, "routed IPv6 packet sent to control: no neighbour")

enum vxg_drop_reason {
#define VXG_DROP_ENUM(name, help) VXG_DROP_##name,
	VXG_DROP_REASONS(VXG_DROP_ENUM)
#undef VXG_DROP_ENUM
		VXG_DROP_MAX
};

enum vxg_event {
#define VXG_EVENT_ENUM(name, help) VXG_EV_##name,
	VXG_EVENTS(VXG_EVENT_ENUM)
#undef VXG_EVENT_ENUM
		VXG_EV_MAX
};

extern const char *const vxg_drop_names[VXG_DROP_MAX];
extern const char *const vxg_event_names[VXG_EV_MAX];
extern const char *const vxg_drop_help[VXG_DROP_MAX];

struct vxg_worker_stats {
	uint64_t rx; /* packets received */
	uint64_t tx; /* packets handed to a NIC that accepted them */
	uint64_t punted; /* packets sent to the control thread */
	uint64_t iterations; /* loop passes */
	uint64_t busy_cycles; /* TSC cycles of passes that received packets */
	uint64_t idle_cycles; /* TSC cycles of passes that received nothing, sleeps included */
	uint64_t drops[VXG_DROP_MAX];
	uint64_t events[VXG_EV_MAX];
} __rte_cache_aligned;

static inline uint64_t
vxg_stats_drops_total(const struct vxg_worker_stats *s)
{
	uint64_t t = 0;
	for (unsigned i = 0; i < VXG_DROP_MAX; i++)
		t += s->drops[i];
	return t;
}

#endif
