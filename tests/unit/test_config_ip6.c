/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's IPv6 fields: the dual-stack example loads to the model the
 * features read (networks' ipv6 blocks with their defaults, ports' fixed and EUI-64
 * addresses, pairs, routes, interface address6/gateway6, rules and address sets), the
 * text forms (inet_pton/inet_ntop, EUI-64 against a known value), and each IPv6 mistake
 * refused with its "FILE:LINE:COL: OBJECT:" and message.
 * No EAL: the loader only uses header-inline helpers from DPDK.
 */
#include <arpa/inet.h>

#include "config/fields.h"

#include "config_fixture.h"

/* The example, completed: lines 1-5 interfaces and vtep, 6-30 the VPC. */
static const char dual_stack[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_tap0, role: underlay, address: 172.16.0.1/24}\n"
	"  - {name: wan, device: net_tap1, role: external, address: 198.51.100.2/24,\n"
	"     gateway: 198.51.100.1, address6: 2001:db8:ff::2/64, gateway6: 2001:db8:ff::1}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,\n"
	"         ipv6: {cidr: 2001:db8:1::/64, gateway: 2001:db8:1::1, mode: slaac,\n"
	"                dns: [2001:db8::53], domain: blue.example}}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,\n"
	"         ipv6: {cidr: \"2001:db8:2::/64\", mode: dhcpv6-stateful, lease: 3600,\n"
	"                range: [2001:db8:2::100, 2001:db8:2::1ff], ra_interval: 30}}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:00:00:00:01\", ip: 10.1.0.11,\n"
	"         ip6: 2001:db8:1::11, location: {vtep: 172.16.0.2},\n"
	"         allowed_address_pairs: [{ip: \"2001:db8:1:0:1::/80\"}, {ip: 10.1.0.128/25}]}\n"
	"      - {name: vm2, network: web, mac: \"52:54:00:12:34:56\", ip: 10.1.0.12,\n"
	"         location: {vtep: 172.16.0.2}}\n"
	"      - {name: vm3, network: db, mac: \"02:00:00:00:00:03\", location: {vtep: "
	"172.16.0.2}}\n"
	"    routes:\n"
	"      - {prefix: \"::/0\", via: wan}\n"
	"      - {prefix: 2001:db8:99::/48, nexthop: 2001:db8:2::9}\n"
	"      - {prefix: 0.0.0.0/0, via: wan}\n"
	"    address_sets:\n"
	"      - {name: mix, addresses: [10.0.0.0/8, \"2001:db8::/32\", \"2001:db8:ff::/48\"]}\n"
	"    security_groups:\n"
	"      - name: web\n"
	"        rules:\n"
	"          - {direction: ingress, ethertype: ipv6, protocol: tcp, ports: 80, "
	"remote: \"::/0\"}\n"
	"          - {direction: ingress, ethertype: ipv6, protocol: icmpv6, remote: \"::/0\"}\n"
	"          - {direction: ingress, protocol: icmpv6, type: 128, code: 0}\n"
	"          - {direction: ingress, protocol: udp, remote: 2001:db8::/32}\n"
	"          - {direction: egress, protocol: tcp}\n";

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
	return c;
}

static void
assert_ip6(const struct vxg_ip6 *ip, const char *want)
{
	char got[64];

	vxg_ip6_format(ip, got, sizeof(got));
	assert_string_equal(got, want);
}

static void
assert_cidr6(struct vxg_cidr6 c, const char *want)
{
	char got[64];

	vxg_cidr6_format(c, got, sizeof(got));
	assert_string_equal(got, want);
}

/* ---- Text forms ------------------------------------------------------------------------ */

static void
eui64_known_value(void **state)
{
	struct rte_ether_addr mac = {{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}};
	struct vxg_ip6 prefix, ip;

	ip = vxg_ip6_link_local(&mac);
	assert_ip6(&ip, "fe80::5054:ff:fe12:3456");
	/* the prefix's host bits do not leak into the address */
	assert_int_equal(config_text_ip6("2001:db8:1::ffff", &prefix), 0);
	ip = vxg_ip6_eui64(&prefix, &mac);
	assert_int_equal(config_text_ip6("2001:db8:1::5054:ff:fe12:3456", &prefix), 0);
	assert_memory_equal(&ip, &prefix, sizeof(ip));
	/* RFC 5952 4.2.2: a single zero field is not shortened to :: */
	assert_ip6(&ip, "2001:db8:1:0:5054:ff:fe12:3456");
	/* a locally administered MAC: the U/L bit flips to 0 */
	mac.addr_bytes[0] = 0x02;
	ip = vxg_ip6_link_local(&mac);
	assert_ip6(&ip, "fe80::54:ff:fe12:3456");
}

