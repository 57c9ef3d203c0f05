/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security and stateful security groups.
 *
 * Port security runs where L2 receives a frame, before learning: a frame whose source
 * MAC is a declared port's must come from where that port lives, and carry one of its
 * addresses (ARP and IPv4 only; DHCP server replies from a VM are dropped); a MAC that
 * is no port's may not come from where a port with security groups lives (it would
 * bypass them). A port without addresses is held to its MAC only. IPv6 has its own
 * checks (psec6.c).
 *
 * The security groups run where a frame is about to be delivered, when its sender or its
 * receiver is a port with groups (the sender's port rides along in the burst, or in the
 * mbuf metadata across the router). A packet of a known connection takes the conntrack
 * hit path; the others are classified (rte_acl, in bursts: the sender's egress rules and
 * the receiver's ingress rules), and a new connection that a stateful rule allowed is
 * tracked. A flooded frame meets, per copy, the ingress rules of the ports where the copy
 * goes, without a connection of its own (vxg_sg_flood). A connection seen under an older
 * generation is checked again against the current rules, once, in its original
 * direction: a connection that a removed rule had allowed is blocked and stays blocked
 * (its entry says so) until it ages out.
 *
 * ARP always passes; non-first IPv4 fragments pass (their first fragment was checked:
 * vxgate does not reassemble); ICMP errors about a tracked connection pass. IPv6 frames
 * go to sg6.c, which does the same with IPv6 rules and the VPC's IPv6 conntrack table;
 * the IPv4 paths test the ethertype once and only where IPv4 fails.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "sg/sg_priv.h"
#include "vxg_ipv4.h"

/* ---- Port security -------------------------------------------------------------------- */

/* The port an allowed-address-pair MAC belongs to (slot + 1), or 0. */
static uint16_t
sg_pair_mac(const struct vxg_gen_net *net, const struct rte_ether_addr *mac)
{
	uint32_t lo = 0, hi = net->n_pair_macs;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = memcmp(&net->pair_macs[mid].mac, mac, sizeof(*mac));

		if (c == 0)
			return net->pair_macs[mid].lport;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static bool
sg_vtep_secured(const struct vxg_gen_net *net, rte_be32_t vtep)
{
	uint32_t lo = 0, hi = net->n_sec_vteps;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (net->sec_vteps[mid] == vtep)
			return true;
		if (net->sec_vteps[mid] < vtep)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Is vtep in network net's flood set (its flood list and the VTEPs EVPN names): the
 * fabric a port that EVPN has not placed yet may send from. */
static bool
sg_flood_vtep(const struct vxg_gen *g, const struct vxg_gen_net *net, rte_be32_t vtep)
{
	for (uint16_t k = 0; k < net->n_flood; k++)
		if (g->vx.vteps[net->flood[k]].ip == vtep)
			return true;
	return false;
}

/*
 * May a port that EVPN places, its static entry at loc, send from `here` (where frame i
 * of b came from)? From the VTEP the entry names; while pending, from any VTEP of the
 * network's flood set. Off the common path: only where a port's MAC came from elsewhere.
 */
static __rte_noinline bool
sg_evpn_from(const struct vxg_gen *g, const struct vxg_l2_burst *b, uint16_t i,
	union vxg_fdb_loc loc, union vxg_fdb_loc here)
{
	if (loc.kind != VXG_FDB_PENDING)
		return loc.u64 == here.u64;
	return b->from_overlay && sg_flood_vtep(g, b->net[i], b->src[i]);
}

/* The same for an address pair's MAC of port lp, which EVPN places: where its own MAC's
 * static entry is (pending until that entry is written). */
static __rte_noinline bool
sg_pair_evpn_from(const struct vxg_gen *g, const struct vxg_fdb *fdb, const struct vxg_l2_burst *b,
	uint16_t i, const struct vxg_gen_lport *lp, union vxg_fdb_loc here)
{
	union vxg_fdb_loc loc = lp->loc;
	struct vxg_fdb_key key;
	int32_t pos;

	vxg_fdb_key_set(&key, b->net[i]->vni, &lp->mac);
	pos = rte_hash_lookup(fdb->h, &key);
	if (pos >= 0) {
		union vxg_fdb_loc cur = {
			.u64 = __atomic_load_n(&fdb->entries[pos].loc.u64, __ATOMIC_ACQUIRE)};

		if (cur.kind != VXG_FDB_NONE && cur.origin == VXG_FDB_STATIC)
			loc = cur;
	}
	return sg_evpn_from(g, b, i, loc, here);
}

/* May the port send from `ip` with source MAC `mac`? Without addresses: any. */
static inline bool
sg_addr_ok(const struct vxg_gen_lport *lp, rte_be32_t ip, const struct rte_ether_addr *mac)
{
	if (lp->n_addrs == 0)
		return true;
	for (uint16_t i = 0; i < lp->n_addrs; i++)
		if ((ip & lp->addrs[i].mask) == lp->addrs[i].addr &&
			rte_is_same_ether_addr(mac, &lp->addrs[i].mac))
			return true;
	return false;
}

/* What a secured port sent: ARP and IPv4 from its own addresses, nothing else. */
static unsigned
sg_psec_content(const struct vxg_gen_lport *lp, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	rte_be16_t type = *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);

	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *arp;

		if (m->data_len < m->l2_len + sizeof(*arp))
			return VXG_DROP_spoof_arp;
		arp = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, m->l2_len);
		/* A probe (sender 0.0.0.0) says nothing about anyone's address. */
		if (!rte_is_same_ether_addr(&arp->arp_data.arp_sha, &eth->src_addr) ||
			(arp->arp_data.arp_sip != 0 &&
				!sg_addr_ok(lp, arp->arp_data.arp_sip, &eth->src_addr)))
			return VXG_DROP_spoof_arp;
		return VXG_DROP_MAX;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip;
		rte_be16_t dport;

		if (m->data_len < m->l2_len + sizeof(*ip))
			return VXG_DROP_MAX; /* not IPv4 enough to spoof: the IPv4 checks drop it */
		ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
		dport = vxg_ipv4_udp_dport(m, m->l2_len);
		if (dport == RTE_BE16(VXG_DHCP_CLIENT_PORT))
			return VXG_DROP_spoof_dhcp; /* a DHCP server in a VM */
		if (sg_addr_ok(lp, ip->src_addr, &eth->src_addr))
			return VXG_DROP_MAX;
		/* A DHCP client has no address yet. */
		if (ip->src_addr == 0 && dport == RTE_BE16(VXG_DHCP_SERVER_PORT))
			return VXG_DROP_MAX;
		return VXG_DROP_spoof_ip;
	}
	return VXG_DROP_port_sec_ethertype;
}

