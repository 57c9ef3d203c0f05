/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the DHCP codec's and server's tests share (test_dhcp_codec.c, test_dhcp_server.c):
 * clients' MACs and the reply template of network web. No EAL: neither needs one.
 */
#ifndef VXG_TEST_DHCP_FIXTURE_H
#define VXG_TEST_DHCP_FIXTURE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dhcp/dhcp_server.h"

#include "ip4.h"

static const struct rte_ether_addr MAC1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr MAC2 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0c}};
static const struct rte_ether_addr MAC3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0d}};
static const struct rte_ether_addr MACF = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0xff}};

/* The reply template of network web (10.1.0.0/24), as the service fills it in. */
static struct dhcp_reply
web_reply(void)
{
	struct dhcp_reply t = {
		.server_id = IP(10, 1, 0, 1),
		.mask = IP(255, 255, 255, 0),
		.router = IP(10, 1, 0, 1),
		.lease = 3600,
		.dns = {IP(192, 0, 2, 53)},
		.n_dns = 1,
		.domain = "blue.example",
		.mtu = 1450,
	};
	return t;
}

#endif
