/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A generation: everything the workers read that comes from the config, compiled into
 * the shapes the hot path wants (indexed by DPDK port id, addresses in network order).
 *
 * Thread-safety: built by the control thread off to the side (vxg_gen_alloc), then
 * immutable. Published to every worker over its control ring (VXG_MSG_GEN); each worker
 * swaps its private pointer at the top of a loop pass, before touching a packet, and
 * acknowledges by storing the id in vxg_worker.gen_applied. The previous generation goes
 * on an rte_rcu_qsbr defer queue and is freed once every worker has reported a quiescent
 * state after the swap (workers report once per loop pass).
 *
 * Dynamic tables (FDB, neighbours, sessions) are not part of a generation: they live
 * across reloads in the control features and generations only point at them.
 */
#ifndef VXG_GEN_H
#define VXG_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ether.h>

#include "vxg_defs.h"
#include "vxg_host.h"
#include "vxg_l3.h"
#include "vxg_nat.h"
#include "vxg_vxlan.h"

#define VXG_IF_MAX 32
#define VXG_IF_NONE 0xff

struct vxg_gen_if {
	uint16_t port_id;
	uint8_t role; /* enum vxg_if_role */
	uint8_t index;
	struct rte_ether_addr mac;
	rte_be32_t addr; /* 0: no address */
	uint16_t mtu;
	struct vxg_gen_if6 ip6; /* external: its IPv6 address, and what comes in to it */
	/* access: 4096 entries, VLAN (0 untagged) -> index in vx.nets or VXG_VLAN_NONE */
	uint16_t *vlan_net;
	/* access: 4096 entries, non-zero where a port with port security lives: a frame
	 * from a MAC that is no port's is a spoof there. NULL: no such VLAN. */
	uint8_t *vlan_secured;
};

struct vxg_gen {
	uint64_t id;
	uint64_t build_us; /* control: how long building it took (`show config`) */
	uint16_t n_ifs;
	struct vxg_gen_if ifs[VXG_IF_MAX];
	uint8_t if_of_port[RTE_MAX_ETHPORTS]; /* port id -> ifs[] index, VXG_IF_NONE */
	rte_be32_t vtep_addr; /* 0: no VTEP */
	rte_be16_t vtep_port;
	struct vxg_gen_vxlan vx;
	uint16_t n_vpcs;
	struct vxg_gen_vpc *vpcs; /* in config order; vxg_gen_net.vpc_idx indexes it */
	struct vxg_l3_neigh_table *l3n; /* the daemon's; outlives every generation */
	struct vxg_l3_neigh6_table *l3n6; /* the same for IPv6 next hops */
	/* Declared ports by slot (vxg_sg.h). psec_on: some port has port security; sg_on:
	 * some port has security groups. */
	bool psec_on, sg_on;
	uint32_t n_lports;
	struct vxg_gen_lport *lports;
	struct vxg_lport_addr *lp_addrs; /* what lports[].addrs point into */
	struct vxg_lport_addr6 *lp_addrs6; /* what lports[].addrs6 point into */
	uint32_t n_lp_addrs, n_lp_addrs6; /* entries in use, for show memory */
	/* Floating IPs and SNAT addresses of every VPC (vxg_nat.h); nat_on: some VPC has a
	 * nat section. */
	bool nat_on;
	struct vxg_gen_nat_map nat;
	struct vxg_gen_host host; /* the host interface's tap (vxg_host.h) */
	/* Some port, floating IP or SNAT has a QoS policy (vxg_qos.h): the one test traffic
	 * pays when none has. */
	bool qos_on;
};

#endif
