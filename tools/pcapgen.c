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
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

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
static const uint8_t vm1_mac[6] = {0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b};
static const uint8_t vm2_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c};
static const uint8_t db_peer_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x00, 0x0d};
static const uint8_t web_gw_mac[6] = {0x02, 0x76, 0x78, 0x00, 0x00, 0x64}; /* VNI 100 */
static const uint8_t db_gw_mac[6] = {0x02, 0x76, 0x78, 0x00, 0x00, 0xc8}; /* VNI 200 */
static const uint8_t upstream_mac[6] = {0x02, 0x00, 0xcb, 0x00, 0x71, 0x01};
static const uint8_t underlay_mac[6] = {0x02, 0x00, 0xac, 0x10, 0x00, 0x01};
static const uint8_t remote_vtep_mac[6] = {0x02, 0x00, 0xac, 0x10, 0x00, 0x02};
#define VM1_IP IP4(10, 1, 0, 11)
#define VM2_IP IP4(10, 2, 0, 12)
#define DB_PEER_IP IP4(10, 2, 0, 13)
#define VTEP_LOCAL_IP IP4(172, 16, 0, 1)
#define VTEP_REMOTE_IP IP4(172, 16, 0, 2)
#define SNAT_IP IP4(203, 0, 113, 10)
#define FIP_IP IP4(203, 0, 113, 20)
#define SERVER_IP IP4(198, 51, 100, 10)
/* dhcp: clients on db (not any port's MAC), the address client 0 asks for, db's gateway. */
static const uint8_t dhcp_client_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x10, 0x00};
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

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("pcapgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Checksums: the one's complement sum of big-endian 16-bit words (RFC 1071). */
static uint32_t
csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t k;

	for (k = 0; k + 1 < len; k += 2)
		sum += (uint32_t)p[k] << 8 | p[k + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t
ipv4_cksum(const struct ipv4_hdr *ip)
{
	return csum_fold(csum_add(0, ip, IP4_HLEN));
}

/* The TCP/UDP checksum: pseudo-header, then the segment with its checksum field zero. */
static uint16_t
l4_cksum(const struct ipv4_hdr *ip, const void *l4, size_t len)
{
	uint32_t sum = csum_add(0, &ip->src, 8);

	sum += ip->proto + (uint32_t)len;
	return csum_fold(csum_add(sum, l4, len));
}

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t
mix32(uint64_t seed, uint64_t v)
{
	uint64_t s = seed ^ (v * 0xd6e8feb86659fd93ull);

	return (uint32_t)splitmix64(&s);
}

/*
 * The payload starts with the packet index (big endian) so that a frame in an output
 * capture can be traced back to its input; the rest is seeded noise, so corruption shows.
 */
static void
fill_payload(uint8_t *p, size_t len, uint64_t seed, uint32_t idx)
{
	uint64_t s = seed ^ ((uint64_t)idx * 0x9e3779b97f4a7c15ull);
	uint64_t r = 0;
	size_t k;

	for (k = 0; k < len && k < 4; k++)
		p[k] = (uint8_t)(idx >> (24 - 8 * k));
	for (; k < len; k++) {
		if ((k - 4) % 8 == 0)
			r = splitmix64(&s);
		p[k] = (uint8_t)(r >> (8 * ((k - 4) % 8)));
	}
}

/* Varies the low 32 bits, keeping the locally administered unicast first bytes. */
static void
mac_add(uint8_t *out, const uint8_t *base, uint32_t n)
{
	uint32_t low = (uint32_t)base[2] << 24 | base[3] << 16 | base[4] << 8 | base[5];

	low += n;
	out[0] = base[0];
	out[1] = base[1];
	out[2] = (uint8_t)(low >> 24);
	out[3] = (uint8_t)(low >> 16);
	out[4] = (uint8_t)(low >> 8);
	out[5] = (uint8_t)low;
}

/* Ports 1..65535 in a ring: --flows up to 65535 never repeats a port nor uses 0. */
static uint16_t
port_add(uint16_t base, uint32_t n)
{
	return (uint16_t)(1 + ((uint32_t)base - 1 + n) % 65535);
}

static size_t
l4_hlen(uint8_t proto)
{
	if (proto == IPPROTO_TCP_)
		return sizeof(struct tcp_hdr);
	if (proto == IPPROTO_ICMP_)
		return sizeof(struct icmp_echo);
	return sizeof(struct udp_hdr);
}

static size_t
eth_hlen(uint16_t vlan)
{
	return ETH_HLEN + (vlan ? VLAN_HLEN : 0);
}

static size_t
frame_min_len(const struct flow *f)
{
	return eth_hlen(f->vlan) + IP4_HLEN + l4_hlen(f->proto);
}

static const char *
proto_name(uint8_t proto)
{
	if (proto == IPPROTO_TCP_)
		return "tcp";
	if (proto == IPPROTO_ICMP_)
		return "icmp";
	return "udp";
}

static size_t
put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t vlan, uint16_t type)
{
	struct eth_hdr *eth = (struct eth_hdr *)p;
	struct vlan_hdr *tag = (struct vlan_hdr *)(p + ETH_HLEN);

	memcpy(eth->dst, dst, 6);
	memcpy(eth->src, src, 6);
	if (!vlan) {
		eth->type = htons(type);
		return ETH_HLEN;
	}
	eth->type = htons(ETHERTYPE_VLAN);
	tag->tci = htons(vlan); /* PCP 0, DEI 0 */
	tag->type = htons(type);
	return ETH_HLEN + VLAN_HLEN;
}

static void
put_ipv4(struct ipv4_hdr *ip, uint32_t sip, uint32_t dip, uint8_t proto, uint8_t ttl, uint16_t id,
	size_t total_len)
{
	ip->ver_ihl = 0x45;
	ip->tos = 0;
	ip->len = htons((uint16_t)total_len);
	ip->id = htons(id);
	ip->frag = 0;
	ip->ttl = ttl;
	ip->proto = proto;
	ip->cksum = 0;
	ip->src = htonl(sip);
	ip->dst = htonl(dip);
	ip->cksum = htons(ipv4_cksum(ip));
}

static void
put_udp(struct udp_hdr *udp, const struct ipv4_hdr *ip, const struct flow *f, size_t len)
{
	uint16_t sum;

	udp->sport = htons(f->sport);
	udp->dport = htons(f->dport);
	udp->len = htons((uint16_t)len);
	udp->cksum = 0;
	sum = l4_cksum(ip, udp, len);
	udp->cksum = htons(sum ? sum : 0xffff); /* 0 would mean "no checksum" */
}

static void
put_tcp(struct tcp_hdr *tcp, const struct ipv4_hdr *ip, const struct flow *f, size_t len)
{
	tcp->sport = htons(f->sport);
	tcp->dport = htons(f->dport);
	tcp->seq = htonl(f->seq);
	tcp->ack = htonl(f->tcp_flags & TCP_ACK ? f->ack : 0);
	tcp->off = (sizeof(*tcp) / 4) << 4;
	tcp->flags = f->tcp_flags;
	tcp->win = htons(64240);
	tcp->cksum = 0;
	tcp->urp = 0;
	tcp->cksum = htons(l4_cksum(ip, tcp, len));
}

static void
put_icmp(struct icmp_echo *icmp, const struct flow *f, size_t len)
{
	icmp->type = f->icmp_type;
	icmp->code = 0;
	icmp->cksum = 0;
	icmp->id = htons(f->sport);
	icmp->seq = htons(f->dport);
	icmp->cksum = htons(csum_fold(csum_add(0, icmp, len)));
}

/* Writes f into buf (FRAME_MAX bytes at least); returns the frame length. */
static size_t
build_frame(uint8_t *buf, const struct flow *f, uint64_t seed, uint32_t idx)
{
	size_t hl = put_eth(buf, f->dst_mac, f->src_mac, f->vlan, ETHERTYPE_IPV4);
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(buf + hl);
	uint8_t *l4 = buf + hl + IP4_HLEN;
	size_t l4_len = f->len - hl - IP4_HLEN;
	size_t l4h = l4_hlen(f->proto);

	fill_payload(l4 + l4h, l4_len - l4h, seed, idx);
	put_ipv4(ip, f->sip, f->dip, f->proto, f->ttl, f->ip_id, IP4_HLEN + l4_len);
	if (f->proto == IPPROTO_TCP_)
		put_tcp((struct tcp_hdr *)l4, ip, f, l4_len);
	else if (f->proto == IPPROTO_ICMP_)
		put_icmp((struct icmp_echo *)l4, f, l4_len);
	else
		put_udp((struct udp_hdr *)l4, ip, f, l4_len);
	if (!f->pad || f->len >= ETH_MIN_LEN)
		return f->len;
	memset(buf + f->len, 0, ETH_MIN_LEN - f->len);
	return ETH_MIN_LEN;
}

/*
 * The outer UDP source port hashes the inner flow, as a VTEP does (RFC 7348 section 5)
 * so that the underlay spreads flows over ECMP paths; FNV-1a over the inner headers.
 */
static uint16_t
flow_sport(const struct flow *f)
{
	uint32_t words[5] = {f->sip, f->dip, f->proto, f->sport, f->dport};
	const uint8_t *parts[3] = {f->dst_mac, f->src_mac, (const uint8_t *)words};
	size_t lens[3] = {6, 6, sizeof(words)};
	uint32_t h = 2166136261u;
	size_t k, n;

	for (k = 0; k < 3; k++) {
		for (n = 0; n < lens[k]; n++)
			h = (h ^ parts[k][n]) * 16777619u;
	}
	return (uint16_t)(VXLAN_SPORT_MIN + h % (VXLAN_SPORT_MAX - VXLAN_SPORT_MIN + 1));
}

/* Writes the outer headers in front of an inner frame already at buf + outer length. */
static size_t
put_tunnel(uint8_t *buf, const struct tunnel *t, size_t inner_len)
{
	size_t hl = put_eth(buf, t->dst_mac, t->src_mac, t->vlan, ETHERTYPE_IPV4);
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(buf + hl);
	struct udp_hdr *udp = (struct udp_hdr *)(ip + 1);
	struct vxlan_hdr *vx = (struct vxlan_hdr *)(udp + 1);
	size_t udp_len = sizeof(*udp) + sizeof(*vx) + inner_len;

	put_ipv4(ip, t->sip, t->dip, IPPROTO_UDP_, 64, t->ip_id, IP4_HLEN + udp_len);
	udp->sport = htons(t->sport);
	udp->dport = htons(t->dport);
	udp->len = htons((uint16_t)udp_len);
	udp->cksum = 0; /* what Linux and vxgate send by default */
	memset(vx, 0, sizeof(*vx));
	vx->flags = t->flags;
	vx->vni[0] = (uint8_t)(t->vni >> 16);
	vx->vni[1] = (uint8_t)(t->vni >> 8);
	vx->vni[2] = (uint8_t)t->vni;
	return hl + IP4_HLEN + udp_len;
}

static const uint8_t *
opt_mac(const struct opts *o, unsigned bit, const uint8_t *val, const uint8_t *def)
{
	return (o->set & bit) ? val : def;
}

static uint32_t
opt_ip(const struct opts *o, unsigned bit, uint32_t val, uint32_t def)
{
	return (o->set & bit) ? val : def;
}

static uint16_t
opt_vlan(const struct opts *o, uint16_t def)
{
	return (o->set & O_VLAN) ? o->vlan : def;
}

static void
flow_l4(struct flow *f, const struct opts *o, uint32_t i, const struct endpoints *ep)
{
	uint32_t flow = (uint32_t)(i % o->flows);
	uint32_t round = (uint32_t)(i / o->flows);
	size_t paylen = f->len - frame_min_len(f);

	f->sport = ep->reply ? ep->sport : port_add(ep->sport, flow);
	f->dport = ep->reply ? port_add(ep->dport, flow) : ep->dport;
	if (f->proto == IPPROTO_ICMP_) {
		/* echo id per flow, sequence per packet of the flow */
		f->icmp_type = ep->icmp_reply ? 0 : 8;
		f->sport = ep->reply ? f->dport : f->sport;
		f->dport = (uint16_t)(round + 1);
	}
	f->tcp_flags = (ep->tcp_est || round > 0) ? TCP_ACK : TCP_SYN;
	if (ep->tcp_syn)
		f->tcp_flags = TCP_SYN;
	/* segments follow each other; a SYN takes one sequence number of its own */
	f->seq = mix32(o->seed, flow) + round * (uint32_t)paylen + (!ep->tcp_est && round > 0);
	f->ack = mix32(o->seed ^ 0xac4, flow);
}

/* Applies the per-packet variation: flow i % --flows, MAC i % --macs, host i % --hosts,
 * destination i % --dst-hosts (times --dst-stride). */
static void
flow_make(struct flow *f, const struct opts *o, uint32_t i, const struct endpoints *ep)
{
	memset(f, 0, sizeof(*f));
	mac_add(f->src_mac, ep->src_mac, (uint32_t)(i % o->macs));
	memcpy(f->dst_mac, ep->dst_mac, 6);
	f->vlan = ep->vlan;
	f->sip = ep->src_ip + (uint32_t)(i % o->hosts);
	f->dip = ep->dst_ip + (uint32_t)(i % o->dst_hosts) * (uint32_t)o->dst_stride;
	f->proto = o->proto;
	f->ttl = o->ttl;
	f->ip_id = (uint16_t)(i + 1);
	f->len = o->size;
	f->pad = true;
	if (f->len >= frame_min_len(f))
		flow_l4(f, o, i, ep);
}

static int
emit_frame(const struct opts *o, const struct flow *f, uint32_t i, uint8_t *buf, size_t *len)
{
	if (f->len < frame_min_len(f))
		return fail("-s %zu is too small: %s %s frames%s need at least %zu bytes", f->len,
			o->scenario, proto_name(f->proto), f->vlan ? " with a VLAN tag" : "",
			frame_min_len(f));
	*len = build_frame(buf, f, o->seed, i);
	return 0;
}

static void
endpoints_ports(struct endpoints *ep, const struct opts *o)
{
	ep->sport = o->sport;
	ep->dport = o->dport;
}

static int
gen_encap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, db_peer_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, DB_PEER_IP),
		.vlan = opt_vlan(o, 0),
	};
	struct flow f;

	endpoints_ports(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static int
gen_l2(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, db_peer_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, DB_PEER_IP),
		.vlan = opt_vlan(o, 10),
	};
	struct flow f;

	endpoints_ports(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static void
routed_endpoints(struct endpoints *ep, const struct opts *o)
{
	memset(ep, 0, sizeof(*ep));
	ep->src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac);
	ep->dst_mac = o->router_mac;
	ep->src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP);
	ep->dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, VM1_IP);
	ep->vlan = opt_vlan(o, 0);
	endpoints_ports(ep, o);
}

