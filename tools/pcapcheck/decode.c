/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decoding a frame into named fields: Ethernet, 802.1Q tags, ARP, IPv4, UDP, TCP, ICMP
 * (with the datagram an error quotes) and VXLAN's inner frame, checksums verified.
 * Every byte lands in some field, so equal fields mean equal frames.
 */
#include <stdio.h>
#include <string.h>

#include "pcapcheck.h"

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The one's complement sum (RFC 1071); a correct checksum makes the total 0xffff. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t k;

	for (k = 0; k + 1 < len; k += 2)
		sum += rd16(p + k);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static bool
csum_ok(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static bool
l4_csum_ok(const uint8_t *ip, const uint8_t *l4, size_t len)
{
	uint32_t sum = csum_add(0, ip + 12, 8);

	sum += ip[9] + (uint32_t)len;
	return csum_ok(csum_add(sum, l4, len));
}

static void decode_frame(struct dec *d, const char *pfx, const uint8_t *p, size_t len, int depth);

static void
decode_vxlan(struct dec *d, const char *pfx, const uint8_t *p, size_t len, int depth)
{
	char inner[PREFIX_MAX];

	if (len < VXLAN_HLEN) {
		malformed(d, pfx, "truncated VXLAN header (%zu of %d bytes)", len, VXLAN_HLEN);
		rest(d, pfx, "payload", p, len);
		return;
	}
	add(d, pfx, "vxlan.flags", "0x%02x", p[0]);
	add(d, pfx, "vxlan.rsvd1", "0x%06x", rd32(p) & 0xffffff);
	add(d, pfx, "vxlan.vni", "%u", rd32(p + 4) >> 8);
	add(d, pfx, "vxlan.rsvd2", "0x%02x", p[7]);
	snprintf(inner, sizeof(inner), "%sinner.", pfx);
	decode_frame(d, inner, p + VXLAN_HLEN, len - VXLAN_HLEN, depth + 1);
}

static void
decode_udp(struct dec *d, const struct l4ctx *c, const uint8_t *p, size_t len)
{
	uint16_t sum;

	if (len < UDP_HLEN) {
		if (!c->quoted)
			malformed(
				d, c->pfx, "truncated UDP header (%zu of %d bytes)", len, UDP_HLEN);
		rest(d, c->pfx, "payload", p, len);
		return;
	}
	sum = rd16(p + 6);
	add(d, c->pfx, "udp.sport", "%u", rd16(p));
	add(d, c->pfx, "udp.dport", "%u", rd16(p + 2));
	add(d, c->pfx, "udp.len", "%u", rd16(p + 4));
	add(d, c->pfx, "udp.checksum", "0x%04x", sum);
	if (!sum)
		add(d, c->pfx, "udp.checksum_valid", "none");
	else if (c->whole)
		add(d, c->pfx, "udp.checksum_valid", "%s",
			l4_csum_ok(c->ip, p, len) ? "yes" : "no");
	if (!c->quoted && c->depth < MAX_DEPTH && rd16(p + 2) == d->vxlan_port)
		decode_vxlan(d, c->pfx, p + UDP_HLEN, len - UDP_HLEN, c->depth);
	else
		rest(d, c->pfx, "payload", p + UDP_HLEN, len - UDP_HLEN);
}

static void
add_tcp_flags(struct dec *d, const char *pfx, unsigned flags)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
	char buf[64] = "";
	size_t off = 0;

	for (unsigned k = 0; k < 9; k++) {
		if (flags & (1u << k))
			off += (size_t)snprintf(
				buf + off, sizeof(buf) - off, "%s%s", off ? "," : "", names[k]);
	}
	add(d, pfx, "tcp.flags", "0x%03x (%s)", flags, off ? buf : "none");
}

static void
decode_tcp(struct dec *d, const struct l4ctx *c, const uint8_t *p, size_t len)
{
	size_t hlen;

	if (len < TCP_HLEN) {
		if (!c->quoted)
			malformed(
				d, c->pfx, "truncated TCP header (%zu of %d bytes)", len, TCP_HLEN);
		rest(d, c->pfx, "payload", p, len);
		return;
	}
	hlen = (size_t)(p[12] >> 4) * 4;
	add(d, c->pfx, "tcp.sport", "%u", rd16(p));
	add(d, c->pfx, "tcp.dport", "%u", rd16(p + 2));
	add(d, c->pfx, "tcp.seq", "%u", rd32(p + 4));
	add(d, c->pfx, "tcp.ack", "%u", rd32(p + 8));
	add(d, c->pfx, "tcp.hlen", "%zu", hlen);
	add_tcp_flags(d, c->pfx, (unsigned)(p[12] & 0x0f) << 8 | p[13]);
	add(d, c->pfx, "tcp.window", "%u", rd16(p + 14));
	add(d, c->pfx, "tcp.checksum", "0x%04x", rd16(p + 16));
	if (c->whole)
		add(d, c->pfx, "tcp.checksum_valid", "%s",
			l4_csum_ok(c->ip, p, len) ? "yes" : "no");
	add(d, c->pfx, "tcp.urp", "%u", rd16(p + 18));
	if (hlen < TCP_HLEN || hlen > len) {
		malformed(d, c->pfx, "tcp.hlen %zu outside %d..%zu", hlen, TCP_HLEN, len);
		hlen = TCP_HLEN;
	}
	rest(d, c->pfx, "tcp.options", p + TCP_HLEN, hlen - TCP_HLEN);
	rest(d, c->pfx, "payload", p + hlen, len - hlen);
}

