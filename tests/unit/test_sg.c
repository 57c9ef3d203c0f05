/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security group compiler against a brute-force reference matcher written from the
 * semantics (not from the compiled rules): random groups, memberships and named sets,
 * random packets, and every verdict of rte_acl must equal the reference's. Plus the
 * example config's groups, by hand.
 *
 * Then the "dataplane" group: port security and the security-group stage end to end on
 * hand-built mbufs (vxg_eth_input -> L2 [-> router] -> SG -> tx buffers), with a conntrack
 * table attached the way the daemon does it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_icmp.h>
#include <rte_tcp.h>

#include "sg/conntrack.h"
#include "dp_fixture.h"
#include "sg/sg_hits.h"
#include "sg/sg_config.h"
#include "sg/sg_show.h"
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

/* ---- The dataplane: port security and the security-group stage ------------------------ */

/*
 * One VPC, web (VNI 100) and db (VNI 200), both routed. vm1 lives behind VTEP 172.16.0.2
 * (group web), vm3 on `local` VLAN 5 (group client: no rules, so nothing comes in unless
 * vm3 opened it; an address pair 10.1.0.50), vm2 on `trunk` VLAN 8 (group db), vm9 on
 * `trunk` VLAN 9 with port security and no group. %s: web's tcp/80 rule, or nothing (a
 * reload that removes it).
 */
static const char sg_yaml_fmt[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24,\n"
	"     gateway: 172.16.0.254, mtu: 1600, neighbours: [{ip: 172.16.0.2, mac: "
	"\"02:00:ac:10:00:02\"},\n"
	"     {ip: 172.16.0.254, mac: \"02:00:ac:10:00:fe\"}]}\n"
	"  - {name: local, device: net_null1, role: access}\n"
	"  - {name: trunk, device: net_null2, role: access}\n"
	"vtep: {address: 172.16.0.1, ageing: 30}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {vtep: 172.16.0.2}, security_groups: [web]}\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:03\", ip: 10.1.0.3,\n"
	"         location: {interface: local, vlan: 5}, security_groups: [client],\n"
	"         allowed_address_pairs: [{ip: 10.1.0.50}]}\n"
	"      - {name: vm2, network: db, mac: \"02:00:0a:02:00:0c\", ip: 10.2.0.12,\n"
	"         location: {interface: trunk, vlan: 8}, security_groups: [db]}\n"
	"      - {name: vm9, network: web, mac: \"02:00:0a:01:00:09\", ip: 10.1.0.9,\n"
	"         location: {interface: trunk, vlan: 9}}\n"
	"    security_groups:\n"
	"      - name: web\n"
	"        rules:\n"
	"%s"
	"          - {direction: ingress, protocol: icmp}\n"
	"          - {direction: ingress, protocol: udp, ports: 5000-5999}\n"
	"      - {name: client}\n"
	"      - name: db\n"
	"        rules:\n"
	"          - {direction: ingress, protocol: tcp, ports: 5432, remote_group: web}\n";

#define WEB_HTTP "          - {direction: ingress, protocol: tcp, ports: 80}\n"

static const struct rte_ether_addr S_VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr S_VM3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x03}};
static const struct rte_ether_addr S_VM2 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c}};
static const struct rte_ether_addr S_VM9 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x09}};
static const struct rte_ether_addr S_STRANGER = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x77}};
static const struct rte_ether_addr S_GW_WEB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};
static const struct rte_ether_addr S_GW_DB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0xc8}};
static const struct rte_ether_addr S_BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

#define VTEP2 RTE_BE32(0xac100002)
#define VLAN_VM3 5
#define VLAN_VM2 8
#define VLAN_VM9 9
#define IP_VM1 IP(10, 1, 0, 11)
#define IP_VM3 IP(10, 1, 0, 3)
#define IP_VM2 IP(10, 2, 0, 12)
#define IP_VM9 IP(10, 1, 0, 9)
#define IP_PAIR IP(10, 1, 0, 50)
#define SYN RTE_TCP_SYN_FLAG
#define SYNACK (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)
#define ACK RTE_TCP_ACK_FLAG

/* What the dataplane tests own besides the fixture's dp: freed by sg_teardown. */
static struct {
	struct vxg_ct *ct;
	struct vxg_config *cfgs[2]; /* reloads */
	struct vxg_gen *gens[2];
} sgd;

static struct vxg_config *
sg_config(const char *web_http)
{
	char yaml[4096];

	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, web_http);
	return dp_config("sg.yaml", yaml);
}

/* The fixture's dataplane with config cfg, and a conntrack table of ct_limit attached
 * to blue. */