static int
gen_routed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static int
gen_sg(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.tcp_est = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static int
gen_sg_syn(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.tcp_syn = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static int
gen_snat(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, SERVER_IP);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* The internet side: the upstream router's frames to our external interface. */
static void
external_endpoints(struct endpoints *ep, const struct opts *o, uint32_t dst_ip)
{
	memset(ep, 0, sizeof(*ep));
	ep->src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, upstream_mac);
	ep->dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, o->router_mac);
	ep->src_ip = opt_ip(o, O_SRC_IP, o->src_ip, SERVER_IP);
	ep->dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, dst_ip);
	ep->vlan = opt_vlan(o, 0);
	endpoints_ports(ep, o);
}

static int
gen_fip(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	external_endpoints(&ep, o, o->fip);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* Replies from the server to --snat: the server's port is --dport, ours --sport + flow. */
static int
gen_snat_reply(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	external_endpoints(&ep, o, o->snat);
	ep.sport = o->dport;
	ep.dport = o->sport;
	ep.reply = true;
	ep.tcp_est = true;
	ep.icmp_reply = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* IMIX: 7 x 64, 4 x 576, 1 x 1500, spread over the cycle rather than in runs. */
static const uint16_t imix[12] = {64, 576, 64, 64, 576, 64, 1500, 64, 576, 64, 64, 576};

static int
gen_mixed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct opts part = *o;

	/* even packets routed, odd ones l2: each half gets the whole IMIX cycle */
	part.size = imix[(i / 2) % 12];
	part.set |= O_SIZE;
	if (i % 2 == 0)
		return gen_routed(&part, i, buf, len);
	return gen_l2(&part, i, buf, len);
}

static void
decap_tunnel(struct tunnel *t, const struct opts *o, uint32_t i, uint32_t vni)
{
	memset(t, 0, sizeof(*t));
	t->src_mac = o->remote_vtep_mac;
	t->dst_mac = o->underlay_mac;
	t->vlan = opt_vlan(o, 0);
	t->sip = o->vtep_remote;
	t->dip = o->vtep_local;
	t->ip_id = (uint16_t)(i + 1);
	t->dport = o->udp_port;
	t->flags = VXLAN_FLAG_I;
	t->vni = vni;
}

/* SIZE is the outer frame: the inner frame gets what the outer headers leave. */
static int
gen_decap_vni(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len, uint32_t vni)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm1_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, web_gw_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM1_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, VM2_IP),
	};
	struct opts inner_o = *o;
	struct tunnel t;
	struct flow f;
	size_t outer_hl, size;

	decap_tunnel(&t, o, i, vni);
	outer_hl = VXLAN_OVERHEAD + (t.vlan ? VLAN_HLEN : 0);
	size = (o->set & O_SIZE) ? o->size : outer_hl + INNER_DEFAULT_LEN;
	endpoints_ports(&ep, o);
	inner_o.size = size > outer_hl ? size - outer_hl : 0;
	flow_make(&f, &inner_o, i, &ep);
	f.pad = false;
	if (f.len < frame_min_len(&f))
		return fail("-s %zu is too small: decap frames with %s inner frames need at least "
			    "%zu bytes",
			size, proto_name(f.proto), outer_hl + frame_min_len(&f));
	t.sport = flow_sport(&f);
	build_frame(buf + outer_hl, &f, o->seed, i);
	*len = put_tunnel(buf, &t, f.len);
	return 0;
}

