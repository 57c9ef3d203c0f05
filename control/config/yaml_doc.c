/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML access (yaml_doc.h) on libyaml's document API. A node handle is libyaml's own node,
 * wrapped so the layers above cannot reach into it; the document turns the node ids of
 * mappings and sequences into nodes. libyaml counts lines and columns from 0, messages
 * from 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "config/yaml_doc.h"

struct config_doc {
	yaml_parser_t ps;
	yaml_document_t doc;
	const char *buf; /* the text, to place reader errors, which give a byte offset */
	size_t len;
};

/* libyaml's node is the first member: a pointer to one is a pointer to the other. */
struct config_node {
	yaml_node_t y;
};

static const yaml_node_t *
ynode(const struct config_node *n)
{
	return &n->y;
}

static const struct config_node *
wrap(const yaml_node_t *y)
{
	return (const struct config_node *)y;
}

static const struct config_node *
node_at(const struct config_doc *doc, int id)
{
	return wrap(yaml_document_get_node((yaml_document_t *)&doc->doc, id));
}

static struct vxg_pos
mark_pos(const yaml_mark_t *m)
{
	struct vxg_pos pos = {.line = m->line + 1, .col = m->column + 1};

	return pos;
}

/* ---- Documents ------------------------------------------------------------------------ */

static struct vxg_pos
offset_pos(const char *buf, size_t len, size_t off)
{
	struct vxg_pos pos = {1, 1};
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		pos.col++;
		if (buf[i] == '\n') {
			pos.line++;
			pos.col = 1;
		}
	}
	return pos;
}

static int
yaml_problem(struct config_ctx *x, const yaml_parser_t *ps, const char *buf, size_t len)
{
	struct vxg_pos pos;
	size_t mark;

	/* libyaml fails without a reason when an allocation failed where it does not say so */
	if (ps->error == YAML_MEMORY_ERROR || ps->error == YAML_NO_ERROR)
		return -ENOMEM;
	if (ps->error == YAML_READER_ERROR)
		pos = offset_pos(buf, len, ps->problem_offset);
	else
		pos = mark_pos(&ps->problem_mark);
	mark = config_obj_push(x, "yaml");
	if (ps->context != NULL)
		config_error(x, pos, "%s %s at line %zu", ps->problem, ps->context,
			ps->context_mark.line + 1);
	else
		config_error(x, pos, "%s", ps->problem ? ps->problem : "syntax error");
	config_obj_pop(x, mark);
	return 0;
}

int
config_doc_load(struct config_ctx *x, const char *buf, size_t len, struct config_doc **out)
{
	struct config_doc *d = calloc(1, sizeof(*d));
	int ret;

	*out = NULL;
	if (d == NULL)
		return -ENOMEM;
	if (!yaml_parser_initialize(&d->ps)) {
		free(d);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&d->ps, (const unsigned char *)buf, len);
	d->buf = buf;
	d->len = len;
	if (!yaml_parser_load(&d->ps, &d->doc)) {
		ret = yaml_problem(x, &d->ps, buf, len);
		yaml_parser_delete(&d->ps);
		free(d);
		return ret;
	}
	*out = d;
	return 0;
}

const struct config_node *
config_doc_root(const struct config_doc *doc)
{
	return wrap(yaml_document_get_root_node((yaml_document_t *)&doc->doc));
}

int
config_doc_check_end(struct config_ctx *x, struct config_doc *d)
{
	const yaml_node_t *root;
	yaml_document_t doc;

	if (!yaml_parser_load(&d->ps, &doc))
		return yaml_problem(x, &d->ps, d->buf, d->len);
	root = yaml_document_get_root_node(&doc);
	if (root != NULL)
		config_error(x, mark_pos(&root->start_mark),
			"a second YAML document starts here; the "
			"configuration is one document");
	yaml_document_delete(&doc);
	return 0;
}

void
config_doc_free(struct config_doc *d)
{
	if (d == NULL)
		return;
	yaml_document_delete(&d->doc);
	yaml_parser_delete(&d->ps);
	free(d);
}

/* ---- Nodes ------------------------------------------------------------------------------ */

