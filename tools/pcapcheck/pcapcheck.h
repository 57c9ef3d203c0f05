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
 *
 * This header holds what the files of tools/pcapcheck/ share.
 */
#ifndef PCAPCHECK_H
#define PCAPCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* fields.c: the decoded fields of a frame, in blocks reused from packet to packet. */
void die_oom(void);
void *xrealloc(void *p, size_t n);
void add(struct dec *d, const char *pfx, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void add_mac(struct dec *d, const char *pfx, const char *name, const uint8_t *m);
void add_ip(struct dec *d, const char *pfx, const char *name, const uint8_t *a);
void rest(struct dec *d, const char *pfx, const char *name, const uint8_t *p, size_t len);
void malformed(struct dec *d, const char *pfx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dec_reset(struct dec *d);
void dec_free(struct dec *d);

/* decode.c: a frame into named fields. */
void decode_pkt(struct dec *d, const struct pkt *k);

/* capture.c: reading pcap files. */
pcap_t *open_capture(const char *path);
int next_pkt(pcap_t *p, const char *path, struct pkt *k);
int load(const char *path, struct capture *c);
void capture_free(struct capture *c);
int count_rest(pcap_t *p, const char *path, size_t *n);

/* compare.c: two captures, in order or as multisets; both return an EXIT_* status. */
bool ignored(struct ignores *ig, const char *name);
int compare_ordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port);
int compare_unordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port);

#endif
