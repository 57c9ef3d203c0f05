/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Declared ports without `location`, which BGP EVPN places: their static entry starts
 * PENDING (its port slot kept) and frames to it flood as a miss; a route places it behind
 * its VTEP, in place, still static; a withdrawal makes it pending again; a reload keeps
 * where a route put it, adopts the VTEP of a route that came before the port, and starts a
 * port that had a location over as pending. The router's output to a pending port floods.
 */
#include "dp_fixture.h"

static const char evpn_yaml[] = DP_IFACES_YAML
	"vtep: {address: 172.16.0.1, ageing: 30, evpn: {asn: 65001, peers: [172.16.0.9]}}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,\n"
	"         flood: [172.16.0.2, 10.9.9.9]}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,\n"
	"         flood: [172.16.0.2, 10.9.9.9]}\n"
	"    ports:\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:fe\", location: {interface: "
	"local}}\n"
	"      - {name: vm2, network: db, mac: \"02:00:0a:02:00:0c\", ip: 10.2.0.12}\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\"}\n";

static const struct rte_ether_addr VM2 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c}};
static const struct rte_ether_addr GW_WEB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};

#define VTEP2 RTE_BE32(0xac100002)
#define VTEP9 RTE_BE32(0x0a090909)

static int
setup(void **state)
{
	return dp_setup_cfg(dp_config("evpn.yaml", evpn_yaml), 3, 1024);
}

static struct vxg_fdb_entry *
fdb_get(uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(dp.fdb->h, &k);
	return pos < 0 ? NULL : &dp.fdb->entries[pos];
}

/* vm3 -> vm1 twice (the batched path, then the fast path): what left the underlay. */
static unsigned
to_vm1(void)
{
	unsigned n;

	dp_tx_clear();
	for (int k = 0; k < 2; k++) {
		struct rte_mbuf *m = dp_frame(&VM3, &VM1, 0, 1, 64);

		vxg_eth_input(dp.w, &dp.gen->ifs[P_LOCAL], &m, 1);
	}
	n = dp.w->tx[P_UP].n;
	dp_tx_clear();
	return n;
}

static void
assert_static_at(const struct vxg_fdb_entry *e, uint8_t kind, rte_be32_t vtep, uint16_t lport)
{
	assert_non_null(e);
	assert_int_equal(e->loc.kind, kind);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_int_equal(e->lport, lport);
	if (kind == VXG_FDB_REMOTE)
		assert_int_equal(e->loc.vtep, vtep);
}

/* Declared, not placed: a static entry with its slot; frames to it go to both VTEPs of the
 * flood list, as unknown unicast. */
static void
test_pending_floods(void **state)
{
	struct vxg_fdb_entry *e = fdb_get(100, &VM1);
	struct rte_mbuf *m;

	assert_non_null(e);
	assert_int_equal(e->loc.kind, VXG_FDB_PENDING);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_true(e->lport != 0);
	assert_true(vxg_fdb_evpn_port(dp.fdb, e));
	assert_false(vxg_fdb_evpn_port(dp.fdb, fdb_get(100, &VM3)));
	assert_int_equal(dp.gen->lports[e->lport - 1].loc.kind, VXG_FDB_PENDING);
	assert_int_equal(to_vm1(), 4);
	/* Neither ageing nor `clear fdb` touch it, nor learning from the overlay. */
	assert_int_equal(vxg_fdb_age(dp.fdb, 30, vxg_fdb_now() + 31, UINT32_MAX), 0);
	assert_int_equal(vxg_fdb_clear(dp.fdb, 0), 0);
	dp_tx_clear();
	m = dp_vxlan(dp_frame(&VM1, &VM3, 0, 1, 64), 100);
	vxg_eth_input(dp.w, &dp.gen->ifs[P_UP], &m, 1);
	assert_int_equal(e->loc.kind, VXG_FDB_PENDING);
	dp_tx_clear();
}

/* A route places it, a move follows in place, a withdrawal makes it pending again; a port
 * with a location is the config's. */
