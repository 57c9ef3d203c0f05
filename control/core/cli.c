/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_version.h>

#include "core/cli.h"
#include "core/json.h"
#include "l3/router_neigh.h"
#include "l3/l3_show.h"
#include "nat/nat_show.h"
#include "nat/nat_table.h"
#include "sg/sg_show.h"

/* The request being served: where output goes, in which form, and how it ended. */
struct cli_req {
	FILE *out;
	bool json;
	bool from_socket;
	int rc;
};

static struct cli_req stdin_req;
static struct cli_req *cur = &stdin_req;
static struct cmdline *stdin_cl; /* the interactive shell, if any */
static struct cmdline *socket_cl; /* parser for socket requests; its fds are /dev/null */
static struct vxg_daemon *dm;
static bool stdin_done;

static void
cli_error(const char *fmt, ...)
{
	char msg[VXG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cur->rc = 1;
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "error", msg);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "error: %s\n", msg);
	}
}

/* The parsed tokens of every command: up to three words and one free argument. */
struct cmd_args {
	cmdline_fixed_string_t w0, w1, w2;
	cmdline_fixed_string_t arg;
};

#define WORD(var, field, s)                       \
	static cmdline_parse_token_string_t var = \
		TOKEN_STRING_INITIALIZER(struct cmd_args, field, s)

WORD(t_show, w0, "show");
WORD(t_clear, w0, "clear");
WORD(t_reload, w0, "reload");
WORD(t_quit, w0, "quit");
WORD(t_shutdown, w0, "shutdown");
WORD(t_help, w0, "help");
WORD(t_version, w1, "version");
WORD(t_interfaces, w1, "interfaces");
WORD(t_stats, w1, "stats");
WORD(t_config, w1, "config");
WORD(t_memory, w1, "memory");
WORD(t_fdb, w1, "fdb");
WORD(t_vtep, w1, "vtep");
WORD(t_neighbours, w1, "neighbours");
WORD(t_route, w1, "route");
WORD(t_router, w1, "router");
WORD(t_dhcp, w1, "dhcp");
WORD(t_leases, w2, "leases");
WORD(t_dstats, w2, "stats");
WORD(t_sgs, w1, "security-groups");
WORD(t_conntrack, w1, "conntrack");
WORD(t_nat, w1, "nat");
WORD(t_sessions, w2, "sessions");
static cmdline_parse_token_string_t t_file = TOKEN_STRING_INITIALIZER(struct cmd_args, arg, NULL);

/* show version */

static void
cmd_show_version(void *parsed, struct cmdline *cl, void *data)
{
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "version", VXG_VERSION);
		jw_str(&j, "dpdk", rte_version());
		jw_obj_close(&j);
		return;
	}
	fprintf(cur->out, "vxgate %s (%s)\n", VXG_VERSION, rte_version());
}

/* show interfaces */

static void
iface_addr_str(const struct vxg_if_cfg *ic, char *buf, size_t len)
{
	uint32_t a = ic->address;

	if (a == 0) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff,
		ic->prefixlen);
}

static void
iface_json(struct jw *j, const struct vxg_iface *p, const struct vxg_if_cfg *ic,
	const struct rte_eth_stats *st, const char *link)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE], addr[32];

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	iface_addr_str(ic, addr, sizeof(addr));
	jw_obj_open(j, NULL);
	jw_str(j, "name", p->name);
	jw_str(j, "device", p->device);
	jw_u64(j, "port_id", p->port_id);
	jw_str(j, "role", vxg_role_name(p->role));
	jw_str(j, "link", link);
	jw_str(j, "mac", mac);
	jw_str(j, "address", addr);
	jw_u64(j, "mtu", p->mtu);
	jw_u64(j, "rx_queues", p->n_rxq);
	jw_u64(j, "tx_queues", p->n_txq);
	jw_bool(j, "rss", p->rss);
	jw_u64(j, "rx_packets", st->ipackets);
	jw_u64(j, "tx_packets", st->opackets);
	jw_u64(j, "rx_missed", st->imissed);
	jw_u64(j, "rx_errors", st->ierrors);
	jw_u64(j, "rx_nombuf", st->rx_nombuf);
	jw_u64(j, "tx_errors", st->oerrors);
	jw_obj_close(j);
}

