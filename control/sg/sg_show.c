/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of security groups and connection tracking:
 * `show security-groups [PORT]`, `show conntrack [VPC]` and `clear conntrack [VPC]`, in
 * text or JSON.
 *
 * Thread-safety: control thread only. Counters, hits and conntrack entries are read
 * racily while the workers write them: a row may be a packet behind.
 */
#include <errno.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "sg/sg_acl6.h"
#include "sg/sg_feature.h"
#include "sg/sg_show.h"

/* ---- show security-groups [PORT] ------------------------------------------------------ */

/* One VPC as the show needs it: each port's slot and compiled rules. */
struct sg_view {
	const struct vxg_daemon *d;
	const struct vxg_vpc_cfg *vc;
	const struct vxg_gen_vpc *gv;
	const uint64_t *base; /* [ref]: hits of earlier generations; NULL: none */
	uint32_t *slot_of; /* [port]: slot + 1 in d->gen->lports, 0: none (not secured) */
	uint32_t *start; /* [port] to [port + 1]: the port's rules in `order` */
	uint32_t *order; /* indices into gv->sg.refs, by port */
};

static void
sg_view_fini(struct sg_view *sv)
{
	free(sv->slot_of);
	free(sv->start);
	free(sv->order);
}

/* Port slots by one pass over the generation's ports (vxg_fdb_lport would allocate one),
 * and the refs bucketed by port, so that listing every port stays linear. */
static int
sg_view_init(struct sg_view *sv, const struct vxg_daemon *d, unsigned v, const uint64_t *base)
{
	const struct vxg_gen *g = d->gen;
	unsigned n_ports = d->cfg->vpcs[v].n_ports;
	uint32_t n_refs;

	sv->d = d;
	sv->vc = &d->cfg->vpcs[v];
	sv->gv = &g->vpcs[v];
	sv->base = base;
	n_refs = sv->gv->sg.n_refs;
	sv->slot_of = calloc(n_ports + 1, sizeof(*sv->slot_of));
	sv->start = calloc(n_ports + 2, sizeof(*sv->start));
	sv->order = calloc(n_refs + 1, sizeof(*sv->order));
	if (sv->slot_of == NULL || sv->start == NULL || sv->order == NULL) {
		sg_view_fini(sv);
		return -ENOMEM;
	}
	for (uint32_t s = 0; g->lports != NULL && s < g->n_lports; s++) {
		const struct vxg_gen_lport *lp = &g->lports[s];

		if (lp->flags != 0 && lp->vpc_idx == v && lp->vpc_port < n_ports)
			sv->slot_of[lp->vpc_port] = s + 1;
	}
	/* Counting sort: start[p + 1] counts port p's refs, then becomes where they end. */
	for (uint32_t r = 0; r < n_refs; r++)
		if (sv->gv->sg.refs[r].port < n_ports)
			sv->start[sv->gv->sg.refs[r].port + 1]++;
	for (unsigned p = 0; p < n_ports; p++)
		sv->start[p + 1] += sv->start[p];
	for (uint32_t r = 0; r < n_refs; r++)
		if (sv->gv->sg.refs[r].port < n_ports)
			sv->order[sv->start[sv->gv->sg.refs[r].port]++] = r;
	/* Each start[p] now points at the end of p's refs, which is where p + 1's begin. */
	memmove(sv->start + 1, sv->start, n_ports * sizeof(*sv->start));
	sv->start[0] = 0;
	return 0;
}

static struct vxg_lport_ctr
sg_port_ctr(const struct vxg_daemon *d, uint32_t lport)
{
	struct vxg_lport_ctr sum = {0, 0};

	for (unsigned i = 0; lport != 0 && i < d->n_workers; i++) {
		const struct vxg_lport_ctr *c = d->workers[i]->lport_ctr;

		if (c == NULL)
			continue;
		sum.allowed += c[lport - 1].allowed;
		sum.denied += c[lport - 1].denied;
	}
	return sum;
}

