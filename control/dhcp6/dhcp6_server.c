/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 server's decisions (dhcp6_server.h), RFC 8415 18.3. Declared ports always
 * get their fixed address (matched by the frame's source MAC, else the MAC of a DUID-LL
 * or DUID-LLT), as Neutron does; other clients get a slot of the range, held by their
 * DUID and IAID. Addresses are given only in dhcpv6-stateful networks; every network
 * answers Information-request with its DNS servers and domains.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp6/dhcp6_server.h"
#include "ra/ra_build.h"

static bool
ip6_eq(const struct vxg_ip6 *a, const struct vxg_ip6 *b)
{
	return memcmp(a->a, b->a, 16) == 0;
}

static bool
ip6_zero(const struct vxg_ip6 *a)
{
	static const struct vxg_ip6 z;

	return ip6_eq(a, &z);
}

/* The range's size: its low 64 bits (a /64's hosts), at most DHCP6_POOL_MAX. */
static unsigned
range_size(const struct vxg_net6_cfg *c)
{
	uint64_t s = 0, e = 0;

	if (ip6_zero(&c->range_start) || memcmp(c->range_start.a, c->range_end.a, 8) != 0)
		return 0;
	for (unsigned i = 8; i < 16; i++) {
		s = s << 8 | c->range_start.a[i];
		e = e << 8 | c->range_end.a[i];
	}
	if (e < s)
		return 0;
	return e - s >= DHCP6_POOL_MAX ? DHCP6_POOL_MAX : (unsigned)(e - s + 1);
}

void
vxg_dhcp6_slot_ip(const struct dhcp6_net *n, unsigned i, struct vxg_ip6 *ip)
{
	uint64_t lo = 0;

	*ip = n->range_start;
	for (unsigned k = 8; k < 16; k++)
		lo = lo << 8 | ip->a[k];
	lo += i;
	for (unsigned k = 16; k-- > 8; lo >>= 8)
		ip->a[k] = lo & 0xff;
}

/* The slot of ip, or -1. */
static int
slot_of(const struct dhcp6_net *n, const struct vxg_ip6 *ip)
{
	uint64_t s = 0, v = 0;

	if (n->n_leases == 0 || memcmp(ip->a, n->range_start.a, 8) != 0)
		return -1;
	for (unsigned k = 8; k < 16; k++) {
		s = s << 8 | n->range_start.a[k];
		v = v << 8 | ip->a[k];
	}
	return v >= s && v - s < n->n_leases ? (int)(v - s) : -1;
}

static int
net_fixed(struct dhcp6_net *n, const struct vxg_vpc_cfg *vpc, unsigned ni)
{
	unsigned k = 1;

	for (unsigned i = 0; i < vpc->n_ports; i++)
		k += vpc->ports[i].network == ni ? vpc->ports[i].n_ip6s : 0;
	n->fixed = calloc(k, sizeof(*n->fixed));
	n->reserved = calloc(k, sizeof(*n->reserved));
	if (n->fixed == NULL || n->reserved == NULL)
		return -ENOMEM;
	n->reserved[n->n_reserved++] = vpc->networks[ni].ip6.gateway;
	for (unsigned i = 0; i < vpc->n_ports; i++) {
		const struct vxg_port_cfg *p = &vpc->ports[i];

		if (p->network != ni || p->n_ip6s == 0)
			continue;
		n->fixed[n->n_fixed++] = (struct dhcp6_fixed){.mac = p->mac, .ip = p->ip6s[0]};
		for (unsigned j = 0; j < p->n_ip6s; j++)
			n->reserved[n->n_reserved++] = p->ip6s[j];
	}
	return 0;
}

