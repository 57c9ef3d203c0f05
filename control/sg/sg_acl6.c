/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 security group rules compiled into rte_acl (see sg_acl6.h): the remote prefix
 * is four 32-bit MASK fields, a /len prefix masking each word with what of len falls in it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>

#include "sg/sg_acl6.h"

#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58
#define PROTO_SCTP 132

#define FIELD4(f, in, member)                   \
	[f] = {.type = RTE_ACL_FIELD_TYPE_MASK, \
		.size = 4,                      \
		.field_index = f,               \
		.input_index = in,              \
		.offset = offsetof(struct vxg_sg6_key, member)}

static const struct rte_acl_field_def sg6_defs[N6_FIELDS] = {
	[F6_PROTO] = {.type = RTE_ACL_FIELD_TYPE_BITMASK,
		.size = 1,
		.field_index = F6_PROTO,
		.input_index = 0,
		.offset = offsetof(struct vxg_sg6_key, proto)},
	FIELD4(F6_PORT, 1, port),
	FIELD4(F6_R0, 2, remote[0]),
	FIELD4(F6_R1, 3, remote[1]),
	FIELD4(F6_R2, 4, remote[2]),
	FIELD4(F6_R3, 5, remote[3]),
	[F6_UNUSED] = {.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = 2,
		.field_index = F6_UNUSED,
		.input_index = 6,
		.offset = offsetof(struct vxg_sg6_key, unused)},
	[F6_L4] = {.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = 2,
		.field_index = F6_L4,
		.input_index = 6,
		.offset = offsetof(struct vxg_sg6_key, l4)},
};

static int
push(struct sg6_build *b, enum vxg_dir dir, const struct sg6_acl_rule *r)
{
	if (b->n[dir] == b->cap[dir]) {
		uint32_t cap = b->cap[dir] ? 2 * b->cap[dir] : 64;
		struct sg6_acl_rule *nr = realloc(b->rules[dir], cap * sizeof(*nr));

		if (nr == NULL)
			return -ENOMEM;
		b->rules[dir] = nr;
		b->cap[dir] = cap;
	}
	b->rules[dir][b->n[dir]++] = *r;
	return 0;
}

/* The remote fields for prefix c (rte_acl takes host-order values). */
static void
set_remote(struct sg6_acl_rule *a, const struct vxg_cidr6 *c)
{
	for (unsigned w = 0; w < 4; w++) {
		uint32_t word;
		int len = (int)c->len - 32 * (int)w;

		memcpy(&word, &c->addr.a[4 * w], 4);
		len = len < 0 ? 0 : len > 32 ? 32 : len;
		a->field[F6_R0 + w].value.u32 =
			len == 0 ? 0 : rte_be_to_cpu_32(word) & (~0u << (32 - len));
		a->field[F6_R0 + w].mask_range.u32 = (uint32_t)len;
	}
}

/* The L4 range: ports for TCP/UDP/SCTP, type/code for ICMPv6. */
static void
rule_l4(const struct vxg_rule_cfg *r, uint16_t *lo, uint16_t *hi)
{
	*lo = 0;
	*hi = UINT16_MAX;
	if (r == NULL)
		return;
	if (r->proto == PROTO_TCP || r->proto == PROTO_UDP || r->proto == PROTO_SCTP) {
		*lo = r->port_min;
		*hi = r->port_max;
	} else if (r->proto == PROTO_ICMPV6 && r->icmp_type >= 0) {
		*lo = (uint16_t)(r->icmp_type << 8);
		*hi = *lo | 0xff;
		if (r->icmp_code >= 0)
			*lo = *hi = (uint16_t)(*lo | r->icmp_code);
	}
}

static void
rule_fill(struct sg6_acl_rule *a, const struct vxg_rule_cfg *r, uint32_t port, uint32_t userdata)
{
	struct vxg_cidr6 any = {.len = 0};
	uint16_t lo, hi;

	memset(a, 0, sizeof(*a));
	a->data.category_mask = 1;
	a->data.priority = 1;
	a->data.userdata = userdata;
	if (r != NULL && r->proto != VXG_PROTO_ANY) {
		a->field[F6_PROTO].value.u8 = (uint8_t)r->proto;
		a->field[F6_PROTO].mask_range.u8 = 0xff;
	}
	a->field[F6_PORT].value.u32 = port;
	a->field[F6_PORT].mask_range.u32 = 32;
	set_remote(a, r != NULL && r->remote_kind == VXG_REMOTE_CIDR ? &r->remote6 : &any);
	a->field[F6_UNUSED].mask_range.u16 = UINT16_MAX;
	rule_l4(r, &lo, &hi);
	a->field[F6_L4].value.u16 = lo;
	a->field[F6_L4].mask_range.u16 = hi;
}

