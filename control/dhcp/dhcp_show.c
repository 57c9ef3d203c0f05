/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the DHCP service: `show dhcp leases [NETWORK]` and `show dhcp stats`
 * (messages by type, drops by reason, pool use and the lease file), in text or JSON.
 *
 * Thread-safety: control thread only (see dhcp_service.h).
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/cli.h"
#include "core/json.h"
#include "dhcp/dhcp_feature.h"
#include "dhcp/dhcp_service_internal.h"

#define IP_FMT "%u.%u.%u.%u"
#define IP_ARGS(ip) (ip) >> 24, ((ip) >> 16) & 0xff, ((ip) >> 8) & 0xff, (ip)&0xff

static const char *const drop_names[SVC_DROP_MAX] = {
#define SVC_DROP_NAME(name, help) [SVC_DROP_##name] = #name,
	SVC_DROPS(SVC_DROP_NAME)
#undef SVC_DROP_NAME
};

static const char *const msg_names[MSG_TYPES] = {
	[DHCP_DISCOVER] = "discover",
	[DHCP_OFFER] = "offer",
	[DHCP_REQUEST] = "request",
	[DHCP_DECLINE] = "decline",
	[DHCP_ACK] = "ack",
	[DHCP_NAK] = "nak",
	[DHCP_RELEASE] = "release",
	[DHCP_INFORM] = "inform",
};

static const uint8_t rx_types[] = {
	DHCP_DISCOVER, DHCP_REQUEST, DHCP_DECLINE, DHCP_RELEASE, DHCP_INFORM};
static const uint8_t tx_types[] = {DHCP_OFFER, DHCP_ACK, DHCP_NAK};

/* "vpc/net" names one network; "net" alone names it in whichever VPC has it. */
static bool
net_matches(const struct svc_net *sn, const char *network)
{
	const char *slash = strchr(sn->n.name, '/');

	if (network == NULL)
		return true;
	if (strchr(network, '/') != NULL)
		return strcmp(sn->n.name, network) == 0;
	return slash != NULL && strcmp(slash + 1, network) == 0;
}

static const char *
lease_state_name(enum dhcp_lease_state st)
{
	switch (st) {
	case DHCP_LEASE_FREE:
		return "free";
	case DHCP_LEASE_OFFERED:
		return "offered";
	case DHCP_LEASE_BOUND:
		return "bound";
	case DHCP_LEASE_DECLINED:
		return "declined";
	}
	return "?";
}

static void
lease_show(
	const struct svc_net *sn, const struct dhcp_lease *l, time_t now, FILE *out, struct jw *j)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE], ip[16];

	rte_ether_format_addr(mac, sizeof(mac), &l->mac);
	snprintf(ip, sizeof(ip), IP_FMT, IP_ARGS(l->ip));
	if (j == NULL) {
		fprintf(out, "%-24s %s %-15s %-8s expires in %lld s %s\n", sn->n.name, mac, ip,
			lease_state_name(l->state), (long long)(l->expires - now),
			l->hostname[0] ? l->hostname : "-");
		return;
	}
	jw_obj_open(j, NULL);
	jw_str(j, "network", sn->n.name);
	jw_str(j, "mac", mac);
	jw_str(j, "ip", ip);
	jw_str(j, "state", lease_state_name(l->state));
	jw_u64(j, "expires_in", (uint64_t)(l->expires - now));
	jw_str(j, "hostname", l->hostname);
	jw_obj_close(j);
}

/* Pool leases only: declared ports always get their fixed address and hold no lease. */
void
vxg_dhcp_service_show_leases(
	const struct vxg_dhcp_service *s, const char *network, time_t now, FILE *out, bool json)
{
	struct jw jw, *j = NULL;
	unsigned shown = 0;

	if (json) {
		j = &jw;
		jw_init(j, out);
		jw_obj_open(j, NULL);
		jw_arr_open(j, "leases");
	}
	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct svc_net *sn = &s->nets[i];

		if (!net_matches(sn, network))
			continue;
		for (unsigned k = 0; k < sn->n.n_leases; k++) {
			if (!svc_lease_live(&sn->n.leases[k], now))
				continue;
			lease_show(sn, &sn->n.leases[k], now, out, j);
			shown++;
		}
	}
	if (json) {
		jw_arr_close(j);
		jw_obj_close(j);
	} else if (shown == 0) {
		fprintf(out, "no leases\n");
	}
}

static void
stats_json(struct jw *j, const char *key, const struct svc_stats *st)
{
	jw_obj_open(j, key);
	jw_obj_open(j, "received");
	for (unsigned i = 0; i < RTE_DIM(rx_types); i++)
		jw_u64(j, msg_names[rx_types[i]], st->rx[rx_types[i]]);
	jw_obj_close(j);
	jw_obj_open(j, "sent");
	for (unsigned i = 0; i < RTE_DIM(tx_types); i++)
		jw_u64(j, msg_names[tx_types[i]], st->tx[tx_types[i]]);
	jw_obj_close(j);
	jw_obj_open(j, "drops");
	for (unsigned i = 1; i < DHCP_ERR_MAX; i++)
		jw_u64(j, vxg_dhcp_err_name(i), st->parse[i]);
	for (unsigned i = 0; i < SVC_DROP_MAX; i++)
		jw_u64(j, drop_names[i], st->drops[i]);
	jw_obj_close(j);
	jw_obj_close(j);
}