static int
sg_setup_cfg(struct vxg_config *cfg, uint32_t ct_limit)
{
	if (dp_setup_cfg(cfg, 3, 1024) < 0)
		return -1;
	sgd.ct = vxg_ct_create_table("blue", ct_limit, NULL);
	if (sgd.ct == NULL)
		return -1;
	dp.gen->vpcs[0].ct = sgd.ct;
	return 0;
}

/* The fixture's dataplane with sg_yaml_fmt, and a conntrack table of ct_limit attached
 * to blue. */
static int
sg_setup_limit(uint32_t ct_limit)
{
	memset(&sgd, 0, sizeof(sgd));
	return sg_setup_cfg(sg_config(WEB_HTTP), ct_limit);
}

static int
sg_setup(void **state)
{
	return sg_setup_limit(1024);
}

static int
sg_setup_small(void **state)
{
	return sg_setup_limit(64); /* the smallest dataplane.limits.conntrack */
}

/* Also checks that every mbuf came back to the pool. */
static int
sg_teardown(void **state)
{
	if (dp.w != NULL) {
		rte_free(dp.w->lport_ctr);
		dp.w->lport_ctr = NULL;
	}
	for (unsigned k = 0; k < RTE_DIM(sgd.gens); k++) {
		if (sgd.gens[k] != NULL)
			vxg_gen_free(sgd.gens[k]);
		if (sgd.cfgs[k] != NULL)
			vxg_config_free(sgd.cfgs[k]);
	}
	vxg_ct_destroy(sgd.ct);
	memset(&sgd, 0, sizeof(sgd));
	return dp_teardown_leaks(state);
}

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

/* ---- Frames ------------------------------------------------------------------------- */

static uint16_t
sg_l2len(uint16_t vlan)
{
	return vlan ? 18 : 14;
}

/*
 * Ethernet (802.1Q if vlan) and a 60-byte IPv4 packet: TCP with `flags`, UDP, or ICMP of
 * type `flags` (identifier sport), from sip:sport to dip:dport.
 */
static struct rte_mbuf *
sg_pkt(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint8_t proto, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = sg_l2len(vlan), ip_len = 60;
	struct rte_ipv4_hdr *ip;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + ip_len);
	assert_non_null(p);
	memset(p, 0, l2 + ip_len);
	dp_eth(p, src, dst, vlan);
	ip = (struct rte_ipv4_hdr *)(p + l2);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(sip);
	ip->dst_addr = rte_cpu_to_be_32(dip);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)(ip + 1);

		t->src_port = rte_cpu_to_be_16(sport);
		t->dst_port = rte_cpu_to_be_16(dport);
		t->data_off = 0x50;
		t->tcp_flags = flags;
		t->rx_win = RTE_BE16(8192);
	} else if (proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

		u->src_port = rte_cpu_to_be_16(sport);
		u->dst_port = rte_cpu_to_be_16(dport);
		u->dgram_len = rte_cpu_to_be_16(ip_len - 20);
	} else if (proto == IPPROTO_ICMP) {
		struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

		ic->icmp_type = flags;
		ic->icmp_ident = rte_cpu_to_be_16(sport);
		ic->icmp_cksum = ~rte_raw_cksum(ic, ip_len - 20);
	}
	return m;
}

static struct rte_mbuf *
sg_tcp(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport, uint8_t flags)
{
	return sg_pkt(src, dst, vlan, sip, dip, IPPROTO_TCP, sport, dport, flags);
}

static struct rte_mbuf *
sg_udp(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport)
{
	return sg_pkt(src, dst, vlan, sip, dip, IPPROTO_UDP, sport, dport, 0);
}

/* A broadcast ARP request from src, sender sip, for tip. */
static struct rte_mbuf *
sg_arp(const struct rte_ether_addr *src, uint16_t vlan, uint32_t sip, uint32_t tip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = sg_l2len(vlan);
	struct rte_arp_hdr *arp;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*arp) + 18);
	assert_non_null(p);
	memset(p, 0, m->pkt_len);
	dp_eth(p, src, &S_BCAST, vlan);
	*(rte_be16_t *)(p + l2 - 2) = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(p + l2);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = *src;
	arp->arp_data.arp_sip = rte_cpu_to_be_32(sip);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return m;
}

/* Ethernet m (untagged) wrapped in VXLAN from vm1's VTEP, network vni. */
static struct rte_mbuf *
from_vtep(struct rte_mbuf *m, uint32_t vni)
{
	return dp_vxlan(m, vni);
}

/* ---- Sending and checking ------------------------------------------------------------- */