static uint64_t
sg_hits(const struct sg_view *sv, uint32_t ref)
{
	const struct vxg_gen_vpc *gv = sv->gv;
	uint64_t n = sv->base != NULL ? sv->base[ref] : 0;

	for (unsigned i = 0; gv->sg_hits != NULL && i < sv->d->n_workers; i++)
		n += gv->sg_hits[(size_t)sv->d->workers[i]->id * gv->sg.n_refs + ref];
	return n;
}

static bool
sg_has_ports(uint16_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

static bool
sg_has_icmp(const struct vxg_rule_cfg *r)
{
	return (r->proto == IPPROTO_ICMP || r->proto == IPPROTO_ICMPV6) && r->icmp_type >= 0;
}

/* "80", "80-443", "type 8 code 0"; empty when the rule takes any. */
static void
sg_l4(const struct vxg_rule_cfg *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (sg_has_ports(r->proto) && !(r->port_min == 0 && r->port_max == UINT16_MAX)) {
		if (r->port_min == r->port_max)
			snprintf(buf, len, "%u", r->port_min);
		else
			snprintf(buf, len, "%u-%u", r->port_min, r->port_max);
	} else if (sg_has_icmp(r)) {
		if (r->icmp_code >= 0)
			snprintf(buf, len, "type %d code %d", r->icmp_type, r->icmp_code);
		else
			snprintf(buf, len, "type %d", r->icmp_type);
	}
}

/* The rule's remote into buf; returns its kind as the config spells it. */
static const char *
sg_remote(const struct vxg_vpc_cfg *vc, const struct vxg_rule_cfg *r, char *buf, size_t len)
{
	switch (r->remote_kind) {
	case VXG_REMOTE_CIDR:
		if (vxg_rule_is6(r)) {
			vxg_cidr6_format(r->remote6, buf, len);
			return "remote";
		}
		vxg_ip_format(r->remote.addr, buf, len);
		snprintf(buf + strlen(buf), len - strlen(buf), "/%u", r->remote.len);
		return "remote";
	case VXG_REMOTE_GROUP:
		snprintf(buf, len, "%s", vc->sgs[r->remote_index].name);
		return "remote_group";
	case VXG_REMOTE_PORT_GROUP:
		snprintf(buf, len, "%s", vc->port_groups[r->remote_index].name);
		return "remote_port_group";
	case VXG_REMOTE_ADDRESS_SET:
		snprintf(buf, len, "%s", vc->address_sets[r->remote_index].name);
		return "address_set";
	case VXG_REMOTE_ANY:
	default:
		snprintf(buf, len, "any");
		return "remote";
	}
}

static void
sg_rule_json(
	struct jw *j, const struct vxg_vpc_cfg *vc, const struct vxg_sg_rule_ref *rf, uint64_t hits)
{
	const struct vxg_rule_cfg *r =
		rf->sg == UINT16_MAX ? NULL : &vc->sgs[rf->sg].rules[rf->rule];
	char proto[16], remote[64];
	const char *kind = "any";

	jw_obj_open(j, NULL);
	jw_str(j, "group", r == NULL ? "(default)" : vc->sgs[rf->sg].name);
	jw_bool(j, "default", r == NULL);
	jw_str(j, "direction", r == NULL || r->dir == VXG_DIR_EGRESS ? "egress" : "ingress");
	jw_str(j, "ethertype", r == NULL ? "any" : vxg_rule_is6(r) ? "ipv6" : "ipv4");
	vxg_proto_format(r == NULL ? VXG_PROTO_ANY : r->proto, proto, sizeof(proto));
	jw_str(j, "protocol", proto);
	if (r != NULL && sg_has_ports(r->proto)) {
		jw_u64(j, "port_min", r->port_min);
		jw_u64(j, "port_max", r->port_max);
	}
	if (r != NULL && sg_has_icmp(r))
		jw_u64(j, "icmp_type", (uint64_t)r->icmp_type);
	if (r != NULL && sg_has_icmp(r) && r->icmp_code >= 0)
		jw_u64(j, "icmp_code", (uint64_t)r->icmp_code);
	snprintf(remote, sizeof(remote), "any");
	if (r != NULL && r->remote_kind != VXG_REMOTE_ANY) {
		kind = sg_remote(vc, r, remote, sizeof(remote));
		kind = r->remote_kind == VXG_REMOTE_CIDR ? "cidr" : kind;
	}
	jw_str(j, "remote_kind", kind);
	jw_str(j, "remote", remote);
	jw_bool(j, "stateful", rf->stateful);
	jw_u64(j, "hits", hits);
	jw_obj_close(j);
}

/* One line: "web ingress tcp 80-443 remote 10.0.0.0/8 stateful hits 12". */
static void
sg_rule_text(
	FILE *out, const struct vxg_vpc_cfg *vc, const struct vxg_sg_rule_ref *rf, uint64_t hits)
{
	const char *st = rf->stateful ? "stateful" : "stateless";
	const struct vxg_rule_cfg *r;
	char proto[16], l4[32], remote[64];
	const char *kind;

	if (rf->sg == UINT16_MAX) {
		fprintf(out, "  (default) egress any %s hits %" PRIu64 "\n", st, hits);
		return;
	}
	r = &vc->sgs[rf->sg].rules[rf->rule];
	vxg_proto_format(r->proto, proto, sizeof(proto));
	sg_l4(r, l4, sizeof(l4));
	kind = sg_remote(vc, r, remote, sizeof(remote));
	/* IPv4 rules keep the line they always had; IPv6 ones say so after the direction */
	fprintf(out, "  %s %s%s %s%s%s %s %s %s hits %" PRIu64 "\n", vc->sgs[rf->sg].name,
		r->dir == VXG_DIR_EGRESS ? "egress" : "ingress", vxg_rule_is6(r) ? " ipv6" : "",
		proto, l4[0] ? " " : "", l4, kind, remote, st, hits);
}

static void
sg_rules(const struct sg_view *sv, unsigned p, FILE *out, struct jw *j, bool json)
{
	for (uint32_t k = sv->start[p]; k < sv->start[p + 1]; k++) {
		const struct vxg_sg_rule_ref *rf = &sv->gv->sg.refs[sv->order[k]];

		/* The config the generation was compiled from is d->cfg: indices hold. */
		if (rf->sg != UINT16_MAX &&
			(rf->sg >= sv->vc->n_sgs || rf->rule >= sv->vc->sgs[rf->sg].n_rules))
			continue;
		if (json)
			sg_rule_json(j, sv->vc, rf, sg_hits(sv, sv->order[k]));
		else
			sg_rule_text(out, sv->vc, rf, sg_hits(sv, sv->order[k]));
	}
}

static void
sg_port_json(const struct sg_view *sv, unsigned p, bool filtered, struct jw *j)
{
	const struct vxg_port_cfg *pc = &sv->vc->ports[p];
	struct vxg_lport_ctr c = sg_port_ctr(sv->d, sv->slot_of[p]);

	jw_obj_open(j, NULL);
	jw_str(j, "port", pc->name);
	jw_str(j, "vpc", sv->vc->name);
	jw_str(j, "network", sv->vc->networks[pc->network].name);
	jw_arr_open(j, "groups");
	for (unsigned i = 0; i < pc->n_sgs; i++)
		jw_str(j, NULL, sv->vc->sgs[pc->sgs[i]].name);
	jw_arr_close(j);
	jw_bool(j, "port_security", pc->port_security);
	jw_bool(j, "filtered", filtered);
	jw_u64(j, "allowed", c.allowed);
	jw_u64(j, "denied", c.denied);
	jw_arr_open(j, "rules");
	sg_rules(sv, p, NULL, j, true);
	jw_arr_close(j);
	jw_obj_close(j);
}

/* "port web1 (vpc prod, network app): groups web, ssh; port security on; allowed 9 denied 1"
 * then one line per rule. */
static void
sg_port_text(const struct sg_view *sv, unsigned p, bool filtered, FILE *out)
{
	const struct vxg_port_cfg *pc = &sv->vc->ports[p];
	struct vxg_lport_ctr c = sg_port_ctr(sv->d, sv->slot_of[p]);

	fprintf(out, "port %s (vpc %s, network %s): ", pc->name, sv->vc->name,
		sv->vc->networks[pc->network].name);
	if (pc->n_sgs == 0)
		fprintf(out, "no security groups");
	for (unsigned i = 0; i < pc->n_sgs; i++)
		fprintf(out, "%s%s", i ? ", " : "groups ", sv->vc->sgs[pc->sgs[i]].name);
	fprintf(out, "; port security %s", pc->port_security ? "on" : "off");
	if (pc->n_sgs > 0 && !pc->port_security)
		fprintf(out, ": groups not applied");
	if (filtered)
		fprintf(out, "; allowed %" PRIu64 " denied %" PRIu64, c.allowed, c.denied);
	fputc('\n', out);
	sg_rules(sv, p, out, NULL, false);
}

/* Is port pc of VPC vc the one `name` (NAME or VPC/NAME) designates? */
static bool
sg_port_named(const struct vxg_vpc_cfg *vc, const struct vxg_port_cfg *pc, const char *name)
{
	const char *slash = strchr(name, '/');
	size_t n;

	if (slash == NULL)
		return strcmp(pc->name, name) == 0;
	n = (size_t)(slash - name);
	return strncmp(vc->name, name, n) == 0 && vc->name[n] == '\0' &&
	       strcmp(pc->name, slash + 1) == 0;
}

/* Should the port be shown: the named one, or any with groups or port security. */
static bool
sg_port_wanted(const struct vxg_vpc_cfg *vc, const struct vxg_port_cfg *pc, const char *name)
{
	return name != NULL ? sg_port_named(vc, pc, name) : pc->n_sgs > 0 || pc->port_security;
}

static int
sg_show_vpc(const struct vxg_daemon *d, unsigned v, const uint64_t *base, const char *port,
	FILE *out, struct jw *j, bool json, unsigned *shown)
{
	const struct vxg_vpc_cfg *vc = &d->cfg->vpcs[v];
	bool any = false;
	struct sg_view sv;
	int ret;

	for (unsigned p = 0; p < vc->n_ports && !any; p++)
		any = sg_port_wanted(vc, &vc->ports[p], port);
	if (!any)
		return 0;
	if ((ret = sg_view_init(&sv, d, v, base)) < 0)
		return ret;
	for (unsigned p = 0; p < vc->n_ports; p++) {
		const struct vxg_sg_vpc *sg = &sv.gv->sg;
		bool filtered = sg->filtered != NULL && p < sg->n_ports && sg->filtered[p];

		if (!sg_port_wanted(vc, &vc->ports[p], port))
			continue;
		if (json)
			sg_port_json(&sv, p, filtered, j);
		else
			sg_port_text(&sv, p, filtered, out);
		(*shown)++;
	}
	sg_view_fini(&sv);
	return 0;
}

int
vxg_sg_show_groups(const struct vxg_daemon *d, const char *port, FILE *out, bool json)
{
	uint64_t *const *base;
	unsigned n_base = vxg_sg_hits_base(&base);

	return vxg_sg_show_groups_base(d, base, n_base, port, out, json);
}

int
vxg_sg_show_groups_base(const struct vxg_daemon *d, uint64_t *const *base, unsigned n_base,
	const char *port, FILE *out, bool json)
{
	unsigned shown = 0, n_vpcs = d->cfg->n_vpcs;
	bool found = port == NULL;
	struct jw j;
	int ret = 0;

	for (unsigned v = 0; v < n_vpcs && !found; v++)
		for (unsigned p = 0; p < d->cfg->vpcs[v].n_ports && !found; p++)
			found = sg_port_named(&d->cfg->vpcs[v], &d->cfg->vpcs[v].ports[p], port);
	if (!found)
		return -ENOENT;
	if (d->gen == NULL || d->gen->n_vpcs < n_vpcs)
		n_vpcs = 0; /* no generation of this config yet */
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "ports");
	}
	for (unsigned v = 0; v < n_vpcs && ret == 0; v++)
		ret = sg_show_vpc(d, v, v < n_base ? base[v] : NULL, port, out, &j, json, &shown);
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	} else if (shown == 0 && ret == 0) {
		fprintf(out, "no port has security groups or port security\n");
	}
	return ret;
}

