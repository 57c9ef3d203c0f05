/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's own commands: show version, interfaces, stats, config and memory; clear
 * stats; reload [FILE]; quit, shutdown and help.
 *
 * Thread-safety: control thread only. Counters are read racily while workers count.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_version.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/feature.h"
#include "core/json.h"

/* show version */

static void
cmd_show_version(void *parsed, struct cmdline *cl, void *data)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "version", VXG_VERSION);
		jw_str(&j, "dpdk", rte_version());
		jw_obj_close(&j);
		return;
	}
	fprintf(out, "vxgate %s (%s)\n", VXG_VERSION, rte_version());
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

/* "2001:db8:ff::2/64" or "-", and the gateway6 or "-". */
static void
iface_addr6_str(const struct vxg_if_cfg *ic, char *addr, char *gw, size_t len)
{
	struct vxg_cidr6 a = {ic->address6, ic->prefixlen6};

	snprintf(addr, len, "-");
	snprintf(gw, len, "-");
	if (ic->prefixlen6 != 0)
		vxg_cidr6_format(a, addr, len);
	if (ic->prefixlen6 != 0 && !config_ip6_is_zero(&ic->gateway6))
		vxg_ip6_format(&ic->gateway6, gw, len);
}

static void
iface_json(struct jw *j, const struct vxg_iface *p, const struct vxg_if_cfg *ic,
	const struct rte_eth_stats *st, const char *link)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE], addr[32], addr6[64], gw6[64];

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	iface_addr_str(ic, addr, sizeof(addr));
	iface_addr6_str(ic, addr6, gw6, sizeof(addr6));
	jw_obj_open(j, NULL);
	jw_str(j, "name", p->name);
	jw_str(j, "device", p->device);
	jw_u64(j, "port_id", p->port_id);
	jw_str(j, "role", vxg_role_name(p->role));
	jw_str(j, "link", link);
	jw_str(j, "mac", mac);
	jw_str(j, "address", addr);
	jw_str(j, "address6", addr6);
	jw_str(j, "gateway6", gw6);
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
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "interfaces");
	} else {
		fprintf(out, "%-10s %-9s %-24s %-17s %-18s %5s %12s %12s %10s  %s\n", "NAME",
			"ROLE", "LINK", "MAC", "ADDRESS", "MTU", "RX", "TX", "DROPS", "DEVICE");
	}
	for (unsigned i = 0; i < d->n_ifs; i++) {
		const struct vxg_iface *p = &d->ifs[i];
		const struct vxg_if_cfg *ic = &d->cfg->interfaces[i];
		char link[64], mac[RTE_ETHER_ADDR_FMT_SIZE], addr[32];
		struct rte_eth_stats st = {0};

		rte_eth_stats_get(p->port_id, &st);
		vxg_port_link_str(p->port_id, link, sizeof(link));
		if (json) {
			iface_json(&j, p, ic, &st, link);
			continue;
		}
		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		iface_addr_str(ic, addr, sizeof(addr));
		fprintf(out,
			"%-10s %-9s %-24s %-17s %-18s %5u %12" PRIu64 " %12" PRIu64 " %10" PRIu64
			"  %s\n",
			p->name, vxg_role_name(p->role), link, mac, addr, p->mtu, st.ipackets,
			st.opackets, st.imissed + st.ierrors + st.oerrors + st.rx_nombuf,
			p->device);
		if (ic->prefixlen6 != 0) {
			char a6[64], g6[64];

			iface_addr6_str(ic, a6, g6, sizeof(a6));
			fprintf(out, "%-10s address6 %s gateway6 %s\n", "", a6, g6);
		}
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

/* show stats: per worker, the way `ovs-appctl dpif-netdev/pmd-stats-show` prints them */

static void
stats_text(FILE *out, const struct vxg_daemon *d, unsigned i, const struct vxg_worker_stats *s)
{
	uint64_t cycles = s->busy_cycles + s->idle_cycles;
	uint64_t drops = vxg_stats_drops_total(s);

	fprintf(out, "worker %u (lcore %u):\n", i, d->workers[i]->lcore);
	fprintf(out, "  packets received: %" PRIu64 "\n", s->rx);
	fprintf(out, "  packets sent: %" PRIu64 "\n", s->tx);
	fprintf(out, "  packets punted: %" PRIu64 "\n", s->punted);
	fprintf(out, "  packets dropped: %" PRIu64 "\n", drops);
	fprintf(out, "  idle cycles: %" PRIu64 " (%.2f%%)\n", s->idle_cycles,
		cycles ? 100.0 * s->idle_cycles / cycles : 0.0);
	fprintf(out, "  processing cycles: %" PRIu64 " (%.2f%%)\n", s->busy_cycles,
		cycles ? 100.0 * s->busy_cycles / cycles : 0.0);
	fprintf(out, "  avg processing cycles per packet: %.2f\n",
		s->rx ? (double)s->busy_cycles / s->rx : 0.0);
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		if (s->drops[r])
			fprintf(out, "  drop %s: %" PRIu64 "\n", vxg_drop_names[r], s->drops[r]);
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		if (s->events[e])
			fprintf(out, "  event %s: %" PRIu64 "\n", vxg_event_names[e], s->events[e]);
}

static void
stats_json(struct jw *j, const struct vxg_daemon *d, unsigned i, const struct vxg_worker_stats *s)
{
	jw_obj_open(j, NULL);
	jw_u64(j, "worker", i);
	jw_u64(j, "lcore", d->workers[i]->lcore);
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
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct vxg_worker_stats s;
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "tsc_hz", rte_get_tsc_hz());
		jw_arr_open(&j, "workers");
	}
	for (unsigned i = 0; i < d->n_workers; i++) {
		vxg_daemon_worker_stats(d, i, &s);
		if (json)
			stats_json(&j, d, i, &s);
		else
			stats_text(out, d, i, &s);
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

static void
cmd_clear_stats(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_daemon_clear_stats(d);
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_bool(&j, "cleared", true);
		jw_obj_close(&j);
	} else {
		fprintf(out, "statistics cleared\n");
	}
}

