/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface's tap: a Linux tap (VXG_HOST_TAP_NAME) in a network namespace that
 * looks like the underlay interface to the host (its MAC, the VTEP address with the
 * interface's prefix, its MTU, a default route by its gateway), made and changed over
 * rtnetlink with libmnl. Closing the tap's fd removes the device: nothing outlives
 * vxgate.
 *
 * Thread-safety: control thread only (it enters the namespace for a moment to open the
 * tap and its netlink socket, which stay bound there).
 */
#ifndef VXG_HOST_TAP_H
#define VXG_HOST_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "vxg_defs.h"

#define VXG_HOST_TAP_NAME "vxg-ul"

/* What the tap should look like. Addresses in host order. */
struct vxg_host_tap_cfg {
	char netns[VXG_NAME_MAX];
	struct rte_ether_addr mac;
	uint32_t addr;
	uint8_t prefixlen;
	uint32_t gateway; /* 0: no default route */
	uint16_t mtu;
};

struct mnl_socket;

struct vxg_host_tap {
	int fd; /* the tap, non-blocking; -1: none */
	int ns; /* the namespace it lives in; -1: none */
	struct mnl_socket *nl; /* rtnetlink, bound in that namespace */
	unsigned ifindex; /* in that namespace */
	uint32_t seq; /* of the last netlink request */
	struct vxg_host_tap_cfg cur; /* as applied */
};

/* No tap yet. */
void vxg_host_tap_init(struct vxg_host_tap *t);

/* Make t look like c: made in c->netns (created if missing) when there is no tap or it
 * lives in another namespace, else changed where c differs from what was applied. 0, or
 * -errno with the step that failed in err; t is then closed. */
int vxg_host_tap_apply(
	struct vxg_host_tap *t, const struct vxg_host_tap_cfg *c, char *err, size_t errlen);

/* Close the tap (the kernel removes it with its addresses and routes); idempotent. */
void vxg_host_tap_close(struct vxg_host_tap *t);

static inline bool
vxg_host_tap_exists(const struct vxg_host_tap *t)
{
	return t->fd >= 0;
}

#endif