static void
cmd_show_interfaces(void *parsed, struct cmdline *cl, void *data)
{
	struct jw j;

	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "interfaces");
	} else {
		fprintf(cur->out, "%-10s %-9s %-24s %-17s %-18s %5s %12s %12s %10s  %s\n", "NAME",
			"ROLE", "LINK", "MAC", "ADDRESS", "MTU", "RX", "TX", "DROPS", "DEVICE");
	}
	for (unsigned i = 0; i < dm->n_ifs; i++) {
		const struct vxg_iface *p = &dm->ifs[i];
		const struct vxg_if_cfg *ic = &dm->cfg->interfaces[i];
		char link[64], mac[RTE_ETHER_ADDR_FMT_SIZE], addr[32];
		struct rte_eth_stats st = {0};

		rte_eth_stats_get(p->port_id, &st);
		vxg_port_link_str(p->port_id, link, sizeof(link));
		if (cur->json) {
			iface_json(&j, p, ic, &st, link);
			continue;
		}
		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		iface_addr_str(ic, addr, sizeof(addr));
		fprintf(cur->out,
			"%-10s %-9s %-24s %-17s %-18s %5u %12" PRIu64 " %12" PRIu64 " %10" PRIu64
			"  %s\n",
			p->name, vxg_role_name(p->role), link, mac, addr, p->mtu, st.ipackets,
			st.opackets, st.imissed + st.ierrors + st.oerrors + st.rx_nombuf,
			p->device);
	}
	if (cur->json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

/* show stats: per worker, the way `ovs-appctl dpif-netdev/pmd-stats-show` prints them */

static void
stats_text(unsigned i, const struct vxg_worker_stats *s)
{
	uint64_t cycles = s->busy_cycles + s->idle_cycles;
	uint64_t drops = vxg_stats_drops_total(s);

	fprintf(cur->out, "worker %u (lcore %u):\n", i, dm->workers[i]->lcore);
	fprintf(cur->out, "  packets received: %" PRIu64 "\n", s->rx);
	fprintf(cur->out, "  packets sent: %" PRIu64 "\n", s->tx);
	fprintf(cur->out, "  packets punted: %" PRIu64 "\n", s->punted);
	fprintf(cur->out, "  packets dropped: %" PRIu64 "\n", drops);
	fprintf(cur->out, "  idle cycles: %" PRIu64 " (%.2f%%)\n", s->idle_cycles,
		cycles ? 100.0 * s->idle_cycles / cycles : 0.0);
	fprintf(cur->out, "  processing cycles: %" PRIu64 " (%.2f%%)\n", s->busy_cycles,
		cycles ? 100.0 * s->busy_cycles / cycles : 0.0);
	fprintf(cur->out, "  avg processing cycles per packet: %.2f\n",
		s->rx ? (double)s->busy_cycles / s->rx : 0.0);
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		if (s->drops[r])
			fprintf(cur->out, "  drop %s: %" PRIu64 "\n", vxg_drop_names[r],
				s->drops[r]);
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		if (s->events[e])
			fprintf(cur->out, "  event %s: %" PRIu64 "\n", vxg_event_names[e],
				s->events[e]);
}

static void
stats_json(struct jw *j, unsigned i, const struct vxg_worker_stats *s)
{
	jw_obj_open(j, NULL);
	jw_u64(j, "worker", i);
	jw_u64(j, "lcore", dm->workers[i]->lcore);
	jw_u64(j, "rx", s->rx);
	jw_u64(j, "tx", s->tx);
	jw_u64(j, "punted", s->punted);
	jw_u64(j, "dropped", vxg_stats_drops_total(s));
	jw_u64(j, "iterations", s->iterations);
	jw_u64(j, "busy_cycles", s->busy_cycles);
	jw_u64(j, "idle_cycles", s->idle_cycles);
	jw_double(j, "cycles_per_packet", s->rx ? (double)s->busy_cycles / s->rx : 0.0);
	jw_obj_open(j, "drops");
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		jw_u64(j, vxg_drop_names[r], s->drops[r]);
	jw_obj_close(j);
	jw_obj_open(j, "events");
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		jw_u64(j, vxg_event_names[e], s->events[e]);
	jw_obj_close(j);
	jw_obj_close(j);
}

static void
cmd_show_stats(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_worker_stats s;
	struct jw j;

	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "tsc_hz", rte_get_tsc_hz());
		jw_arr_open(&j, "workers");
	}
	for (unsigned i = 0; i < dm->n_workers; i++) {
		vxg_daemon_worker_stats(dm, i, &s);
		if (cur->json)
			stats_json(&j, i, &s);
		else
			stats_text(i, &s);
	}
	if (cur->json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

static void
cmd_clear_stats(void *parsed, struct cmdline *cl, void *data)
{
	vxg_daemon_clear_stats(dm);
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_bool(&j, "cleared", true);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "statistics cleared\n");
	}
}

/* show config */

static void
cmd_show_config(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_config_counts n;
	char when[64];
	struct tm tm;

	vxg_config_count(dm->cfg, &n);
	localtime_r(&dm->loaded_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "file", dm->cfg->path);
		jw_u64(&j, "generation", dm->gen_id);
		jw_str(&j, "loaded", when);
		jw_u64(&j, "reloads", dm->reloads_ok);
		jw_u64(&j, "reloads_failed", dm->reloads_failed);
		jw_u64(&j, "interfaces", n.interfaces);
		jw_u64(&j, "vpcs", n.vpcs);
		jw_u64(&j, "networks", n.networks);
		jw_u64(&j, "ports", n.ports);
		jw_u64(&j, "security_groups", n.security_groups);
		jw_u64(&j, "rules", n.rules);
		jw_u64(&j, "port_groups", n.port_groups);
		jw_u64(&j, "address_sets", n.address_sets);
		jw_u64(&j, "routes", n.routes);
		jw_u64(&j, "snat", n.snat);
		jw_u64(&j, "floating_ips", n.floating_ips);
		jw_obj_close(&j);
		return;
	}
	fprintf(cur->out,
		"file: %s\ngeneration: %" PRIu64 " (loaded %s; %" PRIu64 " reloads, %" PRIu64
		" refused)\n",
		dm->cfg->path, dm->gen_id, when, dm->reloads_ok, dm->reloads_failed);
	fprintf(cur->out,
		"interfaces: %u\nvpcs: %u\nnetworks: %u\nports: %u\n"
		"security groups: %u\nrules: %u\nport groups: %u\naddress sets: %u\n"
		"routes: %u\nsnat: %u\nfloating ips: %u\n",
		n.interfaces, n.vpcs, n.networks, n.ports, n.security_groups, n.rules,
		n.port_groups, n.address_sets, n.routes, n.snat, n.floating_ips);
}

/* show memory: what each table and pool costs, so an appliance knows its sizing */

static void
mem_chunk_sum(
	struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr, unsigned mem_idx)
{
	*(uint64_t *)opaque += memhdr->len;
}

