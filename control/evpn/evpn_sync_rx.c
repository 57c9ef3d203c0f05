/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel -> vxgate: what zebra installs on each vxv<vni> (remote VTEPs as the all-zero
 * MAC's destinations, remote MACs with NTF_EXT_LEARNED and a destination) applied to the
 * VNI's flood set and to the FDB; link events; and the reconcile, which dumps the kernel's
 * FDB and marks and sweeps what vxgate holds against it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <rte_hash.h>

#include "core/daemon.h"
#include "evpn/evpn_sync_adv.h"
#include "evpn/evpn_sync_rx.h"
#include "l2/fdb.h"

/* Datagrams of the request socket read per tick: a dump's hold some 200 entries each. */
#define RQ_BUDGET 64

/* The network whose device ifindex is; *which: 'b', 'v', 'p', 'q'. NULL: none of ours. */
static struct evs_net *
net_by_ifindex(struct vxg_evpn_sync *s, int32_t ifindex, char *which)
{
	for (unsigned k = 0; k < s->n_nets && ifindex > 0; k++) {
		unsigned i = (s->last_net + k) % s->n_nets;
		struct evs_net *n = &s->nets[i];

		*which = n->vx == ifindex   ? 'v'
			 : n->vp == ifindex ? 'p'
			 : n->br == ifindex ? 'b'
			 : n->vq == ifindex ? 'q'
					    : 0;
		if (*which != 0) {
			s->last_net = i;
			return n;
		}
	}
	return NULL;
}

/* ---- Remote VTEPs ------------------------------------------------------------------------ */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Add ip to the sorted set; true if it was not there. */
static bool
set_add(uint32_t **set, unsigned *n, unsigned *cap, uint32_t ip)
{
	unsigned i = 0;

	while (i < *n && (*set)[i] < ip)
		i++;
	if (i < *n && (*set)[i] == ip)
		return false;
	if (*n == *cap) {
		unsigned c = *cap ? 2 * *cap : 8;
		uint32_t *p = realloc(*set, c * sizeof(*p));

		if (p == NULL)
			return false;
		*set = p;
		*cap = c;
	}
	memmove(*set + i + 1, *set + i, (*n - i) * sizeof(**set));
	(*set)[i] = ip;
	(*n)++;
	return true;
}

static bool
set_del(uint32_t *set, unsigned *n, uint32_t ip)
{
	uint32_t *p = bsearch(&ip, set, *n, sizeof(ip), cmp_u32);

	if (p == NULL)
		return false;
	memmove(p, p + 1, (size_t)(set + *n - (p + 1)) * sizeof(*p));
	(*n)--;
	return true;
}

static void
flood_changed(struct vxg_evpn_sync *s, struct evs_net *n)
{
	if (!s->flood_dirty)
		s->dirty_ms = s->now_ms;
	s->flood_dirty = n->flood_dirty = true;
}

static void
vtep_msg(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_nl_neigh *m)
{
	uint32_t ip = ntohl(m->dst);

	if (m->dst == s->vtep) {
		s->sum.ignored++; /* ourselves */
		return;
	}
	s->sum.events++;
	if (m->type == RTM_NEWNEIGH) {
		if (s->rc)
			set_add(&n->rc_vteps, &n->rc_n, &n->rc_cap, ip);
		if (set_add(&n->vteps, &n->n_vteps, &n->cap_vteps, ip)) {
			s->sum.vtep_adds++;
			flood_changed(s, n);
		}
		return;
	}
	if (s->rc)
		set_del(n->rc_vteps, &n->rc_n, ip);
	if (set_del(n->vteps, &n->n_vteps, ip)) {
		s->sum.vtep_dels++;
		flood_changed(s, n);
	}
}

/* ---- Remote MACs ------------------------------------------------------------------------- */

/* A remote MAC placed at VTEP dst (network order): the VTEP joins the generation's if it
 * is new. */
static void
mac_vtep(struct vxg_evpn_sync *s, uint32_t dst)
{
	uint32_t ip = ntohl(dst);

	if (dst == s->vtep)
		return;
	if (s->rc)
		set_add(&s->rc_ucast, &s->rc_n_ucast, &s->rc_cap_ucast, ip);
	if (set_add(&s->ucast, &s->n_ucast, &s->cap_ucast, ip)) {
		if (!s->flood_dirty)
			s->dirty_ms = s->now_ms;
		s->flood_dirty = s->ucast_dirty = true;
	}
}

static void
mark_pos(struct vxg_evpn_sync *s, uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(evs_fdb(s)->h, &k);
	if (pos >= 0 && (uint32_t)pos / 64 < s->mark_words)
		s->mark[pos / 64] |= 1ull << (pos % 64);
}

void
evs_release(struct vxg_evpn_sync *s)
{
	vxg_fdb_release(evs_fdb(s), s->gone, s->n_gone);
	s->n_gone = 0;
}

static void
mac_gone(struct vxg_evpn_sync *s, struct evs_net *n, int32_t pos)
{
	s->gone[s->n_gone++] = pos;
	if (n != NULL && n->evpn_macs > 0)
		n->evpn_macs--;
	if (s->n_gone == EVS_GONE_MAX)
		evs_release(s);
}

/* Did learning on an access interface take (vni, mac) over from its route? */
static bool
taken_over(const struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(fdb->h, &k);
	return pos >= 0 && fdb->entries[pos].loc.origin == VXG_FDB_LEARNED;
}

static void
mac_msg(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_nl_neigh *m)
{
	struct vxg_fdb *fdb = evs_fdb(s);
	int ret;

	/* zebra's remote MACs: NTF_EXT_LEARNED, or NUD_NOARP when sticky. */
	if (!(m->flags & NTF_EXT_LEARNED) && !(m->state & NUD_NOARP)) {
		s->sum.ignored++;
		return;
	}
	s->sum.events++;
	if (m->type == RTM_DELNEIGH) {
		int32_t pos = vxg_fdb_evpn_unlink(fdb, n->vni, &m->mac);

		if (pos >= 0) {
			s->sum.mac_dels++;
			mac_gone(s, n, pos);
		} else if (vxg_fdb_evpn_pend(fdb, n->vni, &m->mac) == 0) {
			s->sum.mac_dels++; /* a declared port EVPN placed: pending again */
			if (n->evpn_macs > 0)
				n->evpn_macs--;
		} else if (taken_over(fdb, n->vni, &m->mac) && n->evpn_macs > 0) {
			n->evpn_macs--; /* the MAC had moved here: learning took it, it stays */
		}
		return;
	}
	/* Sticky (RFC 7432 15.2): zebra marks it NTF_STICKY (older ones: NUD_NOARP alone). */
	ret = vxg_fdb_evpn_set(fdb, n->vni, &m->mac, m->dst,
		(m->flags & NTF_STICKY) || !(m->flags & NTF_EXT_LEARNED));
	if (ret == 0) {
		s->sum.mac_adds++;
		n->evpn_macs++;
	} else if (ret == 1) {
		s->sum.mac_moves++;
	} else {
		if (ret == -ENOSPC)
			s->sum.fdb_full++;
		else
			s->sum.conflicts++;
		return;
	}
	mac_vtep(s, m->dst);
	if (s->rc)
		mark_pos(s, n->vni, &m->mac);
}

/* An AF_BRIDGE entry of one of our devices. */
static void
fdb_msg(struct vxg_evpn_sync *s, struct evs_net *n, char which, const struct vxg_nl_neigh *m)
{
	static const struct rte_ether_addr zero;

	if (which == 'p' && m->has_mac) {
		s->sum.events++;
		if (m->type == RTM_NEWNEIGH && s->rc)
			evs_adv_rc_seen(s, n, m);
		else if (m->type == RTM_DELNEIGH && (m->state & NUD_NOARP))
			evs_adv_lost(s, n, &m->mac);
		return;
	}
	/* The bridge's own copies (no destination), next-hop groups (multihoming): not ours. */
	if (which != 'v' || !m->has_mac || !m->has_dst || m->nh_id != 0) {
		s->sum.ignored++;
		return;
	}
	if (rte_is_same_ether_addr(&m->mac, &zero))
		vtep_msg(s, n, m);
	else if (rte_is_unicast_ether_addr(&m->mac))
		mac_msg(s, n, m);
	else
		s->sum.ignored++;
}

static void
neigh_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh)
{
	struct vxg_nl_neigh m;
	struct evs_net *n;
	char which = 0;
	int ret = vxg_nl_neigh_parse(nlh, &m);

	if (ret < 0) {
		if (ret == -EBADMSG)
			s->sum.errors++;
		else
			s->sum.ignored++;
		return;
	}
	n = net_by_ifindex(s, m.ifindex, &which);
	if (n == NULL) {
		s->sum.unknown_ifindex++;
		return;
	}
	if (m.family == AF_BRIDGE)
		fdb_msg(s, n, which, &m);
	else
		s->sum.ignored++; /* our gateways' neighbours: the apply keeps them */
}

