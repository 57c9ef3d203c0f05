/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 half of the security group compiler (sg_config.c): rules of `ethertype: ipv6`
 * into rte_acl contexts of their own, keyed by struct vxg_sg6_key, beside the IPv4 ones.
 * Remote groups and port groups stand for their ports' IPv6 addresses and IPv6 address
 * pairs, address sets for their IPv6 prefixes.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_SG_ACL6_H
#define VXG_SG_ACL6_H

#include <stddef.h>
#include <stdint.h>

#include <rte_acl.h>

#include "config/model.h"
#include "vxg_sg.h"

enum { F6_PROTO, F6_PORT, F6_R0, F6_R1, F6_R2, F6_R3, F6_UNUSED, F6_L4, N6_FIELDS };

RTE_ACL_RULE_DEF(sg6_acl_rule, N6_FIELDS);

/* Rules being gathered, per direction. */
struct sg6_build {
	struct sg6_acl_rule *rules[2];
	uint32_t n[2], cap[2];
};

/* Is r an IPv6 rule? */
static inline bool
vxg_rule_is6(const struct vxg_rule_cfg *r)
{
	return r->ethertype == RTE_ETHER_TYPE_IPV6;
}

/* Config rule r (NULL: allow everything, in direction dir) of port `port`, whose match
 * gives userdata: one ACL rule per IPv6 remote it stands for. 0 or -ENOMEM. */
int vxg_sg6_push_rule(struct sg6_build *b, const struct vxg_vpc_cfg *v,
	const struct vxg_rule_cfg *r, enum vxg_dir dir, uint32_t port, uint32_t userdata);

/* Build out->acl6[dir] from what was pushed (none: it stays NULL). 0 or -errno, the reason
 * in err. */
int vxg_sg6_build_ctx(struct sg6_build *b, struct vxg_sg_vpc *out, enum vxg_dir dir,
	const char *vpc, char *err, size_t errlen);

void vxg_sg6_build_free(struct sg6_build *b);

#endif