int
vxg_dhcp6_net_init(struct dhcp6_net *n, const struct vxg_vpc_cfg *vpc, unsigned ni)
{
	const struct vxg_network_cfg *net = &vpc->networks[ni];
	const struct vxg_net6_cfg *c = &net->ip6;
	size_t dl;

	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s/%s", vpc->name, net->name);
	n->prefix = c->cidr;
	n->mode = c->mode;
	n->lease_time = c->lease ? c->lease : 86400;
	n->n_dns = c->n_dns < VXG_DNS_MAX ? c->n_dns : VXG_DNS_MAX;
	memcpy(n->dns, c->dns, sizeof(n->dns[0]) * n->n_dns);
	dl = vxg_dns_names_encode(c->domain, n->domains, sizeof(n->domains));
	n->domains_len = (uint16_t)dl;
	if (c->mode == VXG_IP6_DHCP_STATEFUL && (n->n_leases = range_size(c)) > 0) {
		n->range_start = c->range_start;
		n->leases = calloc(n->n_leases, sizeof(*n->leases));
		if (n->leases == NULL)
			return -ENOMEM;
	}
	return net_fixed(n, vpc, ni);
}

void
vxg_dhcp6_net_fini(struct dhcp6_net *n)
{
	free(n->fixed);
	free(n->reserved);
	free(n->leases);
	n->fixed = NULL;
	n->reserved = NULL;
	n->leases = NULL;
}

/* ---- Addresses ------------------------------------------------------------------------ */

static bool
reserved(const struct dhcp6_net *n, const struct vxg_ip6 *ip)
{
	for (unsigned i = 0; i < n->n_reserved; i++)
		if (ip6_eq(&n->reserved[i], ip))
			return true;
	return false;
}

static struct dhcp6_fixed *
fixed_of(const struct dhcp6_net *n, const struct rte_ether_addr *src, const struct dhcp6_duid *d)
{
	struct rte_ether_addr dm;
	bool has_dm = vxg_dhcp6_duid_mac(d, dm.addr_bytes);

	for (unsigned i = 0; i < n->n_fixed; i++)
		if (rte_is_same_ether_addr(&n->fixed[i].mac, src) ||
			(has_dm && rte_is_same_ether_addr(&n->fixed[i].mac, &dm)))
			return &n->fixed[i];
	return NULL;
}

struct dhcp6_fixed *
vxg_dhcp6_fixed_find(
	struct dhcp6_net *n, const struct rte_ether_addr *mac, const struct vxg_ip6 *ip)
{
	for (unsigned i = 0; i < n->n_fixed; i++)
		if (rte_is_same_ether_addr(&n->fixed[i].mac, mac) && ip6_eq(&n->fixed[i].ip, ip))
			return &n->fixed[i];
	return NULL;
}

static bool
lease_live(const struct dhcp6_lease *l, time_t now)
{
	return l->state != DHCP6_FREE && l->expires > now;
}

static bool
lease_is(const struct dhcp6_lease *l, const struct dhcp6_duid *d, uint32_t iaid, time_t now)
{
	return lease_live(l, now) && l->state != DHCP6_DECLINED && l->iaid == iaid &&
	       l->duid.len == d->len && memcmp(l->duid.b, d->b, d->len) == 0;
}

/* The client's slot, or -1. */
static int
lease_find(const struct dhcp6_net *n, const struct dhcp6_duid *d, uint32_t iaid, time_t now)
{
	for (unsigned i = 0; i < n->n_leases; i++)
		if (lease_is(&n->leases[i], d, iaid, now))
			return (int)i;
	return -1;
}

/* A free slot, the lowest; -1 when the pool is spent. */
static int
lease_new(const struct dhcp6_net *n, time_t now)
{
	for (unsigned i = 0; i < n->n_leases; i++) {
		struct vxg_ip6 ip;

		if (lease_live(&n->leases[i], now))
			continue;
		vxg_dhcp6_slot_ip(n, i, &ip);
		if (!reserved(n, &ip))
			return (int)i;
	}
	return -1;
}

bool
vxg_dhcp6_lease_restore(struct dhcp6_net *n, const struct vxg_ip6 *ip,
	const struct dhcp6_duid *duid, uint32_t iaid, time_t expires, time_t now)
{
	int i = slot_of(n, ip);

	if (i < 0 || expires <= now || reserved(n, ip) || lease_live(&n->leases[i], now) ||
		lease_find(n, duid, iaid, now) >= 0)
		return false;
	n->leases[i] = (struct dhcp6_lease){
		.duid = *duid, .iaid = iaid, .state = DHCP6_BOUND, .expires = expires};
	return true;
}

