/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics feature: the Prometheus endpoint of `metrics: {listen: A.B.C.D:PORT}`.
 *
 * A scrape runs on the HTTP server's thread (metrics_http.h) and gathers three kinds of
 * numbers, each the way its owner allows:
 *  - workers' counters, interfaces' counters and link, the config's generation and
 *    reloads: copied under vxg_daemon.lock, as the DPDK telemetry endpoints do, and
 *    formatted once the lock is released;
 *  - the features' gauges (table use, core/feature.h's metrics hooks): their tables are
 *    the control thread's alone, so the scrape asks and the control thread's tick fills
 *    a snapshot; if it does not within SNAP_WAIT_MS (a long reload), the scrape serves
 *    the snapshot before.
 *
 * Changing listen on reload restarts the listener: the new socket is opened while the
 * generation builds, so a reload whose address cannot be bound is refused with the
 * reason, and the old listener closes once the new generation is live.
 *
 * Thread-safety: the listeners and the hooks are the control thread's; mu guards want,
 * done, stopping and the snapshot rows, which the scrape thread reads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_ethdev.h>

#include "config/fields.h"
#include "core/daemon.h"
#include "core/feature.h"
#include "metrics/metrics_format.h"
#include "metrics/metrics_http.h"

#define SNAP_WAIT_MS 1000

static struct {
	struct vxg_metrics_http *http, *pending; /* pending: opened by build, not live yet */
	uint32_t addr, pending_addr;
	uint16_t port, pending_port;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t want; /* snapshots asked for by scrapes; read by the tick without mu */
	uint64_t done; /* the one the rows answer */
	bool stopping; /* a listener is closing: scrapes stop waiting */
	struct vxg_metric *rows;
	unsigned n_rows;
} mx = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* The features' rows as they are now; the scrape thread waits at most SNAP_WAIT_MS. */
static int
snap_rows(struct vxg_metric **rows, unsigned *n)
{
	struct timespec until;
	uint64_t ticket;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SNAP_WAIT_MS / 1000;
	pthread_mutex_lock(&mx.mu);
	ticket = __atomic_add_fetch(&mx.want, 1, __ATOMIC_RELAXED);
	while (mx.done < ticket && !mx.stopping)
		if (pthread_cond_timedwait(&mx.cv, &mx.mu, &until) == ETIMEDOUT)
			break;
	*n = mx.n_rows;
	*rows = malloc((mx.n_rows ? mx.n_rows : 1) * sizeof(**rows));
	if (*rows != NULL && mx.n_rows)
		memcpy(*rows, mx.rows, mx.n_rows * sizeof(**rows));
	pthread_mutex_unlock(&mx.mu);
	return *rows == NULL ? -ENOMEM : 0;
}

static void
snap_iface(const struct vxg_iface *p, struct vxg_metrics_iface *o)
{
	struct rte_eth_stats st = {0};
	struct rte_eth_link link = {0};

	rte_eth_stats_get(p->port_id, &st);
	rte_eth_link_get_nowait(p->port_id, &link);
	snprintf(o->name, sizeof(o->name), "%s", p->name);
	o->up = link.link_status == RTE_ETH_LINK_UP;
	o->rx_packets = st.ipackets;
	o->tx_packets = st.opackets;
	o->rx_bytes = st.ibytes;
	o->tx_bytes = st.obytes;
	o->rx_errors = st.ierrors;
	o->tx_errors = st.oerrors;
	o->rx_drops = st.imissed + st.rx_nombuf;
}

/* What the daemon shares under its lock: counters are copied, nothing is formatted. */
static int
snap_daemon(struct vxg_daemon *d, struct vxg_metrics_snap *s, struct vxg_worker_stats **w,
	struct vxg_metrics_iface *ifs)
{
	pthread_mutex_lock(&d->lock);
	*w = calloc(d->n_workers ? d->n_workers : 1, sizeof(**w));
	if (*w == NULL) {
		pthread_mutex_unlock(&d->lock);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < d->n_workers; i++)
		(*w)[i] = d->workers[i]->stats; /* since start: counters never go back */
	s->n_workers = d->n_workers;
	for (unsigned i = 0; i < d->n_ifs; i++)
		snap_iface(&d->ifs[i], &ifs[i]);
	s->n_ifs = d->n_ifs;
	s->generation = d->gen_id;
	s->reloads_ok = d->reloads_ok;
	s->reloads_failed = d->reloads_failed;
	s->loaded_at = d->loaded_at;
	pthread_mutex_unlock(&d->lock);
	s->workers = *w;
	s->ifs = ifs;
	s->tsc_hz = rte_get_tsc_hz();
	return 0;
}

