/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EVPN's FRR side without FRR: bgpd.conf as written from a config, the vtysh deltas that
 * take a running bgpd from one config to the next (and the AS change that needs a
 * restart), and FRR's JSON summary parsed into the sessions `show evpn` shows. FRR itself
 * reads these files in tests/netns/evpn_frr_test.sh.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evpn/evpn_conf.h"
#include "evpn/evpn_query.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static struct evpn_peer two_peers[] = {{IP(10, 0, 0, 2), 0}, {IP(10, 0, 1, 2), 65002}};

static const struct evpn_bgp base = {
	.asn = 65001,
	.router_id = IP(10, 0, 0, 1),
	.keepalive = 3,
	.hold = 9,
	.peers = two_peers,
	.n_peers = 2,
};

/* What render wrote, in a string to free. */
static char *
text_of(int (*delta)(FILE *, const struct evpn_bgp *, const struct evpn_bgp *),
	const struct evpn_bgp *from, const struct evpn_bgp *to, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (delta != NULL)
		*ret = delta(f, from, to);
	else
		evpn_conf_bgpd(f, to);
	fclose(f);
	return buf;
}

static void
bgpd_conf(void **state)
{
	char *t = text_of(NULL, NULL, &base, NULL);

	assert_string_equal(t,
		"! Written by vxgate, again at each start and reload: edit vxgate's config.\n"
		"frr defaults datacenter\n"
		"hostname vxgate\n"
		"!\n"
		"router bgp 65001\n"
		" bgp router-id 10.0.0.1\n"
		" no bgp default ipv4-unicast\n"
		" no bgp ebgp-requires-policy\n"
		" timers bgp 3 9\n"
		" neighbor 10.0.0.2 remote-as internal\n"
		" neighbor 10.0.1.2 remote-as 65002\n"
		" !\n"
		" address-family l2vpn evpn\n"
		"  neighbor 10.0.0.2 activate\n"
		"  neighbor 10.0.1.2 activate\n"
		"  advertise-all-vni\n"
		" exit-address-family\n"
		"exit\n"
		"!\n");
	free(t);
}

static void
delta_none(void **state)
{
	int ret = 0;
	char *t = text_of(evpn_conf_delta, &base, &base, &ret);

	assert_int_equal(ret, 1);
	assert_string_equal(t, "");
	free(t);
}

static void
delta_new_as(void **state)
{
	struct evpn_bgp to = base;
	int ret = 0;
	char *t;

	to.asn = 65009;
	t = text_of(evpn_conf_delta, &base, &to, &ret);
	assert_int_equal(ret, -ESTALE);
	free(t);
}

/* One peer gone, one of another AS (removed, added again), one new; new timers and
 * router ID. The peer that stays as it was is not named at all. */
static void
delta_peers(void **state)
{
	struct evpn_peer three[] = {
		{IP(10, 0, 0, 2), 0}, {IP(10, 0, 2, 2), 65003}, {IP(10, 0, 3, 2), 65004}};
	struct evpn_peer old[] = {
		{IP(10, 0, 0, 2), 0}, {IP(10, 0, 1, 2), 65002}, {IP(10, 0, 2, 2), 65002}};
	struct evpn_bgp from = base, to = base;
	int ret = 1;
	char *t;

	from.peers = old;
	from.n_peers = 3;
	to.peers = three;
	to.n_peers = 3;
	to.router_id = IP(10, 0, 0, 9);
	to.keepalive = 10;
	to.hold = 30;
	t = text_of(evpn_conf_delta, &from, &to, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(t, "router bgp 65001\n"
			       " bgp router-id 10.0.0.9\n"
			       " timers bgp 10 30\n"
			       " no neighbor 10.0.1.2\n"
			       " no neighbor 10.0.2.2\n"
			       " neighbor 10.0.2.2 remote-as 65003\n"
			       " neighbor 10.0.3.2 remote-as 65004\n"
			       " address-family l2vpn evpn\n"
			       "  neighbor 10.0.2.2 activate\n"
			       "  neighbor 10.0.3.2 activate\n"
			       " exit-address-family\n"
			       "exit\n");
	free(t);
}

static void
bgp_copy(void **state)
{
	struct evpn_bgp c = {0};

	assert_int_equal(evpn_bgp_copy(&c, &base), 0);
	assert_ptr_not_equal(c.peers, base.peers);
	assert_memory_equal(c.peers, base.peers, sizeof(two_peers));
	assert_int_equal(c.asn, 65001);
	evpn_bgp_free(&c);
	assert_null(c.peers);
}

/* FRR 8.4's answer, shortened. */
static const char summary[] = "{\"routerId\":\"10.99.0.1\",\"as\":65001,\"vrfId\":0,\"peers\":{"
			      "\"10.99.0.2\":{\"remoteAs\":65001,\"state\":\"Active\","
			      "\"peerUptimeMsec\":0,\"pfxRcd\":0,\"connectionsEstablished\":0,"
			      "\"connectionsDropped\":0},"
			      "\"10.99.1.2\":{\"remoteAs\":65002,\"state\":\"Established\","
			      "\"peerUptimeMsec\":12345,\"pfxRcd\":7,"
			      "\"connectionsEstablished\":2,\"connectionsDropped\":1}},"
			      "\"totalPeers\":2}";

static void
query_parse(void **state)
{
	struct evpn_query q;

	evpn_query_init(&q);
	assert_int_equal(evpn_query_parse(&q, summary, 500), 0);
	assert_true(q.valid);
	assert_int_equal(q.taken_ms, 500);
	assert_int_equal(q.local_as, 65001);
	assert_string_equal(q.router_id, "10.99.0.1");
	assert_int_equal(q.n_sessions, 2);
	assert_string_equal(q.sessions[0].address, "10.99.0.2");
	assert_string_equal(q.sessions[0].state, "Active");
	assert_string_equal(q.sessions[1].address, "10.99.1.2");
	assert_int_equal(q.sessions[1].remote_as, 65002);
	assert_string_equal(q.sessions[1].state, "Established");
	assert_int_equal(q.sessions[1].uptime_ms, 12345);
	assert_int_equal(q.sessions[1].prefixes, 7);
	assert_int_equal(q.sessions[1].established, 2);
	assert_int_equal(q.sessions[1].dropped, 1);
	/* bgpd with no EVPN neighbour yet answers an object without peers */
	assert_int_equal(evpn_query_parse(&q, "{}", 900), 0);
	assert_int_equal(q.n_sessions, 0);
	assert_int_equal(q.taken_ms, 900);
	evpn_query_fini(&q);
}

/* A bad answer keeps the last good table and says why. */
static void
query_bad(void **state)
{
	struct evpn_query q;

	evpn_query_init(&q);
	assert_int_equal(evpn_query_parse(&q, summary, 500), 0);
	assert_int_equal(evpn_query_parse(&q, "% bgpd is not running", 900), -EINVAL);
	assert_string_equal(q.error, "vtysh's answer is not a JSON object");
	assert_int_equal(evpn_query_parse(&q, "{\"peers\": [1]}", 900), -EINVAL);
	assert_int_equal(q.n_sessions, 2);
	assert_int_equal(q.taken_ms, 500);
	evpn_query_fini(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bgpd_conf),
		cmocka_unit_test(delta_none),
		cmocka_unit_test(delta_new_as),
		cmocka_unit_test(delta_peers),
		cmocka_unit_test(bgp_copy),
		cmocka_unit_test(query_parse),
		cmocka_unit_test(query_bad),
	};

	return cmocka_run_group_tests_name("evpn", tests, NULL, NULL);
}
