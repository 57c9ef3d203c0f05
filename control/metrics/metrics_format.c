/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus text exposition format (metrics_format.h). Family names follow the
 * conventions: a vxgate_ prefix, _total on counters, the unit in the name. Counters of
 * the workers are since start: `clear stats` resets what the shell shows, never what
 * Prometheus sees, for a counter must not go backwards.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics_format.h"

static void
buf_printf(struct vxg_metrics_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 16384;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

static void
family(struct vxg_metrics_buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with \, " and newlines escaped, as the format wants. */
static void
label_value(struct vxg_metrics_buf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			buf_printf(b, "\\n");
		else
			buf_printf(b, "%c", *v);
	}
}

/* A sample of worker w: name{worker="w",key="val"} v. */
static void
worker_sample(struct vxg_metrics_buf *b, const char *name, unsigned w, const char *key,
	const char *val, uint64_t v)
{
	buf_printf(b, "%s{worker=\"%u\",%s=\"%s\"} %" PRIu64 "\n", name, w, key, val, v);
}

static void
workers_traffic(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s)
{
	family(b, "vxgate_worker_packets_total", "counter",
		"Packets a worker received (rx), sent to a NIC that took them (tx) or punted "
		"to the control thread (punt)");
	for (unsigned i = 0; i < s->n_workers; i++) {
		worker_sample(
			b, "vxgate_worker_packets_total", i, "direction", "rx", s->workers[i].rx);
		worker_sample(
			b, "vxgate_worker_packets_total", i, "direction", "tx", s->workers[i].tx);
		worker_sample(b, "vxgate_worker_packets_total", i, "direction", "punt",
			s->workers[i].punted);
	}
	family(b, "vxgate_worker_cycles_total", "counter",
		"TSC cycles of a worker's passes that received packets (busy) or nothing (idle)");
	for (unsigned i = 0; i < s->n_workers; i++) {
		worker_sample(b, "vxgate_worker_cycles_total", i, "state", "busy",
			s->workers[i].busy_cycles);
		worker_sample(b, "vxgate_worker_cycles_total", i, "state", "idle",
			s->workers[i].idle_cycles);
	}
	family(b, "vxgate_tsc_frequency_hertz", "gauge",
		"TSC cycles a second, to turn cycle counters into seconds");
	buf_printf(b, "vxgate_tsc_frequency_hertz %" PRIu64 "\n", s->tsc_hz);
}

static void
workers_reasons(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s)
{
	family(b, "vxgate_worker_drops_total", "counter",
		"Packets a worker dropped, by reason (vxgate-ctl show stats explains each)");
	for (unsigned i = 0; i < s->n_workers; i++)
		for (unsigned r = 0; r < VXG_DROP_MAX; r++)
			worker_sample(b, "vxgate_worker_drops_total", i, "reason",
				vxg_drop_names[r], s->workers[i].drops[r]);
	family(b, "vxgate_worker_events_total", "counter",
		"Events of a worker that are not drops, by kind");
	for (unsigned i = 0; i < s->n_workers; i++)
		for (unsigned e = 0; e < VXG_EV_MAX; e++)
			worker_sample(b, "vxgate_worker_events_total", i, "event",
				vxg_event_names[e], s->workers[i].events[e]);
}

/* One family of per-interface counters with a direction label; rx_only: no tx sample. */
static void
iface_family(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s, const char *name,
	const char *help, size_t rx_off, size_t tx_off, bool rx_only)
{
	family(b, name, "counter", help);
	for (unsigned i = 0; i < s->n_ifs; i++) {
		const char *p = (const char *)&s->ifs[i];

		buf_printf(b, "%s{interface=\"", name);
		label_value(b, s->ifs[i].name);
		buf_printf(
			b, "\",direction=\"rx\"} %" PRIu64 "\n", *(const uint64_t *)(p + rx_off));
		if (rx_only)
			continue;
		buf_printf(b, "%s{interface=\"", name);
		label_value(b, s->ifs[i].name);
		buf_printf(
			b, "\",direction=\"tx\"} %" PRIu64 "\n", *(const uint64_t *)(p + tx_off));
	}
}

#define IF_OFF(m) offsetof(struct vxg_metrics_iface, m)

static void
interfaces(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s)
{
	iface_family(b, s, "vxgate_interface_packets_total",
		"Packets an interface received or sent", IF_OFF(rx_packets), IF_OFF(tx_packets),
		false);
	iface_family(b, s, "vxgate_interface_bytes_total", "Bytes an interface received or sent",
		IF_OFF(rx_bytes), IF_OFF(tx_bytes), false);
	iface_family(b, s, "vxgate_interface_errors_total",
		"Erroneous packets an interface received, or failed to send", IF_OFF(rx_errors),
		IF_OFF(tx_errors), false);
	iface_family(b, s, "vxgate_interface_drops_total",
		"Packets an interface dropped on receive: missed by the NIC or no mbuf (on "
		"transmit a full queue is the workers' tx_full drop)",
		IF_OFF(rx_drops), 0, true);
	family(b, "vxgate_interface_up", "gauge", "1 when the interface's link is up");
	for (unsigned i = 0; i < s->n_ifs; i++) {
		buf_printf(b, "vxgate_interface_up{interface=\"");
		label_value(b, s->ifs[i].name);
		buf_printf(b, "\"} %d\n", s->ifs[i].up ? 1 : 0);
	}
}

static void
config(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s)
{
	family(b, "vxgate_config_generation", "gauge",
		"Generation of the tables the workers use; each reload or rebuild adds one");
	buf_printf(b, "vxgate_config_generation %" PRIu64 "\n", s->generation);
	family(b, "vxgate_config_reloads_total", "counter",
		"Config reloads applied (ok) or refused, nothing changed (failed)");
	buf_printf(b, "vxgate_config_reloads_total{result=\"ok\"} %" PRIu64 "\n", s->reloads_ok);
	buf_printf(b, "vxgate_config_reloads_total{result=\"failed\"} %" PRIu64 "\n",
		s->reloads_failed);
	family(b, "vxgate_config_load_timestamp_seconds", "gauge",
		"Unix time the running config was loaded");
	buf_printf(b, "vxgate_config_load_timestamp_seconds %" PRId64 "\n", s->loaded_at);
}

static void
row(struct vxg_metrics_buf *b, const struct vxg_metric *m)
{
	unsigned k = 0;

	buf_printf(b, "%s", m->name);
	for (unsigned l = 0; l < VXG_METRIC_LABELS && m->label[l] != NULL; l++) {
		buf_printf(b, "%s%s=\"", k++ ? "," : "{", m->label[l]);
		label_value(b, m->value_of[l]);
		buf_printf(b, "\"");
	}
	buf_printf(b, "%s %.17g\n", k ? "}" : "", m->value);
}

/* Prometheus' convention both ways: a counter's name ends in _total, no other's does. */
static bool
is_counter(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && strcmp(name + n - 6, "_total") == 0;
}

/* The features' gauges and counters: a family starts where the name changes. */
static void
rows(struct vxg_metrics_buf *b, const struct vxg_metrics_snap *s)
{
	for (unsigned i = 0; i < s->n_rows; i++) {
		const struct vxg_metric *m = &s->rows[i];

		if (i == 0 || strcmp(m->name, s->rows[i - 1].name) != 0)
			family(b, m->name, is_counter(m->name) ? "counter" : "gauge", m->help);
		row(b, m);
	}
}

int
vxg_metrics_format(const struct vxg_metrics_snap *s, struct vxg_metrics_buf *b)
{
	workers_traffic(b, s);
	workers_reasons(b, s);
	interfaces(b, s);
	config(b, s);
	rows(b, s);
	return b->oom ? -ENOMEM : 0;
}