static unsigned
sg_tx_total(void)
{
	return dp.w->tx[P_UP].n + dp.w->tx[P_LOCAL].n + dp.w->tx[P_TRUNK].n;
}

static uint64_t
sg_event(enum vxg_event e)
{
	return dp.w->stats.events[e];
}

/* Fails naming every drop counter that moved since `before`, except `expected` by one. */
static void
sg_check_drops(const struct vxg_worker_stats *before, int expected)
{
	for (int r = 0; r < VXG_DROP_MAX; r++) {
		uint64_t want = before->drops[r] + (r == expected);

		if (dp.w->stats.drops[r] != want)
			fail_msg("drop counter %s: %" PRIu64 ", expected %" PRIu64,
				vxg_drop_names[r], dp.w->stats.drops[r], want);
	}
}

static void
sg_rx(unsigned port, struct rte_mbuf *m)
{
	vxg_eth_input(dp.w, dp_if(port), &m, 1);
}

/* m, received on port `in`, is dropped under r and nothing else: no other drop, nothing
 * transmitted, nothing punted. */
static void
expect_drop(unsigned in, struct rte_mbuf *m, enum vxg_drop_reason r)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, r);
	assert_int_equal(sg_tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 0);
}

/* m, received on port `in`, leaves port `out` and nowhere else, nothing dropped; the
 * frame stays in the tx buffer until the next send or dp_tx_clear(). */
static struct rte_mbuf *
expect_pass(unsigned in, struct rte_mbuf *m, unsigned out)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_int_equal(sg_tx_total(), 1);
	assert_int_equal(dp.w->tx[out].n, 1);
	return dp.w->tx[out].pkts[0];
}

/* The inner frame of a VXLAN packet to vm1's VTEP in network vni. */
static const uint8_t *
sg_vx_inner(const struct rte_mbuf *m, uint32_t vni)
{
	const struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, const struct vxg_vxlan_tmpl *);

	assert_int_equal(h->ip.dst_addr, VTEP2);
	assert_int_equal(h->udp.dst_port, RTE_BE16(4789));
	assert_int_equal(h->vx.vx_vni, rte_cpu_to_be_32(vni << 8));
	return (const uint8_t *)(h + 1);
}

/* An Ethernet frame p carries an IPv4 packet to dst MAC, tagged vlan (0: untagged), whose
 * L4 destination port is dport. */
static void
sg_check_frame(const uint8_t *p, const struct rte_ether_addr *dst, uint16_t vlan, uint16_t dport)
{
	uint16_t l2 = sg_l2len(vlan);

	assert_memory_equal(p, dst->addr_bytes, 6);
	if (vlan) {
		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_VLAN);
		assert_int_equal((p[14] << 8 | p[15]) & 0xfff, vlan);
	}
	assert_int_equal(p[l2 - 2] << 8 | p[l2 - 1], RTE_ETHER_TYPE_IPV4);
	assert_int_equal(p[l2 + 22] << 8 | p[l2 + 23], dport);
}

/* The conntrack entry of a connection from sip:sport to dip:dport, or NULL. */
static const struct vxg_ct_entry *
sg_ct_entry(uint8_t proto, uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport)
{
	struct vxg_ct_key k;
	int32_t pos;

	vxg_ct_key_make(&k, proto, rte_cpu_to_be_32(sip), rte_cpu_to_be_32(dip),
		rte_cpu_to_be_16(sport), rte_cpu_to_be_16(dport));
	pos = rte_hash_lookup(sgd.ct->h, &k);
	return pos >= 0 ? &sgd.ct->entries[pos] : NULL;
}

/* ---- 1. Switched ---------------------------------------------------------------------- */

/* vm3 (local, VLAN 5) -> vm1 (behind the VTEP) in web: tcp/80 in, tracked; tcp/22 not. */
static void
test_dp_switched(void **state)
{
	const struct vxg_ct_entry *e;
	struct rte_mbuf *o;

	o = expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 80);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 0);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_SENT);
	assert_int_equal(e->gen, 1);

	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40001, 22, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);

	/* web takes ICMP too; UDP only on 5000-5999. */
	expect_pass(P_LOCAL,
		sg_pkt(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, IPPROTO_ICMP, 7, 7,
			RTE_IP_ICMP_ECHO_REQUEST),
		P_UP);
	expect_drop(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 53),
		VXG_DROP_sg_ingress_deny);
	/* vm9 has no group: only vm1's ingress rules apply to what it sends. */
	expect_pass(
		P_TRUNK, sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP_VM9, IP_VM1, 40000, 80, SYN), P_UP);
	expect_drop(P_TRUNK, sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP_VM9, IP_VM1, 40000, 22, SYN),
		VXG_DROP_sg_ingress_deny);
	/* client takes nothing in. */
	expect_drop(P_TRUNK, sg_tcp(&S_VM9, &S_VM3, VLAN_VM9, IP_VM9, IP_VM3, 40000, 80, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_created), 3);
}