/* show config */

static void
cmd_show_config(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct vxg_config_counts n;
	char when[64];
	struct tm tm;

	vxg_config_count(d->cfg, &n);
	localtime_r(&d->loaded_at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "file", d->cfg->path);
		jw_u64(&j, "generation", d->gen_id);
		jw_str(&j, "loaded", when);
		jw_u64(&j, "reloads", d->reloads_ok);
		jw_u64(&j, "reloads_failed", d->reloads_failed);
		jw_u64(&j, "rebuilds", d->rebuilds);
		jw_u64(&j, "build_us", d->gen->build_us);
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
		jw_obj_open(&j, "ipv6");
		jw_u64(&j, "networks", n.networks6);
		jw_u64(&j, "addresses", n.addresses6);
		jw_u64(&j, "addresses_eui64", n.addresses6_auto);
		jw_u64(&j, "routes", n.routes6);
		jw_u64(&j, "rules", n.rules6);
		jw_u64(&j, "interfaces", n.interfaces6);
		jw_obj_close(&j);
		jw_obj_close(&j);
		return;
	}
	fprintf(out,
		"file: %s\ngeneration: %" PRIu64 " (loaded %s; %" PRIu64 " reloads, %" PRIu64
		" refused; %" PRIu64 " rebuilds; built in %.1f ms)\n",
		d->cfg->path, d->gen_id, when, d->reloads_ok, d->reloads_failed, d->rebuilds,
		(double)d->gen->build_us / 1000);
	fprintf(out,
		"interfaces: %u\nvpcs: %u\nnetworks: %u\nports: %u\n"
		"security groups: %u\nrules: %u\nport groups: %u\naddress sets: %u\n"
		"routes: %u\nsnat: %u\nfloating ips: %u\n",
		n.interfaces, n.vpcs, n.networks, n.ports, n.security_groups, n.rules,
		n.port_groups, n.address_sets, n.routes, n.snat, n.floating_ips);
	fprintf(out,
		"ipv6: %u networks, %u port addresses (%u by EUI-64), %u routes, %u rules, "
		"%u interfaces\n",
		n.networks6, n.addresses6, n.addresses6_auto, n.routes6, n.rules6, n.interfaces6);
}

