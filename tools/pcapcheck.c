/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapcheck: compares the capture vxgate wrote with the one a test expects.
 *
 * Both frames are decoded into named fields (eth.dst, ip.ttl, inner.udp.dport, ...) and
 * compared by name, so a failure reads as "ip.ttl: got 64, expected 63" rather than as a
 * hex dump, and a test can leave out what the gateway is free to choose (--ignore
 * udp.sport for the VXLAN source port hash). Every byte of a frame lands in some field
 * (unknown data in payload, trailing bytes in frame.pad), so "no field differs" means
 * "the frames are equal" unless a field was ignored.
 */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#define EXIT_EQUAL 0
#define EXIT_DIFFERENT 1
#define EXIT_TROUBLE 2

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define ETH_HLEN 14
#define VLAN_HLEN 4
#define IP4_HLEN 20
#define UDP_HLEN 8
#define TCP_HLEN 20
#define VXLAN_HLEN 8
#define ARP_LEN 28
#define MAX_TAGS 2 /* 802.1Q, or 802.1ad + 802.1Q */
#define MAX_DEPTH 4 /* nested VXLAN / ICMP quotes: a bound, not a use case */
#define PREFIX_MAX 64
#define DUMP_BLOB_MAX 64 /* bytes of a payload --dump shows */
#define CLOSEST_MAX 10000 /* unordered: candidates searched for the closest packet */
#define BLOCK_SIZE 16384

/* One decoded field. A blob holds bytes as hex; its diff prints lengths and an offset. */
struct field {
	char *name;
	char *val;
	bool blob;
};

/* Field strings live in blocks reused from packet to packet: once warm, decoding allocates
 * nothing (a million-packet compare would otherwise spend its time in malloc). */
struct block {
	struct block *next;
	size_t size, used;
	char data[];
};

/* The fields of one frame, in wire order, and what decoding needs to know. */
struct dec {
	struct field *v;
	size_t n, cap;
	struct block *blocks;
	uint16_t vxlan_port;
};

/* Where an L4 header sits and what can be checked about it. */
struct l4ctx {
	const char *pfx;
	const uint8_t *ip;
	bool whole; /* the segment is all there: its checksum can be verified */
	bool quoted; /* inside an ICMP error: truncation is expected */
	int depth;
};

struct ignores {
	char **pat;
	bool *used;
	size_t n;
};

struct pkt {
	uint8_t *data;
	uint32_t caplen, len;
};

struct capture {
	struct pkt *v;
	size_t n, cap;
};

