/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Router Advertisement service's samples for the metrics endpoint (core/feature.h),
 * labelled by VPC and network: the RAs each gateway sent, by kind, and the Router
 * Solicitations it received. Solicited RAs are one kind whether they went multicast or
 * unicast (`show ra` tells them apart).
 *
 * Thread-safety: control thread only (see ra_service.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/feature.h"
#include "ra/ra_service.h"

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

static unsigned
sent(const struct vxg_ra_service *s, struct vxg_metric *rows, unsigned max, unsigned n)
{
	static const char *const help =
		"Router Advertisements the network's gateway sent: on its timer (periodic), "
		"answering Router Solicitations (solicited) or ending its advertising (final)";

	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct ra_net *rn = &s->nets[i];
		struct net_labels l = labels_of(rn->name);
		const uint64_t kinds[3] = {rn->sent[RA_PERIODIC],
			rn->sent[RA_SOLICITED_MCAST] + rn->sent[RA_SOLICITED_UCAST],
			rn->sent[RA_FINAL]};
		static const char *const names[3] = {"periodic", "solicited", "final"};

		for (unsigned k = 0; k < 3; k++)
			n = vxg_metric_add(rows, max, n, "vxgate_ra_sent_total", help,
				(double)kinds[k], "vpc", l.vpc, "network", l.net, "kind", names[k],
				NULL);
	}
	return n;
}

unsigned
vxg_ra_metrics(const struct vxg_ra_service *s, struct vxg_metric *rows, unsigned max)
{
	unsigned n = sent(s, rows, max, 0);

	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct ra_net *rn = &s->nets[i];
		struct net_labels l = labels_of(rn->name);

		n = vxg_metric_add(rows, max, n, "vxgate_ra_solicitations_total",
			"Router Solicitations the network's gateway took (show ra counts the "
			"ones dropped, by reason)",
			(double)rn->rs_rx, "vpc", l.vpc, "network", l.net, NULL);
	}
	return n;
}
