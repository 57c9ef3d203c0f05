/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of an interface (schema_interfaces.h). Checks against other interfaces and the
 * VTEP are in validate_interfaces.c.
 */
#include <rte_ether.h>

#include "config/fields.h"
#include "config/schema_interfaces.h"
#include "config/values.h"

static int
fn_role(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_if_cfg *ic = obj;
	unsigned v;

	if (config_get_enum(p->x, n, "role", config_role_names, CONFIG_ROLES, &v)) {
		ic->role = v;
		config_mark(p->x, &ic->role, config_node_pos(n));
	}
	return 0;
}

#define T struct vxg_neigh_cfg
static const struct config_field neigh_fields[] = {
	{"ip", F_IP, REQ, AT(ip)},
	{"mac", F_MAC, REQ, AT(mac)},
};
static const struct config_seq neigh_seq = SEQ("neighbour", false, neigh_fields, NULL, NULL);
#undef T

static void
if_init(struct config_parser *p, void *elem)
{
	struct vxg_if_cfg *ic = elem;

	ic->mtu = 1500;
}

static void
if_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	struct vxg_if_cfg *ic = elem;

	ic->mac_set = !rte_is_zero_ether_addr(&ic->mac);
}

#define T struct vxg_if_cfg
static const struct config_field if_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"device", F_STR, REQ, AT(device), SIZE(device)},
	{"role", F_FN, REQ, .fn = fn_role},
	{"address", F_IFADDR, AT(address), AT2(prefixlen)},
	{"gateway", F_IP, AT(gateway)},
	{"address6", F_IFADDR6, AT(address6), AT2(prefixlen6)},
	{"gateway6", F_IP6, AT(gateway6)},
	{"mtu", F_U16, AT(mtu), .min = 68, .max = 9600},
	{"mac", F_MAC, AT(mac)},
	{"neighbours", LIST(neighbours, n_neighbours, neigh_seq)},
};
const struct config_seq schema_interface_seq = SEQ("interface", true, if_fields, if_init, if_check);
#undef T
