/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Router Advertisement feature: the service (ra_service.h) created at start and kept
 * in line with reloads, its RAs built (ra_build.h) into mbufs and sent into their network
 * as the gateway sends, and the Router Solicitations workers punt handed to it. A network
 * that a reload takes away, or leaves without IPv6, says so with a final RA (router
 * lifetime 0, RFC 4861 6.2.5) while the generation that still has it is live.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "ra/ra_feature.h"
#include "vxg_l2.h"
#include "vxg_meta.h"
#include "vxg_icmp6.h"

/* Thread-safety: control thread only. */
static struct {
	struct vxg_ra_service *svc;
} ra;

struct vxg_ra_service *
vxg_ra(void)
{
	return ra.svc;
}

/* Build the RA p advertises into a new mbuf and send it into network vni. */
static bool
ra_send(struct vxg_daemon *d, uint32_t vni, const struct vxg_ra_params *p,
	const struct rte_ether_addr *dst_mac, const struct vxg_ip6 *dst)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);
	uint8_t *buf;
	size_t len;

	if (m == NULL)
		return false;
	buf = (uint8_t *)rte_pktmbuf_append(m, VXG_RA_FRAME_MAX);
	if (buf == NULL || (len = vxg_ra_build(p, dst_mac, dst, buf, VXG_RA_FRAME_MAX)) == 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	rte_pktmbuf_trim(m, (uint16_t)(VXG_RA_FRAME_MAX - len));
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6;
	m->l2_len = RTE_ETHER_HDR_LEN;
	return vxg_inject_net(d, vni, m, VXG_LPORT_SELF) == 0;
}

/* A network whose ports are all behind VTEPs it does not flood to has no one for a
 * multicast RA: its hosts get RAs in answer to their RS only. Not a drop of the L2 stage. */
static bool
ra_nowhere(const struct vxg_daemon *d, uint32_t vni, const struct rte_ether_addr *dst_mac)
{
	const struct vxg_gen_net *gn = vxg_net_by_vni(&d->gen->vx, vni);

	return rte_is_multicast_ether_addr(dst_mac) && gn != NULL &&
	       gn->n_access + gn->n_flood == 0;
}

static enum ra_send
ra_send_cb(void *ctx, struct ra_net *n, enum ra_kind kind, const struct rte_ether_addr *dst_mac,
	const struct vxg_ip6 *dst)
{
	struct vxg_daemon *d = ctx;

	if (ra_nowhere(d, n->vni, dst_mac))
		return RA_SEND_NOWHERE; /* done for this time: the next is on the timer */
	return ra_send(d, n->vni, &n->p, dst_mac, dst) ? RA_SEND_OK : RA_SEND_FAILED;
}

static void
ra_final_cb(void *ctx, struct ra_net *n, const struct vxg_ra_params *p)
{
	static const struct vxg_ip6 all_nodes = {{0xff, 0x02, [15] = 1}};
	struct rte_ether_addr mac;

	vxg_ip6_mcast_mac(&mac, all_nodes.a);
	if (ra_nowhere(ctx, n->vni, &mac))
		vxg_ra()->mcast_no_target++;
	else if (!ra_send(ctx, n->vni, p, &mac, &all_nodes))
		vxg_ra()->drops[RA_DROP_no_mbuf]++;
}

static void
ra_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	if (rte_pktmbuf_is_contiguous(m))
		vxg_ra_solicit(ra.svc, vxg_meta(m)->vni, rte_pktmbuf_mtod(m, const uint8_t *),
			rte_pktmbuf_data_len(m), vxg_ctl_now_ms());
	else
		ra.svc->drops[RA_DROP_bad_frame]++;
	rte_pktmbuf_free(m);
	/* Answered later by the timer, or not: punt_freed counts what got no answer, and
	 * every RS gets one or a drop counter of the service. */
}

static void
ra_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (d->gen == NULL)
		return; /* nothing live to send through yet */
	vxg_ra_poll(ra.svc, now_ms, ra_send_cb, d);
}

static int
ra_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	ra.svc = vxg_ra_create(d->cfg, vxg_ctl_now_ms());
	if (ra.svc == NULL) {
		snprintf(err, errlen, "ra: out of memory building the advertising networks");
		return -ENOMEM;
	}
	return 0;
}

static void
ra_fini(struct vxg_daemon *d)
{
	vxg_ra_destroy(ra.svc);
	ra.svc = NULL;
}

/* Before a new config's generation goes live: the final RAs of the networks it drops, into
 * the generation that still has them. A regeneration of the same config drops none. */
static int
ra_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	if (d->gen != NULL && cfg != d->cfg)
		vxg_ra_leaving(ra.svc, cfg, ra_final_cb, d);
	return 0;
}

static int
ra_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	if (vxg_ra_update(ra.svc, nc, vxg_ctl_now_ms()) < 0) {
		snprintf(err, errlen, "ra: out of memory; the networks advertise the old config");
		return -ENOMEM;
	}
	return 0;
}

/* The metrics endpoint: RAs sent by kind and solicitations received per network. */
static unsigned
ra_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	return ra.svc ? vxg_ra_metrics(ra.svc, rows, max) : 0;
}

/* After the router (l3) and DHCP: it advertises the gateways they serve. */
static struct vxg_feature ra_feature = {
	.name = "ra",
	.order = 750,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_RS),
	.init = ra_init,
	.fini = ra_fini,
	.build = ra_build,
	.reload = ra_reload,
	.tick = ra_tick,
	.punt = ra_punt,
	.metrics = ra_metrics,
};

VXG_FEATURE_REGISTER(ra_feature)
