/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's vtep.evpn block and a network's evpn switch: a full block loads to
 * the model the EVPN feature reads, a minimal one gets its defaults (router ID = VTEP
 * address, namespace vxgate, FRR managed, in-band, timers 3/9), a port without location
 * is for EVPN to place (refused without EVPN), and each mistake is refused with its
 * "FILE:LINE:COL: OBJECT:" and message.
 * No EAL: the loader only uses header-inline helpers from DPDK.
 */
#include "config_fixture.h"

/* Lines 1-4 interfaces, 5-7 the vtep and evpn header; EVPN's keys from line 8. */
#define EVPN_HEAD IFS "vtep:\n  address: 172.16.0.1\n  evpn:\n"
#define ASN "    asn: 65001\n"
#define PEERS "    peers: [172.16.0.2]\n"
#define EVPN_TAIL BLUE WEB

static struct vxg_config *
load_ok(const char *yaml)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	if (vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err)) != 0) {
		print_error("%s\n", err);
		fail();
	}
	return c;
}

static void
evpn_full(void **state)
{
	struct vxg_config *c =
		load_ok(EVPN_HEAD "    asn: 4200000001\n"
				  "    router_id: 10.255.0.1\n"
				  "    peers: [172.16.0.2, {address: 172.16.0.3, asn: 65002}, "
				  "{address: 172.16.0.4}]\n"
				  "    namespace: evpn-0\n"
				  "    frr: external\n"
				  "    inband: false\n"
				  "    keepalive: 10\n"
				  "    hold: 30\n" BLUE WEB
				  "      - {name: db, vni: 200, cidr: 10.2.0.0/24, evpn: false}\n");
	const struct vxg_evpn_cfg *e = &c->vtep.evpn;

	assert_true(e->enabled);
	assert_int_equal(e->asn, 4200000001u);
	assert_int_equal(e->router_id, 0x0aff0001);
	assert_int_equal(e->n_peers, 3);
	assert_int_equal(e->peers[0].address, 0xac100002);
	assert_int_equal(e->peers[0].asn, 0);
	assert_int_equal(e->peers[1].address, 0xac100003);
	assert_int_equal(e->peers[1].asn, 65002);
	assert_int_equal(e->peers[2].asn, 0);
	assert_int_equal(e->peers[1].pos.line, 10);
	assert_string_equal(e->netns, "evpn-0");
	assert_int_equal(e->frr, VXG_FRR_EXTERNAL);
	assert_false(e->inband);
	assert_int_equal(e->keepalive, 10);
	assert_int_equal(e->hold, 30);
	assert_true(c->vpcs[0].networks[0].evpn);
	assert_false(c->vpcs[0].networks[1].evpn);
	vxg_config_free(c);
}

static void
evpn_defaults(void **state)
{
	struct vxg_config *c = load_ok(EVPN_HEAD ASN PEERS EVPN_TAIL);
	const struct vxg_evpn_cfg *e = &c->vtep.evpn;

	assert_true(e->enabled);
	assert_int_equal(e->router_id, 0xac100001);
	assert_string_equal(e->netns, "vxgate");
	assert_int_equal(e->frr, VXG_FRR_MANAGED);
	assert_true(e->inband);
	assert_int_equal(e->keepalive, 3);
	assert_int_equal(e->hold, 9);
	assert_true(c->vpcs[0].networks[0].evpn);
	vxg_config_free(c);
}

/* Without the block EVPN is off, and a network's switch is still read. */
static void
evpn_absent(void **state)
{
	struct vxg_config *c = load_ok(IFS VTEP BLUE WEB "        evpn: false\n");

	assert_false(c->vtep.evpn.enabled);
	assert_null(c->vtep.evpn.peers);
	assert_false(c->vpcs[0].networks[0].evpn);
	vxg_config_free(c);
}

