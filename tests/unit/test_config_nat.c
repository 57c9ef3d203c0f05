/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's port forwards (nat.port_forwards): what a valid list loads to (the
 * target's address, to_port defaulted to port), and each refusal with its position:
 * overlapping rules (naming the rule overlapped and its line), ranges of different
 * lengths, a floating IP's or another VPC's address, an interface's address, a port of an
 * explicit snat_ports range, a protocol without ports, a target without an address.
 */
#include <netinet/in.h>

#include "config_fixture.h"
#include "ip4.h"

/* lines 19-23: vm2 (no address) after VM1 */
#define VM2                                    \
	"      - name: vm2\n"                  \
	"        network: web\n"               \
	"        mac: \"02:00:00:00:00:02\"\n" \
	"        ip: 10.1.0.12\n"              \
	"        location: {vtep: 172.16.0.2}\n"
/* nat from line 24 */
#define NAT "    nat:\n      snat: 203.0.113.10\n      port_forwards:\n"

static const struct reject rejects[] = {
	{"pfwd_overlap",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.10, protocol: tcp, port: 8000-8010, to: vm1}\n"
		"        - {ip: 203.0.113.10, protocol: udp, port: 8005, to: vm1}\n"
		"        - {ip: 203.0.113.10, protocol: tcp, port: 8010-8020, to: vm2, "
		"to_port: 80-90}\n",
		"t.yaml:29:51: vpc blue nat port_forward 3:",
		"tcp 203.0.113.10 port 8010-8020 overlaps port_forward 1 (line 27), port "
		"8000-8010"},
	{"pfwd_overlap_inside",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.11, protocol: udp, port: 5000-5100, to: vm1}\n"
		"        - {ip: 203.0.113.11, protocol: udp, port: 5001, to: vm2}\n",
		"t.yaml:28:51: vpc blue nat port_forward 2:",
		"udp 203.0.113.11 port 5001 overlaps port_forward 1 (line 27), port 5000-5100"},
	{"pfwd_range_length",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.11, protocol: udp, port: 5000-5009, to: vm1, "
		"to_port: 6000-6008}\n",
		"t.yaml:27:80: vpc blue nat port_forward 1:",
		"to_port 6000-6008 has 9 ports, port 5000-5009 has 10"},
	{"pfwd_on_floating_ip",
		HEAD PORTS VM1 VM2
		"    nat:\n      floating_ips: [{ip: 203.0.113.20, port: vm1}]\n"
		"      port_forwards:\n"
		"        - {ip: 203.0.113.20, protocol: tcp, port: 22, to: vm2}\n",
		"t.yaml:27:16: vpc blue nat port_forward 1:",
		"port forward ip 203.0.113.20 is already floating_ip 1 of vpc blue (line 25)"},
	{"pfwd_on_other_vpcs_snat",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.30, protocol: tcp, port: 22, to: vm2}\n" RED
		"      - {name: web, vni: 101, cidr: 10.9.0.0/24}\n"
		"    nat: {snat: 203.0.113.30}\n",
		"t.yaml:31:17: vpc red nat:",
		"snat 203.0.113.30 is already port_forward 1 of vpc blue (line 27)"},
	{"pfwd_interface_address",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.2, protocol: tcp, port: 22, to: vm2}\n",
		"t.yaml:27:16: vpc blue nat port_forward 1:",
		"ip 203.0.113.2 is the address of interface wan"},
	{"pfwd_inside_snat_ports",
		HEAD PORTS VM1 VM2
		"    nat:\n      snat: 203.0.113.10\n      snat_ports: 20000-30000\n"
		"      port_forwards:\n"
		"        - {ip: 203.0.113.10, protocol: tcp, port: 29999-30001, to: vm2}\n",
		"t.yaml:28:51: vpc blue nat port_forward 1:",
		"port 29999-30001 of the snat address 203.0.113.10 is inside snat_ports "
		"20000-30000 "
		"(line 26)"},
	{"pfwd_protocol",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.10, protocol: icmp, port: 1, to: vm2}\n",
		"t.yaml:27:40: vpc blue nat port_forward 1:", "protocol 'icmp' is not tcp or udp"},
	{"pfwd_unknown_port",
		HEAD PORTS VM1 VM2 NAT
		"        - {ip: 203.0.113.10, protocol: tcp, port: 1, to: vm9}\n",
		"t.yaml:27:58: vpc blue nat port_forward 1:", "unknown port 'vm9'"},
	{"pfwd_port_required",
		HEAD PORTS VM1 VM2 NAT "        - {ip: 203.0.113.10, protocol: tcp, to: vm2}\n",
		"t.yaml:27:11: vpc blue nat port_forward 1:", "port"},
};

static void
test_accepted(void **state)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];
	const struct vxg_nat_cfg *nat;

	(void)state;
	assert_int_equal(
		vxg_config_load_string("t.yaml",
			HEAD PORTS VM1 VM2 NAT
			"        - {ip: 203.0.113.10, protocol: tcp, port: 8080, to: vm1, "
			"to_port: 80}\n"
			"        - {ip: 203.0.113.11, protocol: udp, port: 5000-5009, to: vm2, "
			"to_port: 6000-6009}\n"
			"        - {ip: 203.0.113.11, protocol: tcp, port: 5000-5009, to: vm2}\n"
			"        - {ip: 203.0.113.10, protocol: tcp, port: 8081, to: vm1}\n",
			&c, err, sizeof(err)),
		0);
	assert_non_null(c);
	nat = &c->vpcs[0].nat;
	assert_int_equal(nat->n_fwds, 4);
	assert_int_equal(nat->fwds[0].ip, IP(203, 0, 113, 10));
	assert_int_equal(nat->fwds[0].proto, IPPROTO_TCP);
	assert_int_equal(nat->fwds[0].port_min, 8080);
	assert_int_equal(nat->fwds[0].to_min, 80);
	assert_int_equal(nat->fwds[0].to_max, 80);
	assert_int_equal(nat->fwds[0].to_ip, IP(10, 1, 0, 11));
	assert_int_equal(nat->fwds[1].proto, IPPROTO_UDP);
	assert_int_equal(nat->fwds[1].port_max, 5009);
	assert_int_equal(nat->fwds[1].to_min, 6000);
	assert_int_equal(nat->fwds[1].to_max, 6009);
	assert_int_equal(nat->fwds[1].to_ip, IP(10, 1, 0, 12));
	/* to_port defaults to port */
	assert_int_equal(nat->fwds[2].to_min, 5000);
	assert_int_equal(nat->fwds[2].to_max, 5009);
	/* the default snat_ports stay: SNAT leaves the forwarded ports out */
	assert_int_equal(nat->port_min, 1024);
	assert_int_equal(nat->port_max, 65535);
	vxg_config_free(c);
}

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects) + 1];

	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	tests[RTE_DIM(rejects)] =
		(struct CMUnitTest){.name = "pfwd_accepted", .test_func = test_accepted};
	return cmocka_run_group_tests_name("config_nat", tests, NULL, NULL);
}
