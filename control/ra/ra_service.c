/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Router Advertisement service's decisions (ra_service.h): which networks advertise
 * what, when their next RA is due, and how a Router Solicitation is answered.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_random.h>

#include "ra/ra_service.h"
#include "vxg_icmp6.h"

static const struct vxg_ip6 all_nodes = {{0xff, 0x02, [15] = 1}};

bool
vxg_ra_params_of(const struct vxg_network_cfg *net, struct vxg_ra_params *p)
{
	const struct vxg_net6_cfg *c = &net->ip6;

	memset(p, 0, sizeof(*p)); /* compared with memcmp on reloads */
	if (!c->enabled)
		return false;
	p->gw_mac = net->gw_mac;
	p->prefix = c->cidr;
	p->mode = c->mode;
	p->router_lifetime = c->ra_lifetime > 9000 ? 9000 : (uint16_t)c->ra_lifetime;
	p->mtu = net->mtu;
	p->n_dns = c->n_dns < VXG_DNS_MAX ? c->n_dns : VXG_DNS_MAX;
	memcpy(p->dns, c->dns, sizeof(p->dns[0]) * p->n_dns);
	snprintf(p->domain, sizeof(p->domain), "%s", c->domain);
	/* RFC 8106 5.1: at least 3 * MaxRtrAdvInterval, so that a lost RA loses nothing. */
	p->dns_lifetime = 3 * (c->ra_interval ? c->ra_interval : 1);
	return true;
}

/* RFC 4861 6.2.1: Min is 0.33 Max (0.75 under 9 s), never under 3 s. */
static void
net_intervals(struct ra_net *n, uint32_t ra_interval)
{
	uint32_t max = ra_interval * 1000;

	if (max < RA_MIN_DELAY_BETWEEN_MS + 1000)
		max = RA_MIN_DELAY_BETWEEN_MS + 1000;
	n->max_ms = max;
	n->min_ms = max >= 9000 ? max / 100 * 33 : max / 4 * 3;
	if (n->min_ms < RA_MIN_DELAY_BETWEEN_MS)
		n->min_ms = RA_MIN_DELAY_BETWEEN_MS;
}

static void
net_start(struct ra_net *n, uint64_t now_ms)
{
	n->next_ms = now_ms;
	n->next_solicited = false;
	n->initial_left = RA_MAX_INITIAL;
	n->n_pend = 0;
	n->ucast_tokens = RA_UNICAST_RATE;
	n->ucast_ms = now_ms;
}

static unsigned
nets_count(const struct vxg_config *cfg)
{
	unsigned n = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			n += cfg->vpcs[v].networks[i].ip6.enabled;
	return n;
}

static int
nets_build(const struct vxg_config *cfg, uint64_t now_ms, struct ra_net **out, unsigned *n_out)
{
	unsigned n = nets_count(cfg), k = 0;
	struct ra_net *nets = calloc(n ? n : 1, sizeof(*nets));

	if (nets == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned i = 0; i < vpc->n_networks; i++) {
			struct ra_net *rn;

			if (!vpc->networks[i].ip6.enabled)
				continue; /* not counted: nets[k] may be past the end */
			rn = &nets[k];
			vxg_ra_params_of(&vpc->networks[i], &rn->p);
			snprintf(rn->name, sizeof(rn->name), "%s/%s", vpc->name,
				vpc->networks[i].name);
			rn->vni = vpc->networks[i].vni;
			net_intervals(rn, vpc->networks[i].ip6.ra_interval);
			net_start(rn, now_ms);
			k++;
		}
	}
	*out = nets;
	*n_out = k;
	return 0;
}