/* hold 0 turns the hold timer off (RFC 4271), whatever the keepalive. */
static void
evpn_hold_zero(void **state)
{
	struct vxg_config *c =
		load_ok(EVPN_HEAD ASN PEERS "    keepalive: 60\n    hold: 0\n" EVPN_TAIL);

	assert_int_equal(c->vtep.evpn.hold, 0);
	vxg_config_free(c);
}

/* Ports: a port without location, for EVPN to place, and one behind a VTEP. */
#define NOLOC_PORTS                                                                       \
	"    ports:\n"                                                                    \
	"      - {name: vm1, network: web, mac: \"02:00:00:00:00:01\", ip: 10.1.0.11}\n"  \
	"      - {name: vm2, network: web, mac: \"02:00:00:00:00:02\", location: {vtep: " \
	"172.16.0.2}}\n"

/* With EVPN on, location is optional: the port is VXG_LOC_EVPN, the others keep theirs. */
static void
evpn_port_without_location(void **state)
{
	struct vxg_config *c = load_ok(EVPN_HEAD ASN PEERS EVPN_TAIL NOLOC_PORTS);

	assert_int_equal(c->vpcs[0].n_ports, 2);
	assert_int_equal(c->vpcs[0].ports[0].loc, VXG_LOC_EVPN);
	assert_int_equal(c->vpcs[0].ports[1].loc, VXG_LOC_VTEP);
	assert_int_equal(c->vpcs[0].ports[1].vtep, 0xac100002);
	vxg_config_free(c);
}

