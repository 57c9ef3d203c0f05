/* SPDX-License-Identifier: BSD-3-Clause */
/* The scenarios pcapgen knows, in --list order: name, summary and the function that builds
 * packet i. A new scenario is a function in its own file and a line here. */
#include "pcapgen.h"

const struct scenario scenarios[] = {
	{"encap", "vm2 (access) -> a db MAC behind the remote VTEP; SIZE: this frame", gen_encap,
		0},
	{"decap", "VXLAN from the remote VTEP: vm1 -> web gateway; SIZE: outer frame", gen_decap,
		0},
	{"l2", "802.1Q VLAN 10 known unicast between two db MACs", gen_l2, 0},
	{"l2v6", "l2 over IPv6 (UDP): vm2 2001:db8:2::12 -> db2 ::13; SIZE at least 70", gen_l2v6,
		0},
	{"routed", "vm2 (db) -> router MAC -> vm1 10.1.0.11 (web), TTL 64", gen_routed, 0},
	{"routed6",
		"routed over IPv6 (UDP): vm2 2001:db8:2::12 -> vm1 2001:db8:1::11; SIZE at "
		"least 70",
		gen_routed6, 0},
	{"sg", "routed, TCP ACK (established), --flows 5-tuples, dport 80", gen_sg, 0},
	{"sg6", "routed IPv6 (vm2 -> vm1), TCP ACK (established), --flows 5-tuples, dport 80",
		gen_sg6, 0},
	{"sg-syn", "routed, TCP SYN only: new connections, --flows x --hosts 5-tuples", gen_sg_syn,
		0},
	{"snat", "vm2 -> router MAC -> internet server 198.51.100.10", gen_snat, 0},
	{"snat-reply", "internet server -> SNAT IP, dport --sport + flow (replies)", gen_snat_reply,
		0},
	{"fip", "internet server -> floating IP 203.0.113.20 (external side)", gen_fip, 0},
	{"mixed", "IMIX 7:4:1 of 64/576/1500 bytes, routed and l2 alternating", gen_mixed, 0},
	{"dhcp", "DHCP DISCOVER, then REQUEST, from each of --macs clients on db", gen_dhcp, 0},
	{"garbage", "11 malformed frames for drop-reason tests (order: --help)", gen_garbage,
		G_COUNT},
};

const size_t n_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);
