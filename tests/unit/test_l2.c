/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The logical switch on hand-built mbufs: learning from access interfaces and from the
 * overlay (and none from it with vtep.learning off), moves, static precedence, EVPN entries
 * pinned against learning and ageing, ageing, `clear fdb`, a full table, known unicast
 * with VLAN tags added and removed, flooding with split horizon, and what L2 leaves to
 * the router.
 */
#include <rte_arp.h>

#include "dp_fixture.h"

static const struct rte_ether_addr MX = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x99}};
static const struct rte_ether_addr BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static const struct vxg_fdb_entry *
fdb_get(uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(dp.fdb->h, &k);
	return pos < 0 ? NULL : &dp.fdb->entries[pos];
}

/* One frame into an interface, as the worker loop gives it. */
static void
rx(unsigned port, struct rte_mbuf *m)
{
	vxg_eth_input(dp.w, dp_if(port), &m, 1);
}

static void
rx_overlay(struct rte_mbuf *inner, uint32_t vni)
{
	rx(P_UP, dp_vxlan(inner, vni));
}

static void
test_learn_from_access_and_overlay(void **state)
{
	const struct vxg_fdb_entry *e;
	struct rte_ether_addr y = MX;

	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	e = fdb_get(100, &MX);
	assert_non_null(e);
	assert_int_equal(e->loc.kind, VXG_FDB_LOCAL);
	assert_int_equal(e->loc.port_id, P_LOCAL);
	assert_int_equal(e->loc.vlan, 0);
	assert_int_equal(e->loc.origin, VXG_FDB_LEARNED);
	assert_int_equal(e->seen, vxg_fdb_now());
	y.addr_bytes[5] = 0x98;
	rx_overlay(dp_frame(&y, &VM3, 0, 1, 64), 100);
	e = fdb_get(100, &y);
	assert_non_null(e);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(e->loc.vtep, RTE_BE32(0xac100002));
	assert_int_equal(dp.w->stats.events[VXG_EV_fdb_learned], 2);
	/* The same MAC on another network is another entry. */
	assert_null(fdb_get(200, &MX));
	dp_tx_clear();
}

static void
test_move_and_static_precedence(void **state)
{
	const struct vxg_fdb_entry *e;

	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	rx_overlay(dp_frame(&MX, &VM3, 0, 1, 64), 100);
	e = fdb_get(100, &MX);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(dp.w->stats.events[VXG_EV_fdb_moved], 1);
	rx(P_TRUNK, dp_frame(&MX, &VM3, 7, 1, 64));
	assert_int_equal(e->loc.kind, VXG_FDB_LOCAL);
	assert_int_equal(e->loc.port_id, P_TRUNK);
	assert_int_equal(e->loc.vlan, 7);
	/* vm3 is declared on `local`: a frame from it elsewhere does not move it. */
	rx_overlay(dp_frame(&VM3, &VM4, 0, 1, 64), 100);
	e = fdb_get(100, &VM3);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_int_equal(e->loc.kind, VXG_FDB_LOCAL);
	assert_int_equal(e->loc.port_id, P_LOCAL);
	assert_int_equal(dp.w->stats.events[VXG_EV_fdb_moved], 2);
	dp_tx_clear();
}

static void
test_ageing_and_clear(void **state)
{
	uint32_t now = vxg_fdb_now(), statics = vxg_fdb_count(dp.fdb);
	struct rte_ether_addr y = MX;

	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	y.addr_bytes[5] = 0x98;
	rx(P_TRUNK, dp_frame(&y, &VM4, 8, 1, 64));
	assert_int_equal(vxg_fdb_count(dp.fdb), statics + 2);
	assert_int_equal(vxg_fdb_age(dp.fdb, 30, now + 29, UINT32_MAX), 0);
	assert_int_equal(vxg_fdb_age(dp.fdb, 30, now + 31, UINT32_MAX), 2);
	assert_int_equal(vxg_fdb_count(dp.fdb), statics);
	assert_null(fdb_get(100, &MX));
	assert_non_null(fdb_get(100, &VM3)); /* static entries never age */
	/* clear fdb NETWORK: that network's learned entries only. */
	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	rx(P_TRUNK, dp_frame(&y, &VM4, 8, 1, 64));
	assert_int_equal(vxg_fdb_clear(dp.fdb, 200), 1);
	assert_null(fdb_get(200, &y));
	assert_non_null(fdb_get(100, &MX));
	assert_int_equal(vxg_fdb_clear(dp.fdb, 0), 1);
	assert_int_equal(vxg_fdb_count(dp.fdb), statics);
	/* Relearned after deletion, at a fresh position. */
	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	assert_non_null(fdb_get(100, &MX));
	dp_tx_clear();
}

