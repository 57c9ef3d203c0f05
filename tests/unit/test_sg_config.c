/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security group compiler (control/sg/sg_config.c) against a brute-force reference
 * matcher written from the semantics (not from the compiled rules): random groups,
 * memberships and named sets, random packets, and every verdict of rte_acl must equal the
 * reference's. Plus the example config's groups, by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_common.h>
#include <rte_eal.h>

#include "config/model.h"
#include "sg/sg_config.h"
#include "vxg_sg.h"

#include "ip4.h"

/* ---- the reference: what config/README.md says a rule means ----------------------------- */

static bool
cidr_has(struct vxg_cidr c, uint32_t ip)
{
	uint32_t mask = c.len ? ~0u << (32 - c.len) : 0;

	return (ip & mask) == c.addr;
}

static bool
port_has_addr(const struct vxg_port_cfg *p, uint32_t ip)
{
	for (unsigned i = 0; i < p->n_ips; i++)
		if (p->ips[i] == ip)
			return true;
	for (unsigned i = 0; i < p->n_pairs; i++)
		if (cidr_has(p->pairs[i].ip, ip))
			return true;
	return false;
}

static bool
ref_remote(const struct vxg_vpc_cfg *v, const struct vxg_rule_cfg *r, uint32_t ip)
{
	switch (r->remote_kind) {
	case VXG_REMOTE_ANY:
		return true;
	case VXG_REMOTE_CIDR:
		return cidr_has(r->remote, ip);
	case VXG_REMOTE_GROUP:
		for (unsigned p = 0; p < v->n_ports; p++)
			for (unsigned g = 0; g < v->ports[p].n_sgs; g++)
				if (v->ports[p].sgs[g] == r->remote_index &&
					port_has_addr(&v->ports[p], ip))
					return true;
		return false;
	case VXG_REMOTE_PORT_GROUP:
		for (unsigned i = 0; i < v->port_groups[r->remote_index].n_ports; i++)
			if (port_has_addr(&v->ports[v->port_groups[r->remote_index].ports[i]], ip))
				return true;
		return false;
	case VXG_REMOTE_ADDRESS_SET:
		for (unsigned i = 0; i < v->address_sets[r->remote_index].n_addrs; i++)
			if (cidr_has(v->address_sets[r->remote_index].addrs[i], ip))
				return true;
		return false;
	}
	return false;
}

static bool
ref_rule(const struct vxg_vpc_cfg *v, const struct vxg_rule_cfg *r, uint8_t proto, uint32_t remote,
	uint16_t l4)
{
	if (r->proto != VXG_PROTO_ANY && r->proto != proto)
		return false;
	if (r->proto == 6 || r->proto == 17 || r->proto == 132) {
		if (l4 < r->port_min || l4 > r->port_max)
			return false;
	}
	if (r->proto == 1 && r->icmp_type >= 0 && (l4 >> 8) != r->icmp_type)
		return false;
	if (r->proto == 1 && r->icmp_code >= 0 && (l4 & 0xff) != r->icmp_code)
		return false;
	return ref_remote(v, r, remote);
}

/* Allowed? Unfiltered ports: always. Egress without any egress rule: always. */
static bool
ref_allowed(const struct vxg_vpc_cfg *v, unsigned port, enum vxg_dir dir, uint8_t proto,
	uint32_t remote, uint16_t l4)
{
	const struct vxg_port_cfg *p = &v->ports[port];
	bool any_dir_rule = false;

	if (p->n_sgs == 0 || !p->port_security)
		return true;
	for (unsigned g = 0; g < p->n_sgs; g++) {
		const struct vxg_sg_cfg *sg = &v->sgs[p->sgs[g]];

		for (unsigned r = 0; r < sg->n_rules; r++) {
			if (sg->rules[r].dir != dir)
				continue;
			any_dir_rule = true;
			if (ref_rule(v, &sg->rules[r], proto, remote, l4))
				return true;
		}
	}
	return dir == VXG_DIR_EGRESS && !any_dir_rule;
}

static bool
compiled_allowed(const struct vxg_sg_vpc *s, unsigned port, enum vxg_dir dir, uint8_t proto,
	uint32_t remote, uint16_t l4)
{
	struct vxg_sg_key k;
	const uint8_t *keys[1] = {(const uint8_t *)&k};
	uint32_t res;

	if (!s->filtered[port])
		return true;
	vxg_sg_key_set(&k, proto, port, remote, l4);
	vxg_sg_classify(s, dir, keys, &res, 1);
	if (res != 0)
		assert_true(res <= s->n_refs && s->refs[res - 1].port == port);
	return res != 0;
}

/* ---- random VPCs ------------------------------------------------------------------------ */

#define N_PORTS 8
#define N_SGS 4
#define N_ADDRS 12 /* the remote addresses packets use: port IPs and a few outsiders */

static uint32_t addrs[N_ADDRS];

static const uint16_t protos[] = {VXG_PROTO_ANY, 6, 17, 1, 132};