/* ---- show conntrack [VPC], clear conntrack [VPC] --------------------------------------- */

/* Most conntrack entries `show conntrack` prints per VPC. */
#define VXG_SG_SHOW_CT_MAX 1000

/* The name of the port in slot lport - 1 of VPC v: "-" for none, "?" for a slot that is
 * no port of v in the current generation (removed by a reload since). */
static const char *
ct_port_name(const struct vxg_daemon *d, unsigned v, uint16_t lport)
{
	const struct vxg_gen *g = d->gen;
	const struct vxg_gen_lport *lp;

	if (lport == 0)
		return "-";
	if (g->lports == NULL || lport > g->n_lports)
		return "?";
	lp = &g->lports[lport - 1];
	if (lp->flags == 0 || lp->vpc_idx != v || lp->vpc_port >= d->cfg->vpcs[v].n_ports)
		return "?";
	return d->cfg->vpcs[v].ports[lp->vpc_port].name;
}

static void
ct_row_json(
	struct jw *j, const struct vxg_ct_entry *e, uint32_t now, const char *po, const char *pr)
{
	unsigned o = e->orig ? 1 : 0;
	int32_t age = (int32_t)(now - e->seen);
	char proto[16], src[16], dst[16];

	vxg_proto_format(e->key.proto, proto, sizeof(proto));
	vxg_ip_format(rte_be_to_cpu_32(e->key.addr[o]), src, sizeof(src));
	vxg_ip_format(rte_be_to_cpu_32(e->key.addr[1 - o]), dst, sizeof(dst));
	jw_obj_open(j, NULL);
	jw_str(j, "proto", proto);
	jw_str(j, "src", src);
	jw_u64(j, "sport", rte_be_to_cpu_16(e->key.port[o]));
	jw_str(j, "dst", dst);
	jw_u64(j, "dport", rte_be_to_cpu_16(e->key.port[1 - o]));
	jw_str(j, "state", vxg_ct_state_name(e->state));
	jw_u64(j, "age", age > 0 ? (uint64_t)age : 0); /* a worker may be a second ahead */
	jw_bool(j, "blocked", e->flags & VXG_CT_F_BLOCKED);
	jw_arr_open(j, "ports");
	jw_str(j, NULL, po);
	jw_str(j, NULL, pr);
	jw_arr_close(j);
	jw_obj_close(j);
}

