/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lists of names (names.h): lookups, by a sorted index for long lists, and suggestions by
 * edit distance for names that are close to one in the list.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config/model.h"
#include "config/names.h"

#define NAME_INDEX_MIN 32 /* below this, a linear scan is as fast */

struct suggestion {
	char s[64];
};

const char *
config_names_at(const struct config_names *l, unsigned i)
{
	const char *e = l->base + (size_t)i * l->stride;
	const char *s;

	if (!l->indirect)
		return e;
	memcpy(&s, e, sizeof(s));
	return s;
}

static int
order_cmp(const void *a, const void *b, void *arg)
{
	const struct config_name_index *ix = arg;

	return strcmp(ix->base + *(const unsigned *)a * ix->stride,
		ix->base + *(const unsigned *)b * ix->stride);
}

void
config_names_index_free(struct config_name_indexes *ix)
{
	unsigned i;

	for (i = 0; i < CONFIG_NAME_INDEXES; i++)
		free(ix->idx[i].order);
	memset(ix->idx, 0, sizeof(ix->idx));
}

/* The index of l, built on first use. NULL: no slot or no memory, scan instead. */
static const struct config_name_index *
index_get(struct config_name_indexes *set, const struct config_names *l)
{
	struct config_name_index *ix;
	unsigned i;

	for (i = 0; i < CONFIG_NAME_INDEXES && set->idx[i].base != NULL; i++)
		if (set->idx[i].base == l->base && set->idx[i].n == l->n)
			return &set->idx[i];
	if (i == CONFIG_NAME_INDEXES)
		return NULL;
	ix = &set->idx[i];
	ix->order = malloc(l->n * sizeof(*ix->order));
	if (ix->order == NULL)
		return NULL;
	ix->base = l->base;
	ix->n = l->n;
	ix->stride = l->stride;
	for (i = 0; i < l->n; i++)
		ix->order[i] = i;
	qsort_r(ix->order, l->n, sizeof(*ix->order), order_cmp, ix);
	return ix;
}

static unsigned
index_find(const struct config_name_index *ix, const char *name)
{
	unsigned lo = 0, hi = ix->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(name, ix->base + (size_t)ix->order[mid] * ix->stride);
		if (r == 0)
			return ix->order[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return VXG_NONE;
}

unsigned
config_names_find(struct config_name_indexes *ix, const struct config_names *l, const char *name)
{
	const struct config_name_index *sorted = l->n >= NAME_INDEX_MIN ? index_get(ix, l) : NULL;
	unsigned i;

	if (sorted != NULL)
		return index_find(sorted, name);
	for (i = 0; i < l->n; i++)
		if (!strcmp(config_names_at(l, i), name))
			return i;
	return VXG_NONE;
}

static unsigned
min3(unsigned a, unsigned b, unsigned c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

static unsigned
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned row[64], prev, tmp;

	if (la >= RTE_DIM(row) || lb >= RTE_DIM(row))
		return UINT_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

/* "; did you mean 'mtu'?" when one name is close, else "". */
static struct suggestion
suggest_one(const struct config_names *l, const char *name)
{
	unsigned i, d, best = UINT_MAX, at = 0;
	struct suggestion s = {""};

	for (i = 0; i < l->n; i++) {
		d = edit_distance(name, config_names_at(l, i));
		if (d < best) {
			best = d;
			at = i;
		}
	}
	if (best <= 2 && best < strlen(name))
		snprintf(s.s, sizeof(s.s), "; did you mean '%.31s'?", config_names_at(l, at));
	return s;
}

void
config_names_suggest(const struct config_names *l, const char *name, char *buf, size_t len)
{
	unsigned i, listed = 0;
	size_t used;

	snprintf(buf, len, "%s", suggest_one(l, name).s);
	if (buf[0] != '\0')
		return;
	used = snprintf(buf, len, "; expected one of:");
	for (i = 0; i < l->n && used < len; i++)
		if (config_names_at(l, i)[0] != '\0')
			used += snprintf(buf + used, len - used, "%s %s", listed++ ? "," : "",
				config_names_at(l, i));
	if (listed == 0)
		buf[0] = '\0';
}
