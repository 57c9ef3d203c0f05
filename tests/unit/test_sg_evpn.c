/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security of a declared port that BGP EVPN places (no `location`), on the dataplane
 * of sg_fixture.h: while pending, its frames (and its address pair's) come from any VTEP
 * of its network's flood set, the static list and EVPN's, and from no other; once a route
 * placed it, only from that VTEP; a MAC that is no port's is refused from every VTEP of
 * the flood set, where the port with groups may live.
 */
#include "vxlan/vxlan_dyn.h"

#include "sg_fixture.h"

static const char evpn_sg_yaml[] = DP_IFACES_YAML
	"vtep: {address: 172.16.0.1, ageing: 30, evpn: {asn: 65001, peers: [172.16.0.9]}}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,\n"
	"         flood: [172.16.0.2, 10.9.9.9]}\n"
	"    ports:\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:03\", ip: 10.1.0.3,\n"
	"         location: {interface: local, vlan: 5}, security_groups: [any]}\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         security_groups: [any],\n"
	"         allowed_address_pairs: [{ip: 10.1.0.60, mac: \"02:00:0a:01:00:60\"}]}\n"
	"    security_groups:\n"
	"      - name: any\n"
	"        rules: [{direction: ingress}, {direction: egress}]\n";

static const struct rte_ether_addr PAIR = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x60}};

#define IP1 0x0a01000b
#define IP3 0x0a010003
#define IP_EVPN_PAIR 0x0a01003c
#define OTHER 0xac100005 /* a VTEP in no flood set */

static int
setup(void **state)
{
	memset(&sgd, 0, sizeof(sgd));
	return sg_setup_cfg(dp_config("evpn-sg.yaml", evpn_sg_yaml), 1024);
}

static int
teardown(void **state)
{
	vxg_vxlan_dyn_clear();
	return sg_teardown(state);
}

/* UDP from src (address ip) to vm3, in VXLAN from VTEP vtep (host order). */
static struct rte_mbuf *
from(uint32_t vtep, const struct rte_ether_addr *src, uint32_t ip, uint16_t sport)
{
	struct rte_mbuf *m = dp_vxlan(sg_udp(src, &S_VM3, 0, ip, IP3, sport, 5001), 100);
	struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, struct vxg_vxlan_tmpl *);

	h->ip.src_addr = rte_cpu_to_be_32(vtep);
	h->ip.hdr_checksum = 0;
	h->ip.hdr_checksum = rte_ipv4_cksum(&h->ip);
	return m;
}

static const struct vxg_gen_net *
web(void)
{
	return vxg_net_by_vni(&dp.w->gen->vx, 100);
}

/* Pending: from either VTEP of the flood list, not from another; the pair too. */
static void
test_pending_from_flood_set(void **state)
{
	assert_int_equal(web()->n_sec_vteps, 2); /* the flood list: vm1 may be behind each */
	expect_pass(P_UP, from(0xac100002, &S_VM1, IP1, 1000), P_LOCAL);
	expect_pass(P_UP, from(0x0a090909, &S_VM1, IP1, 1001), P_LOCAL);
	expect_drop(P_UP, from(OTHER, &S_VM1, IP1, 1002), VXG_DROP_spoof_mac);
	expect_pass(P_UP, from(0xac100002, &PAIR, IP_EVPN_PAIR, 1003), P_LOCAL);
	expect_drop(P_UP, from(OTHER, &PAIR, IP_EVPN_PAIR, 1004), VXG_DROP_spoof_mac);
	/* Its address still checked; a MAC that is no port's refused from the flood set. */
	expect_drop(P_UP, from(0xac100002, &S_VM1, IP3, 1005), VXG_DROP_spoof_ip);
	expect_drop(P_UP, from(0xac100002, &S_STRANGER, 0x0a010077, 1006), VXG_DROP_spoof_mac);
	dp_tx_clear();
}

/* Placed by a route: only from its VTEP, pair included; withdrawn: the flood set again. */
static void
test_placed_only_its_vtep(void **state)
{
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &S_VM1, RTE_BE32(0x0a090909), false), 0);
	expect_drop(P_UP, from(0xac100002, &S_VM1, IP1, 1000), VXG_DROP_spoof_mac);
	expect_pass(P_UP, from(0x0a090909, &S_VM1, IP1, 1001), P_LOCAL);
	expect_drop(P_UP, from(0xac100002, &PAIR, IP_EVPN_PAIR, 1002), VXG_DROP_spoof_mac);
	expect_pass(P_UP, from(0x0a090909, &PAIR, IP_EVPN_PAIR, 1003), P_LOCAL);
	/* It moved (MAC mobility): the new VTEP only. */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &S_VM1, RTE_BE32(0xac100002), false), 1);
	expect_pass(P_UP, from(0xac100002, &S_VM1, IP1, 1004), P_LOCAL);
	expect_drop(P_UP, from(0x0a090909, &S_VM1, IP1, 1005), VXG_DROP_spoof_mac);
	assert_int_equal(vxg_fdb_evpn_pend(dp.fdb, 100, &S_VM1), 0);
	expect_pass(P_UP, from(0x0a090909, &S_VM1, IP1, 1006), P_LOCAL);
	dp_tx_clear();
}

/* VTEPs EVPN names (type 3) join the flood set: a generation later, trusted too. */
static void
test_evpn_vteps_join(void **state)
{
	const uint32_t dyn[] = {OTHER};

	expect_drop(P_UP, from(OTHER, &S_VM1, IP1, 1000), VXG_DROP_spoof_mac);
	assert_int_equal(vxg_vxlan_dyn_flood_set(100, dyn, 1), 0);
	sgd.gens[0] = dp_gen_build(dp.cfg, dp.ifs, 3, 2, dp.fdb, NULL, dp.l3n);
	assert_non_null(sgd.gens[0]);
	sgd.gens[0]->vpcs[0].ct = sgd.ct;
	dp.w->gen = sgd.gens[0];
	assert_int_equal(web()->n_sec_vteps, 3);
	expect_pass(P_UP, from(OTHER, &S_VM1, IP1, 1001), P_LOCAL);
	expect_drop(P_UP, from(OTHER, &S_STRANGER, 0x0a010077, 1002), VXG_DROP_spoof_mac);
	dp_tx_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pending_from_flood_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_placed_only_its_vtep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evpn_vteps_join, setup, teardown),
	};
	int ret;

	if (sg_eal_init("test_sg_evpn", "vxg_test_sg_evpn") < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