/* ---- 2. Stateful ---------------------------------------------------------------------- */

/* vm1's answers to what vm3 opened come in; what vm1 opens towards vm3 does not. */
static void
test_dp_stateful(void **state)
{
	const struct vxg_ct_entry *e;
	struct rte_mbuf *o;

	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 0);
	o = expect_pass(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 80, 40000, SYNACK), 100),
		P_LOCAL);
	sg_check_frame(rte_pktmbuf_mtod(o, const uint8_t *), &S_VM3, VLAN_VM3, 40000);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 1);
	e = sg_ct_entry(IPPROTO_TCP, IP_VM3, 40000, IP_VM1, 80);
	assert_non_null(e);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_RECV);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, ACK), P_UP);
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);

	/* vm1 opening a connection to vm3: client has no ingress rule. */
	expect_drop(P_UP, from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 50000, 22, SYN), 100),
		VXG_DROP_sg_ingress_deny);
	/* Nor does an "answer" from a port vm3 never talked to. */
	expect_drop(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 81, 40000, SYNACK), 100),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
}

/* ---- 3. Port security ------------------------------------------------------------------ */

static void
test_dp_port_security(void **state)
{
	struct rte_mbuf *m;

	/* Not vm3's address; its allowed address pair; its own. */
	expect_drop(P_LOCAL,
		sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP(10, 1, 0, 99), IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_ip);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_PAIR, IP_VM1, 40000, 80, SYN), P_UP);
	/* ARP: claiming another address; its own (flooded to vm9's VLAN, the only other
	 * access VLAN of web, no flood list); its pair's. */
	expect_drop(
		P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP(10, 1, 0, 99), IP_VM9), VXG_DROP_spoof_arp);
	expect_pass(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_VM3, IP_VM9), P_TRUNK);
	expect_pass(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_PAIR, IP_VM9), P_TRUNK);
	/* A DHCP server in vm3. */
	expect_drop(P_LOCAL,
		sg_udp(&S_VM3, &S_BCAST, VLAN_VM3, IP_VM3, IP(255, 255, 255, 255), 67, 68),
		VXG_DROP_spoof_dhcp);
	/* IPv6 (not supported by the groups yet): nothing but IPv4 and ARP. */
	m = sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN);
	*rte_pktmbuf_mtod_offset(m, rte_be16_t *, 16) = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	expect_drop(P_LOCAL, m, VXG_DROP_port_sec_ethertype);
	/* A MAC that is no port's, where a port with groups lives: not learned either. */
	expect_drop(P_LOCAL, sg_tcp(&S_STRANGER, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_mac);
	assert_int_equal(sg_event(VXG_EV_fdb_learned), 0);
	/* vm1's MAC on vm3's port; vm1 is still behind its VTEP afterwards. */
	expect_drop(P_LOCAL, sg_tcp(&S_VM1, &S_VM9, VLAN_VM3, IP_VM1, IP_VM9, 40000, 80, SYN),
		VXG_DROP_spoof_mac);
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40002, 80, SYN), P_UP);
	/* vm9 (no group) is held to its address too... */
	expect_drop(P_TRUNK,
		sg_tcp(&S_VM9, &S_VM1, VLAN_VM9, IP(10, 1, 0, 98), IP_VM1, 40000, 80, SYN),
		VXG_DROP_spoof_ip);
	/* ...but where no port with groups lives, a MAC that is no port's is learned. */
	expect_pass(P_TRUNK,
		sg_tcp(&S_STRANGER, &S_VM1, VLAN_VM9, IP(10, 1, 0, 77), IP_VM1, 40000, 80, SYN),
		P_UP);
	assert_int_equal(sg_event(VXG_EV_fdb_learned), 1);
}

/* ---- 4. Routed ------------------------------------------------------------------------ */