unsigned
vxg_psec_check(const struct vxg_gen *g, const struct vxg_fdb *fdb, const struct vxg_l2_burst *b,
	uint16_t i, int32_t spos, uint16_t *lport)
{
	const struct vxg_gen_net *net = b->net[i];
	const struct rte_mbuf *m = b->pkts[i];
	const struct vxg_gen_lport *lp = NULL;
	union vxg_fdb_loc loc = {.u64 = 0}, here;
	uint16_t slot = 0;

	here = vxg_l2_src_loc(b, i);
	here.origin = VXG_FDB_STATIC; /* as a declared port's static entry says it */
	if (spos >= 0) {
		loc.u64 = __atomic_load_n(&fdb->entries[spos].loc.u64, __ATOMIC_ACQUIRE);
		if (loc.kind != VXG_FDB_NONE && loc.origin == VXG_FDB_STATIC)
			slot = fdb->entries[spos].lport;
	}
	if (slot == 0) {
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

		if (net->n_pair_macs > 0)
			slot = sg_pair_mac(net, &eth->src_addr);
		if (slot == 0) {
			/* No port's MAC: not from where a secured port lives. */
			*lport = 0;
			if (b->from_overlay
					? sg_vtep_secured(net, b->src[i])
					: b->in_port < RTE_MAX_ETHPORTS &&
						  g->if_of_port[b->in_port] != VXG_IF_NONE &&
						  g->ifs[g->if_of_port[b->in_port]].vlan_secured !=
							  NULL &&
						  g->ifs[g->if_of_port[b->in_port]]
							  .vlan_secured[here.vlan])
				return VXG_DROP_spoof_mac;
			return VXG_DROP_MAX;
		}
		lp = sg_lport(g, slot);
		if (lp == NULL || (lp->loc.u64 != here.u64 &&
					  (lp->loc.kind != VXG_FDB_PENDING ||
						  !sg_pair_evpn_from(g, fdb, b, i, lp, here))))
			return lp != NULL && (lp->flags & VXG_LP_SECURITY) ? VXG_DROP_spoof_mac
									   : VXG_DROP_MAX;
		loc.u64 = 0; /* a pair's MAC, learned where its port lives: checked above */
	} else {
		lp = sg_lport(g, slot);
	}
	*lport = lp != NULL && lp->flags != 0 ? slot : 0;
	if (lp == NULL || !(lp->flags & VXG_LP_SECURITY))
		return VXG_DROP_MAX;
	/* A port's MAC from somewhere else (a port EVPN places: see sg_evpn_from) */
	if (loc.u64 != 0 && loc.u64 != here.u64 &&
		(lp->loc.kind != VXG_FDB_PENDING || !sg_evpn_from(g, b, i, loc, here)))
		return VXG_DROP_spoof_mac;
	/* IPv6 has its own checks (psec6.c); the ethertype is tested once, here. */
	if (unlikely(*rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2) ==
		     RTE_BE16(RTE_ETHER_TYPE_IPV6)))
		return vxg_psec6_check(lp, m);
	/* A port without addresses (its address comes from a DHCP range) is held to its
	 * MAC only. */
	return lp->n_addrs == 0 ? VXG_DROP_MAX : sg_psec_content(lp, m);
}

