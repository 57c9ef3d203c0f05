/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxgate -> kernel: the MACs zebra advertises as type-2 routes. The tick walks the FDB a
 * slice at a time; each MAC on an access interface (declared or learned) of a shadowed
 * network is put on vxp<vni> as `bridge fdb add MAC dev vxp<vni> master static` (zebra takes
 * NUD_NOARP entries as local MACs, and the bridge does not age them), and one a whole pass
 * did not see is withdrawn. Gateways are kept by the apply: the MAC on vxp<vni>, the MAC/IP
 * as a NUD_NOARP neighbour on vxb<vni>. Requests go in the state's batch (evpn_state.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>

#include "evpn/evpn_sync_adv.h"

int
evs_adv_init(struct vxg_evpn_sync *s)
{
	static unsigned seq;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = VXG_EVPN_ADV_MAX,
		.key_len = sizeof(struct vxg_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
	};

	snprintf(name, sizeof(name), "vxg_evpn_adv%u", seq++);
	s->adv_h = rte_hash_create(&p);
	s->adv = calloc(VXG_EVPN_ADV_MAX, sizeof(*s->adv));
	s->tmp_keys = calloc(VXG_EVPN_ADV_MAX, sizeof(*s->tmp_keys));
	return s->adv_h == NULL || s->adv == NULL || s->tmp_keys == NULL ? -ENOMEM : 0;
}

void
evs_adv_fini(struct vxg_evpn_sync *s)
{
	rte_hash_free(s->adv_h);
	free(s->adv);
	free(s->tmp_keys);
}

/* `bridge fdb add|del MAC dev vxp<vni> master static`. */
static void
req_fdb(struct vxg_evpn_sync *s, const struct evs_net *n, uint16_t type,
	const struct rte_ether_addr *mac)
{
	if (n->vp == 0)
		return;
	vxg_nl_fdb_msg(evs_req_slot(s), type, ++s->seq, n->vp, mac, NTF_MASTER, NUD_NOARP, 0);
	evs_req_queued(s);
}

/* ---- The advertised table ------------------------------------------------------------------ */

static struct evs_adv *
adv_get(struct vxg_evpn_sync *s, uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(s->adv_h, &k);
	return pos >= 0 ? &s->adv[pos] : NULL;
}

/* Advertise (vni, mac) of kind: in the table and sent. NULL: the table is full. */
static struct evs_adv *
adv_add(struct vxg_evpn_sync *s, struct evs_net *n, const struct rte_ether_addr *mac, uint8_t kind)
{
	struct vxg_fdb_key k;
	struct evs_adv *a;
	int32_t pos;

	vxg_fdb_key_set(&k, n->vni, mac);
	pos = rte_hash_add_key(s->adv_h, &k);
	if (pos < 0) {
		s->sum.adv_full++;
		return NULL;
	}
	a = &s->adv[pos];
	*a = (struct evs_adv){.key = k, .epoch = s->epoch, .kind = kind, .in_kernel = 1};
	req_fdb(s, n, RTM_NEWNEIGH, mac);
	s->sum.adv_adds++;
	n->adv++;
	return a;
}

static void
adv_del(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_fdb_key *k, bool tell)
{
	if (rte_hash_del_key(s->adv_h, k) < 0)
		return;
	if (tell && n != NULL)
		req_fdb(s, n, RTM_DELNEIGH, &k->mac);
	s->sum.adv_dels++;
	if (n != NULL && n->adv > 0)
		n->adv--;
}

/* The MACs of kind whose epoch is not the current one (any epoch: every_epoch), of vni
 * (0: every VNI), into s->tmp_keys: how many. (Not deleted while iterating.) */
static unsigned
adv_collect(struct vxg_evpn_sync *s, uint32_t vni, bool every_epoch)
{
	const void *key;
	void *data;
	uint32_t it = 0;
	unsigned n = 0;
	int32_t pos;

	while ((pos = rte_hash_iterate(s->adv_h, &key, &data, &it)) >= 0) {
		const struct evs_adv *a = &s->adv[pos];

		if ((vni != 0 && a->key.vni != vni) ||
			(!every_epoch && (a->kind != EVS_ADV_MAC || a->epoch == s->epoch)))
			continue;
		s->tmp_keys[n++] = a->key;
	}
	return n;
}

/* A whole pass is over: what it did not see is no longer a local MAC. */
static void
adv_sweep(struct vxg_evpn_sync *s)
{
	unsigned n = adv_collect(s, 0, false);

	for (unsigned i = 0; i < n; i++)
		adv_del(s, evs_net_by_vni(s, s->tmp_keys[i].vni), &s->tmp_keys[i], true);
	s->epoch++;
}

static void
adv_see(struct vxg_evpn_sync *s, const struct vxg_fdb_entry *e)
{
	struct evs_net *n = evs_net_by_vni(s, e->key.vni);
	struct evs_adv *a;

	if (n == NULL || !n->ready)
		return;
	a = adv_get(s, n->vni, &e->key.mac);
	if (a == NULL) {
		adv_add(s, n, &e->key.mac, EVS_ADV_MAC);
		return;
	}
	a->epoch = s->epoch;
	if (!a->in_kernel && !s->rc) { /* lost, and no reconcile to re-send it */
		a->in_kernel = 1;
		req_fdb(s, n, RTM_NEWNEIGH, &e->key.mac);
		s->sum.reconcile_readded++;
	}
}

