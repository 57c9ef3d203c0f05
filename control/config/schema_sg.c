/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of security groups, port groups and address sets (schema_sg.h). References are
 * resolved by the walk, whatever their order in the file; a rule's keys are checked
 * against each other (one remote, ports only for tcp/udp/sctp) once they all parsed.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_ether.h>

#include "config/fields.h"
#include "config/schema_refs.h"
#include "config/schema_sg.h"
#include "config/values.h"

static const char *const dir_names[] = {
	[VXG_DIR_INGRESS] = "ingress",
	[VXG_DIR_EGRESS] = "egress",
};

static int
fn_direction(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	unsigned v;

	if (config_get_enum(p->x, n, "direction", dir_names, RTE_DIM(dir_names), &v))
		r->dir = v;
	return 0;
}

static int
fn_ethertype(struct config_parser *p, const struct config_node *n, void *obj)
{
	if (!config_want_scalar(p->x, n, "ethertype", "IPv4"))
		return 0;
	if (!strcasecmp(config_scalar(n), "IPv6"))
		config_error(p->x, config_node_pos(n), "ethertype IPv6 is not supported yet");
	else if (strcasecmp(config_scalar(n), "IPv4") != 0)
		config_error(p->x, config_node_pos(n),
			"ethertype '%s' is not IPv4 (or IPv6, later)", config_excerpt(n));
	return 0;
}

static int
fn_protocol(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (!config_want_scalar(p->x, n, "protocol", "a protocol"))
		return 0;
	if (config_proto_by_name(config_scalar(n), &r->proto))
		return 0;
	if (config_text_int(config_scalar(n), &v) == 0 && v >= 0 && v <= 255)
		r->proto = v;
	else
		config_error(p->x, config_node_pos(n),
			"protocol '%s' is not tcp, udp, icmp, sctp, any "
			"or a number 0..255",
			config_excerpt(n));
	return 0;
}

static int
fn_icmp_type(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (config_get_int(p->x, n, "type", 0, 255, &v))
		r->icmp_type = v;
	return 0;
}

static int
fn_icmp_code(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (config_get_int(p->x, n, "code", 0, 255, &v))
		r->icmp_code = v;
	return 0;
}

static void
rule_init(struct config_parser *p, void *elem)
{
	struct vxg_rule_cfg *r = elem;

	r->ethertype = RTE_ETHER_TYPE_IPV4;
	r->proto = VXG_PROTO_ANY;
	r->port_min = 0;
	r->port_max = UINT16_MAX;
	r->icmp_type = -1;
	r->icmp_code = -1;
	r->remote_kind = VXG_REMOTE_ANY;
	r->remote_index = VXG_NONE;
}

static const struct {
	const char *key;
	enum vxg_remote_kind kind;
} remote_keys[] = {
	{"remote", VXG_REMOTE_CIDR},
	{"remote_group", VXG_REMOTE_GROUP},
	{"remote_port_group", VXG_REMOTE_PORT_GROUP},
	{"address_set", VXG_REMOTE_ADDRESS_SET},
};

static void
rule_check_remote(struct config_parser *p, const struct config_node *n, struct vxg_rule_cfg *r)
{
	const struct config_node *v;
	unsigned i, seen = 0;

	for (i = 0; i < RTE_DIM(remote_keys); i++) {
		v = config_map_get(p->doc, n, remote_keys[i].key);
		if (v == NULL)
			continue;
		if (seen++ > 0) {
			config_error(p->x, config_node_pos(v),
				"give at most one of remote, remote_group, "
				"remote_port_group and address_set");
			return;
		}
		r->remote_kind = remote_keys[i].kind;
	}
}

static bool
proto_has_ports(uint16_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

static void
rule_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	const struct config_node *ports = config_map_get(p->doc, n, "ports"),
				 *type = config_map_get(p->doc, n, "type");
	const struct config_node *code = config_map_get(p->doc, n, "code");
	struct vxg_rule_cfg *r = elem;

	rule_check_remote(p, n, r);
	if (ports != NULL && !proto_has_ports(r->proto))
		config_error(p->x, config_node_pos(ports),
			"ports apply only to protocol tcp, udp or "
			"sctp");
	if (type != NULL && r->proto != IPPROTO_ICMP)
		config_error(p->x, config_node_pos(type), "type applies only to protocol icmp");
	if (code != NULL && r->proto != IPPROTO_ICMP)
		config_error(p->x, config_node_pos(code), "code applies only to protocol icmp");
	else if (code != NULL && type == NULL)
		config_error(p->x, config_node_pos(code), "code needs a type");
}

#define T struct vxg_rule_cfg
static const struct config_field rule_fields[] = {
	{"direction", F_FN, REQ, .fn = fn_direction},
	{"ethertype", F_FN, .fn = fn_ethertype},
	{"protocol", F_FN, .fn = fn_protocol},
	{"ports", F_RANGE, AT(port_min), AT2(port_max), .min = 0, .max = 65535},
	{"type", F_FN, .fn = fn_icmp_type},
	{"code", F_FN, .fn = fn_icmp_code},
	{"remote", F_CIDR, AT(remote), .min = 0, .max = 32, .bare = true},
	{"remote_group", F_REF, AT(remote_index), .arg = &schema_ref_sg},
	{"remote_port_group", F_REF, AT(remote_index), .arg = &schema_ref_port_group},
	{"address_set", F_REF, AT(remote_index), .arg = &schema_ref_address_set},
};
static const struct config_seq rule_seq = SEQ("rule", false, rule_fields, rule_init, rule_check);
#undef T

static void
sg_init(struct config_parser *p, void *elem)
{
	struct vxg_sg_cfg *sg = elem;

	sg->stateful = true;
}

#define T struct vxg_sg_cfg
static const struct config_field sg_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"stateful", F_BOOL, AT(stateful)},
	{"rules", LIST(rules, n_rules, rule_seq)},
};
const struct config_seq schema_sg_seq = SEQ("security_group", true, sg_fields, sg_init, NULL);
#undef T

#define T struct vxg_port_group_cfg
static const struct config_field port_group_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"ports", F_REFS, AT(ports), AT2(n_ports), .arg = &schema_ref_port},
};
const struct config_seq schema_port_group_seq =
	SEQ("port_group", true, port_group_fields, NULL, NULL);
#undef T

static int
fn_addresses(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_address_set_cfg *as = obj;
	unsigned i, len = config_seq_len(n);
	const struct config_node *it;

	if (!config_want_kind(p->x, n, "addresses", CONFIG_NODE_SEQ) || len == 0)
		return 0;
	as->addrs = calloc(len, sizeof(*as->addrs));
	if (as->addrs == NULL)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		it = config_seq_item(p->doc, n, i);
		if (!config_get_cidr(p->x, it, "addresses", 0, 32, true, &as->addrs[as->n_addrs]))
			continue;
		config_mark(p->x, &as->addrs[as->n_addrs], config_node_pos(it));
		as->n_addrs++;
	}
	return 0;
}

#define T struct vxg_address_set_cfg
static const struct config_field address_set_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"addresses", F_FN, .fn = fn_addresses},
};
const struct config_seq schema_address_set_seq =
	SEQ("address_set", true, address_set_fields, NULL, NULL);
#undef T
