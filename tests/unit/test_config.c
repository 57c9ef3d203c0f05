/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader: the shipped example parses to the model the daemon expects, every key
 * of the schema is accepted and lands in its field, defaults are filled in, and each kind of
 * mistake is refused with "FILE:LINE:COL: OBJECT: message" pointing at the offending node.
 * No EAL: the loader only uses header-inline helpers from DPDK.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vxg_config.h"

#define ERR_LEN 8192
#include "ip4.h"

static struct vxg_config *
load_ok(const char *yaml)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];
	int ret;

	ret = vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err));
	if (ret != 0)
		print_error("unexpected errors:\n%s\n", err);
	assert_int_equal(ret, 0);
	assert_non_null(c);
	assert_string_equal(err, "");
	return c;
}

static void
assert_mac(const struct rte_ether_addr *m, const char *want)
{
	char got[32];

	snprintf(got, sizeof(got), "%02x:%02x:%02x:%02x:%02x:%02x", m->addr_bytes[0],
		m->addr_bytes[1], m->addr_bytes[2], m->addr_bytes[3], m->addr_bytes[4],
		m->addr_bytes[5]);
	assert_string_equal(got, want);
}

/* ---- The shipped example --------------------------------------------------------------- */

static void
example_counts(void **state)
{
	struct vxg_config_counts n;
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load(VXG_SRC_ROOT "/config/example.yaml", &c, err, sizeof(err)), 0);
	vxg_config_count(c, &n);
	assert_int_equal(n.vpcs, 1);
	assert_int_equal(n.networks, 2);
	assert_int_equal(n.ports, 2);
	assert_int_equal(n.security_groups, 2);
	assert_int_equal(n.rules, 3);
	assert_int_equal(n.port_groups, 0);
	assert_int_equal(n.address_sets, 0);
	assert_int_equal(n.routes, 1);
	assert_int_equal(n.snat, 1);
	assert_int_equal(n.floating_ips, 1);
	assert_int_equal(n.interfaces, 3);
	assert_string_equal(c->path, VXG_SRC_ROOT "/config/example.yaml");
	vxg_config_free(c);
}

static void
interface_mac(void **state)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load_string("t.yaml",
			"interfaces:\n"
			"  - {name: a, device: net_null0, role: access, mac: 02:00:00:00:aa:01}\n"
			"  - {name: b, device: net_null1, role: access}\n",
			&c, err, sizeof(err)),
		0);
	assert_true(c->interfaces[0].mac_set);
	assert_mac(&c->interfaces[0].mac, "02:00:00:00:aa:01");
	assert_false(c->interfaces[1].mac_set);
	vxg_config_free(c);
}

static void
example_interfaces(void **state)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load(VXG_SRC_ROOT "/config/example.yaml", &c, err, sizeof(err)), 0);
	assert_int_equal(c->dataplane.burst, 32);
	assert_int_equal(c->dataplane.mbufs, 32768);
	assert_int_equal(c->dataplane.limits.fdb, 1048576);
	assert_int_equal(c->dataplane.limits.neighbours, 65536);
	assert_int_equal(c->dataplane.limits.sessions, 1048576);
	assert_string_equal(c->interfaces[0].name, "uplink");
	assert_string_equal(c->interfaces[0].device, "net_tap0,iface=vxg-uplink");
	assert_int_equal(c->interfaces[0].role, VXG_ROLE_UNDERLAY);
	assert_int_equal(c->interfaces[0].address, IP(172, 16, 0, 1));
	assert_int_equal(c->interfaces[0].prefixlen, 24);
	assert_int_equal(c->interfaces[0].gateway, IP(172, 16, 0, 254));
	assert_int_equal(c->interfaces[0].mtu, 1600);
	assert_int_equal(c->interfaces[1].role, VXG_ROLE_EXTERNAL);
	assert_int_equal(c->interfaces[1].mtu, 1500);
	assert_int_equal(c->interfaces[2].role, VXG_ROLE_ACCESS);
	assert_int_equal(c->interfaces[2].address, 0);
	assert_true(c->vtep.enabled);
	assert_int_equal(c->vtep.address, IP(172, 16, 0, 1));
	assert_int_equal(c->vtep.udp_port, 4789);
	assert_true(c->vtep.learning);
	assert_int_equal(c->vtep.ageing, 300);
	assert_int_equal(c->vtep.underlay, 0);
	assert_int_equal(vxg_config_find_interface(c, "local"), 2);
	assert_int_equal(vxg_config_find_interface(c, "nope"), VXG_NONE);
	assert_string_equal(vxg_role_name(VXG_ROLE_EXTERNAL), "external");
	vxg_config_free(c);
}

