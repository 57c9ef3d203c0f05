/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics endpoint's text (control/metrics/metrics_format.c), rendered from snapshots
 * built here: every family once with its HELP and TYPE, a sample per worker and reason,
 * per interface and direction, the features' gauges grouped by name, label values
 * escaped, and every sample line of the form NAME{LABELS} VALUE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/metrics_format.h"

static struct vxg_worker_stats workers[2];
static struct vxg_metrics_iface ifs[1] = {
	{.name = "wan",
		.up = true,
		.rx_packets = 7,
		.tx_packets = 5,
		.rx_bytes = 700,
		.tx_bytes = 500,
		.rx_drops = 2},
};
static struct vxg_metric rows[4];

static char *
render(void)
{
	struct vxg_metrics_snap s = {
		.tsc_hz = 1000,
		.workers = workers,
		.n_workers = 2,
		.ifs = ifs,
		.n_ifs = 1,
		.generation = 3,
		.reloads_ok = 2,
		.reloads_failed = 1,
		.loaded_at = 1700000000,
		.rows = rows,
		.n_rows = 4,
	};
	struct vxg_metrics_buf b = {0};

	workers[0].rx = 10;
	workers[1].tx = 9;
	workers[1].drops[VXG_DROP_no_route] = 4;
	workers[0].events[VXG_EV_routed] = 6;
	vxg_metric_add(rows, 4, 0, "vxgate_nat_sessions", "help a", 12, "vpc", "blue", NULL);
	vxg_metric_add(rows, 4, 1, "vxgate_nat_sessions", "help a", 0, "vpc", "a\"b\\c", NULL);
	vxg_metric_add(rows, 4, 2, "vxgate_fdb_entries", "help b", 5, NULL);
	vxg_metric_add(rows, 4, 3, "vxgate_capture_written_packets_total", "help c", 7, NULL);
	assert_int_equal(vxg_metrics_format(&s, &b), 0);
	assert_non_null(b.p);
	b.p[b.len] = '\0'; /* vsnprintf left room for it */
	return b.p;
}

static unsigned
count(const char *text, const char *what)
{
	unsigned n = 0;

	for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}

static void
test_samples(void **state)
{
	char *t = render();

	assert_non_null(
		strstr(t, "vxgate_worker_packets_total{worker=\"0\",direction=\"rx\"} 10\n"));
	assert_non_null(
		strstr(t, "vxgate_worker_packets_total{worker=\"1\",direction=\"tx\"} 9\n"));
	assert_non_null(
		strstr(t, "vxgate_worker_drops_total{worker=\"1\",reason=\"no_route\"} 4\n"));
	assert_non_null(strstr(t, "vxgate_worker_events_total{worker=\"0\",event=\"routed\"} 6\n"));
	assert_non_null(
		strstr(t, "vxgate_interface_bytes_total{interface=\"wan\",direction=\"tx\"} "
			  "500\n"));
	assert_non_null(
		strstr(t, "vxgate_interface_drops_total{interface=\"wan\",direction=\"rx\"} "
			  "2\n"));
	assert_null(strstr(t, "vxgate_interface_drops_total{interface=\"wan\",direction=\"tx\"}"));
	assert_non_null(strstr(t, "vxgate_interface_up{interface=\"wan\"} 1\n"));
	assert_non_null(strstr(t, "vxgate_config_reloads_total{result=\"failed\"} 1\n"));
	assert_non_null(strstr(t, "vxgate_config_load_timestamp_seconds 1700000000\n"));
	assert_non_null(strstr(t, "vxgate_nat_sessions{vpc=\"blue\"} 12\n"));
	assert_non_null(strstr(t, "vxgate_nat_sessions{vpc=\"a\\\"b\\\\c\"} 0\n"));
	assert_non_null(strstr(t, "vxgate_fdb_entries 5\n"));
	/* every reason of every worker, every event */
	assert_int_equal(count(t, "vxgate_worker_drops_total{"), 2 * VXG_DROP_MAX);
	assert_int_equal(count(t, "vxgate_worker_events_total{"), 2 * VXG_EV_MAX);
	free(t);
}

/* Each family's HELP and TYPE once, before its samples; a sample line has a name, maybe
 * labels, one space and a number. */
static void
test_shape(void **state)
{
	char *t = render(), *save = NULL;
	char last[128] = "";

	assert_int_equal(count(t, "# TYPE vxgate_nat_sessions gauge\n"), 1);
	assert_int_equal(count(t, "# HELP vxgate_nat_sessions "), 1);
	assert_int_equal(count(t, "# TYPE vxgate_worker_drops_total counter\n"), 1);
	assert_int_equal(count(t, "# TYPE vxgate_fdb_entries gauge\n"), 1);
	/* a feature's row is a counter when its name says so (_total) */
	assert_int_equal(count(t, "# TYPE vxgate_capture_written_packets_total counter\n"), 1);
	for (char *line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp;

		if (strncmp(line, "# TYPE ", 7) == 0) {
			snprintf(last, sizeof(last), "%.*s", (int)strcspn(line + 7, " "), line + 7);
			continue;
		}
		if (line[0] == '#')
			continue;
		assert_int_equal(strncmp(line, last, strlen(last)), 0);
		assert_true(line[strlen(last)] == '{' || line[strlen(last)] == ' ');
		sp = strrchr(line, ' ');
		assert_non_null(sp);
		assert_true(sp[1] >= '0' && sp[1] <= '9');
	}
	free(t);
}

/* A hook with no room is told how many rows it has. */
static void
test_add_counts(void **state)
{
	assert_int_equal(vxg_metric_add(NULL, 0, 4, "x", "y", 1, NULL), 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_add_counts),
	};

	return cmocka_run_group_tests_name("metrics_format", tests, NULL, NULL);
}
