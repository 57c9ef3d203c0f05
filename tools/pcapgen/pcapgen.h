/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapgen: writes the input captures of vxgate's benchmarks and replay tests.
 *
 * Every frame is a pure function of the arguments and of its index (fixed timestamps, a
 * payload drawn from --seed and the index), so identical arguments give byte-identical
 * files and a test regenerates the capture it needs instead of committing binaries.
 *
 * The defaults describe the example VPC: vm1 (web, VNI 100) lives behind the remote VTEP,
 * vm2 (db, VNI 200) on an access interface; see usage() for the full list.
 *
 * This header holds what the files of tools/pcapgen/ share.
 */
#ifndef PCAPGEN_H
#define PCAPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wire fields are big endian; the typedefs only document it. */
typedef uint16_t be16;
typedef uint32_t be32;

struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	be16 type;
} __attribute__((packed));

struct vlan_hdr {
	be16 tci;
	be16 type;
} __attribute__((packed));

struct ipv4_hdr {
	uint8_t ver_ihl;
	uint8_t tos;
	be16 len;
	be16 id;
	be16 frag;
	uint8_t ttl;
	uint8_t proto;
	be16 cksum;
	be32 src;
	be32 dst;
} __attribute__((packed));

struct udp_hdr {
	be16 sport;
	be16 dport;
	be16 len;
	be16 cksum;
} __attribute__((packed));

struct tcp_hdr {
	be16 sport;
	be16 dport;
	be32 seq;
	be32 ack;
	uint8_t off; /* data offset in the high nibble */
	uint8_t flags;
	be16 win;
	be16 cksum;
	be16 urp;
} __attribute__((packed));

struct icmp_echo {
	uint8_t type;
	uint8_t code;
	be16 cksum;
	be16 id;
	be16 seq;
} __attribute__((packed));

struct vxlan_hdr {
	uint8_t flags;
	uint8_t rsvd1[3];
	uint8_t vni[3];
	uint8_t rsvd2;
} __attribute__((packed));

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_VLAN 0x8100
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IP_MF 0x2000
#define TCP_SYN 0x02
#define TCP_ACK 0x10
#define VXLAN_FLAG_I 0x08

#define ETH_HLEN sizeof(struct eth_hdr)
#define VLAN_HLEN sizeof(struct vlan_hdr)
#define IP4_HLEN sizeof(struct ipv4_hdr)
#define VXLAN_OVERHEAD                                                               \
	(sizeof(struct eth_hdr) + sizeof(struct ipv4_hdr) + sizeof(struct udp_hdr) + \
		sizeof(struct vxlan_hdr))
#define ETH_MIN_LEN 60 /* without FCS */
#define FRAME_MAX 16384
#define INNER_DEFAULT_LEN 64 /* decap's default inner frame */
#define GARBAGE_UNKNOWN_VNI 12345
/* Linux's default VXLAN source port range (and vxgate's, see vxg_vtep_cfg). */
#define VXLAN_SPORT_MIN 32768
#define VXLAN_SPORT_MAX 60999
#define TS_BASE_SEC 1700000000

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/* The example configuration's addresses (config/). */
extern const uint8_t vm1_mac[6];
extern const uint8_t vm2_mac[6];
extern const uint8_t db_peer_mac[6];
extern const uint8_t web_gw_mac[6]; /* VNI 100 */
extern const uint8_t db_gw_mac[6]; /* VNI 200 */
extern const uint8_t upstream_mac[6];
extern const uint8_t underlay_mac[6];
extern const uint8_t remote_vtep_mac[6];
#define VM1_IP IP4(10, 1, 0, 11)
#define VM2_IP IP4(10, 2, 0, 12)
#define DB_PEER_IP IP4(10, 2, 0, 13)
#define VTEP_LOCAL_IP IP4(172, 16, 0, 1)
#define VTEP_REMOTE_IP IP4(172, 16, 0, 2)
#define SNAT_IP IP4(203, 0, 113, 10)
#define FIP_IP IP4(203, 0, 113, 20)
#define SERVER_IP IP4(198, 51, 100, 10)
/* dhcp: the address client 0 asks for, and db's gateway. */
#define DHCP_FIRST_IP IP4(10, 2, 0, 100)
#define DB_GW_IP IP4(10, 2, 0, 1)

/* Options whose default depends on the scenario: a bit says the command line gave it. */
enum {
	O_SIZE = 1u << 0,
	O_VLAN = 1u << 1,
	O_SRC_MAC = 1u << 2,
	O_DST_MAC = 1u << 3,
	O_SRC_IP = 1u << 4,
	O_DST_IP = 1u << 5,
	O_DPORT = 1u << 6,
	O_PROTO = 1u << 7,
};