static void
cmd_show_memory(void *parsed, struct cmdline *cl, void *data)
{
	struct rte_malloc_socket_stats heap = {0};
	uint64_t pool = 0;
	struct {
		const char *name;
		uint64_t bytes;
		int64_t entries; /* -1: not a table of entries */
	} t[] = {
		{"mbuf pool", 0, -1},
		{"workers", dm->n_workers * sizeof(struct vxg_worker), -1},
		{"generation", sizeof(struct vxg_gen), -1},
		{"fdb", dm->fdb ? vxg_fdb_memsize(dm->fdb) : 0,
			dm->fdb ? vxg_fdb_count(dm->fdb) : 0},
		{"routes", 0, -1},
		{"router neighbours", dm->l3n ? vxg_l3n_memsize(dm->l3n) : 0, -1},
		{"conntrack", 0, -1},
		{"port slots", 0, -1},
		{"nat sessions", 0, -1},
	};

	/* rte_lpm: 2^24 tbl24 entries of 4 bytes per routed VPC, plus its tbl8 groups. */
	for (unsigned v = 0; dm->gen != NULL && v < dm->gen->n_vpcs; v++) {
		const struct vxg_l3_vpc *l3 = &dm->gen->vpcs[v].l3;

		if (l3->lpm != NULL)
			t[4].bytes +=
				(4ull << 24) + 256ull * 256 * 4 + l3->n_nhs * sizeof(*l3->nhs);
	}

	for (unsigned i = 0; i < dm->n_ct; i++)
		t[6].bytes += vxg_ct_memsize(dm->ct[i]);
	for (unsigned i = 0; i < dm->n_nat; i++)
		t[8].bytes += vxg_nat_memsize(dm->nat[i]);
	/* Per generation, the ports by slot; per worker, their security group counters. */
	t[7].bytes = (uint64_t)VXG_LPORT_MAX *
		     (sizeof(struct vxg_gen_lport) + dm->n_workers * sizeof(struct vxg_lport_ctr));

	rte_mempool_mem_iter(dm->pool, mem_chunk_sum, &pool);
	t[0].bytes = pool;
	rte_malloc_get_socket_stats(rte_socket_id(), &heap);
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "heap_allocated", heap.heap_allocsz_bytes);
		jw_u64(&j, "heap_total", heap.heap_totalsz_bytes);
		jw_u64(&j, "mbufs", dm->pool->size);
		jw_arr_open(&j, "tables");
		for (unsigned i = 0; i < RTE_DIM(t); i++) {
			jw_obj_open(&j, NULL);
			jw_str(&j, "name", t[i].name);
			jw_u64(&j, "bytes", t[i].bytes);
			if (t[i].entries >= 0)
				jw_u64(&j, "entries", (uint64_t)t[i].entries);
			jw_obj_close(&j);
		}
		jw_arr_close(&j);
		jw_obj_close(&j);
		return;
	}
	fprintf(cur->out, "DPDK heap: %.1f MB allocated of %.1f MB\n",
		heap.heap_allocsz_bytes / 1e6, heap.heap_totalsz_bytes / 1e6);
	for (unsigned i = 0; i < RTE_DIM(t); i++) {
		fprintf(cur->out, "  %-18s %10.1f MB", t[i].name, t[i].bytes / 1e6);
		if (t[i].entries >= 0)
			fprintf(cur->out, " (%" PRId64 " entries)", t[i].entries);
		fputc('\n', cur->out);
	}
}

/* show fdb [NETWORK], clear fdb [NETWORK], show vtep */

static void
ip_str(rte_be32_t ip, char *buf, size_t len)
{
	vxg_ip_format(rte_be_to_cpu_32(ip), buf, len);
}

/* A network by name (in any VPC, or VPC/NAME) or by VNI; NULL after saying why. */
static const struct vxg_gen_net *
cli_network(const char *arg)
{
	const struct vxg_gen_vxlan *vx = &dm->gen->vx;
	const struct vxg_gen_net *found = NULL;
	const char *slash = strchr(arg, '/');
	char *end;
	unsigned long vni = strtoul(arg, &end, 10);

	if (*arg != '\0' && *end == '\0')
		found = vxg_net_by_vni(vx, (uint32_t)vni);
	for (unsigned i = 0; found == NULL && i < vx->n_nets; i++) {
		const struct vxg_gen_net *n = &vx->nets[i];

		if (slash == NULL ? strcmp(n->name, arg) == 0
				  : strncmp(n->vpc, arg, slash - arg) == 0 &&
					    n->vpc[slash - arg] == '\0' &&
					    strcmp(n->name, slash + 1) == 0)
			found = n;
	}
	if (found == NULL)
		cli_error("no network %s (give a network name, VPC/NAME or a VNI)", arg);
	return found;
}

static void
fdb_where(const union vxg_fdb_loc *loc, char *buf, size_t len)
{
	const char *name = "?";

	if (loc->kind == VXG_FDB_REMOTE) {
		ip_str(loc->vtep, buf, len);
		return;
	}
	for (unsigned i = 0; i < dm->n_ifs; i++)
		if (dm->ifs[i].port_id == loc->port_id)
			name = dm->ifs[i].name;
	if (loc->vlan)
		snprintf(buf, len, "%s.%u", name, loc->vlan);
	else
		snprintf(buf, len, "%s", name);
}