/* ---- Security groups ------------------------------------------------------------------ */

enum sg_kind {
	SG_PASS, /* ARP, a non-first fragment */
	SG_DROP, /* not IPv4 or ARP, or a truncated header */
	SG_TRACK, /* looked up in conntrack, classified on a miss */
	SG_V6, /* IPv6: sg6.c's */
};

struct sg_pkt {
	struct vxg_ct_key key;
	bool swapped;
	uint8_t kind;
	uint8_t proto;
	uint8_t tcp_flags;
	bool track; /* a connection to track if allowed (not an ICMP error or reply) */
	bool related; /* an ICMP error: key is the connection it is about */
	uint16_t l4; /* rule key: destination port, or ICMP type << 8 | code */
	rte_be32_t src, dst;
	const struct vxg_gen_lport *ls, *ld; /* filtered sender / receiver, or NULL */
	uint16_t lsrc, ldst;
	struct vxg_ct *ct;
};

static inline bool
sg_icmp_error(uint8_t type)
{
	return type == 3 /* destination unreachable */ || type == 11 /* time exceeded */ ||
	       type == 12 /* parameter problem */;
}

/* The connection an ICMP error is about: the inner header, seen from the other side. */
static bool
sg_parse_related(struct sg_pkt *p, const struct rte_mbuf *m, uint16_t off)
{
	const struct rte_ipv4_hdr *in;
	uint16_t hl;
	const rte_be16_t *l4;

	if (m->data_len < off + sizeof(*in))
		return false;
	in = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	hl = (in->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hl < sizeof(*in) || m->data_len < off + hl + 8)
		return false;
	l4 = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off + hl);
	if (in->next_proto_id == IPPROTO_ICMP) {
		/* identifier: the second 32-bit word's first half */
		p->swapped = vxg_ct_key_make(
			&p->key, IPPROTO_ICMP, in->src_addr, in->dst_addr, l4[2], l4[2]);
	} else if (in->next_proto_id == IPPROTO_TCP || in->next_proto_id == IPPROTO_UDP ||
		   in->next_proto_id == IPPROTO_SCTP) {
		p->swapped = vxg_ct_key_make(
			&p->key, in->next_proto_id, in->src_addr, in->dst_addr, l4[0], l4[1]);
	} else {
		p->swapped = vxg_ct_key_make(
			&p->key, in->next_proto_id, in->src_addr, in->dst_addr, 0, 0);
	}
	return true;
}

