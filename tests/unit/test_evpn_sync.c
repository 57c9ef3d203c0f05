/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's translation, without a kernel: recorded rtnetlink messages fed to its
 * state as the sockets would give them, and what vxgate holds after: remote VTEPs (flood
 * sets, one generation per 50 ms burst), remote MACs in a real FDB (moves in place,
 * withdrawals, a full table), messages cut short, foreign devices, a reconcile's mark and
 * sweep on a played dump, local MACs advertised and withdrawn, and a declared port that
 * EVPN places (placed, moved, withdrawn and swept back to pending).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <rte_eal.h>
#include <rte_hash.h>

#include "evpn/evpn_sync.h"
#include "evpn/evpn_sync_rx.h"
#include "evpn_recs.h"
#include "l2/fdb.h"
#include "vxlan/vxlan_dyn.h"

static const struct rte_ether_addr MAC11 = {{0x02, 0, 0, 0, 0, 0x11}};

static struct vxg_evpn_sync *s;
static struct vxg_fdb *fdb;
static struct evs_net *net;

/* A shadow of VNI 100 on the recorded devices: vx 2, br0 3, vp 5. */
static int
setup(void **state)
{
	(void)state;
	fdb = vxg_fdb_create(1024, NULL);
	s = vxg_evpn_sync_bare();
	if (fdb == NULL || s == NULL)
		return -1;
	vxg_evpn_sync_use_fdb(s, fdb);
	s->vtep = htonl(0xac100001);
	net = evs_net_add(s, 100);
	net->vx = 2;
	net->br = 3;
	net->vp = 5;
	net->vq = 4;
	net->ready = true;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vxg_evpn_sync_close(s);
	vxg_fdb_destroy(fdb);
	vxg_vxlan_dyn_clear();
	return 0;
}

static void
msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	evs_msg(arg, nlh);
}

/* A message as a datagram of the event socket brings it. */
static void
feed(const uint8_t *m, size_t len)
{
	s->sum.errors += vxg_nl_walk(m, len, msg_cb, s);
}

#define FEED(rec) feed(rec, sizeof(rec))

static const struct vxg_fdb_entry *
fdb_get(uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key k;
	int32_t pos;

	vxg_fdb_key_set(&k, vni, mac);
	pos = rte_hash_lookup(fdb->h, &k);
	return pos < 0 ? NULL : &fdb->entries[pos];
}

static void
test_remote_vteps_and_regen(void **state)
{
	unsigned n;
	const uint32_t *ips;

	(void)state;
	s->now_ms = 1000;
	FEED(REC_FLOOD_ADD);
	assert_int_equal(net->n_vteps, 1);
	assert_int_equal(net->vteps[0], 0xac100002);
	assert_int_equal(s->sum.vtep_adds, 1);
	assert_true(s->flood_dirty);
	/* Not given to vxlan before 50 ms have passed since the burst began. */
	vxg_evpn_sync_tick(s, NULL, 1030);
	assert_null(vxg_vxlan_dyn_flood(100, &n));
	vxg_evpn_sync_tick(s, NULL, 1050);
	ips = vxg_vxlan_dyn_flood(100, &n);
	assert_int_equal(n, 1);
	assert_int_equal(ips[0], 0xac100002);
	assert_false(s->flood_dirty);
	FEED(REC_FLOOD_ADD); /* again: no change */
	assert_false(s->flood_dirty);
	FEED(REC_FLOOD_DEL);
	assert_int_equal(net->n_vteps, 0);
	vxg_evpn_sync_tick(s, NULL, 2000);
	assert_null(vxg_vxlan_dyn_flood(100, &n));
	assert_int_equal(s->sum.vtep_dels, 1);
}

