/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR for EVPN: the files zebra and bgpd read (<state dir>/frr/zebra.conf, bgpd.conf,
 * written at every start and reload) and, when vxgate manages FRR, the two daemons run
 * in EVPN's namespace and supervised: reaped and restarted with a back-off from the
 * control loop's tick, changed on reload through vtysh (`vtysh -f` of the delta, see
 * evpn_conf.h) or, for a new AS, a restart of bgpd, and stopped at the end.
 *
 * Every child is reaped by its pid with WNOHANG: nothing here waits on FRR but
 * evpn_frr_stop, which waits a bounded time for the daemons to exit.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_FRR_H
#define VXG_EVPN_FRR_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/model.h"
#include "evpn/evpn_conf.h"

#define EVPN_FRR_BIN "/usr/lib/frr"
#define EVPN_VTYSH "/usr/bin/vtysh"
/* Debian's FRR refuses to run as group root: its vty sockets belong to frrvty. */
#define EVPN_FRR_GROUP "frrvty"
#define EVPN_BACKOFF_MIN_MS 500u
#define EVPN_BACKOFF_MAX_MS 30000u
/* A daemon up this long before it died is restarted after the shortest back-off. */
#define EVPN_STABLE_MS 60000
#define EVPN_STOP_WAIT_MS 2000

enum evpn_daemon_id {
	EVPN_ZEBRA,
	EVPN_BGPD,
	EVPN_DAEMONS,
};

/* One supervised daemon. */
struct evpn_proc {
	const char *name;
	pid_t pid; /* 0: not running */
	uint64_t started_ms; /* when it last started */
	uint64_t next_ms; /* not before then, after a death */
	unsigned backoff_ms; /* the wait before the next restart */
	uint64_t restarts; /* started again after it died */
	int last_status; /* wait status of its last death; -1 none yet */
	bool died; /* since it last started: its next start is a restart */
	bool stopping; /* vxgate stopped it: its exit is no death */
	uint64_t stop_ms; /* when it was told to stop; SIGKILL after EVPN_STOP_WAIT_MS */
};

struct evpn_frr {
	char dir[PATH_MAX / 2]; /* <state dir>/frr: files, pid files, sockets */
	int ns; /* EVPN's namespace (not owned) */
	bool managed; /* frr: managed; else only the files */
	bool run; /* the daemons should be up */
	struct evpn_proc d[EVPN_DAEMONS];
	struct evpn_bgp want; /* what the config asks bgpd to run */
	struct evpn_bgp running; /* what bgpd runs (when d[EVPN_BGPD].pid != 0) */
	bool dirty; /* want changed since bgpd was last brought to it */
	pid_t apply_pid; /* a `vtysh -f` of a delta, 0 none */
	struct evpn_bgp applying; /* that delta's target */
	uint64_t applies_ok, applies_failed, bgpd_reloads;
	bool zebra_restarted; /* zebra started again: its view of the devices was lost */
};

/* f for namespace ns, its files under state_dir/frr (made if need be). For managed,
 * FRR's binaries and group must exist. 0, or -errno with the reason in err. */
int evpn_frr_init(
	struct evpn_frr *f, const char *state_dir, int ns, bool managed, char *err, size_t errlen);
/* Write the files from e, and take a running bgpd to it (a delta, or a restart when the
 * AS changes); with run, the daemons start in the next tick. 0 or -errno with err. */
int evpn_frr_configure(struct evpn_frr *f, const struct vxg_evpn_cfg *e, char *err, size_t errlen);
/* Reap, restart, apply; from the control loop. */
void evpn_frr_tick(struct evpn_frr *f, uint64_t now_ms);
/* Stop the daemons (SIGTERM, SIGKILL after EVPN_STOP_WAIT_MS) and free f's copies. */
void evpn_frr_fini(struct evpn_frr *f);

/* fork + exec argv inside namespace ns (ns < 0: where vxgate is), stdin /dev/null,
 * stdout on out and stderr on err (-1: /dev/null), no other fd, default signals. pid or -errno. */
pid_t evpn_spawn(int ns, char *const argv[], int out, int err);
/* Remove the folder FRR leaves as root for a daemon (/var/tmp/frr/NAME.PID). */
void evpn_frr_tmp_clean(const char *name, pid_t pid);

#endif
