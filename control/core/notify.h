/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the daemon tells systemd (sd_notify(3)) when it runs as a Type=notify service:
 * READY=1 once its ports are up and the first generation is live, RELOADING=1 then
 * READY=1 around a reload, STOPPING=1 at shutdown, each with a STATUS= line for
 * `systemctl status`; and WATCHDOG=1 from the control thread's loop every half
 * WatchdogSec, so that a control thread that stops turning gets the service restarted.
 * Without libsystemd, or outside a service (no NOTIFY_SOCKET), every call does nothing.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_NOTIFY_H
#define VXG_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

struct vxg_notify_stats {
	bool built_in; /* built with libsystemd */
	bool active; /* NOTIFY_SOCKET set: the messages go somewhere */
	uint64_t watchdog_ms; /* keep-alive interval, 0: no watchdog */
	uint64_t sent; /* messages systemd took, keep-alives included */
	uint64_t watchdog_sent;
	uint64_t errors; /* messages that could not be sent */
};

/* Reads the watchdog's interval (sd_watchdog_enabled); before the first message. */
void vxg_notify_init(void);
void vxg_notify_ready(const char *fmt, ...) __rte_format_printf(1, 2);
void vxg_notify_reloading(const char *fmt, ...) __rte_format_printf(1, 2);
void vxg_notify_stopping(void);
/* The keep-alive, when due; call it on every turn of the control loop. */
void vxg_notify_tick(uint64_t now_ms);
void vxg_notify_stats(struct vxg_notify_stats *s);

#endif
