/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's life (evpn_sync.h): its sockets, opened inside the namespace; its
 * networks and their four devices, made or adopted by the apply, one acknowledged request
 * at a time; the tick that reads the kernel, advertises, and regenerates when the flood
 * sets changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "config/model.h"
#include "core/daemon.h"
#include "core/netns.h"
#include "evpn/evpn_sync.h"
#include "evpn/evpn_sync_adv.h"
#include "evpn/evpn_sync_rx.h"
#include "vxlan/vxlan_dyn.h"

/* A link request's answer: the kernel's is immediate; this bounds a wedged one. */
#define TALK_MS 1000
/* Kernel messages read per tick (each event is one datagram). */
#define READ_BUDGET 8192
/* FDB positions the advertiser looks at per run, and how often it runs: a table of a
 * million entries is walked in 160 ms. */
#define SCAN_BUDGET 65536
#define SCAN_EVERY_MS 10
/* Flood set changes wait this long for more before the generation is rebuilt. */
#define REGEN_MS 50
/* A network whose device was deleted under us is made again at most this often. */
#define REPAIR_MS 1000
/* The event socket's buffer: a burst of 100,000 FDB changes fits. */
#define EV_RCVBUF (64 * 1024 * 1024)

static struct vxg_evpn_sync *current;

static void evs_free(struct vxg_evpn_sync *s);

static struct vxg_evpn_sync *
evs_alloc(void)
{
	struct vxg_evpn_sync *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->netns = -1;
	if (evs_state_init(s) < 0 || evs_adv_init(s) < 0) {
		evs_free(s);
		return NULL;
	}
	return s;
}

static void
evs_free(struct vxg_evpn_sync *s)
{
	if (s == NULL)
		return;
	while (s->n_nets > 0)
		evs_net_remove(s, &s->nets[s->n_nets - 1]);
	free(s->nets);
	free(s->ucast);
	free(s->rc_ucast);
	evs_adv_fini(s);
	evs_state_fini(s);
	free(s->mark);
	if (s->ev != NULL)
		mnl_socket_close(s->ev);
	if (s->rq != NULL)
		mnl_socket_close(s->rq);
	if (s->ctl != NULL)
		mnl_socket_close(s->ctl);
	if (s->netns >= 0)
		close(s->netns);
	free(s);
}

/* ---- Open, close -------------------------------------------------------------------------- */