static void
test_remote_macs(void **state)
{
	const struct vxg_fdb_entry *e;
	struct vxg_evpn_sync_sum sum;

	(void)state;
	FEED(REC_MAC_ADD);
	e = fdb_get(100, &MAC11);
	assert_non_null(e);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(e->loc.origin, VXG_FDB_EVPN);
	assert_int_equal(e->loc.vtep, htonl(0xac100003));
	/* A move: the same entry, the new VTEP. */
	FEED(REC_MAC_MOVE);
	assert_ptr_equal(fdb_get(100, &MAC11), e);
	assert_int_equal(e->loc.vtep, htonl(0xac100004));
	/* The bridge's copy of an entry is not a route. */
	FEED(REC_BRIDGE_ECHO);
	assert_int_equal(s->sum.ignored, 1);
	vxg_evpn_sync_summary(s, &sum);
	assert_int_equal(sum.evpn_macs, 1);
	assert_int_equal(sum.mac_adds, 1);
	assert_int_equal(sum.mac_moves, 1);
	FEED(REC_MAC_DEL);
	evs_release(s);
	assert_null(fdb_get(100, &MAC11));
	vxg_evpn_sync_summary(s, &sum);
	assert_int_equal(sum.evpn_macs, 0);
	assert_int_equal(sum.mac_dels, 1);
	assert_int_equal(vxg_fdb_count(fdb), 0);
	assert_int_equal(sum.events, 3);
}

/* The MAC moved here: learning on an access interface took the entry over; the route's
 * withdrawal that follows leaves it, and it counts as EVPN no more. A sticky route is
 * NTF_STICKY (or NUD_NOARP without NTF_EXT_LEARNED). */
static void
test_taken_over_and_sticky(void **state)
{
	union vxg_fdb_loc loc = {.u64 = 0};
	struct vxg_fdb_entry *e;
	uint8_t m[sizeof(REC_MAC_ADD)];

	(void)state;
	FEED(REC_MAC_ADD);
	assert_int_equal(net->evpn_macs, 1);
	e = (struct vxg_fdb_entry *)fdb_get(100, &MAC11);
	loc.kind = VXG_FDB_LOCAL;
	loc.port_id = 1;
	e->loc = loc; /* as a worker's move writes it */
	FEED(REC_MAC_DEL);
	evs_release(s);
	assert_ptr_equal(fdb_get(100, &MAC11), e);
	assert_int_equal(e->loc.origin, VXG_FDB_LEARNED);
	assert_int_equal(net->evpn_macs, 0);
	memcpy(m, REC_MAC_ADD, sizeof(m));
	m[26] = NTF_SELF; /* no NTF_EXT_LEARNED; state NUD_NOARP | NUD_PERMANENT */
	FEED(m);
	assert_int_equal(fdb_get(100, &MAC11)->loc.origin, VXG_FDB_EVPN_STICKY);
	m[26] = NTF_SELF | NTF_EXT_LEARNED | NTF_STICKY;
	FEED(m);
	assert_int_equal(fdb_get(100, &MAC11)->loc.origin, VXG_FDB_EVPN_STICKY);
	m[26] = NTF_SELF | NTF_EXT_LEARNED;
	FEED(m);
	assert_int_equal(fdb_get(100, &MAC11)->loc.origin, VXG_FDB_EVPN);
	assert_int_equal(net->evpn_macs, 1);
}

static void
test_bad_and_foreign(void **state)
{
	uint8_t m[sizeof(REC_MAC_ADD)];

	(void)state;
	/* Cut short: counted, nothing applied. */
	feed(REC_MAC_ADD, sizeof(REC_MAC_ADD) - 10);
	assert_int_equal(s->sum.errors, 1);
	/* A bad attribute. */
	memcpy(m, REC_MAC_ADD, sizeof(m));
	m[28] = 9;
	FEED(m);
	assert_int_equal(s->sum.errors, 2);
	/* A device not ours. */
	memcpy(m, REC_MAC_ADD, sizeof(m));
	m[20] = 99;
	FEED(m);
	assert_int_equal(s->sum.unknown_ifindex, 1);
	assert_int_equal(vxg_fdb_count(fdb), 0);
	assert_int_equal(s->sum.events, 0);
}

