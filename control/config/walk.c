/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schema walk (walk.h): one mapping at a time, keys checked against the table, then
 * each field in table order. Lists of named objects get their names first, so that a
 * reference may name an object further down the file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config/values.h"
#include "config/walk.h"

static void *
ptr_get(const void *obj, size_t off)
{
	void *v;

	memcpy(&v, (const char *)obj + off, sizeof(v));
	return v;
}

static void
ptr_set(void *obj, size_t off, void *v)
{
	memcpy((char *)obj + off, &v, sizeof(v));
}

static void *
at(void *obj, size_t off)
{
	return (char *)obj + off;
}

static void
field_uint(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *dst)
{
	int64_t v;

	if (!config_get_int(p->x, n, f->key, f->min, f->max, &v))
		return;
	if (f->type == F_U8)
		*(uint8_t *)dst = v;
	else if (f->type == F_U16)
		*(uint16_t *)dst = v;
	else
		*(uint32_t *)dst = v;
	config_mark(p->x, dst, config_node_pos(n));
}

static void
field_ifaddr(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	if (config_get_ifaddr(p->x, n, f->key, at(obj, f->off), at(obj, f->off2)))
		config_mark(p->x, at(obj, f->off), config_node_pos(n));
}

static void
field_ifaddr6(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	if (config_get_ifaddr6(p->x, n, f->key, at(obj, f->off), at(obj, f->off2)))
		config_mark(p->x, at(obj, f->off), config_node_pos(n));
}

static void
field_range(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	int64_t a, b;

	if (!config_get_range(p->x, n, f->key, f->min, f->max, &a, &b))
		return;
	*(uint16_t *)at(obj, f->off) = a;
	*(uint16_t *)at(obj, f->off2) = b;
	config_mark(p->x, at(obj, f->off), config_node_pos(n));
}

static unsigned
resolve(struct config_parser *p, const struct config_ref *r, const struct config_node *n)
{
	struct config_names l = r->list(p);
	char hint[160];
	unsigned i;

	i = config_names_find(&p->names, &l, config_scalar(n));
	if (i != VXG_NONE)
		return i;
	config_names_suggest(&l, config_scalar(n), hint, sizeof(hint));
	config_error(p->x, config_node_pos(n), "unknown %s '%s'%s", r->what, config_excerpt(n),
		l.n ? hint : "; none is defined");
	return VXG_NONE;
}

static void
field_ref(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	unsigned *dst)
{
	if (!config_want_scalar(p->x, n, f->key, "a name"))
		return;
	*dst = resolve(p, f->arg, n);
	if (*dst != VXG_NONE)
		config_mark(p->x, dst, config_node_pos(n));
}

static int
field_refs(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	unsigned *idx, *cnt = at(obj, f->off2), i, j, len = config_seq_len(n);
	const struct config_node *it;

	if (!config_want_kind(p->x, n, f->key, CONFIG_NODE_SEQ) || len == 0)
		return 0;
	idx = calloc(len, sizeof(*idx));
	if (idx == NULL)
		return -ENOMEM;
	ptr_set(obj, f->off, idx);
	for (i = 0; i < len; i++) {
		it = config_seq_item(p->doc, n, i);
		if (!config_want_scalar(p->x, it, f->key, "a name"))
			continue;
		idx[*cnt] = resolve(p, f->arg, it);
		for (j = 0; j < *cnt && idx[j] != idx[*cnt]; j++)
			;
		if (idx[*cnt] == VXG_NONE)
			continue;
		if (j < *cnt) {
			config_error(p->x, config_node_pos(it), "%s: '%s' is listed twice", f->key,
				config_excerpt(it));
			continue;
		}
		config_mark(p->x, &idx[*cnt], config_node_pos(it));
		(*cnt)++;
	}
	return 0;
}

static int
seq_alloc(const struct config_field *f, void *obj, unsigned len)
{
	const struct config_seq *d = f->arg;
	void *arr;

	if (len == 0)
		return 0;
	arr = calloc(len, d->size);
	if (arr == NULL)
		return -ENOMEM;
	ptr_set(obj, f->off, arr);
	*(unsigned *)at(obj, f->off2) = len;
	return 0;
}

