/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's configuration for EVPN, from vxgate's: what bgpd runs (struct evpn_bgp, a copy of
 * the config's vtep.evpn that outlives reloads), the zebra.conf and bgpd.conf files
 * written from it, and the vtysh commands that take a running bgpd from one to another
 * without touching the sessions that stay.
 *
 * The VNIs are not in bgpd.conf: `advertise-all-vni` advertises every VNI zebra sees in
 * the namespace (the shadow devices of the networks with EVPN on), and the route targets
 * FRR derives (AS:VNI) are matched on the VNI alone for routes from another AS, so
 * eBGP peers need no `route-target import` (FRR 8.4 refuses the `*:VNI` form there).
 *
 * Thread-safety: control thread only; the renderers are pure.
 */
#ifndef VXG_EVPN_CONF_H
#define VXG_EVPN_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/model.h"

struct evpn_peer {
	uint32_t address; /* host order */
	uint32_t asn; /* 0: iBGP (remote-as internal) */
};

struct evpn_bgp {
	uint32_t asn, router_id;
	uint16_t keepalive, hold;
	struct evpn_peer *peers;
	unsigned n_peers;
};

/* b from e (peers copied). 0 or -ENOMEM. */
int evpn_bgp_from_cfg(struct evpn_bgp *b, const struct vxg_evpn_cfg *e);
void evpn_bgp_free(struct evpn_bgp *b);
/* dst becomes a copy of src. 0 or -ENOMEM (dst unchanged). */
int evpn_bgp_copy(struct evpn_bgp *dst, const struct evpn_bgp *src);

void evpn_conf_zebra(FILE *f);
void evpn_conf_bgpd(FILE *f, const struct evpn_bgp *b);

/*
 * The vtysh commands (a file for `vtysh -f`) taking a bgpd running `from` to `to`:
 * router ID, timers, peers gone, added or of another AS; peers that stay keep their
 * sessions. 0: written; 1: nothing differs (nothing written); -ESTALE: the AS differs,
 * which only a restart of bgpd changes.
 */
int evpn_conf_delta(FILE *f, const struct evpn_bgp *from, const struct evpn_bgp *to);

/* Write path atomically (a temporary file beside it, then rename) with render(f, arg).
 * 0 or -errno. */
int evpn_conf_write(const char *path, void (*render)(FILE *f, const void *arg), const void *arg);

#endif
