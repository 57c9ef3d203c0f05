/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell command of the host interface: `show host`, the tap standing for the underlay in
 * vxgate's namespace (name, namespace, index, address, MAC, MTU, gateway), the frames and
 * bytes each way, and the drops by reason (the workers' rate limit and control's), in
 * text or JSON.
 *
 * Thread-safety: control thread only.
 */
#include <inttypes.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "host/host_feature.h"

struct host_view {
	const struct vxg_host_tap *t; /* NULL: no tap */
	const struct vxg_host_stats *st;
	uint64_t ratelimited; /* by the workers, since `clear stats` */
	char addr[20], gw[16], mac[RTE_ETHER_ADDR_FMT_SIZE];
};

static void
host_view(struct host_view *v)
{
	struct vxg_worker_stats t;

	v->t = vxg_host_tap();
	v->st = vxg_host_stats();
	vxg_daemon_stats_total(vxg_cli_daemon(), &t);
	v->ratelimited = t.drops[VXG_DROP_host_ratelimit];
	v->addr[0] = v->gw[0] = v->mac[0] = '\0';
	if (v->t == NULL)
		return;
	vxg_ip_format(v->t->cur.addr, v->gw, sizeof(v->gw));
	snprintf(v->addr, sizeof(v->addr), "%s/%u", v->gw, v->t->cur.prefixlen);
	vxg_ip_format(v->t->cur.gateway, v->gw, sizeof(v->gw));
	rte_ether_format_addr(v->mac, sizeof(v->mac), &v->t->cur.mac);
}

static void
host_json(const struct host_view *v, FILE *out)
{
	struct jw j;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_bool(&j, "up", v->t != NULL);
	jw_str(&j, "name", VXG_HOST_TAP_NAME);
	if (v->t != NULL) {
		jw_str(&j, "namespace", v->t->cur.netns);
		jw_u64(&j, "ifindex", v->t->ifindex);
		jw_str(&j, "address", v->addr);
		jw_str(&j, "mac", v->mac);
		jw_u64(&j, "mtu", v->t->cur.mtu);
		if (v->t->cur.gateway != 0)
			jw_str(&j, "gateway", v->gw);
	}
	jw_obj_open(&j, "to_tap");
	jw_u64(&j, "packets", v->st->to_tap);
	jw_u64(&j, "bytes", v->st->to_tap_bytes);
	jw_u64(&j, "arp_copies", v->st->arp_copies);
	jw_obj_close(&j);
	jw_obj_open(&j, "from_tap");
	jw_u64(&j, "packets", v->st->from_tap);
	jw_u64(&j, "bytes", v->st->from_tap_bytes);
	jw_u64(&j, "arp_replies_skipped", v->st->arp_replies_skipped);
	jw_obj_close(&j);
	jw_obj_open(&j, "drops");
	jw_u64(&j, vxg_drop_names[VXG_DROP_host_ratelimit], v->ratelimited);
	for (unsigned r = 0; r < VXG_HOST_DROP_MAX; r++)
		jw_u64(&j, vxg_host_drop_names[r], v->st->drops[r]);
	jw_obj_close(&j);
	jw_obj_close(&j);
}

static void
host_text(const struct host_view *v, FILE *out)
{
	if (v->t == NULL) {
		fprintf(out, "host interface %s: none (vtep.evpn with inband makes one)\n",
			VXG_HOST_TAP_NAME);
	} else {
		fprintf(out, "host interface %s in namespace %s (ifindex %u): %s, MAC %s, MTU %u",
			VXG_HOST_TAP_NAME, v->t->cur.netns, v->t->ifindex, v->addr, v->mac,
			v->t->cur.mtu);
		if (v->t->cur.gateway != 0)
			fprintf(out, ", gateway %s", v->gw);
		fputc('\n', out);
	}
	fprintf(out,
		"  to the tap:   %" PRIu64 " packets, %" PRIu64 " bytes (ARP copies %" PRIu64
		")\n  from the tap: %" PRIu64 " packets, %" PRIu64
		" bytes (ARP replies skipped %" PRIu64 ")\n  drops:\n",
		v->st->to_tap, v->st->to_tap_bytes, v->st->arp_copies, v->st->from_tap,
		v->st->from_tap_bytes, v->st->arp_replies_skipped);
	fprintf(out, "    %-16s %12" PRIu64 "  %s\n", vxg_drop_names[VXG_DROP_host_ratelimit],
		v->ratelimited, "on the workers: past their rate");
	for (unsigned r = 0; r < VXG_HOST_DROP_MAX; r++)
		fprintf(out, "    %-16s %12" PRIu64 "  %s\n", vxg_host_drop_names[r],
			v->st->drops[r], vxg_host_drop_help[r]);
}

static void
cmd_show_host(void *parsed, struct cmdline *cl, void *data)
{
	struct host_view v;

	host_view(&v);
	if (vxg_cli_json())
		host_json(&v, vxg_cli_out());
	else
		host_text(&v, vxg_cli_out());
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_host, w1, "host");

VXG_CLI_CMD(i_show_host, cmd_show_host,
	"show host: the host interface's tap (namespace, address), packets and bytes each "
	"way, drops by reason",
	(void *)&t_show, (void *)&t_host);