static void
ct_row(const struct vxg_daemon *d, unsigned v, const struct vxg_ct_entry *e, uint32_t now,
	FILE *out, struct jw *j, bool json)
{
	const char *po = ct_port_name(d, v, e->lport[0]), *pr = ct_port_name(d, v, e->lport[1]);
	char line[192];

	if (json) {
		ct_row_json(j, e, now, po, pr);
		return;
	}
	vxg_ct_format(e, now, line, sizeof(line));
	fprintf(out, "  %s%s", line, e->flags & VXG_CT_F_BLOCKED ? " blocked" : "");
	if (e->lport[0] != 0 || e->lport[1] != 0)
		fprintf(out, " ports %s -> %s", po, pr);
	fputc('\n', out);
}

/* "[2001:db8::1]:80", or the bare address without ports. */
static void
ct6_endpoint(const uint8_t *a, bool ports, rte_be16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, ip, sizeof(ip));
	if (ports)
		snprintf(buf, len, "[%s]:%u", ip, rte_be_to_cpu_16(port));
	else
		snprintf(buf, len, "%s", ip);
}

/* As vxg_ct_format: "tcp [2001:db8::1]:40000 -> [2001:db8::2]:80 ESTABLISHED age 3 ...". */
static int
ct6_format(const struct vxg_ct6_entry *e, uint32_t now, char *buf, size_t len)
{
	unsigned o = e->orig ? 1 : 0;
	uint8_t proto = e->key.proto;
	bool ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
	char pname[16], src[56], dst[56], id[16] = "";
	int32_t age = (int32_t)(now - e->seen), left;

	if (age < 0)
		age = 0;
	left = (int32_t)vxg_ct_timeout(e->state) - age;
	if (left < 0)
		left = 0;
	vxg_proto_format(proto, pname, sizeof(pname));
	if (proto == IPPROTO_ICMPV6)
		snprintf(id, sizeof(id), " id %u", rte_be_to_cpu_16(e->key.port[0]));
	ct6_endpoint(e->key.addr[o], ports, e->key.port[o], src, sizeof(src));
	ct6_endpoint(e->key.addr[1 - o], ports, e->key.port[1 - o], dst, sizeof(dst));
	return snprintf(buf, len, "%s %s -> %s%s %s age %d expires %d", pname, src, dst, id,
		vxg_ct_state_name(e->state), (int)age, (int)left);
}

