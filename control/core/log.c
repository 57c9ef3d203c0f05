/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's log (core/log.h): targets, the level, per-site rate limits, and DPDK's
 * log stream routed through them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_log.h>

#include "core/log.h"

#define LOG_MSG_MAX 9216 /* a config error (VXG_ERR_MAX) and its context */
/* DPDK's drivers say more at start than one of our sites: their own, larger, bucket. */
#define DPDK_BURST 200
#define DPDK_PER_SEC 20

static struct {
	pthread_mutex_t lock; /* sites, counters */
	enum vxg_log_target target;
	int level;
	uint64_t logged[LOG_DEBUG + 1];
	uint64_t suppressed;
	struct vxg_log_site dpdk;
} lg = {.lock = PTHREAD_MUTEX_INITIALIZER, .target = VXG_LOG_STDERR, .level = LOG_INFO};

static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
static const char *const target_names[] = {"stderr", "journal", "syslog"};

const char *
vxg_log_target_name(enum vxg_log_target t)
{
	return target_names[t];
}

const char *
vxg_log_level_name(int prio)
{
	return prio >= 0 && prio <= LOG_DEBUG ? level_names[prio] : "?";
}

/* systemd.exec(5): JOURNAL_STREAM is "DEV:INODE" of the stream stderr was connected to. */
static bool
stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

static int
name_index(const char *name, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

int
vxg_log_setup(const char *target, const char *level)
{
	int t = stderr_is_journal() ? VXG_LOG_JOURNAL : VXG_LOG_STDERR, l = LOG_INFO;

	if (target != NULL && (t = name_index(target, target_names, RTE_DIM(target_names))) < 0) {
		fprintf(stderr, "vxgate: --log-target %s: give stderr, journal or syslog\n",
			target);
		return -EINVAL;
	}
	/* emerg, alert and crit are not offered: vxgate logs nothing above err. */
	if (level != NULL && (l = name_index(level, level_names, RTE_DIM(level_names))) < LOG_ERR) {
		fprintf(stderr,
			"vxgate: --log-level %s: give err, warning, notice, info or debug\n",
			level);
		return -EINVAL;
	}
	lg.target = (enum vxg_log_target)t;
	lg.level = l;
	if (lg.target == VXG_LOG_SYSLOG)
		openlog("vxgate", LOG_PID, LOG_DAEMON);
	return 0;
}

/* Each line of msg, as the target wants it. Lock held. */
static void
log_write(int prio, const char *msg)
{
	const char *p = msg;

	if (lg.target == VXG_LOG_STDERR) {
		fprintf(stderr, "vxgate: %s\n", msg);
		return;
	}
	while (*p) {
		int len = (int)strcspn(p, "\n");

		if (len > 0 && lg.target == VXG_LOG_JOURNAL)
			fprintf(stderr, "<%d>%.*s\n", prio, len, p);
		else if (len > 0)
			syslog(prio, "%.*s", len, p);
		p += len + (p[len] == '\n');
	}
}

static uint64_t
log_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* msg through site's rate limit. Lock held. */
static void
log_emit(struct vxg_log_site *site, int prio, const char *msg)
{
	char note[96];

	if (!site->ready) {
		vxg_ratelimit_init(&site->rl, 1000, VXG_LOG_PER_SEC, VXG_LOG_BURST);
		site->ready = 1;
	}
	if (!vxg_ratelimit_take(&site->rl, log_now_ms())) {
		site->held++;
		lg.suppressed++;
		return;
	}
	if (site->held > 0) {
		snprintf(note, sizeof(note), "(%lu similar messages suppressed by the rate limit)",
			(unsigned long)site->held);
		log_write(prio, note);
		site->held = 0;
	}
	log_write(prio, msg);
	lg.logged[prio]++;
}

void
vxg_log_at(struct vxg_log_site *site, int prio, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	size_t n;
	va_list ap;

	if (prio > lg.level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (n = strlen(msg); n > 0 && msg[n - 1] == '\n'; n--)
		msg[n - 1] = '\0';
	pthread_mutex_lock(&lg.lock);
	log_emit(site, prio, msg);
	pthread_mutex_unlock(&lg.lock);
}

/* DPDK writes each message through here (rte_vlog flushes after each): its level is the
 * calling thread's current message's. */
static ssize_t
dpdk_write(void *cookie, const char *buf, size_t size)
{
	int prio = (int)rte_log_cur_msg_loglevel() - 1; /* RTE_LOG_EMERG is 1 */
	char msg[LOG_MSG_MAX];
	size_t n = RTE_MIN(size, sizeof(msg) - 1);

	if (prio < LOG_EMERG || prio > LOG_DEBUG)
		prio = LOG_DEBUG;
	if (prio > lg.level)
		return (ssize_t)size;
	memcpy(msg, buf, n);
	while (n > 0 && msg[n - 1] == '\n')
		n--;
	msg[n] = '\0';
	pthread_mutex_lock(&lg.lock);
	log_emit(&lg.dpdk, prio, msg);
	pthread_mutex_unlock(&lg.lock);
	return (ssize_t)size;
}

void
vxg_log_take_dpdk(void)
{
	cookie_io_functions_t io = {.write = dpdk_write};
	FILE *f;

	if (lg.target == VXG_LOG_STDERR)
		return; /* DPDK's own: stdout, and syslog */
	f = fopencookie(NULL, "w", io);
	if (f == NULL)
		return;
	vxg_ratelimit_init(&lg.dpdk.rl, 1000, DPDK_PER_SEC, DPDK_BURST);
	lg.dpdk.ready = 1;
	rte_openlog_stream(f);
}

void
vxg_log_stats(struct vxg_log_stats *s)
{
	pthread_mutex_lock(&lg.lock);
	s->target = lg.target;
	s->level = lg.level;
	memcpy(s->logged, lg.logged, sizeof(s->logged));
	s->suppressed = lg.suppressed;
	pthread_mutex_unlock(&lg.lock);
}