static void
stats_text(FILE *out, const char *indent, const struct svc_stats *st)
{
	unsigned shown = 0;

	fprintf(out, "%sreceived:", indent);
	for (unsigned i = 0; i < RTE_DIM(rx_types); i++)
		fprintf(out, " %s %" PRIu64, msg_names[rx_types[i]], st->rx[rx_types[i]]);
	fprintf(out, "\n%ssent:", indent);
	for (unsigned i = 0; i < RTE_DIM(tx_types); i++)
		fprintf(out, " %s %" PRIu64, msg_names[tx_types[i]], st->tx[tx_types[i]]);
	fprintf(out, "\n%sdropped:", indent);
	for (unsigned i = 1; i < DHCP_ERR_MAX; i++)
		if (st->parse[i] && ++shown)
			fprintf(out, " %s %" PRIu64, vxg_dhcp_err_name(i), st->parse[i]);
	for (unsigned i = 0; i < SVC_DROP_MAX; i++)
		if (st->drops[i] && ++shown)
			fprintf(out, " %s %" PRIu64, drop_names[i], st->drops[i]);
	fprintf(out, "%s\n", shown ? "" : " none");
}

static void
lease_file_show(const struct vxg_dhcp_service *s, FILE *out, struct jw *j)
{
	const char *what = s->lease_path[0] ? s->lease_path : s->lease_status;

	if (j != NULL) {
		jw_str(j, "lease_file", what);
		jw_str(j, "lease_file_status", s->lease_status);
		if (s->lease_errno)
			jw_str(j, "lease_file_error", strerror(s->lease_errno));
		jw_u64(j, "lease_saves", s->saves);
		jw_u64(j, "lease_save_errors", s->save_errors);
		return;
	}
	fprintf(out, "lease_file: %s", what);
	if (s->lease_errno && s->lease_path[0])
		fprintf(out, " (error: %s)", strerror(s->lease_errno));
	else if (s->lease_errno)
		fprintf(out, " (%s)", strerror(s->lease_errno));
	fprintf(out, ", saved %" PRIu64 " times, %" PRIu64 " errors\n", s->saves, s->save_errors);
}

static void
net_stats_show(const struct svc_net *sn, time_t now, FILE *out, struct jw *j)
{
	struct svc_pool_use u = svc_pool_use(&sn->n, now);

	if (j == NULL) {
		fprintf(out,
			"%s vni %u: fixed %u, pool %u, bound %u, offered %u, declined %u, "
			"free %u\n",
			sn->n.name, sn->vni, sn->n.n_fixed, u.size, u.bound, u.offered, u.declined,
			u.free);
		stats_text(out, "  ", &sn->stats);
		return;
	}
	jw_obj_open(j, NULL);
	jw_str(j, "name", sn->n.name);
	jw_u64(j, "vni", sn->vni);
	jw_u64(j, "fixed", sn->n.n_fixed);
	jw_u64(j, "pool", u.size);
	jw_u64(j, "bound", u.bound);
	jw_u64(j, "offered", u.offered);
	jw_u64(j, "declined", u.declined);
	jw_u64(j, "free", u.free);
	stats_json(j, "stats", &sn->stats);
	jw_obj_close(j);
}

void
vxg_dhcp_service_show_stats(const struct vxg_dhcp_service *s, FILE *out, bool json)
{
	time_t now = s->last_now ? s->last_now : time(NULL);
	struct jw jw, *j = NULL;

	if (json) {
		j = &jw;
		jw_init(j, out);
		jw_obj_open(j, NULL);
	}
	lease_file_show(s, out, j);
	if (json)
		stats_json(j, "total", &s->stats);
	else
		stats_text(out, "", &s->stats);
	if (json)
		jw_arr_open(j, "networks");
	for (unsigned i = 0; i < s->n_nets; i++)
		net_stats_show(&s->nets[i], now, out, j);
	if (json) {
		jw_arr_close(j);
		jw_obj_close(j);
	}
}

bool
vxg_dhcp_service_has_network(const struct vxg_dhcp_service *s, const char *network)
{
	if (network == NULL)
		return false;
	for (unsigned i = 0; i < s->n_nets; i++)
		if (net_matches(&s->nets[i], network))
			return true;
	return false;
}

/* ---- The commands --------------------------------------------------------------------- */

static void
cmd_show_dhcp_leases(void *parsed, struct cmdline *cl, void *data)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_dhcp_service_show_leases(vxg_dhcp(), NULL, time(NULL), out, json);
}

static void
cmd_show_dhcp_leases_net(void *parsed, struct cmdline *cl, void *data)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *net = vxg_cli_arg(parsed);

	if (!vxg_dhcp_service_has_network(vxg_dhcp(), net)) {
		cli_error("no network %s with a DHCP server (give NAME or VPC/NAME)", net);
		return;
	}
	vxg_dhcp_service_show_leases(vxg_dhcp(), net, time(NULL), out, json);
}

static void
cmd_show_dhcp_stats(void *parsed, struct cmdline *cl, void *data)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	vxg_dhcp_service_show_stats(vxg_dhcp(), out, json);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_dhcp, w1, "dhcp");
VXG_CLI_WORD(t_leases, w2, "leases");
VXG_CLI_WORD(t_stats, w2, "stats");
VXG_CLI_ARG(t_net);

VXG_CLI_CMD(i_show_dhcp_leases, cmd_show_dhcp_leases,
	"show dhcp leases: the leases of every network (MAC, IP, state, expiry, hostname)",
	(void *)&t_show, (void *)&t_dhcp, (void *)&t_leases);
VXG_CLI_CMD(i_show_dhcp_leases_net, cmd_show_dhcp_leases_net,
	"show dhcp leases NETWORK: the leases of one network", (void *)&t_show, (void *)&t_dhcp,
	(void *)&t_leases, (void *)&t_net);
VXG_CLI_CMD(i_show_dhcp_stats, cmd_show_dhcp_stats,
	"show dhcp stats: messages by type, drops by reason, pool use per network", (void *)&t_show,
	(void *)&t_dhcp, (void *)&t_stats);
