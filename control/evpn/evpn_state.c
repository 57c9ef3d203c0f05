/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's state (evpn_state.h): its networks, sorted by VNI, and the batch of
 * requests to the kernel (libmnl's batch: one sendto for many messages).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evpn/evpn_state.h"
#include "l2/l2_feature.h"

/* The batch: sent once it holds this much, or at the tick's end. */
#define BATCH_LIMIT (64 * 1024)

struct vxg_fdb *
evs_fdb(const struct vxg_evpn_sync *s)
{
	return s->fdb != NULL ? s->fdb : vxg_l2_fdb();
}

struct evs_net *
evs_net_by_vni(struct vxg_evpn_sync *s, uint32_t vni)
{
	unsigned lo = 0, hi = s->n_nets;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (s->nets[mid].vni == vni)
			return &s->nets[mid];
		if (s->nets[mid].vni < vni)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct evs_net *
evs_net_add(struct vxg_evpn_sync *s, uint32_t vni)
{
	struct evs_net *n = evs_net_by_vni(s, vni);
	unsigned i = 0;

	if (n != NULL)
		return n;
	if (s->n_nets == s->cap_nets) {
		unsigned cap = s->cap_nets ? 2 * s->cap_nets : 16;
		struct evs_net *p = realloc(s->nets, cap * sizeof(*p));

		if (p == NULL)
			return NULL;
		s->nets = p;
		s->cap_nets = cap;
	}
	while (i < s->n_nets && s->nets[i].vni < vni)
		i++;
	memmove(&s->nets[i + 1], &s->nets[i], (s->n_nets - i) * sizeof(*s->nets));
	s->n_nets++;
	s->nets[i] = (struct evs_net){.vni = vni};
	return &s->nets[i];
}

void
evs_net_remove(struct vxg_evpn_sync *s, struct evs_net *n)
{
	unsigned i = (unsigned)(n - s->nets);

	free(n->vteps);
	free(n->rc_vteps);
	memmove(n, n + 1, (s->n_nets - i - 1) * sizeof(*n));
	s->n_nets--;
	s->last_net = 0;
}

int
evs_state_init(struct vxg_evpn_sync *s)
{
	s->rbuf = malloc(EVS_RBUF_SIZE);
	/* Twice the limit: libmnl keeps the message that overflowed for the next batch. */
	s->sbuf = malloc(2 * BATCH_LIMIT);
	if (s->rbuf == NULL || s->sbuf == NULL)
		return -ENOMEM;
	s->batch = mnl_nlmsg_batch_start(s->sbuf, BATCH_LIMIT);
	return s->batch != NULL ? 0 : -ENOMEM;
}

void
evs_state_fini(struct vxg_evpn_sync *s)
{
	if (s->batch != NULL)
		mnl_nlmsg_batch_stop(s->batch);
	free(s->sbuf);
	free(s->rbuf);
}

void *
evs_req_slot(struct vxg_evpn_sync *s)
{
	return mnl_nlmsg_batch_current(s->batch);
}

static void
batch_send(struct vxg_evpn_sync *s)
{
	size_t len = mnl_nlmsg_batch_size(s->batch);

	if (len > 0 && s->rq != NULL &&
		mnl_socket_sendto(s->rq, mnl_nlmsg_batch_head(s->batch), len) < 0) {
		s->sum.nl_errors++;
		s->sum.last_nl_error = errno;
	}
	mnl_nlmsg_batch_reset(s->batch);
}

void
evs_req_queued(struct vxg_evpn_sync *s)
{
	if (!mnl_nlmsg_batch_next(s->batch))
		batch_send(s); /* what fitted; the last one moves to the front */
}

void
evs_req_flush(struct vxg_evpn_sync *s)
{
	if (!mnl_nlmsg_batch_is_empty(s->batch))
		batch_send(s);
}