static void
example_vpc(void **state)
{
	const struct vxg_network_cfg *web, *db;
	const struct vxg_vpc_cfg *v;
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load(VXG_SRC_ROOT "/config/example.yaml", &c, err, sizeof(err)), 0);
	v = &c->vpcs[0];
	web = &v->networks[0];
	db = &v->networks[1];
	assert_string_equal(v->name, "blue");
	assert_string_equal(web->name, "web");
	assert_int_equal(web->vni, 100);
	assert_int_equal(web->cidr.addr, IP(10, 1, 0, 0));
	assert_int_equal(web->cidr.len, 24);
	assert_int_equal(web->gateway, IP(10, 1, 0, 1));
	assert_int_equal(web->mtu, 1450);
	assert_int_equal(web->n_flood, 2);
	assert_int_equal(web->flood[1], IP(172, 16, 0, 3));
	assert_false(web->gw_mac_set);
	assert_mac(&web->gw_mac, "02:76:78:00:00:64");
	assert_true(web->dhcp.enabled);
	assert_int_equal(web->dhcp.range_start, IP(10, 1, 0, 100));
	assert_int_equal(web->dhcp.range_end, IP(10, 1, 0, 199));
	assert_int_equal(web->dhcp.lease, 3600);
	assert_int_equal(web->dhcp.n_dns, 1);
	assert_int_equal(web->dhcp.dns[0], IP(192, 0, 2, 53));
	assert_string_equal(web->dhcp.domain, "blue.example");
	assert_int_equal(db->vni, 200);
	assert_false(db->dhcp.enabled);
	assert_mac(&db->gw_mac, "02:76:78:00:00:c8");
	/* positions point at each object's mapping */
	assert_int_equal(web->pos.line, 33);
	assert_int_equal(web->pos.col, 9);
	vxg_config_free(c);
}

static void
example_ports_and_policy(void **state)
{
	const struct vxg_port_cfg *vm1, *vm2;
	const struct vxg_vpc_cfg *v;
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load(VXG_SRC_ROOT "/config/example.yaml", &c, err, sizeof(err)), 0);
	v = &c->vpcs[0];
	vm1 = &v->ports[0];
	vm2 = &v->ports[1];
	assert_int_equal(vm1->network, 0);
	assert_mac(&vm1->mac, "02:00:0a:01:00:0b");
	assert_int_equal(vm1->n_ips, 1);
	assert_int_equal(vm1->ips[0], IP(10, 1, 0, 11));
	assert_int_equal(vm1->loc, VXG_LOC_VTEP);
	assert_int_equal(vm1->vtep, IP(172, 16, 0, 2));
	assert_int_equal(vm1->n_sgs, 1);
	assert_int_equal(vm1->sgs[0], 0);
	assert_true(vm1->port_security);
	assert_int_equal(vm2->network, 1);
	assert_int_equal(vm2->loc, VXG_LOC_INTERFACE);
	assert_int_equal(vm2->interface, 2);
	assert_int_equal(vm2->vlan, 0);
	assert_int_equal(vm2->sgs[0], 1);

	assert_true(v->sgs[0].stateful);
	assert_int_equal(v->sgs[0].rules[0].dir, VXG_DIR_INGRESS);
	assert_int_equal(v->sgs[0].rules[0].proto, 6);
	assert_int_equal(v->sgs[0].rules[0].port_min, 80);
	assert_int_equal(v->sgs[0].rules[0].port_max, 80);
	assert_int_equal(v->sgs[0].rules[0].remote_kind, VXG_REMOTE_CIDR);
	assert_int_equal(v->sgs[0].rules[0].remote.len, 0);
	assert_int_equal(v->sgs[0].rules[1].proto, 1);
	assert_int_equal(v->sgs[0].rules[1].icmp_type, -1);
	assert_int_equal(v->sgs[1].rules[0].port_min, 5432);
	assert_int_equal(v->sgs[1].rules[0].port_max, 5433);
	assert_int_equal(v->sgs[1].rules[0].remote_kind, VXG_REMOTE_GROUP);
	assert_int_equal(v->sgs[1].rules[0].remote_index, 0);

	assert_int_equal(v->routes[0].prefix.len, 0);
	assert_int_equal(v->routes[0].via, 1);
	assert_int_equal(v->routes[0].nexthop, 0);
	assert_int_equal(v->nat.snat, IP(203, 0, 113, 10));
	assert_int_equal(v->nat.interface, 1);
	assert_int_equal(v->nat.port_min, 1024);
	assert_int_equal(v->nat.port_max, 65535);
	assert_int_equal(v->nat.fips[0].ip, IP(203, 0, 113, 20));
	assert_int_equal(v->nat.fips[0].port, 0);
	assert_int_equal(v->nat.fips[0].fixed_ip, IP(10, 1, 0, 11));
	vxg_config_free(c);
}

