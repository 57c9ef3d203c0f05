/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Uniqueness checks for the validation layer: a list of (key, owner) entries is sorted and
 * each entry whose key the first of its run already has is reported: n log n, so 10k
 * routes or ports stay fast. Also the check that names in one list are unique.
 */
#ifndef VXG_CONFIG_VALIDATE_DUP_H
#define VXG_CONFIG_VALIDATE_DUP_H

#include <stddef.h>
#include <stdint.h>

#include "config/errors.h"

struct validate_dup {
	const char *name; /* compared when set, else key6 (when set) then key */
	const struct vxg_ip6 *key6;
	uint64_t key;
	unsigned a, b, c; /* the owner, for the message: e.g. vpc, port, address index */
	const void *field; /* where the value was written */
	struct vxg_pos pos; /* the owner's position, if the value has no mark */
};

/* Reports again, a repeat of first's key; arg is validate_find_dups' arg. */
typedef void (*validate_dup_fn)(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg);

/* An array of n entries; NULL (and x->nomem) when out of memory. */
struct validate_dup *validate_dup_alloc(struct config_ctx *x, size_t n);
/* Sorts d, then calls report(first, again) for each entry repeating a run's first key. Frees d. */
void validate_find_dups(struct config_ctx *x, struct validate_dup *d, size_t n,
	validate_dup_fn report, const void *arg);
/* Where the entry's value was written, else its owner's position. */
struct vxg_pos validate_dup_pos(const struct config_ctx *x, const struct validate_dup *d);
/* Objects start with their name; pos_off locates their position. label: "network". */
void validate_names(struct config_ctx *x, const void *base, unsigned n, size_t stride,
	size_t pos_off, const char *label);
/* The same for an array of objects that have a name and a pos. */
#define VALIDATE_NAMES(x, arr, n, label) \
	validate_names((x), (arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), pos), (label))

#endif
