/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's cross-object validation (validate_*.c), run on the model once every
 * value parsed: duplicate names, VNIs, MACs and addresses, addresses outside their subnet
 * or overlapping, interface roles and the VTEP, DHCP ranges, port security, routes and NAT.
 * Each is refused with "FILE:LINE:COL: OBJECT: message" pointing at the object at fault.
 */
#include "config_fixture.h"

static const struct reject rejects[] = {
	/* duplicates */
	{"duplicate_interface_name", IFS "  - {name: wan, device: net_tap3, role: access}\n",
		"t.yaml:5:12: interface wan:", "duplicate name (first defined at line 3)"},
	{"duplicate_device", IFS "  - {name: wan2, device: net_tap1, role: access}\n",
		"t.yaml:5:26: interface wan2:",
		"device 'net_tap1' is already used by interface wan"},
	{"duplicate_vpc", HEAD "  - name: blue\n",
		"t.yaml:13:11: vpc blue:", "duplicate name (first defined at line 7)"},
	{"duplicate_network", HEAD "      - {name: web, vni: 101, cidr: 10.2.0.0/24}\n",
		"t.yaml:13:16: vpc blue network web:", "duplicate name (first defined at line 9)"},
	{"duplicate_port",
		HEAD PORTS VM1
		"      - name: vm1\n        network: web\n"
		"        mac: \"02:00:00:00:00:02\"\n        location: {vtep: 172.16.0.2}\n",
		"t.yaml:19:15: vpc blue port vm1:", "duplicate name (first defined at line 14)"},
	{"duplicate_group", HEAD "    security_groups: [{name: sg}, {name: sg}]\n",
		"t.yaml:13:42: vpc blue security_group sg:",
		"duplicate name (first defined at line 13)"},
	{"duplicate_vni", HEAD PORTS VM1 RED "      - {name: web, vni: 100, cidr: 10.1.0.0/24}\n",
		"t.yaml:21:26: vpc red network web:",
		"vni 100 is already used by vpc blue network web (line 10)"},
	{"duplicate_mac_same_network",
		HEAD PORTS VM1
		"      - {name: vm2, network: web, mac: \"02:00:00:00:00:01\", location: "
		"{vtep: 172.16.0.2}}\n",
		"t.yaml:19:40: vpc blue port vm2:",
		"is already used by port vm1 in the same network"},
	{"duplicate_mac_across_vpcs",
		HEAD PORTS VM1 RED
		"      - {name: web, vni: 101, cidr: 10.1.0.0/24}\n"
		"    ports:\n"
		"      - {name: r1, network: web, mac: \"02:00:00:00:00:01\", location: "
		"{vtep: 172.16.0.2}}\n",
		"t.yaml:23:39: vpc red port r1:", "unique across the whole config"},
	{"duplicate_port_ip",
		HEAD PORTS VM1
		"      - {name: vm2, network: web, mac: \"02:00:00:00:00:02\", ip: 10.1.0.11, "
		"location: {vtep: 172.16.0.2}}\n",
		"t.yaml:19:65: vpc blue port vm2:", "ip 10.1.0.11 is already used by port vm1"},
	{"duplicate_floating_ip",
		HEAD PORTS VM1 "    nat: {floating_ips: [{ip: 203.0.113.20, "
			       "port: vm1}]}\n" RED
			       "      - {name: web, vni: 101, cidr: 10.1.0.0/24, gateway: "
			       "10.1.0.1}\n    ports:\n      - {name: r1, network: web, mac: "
			       "\"02:00:00:00:00:02\", "
			       "ip: 10.1.0.5, location: {vtep: 172.16.0.2}}\n"
			       "    nat: {floating_ips: [{ip: 203.0.113.20, port: r1}]}\n",
		"t.yaml:25:31: vpc red nat floating_ip 1:",
		"floating IP 203.0.113.20 is already floating_ip 1 of vpc blue (line 19)"},
	{"floating_ip_is_snat",
		HEAD PORTS VM1 "    nat:\n      snat: 203.0.113.20\n"
			       "      floating_ips: [{ip: 203.0.113.20, port: vm1}]\n",
		"t.yaml:21:27: vpc blue nat floating_ip 1:",
		"floating IP 203.0.113.20 is already the snat address of vpc blue"},
	/* containment and overlap */
	{"interface_address_network",
		"interfaces:\n"
		"  - {name: a, device: x, role: underlay, address: 172.16.0.0/24}\n",
		"t.yaml:2:51: interface a:", "is the network address of 172.16.0.0/24"},
	{"gateway_outside",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.0/24\n        gateway: 10.2.0.1\n",
		"t.yaml:12:18: vpc blue network web:", "gateway 10.2.0.1 is outside 10.1.0.0/24"},
	{"gateway_broadcast",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.0/24\n        gateway: 10.1.0.255\n",
		"t.yaml:12:18: vpc blue network web:", "is the broadcast address of 10.1.0.0/24"},
	{"port_ip_outside",
		HEAD PORTS "      - name: vm1\n        network: web\n"
			   "        mac: \"02:00:00:00:00:01\"\n        ip: 10.2.0.5\n"
			   "        location: {vtep: 172.16.0.2}\n",
		"t.yaml:17:13: vpc blue port vm1:",
		"ip 10.2.0.5 is outside network web 10.1.0.0/24"},
	{"port_ip_is_gateway",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"02:00:00:00:00:01\"\n        ips: [10.1.0.11, 10.1.0.1]\n"
		"        location: {vtep: 172.16.0.2}\n",
		"t.yaml:17:26: vpc blue port vm1:", "ip 10.1.0.1 is the gateway of network web"},
	{"overlapping_cidrs", HEAD "      - {name: db, vni: 200, cidr: 10.1.0.128/25}\n",
		"t.yaml:13:36: vpc blue network db:",
		"cidr 10.1.0.128/25 overlaps network web 10.1.0.0/24 (line 9)"},
	{"interface_gateway_outside",
		"interfaces:\n  - {name: a, device: x, role: external, "
		"address: 192.0.2.1/24, gateway: 192.0.3.1}\n",
		"t.yaml:2:74: interface a:",
		"gateway 192.0.3.1 is outside the interface's subnet 192.0.2.0/24"},
	{"neighbour_outside",
		"interfaces:\n  - name: a\n    device: x\n    role: underlay\n"
		"    address: 172.16.0.1/24\n    neighbours: [{ip: 172.17.0.2, mac: "
		"\"02:00:00:00:00:02\"}]\n",
		"t.yaml:6:23: interface a neighbour 1:",
		"is not another host of the interface's subnet 172.16.0.0/24"},
	{"neighbour_needs_address",
		"interfaces:\n  - name: a\n    device: x\n    role: access\n"
		"    neighbours: [{ip: 172.17.0.2, mac: \"02:00:00:00:00:02\"}]\n",
		"t.yaml:5:18: interface a neighbour 1:", "static neighbours need an address"},
	/* roles and the VTEP */
	{"underlay_needs_address", "interfaces:\n  - {name: a, device: x, role: underlay}\n",
		"t.yaml:2:5: interface a:", "role underlay needs an address"},
	{"vtep_not_on_underlay", IFS "vtep: {address: 203.0.113.2}\n",
		"t.yaml:5:17: vtep:", "is on interface wan, whose role is external"},
	{"vtep_unknown_address", IFS "vtep: {address: 172.16.0.9}\n",
		"t.yaml:5:17: vtep:", "is not the address of any underlay interface"},
	{"location_vtep_needs_vtep", IFS BLUE WEB PORTS VM1,
		"t.yaml:17:26: vpc blue port vm1:", "location vtep needs a vtep: section"},
	{"location_needs_access",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"02:00:00:00:00:01\"\n        location: {interface: wan}\n",
		"t.yaml:17:31: vpc blue port vm1:", "location interface wan has role external"},
	{"segment_two_networks",
		HEAD "      - {name: db, vni: 200, cidr: 10.2.0.0/24}\n" PORTS
		     "      - {name: a, network: web, mac: \"02:00:00:00:00:01\", location: "
		     "{interface: local}}\n"
		     "      - {name: b, network: db, mac: \"02:00:00:00:00:02\", location: "
		     "{interface: local}}\n",
		"t.yaml:16:80: vpc blue port b:",
		"interface local vlan 0 already carries vpc blue "
		"network web"},
	{"flood_own_vtep", IFS VTEP BLUE WEB "        flood: [172.16.0.2, 172.16.0.1]\n",
		"t.yaml:13:29: vpc blue network web:", "is this gateway's own VTEP address"},
	{"flood_twice", IFS VTEP BLUE WEB "        flood: [172.16.0.2, 172.16.0.2]\n",
		"t.yaml:13:29: vpc blue network web:", "flood 172.16.0.2 is listed twice"},
	{"flood_needs_vtep", IFS BLUE WEB "        flood: [172.16.0.2]\n",
		"t.yaml:12:17: vpc blue network web:", "flood needs a vtep: section"},
	{"mtu_above_underlay", IFS VTEP BLUE WEB "        mtu: 1451\n",
		"t.yaml:13:14: vpc blue network web:",
		"exceeds the MTU 1500 of underlay interface "
		"uplink; the most is 1450"},
	/* dhcp */
	{"dhcp_range_has_gateway",
		IFS VTEP BLUE WEB "        dhcp: {range: [10.1.0.1, 10.1.0.20]}\n",
		"t.yaml:13:24: vpc blue network web dhcp:", "includes the gateway 10.1.0.1"},
	{"dhcp_range_reversed", IFS VTEP BLUE WEB "        dhcp: {range: [10.1.0.20, 10.1.0.10]}\n",
		"t.yaml:13:24: vpc blue network web dhcp:", "the first address is above the last"},
	{"dhcp_range_broadcast",
		IFS VTEP BLUE WEB "        dhcp: {range: [10.1.0.20, 10.1.0.255]}\n",
		"t.yaml:13:35: vpc blue network web dhcp:",
		"range end 10.1.0.255 is the broadcast address of 10.1.0.0/24"},
	{"dhcp_needs_gateway",
		IFS VTEP BLUE "      - {name: web, vni: 100, cidr: 10.1.0.0/24, "
			      "dhcp: {lease: 600}}\n",
		"t.yaml:9:56: vpc blue network web dhcp:", "dhcp needs a gateway"},
	/* ports */
	{"no_port_security_with_groups",
		HEAD "    security_groups: [{name: sg}]\n" PORTS VM1
		     "        security_groups: [sg]\n        port_security: false\n",
		"t.yaml:21:24: vpc blue port vm1:", "port_security is false but security_groups"},
	/* routes and NAT */
	{"route_via_access", HEAD "    routes: [{prefix: 0.0.0.0/0, via: local}]\n",
		"t.yaml:13:39: vpc blue route 1:", "via interface local has role access"},
	{"route_via_needs_gateway",
		"interfaces:\n  - {name: wan, device: x, role: external, "
		"address: 192.0.2.2/24}\n" BLUE WEB "    routes: [{prefix: 0.0.0.0/0, via: wan}]\n",
		"t.yaml:10:39: vpc blue route 1:",
		"via interface wan has no gateway; give a nexthop"},
	{"route_nexthop_unreachable",
		HEAD "    routes: [{prefix: 10.9.0.0/16, nexthop: 10.8.0.1}]\n",
		"t.yaml:13:45: vpc blue route 1:", "nexthop 10.8.0.1 is not inside any network"},
	{"route_duplicate_prefix",
		HEAD "    routes:\n      - {prefix: 0.0.0.0/0, via: wan}\n"
		     "      - {prefix: 0.0.0.0/0, nexthop: 10.1.0.9}\n",
		"t.yaml:15:18: vpc blue route 2:", "prefix 0.0.0.0/0 is already routed by route 1"},
	{"nat_needs_external",
		"interfaces:\n  - {name: local, device: x, role: access}\n" BLUE WEB
		"    nat: {snat: 192.0.2.1}\n",
		"t.yaml:10:10: vpc blue nat:", "no interface has role external"},
	{"fixed_ip_not_on_port",
		HEAD PORTS VM1
		"    nat: {floating_ips: [{ip: 203.0.113.20, port: vm1, fixed_ip: 10.1.0.99}]}\n",
		"t.yaml:19:66: vpc blue nat floating_ip 1:",
		"fixed_ip 10.1.0.99 is not an address of port vm1"},
	{"two_fips_one_fixed_ip",
		HEAD PORTS VM1 "    nat:\n      floating_ips:\n"
			       "        - {ip: 203.0.113.20, port: vm1}\n"
			       "        - {ip: 203.0.113.21, port: vm1, fixed_ip: 10.1.0.11}\n",
		"t.yaml:22:51: vpc blue nat floating_ip 2:", "port vm1 already has floating_ip 1"},
};

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects)];

	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return cmocka_run_group_tests_name("config_validate", tests, NULL, NULL);
}