/* ---- Everything the schema has beyond the example ------------------------------------- */

static const char full_yaml[] =
	"dataplane:\n"
	"  burst: 64\n"
	"  mbufs: 4096\n"
	"  rx_desc: 512\n"
	"  tx_desc: 2048\n"
	"  idle_sleep_us: 0\n"
	"  dhcp_rate: 0\n"
	"  dhcp_client_rate: 0\n"
	"  limits: {fdb: 4096, neighbours: 1024, sessions: 8192}\n"
	"interfaces:\n"
	"  - name: uplink\n"
	"    device: \"0000:3b:00.0\"\n"
	"    role: underlay\n"
	"    address: 172.16.0.1/24\n"
	"    mtu: 9000\n"
	"    neighbours:\n"
	"      - {ip: 172.16.0.2, mac: \"02:aa:00:00:00:02\"}\n"
	"  - {name: wan, device: net_tap1, role: external, address: 203.0.113.2/24, gateway: "
	"203.0.113.1}\n"
	"  - {name: wan2, device: net_tap3, role: external, address: 198.51.100.2/24}\n"
	"  - {name: local, device: net_tap2, role: access, mtu: 9000}\n"
	"vtep:\n"
	"  address: 172.16.0.1\n"
	"  udp_port: 8472\n"
	"  learning: false\n"
	"  ageing: 600\n"
	"  udp_csum: true\n"
	"  ttl: 16\n"
	"  df: true\n"
	"  src_ports: 49152-65535\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - name: web\n"
	"        vni: 16777215\n"
	"        cidr: 10.1.0.0/24\n"
	"        gateway: 10.1.0.1\n"
	"        gateway_mac: \"02:11:22:33:44:55\"\n"
	"        dhcp:\n"
	"          range: [10.1.0.100, 10.1.0.110]\n"
	"          dns: [192.0.2.53, 192.0.2.54]\n"
	"          domain: blue.example\n"
	"          hosts:\n"
	"            - {mac: \"02:00:00:00:01:01\", ip: 10.1.0.50, hostname: db1}\n"
	"      - {name: app, vni: 7, cidr: 10.7.0.0/16, gateway: 10.7.0.1}\n"
	"    ports:\n"
	"      - name: vm1\n"
	"        network: web\n"
	"        mac: \"02:00:00:00:00:01\"\n"
	"        ips: [10.1.0.11, 10.1.0.12]\n"
	"        location: {interface: local, vlan: 100}\n"
	"        security_groups: [web, ssh]\n"
	"        allowed_address_pairs:\n"
	"          - {ip: 10.1.0.128/25}\n"
	"          - {ip: 192.0.2.7, mac: \"02:00:00:00:00:99\"}\n"
	"      - name: vm2\n"
	"        network: app\n"
	"        mac: \"02:00:00:00:00:02\"\n"
	"        ip: 10.7.1.2\n"
	"        location: {vtep: 172.16.0.2}\n"
	"        port_security: false\n"
	"    port_groups:\n"
	"      - {name: frontends, ports: [vm2, vm1]}\n"
	"    address_sets:\n"
	"      - {name: office, addresses: [192.0.2.0/24, 198.51.100.7]}\n"
	"    security_groups:\n"
	"      - name: web\n"
	"        stateful: false\n"
	"        rules:\n"
	"          - {direction: egress, ethertype: IPv4, protocol: udp, ports: 53, address_set: "
	"office}\n"
	"          - {direction: ingress, protocol: icmp, type: 8, code: 0, remote_port_group: "
	"frontends}\n"
	"          - {direction: ingress, protocol: 47, remote_group: ssh}\n"
	"          - {direction: ingress, protocol: sctp, remote: 192.0.2.1}\n"
	"      - name: ssh\n"
	"        rules: []\n"
	"    routes:\n"
	"      - {prefix: 0.0.0.0/0, via: wan}\n"
	"      - {prefix: 192.168.0.0/16, nexthop: 10.1.0.254}\n"
	"      - {prefix: 198.18.0.0/15, via: wan2, nexthop: 198.51.100.1}\n"
	"    nat:\n"
	"      snat: 198.51.100.10\n"
	"      snat_ports: 20000-29999\n"
	"      interface: wan2\n"
	"      floating_ips:\n"
	"        - {ip: 198.51.100.20, port: vm1, fixed_ip: 10.1.0.12}\n"
	"        - {ip: 198.51.100.21, port: vm1}\n";

