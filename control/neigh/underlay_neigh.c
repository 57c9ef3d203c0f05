/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Answers for vxgate's own addresses: ARP replies (RFC 826) and ICMP echo replies
 * (RFC 792), built in the punted mbuf itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "neigh/underlay_neigh.h"
#include "vxg_ipv4.h"

static bool
neigh_is_self(const struct vxg_neigh_self *self, rte_be32_t ip)
{
	for (unsigned i = 0; i < self->n_addrs; i++)
		if (self->addrs[i] != 0 && self->addrs[i] == ip)
			return true;
	return self->proxy != NULL && self->proxy(self->proxy_arg, ip);
}

/* Turn the request into the reply: the target becomes the sender, we answer as ourselves. */
static void
neigh_arp_reply(
	struct rte_ether_hdr *eth, struct rte_arp_hdr *arp, const struct vxg_neigh_self *self)
{
	struct rte_arp_ipv4 *a = &arp->arp_data;
	rte_be32_t tip = a->arp_tip;

	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	a->arp_tha = a->arp_sha;
	a->arp_tip = a->arp_sip;
	a->arp_sha = self->mac;
	a->arp_sip = tip;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = self->mac;
}

static enum vxg_punt_kind
neigh_arp(struct rte_mbuf *m, struct rte_ether_hdr *eth, const struct vxg_neigh_self *self,
	rte_be32_t *sender_ip, struct rte_ether_addr *sender_mac)
{
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

	if (m->data_len < sizeof(*eth) + sizeof(*arp) ||
		arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
		arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
		arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4)
		return VXG_PUNT_IGNORED;
	if (rte_is_multicast_ether_addr(&arp->arp_data.arp_sha))
		return VXG_PUNT_IGNORED;
	*sender_ip = arp->arp_data.arp_sip;
	*sender_mac = arp->arp_data.arp_sha;
	if (arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY))
		return VXG_PUNT_ARP_REPLY;
	if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) ||
		!neigh_is_self(self, arp->arp_data.arp_tip))
		return VXG_PUNT_IGNORED;
	neigh_arp_reply(eth, arp, self);
	return VXG_PUNT_ARP_REQUEST;
}

static enum vxg_punt_kind
neigh_icmp(struct rte_mbuf *m, struct rte_ether_hdr *eth, const struct vxg_neigh_self *self)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp;
	uint16_t hl;
	rte_be32_t a;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) || ip->next_proto_id != IPPROTO_ICMP ||
		!neigh_is_self(self, ip->dst_addr))
		return VXG_PUNT_IGNORED;
	hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hl < sizeof(*ip) || m->data_len < sizeof(*eth) + hl + sizeof(*icmp) ||
		(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return VXG_PUNT_IGNORED;
	icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + hl);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		return VXG_PUNT_IGNORED;
	/* The type is the high byte of the first word: only it changes, 8 -> 0. */
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = vxg_cksum_update16(icmp->icmp_cksum,
		RTE_BE16(RTE_IP_ICMP_ECHO_REQUEST << 8), RTE_BE16(RTE_IP_ICMP_ECHO_REPLY << 8));
	/* Swapping the addresses keeps the IPv4 checksum; a fresh TTL changes it. */
	a = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = self->mac;
	return VXG_PUNT_ICMP_ECHO;
}

enum vxg_punt_kind
vxg_neigh_answer(struct rte_mbuf *m, const struct vxg_neigh_self *self, rte_be32_t *sender_ip,
	struct rte_ether_addr *sender_mac)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	if (m->data_len < sizeof(*eth))
		return VXG_PUNT_IGNORED;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return neigh_arp(m, eth, self, sender_ip, sender_mac);
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return neigh_icmp(m, eth, self);
	return VXG_PUNT_IGNORED;
}