static int
gen_decap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	return gen_decap_vni(o, i, buf, len, o->vni);
}

/* ---- dhcp: DISCOVER and REQUEST pairs from many clients -------------------------------- */

#define DHCP_SERVER_PORT_ 67
#define DHCP_CLIENT_PORT_ 68
#define DHCP_BOOTP_LEN 300 /* BOOTP's minimum, what real clients send */
#define DHCP_FIXED_LEN_ 236 /* op .. file, before the magic cookie */
#define DHCP_MSG_DISCOVER 1
#define DHCP_MSG_REQUEST 3

/* Appends option code with len bytes of val; returns the new offset. */
static size_t
dhcp_opt(uint8_t *p, size_t off, uint8_t code, const void *val, uint8_t len)
{
	p[off] = code;
	p[off + 1] = len;
	memcpy(p + off + 2, val, len);
	return off + 2 + len;
}

/*
 * The BOOTP message (DHCP_BOOTP_LEN bytes at p) of the client with hardware address mac:
 * a DISCOVER asking for ip (option 50), or a REQUEST in the SELECTING state (options 50
 * and 54), as after the server's OFFER of ip.
 */
static void
dhcp_message(
	uint8_t *p, uint8_t type, const uint8_t *mac, uint32_t xid, uint32_t ip, uint32_t server)
{
	static const uint8_t cookie[4] = {99, 130, 83, 99};
	static const uint8_t prl[] = {1, 3, 6, 15, 26, 28, 121};
	uint8_t client_id[7] = {1}; /* hardware type Ethernet, then the MAC */
	be32 ip_be = htonl(ip), server_be = htonl(server), xid_be = htonl(xid);
	size_t off = DHCP_FIXED_LEN_ + sizeof(cookie);

	memset(p, 0, DHCP_BOOTP_LEN);
	p[0] = 1; /* BOOTREQUEST */
	p[1] = 1; /* Ethernet */
	p[2] = 6;
	memcpy(p + 4, &xid_be, 4); /* xid; secs, flags, ciaddr .. giaddr stay 0 */
	memcpy(p + 28, mac, 6); /* chaddr */
	memcpy(p + DHCP_FIXED_LEN_, cookie, sizeof(cookie));
	memcpy(client_id + 1, mac, 6);
	off = dhcp_opt(p, off, 53, &type, 1);
	off = dhcp_opt(p, off, 61, client_id, sizeof(client_id));
	off = dhcp_opt(p, off, 50, &ip_be, 4);
	if (type == DHCP_MSG_REQUEST)
		off = dhcp_opt(p, off, 54, &server_be, 4);
	off = dhcp_opt(p, off, 55, prl, sizeof(prl));
	p[off] = 255; /* end; the rest is padding */
}