/* A reload re-declares static entries and deletes those no longer in the config. */
static void
test_static_sync_on_reload(void **state)
{
	struct vxg_vpc_cfg *vpc = &dp.cfg->vpcs[0];
	const struct rte_ether_addr vm5 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x05}};

	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64));
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 2), 0);
	assert_non_null(fdb_get(200, &vm5));
	vpc->n_ports--; /* vm5 leaves the config */
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 3), 0);
	vpc->n_ports++;
	assert_null(fdb_get(200, &vm5));
	assert_non_null(fdb_get(100, &VM3));
	assert_non_null(fdb_get(100, &MX)); /* learned entries stay */
	dp_tx_clear();
}

/* EVPN entries: the overlay's learning does not move them, nor ageing nor `clear fdb`
 * delete them; an access interface's learning takes one over (the MAC moved here), unless
 * sticky; a declared port wins; a route's move is in place; a withdrawal deletes only them. */
static void
test_evpn_entries_pinned(void **state)
{
	const struct vxg_fdb_entry *e;
	struct vxg_fdb_key keys[2];
	uint32_t now = vxg_fdb_now();

	rx(P_LOCAL, dp_frame(&MX, &VM3, 0, 1, 64)); /* learned first, then taken over */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &MX, RTE_BE32(0xac100003), false), 0);
	e = fdb_get(100, &MX);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN);
	assert_int_equal(e->loc.vtep, RTE_BE32(0xac100003));
	rx_overlay(dp_frame(&MX, &VM3, 0, 1, 64), 100); /* from 172.16.0.2 */
	rx_overlay(dp_frame(&MX, &VM3, 0, 1, 64), 100);
	assert_int_equal(e->loc.vtep, RTE_BE32(0xac100003));
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN);
	/* Known unicast to it goes to its VTEP. */
	rx(P_LOCAL, dp_frame(&VM3, &MX, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_UP].n + dp_drops(VXG_DROP_vtep_unresolved), 1);
	assert_int_equal(vxg_fdb_age(dp.fdb, 30, now + 31, UINT32_MAX), 0);
	assert_int_equal(vxg_fdb_clear(dp.fdb, 0), 0);
	/* A move: the same position, the new VTEP; sticky now. */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &MX, RTE_BE32(0xac100002), true), 1);
	assert_ptr_equal(fdb_get(100, &MX), e);
	assert_int_equal(e->loc.vtep, RTE_BE32(0xac100002));
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN_STICKY);
	rx(P_TRUNK, dp_frame(&MX, &VM3, 7, 1, 64));
	rx(P_TRUNK, dp_frame(&MX, &VM3, 7, 1, 64));
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN_STICKY); /* sticky: stays */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 100, &VM3, RTE_BE32(0xac100002), false), -EEXIST);
	assert_int_equal(fdb_get(100, &VM3)->loc.origin, VXG_FDB_STATIC);
	vxg_fdb_key_set(&keys[0], 100, &MX);
	vxg_fdb_key_set(&keys[1], 100, &VM3);
	assert_int_equal(vxg_fdb_evpn_del(dp.fdb, keys, 2), 1);
	assert_null(fdb_get(100, &MX));
	assert_non_null(fdb_get(100, &VM3));
	/* Added fresh, and the static sync of a reload leaves it. */
	assert_int_equal(vxg_fdb_evpn_set(dp.fdb, 200, &MX, RTE_BE32(0xac100002), false), 0);
	assert_int_equal(vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 2), 0);
	e = fdb_get(200, &MX);
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN);
	/* The MAC moved here: a frame from it on an access interface makes it local, learned
	 * (then advertised, and the remote route withdrawn leaves it). */
	rx(P_TRUNK, dp_frame(&MX, &VM3, 8, 1, 64));
	rx(P_TRUNK, dp_frame(&MX, &VM3, 8, 1, 64)); /* the fast path too */
	assert_int_equal(e->loc.kind, VXG_FDB_LOCAL);
	assert_int_equal(e->loc.origin, VXG_FDB_LEARNED);
	assert_int_equal(e->loc.port_id, P_TRUNK);
	vxg_fdb_key_set(&keys[0], 200, &MX);
	assert_int_equal(vxg_fdb_evpn_del(dp.fdb, keys, 1), 0);
	dp_tx_clear();
}

