/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Router Advertisement service: for every dual-stack network of the config, when
 * its gateway advertises (RFC 4861 6.2.4: a random interval between MinRtrAdvInterval and
 * ra_interval, the first three at most 16 s apart) and whom it answers (6.2.6: a Router
 * Solicitation is answered after a random delay of up to 0.5 s, unicast to its sender, or
 * by the next multicast RA, never sooner than 3 s after the last one). It decides; the
 * feature (ra_feature.c) builds the frames (ra_build.h) and sends them.
 *
 * Thread-safety: control thread only. Times are milliseconds of a monotonic clock.
 */
#ifndef VXG_RA_SERVICE_H
#define VXG_RA_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "config/model.h"
#include "ra/ra_build.h"

/* RFC 4861 10: router and node constants. */
#define RA_MAX_INITIAL_INTERVAL_MS 16000
#define RA_MAX_INITIAL 3
#define RA_MIN_DELAY_BETWEEN_MS 3000
#define RA_MAX_DELAY_MS 500
/* Hosts a network answers by unicast at once (the rest get the multicast answer), and
 * the unicast answers a network sends a second at most (bursts as many). */
#define RA_PENDING_MAX 8
#define RA_UNICAST_RATE 10

/* Why an RS got no answer of its own; each a counter (`show ra`). */
#define RA_DROPS(X)                                                                      \
	X(bad_frame, "shorter than its headers, or not IPv6")                            \
	X(bad_ip, "hop limit not 255, a payload length past the frame, or not ICMPv6")   \
	X(bad_icmp, "not an RS, code not 0, or a bad checksum")                          \
	X(bad_option, "an option of length 0 or past the end; a link-layer one from ::") \
	X(unknown_network, "the VNI is not a dual-stack network")                        \
	X(no_mbuf, "no mbuf, or the network's switch did not take the RA")

enum ra_drop {
#define RA_DROP_ENUM(name, help) RA_DROP_##name,
	RA_DROPS(RA_DROP_ENUM)
#undef RA_DROP_ENUM
		RA_DROP_MAX
};

/* How an RA that is due goes, and what it counts as. */
enum ra_kind {
	RA_PERIODIC, /* multicast, on the timer */
	RA_SOLICITED_MCAST, /* multicast, answering one or more RS */
	RA_SOLICITED_UCAST, /* to one host */
	RA_FINAL, /* multicast, router lifetime 0: the network stops advertising */
	RA_KINDS
};

struct ra_pending {
	struct rte_ether_addr mac;
	struct vxg_ip6 ip;
	uint64_t due_ms;
};

struct ra_net {
	char name[2 * VXG_NAME_MAX]; /* "vpc/network" */
	uint32_t vni;
	struct vxg_ra_params p;
	uint32_t min_ms, max_ms; /* MinRtrAdvInterval, MaxRtrAdvInterval */
	uint64_t next_ms; /* the next multicast RA */
	bool next_solicited; /* it answers an RS */
	uint64_t last_mcast_ms; /* 0: none sent yet */
	unsigned initial_left; /* of the first RAs, sent at most 16 s apart */
	struct ra_pending pend[RA_PENDING_MAX];
	unsigned n_pend;
	uint32_t ucast_tokens;
	uint64_t ucast_ms; /* when the tokens were last refilled */
	uint64_t sent[RA_KINDS];
	uint64_t rs_rx;
};

struct vxg_ra_service {
	struct ra_net *nets; /* in config order */
	unsigned n_nets;
	uint64_t drops[RA_DROP_MAX];
	uint64_t rs_rx; /* every RS the service was handed */
	uint64_t mcast_no_target; /* multicast RAs not sent: the network has no port to reach */
};

/* The service for cfg's dual-stack networks; the first RA of each is due at once. NULL:
 * out of memory. */
struct vxg_ra_service *vxg_ra_create(const struct vxg_config *cfg, uint64_t now_ms);
void vxg_ra_destroy(struct vxg_ra_service *s);

/* The params a network of cfg advertises; false when it is not dual-stack. */
bool vxg_ra_params_of(const struct vxg_network_cfg *net, struct vxg_ra_params *p);

/*
 * The networks of s that cfg takes away or leaves without IPv6: cb is called for each with
 * its VNI and what it advertised, its router lifetime set to 0 (the final RA).
 */
typedef void (*vxg_ra_final_cb)(void *ctx, struct ra_net *n, const struct vxg_ra_params *p);
void vxg_ra_leaving(
	struct vxg_ra_service *s, const struct vxg_config *cfg, vxg_ra_final_cb cb, void *ctx);

/*
 * After a reload: cfg's networks. One that keeps its name, VNI and what it advertises keeps
 * its timers and counters; a changed one keeps its counters and starts again as a new one
 * (the first RA due at once, the next ones faster). 0 or -ENOMEM (s unchanged).
 */
int vxg_ra_update(struct vxg_ra_service *s, const struct vxg_config *cfg, uint64_t now_ms);

/*
 * A Router Solicitation punted from network vni (frame: Ethernet first, untagged):
 * checked (RFC 4861 6.1.1), counted, and its answer scheduled. 0, or the drop counted.
 */
int vxg_ra_solicit(
	struct vxg_ra_service *s, uint32_t vni, const uint8_t *frame, size_t len, uint64_t now_ms);

/* What became of an RA handed to the send callback. */
enum ra_send {
	RA_SEND_OK,
	RA_SEND_NOWHERE, /* multicast into a network with no port to reach: nobody got it */
	RA_SEND_FAILED, /* no mbuf, or the network's switch did not take it */
};

/*
 * The RAs due at now_ms: cb for each, with where it goes (ff02::1 and its MAC for a
 * multicast one). The next ones are scheduled as cb returns. A multicast RA that went
 * nowhere is counted as such, not as sent, and the hosts waiting for a unicast answer
 * still get theirs; one that failed is counted as no_mbuf and not tried again before its
 * next time.
 */
typedef enum ra_send (*vxg_ra_send_cb)(void *ctx, struct ra_net *n, enum ra_kind kind,
	const struct rte_ether_addr *dst_mac, const struct vxg_ip6 *dst);
void vxg_ra_poll(struct vxg_ra_service *s, uint64_t now_ms, vxg_ra_send_cb cb, void *ctx);

/* `show ra` (ra_show.c). */
void vxg_ra_show(const struct vxg_ra_service *s, uint64_t now_ms, FILE *out, bool json);

/* The metrics endpoint's samples (ra_metrics.c): RAs sent by kind and solicitations
 * received per network, into rows (room for max); how many there are (core/feature.h). */
struct vxg_metric;
unsigned vxg_ra_metrics(const struct vxg_ra_service *s, struct vxg_metric *rows, unsigned max);

#endif
