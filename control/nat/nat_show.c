/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of NAT: `show nat [VPC]`, `show nat sessions [SPEC]` and
 * `clear nat sessions [VPC]`, in text or JSON.
 *
 * Thread-safety: control thread only. Sessions are read racily while workers write them:
 * a row may be a packet behind.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/daemon.h"
#include "core/gen.h"
#include "core/json.h"
#include "nat/nat_feature.h"
#include "sg/conntrack.h"
#include "vxg_ct.h"

/* "A" or "A-B". */
static void
range_format(uint16_t a, uint16_t b, char *buf, size_t len)
{
	if (a == b)
		snprintf(buf, len, "%u", a);
	else
		snprintf(buf, len, "%u-%u", a, b);
}

/* Forward i of the live generation: its rule and the sum of the workers' counters. */
static void
nat_show_fwd(const struct vxg_daemon *d, uint32_t i, FILE *out, struct jw *j, bool json)
{
	const struct vxg_gen_nat_map *map = &d->gen->nat;
	const struct vxg_nat_fwd *f = &map->fwds[i];
	const struct vxg_vpc_cfg *vc = &d->cfg->vpcs[f->vpc];
	struct vxg_nat_fwd_ctr sum;
	char ext[20], to[20], ports[16], to_ports[16];

	vxg_nat_fwd_total(d, i, &sum);
	vxg_endpoint_format(f->ext, NULL, 0, ext, sizeof(ext));
	vxg_endpoint_format(f->to, NULL, 0, to, sizeof(to));
	range_format(f->port_min, f->port_max, ports, sizeof(ports));
	range_format(
		f->to_min, f->to_min + (f->port_max - f->port_min), to_ports, sizeof(to_ports));
	if (!json) {
		fprintf(out,
			"  port forward %s %s:%s -> %s:%s (port %s) packets %" PRIu64
			" bytes %" PRIu64 " sessions %" PRIu64 "\n",
			f->proto == IPPROTO_TCP ? "tcp" : "udp", ext, ports, to, to_ports,
			vc->ports[f->to_port].name, sum.pkts, sum.bytes, sum.sess);
		return;
	}
	jw_obj_open(j, NULL);
	jw_str(j, "ip", ext);
	jw_str(j, "protocol", f->proto == IPPROTO_TCP ? "tcp" : "udp");
	jw_str(j, "ports", ports);
	jw_str(j, "to", vc->ports[f->to_port].name);
	jw_str(j, "to_ip", to);
	jw_str(j, "to_ports", to_ports);
	jw_u64(j, "packets", sum.pkts);
	jw_u64(j, "bytes", sum.bytes);
	jw_u64(j, "sessions", sum.sess);
	jw_obj_close(j);
}

/* VPC v's forwards in the live generation (in its order: address, protocol, port). */
static void
nat_show_fwds(const struct vxg_daemon *d, unsigned v, FILE *out, struct jw *j, bool json)
{
	const struct vxg_gen_nat *gn = &d->gen->vpcs[v].nat;

	if (json)
		jw_arr_open(j, "port_forwards");
	for (uint32_t i = gn->fwd_first; i < gn->fwd_first + gn->fwd_n; i++)
		nat_show_fwd(d, i, out, j, json);
	if (json)
		jw_arr_close(j);
}

static void
nat_show_vpc(const struct vxg_daemon *d, unsigned v, FILE *out, struct jw *j, bool json)
{
	const struct vxg_vpc_cfg *vc = &d->cfg->vpcs[v];
	const struct vxg_nat_cfg *nc = &vc->nat;
	const struct vxg_nat_table *t = vxg_nat_sessions(vc->name);
	char snat[20] = "-", ports[16], ip[20], fixed[20];

	if (nc->snat != 0)
		vxg_ip_format(nc->snat, snat, sizeof(snat));
	snprintf(ports, sizeof(ports), "%u-%u", nc->port_min, nc->port_max);
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", vc->name);
		jw_str(j, "interface", d->cfg->interfaces[nc->interface].name);
		jw_str(j, "snat", snat);
		jw_str(j, "ports", ports);
		jw_u64(j, "sessions", t != NULL ? vxg_nat_count(t) : 0);
		jw_u64(j, "limit", t != NULL ? t->limit : 0);
		jw_arr_open(j, "floating_ips");
	} else {
		fprintf(out, "vpc %s: interface %s, snat %s ports %s", vc->name,
			d->cfg->interfaces[nc->interface].name, snat, ports);
		if (t != NULL)
			fprintf(out, ", %u sessions of %u", vxg_nat_count(t), t->limit);
		fprintf(out, "\n");
	}
	for (unsigned f = 0; f < nc->n_fips; f++) {
		const struct vxg_fip_cfg *fc = &nc->fips[f];

		vxg_ip_format(fc->ip, ip, sizeof(ip));
		vxg_ip_format(fc->fixed_ip, fixed, sizeof(fixed));
		if (json) {
			jw_obj_open(j, NULL);
			jw_str(j, "ip", ip);
			jw_str(j, "port", vc->ports[fc->port].name);
			jw_str(j, "fixed_ip", fixed);
			jw_obj_close(j);
		} else {
			fprintf(out, "  floating ip %s -> %s (port %s)\n", ip, fixed,
				vc->ports[fc->port].name);
		}
	}
	if (json)
		jw_arr_close(j);
	nat_show_fwds(d, v, out, j, json);
	if (json)
		jw_obj_close(j);
}