static void
full_dataplane_vtep_interfaces(void **state)
{
	struct vxg_config *c = load_ok(full_yaml);
	const struct vxg_if_cfg *up = &c->interfaces[0];

	assert_int_equal(c->dataplane.burst, 64);
	assert_int_equal(c->dataplane.mbufs, 4096);
	assert_int_equal(c->dataplane.rx_desc, 512);
	assert_int_equal(c->dataplane.tx_desc, 2048);
	assert_int_equal(c->dataplane.idle_sleep_us, 0);
	assert_int_equal(c->dataplane.dhcp_rate, 0);
	assert_int_equal(c->dataplane.dhcp_client_rate, 0);
	assert_int_equal(c->dataplane.limits.sessions, 8192);
	assert_string_equal(up->device, "0000:3b:00.0");
	assert_int_equal(up->mtu, 9000);
	assert_int_equal(up->n_neighbours, 1);
	assert_int_equal(up->neighbours[0].ip, IP(172, 16, 0, 2));
	assert_mac(&up->neighbours[0].mac, "02:aa:00:00:00:02");
	assert_int_equal(c->vtep.udp_port, 8472);
	assert_false(c->vtep.learning);
	assert_int_equal(c->vtep.ageing, 600);
	assert_true(c->vtep.udp_csum);
	assert_int_equal(c->vtep.ttl, 16);
	assert_true(c->vtep.df);
	assert_int_equal(c->vtep.src_port_min, 49152);
	assert_int_equal(c->vtep.src_port_max, 65535);
	vxg_config_free(c);
}

static void
full_networks_ports(void **state)
{
	struct vxg_config *c = load_ok(full_yaml);
	const struct vxg_vpc_cfg *v = &c->vpcs[0];
	const struct vxg_network_cfg *web = &v->networks[0], *app = &v->networks[1];
	const struct vxg_port_cfg *vm1 = &v->ports[0], *vm2 = &v->ports[1];

	assert_int_equal(web->vni, VXG_VNI_MAX);
	assert_true(web->gw_mac_set);
	assert_mac(&web->gw_mac, "02:11:22:33:44:55");
	assert_int_equal(web->mtu, 8950); /* underlay 9000 - 50 */
	assert_int_equal(web->dhcp.lease, 86400);
	assert_int_equal(web->dhcp.n_dns, 2);
	assert_int_equal(web->dhcp.n_hosts, 1);
	assert_string_equal(web->dhcp.hosts[0].hostname, "db1");
	assert_int_equal(web->dhcp.hosts[0].ip, IP(10, 1, 0, 50));
	assert_mac(&app->gw_mac, "02:76:78:00:00:07");
	assert_int_equal(vm1->n_ips, 2);
	assert_int_equal(vm1->ips[1], IP(10, 1, 0, 12));
	assert_int_equal(vm1->loc, VXG_LOC_INTERFACE);
	assert_int_equal(vm1->interface, 3);
	assert_int_equal(vm1->vlan, 100);
	assert_int_equal(vm1->n_sgs, 2);
	assert_int_equal(vm1->sgs[1], 1);
	assert_int_equal(vm1->n_pairs, 2);
	assert_int_equal(vm1->pairs[0].ip.addr, IP(10, 1, 0, 128));
	assert_int_equal(vm1->pairs[0].ip.len, 25);
	assert_false(vm1->pairs[0].mac_set);
	assert_int_equal(vm1->pairs[1].ip.len, 32);
	assert_true(vm1->pairs[1].mac_set);
	assert_mac(&vm1->pairs[1].mac, "02:00:00:00:00:99");
	assert_true(vm1->port_security);
	assert_int_equal(vm2->network, 1);
	assert_false(vm2->port_security);
	assert_int_equal(v->n_port_groups, 1);
	assert_int_equal(v->port_groups[0].n_ports, 2);
	assert_int_equal(v->port_groups[0].ports[0], 1);
	assert_int_equal(v->port_groups[0].ports[1], 0);
	assert_int_equal(v->address_sets[0].n_addrs, 2);
	assert_int_equal(v->address_sets[0].addrs[1].addr, IP(198, 51, 100, 7));
	assert_int_equal(v->address_sets[0].addrs[1].len, 32);
	vxg_config_free(c);
}