enum config_node_kind
config_node_kind(const struct config_node *n)
{
	switch (ynode(n)->type) {
	case YAML_SCALAR_NODE:
		return CONFIG_NODE_SCALAR;
	case YAML_MAPPING_NODE:
		return CONFIG_NODE_MAP;
	case YAML_SEQUENCE_NODE:
		return CONFIG_NODE_SEQ;
	default:
		return CONFIG_NODE_OTHER;
	}
}

struct vxg_pos
config_node_pos(const struct config_node *n)
{
	return mark_pos(&ynode(n)->start_mark);
}

const char *
config_scalar(const struct config_node *n)
{
	return (const char *)ynode(n)->data.scalar.value;
}

const char *
config_excerpt(const struct config_node *n)
{
	static char bufs[4][VXG_EXCERPT_MAX + 4];
	static unsigned next;
	const char *s = config_scalar(n);
	char *b = bufs[next++ % 4];
	size_t i;

	for (i = 0; s[i] != '\0' && i < VXG_EXCERPT_MAX; i++)
		b[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(b + i, s[i] != '\0' ? "..." : "");
	return b;
}

bool
config_is_null(const struct config_node *n)
{
	const yaml_node_t *y = ynode(n);
	const char *s;

	if (y->type != YAML_SCALAR_NODE || y->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = config_scalar(n);
	return s[0] == '\0' || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

struct config_str
config_node_desc(const struct config_node *n)
{
	struct config_str d;

	if (ynode(n)->type == YAML_MAPPING_NODE)
		snprintf(d.s, sizeof(d.s), "a mapping");
	else if (ynode(n)->type == YAML_SEQUENCE_NODE)
		snprintf(d.s, sizeof(d.s), "a sequence");
	else if (config_is_null(n))
		snprintf(d.s, sizeof(d.s), "nothing");
	else
		snprintf(d.s, sizeof(d.s), "'%.40s'", config_scalar(n));
	return d;
}

unsigned
config_seq_len(const struct config_node *n)
{
	const yaml_node_t *y = ynode(n);

	if (y->type != YAML_SEQUENCE_NODE)
		return 0;
	return y->data.sequence.items.top - y->data.sequence.items.start;
}

const struct config_node *
config_seq_item(const struct config_doc *doc, const struct config_node *n, unsigned i)
{
	return node_at(doc, ynode(n)->data.sequence.items.start[i]);
}

const struct config_node *
config_map_get(const struct config_doc *doc, const struct config_node *map, const char *key)
{
	const yaml_node_t *y = ynode(map);
	const yaml_node_pair_t *pair;
	const struct config_node *k;

	if (y->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = y->data.mapping.pairs.start; pair < y->data.mapping.pairs.top; pair++) {
		k = node_at(doc, pair->key);
		if (ynode(k)->type == YAML_SCALAR_NODE && !strcmp(config_scalar(k), key))
			return node_at(doc, pair->value);
	}
	return NULL;
}

unsigned
config_map_len(const struct config_node *map)
{
	const yaml_node_t *y = ynode(map);

	if (y->type != YAML_MAPPING_NODE)
		return 0;
	return y->data.mapping.pairs.top - y->data.mapping.pairs.start;
}

const struct config_node *
config_map_key(const struct config_doc *doc, const struct config_node *map, unsigned i)
{
	return node_at(doc, ynode(map)->data.mapping.pairs.start[i].key);
}

bool
config_want_kind(struct config_ctx *x, const struct config_node *n, const char *key,
	enum config_node_kind kind)
{
	const char *what = kind == CONFIG_NODE_MAP ? "a mapping" : "a sequence";

	if (config_node_kind(n) == kind)
		return true;
	if (config_is_null(n))
		return false;
	if (key != NULL)
		config_error(x, config_node_pos(n), "%s: expected %s, got %s", key, what,
			config_node_desc(n).s);
	else
		config_error(
			x, config_node_pos(n), "expected %s, got %s", what, config_node_desc(n).s);
	return false;
}

bool
config_want_scalar(
	struct config_ctx *x, const struct config_node *n, const char *key, const char *what)
{
	if (config_node_kind(n) == CONFIG_NODE_SCALAR && !config_is_null(n))
		return true;
	config_error(
		x, config_node_pos(n), "%s: expected %s, got %s", key, what, config_node_desc(n).s);
	return false;
}