/* Each VPC with a nat section (vpc NULL) or VPC `vpc`: interface, SNAT address and port
 * range, session count and limit, floating IPs; and the NAT counters. 0, -ENOENT. */
static int
vxg_nat_show(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	const struct vxg_nat_stats *ns = vxg_nat_stats();
	unsigned first, last, n = 0;
	struct vxg_worker_stats s;
	struct jw j;
	static const struct {
		const char *name;
		unsigned ev;
	} ctr[] = {
		{"snat_out", VXG_EV_nat_snat_out},
		{"snat_in", VXG_EV_nat_snat_in},
		{"fip_out", VXG_EV_nat_fip_out},
		{"fip_in", VXG_EV_nat_fip_in},
		{"sessions_created", VXG_EV_nat_session_created},
		{"hairpin", VXG_EV_nat_hairpin},
		{"icmp_errors", VXG_EV_nat_icmp_error},
		{"forward_in", VXG_EV_nat_fwd_in},
		{"forward_out", VXG_EV_nat_fwd_out},
		{"forward_sessions", VXG_EV_nat_fwd_session},
		{"hairpin_snat", VXG_EV_nat_hairpin_snat},
		{"hairpin_forward", VXG_EV_nat_hairpin_fwd},
		{"hairpin_fip", VXG_EV_nat_hairpin_fip},
	};

	if (vxg_config_vpc_range(d->cfg, vpc, &first, &last) < 0)
		return -ENOENT;
	vxg_daemon_stats_total(d, &s);
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_obj_open(&j, "counters");
		for (unsigned i = 0; i < RTE_DIM(ctr); i++)
			jw_u64(&j, ctr[i].name, s.events[ctr[i].ev]);
		jw_u64(&j, "sessions_aged", ns->aged);
		jw_u64(&j, "sessions_dropped_on_resize", ns->resize_dropped);
		jw_u64(&j, "gratuitous_arp_tx", ns->garp_tx);
		jw_u64(&j, "forward_sessions_removed", ns->fwd_removed);
		jw_obj_close(&j);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned v = first; v < last; v++) {
		if (d->cfg->vpcs[v].nat.interface == VXG_NONE)
			continue;
		nat_show_vpc(d, v, out, &j, json);
		n++;
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
		return 0;
	}
	if (n == 0)
		fprintf(out, "%s\n", vpc != NULL ? "no nat section" : "no VPC has a nat section");
	fprintf(out, "counters:");
	for (unsigned i = 0; i < RTE_DIM(ctr); i++)
		fprintf(out, " %s %" PRIu64, ctr[i].name, s.events[ctr[i].ev]);
	fprintf(out,
		" sessions_aged %" PRIu64 " sessions_dropped_on_resize %" PRIu64
		" gratuitous_arp_tx %" PRIu64 " forward_sessions_removed %" PRIu64 "\n",
		ns->aged, ns->resize_dropped, ns->garp_tx, ns->fwd_removed);
	return 0;
}

/* ---- show nat sessions ------------------------------------------------------------------ */

/* Sessions `show nat sessions` prints per VPC unless told otherwise (limit=N). */
#define VXG_NAT_SHOW_MAX 1000

struct sess_filter {
	const char *vpc;
	char vpc_buf[VXG_NAME_MAX];
	rte_be32_t ip; /* 0: any; else inside, outside or remote address */
	uint16_t port; /* 0: any; host order, any of the session's ports */
	uint8_t proto; /* 0: any */
	unsigned limit;
};