void
evs_adv_scan(struct vxg_evpn_sync *s, uint32_t budget)
{
	const struct vxg_fdb *fdb = evs_fdb(s);

	for (uint32_t k = 0; k < budget && k < fdb->n_entries; k++) {
		const struct vxg_fdb_entry *e;
		union vxg_fdb_loc loc;

		if (s->scan_pos >= fdb->n_entries) {
			s->scan_pos = 0;
			adv_sweep(s);
		}
		e = &fdb->entries[s->scan_pos++];
		loc.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE);
		if (loc.kind == VXG_FDB_LOCAL)
			adv_see(s, e);
	}
}

/* ---- Gateways ---------------------------------------------------------------------------- */

static void
req_gw_neigh(struct vxg_evpn_sync *s, const struct evs_net *n, uint16_t type)
{
	if (n->br == 0)
		return;
	vxg_nl_ipneigh_msg(evs_req_slot(s), type, ++s->seq, n->br, n->gw_ip,
		type == RTM_NEWNEIGH ? &n->gw_mac : NULL, NUD_NOARP);
	evs_req_queued(s);
}

void
evs_adv_gw(struct vxg_evpn_sync *s, struct evs_net *n)
{
	struct evs_adv *a;

	if (!n->has_gw || !n->ready)
		return;
	a = adv_get(s, n->vni, &n->gw_mac);
	if (a == NULL)
		a = adv_add(s, n, &n->gw_mac, EVS_ADV_GW);
	else
		req_fdb(s, n, RTM_NEWNEIGH, &n->gw_mac); /* idempotent: replaces */
	if (a != NULL)
		a->kind = EVS_ADV_GW;
	req_gw_neigh(s, n, RTM_NEWNEIGH);
}

void
evs_adv_gw_del(struct vxg_evpn_sync *s, struct evs_net *n, bool del)
{
	struct vxg_fdb_key k;

	if (!n->has_gw)
		return;
	vxg_fdb_key_set(&k, n->vni, &n->gw_mac);
	adv_del(s, n, &k, del);
	if (del)
		req_gw_neigh(s, n, RTM_DELNEIGH);
	n->has_gw = false;
}

void
evs_adv_forget(struct vxg_evpn_sync *s, uint32_t vni)
{
	unsigned n = adv_collect(s, vni, true);

	for (unsigned i = 0; i < n; i++)
		adv_del(s, evs_net_by_vni(s, vni), &s->tmp_keys[i], false);
}

/* ---- Reconcile --------------------------------------------------------------------------- */

void
evs_adv_rc_start(struct vxg_evpn_sync *s)
{
	const void *key;
	void *data;
	uint32_t it = 0;
	int32_t pos;

	while ((pos = rte_hash_iterate(s->adv_h, &key, &data, &it)) >= 0)
		s->adv[pos].in_kernel = 0;
}

void
evs_adv_rc_seen(struct vxg_evpn_sync *s, struct evs_net *n, const struct vxg_nl_neigh *m)
{
	struct evs_adv *a = adv_get(s, n->vni, &m->mac);

	if (a != NULL)
		a->in_kernel = 1;
	else if (m->state & NUD_NOARP)
		req_fdb(s, n, RTM_DELNEIGH, &m->mac); /* left by an earlier run: not ours now */
}

void
evs_adv_rc_done(struct vxg_evpn_sync *s)
{
	const void *key;
	void *data;
	uint32_t it = 0;
	int32_t pos;

	while ((pos = rte_hash_iterate(s->adv_h, &key, &data, &it)) >= 0) {
		struct evs_adv *a = &s->adv[pos];
		struct evs_net *n;

		if (a->in_kernel || (n = evs_net_by_vni(s, a->key.vni)) == NULL)
			continue;
		a->in_kernel = 1;
		req_fdb(s, n, RTM_NEWNEIGH, &a->key.mac);
		s->sum.reconcile_readded++;
	}
	/* The gateways' neighbours are not in the FDB dump: set again, idempotent. */
	for (unsigned i = 0; i < s->n_nets; i++)
		if (s->nets[i].has_gw && s->nets[i].ready)
			req_gw_neigh(s, &s->nets[i], RTM_NEWNEIGH);
}

void
evs_adv_lost(struct vxg_evpn_sync *s, struct evs_net *n, const struct rte_ether_addr *mac)
{
	struct evs_adv *a = adv_get(s, n->vni, mac);

	if (a == NULL)
		return; /* one we withdrew */
	/* Send it again at once for a gateway; a MAC when the scan sees it still local. */
	a->in_kernel = 0;
	if (a->kind == EVS_ADV_GW) {
		a->in_kernel = 1;
		req_fdb(s, n, RTM_NEWNEIGH, mac);
		s->sum.reconcile_readded++;
	}
}