/* db takes 5432 from web's members: vm1 yes, vm3 (client) no. */
static void
test_dp_routed(void **state)
{
	const uint8_t *p;
	struct rte_mbuf *o;

	expect_drop(P_LOCAL, sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 5432, SYN),
		VXG_DROP_sg_ingress_deny);
	assert_int_equal(sg_event(VXG_EV_routed), 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 0);

	o = expect_pass(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5432, SYN), 100),
		P_TRUNK);
	p = rte_pktmbuf_mtod(o, const uint8_t *);
	sg_check_frame(p, &S_VM2, VLAN_VM2, 5432);
	assert_memory_equal(p + 6, S_GW_DB.addr_bytes, 6);
	assert_int_equal(p[18 + 8], 63); /* TTL */
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	/* vm2's answer, routed back to vm1: a conntrack hit. */
	o = expect_pass(P_TRUNK,
		sg_tcp(&S_VM2, &S_GW_DB, VLAN_VM2, IP_VM2, IP_VM1, 5432, 40000, SYNACK), P_UP);
	sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 40000);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 1);
	/* Not 5433, even from web. */
	expect_drop(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5433, SYN), 100),
		VXG_DROP_sg_ingress_deny);
}

/*
 * The same flows again and again, each in a burst of its own: once the worker's caches
 * know the addresses, the router's fast path routes them, and the groups still decide.
 */
static void
test_dp_routed_warm(void **state)
{
	for (int i = 0; i < 4; i++) {
		struct rte_mbuf *o;

		o = expect_pass(P_UP,
			from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40000, 5432,
					  i == 0 ? SYN : ACK),
				100),
			P_TRUNK);
		sg_check_frame(rte_pktmbuf_mtod(o, const uint8_t *), &S_VM2, VLAN_VM2, 5432);
		o = expect_pass(P_TRUNK,
			sg_tcp(&S_VM2, &S_GW_DB, VLAN_VM2, IP_VM2, IP_VM1, 5432, 40000,
				i == 0 ? SYNACK : ACK),
			P_UP);
		sg_check_frame(sg_vx_inner(o, 100), &S_VM1, 0, 40000);
		expect_drop(P_UP,
			from_vtep(sg_tcp(&S_VM1, &S_GW_WEB, 0, IP_VM1, IP_VM2, 40001, 5433, SYN),
				100),
			VXG_DROP_sg_ingress_deny);
		expect_drop(P_LOCAL,
			sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 5432, SYN),
			VXG_DROP_sg_ingress_deny);
	}
	assert_int_equal(sg_event(VXG_EV_routed), 16);
	assert_int_equal(sg_event(VXG_EV_ct_created), 1);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 7);
	/* After the first packet, the worker's exact-match cache finds the connection, but for
	 * vm2's first frame: a MAC not yet in the FDB position cache takes the batched path. */
	assert_int_equal(sg_event(VXG_EV_ct_cached), 6);
	assert_int_equal(vxg_ct_count(sgd.ct), 1);
}

/* ---- 5. Conntrack full ----------------------------------------------------------------- */

static void
test_dp_conntrack_full(void **state)
{
	uint64_t passed = 0, full;

	expect_pass(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 1000, 5001), P_UP);
	for (uint16_t i = 0; i < 200; i++) {
		dp_tx_clear();
		sg_rx(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1,
				       (uint16_t)(2000 + i), 5001));
		passed += dp.w->tx[P_UP].n;
	}
	dp_tx_clear();
	full = dp_drops(VXG_DROP_conntrack_full);
	assert_true(full > 0);
	assert_true(passed > 0);
	assert_int_equal(passed + full, 200);
	assert_int_equal(vxg_stats_drops_total(&dp.w->stats), full);
	assert_int_equal(sg_event(VXG_EV_ct_created), passed + 1);
	assert_int_equal(vxg_ct_count(sgd.ct), passed + 1);
	assert_true(vxg_ct_count(sgd.ct) <= 64);

	/* The flow created before the table filled still passes, both ways. */
	expect_pass(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 1000, 5001), P_UP);
	expect_pass(P_UP, from_vtep(sg_udp(&S_VM1, &S_VM3, 0, IP_VM1, IP_VM3, 5001, 1000), 100),
		P_LOCAL);
	assert_int_equal(sg_event(VXG_EV_ct_hit), 2);
	/* A new one still finds no room. */
	expect_drop(P_LOCAL, sg_udp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 999, 5001),
		VXG_DROP_conntrack_full);
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

/* ---- The router's own ICMP errors ------------------------------------------------------ */

/*
 * A traceroute from vm3 through the VPC router: the probe expires in the router (before
 * any SG stage saw it, so nothing is tracked), and the time-exceeded must still reach vm3
 * although client takes nothing in: the router's frames are not filtered (VXG_LPORT_SELF).
 */