static void
ct6_row(const struct vxg_daemon *d, unsigned v, const struct vxg_ct6_entry *e, uint32_t now,
	FILE *out, struct jw *j, bool json)
{
	const char *po = ct_port_name(d, v, e->lport[0]), *pr = ct_port_name(d, v, e->lport[1]);
	unsigned o = e->orig ? 1 : 0;
	int32_t age = (int32_t)(now - e->seen);
	char line[256], proto[16], src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (!json) {
		ct6_format(e, now, line, sizeof(line));
		fprintf(out, "  %s%s", line, e->flags & VXG_CT_F_BLOCKED ? " blocked" : "");
		if (e->lport[0] != 0 || e->lport[1] != 0)
			fprintf(out, " ports %s -> %s", po, pr);
		fputc('\n', out);
		return;
	}
	vxg_proto_format(e->key.proto, proto, sizeof(proto));
	inet_ntop(AF_INET6, e->key.addr[o], src, sizeof(src));
	inet_ntop(AF_INET6, e->key.addr[1 - o], dst, sizeof(dst));
	jw_obj_open(j, NULL);
	jw_str(j, "proto", proto);
	jw_str(j, "src", src);
	jw_u64(j, "sport", rte_be_to_cpu_16(e->key.port[o]));
	jw_str(j, "dst", dst);
	jw_u64(j, "dport", rte_be_to_cpu_16(e->key.port[1 - o]));
	jw_str(j, "state", vxg_ct_state_name(e->state));
	jw_u64(j, "age", age > 0 ? (uint64_t)age : 0);
	jw_bool(j, "blocked", e->flags & VXG_CT_F_BLOCKED);
	jw_arr_open(j, "ports");
	jw_str(j, NULL, po);
	jw_str(j, NULL, pr);
	jw_arr_close(j);
	jw_obj_close(j);
}

