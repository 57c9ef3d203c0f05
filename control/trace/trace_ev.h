/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace events described: what trace_format.c and the IPv6 events (trace_ev6.c)
 * share, an event as both forms print it (fields and a sentence) and the names they use.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_TRACE_EV_H
#define VXG_TRACE_EV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "core/daemon.h"
#include "vxg_trace.h"

#define TR_FIELDS 12

/* A short string returned by value. */
struct tr_s {
	char s[96];
};

struct tr_field {
	const char *key;
	enum { TR_STR, TR_NUM, TR_BOOL } type;
	uint64_t u;
	char s[96];
};

/* One event as both forms print it. */
struct tr_ev {
	const char *stage;
	const char *event; /* NULL: the stage says it (rx, tx, punt, drop) */
	unsigned n;
	struct tr_field f[TR_FIELDS];
	char text[320];
};

struct tr_ctx {
	const struct vxg_daemon *d;
	const struct vxg_trace_rec *r;
	bool names; /* the record went through a generation of the live config */
};

/* Fields and the sentence of an event (at most TR_FIELDS fields; more are left out). */
void __rte_format_printf(3, 4) tr_str(struct tr_ev *o, const char *key, const char *fmt, ...);
void tr_num(struct tr_ev *o, const char *key, uint64_t v);
void tr_bool(struct tr_ev *o, const char *key, bool v);
void __rte_format_printf(2, 3) tr_text(struct tr_ev *o, const char *fmt, ...);

/* Names: an interface by DPDK port, "vpc/network" by VNI, a VPC by index, a route kind. */
struct tr_s iface_s(const struct tr_ctx *c, uint16_t port);
struct tr_s net_s(const struct tr_ctx *c, uint32_t vni);
struct tr_s vpc_s(const struct tr_ctx *c, uint16_t vpc);
const char *route_kind(uint8_t code);

#endif
