/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the vtep: section and its evpn: block (schema_vtep.h). EVPN's checks across
 * keys (the router ID's default, peers, timers) are in validate_evpn.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/fields.h"
#include "config/schema_vtep.h"
#include "config/values.h"
#include "core/netns.h"

#define T struct vxg_evpn_peer_cfg
static const struct config_field peer_fields[] = {
	{"address", F_IP, REQ, AT(address)},
	{"asn", F_U32, AT(asn), .min = 1, .max = UINT32_MAX},
};
#undef T

/* One peer: a bare address (iBGP), or {address, asn}. */
static int
parse_peer(struct config_parser *p, const struct config_node *n, struct vxg_evpn_peer_cfg *peer,
	unsigned i)
{
	size_t mark = config_obj_push(p->x, "peer %u", i + 1);
	int ret = 0;

	peer->pos = config_node_pos(n);
	if (config_node_kind(n) == CONFIG_NODE_SCALAR) {
		if (config_get_ip(p->x, n, "peers", &peer->address))
			config_mark(p->x, &peer->address, peer->pos);
	} else if (config_node_kind(n) == CONFIG_NODE_MAP) {
		ret = config_parse_mapping(p, n, peer_fields, RTE_DIM(peer_fields), peer);
	} else {
		config_error(p->x, peer->pos,
			"peers: expected an address or {address, asn}, got %s",
			config_node_desc(n).s);
	}
	config_obj_pop(p->x, mark);
	return ret;
}

static int
fn_peers(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_evpn_cfg *e = obj;
	unsigned i, len;
	int ret = 0;

	if (!config_want_kind(p->x, n, "peers", CONFIG_NODE_SEQ))
		return 0;
	len = config_seq_len(n);
	if (len == 0)
		return 0; /* refused by validate_evpn.c, which knows where the block is */
	e->peers = calloc(len, sizeof(*e->peers));
	if (e->peers == NULL)
		return -ENOMEM;
	e->n_peers = len;
	for (i = 0; i < len && ret == 0; i++)
		ret = parse_peer(p, config_seq_item(p->doc, n, i), &e->peers[i], i);
	return ret;
}

static int
fn_namespace(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_evpn_cfg *e = obj;

	if (!config_want_scalar(p->x, n, "namespace", "a namespace name"))
		return 0;
	if (!vxg_netns_name_ok(config_scalar(n))) {
		config_error(p->x, config_node_pos(n),
			"namespace '%s' is not a namespace name (1 to %d letters, digits, '_', "
			"'.' and '-')",
			config_excerpt(n), VXG_NETNS_NAME_MAX);
		return 0;
	}
	strcpy(e->netns, config_scalar(n));
	config_mark(p->x, e->netns, config_node_pos(n));
	return 0;
}

static int
fn_frr(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_evpn_cfg *e = obj;
	unsigned v;

	if (config_get_enum(p->x, n, "frr", config_frr_mode_names, CONFIG_FRR_MODES, &v)) {
		e->frr = v;
		config_mark(p->x, &e->frr, config_node_pos(n));
	}
	return 0;
}

#define T struct vxg_evpn_cfg
static const struct config_field evpn_fields[] = {
	{"asn", F_U32, REQ, AT(asn), .min = 1, .max = UINT32_MAX},
	{"router_id", F_IP, AT(router_id)},
	{"peers", F_FN, .fn = fn_peers},
	{"namespace", F_FN, .fn = fn_namespace},
	{"frr", F_FN, .fn = fn_frr},
	{"inband", F_BOOL, AT(inband)},
	{"keepalive", F_U16, AT(keepalive), .min = 1, .max = 3600},
	{"hold", F_U16, AT(hold), .min = 0, .max = 65535},
};
#undef T

/* The defaults are set here, the router ID's (the VTEP address) by validate_evpn.c. */
static int
fn_evpn(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_evpn_cfg *e = &((struct vxg_vtep_cfg *)obj)->evpn;

	e->enabled = true;
	e->frr = VXG_FRR_MANAGED;
	e->inband = true;
	e->keepalive = 3;
	e->hold = 9;
	strcpy(e->netns, "vxgate");
	e->pos = config_node_pos(n);
	return config_parse_sub(p, n, "evpn", evpn_fields, RTE_DIM(evpn_fields), e);
}

#define T struct vxg_vtep_cfg
static const struct config_field vtep_fields[] = {
	{"address", F_IP, REQ, AT(address)},
	{"udp_port", F_U16, AT(udp_port), .min = 1, .max = 65535},
	{"learning", F_BOOL, AT(learning)},
	{"ageing", F_U32, AT(ageing), .min = 1, .max = 1000000},
	{"udp_csum", F_BOOL, AT(udp_csum)},
	{"ttl", F_U8, AT(ttl), .min = 1, .max = 255},
	{"df", F_BOOL, AT(df)},
	{"src_ports", F_RANGE, AT(src_port_min), AT2(src_port_max), .min = 1, .max = 65535},
	{"evpn", F_FN, .fn = fn_evpn},
};
#undef T

int
schema_vtep(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_config *c = obj;

	c->vtep.enabled = true;
	c->vtep.pos = config_node_pos(n);
	return config_parse_sub(p, n, "vtep", vtep_fields, RTE_DIM(vtep_fields), &c->vtep);
}

void
schema_vtep_defaults(struct vxg_vtep_cfg *vt)
{
	*vt = (struct vxg_vtep_cfg){
		.udp_port = 4789,
		.learning = true,
		.ageing = 300,
		.ttl = 64,
		.src_port_min = 32768,
		.src_port_max = 60999,
		.underlay = VXG_NONE,
	};
}
