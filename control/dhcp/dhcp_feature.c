/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP feature's registration: the service's life cycle and the DHCP punt, whose
 * reply goes into the client's network from the gateway and whose binding the router
 * learns as a neighbour.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "dhcp/dhcp_feature.h"
#include "l3/l3_feature.h"

#define TICK_EVERY_MS 200

/* Thread-safety: control thread only. */
static struct {
	struct vxg_dhcp_service *svc;
	uint64_t tick_ms; /* when the service last ticked */
} dhcp;

struct vxg_dhcp_service *
vxg_dhcp(void)
{
	return dhcp.svc;
}

/* UDP to port 67 in a network with a DHCP server (untagged, Ethernet first). */
static void
dhcp_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	struct vxg_router_stats *rs = vxg_router_stats();
	struct vxg_dhcp_binding bound = {0};
	uint32_t vni = vxg_meta(m)->vni;

	if (vxg_router_punt_net(d, m) == NULL)
		return;
	rs->dhcp_rx++;
	if (vxg_dhcp_service_input(dhcp.svc, vni, m, time(NULL), &bound) != 1) {
		rte_pktmbuf_free(m);
		d->punt_freed++;
		return;
	}
	if (bound.ip != 0)
		vxg_router_learn(d, vni, rte_cpu_to_be_32(bound.ip), &bound.mac, true);
	if (vxg_inject_net(d, vni, m, VXG_LPORT_SELF) == 0)
		rs->dhcp_tx++;
}

static void
dhcp_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (now_ms - dhcp.tick_ms < TICK_EVERY_MS)
		return;
	dhcp.tick_ms = now_ms;
	vxg_dhcp_service_tick(dhcp.svc, time(NULL));
}

static int
dhcp_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	dhcp.svc = vxg_dhcp_service_create(d->cfg, d->opt.state_dir, err, errlen);
	return dhcp.svc == NULL ? -ENOMEM : 0;
}

static void
dhcp_fini(struct vxg_daemon *d)
{
	vxg_dhcp_service_destroy(dhcp.svc);
	dhcp.svc = NULL;
}

static int
dhcp_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	if (vxg_dhcp_service_update(dhcp.svc, nc) < 0) {
		snprintf(err, errlen, "DHCP: out of memory; the servers keep the old config");
		return -ENOMEM;
	}
	return 0;
}

/* show memory: the lease slots and pool indexes of every DHCP network (entries: the
 * slots, one per address of the ranges), and the client rate limiter. Both come from
 * malloc, not the DPDK heap, so the heap line does not include them. */
static unsigned
dhcp_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	struct vxg_dhcp_mem m;

	vxg_dhcp_service_memory(dhcp.svc, &m);
	rows[0] = (struct vxg_mem_row){"dhcp leases", m.leases, (int64_t)m.slots};
	rows[1] = (struct vxg_mem_row){"dhcp rate limiter", m.service, -1};
	return 2;
}

/* The metrics endpoint: bound leases and pool size per network. */
static unsigned
dhcp_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	return dhcp.svc ? vxg_dhcp_service_metrics(dhcp.svc, time(NULL), rows, max) : 0;
}

/* After l3: it answers for the routers' gateways and feeds their neighbours. */
static struct vxg_feature dhcp_feature = {
	.name = "dhcp",
	.order = 700,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_DHCP),
	.init = dhcp_init,
	.fini = dhcp_fini,
	.reload = dhcp_reload,
	.tick = dhcp_tick,
	.punt = dhcp_punt,
	.memory = dhcp_memory,
	.metrics = dhcp_metrics,
};

VXG_FEATURE_REGISTER(dhcp_feature)