static struct mnl_socket *
sock_open(unsigned groups)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (nl != NULL && mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* A receive buffer of size: past the sysctl's cap when we may (CAP_NET_ADMIN), else what
 * the cap allows. */
static void
rcvbuf(struct mnl_socket *nl, int size)
{
	int fd = mnl_socket_get_fd(nl);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* The three sockets, made inside the namespace (they stay bound to it). */
static int
socks_open(struct vxg_evpn_sync *s)
{
	int saved, ret;

	if ((ret = vxg_netns_enter(s->netns, &saved)) < 0)
		return ret;
	s->ev = sock_open((1u << (RTNLGRP_LINK - 1)) | (1u << (RTNLGRP_NEIGH - 1)));
	s->rq = sock_open(0);
	s->ctl = sock_open(0);
	ret = s->ev && s->rq && s->ctl ? 0 : -errno;
	vxg_netns_leave(saved);
	if (ret < 0)
		return ret;
	rcvbuf(s->ev, EV_RCVBUF);
	rcvbuf(s->rq, 4 * 1024 * 1024); /* a dump's parts, a batch's errors */
	return 0;
}

struct vxg_evpn_sync *
vxg_evpn_sync_open(int netns_fd, char *err, size_t errlen)
{
	struct vxg_evpn_sync *s = evs_alloc();
	int ret;

	if (s == NULL) {
		snprintf(err, errlen, "evpn: out of memory");
		return NULL;
	}
	s->netns = dup(netns_fd);
	if (s->netns < 0 || (ret = socks_open(s)) < 0) {
		snprintf(err, errlen, "evpn: rtnetlink sockets in the namespace: %s",
			strerror(s->netns < 0 ? errno : -ret));
		evs_free(s);
		return NULL;
	}
	if (evs_fdb(s) != NULL && (ret = evs_rc_start(s)) < 0) {
		snprintf(err, errlen, "evpn: dump of the namespace's FDB: %s", strerror(-ret));
		evs_free(s);
		return NULL;
	}
	current = s;
	return s;
}

/* ---- Devices ------------------------------------------------------------------------------ */

static int
talk(struct vxg_evpn_sync *s, struct nlmsghdr *nlh, struct vxg_nl_link *out)
{
	return vxg_nl_talk(s->ctl, nlh, TALK_MS, out);
}

/* The device called name: 0 with *l, -ENODEV, or another -errno. */
static int
link_get(struct vxg_evpn_sync *s, const char *name, struct vxg_nl_link *l)
{
	uint8_t buf[VXG_NL_MSG_MAX];

	return talk(s, vxg_nl_getlink_msg(buf, ++s->seq, name), l);
}

static int
link_del(struct vxg_evpn_sync *s, int32_t ifindex)
{
	uint8_t buf[VXG_NL_MSG_MAX];

	return talk(s, vxg_nl_dellink_msg(buf, ++s->seq, ifindex), NULL);
}

/* Delete what answers to name, if anything. */
static void
link_del_name(struct vxg_evpn_sync *s, const char *name)
{
	struct vxg_nl_link l;

	if (link_get(s, name, &l) == 0)
		link_del(s, l.ifindex);
}

/* Is l what network n's device `which` must be? */
static bool
link_fits(const struct vxg_evpn_sync *s, const struct evs_net *n, char which,
	const struct vxg_nl_link *l)
{
	if (which == 'b')
		return strcmp(l->kind, "bridge") == 0;
	if (which == 'p')
		return strcmp(l->kind, "veth") == 0;
	return strcmp(l->kind, "vxlan") == 0 && l->vni == n->vni && l->local == s->vtep &&
	       l->port == s->udp_port;
}

/* Make device `which` of n when missing or not as it must be; its ifindex in *ifindex. */
static int
link_ensure(struct vxg_evpn_sync *s, struct evs_net *n, char which, int32_t *ifindex)
{
	char name[IF_NAMESIZE], peer[IF_NAMESIZE];
	uint8_t buf[VXG_NL_MSG_MAX];
	struct vxg_nl_link l;
	int ret;

	snprintf(name, sizeof(name), "vx%c%u", which, n->vni);
	snprintf(peer, sizeof(peer), "vxq%u", n->vni);
	ret = link_get(s, name, &l);
	if (ret == 0 && link_fits(s, n, which, &l)) {
		*ifindex = l.ifindex;
		return 0; /* adopted: a restart finds what it made */
	}
	if (ret == 0)
		link_del(s, l.ifindex);
	if (which == 'p')
		link_del_name(s, peer); /* a peer left alone would block the pair's name */
	ret = talk(s,
		which == 'b'   ? vxg_nl_bridge_msg(buf, ++s->seq, name)
		: which == 'v' ? vxg_nl_vxlan_msg(buf, ++s->seq, name, n->vni, s->vtep, s->udp_port)
			       : vxg_nl_veth_msg(buf, ++s->seq, name, peer),
		NULL);
	if (ret < 0)
		return ret;
	ret = link_get(s, name, &l);
	*ifindex = l.ifindex;
	return ret;
}

/* Address generation off (no IPv6 link-local address: nothing sent), master, then up. */
static int
link_setup(struct vxg_evpn_sync *s, int32_t ifindex, int32_t master)
{
	uint8_t buf[VXG_NL_MSG_MAX];
	int ret = talk(s, vxg_nl_setlink_msg(buf, ++s->seq, ifindex, (uint32_t)master), NULL);

	if (ret < 0)
		return ret;
	return talk(s, vxg_nl_up_msg(buf, ++s->seq, ifindex), NULL);
}

static int
net_make(struct vxg_evpn_sync *s, struct evs_net *n)
{
	uint8_t buf[VXG_NL_MSG_MAX];
	struct vxg_nl_link l;
	char peer[IF_NAMESIZE];
	int ret;

	n->ready = false;
	if ((ret = link_ensure(s, n, 'b', &n->br)) < 0 ||
		(ret = link_ensure(s, n, 'v', &n->vx)) < 0 ||
		(ret = link_ensure(s, n, 'p', &n->vp)) < 0)
		return ret;
	snprintf(peer, sizeof(peer), "vxq%u", n->vni);
	if ((ret = link_get(s, peer, &l)) < 0)
		return ret;
	n->vq = l.ifindex;
	if ((ret = link_setup(s, n->br, 0)) < 0 || (ret = link_setup(s, n->vx, n->br)) < 0 ||
		(ret = link_setup(s, n->vp, n->br)) < 0 || (ret = link_setup(s, n->vq, 0)) < 0)
		return ret;
	/* Nothing flows through the shadow: the kernel learns nothing, only zebra writes. */
	if ((ret = talk(s, vxg_nl_brport_msg(buf, ++s->seq, n->vx, false, true), NULL)) < 0 ||
		(ret = talk(s, vxg_nl_brport_msg(buf, ++s->seq, n->vp, false, false), NULL)) < 0)
		return ret;
	n->ready = true;
	n->broken = false;
	return 0;
}

/* n leaves the shadow: its devices, remote MACs, VTEPs and advertised MACs go. */
static void
net_drop(struct vxg_evpn_sync *s, struct evs_net *n)
{
	const int32_t devs[] = {n->vx, n->vp, n->br}; /* vxq goes with vxp */

	for (unsigned i = 0; i < RTE_DIM(devs); i++)
		if (devs[i] != 0 && s->ctl != NULL)
			link_del(s, devs[i]);
	if (evs_fdb(s) != NULL)
		evs_net_flush_macs(s, n);
	evs_adv_forget(s, n->vni);
	vxg_vxlan_dyn_flood_set(n->vni, NULL, 0);
	if (n->n_vteps > 0 && !s->flood_dirty)
		s->dirty_ms = s->now_ms;
	s->flood_dirty |= n->n_vteps > 0;
	evs_net_remove(s, n);
}

void
vxg_evpn_sync_close(struct vxg_evpn_sync *s)
{
	if (s == NULL)
		return;
	evs_req_flush(s);
	while (s->n_nets > 0)
		net_drop(s, &s->nets[s->n_nets - 1]);
	if (current == s)
		current = NULL;
	evs_free(s);
}

/* ---- Apply -------------------------------------------------------------------------------- */

/* The gateway of network nc, as n holds it; the old one withdrawn when it changed. */
static void
net_gw(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_network_cfg *nc)
{
	uint32_t ip = htonl(nc->gateway);

	if (n->has_gw && (nc->gateway == 0 || n->gw_ip != ip ||
				 !rte_is_same_ether_addr(&n->gw_mac, &nc->gw_mac)))
		evs_adv_gw_del(s, n, n->ready);
	if (nc->gateway == 0)
		return;
	n->has_gw = true;
	n->gw_ip = ip;
	n->gw_mac = nc->gw_mac;
}

/* Mark cfg's EVPN networks wanted (added when new). -ENOMEM. */
static int
nets_want(struct vxg_evpn_sync *s, const struct vxg_config *cfg)
{
	bool on = cfg->vtep.enabled && cfg->vtep.evpn.enabled;

	for (unsigned i = 0; i < s->n_nets; i++)
		s->nets[i].wanted = false;
	for (unsigned v = 0; on && v < cfg->n_vpcs; v++) {
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++) {
			const struct vxg_network_cfg *nc = &cfg->vpcs[v].networks[i];
			struct evs_net *n;

			if (!nc->evpn)
				continue;
			if ((n = evs_net_add(s, nc->vni)) == NULL)
				return -ENOMEM;
			n->wanted = true;
			net_gw(s, n, nc);
		}
	}
	return 0;
}

int
vxg_evpn_sync_apply(struct vxg_evpn_sync *s, struct vxg_daemon *d, const struct vxg_config *cfg,
	char *err, size_t errlen)
{
	uint32_t vtep = htonl(cfg->vtep.address);
	int ret, first = 0;

	if (vtep != s->vtep || cfg->vtep.udp_port != s->udp_port)
		for (unsigned i = 0; i < s->n_nets; i++)
			s->nets[i].ready = false; /* their VXLAN devices are made again */
	s->vtep = vtep;
	s->udp_port = cfg->vtep.udp_port;
	if ((ret = nets_want(s, cfg)) < 0) {
		snprintf(err, errlen, "evpn: out of memory");
		return ret;
	}
	for (unsigned i = s->n_nets; i-- > 0;)
		if (!s->nets[i].wanted)
			net_drop(s, &s->nets[i]);
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct evs_net *n = &s->nets[i];

		if ((ret = net_make(s, n)) < 0 && first == 0) {
			first = ret;
			snprintf(err, errlen, "evpn: devices of VNI %u in the namespace: %s",
				n->vni, strerror(-ret));
		}
		evs_adv_gw(s, n);
	}
	evs_req_flush(s);
	/* New devices may hold what zebra installed before (a restart): read it all. */
	if (evs_fdb(s) != NULL)
		evs_rc_start(s);
	return first;
}

