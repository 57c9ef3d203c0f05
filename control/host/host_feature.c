/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface feature's registration and work (host_feature.h): the tap made and
 * kept in line with the config as each generation is built, the frames workers punt for
 * it written there, and what the kernel writes there sent out of the underlay port from
 * the tick, a bounded number a pass.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_ether.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/log.h"
#include "host/host_feature.h"

/* Frames read from the tap in one pass of the control loop (a pass every 10 ms at most:
 * 12800 frames a second, more while the loop is busy with punts). */
#define HOST_READ_MAX 128
#define HOST_IOV_MAX 16
/* What host_from_tap_check says of a frame that is not dropped. */
#define HOST_SEND VXG_HOST_DROP_MAX
#define HOST_SKIP (VXG_HOST_DROP_MAX + 1)

const char *const vxg_host_drop_names[VXG_HOST_DROP_MAX] = {
#define VXG_HOST_DROP_NAME(name, help) #name,
	VXG_HOST_DROPS(VXG_HOST_DROP_NAME)
#undef VXG_HOST_DROP_NAME
};

const char *const vxg_host_drop_help[VXG_HOST_DROP_MAX] = {
#define VXG_HOST_DROP_HELP(name, help) help,
	VXG_HOST_DROPS(VXG_HOST_DROP_HELP)
#undef VXG_HOST_DROP_HELP
};

/* Thread-safety: control thread only. */
static struct {
	struct vxg_host_tap tap;
	uint16_t port_id; /* the underlay's DPDK port */
	struct vxg_host_stats st;
} host = {.tap = {.fd = -1, .ns = -1}};

const struct vxg_host_stats *
vxg_host_stats(void)
{
	return &host.st;
}

const struct vxg_host_tap *
vxg_host_tap(void)
{
	return vxg_host_tap_exists(&host.tap) ? &host.tap : NULL;
}

static bool
host_wanted(const struct vxg_config *cfg)
{
	return cfg->vtep.enabled && cfg->vtep.evpn.enabled && cfg->vtep.evpn.inband;
}

/* The tap of cfg: the underlay interface as the host should see it. */
static void
host_tap_cfg(const struct vxg_daemon *d, const struct vxg_config *cfg, struct vxg_host_tap_cfg *c)
{
	const struct vxg_if_cfg *ul = &cfg->interfaces[cfg->vtep.underlay];

	memset(c, 0, sizeof(*c));
	snprintf(c->netns, sizeof(c->netns), "%s", cfg->vtep.evpn.netns);
	c->mac = d->ifs[cfg->vtep.underlay].mac;
	c->addr = cfg->vtep.address;
	c->prefixlen = ul->prefixlen;
	c->gateway = ul->gateway;
	c->mtu = ul->mtu;
}

/* Before g goes live, the tap it promises the workers: made, or changed to match cfg (a
 * rebuild of the same config changes nothing). A tap cfg does not want stays until g is
 * live, for the generation still running. */
static int
host_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	struct vxg_host_tap_cfg c;
	int ret;

	if (!host_wanted(cfg))
		return 0;
	host_tap_cfg(d, cfg, &c);
	if ((ret = vxg_host_tap_apply(&host.tap, &c, err, errlen)) < 0)
		return ret;
	host.port_id = d->ifs[cfg->vtep.underlay].port_id;
	g->host.tap = true;
	return 0;
}

/* g was not published: the tap goes back to what the live generation uses. */
static void
host_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	struct vxg_host_tap_cfg c;
	char err[256];

	if (d->gen == NULL || !d->gen->host.tap) {
		vxg_host_tap_close(&host.tap);
		return;
	}
	host_tap_cfg(d, d->cfg, &c);
	if (vxg_host_tap_apply(&host.tap, &c, err, sizeof(err)) < 0)
		VXG_LOG(LOG_WARNING, "%s", err);
}

static void
host_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	if (!g->host.tap)
		vxg_host_tap_close(&host.tap);
}

/* Write m (Ethernet first) to the tap, without blocking; counted either way. */
static void
host_to_tap(const struct rte_mbuf *m)
{
	struct iovec iov[HOST_IOV_MAX];
	unsigned n = 0;

	if (!vxg_host_tap_exists(&host.tap)) {
		host.st.drops[VXG_HOST_DROP_no_tap]++;
		return;
	}
	for (const struct rte_mbuf *s = m; s != NULL && n < HOST_IOV_MAX; s = s->next) {
		iov[n].iov_base = rte_pktmbuf_mtod(s, void *);
		iov[n++].iov_len = s->data_len;
	}
	if (m->nb_segs > HOST_IOV_MAX || writev(host.tap.fd, iov, (int)n) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			host.st.drops[VXG_HOST_DROP_tap_full]++;
		else
			host.st.drops[VXG_HOST_DROP_tap_error]++;
		return;
	}
	host.st.to_tap++;
	host.st.to_tap_bytes += m->pkt_len;
}

/* ARP m (Ethernet first): one the kernel behind the tap must see, about the tap's own
 * address (a request for it, or a reply to its request)? */