/* The IPv6 connections of ct after the IPv4 ones, within the same cap (*shown). */
static bool
ct6_rows(const struct vxg_daemon *d, unsigned v, const struct vxg_ct *ct, uint32_t now,
	uint32_t *shown, FILE *out, struct jw *j, bool json)
{
	const struct vxg_ct6 *t = ct->v6;

	for (uint32_t i = 0; t != NULL && i < t->n_entries; i++) {
		uint8_t state = __atomic_load_n(&t->entries[i].state, __ATOMIC_ACQUIRE);
		struct vxg_ct6_entry e;

		if (state == VXG_CT_NONE)
			continue;
		if (*shown == VXG_SG_SHOW_CT_MAX)
			return true;
		e = t->entries[i];
		e.state = state;
		ct6_row(d, v, &e, now, out, j, json);
		(*shown)++;
	}
	return false;
}

static void
ct_show_table(const struct vxg_daemon *d, unsigned v, const struct vxg_ct *ct, FILE *out,
	struct jw *j, bool json)
{
	uint32_t now = vxg_ct_now(), shown = 0;
	bool more = false;

	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", d->cfg->vpcs[v].name);
		jw_bool(j, "tracked", true);
		jw_u64(j, "count", vxg_ct_count(ct));
		jw_u64(j, "limit", ct->limit);
		jw_u64(j, "count6", vxg_ct6_count(ct));
		jw_arr_open(j, "entries");
	} else if (ct->v6 == NULL) {
		fprintf(out, "vpc %s: %u connections (limit %u)\n", d->cfg->vpcs[v].name,
			vxg_ct_count(ct), ct->limit);
	} else {
		fprintf(out, "vpc %s: %u connections (limit %u), IPv6 %u (limit %u)\n",
			d->cfg->vpcs[v].name, vxg_ct_count(ct), ct->limit, vxg_ct6_count(ct),
			ct->limit);
	}
	for (uint32_t i = 0; i < ct->n_entries; i++) {
		/* state is published last: acquire it, then the rest is the creator's */
		uint8_t state = __atomic_load_n(&ct->entries[i].state, __ATOMIC_ACQUIRE);
		struct vxg_ct_entry e;

		if (state == VXG_CT_NONE)
			continue;
		if (shown == VXG_SG_SHOW_CT_MAX) {
			more = true;
			break;
		}
		e = ct->entries[i];
		e.state = state;
		ct_row(d, v, &e, now, out, j, json);
		shown++;
	}
	if (!more)
		more = ct6_rows(d, v, ct, now, &shown, out, j, json);
	if (json) {
		jw_arr_close(j);
		jw_bool(j, "truncated", more);
		jw_obj_close(j);
	} else if (more) {
		fprintf(out, "  (first %u shown)\n", VXG_SG_SHOW_CT_MAX);
	}
}

