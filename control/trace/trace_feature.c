/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace, control's part (trace_feature.h): the workers' record buffers, made
 * before the workers start, and the commands that arm, stop and empty them. A command is
 * a struct vxg_trace_cmd on every worker's ctl_ring, with the filter the workers run from
 * then on (a trace start's, or none); it is freed, with its filter, once every worker has
 * acknowledged a later one, since a ring is taken in order and a worker drops its copy of
 * the filter as it takes the next command. The acknowledgement is what capture gets from
 * the workers' quiescence (rte_rcu_qsbr): a worker takes commands between passes only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "core/feature.h"
#include "trace/trace_feature.h"

/* A command sent; the list (the newest first) holds those a worker may still read. */
struct trace_cmd {
	struct vxg_trace_cmd c;
	struct trace_cmd *next;
};

static struct vxg_trace_state st = {.port = VXG_TRACE_ANY_PORT};
static struct trace_cmd *sent; /* the newest first */

const struct vxg_trace_state *
vxg_trace_state(void)
{
	return &st;
}

static void
trace_cmd_free(struct trace_cmd *c)
{
	vxg_filter_free(&c->c.filter);
	free(c);
}

/* Free the commands every worker has gone past (it copies what it needs, but runs the
 * filter of the last it took): the ring is taken in order, so those before the oldest seq
 * a worker acknowledged. */
static void
trace_cmds_reap(const struct vxg_daemon *d)
{
	uint32_t acked = st.seq;
	struct trace_cmd **p = &sent;

	for (unsigned i = 0; i < d->n_workers; i++) {
		uint32_t a = __atomic_load_n(&d->workers[i]->trace_buf->applied, __ATOMIC_ACQUIRE);

		if ((int32_t)(a - acked) < 0)
			acked = a;
	}
	while (*p != NULL && (int32_t)((*p)->c.seq - acked) >= 0)
		p = &(*p)->next;
	while (*p != NULL) {
		struct trace_cmd *c = *p;

		*p = c->next;
		trace_cmd_free(c);
	}
}

/*
 * Wait until every worker has taken command seq; -ETIMEDOUT naming one that has not. The
 * workers waited for are those the publisher waits for: a harness that runs the worker's
 * stages itself (the fuzzers) has none, and its commands stay queued.
 */
static int
trace_wait(const struct vxg_daemon *d, uint32_t seq, char *err, size_t errlen)
{
	uint64_t deadline = vxg_ctl_now_ms() + VXG_TRACE_ACK_MS;

	for (unsigned i = 0; i < d->pub.n_workers; i++) {
		const struct vxg_trace_buf *b = d->workers[i]->trace_buf;

		while ((int32_t)(__atomic_load_n(&b->applied, __ATOMIC_ACQUIRE) - seq) < 0) {
			if (vxg_ctl_now_ms() > deadline) {
				snprintf(err, errlen,
					"worker %u has not taken the request within %u ms (it "
					"will at its next pass)",
					i, VXG_TRACE_ACK_MS);
				return -ETIMEDOUT;
			}
			rte_delay_us_sleep(50);
		}
	}
	return 0;
}

/* Send every worker: epoch, trace budget packets on port that filter matches (from their
 * next pass). Takes *filter: the command owns it, or it is freed when none is sent. */
static int
trace_send(struct vxg_daemon *d, uint32_t epoch, uint32_t budget, uint16_t port,
	struct vxg_bpf *filter, char *err, size_t errlen)
{
	struct vxg_msg msg = {.type = VXG_MSG_TRACE};
	struct trace_cmd *c;
	int ret;

	for (unsigned i = 0; i < d->n_workers; i++) {
		if (d->workers[i]->trace_buf == NULL ||
			rte_ring_free_count(d->workers[i]->ctl_ring) == 0) {
			snprintf(err, errlen, "worker %u takes no request now; try again", i);
			vxg_filter_free(filter);
			return -EBUSY;
		}
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		vxg_filter_free(filter);
		return -ENOMEM;
	}
	c->c.seq = ++st.seq;
	c->c.epoch = epoch;
	c->c.budget = budget;
	c->c.port = port;
	c->c.filter = *filter;
	c->next = sent;
	sent = c;
	msg.arg = &c->c;
	/* Control is the rings' only producer: the room checked above is still there. */
	for (unsigned i = 0; i < d->n_workers; i++)
		rte_ring_enqueue_elem(d->workers[i]->ctl_ring, &msg, sizeof(msg));
	st.epoch = epoch;
	ret = trace_wait(d, c->c.seq, err, errlen);
	trace_cmds_reap(d);
	return ret;
}

/* The DPDK port of interface `name`; -ENOENT with the reason in err. */
static int
trace_port_of(const struct vxg_daemon *d, const char *name, char *err, size_t errlen)
{
	size_t n = 0;

	for (unsigned i = 0; i < d->n_ifs; i++)
		if (strcmp(d->ifs[i].name, name) == 0)
			return d->ifs[i].port_id;
	n += (size_t)snprintf(err, errlen, "no interface %s (interfaces:", name);
	for (unsigned i = 0; i < d->n_ifs && n < errlen; i++)
		n += (size_t)snprintf(err + n, errlen - n, " %s", d->ifs[i].name);
	if (n < errlen)
		snprintf(err + n, errlen - n, ")");
	return -ENOENT;
}

int
vxg_trace_start(struct vxg_daemon *d, uint32_t count, const char *iface, const char *filter,
	char *err, size_t errlen)
{
	int port = VXG_TRACE_ANY_PORT;
	struct vxg_bpf f;
	int ret;

	if (count == 0 || count > VXG_TRACE_MAX) {
		snprintf(err, errlen, "count %u: give 1 to %u packets", count, VXG_TRACE_MAX);
		return -EINVAL;
	}
	if (iface != NULL && (port = trace_port_of(d, iface, err, errlen)) < 0)
		return port;
	if ((ret = vxg_filter_compile(filter, &f, err, errlen)) < 0)
		return ret;
	ret = trace_send(d, st.epoch, count, (uint16_t)port, &f, err, errlen);
	if (ret < 0 && ret != -ETIMEDOUT)
		return ret;
	st.on = true;
	st.count = count;
	st.port = (uint16_t)port;
	snprintf(st.iface, sizeof(st.iface), "%s", iface != NULL ? iface : "");
	snprintf(st.filter, sizeof(st.filter), "%s", f.bpf != NULL ? filter : "");
	return ret;
}

/* Trace no more; a new epoch (clear) also forgets the records. The filter goes too. */
static int
trace_off(struct vxg_daemon *d, uint32_t epoch, char *err, size_t errlen)
{
	struct vxg_bpf none = {NULL, NULL};
	int ret = trace_send(d, epoch, 0, st.port, &none, err, errlen);

	if (ret == 0 || ret == -ETIMEDOUT) {
		st.on = false;
		st.filter[0] = '\0';
	}
	return ret;
}

int
vxg_trace_stop(struct vxg_daemon *d, char *err, size_t errlen)
{
	return trace_off(d, st.epoch, err, errlen);
}

int
vxg_trace_clear(struct vxg_daemon *d, char *err, size_t errlen)
{
	return trace_off(d, st.epoch + 1, err, errlen);
}

const struct vxg_trace_buf *
vxg_trace_records(const struct vxg_daemon *d, unsigned i, uint32_t *n)
{
	const struct vxg_trace_buf *b = i < d->n_workers ? d->workers[i]->trace_buf : NULL;

	*n = 0;
	if (b == NULL || __atomic_load_n(&b->epoch, __ATOMIC_ACQUIRE) != st.epoch)
		return NULL;
	*n = RTE_MIN(__atomic_load_n(&b->n_done, __ATOMIC_ACQUIRE), (uint32_t)VXG_TRACE_MAX);
	return b;
}

/* ---- The feature: buffers made before the workers start ------------------------------ */

static int
trace_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	for (unsigned i = 0; i < d->n_workers; i++) {
		struct vxg_worker *w = d->workers[i];

		w->trace_buf = rte_zmalloc_socket("vxg_trace", sizeof(*w->trace_buf),
			RTE_CACHE_LINE_SIZE, (int)rte_lcore_to_socket_id(w->lcore));
		if (w->trace_buf == NULL) {
			snprintf(err, errlen,
				"cannot allocate worker %u's trace buffer (%zu bytes): give EAL "
				"more memory",
				i, sizeof(*w->trace_buf));
			return -ENOMEM;
		}
	}
	return 0;
}

static void
trace_fini(struct vxg_daemon *d)
{
	for (unsigned i = 0; i < d->n_workers; i++) {
		if (d->workers[i] == NULL)
			continue;
		rte_free(d->workers[i]->trace_buf);
		d->workers[i]->trace_buf = NULL;
	}
	while (sent != NULL) {
		struct trace_cmd *c = sent;

		sent = c->next;
		trace_cmd_free(c);
	}
}

/* A generation of another config makes older records' names unknown to the shell. */
static void
trace_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	if (cfg != ocfg)
		st.names_from = g->id;
}

static unsigned
trace_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	int64_t held = 0;
	uint32_t n;

	for (unsigned i = 0; i < d->n_workers; i++)
		if (vxg_trace_records(d, i, &n) != NULL)
			held += n;
	rows[0] = (struct vxg_mem_row){
		"trace records", (uint64_t)d->n_workers * sizeof(struct vxg_trace_buf), held};
	return 1;
}

static struct vxg_feature trace_feature = {
	.name = "trace",
	.order = 800,
	.init = trace_init,
	.fini = trace_fini,
	.published = trace_published,
	.memory = trace_memory,
};
VXG_FEATURE_REGISTER(trace_feature)
