/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The first bytes of a traced packet, as it arrived, read back for `show trace`: its
 * Ethernet header and VLAN, and its IPv4 (or ARP) header with the ports or ICMP type; for
 * VXLAN, the VNI and the inner frame's as far as the bytes kept go.
 *
 * Thread-safety: none needed (pure functions of the bytes).
 */
#ifndef VXG_TRACE_PACKET_H
#define VXG_TRACE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

/* One frame's headers. */
struct vxg_trace_hdrs {
	bool eth; /* the Ethernet header is whole */
	struct rte_ether_addr src_mac, dst_mac;
	uint16_t vlan; /* 0: untagged */
	uint16_t type; /* ethertype, host order */
	bool ip, arp, ports, icmp; /* what was read past Ethernet */
	rte_be32_t src, dst; /* IPv4 source and destination, ARP sender and target */
	bool ip6; /* IPv6 (ip stays false): src6 and dst6, proto the first next header */
	uint8_t src6[16], dst6[16];
	uint8_t proto;
	uint16_t sport, dport; /* host order */
	uint8_t icmp_type, icmp_code;
	uint16_t arp_op; /* host order */
};

struct vxg_trace_pkt {
	struct vxg_trace_hdrs outer;
	bool vxlan; /* UDP to 4789 or 8472 with a VXLAN header: the inner frame follows */
	uint32_t vni;
	struct vxg_trace_hdrs inner;
};

/* The source and destination of h (IPv4, ARP or IPv6) as text, len >= 46 each. */
void vxg_trace_hdrs_addrs(const struct vxg_trace_hdrs *h, char *src, char *dst, size_t len);
void vxg_trace_pkt_parse(const uint8_t *p, size_t len, struct vxg_trace_pkt *pk);
/* One line: "02:.. > 02:.., 10.1.0.11.40000 > 10.2.0.12.5001 udp" (and "vxlan VNI n:" with
 * the inner one). */
void vxg_trace_pkt_summary(const struct vxg_trace_pkt *pk, char *buf, size_t len);

#endif
