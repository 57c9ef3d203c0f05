/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxgate [EAL options] -- -c FILE [-i] [-s SOCKET] [-d DIR] [--check] [--replay]
 *        [--group G] [--admin-group G]
 *        [--log-target stderr|journal|syslog] [--log-level LEVEL]
 *
 * The main lcore is the control thread: it loads the config, sets up ports and workers,
 * then serves the shell, the control socket and signals until told to stop, telling
 * systemd where it is (core/notify.h) and logging as a service does (core/log.h).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "core/cli.h"
#include "core/ctl_access.h"
#include "core/ctl_server.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/notify.h"
#include "core/telemetry.h"

#define LOOP_POLL_MS 10

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [EAL options] -- -c FILE [-i] [-s SOCKET] [-d DIR] [--check] "
		"[--replay] [--group G] [--admin-group G]\n"
		"       [--log-target stderr|journal|syslog] [--log-level LEVEL]\n"
		"  -c, --config FILE   the VPC config (YAML, see config/README.md)\n"
		"  -i, --interactive   give the vxgate> shell on this terminal\n"
		"  -s, --socket PATH   control socket for vxgate-ctl (default %s)\n"
		"  -d, --state-dir DIR where DHCP leases are kept (default %s)\n"
		"      --group G       the control socket's group: its members may show (default\n"
		"                      vxgate, if the system has it)\n"
		"      --admin-group G members may also reload, clear and shut down (as root)\n"
		"      --check         validate FILE, print the result, exit 0 or 1 (no EAL)\n"
		"      --replay        exit once the input ports have been drained (pcap replay)\n"
		"      --log-target T  stderr, journal (stderr with a <N> priority on each line)\n"
		"                      or syslog (default: journal when stderr is the journal)\n"
		"      --log-level L   err, warning, notice, info or debug (default info)\n"
		"  -h, --help          this text\n"
		"example: %s --no-huge --no-pci -m 512 -l 0-1 -- -c config/example.yaml -i\n",
		prog, VXG_CTL_SOCKET_DEFAULT, VXG_STATE_DIR_DEFAULT, prog);
}

static int
parse_args(int argc, char **argv, struct vxg_options *o)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"interactive", no_argument, NULL, 'i'},
		{"socket", required_argument, NULL, 's'},
		{"state-dir", required_argument, NULL, 'd'},
		{"check", no_argument, NULL, 'C'},
		{"replay", no_argument, NULL, 'R'},
		{"group", required_argument, NULL, 'G'},
		{"admin-group", required_argument, NULL, 'A'},
		{"log-target", required_argument, NULL, 'T'},
		{"log-level", required_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->socket = VXG_CTL_SOCKET_DEFAULT;
	o->state_dir = VXG_STATE_DIR_DEFAULT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:is:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'i':
			o->interactive = true;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'd':
			o->state_dir = optarg;
			break;
		case 'C':
			o->check = true;
			break;
		case 'R':
			o->replay = true;
			break;
		case 'G':
			o->group = optarg;
			break;
		case 'A':
			o->admin_group = optarg;
			break;
		case 'T':
			o->log_target = optarg;
			break;
		case 'L':
			o->log_level = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vxgate: unexpected argument \"%s\"\n", argv[optind]);
		return -EINVAL;
	}
	if (o->config == NULL) {
		fprintf(stderr, "vxgate: no config file: give -c FILE after --\n");
		return -EINVAL;
	}
	return 0;
}

/* The application's arguments are the ones after "--"; argv[0] leads both halves. */
static int
split_args(int argc, char **argv, int *eal_argc)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			*eal_argc = i;
			return i;
		}
	}
	*eal_argc = argc;
	return -1;
}

static int
check_config(const char *path)
{
	struct vxg_config_counts n;
	struct vxg_config *cfg;
	char *err = malloc(VXG_ERR_MAX);

	if (err == NULL || vxg_config_load(path, &cfg, err, VXG_ERR_MAX) < 0) {
		fprintf(stderr, "%s", err ? err : "out of memory\n");
		if (err && err[0] && err[strlen(err) - 1] != '\n')
			fputc('\n', stderr);
		fprintf(stderr, "%s: configuration is NOT valid\n", path);
		free(err);
		return 1;
	}
	vxg_config_count(cfg, &n);
	printf("%s: OK: %u interfaces, %u VPCs, %u networks, %u ports, %u security groups, "
	       "%u rules, %u routes, %u floating IPs\n",
		path, n.interfaces, n.vpcs, n.networks, n.ports, n.security_groups, n.rules,
		n.routes, n.floating_ips);
	vxg_config_free(cfg);
	free(err);
	return 0;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		vxg_daemon.hup = 1;
	else
		vxg_daemon.quit = 1;
}

