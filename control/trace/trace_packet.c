/* SPDX-License-Identifier: BSD-3-Clause */
/* A traced packet's first bytes read back (trace_packet.h). */
#include <stdio.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_ip.h>

#include "config/fields.h"
#include "trace/trace_packet.h"

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv4 at p (len bytes): addresses, protocol, ports or ICMP type. Returns the offset of
 * its payload from p, 0 if the header is not whole. */
static size_t
pkt_ipv4(const uint8_t *p, size_t len, struct vxg_trace_hdrs *h)
{
	size_t hl;

	if (len < 20 || (p[0] >> 4) != 4 || (hl = (size_t)(p[0] & 0xf) * 4) < 20)
		return 0;
	h->ip = true;
	h->proto = p[9];
	memcpy(&h->src, p + 12, 4);
	memcpy(&h->dst, p + 16, 4);
	if ((rd16(p + 6) & 0x1fff) != 0 || len < hl + 4)
		return 0; /* a later fragment, or no L4 header kept */
	if (h->proto == IPPROTO_TCP || h->proto == IPPROTO_UDP || h->proto == IPPROTO_SCTP) {
		h->ports = true;
		h->sport = rd16(p + hl);
		h->dport = rd16(p + hl + 2);
	} else if (h->proto == IPPROTO_ICMP) {
		h->icmp = true;
		h->icmp_type = p[hl];
		h->icmp_code = p[hl + 1];
	}
	return hl;
}

/* IPv6 at p: addresses, the first next header, ports or ICMPv6 type when it is L4 (no
 * extension header is walked). Returns the offset of its payload, 0 if not whole. */
static size_t
pkt_ipv6(const uint8_t *p, size_t len, struct vxg_trace_hdrs *h)
{
	if (len < 40 || (p[0] >> 4) != 6)
		return 0;
	h->ip6 = true;
	h->proto = p[6];
	memcpy(h->src6, p + 8, 16);
	memcpy(h->dst6, p + 24, 16);
	if (len < 44)
		return 0;
	if (h->proto == IPPROTO_TCP || h->proto == IPPROTO_UDP || h->proto == IPPROTO_SCTP) {
		h->ports = true;
		h->sport = rd16(p + 40);
		h->dport = rd16(p + 42);
	} else if (h->proto == IPPROTO_ICMPV6) {
		h->icmp = true;
		h->icmp_type = p[40];
		h->icmp_code = p[41];
	}
	return 40;
}

/* One frame at p: Ethernet, a VLAN tag, then IPv4 or ARP. Returns the offset of the IPv4
 * payload (0: none). */
static size_t
pkt_frame(const uint8_t *p, size_t len, struct vxg_trace_hdrs *h)
{
	size_t off = 14, l4;

	memset(h, 0, sizeof(*h));
	if (len < 14)
		return 0;
	h->eth = true;
	memcpy(&h->dst_mac, p, 6);
	memcpy(&h->src_mac, p + 6, 6);
	h->type = rd16(p + 12);
	if (h->type == RTE_ETHER_TYPE_VLAN && len >= 18) {
		h->vlan = rd16(p + 14) & 0xfff;
		h->type = rd16(p + 16);
		off = 18;
	}
	if (h->type == RTE_ETHER_TYPE_ARP && len >= off + 28) {
		h->arp = true;
		h->arp_op = rd16(p + off + 6);
		memcpy(&h->src, p + off + 14, 4);
		memcpy(&h->dst, p + off + 24, 4);
	}
	if (h->type == RTE_ETHER_TYPE_IPV6) {
		l4 = pkt_ipv6(p + off, len - off, h);
		return l4 != 0 ? off + l4 : 0;
	}
	if (h->type != RTE_ETHER_TYPE_IPV4)
		return 0;
	l4 = pkt_ipv4(p + off, len - off, h);
	return l4 != 0 ? off + l4 : 0;
}