static void
die_oom(void)
{
	fputs("pcapcheck: out of memory\n", stderr);
	exit(EXIT_TROUBLE);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

static char *
dec_alloc(struct dec *d, size_t n)
{
	struct block *b;

	for (b = d->blocks; b && b->size - b->used < n; b = b->next)
		;
	if (!b) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = xrealloc(NULL, sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = d->blocks;
		d->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *dec_vprintf(struct dec *d, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static char *
dec_vprintf(struct dec *d, const char *fmt, va_list ap)
{
	char tmp[256];
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, again);
	va_end(again);
	if (n < 0)
		die_oom();
	s = dec_alloc(d, (size_t)n + 1);
	if ((size_t)n < sizeof(tmp))
		memcpy(s, tmp, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void
add_raw(struct dec *d, const char *pfx, const char *name, char *val, bool blob)
{
	size_t lp = strlen(pfx), ln = strlen(name);
	struct field *f;

	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	f = &d->v[d->n++];
	f->name = dec_alloc(d, lp + ln + 1);
	memcpy(f->name, pfx, lp);
	memcpy(f->name + lp, name, ln + 1);
	f->val = val;
	f->blob = blob;
}

static void add(struct dec *d, const char *pfx, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
add(struct dec *d, const char *pfx, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *val;

	va_start(ap, fmt);
	val = dec_vprintf(d, fmt, ap);
	va_end(ap);
	add_raw(d, pfx, name, val, false);
}

static void
add_blob(struct dec *d, const char *pfx, const char *name, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *val = dec_alloc(d, 2 * len + 1);

	for (size_t k = 0; k < len; k++) {
		val[2 * k] = hex[p[k] >> 4];
		val[2 * k + 1] = hex[p[k] & 15];
	}
	val[2 * len] = '\0';
	add_raw(d, pfx, name, val, true);
}

static void
add_mac(struct dec *d, const char *pfx, const char *name, const uint8_t *m)
{
	add(d, pfx, name, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void
add_ip(struct dec *d, const char *pfx, const char *name, const uint8_t *a)
{
	add(d, pfx, name, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static void
dec_reset(struct dec *d)
{
	for (struct block *b = d->blocks; b; b = b->next)
		b->used = 0;
	d->n = 0;
}

static void
dec_free(struct dec *d)
{
	while (d->blocks) {
		struct block *next = d->blocks->next;

		free(d->blocks);
		d->blocks = next;
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

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

/* Bytes that no header claims: kept whole so that they still take part in the compare. */
static void
rest(struct dec *d, const char *pfx, const char *name, const uint8_t *p, size_t len)
{
	if (len)
		add_blob(d, pfx, name, p, len);
}

static char *dec_printf(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
dec_printf(struct dec *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = dec_vprintf(d, fmt, ap);
	va_end(ap);
	return s;
}

static void malformed(struct dec *d, const char *pfx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Why decoding stopped; a second reason joins the first, so names stay unique. */
static void
malformed(struct dec *d, const char *pfx, const char *fmt, ...)
{
	char name[PREFIX_MAX + 16];
	va_list ap;
	char *val;

	va_start(ap, fmt);
	val = dec_vprintf(d, fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%smalformed", pfx);
	for (size_t k = 0; k < d->n; k++) {
		if (!strcmp(d->v[k].name, name)) {
			d->v[k].val = dec_printf(d, "%s; %s", d->v[k].val, val);
			return;
		}
	}
	add_raw(d, pfx, "malformed", val, false);
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

static void
decode_pkt(struct dec *d, const struct pkt *k)
{
	dec_reset(d);
	if (k->caplen != k->len)
		add(d, "", "frame.wire_len", "%u", k->len);
	decode_frame(d, "", k->data, k->caplen, 0);
}

static bool
ignored(struct ignores *ig, const char *name)
{
	bool hit = false;

	for (size_t k = 0; k < ig->n; k++) {
		if (fnmatch(ig->pat[k], name, 0) == 0) {
			ig->used[k] = true;
			hit = true;
		}
	}
	return hit;
}

static const struct field *
find(const struct dec *d, const char *name, size_t hint)
{
	if (hint < d->n && !strcmp(d->v[hint].name, name))
		return &d->v[hint];
	for (size_t k = 0; k < d->n; k++) {
		if (!strcmp(d->v[k].name, name))
			return &d->v[k];
	}
	return NULL;
}

/* A blob diff: lengths, and the first byte that differs. */
static void
print_blob_diff(const char *name, const char *got, const char *exp)
{
	size_t lg = strlen(got), le = strlen(exp), k = 0;

	while (k < lg && k < le && got[k] == exp[k])
		k++;
	k /= 2;
	printf("  %s: got %zu bytes, expected %zu bytes", name, lg / 2, le / 2);
	if (2 * k < lg && 2 * k < le)
		printf(", first difference at byte %zu (got 0x%.2s, expected 0x%.2s)", k,
			got + 2 * k, exp + 2 * k);
	printf("\n");
}

static void
print_diff(const char *name, const struct field *got, const struct field *exp)
{
	if (got && exp && (got->blob || exp->blob))
		print_blob_diff(name, got->val, exp->val);
	else if (got && exp)
		printf("  %s: got %s, expected %s\n", name, got->val, exp->val);
	else if (got)
		printf("  %s: got %s, expected (absent)\n", name, got->blob ? "bytes" : got->val);
	else
		printf("  %s: got (absent), expected %s\n", name, exp->blob ? "bytes" : exp->val);
}

/* Counts the fields that differ, printing them when verbose. */
static size_t
compare_fields(const struct dec *got, const struct dec *exp, struct ignores *ig, bool verbose)
{
	size_t n = 0;

	for (size_t k = 0; k < exp->n; k++) {
		const struct field *e = &exp->v[k], *g = find(got, e->name, k);

		if (ignored(ig, e->name) || (g && !strcmp(g->val, e->val)))
			continue;
		n++;
		if (verbose)
			print_diff(e->name, g, e);
	}
	for (size_t k = 0; k < got->n; k++) {
		const struct field *g = &got->v[k];

		if (find(exp, g->name, k) || ignored(ig, g->name))
			continue;
		n++;
		if (verbose)
			print_diff(g->name, g, NULL);
	}
	return n;
}

/* -1 when the frames are byte-identical, else the first offset that differs. */
static long
first_byte_diff(const struct pkt *a, const struct pkt *b)
{
	uint32_t n = a->caplen < b->caplen ? a->caplen : b->caplen;

	for (uint32_t k = 0; k < n; k++) {
		if (a->data[k] != b->data[k])
			return k;
	}
	return a->caplen == b->caplen ? -1 : (long)n;
}

/*
 * Compares two packets; prints the diff under title when verbose. Without --ignore the
 * bytes must match too: a guard against a decoder that misses a byte.
 */
static size_t
compare_pkts(const struct pkt *g, const struct pkt *e, struct dec *dg, struct dec *de,
	struct ignores *ig, const char *title)
{
	long off = first_byte_diff(g, e);
	size_t n;

	if (!ig->n && off < 0)
		return 0;
	decode_pkt(dg, g);
	decode_pkt(de, e);
	n = compare_fields(dg, de, ig, false);
	if (!n && (ig->n || off < 0))
		return 0;
	if (!title)
		return n ? n : 1;
	printf("%s: %zu field%s differ%s\n", title, n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	compare_fields(dg, de, ig, true);
	if (off >= 0)
		printf("  first differing byte at frame offset %ld\n", off);
	return n ? n : 1;
}

static pcap_t *
open_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p) {
		fprintf(stderr, "pcapcheck: %s\n", err);
		return NULL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pcapcheck: %s: link type %s, only Ethernet is decoded\n", path,
			pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return NULL;
	}
	return p;
}

/* 1: a packet in k, 0: end of file, -1: read error (reported). */
static int
next_pkt(pcap_t *p, const char *path, struct pkt *k)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(p, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		fprintf(stderr, "pcapcheck: %s: %s\n", path, pcap_geterr(p));
		return -1;
	}
	k->data = (uint8_t *)data;
	k->caplen = h->caplen;
	k->len = h->len;
	return 1;
}

static int
load(const char *path, struct capture *c)
{
	pcap_t *p = open_capture(path);
	struct pkt k;
	int rc;

	if (!p)
		return -1;
	while ((rc = next_pkt(p, path, &k)) > 0) {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 1024;
			c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
		}
		c->v[c->n] = k;
		c->v[c->n].data = xrealloc(NULL, k.caplen);
		memcpy(c->v[c->n].data, k.data, k.caplen);
		c->n++;
	}
	pcap_close(p);
	return rc;
}

static void
capture_free(struct capture *c)
{
	for (size_t k = 0; k < c->n; k++)
		free(c->v[k].data);
	free(c->v);
}

static int
count_rest(pcap_t *p, const char *path, size_t *n)
{
	struct pkt k;
	int rc;

	while ((rc = next_pkt(p, path, &k)) > 0)
		(*n)++;
	return rc;
}

static int
report(size_t bad, size_t compared, size_t ng, size_t ne)
{
	if (bad)
		printf("%zu of %zu packets differ\n", bad, compared);
	if (ng != ne)
		printf("got %zu packets, expected %zu\n", ng, ne);
	if (bad || ng != ne)
		return EXIT_DIFFERENT;
	printf("%zu packets match\n", ng);
	return EXIT_EQUAL;
}

/* Walks both captures in step; prints the first packet that differs. */
static int
compare_ordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port)
{
	pcap_t *pg = open_capture(got), *pe = pg ? open_capture(exp) : NULL;
	struct dec dg = {.vxlan_port = vxlan_port}, de = {.vxlan_port = vxlan_port};
	size_t ng = 0, ne = 0, bad = 0;
	struct pkt g, e;
	int rg = 0, re = 0;
	char title[64];

	if (!pe) {
		if (pg)
			pcap_close(pg);
		return EXIT_TROUBLE;
	}
	for (;;) {
		if ((rg = next_pkt(pg, got, &g)) <= 0)
			break;
		ng++;
		if ((re = next_pkt(pe, exp, &e)) <= 0)
			break;
		ne++;
		snprintf(title, sizeof(title), "packet %zu", ng);
		if (compare_pkts(&g, &e, &dg, &de, ig, bad ? NULL : title))
			bad++;
	}
	if (rg == 0)
		re = count_rest(pe, exp, &ne); /* got ran out first */
	else if (rg > 0 && re == 0)
		rg = count_rest(pg, got, &ng); /* expected ran out first */
	dec_free(&dg);
	dec_free(&de);
	pcap_close(pg);
	pcap_close(pe);
	if (rg < 0 || re < 0)
		return EXIT_TROUBLE;
	return report(bad, ng < ne ? ng : ne, ng, ne);
}

/* Unordered matching: packets are keyed by a hash of their compared fields. */
struct keyed {
	uint64_t hash;
	size_t idx;
};

static uint64_t
fields_hash(const struct dec *d, struct ignores *ig)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t k = 0; k < d->n; k++) {
		const char *s[2] = {d->v[k].name, d->v[k].val};

		if (ignored(ig, d->v[k].name))
			continue;
		for (int j = 0; j < 2; j++) {
			for (const char *c = s[j];; c++) {
				h = (h ^ (uint8_t)*c) * 1099511628211ull;
				if (!*c)
					break;
			}
		}
	}
	return h;
}

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct keyed *
key_all(const struct capture *c, struct dec *d, struct ignores *ig)
{
	struct keyed *k = xrealloc(NULL, c->n * sizeof(*k));

	for (size_t i = 0; i < c->n; i++) {
		decode_pkt(d, &c->v[i]);
		k[i].hash = fields_hash(d, ig);
		k[i].idx = i;
	}
	qsort(k, c->n, sizeof(*k), keyed_cmp);
	return k;
}

/* Marks matched packets in both captures; equal hashes are confirmed field by field. */
static void
match_all(const struct capture *g, const struct capture *e, struct ignores *ig, struct dec *dg,
	struct dec *de, bool *mg, bool *me)
{
	struct keyed *kg = key_all(g, dg, ig), *ke = key_all(e, de, ig);
	size_t i = 0, j = 0;

	while (i < g->n && j < e->n) {
		if (kg[i].hash < ke[j].hash) {
			i++;
		} else if (kg[i].hash > ke[j].hash) {
			j++;
		} else {
			size_t a = kg[i++].idx, b = ke[j].idx;

			if (!compare_pkts(&g->v[a], &e->v[b], dg, de, ig, NULL)) {
				mg[a] = me[b] = true;
				j++;
			}
		}
	}
	free(kg);
	free(ke);
}

static size_t
first_unmatched(const bool *m, size_t n)
{
	size_t k = 0;

	while (k < n && m[k])
		k++;
	return k;
}

static size_t
count_unmatched(const bool *m, size_t n)
{
	size_t c = 0;

	for (size_t k = 0; k < n; k++)
		c += !m[k];
	return c;
}

/* The unmatched expected packet with the fewest differing fields from got packet a. */
static size_t
closest(const struct capture *g, const struct capture *e, size_t a, const bool *me,
	struct ignores *ig, struct dec *dg, struct dec *de)
{
	size_t best = e->n, best_n = SIZE_MAX, seen = 0;

	for (size_t b = 0; b < e->n && seen < CLOSEST_MAX; b++) {
		size_t n;

		if (me[b])
			continue;
		seen++;
		n = compare_pkts(&g->v[a], &e->v[b], dg, de, ig, NULL);
		if (n < best_n) {
			best = b;
			best_n = n;
		}
	}
	return best;
}

static void
explain_unmatched(const struct capture *g, const struct capture *e, const bool *mg, const bool *me,
	struct ignores *ig, struct dec *dg, struct dec *de)
{
	size_t a = first_unmatched(mg, g->n), b;
	char title[96];

	if (a == g->n) {
		b = first_unmatched(me, e->n);
		printf("expected packet %zu has no match in got\n", b + 1);
		return;
	}
	b = closest(g, e, a, me, ig, dg, de);
	if (b == e->n) {
		printf("got packet %zu has no match in expected (every expected packet matched)\n",
			a + 1);
		return;
	}
	snprintf(title, sizeof(title),
		"got packet %zu has no match; closest is expected packet %zu", a + 1, b + 1);
	compare_pkts(&g->v[a], &e->v[b], dg, de, ig, title);
}

static int
compare_unordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port)
{
	struct capture g = {0}, e = {0};
	struct dec dg = {.vxlan_port = vxlan_port}, de = {.vxlan_port = vxlan_port};
	bool *mg, *me;
	size_t ug, ue;
	int rc = EXIT_TROUBLE;

	if (load(got, &g) < 0 || load(exp, &e) < 0)
		goto out;
	mg = calloc(g.n + 1, sizeof(*mg));
	me = calloc(e.n + 1, sizeof(*me));
	if (!mg || !me)
		die_oom();
	match_all(&g, &e, ig, &dg, &de, mg, me);
	ug = count_unmatched(mg, g.n);
	ue = count_unmatched(me, e.n);
	rc = EXIT_EQUAL;
	if (ug || ue) {
		explain_unmatched(&g, &e, mg, me, ig, &dg, &de);
		printf("%zu of %zu got packets and %zu of %zu expected packets unmatched\n", ug,
			g.n, ue, e.n);
		rc = EXIT_DIFFERENT;
	}
	if (g.n != e.n)
		printf("got %zu packets, expected %zu\n", g.n, e.n);
	else if (rc == EXIT_EQUAL)
		printf("%zu packets match (unordered)\n", g.n);
	free(mg);
	free(me);
out:
	dec_free(&dg);
	dec_free(&de);
	capture_free(&g);
	capture_free(&e);
	return rc;
}

static void
dump_field(const struct field *f)
{
	size_t n = strlen(f->val) / 2;

	if (!f->blob) {
		printf("  %s: %s\n", f->name, f->val);
		return;
	}
	printf("  %s: %zu bytes %.*s%s\n", f->name, n,
		(int)(2 * (n < DUMP_BLOB_MAX ? n : DUMP_BLOB_MAX)), f->val,
		n > DUMP_BLOB_MAX ? "..." : "");
}

static int
dump(const char *path, struct ignores *ig, uint16_t vxlan_port)
{
	pcap_t *p = open_capture(path);
	struct dec d = {.vxlan_port = vxlan_port};
	struct pkt k;
	size_t n = 0;
	int rc;

	if (!p)
		return EXIT_TROUBLE;
	while ((rc = next_pkt(p, path, &k)) > 0) {
		decode_pkt(&d, &k);
		printf("packet %zu:\n", ++n);
		for (size_t i = 0; i < d.n; i++) {
			if (!ignored(ig, d.v[i].name))
				dump_field(&d.v[i]);
		}
	}
	dec_free(&d);
	pcap_close(p);
	return rc < 0 ? EXIT_TROUBLE : EXIT_EQUAL;
}

static int
count(const char *path, unsigned long want)
{
	pcap_t *p = open_capture(path);
	size_t n = 0;
	int rc;

	if (!p)
		return EXIT_TROUBLE;
	rc = count_rest(p, path, &n);
	pcap_close(p);
	if (rc < 0)
		return EXIT_TROUBLE;
	printf("%s: %zu packets", path, n);
	if (n != want)
		printf(", expected %lu", want);
	printf("\n");
	return n == want ? EXIT_EQUAL : EXIT_DIFFERENT;
}

static void
usage(FILE *f)
{
	fputs("usage: pcapcheck [--ignore FIELD]... [--unordered] GOT.pcap EXPECTED.pcap\n"
	      "       pcapcheck --count N FILE.pcap\n"
	      "       pcapcheck [--ignore FIELD]... --dump FILE.pcap\n"
	      "\n"
	      "Compares two Ethernet captures packet by packet, field by field. Exit status: 0\n"
	      "equal, 1 different, 2 usage or I/O error. On the first packet that differs it\n"
	      "prints each differing field as 'NAME: got X, expected Y', then the number of\n"
	      "packets that differ and, if the files hold different numbers, both counts.\n"
	      "Packets are numbered from 1, as in Wireshark.\n"
	      "\n"
	      "  --ignore FIELD   leave FIELD out of the compare (repeatable); a glob:\n"
	      "                   '*ip.checksum' is ip.checksum and inner.ip.checksum,\n"
	      "                   'inner.*' the whole inner frame\n"
	      "  --unordered      match packets regardless of order (multiset compare), for\n"
	      "                   multi-queue output; reports the first unmatched packet\n"
	      "                   against the closest unmatched expected one\n"
	      "  --count N FILE   exit 0 iff FILE holds N packets (prints the count)\n"
	      "  --dump FILE      print every packet decoded, one 'NAME: VALUE' per line\n"
	      "  --vxlan-port N   UDP destination port decoded as VXLAN (default 4789)\n"
	      "\n"
	      "Fields (a VXLAN packet's inner frame repeats them under 'inner.', the datagram\n"
	      "an ICMP error quotes under 'icmp.orig.'):\n"
	      "  frame.len frame.pad (bytes after the IP datagram) malformed (why decoding\n"
	      "  stopped) payload (bytes no header claims)\n"
	      "  eth.dst eth.src eth.type\n"
	      "  vlan.pcp vlan.dei vlan.vid vlan.type (a second tag: vlan2.*)\n"
	      "  arp.htype arp.ptype arp.hlen arp.plen arp.op arp.sha arp.spa arp.tha arp.tpa\n"
	      "  ip.version ip.ihl ip.tos ip.len ip.id ip.rf ip.df ip.mf ip.frag (offset in\n"
	      "  bytes) ip.ttl ip.proto ip.checksum ip.checksum_valid ip.src ip.dst ip.options\n"
	      "  udp.sport udp.dport udp.len udp.checksum udp.checksum_valid (yes, no, none)\n"
	      "  tcp.sport tcp.dport tcp.seq tcp.ack tcp.hlen tcp.flags tcp.window tcp.checksum\n"
	      "  tcp.checksum_valid tcp.urp tcp.options\n"
	      "  icmp.type icmp.code icmp.checksum icmp.checksum_valid icmp.id icmp.seq (echo)\n"
	      "  icmp.rest (other types)\n"
	      "  vxlan.flags vxlan.rsvd1 vxlan.vni vxlan.rsvd2\n"
	      "*_valid fields are computed, not read: --ignore '*checksum' still checks them.\n",
		f);
}

enum { OPT_IGNORE = 256, OPT_UNORDERED, OPT_COUNT, OPT_DUMP, OPT_VXLAN_PORT };

static const struct option long_opts[] = {
	{"ignore", required_argument, NULL, OPT_IGNORE},
	{"unordered", no_argument, NULL, OPT_UNORDERED},
	{"count", required_argument, NULL, OPT_COUNT},
	{"dump", no_argument, NULL, OPT_DUMP},
	{"vxlan-port", required_argument, NULL, OPT_VXLAN_PORT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct args {
	struct ignores ig;
	bool unordered, dump, count;
	unsigned long want;
	unsigned long vxlan_port;
};

static int
parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	*out = strtoul(s, &end, 10);
	return (*end || *out > max) ? -1 : 0;
}

static void
ignore_add(struct ignores *ig, char *pat)
{
	ig->pat = xrealloc(ig->pat, (ig->n + 1) * sizeof(*ig->pat));
	ig->used = xrealloc(ig->used, (ig->n + 1) * sizeof(*ig->used));
	ig->pat[ig->n] = pat;
	ig->used[ig->n++] = false;
}

static int
arg_error(const char *what, const char *arg)
{
	fprintf(stderr, "pcapcheck: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* Returns the number of file operands expected, or -1 after a message. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	int c;

	a->vxlan_port = 4789;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(EXIT_EQUAL);
		} else if (c == OPT_IGNORE) {
			ignore_add(&a->ig, optarg);
		} else if (c == OPT_UNORDERED) {
			a->unordered = true;
		} else if (c == OPT_DUMP) {
			a->dump = true;
		} else if (c == OPT_COUNT) {
			a->count = true;
			if (parse_ulong(optarg, SIZE_MAX, &a->want) < 0)
				return arg_error("bad --count", optarg);
		} else if (c == OPT_VXLAN_PORT) {
			if (parse_ulong(optarg, 65535, &a->vxlan_port) < 0)
				return arg_error("bad --vxlan-port", optarg);
		} else {
			return -1;
		}
	}
	if (a->dump && a->count)
		return arg_error("--dump or --count, not both", NULL);
	return (a->dump || a->count) ? 1 : 2;
}

static void
warn_unused(const struct ignores *ig)
{
	for (size_t k = 0; k < ig->n; k++) {
		if (!ig->used[k])
			fprintf(stderr, "pcapcheck: warning: --ignore '%s' matched no field\n",
				ig->pat[k]);
	}
}

int
main(int argc, char **argv)
{
	struct args a = {0};
	int files = parse_args(argc, argv, &a), rc;
	uint16_t port;

	if (files > 0 && argc - optind != files)
		fprintf(stderr, "pcapcheck: %s\n",
			files == 1 ? "one file, please" : "two files: GOT.pcap EXPECTED.pcap");
	if (files < 0 || argc - optind != files) {
		fputs("usage: pcapcheck [--ignore FIELD]... [--unordered] GOT.pcap EXPECTED.pcap\n"
		      "       pcapcheck --count N FILE | --dump FILE; pcapcheck --help\n",
			stderr);
		return EXIT_TROUBLE;
	}
	port = (uint16_t)a.vxlan_port;
	if (a.count)
		rc = count(argv[optind], a.want);
	else if (a.dump)
		rc = dump(argv[optind], &a.ig, port);
	else if (a.unordered)
		rc = compare_unordered(argv[optind], argv[optind + 1], &a.ig, port);
	else
		rc = compare_ordered(argv[optind], argv[optind + 1], &a.ig, port);
	if (!a.count && !a.dump && rc != EXIT_TROUBLE)
		warn_unused(&a.ig);
	free(a.ig.pat);
	free(a.ig.used);
	return rc;
}
