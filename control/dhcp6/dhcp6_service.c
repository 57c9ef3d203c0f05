/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 service (dhcp6_service.h): networks from the config, frames checked and
 * answered in place, leases carried over reloads and saved.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dhcp6/dhcp6_service.h"
#include "config/fields.h"
#include "ra/ra_build.h"
#include "vxg_meta.h"

/* ---- Networks ------------------------------------------------------------------------- */

static void
nets_free(struct dhcp6_svc_net *nets, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		vxg_dhcp6_net_fini(&nets[i].n);
	free(nets);
}

static int
nets_build(const struct vxg_config *cfg, struct dhcp6_svc_net **out, unsigned *n_out)
{
	unsigned n = 0, k = 0;
	struct dhcp6_svc_net *nets;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			n += cfg->vpcs[v].networks[i].ip6.enabled;
	if ((nets = calloc(n ? n : 1, sizeof(*nets))) == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned i = 0; i < vpc->n_networks; i++) {
			const struct vxg_network_cfg *net = &vpc->networks[i];
			struct dhcp6_svc_net *sn = &nets[k];

			if (!net->ip6.enabled)
				continue;
			k++;
			if (vxg_dhcp6_net_init(&sn->n, vpc, i) < 0) {
				nets_free(nets, k);
				return -ENOMEM;
			}
			sn->vni = net->vni;
			sn->gw_mac = net->gw_mac;
			sn->gw = net->ip6.gateway;
			sn->gw_ll = vxg_ip6_link_local(&net->gw_mac);
		}
	}
	*out = nets;
	*n_out = k;
	return 0;
}

struct dhcp6_svc_net *
vxg_dhcp6_net_of(struct vxg_dhcp6_service *s, uint32_t vni)
{
	for (unsigned i = 0; i < s->n_nets; i++)
		if (s->nets[i].vni == vni)
			return &s->nets[i];
	return NULL;
}

static void
store_init(struct vxg_dhcp6_service *s, const char *dir, time_t now)
{
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 1}};
	char path[PATH_MAX];

	if (s->n_nets > 0)
		mac = s->nets[0].gw_mac; /* a MAC of this gateway, as DUID-LLT wants */
	if (dir == NULL || (mkdir(dir, 0755) < 0 && errno != EEXIST) ||
		(size_t)snprintf(path, sizeof(path), "%s/dhcp6.duid", dir) >= sizeof(path) ||
		(size_t)snprintf(s->lease_path, sizeof(s->lease_path), "%s/dhcp6.leases", dir) >=
			sizeof(s->lease_path)) {
		s->lease_path[0] = '\0';
		vxg_dhcp6_duid_load(&s->duid, NULL, &mac, now);
		return;
	}
	s->store_errno = -vxg_dhcp6_duid_load(&s->duid, path, &mac, now);
}

static void
leases_load(struct vxg_dhcp6_service *s, time_t now)
{
	struct dhcp6_net *tmp;

	if (s->lease_path[0] == '\0' || s->n_nets == 0 ||
		(tmp = calloc(s->n_nets, sizeof(*tmp))) == NULL)
		return;
	for (unsigned i = 0; i < s->n_nets; i++)
		tmp[i] = s->nets[i].n; /* copies share the lease arrays */
	s->store_errno = -vxg_dhcp6_leases_load(tmp, s->n_nets, s->lease_path, now);
	free(tmp);
}

struct vxg_dhcp6_service *
vxg_dhcp6_service_create(const struct vxg_config *cfg, const char *state_dir, time_t now)
{
	struct vxg_dhcp6_service *s = calloc(1, sizeof(*s));

	if (s == NULL || nets_build(cfg, &s->nets, &s->n_nets) < 0) {
		free(s);
		return NULL;
	}
	vxg_dhcp_limit_init(&s->lim, cfg->dataplane.dhcp_client_rate, cfg->dataplane.dhcp_rate);
	store_init(s, state_dir, now);
	leases_load(s, now);
	return s;
}

void
vxg_dhcp6_service_destroy(struct vxg_dhcp6_service *s)
{
	if (s == NULL)
		return;
	nets_free(s->nets, s->n_nets);
	free(s);
}

static void
net_carry(struct dhcp6_svc_net *sn, const struct dhcp6_svc_net *o, time_t now)
{
	sn->stats = o->stats;
	for (unsigned i = 0; i < o->n.n_fixed; i++) {
		const struct dhcp6_fixed *of = &o->n.fixed[i];
		struct dhcp6_fixed *f = vxg_dhcp6_fixed_find(&sn->n, &of->mac, &of->ip);

		if (f != NULL)
			f->held = of->held;
	}
	for (unsigned i = 0; i < o->n.n_leases; i++) {
		const struct dhcp6_lease *l = &o->n.leases[i];
		struct vxg_ip6 ip;

		if (l->state != DHCP6_BOUND)
			continue;
		vxg_dhcp6_slot_ip(&o->n, i, &ip);
		vxg_dhcp6_lease_restore(&sn->n, &ip, &l->duid, l->iaid, l->expires, now);
	}
}

int
vxg_dhcp6_service_update(struct vxg_dhcp6_service *s, const struct vxg_config *cfg)
{
	struct dhcp6_svc_net *nets;
	unsigned n;

	if (nets_build(cfg, &nets, &n) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = 0; j < s->n_nets; j++) {
			const struct dhcp6_svc_net *o = &s->nets[j];

			if (o->vni == nets[i].vni && strcmp(o->n.name, nets[i].n.name) == 0 &&
				memcmp(&o->n.prefix, &nets[i].n.prefix, sizeof(o->n.prefix)) == 0)
				net_carry(&nets[i], o, s->last_now);
		}
	}
	nets_free(s->nets, s->n_nets);
	s->nets = nets;
	s->n_nets = n;
	vxg_dhcp_limit_rates(&s->lim, cfg->dataplane.dhcp_client_rate, cfg->dataplane.dhcp_rate);
	s->dirty = true;
	return 0;
}

void
vxg_dhcp6_service_tick(struct vxg_dhcp6_service *s, time_t now)
{
	struct dhcp6_net *tmp;
	int rc;

	if (now > s->last_now)
		s->last_now = now;
	if (!s->dirty || s->lease_path[0] == '\0' || (s->last_save != 0 && now - s->last_save < 1))
		return;
	s->last_save = now;
	if ((tmp = calloc(s->n_nets ? s->n_nets : 1, sizeof(*tmp))) == NULL)
		return;
	for (unsigned i = 0; i < s->n_nets; i++)
		tmp[i] = s->nets[i].n;
	rc = vxg_dhcp6_leases_save(tmp, s->n_nets, s->lease_path);
	free(tmp);
	if (rc < 0) {
		s->save_errors++;
		s->store_errno = -rc;
		return;
	}
	s->saves++;
	s->dirty = false;
}