/* vtep.learning off: the overlay teaches nothing, access interfaces still do. */
static void
test_no_learning_from_overlay(void **state)
{
	struct rte_ether_addr y = MX;

	dp.gen->vx.learning = false;
	y.addr_bytes[5] = 0x98;
	rx_overlay(dp_frame(&y, &VM3, 0, 1, 64), 100);
	rx_overlay(dp_frame(&y, &VM3, 0, 1, 64), 100); /* the fast path too */
	assert_null(fdb_get(100, &y));
	assert_int_equal(dp.w->tx[P_LOCAL].n, 2);
	rx(P_LOCAL, dp_frame(&MX, &VM4, 0, 1, 64));
	assert_non_null(fdb_get(100, &MX));
	assert_int_equal(dp.w->stats.events[VXG_EV_fdb_learned], 1);
	dp_tx_clear();
}

static void
test_full_table_still_forwards(void **state)
{
	dp_teardown(state);
	assert_int_equal(dp_setup_limit(64), 0);
	for (unsigned i = 0; i < 200; i++) {
		struct rte_ether_addr s = MX;

		s.addr_bytes[3] = 0x77; /* clear of the static MACs */
		s.addr_bytes[4] = (uint8_t)(i >> 8);
		s.addr_bytes[5] = (uint8_t)i;
		rx(P_LOCAL, dp_frame(&s, &VM4, 0, 1, 64));
		assert_int_equal(dp.w->tx[P_TRUNK].n, 1); /* known unicast to vm4, learned or not */
		dp_tx_clear();
	}
	assert_true(dp.w->stats.events[VXG_EV_fdb_full] > 0);
	assert_true(vxg_fdb_count(dp.fdb) <= 64);
	assert_int_equal(
		dp.w->stats.events[VXG_EV_fdb_full] + dp.w->stats.events[VXG_EV_fdb_learned], 200);
}

