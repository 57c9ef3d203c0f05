/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's configuration files and the vtysh deltas between two of them (evpn_conf.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/fields.h"
#include "evpn/evpn_conf.h"

int
evpn_bgp_from_cfg(struct evpn_bgp *b, const struct vxg_evpn_cfg *e)
{
	unsigned i;

	*b = (struct evpn_bgp){.asn = e->asn,
		.router_id = e->router_id,
		.keepalive = e->keepalive,
		.hold = e->hold};
	if (e->n_peers == 0)
		return 0;
	b->peers = calloc(e->n_peers, sizeof(*b->peers));
	if (b->peers == NULL)
		return -ENOMEM;
	for (i = 0; i < e->n_peers; i++)
		b->peers[i] = (struct evpn_peer){e->peers[i].address, e->peers[i].asn};
	b->n_peers = e->n_peers;
	return 0;
}

void
evpn_bgp_free(struct evpn_bgp *b)
{
	free(b->peers);
	*b = (struct evpn_bgp){0};
}

int
evpn_bgp_copy(struct evpn_bgp *dst, const struct evpn_bgp *src)
{
	struct evpn_peer *p = NULL;

	if (src->n_peers > 0) {
		p = malloc(src->n_peers * sizeof(*p));
		if (p == NULL)
			return -ENOMEM;
		memcpy(p, src->peers, src->n_peers * sizeof(*p));
	}
	free(dst->peers);
	*dst = *src;
	dst->peers = p;
	return 0;
}

void
evpn_conf_zebra(FILE *f)
{
	fprintf(f, "! Written by vxgate, again at each start and reload: edit vxgate's config.\n"
		   "hostname vxgate\n"
		   "!\n");
}

static void
peer_line(FILE *f, const struct evpn_peer *p)
{
	if (p->asn == 0)
		fprintf(f, " neighbor %s remote-as internal\n", config_ip_str(p->address).s);
	else
		fprintf(f, " neighbor %s remote-as %u\n", config_ip_str(p->address).s, p->asn);
}

void
evpn_conf_bgpd(FILE *f, const struct evpn_bgp *b)
{
	unsigned i;

	/* datacenter: fast connect retries and the 3/9 timers' family of defaults */
	fprintf(f, "! Written by vxgate, again at each start and reload: edit vxgate's config.\n"
		   "frr defaults datacenter\n"
		   "hostname vxgate\n"
		   "!\n");
	fprintf(f, "router bgp %u\n", b->asn);
	fprintf(f, " bgp router-id %s\n", config_ip_str(b->router_id).s);
	fprintf(f, " no bgp default ipv4-unicast\n no bgp ebgp-requires-policy\n");
	fprintf(f, " timers bgp %u %u\n", b->keepalive, b->hold);
	for (i = 0; i < b->n_peers; i++)
		peer_line(f, &b->peers[i]);
	fprintf(f, " !\n address-family l2vpn evpn\n");
	for (i = 0; i < b->n_peers; i++)
		fprintf(f, "  neighbor %s activate\n", config_ip_str(b->peers[i].address).s);
	fprintf(f, "  advertise-all-vni\n exit-address-family\nexit\n!\n");
}

/* The peer of b at address a, or NULL. */
static const struct evpn_peer *
peer_find(const struct evpn_bgp *b, uint32_t a)
{
	for (unsigned i = 0; i < b->n_peers; i++)
		if (b->peers[i].address == a)
			return &b->peers[i];
	return NULL;
}

/* Is to's peer p new to from (absent, or of another AS)? */
static bool
peer_new(const struct evpn_bgp *from, const struct evpn_peer *p)
{
	const struct evpn_peer *o = peer_find(from, p->address);

	return o == NULL || o->asn != p->asn;
}

static bool
bgp_same(const struct evpn_bgp *a, const struct evpn_bgp *b)
{
	return a->router_id == b->router_id && a->keepalive == b->keepalive && a->hold == b->hold &&
	       a->n_peers == b->n_peers &&
	       (a->n_peers == 0 || !memcmp(a->peers, b->peers, a->n_peers * sizeof(*a->peers)));
}

int
evpn_conf_delta(FILE *f, const struct evpn_bgp *from, const struct evpn_bgp *to)
{
	unsigned i;

	if (from->asn != to->asn)
		return -ESTALE;
	if (bgp_same(from, to))
		return 1;
	fprintf(f, "router bgp %u\n", to->asn);
	if (from->router_id != to->router_id)
		fprintf(f, " bgp router-id %s\n", config_ip_str(to->router_id).s);
	if (from->keepalive != to->keepalive || from->hold != to->hold)
		fprintf(f, " timers bgp %u %u\n", to->keepalive, to->hold);
	/* A peer whose AS changed is removed and added again: FRR takes a new remote-as
	 * only for a peer of the same kind (iBGP, eBGP) */
	for (i = 0; i < from->n_peers; i++)
		if (peer_new(to, &from->peers[i]))
			fprintf(f, " no neighbor %s\n", config_ip_str(from->peers[i].address).s);
	for (i = 0; i < to->n_peers; i++)
		if (peer_new(from, &to->peers[i]))
			peer_line(f, &to->peers[i]);
	fprintf(f, " address-family l2vpn evpn\n");
	for (i = 0; i < to->n_peers; i++)
		if (peer_new(from, &to->peers[i]))
			fprintf(f, "  neighbor %s activate\n",
				config_ip_str(to->peers[i].address).s);
	fprintf(f, " exit-address-family\nexit\n");
	return 0;
}

int
evpn_conf_write(const char *path, void (*render)(FILE *f, const void *arg), const void *arg)
{
	char tmp[4096];
	FILE *f;
	int ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (f == NULL)
		return -errno;
	render(f, arg);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0)
		ret = errno ? -errno : -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}
