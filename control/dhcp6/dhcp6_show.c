/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show dhcp6 leases` and `show dhcp6 stats`: the pools' leases and the clients holding
 * declared ports' fixed addresses (network, DUID, IAID, address, state, expiry), and the server's
 * DUID, lease file, messages by type and drops by reason. Text or JSON.
 *
 * Thread-safety: control thread only.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "core/cli.h"
#include "core/json.h"
#include "dhcp6/dhcp6_feature.h"

static const char *const drop_names[DHCP6_SVC_MAX] = {
#define DHCP6_SVC_NAME(name, help) [DHCP6_SVC_##name] = #name,
	DHCP6_SVC_DROPS(DHCP6_SVC_NAME)
#undef DHCP6_SVC_NAME
};

static const char *const state_names[] = {"free", "advertised", "bound", "declined"};

static void
hex(const uint8_t *b, size_t n, char *out, size_t room)
{
	size_t at = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && at + 3 <= room; i++)
		at += (size_t)snprintf(out + at, room - at, "%02x", b[i]);
}

/* One binding: a pool slot's lease, or who holds a declared port's fixed address. */
static void
lease_show(const struct dhcp6_net *n, const struct vxg_ip6 *a, const struct dhcp6_lease *l,
	bool fixed, time_t now, FILE *out, struct jw *j)
{
	char duid[2 * DHCP6_DUID_MAX + 1], ip[INET6_ADDRSTRLEN];
	const char *state = fixed ? "fixed" : state_names[l->state];

	inet_ntop(AF_INET6, a->a, ip, sizeof(ip));
	hex(l->duid.b, l->duid.len, duid, sizeof(duid));
	if (j == NULL) {
		fprintf(out, "%-24s %-39s %-10s expires in %lld s iaid %u duid %s\n", n->name, ip,
			state, (long long)(l->expires - now), l->iaid, duid);
		return;
	}
	jw_obj_open(j, NULL);
	jw_str(j, "network", n->name);
	jw_str(j, "ip", ip);
	jw_str(j, "state", state);
	jw_u64(j, "expires_in", (uint64_t)(l->expires - now));
	jw_u64(j, "iaid", l->iaid);
	jw_str(j, "duid", duid);
	jw_obj_close(j);
}

/* n's live bindings: held fixed addresses, then pool leases. How many. */
static unsigned
net_leases_show(const struct dhcp6_net *n, time_t now, FILE *out, struct jw *j)
{
	unsigned shown = 0;
	struct vxg_ip6 a;

	for (unsigned k = 0; k < n->n_fixed; k++) {
		const struct dhcp6_lease *l = &n->fixed[k].held;

		if (l->state != DHCP6_BOUND || l->expires <= now)
			continue;
		lease_show(n, &n->fixed[k].ip, l, true, now, out, j);
		shown++;
	}
	for (unsigned k = 0; k < n->n_leases; k++) {
		if (n->leases[k].state == DHCP6_FREE || n->leases[k].expires <= now)
			continue;
		vxg_dhcp6_slot_ip(n, k, &a);
		lease_show(n, &a, &n->leases[k], false, now, out, j);
		shown++;
	}
	return shown;
}

void
vxg_dhcp6_service_show_leases(const struct vxg_dhcp6_service *s, time_t now, FILE *out, bool json)
{
	struct jw jw, *j = NULL;
	unsigned shown = 0;

	if (json) {
		j = &jw;
		jw_init(j, out);
		jw_obj_open(j, NULL);
		jw_arr_open(j, "leases");
	}
	for (unsigned i = 0; i < s->n_nets; i++)
		shown += net_leases_show(&s->nets[i].n, now, out, j);
	if (json) {
		jw_arr_close(j);
		jw_obj_close(j);
	} else if (shown == 0) {
		fprintf(out, "no leases\n");
	}
}

static void
stats_json(struct jw *j, const char *key, const struct dhcp6_stats *st)
{
	jw_obj_open(j, key);
	jw_obj_open(j, "received");
	for (unsigned t = 1; t < DHCP6_TYPES; t++)
		if (vxg_dhcp6_type_name(t) != NULL && t != DHCP6_ADVERTISE && t != DHCP6_REPLY)
			jw_u64(j, vxg_dhcp6_type_name(t), st->rx[t]);
	jw_obj_close(j);
	jw_obj_open(j, "sent");
	jw_u64(j, "advertise", st->tx[DHCP6_ADVERTISE]);
	jw_u64(j, "reply", st->tx[DHCP6_REPLY]);
	jw_obj_close(j);
	jw_obj_open(j, "drops");
	for (unsigned i = 1; i < DHCP6_ERR_MAX; i++)
		jw_u64(j, vxg_dhcp6_err_name(i), st->parse[i]);
	for (unsigned i = 0; i < DHCP6_SVC_MAX; i++)
		jw_u64(j, drop_names[i], st->drops[i]);
	jw_obj_close(j);
	jw_obj_close(j);
}

static void
stats_text(FILE *out, const char *indent, const struct dhcp6_stats *st)
{
	unsigned shown = 0;

	fprintf(out, "%sreceived:", indent);
	for (unsigned t = 1; t < DHCP6_TYPES; t++)
		if (vxg_dhcp6_type_name(t) != NULL && t != DHCP6_ADVERTISE && t != DHCP6_REPLY)
			fprintf(out, " %s %" PRIu64, vxg_dhcp6_type_name(t), st->rx[t]);
	fprintf(out, "\n%ssent: advertise %" PRIu64 " reply %" PRIu64 "\n%sdropped:", indent,
		st->tx[DHCP6_ADVERTISE], st->tx[DHCP6_REPLY], indent);
	for (unsigned i = 1; i < DHCP6_ERR_MAX; i++)
		if (st->parse[i] && ++shown)
			fprintf(out, " %s %" PRIu64, vxg_dhcp6_err_name(i), st->parse[i]);
	for (unsigned i = 0; i < DHCP6_SVC_MAX; i++)
		if (st->drops[i] && ++shown)
			fprintf(out, " %s %" PRIu64, drop_names[i], st->drops[i]);
	fprintf(out, "%s\n", shown ? "" : " none");
}

void
vxg_dhcp6_service_show_stats(const struct vxg_dhcp6_service *s, FILE *out, bool json)
{
	char duid[2 * DHCP6_DUID_MAX + 1];
	const char *file = s->lease_path[0] ? s->lease_path : "none";
	struct jw jw, *j = NULL;

	hex(s->duid.b, s->duid.len, duid, sizeof(duid));
	if (!json) {
		fprintf(out,
			"server duid: %s\nlease_file: %s%s%s, saved %" PRIu64 " times, %" PRIu64
			" errors\n",
			duid, file, s->store_errno ? ", error: " : "",
			s->store_errno ? strerror(s->store_errno) : "", s->saves, s->save_errors);
		stats_text(out, "", &s->stats);
		for (unsigned i = 0; i < s->n_nets; i++) {
			fprintf(out, "%s vni %u:\n", s->nets[i].n.name, s->nets[i].vni);
			stats_text(out, "  ", &s->nets[i].stats);
		}
		return;
	}
	j = &jw;
	jw_init(j, out);
	jw_obj_open(j, NULL);
	jw_str(j, "server_duid", duid);
	jw_str(j, "lease_file", file);
	jw_u64(j, "lease_saves", s->saves);
	jw_u64(j, "lease_save_errors", s->save_errors);
	stats_json(j, "total", &s->stats);
	jw_arr_open(j, "networks");
	for (unsigned i = 0; i < s->n_nets; i++) {
		jw_obj_open(j, NULL);
		jw_str(j, "name", s->nets[i].n.name);
		jw_u64(j, "vni", s->nets[i].vni);
		stats_json(j, "stats", &s->nets[i].stats);
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_obj_close(j);
}

static void
cmd_show_dhcp6_leases(void *parsed, struct cmdline *cl, void *data)
{
	vxg_dhcp6_service_show_leases(vxg_dhcp6(), time(NULL), vxg_cli_out(), vxg_cli_json());
}

static void
cmd_show_dhcp6_stats(void *parsed, struct cmdline *cl, void *data)
{
	vxg_dhcp6_service_show_stats(vxg_dhcp6(), vxg_cli_out(), vxg_cli_json());
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_dhcp6, w1, "dhcp6");
VXG_CLI_WORD(t_leases, w2, "leases");
VXG_CLI_WORD(t_stats, w2, "stats");

VXG_CLI_CMD(i_show_dhcp6_leases, cmd_show_dhcp6_leases,
	"show dhcp6 leases: DHCPv6 leases and held fixed addresses (state, expiry, IAID, DUID)",
	(void *)&t_show, (void *)&t_dhcp6, (void *)&t_leases);
VXG_CLI_CMD(i_show_dhcp6_stats, cmd_show_dhcp6_stats,
	"show dhcp6 stats: the server DUID, lease file, messages by type, drops by reason",
	(void *)&t_show, (void *)&t_dhcp6, (void *)&t_stats);