static void
text_ip6(void **state)
{
	struct vxg_ip6 ip, prefix;
	int len;

	assert_int_equal(config_text_cidr6("2001:db8::/32", &ip, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(config_text_cidr6("::", &ip, &len), 0);
	assert_int_equal(len, -1);
	assert_int_equal(config_text_cidr6("2001:db8::/129", &ip, &len), -EINVAL);
	assert_int_equal(config_text_cidr6("2001:db8::/", &ip, &len), -EINVAL);
	assert_int_equal(config_text_cidr6("2001:db8::/1x", &ip, &len), -EINVAL);
	assert_int_equal(config_text_cidr6("2001:db8:::1/64", &ip, &len), -EINVAL);
	assert_int_equal(config_text_ip6("10.0.0.1", &ip), -EINVAL);
	assert_int_equal(config_text_ip6("::ffff:10.0.0.1", &ip), 0);
	assert_string_equal(config_ip6_not_unicast(&ip), "an IPv4-mapped address");
	assert_int_equal(config_text_ip6("ff02::1", &ip), 0);
	assert_string_equal(config_ip6_not_unicast(&ip), "a multicast address");
	assert_int_equal(config_text_ip6("2001:DB8:0:0:0:0:0:1", &ip), 0);
	assert_null(config_ip6_not_unicast(&ip));
	assert_ip6(&ip, "2001:db8::1"); /* RFC 5952 */
	prefix = config_ip6_prefix(&ip, 0);
	assert_true(config_ip6_is_zero(&prefix));
	assert_int_equal(config_text_ip6("2001:db8:1:2:ffff::", &ip), 0);
	prefix = config_ip6_prefix(&ip, 68);
	assert_ip6(&prefix, "2001:db8:1:2:f000::");
	assert_true(config_cidr6_has((struct vxg_cidr6){prefix, 68}, &ip));
	assert_false(config_cidr6_has((struct vxg_cidr6){prefix, 69}, &ip));
	assert_true(config_text_is6("::/0"));
	assert_false(config_text_is6("0.0.0.0/0"));
}

/* ---- The example's model --------------------------------------------------------------- */

static void
example_networks(void **state)
{
	struct vxg_config *c = load_ok(dual_stack);
	const struct vxg_network_cfg *web = &c->vpcs[0].networks[0], *db = &c->vpcs[0].networks[1];
	const struct vxg_if_cfg *wan = &c->interfaces[1];

	assert_true(web->ip6.enabled);
	assert_cidr6(web->ip6.cidr, "2001:db8:1::/64");
	assert_ip6(&web->ip6.gateway, "2001:db8:1::1");
	assert_int_equal(web->ip6.mode, VXG_IP6_SLAAC);
	assert_int_equal(web->ip6.n_dns, 1);
	assert_ip6(&web->ip6.dns[0], "2001:db8::53");
	assert_string_equal(web->ip6.domain, "blue.example");
	assert_int_equal(web->ip6.lease, 86400);
	assert_int_equal(web->ip6.ra_interval, 200);
	assert_int_equal(web->ip6.ra_lifetime, 600);
	assert_true(config_ip6_is_zero(&web->ip6.range_start));
	/* defaults: gateway ::1, lifetime 3 intervals */
	assert_ip6(&db->ip6.gateway, "2001:db8:2::1");
	assert_int_equal(db->ip6.mode, VXG_IP6_DHCP_STATEFUL);
	assert_int_equal(db->ip6.lease, 3600);
	assert_int_equal(db->ip6.ra_interval, 30);
	assert_int_equal(db->ip6.ra_lifetime, 90);
	assert_ip6(&db->ip6.range_start, "2001:db8:2::100");
	assert_ip6(&db->ip6.range_end, "2001:db8:2::1ff");
	assert_false(c->interfaces[0].prefixlen6 != 0);
	assert_ip6(&wan->address6, "2001:db8:ff::2");
	assert_int_equal(wan->prefixlen6, 64);
	assert_ip6(&wan->gateway6, "2001:db8:ff::1");
	vxg_config_free(c);
}

static void
example_ports(void **state)
{
	struct vxg_config *c = load_ok(dual_stack);
	const struct vxg_port_cfg *p = c->vpcs[0].ports;

	assert_int_equal(p[0].n_ip6s, 1);
	assert_ip6(&p[0].ip6s[0], "2001:db8:1::11");
	assert_false(p[0].ip6_auto);
	assert_int_equal(p[0].n_pairs, 2);
	assert_true(p[0].pairs[0].is6);
	assert_cidr6(p[0].pairs[0].ip6, "2001:db8:1:0:1::/80");
	assert_false(p[0].pairs[1].is6);
	assert_int_equal(p[0].pairs[1].ip.len, 25);
	/* slaac, no ip6: the EUI-64 address of its MAC */
	assert_int_equal(p[1].n_ip6s, 1);
	assert_true(p[1].ip6_auto);
	assert_ip6(&p[1].ip6s[0], "2001:db8:1:0:5054:ff:fe12:3456");
	/* dhcpv6-stateful, no ip6: nothing (the server may lease one from the range) */
	assert_int_equal(p[2].n_ip6s, 0);
	assert_false(p[2].ip6_auto);
	vxg_config_free(c);
}

static void
example_routes_rules_sets(void **state)
{
	struct vxg_config *c = load_ok(dual_stack);
	const struct vxg_vpc_cfg *v = &c->vpcs[0];
	const struct vxg_rule_cfg *r = v->sgs[0].rules;
	const struct vxg_address_set_cfg *as = &v->address_sets[0];
	struct vxg_config_counts n;

	assert_true(v->routes[0].is6);
	assert_cidr6(v->routes[0].prefix6, "::/0");
	assert_int_equal(v->routes[0].via, 1);
	assert_true(config_ip6_is_zero(&v->routes[0].nexthop6));
	assert_true(v->routes[1].is6);
	assert_ip6(&v->routes[1].nexthop6, "2001:db8:2::9");
	assert_false(v->routes[2].is6);
	assert_int_equal(r[0].ethertype, RTE_ETHER_TYPE_IPV6);
	assert_int_equal(r[0].proto, 6);
	assert_int_equal(r[0].remote_kind, VXG_REMOTE_CIDR);
	assert_cidr6(r[0].remote6, "::/0");
	assert_int_equal(r[1].proto, CONFIG_PROTO_ICMPV6);
	/* icmpv6 and an IPv6 remote imply ethertype ipv6 */
	assert_int_equal(r[2].ethertype, RTE_ETHER_TYPE_IPV6);
	assert_int_equal(r[2].icmp_type, 128);
	assert_int_equal(r[2].icmp_code, 0);
	assert_int_equal(r[3].ethertype, RTE_ETHER_TYPE_IPV6);
	assert_cidr6(r[3].remote6, "2001:db8::/32");
	assert_int_equal(r[4].ethertype, RTE_ETHER_TYPE_IPV4);
	assert_int_equal(as->n_addrs, 1);
	assert_int_equal(as->n_addrs6, 2);
	assert_cidr6(as->addrs6[0], "2001:db8::/32");
	assert_cidr6(as->addrs6[1], "2001:db8:ff::/48");
	vxg_config_count(c, &n);
	assert_int_equal(n.networks6, 2);
	assert_int_equal(n.addresses6, 2);
	assert_int_equal(n.addresses6_auto, 1);
	assert_int_equal(n.routes6, 2);
	assert_int_equal(n.rules6, 4);
	assert_int_equal(n.interfaces6, 1);
	vxg_config_free(c);
}

/* An IPv4-only file loads to an all-zero IPv6 side. */
static void
ipv4_only_untouched(void **state)
{
	struct vxg_config *c = load_ok(HEAD PORTS VM1);

	assert_false(c->vpcs[0].networks[0].ip6.enabled);
	assert_int_equal(c->vpcs[0].ports[0].n_ip6s, 0);
	assert_false(c->vpcs[0].ports[0].ip6_auto);
	vxg_config_free(c);
}

/* ---- Refused ---------------------------------------------------------------------------- */

/* line 13: web's ipv6 block; then ports: at 14 and vm1 from line 15 */
#define WEB6(block) "        ipv6: " block "\n"
#define NET6 WEB6("{cidr: 2001:db8:1::/64}")

static const struct reject rejects[] = {
	{"cidr_not_64", HEAD WEB6("{cidr: 2001:db8:1::/56}"),
		"t.yaml:13:22: vpc blue network web ipv6:",
		"cidr 2001:db8:1::/56 is a /56; an IPv6 network must be a /64"},
	{"cidr_host_bits", HEAD WEB6("{cidr: 2001:db8:1::1/64}"),
		"t.yaml:13:22: vpc blue network web ipv6:",
		"cidr 2001:db8:1::1/64 has host bits set; did you mean 2001:db8:1::/64?"},
	{"cidr_not_ipv6", HEAD WEB6("{cidr: 10.0.0.0/8}"),
		"t.yaml:13:22: vpc blue network web ipv6:",
		"cidr '10.0.0.0/8' is not an IPv6 prefix"},
	{"cidr_missing", HEAD WEB6("{mode: slaac}"),
		"t.yaml:13:15: vpc blue network web ipv6:", "missing required key 'cidr'"},
	{"gateway_outside", HEAD WEB6("{cidr: 2001:db8:1::/64, gateway: 2001:db8:2::1}"),
		"t.yaml:13:48: vpc blue network web ipv6:",
		"gateway 2001:db8:2::1 is outside 2001:db8:1::/64"},
	{"gateway_anycast", HEAD WEB6("{cidr: 2001:db8:1::/64, gateway: \"2001:db8:1::\"}"),
		"t.yaml:13:48: vpc blue network web ipv6:",
		"gateway 2001:db8:1:: is the subnet-router anycast address of 2001:db8:1::/64"},
	{"gateway_multicast", HEAD WEB6("{cidr: 2001:db8:1::/64, gateway: \"ff02::1\"}"),
		"t.yaml:13:48: vpc blue network web ipv6:",
		"gateway ff02::1 is a multicast address, not a unicast address"},
	{"bad_mode", HEAD WEB6("{cidr: 2001:db8:1::/64, mode: dhcpv6}"),
		"t.yaml:13:45: vpc blue network web ipv6:", "mode: unknown value 'dhcpv6'"},
	{"range_not_stateful",
		HEAD WEB6("{cidr: 2001:db8:1::/64, range: [2001:db8:1::10, 2001:db8:1::20]}"),
		"t.yaml:13:47: vpc blue network web ipv6:",
		"range applies only to mode dhcpv6-stateful (this network's mode is slaac"},
	{"range_outside",
		HEAD WEB6("{cidr: 2001:db8:1::/64, mode: dhcpv6-stateful, "
			  "range: [2001:db8:1::10, 2001:db8:2::20]}"),
		"t.yaml:13:86: vpc blue network web ipv6:",
		"range end 2001:db8:2::20 is outside 2001:db8:1::/64"},
	{"range_reversed",
		HEAD WEB6("{cidr: 2001:db8:1::/64, mode: dhcpv6-stateful, "
			  "range: [2001:db8:1::20, 2001:db8:1::10]}"),
		"t.yaml:13:70: vpc blue network web ipv6:",
		"range 2001:db8:1::20 - 2001:db8:1::10: the first address is above the last"},
	{"range_has_gateway",
		HEAD WEB6("{cidr: 2001:db8:1::/64, mode: dhcpv6-stateful, "
			  "range: [\"2001:db8:1::\", 2001:db8:1::10]}"),
		"t.yaml:13:70: vpc blue network web ipv6:",
		"range start 2001:db8:1:: is the subnet-router anycast address of"},
	{"ra_interval_range", HEAD WEB6("{cidr: 2001:db8:1::/64, ra_interval: 3}"),
		"t.yaml:13:52: vpc blue network web ipv6:",
		"ra_interval 3 is out of range 4..1800"},
	{"ra_lifetime_below_interval",
		HEAD WEB6("{cidr: 2001:db8:1::/64, ra_interval: 600, ra_lifetime: 300}"),
		"t.yaml:13:70: vpc blue network web ipv6:",
		"ra_lifetime 300 is below ra_interval 600"},
	{"ra_lifetime_range", HEAD WEB6("{cidr: 2001:db8:1::/64, ra_lifetime: 9001}"),
		"t.yaml:13:52: vpc blue network web ipv6:",
		"ra_lifetime 9001 is out of range 0..9000"},
	{"dns_not_ipv6", HEAD WEB6("{cidr: 2001:db8:1::/64, dns: [2001:db8::53, 10.0.0.53]}"),
		"t.yaml:13:59: vpc blue network web ipv6:",
		"dns '10.0.0.53' is not an IPv6 address"},
	{"overlap",
		HEAD NET6 "      - {name: db, vni: 200, cidr: 10.2.0.0/24,\n"
			  "         ipv6: {cidr: 2001:db8:1::/64}}\n",
		"t.yaml:15:23: vpc blue network db ipv6:",
		"cidr 2001:db8:1::/64 overlaps network web 2001:db8:1::/64 (line 13)"},
	/* ports */
	{"port_ip6_no_ipv6", HEAD PORTS VM1 "        ip6: 2001:db8:1::11\n",
		"t.yaml:19:14: vpc blue port vm1:",
		"ip6 2001:db8:1::11: network web has no ipv6 block"},
	{"port_ip6_outside", HEAD NET6 PORTS VM1 "        ip6: 2001:db8:2::11\n",
		"t.yaml:20:14: vpc blue port vm1:",
		"ip6 2001:db8:2::11 is outside network web 2001:db8:1::/64"},
	{"port_ip6_gateway", HEAD NET6 PORTS VM1 "        ip6: 2001:db8:1::1\n",
		"t.yaml:20:14: vpc blue port vm1:",
		"ip6 2001:db8:1::1 is the gateway of network web"},
	{"port_ip6_reserved_anycast",
		HEAD NET6 PORTS VM1 "        ip6: 2001:db8:1::fdff:ffff:ffff:ff81\n",
		"t.yaml:20:14: vpc blue port vm1:", "is a reserved anycast address (RFC 2526)"},
	{"port_ip6_and_ip6s",
		HEAD NET6 PORTS VM1 "        ip6: 2001:db8:1::11\n        ip6s: [2001:db8:1::12]\n",
		"t.yaml:21:15: vpc blue port vm1:", "give either ip6 or ip6s, not both"},
	{"port_ip6s_twice",
		HEAD NET6 PORTS VM1 "        ip6s: [2001:db8:1::11, \"2001:db8:1:0::11\"]\n",
		"t.yaml:20:32: vpc blue port vm1:", "ip6 2001:db8:1::11 is listed twice"},
	{"port_ip6_duplicate",
		HEAD NET6 PORTS VM1 "        ip6: 2001:db8:1::11\n"
				    "      - {name: vm2, network: web, mac: \"02:00:00:00:00:02\", "
				    "ip6: 2001:db8:1::11, location: {vtep: 172.16.0.2}}\n",
		"t.yaml:21:66: vpc blue port vm2:",
		"ip6 2001:db8:1::11 is already used by port vm1 (line 15)"},
	/* vm1's MAC 02:00:00:00:00:01 makes 2001:db8:1::ff:fe00:1 */
	{"port_ip6_is_eui64_of_another",
		HEAD NET6 PORTS VM1
		"      - {name: vm2, network: web, mac: \"02:00:00:00:00:02\", "
		"ip6: \"2001:db8:1::ff:fe00:1\", location: {vtep: 172.16.0.2}}\n",
		"t.yaml:20:66: vpc blue port vm2:",
		"ip6 2001:db8:1::ff:fe00:1 is already used by port vm1 (line 15, the EUI-64 "
		"address of its mac)"},
	{"pair_bad_ip6",
		HEAD NET6 PORTS VM1 "        allowed_address_pairs: [{ip: \"2001:db8:1::1/64\"}]\n",
		"t.yaml:20:38: vpc blue port vm1 allowed_address_pair 1:",
		"ip 2001:db8:1::1/64 has host bits set; did you mean 2001:db8:1::/64?"},
	/* routes */
	{"route_family_mix", HEAD NET6 "    routes: [{prefix: \"::/0\", nexthop: 10.1.0.9}]\n",
		"t.yaml:14:40: vpc blue route 1:",
		"nexthop 10.1.0.9 is an IPv4 address but the prefix is IPv6"},
	{"route6_nexthop_unreachable",
		HEAD NET6
		"    routes: [{prefix: \"2001:db8:9::/48\", nexthop: \"2001:db8:8::1\"}]\n",
		"t.yaml:14:51: vpc blue route 1:",
		"nexthop 2001:db8:8::1 is not inside any IPv6 network of vpc blue"},
	{"route6_nexthop_gateway",
		HEAD NET6
		"    routes: [{prefix: \"2001:db8:9::/48\", nexthop: \"2001:db8:1::1\"}]\n",
		"t.yaml:14:51: vpc blue route 1:",
		"nexthop 2001:db8:1::1 is the router's own address on network web"},
	{"route6_via_no_address6", HEAD NET6 "    routes: [{prefix: \"::/0\", via: wan}]\n",
		"t.yaml:14:36: vpc blue route 1:", "via interface wan has no address6"},
	{"route6_via_no_gateway6",
		"interfaces:\n  - {name: wan, device: x, role: external, "
		"address6: \"2001:db8:ff::2/64\"}\n" BLUE WEB NET6
		"    routes: [{prefix: \"::/0\", via: wan}]\n",
		"t.yaml:11:36: vpc blue route 1:", "via interface wan has no gateway6"},
	{"route6_duplicate",
		HEAD NET6
		"    routes:\n      - {prefix: \"2001:db8:9::/48\", nexthop: 2001:db8:1::9}\n"
		"      - {prefix: \"2001:db8:9::/48\", nexthop: 2001:db8:1::8}\n"
		"      - {prefix: \"2001:db8:9::/56\", nexthop: 2001:db8:1::8}\n",
		"t.yaml:16:18: vpc blue route 2:",
		"prefix 2001:db8:9::/48 is already routed by route 1 (line 15)"},
	/* interfaces */
	{"address6_not_external",
		"interfaces:\n  - {name: a, device: x, role: underlay, address: 172.16.0.1/24, "
		"address6: \"2001:db8::1/64\"}\n",
		"t.yaml:2:76: interface a:", "address6 applies only to external interfaces"},
	{"address6_anycast",
		"interfaces:\n  - {name: a, device: x, role: external, address6: "
		"\"2001:db8::/64\"}\n",
		"t.yaml:2:52: interface a:",
		"address6 2001:db8::/64 is the subnet-router anycast address of 2001:db8::/64"},
	{"gateway6_outside",
		"interfaces:\n  - {name: a, device: x, role: external, address6: "
		"\"2001:db8::2/64\", "
		"gateway6: \"2001:db9::1\"}\n",
		"t.yaml:2:80: interface a:",
		"gateway6 2001:db9::1 is outside the interface's prefix"},
	{"gateway6_no_address6",
		"interfaces:\n  - {name: a, device: x, role: external, gateway6: "
		"\"2001:db9::1\"}\n",
		"t.yaml:2:52: interface a:", "gateway6 2001:db9::1 needs an address6"},
	/* rules */
	{"rule_ipv6_with_icmp",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: ipv6, protocol: icmp}\n",
		"t.yaml:16:61: vpc blue security_group sg rule 1:",
		"protocol icmp is IPv4's; an ipv6 rule takes icmpv6"},
	{"rule_ipv4_with_icmpv6",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: ipv4, protocol: icmpv6}\n",
		"t.yaml:16:61: vpc blue security_group sg rule 1:",
		"protocol icmpv6 is IPv6's; an ipv4 rule takes icmp"},
	{"rule_ipv4_with_remote6",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: ipv4, remote: \"::/0\"}\n",
		"t.yaml:16:59: vpc blue security_group sg rule 1:",
		"remote ::/0 is an ipv6 prefix but the rule is ipv4 (its ethertype)"},
	{"rule_icmpv6_with_remote4",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, protocol: icmpv6, remote: 10.0.0.0/8}\n",
		"t.yaml:16:60: vpc blue security_group sg rule 1:",
		"remote 10.0.0.0/8 is an ipv4 prefix but the rule is ipv6 (by its protocol "
		"icmpv6)"},
	{"rule_type_on_tcp6",
		HEAD "    security_groups:\n      - name: sg\n        rules:\n"
		     "          - {direction: ingress, ethertype: ipv6, protocol: tcp, type: 1}\n",
		"t.yaml:16:72: vpc blue security_group sg rule 1:",
		"type applies only to protocol icmp or icmpv6"},
	{"address_set_bad_ip6",
		HEAD "    address_sets: [{name: s, addresses: [10.0.0.0/8, \"2001:db8::1/32\"]}]\n",
		"t.yaml:13:54: vpc blue address_set s:",
		"addresses 2001:db8::1/32 has host bits set"},
};

static const struct CMUnitTest model_tests[] = {
	cmocka_unit_test(eui64_known_value),
	cmocka_unit_test(text_ip6),
	cmocka_unit_test(example_networks),
	cmocka_unit_test(example_ports),
	cmocka_unit_test(example_routes_rules_sets),
	cmocka_unit_test(ipv4_only_untouched),
};

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects)];
	int fails;

	fails = cmocka_run_group_tests_name("config_ip6_model", model_tests, NULL, NULL);
	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return fails + cmocka_run_group_tests_name("config_ip6_rejects", tests, NULL, NULL);
}
