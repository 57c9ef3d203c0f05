/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Duplicates (validate_dup.h): entries sorted by key, then by owner, so the first of a run
 * is the one defined first and every later one is reported against it.
 */
#include <stdlib.h>
#include <string.h>

#include "config/validate_dup.h"

static int
dup_cmp(const void *pa, const void *pb)
{
	const struct validate_dup *a = pa, *b = pb;
	int r;

	if (a->name != NULL) {
		r = strcmp(a->name, b->name);
		if (r != 0)
			return r;
	} else if (a->key6 != NULL && (r = memcmp(a->key6, b->key6, sizeof(*a->key6))) != 0) {
		return r;
	} else if (a->key != b->key) {
		return a->key < b->key ? -1 : 1;
	}
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->c > b->c) - (a->c < b->c);
}

static bool
dup_same(const struct validate_dup *a, const struct validate_dup *b)
{
	if (a->name != NULL)
		return !strcmp(a->name, b->name);
	if (a->key6 != NULL && memcmp(a->key6, b->key6, sizeof(*a->key6)) != 0)
		return false;
	return a->key == b->key;
}

struct validate_dup *
validate_dup_alloc(struct config_ctx *x, size_t n)
{
	struct validate_dup *d = calloc(n ? n : 1, sizeof(*d));

	if (d == NULL)
		x->nomem = true;
	return d;
}

void
validate_find_dups(struct config_ctx *x, struct validate_dup *d, size_t n, validate_dup_fn report,
	const void *arg)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dup_cmp);
	for (i = 1; i < n; i++) {
		if (!dup_same(&d[first], &d[i]))
			first = i;
		else
			report(x, &d[first], &d[i], arg);
	}
	free(d);
}

struct vxg_pos
validate_dup_pos(const struct config_ctx *x, const struct validate_dup *d)
{
	return config_pos(x, d->field, d->pos);
}

static void
report_name(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	size_t mark = config_obj_push(x, "%s %s", (const char *)arg, again->name);

	config_error(x, validate_dup_pos(x, again), "duplicate name (first defined at line %u)",
		validate_dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

void
validate_names(struct config_ctx *x, const void *base, unsigned n, size_t stride, size_t pos_off,
	const char *label)
{
	struct validate_dup *d = validate_dup_alloc(x, n);
	const char *e;
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < n; i++) {
		e = (const char *)base + (size_t)i * stride;
		d[i].name = e;
		d[i].b = i;
		d[i].field = e;
		memcpy(&d[i].pos, e + pos_off, sizeof(d[i].pos));
	}
	validate_find_dups(x, d, n, report_name, label);
}