/* Fill p from the frame: VXG_DROP_MAX, or why it is dropped (p->kind SG_DROP). */
static unsigned
sg_parse(struct sg_pkt *p, const struct rte_mbuf *m)
{
	rte_be16_t type = *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);
	const struct rte_ipv4_hdr *ip;
	rte_be16_t sport = 0, dport = 0;
	uint16_t hl, off;

	p->kind = SG_PASS;
	p->track = false;
	p->related = false;
	p->tcp_flags = 0;
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return VXG_DROP_MAX;
	p->kind = SG_DROP;
	if (type != RTE_BE16(RTE_ETHER_TYPE_IPV4) || m->data_len < m->l2_len + sizeof(*ip)) {
		if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
			p->kind = SG_V6;
			return VXG_DROP_MAX;
		}
		return p->ld != NULL ? VXG_DROP_sg_ingress_deny : VXG_DROP_sg_egress_deny;
	}
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hl < sizeof(*ip))
		return VXG_DROP_ip_bad_header;
	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) {
		p->kind = SG_PASS;
		return VXG_DROP_MAX;
	}
	off = m->l2_len + hl;
	p->proto = ip->next_proto_id;
	p->src = ip->src_addr;
	p->dst = ip->dst_addr;
	p->l4 = 0;
	switch (p->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP: {
		const rte_be16_t *ports;

		if (m->data_len < off + (p->proto == IPPROTO_TCP ? 14 : 4))
			return VXG_DROP_ip_bad_header;
		ports = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off);
		sport = ports[0];
		dport = ports[1];
		p->l4 = rte_be_to_cpu_16(dport);
		if (p->proto == IPPROTO_TCP)
			p->tcp_flags = *rte_pktmbuf_mtod_offset(m, const uint8_t *, off + 13);
		/* A lone RST opens nothing. */
		p->track = !(p->tcp_flags & RTE_TCP_RST_FLAG);
		break;
	}
	case IPPROTO_ICMP: {
		const struct rte_icmp_hdr *ic;

		if (m->data_len < off + sizeof(*ic))
			return VXG_DROP_ip_bad_header;
		ic = rte_pktmbuf_mtod_offset(m, const struct rte_icmp_hdr *, off);
		p->l4 = (uint16_t)(ic->icmp_type << 8 | ic->icmp_code);
		if (sg_icmp_error(ic->icmp_type) && sg_parse_related(p, m, off + sizeof(*ic))) {
			p->related = true;
			p->kind = SG_TRACK;
			return VXG_DROP_MAX;
		}
		sport = dport = ic->icmp_ident;
		/* Echo requests open a connection; replies only match one. */
		p->track = ic->icmp_type == RTE_IP_ICMP_ECHO_REQUEST;
		if (ic->icmp_type != RTE_IP_ICMP_ECHO_REQUEST &&
			ic->icmp_type != RTE_IP_ICMP_ECHO_REPLY)
			sport = dport = 0;
		break;
	}
	default:
		p->track = true;
		break;
	}
	p->kind = SG_TRACK;
	p->swapped = vxg_ct_key_make(&p->key, p->proto, p->src, p->dst, sport, dport);
	return VXG_DROP_MAX;
}

/* The first state of a connection this packet opens. */
static inline uint8_t
sg_ct_first(const struct sg_pkt *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		if ((p->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG)
			return VXG_CT_TCP_SYN_SENT;
		return VXG_CT_TCP_ESTABLISHED; /* picked up mid-stream (a restart) */
	case IPPROTO_UDP:
		return VXG_CT_UDP_NEW;
	case IPPROTO_ICMP:
		return VXG_CT_ICMP_NEW;
	default:
		return VXG_CT_OTHER_NEW;
	}
}

/*
 * Classify keys of one direction. Runs of packets whose port is in the same VPC share
 * one rte_acl_classify call.
 */
static void
sg_classify_dir(const struct vxg_gen *g, enum vxg_dir dir, struct vxg_sg_key *keys,
	const uint16_t *vpc, uint32_t *res, uint16_t n)
{
	const uint8_t *kp[SG_CHUNK];
	uint16_t start = 0;

	for (uint16_t j = 0; j < n; j++)
		kp[j] = (const uint8_t *)&keys[j];
	for (uint16_t j = 1; j <= n; j++) {
		if (j < n && vpc[j] == vpc[start])
			continue;
		vxg_sg_classify(&g->vpcs[vpc[start]].sg, dir, &kp[start], &res[start], j - start);
		start = j;
	}
}

/*
 * A connection first allowed under an older generation: do the current rules still
 * allow its first packet? Checked with the entry's own tuple and ports.
 */
static bool
sg_revalidate(const struct vxg_gen *g, const struct vxg_ct_entry *e)
{
	unsigned o = e->orig ? 1 : 0;
	const struct vxg_gen_lport *ls = sg_lport(g, e->lport[0]), *ld = sg_lport(g, e->lport[1]);
	uint16_t l4 = rte_be_to_cpu_16(e->key.port[1 - o]);
	struct vxg_sg_key k;
	const uint8_t *kp = (const uint8_t *)&k;
	uint32_t res;

	if (e->key.proto == IPPROTO_ICMP)
		l4 = RTE_IP_ICMP_ECHO_REQUEST << 8;
	else if (e->key.proto != IPPROTO_TCP && e->key.proto != IPPROTO_UDP &&
		 e->key.proto != IPPROTO_SCTP)
		l4 = 0;
	if (ls != NULL && (ls->flags & VXG_LP_FILTERED)) {
		vxg_sg_key_set(
			&k, e->key.proto, ls->vpc_port, rte_be_to_cpu_32(e->key.addr[1 - o]), l4);
		vxg_sg_classify(&g->vpcs[ls->vpc_idx].sg, VXG_DIR_EGRESS, &kp, &res, 1);
		if (res == 0)
			return false;
	}
	if (ld != NULL && (ld->flags & VXG_LP_FILTERED)) {
		vxg_sg_key_set(
			&k, e->key.proto, ld->vpc_port, rte_be_to_cpu_32(e->key.addr[o]), l4);
		vxg_sg_classify(&g->vpcs[ld->vpc_idx].sg, VXG_DIR_INGRESS, &kp, &res, 1);
		if (res == 0)
			return false;
	}
	return true;
}

