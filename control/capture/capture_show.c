/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show capture` (capture_show.h). Counters are read racily while workers and the writer
 * write them: a row may be a burst behind.
 */
#include <inttypes.h>
#include <string.h>

#include "capture/capture_feature.h"
#include "capture/capture_show.h"
#include "core/cli.h"
#include "core/json.h"

static const char *const dir_names[] = {"", "rx", "tx", "both"};
static const char *const cap_dirs[VXG_CAP_DIRS] = {"rx", "tx"};

static struct vxg_capture_ctr
ctr_sum(const struct vxg_capture *c, unsigned dir)
{
	struct vxg_capture_ctr t = {0};

	for (unsigned k = 0; k < vxg_capture_slots(c); k++) {
		t.captured += c->wk[k].ctr[dir].captured;
		t.filtered += c->wk[k].ctr[dir].filtered;
		t.ring_full += c->wk[k].ctr[dir].ring_full;
		t.pool_empty += c->wk[k].ctr[dir].pool_empty;
	}
	return t;
}

static void
ctr_json(struct jw *j, const char *key, const struct vxg_capture_ctr *c)
{
	jw_obj_open(j, key);
	jw_u64(j, "captured", c->captured);
	jw_u64(j, "filtered", c->filtered);
	jw_u64(j, "ring_full", c->ring_full);
	jw_u64(j, "pool_empty", c->pool_empty);
	jw_obj_close(j);
}

static void
ctr_text(FILE *out, const char *who, const char *dir, const struct vxg_capture_ctr *c)
{
	fprintf(out,
		"  %s %s: captured %" PRIu64 ", filtered out %" PRIu64 ", lost: ring full %" PRIu64
		", pool empty %" PRIu64 "\n",
		who, dir, c->captured, c->filtered, c->ring_full, c->pool_empty);
}

static void
show_json_what(struct jw *j, const struct vxg_daemon *d, const struct vxg_capture_status *s)
{
	const struct vxg_capture_req *r = s->req;

	jw_str(j, "file", r->file);
	jw_arr_open(j, "interfaces");
	for (unsigned i = 0; i < d->n_ifs; i++) {
		if (r->dir[i] == 0)
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "name", d->cfg->interfaces[i].name);
		jw_str(j, "direction", dir_names[r->dir[i] & 3]);
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_str(j, "filter", r->filter);
	jw_u64(j, "snaplen", r->snaplen);
	jw_u64(j, "max_packets", r->max_packets);
	jw_u64(j, "max_bytes", r->max_bytes);
	jw_u64(j, "started", (uint64_t)s->started);
	jw_u64(j, "stopped", s->state == VXG_CAPTURE_STOPPED ? (uint64_t)s->stopped : 0);
	jw_str(j, "stop_reason", s->why);
}

static void
show_json(const struct vxg_daemon *d, FILE *out, const struct vxg_capture_status *s)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_str(&j, "state", vxg_capture_state_name(s->state));
	if (s->req != NULL) {
		show_json_what(&j, d, s);
		jw_u64(&j, "written", s->written);
		jw_u64(&j, "bytes", s->bytes);
		jw_u64(&j, "discarded", s->discarded);
		for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
			struct vxg_capture_ctr t = ctr_sum(s->cap, dir);

			ctr_json(&j, cap_dirs[dir], &t);
		}
		jw_arr_open(&j, "workers");
		for (unsigned k = 0; k < s->cap->n_workers; k++) {
			jw_obj_open(&j, NULL);
			jw_u64(&j, "worker", k);
			for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++)
				ctr_json(&j, cap_dirs[dir], &s->cap->wk[k].ctr[dir]);
			jw_obj_close(&j);
		}
		jw_arr_close(&j);
		jw_obj_open(&j, "control");
		ctr_json(&j, "tx", &s->cap->wk[s->cap->n_workers].ctr[VXG_CAP_DIR_TX]);
		jw_obj_close(&j);
	}
	jw_obj_close(&j);
}

static void
show_text_state(FILE *out, const struct vxg_capture_status *s)
{
	char when[32];
	time_t t = s->state == VXG_CAPTURE_STOPPED ? s->stopped : s->started;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
	switch (s->state) {
	case VXG_CAPTURE_RUNNING:
		fprintf(out, "capture: running since %s\n", when);
		break;
	case VXG_CAPTURE_STOPPING:
		fprintf(out, "capture: stopping (%s), finishing the file\n", s->why);
		break;
	default:
		fprintf(out, "capture: stopped at %s (%s)\n", when, s->why);
	}
}

static void
show_text(const struct vxg_daemon *d, FILE *out, const struct vxg_capture_status *s)
{
	const struct vxg_capture_req *r = s->req;
	char who[24];

	if (r == NULL) {
		fprintf(out, "capture: none since start\n");
		return;
	}
	show_text_state(out, s);
	fprintf(out, "  file: %s\n  interfaces:", r->file);
	for (unsigned i = 0; i < d->n_ifs; i++)
		if (r->dir[i] != 0)
			fprintf(out, " %s %s", d->cfg->interfaces[i].name,
				dir_names[r->dir[i] & 3]);
	fprintf(out, "\n  filter: %s\n", r->filter[0] ? r->filter : "none (every frame)");
	fprintf(out, "  snaplen %u, max-bytes %" PRIu64 ", max-packets ", r->snaplen, r->max_bytes);
	if (r->max_packets != 0)
		fprintf(out, "%" PRIu64 "\n", r->max_packets);
	else
		fprintf(out, "none\n");
	fprintf(out, "  written: %" PRIu64 " packets, %" PRIu64 " bytes; discarded %" PRIu64 "\n",
		s->written, s->bytes, s->discarded);
	for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
		struct vxg_capture_ctr t = ctr_sum(s->cap, dir);

		ctr_text(out, "all workers", cap_dirs[dir], &t);
	}
	for (unsigned k = 0; k < s->cap->n_workers; k++)
		for (unsigned dir = 0; dir < VXG_CAP_DIRS; dir++) {
			snprintf(who, sizeof(who), "worker %u", k);
			ctr_text(out, who, cap_dirs[dir], &s->cap->wk[k].ctr[dir]);
		}
	/* What the control thread sends on a port's own queue (ARP, ICMP and DHCP replies). */
	ctr_text(out, "control", "tx", &s->cap->wk[s->cap->n_workers].ctr[VXG_CAP_DIR_TX]);
}

void
vxg_capture_show(const struct vxg_daemon *d, FILE *out, bool json)
{
	struct vxg_capture_status s;

	vxg_capture_status(&s);
	if (json)
		show_json(d, out, &s);
	else
		show_text(d, out, &s);
}

static void
cmd_show_capture(void *parsed, struct cmdline *cl, void *data)
{
	vxg_capture_show(vxg_cli_daemon(), vxg_cli_out(), vxg_cli_json());
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_capture, w1, "capture");
VXG_CLI_CMD(i_show_capture, cmd_show_capture,
	"show capture: the packet capture's state, file, filter, packets written and, per "
	"worker and direction, frames captured, filtered out and lost",
	(void *)&t_show, (void *)&t_capture);