static void
fdb_row(struct jw *j, const struct vxg_fdb_entry *e, union vxg_fdb_loc loc, uint32_t now)
{
	const struct vxg_gen_net *n = vxg_net_by_vni(&dm->gen->vx, e->key.vni);
	char mac[RTE_ETHER_ADDR_FMT_SIZE], where[64], net[2 * VXG_NAME_MAX + 2];
	uint32_t age = now - e->seen;

	rte_ether_format_addr(mac, sizeof(mac), &e->key.mac);
	fdb_where(&loc, where, sizeof(where));
	snprintf(net, sizeof(net), "%s/%s", n ? n->vpc : "-", n ? n->name : "-");
	if (cur->json) {
		jw_obj_open(j, NULL);
		jw_str(j, "mac", mac);
		jw_str(j, "network", net);
		jw_u64(j, "vni", e->key.vni);
		jw_str(j, "kind", loc.kind == VXG_FDB_REMOTE ? "vtep" : "interface");
		jw_str(j, "where", where);
		jw_str(j, "type", loc.is_static ? "static" : "learned");
		jw_u64(j, "age", loc.is_static ? 0 : age);
		jw_obj_close(j);
		return;
	}
	fprintf(cur->out, "%-17s %-20s %8u %-18s %-8s", mac, net, e->key.vni, where,
		loc.is_static ? "static" : "learned");
	if (loc.is_static)
		fprintf(cur->out, " %6s\n", "-");
	else
		fprintf(cur->out, " %6u\n", age);
}

static void
show_fdb(const struct vxg_gen_net *only)
{
	const struct vxg_fdb *fdb = dm->fdb;
	uint32_t now = vxg_fdb_now(), n = 0;
	struct jw j;

	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "limit", fdb->limit);
		jw_arr_open(&j, "entries");
	} else {
		fprintf(cur->out, "%-17s %-20s %8s %-18s %-8s %6s\n", "MAC", "NETWORK", "VNI",
			"WHERE", "TYPE", "AGE");
	}
	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];
		union vxg_fdb_loc loc = {.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE)};

		if (loc.kind == VXG_FDB_NONE || (only != NULL && e->key.vni != only->vni))
			continue;
		fdb_row(&j, e, loc, now);
		n++;
	}
	if (cur->json) {
		jw_arr_close(&j);
		jw_u64(&j, "count", n);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "%u entries (limit %u)\n", n, fdb->limit);
	}
}

static void
cmd_show_fdb(void *parsed, struct cmdline *cl, void *data)
{
	show_fdb(NULL);
}

static void
cmd_show_fdb_net(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_gen_net *n = cli_network(((struct cmd_args *)parsed)->arg);

	if (n != NULL)
		show_fdb(n);
}

static void
clear_fdb(const struct vxg_gen_net *only)
{
	unsigned n = vxg_fdb_clear(dm->fdb, only ? only->vni : 0);

	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "cleared", n);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "%u learned entries cleared\n", n);
	}
}

static void
cmd_clear_fdb(void *parsed, struct cmdline *cl, void *data)
{
	clear_fdb(NULL);
}

static void
cmd_clear_fdb_net(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_gen_net *n = cli_network(((struct cmd_args *)parsed)->arg);

	if (n != NULL)
		clear_fdb(n);
}

/* MACs the FDB holds behind each remote VTEP: what an operator checks first. */
static uint32_t
vtep_macs(rte_be32_t ip)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < dm->fdb->n_entries; i++) {
		union vxg_fdb_loc loc = {.u64 = dm->fdb->entries[i].loc.u64};

		n += loc.kind == VXG_FDB_REMOTE && loc.vtep == ip;
	}
	return n;
}

static bool
cli_static_neigh(unsigned ifi, rte_be32_t ip)
{
	const struct vxg_if_cfg *ic = &dm->cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (rte_cpu_to_be_32(ic->neighbours[i].ip) == ip)
			return true;
	return false;
}

static void
vtep_row(struct jw *j, const struct vxg_gen_vxlan *vx, unsigned i)
{
	const struct vxg_gen_vtep *t = &vx->vteps[i];
	char ip[16], nh[16], mac[RTE_ETHER_ADDR_FMT_SIZE];
	const struct vxg_neigh *n = vxg_neigh_lookup(dm->neigh, dm->cfg->vtep.underlay, t->nexthop);
	const char *state = !t->resolved ? "unresolved"
			    : n == NULL || cli_static_neigh(dm->cfg->vtep.underlay, t->nexthop)
				    ? "static"
				    : "learned";
	uint32_t macs = vtep_macs(t->ip);
	uint64_t tx = 0, rx = 0;

	for (unsigned w = 0; w < dm->n_workers; w++) {
		tx += vx->ctr[w * vx->n_vteps + i].tx;
		rx += vx->ctr[w * vx->n_vteps + i].rx;
	}

	ip_str(t->ip, ip, sizeof(ip));
	ip_str(t->nexthop, nh, sizeof(nh));
	if (t->resolved)
		rte_ether_format_addr(mac, sizeof(mac), &t->tmpl.eth.dst_addr);
	else
		snprintf(mac, sizeof(mac), "-");
	if (cur->json) {
		jw_obj_open(j, NULL);
		jw_str(j, "address", ip);
		jw_str(j, "nexthop", nh);
		jw_str(j, "neighbour", state);
		jw_str(j, "mac", mac);
		jw_u64(j, "macs", macs);
		jw_u64(j, "tx_packets", tx);
		jw_u64(j, "rx_packets", rx);
		jw_obj_close(j);
		return;
	}
	fprintf(cur->out, "  %-15s %-15s %-10s %-17s %8u %12" PRIu64 " %12" PRIu64 "\n", ip, nh,
		state, mac, macs, tx, rx);
}