/* A conntrack hit: pass (1), blocked (0), or not usable (-1: expired or half-written). */
static int
sg_ct_hit(
	struct vxg_worker *w, const struct vxg_gen *g, struct sg_pkt *p, int32_t pos, uint32_t now)
{
	struct vxg_ct_entry *e = &p->ct->entries[pos];
	uint8_t state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);

	if (state == VXG_CT_NONE || vxg_ct_expired(e, now))
		return -1;
	if (unlikely(e->gen != (uint32_t)g->id)) {
		if (sg_revalidate(g, e))
			e->flags &= (uint8_t)~VXG_CT_F_BLOCKED;
		else
			e->flags |= VXG_CT_F_BLOCKED;
		e->gen = (uint32_t)g->id;
		w->stats.events[VXG_EV_ct_revalidated]++;
	}
	if (e->flags & VXG_CT_F_BLOCKED) {
		if (e->seen != now)
			e->seen = now; /* stays blocked while the peers insist */
		return 0;
	}
	if (!p->related)
		vxg_ct_touch(e, vxg_ct_from_orig(e, p->swapped), p->tcp_flags, now);
	return 1;
}

static inline void
sg_count(struct vxg_worker *w, const struct sg_pkt *p, bool pass)
{
	sg_count_ports(w, p->ls, p->lsrc, p->ld, p->ldst, pass);
}

/* Packet trace: what the groups made of traced m. a, b: the egress and ingress rules
 * (1 + ref, 0: none matched, UINT32_MAX: that side has no groups); or a connection's
 * entry (e). */
static __rte_noinline __rte_cold void
sg_trace(struct vxg_worker *w, const struct rte_mbuf *m, const struct sg_pkt *q, uint8_t code,
	uint32_t a, uint32_t b, const struct vxg_ct_entry *e)
{
	const struct vxg_gen_lport *lp = q->ls != NULL ? q->ls : q->ld;

	if (e != NULL) {
		if (code == VXG_TR_SG_ESTABLISHED && !vxg_ct_from_orig(e, q->swapped))
			code = VXG_TR_SG_REPLY;
		if (code == VXG_TR_SG_ESTABLISHED && q->related)
			code = VXG_TR_SG_RELATED;
		a = e->state;
		b = 0;
	} else {
		a = q->ls != NULL ? a : UINT32_MAX;
		b = q->ld != NULL ? b : UINT32_MAX;
	}
	vxg_trace_ev(w, m, VXG_TR_SG, code, lp != NULL ? lp->vpc_idx : 0, a, b, q->lsrc, q->ldst);
}

/* The verdict of a packet the rules classified (sg_chunk's last loop), for the trace. */
static inline uint8_t
sg_trace_code(unsigned verdict, bool created)
{
	if (verdict == VXG_DROP_conntrack_full)
		return VXG_TR_SG_FULL;
	if (verdict != VXG_DROP_MAX)
		return VXG_TR_SG_DENY;
	return created ? VXG_TR_SG_NEW : VXG_TR_SG_ALLOW;
}