static void
random_rule(struct vxg_rule_cfg *r, unsigned n_sgs)
{
	memset(r, 0, sizeof(*r));
	r->dir = rand() % 2;
	r->ethertype = 0x0800;
	r->proto = protos[rand() % RTE_DIM(protos)];
	r->port_min = 0;
	r->port_max = UINT16_MAX;
	r->icmp_type = r->icmp_code = -1;
	if (r->proto == 6 || r->proto == 17 || r->proto == 132) {
		if (rand() % 3) {
			r->port_min = 20 + rand() % 10;
			r->port_max = r->port_min + rand() % 4;
		}
	} else if (r->proto == 1 && rand() % 2) {
		r->icmp_type = rand() % 3 ? 8 : 0;
		if (rand() % 2)
			r->icmp_code = rand() % 2;
	}
	r->remote_kind = rand() % 5;
	switch (r->remote_kind) {
	case VXG_REMOTE_CIDR:
		r->remote.len = rand() % 2 ? 32 : 28;
		r->remote.addr = addrs[rand() % N_ADDRS] & (~0u << (32 - r->remote.len));
		break;
	case VXG_REMOTE_GROUP:
		r->remote_index = rand() % n_sgs;
		break;
	default:
		r->remote_index = 0; /* the one port group / address set */
		break;
	}
}

static struct vxg_vpc_cfg *
random_vpc(void)
{
	struct vxg_vpc_cfg *v = calloc(1, sizeof(*v));

	v->n_ports = N_PORTS;
	v->ports = calloc(N_PORTS, sizeof(*v->ports));
	v->n_sgs = N_SGS;
	v->sgs = calloc(N_SGS, sizeof(*v->sgs));
	for (unsigned g = 0; g < N_SGS; g++) {
		v->sgs[g].stateful = rand() % 2;
		v->sgs[g].n_rules = rand() % 6;
		v->sgs[g].rules = calloc(v->sgs[g].n_rules + 1, sizeof(struct vxg_rule_cfg));
		for (unsigned r = 0; r < v->sgs[g].n_rules; r++)
			random_rule(&v->sgs[g].rules[r], N_SGS);
	}
	for (unsigned p = 0; p < N_PORTS; p++) {
		struct vxg_port_cfg *pc = &v->ports[p];

		pc->n_ips = 1;
		pc->ips[0] = addrs[p];
		pc->port_security = rand() % 8 != 0;
		pc->sgs = calloc(N_SGS, sizeof(unsigned));
		for (unsigned g = 0; g < N_SGS; g++)
			if (rand() % 3 == 0)
				pc->sgs[pc->n_sgs++] = g;
		if (rand() % 4 == 0) {
			pc->n_pairs = 1;
			pc->pairs = calloc(1, sizeof(*pc->pairs));
			pc->pairs[0].ip = (struct vxg_cidr){addrs[N_PORTS] & ~0xfu, 28};
		}
	}
	v->n_port_groups = 1;
	v->port_groups = calloc(1, sizeof(*v->port_groups));
	v->port_groups[0].ports = calloc(N_PORTS, sizeof(unsigned));
	for (unsigned p = 0; p < N_PORTS; p++)
		if (rand() % 2)
			v->port_groups[0].ports[v->port_groups[0].n_ports++] = p;
	v->n_address_sets = 1;
	v->address_sets = calloc(1, sizeof(*v->address_sets));
	v->address_sets[0].addrs = calloc(2, sizeof(struct vxg_cidr));
	v->address_sets[0].n_addrs = 2;
	v->address_sets[0].addrs[0] = (struct vxg_cidr){addrs[rand() % N_ADDRS], 32};
	v->address_sets[0].addrs[1] = (struct vxg_cidr){IP(192, 0, 2, 0), 24};
	return v;
}

static void
free_vpc(struct vxg_vpc_cfg *v)
{
	for (unsigned g = 0; g < v->n_sgs; g++)
		free(v->sgs[g].rules);
	for (unsigned p = 0; p < v->n_ports; p++) {
		free(v->ports[p].sgs);
		free(v->ports[p].pairs);
	}
	free(v->port_groups[0].ports);
	free(v->address_sets[0].addrs);
	free(v->port_groups);
	free(v->address_sets);
	free(v->ports);
	free(v->sgs);
	free(v);
}