static size_t decode_ipv4(
	struct dec *d, const char *pfx, const uint8_t *p, size_t len, bool quoted, int depth);

static bool
icmp_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static bool
icmp_is_echo(uint8_t type)
{
	return type == 0 || type == 8 || type == 13 || type == 14;
}

/* Echo: id and sequence. Errors: the quoted datagram, decoded under icmp.orig. */
static void
decode_icmp(struct dec *d, const struct l4ctx *c, const uint8_t *p, size_t len)
{
	char orig[PREFIX_MAX];
	size_t used = 0;

	if (len < 8) {
		if (!c->quoted)
			malformed(d, c->pfx, "truncated ICMP header (%zu of 8 bytes)", len);
		rest(d, c->pfx, "payload", p, len);
		return;
	}
	add(d, c->pfx, "icmp.type", "%u", p[0]);
	add(d, c->pfx, "icmp.code", "%u", p[1]);
	add(d, c->pfx, "icmp.checksum", "0x%04x", rd16(p + 2));
	if (c->whole)
		add(d, c->pfx, "icmp.checksum_valid", "%s",
			csum_ok(csum_add(0, p, len)) ? "yes" : "no");
	if (icmp_is_echo(p[0])) {
		add(d, c->pfx, "icmp.id", "%u", rd16(p + 4));
		add(d, c->pfx, "icmp.seq", "%u", rd16(p + 6));
	} else {
		add(d, c->pfx, "icmp.rest", "0x%08x", rd32(p + 4));
	}
	if (icmp_is_error(p[0]) && !c->quoted && c->depth < MAX_DEPTH) {
		snprintf(orig, sizeof(orig), "%sicmp.orig.", c->pfx);
		used = decode_ipv4(d, orig, p + 8, len - 8, true, c->depth + 1);
	}
	rest(d, c->pfx, "payload", p + 8 + used, len - 8 - used);
}

static void
decode_l4(struct dec *d, const struct l4ctx *c, uint8_t proto, const uint8_t *p, size_t len)
{
	if (proto == PROTO_UDP)
		decode_udp(d, c, p, len);
	else if (proto == PROTO_TCP)
		decode_tcp(d, c, p, len);
	else if (proto == PROTO_ICMP)
		decode_icmp(d, c, p, len);
	else
		rest(d, c->pfx, "payload", p, len);
}

static void
decode_ipv4_fields(struct dec *d, const char *pfx, const uint8_t *p, size_t hl)
{
	uint16_t frag = rd16(p + 6);

	add(d, pfx, "ip.tos", "0x%02x", p[1]);
	add(d, pfx, "ip.len", "%u", rd16(p + 2));
	add(d, pfx, "ip.id", "%u", rd16(p + 4));
	add(d, pfx, "ip.rf", "%u", frag >> 15);
	add(d, pfx, "ip.df", "%u", (frag >> 14) & 1);
	add(d, pfx, "ip.mf", "%u", (frag >> 13) & 1);
	add(d, pfx, "ip.frag", "%u", (frag & 0x1fff) * 8u);
	add(d, pfx, "ip.ttl", "%u", p[8]);
	add(d, pfx, "ip.proto", "%u", p[9]);
	add(d, pfx, "ip.checksum", "0x%04x", rd16(p + 10));
	add(d, pfx, "ip.checksum_valid", "%s", csum_ok(csum_add(0, p, hl)) ? "yes" : "no");
	add_ip(d, pfx, "ip.src", p + 12);
	add_ip(d, pfx, "ip.dst", p + 16);
	rest(d, pfx, "ip.options", p + IP4_HLEN, hl - IP4_HLEN);
}

/* Where the datagram ends in the frame: ip.len, unless the frame says otherwise. */
static size_t
ipv4_end(struct dec *d, const char *pfx, const uint8_t *p, size_t len, size_t hl, bool quoted)
{
	size_t tot = rd16(p + 2);

	if (tot < hl) {
		malformed(d, pfx, "ip.len %zu shorter than the %zu-byte header", tot, hl);
		return len;
	}
	if (tot > len) {
		if (!quoted)
			malformed(d, pfx, "ip.len %zu exceeds the %zu bytes left in the frame", tot,
				len);
		return len;
	}
	return tot;
}

