/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's log: messages with syslog's priorities (LOG_ERR ... LOG_DEBUG), filtered by
 * a level, written where the daemon runs: on stderr as "vxgate: MESSAGE" at a terminal;
 * with a "<N>" priority prefix on every line when stderr is the journal (JOURNAL_STREAM,
 * as a systemd service has it), which journald stores as the line's priority; or to
 * syslog(3). Each call site is rate-limited on its own (VXG_LOG_BURST messages, then
 * VXG_LOG_PER_SEC a second): the next message a site lets through says how many it
 * held back, and `show service` counts them. Outside the stderr target DPDK's own log
 * (EAL, drivers) goes the same way, with its priorities.
 *
 * Thread-safety: vxg_log_setup before the threads start; VXG_LOG from any thread but a
 * worker's loop (a mutex guards the sites and the counters).
 */
#ifndef VXG_LOG_H
#define VXG_LOG_H

#include <stdint.h>
#include <syslog.h>

#include <rte_common.h>

#include "vxg_ratelimit.h"

#define VXG_LOG_BURST 10
#define VXG_LOG_PER_SEC 1

enum vxg_log_target {
	VXG_LOG_STDERR,
	VXG_LOG_JOURNAL, /* stderr, each line prefixed with "<N>" */
	VXG_LOG_SYSLOG,
};

/* One call site's rate limit; VXG_LOG keeps one, zeroed, per site. */
struct vxg_log_site {
	struct vxg_ratelimit rl;
	uint64_t held; /* messages held back since the last one through */
	int ready;
};

struct vxg_log_stats {
	enum vxg_log_target target;
	int level;
	uint64_t logged[LOG_DEBUG + 1]; /* by priority */
	uint64_t suppressed; /* held back by a site's rate limit */
};

/*
 * Where and from which priority to log: target "stderr", "journal", "syslog" or NULL
 * (journal when stderr is the journal, else stderr), level a syslog priority name
 * ("err", "warning", "notice", "info", "debug") or NULL (info). -EINVAL for an unknown
 * name, with the reason on stderr.
 */
int vxg_log_setup(const char *target, const char *level);

/* Route DPDK's log through vxg_log (targets other than stderr); before rte_eal_init. */
void vxg_log_take_dpdk(void);

void vxg_log_at(struct vxg_log_site *site, int prio, const char *fmt, ...)
	__rte_format_printf(3, 4);

#define VXG_LOG(prio, ...)                                       \
	do {                                                     \
		static struct vxg_log_site vxg_log_site_;        \
		vxg_log_at(&vxg_log_site_, (prio), __VA_ARGS__); \
	} while (0)

void vxg_log_stats(struct vxg_log_stats *s);
const char *vxg_log_target_name(enum vxg_log_target t);
const char *vxg_log_level_name(int prio);

#endif