/*
 * Packet i: client k = (i / 2) % MACS (MAC --src-mac + k), a DISCOVER when i is even, its
 * REQUEST when odd, both asking for --src-ip + k from the server --dst-ip; broadcast from
 * 0.0.0.0:68 to 255.255.255.255:67, as a client without an address sends them.
 */
static int
gen_dhcp(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	uint32_t k = (uint32_t)((i / 2) % o->macs), round = (uint32_t)(i / 2 / o->macs);
	struct flow f = {.proto = IPPROTO_UDP_, .ttl = o->ttl, .ip_id = (uint16_t)(i + 1)};
	size_t hl;
	struct ipv4_hdr *ip;

	mac_add(f.src_mac, opt_mac(o, O_SRC_MAC, o->src_mac, dhcp_client_mac), k);
	memcpy(f.dst_mac, opt_mac(o, O_DST_MAC, o->dst_mac, bcast), 6);
	f.vlan = opt_vlan(o, 0);
	f.sip = 0;
	f.dip = UINT32_MAX;
	f.sport = DHCP_CLIENT_PORT_;
	f.dport = DHCP_SERVER_PORT_;
	hl = eth_hlen(f.vlan);
	f.len = hl + IP4_HLEN + sizeof(struct udp_hdr) + DHCP_BOOTP_LEN;
	dhcp_message(buf + hl + IP4_HLEN + sizeof(struct udp_hdr),
		i % 2 ? DHCP_MSG_REQUEST : DHCP_MSG_DISCOVER, f.src_mac,
		mix32(o->seed, (uint64_t)round << 32 | k),
		opt_ip(o, O_SRC_IP, o->src_ip, DHCP_FIRST_IP) + k,
		opt_ip(o, O_DST_IP, o->dst_ip, DB_GW_IP));
	put_eth(buf, f.dst_mac, f.src_mac, f.vlan, ETHERTYPE_IPV4);
	ip = (struct ipv4_hdr *)(buf + hl);
	put_ipv4(ip, f.sip, f.dip, f.proto, f.ttl, f.ip_id, f.len - hl);
	put_udp((struct udp_hdr *)(ip + 1), ip, &f, f.len - hl - IP4_HLEN);
	*len = f.len;
	return 0;
}

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