/* Returns the bytes of p the datagram takes; what follows is the frame's padding. */
static size_t
decode_ipv4(struct dec *d, const char *pfx, const uint8_t *p, size_t len, bool quoted, int depth)
{
	struct l4ctx c = {.pfx = pfx, .ip = p, .quoted = quoted, .depth = depth};
	size_t hl, end;
	uint16_t frag;

	if (len < IP4_HLEN) {
		malformed(d, pfx, "truncated IPv4 header (%zu of %d bytes)", len, IP4_HLEN);
		rest(d, pfx, "payload", p, len);
		return len;
	}
	hl = (size_t)(p[0] & 15) * 4;
	add(d, pfx, "ip.version", "%u", p[0] >> 4);
	add(d, pfx, "ip.ihl", "%u", p[0] & 15);
	if (p[0] >> 4 != 4 || hl < IP4_HLEN || hl > len) {
		malformed(d, pfx, "not an IPv4 header (version %u, ihl %u)", p[0] >> 4, p[0] & 15);
		rest(d, pfx, "payload", p + 1, len - 1);
		return len;
	}
	decode_ipv4_fields(d, pfx, p, hl);
	end = ipv4_end(d, pfx, p, len, hl, quoted);
	frag = rd16(p + 6);
	c.whole = !quoted && !(frag & 0x3fff) && end == rd16(p + 2);
	if (frag & 0x1fff)
		rest(d, pfx, "payload", p + hl, end - hl); /* no L4 header in a later fragment */
	else
		decode_l4(d, &c, p[9], p + hl, end - hl);
	return end;
}

static size_t
decode_arp(struct dec *d, const char *pfx, const uint8_t *p, size_t len)
{
	if (len < ARP_LEN || rd16(p) != 1 || rd16(p + 2) != ETHERTYPE_IPV4 || p[4] != 6 ||
		p[5] != 4) {
		malformed(d, pfx, "not an Ethernet/IPv4 ARP packet");
		rest(d, pfx, "payload", p, len);
		return len;
	}
	add(d, pfx, "arp.htype", "%u", rd16(p));
	add(d, pfx, "arp.ptype", "0x%04x", rd16(p + 2));
	add(d, pfx, "arp.hlen", "%u", p[4]);
	add(d, pfx, "arp.plen", "%u", p[5]);
	add(d, pfx, "arp.op", "%u", rd16(p + 6));
	add_mac(d, pfx, "arp.sha", p + 8);
	add_ip(d, pfx, "arp.spa", p + 14);
	add_mac(d, pfx, "arp.tha", p + 18);
	add_ip(d, pfx, "arp.tpa", p + 24);
	return ARP_LEN;
}

/* 802.1Q (or 802.1ad) tags: vlan.*, then vlan2.*; returns the header bytes they take. */
static size_t
decode_tags(struct dec *d, const char *pfx, const uint8_t *p, size_t len, uint16_t *type)
{
	size_t off = 0;
	char name[32];

	for (int k = 0; k < MAX_TAGS && (*type == ETHERTYPE_VLAN || *type == ETHERTYPE_QINQ); k++) {
		const char *tag = k ? "vlan2" : "vlan";
		uint16_t tci;

		if (len - off < VLAN_HLEN) {
			malformed(d, pfx, "truncated 802.1Q tag");
			return off;
		}
		tci = rd16(p + off);
		*type = rd16(p + off + 2);
		snprintf(name, sizeof(name), "%s.pcp", tag);
		add(d, pfx, name, "%u", tci >> 13);
		snprintf(name, sizeof(name), "%s.dei", tag);
		add(d, pfx, name, "%u", (tci >> 12) & 1);
		snprintf(name, sizeof(name), "%s.vid", tag);
		add(d, pfx, name, "%u", tci & 0xfff);
		snprintf(name, sizeof(name), "%s.type", tag);
		add(d, pfx, name, "0x%04x", *type);
		off += VLAN_HLEN;
	}
	return off;
}

static void
decode_frame(struct dec *d, const char *pfx, const uint8_t *p, size_t len, int depth)
{
	uint16_t type;
	size_t off, used;

	add(d, pfx, "frame.len", "%zu", len);
	if (len < ETH_HLEN) {
		malformed(d, pfx, "truncated Ethernet header (%zu of %d bytes)", len, ETH_HLEN);
		rest(d, pfx, "payload", p, len);
		return;
	}
	add_mac(d, pfx, "eth.dst", p);
	add_mac(d, pfx, "eth.src", p + 6);
	type = rd16(p + 12);
	add(d, pfx, "eth.type", "0x%04x", type);
	off = ETH_HLEN + decode_tags(d, pfx, p + ETH_HLEN, len - ETH_HLEN, &type);
	if (type == ETHERTYPE_IPV4)
		used = decode_ipv4(d, pfx, p + off, len - off, false, depth);
	else if (type == ETHERTYPE_ARP)
		used = decode_arp(d, pfx, p + off, len - off);
	else
		used = len - off;
	if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_ARP)
		rest(d, pfx, "payload", p + off, used); /* IPv6, LLDP, ...: bytes, not fields */
	rest(d, pfx, "frame.pad", p + off + used, len - off - used);
}

void
decode_pkt(struct dec *d, const struct pkt *k)
{
	dec_reset(d);
	if (k->caplen != k->len)
		add(d, "", "frame.wire_len", "%u", k->len);
	decode_frame(d, "", k->data, k->caplen, 0);
}