struct vxg_ra_service *
vxg_ra_create(const struct vxg_config *cfg, uint64_t now_ms)
{
	struct vxg_ra_service *s = calloc(1, sizeof(*s));

	if (s == NULL || nets_build(cfg, now_ms, &s->nets, &s->n_nets) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void
vxg_ra_destroy(struct vxg_ra_service *s)
{
	if (s == NULL)
		return;
	free(s->nets);
	free(s);
}

static struct ra_net *
net_named(struct ra_net *nets, unsigned n, const char *name, uint32_t vni)
{
	for (unsigned i = 0; i < n; i++)
		if (nets[i].vni == vni && strcmp(nets[i].name, name) == 0)
			return &nets[i];
	return NULL;
}

void
vxg_ra_leaving(
	struct vxg_ra_service *s, const struct vxg_config *cfg, vxg_ra_final_cb cb, void *ctx)
{
	struct ra_net *nets;
	unsigned n;

	if (nets_build(cfg, 0, &nets, &n) < 0)
		return; /* out of memory: the hosts time the router out instead */
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct vxg_ra_params p = s->nets[i].p;

		if (net_named(nets, n, s->nets[i].name, s->nets[i].vni) != NULL)
			continue;
		p.router_lifetime = 0;
		cb(ctx, &s->nets[i], &p);
		s->nets[i].sent[RA_FINAL]++;
	}
	free(nets);
}

int
vxg_ra_update(struct vxg_ra_service *s, const struct vxg_config *cfg, uint64_t now_ms)
{
	struct ra_net *nets;
	unsigned n;

	if (nets_build(cfg, now_ms, &nets, &n) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		const struct ra_net *o = net_named(s->nets, s->n_nets, nets[i].name, nets[i].vni);

		if (o == NULL)
			continue;
		if (memcmp(&o->p, &nets[i].p, sizeof(o->p)) == 0 && o->max_ms == nets[i].max_ms) {
			nets[i] = *o;
			continue;
		}
		memcpy(nets[i].sent, o->sent, sizeof(o->sent));
		nets[i].rs_rx = o->rs_rx;
	}
	free(s->nets);
	s->nets = nets;
	s->n_nets = n;
	return 0;
}

/* ---- Solicitations -------------------------------------------------------------------- */

struct rs_frame {
	const struct rte_ether_hdr *eth;
	const struct rte_ipv6_hdr *ip;
	const uint8_t *icmp;
	size_t icmp_len;
};

static enum ra_drop
rs_options(const struct rs_frame *f, bool unspecified)
{
	for (size_t at = 8; at < f->icmp_len;) {
		size_t olen = (size_t)f->icmp[at + 1] * 8;

		if (at + 2 > f->icmp_len || olen == 0 || at + olen > f->icmp_len)
			return RA_DROP_bad_option;
		if (f->icmp[at] == VXG_ND_OPT_SLLA && unspecified)
			return RA_DROP_bad_option;
		at += olen;
	}
	return RA_DROP_MAX;
}

static const struct vxg_ip6 unspecified_ip6;

/* RFC 4861 6.1.1: what a router must check of an RS before it answers. */
static enum ra_drop
rs_check(const uint8_t *frame, size_t len, struct rs_frame *f)
{
	size_t plen;

	if (len < sizeof(*f->eth) + sizeof(*f->ip) + 8)
		return RA_DROP_bad_frame;
	f->eth = (const struct rte_ether_hdr *)frame;
	f->ip = (const struct rte_ipv6_hdr *)(f->eth + 1);
	if (f->eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
		(f->ip->vtc_flow & RTE_BE32(0xf0000000)) != RTE_BE32(0x60000000))
		return RA_DROP_bad_frame;
	plen = rte_be_to_cpu_16(f->ip->payload_len);
	if (f->ip->hop_limits != 255 || f->ip->proto != IPPROTO_ICMPV6 || plen < 8 ||
		plen > len - sizeof(*f->eth) - sizeof(*f->ip))
		return RA_DROP_bad_ip;
	f->icmp = (const uint8_t *)(f->ip + 1);
	f->icmp_len = plen;
	/* The sum over the pseudo-header and the message, its checksum included, is ~0. */
	if (f->icmp[0] != VXG_ICMP6_RS || f->icmp[1] != 0 ||
		rte_ipv6_udptcp_cksum_verify(f->ip, f->icmp) != 0)
		return RA_DROP_bad_icmp;
	return rs_options(f, memcmp(f->ip->src_addr, &unspecified_ip6, 16) == 0);
}

static struct ra_net *
net_of_vni(struct vxg_ra_service *s, uint32_t vni)
{
	for (unsigned i = 0; i < s->n_nets; i++)
		if (s->nets[i].vni == vni)
			return &s->nets[i];
	return NULL;
}

/* Answer by the multicast RA: within 0.5 s, and 3 s at least after the last one. */
static void
solicit_mcast(struct ra_net *n, uint64_t now_ms)
{
	uint64_t due = now_ms + rte_rand_max(RA_MAX_DELAY_MS + 1);

	if (n->last_mcast_ms != 0 && due < n->last_mcast_ms + RA_MIN_DELAY_BETWEEN_MS)
		due = n->last_mcast_ms + RA_MIN_DELAY_BETWEEN_MS +
		      rte_rand_max(RA_MAX_DELAY_MS + 1);
	if (due < n->next_ms) {
		n->next_ms = due;
		n->next_solicited = true;
	}
}

static bool
ucast_take(struct ra_net *n, uint64_t now_ms)
{
	if (now_ms > n->ucast_ms) {
		uint64_t t = n->ucast_tokens + (now_ms - n->ucast_ms) * RA_UNICAST_RATE / 1000;

		if (t > n->ucast_tokens) /* refill by whole tokens only */
			n->ucast_ms = now_ms;
		n->ucast_tokens = t > RA_UNICAST_RATE ? RA_UNICAST_RATE : (uint32_t)t;
	}
	if (n->ucast_tokens == 0)
		return false;
	n->ucast_tokens--;
	return true;
}

/* Unicast to a host with an address (a pending answer of its own), else multicast. */
static void
solicit_ucast(struct ra_net *n, const struct rs_frame *f, uint64_t now_ms)
{
	struct ra_pending *p;

	for (unsigned i = 0; i < n->n_pend; i++)
		if (memcmp(n->pend[i].ip.a, f->ip->src_addr, 16) == 0)
			return; /* already answered soon */
	if (n->n_pend == RA_PENDING_MAX || !ucast_take(n, now_ms)) {
		solicit_mcast(n, now_ms);
		return;
	}
	p = &n->pend[n->n_pend++];
	p->mac = f->eth->src_addr;
	memcpy(p->ip.a, f->ip->src_addr, 16);
	p->due_ms = now_ms + rte_rand_max(RA_MAX_DELAY_MS + 1);
}

int
vxg_ra_solicit(
	struct vxg_ra_service *s, uint32_t vni, const uint8_t *frame, size_t len, uint64_t now_ms)
{
	struct ra_net *n = net_of_vni(s, vni);
	struct rs_frame f;
	enum ra_drop d;

	s->rs_rx++;
	if (n == NULL) {
		s->drops[RA_DROP_unknown_network]++;
		return 0;
	}
	if ((d = rs_check(frame, len, &f)) != RA_DROP_MAX) {
		s->drops[d]++;
		return 0;
	}
	n->rs_rx++;
	if (memcmp(f.ip->src_addr, &unspecified_ip6, 16) == 0)
		solicit_mcast(n, now_ms);
	else
		solicit_ucast(n, &f, now_ms);
	return 0;
}

/* ---- Sending -------------------------------------------------------------------------- */

static uint64_t
next_interval(struct ra_net *n)
{
	uint64_t t = n->min_ms + rte_rand_max(n->max_ms - n->min_ms + 1);

	if (n->initial_left > 0) {
		n->initial_left--;
		if (t > RA_MAX_INITIAL_INTERVAL_MS)
			t = RA_MAX_INITIAL_INTERVAL_MS;
	}
	return t;
}

static void
poll_pending(
	struct vxg_ra_service *s, struct ra_net *n, uint64_t now_ms, vxg_ra_send_cb cb, void *ctx)
{
	for (unsigned i = 0; i < n->n_pend;) {
		struct ra_pending p = n->pend[i];

		if (p.due_ms > now_ms) {
			i++;
			continue;
		}
		n->pend[i] = n->pend[--n->n_pend];
		if (cb(ctx, n, RA_SOLICITED_UCAST, &p.mac, &p.ip) == RA_SEND_OK)
			n->sent[RA_SOLICITED_UCAST]++;
		else
			s->drops[RA_DROP_no_mbuf]++;
	}
}

void
vxg_ra_poll(struct vxg_ra_service *s, uint64_t now_ms, vxg_ra_send_cb cb, void *ctx)
{
	struct rte_ether_addr mac;

	vxg_ip6_mcast_mac(&mac, all_nodes.a);
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct ra_net *n = &s->nets[i];
		enum ra_kind k = n->next_solicited ? RA_SOLICITED_MCAST : RA_PERIODIC;

		poll_pending(s, n, now_ms, cb, ctx);
		if (n->next_ms > now_ms)
			continue;
		switch (cb(ctx, n, k, &mac, &all_nodes)) {
		case RA_SEND_OK:
			n->sent[k]++;
			n->n_pend = 0; /* the multicast RA answered them too */
			break;
		case RA_SEND_NOWHERE: /* it reached no one: the unicast answers still go */
			s->mcast_no_target++;
			break;
		case RA_SEND_FAILED:
			s->drops[RA_DROP_no_mbuf]++;
			break;
		}
		n->last_mcast_ms = now_ms ? now_ms : 1;
		n->next_ms = now_ms + next_interval(n);
		n->next_solicited = false;
	}
}