static void
ct_show_untracked(const char *vpc, FILE *out, struct jw *j, bool json)
{
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", vpc);
		jw_bool(j, "tracked", false);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "vpc %s: no security groups: nothing tracked\n", vpc);
}

/* The conntrack table of each VPC with security groups (vpc NULL), or of VPC `vpc`: count,
 * limit and the first VXG_SG_SHOW_CT_MAX connections. 0, or -ENOENT for an unknown VPC. */
static int
vxg_sg_show_conntrack(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	unsigned first, last, n = 0;
	struct jw j;

	if (vxg_config_vpc_range(d->cfg, vpc, &first, &last) < 0)
		return -ENOENT;
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned i = first; i < last; i++) {
		const struct vxg_ct *ct = vxg_sg_conntrack(d->cfg->vpcs[i].name);

		if (ct != NULL)
			ct_show_table(d, i, ct, out, &j, json);
		else if (vpc != NULL)
			ct_show_untracked(vpc, out, &j, json);
		n += ct != NULL;
	}
	if (json) {
		jw_arr_close(&j);
		jw_u64(&j, "dropped_on_resize", vxg_sg_stats()->resize_dropped);
		jw_obj_close(&j);
		return 0;
	}
	if (vpc == NULL && n == 0)
		fprintf(out, "no security groups: nothing tracked\n");
	if (vxg_sg_stats()->resize_dropped > 0)
		fprintf(out,
			"%" PRIu64 " connections did not fit a smaller limits.conntrack "
			"on reload\n",
			vxg_sg_stats()->resize_dropped);
	return 0;
}