static void
sg_chunk(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *lsrc, const uint16_t *ldst,
	uint16_t n, unsigned *verdict)
{
	const struct vxg_gen *g = w->gen;
	struct sg_pkt p[SG_CHUNK];
	const void *kp[SG_CHUNK];
	int32_t pos[SG_CHUNK];
	uint16_t idx[SG_CHUNK], nk = 0;
	/* Misses, per direction: keys, their VPCs and results. */
	struct vxg_sg_key ek[SG_CHUNK], ik[SG_CHUNK];
	uint16_t ev[SG_CHUNK], iv[SG_CHUNK], ne = 0, ni = 0;
	uint32_t eres[SG_CHUNK], ires[SG_CHUNK];
	uint16_t miss[SG_CHUNK], nm = 0, v6[SG_CHUNK], n6 = 0;
	bool one_ct = true;
	uint32_t now = vxg_worker_now(w);

	for (uint16_t i = 0; i < n; i++) {
		struct sg_pkt *q = &p[i];
		const struct vxg_gen_lport *ls = sg_lport(g, lsrc[i]), *ld = sg_lport(g, ldst[i]);

		q->ls = ls != NULL && (ls->flags & VXG_LP_FILTERED) ? ls : NULL;
		q->ld = ld != NULL && (ld->flags & VXG_LP_FILTERED) ? ld : NULL;
		q->lsrc = lsrc[i];
		q->ldst = ldst[i];
		verdict[i] = VXG_DROP_MAX;
		if (q->ls == NULL && q->ld == NULL)
			continue;
		verdict[i] = sg_parse(q, pkts[i]);
		if (q->kind != SG_TRACK) {
			if (unlikely(q->kind == SG_V6)) {
				v6[n6++] = i;
				continue;
			}
			if (vxg_traced(w, pkts[i]))
				sg_trace(w, pkts[i], q,
					q->kind == SG_PASS ? VXG_TR_SG_PASS : VXG_TR_SG_BAD, 0, 0,
					NULL);
			sg_count(w, q, q->kind == SG_PASS);
			continue;
		}
		q->ct = g->vpcs[(q->ls != NULL ? q->ls : q->ld)->vpc_idx].ct;
		if (q->ct == NULL) {
			miss[nm++] = i;
			continue;
		}
		one_ct &= nk == 0 || q->ct == p[idx[0]].ct;
		idx[nk] = i;
		kp[nk++] = &q->key;
	}
	if (nk > 0) {
		if (one_ct) {
			rte_hash_lookup_bulk(p[idx[0]].ct->h, kp, nk, pos);
		} else {
			for (uint16_t j = 0; j < nk; j++)
				pos[j] = rte_hash_lookup(p[idx[j]].ct->h, kp[j]);
		}
	}
	for (uint16_t j = 0; j < nk; j++) {
		uint16_t i = idx[j];
		int hit = pos[j] >= 0 ? sg_ct_hit(w, g, &p[i], pos[j], now) : -1;

		if (hit >= 0 && vxg_traced(w, pkts[i]))
			sg_trace(w, pkts[i], &p[i],
				hit > 0 ? VXG_TR_SG_ESTABLISHED : VXG_TR_SG_BLOCKED, 0, 0,
				&p[i].ct->entries[pos[j]]);
		if (hit > 0) {
			vxg_pcache_set(&w->ct_pc, vxg_pcache_sig(&p[i].key), pos[j]);
			w->stats.events[VXG_EV_ct_hit]++;
			sg_count(w, &p[i], true);
		} else if (hit == 0) {
			verdict[i] = VXG_DROP_sg_blocked;
			sg_count(w, &p[i], false);
		} else {
			miss[nm++] = i;
		}
	}
	/* Classify the misses: the sender's egress and the receiver's ingress rules. */
	for (uint16_t j = 0; j < nm; j++) {
		struct sg_pkt *q = &p[miss[j]];

		if (q->ls != NULL) {
			vxg_sg_key_set(&ek[ne], q->proto, q->ls->vpc_port, rte_be_to_cpu_32(q->dst),
				q->l4);
			ev[ne++] = q->ls->vpc_idx;
		}
		if (q->ld != NULL) {
			vxg_sg_key_set(&ik[ni], q->proto, q->ld->vpc_port, rte_be_to_cpu_32(q->src),
				q->l4);
			iv[ni++] = q->ld->vpc_idx;
		}
	}
	if (ne > 0)
		sg_classify_dir(g, VXG_DIR_EGRESS, ek, ev, eres, ne);
	if (ni > 0)
		sg_classify_dir(g, VXG_DIR_INGRESS, ik, iv, ires, ni);
	for (uint16_t j = 0, e = 0, k = 0; j < nm; j++) {
		uint16_t i = miss[j];
		struct sg_pkt *q = &p[i];
		uint32_t er = 1, ir = 1;
		bool stateful = false, created = false;
		int32_t cpos;

		if (q->ls != NULL) {
			er = eres[e];
			sg_hit(w, g, ev[e], er);
			stateful |= sg_ref_stateful(g, ev[e], er);
			e++;
		}
		if (q->ld != NULL) {
			ir = ires[k];
			sg_hit(w, g, iv[k], ir);
			stateful |= sg_ref_stateful(g, iv[k], ir);
			k++;
		}
		if (er == 0 || ir == 0) {
			verdict[i] = er == 0 ? VXG_DROP_sg_egress_deny : VXG_DROP_sg_ingress_deny;
		} else if (stateful && q->track && q->ct != NULL) {
			cpos = vxg_ct_create(q->ct, &q->key, q->swapped, sg_ct_first(q),
				(uint32_t)g->id, q->lsrc, q->ldst, now);
			if (likely(cpos >= 0)) {
				vxg_pcache_set(&w->ct_pc, vxg_pcache_sig(&q->key), cpos);
				w->stats.events[VXG_EV_ct_created]++;
				created = true;
			} else {
				verdict[i] = VXG_DROP_conntrack_full;
			}
		}
		if (vxg_traced(w, pkts[i]))
			sg_trace(w, pkts[i], q, sg_trace_code(verdict[i], created), er, ir, NULL);
		sg_count(w, q, verdict[i] == VXG_DROP_MAX);
	}
	if (unlikely(n6 > 0))
		vxg_sg6_chunk(w, pkts, lsrc, ldst, v6, n6, verdict);
}