static void
cmd_show_vtep(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_gen_vxlan *vx = &dm->gen->vx;
	const struct vxg_vtep_cfg *vc = &dm->cfg->vtep;
	char addr[16];
	struct jw j;

	if (!vx->enabled) {
		cli_error("no vtep: section in %s", dm->cfg->path);
		return;
	}
	ip_str(vx->addr, addr, sizeof(addr));
	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "address", addr);
		jw_u64(&j, "udp_port", vc->udp_port);
		jw_str(&j, "interface", dm->ifs[vc->underlay].name);
		jw_bool(&j, "learning", vc->learning);
		jw_u64(&j, "ageing", vc->ageing);
		jw_arr_open(&j, "remotes");
	} else {
		fprintf(cur->out,
			"vtep %s udp port %u on %s, learning %s, ageing %u s\n"
			"  %-15s %-15s %-10s %-17s %8s %12s %12s\n",
			addr, vc->udp_port, dm->ifs[vc->underlay].name, vc->learning ? "on" : "off",
			vc->ageing, "REMOTE", "NEXTHOP", "NEIGHBOUR", "MAC", "FDB MACS", "TX",
			"RX");
	}
	for (unsigned i = 0; i < vx->n_vteps; i++)
		vtep_row(&j, vx, i);
	if (cur->json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

/* show neighbours */

static void
neigh_row(struct jw *j, unsigned ifi, rte_be32_t ip, const struct rte_ether_addr *mac,
	const char *state, int64_t age_s, unsigned probes)
{
	char ips[16], macs[RTE_ETHER_ADDR_FMT_SIZE], ages[24];

	ip_str(ip, ips, sizeof(ips));
	if (mac != NULL)
		rte_ether_format_addr(macs, sizeof(macs), mac);
	else
		snprintf(macs, sizeof(macs), "-");
	if (cur->json) {
		jw_obj_open(j, NULL);
		jw_str(j, "interface", dm->ifs[ifi].name);
		jw_str(j, "ip", ips);
		jw_str(j, "mac", macs);
		jw_str(j, "state", state);
		if (age_s >= 0)
			jw_u64(j, "age", (uint64_t)age_s);
		jw_u64(j, "probes", probes);
		jw_obj_close(j);
		return;
	}
	if (age_s >= 0)
		snprintf(ages, sizeof(ages), "%" PRId64, age_s);
	else
		snprintf(ages, sizeof(ages), "-");
	fprintf(cur->out, "  %-12s %-15s %-17s %-10s %6s %6u\n", dm->ifs[ifi].name, ips, macs,
		state, ages, probes);
}

static void
neigh_rows(struct jw *j)
{
	const struct vxg_neigh_table *t = dm->neigh;
	uint64_t now = rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);

	for (unsigned i = 0; i < dm->cfg->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &dm->cfg->interfaces[i];

		for (unsigned k = 0; k < ic->n_neighbours; k++)
			neigh_row(j, i, rte_cpu_to_be_32(ic->neighbours[k].ip),
				&ic->neighbours[k].mac, "static", -1, 0);
	}
	for (uint32_t i = 0; t != NULL && i < t->n; i++) {
		const struct vxg_neigh *e = &t->e[i];

		if (cli_static_neigh(e->ifi, e->ip))
			continue; /* the static entry is the one in use */
		neigh_row(j, e->ifi, e->ip, e->state == VXG_NEIGH_INCOMPLETE ? NULL : &e->mac,
			vxg_neigh_state_name(e->state), (int64_t)((now - e->updated_ms) / 1000),
			e->probes);
	}
}

static void
cmd_show_neighbours(void *parsed, struct cmdline *cl, void *data)
{
	struct jw j;

	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "neighbours");
	} else {
		fprintf(cur->out, "  %-12s %-15s %-17s %-10s %6s %6s\n", "INTERFACE", "IP", "MAC",
			"STATE", "AGE", "PROBES");
	}
	neigh_rows(&j);
	if (cur->json) {
		jw_arr_close(&j);
		jw_arr_open(&j, "router");
		vxg_l3_show_neighbours(dm, NULL, cur->out, &j, true);
		jw_arr_close(&j);
		jw_obj_open(&j, "counters");
		jw_u64(&j, "arp_requests_rx", dm->punt.arp_requests_rx);
		jw_u64(&j, "arp_replies_tx", dm->punt.arp_replies_tx);
		jw_u64(&j, "arp_requests_tx", dm->punt.arp_requests_tx);
		jw_u64(&j, "arp_replies_rx", dm->punt.arp_replies_rx);
		jw_u64(&j, "icmp_echo_rx", dm->punt.icmp_echo_rx);
		jw_u64(&j, "icmp_echo_replies_tx", dm->punt.icmp_echo_replies_tx);
		jw_u64(&j, "ctl_tx_dropped", dm->punt.ctl_tx_full);
		jw_u64(&j, "neigh_full", dm->punt.neigh_full);
		jw_u64(&j, "generations_rebuilt", dm->punt.regens);
		jw_obj_close(&j);
		jw_obj_close(&j);
		return;
	}
	fprintf(cur->out,
		"arp: requests rx %" PRIu64 " replies tx %" PRIu64 ", probes tx %" PRIu64
		" replies rx %" PRIu64 "\nicmp: echo requests rx %" PRIu64 " replies tx %" PRIu64
		"\ncontrol tx dropped %" PRIu64 ", table full %" PRIu64
		", generations rebuilt %" PRIu64 "\n",
		dm->punt.arp_requests_rx, dm->punt.arp_replies_tx, dm->punt.arp_requests_tx,
		dm->punt.arp_replies_rx, dm->punt.icmp_echo_rx, dm->punt.icmp_echo_replies_tx,
		dm->punt.ctl_tx_full, dm->punt.neigh_full, dm->punt.regens);
	fprintf(cur->out, "router neighbours:\n");
	vxg_l3_show_neighbours(dm, NULL, cur->out, NULL, false);
}

/* show neighbours VPC, show route [VPC], show router [VPC] */