/* A VXLAN packet whose UDP payload holds only the first 4 bytes of the VXLAN header. */
static size_t
garbage_short_vxlan(const struct opts *o, uint8_t *buf)
{
	struct tunnel t;
	size_t hl, len;
	struct ipv4_hdr *ip;
	struct udp_hdr *udp;

	decap_tunnel(&t, o, G_VXLAN_SHORT, o->vni);
	t.sport = VXLAN_SPORT_MIN;
	hl = put_tunnel(buf, &t, 0) - sizeof(struct vxlan_hdr);
	ip = (struct ipv4_hdr *)(buf + hl - sizeof(*udp) - IP4_HLEN);
	udp = (struct udp_hdr *)(ip + 1);
	len = hl + 4;
	udp->len = htons(sizeof(*udp) + 4);
	put_ipv4(ip, t.sip, t.dip, IPPROTO_UDP_, 64, t.ip_id, IP4_HLEN + sizeof(*udp) + 4);
	memset(buf + len, 0, ETH_MIN_LEN - len);
	return ETH_MIN_LEN;
}

static void
garbage_ip(struct ipv4_hdr *ip, enum garbage g)
{
	uint16_t sum;

	if (g == G_IP_VERSION)
		ip->ver_ihl = 0x65;
	else if (g == G_IP_IHL)
		ip->ver_ihl = 0x44;
	else if (g == G_IP_LEN)
		ip->len = htons(ntohs(ip->len) + 100);
	else if (g == G_IP_FRAG)
		ip->frag = htons(IP_MF); /* a first fragment: offset 0, more to come */
	ip->cksum = 0;
	sum = ipv4_cksum(ip);
	/* off by one in the low bits: never equivalent to the right sum */
	ip->cksum = htons(g == G_IP_CKSUM ? sum ^ 0x0101 : sum);
}

/* One malformed frame per drop reason, all aimed at the local VTEP (see usage()). */
static int
gen_garbage(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	enum garbage g = (enum garbage)(i % G_COUNT);
	struct opts base = *o;
	size_t hl = eth_hlen(opt_vlan(o, 0));
	struct vxlan_hdr *vx = (struct vxlan_hdr *)(buf + hl + IP4_HLEN + sizeof(struct udp_hdr));
	int rc;

	if (g == G_VXLAN_SHORT) {
		*len = garbage_short_vxlan(o, buf);
		return 0;
	}
	base.set &= ~O_SIZE; /* the default inner frame: fits whatever -s says */
	base.proto = IPPROTO_UDP_;
	rc = gen_decap_vni(&base, i, buf, len, g == G_VXLAN_VNI ? GARBAGE_UNKNOWN_VNI : o->vni);
	if (rc < 0)
		return rc;
	if (g == G_SHORT_ETH)
		*len = 10;
	else if (g == G_MCAST_SRC)
		buf[6] |= 0x01; /* the I/G bit of the source MAC */
	else if (g == G_VXLAN_NO_I)
		vx->flags = 0;
	else if (g == G_VXLAN_RSVD)
		vx->rsvd1[2] = vx->rsvd2 = 0x01;
	else
		garbage_ip((struct ipv4_hdr *)(buf + hl), g);
	return 0;
}

static const struct scenario scenarios[] = {
	{"encap", "vm2 (access) -> a db MAC behind the remote VTEP; SIZE: this frame", gen_encap,
		0},
	{"decap", "VXLAN from the remote VTEP: vm1 -> web gateway; SIZE: outer frame", gen_decap,
		0},
	{"l2", "802.1Q VLAN 10 known unicast between two db MACs", gen_l2, 0},
	{"routed", "vm2 (db) -> router MAC -> vm1 10.1.0.11 (web), TTL 64", gen_routed, 0},
	{"sg", "routed, TCP ACK (established), --flows 5-tuples, dport 80", gen_sg, 0},
	{"sg-syn", "routed, TCP SYN only: new connections, --flows x --hosts 5-tuples", gen_sg_syn,
		0},
	{"snat", "vm2 -> router MAC -> internet server 198.51.100.10", gen_snat, 0},
	{"snat-reply", "internet server -> SNAT IP, dport --sport + flow (replies)", gen_snat_reply,
		0},
	{"fip", "internet server -> floating IP 203.0.113.20 (external side)", gen_fip, 0},
	{"mixed", "IMIX 7:4:1 of 64/576/1500 bytes, routed and l2 alternating", gen_mixed, 0},
	{"dhcp", "DHCP DISCOVER, then REQUEST, from each of --macs clients on db", gen_dhcp, 0},
	{"garbage", "11 malformed frames for drop-reason tests (order: --help)", gen_garbage,
		G_COUNT},
};

