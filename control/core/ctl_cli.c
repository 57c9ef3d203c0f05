/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show control: who may use the control socket, what became of its clients (served,
 * denied, cut over the cap, timed out, malformed) and the longest the socket kept the
 * control thread in one turn.
 *
 * Thread-safety: control thread only.
 */
#include <inttypes.h>

#include "core/cli.h"
#include "core/ctl_access.h"
#include "core/ctl_server.h"
#include "core/json.h"

static void
control_json(FILE *out, const struct vxg_ctl_stats *s)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_str(&j, "socket", vxg_ctl_server_path());
	jw_str(&j, "group", vxg_ctl_access_group());
	jw_str(&j, "admin_group", vxg_ctl_access_admin_group());
	jw_u64(&j, "clients", s->clients);
	jw_u64(&j, "clients_max", VXG_CTL_CLIENTS_MAX);
	jw_u64(&j, "request_timeout_ms", VXG_CTL_REQ_TIMEOUT_MS);
	jw_u64(&j, "reply_timeout_ms", VXG_CTL_REPLY_TIMEOUT_MS);
	jw_u64(&j, "accepted", s->accepted);
	jw_u64(&j, "served", s->served);
	jw_u64(&j, "denied", s->denied);
	jw_u64(&j, "evicted", s->evicted);
	jw_u64(&j, "refused", s->refused);
	jw_u64(&j, "timed_out", s->timed_out);
	jw_u64(&j, "too_long", s->too_long);
	jw_u64(&j, "malformed", s->malformed);
	jw_u64(&j, "hung_up", s->hung_up);
	jw_u64(&j, "reply_timed_out", s->reply_timed_out);
	jw_u64(&j, "write_errors", s->write_errors);
	jw_u64(&j, "longest_turn_us", s->longest_turn_us);
	jw_obj_close(&j);
}

static void
control_text(FILE *out, const struct vxg_ctl_stats *s)
{
	const char *g = vxg_ctl_access_group(), *a = vxg_ctl_access_admin_group();

	fprintf(out, "control socket %s:\n", vxg_ctl_server_path());
	fprintf(out, "  mode 0660, group %s; every command for root, the daemon's user%s%s\n",
		*g ? g : "(the daemon's)", *a ? " and group " : "", a);
	fprintf(out, "  clients now: %u (at most %u at once)\n", s->clients, VXG_CTL_CLIENTS_MAX);
	fprintf(out, "  accepted: %" PRIu64 "\n", s->accepted);
	fprintf(out, "  served: %" PRIu64 "\n", s->served);
	fprintf(out, "  denied (only show and help are open to all): %" PRIu64 "\n", s->denied);
	fprintf(out, "  over the cap, oldest waiting client cut: %" PRIu64 "\n", s->evicted);
	fprintf(out, "  over the cap, refused: %" PRIu64 "\n", s->refused);
	fprintf(out, "  no request within %d ms: %" PRIu64 "\n", VXG_CTL_REQ_TIMEOUT_MS,
		s->timed_out);
	fprintf(out, "  request too long: %" PRIu64 "\n", s->too_long);
	fprintf(out, "  malformed request: %" PRIu64 "\n", s->malformed);
	fprintf(out, "  closed before a request: %" PRIu64 "\n", s->hung_up);
	fprintf(out, "  reply not taken within %d ms: %" PRIu64 "\n", VXG_CTL_REPLY_TIMEOUT_MS,
		s->reply_timed_out);
	fprintf(out, "  write errors: %" PRIu64 "\n", s->write_errors);
	fprintf(out, "  longest turn on the control thread: %" PRIu64 " us\n", s->longest_turn_us);
}

static void
cmd_show_control(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_ctl_stats s;

	vxg_ctl_server_stats(&s);
	if (vxg_cli_json())
		control_json(vxg_cli_out(), &s);
	else
		control_text(vxg_cli_out(), &s);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_control, w1, "control");
VXG_CLI_CMD(i_show_control, cmd_show_control,
	"show control: control socket access and clients served, denied, cut, timed out",
	(void *)&t_show, (void *)&t_control);
