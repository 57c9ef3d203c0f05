/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Positions and errors: the context one load carries through every layer of the config
 * code. It collects messages ("FILE:LINE:COL: OBJECT: what is wrong"), names the object
 * they are about ("vpc blue network web"), and remembers where each value was written
 * (marks), so a check that runs after parsing can still point at the file.
 *
 * Thread-safety: a config_ctx lives on the stack of one vxg_config_load call.
 */
#ifndef VXG_CONFIG_ERRORS_H
#define VXG_CONFIG_ERRORS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"

/* Past this many, errors are counted but not shown: a wrong indent can cause hundreds. */
#define CONFIG_ERRORS_MAX 50

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

/*
 * Writes the errors to err in file order, one a line, no trailing newline, then the count
 * of those not shown and, if ret is -ENOMEM, that memory ran out. Truncated to errlen.
 */
void config_report(struct config_ctx *x, int ret, char *err, size_t errlen);
/* Frees what the context holds (not x->c). */
void config_ctx_fini(struct config_ctx *x);

#endif