static int
sess_filter_parse(const char *spec, struct sess_filter *f, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	memset(f, 0, sizeof(*f));
	f->limit = VXG_NAT_SHOW_MAX;
	if (spec == NULL)
		return 0;
	if (strchr(spec, '=') == NULL) {
		f->vpc = spec; /* a bare word: the VPC */
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '='), *end;
		unsigned long n;

		if (val == NULL)
			goto bad;
		*val++ = '\0';
		if (strcmp(tok, "vpc") == 0) {
			snprintf(f->vpc_buf, sizeof(f->vpc_buf), "%s", val);
			f->vpc = f->vpc_buf;
		} else if (strcmp(tok, "ip") == 0) {
			struct in_addr a;

			if (inet_pton(AF_INET, val, &a) != 1)
				goto bad;
			f->ip = a.s_addr;
		} else if (strcmp(tok, "port") == 0 || strcmp(tok, "limit") == 0) {
			n = strtoul(val, &end, 10);
			if (*val == '\0' || *end != '\0' || n == 0 ||
				(tok[0] == 'p' && n > 65535) || n > 1000000)
				goto bad;
			if (tok[0] == 'p')
				f->port = (uint16_t)n;
			else
				f->limit = (unsigned)n;
		} else if (strcmp(tok, "proto") == 0) {
			if (strcmp(val, "tcp") == 0)
				f->proto = IPPROTO_TCP;
			else if (strcmp(val, "udp") == 0)
				f->proto = IPPROTO_UDP;
			else if (strcmp(val, "icmp") == 0)
				f->proto = IPPROTO_ICMP;
			else
				goto bad;
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	snprintf(err, errlen,
		"bad filter '%s': give VPC, or key=value pairs separated by commas: vpc=NAME, "
		"ip=A.B.C.D, port=N, proto=tcp|udp|icmp, limit=N",
		spec);
	return -EINVAL;
}

static bool
sess_match(const struct sess_filter *f, const struct vxg_nat_table *t, const struct vxg_nat_sess *s)
{
	if (f->proto != 0 && s->out.proto != f->proto)
		return false;
	if (f->ip != 0 && s->out.src != f->ip && s->out.dst != f->ip && s->ext_addr != f->ip)
		return false;
	if (f->port != 0) {
		rte_be16_t p = rte_cpu_to_be_16(f->port);

		if (s->out.sport != p && s->out.dport != p && s->ext_port != p)
			return false;
	}
	return true;
}

static void
sess_row(const struct vxg_nat_table *t, const struct vxg_nat_sess *s, uint32_t now, FILE *out,
	struct jw *j, bool json)
{
	bool ports = s->out.proto != IPPROTO_ICMP;
	char pname[16], in[24], outside[24], remote[24], line[160];
	int32_t age = (int32_t)(now - s->seen), left;

	if (!json) {
		vxg_nat_sess_format(t, s, now, line, sizeof(line));
		fprintf(out, "  %s\n", line);
		return;
	}
	if (age < 0)
		age = 0;
	left = (int32_t)vxg_ct_timeout(s->state) - age;
	vxg_proto_format(s->out.proto, pname, sizeof(pname));
	vxg_endpoint_format(s->out.src, ":", s->out.sport, in, sizeof(in));
	vxg_endpoint_format(s->ext_addr, ":", s->ext_port, outside, sizeof(outside));
	vxg_endpoint_format(s->out.dst, ports ? ":" : NULL, s->out.dport, remote, sizeof(remote));
	jw_obj_open(j, NULL);
	jw_str(j, "kind", (s->flags & VXG_NAT_F_FWD) ? "forward" : "snat");
	jw_str(j, "proto", pname);
	jw_str(j, "inside", in);
	jw_str(j, "outside", outside);
	jw_str(j, "remote", remote);
	jw_str(j, "state", vxg_ct_state_name(s->state));
	jw_u64(j, "age", (uint64_t)age);
	jw_u64(j, "expires", left > 0 ? (uint64_t)left : 0);
	jw_obj_close(j);
}

static void
sess_show_table(const struct vxg_nat_table *t, const struct sess_filter *f, FILE *out, struct jw *j,
	bool json)
{
	uint32_t now = vxg_ct_now();
	unsigned shown = 0;
	bool more = false;

	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", t->name);
		jw_u64(j, "count", vxg_nat_count(t));
		jw_u64(j, "limit", t->limit);
		jw_arr_open(j, "sessions");
	} else {
		fprintf(out, "vpc %s: %u sessions of %u\n", t->name, vxg_nat_count(t), t->limit);
	}
	for (uint32_t i = 0; i < t->n_sess; i++) {
		struct vxg_nat_sess s;
		uint8_t state = __atomic_load_n(&t->sess[i].state, __ATOMIC_ACQUIRE);

		if (state == VXG_CT_NONE)
			continue;
		s = t->sess[i];
		s.state = state;
		if (!sess_match(f, t, &s))
			continue;
		if (shown == f->limit) {
			more = true;
			break;
		}
		sess_row(t, &s, now, out, j, json);
		shown++;
	}
	if (json) {
		jw_arr_close(j);
		jw_bool(j, "truncated", more);
		jw_obj_close(j);
	} else if (more) {
		fprintf(out, "  (first %u shown)\n", f->limit);
	}
}

/*
 * The sessions of every VPC with SNAT, or those spec selects: a VPC name, or
 * comma-separated vpc=NAME, ip=A.B.C.D (inside, outside or remote), port=N, proto=tcp|udp|
 * icmp, limit=N (default VXG_NAT_SHOW_MAX per VPC). 0, -EINVAL or -ENOENT with the
 * reason in err.
 */
