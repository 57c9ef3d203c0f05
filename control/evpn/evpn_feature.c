/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN feature's registration and life cycle (evpn_feature.h): the namespace, FRR's
 * files and daemons across start, reloads and exit, the tick that supervises them and
 * the metrics.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/fields.h"
#include "core/daemon.h"
#include "core/feature.h"
#include "core/log.h"
#include "core/netns.h"
#include "evpn/evpn_feature.h"
#include "evpn/evpn_ns.h"
#include "evpn/evpn_sync.h"

static struct vxg_evpn_state evpn = {.ns = -1};

const struct vxg_evpn_state *
vxg_evpn(void)
{
	return &evpn;
}

/* The VTEP address on lo when BGP is not in-band (zebra takes a VXLAN device's local
 * address only when it is one of the namespace's); off it otherwise. */
static int
lo_addr_set(const struct vxg_config *cfg, char *err, size_t errlen)
{
	uint32_t want = cfg->vtep.evpn.inband ? 0 : cfg->vtep.address;
	int ret;

	if (want == evpn.lo_addr)
		return 0;
	if (evpn.lo_addr != 0)
		evpn_ns_lo_addr(evpn.ns, evpn.lo_addr, false);
	evpn.lo_addr = 0;
	if (want == 0)
		return 0;
	ret = evpn_ns_lo_addr(evpn.ns, want, true);
	if (ret < 0) {
		snprintf(err, errlen, "evpn: cannot put %s on lo in namespace %s: %s",
			config_ip_str(want).s, evpn.netns, strerror(-ret));
		return ret;
	}
	evpn.lo_addr = want;
	return 0;
}

/* The namespace, made if need be, with its lo up. */
static int
ns_open(const struct vxg_evpn_cfg *e, char *err, size_t errlen)
{
	int ret;

	snprintf(evpn.netns, sizeof(evpn.netns), "%s", e->netns);
	evpn.ns = vxg_netns_open(e->netns, true, &evpn.created);
	if (evpn.ns < 0) {
		ret = evpn.ns;
		snprintf(err, errlen, "evpn: cannot open namespace %s: %s", e->netns,
			strerror(-ret));
		return ret;
	}
	ret = evpn_ns_lo_up(evpn.ns);
	if (ret < 0)
		snprintf(err, errlen, "evpn: cannot bring lo up in namespace %s: %s", e->netns,
			strerror(-ret));
	return ret;
}

/* Take down what evpn_start made; the namespace goes when vxgate made it. */
static void
evpn_stop(void)
{
	int ret;

	if (!evpn.on)
		return;
	evpn_query_fini(&evpn.query);
	evpn_frr_fini(&evpn.frr);
	/* Before the namespace goes: the shadow's devices, its MACs and VTEPs. */
	vxg_evpn_sync_close(evpn.sync);
	evpn.sync = NULL;
	if (evpn.lo_addr != 0 && evpn.ns >= 0 && !evpn.created)
		evpn_ns_lo_addr(evpn.ns, evpn.lo_addr, false);
	evpn.lo_addr = 0;
	if (evpn.ns >= 0)
		close(evpn.ns);
	evpn.ns = -1;
	if (evpn.created) {
		ret = vxg_netns_delete(evpn.netns);
		if (ret < 0 && ret != -ENOENT)
			VXG_LOG(LOG_WARNING, "evpn: cannot remove namespace %s: %s", evpn.netns,
				strerror(-ret));
	}
	VXG_LOG(LOG_INFO, "evpn: stopped%s", evpn.created ? ", namespace removed" : "");
	evpn.created = false;
	evpn.bgpd_seen = 0;
	evpn.on = false;
}

static int
evpn_start(struct vxg_daemon *d, const struct vxg_config *cfg, char *err, size_t errlen)
{
	const struct vxg_evpn_cfg *e = &cfg->vtep.evpn;
	int ret;

	evpn_query_init(&evpn.query);
	evpn.on = true;
	evpn.mode = e->frr;
	evpn.inband = e->inband;
	ret = ns_open(e, err, errlen);
	if (ret == 0)
		ret = lo_addr_set(cfg, err, errlen);
	if (ret == 0)
		ret = evpn_frr_init(&evpn.frr, d->opt.state_dir, evpn.ns, e->frr == VXG_FRR_MANAGED,
			err, errlen);
	if (ret == 0)
		ret = evpn_frr_configure(&evpn.frr, e, err, errlen);
	/* The shadow devices zebra learns the VNIs and MACs from. */
	if (ret == 0 && (evpn.sync = vxg_evpn_sync_open(evpn.ns, err, errlen)) == NULL)
		ret = -EIO;
	if (ret == 0)
		ret = vxg_evpn_sync_apply(evpn.sync, d, cfg, err, errlen);
	if (ret < 0) {
		evpn_stop();
		return ret;
	}
	VXG_LOG(LOG_INFO, "evpn: AS %u, namespace %s%s, FRR %s in %s", e->asn, e->netns,
		evpn.created ? " (made)" : "", vxg_frr_mode_name(e->frr), evpn.frr.dir);
	return 0;
}