/* An IPv4 header that vxg_flow5_parse can read (a switched frame's is not validated). */
static inline bool
sg_fast_ipv4(const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);

	return *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2) ==
		       RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	       m->data_len >= m->l2_len + sizeof(struct rte_ipv4_hdr) && (ip[0] >> 4) == 4 &&
	       (ip[0] & RTE_IPV4_HDR_IHL_MASK) >= 5;
}

static __rte_always_inline bool
sg_fast(struct vxg_worker *w, const struct rte_mbuf *m, uint16_t lsrc, uint16_t ldst, uint32_t now,
	const bool trace)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_gen_lport *ls = sg_lport(g, lsrc), *ld = sg_lport(g, ldst);
	const struct vxg_ct *ct;
	struct vxg_ct_entry *e;
	struct vxg_ct_key key;
	struct vxg_flow5 f;
	bool swapped;
	int32_t pos;

	if (ls != NULL && !(ls->flags & VXG_LP_FILTERED))
		ls = NULL;
	if (ld != NULL && !(ld->flags & VXG_LP_FILTERED))
		ld = NULL;
	if (ls == NULL && ld == NULL)
		return false;
	ct = g->vpcs[(ls != NULL ? ls : ld)->vpc_idx].ct;
	if (ct == NULL)
		return false;
	if (unlikely(!sg_fast_ipv4(m)))
		return vxg_sg6_fast(w, m, ls, lsrc, ld, ldst, ct, now);
	if (!vxg_flow5_parse(m, m->l2_len, &f))
		return false;
	swapped = vxg_ct_key_make(&key, f.proto, f.src, f.dst, f.sport, f.dport);
	pos = vxg_pcache_get(&w->ct_pc, vxg_pcache_sig(&key));
	if (pos < 0 || (uint32_t)pos >= ct->n_entries)
		return false;
	e = &ct->entries[pos];
	/* acquire: the entry was written before its state; a reused one has another key */
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		!vxg_key16_eq(&e->key, &key) || vxg_ct_expired(e, now) ||
		e->gen != (uint32_t)g->id || (e->flags & VXG_CT_F_BLOCKED))
		return false;
	vxg_ct_touch(e, vxg_ct_from_orig(e, swapped), f.tcp_flags, now);
	if (trace && vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_SG,
			(vxg_ct_from_orig(e, swapped) ? VXG_TR_SG_ESTABLISHED : VXG_TR_SG_REPLY) |
				VXG_TR_SG_CACHED,
			(ls != NULL ? ls : ld)->vpc_idx, e->state, 0, lsrc, ldst);
	w->stats.events[VXG_EV_ct_hit]++;
	w->stats.events[VXG_EV_ct_cached]++;
	if (w->lport_ctr != NULL) {
		if (ls != NULL)
			w->lport_ctr[lsrc - 1].allowed++;
		if (ld != NULL)
			w->lport_ctr[ldst - 1].allowed++;
	}
	return true;
}

bool
vxg_sg_fast(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t lsrc, uint16_t ldst, uint32_t now)
{
	return sg_fast(w, m, lsrc, ldst, now, true);
}

bool
vxg_sg_fast_untraced(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t lsrc, uint16_t ldst, uint32_t now)
{
	return sg_fast(w, m, lsrc, ldst, now, false);
}

void
vxg_sg_filter(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *lsrc,
	const uint16_t *ldst, uint16_t n, unsigned *verdict)
{
	for (uint16_t first = 0; first < n; first += SG_CHUNK)
		sg_chunk(w, &pkts[first], &lsrc[first], &ldst[first], RTE_MIN(SG_CHUNK, n - first),
			&verdict[first]);
}

/* ---- Floods ----------------------------------------------------------------------------- */