static void
compiler_matches_reference(void **state)
{
	uint64_t checked = 0, allowed = 0;

	for (unsigned i = 0; i < N_ADDRS; i++)
		addrs[i] = i < 10 ? IP(10, 1, 0, 10 + i) : IP(192, 0, 2, 7 + i);
	srand(42);
	for (int round = 0; round < 60; round++) {
		struct vxg_config cfg = {0};
		struct vxg_sg_vpc s;
		char err[256];

		cfg.vpcs = random_vpc();
		cfg.n_vpcs = 1;
		assert_int_equal(vxg_sg_compile(&cfg, 0, &s, err, sizeof(err)), 0);
		for (int k = 0; k < 3000; k++) {
			unsigned port = rand() % N_PORTS;
			enum vxg_dir dir = rand() % 2;
			uint8_t proto = protos[1 + rand() % (RTE_DIM(protos) - 1)];
			uint32_t remote = rand() % 8 ? addrs[rand() % N_ADDRS] : (uint32_t)rand();
			uint16_t l4 =
				proto == 1 ? (rand() % 10) << 8 | rand() % 3 : 18 + rand() % 20;
			bool want = ref_allowed(cfg.vpcs, port, dir, proto, remote, l4);

			if (compiled_allowed(&s, port, dir, proto, remote, l4) != want)
				fail_msg("round %d: port %u dir %d proto %u remote %08x l4 %u: "
					 "reference says %s",
					round, port, dir, proto, remote, l4,
					want ? "allow" : "deny");
			checked++;
			allowed += want;
		}
		vxg_sg_free(&s);
		free_vpc(cfg.vpcs);
	}
	/* Both verdicts must be well represented, or the comparison proves little. */
	assert_true(allowed > checked / 10 && allowed < checked * 9 / 10);
}

/* The example's groups: web takes tcp/80 and ICMP from anywhere; db takes 5432-5433 from
 * web members only; egress is open. */
static void
example_groups(void **state)
{
	struct vxg_rule_cfg web_rules[2] = {
		{.dir = VXG_DIR_INGRESS,
			.proto = 6,
			.port_min = 80,
			.port_max = 80,
			.icmp_type = -1,
			.icmp_code = -1,
			.remote_kind = VXG_REMOTE_CIDR},
		{.dir = VXG_DIR_INGRESS,
			.proto = 1,
			.port_max = UINT16_MAX,
			.icmp_type = -1,
			.icmp_code = -1,
			.remote_kind = VXG_REMOTE_CIDR},
	};
	struct vxg_rule_cfg db_rules[1] = {
		{.dir = VXG_DIR_INGRESS,
			.proto = 6,
			.port_min = 5432,
			.port_max = 5433,
			.icmp_type = -1,
			.icmp_code = -1,
			.remote_kind = VXG_REMOTE_GROUP,
			.remote_index = 0},
	};
	struct vxg_sg_cfg sgs[2] = {
		{"web", true, web_rules, 2, {0, 0}}, {"db", true, db_rules, 1, {0, 0}}};
	unsigned web = 0, db = 1;
	struct vxg_port_cfg ports[2] = {
		{.name = "vm1",
			.ips = {IP(10, 1, 0, 11)},
			.n_ips = 1,
			.sgs = &web,
			.n_sgs = 1,
			.port_security = true},
		{.name = "vm2",
			.ips = {IP(10, 2, 0, 12)},
			.n_ips = 1,
			.sgs = &db,
			.n_sgs = 1,
			.port_security = true},
	};
	struct vxg_vpc_cfg v = {
		.name = "blue", .ports = ports, .n_ports = 2, .sgs = sgs, .n_sgs = 2};
	struct vxg_config cfg = {.vpcs = &v, .n_vpcs = 1};
	struct vxg_sg_vpc s;
	char err[256];

	assert_int_equal(vxg_sg_compile(&cfg, 0, &s, err, sizeof(err)), 0);
	assert_true(compiled_allowed(&s, 0, VXG_DIR_INGRESS, 6, IP(198, 51, 100, 10), 80));
	assert_false(compiled_allowed(&s, 0, VXG_DIR_INGRESS, 6, IP(198, 51, 100, 10), 22));
	assert_false(compiled_allowed(&s, 0, VXG_DIR_INGRESS, 17, IP(198, 51, 100, 10), 80));
	assert_true(compiled_allowed(&s, 0, VXG_DIR_INGRESS, 1, IP(198, 51, 100, 10), 8 << 8));
	assert_true(compiled_allowed(&s, 1, VXG_DIR_INGRESS, 6, IP(10, 1, 0, 11), 5432));
	assert_true(compiled_allowed(&s, 1, VXG_DIR_INGRESS, 6, IP(10, 1, 0, 11), 5433));
	assert_false(compiled_allowed(&s, 1, VXG_DIR_INGRESS, 6, IP(10, 1, 0, 11), 5434));
	assert_false(compiled_allowed(&s, 1, VXG_DIR_INGRESS, 6, IP(10, 1, 0, 99), 5432));
	assert_true(compiled_allowed(&s, 0, VXG_DIR_EGRESS, 17, IP(8, 8, 8, 8), 53));
	vxg_sg_free(&s);
	/* vm1 leaves the web group (a reload): db no longer takes it. */
	ports[0].n_sgs = 0;
	assert_int_equal(vxg_sg_compile(&cfg, 0, &s, err, sizeof(err)), 0);
	assert_false(compiled_allowed(&s, 1, VXG_DIR_INGRESS, 6, IP(10, 1, 0, 11), 5432));
	assert_true(compiled_allowed(&s, 0, VXG_DIR_INGRESS, 6, IP(198, 51, 100, 10), 22));
	vxg_sg_free(&s);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "256", "-l", "0", "--file-prefix",
		"vxg_test_sg_config", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_groups),
		cmocka_unit_test(compiler_matches_reference),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_sg_config: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