#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static void
usage(FILE *f)
{
	fputs("usage: pcapgen SCENARIO -o OUT.pcap [options]\n"
	      "       pcapgen --list\n"
	      "\n"
	      "Writes a capture of SCENARIO for vxgate's benchmarks and replay tests.\n"
	      "Identical arguments give byte-identical files (timestamps 1 us apart from\n"
	      "1700000000 s). Packet i uses flow i % FLOWS (source port), MAC i % MACS and\n"
	      "host i % HOSTS (source IP), round robin: coprime counts give every combination.\n"
	      "\n"
	      "  -o, --out FILE         output capture ('-' for stdout)\n"
	      "  -n, --count N          packets (default 1024; garbage always writes 11)\n"
	      "  -s, --size SIZE        frame size without FCS (default 64); a frame under 60\n"
	      "                         bytes is padded to 60. encap: the frame from the VM,\n"
	      "                         i.e. the inner frame the gateway encapsulates. decap:\n"
	      "                         the outer VXLAN frame, inner frame = SIZE - 50\n"
	      "                         (default 114: a 64-byte inner frame). mixed, dhcp:\n"
	      "                         ignored\n"
	      "      --flows N          distinct L4 source ports or ICMP ids (default 1,\n"
	      "                         at most 65535)\n"
	      "      --macs N           distinct source MACs, added to the low 32 bits\n"
	      "      --hosts N          distinct source IPs, added to the source IP\n"
	      "      --dst-hosts N      distinct destination IPs (packet i: i % N), added to\n"
	      "                         the destination IP (decap: inner); e.g. snat to many\n"
	      "                         servers: one server takes at most one session per\n"
	      "                         SNAT port\n"
	      "      --dst-stride N     step between those destination IPs (default 1;\n"
	      "                         e.g. 256: each in a /24 of its own)\n"
	      "      --vni N            VNI of decap frames (default 100, web)\n"
	      "      --vlan N           802.1Q tag on the wire (decap: on the outer frame);\n"
	      "                         l2 and mixed's l2 half default to 10, others untagged\n"
	      "      --src-mac MAC      source MAC (decap: of the inner frame; dhcp: of\n"
	      "                         client 0, default 02:00:0a:02:10:00)\n"
	      "      --dst-mac MAC      destination MAC (decap: inner; fip, snat-reply: the\n"
	      "                         external interface's MAC, default --router-mac)\n"
	      "      --src-ip IP        source IPv4 (decap: inner; dhcp: the address client\n"
	      "                         0 asks for, default 10.2.0.100)\n"
	      "      --dst-ip IP        destination IPv4 (decap: inner; dhcp: the server id\n"
	      "                         REQUESTs name, default 10.2.0.1, db's gateway)\n"
	      "      --vtep-local IP    the gateway's VTEP (default 172.16.0.1)\n"
	      "      --vtep-remote IP   the remote VTEP (default 172.16.0.2)\n"
	      "      --underlay-mac MAC the gateway's underlay MAC, dst of VXLAN frames\n"
	      "                         (default 02:00:ac:10:00:01)\n"
	      "      --remote-vtep-mac MAC  src of VXLAN frames (default 02:00:ac:10:00:02)\n"
	      "      --router-mac MAC   the VPC router's MAC on db: dst of routed, sg, snat\n"
	      "                         (default 02:76:78:00:00:c8)\n"
	      "      --udp-port N       VXLAN UDP port (default 4789)\n"
	      "      --snat IP          the VPC's SNAT address, dst of snat-reply\n"
	      "                         (default 203.0.113.10)\n"
	      "      --fip IP           vm1's floating IP, dst of fip (default 203.0.113.20)\n"
	      "      --proto P          udp, tcp or icmp (default udp; sg, sg-syn: always\n"
	      "                         tcp). TCP: SYN first in each flow, then ACK (sg and\n"
	      "                         snat-reply: ACK only; sg-syn: SYN only, so with\n"
	      "                         coprime --flows and --hosts and -n up to their\n"
	      "                         product every packet opens a new connection).\n"
	      "                         ICMP: echo request (snat-reply:\n"
	      "                         reply), id per flow, seq per packet of the flow\n"
	      "      --sport N          first L4 source port (default 40000)\n"
	      "      --dport N          L4 destination port (default 5001 udp, 80 tcp)\n"
	      "      --ttl N            IPv4 TTL of the (inner) frames (default 64)\n"
	      "      --seed N           payload and TCP sequence numbers (default 1)\n"
	      "      --list             print the scenarios\n"
	      "\n"
	      "Default addresses (the example config): vm1 02:00:0a:01:00:0b 10.1.0.11 (web,\n"
	      "VNI 100, behind the remote VTEP); vm2 02:00:0a:02:00:0c 10.2.0.12 (db, VNI 200,\n"
	      "local); a second db host 02:00:0a:02:00:0d 10.2.0.13, dst of encap and l2 (put\n"
	      "it behind the remote VTEP for encap, on an access VLAN for l2); the web gateway\n"
	      "MAC 02:76:78:00:00:64, dst of decap's inner frames, which the gateway routes to\n"
	      "vm2; the upstream router 02:00:cb:00:71:01, src of fip and snat-reply; the\n"
	      "internet server 198.51.100.10.\n"
	      "Outer VXLAN: UDP checksum 0, source port a hash of the inner flow in\n"
	      "32768-60999. Every other checksum (IPv4, UDP, TCP, ICMP) is correct. Payloads\n"
	      "start with the packet index (4 bytes, big endian).\n"
	      "\n"
	      "garbage writes, in this order, VXLAN packets to the local VTEP that are each\n"
	      "broken in one way:\n"
	      "   1 truncated Ethernet header (10 bytes)\n"
	      "   2 multicast source MAC\n"
	      "   3 IPv4 version 6\n"
	      "   4 IPv4 IHL 4\n"
	      "   5 bad IPv4 header checksum\n"
	      "   6 IPv4 total length 100 bytes beyond the frame\n"
	      "   7 VXLAN I flag clear (flags 0x00)\n"
	      "   8 VXLAN reserved bits set (flags 0x08, reserved fields 0x000001 and 0x01)\n"
	      "   9 VXLAN unknown VNI 12345\n"
	      "  10 outer IPv4 fragment (MF set, offset 0)\n"
	      "  11 truncated VXLAN header (UDP length 12: 4 of 8 bytes; padded to 60)\n"
	      "\n"
	      "dhcp: packet i is from client k = (i / 2) % MACS (MAC --src-mac + k): a DISCOVER\n"
	      "when i is even, then its REQUEST (SELECTING: options 50 and 54), both asking\n"
	      "for --src-ip + k, broadcast (--dst-mac to change it) from 0.0.0.0:68 to\n"
	      "255.255.255.255:67 (options 53, 61, 50, 54, 55; BOOTP padded to 300 bytes:\n"
	      "342-byte frames untagged). A server with that address in its range offers it\n"
	      "and ACKs it; on later passes each client renews its own lease.\n"
	      "\n"
	      "Scenarios:\n",
		f);
	for (size_t k = 0; k < N_SCENARIOS; k++)
		fprintf(f, "  %-11s %s\n", scenarios[k].name, scenarios[k].summary);
}

static int
parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int k = 0; k < 6; k++) {
		if (b[k] > 0xff)
			return -1;
		mac[k] = (uint8_t)b[k];
	}
	return 0;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int
parse_proto(const char *s, uint8_t *proto)
{
	if (!strcmp(s, "udp"))
		*proto = IPPROTO_UDP_;
	else if (!strcmp(s, "tcp"))
		*proto = IPPROTO_TCP_;
	else if (!strcmp(s, "icmp"))
		*proto = IPPROTO_ICMP_;
	else
		return -1;
	return 0;
}