/* Forget every tracked connection (vpc NULL), or those of VPC `vpc`, and say how many.
 * Waits for the workers' quiescence. 0, or -ENOENT for an unknown VPC. */
static int
vxg_sg_clear_conntrack(struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	struct vxg_ct *ct;
	unsigned n = 0;

	if (vpc == NULL) {
		for (unsigned i = 0; (ct = vxg_sg_conntrack_at(i)) != NULL; i++)
			n += vxg_ct_clear(ct);
	} else {
		if (vxg_config_find_vpc(d->cfg, vpc) == VXG_NONE)
			return -ENOENT;
		if ((ct = vxg_sg_conntrack(vpc)) != NULL)
			n = vxg_ct_clear(ct);
	}
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "cleared", n);
		jw_obj_close(&j);
	} else {
		fprintf(out, "%u connections cleared\n", n);
	}
	return 0;
}

/* ---- The commands --------------------------------------------------------------------- */

static int
show_sg(int (*fn)(const struct vxg_daemon *, const char *, FILE *, bool), const char *arg)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	int ret = fn(d, arg, out, json);

	if (ret < 0 && ret != -ENOENT)
		cli_error("%s", strerror(-ret));
	return ret;
}

static void
cmd_show_sgs(void *parsed, struct cmdline *cl, void *data)
{
	show_sg(vxg_sg_show_groups, NULL);
}

static void
cmd_show_sgs_port(void *parsed, struct cmdline *cl, void *data)
{
	const char *port = vxg_cli_arg(parsed);

	if (show_sg(vxg_sg_show_groups, port) == -ENOENT)
		cli_error("no port %s (give a port name or VPC/NAME)", port);
}

static void
cmd_show_ct(void *parsed, struct cmdline *cl, void *data)
{
	show_sg(vxg_sg_show_conntrack, NULL);
}

static void
cmd_show_ct_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = vxg_cli_arg(parsed);

	if (show_sg(vxg_sg_show_conntrack, vpc) == -ENOENT)
		cli_error("no VPC %s", vpc);
}

static void
cmd_clear_ct(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_sg_clear_conntrack(d, NULL, out, json);
}

static void
cmd_clear_ct_vpc(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *vpc = vxg_cli_arg(parsed);

	if (vxg_sg_clear_conntrack(d, vpc, out, json) < 0)
		cli_error("no VPC %s", vpc);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_clear, w0, "clear");
VXG_CLI_WORD(t_sgs, w1, "security-groups");
VXG_CLI_WORD(t_conntrack, w1, "conntrack");
VXG_CLI_ARG(t_port);
VXG_CLI_ARG(t_vpc);

VXG_CLI_CMD(i_show_sgs, cmd_show_sgs,
	"show security-groups: each secured port's groups, port security, allowed/denied "
	"packets, and its rules with their hits",
	(void *)&t_show, (void *)&t_sgs);
VXG_CLI_CMD(i_show_sgs_port, cmd_show_sgs_port,
	"show security-groups PORT: one port's groups and rules (NAME or VPC/NAME)",
	(void *)&t_show, (void *)&t_sgs, (void *)&t_port);
VXG_CLI_CMD(i_show_ct, cmd_show_ct,
	"show conntrack: each VPC's tracked connections (protocol, addresses, state, age, ports)",
	(void *)&t_show, (void *)&t_conntrack);
VXG_CLI_CMD(i_show_ct_vpc, cmd_show_ct_vpc, "show conntrack VPC: one VPC's tracked connections",
	(void *)&t_show, (void *)&t_conntrack, (void *)&t_vpc);
VXG_CLI_CMD(i_clear_ct, cmd_clear_ct, "clear conntrack: forget every tracked connection",
	(void *)&t_clear, (void *)&t_conntrack);
VXG_CLI_CMD(i_clear_ct_vpc, cmd_clear_ct_vpc,
	"clear conntrack VPC: forget the tracked connections of one VPC", (void *)&t_clear,
	(void *)&t_conntrack, (void *)&t_vpc);
