/* SPDX-License-Identifier: BSD-3-Clause */
/* IPv4 addresses written the way people read them, for the unit tests. */
#ifndef VXG_TEST_IP4_H
#define VXG_TEST_IP4_H

#include <stdint.h>

/* Host byte order, as the config model and rte_lpm keep addresses. */
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

#endif