enum {
	OPT_FLOWS = 256,
	OPT_MACS,
	OPT_HOSTS,
	OPT_DST_HOSTS,
	OPT_DST_STRIDE,
	OPT_VNI,
	OPT_VLAN,
	OPT_SRC_MAC,
	OPT_DST_MAC,
	OPT_SRC_IP,
	OPT_DST_IP,
	OPT_VTEP_LOCAL,
	OPT_VTEP_REMOTE,
	OPT_UNDERLAY_MAC,
	OPT_REMOTE_VTEP_MAC,
	OPT_ROUTER_MAC,
	OPT_UDP_PORT,
	OPT_SNAT,
	OPT_FIP,
	OPT_PROTO,
	OPT_SPORT,
	OPT_DPORT,
	OPT_TTL,
	OPT_SEED,
	OPT_LIST,
};

static const struct option long_opts[] = {
	{"out", required_argument, NULL, 'o'},
	{"count", required_argument, NULL, 'n'},
	{"size", required_argument, NULL, 's'},
	{"help", no_argument, NULL, 'h'},
	{"flows", required_argument, NULL, OPT_FLOWS},
	{"macs", required_argument, NULL, OPT_MACS},
	{"hosts", required_argument, NULL, OPT_HOSTS},
	{"dst-hosts", required_argument, NULL, OPT_DST_HOSTS},
	{"dst-stride", required_argument, NULL, OPT_DST_STRIDE},
	{"vni", required_argument, NULL, OPT_VNI},
	{"vlan", required_argument, NULL, OPT_VLAN},
	{"src-mac", required_argument, NULL, OPT_SRC_MAC},
	{"dst-mac", required_argument, NULL, OPT_DST_MAC},
	{"src-ip", required_argument, NULL, OPT_SRC_IP},
	{"dst-ip", required_argument, NULL, OPT_DST_IP},
	{"vtep-local", required_argument, NULL, OPT_VTEP_LOCAL},
	{"vtep-remote", required_argument, NULL, OPT_VTEP_REMOTE},
	{"underlay-mac", required_argument, NULL, OPT_UNDERLAY_MAC},
	{"remote-vtep-mac", required_argument, NULL, OPT_REMOTE_VTEP_MAC},
	{"router-mac", required_argument, NULL, OPT_ROUTER_MAC},
	{"udp-port", required_argument, NULL, OPT_UDP_PORT},
	{"snat", required_argument, NULL, OPT_SNAT},
	{"fip", required_argument, NULL, OPT_FIP},
	{"proto", required_argument, NULL, OPT_PROTO},
	{"sport", required_argument, NULL, OPT_SPORT},
	{"dport", required_argument, NULL, OPT_DPORT},
	{"ttl", required_argument, NULL, OPT_TTL},
	{"seed", required_argument, NULL, OPT_SEED},
	{"list", no_argument, NULL, OPT_LIST},
	{NULL, 0, NULL, 0},
};

static void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->count = 1024;
	o->size = 64;
	o->flows = o->macs = o->hosts = o->dst_hosts = o->dst_stride = 1;
	o->vni = 100;
	memcpy(o->underlay_mac, underlay_mac, 6);
	memcpy(o->remote_vtep_mac, remote_vtep_mac, 6);
	memcpy(o->router_mac, db_gw_mac, 6);
	o->vtep_local = VTEP_LOCAL_IP;
	o->vtep_remote = VTEP_REMOTE_IP;
	o->snat = SNAT_IP;
	o->fip = FIP_IP;
	o->udp_port = 4789;
	o->sport = 40000;
	o->proto = IPPROTO_UDP_;
	o->ttl = 64;
	o->seed = 1;
}

/* Numeric options: bounds, where the value goes, and which O_* bit it sets. */
static int
opt_number(struct opts *o, int c, const char *arg)
{
	unsigned long v = 0; /* stays 0 when parsing fails; the caller then exits */
	int rc = 0;

	switch (c) {
	case 'n':
		rc = parse_ulong(arg, 1, 100000000, &o->count);
		break;
	case 's':
		rc = parse_ulong(arg, 1, FRAME_MAX, &o->size);
		o->set |= O_SIZE;
		break;
	case OPT_FLOWS:
		rc = parse_ulong(arg, 1, 65535, &o->flows);
		break;
	case OPT_MACS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->macs);
		break;
	case OPT_HOSTS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->hosts);
		break;
	case OPT_DST_HOSTS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->dst_hosts);
		break;
	case OPT_DST_STRIDE:
		rc = parse_ulong(arg, 1, 1ul << 24, &o->dst_stride);
		break;
	case OPT_VNI:
		rc = parse_ulong(arg, 0, 0xffffff, &v);
		o->vni = (uint32_t)v;
		break;
	case OPT_VLAN:
		rc = parse_ulong(arg, 1, 4094, &v);
		o->vlan = (uint16_t)v;
		o->set |= O_VLAN;
		break;
	case OPT_UDP_PORT:
	case OPT_SPORT:
	case OPT_DPORT:
		rc = parse_ulong(arg, 1, 65535, &v);
		*(c == OPT_UDP_PORT      ? &o->udp_port
			: c == OPT_SPORT ? &o->sport
					 : &o->dport) = (uint16_t)v;
		o->set |= c == OPT_DPORT ? O_DPORT : 0;
		break;
	case OPT_TTL:
		rc = parse_ulong(arg, 1, 255, &v);
		o->ttl = (uint8_t)v;
		break;
	default: /* OPT_SEED */
		errno = 0;
		o->seed = strtoull(arg, NULL, 0);
		rc = errno ? -1 : 0;
		break;
	}
	return rc;
}

