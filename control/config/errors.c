/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Positions and errors (errors.h): messages are kept with their position and sorted into
 * file order at the end, whatever order the checks ran in; marks record where each value
 * was written, sorted once parsing is done so later checks find them by bsearch.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config/errors.h"

void
config_error(struct config_ctx *x, struct vxg_pos pos, const char *fmt, ...)
{
	char msg[512], line[1024];
	struct config_err *e;
	va_list ap;

	if (x->n_errs == CONFIG_ERRORS_MAX) {
		x->n_dropped++;
		return;
	}
	if (x->errs == NULL) {
		x->errs = calloc(CONFIG_ERRORS_MAX, sizeof(*x->errs));
		if (x->errs == NULL) {
			x->nomem = true;
			return;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%u:%u: %s: %s", x->file, pos.line, pos.col,
		x->obj_len ? x->obj : "config", msg);
	e = &x->errs[x->n_errs];
	e->text = strdup(line);
	if (e->text == NULL) {
		x->nomem = true;
		return;
	}
	e->pos = pos;
	e->seq = x->n_errs++;
}

unsigned
config_error_count(const struct config_ctx *x)
{
	return x->n_errs + x->n_dropped;
}

size_t
config_obj_push(struct config_ctx *x, const char *fmt, ...)
{
	size_t mark = x->obj_len, room;
	va_list ap;
	int n;

	if (x->obj_len > 0 && x->obj_len < sizeof(x->obj) - 1)
		x->obj[x->obj_len++] = ' ';
	room = sizeof(x->obj) - x->obj_len;
	va_start(ap, fmt);
	n = vsnprintf(x->obj + x->obj_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		x->obj_len += RTE_MIN((size_t)n, room - 1);
	return mark;
}

void
config_obj_pop(struct config_ctx *x, size_t mark)
{
	x->obj_len = mark;
	x->obj[mark] = '\0';
}

void
config_mark(struct config_ctx *x, const void *field, struct vxg_pos pos)
{
	struct config_mark *m;
	size_t cap;

	if (x->n_marks == x->cap_marks) {
		cap = x->cap_marks ? 2 * x->cap_marks : 256;
		m = realloc(x->marks, cap * sizeof(*m));
		if (m == NULL) {
			x->nomem = true;
			return;
		}
		x->marks = m;
		x->cap_marks = cap;
	}
	x->marks[x->n_marks].field = field;
	x->marks[x->n_marks].pos = pos;
	x->n_marks++;
}

static int
mark_cmp(const void *a, const void *b)
{
	uintptr_t fa = (uintptr_t)((const struct config_mark *)a)->field;
	uintptr_t fb = (uintptr_t)((const struct config_mark *)b)->field;

	return (fa > fb) - (fa < fb);
}

void
config_marks_sort(struct config_ctx *x)
{
	if (x->n_marks > 1)
		qsort(x->marks, x->n_marks, sizeof(*x->marks), mark_cmp);
	x->marks_sorted = true;
}

struct vxg_pos
config_pos(const struct config_ctx *x, const void *field, struct vxg_pos fallback)
{
	struct config_mark key = {.field = field};
	const struct config_mark *m;
	size_t i;

	if (x->marks_sorted) {
		m = bsearch(&key, x->marks, x->n_marks, sizeof(*m), mark_cmp);
		return m != NULL ? m->pos : fallback;
	}
	for (i = x->n_marks; i-- > 0;)
		if (x->marks[i].field == field)
			return x->marks[i].pos;
	return fallback;
}

static int
err_cmp(const void *a, const void *b)
{
	const struct config_err *ea = a, *eb = b;

	if (ea->pos.line != eb->pos.line)
		return ea->pos.line < eb->pos.line ? -1 : 1;
	if (ea->pos.col != eb->pos.col)
		return ea->pos.col < eb->pos.col ? -1 : 1;
	return ea->seq < eb->seq ? -1 : ea->seq > eb->seq;
}

static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += n;
}

void
config_report(struct config_ctx *x, int ret, char *err, size_t errlen)
{
	size_t used = 0;
	unsigned i;

	if (err == NULL || errlen == 0)
		return;
	err[0] = '\0';
	if (x->n_errs > 1)
		qsort(x->errs, x->n_errs, sizeof(*x->errs), err_cmp);
	for (i = 0; i < x->n_errs; i++)
		append(err, errlen, &used, "%s%s", i ? "\n" : "", x->errs[i].text);
	if (x->n_dropped)
		append(err, errlen, &used, "\n%s: %u more errors not shown", x->file, x->n_dropped);
	if (ret == -ENOMEM)
		append(err, errlen, &used, "%s%s: out of memory", used ? "\n" : "", x->file);
}

void
config_ctx_fini(struct config_ctx *x)
{
	unsigned i;

	for (i = 0; i < x->n_errs; i++)
		free(x->errs[i].text);
	free(x->errs);
	free(x->marks);
}
