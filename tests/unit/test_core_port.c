/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: the MTUs a device takes, as ethdev checks them, and the error that names the
 * interface, the asked MTU and the device's limit. No EAL: only rte_eth_dev_info values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/port.h"

/* net_tap in DPDK 22.11: no max_mtu, frames up to 1522 bytes (VLAN-tagged 1500). */
static void
test_range_without_max_mtu(void **state)
{
	struct rte_eth_dev_info info = {
		.min_mtu = 68, .max_mtu = UINT16_MAX, .max_rx_pktlen = 1522};
	uint16_t lo, hi;

	(void)state;
	vxg_port_mtu_range(&info, &lo, &hi);
	assert_int_equal(lo, 68);
	assert_int_equal(hi, 1504); /* 1522 less Ethernet header and CRC */
}

/* A NIC giving both: its max_mtu is the limit, the frame overhead is its own. */
static void
test_range_with_max_mtu(void **state)
{
	struct rte_eth_dev_info info = {.min_mtu = 68, .max_mtu = 9702, .max_rx_pktlen = 9728};
	uint16_t lo, hi;

	(void)state;
	vxg_port_mtu_range(&info, &lo, &hi);
	assert_int_equal(lo, 68);
	assert_int_equal(hi, 9702);
}

static void
test_check_names_the_limit(void **state)
{
	struct vxg_iface p = {.name = "uplink",
		.devname = "net_tap0",
		.min_mtu = 68,
		.max_mtu = 1504,
		.mtu_settable = true};
	char err[256] = "";

	(void)state;
	assert_int_equal(vxg_port_mtu_check(&p, 1504, err, sizeof(err)), 0);
	assert_int_equal(vxg_port_mtu_check(&p, 68, err, sizeof(err)), 0);
	assert_int_equal(vxg_port_mtu_check(&p, 1600, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "interface uplink: device net_tap0 cannot take MTU 1600: its "
				 "limit is 1504 (it takes 68 to 1504)");
	assert_int_equal(vxg_port_mtu_check(&p, 60, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "MTU 60: its limit is 68"));
	/* A device without an MTU (net_pcap, net_null) takes any. */
	p.mtu_settable = false;
	assert_int_equal(vxg_port_mtu_check(&p, 9000, err, sizeof(err)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_without_max_mtu),
		cmocka_unit_test(test_range_with_max_mtu),
		cmocka_unit_test(test_check_names_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