static void
full_rules_routes_nat(void **state)
{
	struct vxg_config *c = load_ok(full_yaml);
	const struct vxg_vpc_cfg *v = &c->vpcs[0];
	const struct vxg_rule_cfg *r = v->sgs[0].rules;

	assert_false(v->sgs[0].stateful);
	assert_int_equal(v->sgs[1].n_rules, 0);
	assert_int_equal(r[0].dir, VXG_DIR_EGRESS);
	assert_int_equal(r[0].ethertype, RTE_ETHER_TYPE_IPV4);
	assert_int_equal(r[0].proto, 17);
	assert_int_equal(r[0].remote_kind, VXG_REMOTE_ADDRESS_SET);
	assert_int_equal(r[0].remote_index, 0);
	assert_int_equal(r[1].icmp_type, 8);
	assert_int_equal(r[1].icmp_code, 0);
	assert_int_equal(r[1].port_min, 0);
	assert_int_equal(r[1].port_max, 65535);
	assert_int_equal(r[1].remote_kind, VXG_REMOTE_PORT_GROUP);
	assert_int_equal(r[1].remote_index, 0);
	assert_int_equal(r[2].proto, 47);
	assert_int_equal(r[2].remote_kind, VXG_REMOTE_GROUP);
	assert_int_equal(r[2].remote_index, 1);
	assert_int_equal(r[3].proto, 132);
	assert_int_equal(r[3].remote.addr, IP(192, 0, 2, 1));
	assert_int_equal(r[3].remote.len, 32);

	assert_int_equal(v->routes[1].via, VXG_NONE);
	assert_int_equal(v->routes[1].nexthop, IP(10, 1, 0, 254));
	assert_int_equal(v->routes[2].via, 2);
	assert_int_equal(v->routes[2].nexthop, IP(198, 51, 100, 1));
	assert_int_equal(v->nat.interface, 2);
	assert_int_equal(v->nat.port_min, 20000);
	assert_int_equal(v->nat.port_max, 29999);
	assert_int_equal(v->nat.fips[0].fixed_ip, IP(10, 1, 0, 12));
	assert_int_equal(v->nat.fips[1].fixed_ip, IP(10, 1, 0, 11));
	vxg_config_free(c);
}

/* ---- Defaults and edge cases that must be accepted ------------------------------------ */

