/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 feature on the control thread (dhcp6_feature.c).
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_DHCP6_FEATURE_H
#define VXG_DHCP6_FEATURE_H

#include <stdint.h>

#include "dhcp6/dhcp6_service.h"

/* The service, for the shell; NULL before the daemon starts. */
struct vxg_dhcp6_service *vxg_dhcp6(void);
/* Replies sent into their network, and those its switch did not take. */
void vxg_dhcp6_tx_counts(uint64_t *tx, uint64_t *failed);

#endif
