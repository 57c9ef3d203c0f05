/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's route tables (control/l3/l3_config.c compiles them, vxg_l3.h looks them
 * up): a table per VPC from the example config's networks and routes, two VPCs on one
 * CIDR kept apart, and the short list and rte_lpm each against a plain longest-prefix
 * match on random tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include <cmocka.h>
#include <rte_common.h>
#include <rte_eal.h>

#include "config/model.h"
#include "l3/l3_config.h"
#include "vxg_l3.h"

#include "ip4.h"

static struct vxg_config *
load(const char *yaml)
{
	struct vxg_config *c = NULL;
	char err[4096];

	if (vxg_config_load_string("t.yaml", yaml, &c, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return c;
}

static const struct vxg_nh *
lookup(const struct vxg_l3_vpc *l3, uint32_t ip)
{
	uint32_t nh;

	vxg_l3_lookup_bulk(l3, &ip, &nh, 1);
	if (nh == VXG_L3_NO_ROUTE)
		return NULL;
	assert_true(nh < l3->n_nhs);
	return &l3->nhs[nh];
}

static void
routes_example(void **state)
{
	struct vxg_config *c = NULL;
	struct vxg_l3_vpc l3;
	const struct vxg_nh *nh;
	char err[512];

	assert_int_equal(
		vxg_config_load(VXG_SRC_ROOT "/config/example.yaml", &c, err, sizeof(err)), 0);
	assert_int_equal(vxg_l3_compile(c, 0, &l3, err, sizeof(err)), 0);
	assert_int_equal(l3.n_routes, 3);
	nh = lookup(&l3, IP(10, 1, 0, 77));
	assert_non_null(nh);
	assert_int_equal(nh->kind, VXG_NH_CONNECTED);
	assert_int_equal(nh->network, 0);
	assert_int_equal(nh->mtu, 1450);
	nh = lookup(&l3, IP(10, 2, 0, 12));
	assert_int_equal(nh->kind, VXG_NH_CONNECTED);
	assert_int_equal(nh->network, 1);
	nh = lookup(&l3, IP(198, 51, 100, 10));
	assert_int_equal(nh->kind, VXG_NH_INTERFACE);
	assert_int_equal(nh->iface, 1); /* wan */
	assert_int_equal(nh->gateway, IP(203, 0, 113, 1));
	vxg_l3_free(&l3);
	vxg_config_free(c);
}

/* Two VPCs on one CIDR; routes by nexthop; no default route means no route. */
static void
routes_isolated(void **state)
{
	struct vxg_config *c =
		load("interfaces:\n"
		     "  - {name: up, device: net_null0, role: underlay, address: 172.16.0.1/24}\n"
		     "vtep: {address: 172.16.0.1}\n"
		     "vpcs:\n"
		     "  - name: blue\n"
		     "    networks: [{name: a, vni: 1, cidr: 10.0.0.0/24, gateway: 10.0.0.1}]\n"
		     "    routes: [{prefix: 192.168.0.0/16, nexthop: 10.0.0.254}]\n"
		     "  - name: red\n"
		     "    networks: [{name: a, vni: 2, cidr: 10.0.0.0/24, gateway: 10.0.0.1},\n"
		     "               {name: b, vni: 3, cidr: 10.9.0.0/24}]\n");
	struct vxg_l3_vpc blue, red;
	const struct vxg_nh *nh;
	char err[512];

	assert_int_equal(vxg_l3_compile(c, 0, &blue, err, sizeof(err)), 0);
	assert_int_equal(vxg_l3_compile(c, 1, &red, err, sizeof(err)), 0);
	nh = lookup(&blue, IP(192, 168, 3, 4));
	assert_int_equal(nh->kind, VXG_NH_GATEWAY);
	assert_int_equal(nh->gateway, IP(10, 0, 0, 254));
	assert_int_equal(nh->network, 0);
	assert_null(lookup(&red, IP(192, 168, 3, 4)));
	assert_non_null(lookup(&red, IP(10, 0, 0, 9)));
	assert_null(lookup(&red, IP(10, 9, 0, 9))); /* no gateway: not routed */
	assert_null(lookup(&blue, IP(8, 8, 8, 8)));
	vxg_l3_free(&blue);
	vxg_l3_free(&red);
	vxg_config_free(c);
}

/* VPC blue with network a (10.0.0.0/24, gateway 10.0.0.1), its routes to follow. */
#define ONE_NET                                                                       \
	"interfaces:\n"                                                               \
	"  - {name: up, device: net_null0, role: underlay, address: 172.16.0.1/24}\n" \
	"vtep: {address: 172.16.0.1}\n"                                               \
	"vpcs:\n"                                                                     \
	"  - name: blue\n"                                                            \
	"    networks: [{name: a, vni: 1, cidr: 10.0.0.0/24, gateway: 10.0.0.1}]\n"   \
	"    routes:\n"

static uint64_t seed = 88172645463325252ull;

static uint32_t
rnd(void)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return (uint32_t)(seed >> 16);
}

/* n routes of random lengths (10 to 32) inside 100.64.0.0/10, nested often, by nexthop
 * 10.0.0.254 from network a (10.0.0.0/24), and a default route: 100,000 random
 * destinations (inside a route's prefix, or anywhere) looked up in the compiled table
 * give what the longest configured prefix says (the table's next hop k is route k - 1,
 * network a being next hop 0). want_lpm: the table is an rte_lpm, else the short list. */
static void
random_table(unsigned n, bool want_lpm)
{
	static char yaml[65536];
	uint32_t net[200], len[200];
	struct vxg_config *c;
	struct vxg_l3_vpc l3;
	char err[512];
	int at;

	assert_true(n < RTE_DIM(net));
	at = snprintf(yaml, sizeof(yaml), "%s      - {prefix: 0.0.0.0/0, nexthop: 10.0.0.253}\n",
		ONE_NET);
	for (unsigned i = 0; i < n; i++) {
		bool dup;

		do { /* inside an earlier one half of the time; no prefix twice */
			uint32_t x = rnd() << 8 ^ rnd();

			if (i > 0 && rnd() % 2) {
				unsigned k = rnd() % i;

				x = net[k] | (x & ~(~0u << (32 - len[k])));
			}
			len[i] = 10 + rnd() % 23;
			net[i] = (IP(100, 64, 0, 0) | (x & 0x003fffff)) & ~0u << (32 - len[i]);
			dup = false;
			for (unsigned k = 0; k < i; k++)
				dup |= net[k] == net[i] && len[k] == len[i];
		} while (dup);
		at += snprintf(yaml + at, sizeof(yaml) - (size_t)at,
			"      - {prefix: %u.%u.%u.%u/%u, nexthop: 10.0.0.254}\n", net[i] >> 24,
			net[i] >> 16 & 255, net[i] >> 8 & 255, net[i] & 255, len[i]);
	}
	c = load(yaml);
	assert_int_equal(vxg_l3_compile(c, 0, &l3, err, sizeof(err)), 0);
	assert_int_equal(l3.lpm != NULL, want_lpm);
	for (unsigned t = 0; t < 100000; t++) {
		uint32_t ip = rnd() << 8 ^ rnd(), got, want = 1, best = 0; /* the default */

		if (t % 2) {
			unsigned r = rnd() % n;

			ip = net[r] | (ip & ~(~0u << (32 - len[r])));
		}
		for (unsigned i = 0; i < n; i++)
			if ((ip & (~0u << (32 - len[i]))) == net[i] && len[i] >= best)
				want = 2 + i, best = len[i];
		if ((ip & 0xffffff00u) == IP(10, 0, 0, 0))
			want = 0;
		vxg_l3_lookup_bulk(&l3, &ip, &got, 1);
		if (got != want)
			fail_msg("%u routes: %08x -> next hop %u, want %u", n, ip, got, want);
		assert_int_equal(vxg_l3_lookup(&l3, ip), want);
	}
	vxg_l3_free(&l3);
	vxg_config_free(c);
}

/* Is lpm an rte_lpm DPDK still has (not freed)? l3_config.c names them vxg_lpm<n>. */
static bool
lpm_alive(const struct rte_lpm *lpm)
{
	char name[RTE_LPM_NAMESIZE];

	for (unsigned k = 0; k < 100000; k++) {
		snprintf(name, sizeof(name), "vxg_lpm%u", k);
		if (rte_lpm_find_existing(name) == lpm)
			return true;
	}
	return false;
}

/* A rebuild of the same config takes the table over (vxg_l3_take): the same rte_lpm and
 * list, a copy of the next hops; freeing the first leaves the table to the second. */
static void
routes_taken_over(void **state)
{
	char yaml[4096], err[512];
	struct vxg_l3_vpc a, b;
	const struct rte_lpm *lpm;
	struct vxg_config *c;
	int at;

	at = snprintf(yaml, sizeof(yaml), "%s", ONE_NET);
	for (unsigned k = 0; k < VXG_L3_SMALL + 2; k++)
		at += snprintf(yaml + at, sizeof(yaml) - (size_t)at,
			"      - {prefix: 100.64.%u.0/24, nexthop: 10.0.0.254}\n", k);
	c = load(yaml);
	assert_int_equal(vxg_l3_compile(c, 0, &a, err, sizeof(err)), 0);
	assert_non_null(a.lpm);
	assert_int_equal(vxg_l3_take(&b, &a), 0);
	assert_ptr_equal(b.lpm, a.lpm);
	assert_ptr_not_equal(b.nhs, a.nhs);
	assert_true(a.lent);
	assert_false(b.lent);
	vxg_l3_free(&a);
	assert_true(lpm_alive(b.lpm));
	assert_int_equal(vxg_l3_lookup(&b, IP(100, 64, 3, 9)), 4); /* route k is next hop 1 + k */
	assert_int_equal(b.nhs[4].gateway, IP(10, 0, 0, 254));
	lpm = b.lpm;
	vxg_l3_free(&b); /* its owner now: gone with it */
	assert_false(lpm_alive(lpm));
	vxg_config_free(c);
	(void)state;
}

/* The network and up to 7 routes: a short list; one more, an rte_lpm. */
static void
routes_random(void **state)
{
	for (unsigned round = 0; round < 20; round++) {
		random_table(1 + round % 7, false);
		random_table(VXG_L3_SMALL + round % 3, true);
	}
	random_table(150, true);
	(void)state;
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "512", "-l", "0", "--file-prefix",
		"vxg_test_l3_routes", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routes_example),
		cmocka_unit_test(routes_isolated),
		cmocka_unit_test(routes_random),
		cmocka_unit_test(routes_taken_over),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