static void
defaults(void **state)
{
	struct vxg_config *c = load_ok(
		"interfaces:\n"
		"  - {name: uplink, device: net_tap0, role: underlay, address: 172.16.0.1/24}\n"
		"  - {name: wan, device: net_tap1, role: external, address: 203.0.113.2/24, "
		"gateway: 203.0.113.1}\n"
		"vtep: {address: 172.16.0.1}\n"
		"vpcs:\n"
		"  - name: blue\n"
		"    networks:\n"
		"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, dhcp: {}}\n"
		"    ports:\n"
		"      - {name: vm1, network: web, mac: \"02:00:00:00:00:01\", ip: 10.1.0.11, "
		"location: {vtep: 172.16.0.2}}\n"
		"    security_groups:\n"
		"      - name: web\n"
		"        rules:\n"
		"          - {direction: ingress}\n"
		"    nat:\n"
		"      floating_ips:\n"
		"        - {ip: 203.0.113.20, port: vm1}\n");
	const struct vxg_vpc_cfg *v = &c->vpcs[0];
	const struct vxg_rule_cfg *r = &v->sgs[0].rules[0];

	assert_int_equal(c->dataplane.burst, 32);
	assert_int_equal(c->dataplane.mbufs, 32768);
	assert_int_equal(c->dataplane.rx_desc, 1024);
	assert_int_equal(c->dataplane.tx_desc, 1024);
	assert_int_equal(c->dataplane.idle_sleep_us, 200);
	assert_int_equal(c->dataplane.dhcp_rate, 2000);
	assert_int_equal(c->dataplane.dhcp_client_rate, 10);
	assert_int_equal(c->dataplane.limits.fdb, 1048576);
	assert_int_equal(c->vtep.ttl, 64);
	assert_false(c->vtep.udp_csum);
	assert_false(c->vtep.df);
	assert_int_equal(c->vtep.src_port_min, 32768);
	assert_int_equal(c->vtep.src_port_max, 60999);
	assert_int_equal(v->networks[0].mtu, 1450);
	assert_true(v->networks[0].dhcp.enabled);
	assert_int_equal(v->networks[0].dhcp.lease, 86400);
	assert_int_equal(v->networks[0].dhcp.range_start, 0);
	assert_true(v->ports[0].port_security);
	assert_true(v->sgs[0].stateful);
	assert_int_equal(r->ethertype, RTE_ETHER_TYPE_IPV4);
	assert_int_equal(r->proto, VXG_PROTO_ANY);
	assert_int_equal(r->remote_kind, VXG_REMOTE_ANY);
	assert_int_equal(r->icmp_type, -1);
	assert_int_equal(r->icmp_code, -1);
	assert_int_equal(v->nat.interface, 1); /* the first external interface */
	assert_int_equal(v->nat.snat, 0);
	assert_int_equal(v->nat.fips[0].fixed_ip, IP(10, 1, 0, 11));
	vxg_config_free(c);
}

/* No underlay: networks default to 1450; no vtep:, no NAT, empty lists are fine. */
static void
minimal_and_empty_lists(void **state)
{
	struct vxg_config *c = load_ok("interfaces:\n"
				       "  - {name: local, device: net_ring0, role: access}\n"
				       "vpcs:\n"
				       "  - name: blue\n"
				       "    networks:\n"
				       "      - {name: web, vni: 1, cidr: 10.1.0.0/24}\n"
				       "    ports:\n"
				       "    routes: []\n"
				       "  - name: red\n");

	assert_false(c->vtep.enabled);
	assert_int_equal(c->vtep.underlay, VXG_NONE);
	assert_int_equal(c->n_vpcs, 2);
	assert_int_equal(c->vpcs[0].networks[0].mtu, 1450);
	assert_int_equal(c->vpcs[0].networks[0].gateway, 0);
	assert_int_equal(c->vpcs[0].n_ports, 0);
	assert_int_equal(c->vpcs[0].nat.interface, VXG_NONE);
	assert_int_equal(c->vpcs[1].n_networks, 0);
	vxg_config_free(c);
}

/* Two VPCs may reuse the same addresses: their routers are separate. */
static void
vpcs_may_overlap(void **state)
{
	struct vxg_config *c = load_ok(
		"interfaces:\n"
		"  - {name: local, device: net_ring0, role: access}\n"
		"vpcs:\n"
		"  - name: blue\n"
		"    networks: [{name: web, vni: 1, cidr: 10.1.0.0/24, gateway: 10.1.0.1}]\n"
		"    ports: [{name: a, network: web, mac: \"02:00:00:00:00:01\", ip: 10.1.0.5, "
		"location: {interface: local, vlan: 10}}]\n"
		"  - name: red\n"
		"    networks: [{name: web, vni: 2, cidr: 10.1.0.0/16, gateway: 10.1.0.1}]\n"
		"    ports: [{name: a, network: web, mac: \"02:00:00:00:00:02\", ip: 10.1.0.5, "
		"location: {interface: local, vlan: 20}}]\n");

	assert_int_equal(c->vpcs[1].networks[0].cidr.len, 16);
	assert_int_equal(c->vpcs[1].ports[0].vlan, 20);
	vxg_config_free(c);
}

static void
load_missing_file(void **state)
{
	struct vxg_config *c = (struct vxg_config *)&c;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load("/nonexistent/vxgate.yaml", &c, err, sizeof(err)), -ENOENT);
	assert_null(c);
	assert_non_null(strstr(err, "/nonexistent/vxgate.yaml: cannot read"));
	vxg_config_free(NULL);
}