static void
link_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh)
{
	struct vxg_nl_link l;
	struct evs_net *n;
	char which;

	if (vxg_nl_link_parse(nlh, &l) < 0) {
		s->sum.errors++;
		return;
	}
	n = net_by_ifindex(s, l.ifindex, &which);
	if (n == NULL || l.type != RTM_DELLINK)
		return;
	/* Someone deleted a device of ours: the tick makes the network's devices again. */
	s->sum.events++;
	n->broken = true;
	n->ready = false;
}

/* ---- Reconcile --------------------------------------------------------------------------- */

/* Remote MACs the dump did not show go, as do those of networks no longer shadowed; the
 * declared ports they placed are pending again. */
static void
rc_sweep_macs(struct vxg_evpn_sync *s)
{
	struct vxg_fdb *fdb = evs_fdb(s);

	/* Counted again: entries an earlier shadow of this process left are ours too. */
	for (unsigned i = 0; i < s->n_nets; i++)
		s->nets[i].evpn_macs = 0;
	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];
		bool port = vxg_fdb_evpn_port(fdb, e);
		struct evs_net *n;

		if (e->loc.kind != VXG_FDB_REMOTE || (!vxg_fdb_is_evpn(e->loc.origin) && !port))
			continue;
		n = evs_net_by_vni(s, e->key.vni);
		if (n != NULL && i / 64 < s->mark_words && (s->mark[i / 64] & (1ull << (i % 64)))) {
			n->evpn_macs++;
			continue;
		}
		if (port) {
			s->sum.reconcile_swept +=
				vxg_fdb_evpn_pend(fdb, e->key.vni, &e->key.mac) == 0;
		} else if (vxg_fdb_evpn_unlink(fdb, e->key.vni, &e->key.mac) == (int32_t)i) {
			s->sum.reconcile_swept++;
			mac_gone(s, NULL, (int32_t)i);
		}
	}
	evs_release(s);
}