static void
cmd_show_neighbours_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = ((struct cmd_args *)parsed)->arg;
	bool found = false;
	struct jw j;

	for (unsigned v = 0; v < dm->cfg->n_vpcs; v++)
		found |= strcmp(dm->cfg->vpcs[v].name, vpc) == 0;
	if (!found) {
		cli_error("no VPC %s", vpc);
		return;
	}
	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "router");
	}
	vxg_l3_show_neighbours(dm, vpc, cur->out, &j, cur->json);
	if (cur->json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

static void
show_l3(int (*fn)(const struct vxg_daemon *, const char *, FILE *, bool), const char *vpc)
{
	if (fn(dm, vpc, cur->out, cur->json) < 0)
		cli_error("no VPC %s", vpc);
}

static void
cmd_show_route(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_routes, NULL);
}

static void
cmd_show_route_vpc(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_routes, ((struct cmd_args *)parsed)->arg);
}

static void
cmd_show_router(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_router, NULL);
}

static void
cmd_show_router_vpc(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_router, ((struct cmd_args *)parsed)->arg);
}

/* show dhcp leases [NETWORK], show dhcp stats */

static void
cmd_show_dhcp_leases(void *parsed, struct cmdline *cl, void *data)
{
	vxg_dhcp_service_show_leases(dm->dhcp, NULL, time(NULL), cur->out, cur->json);
}

static void
cmd_show_dhcp_leases_net(void *parsed, struct cmdline *cl, void *data)
{
	const char *net = ((struct cmd_args *)parsed)->arg;

	if (!vxg_dhcp_service_has_network(dm->dhcp, net)) {
		cli_error("no network %s with a DHCP server (give NAME or VPC/NAME)", net);
		return;
	}
	vxg_dhcp_service_show_leases(dm->dhcp, net, time(NULL), cur->out, cur->json);
}

static void
cmd_show_dhcp_stats(void *parsed, struct cmdline *cl, void *data)
{
	vxg_dhcp_service_show_stats(dm->dhcp, cur->out, cur->json);
}

/* show security-groups [PORT], show conntrack [VPC], clear conntrack [VPC] */

static int
show_sg(int (*fn)(const struct vxg_daemon *, const char *, FILE *, bool), const char *arg)
{
	int ret = fn(dm, arg, cur->out, cur->json);

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
	const char *port = ((struct cmd_args *)parsed)->arg;

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
	const char *vpc = ((struct cmd_args *)parsed)->arg;

	if (show_sg(vxg_sg_show_conntrack, vpc) == -ENOENT)
		cli_error("no VPC %s", vpc);
}

static void
cmd_clear_ct(void *parsed, struct cmdline *cl, void *data)
{
	vxg_sg_clear_conntrack(dm, NULL, cur->out, cur->json);
}

static void
cmd_clear_ct_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = ((struct cmd_args *)parsed)->arg;

	if (vxg_sg_clear_conntrack(dm, vpc, cur->out, cur->json) < 0)
		cli_error("no VPC %s", vpc);
}

/* show nat [VPC], show nat sessions [SPEC], clear nat sessions [VPC] */

static void
cmd_show_nat(void *parsed, struct cmdline *cl, void *data)
{
	vxg_nat_show(dm, NULL, cur->out, cur->json);
}

static void
show_nat_sessions(const char *spec)
{
	char err[256];

	if (vxg_nat_show_sessions(dm, spec, cur->out, cur->json, err, sizeof(err)) < 0)
		cli_error("%s", err);
}

/* Also `show nat sessions`: a free word matches "sessions" too, and two instances that
 * match the same line are ambiguous to cmdline. */
static void
cmd_show_nat_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = ((struct cmd_args *)parsed)->arg;

	if (strcmp(vpc, "sessions") == 0)
		show_nat_sessions(NULL);
	else if (vxg_nat_show(dm, vpc, cur->out, cur->json) < 0)
		cli_error("no VPC %s", vpc);
}

static void
cmd_show_nat_sess_spec(void *parsed, struct cmdline *cl, void *data)
{
	show_nat_sessions(((struct cmd_args *)parsed)->arg);
}

static void
cmd_clear_nat_sess(void *parsed, struct cmdline *cl, void *data)
{
	vxg_nat_clear_sessions(dm, NULL, cur->out, cur->json);
}

static void
cmd_clear_nat_sess_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = ((struct cmd_args *)parsed)->arg;

	if (vxg_nat_clear_sessions(dm, vpc, cur->out, cur->json) < 0)
		cli_error("no VPC %s", vpc);
}

/* reload [FILE] */

static void
reload(const char *path)
{
	char err[VXG_ERR_MAX];
	int ret;

	err[0] = '\0';
	ret = vxg_daemon_reload(dm, path, err, sizeof(err));
	if (ret < 0) {
		cli_error("reload refused, nothing changed:\n%s", err);
		return;
	}
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "file", dm->cfg->path);
		jw_u64(&j, "generation", dm->gen_id);
		if (err[0])
			jw_str(&j, "warning", err);
		jw_obj_close(&j);
		return;
	}
	fprintf(cur->out, "reloaded %s: generation %" PRIu64 "\n", dm->cfg->path, dm->gen_id);
	if (err[0])
		fprintf(cur->out, "warning: %s\n", err);
}

static void
cmd_reload(void *parsed, struct cmdline *cl, void *data)
{
	reload(NULL);
}

static void
cmd_reload_file(void *parsed, struct cmdline *cl, void *data)
{
	reload(((struct cmd_args *)parsed)->arg);
}

/* quit, shutdown */