/* All errors are reported, in file order; a short buffer is cut but terminated. */
static void
errors_collected_in_order(void **state)
{
	static const char yaml[] = "vpcs: []\n"
				   "interfaces:\n"
				   "  - {name: a, device: x, role: access, mtu: 10}\n"
				   "dataplane: {burst: 0}\n";
	struct vxg_config *c = NULL;
	char err[ERR_LEN], small[40];

	assert_int_equal(vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.yaml:3:45: interface a: mtu 10 is out of range 68..9600\n"
				 "t.yaml:4:20: dataplane: burst 0 is out of range 1..256");
	assert_int_equal(vxg_config_load_string("t.yaml", yaml, &c, small, sizeof(small)), -EINVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_null(c);
}

static void
errors_capped(void **state)
{
	char yaml[8192], err[ERR_LEN];
	struct vxg_config *c = NULL;
	size_t used;
	int i;

	used = snprintf(yaml, sizeof(yaml), "interfaces:\n");
	for (i = 0; i < 60; i++)
		used += snprintf(yaml + used, sizeof(yaml) - used,
			"  - {name: i%d, device: d%d, role: bogus}\n", i, i);
	assert_int_equal(vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "t.yaml: 10 more errors not shown"));
}

/* ---- Rejected files: one case each ---------------------------------------------------- */

/*
 * A valid base, line by line, so each case can say where its mistake is. Lines 1-9:
 *   1 interfaces:
 *   2-4 uplink (underlay), wan (external), local (access)
 *   5 vtep
 *   6 vpcs:  7 - name: blue  8 networks:  9 - name: web ... (block style from there)
 */
#define IFS                                                                             \
	"interfaces:\n"                                                                 \
	"  - {name: uplink, device: net_tap0, role: underlay, address: 172.16.0.1/24, " \
	"gateway: 172.16.0.254}\n"                                                      \
	"  - {name: wan, device: net_tap1, role: external, address: 203.0.113.2/24, "   \
	"gateway: 203.0.113.1}\n"                                                       \
	"  - {name: local, device: net_tap2, role: access}\n"
#define VTEP "vtep: {address: 172.16.0.1}\n"
#define BLUE "vpcs:\n  - name: blue\n    networks:\n"
/* lines 9-12 */
#define WEB                           \
	"      - name: web\n"         \
	"        vni: 100\n"          \
	"        cidr: 10.1.0.0/24\n" \
	"        gateway: 10.1.0.1\n"
#define HEAD IFS VTEP BLUE WEB
/* lines 13-18 */
#define PORTS "    ports:\n"
#define VM1                                    \
	"      - name: vm1\n"                  \
	"        network: web\n"               \
	"        mac: \"02:00:00:00:00:01\"\n" \
	"        ip: 10.1.0.11\n"              \
	"        location: {vtep: 172.16.0.2}\n"
/* a second VPC from line 19 (after HEAD PORTS VM1) */
#define RED "  - name: red\n    networks:\n"

