/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security groups across reloads, on the dataplane of sg_fixture.h: connections that a
 * new generation's rules no longer allow are cut, a reload that resizes conntrack keeps
 * them, and rule hits carry over to the same rules of the new generation (sg_hits.c, as
 * `show security-groups` prints them, protocol numbers whole).
 */
#include <rte_acl.h>

#include "sg/sg_hits.h"
#include "sg/sg_show.h"

#include "sg_fixture.h"

/* A reload: generation `id` of the config with web_http, the same conntrack table, made
 * the worker's (as the daemon does: static FDB and neighbours first). */
static void
sg_reload(unsigned k, const char *web_http, uint64_t id)
{
	sgd.cfgs[k] = sg_config(web_http);
	assert_non_null(sgd.cfgs[k]);
	assert_true(vxg_fdb_sync_static(dp.fdb, sgd.cfgs[k], dp.ifs, (uint32_t)id) >= 0);
	assert_true(vxg_l3n_sync_static(dp.l3n, sgd.cfgs[k], (uint32_t)id) >= 0);
	sgd.gens[k] = dp_gen_build(sgd.cfgs[k], dp.ifs, 3, id, dp.fdb, NULL, dp.l3n);
	assert_non_null(sgd.gens[k]);
	sgd.gens[k]->vpcs[0].ct = sgd.ct;
	dp.w->gen = sgd.gens[k];
}

/* vm3:40000 -> vm1:80, a three-way handshake that web's tcp/80 rule lets through. */
static void
sg_http_handshake(void)
{
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	expect_pass(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, SYNACK), 100),
		P_LOCAL);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK), P_UP);
}

/* ---- 6. Reload revalidation ------------------------------------------------------------ */

static void
test_dp_reload_revalidation(void **state)
{
	const struct vxg_ct_entry *e;

	sg_http_handshake();
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(sg_event(VXG_EV_ct_revalidated), 0);
	/* switched both ways between ports with groups: from the worker's cache */
	assert_int_equal(sg_event(VXG_EV_ct_cached), 2);

	/* Generation 2: web no longer takes tcp/80. */
	sg_reload(0, "", 2);
	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK),
		VXG_DROP_sg_blocked);
	assert_int_equal(sg_event(VXG_EV_ct_revalidated), 1);
	assert_true(e->flags & VXG_CT_F_BLOCKED);
	assert_int_equal(e->gen, 2);
	/* Both ways, checked once. */
	expect_drop(P_UP, from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, ACK), 100),
		VXG_DROP_sg_blocked);
	assert_int_equal(sg_event(VXG_EV_ct_revalidated), 1);
	/* A new connection to 80 is simply denied. */
	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40001, 80, SYN),
		VXG_DROP_sg_ingress_deny);

	/* Generation 3: the rule is back, and so is the connection. */
	sg_reload(1, WEB_HTTP, 3);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK), P_UP);
	assert_int_equal(sg_event(VXG_EV_ct_revalidated), 2);
	assert_false(e->flags & VXG_CT_F_BLOCKED);
	expect_pass(P_UP, from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, ACK), 100),
		P_LOCAL);
	assert_int_equal(sg_event(VXG_EV_ct_revalidated), 2);
	/* The cache never answered while the rules were checked again (generations 2, 3). */
	assert_int_equal(sg_event(VXG_EV_ct_cached), 3);
}

/* ---- 7. Reloads that resize conntrack, and rule hits across reloads ------------------- */

/*
 * dataplane.limits.conntrack changes on a reload: the daemon gives the VPC a new table of
 * the new size with the connections copied (vxg_ct_resize) and points the new generation
 * at it. The established connection keeps passing both ways, the reply direction too,
 * which client's rules alone would deny.
 */
static void
test_dp_conntrack_resize(void **state)
{
	struct vxg_ct *old = sgd.ct;
	const struct vxg_ct_entry *e;
	uint32_t dropped = 99;
	uint64_t hits;

	sg_http_handshake();

	sgd.ct = vxg_ct_resize(old, 64, vxg_ct_now(), &dropped);
	assert_non_null(sgd.ct);
	assert_int_equal(dropped, 0);
	sg_reload(0, WEB_HTTP, 2); /* the same rules, the new table */
	vxg_ct_destroy(old); /* the worker runs generation 2: nothing reads old */
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	hits = sg_event(VXG_EV_ct_hit);
	expect_pass(P_UP, from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, ACK), 100),
		P_LOCAL);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK), P_UP);
	assert_int_equal(sg_event(VXG_EV_ct_hit), hits + 2);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
	assert_int_equal(sgd.ct->limit, 64);
}