static void
test_known_unicast_tags(void **state)
{
	const uint8_t *p;

	/* local (untagged) -> vm4 on trunk VLAN 7: tagged on the way out. */
	rx(P_LOCAL, dp_frame(&MX, &VM4, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1);
	p = rte_pktmbuf_mtod(dp.w->tx[P_TRUNK].pkts[0], const uint8_t *);
	assert_int_equal(dp.w->tx[P_TRUNK].pkts[0]->pkt_len, 68);
	assert_memory_equal(p + 12, "\x81\x00\x00\x07\x08\x00", 6);
	assert_memory_equal(p, VM4.addr_bytes, 6);
	assert_memory_equal(p + 6, MX.addr_bytes, 6);
	/* trunk VLAN 7 -> vm3 on local (untagged): the tag comes off. */
	rx(P_TRUNK, dp_frame(&VM4, &VM3, 7, 1, 68));
	assert_int_equal(dp.w->tx[P_LOCAL].n, 1);
	p = rte_pktmbuf_mtod(dp.w->tx[P_LOCAL].pkts[0], const uint8_t *);
	assert_int_equal(dp.w->tx[P_LOCAL].pkts[0]->pkt_len, 64);
	assert_memory_equal(p + 12, "\x08\x00\x45", 3);
	/* local -> vm1 behind 172.16.0.2: encapsulated on the underlay. */
	rx(P_LOCAL, dp_frame(&VM3, &VM1, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	assert_int_equal(dp.w->tx[P_UP].pkts[0]->pkt_len, 114);
	/* overlay -> vm3: decapsulated, out of local. */
	rx_overlay(dp_frame(&VM1, &VM3, 0, 1, 64), 100);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 2);
	dp_tx_clear();
}

static void
test_flood_and_split_horizon(void **state)
{
	/* From local: to trunk VLAN 7 and to the 3 VTEPs of web's flood list (172.16.0.3
	 * has no neighbour: counted), never back to local. */
	rx(P_LOCAL, dp_frame(&MX, &BCAST, 0, 1, 64));
	assert_int_equal(dp.w->tx[P_LOCAL].n, 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1);
	assert_int_equal(dp.w->tx[P_UP].n, 2);
	assert_int_equal(dp_drops(VXG_DROP_vtep_unresolved), 1);
	dp_tx_clear();
	/* From the overlay: local ports only. */
	rx_overlay(dp_frame(&VM1, &BCAST, 0, 1, 64), 100);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 1);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1);
	assert_int_equal(dp.w->tx[P_UP].n, 0);
	dp_tx_clear();
	/* Unknown unicast floods the same way. */
	struct rte_ether_addr unknown = MX;
	unknown.addr_bytes[5] = 0x42;
	rx_overlay(dp_frame(&VM1, &unknown, 0, 1, 64), 100);
	assert_int_equal(dp.w->tx[P_LOCAL].n + dp.w->tx[P_TRUNK].n, 2);
	dp_tx_clear();
	/* db from the overlay: its only local port is trunk VLAN 8. From trunk VLAN 8: no
	 * other port, no flood list: nowhere to go. */
	rx_overlay(dp_frame(&VM1, &BCAST, 0, 1, 64), 200);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 1);
	dp_tx_clear();
	rx(P_TRUNK, dp_frame(&MX, &BCAST, 8, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_l2_no_flood_target), 1);
	/* Known unicast from the overlay to a remote MAC, or back to its own port. */
	rx_overlay(dp_frame(&MX, &VM1, 0, 1, 64), 100);
	assert_int_equal(dp_drops(VXG_DROP_l2_split_horizon), 1);
	rx(P_TRUNK, dp_frame(&MX, &VM4, 7, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_l2_hairpin), 1);
	dp_tx_clear();
}

static void
test_router_traffic_and_bad_frames(void **state)
{
	const struct rte_ether_addr gw = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};
	struct rte_mbuf *m;
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	struct rte_mbuf *p;

	/* To the gateway's MAC: the router's (a UDP packet to a host with no neighbour
	 * entry goes to control to be resolved), not switched. */
	rx(P_LOCAL, dp_frame(&MX, &gw, 0, 1, 64));
	assert_int_equal(dp_punted(&p), 1);
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_NEIGH_MISS);
	rte_pktmbuf_free(p);
	/* ARP for the gateway's address. */
	m = dp_frame(&MX, &BCAST, 0, 1, 64);
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_data.arp_tip = RTE_BE32(0x0a010001);
	rx(P_LOCAL, m);
	assert_int_equal(dp_punted(&p), 1);
	assert_int_equal(vxg_meta(p)->why, VXG_PUNT_ROUTER);
	assert_int_equal(vxg_meta(p)->vni, 100);
	rte_pktmbuf_free(p);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 0);
	/* A VLAN the trunk does not carry; a multicast source; a runt inner frame. */
	rx(P_TRUNK, dp_frame(&MX, &VM4, 99, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_vlan_unknown), 1);
	rx(P_LOCAL, dp_frame(&BCAST, &VM4, 0, 1, 64));
	assert_int_equal(dp_drops(VXG_DROP_eth_src_multicast), 1);
	rx_overlay(dp_frame(&BCAST, &VM3, 0, 1, 64), 100);
	assert_int_equal(dp_drops(VXG_DROP_eth_src_multicast), 2);
	dp_tx_clear();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_learn_from_access_and_overlay, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_move_and_static_precedence, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_ageing_and_clear, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_static_sync_on_reload, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_evpn_entries_pinned, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_no_learning_from_overlay, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_full_table_still_forwards, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(test_known_unicast_tags, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_flood_and_split_horizon, dp_setup, dp_teardown),
		cmocka_unit_test_setup_teardown(
			test_router_traffic_and_bad_frames, dp_setup, dp_teardown),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_l2") < 0) {
		fprintf(stderr, "test_l2: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