static int
opt_address(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_SRC_MAC:
		o->set |= O_SRC_MAC;
		return parse_mac(arg, o->src_mac);
	case OPT_DST_MAC:
		o->set |= O_DST_MAC;
		return parse_mac(arg, o->dst_mac);
	case OPT_UNDERLAY_MAC:
		return parse_mac(arg, o->underlay_mac);
	case OPT_REMOTE_VTEP_MAC:
		return parse_mac(arg, o->remote_vtep_mac);
	case OPT_ROUTER_MAC:
		return parse_mac(arg, o->router_mac);
	case OPT_SRC_IP:
		o->set |= O_SRC_IP;
		return parse_ip(arg, &o->src_ip);
	case OPT_DST_IP:
		o->set |= O_DST_IP;
		return parse_ip(arg, &o->dst_ip);
	case OPT_VTEP_LOCAL:
		return parse_ip(arg, &o->vtep_local);
	case OPT_VTEP_REMOTE:
		return parse_ip(arg, &o->vtep_remote);
	case OPT_SNAT:
		return parse_ip(arg, &o->snat);
	default: /* OPT_FIP */
		return parse_ip(arg, &o->fip);
	}
}

static int
opt_one(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'o':
		o->out = arg;
		return 0;
	case OPT_PROTO:
		o->set |= O_PROTO;
		return parse_proto(arg, &o->proto);
	case OPT_SRC_MAC:
	case OPT_DST_MAC:
	case OPT_UNDERLAY_MAC:
	case OPT_REMOTE_VTEP_MAC:
	case OPT_ROUTER_MAC:
	case OPT_SRC_IP:
	case OPT_DST_IP:
	case OPT_VTEP_LOCAL:
	case OPT_VTEP_REMOTE:
	case OPT_SNAT:
	case OPT_FIP:
		return opt_address(o, c, arg);
	default:
		return opt_number(o, c, arg);
	}
}

static void
list_scenarios(void)
{
	for (size_t k = 0; k < N_SCENARIOS; k++)
		printf("%-11s %s\n", scenarios[k].name, scenarios[k].summary);
}

static const char *
opt_name(int c)
{
	for (const struct option *lo = long_opts; lo->name; lo++) {
		if (lo->val == c)
			return lo->name;
	}
	return "?";
}

static const struct scenario *
scenario_find(const char *name)
{
	for (size_t k = 0; k < N_SCENARIOS; k++) {
		if (!strcmp(scenarios[k].name, name))
			return &scenarios[k];
	}
	return NULL;
}

/* Defaults that depend on the protocol, and sg's fixed protocol. */
static int
opts_finish(struct opts *o, const struct scenario *sc)
{
	if (!strcmp(sc->name, "sg") || !strcmp(sc->name, "sg-syn")) {
		if ((o->set & O_PROTO) && o->proto != IPPROTO_TCP_)
			return fail("%s is TCP only: drop --proto", sc->name);
		o->proto = IPPROTO_TCP_;
	}
	if (!(o->set & O_DPORT))
		o->dport = o->proto == IPPROTO_TCP_ ? 80 : 5001;
	if (sc->fixed_count)
		o->count = sc->fixed_count;
	return 0;
}

/* Returns the scenario, or NULL after saying why; exits for --help and --list. */
static const struct scenario *
parse_args(int argc, char **argv, struct opts *o)
{
	const struct scenario *sc;
	int c;

	opts_init(o);
	while ((c = getopt_long(argc, argv, "o:n:s:h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == OPT_LIST) {
			list_scenarios();
			exit(0);
		}
		if (c == '?')
			return NULL;
		if (opt_one(o, c, optarg) < 0) {
			fail("invalid value for --%s: '%s'", opt_name(c), optarg);
			return NULL;
		}
	}
	if (optind != argc - 1) {
		fail(optind >= argc ? "no scenario given (see --list)" : "one scenario at a time");
		return NULL;
	}
	o->scenario = argv[optind];
	sc = scenario_find(o->scenario);
	if (!sc)
		fail("unknown scenario '%s' (see --list)", o->scenario);
	else if (!o->out)
		fail("no output file: -o OUT.pcap");
	if (!sc || !o->out || opts_finish(o, sc) < 0)
		return NULL;
	return sc;
}

static int
write_frames(const struct opts *o, const struct scenario *sc, pcap_dumper_t *d)
{
	static uint8_t buf[FRAME_MAX + ETH_MIN_LEN];
	int rc = 0;

	for (uint32_t i = 0; i < o->count && rc == 0; i++) {
		struct pcap_pkthdr h = {
			.ts = {.tv_sec = TS_BASE_SEC + i / 1000000, .tv_usec = i % 1000000},
		};
		size_t len = 0;

		rc = sc->gen(o, i, buf, &len);
		h.caplen = h.len = (bpf_u_int32)len;
		if (rc == 0)
			pcap_dump((u_char *)d, &h, buf);
	}
	if (rc == 0 && (pcap_dump_flush(d) < 0 || ferror(pcap_dump_file(d))))
		rc = fail("%s: write error", o->out);
	return rc;
}

/* A failed run leaves no file behind: a test must not replay half a capture. */
static int
write_capture(const struct opts *o, const struct scenario *sc)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	int rc;

	if (!dead)
		return fail("pcap_open_dead failed");
	d = pcap_dump_open(dead, o->out);
	if (!d) {
		rc = fail("%s", pcap_geterr(dead));
		pcap_close(dead);
		return rc;
	}
	rc = write_frames(o, sc, d);
	pcap_dump_close(d);
	pcap_close(dead);
	if (rc < 0 && strcmp(o->out, "-"))
		remove(o->out);
	return rc;
}

/* The first frame shows whether the options fit the scenario (-s too small, ...). */
static int
check_first(const struct opts *o, const struct scenario *sc)
{
	static uint8_t buf[FRAME_MAX + ETH_MIN_LEN];
	size_t len;

	return sc->gen(o, 0, buf, &len);
}

int
main(int argc, char **argv)
{
	const struct scenario *sc;
	struct opts o;

	sc = parse_args(argc, argv, &o);
	if (!sc || check_first(&o, sc) < 0) {
		fputs("usage: pcapgen SCENARIO -o OUT.pcap [options]; pcapgen --help\n", stderr);
		return 2;
	}
	return write_capture(&o, sc) < 0 ? 1 : 0;
}