/* show memory: what each table and pool costs, so an appliance knows its sizing */

/* The tables of show memory: the core's (mbuf pool, workers, generation), then every
 * feature's, in feature order. */
static unsigned
mem_rows(const struct vxg_daemon *d, struct vxg_mem_row *t, unsigned max)
{
	t[0] = (struct vxg_mem_row){"mbuf pool", vxg_mempool_bytes(d->pool), -1};
	t[1] = (struct vxg_mem_row){"workers", d->n_workers * sizeof(struct vxg_worker), -1};
	t[2] = (struct vxg_mem_row){"generation", sizeof(struct vxg_gen), -1};
	return 3 + vxg_features_memory(d, t + 3, max - 3);
}

static void
cmd_show_memory(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct rte_malloc_socket_stats heap = {0};
	struct vxg_mem_row t[64];
	unsigned n = mem_rows(d, t, RTE_DIM(t));
	/* Held by ports' rings, workers and control; the lcores' caches count as free. */
	unsigned in_use = d->pool->size - rte_mempool_avail_count(d->pool);

	rte_malloc_get_socket_stats(rte_socket_id(), &heap);
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "heap_allocated", heap.heap_allocsz_bytes);
		jw_u64(&j, "heap_total", heap.heap_totalsz_bytes);
		jw_u64(&j, "mbufs", d->pool->size);
		jw_u64(&j, "mbufs_in_use", in_use);
		jw_arr_open(&j, "tables");
		for (unsigned i = 0; i < n; i++) {
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
	fprintf(out, "DPDK heap: %.1f MB allocated of %.1f MB\n", heap.heap_allocsz_bytes / 1e6,
		heap.heap_totalsz_bytes / 1e6);
	fprintf(out, "mbufs: %u in use of %u\n", in_use, d->pool->size);
	for (unsigned i = 0; i < n; i++) {
		fprintf(out, "  %-18s %10.1f MB", t[i].name, t[i].bytes / 1e6);
		if (t[i].entries >= 0)
			fprintf(out, " (%" PRId64 " entries)", t[i].entries);
		fputc('\n', out);
	}
}

/* reload [FILE] */

/*
 * reload FILE reads only files under the directory of the config vxgate started with
 * (symbolic links and .. resolved first): the daemon reads as root, and a client must not
 * make it read, and quote in its errors, a file the client could not read itself.
 */
static bool
reload_path_allowed(const struct vxg_daemon *d, const char *path)
{
	char cfg[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
	size_t n;

	snprintf(cfg, sizeof(cfg), "%s", d->opt.config);
	if (realpath(dirname(cfg), dir) == NULL) {
		cli_error("reload %s: the config's directory: %s", path, strerror(errno));
		return false;
	}
	if (realpath(path, file) == NULL) {
		cli_error("reload %s: %s", path, strerror(errno));
		return false;
	}
	n = strlen(dir);
	if (strcmp(dir, "/") != 0 && (strncmp(file, dir, n) != 0 || file[n] != '/')) {
		cli_error("reload %s: refused, nothing changed: vxgate reloads only files under "
			  "%s, the directory of its config",
			path, dir);
		return false;
	}
	return true;
}

static void
reload(const char *path)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	char err[VXG_ERR_MAX];
	int ret;

	if (path != NULL && !reload_path_allowed(d, path))
		return;
	err[0] = '\0';
	ret = vxg_daemon_reload(d, path, err, sizeof(err));
	if (ret < 0) {
		cli_error("reload refused, nothing changed:\n%s", err);
		return;
	}
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "file", d->cfg->path);
		jw_u64(&j, "generation", d->gen_id);
		if (err[0])
			jw_str(&j, "warning", err);
		jw_obj_close(&j);
		return;
	}
	fprintf(out, "reloaded %s: generation %" PRIu64 "\n", d->cfg->path, d->gen_id);
	if (err[0])
		fprintf(out, "warning: %s\n", err);
}