/* ---- Tick --------------------------------------------------------------------------------- */

/* The flood sets and the set of MACs' VTEPs that changed, to vxlan, and one generation
 * for all of them. */
static void
regen(struct vxg_evpn_sync *s, struct vxg_daemon *d)
{
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct evs_net *n = &s->nets[i];

		if (!n->flood_dirty)
			continue;
		if (vxg_vxlan_dyn_flood_set(n->vni, n->vteps, n->n_vteps) < 0)
			continue; /* too many, or no memory: tried again next time */
		n->flood_dirty = false;
	}
	if (s->ucast_dirty && vxg_vxlan_dyn_flood_set(VXG_DYN_UCAST, s->ucast, s->n_ucast) == 0)
		s->ucast_dirty = false;
	s->flood_dirty = false;
	if (d != NULL && vxg_daemon_regen(d) == 0)
		s->sum.regens++;
}

/* Networks whose devices were deleted under us, made again. */
static void
repair(struct vxg_evpn_sync *s, uint64_t now_ms)
{
	if (now_ms - s->repair_ms < REPAIR_MS)
		return;
	s->repair_ms = now_ms;
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct evs_net *n = &s->nets[i];

		if (!n->broken)
			continue;
		if (net_make(s, n) == 0) {
			evs_adv_gw(s, n);
			evs_rc_start(s);
		}
	}
}

