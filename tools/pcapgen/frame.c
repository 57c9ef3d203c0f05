/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames: one's complement checksums, the seeded payload noise, and the Ethernet, IPv4,
 * UDP, TCP, ICMP echo and VXLAN headers every scenario writes.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pcapgen.h"

int
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

uint16_t
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

uint32_t
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
void
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
uint16_t
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

size_t
eth_hlen(uint16_t vlan)
{
	return ETH_HLEN + (vlan ? VLAN_HLEN : 0);
}

size_t
frame_min_len(const struct flow *f)
{
	return eth_hlen(f->vlan) + IP4_HLEN + l4_hlen(f->proto);
}

const char *
proto_name(uint8_t proto)
{
	if (proto == IPPROTO_TCP_)
		return "tcp";
	if (proto == IPPROTO_ICMP_)
		return "icmp";
	return "udp";
}

size_t
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

void
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

void
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
size_t
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
uint16_t
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
size_t
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