/* ---- Decisions ------------------------------------------------------------------------ */

static void
reply_init(const struct dhcp6_net *n, const struct dhcp6_msg *m, const struct dhcp6_duid *server,
	struct dhcp6_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->type = DHCP6_REPLY;
	memcpy(r->xid, m->xid, 3);
	r->client_id = m->client_id;
	r->server_id = *server;
	r->status = -1;
	r->ia_status = -1;
	r->n_dns = n->n_dns;
	memcpy(r->dns, n->dns, sizeof(r->dns));
	r->domains_len = n->domains_len;
	memcpy(r->domains, n->domains, n->domains_len);
}

/* The client's address: its fixed one, its lease, or a new lease in `state`. */
static bool
assign(struct dhcp6_net *n, const struct dhcp6_msg *m, const struct rte_ether_addr *src, time_t now,
	uint8_t state, struct vxg_ip6 *ip)
{
	struct dhcp6_fixed *f;
	struct dhcp6_lease *l;
	int i;

	if (n->mode != VXG_IP6_DHCP_STATEFUL)
		return false;
	if ((f = fixed_of(n, src, &m->client_id)) != NULL) {
		if (state == DHCP6_BOUND) /* who holds it, for show dhcp6 leases */
			f->held = (struct dhcp6_lease){.duid = m->client_id,
				.iaid = m->iaid,
				.state = DHCP6_BOUND,
				.expires = now + n->lease_time};
		*ip = f->ip;
		return true;
	}
	if ((i = lease_find(n, &m->client_id, m->iaid, now)) < 0 && (i = lease_new(n, now)) < 0)
		return false;
	l = &n->leases[i];
	if (!(state == DHCP6_OFFERED && lease_is(l, &m->client_id, m->iaid, now) &&
		    l->state == DHCP6_BOUND)) {
		*l = (struct dhcp6_lease){.duid = m->client_id, .iaid = m->iaid, .state = state};
		l->expires = now + (state == DHCP6_OFFERED ? DHCP6_OFFER_HOLD : n->lease_time);
	}
	vxg_dhcp6_slot_ip(n, (unsigned)i, ip);
	return true;
}

static void
ia_addr(struct dhcp6_reply *r, const struct vxg_ip6 *ip, uint32_t lifetime)
{
	if (r->n_addrs == DHCP6_IA_ADDRS)
		return;
	r->addrs[r->n_addrs] = *ip;
	r->valid[r->n_addrs] = r->preferred[r->n_addrs] = lifetime;
	r->n_addrs++;
}

/* The IA_NA with ip; the client's other addresses with lifetime 0 (RFC 8415 18.3.4). */
static void
ia_give(struct dhcp6_reply *r, const struct dhcp6_net *n, const struct dhcp6_msg *m,
	const struct vxg_ip6 *ip)
{
	r->has_ia = true;
	r->iaid = m->iaid;
	r->t1 = n->lease_time / 2;
	r->t2 = n->lease_time / 5 * 4;
	ia_addr(r, ip, n->lease_time);
	for (unsigned i = 0; i < m->n_ia_addrs; i++)
		if (!ip6_eq(&m->ia_addrs[i], ip))
			ia_addr(r, &m->ia_addrs[i], 0);
}

static void
ia_status(struct dhcp6_reply *r, const struct dhcp6_msg *m, uint16_t status)
{
	r->has_ia = true;
	r->iaid = m->iaid;
	r->ia_status = status;
}

static bool
on_link(const struct dhcp6_net *n, const struct vxg_ip6 *ip)
{
	return memcmp(ip->a, n->prefix.addr.a, 8) == 0; /* the networks' prefixes are /64s */
}

