/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security's IPv6 table in a generation: for each port with port security, the IPv6
 * prefixes it may send from and the MAC each must come with (vxg_gen_lport.addrs6), as
 * the IPv4 ones (vxg_gen_lport.addrs) but with the link-local addresses of its MACs.
 *
 * Thread-safety: control thread only, while it builds a generation; what it fills is
 * immutable once the generation is published.
 */
#ifndef VXG_PSEC6_CONFIG_H
#define VXG_PSEC6_CONFIG_H

#include "config/model.h"
#include "vxg_sg.h"

/* The most entries vxg_psec6_fill writes for port pc (0 without port security). */
unsigned vxg_psec6_count(const struct vxg_port_cfg *pc);

/* Fill lp's IPv6 table at a (room for vxg_psec6_count(pc) entries) and its
 * VXG_LP_IP6_ANY flag; net is the port's network. Returns the entries written. */
uint16_t vxg_psec6_fill(struct vxg_gen_lport *lp, struct vxg_lport_addr6 *a,
	const struct vxg_port_cfg *pc, const struct vxg_network_cfg *net);

#endif
