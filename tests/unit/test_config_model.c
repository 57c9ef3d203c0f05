/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's model (config.c and the schema): the shipped example parses to the
 * model the daemon expects, every key of the schema is accepted and lands in its field,
 * defaults are filled in, edge cases are accepted, and the entry points report a missing
 * file, every error in file order, and a cap on their number.
 * No EAL: the loader only uses header-inline helpers from DPDK.
 */
#include "config/fields.h"

#include "config_fixture.h"
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
	assert_int_equal(c->dataplane.limits.fdb, 131072);
	assert_int_equal(c->dataplane.limits.neighbours, 65536);
	assert_int_equal(c->dataplane.limits.sessions, 131072);
	assert_int_equal(vxg_vpc_sessions(c, 0), 131072); /* no limits of its own */
	assert_int_equal(vxg_vpc_conntrack(c, 0), c->dataplane.limits.conntrack);
	assert_string_equal(c->interfaces[0].name, "uplink");
	assert_string_equal(c->interfaces[0].device, "net_tap0,iface=vxg-uplink");
	assert_int_equal(c->interfaces[0].role, VXG_ROLE_UNDERLAY);
	assert_int_equal(c->interfaces[0].address, IP(172, 16, 0, 1));
	assert_int_equal(c->interfaces[0].prefixlen, 24);
	assert_int_equal(c->interfaces[0].gateway, IP(172, 16, 0, 254));
	assert_int_equal(c->interfaces[0].mtu, 1500);
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
	assert_int_equal(web->pos.line, 35);
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
	"    limits: {sessions: 4096, conntrack: 1024}\n"
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
	/* a VPC's own limits over dataplane.limits' */
	assert_int_equal(vxg_vpc_sessions(c, 0), 4096);
	assert_int_equal(vxg_vpc_conntrack(c, 0), 1024);
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

/* ---- What the entry points report ---------------------------------------------------- */

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

static const struct CMUnitTest tests[] = {
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

int
main(void)
{
	return cmocka_run_group_tests_name("config_model", tests, NULL, NULL);
}
