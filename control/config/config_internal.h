/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the YAML walk (config.c) and the cross-object checks (config_validate.c).
 * Nothing outside control/config*.c includes this.
 *
 * Thread-safety: a config_ctx lives on the stack of one vxg_config_load call.
 */
#ifndef VXG_CONFIG_INTERNAL_H
#define VXG_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vxg_config.h"

/* Past this many, errors are counted but not shown: a wrong indent can cause hundreds. */
#define CONFIG_ERRORS_MAX 50

/* Bytes VXLAN adds on the underlay: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
#define CONFIG_VXLAN_OVERHEAD 50

struct config_err {
	struct vxg_pos pos;
	unsigned seq; /* order of discovery, to keep the sort stable */
	char *text;
};

/* Where a field's value was written in the file, looked up when a later check fails. */
struct config_mark {
	const void *field;
	struct vxg_pos pos;
};

struct config_ctx {
	const char *file; /* the name used in messages */
	struct vxg_config *c;
	struct config_err *errs;
	unsigned n_errs;
	unsigned n_dropped; /* errors past CONFIG_ERRORS_MAX */
	struct config_mark *marks;
	size_t n_marks, cap_marks;
	bool marks_sorted; /* by field address, once parsing is done: lookups bsearch */
	char obj[256]; /* "vpc blue network web": the object messages are about */
	size_t obj_len;
	bool nomem;
};

void config_error(struct config_ctx *x, struct vxg_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned config_error_count(const struct config_ctx *x);

/* Append " label" to the current object; returns what config_obj_pop restores. */
size_t config_obj_push(struct config_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void config_obj_pop(struct config_ctx *x, size_t mark);

void config_mark(struct config_ctx *x, const void *field, struct vxg_pos pos);
/* Called when no more marks come: later lookups are O(log n), not O(n). */
void config_marks_sort(struct config_ctx *x);
/* Position of the value stored at field, or fallback if it came from a default. */
struct vxg_pos config_pos(const struct config_ctx *x, const void *field, struct vxg_pos fallback);

/* Cross-object checks and defaults; runs only once every value parsed. 0 or -ENOMEM. */
int config_validate(struct config_ctx *x);

/* Text forms for messages; the struct lives until the end of the full expression. */
struct config_str {
	char s[64];
};
struct config_str config_ip_str(uint32_t ip);
struct config_str config_cidr_str(struct vxg_cidr c);
struct config_str config_mac_str(const struct rte_ether_addr *m);

static inline uint32_t
config_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

static inline bool
config_cidr_has(struct vxg_cidr c, uint32_t ip)
{
	return (ip & config_mask(c.len)) == c.addr;
}

static inline uint32_t
config_cidr_last(struct vxg_cidr c)
{
	return c.addr | ~config_mask(c.len);
}

#endif
