/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of the IPv6 side of a VPC: networks' ipv6 blocks (a /64, gateway,
 * DHCPv6 range, RA timers), their overlaps, and ports' IPv6 addresses (inside their
 * network's /64, unique in the VPC), with the EUI-64 addresses of ports in slaac and
 * dhcpv6-stateless networks filled in first.
 */
#ifndef VXG_CONFIG_VALIDATE_NET6_H
#define VXG_CONFIG_VALIDATE_NET6_H

#include "config/errors.h"

/* NULL if ip can be a host of the network's IPv6 subnet, else what it is ("is outside"). */
const char *validate_host6_problem(const struct vxg_net6_cfg *c, const struct vxg_ip6 *ip);

/* One network's ipv6 block, if it has one. */
void validate_network6(struct config_ctx *x, const struct vxg_network_cfg *net);
/* The IPv6 subnets of a VPC do not overlap. */
void validate_overlaps6(struct config_ctx *x, const struct vxg_vpc_cfg *v);
/* Ports with no ip6 in a slaac or dhcpv6-stateless network get their EUI-64 address. */
void validate_ports6_auto(struct vxg_vpc_cfg *v);
/* A port's IPv6 addresses against its network. */
void validate_port6(
	struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port);
/* No IPv6 address is given to two ports (or twice to one) in the VPC. */
void validate_port_ip6s(struct config_ctx *x, const struct vxg_vpc_cfg *v);

#endif