static bool
host_arp_for_tap(const struct rte_mbuf *m)
{
	const struct rte_arp_hdr *arp;

	if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(*arp))
		return false;
	arp = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, RTE_ETHER_HDR_LEN);
	return arp->arp_data.arp_tip == rte_cpu_to_be_32(host.tap.cur.addr);
}

/*
 * A frame the workers punted for the host. ARP goes to the tap as a copy (the kernel
 * learns its peers' MACs there) and then to the feature that answers ARP on the underlay,
 * as if punted for it; anything else goes to the tap alone.
 */
static void
host_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (m->data_len >= sizeof(*eth) && eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		if (vxg_host_tap_exists(&host.tap) && host_arp_for_tap(m)) {
			host_to_tap(m);
			host.st.arp_copies++;
		}
		vxg_meta(m)->why = VXG_PUNT_UNDERLAY;
		if (!vxg_features_punt(d, m)) {
			rte_pktmbuf_free(m);
			d->punt_freed++;
		}
		return;
	}
	host_to_tap(m);
	rte_pktmbuf_free(m);
}

/* What to do with frame m (n bytes) the kernel wrote: a drop reason, HOST_SEND or
 * HOST_SKIP. The kernel's ARP replies are skipped: vxgate has answered the request. */
static unsigned
host_from_tap_check(struct rte_mbuf *m, ssize_t n)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(eth + 1);

	if (n < RTE_ETHER_HDR_LEN || n > RTE_ETHER_HDR_LEN + host.tap.cur.mtu)
		return VXG_HOST_DROP_bad_length;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return HOST_SEND;
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_ARP))
		return VXG_HOST_DROP_not_ipv4;
	if ((size_t)n >= sizeof(*eth) + sizeof(*arp) &&
		arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY)) {
		host.st.arp_replies_skipped++;
		return HOST_SKIP;
	}
	return HOST_SEND;
}

/* Read one frame from the tap into an mbuf and send it out of the underlay. False: the
 * tap has nothing more for now. */
static bool
host_from_tap(struct vxg_daemon *d)
{
	static uint8_t scratch[RTE_ETHER_HDR_LEN + 9600];
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);
	ssize_t n;
	unsigned r;

	if (m == NULL) { /* take it off the tap all the same, and count it */
		n = read(host.tap.fd, scratch, sizeof(scratch));
		if (n >= 0)
			host.st.drops[VXG_HOST_DROP_no_mbuf]++;
		return n >= 0;
	}
	n = read(host.tap.fd, rte_pktmbuf_mtod(m, void *), rte_pktmbuf_tailroom(m));
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			host.st.drops[VXG_HOST_DROP_tap_error]++;
		rte_pktmbuf_free(m);
		return false;
	}
	if ((r = host_from_tap_check(m, n)) != HOST_SEND) {
		if (r < VXG_HOST_DROP_MAX)
			host.st.drops[r]++;
		rte_pktmbuf_free(m);
		return true;
	}
	m->data_len = (uint16_t)n;
	m->pkt_len = (uint32_t)n;
	if (vxg_ctl_tx(d, host.port_id, m) < 0) {
		host.st.drops[VXG_HOST_DROP_tx_full]++;
		return true;
	}
	host.st.from_tap++;
	host.st.from_tap_bytes += (uint64_t)n;
	return true;
}

static void
host_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	for (unsigned i = 0; i < HOST_READ_MAX && vxg_host_tap_exists(&host.tap); i++)
		if (!host_from_tap(d))
			break;
}

static void
host_fini(struct vxg_daemon *d)
{
	vxg_host_tap_close(&host.tap);
}

static unsigned
host_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	static const char fh[] = "Frames between the underlay and the host interface's tap";
	static const char bh[] = "Bytes between the underlay and the host interface's tap";
	unsigned n = 0;

	n = vxg_metric_add(rows, max, n, "vxgate_host_packets_total", fh, (double)host.st.to_tap,
		"direction", "to_tap", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_host_packets_total", fh, (double)host.st.from_tap,
		"direction", "from_tap", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_host_bytes_total", bh,
		(double)host.st.to_tap_bytes, "direction", "to_tap", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_host_bytes_total", bh,
		(double)host.st.from_tap_bytes, "direction", "from_tap", NULL);
	for (unsigned r = 0; r < VXG_HOST_DROP_MAX; r++)
		n = vxg_metric_add(rows, max, n, "vxgate_host_drops_total",
			"Frames control dropped on the way to or from the host interface's tap",
			(double)host.st.drops[r], "reason", vxg_host_drop_names[r], NULL);
	return n;
}

/* After vxlan (the VTEP is configured); before l3. */
static struct vxg_feature host_feature = {
	.name = "host",
	.order = 320,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_HOST),
	.fini = host_fini,
	.build = host_build,
	.abort = host_abort,
	.published = host_published,
	.tick = host_tick,
	.punt = host_punt,
	.metrics = host_metrics,
};

VXG_FEATURE_REGISTER(host_feature)