/*
 * The tracked connection a flooded frame answers, or that it is an ICMP error about: read,
 * not touched (a frame from a port with groups did its conntrack work for its sender). An
 * entry not yet checked against this generation's rules is left to them.
 */
static void
sg_flood_reply(const struct vxg_gen *g, const struct vxg_gen_net *net, const struct sg_pkt *p,
	struct vxg_sg_flood_pkt *fp)
{
	const struct vxg_ct *ct = g->vpcs[net->vpc_idx].ct;
	const struct vxg_ct_entry *e;
	int32_t pos;

	if (ct == NULL || (pos = rte_hash_lookup(ct->h, &p->key)) < 0)
		return;
	e = &ct->entries[pos];
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		vxg_ct_expired(e, vxg_ct_now()) || e->gen != (uint32_t)g->id ||
		(e->flags & VXG_CT_F_BLOCKED))
		return;
	if (p->related) {
		fp->reply_to[0] = e->lport[0];
		fp->reply_to[1] = e->lport[1];
	} else if (!vxg_ct_from_orig(e, p->swapped)) {
		fp->reply_to[0] = e->lport[0];
	}
}

void
vxg_sg_flood_parse(struct vxg_worker *w, const struct vxg_gen_net *net, const struct rte_mbuf *m,
	struct vxg_sg_flood_pkt *fp)
{
	struct sg_pkt p;

	memset(fp, 0, sizeof(*fp));
	p.ls = p.ld = NULL;
	fp->drop = sg_parse(&p, m);
	if (unlikely(p.kind == SG_V6)) {
		vxg_sg6_flood_parse(w, net, m, fp);
		return;
	}
	if (fp->drop == VXG_DROP_sg_egress_deny)
		fp->drop = VXG_DROP_sg_ingress_deny; /* neither IPv4 nor ARP: no rule takes it */
	fp->pass = p.kind == SG_PASS;
	if (p.kind != SG_TRACK)
		return;
	fp->proto = p.proto;
	fp->l4 = p.l4;
	fp->src = rte_be_to_cpu_32(p.src);
	sg_flood_reply(w->gen, net, &p, fp);
}

/* Up to SG_CHUNK ports of one flood target: does one take the frame? Each is counted. */
static bool
sg_flood_ports(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, const uint16_t *lports, uint16_t n)
{
	const struct vxg_gen *g = w->gen;
	struct vxg_sg_key keys[SG_CHUNK];
	uint32_t res[SG_CHUNK];
	uint16_t vpc[SG_CHUNK];
	bool any = false;

	for (uint16_t j = 0; j < n; j++) {
		vxg_sg_key_set(
			&keys[j], fp->proto, g->lports[lports[j] - 1].vpc_port, fp->src, fp->l4);
		vpc[j] = net->vpc_idx;
		res[j] = 0;
	}
	if (fp->drop == VXG_DROP_MAX && fp->v6)
		vxg_sg6_flood_classify(g, net, fp, lports, res, n);
	else if (fp->drop == VXG_DROP_MAX)
		sg_classify_dir(g, VXG_DIR_INGRESS, keys, vpc, res, n);
	for (uint16_t j = 0; j < n; j++) {
		bool ok =
			fp->drop == VXG_DROP_MAX && (res[j] != 0 || lports[j] == fp->reply_to[0] ||
							    lports[j] == fp->reply_to[1]);

		sg_hit(w, g, net->vpc_idx, res[j]);
		if (w->lport_ctr != NULL) {
			if (ok)
				w->lport_ctr[lports[j] - 1].allowed++;
			else
				w->lport_ctr[lports[j] - 1].denied++;
		}
		any |= ok;
	}
	return any;
}

unsigned
vxg_sg_flood_take(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, uint32_t t)
{
	const struct vxg_sg_flood *f = net->sg_flood;
	uint32_t first = f->first[t], n = f->first[t + 1] - first;
	bool take = false;

	if (n == 0)
		return VXG_DROP_MAX; /* a port without groups, or a host of no port, lives there */
	for (uint32_t k = 0; k < n; k += SG_CHUNK) {
		uint16_t c = (uint16_t)RTE_MIN((uint32_t)SG_CHUNK, n - k);

		if (fp->pass) {
			for (uint16_t j = 0; w->lport_ctr != NULL && j < c; j++)
				w->lport_ctr[f->lports[first + k + j] - 1].allowed++;
			take = true;
		} else {
			take |= sg_flood_ports(w, net, fp, &f->lports[first + k], c);
		}
	}
	if (take)
		return VXG_DROP_MAX;
	return fp->drop != VXG_DROP_MAX ? fp->drop : VXG_DROP_sg_ingress_deny;
}
