/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC model: what a config file (YAML) says, parsed and validated.
 *
 * Thread-safety: built by the control thread (vxg_config_load), never seen by workers.
 * Workers read the tables compiled from it (vxg_gen.h). A model is immutable once
 * loaded; a reload loads a new one and frees the old one after the new generation is live.
 *
 * IPv4 addresses are in host byte order (what rte_lpm takes); IPv6 addresses are struct
 * vxg_ip6, the 16 bytes in network order (what rte_lpm6 and the IPv6 header hold), all
 * zero (::) for "none"; MACs are rte_ether_addr.
 * References between objects are resolved to indices into the owning arrays, so nothing
 * downstream compares names. Every object keeps the position (file:line:col) it was
 * declared at, so later checks and the shell can point back at the file.
 *
 * The loader's entry points at the end are defined in config.c; the text forms of the
 * values (parsers and the shell's formatters) are in fields.h.
 */
#ifndef VXG_CONFIG_MODEL_H
#define VXG_CONFIG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "vxg_defs.h"

#define VXG_DEVARGS_MAX 256
#define VXG_PORT_IPS_MAX 8
#define VXG_DNS_MAX 4
#define VXG_VNI_MAX 16777215u
#define VXG_NONE UINT32_MAX /* an unset index */

struct vxg_pos {
	unsigned line; /* 1-based, as editors show them */
	unsigned col; /* 1-based */
};

struct vxg_cidr {
	uint32_t addr; /* host order, host bits zero */
	uint8_t len;
};

/* An IPv6 address, network byte order. */
struct vxg_ip6 {
	uint8_t a[16];
};

struct vxg_cidr6 {
	struct vxg_ip6 addr; /* host bits zero */
	uint8_t len;
};

struct vxg_neigh_cfg {
	uint32_t ip;
	struct rte_ether_addr mac;
	struct vxg_pos pos;
};

struct vxg_if_cfg {
	char name[VXG_NAME_MAX];
	char device[VXG_DEVARGS_MAX]; /* PCI address or vdev devargs */
	enum vxg_if_role role;
	uint32_t address; /* 0: none */
	uint8_t prefixlen;
	uint32_t gateway; /* 0: none */
	struct vxg_ip6 address6; /* :: if none (external interfaces only) */
	uint8_t prefixlen6;
	struct vxg_ip6 gateway6; /* :: if none */
	uint16_t mtu; /* default 1500 */
	struct rte_ether_addr mac; /* set on the port at start, if mac_set */
	bool mac_set;
	struct vxg_neigh_cfg *neighbours; /* static neighbours */
	unsigned n_neighbours;
	struct vxg_pos pos;
};

/* Who runs FRR for EVPN: vxgate itself (zebra and bgpd in its namespace, restarted if
 * they die) or the operator (vxgate only writes their configuration). */
enum vxg_frr_mode {
	VXG_FRR_MANAGED,
	VXG_FRR_EXTERNAL,
};

/* A BGP EVPN neighbour: an IPv4 address, iBGP unless it names its own AS. */
struct vxg_evpn_peer_cfg {
	uint32_t address;
	uint32_t asn; /* 0: the local AS (iBGP) */
	struct vxg_pos pos;
};

/* vtep: evpn: BGP EVPN (RFC 7432, RFC 8365) with FRR as the BGP speaker. */
struct vxg_evpn_cfg {
	bool enabled; /* the evpn: block is present */
	uint32_t asn; /* required, 1..4294967295 */
	uint32_t router_id; /* default: the VTEP address */
	struct vxg_evpn_peer_cfg *peers;
	unsigned n_peers;
	char netns[VXG_NAME_MAX]; /* the shadow namespace (key `namespace`), default "vxgate" */
	enum vxg_frr_mode frr; /* default managed */
	bool inband; /* default true: BGP goes through the underlay port, via a tap */
	uint16_t keepalive, hold; /* BGP timers, seconds; default 3 and 9 (datacenter) */
	struct vxg_pos pos;
};

struct vxg_vtep_cfg {
	bool enabled; /* a vtep: section is present */
	uint32_t address;
	uint16_t udp_port; /* default 4789 */
	bool learning; /* default true */
	uint32_t ageing; /* seconds, default 300 */
	bool udp_csum; /* default false */
	uint8_t ttl; /* default 64 */
	bool df; /* default false */
	uint16_t src_port_min, src_port_max; /* default 32768-60999, like Linux */
	unsigned underlay; /* index of the underlay interface holding address */
	struct vxg_evpn_cfg evpn;
	struct vxg_pos pos;
};

struct vxg_dhcp_host_cfg {
	struct rte_ether_addr mac;
	uint32_t ip;
	char hostname[64];
	struct vxg_pos pos;
};

struct vxg_dhcp_cfg {
	bool enabled;
	uint32_t range_start, range_end; /* 0: no dynamic range (static ports only) */
	uint32_t lease; /* seconds, default 86400 */
	uint32_t dns[VXG_DNS_MAX];
	unsigned n_dns;
	char domain[128];
	struct vxg_dhcp_host_cfg *hosts;
	unsigned n_hosts;
	struct vxg_pos pos;
};

/* How a network's IPv6 hosts get their addresses (Neutron's ipv6_ra_mode and
 * ipv6_address_mode, which vxgate keeps equal): the RA's A, M and O flags follow. */
enum vxg_ip6_mode {
	VXG_IP6_SLAAC, /* A=1 M=0 O=0 */
	VXG_IP6_DHCP_STATELESS, /* A=1 M=0 O=1: SLAAC, options by DHCPv6 */
	VXG_IP6_DHCP_STATEFUL, /* A=0 M=1 O=1: addresses by DHCPv6 */
};

/* A network's `ipv6:` block. */
struct vxg_net6_cfg {
	bool enabled; /* the block is present: the network is dual-stack */
	struct vxg_cidr6 cidr; /* a /64 */
	struct vxg_ip6 gateway; /* default: the subnet's ::1 */
	enum vxg_ip6_mode mode; /* default slaac */
	struct vxg_ip6 dns[VXG_DNS_MAX]; /* RDNSS and DHCPv6 DNS servers */
	unsigned n_dns;
	char domain[128]; /* DNSSL and DHCPv6 domain list; "" none */
	struct vxg_ip6 range_start, range_end; /* dhcpv6-stateful pool; :: none */
	uint32_t lease; /* DHCPv6 valid lifetime, seconds; default 86400 */
	uint32_t ra_interval; /* seconds between unsolicited RAs, default 200 */
	uint32_t ra_lifetime; /* router lifetime, seconds; default 3 * ra_interval */
	struct vxg_pos pos;
};

struct vxg_network_cfg {
	char name[VXG_NAME_MAX];
	uint32_t vni;
	struct vxg_cidr cidr;
	uint32_t gateway; /* 0: no router interface on this network */
	struct rte_ether_addr gw_mac; /* configured, or 02:76:78 + the 24-bit VNI */
	bool gw_mac_set; /* gw_mac came from the file */
	uint16_t mtu; /* default: underlay MTU - 50 */
	uint32_t *flood; /* remote VTEP IPs for head-end replication */
	unsigned n_flood;
	bool evpn; /* default true: with vtep.evpn on, EVPN learns this network's VTEPs */
	struct vxg_dhcp_cfg dhcp;
	struct vxg_net6_cfg ip6;
	struct vxg_pos pos;
};

enum vxg_loc_kind {
	VXG_LOC_VTEP,
	VXG_LOC_INTERFACE,
	/* no `location`: behind whichever VTEP BGP EVPN names (only in a network with EVPN) */
	VXG_LOC_EVPN,
};

struct vxg_addr_pair_cfg {
	bool is6; /* ip6 holds the prefix, else ip */
	struct vxg_cidr ip;
	struct vxg_cidr6 ip6;
	struct rte_ether_addr mac;
	bool mac_set; /* else the port's own MAC */
	struct vxg_pos pos;
};

/*
 * A QoS policy (qos_policies): a rate and a burst per direction, Neutron's: ingress is
 * towards the VM, egress away from it. Rates count IP bytes (no Ethernet, VLAN or VXLAN).
 */
struct vxg_qos_rate_cfg {
	bool set; /* the direction is limited */
	uint64_t rate; /* bits a second, > 0 */
	uint64_t burst; /* bytes */
	struct vxg_pos pos;
};

struct vxg_qos_policy_cfg {
	char name[VXG_NAME_MAX];
	struct vxg_qos_rate_cfg dir[2]; /* [enum vxg_dir] */
	enum vxg_qos_action action; /* default drop */
	uint8_t dscp; /* action remark: the DSCP set on packets over the limit */
	struct vxg_pos pos;
};

struct vxg_port_cfg {
	char name[VXG_NAME_MAX];
	unsigned network; /* index into vpc->networks */
	struct rte_ether_addr mac;
	uint32_t ips[VXG_PORT_IPS_MAX]; /* `ip: X` or `ips: [X, Y]` */
	unsigned n_ips;
	/* `ip6: X` or `ip6s: [X, Y]`; in a slaac or dhcpv6-stateless network with none
	 * given, the loader adds the EUI-64 address of mac in the network's /64 (ip6_auto) */
	struct vxg_ip6 ip6s[VXG_PORT_IPS_MAX];
	unsigned n_ip6s;
	bool ip6_auto;
	enum vxg_loc_kind loc;
	uint32_t vtep; /* VXG_LOC_VTEP: remote VTEP IP */
	unsigned interface; /* VXG_LOC_INTERFACE: index into config->interfaces */
	uint16_t vlan; /* VXG_LOC_INTERFACE: 802.1Q tag, 0 untagged */
	unsigned *sgs; /* indices into vpc->sgs */
	unsigned n_sgs;
	struct vxg_addr_pair_cfg *pairs; /* allowed_address_pairs */
	unsigned n_pairs;
	bool port_security; /* default true */
	unsigned qos; /* index into vpc->qos_policies, or VXG_NONE */
	struct vxg_pos pos;
};

enum vxg_remote_kind {
	VXG_REMOTE_ANY, /* no remote given: 0.0.0.0/0 */
	VXG_REMOTE_CIDR, /* remote: CIDR */
	VXG_REMOTE_GROUP, /* remote_group: a security group's member ports */
	VXG_REMOTE_PORT_GROUP, /* remote_port_group: a port group's ports */
	VXG_REMOTE_ADDRESS_SET, /* address_set: a named set of CIDRs */
};

#define VXG_PROTO_ANY 0xffff

struct vxg_rule_cfg {
	enum vxg_dir dir;
	uint16_t ethertype; /* RTE_ETHER_TYPE_IPV4 or RTE_ETHER_TYPE_IPV6 */
	uint16_t proto; /* IP protocol number (58 for icmpv6) or VXG_PROTO_ANY */
	uint16_t port_min, port_max; /* tcp/udp/sctp destination ports; 0-65535 if unset */
	int16_t icmp_type, icmp_code; /* icmp or icmpv6 by ethertype; -1: any */
	enum vxg_remote_kind remote_kind;
	struct vxg_cidr remote; /* VXG_REMOTE_CIDR, ipv4 */
	struct vxg_cidr6 remote6; /* VXG_REMOTE_CIDR, ipv6 (VXG_REMOTE_ANY: ::/0) */
	unsigned remote_index; /* index into vpc sgs / port_groups / address_sets */
	struct vxg_pos pos;
};

struct vxg_sg_cfg {
	char name[VXG_NAME_MAX];
	bool stateful; /* default true */
	struct vxg_rule_cfg *rules;
	unsigned n_rules;
	struct vxg_pos pos;
};

struct vxg_port_group_cfg {
	char name[VXG_NAME_MAX];
	unsigned *ports; /* indices into vpc->ports */
	unsigned n_ports;
	struct vxg_pos pos;
};

struct vxg_address_set_cfg {
	char name[VXG_NAME_MAX];
	struct vxg_cidr *addrs;
	unsigned n_addrs;
	struct vxg_cidr6 *addrs6; /* a set may mix both families */
	unsigned n_addrs6;
	struct vxg_pos pos;
};

struct vxg_route_cfg {
	bool is6; /* prefix6 and nexthop6, else prefix and nexthop */
	struct vxg_cidr prefix;
	uint32_t nexthop; /* 0: none (then via is set) */
	struct vxg_cidr6 prefix6;
	struct vxg_ip6 nexthop6; /* :: if none (then via is set) */
	unsigned via; /* index into config->interfaces, or VXG_NONE */
	struct vxg_pos pos;
};

struct vxg_fip_cfg {
	uint32_t ip; /* external address */
	unsigned port; /* index into vpc->ports */
	uint32_t fixed_ip; /* the port's address it maps to (default: its first) */
	unsigned qos; /* index into vpc->qos_policies, or VXG_NONE */
	struct vxg_pos pos;
};

/* A port forward: TCP or UDP to ip, ports port_min..port_max, goes to port `to`'s first
 * IPv4 address, ports to_min..to_max (as many). */
struct vxg_pfwd_cfg {
	uint32_t ip; /* external address */
	uint16_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port_min, port_max;
	uint16_t to_min, to_max; /* default: port_min..port_max */
	unsigned to; /* index into vpc->ports */
	uint32_t to_ip; /* the port's first IPv4 address (validation fills it in) */
	struct vxg_pos pos;
};

struct vxg_nat_cfg {
	uint32_t snat; /* 0: no router SNAT */
	uint16_t port_min, port_max; /* PAT range, default 1024-65535 */
	unsigned interface; /* external interface, or VXG_NONE if no nat */
	struct vxg_fip_cfg *fips;
	unsigned n_fips;
	struct vxg_pfwd_cfg *fwds;
	unsigned n_fwds;
	unsigned qos; /* the SNAT traffic's policy: index into vpc->qos_policies, or VXG_NONE */
	struct vxg_pos pos;
};

struct vxg_vpc_cfg {
	char name[VXG_NAME_MAX];
	struct vxg_network_cfg *networks;
	unsigned n_networks;
	struct vxg_port_cfg *ports;
	unsigned n_ports;
	struct vxg_sg_cfg *sgs;
	unsigned n_sgs;
	struct vxg_port_group_cfg *port_groups;
	unsigned n_port_groups;
	struct vxg_address_set_cfg *address_sets;
	unsigned n_address_sets;
	struct vxg_route_cfg *routes;
	unsigned n_routes;
	struct vxg_qos_policy_cfg *qos_policies;
	unsigned n_qos_policies;
	struct vxg_nat_cfg nat;
	/* limits: this VPC's own table sizes (0: dataplane.limits'), vxg_vpc_sessions() */
	struct {
		uint32_t sessions, conntrack;
	} limits;
	struct vxg_pos pos;
};

struct vxg_limits_cfg {
	uint32_t fdb; /* default 1048576 */
	uint32_t neighbours; /* default 65536 */
	uint32_t sessions; /* default 1048576 */
	uint32_t conntrack; /* per VPC with security groups, default 262144 */
};

struct vxg_dataplane_cfg {
	uint16_t burst; /* 1..256, default 32 */
	uint32_t mbufs; /* default 32768 */
	uint16_t rx_desc; /* default 1024 */
	uint16_t tx_desc; /* default 1024 */
	uint32_t idle_sleep_us; /* max idle back-off; 0 = busy poll (benchmarks). default 200 */
	uint32_t dhcp_rate; /* DHCP messages a second, all clients together; 0: no cap. 2000 */
	uint32_t dhcp_client_rate; /* DHCP messages a second of one client (bursts of twice
				    * as many); 0: no per-client limit. 10 */
	struct vxg_limits_cfg limits;
};

/* metrics: the Prometheus endpoint. Absent: off. */
struct vxg_metrics_cfg {
	bool enabled; /* the section is present */
	uint32_t addr; /* listen address, host order; 0: every address */
	uint16_t port; /* listen port, 1..65535 */
	struct vxg_pos pos; /* of listen:, for messages about the socket */
};

struct vxg_config {
	char path[4096];
	struct vxg_dataplane_cfg dataplane;
	struct vxg_metrics_cfg metrics;
	struct vxg_if_cfg *interfaces;
	unsigned n_interfaces;
	struct vxg_vtep_cfg vtep;
	struct vxg_vpc_cfg *vpcs;
	unsigned n_vpcs;
};

/*
 * Load and validate a YAML file. On success, returns 0 and *out. On failure, returns
 * -EINVAL (or -errno for I/O), and writes to err one line per problem found, each
 * "FILE:LINE:COL: OBJECT: what is wrong", NUL-terminated, truncated to errlen.
 */
int vxg_config_load(const char *path, struct vxg_config **out, char *err, size_t errlen);

/* Same, from a string in memory; `name` stands for the file name in messages. */
int vxg_config_load_string(
	const char *name, const char *yaml, struct vxg_config **out, char *err, size_t errlen);

void vxg_config_free(struct vxg_config *c);

/* Counts for `show config`. */
struct vxg_config_counts {
	unsigned vpcs, networks, ports, security_groups, rules, port_groups, address_sets, routes,
		snat, floating_ips, interfaces;
	/* the IPv6 side: dual-stack networks, ports' IPv6 addresses (of which derived by
	 * EUI-64), IPv6 routes and rules, interfaces with an address6 */
	unsigned networks6, addresses6, addresses6_auto, routes6, rules6, interfaces6;
};
void vxg_config_count(const struct vxg_config *c, struct vxg_config_counts *n);

/* Find helpers: index or VXG_NONE. */
unsigned vxg_config_find_interface(const struct vxg_config *c, const char *name);
unsigned vxg_config_find_vpc(const struct vxg_config *c, const char *name);
/* The VPCs a `show` command names: [*first, *last) is every VPC (name NULL) or VPC name
 * alone. 0, or -ENOENT when no VPC has that name. */
int vxg_config_vpc_range(
	const struct vxg_config *c, const char *name, unsigned *first, unsigned *last);

/* VPC v's session table size (its limits.sessions, else dataplane.limits.sessions). */
static inline uint32_t
vxg_vpc_sessions(const struct vxg_config *c, unsigned v)
{
	return c->vpcs[v].limits.sessions ? c->vpcs[v].limits.sessions
					  : c->dataplane.limits.sessions;
}

/* VPC v's conntrack table size (its limits.conntrack, else dataplane.limits.conntrack). */
static inline uint32_t
vxg_vpc_conntrack(const struct vxg_config *c, unsigned v)
{
	return c->vpcs[v].limits.conntrack ? c->vpcs[v].limits.conntrack
					   : c->dataplane.limits.conntrack;
}

#endif
