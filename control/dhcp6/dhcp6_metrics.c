/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 service's samples for the metrics endpoint (core/feature.h), labelled by VPC
 * and network as DHCPv4's are (dhcp/dhcp_metrics.c): the messages each network's server
 * received and sent by type, its bound leases and the size of its pool.
 *
 * Thread-safety: control thread only (see dhcp6_service.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/feature.h"
#include "dhcp6/dhcp6_service.h"

/* "vpc/network" split into the two labels' values. */
struct net_labels {
	char vpc[VXG_NAME_MAX];
	const char *net;
};

static struct net_labels
labels_of(const char *name)
{
	const char *slash = strchr(name, '/');
	struct net_labels l = {.net = slash ? slash + 1 : name};

	snprintf(l.vpc, sizeof(l.vpc), "%.*s", slash ? (int)(slash - name) : 0, name);
	return l;
}

static bool
reserved(const struct dhcp6_net *n, const struct vxg_ip6 *ip)
{
	for (unsigned i = 0; i < n->n_reserved; i++)
		if (memcmp(n->reserved[i].a, ip->a, 16) == 0)
			return true;
	return false;
}

/* Pool slots that can be leased (not a fixed address or the gateway), and those bound. */
static void
pool_use(const struct dhcp6_net *n, time_t now, unsigned *size, unsigned *bound)
{
	*size = *bound = 0;
	for (unsigned i = 0; i < n->n_leases; i++) {
		const struct dhcp6_lease *l = &n->leases[i];
		struct vxg_ip6 ip;

		vxg_dhcp6_slot_ip(n, i, &ip);
		if (reserved(n, &ip))
			continue;
		(*size)++;
		*bound += l->state == DHCP6_BOUND && l->expires > now;
	}
}

/* Received types (from clients) and sent ones (advertise, reply) in one family: a type is
 * one direction only. */
static unsigned
messages(const struct vxg_dhcp6_service *s, struct vxg_metric *rows, unsigned max, unsigned n)
{
	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct dhcp6_svc_net *sn = &s->nets[i];
		struct net_labels l = labels_of(sn->n.name);

		for (unsigned t = 0; t < DHCP6_TYPES; t++) {
			const char *type = vxg_dhcp6_type_name(t);

			if (type != NULL)
				n = vxg_metric_add(rows, max, n, "vxgate_dhcp6_messages_total",
					"DHCPv6 messages the network's server received (solicit, "
					"request, confirm, renew, rebind, release, decline, "
					"information_request) or sent (advertise, reply)",
					(double)(sn->stats.rx[t] + sn->stats.tx[t]), "vpc", l.vpc,
					"network", l.net, "type", type, NULL);
		}
	}
	return n;
}

/* Bound leases (bound) or pool size (!bound): one family a call. */
static unsigned
pool(const struct vxg_dhcp6_service *s, time_t now, struct vxg_metric *rows, unsigned max,
	unsigned n, bool bound)
{
	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct dhcp6_svc_net *sn = &s->nets[i];
		struct net_labels l = labels_of(sn->n.name);
		unsigned size, held;

		pool_use(&sn->n, now, &size, &held);
		if (bound)
			n = vxg_metric_add(rows, max, n, "vxgate_dhcp6_leases",
				"Bound DHCPv6 leases of the network's pool (declared ports' fixed "
				"addresses are not in it)",
				held, "vpc", l.vpc, "network", l.net, NULL);
		else
			n = vxg_metric_add(rows, max, n, "vxgate_dhcp6_pool_addresses",
				"Addresses of the network's DHCPv6 pool (its range, less fixed "
				"addresses and the gateway)",
				size, "vpc", l.vpc, "network", l.net, NULL);
	}
	return n;
}

unsigned
vxg_dhcp6_service_metrics(
	const struct vxg_dhcp6_service *s, time_t now, struct vxg_metric *rows, unsigned max)
{
	unsigned n = messages(s, rows, max, 0);

	n = pool(s, now, rows, max, n, true);
	return pool(s, now, rows, max, n, false);
}