static void
test_fdb_full(void **state)
{
	uint8_t m[sizeof(REC_MAC_ADD)];

	(void)state;
	vxg_fdb_destroy(fdb);
	fdb = vxg_fdb_create(64, NULL);
	vxg_evpn_sync_use_fdb(s, fdb);
	memcpy(m, REC_MAC_ADD, sizeof(m));
	for (unsigned i = 0; i < 300; i++) {
		m[36] = (uint8_t)(i >> 8);
		m[37] = (uint8_t)i;
		FEED(m);
	}
	assert_true(s->sum.fdb_full > 0);
	assert_int_equal(s->sum.fdb_full + s->sum.mac_adds, 300);
	assert_int_equal(net->evpn_macs, vxg_fdb_count(fdb));
}

/* A reconcile: the dump shows one MAC and one VTEP; what it does not show goes. */
static void
test_reconcile_mark_and_sweep(void **state)
{
	struct rte_ether_addr mac22 = MAC11;
	uint8_t m[sizeof(REC_MAC_ADD)];
	struct nlmsghdr done = {.nlmsg_len = NLMSG_HDRLEN + 4, .nlmsg_type = NLMSG_DONE};
	uint8_t dbuf[NLMSG_HDRLEN + 4] = {0};

	(void)state;
	mac22.addr_bytes[5] = 0x22;
	FEED(REC_MAC_ADD);
	memcpy(m, REC_MAC_ADD, sizeof(m));
	m[37] = 0x22;
	FEED(m);
	FEED(REC_FLOOD_ADD);
	net->vteps[0] = 0xac100009; /* as if .9 had been there, and .2 not yet */
	assert_int_equal(vxg_fdb_count(fdb), 2);
	assert_int_equal(evs_rc_start(s), 0);
	assert_true(s->rc);
	/* The dump's answer: MAC 11 and the flood entry to .2. */
	memcpy(m, REC_MAC_ADD, sizeof(m));
	((struct nlmsghdr *)m)->nlmsg_seq = s->rc_seq;
	FEED(m);
	memcpy(m, REC_FLOOD_ADD, sizeof(m));
	((struct nlmsghdr *)m)->nlmsg_seq = s->rc_seq;
	FEED(m);
	done.nlmsg_seq = s->rc_seq;
	memcpy(dbuf, &done, sizeof(done));
	FEED(dbuf);
	assert_false(s->rc);
	assert_int_equal(s->sum.reconciles, 1);
	assert_non_null(fdb_get(100, &MAC11));
	assert_null(fdb_get(100, &mac22));
	assert_int_equal(net->n_vteps, 1);
	assert_int_equal(net->vteps[0], 0xac100002);
	assert_int_equal(s->sum.reconcile_swept, 2); /* mac22 and VTEP .9 */
	assert_true(net->flood_dirty);
	assert_int_equal(net->evpn_macs, 1);
}

/* A dump's end: the reconcile sweeps. */
static void
feed_done(void)
{
	struct nlmsghdr done = {.nlmsg_len = NLMSG_HDRLEN + 4, .nlmsg_type = NLMSG_DONE};
	uint8_t dbuf[NLMSG_HDRLEN + 4] = {0};

	done.nlmsg_seq = s->rc_seq;
	memcpy(dbuf, &done, sizeof(done));
	FEED(dbuf);
}

/* MAC 11 declared without location: EVPN places its static entry. */
static const char port_yaml[] =
	"interfaces: [{name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24}]\n"
	"vtep: {address: 172.16.0.1, evpn: {asn: 65001, peers: [172.16.0.9]}}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks: [{name: web, vni: 100, cidr: 10.1.0.0/24}]\n"
	"    ports: [{name: vm, network: web, mac: \"02:00:00:00:00:11\"}]\n";

/* A declared port EVPN places: a route places it, a move follows, a withdrawal and a
 * reconcile that does not see it make it pending again, never deleted. */