static void
test_route_places_and_withdraws(void **state)
{
	struct vxg_fdb_entry *e = fdb_get(100, &VM1);
	uint16_t lport = e->lport;

	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP2, false), 0);
	assert_ptr_equal(fdb_get(100, &VM1), e);
	assert_static_at(e, VXG_FDB_REMOTE, VTEP2, lport);
	assert_int_equal(to_vm1(), 2); /* known unicast: one copy each */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP9, true), 1);
	assert_static_at(e, VXG_FDB_REMOTE, VTEP9, lport); /* sticky or not: static */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP9, false), 1);
	assert_int_equal(vxg_fdb_evpn_unlink(dp.fdb, 100, &VM1), -ENOENT); /* never deleted */
	assert_int_equal(vxg_fdb_evpn_pend(dp.fdb, 100, &VM1), 0);
	assert_static_at(e, VXG_FDB_PENDING, 0, lport);
	assert_int_equal(vxg_fdb_evpn_pend(dp.fdb, 100, &VM1), -ENOENT);
	assert_int_equal(to_vm1(), 4);
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM3, VTEP2, false), -EEXIST);
	assert_int_equal(vxg_fdb_evpn_pend(dp.fdb, 100, &VM3), -ENOENT);
	assert_int_equal(fdb_get(100, &VM3)->loc.kind, VXG_FDB_LOCAL);
}

/* vm3 -> vm2 across the router, twice (the router's batched path, then its fast path):
 * what left the underlay. */
static unsigned
routed_to_vm2(void)
{
	unsigned n;

	dp_tx_clear();
	for (int k = 0; k < 2; k++) {
		struct rte_mbuf *m = dp_frame(&VM3, &GW_WEB, 0, 1, 64);
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);

		ip->dst_addr = RTE_BE32(0x0a02000c);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		vxg_eth_input(dp.w, &dp.gen->ifs[P_LOCAL], &m, 1);
	}
	n = dp.w->tx[P_UP].n;
	dp_tx_clear();
	assert_int_equal(dp_punted(NULL), 0);
	return n;
}

/* The router's output to a pending port floods into its network, as to a MAC the FDB
 * misses; once placed, it goes to the VTEP. */
static void
test_routed_to_pending_floods(void **state)
{
	assert_int_equal(fdb_get(200, &VM2)->loc.kind, VXG_FDB_PENDING);
	assert_int_equal(routed_to_vm2(), 4);
	assert_int_equal(dp.w->stats.events[VXG_EV_routed], 2);
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 200, &VM2, VTEP9, false), 0);
	assert_int_equal(routed_to_vm2(), 2);
	assert_int_equal(vxg_fdb_evpn_pend(dp.fdb, 200, &VM2), 0);
	assert_int_equal(routed_to_vm2(), 4);
}

/* A reload keeps the VTEP a route gave; a port given a location takes it, and back to
 * EVPN starts pending; a route that came before the port is adopted. */
static void
test_reload_keeps_and_adopts(void **state)
{
	struct vxg_port_cfg *vm1 = &dp.cfg->vpcs[0].ports[2];
	struct vxg_fdb_entry *e = fdb_get(100, &VM1);
	uint16_t lport = e->lport;

	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP2, false), 0);
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 2), 0);
	assert_static_at(e, VXG_FDB_REMOTE, VTEP2, lport);
	assert_int_equal(e->static_gen, 2);
	/* location: {vtep: 10.9.9.9}, then none again. */
	vm1->loc = VXG_LOC_VTEP;
	vm1->vtep = 0x0a090909;
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 3), 0);
	assert_static_at(e, VXG_FDB_REMOTE, VTEP9, lport);
	assert_false(vxg_fdb_evpn_port(dp.fdb, e));
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP2, false), -EEXIST);
	vm1->loc = VXG_LOC_EVPN;
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 4), 0);
	assert_static_at(e, VXG_FDB_PENDING, 0, lport);
	/* vm1 leaves; a route for its MAC comes; vm1 is declared again: placed at once. */
	dp.cfg->vpcs[0].n_ports--;
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 5), 0);
	vxg_fdb_lport_sweep(dp.fdb, 5);
	assert_null(fdb_get(100, &VM1));
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM1, VTEP9, false), 0);
	assert_int_equal(fdb_get(100, &VM1)->loc.origin, VXG_FDB_EVPN);
	dp.cfg->vpcs[0].n_ports++;
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 6), 0);
	e = fdb_get(100, &VM1);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_int_equal(e->loc.vtep, VTEP9);
	assert_true(e->lport != 0);
	assert_true(vxg_fdb_evpn_port(dp.fdb, e));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pending_floods, setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_route_places_and_withdraws, setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_routed_to_pending_floods, setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_and_adopts, setup, dp_teardown),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_l2_evpn") < 0) {
		fprintf(stderr, "test_l2_evpn: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
