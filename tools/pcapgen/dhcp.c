/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dhcp scenario: DISCOVER and REQUEST pairs from many clients, as a client without
 * an address broadcasts them.
 */
#include <arpa/inet.h>
#include <string.h>

#include "pcapgen.h"

/* Clients on db, not any port's MAC: client k is this MAC + k. */
static const uint8_t dhcp_client_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x10, 0x00};

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
int
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
