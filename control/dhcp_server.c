/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP server's decisions for one network (RFC 2131 4.3), and its lease file.
 *
 * Declared ports always get their fixed address, as Neutron's DHCP does; unknown MACs get
 * one from the range when there is one, else no answer (dnsmasq's static mode). Fixed
 * addresses are outside the pool, so a DISCOVER flood cannot take them. The server is
 * authoritative for its networks: a client asking for an address it may not have is NAKed
 * at once rather than left to time out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vxg_dhcp.h"

int
vxg_dhcp_net_init(struct dhcp_net *n)
{
	n->n_leases = n->range_start ? n->range_end - n->range_start + 1 : 0;
	n->leases = NULL;
	if (n->n_leases == 0)
		return 0;
	n->leases = calloc(n->n_leases, sizeof(*n->leases));
	if (n->leases == NULL)
		return -ENOMEM;
	for (unsigned i = 0; i < n->n_leases; i++)
		n->leases[i].ip = n->range_start + i;
	return 0;
}

void
vxg_dhcp_net_fini(struct dhcp_net *n)
{
	free(n->leases);
	n->leases = NULL;
	n->n_leases = 0;
}

static const struct dhcp_fixed *
fixed_of_mac(const struct dhcp_net *n, const struct rte_ether_addr *mac)
{
	for (unsigned i = 0; i < n->n_fixed; i++)
		if (rte_is_same_ether_addr(&n->fixed[i].mac, mac))
			return &n->fixed[i];
	return NULL;
}

static bool
reserved(const struct dhcp_net *n, uint32_t ip)
{
	if (ip == n->gateway)
		return true;
	for (unsigned i = 0; i < n->n_reserved; i++)
		if (n->reserved[i] == ip)
			return true;
	return false;
}

static struct dhcp_lease *
lease_of_ip(struct dhcp_net *n, uint32_t ip)
{
	if (n->n_leases == 0 || ip < n->range_start || ip > n->range_end)
		return NULL;
	return &n->leases[ip - n->range_start];
}

/* A slot whose holder's time ran out is free again. */
static bool
lease_free(const struct dhcp_lease *l, time_t now)
{
	return l->state == DHCP_LEASE_FREE || l->expires <= now;
}

static struct dhcp_lease *
lease_of_mac(struct dhcp_net *n, const struct rte_ether_addr *mac, time_t now)
{
	for (unsigned i = 0; i < n->n_leases; i++) {
		struct dhcp_lease *l = &n->leases[i];

		if ((l->state == DHCP_LEASE_OFFERED || l->state == DHCP_LEASE_BOUND) &&
			!lease_free(l, now) && rte_is_same_ether_addr(&l->mac, mac))
			return l;
	}
	return NULL;
}

/* The address for a DISCOVER: the client's current one, the one it asks for, any. */
static struct dhcp_lease *
pool_pick(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_mac(n, &req->chaddr, now);

	if (l != NULL)
		return l;
	l = lease_of_ip(n, req->requested_ip);
	if (l != NULL && lease_free(l, now) && !reserved(n, l->ip))
		return l;
	for (unsigned i = 0; i < n->n_leases; i++) {
		l = &n->leases[i];
		if (lease_free(l, now) && !reserved(n, l->ip))
			return l;
	}
	return NULL;
}

static void
lease_hold(struct dhcp_lease *l, const struct dhcp_request *req, enum dhcp_lease_state st,
	time_t until)
{
	l->mac = req->chaddr;
	l->state = st;
	l->expires = until;
	snprintf(l->hostname, sizeof(l->hostname), "%s", req->hostname);
}

static bool
reply_lease(const struct dhcp_net *n, struct dhcp_reply *r, uint8_t type, uint32_t ip)
{
	*r = n->tmpl;
	r->msg_type = type;
	r->yiaddr = ip;
	r->lease = n->lease_time;
	return true;
}

static bool
reply_nak(const struct dhcp_net *n, struct dhcp_reply *r, const char *why)
{
	memset(r, 0, sizeof(*r));
	r->msg_type = DHCP_NAK;
	r->server_id = n->tmpl.server_id;
	r->message = why;
	return true;
}

static bool
on_discover(struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	const struct dhcp_fixed *f = fixed_of_mac(n, &req->chaddr);
	struct dhcp_lease *l;

	if (f != NULL)
		return reply_lease(n, r, DHCP_OFFER, f->ip);
	if ((l = pool_pick(n, req, now)) == NULL)
		return false; /* no range, or every address taken */
	if (l->state != DHCP_LEASE_BOUND || lease_free(l, now))
		lease_hold(l, req, DHCP_LEASE_OFFERED, now + DHCP_OFFER_HOLD);
	return reply_lease(n, r, DHCP_OFFER, l->ip);
}

/* The address a REQUEST wants: option 50 while selecting or rebooting, else ciaddr. */
static uint32_t
request_ip(const struct dhcp_request *req)
{
	return req->requested_ip ? req->requested_ip : req->ciaddr;
}

static bool
on_request(struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	const struct dhcp_fixed *f = fixed_of_mac(n, &req->chaddr);
	uint32_t ip = request_ip(req);
	struct dhcp_lease *l, *mine;

	if (req->server_id && req->server_id != n->tmpl.server_id) {
		/* The client took another server's offer: let ours go. */
		if ((mine = lease_of_mac(n, &req->chaddr, now)) &&
			mine->state == DHCP_LEASE_OFFERED)
			mine->state = DHCP_LEASE_FREE;
		return false;
	}
	if (ip == 0)
		return false;
	if ((ip & n->mask) != n->network)
		return reply_nak(n, r, "address not on this network");
	if (f != NULL)
		return f->ip == ip ? reply_lease(n, r, DHCP_ACK, ip)
				   : reply_nak(n, r, "this port has a fixed address");
	l = lease_of_ip(n, ip);
	if (l == NULL || reserved(n, ip))
		return reply_nak(n, r, "address not in the pool");
	if (!lease_free(l, now) && !rte_is_same_ether_addr(&l->mac, &req->chaddr))
		return reply_nak(n, r, "address in use");
	if (l->state == DHCP_LEASE_DECLINED && !lease_free(l, now))
		return reply_nak(n, r, "address declined");
	/* One address per client: a new one releases the old. */
	if ((mine = lease_of_mac(n, &req->chaddr, now)) != NULL && mine != l)
		mine->state = DHCP_LEASE_FREE;
	lease_hold(l, req, DHCP_LEASE_BOUND, now + n->lease_time);
	return reply_lease(n, r, DHCP_ACK, ip);
}

static void
on_decline(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_ip(n, req->requested_ip);

	if (l != NULL && rte_is_same_ether_addr(&l->mac, &req->chaddr)) {
		l->state = DHCP_LEASE_DECLINED;
		l->expires = now + DHCP_DECLINE_HOLD;
		memset(&l->mac, 0, sizeof(l->mac));
	}
}

static void
on_release(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_ip(n, req->ciaddr);

	if (l != NULL && !lease_free(l, now) && rte_is_same_ether_addr(&l->mac, &req->chaddr))
		l->state = DHCP_LEASE_FREE;
}

bool
vxg_dhcp_handle(
	struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	switch (req->msg_type) {
	case DHCP_DISCOVER:
		return on_discover(n, req, now, r);
	case DHCP_REQUEST:
		return on_request(n, req, now, r);
	case DHCP_DECLINE:
		on_decline(n, req, now);
		return false;
	case DHCP_RELEASE:
		on_release(n, req, now);
		return false;
	case DHCP_INFORM:
		/* Configuration only: no address, no lease (RFC 2131 3.4). */
		*r = n->tmpl;
		r->msg_type = DHCP_ACK;
		r->yiaddr = 0;
		r->lease = 0;
		return true;
	}
	return false;
}

/* ---- Lease file ----------------------------------------------------------------------- */

int
vxg_dhcp_leases_save(struct dhcp_net *nets, unsigned n_nets, const char *path)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	fprintf(f, "# vxgate DHCP leases: network mac ip expiry(unix) hostname\n");
	for (unsigned i = 0; i < n_nets; i++) {
		for (unsigned j = 0; j < nets[i].n_leases; j++) {
			const struct dhcp_lease *l = &nets[i].leases[j];
			char mac[RTE_ETHER_ADDR_FMT_SIZE];

			if (l->state != DHCP_LEASE_BOUND)
				continue;
			rte_ether_format_addr(mac, sizeof(mac), &l->mac);
			fprintf(f, "%s %s %u.%u.%u.%u %lld %s\n", nets[i].name, mac, l->ip >> 24,
				(l->ip >> 16) & 0xff, (l->ip >> 8) & 0xff, l->ip & 0xff,
				(long long)l->expires, l->hostname[0] ? l->hostname : "-");
		}
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		int e = -errno;

		fclose(f);
		unlink(tmp);
		return e;
	}
	fclose(f);
	return rename(tmp, path) < 0 ? -errno : 0;
}