static void
test_dp_router_icmp_error_to_port(void **state)
{
	struct rte_mbuf *m = sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP_VM2, 40000, 33434);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 18);

	ip->time_to_live = 1;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m = expect_pass(P_LOCAL, m, P_LOCAL);
	assert_int_equal(sg_event(VXG_EV_icmp_time_exceeded), 1);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), S_VM3.addr_bytes, 6);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 14)[1], VLAN_VM3);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 18)[9], IPPROTO_ICMP);
	assert_int_equal(rte_pktmbuf_mtod_offset(m, const uint8_t *, 18 + 20)[0], 11);
}

/* ---- Floods meet the receivers' ingress rules ------------------------------------------- */

/* The slot + 1 of blue's port number p (config order), as FDB entries and counters use. */
static uint16_t
sg_slot(uint32_t p)
{
	for (uint32_t s = 0; s < dp.gen->n_lports; s++)
		if (dp.gen->lports[s].flags != 0 && dp.gen->lports[s].vpc_port == p)
			return (uint16_t)(s + 1);
	fail_msg("no slot for port %u", p);
	return 0;
}

/* Per-port counters for the worker, as the daemon gives it; sg_teardown frees them. */
static void
sg_lport_ctr(void)
{
	dp.w->lport_ctr = rte_zmalloc(NULL, VXG_LPORT_MAX * sizeof(*dp.w->lport_ctr), 0);
	assert_non_null(dp.w->lport_ctr);
}

/* m, received on port `in`, leaves by the ports of mask (bit per port, one frame each)
 * and nowhere else; drops: `deny` more sg_ingress_deny, nothing else. */
static void
expect_flood(unsigned in, struct rte_mbuf *m, unsigned mask, unsigned deny)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	for (int r = 0; r < VXG_DROP_MAX; r++) {
		uint64_t want = before.drops[r] + (r == VXG_DROP_sg_ingress_deny ? deny : 0);

		if (dp.w->stats.drops[r] != want)
			fail_msg("drop counter %s: %" PRIu64 ", expected %" PRIu64,
				vxg_drop_names[r], dp.w->stats.drops[r], want);
	}
	for (unsigned p = 0; p < 3; p++)
		if (dp.w->tx[p].n != ((mask >> p) & 1))
			fail_msg("port %u sent %u frames, expected %u", p, dp.w->tx[p].n,
				(mask >> p) & 1);
	assert_int_equal(dp_punted(NULL), 0);
}

#define TX_UP (1u << P_UP)
#define TX_LOCAL (1u << P_LOCAL)
#define TX_TRUNK (1u << P_TRUNK)

/*
 * A broadcast from vm1 (behind the VTEP) to web's broadcast address, UDP 9999: vm9's VLAN
 * (no groups) gets it, vm3's does not (client takes nothing in), counted as vm3's denial.
 * ARP broadcasts still reach vm3.
 */
static void
test_dp_flood_meets_ingress(void **state)
{
	uint16_t vm3 = sg_slot(1);

	sg_lport_ctr();
	expect_flood(P_UP,
		from_vtep(sg_udp(&S_VM1, &S_BCAST, 0, IP_VM1, IP(10, 1, 0, 255), 40000, 9999), 100),
		TX_TRUNK, 1);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].denied, 1);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].allowed, 0);
	assert_int_equal(vxg_ct_count(sgd.ct), 1); /* vm1's own egress, not one per receiver */
	/* From vm9: vm3's VLAN is its only other target, so nothing leaves. */
	expect_flood(P_TRUNK,
		sg_udp(&S_VM9, &S_BCAST, VLAN_VM9, IP_VM9, IP(10, 1, 0, 255), 40000, 9999), 0, 1);
	expect_pass(P_TRUNK, sg_arp(&S_VM9, VLAN_VM9, IP_VM9, IP_VM3), P_LOCAL);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].denied, 2);
	assert_int_equal(dp.w->lport_ctr[vm3 - 1].allowed, 1);
}

/*
 * Unknown unicast (a MAC no FDB entry has) flooded towards vm3: denied like the unicast
 * would be, unless it answers a connection vm3 opened (say, to an address pair's MAC the
 * FDB forgot).
 */
static void
test_dp_flood_unknown_unicast(void **state)
{
	expect_flood(P_TRUNK, sg_tcp(&S_VM9, &S_STRANGER, VLAN_VM9, IP_VM9, IP_VM3, 40000, 80, SYN),
		0, 1);
	expect_flood(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_STRANGER, 0, IP_VM1, IP_VM3, 40000, 80, SYN), 100),
		TX_TRUNK, 1);
	/* vm3 opens vm3:40000 -> vm1:80; vm1's answer to the unknown MAC reaches it. */
	expect_pass(
		P_LOCAL, sg_tcp(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, 40000, 80, SYN), P_UP);
	expect_flood(P_UP,
		from_vtep(sg_tcp(&S_VM1, &S_STRANGER, 0, IP_VM1, IP_VM3, 80, 40000, SYNACK), 100),
		TX_LOCAL | TX_TRUNK, 0);
	/* The same "answer" from vm9, which vm3 never talked to. */
	expect_flood(P_TRUNK,
		sg_tcp(&S_VM9, &S_STRANGER, VLAN_VM9, IP_VM9, IP_VM3, 80, 40000, SYNACK), 0, 1);
	assert_int_equal(vxg_ct_count(sgd.ct), 2);
}