/* `show security-groups PORT` as the daemon prints it with generation gen of cfg live,
 * the fixture's worker and the hits base `base` (NULL: none). Free the text. */
static char *
sg_show_port(const char *port, struct vxg_config *cfg, struct vxg_gen *gen, uint64_t **base)
{
	static struct vxg_daemon d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.gen = gen;
	d.workers[0] = dp.w;
	d.n_workers = 1;
	assert_int_equal(
		vxg_sg_show_groups_base(&d, base, base != NULL ? gen->n_vpcs : 0, port, f, false),
		0);
	fclose(f);
	return buf;
}

/* The show has this line (and a newline after it), or fails showing what it has. */
static void
assert_shows(const char *text, const char *line)
{
	char want[256];

	snprintf(want, sizeof(want), "%s\n", line);
	if (strstr(text, want) == NULL)
		fail_msg("no \"%s\" in:\n%s", line, text);
}

/* The rule hits one reload carries over: the base of generation (ng, nc) from (og, oc)
 * and its base ob. */
static uint64_t **
sg_carry(struct vxg_gen *ng, struct vxg_config *nc, struct vxg_gen *og, struct vxg_config *oc,
	uint64_t **ob)
{
	uint64_t **base = NULL;

	assert_int_equal(
		vxg_sg_hits_carry(&base, ng, nc, og, oc, ob, ob != NULL ? og->n_vpcs : 0, &dp.w, 1),
		0);
	assert_non_null(base);
	return base;
}

#define WEB_HTTPS "          - {direction: ingress, protocol: tcp, ports: 443}\n"
#define WEB_HTTP81 "          - {direction: ingress, protocol: tcp, ports: 81}\n"

/*
 * A reload keeps the hits of the rules it does not change (same port, group and content,
 * wherever the rule moved in the list) and starts new or changed rules from zero; over
 * two reloads the hits add up.
 */
static void
test_dp_reload_keeps_hits(void **state)
{
	uint64_t **b1, **b2;
	char *t;

	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	expect_pass(P_LOCAL,
		sg_pkt(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, IPPROTO_ICMP, 77, 0,
			RTE_IP_ICMP_ECHO_REQUEST),
		P_UP);
	t = sg_show_port("vm1", dp.cfg, dp.gen, NULL);
	assert_shows(t, "  web ingress tcp 80 remote any stateful hits 1");
	assert_shows(t, "  web ingress icmp remote any stateful hits 1");
	free(t);

	/* Generation 2: a rule for 443 comes first; 80 and ICMP move down, unchanged. */
	sg_reload(0, WEB_HTTPS WEB_HTTP, 2);
	b1 = sg_carry(sgd.gens[0], sgd.cfgs[0], dp.gen, dp.cfg, NULL);
	t = sg_show_port("vm1", sgd.cfgs[0], sgd.gens[0], b1);
	assert_shows(t, "  web ingress tcp 443 remote any stateful hits 0");
	assert_shows(t, "  web ingress tcp 80 remote any stateful hits 1");
	assert_shows(t, "  web ingress icmp remote any stateful hits 1");
	assert_shows(t, "  web ingress udp 5000-5999 remote any stateful hits 0");
	free(t);
	t = sg_show_port("vm3", sgd.cfgs[0], sgd.gens[0], b1);
	assert_shows(t, "  (default) egress any stateful hits 2");
	free(t);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40001, 80, SYN), P_UP);
	t = sg_show_port("vm1", sgd.cfgs[0], sgd.gens[0], b1);
	assert_shows(t, "  web ingress tcp 80 remote any stateful hits 2");
	free(t);

	/* Generation 3: 80 becomes 81 (a changed rule), 443 goes; ICMP stays. */
	sg_reload(1, WEB_HTTP81, 3);
	b2 = sg_carry(sgd.gens[1], sgd.cfgs[1], sgd.gens[0], sgd.cfgs[0], b1);
	t = sg_show_port("vm1", sgd.cfgs[1], sgd.gens[1], b2);
	assert_shows(t, "  web ingress tcp 81 remote any stateful hits 0");
	assert_shows(t, "  web ingress icmp remote any stateful hits 1");
	assert_null(strstr(t, "tcp 80 "));
	free(t);
	t = sg_show_port("vm3", sgd.cfgs[1], sgd.gens[1], b2);
	assert_shows(t, "  (default) egress any stateful hits 3");
	free(t);
	vxg_sg_hits_base_free(b1, sgd.gens[0]->n_vpcs);
	vxg_sg_hits_base_free(b2, sgd.gens[1]->n_vpcs);
}

