/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 feature: the service (dhcp6_service.h) created at start, updated on
 * reloads, ticked for its lease file, and fed the DHCPv6 frames workers punt; its replies
 * go into the client's network from the gateway.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "dhcp6/dhcp6_feature.h"
#include "vxg_l2.h"
#include "vxg_meta.h"

#define TICK_EVERY_MS 200

/* Thread-safety: control thread only. */
static struct {
	struct vxg_dhcp6_service *svc;
	uint64_t tick_ms;
	uint64_t tx, tx_failed; /* replies sent into networks, and not taken */
} dhcp6;

struct vxg_dhcp6_service *
vxg_dhcp6(void)
{
	return dhcp6.svc;
}

static void
dhcp6_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	uint32_t vni = vxg_meta(m)->vni;

	if (vxg_dhcp6_service_input(dhcp6.svc, vni, m, time(NULL)) != 1) {
		rte_pktmbuf_free(m);
		d->punt_freed++;
		return;
	}
	if (vxg_inject_net(d, vni, m, VXG_LPORT_SELF) == 0)
		dhcp6.tx++;
	else
		dhcp6.tx_failed++;
}

static void
dhcp6_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (now_ms - dhcp6.tick_ms < TICK_EVERY_MS)
		return;
	dhcp6.tick_ms = now_ms;
	vxg_dhcp6_service_tick(dhcp6.svc, time(NULL));
}

static int
dhcp6_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	dhcp6.svc = vxg_dhcp6_service_create(d->cfg, d->opt.state_dir, time(NULL));
	if (dhcp6.svc == NULL) {
		snprintf(err, errlen, "dhcp6: out of memory building the DHCPv6 networks");
		return -ENOMEM;
	}
	return 0;
}

static void
dhcp6_fini(struct vxg_daemon *d)
{
	if (dhcp6.svc != NULL) {
		dhcp6.svc->last_save = 0; /* what changed in the last second is saved too */
		vxg_dhcp6_service_tick(dhcp6.svc, time(NULL));
	}
	vxg_dhcp6_service_destroy(dhcp6.svc);
	dhcp6.svc = NULL;
}

static int
dhcp6_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	if (vxg_dhcp6_service_update(dhcp6.svc, nc) < 0) {
		snprintf(err, errlen, "dhcp6: out of memory; the servers keep the old config");
		return -ENOMEM;
	}
	return 0;
}

void
vxg_dhcp6_tx_counts(uint64_t *tx, uint64_t *failed)
{
	*tx = dhcp6.tx;
	*failed = dhcp6.tx_failed;
}

/* The metrics endpoint: messages by type, bound leases and pool size per network. */
static unsigned
dhcp6_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	return dhcp6.svc ? vxg_dhcp6_service_metrics(dhcp6.svc, time(NULL), rows, max) : 0;
}

/* After DHCP (700) and the RAs (750), whose link-local address it answers from. */
static struct vxg_feature dhcp6_feature = {
	.name = "dhcp6",
	.order = 800,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_DHCP6),
	.init = dhcp6_init,
	.fini = dhcp6_fini,
	.reload = dhcp6_reload,
	.tick = dhcp6_tick,
	.punt = dhcp6_punt,
	.metrics = dhcp6_metrics,
};

VXG_FEATURE_REGISTER(dhcp6_feature)
