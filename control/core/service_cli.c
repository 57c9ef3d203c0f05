/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * show service: how vxgate runs as a service: what systemd has been told (readiness,
 * the watchdog's keep-alives, failures to send), where the log goes, from which level,
 * the messages logged by priority and those its rate limit held back.
 *
 * Thread-safety: control thread only.
 */
#include <inttypes.h>

#include "core/cli.h"
#include "core/json.h"
#include "core/log.h"
#include "core/notify.h"

static void
service_json(FILE *out, const struct vxg_notify_stats *n, const struct vxg_log_stats *l)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_obj_open(&j, "systemd");
	jw_bool(&j, "built_in", n->built_in);
	jw_bool(&j, "notify_socket", n->active);
	jw_u64(&j, "watchdog_ms", n->watchdog_ms);
	jw_u64(&j, "sent", n->sent);
	jw_u64(&j, "watchdog_sent", n->watchdog_sent);
	jw_u64(&j, "errors", n->errors);
	jw_obj_close(&j);
	jw_obj_open(&j, "log");
	jw_str(&j, "target", vxg_log_target_name(l->target));
	jw_str(&j, "level", vxg_log_level_name(l->level));
	jw_obj_open(&j, "logged");
	for (int p = LOG_ERR; p <= LOG_DEBUG; p++)
		jw_u64(&j, vxg_log_level_name(p), l->logged[p]);
	jw_obj_close(&j);
	jw_u64(&j, "suppressed", l->suppressed);
	jw_obj_close(&j);
	jw_obj_close(&j);
}

static void
service_text(FILE *out, const struct vxg_notify_stats *n, const struct vxg_log_stats *l)
{
	if (!n->built_in)
		fprintf(out, "systemd: notifications not built in (no libsystemd)\n");
	else if (!n->active)
		fprintf(out, "systemd: not started by systemd (no NOTIFY_SOCKET)\n");
	else
		fprintf(out, "systemd: %" PRIu64 " notifications sent, %" PRIu64 " failed\n",
			n->sent, n->errors);
	if (n->watchdog_ms)
		fprintf(out, "  watchdog: keep-alive every %" PRIu64 " ms, %" PRIu64 " sent\n",
			n->watchdog_ms, n->watchdog_sent);
	fprintf(out, "log: %s, level %s\n", vxg_log_target_name(l->target),
		vxg_log_level_name(l->level));
	fprintf(out, "  logged:");
	for (int p = LOG_ERR; p <= LOG_DEBUG; p++)
		fprintf(out, " %s %" PRIu64, vxg_log_level_name(p), l->logged[p]);
	fprintf(out, "\n  suppressed by the rate limit: %" PRIu64 "\n", l->suppressed);
}

static void
cmd_show_service(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_notify_stats n;
	struct vxg_log_stats l;

	vxg_notify_stats(&n);
	vxg_log_stats(&l);
	if (vxg_cli_json())
		service_json(vxg_cli_out(), &n, &l);
	else
		service_text(vxg_cli_out(), &n, &l);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_service, w1, "service");
VXG_CLI_CMD(i_show_service, cmd_show_service,
	"show service: systemd notifications and watchdog, log target and level, messages "
	"logged and suppressed",
	(void *)&t_show, (void *)&t_service);