static void
cmd_quit(void *parsed, struct cmdline *cl, void *data)
{
	if (cur->from_socket) {
		cli_error("quit leaves the interactive shell; use shutdown to stop the daemon");
		return;
	}
	stdin_done = true;
	if (stdin_cl != NULL)
		cmdline_quit(stdin_cl);
}

static void
cmd_shutdown(void *parsed, struct cmdline *cl, void *data)
{
	dm->quit = 1;
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_bool(&j, "shutdown", true);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "shutting down\n");
	}
}

static void cmd_help(void *parsed, struct cmdline *cl, void *data);

#define INST(var, fn, help, ...)            \
	static cmdline_parse_inst_t var = { \
		.f = fn, .data = NULL, .help_str = help, .tokens = {__VA_ARGS__, NULL}}

INST(i_show_version, cmd_show_version, "show version: vxgate and DPDK versions", (void *)&t_show,
	(void *)&t_version);
INST(i_show_interfaces, cmd_show_interfaces,
	"show interfaces: name, role, link, MAC, address, MTU, rx/tx/drops, device",
	(void *)&t_show, (void *)&t_interfaces);
INST(i_show_stats, cmd_show_stats,
	"show stats: per worker packets, cycles per packet, drops by reason", (void *)&t_show,
	(void *)&t_stats);
INST(i_show_config, cmd_show_config,
	"show config: the config file, its generation and its object counts", (void *)&t_show,
	(void *)&t_config);
INST(i_show_memory, cmd_show_memory,
	"show memory: DPDK heap use and the size of each table and pool", (void *)&t_show,
	(void *)&t_memory);
INST(i_show_fdb, cmd_show_fdb,
	"show fdb: MAC table of every network (MAC, network, VNI, where, static/learned, age)",
	(void *)&t_show, (void *)&t_fdb);
INST(i_show_fdb_net, cmd_show_fdb_net, "show fdb NETWORK: MAC table of one network (name or VNI)",
	(void *)&t_show, (void *)&t_fdb, (void *)&t_file);
INST(i_clear_fdb, cmd_clear_fdb, "clear fdb: forget every learned MAC", (void *)&t_clear,
	(void *)&t_fdb);
INST(i_clear_fdb_net, cmd_clear_fdb_net,
	"clear fdb NETWORK: forget the learned MACs of one network", (void *)&t_clear,
	(void *)&t_fdb, (void *)&t_file);
INST(i_show_vtep, cmd_show_vtep,
	"show vtep: our VTEP and each remote VTEP, its next hop, neighbour state, MACs behind it",
	(void *)&t_show, (void *)&t_vtep);
INST(i_show_neighbours, cmd_show_neighbours,
	"show neighbours: underlay ARP table (interface, IP, MAC, state, age, probes), "
	"ARP/ICMP counters, router neighbours",
	(void *)&t_show, (void *)&t_neighbours);
INST(i_show_neighbours_vpc, cmd_show_neighbours_vpc,
	"show neighbours VPC: the router neighbours of one VPC (network, IP, MAC, state, age)",
	(void *)&t_show, (void *)&t_neighbours, (void *)&t_file);
INST(i_show_route, cmd_show_route, "show route: every VPC's route table", (void *)&t_show,
	(void *)&t_route);
INST(i_show_route_vpc, cmd_show_route_vpc, "show route VPC: one VPC's route table", (void *)&t_show,
	(void *)&t_route, (void *)&t_file);
INST(i_show_router, cmd_show_router,
	"show router: each VPC router's interfaces (gateway, MAC, MTU, DHCP) and counters",
	(void *)&t_show, (void *)&t_router);
INST(i_show_router_vpc, cmd_show_router_vpc, "show router VPC: one VPC router", (void *)&t_show,
	(void *)&t_router, (void *)&t_file);
INST(i_show_dhcp_leases, cmd_show_dhcp_leases,
	"show dhcp leases: the leases of every network (MAC, IP, state, expiry, hostname)",
	(void *)&t_show, (void *)&t_dhcp, (void *)&t_leases);
INST(i_show_dhcp_leases_net, cmd_show_dhcp_leases_net,
	"show dhcp leases NETWORK: the leases of one network", (void *)&t_show, (void *)&t_dhcp,
	(void *)&t_leases, (void *)&t_file);
INST(i_show_dhcp_stats, cmd_show_dhcp_stats,
	"show dhcp stats: messages by type, drops by reason, pool use per network", (void *)&t_show,
	(void *)&t_dhcp, (void *)&t_dstats);
INST(i_show_sgs, cmd_show_sgs,
	"show security-groups: each secured port's groups, port security, allowed/denied "
	"packets, and its rules with their hits",
	(void *)&t_show, (void *)&t_sgs);
INST(i_show_sgs_port, cmd_show_sgs_port,
	"show security-groups PORT: one port's groups and rules (NAME or VPC/NAME)",
	(void *)&t_show, (void *)&t_sgs, (void *)&t_file);
INST(i_show_ct, cmd_show_ct,
	"show conntrack: each VPC's tracked connections (protocol, addresses, state, age, ports)",
	(void *)&t_show, (void *)&t_conntrack);
INST(i_show_ct_vpc, cmd_show_ct_vpc, "show conntrack VPC: one VPC's tracked connections",
	(void *)&t_show, (void *)&t_conntrack, (void *)&t_file);
INST(i_clear_ct, cmd_clear_ct, "clear conntrack: forget every tracked connection", (void *)&t_clear,
	(void *)&t_conntrack);
INST(i_clear_ct_vpc, cmd_clear_ct_vpc,
	"clear conntrack VPC: forget the tracked connections of one VPC", (void *)&t_clear,
	(void *)&t_conntrack, (void *)&t_file);
