/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lists of names: finding a name in a list of objects (by a sorted index once the list is
 * long), and "did you mean" suggestions when a key or a reference is misspelt. Knows
 * nothing of YAML; the walk (walk.h) and the value readers (values.h) use it.
 *
 * Thread-safety: a config_name_indexes belongs to one load (one thread).
 */
#ifndef VXG_CONFIG_NAMES_H
#define VXG_CONFIG_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* A list of names: an array of char[] (objects), or of structs starting with a char *. */
struct config_names {
	const char *base;
	unsigned n;
	size_t stride;
	bool indirect;
};

/* The names of an array of objects that start with their char name[]. */
#define CONFIG_NAMES(arr, cnt) \
	((struct config_names){(const char *)(arr), (cnt), sizeof(*(arr)), false})

const char *config_names_at(const struct config_names *l, unsigned i);

/*
 * A list of objects sorted by name, for references into big lists: a port group naming
 * 10k ports would otherwise cost 10^8 strcmp.
 */
#define CONFIG_NAME_INDEXES 8 /* lists indexed at once: a VPC has 6, plus interfaces */

struct config_name_index {
	const char *base; /* the list, NULL for a free slot */
	unsigned n;
	size_t stride;
	unsigned *order; /* element indices, sorted by name */
};

/* Indexes built on first use; zero-initialised is empty. */
struct config_name_indexes {
	struct config_name_index idx[CONFIG_NAME_INDEXES];
};

/* Index of name in l, or VXG_NONE; long lists are indexed in ix on the way. */
unsigned config_names_find(
	struct config_name_indexes *ix, const struct config_names *l, const char *name);
/* Drops every index: the lists they point into are about to change (another VPC). */
void config_names_index_free(struct config_name_indexes *ix);

/*
 * "; did you mean 'mtu'?" when one name of l is close to name, else "; expected one of:
 * a, b", into buf (empty when l has no names).
 */
void config_names_suggest(const struct config_names *l, const char *name, char *buf, size_t len);

#endif