static int
evpn_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	if (!d->cfg->vtep.evpn.enabled)
		return 0;
	return evpn_start(d, d->cfg, err, errlen);
}

static void
evpn_fini(struct vxg_daemon *d)
{
	evpn_stop();
}

/* Same namespace and FRR mode: the files, a running bgpd and lo follow the config. */
static int
evpn_update(struct vxg_daemon *d, const struct vxg_config *nc, char *err, size_t errlen)
{
	int ret;

	evpn.inband = nc->vtep.evpn.inband;
	ret = lo_addr_set(nc, err, errlen);
	if (ret == 0)
		ret = evpn_frr_configure(&evpn.frr, &nc->vtep.evpn, err, errlen);
	if (ret == 0)
		ret = vxg_evpn_sync_apply(evpn.sync, d, nc, err, errlen);
	return ret;
}

static int
evpn_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	const struct vxg_evpn_cfg *e = &nc->vtep.evpn;

	if (!e->enabled) {
		evpn_stop();
		return 0;
	}
	if (evpn.on && !strcmp(evpn.netns, e->netns) && evpn.mode == e->frr)
		return evpn_update(d, nc, err, errlen);
	evpn_stop();
	return evpn_start(d, nc, err, errlen);
}

static void
evpn_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	bool up;

	if (!evpn.on)
		return;
	evpn_frr_tick(&evpn.frr, now_ms);
	if (evpn.frr.zebra_restarted) {
		/* A new zebra installs its routes again: the shadow marks and sweeps. */
		vxg_evpn_sync_reconcile(evpn.sync, d);
		evpn.frr.zebra_restarted = false;
	}
	/* what another bgpd said is no news of this one */
	if (evpn.frr.d[EVPN_BGPD].pid != evpn.bgpd_seen) {
		evpn.bgpd_seen = evpn.frr.d[EVPN_BGPD].pid;
		evpn_query_clear(&evpn.query);
	}
	/* external: the operator's FRR answers on the same sockets, or the query fails */
	up = evpn.mode == VXG_FRR_EXTERNAL || evpn.frr.d[EVPN_BGPD].pid != 0;
	evpn_query_tick(&evpn.query, evpn.frr.dir, up, now_ms);
	vxg_evpn_sync_tick(evpn.sync, d, now_ms);
}

static const char *const peer_states[] = {
	"Idle",
	"Connect",
	"Active",
	"OpenSent",
	"OpenConfirm",
	"Established",
};

/* vxgate_evpn_peers{state}: sessions by FRR's state (as last asked); the daemons'
 * restarts after they died. */
static unsigned
evpn_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	unsigned n = 0, i, k, cnt;

	if (!evpn.on)
		return 0;
	for (k = 0; k < RTE_DIM(peer_states); k++) {
		for (i = 0, cnt = 0; i < evpn.query.n_sessions; i++)
			cnt += !strcmp(evpn.query.sessions[i].state, peer_states[k]);
		n = vxg_metric_add(rows, max, n, "vxgate_evpn_peers",
			"BGP EVPN sessions by state, as FRR last reported them", cnt, "state",
			peer_states[k], NULL);
	}
	for (i = 0; i < EVPN_DAEMONS; i++)
		n = vxg_metric_add(rows, max, n, "vxgate_evpn_frr_restarts_total",
			"FRR daemons started again after they died", evpn.frr.d[i].restarts,
			"daemon", evpn.frr.d[i].name, NULL);
	return n;
}

/* After vxlan (the VTEP) and before l3: it builds no generation part of its own. */
static struct vxg_feature evpn_feature = {
	.name = "evpn",
	.order = 350,
	.init = evpn_init,
	.fini = evpn_fini,
	.reload = evpn_reload,
	.tick = evpn_tick,
	.metrics = evpn_metrics,
};

VXG_FEATURE_REGISTER(evpn_feature)