static struct dhcp_net *
net_of_name(struct dhcp_net *nets, unsigned n_nets, const char *name)
{
	for (unsigned i = 0; i < n_nets; i++)
		if (strcmp(nets[i].name, name) == 0)
			return &nets[i];
	return NULL;
}

/* One line; a line that does not parse, or names what the config no longer has, is
 * skipped: the lease file must never stop the gateway from starting. */
static void
lease_line(struct dhcp_net *nets, unsigned n_nets, const char *line, time_t now)
{
	char name[64], mac[32], host[64];
	unsigned a, b, c, d;
	long long exp;
	struct rte_ether_addr ea;
	struct dhcp_net *n;
	struct dhcp_lease *l;

	if (line[0] == '#' || sscanf(line, "%63s %31s %u.%u.%u.%u %lld %63s", name, mac, &a, &b, &c,
				      &d, &exp, host) != 8)
		return;
	if (a > 255 || b > 255 || c > 255 || d > 255 || exp <= now)
		return;
	if (rte_ether_unformat_addr(mac, &ea) < 0 || (n = net_of_name(nets, n_nets, name)) == NULL)
		return;
	l = lease_of_ip(n, a << 24 | b << 16 | c << 8 | d);
	if (l == NULL || reserved(n, l->ip) || fixed_of_mac(n, &ea) != NULL)
		return;
	l->mac = ea;
	l->state = DHCP_LEASE_BOUND;
	l->expires = exp;
	snprintf(l->hostname, sizeof(l->hostname), "%s", strcmp(host, "-") ? host : "");
}

int
vxg_dhcp_leases_load(struct dhcp_net *nets, unsigned n_nets, const char *path, time_t now)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f) != NULL)
		lease_line(nets, n_nets, line, now);
	fclose(f);
	return 0;
}