struct reject {
	const char *name;
	const char *yaml;
	const char *where; /* "t.yaml:LINE:COL: OBJECT:", the start of the first line */
	const char *phrase; /* in that first line */
};

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
	{"missing_interfaces", VTEP, "t.yaml:1:1: config:", "missing required key 'interfaces'"},
	{"empty_interfaces", "interfaces: []\n", "t.yaml:1:13: config:", "interfaces: is empty"},
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
	{"interface_address_network",
		"interfaces:\n"
		"  - {name: a, device: x, role: underlay, address: 172.16.0.0/24}\n",
		"t.yaml:2:51: interface a:", "is the network address of 172.16.0.0/24"},
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
		"t.yaml:14:9: vpc blue port vm1:", "missing required key 'location'"},
	{"port_needs_mac",
		HEAD PORTS "      - {name: vm1, network: web, location: {vtep: 1.2.3.4}}\n",
		"t.yaml:14:9: vpc blue port vm1:", "missing required key 'mac'"},
	{"port_needs_network",
		HEAD PORTS
		"      - {name: vm1, mac: \"02:00:00:00:00:01\", location: {vtep: 1.2.3.4}}\n",
		"t.yaml:14:9: vpc blue port vm1:", "missing required key 'network'"},
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
	{"dhcp_too_many_dns",
		IFS VTEP BLUE WEB
		"        dhcp: {dns: [192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4, 192.0.2.5]}\n",
		"t.yaml:13:21: vpc blue network web dhcp:", "dns: at most 4 addresses, got 5"},
	/* ports */
	{"ip_and_ips", HEAD PORTS VM1 "        ips: [10.1.0.12]\n",
		"t.yaml:19:14: vpc blue port vm1:", "give either ip or ips, not both"},
	{"too_many_ips",
		HEAD PORTS
		"      - name: vm1\n        network: web\n"
		"        mac: \"02:00:00:00:00:01\"\n        location: {vtep: 172.16.0.2}\n"
		"        ips: [10.1.0.2, 10.1.0.3, 10.1.0.4, 10.1.0.5, 10.1.0.6, 10.1.0.7, "
		"10.1.0.8, "
		"10.1.0.9, 10.1.0.10]\n",
		"t.yaml:18:14: vpc blue port vm1:", "ips: at most 8 addresses, got 9"},
	{"no_port_security_with_groups",
		HEAD "    security_groups: [{name: sg}]\n" PORTS VM1
		     "        security_groups: [sg]\n        port_security: false\n",
		"t.yaml:21:24: vpc blue port vm1:", "port_security is false but security_groups"},
	/* security group rules */
	{"rule_needs_direction",
		HEAD "    security_groups: [{name: sg, rules: [{protocol: tcp}]}]\n",
		"t.yaml:13:42: vpc blue security_group sg rule 1:",
		"missing required key 'direction'"},
	{"rule_ipv6",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: IPv6}\n",
		"t.yaml:16:45: vpc blue security_group sg rule 1:",
		"ethertype IPv6 is not supported yet"},
	{"rule_ports_need_protocol",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: icmp, ports: 22}\n",
		"t.yaml:16:57: vpc blue security_group sg rule 1:",
		"ports apply only to protocol tcp, udp or sctp"},
	{"rule_bad_protocol",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: 256}\n",
		"t.yaml:16:44: vpc blue security_group sg rule 1:",
		"protocol '256' is not tcp, udp, icmp, sctp, any or a number 0..255"},
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
	/* routes and NAT */
	{"route_needs_via_or_nexthop", HEAD "    routes: [{prefix: 0.0.0.0/0}]\n",
		"t.yaml:13:14: vpc blue route 1:", "give via (an interface), nexthop"},
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

/* On failure, show the line the first error points at with a caret under the column. */
static void
show_position(const char *yaml, const char *err)
{
	unsigned line, col, i;
	const char *p = yaml;

	if (sscanf(err, "t.yaml:%u:%u:", &line, &col) != 2)
		return;
	for (i = 1; i < line && p != NULL; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (p != NULL)
		print_error("%.*s\n%*s^\n", (int)strcspn(p, "\n"), p, (int)col - 1, "");
}

static void
reject(void **state)
{
	const struct reject *r = *state;
	struct vxg_config *c = (struct vxg_config *)&c;
	char err[ERR_LEN], first[ERR_LEN];
	int ret;

	ret = vxg_config_load_string("t.yaml", r->yaml, &c, err, sizeof(err));
	assert_null(c);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(err, "\n"), err);
	if (ret != -EINVAL || strncmp(first, r->where, strlen(r->where)) != 0 ||
		strstr(first, r->phrase) == NULL) {
		print_error("%s: want \"%s ... %s\", got %d:\n%s\n", r->name, r->where, r->phrase,
			ret, err);
		show_position(r->yaml, err);
		fail();
	}
}

static const struct CMUnitTest fixed[] = {
	cmocka_unit_test(example_counts),
	cmocka_unit_test(example_interfaces),
	cmocka_unit_test(interface_mac),
	cmocka_unit_test(example_vpc),
	cmocka_unit_test(example_ports_and_policy),
	cmocka_unit_test(full_dataplane_vtep_interfaces),
	cmocka_unit_test(full_networks_ports),
	cmocka_unit_test(full_rules_routes_nat),
	cmocka_unit_test(defaults),
	cmocka_unit_test(minimal_and_empty_lists),
	cmocka_unit_test(vpcs_may_overlap),
	cmocka_unit_test(load_missing_file),
	cmocka_unit_test(errors_collected_in_order),
	cmocka_unit_test(errors_capped),
};

/* One named test per rejected case, so a failure says which. */
int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(fixed) + RTE_DIM(rejects)];
	unsigned i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < RTE_DIM(rejects); i++) {
		tests[RTE_DIM(fixed) + i] = (struct CMUnitTest){
			.name = rejects[i].name,
			.test_func = reject,
			.initial_state = (void *)&rejects[i],
		};
	}
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
