/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sd_notify(3) for the daemon (core/notify.h); no-ops when built without libsystemd.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef VXG_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "core/notify.h"

#define STATUS_MAX 256

static struct vxg_notify_stats ns;
static uint64_t last_ping_ms;

#ifdef VXG_HAVE_LIBSYSTEMD
static void
notify_send(const char *state)
{
	int ret = sd_notify(0, state);

	if (ret > 0)
		ns.sent++;
	else if (ret < 0)
		ns.errors++;
}
#else
static void
notify_send(const char *state)
{
	(void)state;
}
#endif

void
vxg_notify_init(void)
{
	ns.active = getenv("NOTIFY_SOCKET") != NULL;
#ifdef VXG_HAVE_LIBSYSTEMD
	uint64_t usec = 0;

	ns.built_in = true;
	/* 0: keep NOTIFY_SOCKET and WATCHDOG_USEC; a restart of the process needs them. */
	if (sd_watchdog_enabled(0, &usec) > 0)
		ns.watchdog_ms = RTE_MAX(usec / 2000, (uint64_t)1);
#endif
}

/* state, then "STATUS=" and the formatted text. */
static void
notify_status(const char *state, const char *fmt, va_list ap)
{
	char status[STATUS_MAX], msg[STATUS_MAX + 96];

	vsnprintf(status, sizeof(status), fmt, ap);
	/* A file name with a newline would otherwise add a field of its own. */
	for (char *c = status; *c; c++)
		if ((unsigned char)*c < ' ')
			*c = '?';
	snprintf(msg, sizeof(msg), "%sSTATUS=%s", state, status);
	notify_send(msg);
}

void
vxg_notify_ready(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	notify_status("READY=1\n", fmt, ap);
	va_end(ap);
}

void
vxg_notify_reloading(const char *fmt, ...)
{
	struct timespec ts;
	char state[64];
	va_list ap;

	/* MONOTONIC_USEC: systemd 253's Type=notify-reload wants to know when it began. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(state, sizeof(state), "RELOADING=1\nMONOTONIC_USEC=%llu\n",
		(unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
	va_start(ap, fmt);
	notify_status(state, fmt, ap);
	va_end(ap);
}

void
vxg_notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping");
}

void
vxg_notify_tick(uint64_t now_ms)
{
	if (ns.watchdog_ms == 0 || now_ms - last_ping_ms < ns.watchdog_ms)
		return;
	last_ping_ms = now_ms;
	ns.watchdog_sent++;
	notify_send("WATCHDOG=1");
}

void
vxg_notify_stats(struct vxg_notify_stats *s)
{
	*s = ns;
}
