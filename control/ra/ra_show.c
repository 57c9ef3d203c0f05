/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show ra`: per dual-stack network, what its gateway advertises (prefix, mode, router
 * lifetime, MTU), the RAs sent by kind, the Router Solicitations received and when the
 * next RA goes; then the solicitations dropped by reason. Text or JSON.
 *
 * Thread-safety: control thread only.
 */
#include <arpa/inet.h>
#include <inttypes.h>

#include "core/cli.h"
#include "core/daemon.h"
#include "core/json.h"
#include "ra/ra_feature.h"

static const char *const drop_names[RA_DROP_MAX] = {
#define RA_DROP_NAME(name, help) [RA_DROP_##name] = #name,
	RA_DROPS(RA_DROP_NAME)
#undef RA_DROP_NAME
};

static const char *const kind_names[RA_KINDS] = {
	[RA_PERIODIC] = "periodic",
	[RA_SOLICITED_MCAST] = "solicited_multicast",
	[RA_SOLICITED_UCAST] = "solicited_unicast",
	[RA_FINAL] = "final",
};

static const char *
mode_name(enum vxg_ip6_mode m)
{
	switch (m) {
	case VXG_IP6_SLAAC:
		return "slaac";
	case VXG_IP6_DHCP_STATELESS:
		return "dhcpv6-stateless";
	case VXG_IP6_DHCP_STATEFUL:
		return "dhcpv6-stateful";
	}
	return "?";
}

static void
net_show(const struct ra_net *n, uint64_t now_ms, FILE *out, struct jw *j)
{
	char pfx[INET6_ADDRSTRLEN];
	uint64_t next = n->next_ms > now_ms ? n->next_ms - now_ms : 0;

	inet_ntop(AF_INET6, n->p.prefix.addr.a, pfx, sizeof(pfx));
	if (j == NULL) {
		fprintf(out, "%s vni %u: %s/%u %s, router lifetime %u s, mtu %u, next in %.1f s\n",
			n->name, n->vni, pfx, n->p.prefix.len, mode_name(n->p.mode),
			n->p.router_lifetime, n->p.mtu, next / 1000.0);
		fprintf(out, "  sent:");
		for (unsigned k = 0; k < RA_KINDS; k++)
			fprintf(out, " %s %" PRIu64, kind_names[k], n->sent[k]);
		fprintf(out, "; rs received %" PRIu64 "\n", n->rs_rx);
		return;
	}
	jw_obj_open(j, NULL);
	jw_str(j, "network", n->name);
	jw_u64(j, "vni", n->vni);
	jw_str(j, "prefix", pfx);
	jw_u64(j, "prefix_len", n->p.prefix.len);
	jw_str(j, "mode", mode_name(n->p.mode));
	jw_u64(j, "router_lifetime", n->p.router_lifetime);
	jw_u64(j, "mtu", n->p.mtu);
	jw_u64(j, "next_in_ms", next);
	jw_obj_open(j, "sent");
	for (unsigned k = 0; k < RA_KINDS; k++)
		jw_u64(j, kind_names[k], n->sent[k]);
	jw_obj_close(j);
	jw_u64(j, "rs_received", n->rs_rx);
	jw_obj_close(j);
}

void
vxg_ra_show(const struct vxg_ra_service *s, uint64_t now_ms, FILE *out, bool json)
{
	struct jw jw, *j = NULL;
	unsigned shown = 0;

	if (json) {
		j = &jw;
		jw_init(j, out);
		jw_obj_open(j, NULL);
		jw_arr_open(j, "networks");
	} else if (s->n_nets == 0) {
		fprintf(out, "no dual-stack network\n");
	}
	for (unsigned i = 0; i < s->n_nets; i++)
		net_show(&s->nets[i], now_ms, out, j);
	if (json) {
		jw_arr_close(j);
		jw_u64(j, "rs_received", s->rs_rx);
		jw_u64(j, "multicast_no_target", s->mcast_no_target);
		jw_obj_open(j, "rs_dropped");
		for (unsigned i = 0; i < RA_DROP_MAX; i++)
			jw_u64(j, drop_names[i], s->drops[i]);
		jw_obj_close(j);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "rs received %" PRIu64 ", dropped:", s->rs_rx);
	for (unsigned i = 0; i < RA_DROP_MAX; i++)
		if (s->drops[i] && ++shown)
			fprintf(out, " %s %" PRIu64, drop_names[i], s->drops[i]);
	fprintf(out, "%s\n", shown ? "" : " none");
	if (s->mcast_no_target)
		fprintf(out, "multicast RAs with no port to reach: %" PRIu64 "\n",
			s->mcast_no_target);
}

static void
cmd_show_ra(void *parsed, struct cmdline *cl, void *data)
{
	vxg_ra_show(vxg_ra(), vxg_ctl_now_ms(), vxg_cli_out(), vxg_cli_json());
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_ra, w1, "ra");

VXG_CLI_CMD(i_show_ra, cmd_show_ra,
	"show ra: per dual-stack network, the RAs sent by kind, RS received, the next RA",
	(void *)&t_show, (void *)&t_ra);
