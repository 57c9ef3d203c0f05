/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The use of the DHCP service's pools, for `show dhcp` and as samples for the metrics
 * endpoint (core/feature.h): bound leases and pool size per network, labelled by VPC and
 * network.
 *
 * Thread-safety: control thread only (see dhcp_service.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/feature.h"
#include "dhcp/dhcp_service_internal.h"

bool
svc_lease_live(const struct dhcp_lease *l, time_t now)
{
	return l->state != DHCP_LEASE_FREE && l->expires > now;
}

struct svc_pool_use
svc_pool_use(const struct dhcp_net *n, time_t now)
{
	struct svc_pool_use u = {0};

	for (unsigned i = 0; i < n->n_leases; i++) {
		const struct dhcp_lease *l = &n->leases[i];

		if (vxg_dhcp_reserved(n, l->ip))
			continue;
		u.size++;
		if (!svc_lease_live(l, now))
			u.free++;
		else if (l->state == DHCP_LEASE_BOUND)
			u.bound++;
		else if (l->state == DHCP_LEASE_OFFERED)
			u.offered++;
		else
			u.declined++;
	}
	return u;
}

/* One family: a sample per network ("vpc/net" split into two labels). */
static unsigned
pool_family(const struct vxg_dhcp_service *s, time_t now, struct vxg_metric *rows, unsigned max,
	unsigned n, bool bound)
{
	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct svc_net *sn = &s->nets[i];
		struct svc_pool_use u = svc_pool_use(&sn->n, now);
		char vpc[VXG_NAME_MAX];
		const char *slash = strchr(sn->n.name, '/');
		size_t len = slash ? (size_t)(slash - sn->n.name) : 0;

		snprintf(vpc, sizeof(vpc), "%.*s", (int)len, sn->n.name);
		if (bound)
			n = vxg_metric_add(rows, max, n, "vxgate_dhcp_leases",
				"Bound DHCP leases of the network's pool", u.bound, "vpc", vpc,
				"network", slash ? slash + 1 : sn->n.name, NULL);
		else
			n = vxg_metric_add(rows, max, n, "vxgate_dhcp_pool_addresses",
				"Addresses of the network's DHCP pool", u.size, "vpc", vpc,
				"network", slash ? slash + 1 : sn->n.name, NULL);
	}
	return n;
}

unsigned
vxg_dhcp_service_metrics(
	const struct vxg_dhcp_service *s, time_t now, struct vxg_metric *rows, unsigned max)
{
	unsigned n = pool_family(s, now, rows, max, 0, true);

	return pool_family(s, now, rows, max, n, false);
}