void
vxg_trace_pkt_parse(const uint8_t *p, size_t len, struct vxg_trace_pkt *pk)
{
	size_t l4 = pkt_frame(p, len, &pk->outer);

	pk->vxlan = false;
	memset(&pk->inner, 0, sizeof(pk->inner));
	if (l4 == 0 || !pk->outer.ports || pk->outer.proto != IPPROTO_UDP ||
		(pk->outer.dport != 4789 && pk->outer.dport != 8472) || len < l4 + 16 ||
		(p[l4 + 8] & 0x08) == 0)
		return;
	pk->vxlan = true;
	pk->vni = (uint32_t)p[l4 + 12] << 16 | (uint32_t)p[l4 + 13] << 8 | p[l4 + 14];
	pkt_frame(p + l4 + 16, len - l4 - 16, &pk->inner);
}

void
vxg_trace_hdrs_addrs(const struct vxg_trace_hdrs *h, char *src, char *dst, size_t len)
{
	struct vxg_ip6 a;

	if (!h->ip6) {
		vxg_ip_format(rte_be_to_cpu_32(h->src), src, len);
		vxg_ip_format(rte_be_to_cpu_32(h->dst), dst, len);
		return;
	}
	memcpy(a.a, h->src6, sizeof(a.a));
	vxg_ip6_format(&a, src, len);
	memcpy(a.a, h->dst6, sizeof(a.a));
	vxg_ip6_format(&a, dst, len);
}

static void
hdrs_summary(const struct vxg_trace_hdrs *h, char *buf, size_t len)
{
	char smac[RTE_ETHER_ADDR_FMT_SIZE], dmac[RTE_ETHER_ADDR_FMT_SIZE], s[48], d[48];
	char proto[16];
	int n;

	if (!h->eth) {
		snprintf(buf, len, "(too short)");
		return;
	}
	rte_ether_format_addr(smac, sizeof(smac), &h->src_mac);
	rte_ether_format_addr(dmac, sizeof(dmac), &h->dst_mac);
	vxg_trace_hdrs_addrs(h, s, d, sizeof(s));
	n = snprintf(buf, len, "%s > %s", smac, dmac);
	if (n > 0 && (size_t)n < len && h->vlan != 0)
		n += snprintf(buf + n, len - (size_t)n, " vlan %u", h->vlan);
	if (n < 0 || (size_t)n >= len)
		return;
	if (h->arp) {
		snprintf(buf + n, len - (size_t)n, ", ARP %s %s from %s",
			h->arp_op == 1 ? "who-has" : "reply", d, s);
	} else if ((h->ip || h->ip6) && h->ports) {
		vxg_proto_format(h->proto, proto, sizeof(proto));
		snprintf(buf + n, len - (size_t)n, ", %s.%u > %s.%u %s", s, h->sport, d, h->dport,
			proto);
	} else if ((h->ip || h->ip6) && h->icmp) {
		snprintf(buf + n, len - (size_t)n, ", %s > %s %s type %u code %u", s, d,
			h->ip6 ? "icmp6" : "icmp", h->icmp_type, h->icmp_code);
	} else if (h->ip || h->ip6) {
		vxg_proto_format(h->proto, proto, sizeof(proto));
		snprintf(buf + n, len - (size_t)n, ", %s > %s %s", s, d, proto);
	} else {
		snprintf(buf + n, len - (size_t)n, ", ethertype 0x%04x", h->type);
	}
}

void
vxg_trace_pkt_summary(const struct vxg_trace_pkt *pk, char *buf, size_t len)
{
	size_t n;

	hdrs_summary(&pk->outer, buf, len);
	n = strlen(buf);
	if (!pk->vxlan || n + 1 >= len)
		return;
	n += (size_t)snprintf(buf + n, len - n, "; vxlan VNI %u: ", pk->vni);
	if (n + 1 < len)
		hdrs_summary(&pk->inner, buf + n, len - n);
}