void
vxg_evpn_sync_tick(struct vxg_evpn_sync *s, struct vxg_daemon *d, uint64_t now_ms)
{
	if (evs_fdb(s) == NULL)
		return;
	s->now_ms = now_ms;
	evs_read(s, READ_BUDGET);
	if (!s->rc && s->rc_again) {
		s->rc_again = false;
		evs_rc_start(s);
	}
	if (now_ms - s->scan_ms >= SCAN_EVERY_MS) {
		s->scan_ms = now_ms;
		evs_adv_scan(s, SCAN_BUDGET);
	}
	repair(s, now_ms);
	evs_req_flush(s);
	if (s->flood_dirty && now_ms - s->dirty_ms >= REGEN_MS)
		regen(s, d);
}

int
vxg_evpn_sync_reconcile(struct vxg_evpn_sync *s, struct vxg_daemon *d)
{
	return evs_fdb(s) != NULL ? evs_rc_start(s) : -ENODEV;
}

void
vxg_evpn_sync_summary(const struct vxg_evpn_sync *s, struct vxg_evpn_sync_sum *out)
{
	*out = s->sum;
	out->vnis = s->n_nets;
	out->vnis_ready = 0;
	out->remote_vteps = 0;
	out->evpn_macs = 0;
	out->advertised = 0;
	for (unsigned i = 0; i < s->n_nets; i++) {
		out->vnis_ready += s->nets[i].ready;
		out->remote_vteps += s->nets[i].n_vteps;
		out->evpn_macs += s->nets[i].evpn_macs;
		out->advertised += s->nets[i].adv;
	}
}

struct vxg_evpn_sync *
vxg_evpn_sync_bare(void)
{
	return evs_alloc();
}

struct vxg_evpn_sync *
vxg_evpn_sync_current(void)
{
	return current;
}

void
vxg_evpn_sync_use_fdb(struct vxg_evpn_sync *s, struct vxg_fdb *fdb)
{
	s->fdb = fdb;
}

int
vxg_evpn_sync_fd(const struct vxg_evpn_sync *s)
{
	return s->ev != NULL ? mnl_socket_get_fd(s->ev) : -1;
}