static void
signals_init(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The reload logs its result (core/daemon.c), as one from vxgate-ctl does. */
static void
on_hup(struct vxg_daemon *d)
{
	char err[VXG_ERR_MAX];

	d->hup = 0;
	err[0] = '\0';
	VXG_LOG(LOG_INFO, "SIGHUP: reloading %s", d->cfg->path);
	vxg_daemon_reload(d, NULL, err, sizeof(err));
}

static void
control_loop(struct vxg_daemon *d)
{
	bool busy = false;

	while (!d->quit) {
		struct pollfd fds[2] = {
			{.fd = vxg_ctl_server_fd(), .events = POLLIN},
			{.fd = vxg_cli_stdin_fd(), .events = POLLIN},
		};

		if (poll(fds, 2, busy ? 0 : LOOP_POLL_MS) > 0 &&
			fds[1].revents & (POLLIN | POLLHUP) && !vxg_cli_stdin_input())
			d->quit = 1; /* the shell ended: quit, or end of input */
		/* Bounded work, never a wait: no client delays the tick below. */
		vxg_ctl_server_run(fds[0].revents & POLLIN);
		if (d->hup)
			on_hup(d);
		busy = vxg_daemon_tick(d);
		/* Here, not on a timer of its own: a loop that stops turning stops the pings. */
		vxg_notify_tick(vxg_ctl_now_ms());
	}
}

/* What a replay did, for scripts: one line of totals, one per non-zero drop reason. */
static void
replay_summary(struct vxg_daemon *d)
{
	struct vxg_worker_stats t;

	vxg_daemon_stats_total(d, &t);
	printf("replay: rx %lu tx %lu punted %lu dropped %lu\n", (unsigned long)t.rx,
		(unsigned long)t.tx, (unsigned long)t.punted,
		(unsigned long)vxg_stats_drops_total(&t));
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		if (t.drops[r])
			printf("replay: drop %s %lu\n", vxg_drop_names[r],
				(unsigned long)t.drops[r]);
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		if (t.events[e])
			printf("replay: event %s %lu\n", vxg_event_names[e],
				(unsigned long)t.events[e]);
	fflush(stdout);
}

static int
run(struct vxg_daemon *d, struct vxg_config *cfg)
{
	char err[VXG_ERR_MAX];
	int ret;

	err[0] = '\0';
	if ((ret = vxg_ctl_access_init(d->opt.group, d->opt.admin_group, err, sizeof(err))) < 0 ||
		(ret = vxg_ctl_server_init(d->opt.socket, err, sizeof(err))) < 0) {
		vxg_config_free(cfg);
		goto out;
	}
	if ((ret = vxg_daemon_init(d, cfg, err, sizeof(err))) < 0)
		goto out;
	if (vxg_telemetry_init() < 0)
		VXG_LOG(LOG_WARNING, "telemetry endpoints not registered");
	if ((ret = vxg_cli_init(d, d->opt.interactive)) < 0) {
		snprintf(err, sizeof(err), "cannot start the shell");
		goto out;
	}
	VXG_LOG(LOG_INFO, "%u workers, %u interfaces, control socket %s", d->n_workers, d->n_ifs,
		d->opt.socket);
	signals_init();
	vxg_notify_ready("%u workers, %u interfaces, generation %lu of %s", d->n_workers, d->n_ifs,
		(unsigned long)d->gen_id, d->cfg->path);
	control_loop(d);
	vxg_notify_stopping();
	VXG_LOG(LOG_INFO, "stopping");
	if (d->opt.replay)
		replay_summary(d);
out:
	if (ret < 0)
		VXG_LOG(LOG_ERR, "%s", err);
	vxg_cli_fini();
	vxg_ctl_server_fini();
	vxg_daemon_fini(d);
	return ret < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct vxg_daemon *d = &vxg_daemon;
	struct vxg_config *cfg;
	int eal_argc, app, ret;
	char err[VXG_ERR_MAX];

	app = split_args(argc, argv, &eal_argc);
	if (app < 0) {
		fprintf(stderr,
			"vxgate: no \"--\": EAL options come first, then -- and vxgate's\n");
		usage(stderr, argv[0]);
		return 1;
	}
	argv[app] = argv[0];
	if (parse_args(argc - app, argv + app, &d->opt) < 0) {
		usage(stderr, argv[0]);
		return 1;
	}
	if (d->opt.check)
		return check_config(d->opt.config);
	if (vxg_log_setup(d->opt.log_target, d->opt.log_level) < 0)
		return 1;
	vxg_notify_init();
	if (vxg_config_load(d->opt.config, &cfg, err, sizeof(err)) < 0) {
		VXG_LOG(LOG_ERR, "%s\n%s: configuration is NOT valid", err, d->opt.config);
		return 1;
	}
	vxg_log_take_dpdk();
	if (rte_eal_init(eal_argc, argv) < 0) {
		VXG_LOG(LOG_ERR,
			"EAL init failed: %s (check the EAL options before --; without "
			"hugepages use --no-huge -m MB)",
			rte_strerror(rte_errno));
		vxg_config_free(cfg);
		return 1;
	}
	ret = run(d, cfg);
	rte_eal_cleanup();
	return ret;
}
