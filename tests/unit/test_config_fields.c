/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's field values (values.c, with the parsers of fields.c and the node
 * shapes of yaml_doc.c): a value of the wrong YAML type, a bad name or enum, an integer out
 * of range, a malformed or unusable address or MAC, a list too long. Each is refused with
 * "FILE:LINE:COL: OBJECT: message" pointing at the value itself.
 */
#include "config_fixture.h"

static const struct reject rejects[] = {
	/* types */
	{"want_mapping", IFS "vtep: [172.16.0.1]\n",
		"t.yaml:5:7: vtep:", "expected a mapping, got a sequence"},
	{"want_sequence", IFS VTEP "vpcs: blue\n",
		"t.yaml:6:7: config:", "vpcs: expected a sequence, got 'blue'"},
	{"want_scalar", IFS VTEP BLUE "      - {vni: 1, cidr: 10.1.0.0/24, name: [web]}\n",
		"t.yaml:9:43: vpc blue network #1:", "name: expected a name, got a sequence"},
	{"want_integer",
		IFS VTEP BLUE "      - name: web\n        vni: abc\n        cidr: 10.1.0.0/24\n",
		"t.yaml:10:14: vpc blue network web:", "vni: expected an integer, got 'abc'"},
	{"want_bool", IFS "vtep: {address: 172.16.0.1, learning: yes}\n",
		"t.yaml:5:39: vtep:", "learning: expected true or false, got 'yes'"},
	{"bad_name", IFS VTEP BLUE "      - {name: my web, vni: 1, cidr: 10.1.0.0/24}\n",
		"t.yaml:9:16: vpc blue network #1:", "name 'my web' is not a valid name"},
	{"bad_enum", "interfaces:\n  - {name: a, device: x, role: externl}\n",
		"t.yaml:2:32: interface a:", "unknown value 'externl'; did you mean 'external'?"},
	/* integers */
	{"burst_range", IFS "dataplane: {burst: 512}\n",
		"t.yaml:5:20: dataplane:", "burst 512 is out of range 1..256"},
	{"mbufs_too_few", IFS "dataplane: {mbufs: 512}\n",
		"t.yaml:5:20: dataplane:", "mbufs 512 is out of range 1024.."},
	{"dhcp_rate_range", IFS "dataplane: {dhcp_rate: 2000000}\n",
		"t.yaml:5:24: dataplane:", "dhcp_rate 2000000 is out of range 0..1000000"},
	{"dhcp_client_rate_range", IFS "dataplane: {dhcp_client_rate: 100001}\n",
		"t.yaml:5:31: dataplane:", "dhcp_client_rate 100001 is out of range 0..100000"},
	{"dhcp_rate_negative", IFS "dataplane:\n  dhcp_rate: -5\n",
		"t.yaml:6:14: dataplane:", "dhcp_rate -5 is out of range 0..1000000"},
	{"vni_zero", IFS VTEP BLUE "      - name: web\n        vni: 0\n        cidr: 10.1.0.0/24\n",
		"t.yaml:10:14: vpc blue network web:", "vni 0 is out of range 1..16777215"},
	{"vni_too_big",
		IFS VTEP BLUE "      - name: web\n        vni: 16777216\n"
			      "        cidr: 10.1.0.0/24\n",
		"t.yaml:10:14: vpc blue network web:", "vni 16777216 is out of range"},
	{"negative_int", IFS "vtep: {address: 172.16.0.1, ttl: -1}\n",
		"t.yaml:5:34: vtep:", "ttl -1 is out of range 1..255"},
	{"udp_port_zero", IFS "vtep: {address: 172.16.0.1, udp_port: 0}\n",
		"t.yaml:5:39: vtep:", "udp_port 0 is out of range 1..65535"},
	{"src_ports_reversed", IFS "vtep: {address: 172.16.0.1, src_ports: 60999-32768}\n",
		"t.yaml:5:40: vtep:", "the first port is above the last"},
	{"vlan_range",
		HEAD PORTS
		"      - {name: vm1, network: web, mac: \"02:00:00:00:00:01\", location: "
		"{interface: local, vlan: 4095}}\n",
		"t.yaml:14:96: vpc blue port vm1:", "vlan 4095 is out of range 1..4094"},
	{"interface_mtu", "interfaces:\n  - {name: a, device: x, role: access, mtu: 9601}\n",
		"t.yaml:2:45: interface a:", "mtu 9601 is out of range 68..9600"},
	/* addresses */
	{"cidr_host_bits",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.5/24\n",
		"t.yaml:11:15: vpc blue network web:",
		"cidr 10.1.0.5/24 has host bits set; did you mean 10.1.0.0/24?"},
	{"cidr_syntax",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.0/33\n",
		"t.yaml:11:15: vpc blue network web:", "is not an IPv4 prefix"},
	{"cidr_no_length",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.0\n",
		"t.yaml:11:15: vpc blue network web:", "has no prefix length"},
	{"bad_ip",
		IFS VTEP BLUE "      - name: web\n        vni: 100\n"
			      "        cidr: 10.1.0.0/24\n        gateway: 10.1.0.300\n",
		"t.yaml:12:18: vpc blue network web:",
		"gateway '10.1.0.300' is not an IPv4 address"},
	{"multicast_ip", IFS "vtep: {address: 239.1.1.1}\n",
		"t.yaml:5:17: vtep:", "is a multicast address"},
	{"interface_address_no_len",
		"interfaces:\n"
		"  - {name: a, device: x, role: underlay, address: 172.16.0.1}\n",
		"t.yaml:2:51: interface a:", "is not an address with a prefix length"},
	{"bad_mac",
		HEAD PORTS "      - name: vm1\n        network: web\n        mac: 02:00:00\n"
			   "        location: {vtep: 172.16.0.2}\n",
		"t.yaml:16:14: vpc blue port vm1:", "mac '02:00:00' is not a MAC address"},
	{"interface_mac_multicast",
		"interfaces:\n  - {name: a, device: net_null0, role: access, mac: "
		"\"01:00:5e:00:00:01\"}\n",
		"t.yaml:2:53: interface a:", "mac 01:00:5e:00:00:01 is a multicast address"},
	{"multicast_mac",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"03:00:00:00:00:01\"\n        location: {vtep: 172.16.0.2}\n",
		"t.yaml:16:14: vpc blue port vm1:", "is a multicast address"},
	{"zero_mac",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"00:00:00:00:00:00\"\n        location: {vtep: 172.16.0.2}\n",
		"t.yaml:16:14: vpc blue port vm1:", "is all zeros"},
	/* metrics: listen */
	{"metrics_port_zero", IFS "metrics: {listen: 127.0.0.1:0}\n",
		"t.yaml:5:19: metrics:", "listen 127.0.0.1:0: the port is out of range 1..65535"},
	{"metrics_no_port", IFS "metrics: {listen: 127.0.0.1}\n", "t.yaml:5:19: metrics:",
		"listen '127.0.0.1' is not an IPv4 address and port (A.B.C.D:PORT)"},
	{"metrics_multicast", IFS "metrics: {listen: 224.0.0.1:9420}\n",
		"t.yaml:5:19: metrics:", "224.0.0.1 is not an address to listen on"},
	/* list lengths */
	{"dhcp_too_many_dns",
		IFS VTEP BLUE WEB
		"        dhcp: {dns: [192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5]}\n",
		"t.yaml:13:21: vpc blue network web dhcp:", "dns: at most 4 addresses, got 5"},
	{"too_many_ips",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"02:00:00:00:00:01\"\n        location: {vtep: 172.16.0.2}\n"
		"        ips: [10.1.0.2, 10.1.0.3, 10.1.0.4, 10.1.0.5, 10.1.0.6, 10.1.0.7, "
		"10.1.0.8, "
		"10.1.0.9, 10.1.0.10]\n",
		"t.yaml:18:14: vpc blue port vm1:", "ips: at most 8 addresses, got 9"},
};

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects)];

	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return cmocka_run_group_tests_name("config_fields", tests, NULL, NULL);
}