static void
cmd_reload(void *parsed, struct cmdline *cl, void *data)
{
	reload(NULL);
}

static void
cmd_reload_file(void *parsed, struct cmdline *cl, void *data)
{
	reload(vxg_cli_arg(parsed));
}

/* quit, shutdown */

static void
cmd_quit(void *parsed, struct cmdline *cl, void *data)
{
	if (vxg_cli_quit() < 0)
		cli_error("quit leaves the interactive shell; use shutdown to stop the daemon");
}

static void
cmd_shutdown(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	d->quit = 1;
	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_bool(&j, "shutdown", true);
		jw_obj_close(&j);
	} else {
		fprintf(out, "shutting down\n");
	}
}

/* help: every registered command, sorted */

static void
cmd_help(void *parsed, struct cmdline *cl, void *data)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *line;
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "commands");
	}
	for (unsigned i = 0; (line = vxg_cli_help(i)) != NULL; i++) {
		if (json)
			jw_str(&j, NULL, line);
		else
			fprintf(out, "  %s\n", line);
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_clear, w0, "clear");
VXG_CLI_WORD(t_reload, w0, "reload");
VXG_CLI_WORD(t_quit, w0, "quit");
VXG_CLI_WORD(t_shutdown, w0, "shutdown");
VXG_CLI_WORD(t_help, w0, "help");
VXG_CLI_WORD(t_version, w1, "version");
VXG_CLI_WORD(t_interfaces, w1, "interfaces");
VXG_CLI_WORD(t_stats, w1, "stats");
VXG_CLI_WORD(t_config, w1, "config");
VXG_CLI_WORD(t_memory, w1, "memory");
VXG_CLI_ARG(t_file);

VXG_CLI_CMD(i_show_version, cmd_show_version, "show version: vxgate and DPDK versions",
	(void *)&t_show, (void *)&t_version);
VXG_CLI_CMD(i_show_interfaces, cmd_show_interfaces,
	"show interfaces: name, role, link, MAC, address, MTU, rx/tx/drops, device",
	(void *)&t_show, (void *)&t_interfaces);
VXG_CLI_CMD(i_show_stats, cmd_show_stats,
	"show stats: per worker packets, cycles per packet, drops by reason", (void *)&t_show,
	(void *)&t_stats);
VXG_CLI_CMD(i_clear_stats, cmd_clear_stats, "clear stats: zero worker and interface counters",
	(void *)&t_clear, (void *)&t_stats);
VXG_CLI_CMD(i_show_config, cmd_show_config,
	"show config: the config file, its generation and its object counts", (void *)&t_show,
	(void *)&t_config);
VXG_CLI_CMD(i_show_memory, cmd_show_memory,
	"show memory: DPDK heap use and the size of each table and pool", (void *)&t_show,
	(void *)&t_memory);
VXG_CLI_CMD(i_reload, cmd_reload, "reload: validate and apply the config file again",
	(void *)&t_reload);
VXG_CLI_CMD(i_reload_file, cmd_reload_file, "reload FILE: validate and apply FILE",
	(void *)&t_reload, (void *)&t_file);
VXG_CLI_CMD(i_quit, cmd_quit, "quit: leave the shell (and stop vxgate)", (void *)&t_quit);
VXG_CLI_CMD(i_shutdown, cmd_shutdown, "shutdown: stop vxgate", (void *)&t_shutdown);
VXG_CLI_CMD(i_help, cmd_help, "help: this list", (void *)&t_help);