static void
rc_done(struct vxg_evpn_sync *s)
{
	rc_sweep_macs(s);
	for (unsigned i = 0; i < s->n_nets; i++) {
		struct evs_net *n = &s->nets[i];

		/* Both sets may be empty (NULL): memcmp must not see them. */
		if (n->rc_n == n->n_vteps &&
			(n->rc_n == 0 ||
				memcmp(n->rc_vteps, n->vteps, n->rc_n * sizeof(uint32_t)) == 0))
			continue;
		s->sum.reconcile_swept += n->n_vteps > n->rc_n ? n->n_vteps - n->rc_n : 0;
		free(n->vteps);
		n->vteps = n->rc_vteps;
		n->n_vteps = n->rc_n;
		n->cap_vteps = n->rc_cap;
		n->rc_vteps = NULL;
		n->rc_n = n->rc_cap = 0;
		flood_changed(s, n);
	}
	if (s->rc_n_ucast != s->n_ucast ||
		(s->n_ucast > 0 &&
			memcmp(s->rc_ucast, s->ucast, s->n_ucast * sizeof(uint32_t)) != 0)) {
		uint32_t *t = s->ucast;
		unsigned cap = s->cap_ucast;

		s->ucast = s->rc_ucast;
		s->n_ucast = s->rc_n_ucast;
		s->cap_ucast = s->rc_cap_ucast;
		s->rc_ucast = t;
		s->rc_cap_ucast = cap;
		if (!s->flood_dirty)
			s->dirty_ms = s->now_ms;
		s->flood_dirty = s->ucast_dirty = true;
	}
	evs_adv_rc_done(s);
	s->rc = false;
	s->sum.reconciling = 0;
	s->sum.reconciles++;
	s->sum.last_reconcile = (uint64_t)time(NULL);
	s->sum.last_reconcile_ms = vxg_ctl_now_ms() - s->rc_start_ms;
}

/* The dump failed: sweep nothing on a partial view; the tick starts another. */
static void
rc_abort(struct vxg_evpn_sync *s)
{
	s->rc = false;
	s->sum.reconciling = 0;
	s->rc_again = true;
}