struct opts {
	const char *scenario;
	const char *out;
	unsigned long count;
	unsigned long size;
	unsigned long flows, macs, hosts, dst_hosts, dst_stride;
	uint32_t vni;
	uint16_t vlan;
	uint8_t src_mac[6], dst_mac[6];
	uint8_t underlay_mac[6], remote_vtep_mac[6], router_mac[6];
	uint32_t src_ip, dst_ip; /* host order, like every address below */
	uint32_t vtep_local, vtep_remote, snat, fip;
	uint16_t udp_port, sport, dport;
	uint8_t proto, ttl;
	uint64_t seed;
	unsigned set; /* O_* given on the command line */
};

/* One frame to build: the addresses after per-packet variation, in host order. */
struct flow {
	uint8_t dst_mac[6], src_mac[6];
	uint16_t vlan; /* 0: untagged */
	uint32_t sip, dip;
	uint8_t proto, ttl, tcp_flags;
	uint16_t ip_id;
	uint16_t sport, dport; /* ICMP: echo id and sequence */
	uint8_t icmp_type;
	uint32_t seq, ack;
	size_t len; /* frame length before padding */
	bool pad; /* pad to ETH_MIN_LEN; inner frames are not padded */
};

/* What a scenario sends when the command line does not say otherwise. */
struct endpoints {
	const uint8_t *src_mac, *dst_mac;
	uint32_t src_ip, dst_ip;
	uint16_t vlan;
	uint16_t sport, dport;
	bool reply; /* the varied port is the destination (replies to many flows) */
	bool tcp_est; /* every TCP segment is ACK (established), no SYN first */
	bool tcp_syn; /* every TCP segment is a SYN (each packet opens a connection) */
	bool icmp_reply; /* echo reply rather than request */
};

/* The outer headers of a VXLAN packet. */
struct tunnel {
	const uint8_t *src_mac, *dst_mac;
	uint16_t vlan;
	uint32_t sip, dip;
	uint16_t ip_id, sport, dport;
	uint8_t flags;
	uint32_t vni;
};

typedef int gen_fn(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);

struct scenario {
	const char *name;
	const char *summary;
	gen_fn *gen;
	unsigned fixed_count; /* 0: -n decides */
};

/* The scenarios, in --list order (scenarios.c), and the functions that build them. */
extern const struct scenario scenarios[];
extern const size_t n_scenarios;

/* garbage: one malformed frame of each kind, in this order (usage() lists them). */
enum garbage {
	G_SHORT_ETH,
	G_MCAST_SRC,
	G_IP_VERSION,
	G_IP_IHL,
	G_IP_CKSUM,
	G_IP_LEN,
	G_VXLAN_NO_I,
	G_VXLAN_RSVD,
	G_VXLAN_VNI,
	G_IP_FRAG,
	G_VXLAN_SHORT,
	G_COUNT
};

/* What the command line gave, or the scenario's default. */
static inline const uint8_t *
opt_mac(const struct opts *o, unsigned bit, const uint8_t *val, const uint8_t *def)
{
	return (o->set & bit) ? val : def;
}

static inline uint32_t
opt_ip(const struct opts *o, unsigned bit, uint32_t val, uint32_t def)
{
	return (o->set & bit) ? val : def;
}

static inline uint16_t
opt_vlan(const struct opts *o, uint16_t def)
{
	return (o->set & O_VLAN) ? o->vlan : def;
}

/* frame.c: checksums, noise and the headers every scenario writes. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint16_t ipv4_cksum(const struct ipv4_hdr *ip);
uint32_t mix32(uint64_t seed, uint64_t v);
void mac_add(uint8_t *out, const uint8_t *base, uint32_t n);
uint16_t port_add(uint16_t base, uint32_t n);
size_t eth_hlen(uint16_t vlan);
size_t frame_min_len(const struct flow *f);
const char *proto_name(uint8_t proto);
size_t put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t vlan, uint16_t type);
void put_ipv4(struct ipv4_hdr *ip, uint32_t sip, uint32_t dip, uint8_t proto, uint8_t ttl,
	uint16_t id, size_t total_len);
void put_udp(struct udp_hdr *udp, const struct ipv4_hdr *ip, const struct flow *f, size_t len);
size_t build_frame(uint8_t *buf, const struct flow *f, uint64_t seed, uint32_t idx);
uint16_t flow_sport(const struct flow *f);
size_t put_tunnel(uint8_t *buf, const struct tunnel *t, size_t inner_len);

/* flows.c: traffic between the example's endpoints, and the VXLAN garbage breaks. */
int gen_encap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_decap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_l2(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_routed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_sg(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_sg_syn(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_snat(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_snat_reply(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_fip(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_mixed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
void decap_tunnel(struct tunnel *t, const struct opts *o, uint32_t i, uint32_t vni);
int gen_decap_vni(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len, uint32_t vni);

/* ip6.c: IPv6 */
int gen_l2v6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_routed6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_sg6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);

/* dhcp.c, garbage.c */
int gen_dhcp(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);
int gen_garbage(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len);

/* args.c: the command line; NULL after saying why, exits for --help and --list. */
const struct scenario *parse_args(int argc, char **argv, struct opts *o);

#endif