/*
 * One config with more ports: vm10 (no groups) shares vm3's VLAN 5, vm11 (group web)
 * and vm12 (group client) VLAN 7 of trunk, and web floods to vm1's VTEP as well.
 */
#define SG_EXTRA_PORTS                                                                    \
	"      - {name: vm10, network: web, mac: \"02:00:0a:01:00:10\", ip: 10.1.0.10,\n" \
	"         location: {interface: local, vlan: 5}}\n"                               \
	"      - {name: vm11, network: web, mac: \"02:00:0a:01:00:11\", ip: 10.1.0.17,\n" \
	"         location: {interface: trunk, vlan: 7}, security_groups: [web]}\n"       \
	"      - {name: vm12, network: web, mac: \"02:00:0a:01:00:12\", ip: 10.1.0.18,\n" \
	"         location: {interface: trunk, vlan: 7}, security_groups: [client]}\n"

static const struct rte_ether_addr S_VM12 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x12}};

/* Insert text into yaml (of size bytes) before the first `before`. */
static void
sg_yaml_insert(char *yaml, size_t size, const char *before, const char *text)
{
	char *at = strstr(yaml, before);
	size_t n = strlen(text);

	assert_non_null(at);
	assert_true(strlen(yaml) + n < size);
	memmove(at + n, at, strlen(at) + 1);
	memcpy(at, text, n);
}

static int
sg_setup_extra(void **state)
{
	char yaml[8192];

	memset(&sgd, 0, sizeof(sgd));
	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, WEB_HTTP);
	sg_yaml_insert(yaml, sizeof(yaml), "}\n      - {name: db", ", flood: [172.16.0.2]");
	sg_yaml_insert(yaml, sizeof(yaml), "    security_groups:\n", SG_EXTRA_PORTS);
	return sg_setup_cfg(dp_config("sg-extra.yaml", yaml), 1024);
}

/*
 * A target with a port without groups takes every flood (vm3's VLAN, with vm10); a target
 * whose ports all have groups takes one if any of them does (vm11 and vm12 on VLAN 7,
 * vm1 behind the VTEP, all but vm12 taking UDP 5000-5999 only).
 */
static void
test_dp_flood_mixed_targets(void **state)
{
	struct vxg_worker_stats before;

	sg_lport_ctr();
	/* From vm9, 9999: only vm3's VLAN, for vm10; VLAN 7 and the VTEP are denied. */
	expect_flood(P_TRUNK,
		sg_udp(&S_VM9, &S_BCAST, VLAN_VM9, IP_VM9, IP(10, 1, 0, 255), 40000, 9999),
		TX_LOCAL, 2);
	assert_int_equal(dp.w->lport_ctr[sg_slot(5) - 1].denied, 1); /* vm11 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(6) - 1].denied, 1); /* vm12 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(0) - 1].denied, 1); /* vm1 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(1) - 1].denied, 0); /* vm3: not asked */
	/* From vm3, 5001: vm11 takes it, so VLAN 7 (vm12 too) gets it; vm1 too. */
	before = dp.w->stats;
	dp_tx_clear();
	sg_rx(P_LOCAL, sg_udp(&S_VM3, &S_BCAST, VLAN_VM3, IP_VM3, IP(10, 1, 0, 255), 40000, 5001));
	sg_check_drops(&before, -1);
	assert_int_equal(dp.w->tx[P_UP].n, 1);
	assert_int_equal(dp.w->tx[P_LOCAL].n, 0);
	assert_int_equal(dp.w->tx[P_TRUNK].n, 2); /* VLAN 7 and VLAN 9 */
	assert_int_equal(dp.w->lport_ctr[sg_slot(5) - 1].allowed, 1);
	assert_int_equal(dp.w->lport_ctr[sg_slot(6) - 1].denied, 2);
	/* Unknown unicast from vm12's VLAN: vm3's VLAN (vm10) and vm9's, not the VTEP. */
	expect_flood(P_TRUNK,
		sg_tcp(&S_VM12, &S_STRANGER, 7, IP(10, 1, 0, 18), IP(10, 1, 0, 99), 40000, 22, SYN),
		TX_LOCAL | TX_TRUNK, 1);
}

