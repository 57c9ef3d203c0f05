/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the packet trace: `trace start [COUNT] [on INTERFACE]`, `trace stop`,
 * `trace clear` and `show trace`, in text or JSON.
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

/* The words after `trace start`: [COUNT] [on INTERFACE]. 0, or -EINVAL after saying why. */
static int
trace_parse(char *rest, uint32_t *count, const char **iface)
{
	char *save = NULL, *tok = strtok_r(rest, " \t\r\n", &save), *end;

	*count = VXG_TRACE_DEFAULT;
	*iface = NULL;
	if (tok != NULL && tok[0] >= '0' && tok[0] <= '9') {
		unsigned long n = strtoul(tok, &end, 10);

		if (*end != '\0' || n == 0 || n > VXG_TRACE_MAX) {
			cli_error("count %s: give 1 to %u packets", tok, VXG_TRACE_MAX);
			return -EINVAL;
		}
		*count = (uint32_t)n;
		tok = strtok_r(NULL, " \t\r\n", &save);
	}
	if (tok != NULL && strcmp(tok, "on") == 0) {
		if ((*iface = strtok_r(NULL, " \t\r\n", &save)) == NULL) {
			cli_error("trace start ... on INTERFACE: which interface?");
			return -EINVAL;
		}
		tok = strtok_r(NULL, " \t\r\n", &save);
	}
	if (tok != NULL) {
		cli_error("unexpected \"%s\": trace start [COUNT] [on INTERFACE] (packet filters "
			  "are not available yet)",
			tok);
		return -EINVAL;
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
		if (ret < 0)
			jw_str(&j, "warning", err);
		jw_obj_close(&j);
		return;
	}
	if (st->on && st->iface[0] != '\0')
		fprintf(out, "tracing the next %u packets of each worker on %s\n", st->count,
			st->iface);
	else if (st->on)
		fprintf(out, "tracing the next %u packets of each worker\n", st->count);
	else
		fprintf(out, "%s\n", what);
	if (ret < 0)
		fprintf(out, "warning: %s\n", err);
}

static void
cmd_trace_start_do(char *rest)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	const char *iface;
	uint32_t count;
	char err[512];
	int ret;

	if (trace_parse(rest, &count, &iface) < 0)
		return;
	ret = vxg_trace_start(d, count, iface, err, sizeof(err));
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
	char none[1] = "";

	cmd_trace_start_do(none);
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
	uint64_t traced, full, records, left;
};

static struct trace_sums
trace_sum(const struct vxg_daemon *d)
{
	struct trace_sums s = {0, 0, 0, 0};
	uint32_t n;

	for (unsigned i = 0; i < d->n_workers; i++) {
		const struct vxg_trace_buf *b = vxg_trace_records(d, i, &n);

		if (b == NULL)
			continue;
		s.traced += b->traced;
		s.full += b->full;
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
	jw_u64(&j, "left", st->on ? s.left : 0);
	jw_u64(&j, "traced", s.traced);
	jw_u64(&j, "buffer_full", s.full);
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
		fprintf(out, "trace: on, %u packets per worker%s%s, %lu still to trace\n",
			st->count, st->iface[0] != '\0' ? " on " : "", st->iface,
			(unsigned long)s.left);
	else
		fprintf(out, "trace: off\n");
	fprintf(out,
		"packets traced: %lu, not traced (buffer full): %lu; records held: %lu of %lu\n",
		(unsigned long)s.traced, (unsigned long)s.full, (unsigned long)s.records,
		(unsigned long)VXG_TRACE_MAX * d->n_workers);
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
	"trace start [COUNT] [on INTERFACE]: follow the next COUNT (50) packets of each worker",
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