INST(i_show_nat, cmd_show_nat,
	"show nat: each VPC's NAT interface, SNAT address and ports, session count, floating "
	"IPs, and the NAT counters",
	(void *)&t_show, (void *)&t_nat);
INST(i_show_nat_vpc, cmd_show_nat_vpc,
	"show nat VPC: one VPC's NAT; show nat sessions: each VPC's SNAT sessions (inside, "
	"outside, remote, state, age)",
	(void *)&t_show, (void *)&t_nat, (void *)&t_file);
INST(i_show_nat_sess_spec, cmd_show_nat_sess_spec,
	"show nat sessions SPEC: VPC, or vpc=NAME,ip=A.B.C.D,port=N,proto=tcp|udp|icmp,limit=N",
	(void *)&t_show, (void *)&t_nat, (void *)&t_sessions, (void *)&t_file);
INST(i_clear_nat_sess, cmd_clear_nat_sess, "clear nat sessions: delete every SNAT session",
	(void *)&t_clear, (void *)&t_nat, (void *)&t_sessions);
INST(i_clear_nat_sess_vpc, cmd_clear_nat_sess_vpc,
	"clear nat sessions VPC: delete the SNAT sessions of one VPC", (void *)&t_clear,
	(void *)&t_nat, (void *)&t_sessions, (void *)&t_file);
INST(i_clear_stats, cmd_clear_stats, "clear stats: zero worker and interface counters",
	(void *)&t_clear, (void *)&t_stats);
INST(i_reload, cmd_reload, "reload: validate and apply the config file again", (void *)&t_reload);
INST(i_reload_file, cmd_reload_file, "reload FILE: validate and apply FILE", (void *)&t_reload,
	(void *)&t_file);
INST(i_quit, cmd_quit, "quit: leave the shell (and stop vxgate)", (void *)&t_quit);
INST(i_shutdown, cmd_shutdown, "shutdown: stop vxgate", (void *)&t_shutdown);
INST(i_help, cmd_help, "help: this list", (void *)&t_help);

static cmdline_parse_ctx_t cli_ctx[] = {
	&i_show_version,
	&i_show_interfaces,
	&i_show_stats,
	&i_show_config,
	&i_show_memory,
	&i_show_fdb,
	&i_show_fdb_net,
	&i_show_vtep,
	&i_show_neighbours,
	&i_show_neighbours_vpc,
	&i_show_route,
	&i_show_route_vpc,
	&i_show_router,
	&i_show_router_vpc,
	&i_show_dhcp_leases,
	&i_show_dhcp_leases_net,
	&i_show_dhcp_stats,
	&i_show_sgs,
	&i_show_sgs_port,
	&i_show_ct,
	&i_show_ct_vpc,
	&i_show_nat_sess_spec,
	&i_show_nat,
	&i_show_nat_vpc,
	&i_clear_nat_sess,
	&i_clear_nat_sess_vpc,
	&i_clear_stats,
	&i_clear_fdb,
	&i_clear_fdb_net,
	&i_clear_ct,
	&i_clear_ct_vpc,
	&i_reload,
	&i_reload_file,
	&i_help,
	&i_quit,
	&i_shutdown,
	NULL,
};

static void
cmd_help(void *parsed, struct cmdline *cl, void *data)
{
	struct jw j;

	if (cur->json) {
		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "commands");
	}
	for (unsigned i = 0; cli_ctx[i] != NULL; i++) {
		if (cur->json)
			jw_str(&j, NULL, cli_ctx[i]->help_str);
		else
			fprintf(cur->out, "  %s\n", cli_ctx[i]->help_str);
	}
	if (cur->json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

int
vxg_cli_init(struct vxg_daemon *d, bool interactive)
{
	int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY);

	dm = d;
	stdin_req.out = stdout;
	socket_cl = cmdline_new(cli_ctx, "", in, out);
	if (socket_cl == NULL)
		return -ENOMEM;
	if (!interactive)
		return 0;
	stdin_cl = cmdline_stdin_new(cli_ctx, "vxgate> ");
	return stdin_cl == NULL ? -ENOMEM : 0;
}

void
vxg_cli_fini(void)
{
	if (stdin_cl != NULL)
		cmdline_stdin_exit(stdin_cl);
	stdin_cl = NULL;
	if (socket_cl != NULL)
		cmdline_free(socket_cl);
	socket_cl = NULL;
}

int
vxg_cli_stdin_fd(void)
{
	return stdin_cl != NULL && !stdin_done ? STDIN_FILENO : -1;
}

bool
vxg_cli_stdin_input(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n <= 0) {
		stdin_done = true; /* end of input ends the shell, like `quit` */
		return false;
	}
	cur = &stdin_req;
	/* cmdline_in fails on ^D and once `quit` has stopped the line editor. */
	if (cmdline_in(stdin_cl, buf, n) < 0)
		stdin_done = true;
	fflush(stdout);
	return !stdin_done;
}

int
vxg_cli_exec(const char *line, bool json, FILE *out)
{
	struct cli_req req = {.out = out, .json = json, .from_socket = true};
	char buf[1024];
	int ret;

	if (snprintf(buf, sizeof(buf), "%s\n", line) >= (int)sizeof(buf)) {
		cur = &req;
		cli_error("command too long");
		cur = &stdin_req;
		return 1;
	}
	cur = &req;
	ret = cmdline_parse(socket_cl, buf);
	if (ret == CMDLINE_PARSE_AMBIGUOUS)
		cli_error("ambiguous command: %s", line);
	else if (ret == CMDLINE_PARSE_NOMATCH || ret == CMDLINE_PARSE_BAD_ARGS)
		cli_error("unknown command or bad arguments: %s (try help)", line);
	cur = &stdin_req;
	return req.rc;
}