static int
parse_item(struct config_parser *p, const struct config_seq *d, const struct config_node *n,
	char *elem, unsigned i)
{
	struct vxg_pos pos = config_node_pos(n);
	size_t mark;
	int ret;

	if (d->named && elem[0] != '\0')
		mark = config_obj_push(p->x, "%s %s", d->label, elem);
	else if (d->named)
		mark = config_obj_push(p->x, "%s #%u", d->label, i + 1);
	else
		mark = config_obj_push(p->x, "%s %u", d->label, i + 1);
	memcpy(elem + d->pos_off, &pos, sizeof(pos));
	if (d->init != NULL)
		d->init(p, elem);
	ret = config_parse_mapping(p, n, d->fields, d->n_fields, elem);
	if (ret == 0 && d->check != NULL && config_node_kind(n) == CONFIG_NODE_MAP)
		d->check(p, n, elem);
	config_obj_pop(p->x, mark);
	return ret;
}

static int
field_seq(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	const struct config_seq *d = f->arg;
	unsigned i, len = config_seq_len(n);
	char *arr;
	int ret;

	if (!config_want_kind(p->x, n, f->key, CONFIG_NODE_SEQ) || len < f->min) {
		if (len < f->min && (config_node_kind(n) == CONFIG_NODE_SEQ || config_is_null(n)))
			config_error(p->x, config_node_pos(n),
				"%s: is empty; at least %" PRId64 " needed", f->key, f->min);
		return 0;
	}
	if (ptr_get(obj, f->off) == NULL) {
		ret = seq_alloc(f, obj, len);
		if (ret < 0)
			return ret;
	}
	arr = ptr_get(obj, f->off);
	for (i = 0; i < len; i++) {
		ret = parse_item(p, d, config_seq_item(p->doc, n, i), arr + (size_t)i * d->size, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
parse_field(struct config_parser *p, const struct config_field *f, const struct config_node *n,
	void *obj)
{
	void *dst = at(obj, f->off);

	switch (f->type) {
	case F_U8:
	case F_U16:
	case F_U32:
		field_uint(p, f, n, dst);
		return 0;
	case F_BOOL:
		if (config_get_bool(p->x, n, f->key, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_IP:
		if (config_get_ip(p->x, n, f->key, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_CIDR:
		if (config_get_cidr(p->x, n, f->key, f->min, f->max, f->bare, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_IP6:
		if (config_get_ip6(p->x, n, f->key, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_CIDR6:
		if (config_get_cidr6(p->x, n, f->key, f->min, f->max, f->bare, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_IFADDR6:
		field_ifaddr6(p, f, n, obj);
		return 0;
	case F_MAC:
		if (config_get_mac(p->x, n, f->key, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_IFADDR:
		field_ifaddr(p, f, n, obj);
		return 0;
	case F_STR:
		if (config_get_str(p->x, n, f->key, dst, f->off2))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_NAME:
		if (config_get_name(p->x, n, f->key, dst))
			config_mark(p->x, dst, config_node_pos(n));
		return 0;
	case F_RANGE:
		field_range(p, f, n, obj);
		return 0;
	case F_REF:
		field_ref(p, f, n, dst);
		return 0;
	case F_REFS:
		return field_refs(p, f, n, obj);
	case F_SEQ:
		return field_seq(p, f, n, obj);
	case F_FN:
		return f->fn(p, n, obj);
	}
	return 0;
}

static const struct config_field *
find_field(const struct config_field *fields, unsigned n_fields, const char *key)
{
	unsigned i;

	for (i = 0; i < n_fields; i++)
		if (!strcmp(fields[i].key, key))
			return &fields[i];
	return NULL;
}

/* Unknown keys, keys given twice, and keys that are not strings. */
static void
check_keys(struct config_parser *p, const struct config_node *n, const struct config_field *fields,
	unsigned n_fields)
{
	struct config_names l = {(const char *)fields, n_fields, sizeof(*fields), true};
	unsigned i, j, len = config_map_len(n);
	const struct config_node *k, *pk;
	char hint[400];

	for (i = 0; i < len; i++) {
		k = config_map_key(p->doc, n, i);
		if (config_node_kind(k) != CONFIG_NODE_SCALAR) {
			config_error(p->x, config_node_pos(k), "a key must be a word, got %s",
				config_node_desc(k).s);
			continue;
		}
		if (find_field(fields, n_fields, config_scalar(k)) == NULL) {
			config_names_suggest(&l, config_scalar(k), hint, sizeof(hint));
			config_error(p->x, config_node_pos(k), "unknown key '%s'%s",
				config_excerpt(k), hint);
			continue;
		}
		for (j = 0; j < i; j++) {
			pk = config_map_key(p->doc, n, j);
			if (config_node_kind(pk) == CONFIG_NODE_SCALAR &&
				!strcmp(config_scalar(pk), config_scalar(k))) {
				config_error(p->x, config_node_pos(k),
					"key '%s' is given twice (first at "
					"line %u)",
					config_excerpt(k), config_node_pos(pk).line);
				break;
			}
		}
	}
}

/*
 * Named lists get their array and names before anything in the mapping is parsed, so a
 * reference resolves whatever the order in the file (a rule's remote_group naming a group
 * further down). Names are validated, with messages, when their item is parsed.
 */
static int
prename(struct config_parser *p, const struct config_node *n, const struct config_field *fields,
	unsigned n_fields, void *obj)
{
	const struct config_node *v, *nm;
	const struct config_seq *d;
	unsigned i, k;
	char *arr;

	for (k = 0; k < n_fields; k++) {
		d = fields[k].arg;
		if (fields[k].type != F_SEQ || !d->named)
			continue;
		v = config_map_get(p->doc, n, fields[k].key);
		if (v == NULL || config_node_kind(v) != CONFIG_NODE_SEQ ||
			ptr_get(obj, fields[k].off))
			continue;
		if (seq_alloc(&fields[k], obj, config_seq_len(v)) < 0)
			return -ENOMEM;
		arr = ptr_get(obj, fields[k].off);
		for (i = 0; i < config_seq_len(v); i++) {
			nm = config_map_get(p->doc, config_seq_item(p->doc, v, i), "name");
			if (nm != NULL && config_node_kind(nm) == CONFIG_NODE_SCALAR &&
				config_name_ok(config_scalar(nm)))
				strcpy(arr + (size_t)i * d->size, config_scalar(nm));
		}
	}
	return 0;
}

int
config_parse_mapping(struct config_parser *p, const struct config_node *n,
	const struct config_field *fields, unsigned n_fields, void *obj)
{
	const struct config_node *v;
	unsigned i;
	int ret;

	if (!config_want_kind(p->x, n, NULL, CONFIG_NODE_MAP) && !config_is_null(n))
		return 0;
	if (config_node_kind(n) == CONFIG_NODE_MAP)
		check_keys(p, n, fields, n_fields);
	ret = prename(p, n, fields, n_fields, obj);
	for (i = 0; i < n_fields && ret == 0; i++) {
		v = config_map_get(p->doc, n, fields[i].key);
		if (v != NULL)
			ret = parse_field(p, &fields[i], v, obj);
		else if (fields[i].required)
			config_error(p->x, config_node_pos(n), "missing required key '%s'",
				fields[i].key);
	}
	if (p->x->nomem)
		ret = -ENOMEM;
	return ret;
}

int
config_parse_sub(struct config_parser *p, const struct config_node *n, const char *label,
	const struct config_field *fields, unsigned n_fields, void *obj)
{
	size_t mark = config_obj_push(p->x, "%s", label);
	int ret;

	ret = config_parse_mapping(p, n, fields, n_fields, obj);
	config_obj_pop(p->x, mark);
	return ret;
}

void
config_parser_enter_vpc(struct config_parser *p, struct vxg_vpc_cfg *v)
{
	config_names_index_free(&p->names); /* the lists of the previous VPC */
	p->vpc = v;
}

void
config_parser_fini(struct config_parser *p)
{
	config_names_index_free(&p->names);
}
