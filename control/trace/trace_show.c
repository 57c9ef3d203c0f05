/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the packet trace: `trace start [COUNT] [on INTERFACE] [FILTER]`,
 * `trace stop`, `trace clear` and `show trace`, in text or JSON.
 *
 * Thread-safety: control thread only. Records are read once published (vxg_trace.h);
 * the counters racily.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/json.h"
#include "trace/trace_feature.h"
#include "trace/trace_format.h"

/* What `trace start` asks for. */
struct trace_req {
	uint32_t count;
	char iface[VXG_NAME_MAX]; /* "": any */
	char filter[VXG_FILTER_MAX]; /* tcpdump's syntax; "": every packet */
};

/* The next word of *p (blanks skipped), its length in *n (0: the end); *p moves past it. */
static const char *
trace_word(const char **p, size_t *n)
{
	const char *s = *p + strspn(*p, " \t\r\n");

	*n = strcspn(s, " \t\r\n");
	*p = s + *n;
	return s;
}

static int
trace_parse_count(const char *w, size_t n, uint32_t *count)
{
	char *end;
	unsigned long v = strtoul(w, &end, 10);

	if (end != w + n || v == 0 || v > VXG_TRACE_MAX) {
		cli_error("count %.*s: give 1 to %u packets", (int)n, w, VXG_TRACE_MAX);
		return -EINVAL;
	}
	*count = (uint32_t)v;
	return 0;
}

/* The words after `trace start`: [COUNT] [on INTERFACE] [FILTER], the filter the rest of
 * the line (a word that is not a number, nor `on`, starts it). 0, or -errno after saying
 * why. */
static int
trace_parse(const char *rest, struct trace_req *req)
{
	const char *p = rest, *w;
	size_t n;

	req->count = VXG_TRACE_DEFAULT;
	req->iface[0] = '\0';
	w = trace_word(&p, &n);
	if (n > 0 && w[0] >= '0' && w[0] <= '9') {
		if (trace_parse_count(w, n, &req->count) < 0)
			return -EINVAL;
		rest = p;
		w = trace_word(&p, &n);
	}
	if (n == 2 && strncmp(w, "on", 2) == 0) {
		w = trace_word(&p, &n);
		if (n == 0) {
			cli_error("trace start ... on INTERFACE: which interface?");
			return -EINVAL;
		}
		if (n >= sizeof(req->iface)) {
			cli_error("trace start ... on %.*s: no such interface", (int)n, w);
			return -ENOENT;
		}
		snprintf(req->iface, sizeof(req->iface), "%.*s", (int)n, w);
		rest = p;
	}
	if (vxg_filter_text(rest, strlen(rest), req->filter, sizeof(req->filter)) < 0) {
		cli_error("trace start: FILTER longer than %d bytes", VXG_FILTER_MAX - 1);
		return -E2BIG;
	}
	return 0;
}

/* The reply of a trace command that went through (ret 0, or -ETIMEDOUT: said in err). */
static void
trace_reply(int ret, const char *err, const char *what)
{
	const struct vxg_trace_state *st = vxg_trace_state();
	FILE *out = vxg_cli_out();

	if (vxg_cli_json()) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_bool(&j, "tracing", st->on);
		jw_u64(&j, "count", st->on ? st->count : 0);
		jw_str(&j, "interface", st->on ? st->iface : "");
		jw_str(&j, "filter", st->on ? st->filter : "");
		if (ret < 0)
			jw_str(&j, "warning", err);
		jw_obj_close(&j);
		return;
	}
	if (st->on)
		fprintf(out, "tracing the next %u packets of each worker%s%s%s%s%s\n", st->count,
			st->iface[0] != '\0' ? " on " : "", st->iface,
			st->filter[0] != '\0' ? " that match \"" : "", st->filter,
			st->filter[0] != '\0' ? "\"" : "");
	else
		fprintf(out, "%s\n", what);
	if (ret < 0)
		fprintf(out, "warning: %s\n", err);
}

static void
cmd_trace_start_do(const char *rest)
{
	static struct trace_req req; /* 1 KB of filter: not on the stack */
	char err[VXG_FILTER_MAX + 256];
	int ret;

	if (trace_parse(rest, &req) < 0)
		return;
	ret = vxg_trace_start(vxg_cli_daemon(), req.count, req.iface[0] != '\0' ? req.iface : NULL,
		req.filter, err, sizeof(err));
	if (ret < 0 && ret != -ETIMEDOUT)
		cli_error("%s", err);
	else
		trace_reply(ret, err, "");
}

/* `trace start REST`: its own layout, for the rest of the line in one token. */
struct trace_args {
	cmdline_fixed_string_t w0, w1;
	cmdline_multi_string_t rest;
};

static void
cmd_trace_start(void *parsed, struct cmdline *cl, void *data)
{
	cmd_trace_start_do(((struct trace_args *)parsed)->rest);
}

static void
cmd_trace_start_default(void *parsed, struct cmdline *cl, void *data)
{
	cmd_trace_start_do("");
}

static void
cmd_trace_stop(void *parsed, struct cmdline *cl, void *data)
{
	char err[512];
	int ret = vxg_trace_stop(vxg_cli_daemon(), err, sizeof(err));

	if (ret < 0 && ret != -ETIMEDOUT)
		cli_error("%s", err);
	else
		trace_reply(ret, err, "tracing stopped; `show trace` shows what was traced");
}

