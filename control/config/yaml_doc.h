/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML access: the only code that sees libyaml. It loads a file's text into a document
 * (libyaml's node tree), reports syntax errors with their positions, and lets the layers
 * above walk mappings and sequences and read scalars through opaque node handles, each
 * with the line and column it starts at.
 *
 * Thread-safety: a document belongs to the load that opened it (one thread).
 */
#ifndef VXG_CONFIG_YAML_DOC_H
#define VXG_CONFIG_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "config/errors.h"
#include "config/fields.h"

struct config_doc; /* a loaded document and the parser that may read a second one */
struct config_node; /* a node of the document; valid until config_doc_free */

enum config_node_kind {
	CONFIG_NODE_SCALAR,
	CONFIG_NODE_MAP,
	CONFIG_NODE_SEQ,
	CONFIG_NODE_OTHER,
};

/*
 * Parses the first document of buf. 0 and *doc; or 0 and *doc NULL when the text is not
 * YAML (the error is reported to x); or -ENOMEM. buf must outlive the document.
 */
int config_doc_load(struct config_ctx *x, const char *buf, size_t len, struct config_doc **doc);
/* The top node, or NULL for a file with nothing but comments. */
const struct config_node *config_doc_root(const struct config_doc *doc);
/* Reports a second document ("---" and more), which would otherwise be silently ignored. */
int config_doc_check_end(struct config_ctx *x, struct config_doc *doc);
void config_doc_free(struct config_doc *doc);

enum config_node_kind config_node_kind(const struct config_node *n);
struct vxg_pos config_node_pos(const struct config_node *n);
/* The text of a scalar node. */
const char *config_scalar(const struct config_node *n);
/* The same for an error message: at most VXG_EXCERPT_MAX characters of it, then "...",
 * control characters as '?'. An error quotes no more of a line than this, whatever file
 * it was asked to read. Valid until four more calls. */
#define VXG_EXCERPT_MAX 24
const char *config_excerpt(const struct config_node *n);
/* `key:`, `key: ~` and `key: null` say "nothing here"; a quoted "" is an empty string. */
bool config_is_null(const struct config_node *n);
/* "a mapping", "a sequence", "nothing" or the quoted start of a scalar, for messages. */
struct config_str config_node_desc(const struct config_node *n);

/* Items of a sequence (0 for any other node). */
unsigned config_seq_len(const struct config_node *n);
const struct config_node *config_seq_item(
	const struct config_doc *doc, const struct config_node *n, unsigned i);

/* The value of key in a mapping, or NULL (also when map is not a mapping). */
const struct config_node *config_map_get(
	const struct config_doc *doc, const struct config_node *map, const char *key);
/* Pairs of a mapping, in file order, and the key of pair i. */
unsigned config_map_len(const struct config_node *map);
const struct config_node *config_map_key(
	const struct config_doc *doc, const struct config_node *map, unsigned i);

/*
 * True if n is a mapping (kind CONFIG_NODE_MAP) or a sequence (CONFIG_NODE_SEQ). A null
 * node is an empty collection: false, but no error. Else reports "key: expected a
 * mapping, got ..." (without "key: " when key is NULL, a sequence item).
 */
bool config_want_kind(struct config_ctx *x, const struct config_node *n, const char *key,
	enum config_node_kind kind);
/* True if n is a scalar that is not null, else reports "key: expected what, got ...". */
bool config_want_scalar(
	struct config_ctx *x, const struct config_node *n, const char *key, const char *what);

#endif
