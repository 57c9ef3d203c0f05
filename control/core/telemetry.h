/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK telemetry endpoints (/vxgate/stats, /vxgate/interfaces, /vxgate/config), read by
 * dpdk-telemetry.py. Callbacks run on the telemetry thread and take vxg_daemon.lock. */
#ifndef VXG_TELEMETRY_H
#define VXG_TELEMETRY_H

int vxg_telemetry_init(void);

#endif