/* Every IPv6 address a port may use: its ip6s and its IPv6 address pairs. */
static int
push_port(
	struct sg6_build *b, enum vxg_dir dir, struct sg6_acl_rule *a, const struct vxg_port_cfg *p)
{
	int ret = 0;

	for (unsigned i = 0; i < p->n_ip6s && ret == 0; i++) {
		struct vxg_cidr6 c = {.addr = p->ip6s[i], .len = 128};

		set_remote(a, &c);
		ret = push(b, dir, a);
	}
	for (unsigned i = 0; i < p->n_pairs && ret == 0; i++) {
		if (!p->pairs[i].is6)
			continue;
		set_remote(a, &p->pairs[i].ip6);
		ret = push(b, dir, a);
	}
	return ret;
}

static bool
in_sg(const struct vxg_port_cfg *p, unsigned sg)
{
	for (unsigned i = 0; i < p->n_sgs; i++)
		if (p->sgs[i] == sg)
			return true;
	return false;
}

int
vxg_sg6_push_rule(struct sg6_build *b, const struct vxg_vpc_cfg *v, const struct vxg_rule_cfg *r,
	enum vxg_dir dir, uint32_t port, uint32_t userdata)
{
	struct sg6_acl_rule a;
	int ret = 0;

	rule_fill(&a, r, port, userdata);
	switch (r != NULL ? r->remote_kind : VXG_REMOTE_ANY) {
	case VXG_REMOTE_ANY:
	case VXG_REMOTE_CIDR:
		return push(b, dir, &a);
	case VXG_REMOTE_GROUP:
		for (unsigned p = 0; p < v->n_ports && ret == 0; p++)
			if (in_sg(&v->ports[p], r->remote_index))
				ret = push_port(b, dir, &a, &v->ports[p]);
		return ret;
	case VXG_REMOTE_PORT_GROUP: {
		const struct vxg_port_group_cfg *pg = &v->port_groups[r->remote_index];

		for (unsigned i = 0; i < pg->n_ports && ret == 0; i++)
			ret = push_port(b, dir, &a, &v->ports[pg->ports[i]]);
		return ret;
	}
	case VXG_REMOTE_ADDRESS_SET: {
		const struct vxg_address_set_cfg *as = &v->address_sets[r->remote_index];

		for (unsigned i = 0; i < as->n_addrs6 && ret == 0; i++) {
			set_remote(&a, &as->addrs6[i]);
			ret = push(b, dir, &a);
		}
		return ret;
	}
	}
	return -EINVAL;
}

int
vxg_sg6_build_ctx(struct sg6_build *b, struct vxg_sg_vpc *out, enum vxg_dir dir, const char *vpc,
	char *err, size_t errlen)
{
	static unsigned seq;
	struct rte_acl_config cfg = {.num_categories = 1, .num_fields = N6_FIELDS};
	char name[RTE_ACL_NAMESIZE];
	struct rte_acl_param prm = {
		.name = name,
		.socket_id = (int)rte_socket_id(),
		.rule_size = RTE_ACL_RULE_SZ(N6_FIELDS),
		.max_rule_num = b->n[dir],
	};
	struct rte_acl_ctx *ctx;
	int ret;

	if (b->n[dir] == 0)
		return 0;
	snprintf(name, sizeof(name), "vxg_sg6_%u", seq++);
	memcpy(cfg.defs, sg6_defs, sizeof(sg6_defs));
	if ((ctx = rte_acl_create(&prm)) == NULL) {
		ret = -rte_errno;
		goto err;
	}
	out->acl6[dir] = ctx;
	out->n_acl6_rules[dir] = b->n[dir];
	ret = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)b->rules[dir], b->n[dir]);
	if (ret == 0)
		ret = rte_acl_build(ctx, &cfg);
	if (ret == 0)
		return 0;
err:
	snprintf(err, errlen,
		"vpc %s: cannot build the %s IPv6 security group classifier (%u rules): %s", vpc,
		dir == VXG_DIR_INGRESS ? "ingress" : "egress", b->n[dir], rte_strerror(-ret));
	return ret;
}

void
vxg_sg6_build_free(struct sg6_build *b)
{
	free(b->rules[0]);
	free(b->rules[1]);
	b->rules[0] = b->rules[1] = NULL;
}