static void
test_port_placed(void **state)
{
	struct vxg_config *cfg = NULL;
	char err[512];
	const struct vxg_fdb_entry *e;
	uint8_t m[sizeof(REC_MAC_ADD)];

	(void)state;
	assert_int_equal(vxg_config_load_string("p.yaml", port_yaml, &cfg, err, sizeof(err)), 0);
	assert_int_equal(vxg_fdb_sync_static(fdb, cfg, NULL, 1), 0);
	e = fdb_get(100, &MAC11);
	assert_int_equal(e->loc.kind, VXG_FDB_PENDING);
	FEED(REC_MAC_ADD);
	assert_ptr_equal(fdb_get(100, &MAC11), e);
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_int_equal(e->loc.vtep, htonl(0xac100003));
	assert_int_equal(s->sum.mac_adds, 1);
	assert_int_equal(net->evpn_macs, 1);
	FEED(REC_MAC_MOVE);
	assert_int_equal(e->loc.vtep, htonl(0xac100004));
	assert_int_equal(s->sum.mac_moves, 1);
	FEED(REC_MAC_DEL);
	evs_release(s);
	assert_ptr_equal(fdb_get(100, &MAC11), e);
	assert_int_equal(e->loc.kind, VXG_FDB_PENDING);
	assert_int_equal(e->loc.origin, VXG_FDB_STATIC);
	assert_int_equal(s->sum.mac_dels, 1);
	assert_int_equal(net->evpn_macs, 0);
	/* Placed again; a reconcile whose dump shows it keeps it, one that does not sweeps
	 * it back to pending. */
	FEED(REC_MAC_ADD);
	assert_int_equal(evs_rc_start(s), 0);
	memcpy(m, REC_MAC_ADD, sizeof(m));
	((struct nlmsghdr *)m)->nlmsg_seq = s->rc_seq;
	FEED(m);
	feed_done();
	assert_int_equal(e->loc.kind, VXG_FDB_REMOTE);
	assert_int_equal(net->evpn_macs, 1);
	assert_int_equal(s->sum.reconcile_swept, 0);
	assert_int_equal(evs_rc_start(s), 0);
	feed_done();
	assert_int_equal(e->loc.kind, VXG_FDB_PENDING);
	assert_int_equal(s->sum.reconcile_swept, 1);
	assert_int_equal(net->evpn_macs, 0);
	assert_non_null(fdb_get(100, &MAC11));
	vxg_config_free(cfg);
}

/* Local MACs: one on an access interface is advertised within a pass, withdrawn a pass
 * after it leaves the FDB; a remote one is not. */
static void
test_advertise_local(void **state)
{
	struct vxg_fdb_key k;
	int32_t pos;
	union vxg_fdb_loc loc = {.u64 = 0};

	(void)state;
	loc.kind = VXG_FDB_LOCAL;
	loc.port_id = 1;
	vxg_fdb_key_set(&k, 100, &MAC11);
	pos = rte_hash_add_key(fdb->h, &k);
	fdb->entries[pos].key = k;
	fdb->entries[pos].loc = loc;
	FEED(REC_MAC_ADD); /* a route for a learned local MAC takes it over */
	assert_int_equal(fdb->entries[pos].loc.origin, VXG_FDB_EVPN);
	/* Back to local, as the dataplane would learn it. */
	fdb->entries[pos].loc = loc;
	vxg_evpn_sync_tick(s, NULL, 10);
	assert_int_equal(s->sum.adv_adds, 1);
	assert_int_equal(net->adv, 1);
	vxg_evpn_sync_tick(s, NULL, 20);
	assert_int_equal(s->sum.adv_adds, 1);
	assert_int_equal(vxg_fdb_clear(fdb, 0), 1);
	vxg_evpn_sync_tick(s, NULL, 30);
	vxg_evpn_sync_tick(s, NULL, 40);
	assert_int_equal(s->sum.adv_dels, 1);
	assert_int_equal(net->adv, 0);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "256", "-l", "0", "--file-prefix",
		"vxg_test_evpn_sync", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_remote_vteps_and_regen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_macs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taken_over_and_sticky, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_and_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fdb_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconcile_mark_and_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advertise_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_placed, setup, teardown),
	};
	int ret;

	(void)argc;
	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