static int
vxg_nat_show_sessions(const struct vxg_daemon *d, const char *spec, FILE *out, bool json, char *err,
	size_t errlen)
{
	const struct vxg_nat_table *t;
	struct sess_filter f;
	struct jw j;
	int ret;

	if ((ret = sess_filter_parse(spec, &f, err, errlen)) < 0)
		return ret;
	if (f.vpc != NULL && vxg_config_find_vpc(d->cfg, f.vpc) == VXG_NONE) {
		snprintf(err, errlen, "no VPC %s", f.vpc);
		return -ENOENT;
	}
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned i = 0; (t = vxg_nat_sessions_at(i)) != NULL; i++)
		if (f.vpc == NULL || strcmp(t->name, f.vpc) == 0)
			sess_show_table(t, &f, out, &j, json);
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	} else if (vxg_nat_sessions_at(0) == NULL) {
		fprintf(out, "no VPC has SNAT: no sessions\n");
	}
	return 0;
}

/* Delete every session (vpc NULL) or those of VPC `vpc`, and say how many. 0, -ENOENT. */
static int
vxg_nat_clear_sessions(struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	struct vxg_nat_table *t;
	unsigned n = 0;

	if (vpc != NULL && vxg_config_find_vpc(d->cfg, vpc) == VXG_NONE)
		return -ENOENT;
	for (unsigned i = 0; (t = vxg_nat_sessions_at(i)) != NULL; i++)
		if (vpc == NULL || strcmp(t->name, vpc) == 0)
			n += vxg_nat_clear(t);
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "cleared", n);
		jw_obj_close(&j);
	} else {
		fprintf(out, "%u sessions cleared\n", n);
	}
	return 0;
}

/* ---- The commands --------------------------------------------------------------------- */

static void
cmd_show_nat(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_nat_show(d, NULL, out, json);
}

static void
show_nat_sessions(const char *spec)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	char err[256];

	if (vxg_nat_show_sessions(d, spec, out, json, err, sizeof(err)) < 0)
		cli_error("%s", err);
}

/* Also `show nat sessions`: a free word matches "sessions" too, and two instances that
 * match the same line are ambiguous to cmdline. */
static void
cmd_show_nat_vpc(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *vpc = vxg_cli_arg(parsed);

	if (strcmp(vpc, "sessions") == 0)
		show_nat_sessions(NULL);
	else if (vxg_nat_show(d, vpc, out, json) < 0)
		cli_error("no VPC %s", vpc);
}

static void
cmd_show_nat_sess_spec(void *parsed, struct cmdline *cl, void *data)
{
	show_nat_sessions(vxg_cli_arg(parsed));
}

static void
cmd_clear_nat_sess(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_nat_clear_sessions(d, NULL, out, json);
}

static void
cmd_clear_nat_sess_vpc(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *vpc = vxg_cli_arg(parsed);

	if (vxg_nat_clear_sessions(d, vpc, out, json) < 0)
		cli_error("no VPC %s", vpc);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_clear, w0, "clear");
VXG_CLI_WORD(t_nat, w1, "nat");
VXG_CLI_WORD(t_sessions, w2, "sessions");
VXG_CLI_ARG(t_vpc);
VXG_CLI_ARG(t_spec);

VXG_CLI_CMD(i_show_nat, cmd_show_nat,
	"show nat: each VPC's NAT interface, SNAT address and ports, session count, floating "
	"IPs, and the NAT counters",
	(void *)&t_show, (void *)&t_nat);
VXG_CLI_CMD(i_show_nat_vpc, cmd_show_nat_vpc,
	"show nat VPC: one VPC's NAT; show nat sessions: each VPC's SNAT sessions (inside, "
	"outside, remote, state, age)",
	(void *)&t_show, (void *)&t_nat, (void *)&t_vpc);
VXG_CLI_CMD(i_show_nat_sess_spec, cmd_show_nat_sess_spec,
	"show nat sessions SPEC: VPC, or vpc=NAME,ip=A.B.C.D,port=N,proto=tcp|udp|icmp,limit=N",
	(void *)&t_show, (void *)&t_nat, (void *)&t_sessions, (void *)&t_spec);
VXG_CLI_CMD(i_clear_nat_sess, cmd_clear_nat_sess, "clear nat sessions: delete every SNAT session",
	(void *)&t_clear, (void *)&t_nat, (void *)&t_sessions);
VXG_CLI_CMD(i_clear_nat_sess_vpc, cmd_clear_nat_sess_vpc,
	"clear nat sessions VPC: delete the SNAT sessions of one VPC", (void *)&t_clear,
	(void *)&t_nat, (void *)&t_sessions, (void *)&t_vpc);
