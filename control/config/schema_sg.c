/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of security groups, port groups and address sets (schema_sg.h). References are
 * resolved by the walk, whatever their order in the file; a rule's keys are checked
 * against each other (one remote, ports only for tcp/udp/sctp, the family of the
 * ethertype, the remote and the protocol) once they all parsed. A rule is IPv4 unless its
 * ethertype says ipv6, or (without ethertype) its remote is an IPv6 prefix or its protocol
 * icmpv6. Address sets may mix IPv4 and IPv6 prefixes.
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
	struct vxg_rule_cfg *r = obj;

	if (!config_want_scalar(p->x, n, "ethertype", "ipv4 or ipv6"))
		return 0;
	if (!strcasecmp(config_scalar(n), "IPv6"))
		r->ethertype = RTE_ETHER_TYPE_IPV6;
	else if (!strcasecmp(config_scalar(n), "IPv4"))
		r->ethertype = RTE_ETHER_TYPE_IPV4;
	else
		config_error(p->x, config_node_pos(n), "ethertype '%s' is not ipv4 or ipv6",
			config_excerpt(n));
	return 0;
}

/* An IPv4 or IPv6 prefix, or a bare address. */
static int
fn_remote(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;

	if (config_node_kind(n) == CONFIG_NODE_SCALAR && config_text_is6(config_scalar(n))) {
		if (config_get_cidr6(p->x, n, "remote", 0, 128, true, &r->remote6))
			config_mark(p->x, &r->remote6, config_node_pos(n));
	} else if (config_get_cidr(p->x, n, "remote", 0, 32, true, &r->remote)) {
		config_mark(p->x, &r->remote, config_node_pos(n));
	}
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
			"protocol '%s' is not tcp, udp, icmp, icmpv6, sctp, "
			"any or a number 0..255",
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

static const char *
family_name(uint16_t ethertype)
{
	return ethertype == RTE_ETHER_TYPE_IPV6 ? "ipv6" : "ipv4";
}

/*
 * The rule's family: its ethertype, else what its remote or protocol imply. A remote or a
 * protocol of the other family than the ethertype given is an error at that key.
 */
static void
rule_check_family(struct config_parser *p, const struct config_node *n, struct vxg_rule_cfg *r)
{
	const struct config_node *et = config_map_get(p->doc, n, "ethertype"),
				 *remote = config_map_get(p->doc, n, "remote");
	const struct config_node *proto = config_map_get(p->doc, n, "protocol");
	bool remote6 = remote != NULL && config_node_kind(remote) == CONFIG_NODE_SCALAR &&
		       config_text_is6(config_scalar(remote));
	uint16_t want;

	if (et == NULL && (remote6 || r->proto == CONFIG_PROTO_ICMPV6))
		r->ethertype = RTE_ETHER_TYPE_IPV6;
	if (remote != NULL && remote6 != (r->ethertype == RTE_ETHER_TYPE_IPV6)) {
		want = remote6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4;
		config_error(p->x, config_node_pos(remote),
			"remote %s is an %s prefix but the rule is %s (%s)", config_excerpt(remote),
			family_name(want), family_name(r->ethertype),
			et != NULL ? "its ethertype" : "by its protocol icmpv6");
	}
	if (r->ethertype == RTE_ETHER_TYPE_IPV6 && r->proto == IPPROTO_ICMP)
		config_error(p->x, config_node_pos(proto),
			"protocol icmp is IPv4's; an ipv6 rule takes icmpv6");
	else if (r->ethertype == RTE_ETHER_TYPE_IPV4 && r->proto == CONFIG_PROTO_ICMPV6)
		config_error(p->x, config_node_pos(proto),
			"protocol icmpv6 is IPv6's; an ipv4 rule takes icmp");
}

static bool
proto_is_icmp(uint16_t proto)
{
	return proto == IPPROTO_ICMP || proto == CONFIG_PROTO_ICMPV6;
}

static void
rule_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	const struct config_node *ports = config_map_get(p->doc, n, "ports"),
				 *type = config_map_get(p->doc, n, "type");
	const struct config_node *code = config_map_get(p->doc, n, "code");
	struct vxg_rule_cfg *r = elem;

	rule_check_remote(p, n, r);
	rule_check_family(p, n, r);
	if (ports != NULL && !proto_has_ports(r->proto))
		config_error(p->x, config_node_pos(ports),
			"ports apply only to protocol tcp, udp or "
			"sctp");
	if (type != NULL && !proto_is_icmp(r->proto))
		config_error(p->x, config_node_pos(type),
			"type applies only to protocol icmp or icmpv6");
	if (code != NULL && !proto_is_icmp(r->proto))
		config_error(p->x, config_node_pos(code),
			"code applies only to protocol icmp or icmpv6");
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
	{"remote", F_FN, .fn = fn_remote},
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

static void
address_item(struct config_parser *p, const struct config_node *it, struct vxg_address_set_cfg *as)
{
	if (config_node_kind(it) == CONFIG_NODE_SCALAR && config_text_is6(config_scalar(it))) {
		if (!config_get_cidr6(
			    p->x, it, "addresses", 0, 128, true, &as->addrs6[as->n_addrs6]))
			return;
		config_mark(p->x, &as->addrs6[as->n_addrs6], config_node_pos(it));
		as->n_addrs6++;
		return;
	}
	if (!config_get_cidr(p->x, it, "addresses", 0, 32, true, &as->addrs[as->n_addrs]))
		return;
	config_mark(p->x, &as->addrs[as->n_addrs], config_node_pos(it));
	as->n_addrs++;
}

static int
fn_addresses(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_address_set_cfg *as = obj;
	unsigned i, len = config_seq_len(n);

	if (!config_want_kind(p->x, n, "addresses", CONFIG_NODE_SEQ) || len == 0)
		return 0;
	as->addrs = calloc(len, sizeof(*as->addrs));
	as->addrs6 = calloc(len, sizeof(*as->addrs6));
	if (as->addrs == NULL || as->addrs6 == NULL)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		address_item(p, config_seq_item(p->doc, n, i), as);
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