static void
solicit(struct dhcp6_net *n, const struct dhcp6_msg *m, const struct rte_ether_addr *src,
	time_t now, struct dhcp6_reply *r)
{
	struct vxg_ip6 ip;

	r->type = m->rapid_commit ? DHCP6_REPLY : DHCP6_ADVERTISE;
	r->rapid_commit = m->rapid_commit;
	if (m->has_ia && assign(n, m, src, now, m->rapid_commit ? DHCP6_BOUND : DHCP6_OFFERED, &ip))
		ia_give(r, n, m, &ip);
	else
		r->status = DHCP6_NO_ADDRS_AVAIL; /* RFC 8415 18.3.1: only the status */
}

/* Request, Renew, Rebind: bind (again) and give the lifetimes. */
static void
bind(struct dhcp6_net *n, const struct dhcp6_msg *m, const struct rte_ether_addr *src, time_t now,
	struct dhcp6_reply *r)
{
	struct vxg_ip6 ip;
	bool known = fixed_of(n, src, &m->client_id) != NULL ||
		     lease_find(n, &m->client_id, m->iaid, now) >= 0;

	if (!m->has_ia)
		return;
	if (m->type == DHCP6_RENEW && !known) {
		ia_status(r, m, DHCP6_NO_BINDING);
		return;
	}
	if (assign(n, m, src, now, DHCP6_BOUND, &ip))
		ia_give(r, n, m, &ip);
	else
		ia_status(r, m, DHCP6_NO_ADDRS_AVAIL);
}

/* Release and Decline: the client's lease ends, or is quarantined. */
static void
give_back(struct dhcp6_net *n, const struct dhcp6_msg *m, const struct rte_ether_addr *src,
	time_t now, struct dhcp6_reply *r)
{
	int i = m->has_ia ? lease_find(n, &m->client_id, m->iaid, now) : -1;
	struct dhcp6_fixed *f = m->has_ia ? fixed_of(n, src, &m->client_id) : NULL;

	r->status = DHCP6_SUCCESS;
	if (f != NULL && f->held.iaid == m->iaid && f->held.duid.len == m->client_id.len &&
		memcmp(f->held.duid.b, m->client_id.b, m->client_id.len) == 0)
		f->held.state = DHCP6_FREE; /* the address stays the port's; nobody holds it */
	if (i < 0)
		return;
	if (m->type == DHCP6_RELEASE) {
		n->leases[i].state = DHCP6_FREE;
		return;
	}
	n->leases[i].state = DHCP6_DECLINED;
	n->leases[i].expires = now + DHCP6_DECLINE_HOLD;
}

static bool
confirm(const struct dhcp6_net *n, const struct dhcp6_msg *m, struct dhcp6_reply *r)
{
	if (m->n_ia_addrs == 0)
		return false; /* RFC 8415 18.3.3: nothing to judge, no reply */
	r->status = DHCP6_SUCCESS;
	for (unsigned i = 0; i < m->n_ia_addrs; i++)
		if (!on_link(n, &m->ia_addrs[i]))
			r->status = DHCP6_NOT_ON_LINK;
	return true;
}

static bool
server_is(const struct dhcp6_msg *m, const struct dhcp6_duid *server)
{
	return m->server_id.len == server->len &&
	       memcmp(m->server_id.b, server->b, server->len) == 0;
}

bool
vxg_dhcp6_handle(struct dhcp6_net *n, const struct dhcp6_msg *m, const struct rte_ether_addr *src,
	const struct dhcp6_duid *server, time_t now, struct dhcp6_reply *r, enum dhcp6_silence *why)
{
	*why = DHCP6_SILENT_NONE;
	if (m->server_id.len != 0 && !server_is(m, server)) {
		*why = DHCP6_SILENT_NOT_FOR_US;
		return false;
	}
	reply_init(n, m, server, r);
	switch (m->type) {
	case DHCP6_SOLICIT:
		solicit(n, m, src, now, r);
		return true;
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
		bind(n, m, src, now, r);
		return true;
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		give_back(n, m, src, now, r);
		return true;
	case DHCP6_CONFIRM:
		if (confirm(n, m, r))
			return true;
		*why = DHCP6_SILENT_NO_ADDRESS;
		return false;
	}
	return true; /* Information-request: the options alone */
}