struct vxg_neigh_table *
vxg_neigh_table_create(uint32_t cap)
{
	struct vxg_neigh_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->cap = cap;
	t->e = calloc(cap + 1, sizeof(*t->e));
	if (t->e == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
vxg_neigh_table_destroy(struct vxg_neigh_table *t)
{
	if (t == NULL)
		return;
	free(t->e);
	free(t);
}

/* A linear scan: the table holds next hops and the hosts that ARP for us, and only the
 * control thread looks, a few times per punted ARP. */
struct vxg_neigh *
vxg_neigh_lookup(const struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip)
{
	for (uint32_t i = 0; t != NULL && i < t->n; i++)
		if (t->e[i].ip == ip && t->e[i].ifi == ifi)
			return &t->e[i];
	return NULL;
}

const struct rte_ether_addr *
vxg_neigh_mac(const struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip)
{
	const struct vxg_neigh *e = vxg_neigh_lookup(t, ifi, ip);

	return e != NULL && e->state != VXG_NEIGH_INCOMPLETE ? &e->mac : NULL;
}

static struct vxg_neigh *
neigh_add(struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip, uint64_t now_ms)
{
	struct vxg_neigh *e;

	if (t->n == t->cap) {
		t->full++;
		return NULL;
	}
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->ifi = ifi;
	e->ip = ip;
	e->state = VXG_NEIGH_INCOMPLETE;
	e->updated_ms = now_ms;
	e->next_probe_ms = now_ms;
	return e;
}

static void
neigh_del(struct vxg_neigh_table *t, struct vxg_neigh *e)
{
	*e = t->e[--t->n];
}

void
vxg_neigh_unwant_all(struct vxg_neigh_table *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		t->e[i].wanted = false;
}

int
vxg_neigh_want(struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip, uint64_t now_ms)
{
	struct vxg_neigh *e = vxg_neigh_lookup(t, ifi, ip);

	if (e == NULL && (e = neigh_add(t, ifi, ip, now_ms)) == NULL)
		return -ENOSPC;
	e->wanted = true;
	return 0;
}

int
vxg_neigh_learn(struct vxg_neigh_table *t, unsigned ifi, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create, uint64_t now_ms)
{
	struct vxg_neigh *e = vxg_neigh_lookup(t, ifi, ip);
	bool changed;

	if (e == NULL) {
		if (!create)
			return 0;
		if ((e = neigh_add(t, ifi, ip, now_ms)) == NULL)
			return -ENOSPC;
	}
	changed = e->state == VXG_NEIGH_INCOMPLETE || !rte_is_same_ether_addr(&e->mac, mac);
	e->mac = *mac;
	e->state = VXG_NEIGH_REACHABLE;
	e->probes = 0;
	e->updated_ms = now_ms;
	return changed ? 1 : 0;
}

/* 1 s, 2 s, 4 s ... between probes, capped. */
static uint64_t
neigh_backoff_ms(uint16_t probes)
{
	uint64_t ms = (uint64_t)VXG_NEIGH_PROBE_MIN_MS << RTE_MIN(probes, 16);

	return RTE_MIN(ms, (uint64_t)VXG_NEIGH_PROBE_MAX_MS);
}

/* One entry's timers; returns 1 if its MAC went away, -1 if it must be deleted. */
static int
neigh_timer_one(struct vxg_neigh *e, uint64_t now_ms,
	void (*probe)(unsigned ifi, rte_be32_t ip, void *arg), void *arg)
{
	if (e->state == VXG_NEIGH_REACHABLE) {
		if (now_ms - e->updated_ms < VXG_NEIGH_REACHABLE_MS)
			return 0;
		e->state = VXG_NEIGH_STALE;
		e->probes = 0;
		e->next_probe_ms = now_ms;
	}
	if (e->state == VXG_NEIGH_STALE && e->probes >= VXG_NEIGH_STALE_PROBES &&
		now_ms >= e->next_probe_ms) {
		if (!e->wanted)
			return -1;
		e->state = VXG_NEIGH_INCOMPLETE;
		e->probes = 0;
		return 1;
	}
	if (e->state == VXG_NEIGH_INCOMPLETE && !e->wanted)
		return -1;
	if (now_ms < e->next_probe_ms)
		return 0;
	probe(e->ifi, e->ip, arg);
	e->next_probe_ms = now_ms + neigh_backoff_ms(e->probes);
	e->probes++;
	return 0;
}

int
vxg_neigh_timers(struct vxg_neigh_table *t, uint64_t now_ms,
	void (*probe)(unsigned ifi, rte_be32_t ip, void *arg), void *arg)
{
	int changed = 0;

	for (uint32_t i = 0; i < t->n;) {
		bool had_mac = t->e[i].state != VXG_NEIGH_INCOMPLETE;
		int r = neigh_timer_one(&t->e[i], now_ms, probe, arg);

		if (r < 0) {
			changed |= had_mac;
			neigh_del(t, &t->e[i]);
			continue;
		}
		changed |= r;
		i++;
	}
	return changed;
}

const char *
vxg_neigh_state_name(enum vxg_neigh_state s)
{
	switch (s) {
	case VXG_NEIGH_INCOMPLETE:
		return "incomplete";
	case VXG_NEIGH_REACHABLE:
		return "reachable";
	case VXG_NEIGH_STALE:
		return "stale";
	}
	return "?";
}

int
vxg_arp_request(struct rte_mbuf *m, const struct rte_ether_addr *mac, rte_be32_t sip, rte_be32_t ip)
{
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	/* 60 bytes: the minimum frame, so no driver has to pad it. */
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
	if (eth == NULL)
		return -ENOSPC;
	memset(eth, 0, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	eth->src_addr = *mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = *mac;
	arp->arp_data.arp_sip = sip;
	arp->arp_data.arp_tip = ip;
	return 0;
}