/* The HTTP server's render callback, on its thread. */
static int
metrics_render(void *arg, char **body, size_t *len)
{
	struct vxg_metrics_iface ifs[VXG_IF_MAX];
	struct vxg_metrics_snap s = {0};
	struct vxg_metrics_buf b = {0};
	struct vxg_worker_stats *w = NULL;
	struct vxg_metric *rows = NULL;
	int ret;

	ret = snap_rows(&rows, &s.n_rows);
	if (ret == 0)
		ret = snap_daemon(arg, &s, &w, ifs);
	s.rows = rows;
	if (ret == 0)
		ret = vxg_metrics_format(&s, &b);
	free(rows);
	free(w);
	*body = b.p;
	*len = b.len;
	return ret;
}

/* On the control thread, when a scrape asked: the features' rows, swapped in under mu. */
static void
metrics_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	uint64_t want = __atomic_load_n(&mx.want, __ATOMIC_RELAXED);
	struct vxg_metric *rows, *old;
	unsigned n;

	if (want == mx.done || d->cfg == NULL)
		return;
	n = vxg_features_metrics(d, NULL, 0);
	rows = malloc((n ? n : 1) * sizeof(*rows));
	if (rows == NULL)
		return; /* the scrape serves the rows before */
	n = RTE_MIN(vxg_features_metrics(d, rows, n), n);
	pthread_mutex_lock(&mx.mu);
	old = mx.rows;
	mx.rows = rows;
	mx.n_rows = n;
	mx.done = want;
	pthread_cond_broadcast(&mx.cv);
	pthread_mutex_unlock(&mx.mu);
	free(old);
}

/* Close a listener: scrapes waiting for a snapshot stop waiting first, since the control
 * thread, which would fill it, is the one waiting here for them to end. */
static void
metrics_close(struct vxg_metrics_http *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&mx.mu);
	mx.stopping = true;
	pthread_cond_broadcast(&mx.cv);
	pthread_mutex_unlock(&mx.mu);
	vxg_metrics_http_stop(h);
	pthread_mutex_lock(&mx.mu);
	mx.stopping = false;
	pthread_mutex_unlock(&mx.mu);
}

/* A new or moved listen: open it now, so that a reload it cannot have is refused. */
static int
metrics_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	const struct vxg_metrics_cfg *m = &cfg->metrics;
	char why[256];

	if (!m->enabled || (mx.http != NULL && mx.addr == m->addr && mx.port == m->port))
		return 0;
	metrics_close(mx.pending);
	mx.pending = vxg_metrics_http_start(m->addr, m->port, metrics_render, d, why, sizeof(why));
	if (mx.pending == NULL) {
		snprintf(err, errlen, "%s:%u:%u: metrics: cannot listen on %s:%u: %s", cfg->path,
			m->pos.line, m->pos.col, config_ip_str(m->addr).s, m->port, why);
		return -EADDRNOTAVAIL;
	}
	mx.pending_addr = m->addr;
	mx.pending_port = m->port;
	return 0;
}

static void
metrics_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	metrics_close(mx.pending);
	mx.pending = NULL;
}

/* The new generation is live: its listener replaces the old one, or none is wanted. */
static void
metrics_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	if (mx.pending == NULL && cfg->metrics.enabled)
		return;
	metrics_close(mx.http);
	mx.http = mx.pending;
	mx.addr = mx.pending_addr;
	mx.port = mx.pending_port;
	mx.pending = NULL;
}

static void
metrics_fini(struct vxg_daemon *d)
{
	metrics_close(mx.pending);
	metrics_close(mx.http);
	mx.pending = mx.http = NULL;
	free(mx.rows);
	mx.rows = NULL;
	mx.n_rows = 0;
}

/* Last: it reads every other feature's tables, and closes first at exit. */
static struct vxg_feature metrics_feature = {
	.name = "metrics",
	.order = 900,
	.fini = metrics_fini,
	.build = metrics_build,
	.abort = metrics_abort,
	.published = metrics_published,
	.tick = metrics_tick,
};

VXG_FEATURE_REGISTER(metrics_feature)
