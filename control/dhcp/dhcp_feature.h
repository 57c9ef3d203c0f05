/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP feature on the control thread: the DHCP service (dhcp_service.h) created at
 * start, updated on reloads, ticked for its lease file, and fed the DHCP frames workers
 * punt to a VPC router's gateway. It answers for the router, whose counters it counts in
 * and whose neighbours learn the addresses it binds.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_DHCP_FEATURE_H
#define VXG_DHCP_FEATURE_H

#include "dhcp/dhcp_service.h"

/* The service, for the shell; NULL before the daemon starts. */
struct vxg_dhcp_service *vxg_dhcp(void);

#endif
