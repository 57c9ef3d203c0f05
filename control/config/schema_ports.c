/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a port (schema_ports.h). Its addresses against its network, its location
 * against the interfaces and the VTEP, and uniqueness are checked in validate_ports.c
 * and validate_global.c.
 */
#include <rte_ether.h>

#include "config/fields.h"
#include "config/schema_ports.h"
#include "config/schema_refs.h"
#include "config/values.h"

static int
fn_port_ip(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_port_cfg *port = obj;

	if (config_get_ip(p->x, n, "ip", &port->ips[0])) {
		port->n_ips = 1;
		config_mark(p->x, &port->ips[0], config_node_pos(n));
	}
	return 0;
}

static int
fn_port_ips(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_port_cfg *port = obj;
	uint32_t *ips = port->ips;

	port->n_ips = 0;
	return config_get_ip_list(p->x, p->doc, n, "ips", VXG_PORT_IPS_MAX, &ips, &port->n_ips);
}

static int
fn_port_ip6(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_port_cfg *port = obj;

	if (config_get_ip6(p->x, n, "ip6", &port->ip6s[0])) {
		port->n_ip6s = 1;
		config_mark(p->x, &port->ip6s[0], config_node_pos(n));
	}
	return 0;
}

static int
fn_port_ip6s(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_port_cfg *port = obj;

	port->n_ip6s = 0;
	return config_get_ip6_list(
		p->x, p->doc, n, "ip6s", VXG_PORT_IPS_MAX, port->ip6s, &port->n_ip6s);
}

#define T struct vxg_port_cfg
static const struct config_field location_fields[] = {
	{"vtep", F_IP, AT(vtep)},
	{"interface", F_REF, AT(interface), .arg = &schema_ref_interface},
	{"vlan", F_U16, AT(vlan), .min = 1, .max = 4094},
};
#undef T

static int
fn_location(struct config_parser *p, const struct config_node *n, void *obj)
{
	const struct config_node *vtep = config_map_get(p->doc, n, "vtep"),
				 *ifc = config_map_get(p->doc, n, "interface");
	const struct config_node *vlan = config_map_get(p->doc, n, "vlan");
	struct vxg_port_cfg *port = obj;
	int ret;

	ret = config_parse_mapping(p, n, location_fields, RTE_DIM(location_fields), port);
	if (ret < 0 || (config_node_kind(n) != CONFIG_NODE_MAP && !config_is_null(n)))
		return ret;
	if ((vtep == NULL) == (ifc == NULL))
		config_error(p->x, config_node_pos(n),
			"location: give exactly one of vtep (a remote "
			"hypervisor) or interface (an access interface)");
	else if (vlan != NULL && ifc == NULL)
		config_error(
			p->x, config_node_pos(vlan), "location: vlan applies only to an interface");
	port->loc = ifc != NULL ? VXG_LOC_INTERFACE : VXG_LOC_VTEP;
	config_mark(p->x, &port->loc, config_node_pos(n));
	return 0;
}

/* An IPv4 or an IPv6 prefix (or a bare address: a /32 or a /128). */
static int
fn_pair_ip(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_addr_pair_cfg *ap = obj;

	if (config_node_kind(n) == CONFIG_NODE_SCALAR && config_text_is6(config_scalar(n))) {
		ap->is6 = true;
		if (config_get_cidr6(p->x, n, "ip", 0, 128, true, &ap->ip6))
			config_mark(p->x, &ap->ip6, config_node_pos(n));
	} else if (config_get_cidr(p->x, n, "ip", 0, 32, true, &ap->ip)) {
		config_mark(p->x, &ap->ip, config_node_pos(n));
	}
	return 0;
}

static void
pair_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	struct vxg_addr_pair_cfg *ap = elem;

	ap->mac_set = !rte_is_zero_ether_addr(&ap->mac);
}

#define T struct vxg_addr_pair_cfg
static const struct config_field pair_fields[] = {
	{"ip", F_FN, REQ, .fn = fn_pair_ip},
	{"mac", F_MAC, AT(mac)},
};
static const struct config_seq pair_seq =
	SEQ("allowed_address_pair", false, pair_fields, NULL, pair_check);
#undef T

static void
port_init(struct config_parser *p, void *elem)
{
	struct vxg_port_cfg *port = elem;

	port->network = VXG_NONE;
	port->interface = VXG_NONE;
	port->port_security = true;
	port->qos = VXG_NONE;
	port->loc = VXG_LOC_EVPN; /* until a location says otherwise (validate_ports.c) */
}

static void
port_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	const struct config_node *ip = config_map_get(p->doc, n, "ip"),
				 *ips = config_map_get(p->doc, n, "ips");

	const struct config_node *ip6 = config_map_get(p->doc, n, "ip6"),
				 *ip6s = config_map_get(p->doc, n, "ip6s");

	if (ip != NULL && ips != NULL)
		config_error(p->x, config_node_pos(ips), "give either ip or ips, not both");
	if (ip6 != NULL && ip6s != NULL)
		config_error(p->x, config_node_pos(ip6s), "give either ip6 or ip6s, not both");
}

#define T struct vxg_port_cfg
static const struct config_field port_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"network", F_REF, REQ, AT(network), .arg = &schema_ref_network},
	{"mac", F_MAC, REQ, AT(mac)},
	{"ip", F_FN, .fn = fn_port_ip},
	{"ips", F_FN, .fn = fn_port_ips},
	{"ip6", F_FN, .fn = fn_port_ip6},
	{"ip6s", F_FN, .fn = fn_port_ip6s},
	{"location", F_FN, .fn = fn_location},
	{"security_groups", F_REFS, AT(sgs), AT2(n_sgs), .arg = &schema_ref_sg},
	{"allowed_address_pairs", LIST(pairs, n_pairs, pair_seq)},
	{"port_security", F_BOOL, AT(port_security)},
	{"qos", F_REF, AT(qos), .arg = &schema_ref_qos},
};
const struct config_seq schema_port_seq = SEQ("port", true, port_fields, port_init, port_check);
#undef T
