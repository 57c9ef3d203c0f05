/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's parsing of objects (yaml_doc.c, walk.c, schema_*.c): a file that is
 * not a YAML mapping, unknown, repeated or missing keys, references to names that do not
 * exist, and the rules one object's keys must follow among themselves (one of vtep or
 * interface, ip or ips, a rule's protocol, ports, type and code). Each is refused with
 * "FILE:LINE:COL: OBJECT: message" pointing at the offending node.
 */
#include "config_fixture.h"

static const struct reject rejects[] = {
	/* the file as a whole */
	{"empty_file", "", "t.yaml:1:1: config:", "the file is empty"},
	{"only_comments", "# nothing\n\n", "t.yaml:1:1: config:", "the file is empty"},
	{"not_a_mapping", "- interfaces\n", "t.yaml:1:1: config:", "must be a mapping"},
	{"yaml_syntax", IFS "vtep: {address: 172.16.0.1\n",
		"t.yaml:6:1: yaml:", "did not find expected ',' or '}'"},
	{"yaml_tab_indent", "interfaces:\n\t- {name: a}\n",
		"t.yaml:2:1: yaml:", "cannot start any token"},
	{"second_document", HEAD "---\nfoo: 1\n", "t.yaml:14:1: config:", "a second YAML document"},
	{"unknown_top_key", IFS "vpc: []\n",
		"t.yaml:5:1: config:", "unknown key 'vpc'; did you mean 'vpcs'?"},
	{"unknown_key_suggests", IFS "dataplane: {bursts: 1}\n",
		"t.yaml:5:13: dataplane:", "unknown key 'bursts'; did you mean 'burst'?"},
	{"unknown_key_lists_valid", IFS "dataplane: {frob: 2}\n", "t.yaml:5:13: dataplane:",
		"unknown key 'frob'; expected one of: burst, mbufs, rx_desc, tx_desc, "
		"idle_sleep_us, dhcp_rate, dhcp_client_rate, limits"},
	{"yaml_bad_utf8", IFS "vtep: {address: \xff}\n", "t.yaml:5:17: yaml:", "invalid"},
	{"duplicate_key", HEAD "        vni: 101\n", "t.yaml:13:9: vpc blue network web:",
		"key 'vni' is given twice (first at line 10)"},
	{"vpc_limits_range", HEAD "    limits: {sessions: 10}\n",
		"t.yaml:13:24: vpc blue limits:", "sessions 10 is out of range 64..268435456"},
	{"vpc_limits_unknown", HEAD "    limits: {fdb: 4096}\n", "t.yaml:13:14: vpc blue limits:",
		"unknown key 'fdb'; expected one of: sessions, conntrack"},
	{"missing_interfaces", VTEP, "t.yaml:1:1: config:", "missing required key 'interfaces'"},
	{"empty_interfaces", "interfaces: []\n", "t.yaml:1:13: config:", "interfaces: is empty"},
	/* missing keys: the position is the mapping's */
	{"interface_needs_device", "interfaces:\n  - {name: a, role: access}\n",
		"t.yaml:2:5: interface a:", "missing required key 'device'"},
	{"interface_needs_role", "interfaces:\n  - name: a\n    device: x\n",
		"t.yaml:2:5: interface a:", "missing required key 'role'"},
	{"interface_needs_name", "interfaces:\n  - {device: x, role: access}\n",
		"t.yaml:2:5: interface #1:", "missing required key 'name'"},
	{"network_needs_vni", IFS VTEP BLUE "      - {name: web, cidr: 10.1.0.0/24}\n",
		"t.yaml:9:9: vpc blue network web:", "missing required key 'vni'"},
	{"network_needs_cidr", IFS VTEP BLUE "      - {name: web, vni: 1}\n",
		"t.yaml:9:9: vpc blue network web:", "missing required key 'cidr'"},
	{"port_needs_location",
		HEAD PORTS "      - name: vm1\n        network: web\n"
			   "        mac: \"02:00:00:00:00:01\"\n",
		"t.yaml:14:9: vpc blue port vm1:", "location is required (vtep or interface)"},
	{"port_needs_mac",
		HEAD PORTS "      - {name: vm1, network: web, location: {vtep: 1.2.3.4}}\n",
		"t.yaml:14:9: vpc blue port vm1:", "missing required key 'mac'"},
	{"port_needs_network",
		HEAD PORTS
		"      - {name: vm1, mac: \"02:00:00:00:00:01\", location: {vtep: 1.2.3.4}}\n",
		"t.yaml:14:9: vpc blue port vm1:", "missing required key 'network'"},
	{"metrics_needs_listen", IFS "metrics: {}\n",
		"t.yaml:5:10: metrics:", "missing required key 'listen'"},
	{"vtep_needs_address", IFS "vtep: {udp_port: 4789}\n",
		"t.yaml:5:7: vtep:", "missing required key 'address'"},
	/* references */
	{"unknown_network",
		HEAD PORTS
		"      - name: vm1\n        network: webb\n"
		"        mac: \"02:00:00:00:00:01\"\n        location: {vtep: 172.16.0.2}\n",
		"t.yaml:15:18: vpc blue port vm1:", "unknown network 'webb'; did you mean 'web'?"},
	{"unknown_interface", HEAD PORTS VM1 "    routes:\n      - {prefix: 0.0.0.0/0, via: wam}\n",
		"t.yaml:20:34: vpc blue route 1:", "unknown interface 'wam'; did you mean 'wan'?"},
	{"unknown_security_group", HEAD PORTS VM1 "        security_groups: [web]\n",
		"t.yaml:19:27: vpc blue port vm1:",
		"unknown security group 'web'; none is defined"},
	{"unknown_port",
		HEAD PORTS VM1 "    nat: {floating_ips: [{ip: 203.0.113.20, port: vm9}]}\n",
		"t.yaml:19:51: vpc blue nat floating_ip 1:",
		"unknown port 'vm9'; did you mean 'vm1'?"},
	{"unknown_address_set",
		HEAD "    address_sets: [{name: office, addresses: [192.0.2.0/24]}]\n"
		     "    security_groups:\n"
		     "      - {name: sg, rules: [{direction: ingress, address_set: offices}]}\n",
		"t.yaml:15:62: vpc blue security_group sg rule 1:",
		"unknown address set 'offices'; did you mean 'office'?"},
	{"unknown_port_group",
		HEAD "    security_groups:\n"
		     "      - {name: sg, rules: [{direction: ingress, remote_port_group: pg}]}\n",
		"t.yaml:14:68: vpc blue security_group sg rule 1:",
		"unknown port group 'pg'; none is defined"},
	/* keys that exclude or need each other in one object */
	{"location_both",
		HEAD PORTS "      - name: vm1\n        network: web\n"
			   "        mac: \"02:00:00:00:00:01\"\n"
			   "        location: {vtep: 172.16.0.2, interface: local}\n",
		"t.yaml:17:19: vpc blue port vm1:", "give exactly one of vtep"},
	{"vlan_needs_interface",
		HEAD PORTS "      - name: vm1\n        network: web\n"
			   "        mac: \"02:00:00:00:00:01\"\n"
			   "        location: {vtep: 172.16.0.2, vlan: 5}\n",
		"t.yaml:17:44: vpc blue port vm1:", "location: vlan applies only to an interface"},
	{"ip_and_ips", HEAD PORTS VM1 "        ips: [10.1.0.12]\n",
		"t.yaml:19:14: vpc blue port vm1:", "give either ip or ips, not both"},
	{"route_needs_via_or_nexthop", HEAD "    routes: [{prefix: 0.0.0.0/0}]\n",
		"t.yaml:13:14: vpc blue route 1:", "give via (an interface), nexthop"},
	/* security group rules */
	{"rule_needs_direction",
		HEAD "    security_groups: [{name: sg, rules: [{protocol: tcp}]}]\n",
		"t.yaml:13:42: vpc blue security_group sg rule 1:",
		"missing required key 'direction'"},
	{"rule_bad_ethertype",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: IPX}\n",
		"t.yaml:16:45: vpc blue security_group sg rule 1:",
		"ethertype 'IPX' is not ipv4 or ipv6"},
	{"rule_ports_need_protocol",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: icmp, ports: 22}\n",
		"t.yaml:16:57: vpc blue security_group sg rule 1:",
		"ports apply only to protocol tcp, udp or sctp"},
	{"rule_bad_protocol",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: 256}\n",
		"t.yaml:16:44: vpc blue security_group sg rule 1:",
		"protocol '256' is not tcp, udp, icmp, icmpv6, sctp, any or a number 0..255"},
	{"rule_type_needs_icmp",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: tcp, type: 8}\n",
		"t.yaml:16:55: vpc blue security_group sg rule 1:",
		"type applies only to protocol icmp"},
	{"rule_code_needs_type",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: icmp, code: 0}\n",
		"t.yaml:16:56: vpc blue security_group sg rule 1:", "code needs a type"},
	{"rule_two_remotes",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: egress, remote: 10.0.0.0/8, remote_group: sg}\n",
		"t.yaml:16:67: vpc blue security_group sg rule 1:",
		"give at most one of remote, remote_group"},
};

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects)];

	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return cmocka_run_group_tests_name("config_schema", tests, NULL, NULL);
}