/* Is ctx an ACL context DPDK still has (not freed)? sg_config.c names them vxg_sg<n>. */
static bool
acl_alive(const struct rte_acl_ctx *ctx)
{
	char name[RTE_ACL_NAMESIZE];

	for (unsigned k = 0; k < 100000; k++) {
		snprintf(name, sizeof(name), "vxg_sg%u", k);
		if (rte_acl_find_existing(name) == ctx)
			return true;
	}
	return false;
}

/*
 * A rebuild of the same config (an underlay neighbour, an EVPN flood set) takes the live
 * generation's compiled classifiers instead of compiling them again; freeing the old
 * generation leaves them to the new one, which classifies with them.
 */
static void
test_dp_rebuild_shares(void **state)
{
	struct vxg_gen *old = dp.gen, *g;

	g = dp_gen_build_same(dp.cfg, dp.ifs, 3, 2, dp.fdb, NULL, dp.l3n, old);
	assert_non_null(g);
	assert_non_null(g->vpcs[0].sg.acl[VXG_DIR_INGRESS]);
	assert_ptr_equal(g->vpcs[0].sg.acl[VXG_DIR_INGRESS], old->vpcs[0].sg.acl[VXG_DIR_INGRESS]);
	assert_ptr_equal(g->vpcs[0].sg.refs, old->vpcs[0].sg.refs);
	assert_true(old->vpcs[0].sg.lent);
	assert_false(g->vpcs[0].sg.lent);
	g->vpcs[0].ct = sgd.ct;
	dp.w->gen = dp.gen = g;
	vxg_gen_free(old);
	assert_true(acl_alive(g->vpcs[0].sg.acl[VXG_DIR_INGRESS]));
	sg_http_handshake();
	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40002, 22, SYN),
		VXG_DROP_sg_ingress_deny);
}

/* A rule for a protocol without a name shows its number whole, in text and in JSON. */
static void
test_dp_show_protocol_number(void **state)
{
	static struct vxg_daemon d;
	char *t = NULL;
	size_t len = 0;
	FILE *f;

	sg_reload(0,
		WEB_HTTP "          - {direction: ingress, protocol: 47}\n"
			 "          - {direction: ingress, protocol: 255}\n",
		2);
	t = sg_show_port("vm1", sgd.cfgs[0], sgd.gens[0], NULL);
	assert_shows(t, "  web ingress proto 47 remote any stateful hits 0");
	assert_shows(t, "  web ingress proto 255 remote any stateful hits 0");
	free(t);
	d.cfg = sgd.cfgs[0];
	d.gen = sgd.gens[0];
	d.workers[0] = dp.w;
	d.n_workers = 1;
	assert_non_null(f = open_memstream(&t, &len));
	assert_int_equal(vxg_sg_show_groups_base(&d, NULL, 0, "vm1", f, true), 0);
	fclose(f);
	if (strstr(t, "\"proto 47\"") == NULL || strstr(t, "\"proto 255\"") == NULL)
		fail_msg("no \"proto 47\" and \"proto 255\" in:\n%s", t);
	free(t);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest dataplane[] = {
		SGT(test_dp_reload_revalidation),
		SGT(test_dp_conntrack_resize),
		SGT(test_dp_reload_keeps_hits),
		SGT(test_dp_show_protocol_number),
		SGT(test_dp_rebuild_shares),
	};
	int ret;

	if (sg_eal_init(argv[0], "vxg_test_sg_reload") < 0)
		return 1;
	ret = cmocka_run_group_tests_name("dataplane", dataplane, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
