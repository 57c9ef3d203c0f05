/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BGP EVPN (RFC 7432, RFC 8365) with FRR as the BGP speaker: the feature's state and what
 * `show evpn` and the metrics read of it. With vtep.evpn in the config, vxgate keeps a
 * network namespace of its own (vtep.evpn.namespace, made if need be, its lo up; the VTEP
 * address on lo when BGP is not in-band), writes FRR's files under <state dir>/frr and,
 * with frr: managed, runs zebra and bgpd in the namespace (evpn_frr.h) and asks bgpd for
 * its sessions (evpn_query.h). A reload follows the config: EVPN removed or turned off
 * takes down what vxgate made; a new namespace or FRR mode starts over.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_FEATURE_H
#define VXG_EVPN_FEATURE_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model.h"
#include "evpn/evpn_frr.h"
#include "evpn/evpn_query.h"

struct vxg_evpn_sync;

struct vxg_evpn_state {
	bool on; /* EVPN runs: the config has vtep.evpn */
	char netns[VXG_NAME_MAX];
	int ns; /* the namespace's fd, -1 none */
	bool created; /* vxgate made the namespace: it removes it at the end */
	uint32_t lo_addr; /* the VTEP address vxgate put on lo (inband false), 0 none */
	enum vxg_frr_mode mode;
	bool inband;
	struct evpn_frr frr;
	struct evpn_query query;
	pid_t bgpd_seen; /* the bgpd the query's cache is of */
	struct vxg_evpn_sync *sync; /* the shadow of the networks (evpn_sync.h), NULL none */
};

/* The feature's state, for `show evpn`. */
const struct vxg_evpn_state *vxg_evpn(void);

#endif