int
evs_rc_start(struct vxg_evpn_sync *s)
{
	struct vxg_fdb *fdb = evs_fdb(s);
	uint32_t words = (fdb->n_entries + 63) / 64;
	struct nlmsghdr *nlh;
	uint8_t buf[VXG_NL_MSG_MAX];

	if (s->rc) {
		s->rc_again = true;
		return 0;
	}
	if (words != s->mark_words) {
		free(s->mark);
		s->mark = calloc(words, sizeof(*s->mark));
		s->mark_words = s->mark != NULL ? words : 0;
	}
	if (s->mark == NULL)
		return -ENOMEM;
	memset(s->mark, 0, words * sizeof(*s->mark));
	for (unsigned i = 0; i < s->n_nets; i++)
		s->nets[i].rc_n = 0;
	s->rc_n_ucast = 0;
	evs_adv_rc_start(s);
	evs_req_flush(s); /* requests before the dump, so it shows them */
	s->rc_seq = ++s->seq;
	s->rc_start_ms = vxg_ctl_now_ms();
	s->rc = true;
	s->sum.reconciling = 1;
	if (s->rq == NULL)
		return 0; /* tests: the caller plays the dump */
	nlh = vxg_nl_neigh_dump_msg(buf, s->rc_seq, AF_BRIDGE);
	if (mnl_socket_sendto(s->rq, nlh, nlh->nlmsg_len) < 0) {
		s->rc = false;
		s->sum.reconciling = 0;
		return -errno;
	}
	return 0;
}

/* ---- Dispatch ---------------------------------------------------------------------------- */

static void
ctl_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh)
{
	int e = vxg_nl_error(nlh);

	if (s->rc && nlh->nlmsg_seq == s->rc_seq && (nlh->nlmsg_type == NLMSG_DONE || e < 0)) {
		if (nlh->nlmsg_type == NLMSG_DONE) {
			rc_done(s);
			return;
		}
		rc_abort(s);
	}
	if (e < 0) {
		s->sum.nl_errors++;
		s->sum.last_nl_error = -e;
	}
}

void
evs_msg(struct vxg_evpn_sync *s, const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		neigh_msg(s, nlh);
		break;
	case RTM_NEWLINK:
	case RTM_DELLINK:
		link_msg(s, nlh);
		break;
	case NLMSG_ERROR:
	case NLMSG_DONE:
		ctl_msg(s, nlh);
		break;
	default:
		s->sum.ignored++;
	}
}

static void
walk_cb(const struct nlmsghdr *nlh, void *arg)
{
	evs_msg(arg, nlh);
}

/* Read one socket: how many datagrams were read, at most budget. */
static unsigned
read_sock(struct vxg_evpn_sync *s, struct mnl_socket *nl, unsigned budget, bool events)
{
	unsigned k;

	for (k = 0; nl != NULL && k < budget; k++) {
		ssize_t n = recv(mnl_socket_get_fd(nl), s->rbuf, EVS_RBUF_SIZE, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS && events) {
				/* Events were lost: only a dump tells what the kernel holds. */
				s->sum.overruns++;
				evs_rc_start(s);
				continue;
			}
			break; /* EAGAIN: nothing more; anything else: try next tick */
		}
		s->sum.errors += vxg_nl_walk(s->rbuf, (size_t)n, walk_cb, s);
	}
	return k;
}

void
evs_read(struct vxg_evpn_sync *s, unsigned budget)
{
	/* Answers first: a dump's end settles what events said during it. */
	read_sock(s, s->rq, RQ_BUDGET, false);
	read_sock(s, s->ev, budget, true);
	evs_release(s);
}

void
evs_net_flush_macs(struct vxg_evpn_sync *s, struct evs_net *n)
{
	struct vxg_fdb *fdb = evs_fdb(s);

	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];

		if (e->loc.kind != VXG_FDB_REMOTE || e->key.vni != n->vni)
			continue;
		if (vxg_fdb_is_evpn(e->loc.origin) &&
			vxg_fdb_evpn_unlink(fdb, n->vni, &e->key.mac) == (int32_t)i)
			mac_gone(s, n, (int32_t)i);
		else if (vxg_fdb_evpn_pend(fdb, n->vni, &e->key.mac) == 0 && n->evpn_macs > 0)
			n->evpn_macs--; /* a declared port it had placed */
	}
	evs_release(s);
}