/* ---- Packets to the router's own addresses ----------------------------------------------- */

/* m, received on port `in`, goes to the control thread (the router) and nowhere else. */
static void
expect_punt(unsigned in, struct rte_mbuf *m)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_int_equal(sg_tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 1);
}

/* An echo request from vm3 to dip, through the gateway MAC of web. */
static struct rte_mbuf *
sg_ping_gw(uint32_t dip)
{
	return sg_pkt(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, dip, IPPROTO_ICMP, 7, 7,
		RTE_IP_ICMP_ECHO_REQUEST);
}

/* client lets everything out: vm3 pings its gateway and db's, tracked like any ping. */
static void
test_dp_gateway_egress_allowed(void **state)
{
	expect_punt(P_LOCAL, sg_ping_gw(IP(10, 1, 0, 1)));
	expect_punt(P_LOCAL, sg_ping_gw(IP(10, 2, 0, 1)));
	assert_int_equal(vxg_ct_count(sgd.ct), 2);
}

static int
sg_setup_egress(void **state)
{
	char yaml[8192], *at;
	const char *client = "      - {name: client}\n";

	memset(&sgd, 0, sizeof(sgd));
	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, WEB_HTTP);
	at = strstr(yaml, client);
	assert_non_null(at);
	memmove(at, at + strlen(client), strlen(at + strlen(client)) + 1);
	sg_yaml_insert(yaml, sizeof(yaml), "      - name: db\n",
		"      - name: client\n        rules:\n"
		"          - {direction: egress, protocol: tcp}\n");
	return sg_setup_cfg(dp_config("sg-egress.yaml", yaml), 1024);
}

/*
 * client lets only TCP out: vm3's pings of its gateway and of db's are dropped (no echo
 * reply), as its pings of vm1 are; ARP for the gateway, DHCP to it and TCP still reach
 * the router. vm9 (no groups) pings the gateway.
 */
static void
test_dp_gateway_egress_denied(void **state)
{
	expect_drop(P_LOCAL, sg_ping_gw(IP(10, 1, 0, 1)), VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL, sg_ping_gw(IP(10, 2, 0, 1)), VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL,
		sg_pkt(&S_VM3, &S_VM1, VLAN_VM3, IP_VM3, IP_VM1, IPPROTO_ICMP, 7, 7,
			RTE_IP_ICMP_ECHO_REQUEST),
		VXG_DROP_sg_egress_deny);
	expect_drop(P_LOCAL,
		sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 40000, 53),
		VXG_DROP_sg_egress_deny);
	expect_punt(P_LOCAL, sg_arp(&S_VM3, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1)));
	expect_punt(P_LOCAL, sg_udp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 68, 67));
	expect_punt(P_LOCAL,
		sg_tcp(&S_VM3, &S_GW_WEB, VLAN_VM3, IP_VM3, IP(10, 1, 0, 1), 40000, 22, SYN));
	expect_punt(P_TRUNK, sg_pkt(&S_VM9, &S_GW_WEB, VLAN_VM9, IP_VM9, IP(10, 1, 0, 1),
				     IPPROTO_ICMP, 7, 7, RTE_IP_ICMP_ECHO_REQUEST));
}

#define SGT(f) cmocka_unit_test_setup_teardown(f, sg_setup, sg_teardown)

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "256", "-l", "0", "--file-prefix",
		"vxg_test_sg", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_groups),
		cmocka_unit_test(compiler_matches_reference),
	};
	const struct CMUnitTest dataplane[] = {
		SGT(test_dp_switched),
		SGT(test_dp_stateful),
		SGT(test_dp_port_security),
		SGT(test_dp_routed),
		SGT(test_dp_routed_warm),
		cmocka_unit_test_setup_teardown(
			test_dp_conntrack_full, sg_setup_small, sg_teardown),
		SGT(test_dp_reload_revalidation),
		SGT(test_dp_conntrack_resize),
		SGT(test_dp_reload_keeps_hits),
		SGT(test_dp_router_icmp_error_to_port),
		SGT(test_dp_flood_meets_ingress),
		SGT(test_dp_flood_unknown_unicast),
		cmocka_unit_test_setup_teardown(
			test_dp_flood_mixed_targets, sg_setup_extra, sg_teardown),
		SGT(test_dp_gateway_egress_allowed),
		cmocka_unit_test_setup_teardown(
			test_dp_gateway_egress_denied, sg_setup_egress, sg_teardown),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_sg: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	ret |= cmocka_run_group_tests_name("dataplane", dataplane, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