static const struct reject rejects[] = {
	{"port_no_location_no_evpn", IFS VTEP BLUE WEB NOLOC_PORTS,
		"t.yaml:14:9: vpc blue port vm1:",
		"location is required (vtep or interface) unless the port's network uses BGP EVPN"},
	{"port_no_location_network_off",
		EVPN_HEAD ASN PEERS EVPN_TAIL "        evpn: false\n" NOLOC_PORTS,
		"t.yaml:19:9: vpc blue port vm1:", "location is required"},
	{"port_no_location_no_vtep", IFS BLUE WEB NOLOC_PORTS,
		"t.yaml:13:9: vpc blue port vm1:", "location is required"},
	{"asn_missing", EVPN_HEAD PEERS EVPN_TAIL,
		"t.yaml:8:5: vtep evpn:", "missing required key 'asn'"},
	{"asn_zero", EVPN_HEAD "    asn: 0\n" PEERS EVPN_TAIL,
		"t.yaml:8:10: vtep evpn:", "out of range 1..4294967295"},
	{"asn_too_big", EVPN_HEAD "    asn: 4294967296\n" PEERS EVPN_TAIL,
		"t.yaml:8:10: vtep evpn:", "out of range 1..4294967295"},
	{"peers_missing", EVPN_HEAD ASN EVPN_TAIL,
		"t.yaml:8:5: vtep evpn:", "at least one BGP peer is needed"},
	{"peers_empty", EVPN_HEAD ASN "    peers: []\n" EVPN_TAIL,
		"t.yaml:8:5: vtep evpn:", "at least one BGP peer is needed"},
	{"peer_not_address", EVPN_HEAD ASN "    peers: [spine1]\n" EVPN_TAIL,
		"t.yaml:9:13: vtep evpn peer 1:", "'spine1' is not an IPv4 address"},
	{"peer_list_in_list", EVPN_HEAD ASN "    peers: [[172.16.0.2]]\n" EVPN_TAIL,
		"t.yaml:9:13: vtep evpn peer 1:", "expected an address or {address, asn}"},
	{"peer_unknown_key",
		EVPN_HEAD ASN "    peers: [{address: 172.16.0.2, as: 65002}]\n" EVPN_TAIL,
		"t.yaml:9:35: vtep evpn peer 1:", "unknown key 'as'"},
	{"peer_no_address", EVPN_HEAD ASN "    peers: [{asn: 65002}]\n" EVPN_TAIL,
		"t.yaml:9:13: vtep evpn peer 1:", "missing required key 'address'"},
	{"peer_asn_zero", EVPN_HEAD ASN "    peers: [{address: 172.16.0.2, asn: 0}]\n" EVPN_TAIL,
		"t.yaml:9:40: vtep evpn peer 1:", "out of range 1..4294967295"},
	{"peer_twice",
		EVPN_HEAD ASN
		"    peers: [172.16.0.2, {address: 172.16.0.2, asn: 65002}]\n" EVPN_TAIL,
		"t.yaml:9:35: vtep evpn peer 2:", "address 172.16.0.2 is already peer 1 (line 9)"},
	{"peer_is_vtep", EVPN_HEAD ASN "    peers: [172.16.0.2, 172.16.0.1]\n" EVPN_TAIL,
		"t.yaml:9:25: vtep evpn peer 2:", "address 172.16.0.1 is this VTEP's own address"},
	{"router_id_bad", EVPN_HEAD ASN PEERS "    router_id: 0.0.0.0\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "router_id"},
	{"namespace_slash", EVPN_HEAD ASN PEERS "    namespace: a/b\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "namespace 'a/b' is not a namespace name"},
	{"namespace_dots", EVPN_HEAD ASN PEERS "    namespace: \"..\"\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "namespace '..' is not a namespace name"},
	{"namespace_long",
		EVPN_HEAD ASN PEERS "    namespace: abcdefghijklmnopqrstuvwxyz0123456\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "is not a namespace name"},
	{"frr_unknown", EVPN_HEAD ASN PEERS "    frr: manged\n" EVPN_TAIL,
		"t.yaml:10:10: vtep evpn:", "frr: unknown value 'manged'"},
	{"inband_not_bool", EVPN_HEAD ASN PEERS "    inband: yes\n" EVPN_TAIL,
		"t.yaml:10:13: vtep evpn:", "inband"},
	{"keepalive_zero", EVPN_HEAD ASN PEERS "    keepalive: 0\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "out of range 1..3600"},
	{"keepalive_too_long", EVPN_HEAD ASN PEERS "    keepalive: 3601\n    hold: 0\n" EVPN_TAIL,
		"t.yaml:10:16: vtep evpn:", "out of range 1..3600"},
	{"hold_too_short", EVPN_HEAD ASN PEERS "    keepalive: 1\n    hold: 2\n" EVPN_TAIL,
		"t.yaml:11:11: vtep evpn:", "hold 2 is too short"},
	{"hold_not_longer", EVPN_HEAD ASN PEERS "    keepalive: 10\n    hold: 10\n" EVPN_TAIL,
		"t.yaml:11:11: vtep evpn:", "hold 10 must be longer than keepalive 10"},
	{"hold_default_keepalive", EVPN_HEAD ASN PEERS "    keepalive: 9\n" EVPN_TAIL,
		"t.yaml:8:5: vtep evpn:", "hold 9 must be longer than keepalive 9"},
	{"evpn_unknown_key", EVPN_HEAD ASN PEERS "    peer: [172.16.0.3]\n" EVPN_TAIL,
		"t.yaml:10:5: vtep evpn:", "unknown key 'peer'"},
	{"evpn_not_mapping", IFS "vtep: {address: 172.16.0.1, evpn: [1]}\n" BLUE WEB,
		"t.yaml:5:35: vtep evpn:", "expected a mapping"},
	{"network_evpn_not_bool", IFS VTEP BLUE WEB "        evpn: 1\n",
		"t.yaml:13:15: vpc blue network web:", "evpn"},
};

int
main(void)
{
	const struct CMUnitTest model_tests[] = {
		cmocka_unit_test(evpn_full),
		cmocka_unit_test(evpn_defaults),
		cmocka_unit_test(evpn_absent),
		cmocka_unit_test(evpn_hold_zero),
		cmocka_unit_test(evpn_port_without_location),
	};
	struct CMUnitTest tests[RTE_DIM(rejects)];
	int fails;

	fails = cmocka_run_group_tests_name("config_evpn_model", model_tests, NULL, NULL);
	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return fails + cmocka_run_group_tests_name("config_evpn_rejects", tests, NULL, NULL);
}
