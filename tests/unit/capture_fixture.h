/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frames for the capture tests (test_capture_filter.c, test_capture_writer.c): built as
 * bytes (Ethernet, an optional 802.1Q tag, IPv4 with UDP or ICMP, or ARP), then put in an
 * mbuf whole or split over two segments at a given offset, so that a filter's loads
 * cross a segment boundary.
 */
#ifndef VXG_TEST_CAPTURE_FIXTURE_H
#define VXG_TEST_CAPTURE_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#pragma GCC diagnostic ignored "-Wunused-function"

#define FRAME_MAX 256

struct frame {
	uint16_t len;
	uint8_t b[FRAME_MAX];
};

enum frame_kind { F_UDP, F_ICMP, F_ARP };

/* A frame of kind k: UDP sport -> dport, or an ICMP echo, or an ARP request; `vlan`
 * non-zero: tagged with it. `payload` bytes after the L4 header. */
static struct frame
frame_make(enum frame_kind k, uint16_t vlan, uint16_t sport, uint16_t dport, uint16_t payload)
{
	static const uint8_t dst[6] = {0x02, 0, 0xac, 0x10, 0, 0x01};
	static const uint8_t src[6] = {0x02, 0, 0xac, 0x10, 0, 0x02};
	struct frame f = {0};
	uint8_t *p = f.b, *ip;
	const uint16_t l4 = 8; /* the UDP header, or ICMP echo's */

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p += 12;
	if (vlan != 0) {
		*p++ = 0x81, *p++ = 0x00, *p++ = vlan >> 8, *p++ = vlan & 0xff;
	}
	if (k == F_ARP) {
		*p++ = 0x08, *p++ = 0x06;
		memset(p, 0x01, 28);
		f.len = (uint16_t)(p + 28 - f.b);
		return f;
	}
	*p++ = 0x08, *p++ = 0x00;
	ip = p;
	ip[0] = 0x45;
	ip[2] = (20 + l4 + payload) >> 8, ip[3] = (20 + l4 + payload) & 0xff;
	ip[8] = 64;
	ip[9] = k == F_UDP ? 17 : 1;
	memcpy(ip + 12, (uint8_t[]){172, 16, 0, 2, 172, 16, 0, 1}, 8);
	p = ip + 20;
	if (k == F_UDP) {
		p[0] = sport >> 8, p[1] = sport & 0xff, p[2] = dport >> 8, p[3] = dport & 0xff;
		p[4] = (8 + payload) >> 8, p[5] = (8 + payload) & 0xff;
	} else {
		p[0] = 8; /* echo request */
	}
	for (uint16_t i = 0; i < payload; i++)
		p[l4 + i] = (uint8_t)i;
	f.len = (uint16_t)(p + l4 + payload - f.b);
	return f;
}

/* f in an mbuf of pool; split (0: one segment) is where the second segment starts. */
static struct rte_mbuf *
frame_mbuf(struct rte_mempool *pool, const struct frame *f, uint16_t split)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *m2;
	uint16_t first = split != 0 && split < f->len ? split : f->len;

	if (m == NULL)
		return NULL;
	memcpy(rte_pktmbuf_append(m, first), f->b, first);
	if (first == f->len)
		return m;
	m2 = rte_pktmbuf_alloc(pool);
	memcpy(rte_pktmbuf_append(m2, f->len - first), f->b + first, f->len - first);
	rte_pktmbuf_chain(m, m2);
	return m;
}

#endif