static void
cmd_trace_clear(void *parsed, struct cmdline *cl, void *data)
{
	char err[512];
	int ret = vxg_trace_clear(vxg_cli_daemon(), err, sizeof(err));

	if (ret < 0 && ret != -ETIMEDOUT)
		cli_error("%s", err);
	else
		trace_reply(ret, err, "tracing stopped, records and counters cleared");
}

/* ---- show trace ---------------------------------------------------------------------- */

struct trace_sums {
	uint64_t traced, full, filtered, records, left;
};

static struct trace_sums
trace_sum(const struct vxg_daemon *d)
{
	struct trace_sums s = {0, 0, 0, 0, 0};
	uint32_t n;

	for (unsigned i = 0; i < d->n_workers; i++) {
		const struct vxg_trace_buf *b = vxg_trace_records(d, i, &n);

		if (b == NULL)
			continue;
		s.traced += b->traced;
		s.full += b->full;
		s.filtered += b->filtered;
		s.records += n;
		s.left += b->left;
	}
	return s;
}

static void
show_trace_json(const struct vxg_daemon *d, FILE *out)
{
	const struct vxg_trace_state *st = vxg_trace_state();
	struct trace_sums s = trace_sum(d);
	struct jw j;
	uint32_t n;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_bool(&j, "tracing", st->on);
	jw_u64(&j, "count", st->on ? st->count : 0);
	jw_str(&j, "interface", st->iface);
	jw_str(&j, "filter", st->filter);
	jw_u64(&j, "left", st->on ? s.left : 0);
	jw_u64(&j, "traced", s.traced);
	jw_u64(&j, "buffer_full", s.full);
	jw_u64(&j, "filtered", s.filtered);
	jw_u64(&j, "records", s.records);
	jw_u64(&j, "capacity", (uint64_t)VXG_TRACE_MAX * d->n_workers);
	jw_arr_open(&j, "packets");
	for (unsigned i = 0; i < d->n_workers; i++) {
		const struct vxg_trace_buf *b = vxg_trace_records(d, i, &n);

		for (uint32_t k = 0; b != NULL && k < n; k++)
			vxg_trace_rec_json(d, st->names_from, i, &b->rec[k], &j);
	}
	jw_arr_close(&j);
	jw_obj_close(&j);
}

static void
show_trace_text(const struct vxg_daemon *d, FILE *out)
{
	const struct vxg_trace_state *st = vxg_trace_state();
	struct trace_sums s = trace_sum(d);
	uint32_t n;

	if (st->on)
		fprintf(out, "trace: on, %u packets per worker%s%s%s%s%s, %lu still to trace\n",
			st->count, st->iface[0] != '\0' ? " on " : "", st->iface,
			st->filter[0] != '\0' ? " that match \"" : "", st->filter,
			st->filter[0] != '\0' ? "\"" : "", (unsigned long)s.left);
	else
		fprintf(out, "trace: off\n");
	fprintf(out,
		"packets traced: %lu, not traced (buffer full): %lu, not traced (filter): %lu; "
		"records held: %lu of %lu\n",
		(unsigned long)s.traced, (unsigned long)s.full, (unsigned long)s.filtered,
		(unsigned long)s.records, (unsigned long)VXG_TRACE_MAX * d->n_workers);
	for (unsigned i = 0; i < d->n_workers; i++) {
		const struct vxg_trace_buf *b = vxg_trace_records(d, i, &n);

		for (uint32_t k = 0; b != NULL && k < n; k++) {
			fputc('\n', out);
			vxg_trace_rec_text(d, st->names_from, i, &b->rec[k], out);
		}
	}
}

static void
cmd_show_trace(void *parsed, struct cmdline *cl, void *data)
{
	if (vxg_cli_json())
		show_trace_json(vxg_cli_daemon(), vxg_cli_out());
	else
		show_trace_text(vxg_cli_daemon(), vxg_cli_out());
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_trace_w1, w1, "trace");
VXG_CLI_WORD(t_trace, w0, "trace");
VXG_CLI_WORD(t_start, w1, "start");
VXG_CLI_WORD(t_stop, w1, "stop");
VXG_CLI_WORD(t_clear, w1, "clear");
static cmdline_parse_token_string_t t_rest =
	TOKEN_STRING_INITIALIZER(struct trace_args, rest, TOKEN_STRING_MULTI);

VXG_CLI_CMD(i_trace_start, cmd_trace_start,
	"trace start [COUNT] [on INTERFACE] [FILTER]: follow the next COUNT (50) packets of each "
	"worker (those FILTER matches, in tcpdump's syntax)",
	(void *)&t_trace, (void *)&t_start, (void *)&t_rest);
VXG_CLI_CMD(i_trace_start_default, cmd_trace_start_default,
	"trace start: follow the next 50 packets each worker receives", (void *)&t_trace,
	(void *)&t_start);
VXG_CLI_CMD(i_trace_stop, cmd_trace_stop, "trace stop: follow no more packets (records stay)",
	(void *)&t_trace, (void *)&t_stop);
VXG_CLI_CMD(i_trace_clear, cmd_trace_clear,
	"trace clear: follow no more packets, forget the records and counters", (void *)&t_trace,
	(void *)&t_clear);
VXG_CLI_CMD(i_show_trace, cmd_show_trace,
	"show trace: each traced packet, every stage's decision in order, and its exits",
	(void *)&t_show, (void *)&t_trace_w1);
