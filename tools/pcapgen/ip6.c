/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 scenarios: l2v6, known unicast UDP over IPv6 between two db MACs on VLAN 10 (as
 * l2), from vm2's fixed address 2001:db8:2::12 to db2's ::13 in db's /64 (as 10.2.0.12 to
 * 10.2.0.13), which port security checks; routed6, the same UDP from vm2 in db to vm1 in
 * web through the router, over the networks' IPv6 /64s; sg6, TCP ACKs (established
 * flows, dport 80) on routed6's path, vm2 2001:db8:2::12 to vm1 2001:db8:1::11, through
 * security groups (as sg on routed's). The UDP and TCP checksums (mandatory in IPv6) are
 * correct.
 */
#include <string.h>

#include "pcapgen.h"

#define ETHERTYPE_IPV6 0x86dd
#define IP6_HLEN 40

/* The one's complement sum of n bytes at p, added to sum. */
static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t k = 0; k + 1 < n; k += 2)
		sum += (uint32_t)(p[k] << 8 | p[k + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* UDP or TCP over IPv6 at ip (header and l4_len bytes written): its checksum. */
static uint16_t
l4_6_cksum(const uint8_t *ip, size_t udp_len, uint8_t proto)
{
	uint32_t sum = sum16(0, ip + 8, 32); /* source and destination */

	sum += (uint32_t)udp_len + proto;
	sum = sum16(sum, ip + IP6_HLEN, udp_len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	return sum == 0 ? 0xffff : (uint16_t)sum;
}

/* One UDP over IPv6 frame of the scenario's size (at least 70 bytes): packet i, from
 * (smac, sip) to (dmac, dip) on vlan, its source port one of --flows. */
static void
udp6_frame(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len, const uint8_t *dmac,
	const uint8_t *smac, uint16_t vlan, const uint8_t *sip, const uint8_t *dip)
{
	uint16_t sport = port_add(o->sport, (uint32_t)(i % o->flows));
	size_t l2 = eth_hlen(vlan), min = l2 + IP6_HLEN + 8 + 4, n = o->size < min ? min : o->size;
	size_t udp_len = n - l2 - IP6_HLEN;
	uint8_t *ip = buf + l2, *udp = ip + IP6_HLEN;
	uint16_t ck;

	memset(buf, 0, n);
	put_eth(buf, dmac, smac, vlan, ETHERTYPE_IPV6);
	ip[0] = 0x60;
	ip[4] = (uint8_t)(udp_len >> 8);
	ip[5] = (uint8_t)udp_len;
	ip[6] = IPPROTO_UDP_;
	ip[7] = o->ttl;
	memcpy(ip + 8, sip, 16);
	memcpy(ip + 24, dip, 16);
	udp[0] = (uint8_t)(sport >> 8);
	udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(o->dport >> 8);
	udp[3] = (uint8_t)o->dport;
	udp[4] = (uint8_t)(udp_len >> 8);
	udp[5] = (uint8_t)udp_len;
	udp[8] = (uint8_t)(i >> 24); /* the packet index, as the other scenarios' payloads */
	udp[9] = (uint8_t)(i >> 16);
	udp[10] = (uint8_t)(i >> 8);
	udp[11] = (uint8_t)i;
	ck = l4_6_cksum(ip, udp_len, IPPROTO_UDP_);
	udp[6] = (uint8_t)(ck >> 8);
	udp[7] = (uint8_t)ck;
	*len = n;
}

int
gen_l2v6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	const uint8_t *src = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac);
	const uint8_t *dst = opt_mac(o, O_DST_MAC, o->dst_mac, db_peer_mac);
	static const uint8_t sip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x12};
	static const uint8_t dip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x13};
	uint8_t smac[6];

	mac_add(smac, src, (uint32_t)(i % o->macs));
	udp6_frame(o, i, buf, len, dst, smac, opt_vlan(o, 10), sip, dip);
	return 0;
}

/* routed6: vm2 2001:db8:2::12 (db) to the router's MAC, for vm1 2001:db8:1::11 (web). */
int
gen_routed6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	static const uint8_t sip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x12};
	static const uint8_t dip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x11};
	const uint8_t *src = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac);
	uint8_t smac[6];

	mac_add(smac, src, (uint32_t)(i % o->macs));
	udp6_frame(o, i, buf, len, o->router_mac, smac, opt_vlan(o, 0), sip, dip);
	return 0;
}

/* sg6: vm2 to the router's MAC, for vm1 (routed6's addresses), a TCP ACK to port 80. */
int
gen_sg6(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	static const uint8_t sip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x12};
	static const uint8_t dip[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x11};
	const uint8_t *src = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac);
	const uint8_t *dst = opt_mac(o, O_DST_MAC, o->dst_mac, o->router_mac);
	uint16_t vlan = opt_vlan(o, 0), sport = port_add(o->sport, (uint32_t)(i % o->flows));
	size_t l2 = eth_hlen(vlan), min = l2 + IP6_HLEN + 20, n = o->size < min ? min : o->size;
	size_t tcp_len = n - l2 - IP6_HLEN;
	uint8_t *ip = buf + l2, *tcp = ip + IP6_HLEN;
	uint16_t ck;

	memset(buf, 0, n);
	put_eth(buf, dst, src, vlan, ETHERTYPE_IPV6);
	ip[0] = 0x60;
	ip[4] = (uint8_t)(tcp_len >> 8);
	ip[5] = (uint8_t)tcp_len;
	ip[6] = IPPROTO_TCP_;
	ip[7] = o->ttl;
	memcpy(ip + 8, sip, 16);
	memcpy(ip + 24, dip, 16);
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[3] = 80;
	tcp[7] = 1; /* seq */
	tcp[11] = 1; /* ack */
	tcp[12] = 0x50;
	tcp[13] = 0x10; /* ACK */
	tcp[14] = 0x20; /* window */
	ck = l4_6_cksum(ip, tcp_len, IPPROTO_TCP_);
	tcp[16] = (uint8_t)(ck >> 8);
	tcp[17] = (uint8_t)ck;
	*len = n;
	return 0;
}
