/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EVPN's namespace itself: its loopback up, and the VTEP address on it when BGP does not
 * run in-band (zebra needs the address of the VXLAN devices to be a local one; in-band,
 * the tap holds it). Over rtnetlink (libmnl), from a socket opened inside the namespace.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_NS_H
#define VXG_EVPN_NS_H

#include <stdbool.h>
#include <stdint.h>

/* Bring lo of namespace ns up. 0 or -errno. */
int evpn_ns_lo_up(int ns);

/* Add (add) or remove addr/32 (host order) on lo of namespace ns. Adding one already
 * there, or removing one that is not, is 0. 0 or -errno. */
int evpn_ns_lo_addr(int ns, uint32_t addr, bool add);

#endif
