/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * YAML config loader. libyaml's document API turns the file into a node tree; the tree is
 * walked with one table of fields per object (struct field): each entry names a key, how
 * its value is parsed and where it is stored. The same walk reports unknown keys, wrong
 * types, bad values and missing keys at the node's line and column, and resolves names
 * (a port's network, a rule's remote_group) to indices. Checks that need the whole model
 * (duplicates, containment, roles of referenced interfaces) and defaults that depend on
 * other objects are in config_validate.c. Messages and positions are errors.h's; the text
 * forms of values (addresses, MACs, ranges, names) are fields.h's.
 */
#include <netinet/in.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include <rte_common.h>

#include "config/config_internal.h"

/* A config bigger than this is a mistake (a pcap passed as -c), not a gateway. */
#define CONFIG_FILE_MAX (64u << 20)

/* ---- YAML nodes ------------------------------------------------------------------------- */

/*
 * A list of objects sorted by name, for references into big lists: a port group naming
 * 10k ports would otherwise cost 10^8 strcmp.
 */
#define NAME_INDEXES 8 /* lists indexed at once: a VPC has 5, plus interfaces */
#define NAME_INDEX_MIN 32 /* below this, a linear scan is as fast */

struct name_index {
	const char *base; /* the list, NULL for a free slot */
	unsigned n;
	size_t stride;
	unsigned *order; /* element indices, sorted by name */
};

struct parser {
	struct config_ctx *x;
	yaml_document_t *doc;
	struct vxg_config *c;
	struct vxg_vpc_cfg *vpc; /* the VPC being walked: names resolve inside it */
	struct name_index idx[NAME_INDEXES];
};

static yaml_node_t *
node_at(const struct parser *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

static struct vxg_pos
mark_pos(const yaml_mark_t *m)
{
	struct vxg_pos pos = {.line = m->line + 1, .col = m->column + 1};

	return pos;
}

static struct vxg_pos
node_pos(const yaml_node_t *n)
{
	return mark_pos(&n->start_mark);
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* `key:`, `key: ~` and `key: null` say "nothing here"; a quoted "" is an empty string. */
static bool
is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = scalar(n);
	return s[0] == '\0' || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

static struct config_str
node_desc(const yaml_node_t *n)
{
	struct config_str d;

	if (n->type == YAML_MAPPING_NODE)
		snprintf(d.s, sizeof(d.s), "a mapping");
	else if (n->type == YAML_SEQUENCE_NODE)
		snprintf(d.s, sizeof(d.s), "a sequence");
	else if (is_null(n))
		snprintf(d.s, sizeof(d.s), "nothing");
	else
		snprintf(d.s, sizeof(d.s), "'%.40s'", scalar(n));
	return d;
}

static unsigned
seq_len(const yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return 0;
	return n->data.sequence.items.top - n->data.sequence.items.start;
}

static yaml_node_t *
seq_item(const struct parser *p, const yaml_node_t *n, unsigned i)
{
	return node_at(p, n->data.sequence.items.start[i]);
}

static yaml_node_t *
map_get(const struct parser *p, const yaml_node_t *map, const char *key)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *k;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		k = node_at(p, pair->key);
		if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), key))
			return node_at(p, pair->value);
	}
	return NULL;
}

/* key may be NULL (a sequence item). A null value is an empty collection, not an error. */
static bool
want_kind(struct parser *p, const yaml_node_t *n, const char *key, yaml_node_type_t type)
{
	const char *what = type == YAML_MAPPING_NODE ? "a mapping" : "a sequence";

	if (n->type == type)
		return true;
	if (is_null(n))
		return false;
	if (key != NULL)
		config_error(
			p->x, node_pos(n), "%s: expected %s, got %s", key, what, node_desc(n).s);
	else
		config_error(p->x, node_pos(n), "expected %s, got %s", what, node_desc(n).s);
	return false;
}

static bool
want_scalar(struct parser *p, const yaml_node_t *n, const char *key, const char *what)
{
	if (n->type == YAML_SCALAR_NODE && !is_null(n))
		return true;
	config_error(p->x, node_pos(n), "%s: expected %s, got %s", key, what, node_desc(n).s);
	return false;
}

/* ---- Suggestions for misspelt keys and names ------------------------------------------ */

/* A list of names: an array of char[] (objects), or of structs starting with a char *. */
struct names {
	const char *base;
	unsigned n;
	size_t stride;
	bool indirect;
};

static const char *
names_at(const struct names *l, unsigned i)
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
	const struct name_index *ix = arg;

	return strcmp(ix->base + *(const unsigned *)a * ix->stride,
		ix->base + *(const unsigned *)b * ix->stride);
}

static void
indexes_free(struct parser *p)
{
	unsigned i;

	for (i = 0; i < NAME_INDEXES; i++)
		free(p->idx[i].order);
	memset(p->idx, 0, sizeof(p->idx));
}

/* The index of l, built on first use. NULL: no slot or no memory, scan instead. */
static const struct name_index *
index_get(struct parser *p, const struct names *l)
{
	struct name_index *ix;
	unsigned i;

	for (i = 0; i < NAME_INDEXES && p->idx[i].base != NULL; i++)
		if (p->idx[i].base == l->base && p->idx[i].n == l->n)
			return &p->idx[i];
	if (i == NAME_INDEXES)
		return NULL;
	ix = &p->idx[i];
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
index_find(const struct name_index *ix, const char *name)
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

static unsigned
find_name(struct parser *p, const struct names *l, const char *name)
{
	const struct name_index *ix = l->n >= NAME_INDEX_MIN ? index_get(p, l) : NULL;
	unsigned i;

	if (ix != NULL)
		return index_find(ix, name);
	for (i = 0; i < l->n; i++)
		if (!strcmp(names_at(l, i), name))
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

/* "; did you mean 'mtu'?" when one name is close, else "; expected one of: a, b". */
static struct config_str
suggest_one(const struct names *l, const char *name)
{
	unsigned i, d, best = UINT_MAX, at = 0;
	struct config_str s = {""};

	for (i = 0; i < l->n; i++) {
		d = edit_distance(name, names_at(l, i));
		if (d < best) {
			best = d;
			at = i;
		}
	}
	if (best <= 2 && best < strlen(name))
		snprintf(s.s, sizeof(s.s), "; did you mean '%.31s'?", names_at(l, at));
	return s;
}

static void
suggest(const struct names *l, const char *name, char *buf, size_t len)
{
	unsigned i, listed = 0;
	size_t used;

	snprintf(buf, len, "%s", suggest_one(l, name).s);
	if (buf[0] != '\0')
		return;
	used = snprintf(buf, len, "; expected one of:");
	for (i = 0; i < l->n && used < len; i++)
		if (names_at(l, i)[0] != '\0')
			used += snprintf(buf + used, len - used, "%s %s", listed++ ? "," : "",
				names_at(l, i));
	if (listed == 0)
		buf[0] = '\0';
}

/* ---- Scalar values ----------------------------------------------------------------------- */

static bool
get_int(struct parser *p, const yaml_node_t *n, const char *key, int64_t min, int64_t max,
	int64_t *v)
{
	int r;

	if (!want_scalar(p, n, key, "an integer"))
		return false;
	r = config_text_int(scalar(n), v);
	if (r == -EINVAL) {
		config_error(
			p->x, node_pos(n), "%s: expected an integer, got %s", key, node_desc(n).s);
		return false;
	}
	if (r < 0 || *v < min || *v > max) {
		config_error(p->x, node_pos(n), "%s %s is out of range %" PRId64 "..%" PRId64, key,
			scalar(n), min, max);
		return false;
	}
	return true;
}

static bool
get_bool(struct parser *p, const yaml_node_t *n, const char *key, bool *v)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False",
									   "FALSE"};
	unsigned i;

	if (!want_scalar(p, n, key, "true or false"))
		return false;
	for (i = 0; i < RTE_DIM(yes); i++) {
		if (!strcmp(scalar(n), yes[i]) || !strcmp(scalar(n), no[i])) {
			*v = !strcmp(scalar(n), yes[i]);
			return true;
		}
	}
	config_error(p->x, node_pos(n), "%s: expected true or false, got %s", key, node_desc(n).s);
	return false;
}

static bool
get_enum(struct parser *p, const yaml_node_t *n, const char *key, const char *const *names,
	unsigned count, unsigned *v)
{
	struct names l = {(const char *)names, count, sizeof(*names), true};
	char hint[160];

	if (!want_scalar(p, n, key, "a keyword"))
		return false;
	for (*v = 0; *v < count; (*v)++)
		if (!strcmp(scalar(n), names[*v]))
			return true;
	suggest(&l, scalar(n), hint, sizeof(hint));
	config_error(p->x, node_pos(n), "%s: unknown value '%s'%s", key, scalar(n), hint);
	return false;
}

static bool
get_ip(struct parser *p, const yaml_node_t *n, const char *key, uint32_t *ip)
{
	const char *why;

	if (!want_scalar(p, n, key, "an IPv4 address"))
		return false;
	if (config_text_ip(scalar(n), ip) < 0) {
		config_error(p->x, node_pos(n), "%s '%s' is not an IPv4 address", key, scalar(n));
		return false;
	}
	why = config_ip_not_unicast(*ip);
	if (why != NULL) {
		config_error(p->x, node_pos(n), "%s %s is %s, not a unicast address", key,
			scalar(n), why);
		return false;
	}
	return true;
}

/* A prefix: host bits must be zero; a bare address is a /32 where bare_ok. */
static bool
get_cidr(struct parser *p, const yaml_node_t *n, const char *key, int64_t min, int64_t max,
	bool bare_ok, struct vxg_cidr *out)
{
	uint32_t ip;
	int len;

	if (!want_scalar(p, n, key, "an IPv4 prefix"))
		return false;
	if (config_text_cidr(scalar(n), &ip, &len) < 0) {
		config_error(p->x, node_pos(n), "%s '%s' is not an IPv4 prefix (A.B.C.D/LEN)", key,
			scalar(n));
		return false;
	}
	if (len < 0 && !bare_ok) {
		config_error(p->x, node_pos(n), "%s %s has no prefix length; write it as %s/LEN",
			key, scalar(n), scalar(n));
		return false;
	}
	len = len < 0 ? 32 : len;
	if (len < min || len > max) {
		config_error(p->x, node_pos(n),
			"%s %s: the prefix length must be %" PRId64 "..%" PRId64, key, scalar(n),
			min, max);
		return false;
	}
	if (ip & ~config_mask(len)) {
		config_error(p->x, node_pos(n), "%s %s has host bits set; did you mean %s/%d?", key,
			scalar(n), config_ip_str(ip & config_mask(len)).s, len);
		return false;
	}
	out->addr = ip;
	out->len = len;
	return true;
}

static bool
get_mac(struct parser *p, const yaml_node_t *n, const char *key, struct rte_ether_addr *m)
{
	if (!want_scalar(p, n, key, "a MAC address"))
		return false;
	if (config_text_mac(scalar(n), m) < 0) {
		config_error(p->x, node_pos(n), "%s '%s' is not a MAC address (xx:xx:xx:xx:xx:xx)",
			key, scalar(n));
		return false;
	}
	if (rte_is_multicast_ether_addr(m)) {
		config_error(p->x, node_pos(n),
			"%s %s is a multicast address (the low bit of the "
			"first byte is set); use a unicast MAC such as 02:...",
			key, scalar(n));
		return false;
	}
	if (rte_is_zero_ether_addr(m)) {
		config_error(p->x, node_pos(n), "%s %s is all zeros", key, scalar(n));
		return false;
	}
	return true;
}

static bool
get_range(struct parser *p, const yaml_node_t *n, const char *key, int64_t min, int64_t max,
	int64_t *a, int64_t *b)
{
	if (!want_scalar(p, n, key, "a port range"))
		return false;
	if (config_text_range(scalar(n), a, b) < 0) {
		config_error(p->x, node_pos(n), "%s '%s' is not a port or a range (N or A-B)", key,
			scalar(n));
		return false;
	}
	if (*a < min || *b > max) {
		config_error(p->x, node_pos(n), "%s %s is out of range %" PRId64 "..%" PRId64, key,
			scalar(n), min, max);
		return false;
	}
	if (*a > *b) {
		config_error(p->x, node_pos(n), "%s %s: the first port is above the last", key,
			scalar(n));
		return false;
	}
	return true;
}

/* ---- Fields ------------------------------------------------------------------------------ */

enum ftype {
	F_U8,
	F_U16,
	F_U32,
	F_BOOL,
	F_IP, /* unicast IPv4 address */
	F_CIDR, /* prefix; .min/.max bound the length; .bare: an address is a /32 */
	F_IFADDR, /* address/len of an interface; .off2: uint8_t prefix length */
	F_MAC, /* unicast MAC */
	F_STR, /* .off2: buffer size */
	F_NAME, /* an object's own name */
	F_RANGE, /* "A-B" into two uint16_t, .off and .off2 */
	F_REF, /* a name resolved to an unsigned index; .arg: struct ref_desc */
	F_REFS, /* a list of names: unsigned * at .off, count at .off2 */
	F_SEQ, /* a list of objects: pointer at .off, count at .off2; .arg: seq_desc */
	F_FN, /* anything else: .fn */
};

struct parser;
typedef int (*field_fn)(struct parser *p, const yaml_node_t *n, void *obj);

struct field {
	const char *key; /* first: struct names reads it */
	enum ftype type;
	bool required;
	bool bare;
	size_t off, off2;
	int64_t min, max;
	const void *arg;
	field_fn fn;
};

/* What a name refers to: the list to look it up in. */
struct ref_desc {
	const char *what;
	struct names (*list)(const struct parser *p);
};

/* A list of objects: one table of fields per element. */
struct seq_desc {
	const char *label;
	size_t size, pos_off;
	bool named; /* elements start with char name[VXG_NAME_MAX] */
	const struct field *fields;
	unsigned n_fields;
	void (*init)(struct parser *p, void *elem);
	void (*check)(struct parser *p, const yaml_node_t *n, void *elem);
};

static int parse_mapping(struct parser *p, const yaml_node_t *n, const struct field *fields,
	unsigned n_fields, void *obj);

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
field_uint(struct parser *p, const struct field *f, const yaml_node_t *n, void *dst)
{
	int64_t v;

	if (!get_int(p, n, f->key, f->min, f->max, &v))
		return;
	if (f->type == F_U8)
		*(uint8_t *)dst = v;
	else if (f->type == F_U16)
		*(uint16_t *)dst = v;
	else
		*(uint32_t *)dst = v;
	config_mark(p->x, dst, node_pos(n));
}

static void
field_ifaddr(struct parser *p, const struct field *f, const yaml_node_t *n, void *obj)
{
	struct vxg_cidr net;
	const char *why;
	uint32_t ip;
	int len;

	if (!want_scalar(p, n, f->key, "an address with a prefix length"))
		return;
	if (config_text_cidr(scalar(n), &ip, &len) < 0 || len < 1) {
		config_error(p->x, node_pos(n),
			"%s '%s' is not an address with a prefix length, "
			"like 172.16.0.1/24",
			f->key, scalar(n));
		return;
	}
	net.addr = ip & config_mask(len);
	net.len = len;
	why = config_ip_not_unicast(ip);
	if (why != NULL) {
		config_error(p->x, node_pos(n), "%s %s is %s, not a unicast address", f->key,
			scalar(n), why);
		return;
	}
	if (len <= 30 && (ip == net.addr || ip == config_cidr_last(net))) {
		config_error(p->x, node_pos(n), "%s %s is the %s address of %s, not a host", f->key,
			scalar(n), ip == net.addr ? "network" : "broadcast",
			config_cidr_str(net).s);
		return;
	}
	*(uint32_t *)at(obj, f->off) = ip;
	*(uint8_t *)at(obj, f->off2) = len;
	config_mark(p->x, at(obj, f->off), node_pos(n));
}

static void
field_str(struct parser *p, const struct field *f, const yaml_node_t *n, char *dst)
{
	size_t len;

	if (!want_scalar(p, n, f->key, "a string"))
		return;
	len = strlen(scalar(n));
	if (len == 0 || len >= f->off2) {
		config_error(p->x, node_pos(n), "%s: must be 1 to %zu characters, got %zu", f->key,
			f->off2 - 1, len);
		return;
	}
	memcpy(dst, scalar(n), len + 1);
	config_mark(p->x, dst, node_pos(n));
}

static void
field_name(struct parser *p, const struct field *f, const yaml_node_t *n, char *dst)
{
	if (!want_scalar(p, n, f->key, "a name"))
		return;
	if (!config_name_ok(scalar(n))) {
		config_error(p->x, node_pos(n),
			"%s '%s' is not a valid name: 1 to %d letters, "
			"digits, '-', '_' or '.', starting with a letter or digit",
			f->key, scalar(n), VXG_NAME_MAX - 1);
		return;
	}
	strcpy(dst, scalar(n));
	config_mark(p->x, dst, node_pos(n));
}

static void
field_range(struct parser *p, const struct field *f, const yaml_node_t *n, void *obj)
{
	int64_t a, b;

	if (!get_range(p, n, f->key, f->min, f->max, &a, &b))
		return;
	*(uint16_t *)at(obj, f->off) = a;
	*(uint16_t *)at(obj, f->off2) = b;
	config_mark(p->x, at(obj, f->off), node_pos(n));
}

static unsigned
resolve(struct parser *p, const struct ref_desc *r, const yaml_node_t *n)
{
	struct names l = r->list(p);
	char hint[160];
	unsigned i;

	i = find_name(p, &l, scalar(n));
	if (i != VXG_NONE)
		return i;
	suggest(&l, scalar(n), hint, sizeof(hint));
	config_error(p->x, node_pos(n), "unknown %s '%s'%s", r->what, scalar(n),
		l.n ? hint : "; none is defined");
	return VXG_NONE;
}

static void
field_ref(struct parser *p, const struct field *f, const yaml_node_t *n, unsigned *dst)
{
	if (!want_scalar(p, n, f->key, "a name"))
		return;
	*dst = resolve(p, f->arg, n);
	if (*dst != VXG_NONE)
		config_mark(p->x, dst, node_pos(n));
}

static int
field_refs(struct parser *p, const struct field *f, const yaml_node_t *n, void *obj)
{
	unsigned *idx, *cnt = at(obj, f->off2), i, j, len = seq_len(n);
	const yaml_node_t *it;

	if (!want_kind(p, n, f->key, YAML_SEQUENCE_NODE) || len == 0)
		return 0;
	idx = calloc(len, sizeof(*idx));
	if (idx == NULL)
		return -ENOMEM;
	ptr_set(obj, f->off, idx);
	for (i = 0; i < len; i++) {
		it = seq_item(p, n, i);
		if (!want_scalar(p, it, f->key, "a name"))
			continue;
		idx[*cnt] = resolve(p, f->arg, it);
		for (j = 0; j < *cnt && idx[j] != idx[*cnt]; j++)
			;
		if (idx[*cnt] == VXG_NONE)
			continue;
		if (j < *cnt) {
			config_error(
				p->x, node_pos(it), "%s: '%s' is listed twice", f->key, scalar(it));
			continue;
		}
		config_mark(p->x, &idx[*cnt], node_pos(it));
		(*cnt)++;
	}
	return 0;
}

static int
seq_alloc(const struct field *f, void *obj, unsigned len)
{
	const struct seq_desc *d = f->arg;
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
parse_item(struct parser *p, const struct seq_desc *d, const yaml_node_t *n, char *elem, unsigned i)
{
	struct vxg_pos pos = node_pos(n);
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
	ret = parse_mapping(p, n, d->fields, d->n_fields, elem);
	if (ret == 0 && d->check != NULL && n->type == YAML_MAPPING_NODE)
		d->check(p, n, elem);
	config_obj_pop(p->x, mark);
	return ret;
}

static int
field_seq(struct parser *p, const struct field *f, const yaml_node_t *n, void *obj)
{
	const struct seq_desc *d = f->arg;
	unsigned i, len = seq_len(n);
	char *arr;
	int ret;

	if (!want_kind(p, n, f->key, YAML_SEQUENCE_NODE) || len < f->min) {
		if (len < f->min && (n->type == YAML_SEQUENCE_NODE || is_null(n)))
			config_error(p->x, node_pos(n), "%s: is empty; at least %" PRId64 " needed",
				f->key, f->min);
		return 0;
	}
	if (ptr_get(obj, f->off) == NULL) {
		ret = seq_alloc(f, obj, len);
		if (ret < 0)
			return ret;
	}
	arr = ptr_get(obj, f->off);
	for (i = 0; i < len; i++) {
		ret = parse_item(p, d, seq_item(p, n, i), arr + (size_t)i * d->size, i);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
parse_field(struct parser *p, const struct field *f, const yaml_node_t *n, void *obj)
{
	void *dst = at(obj, f->off);

	switch (f->type) {
	case F_U8:
	case F_U16:
	case F_U32:
		field_uint(p, f, n, dst);
		return 0;
	case F_BOOL:
		if (get_bool(p, n, f->key, dst))
			config_mark(p->x, dst, node_pos(n));
		return 0;
	case F_IP:
		if (get_ip(p, n, f->key, dst))
			config_mark(p->x, dst, node_pos(n));
		return 0;
	case F_CIDR:
		if (get_cidr(p, n, f->key, f->min, f->max, f->bare, dst))
			config_mark(p->x, dst, node_pos(n));
		return 0;
	case F_MAC:
		if (get_mac(p, n, f->key, dst))
			config_mark(p->x, dst, node_pos(n));
		return 0;
	case F_IFADDR:
		field_ifaddr(p, f, n, obj);
		return 0;
	case F_STR:
		field_str(p, f, n, dst);
		return 0;
	case F_NAME:
		field_name(p, f, n, dst);
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

static const struct field *
find_field(const struct field *fields, unsigned n_fields, const char *key)
{
	unsigned i;

	for (i = 0; i < n_fields; i++)
		if (!strcmp(fields[i].key, key))
			return &fields[i];
	return NULL;
}

/* Unknown keys, keys given twice, and keys that are not strings. */
static void
check_keys(struct parser *p, const yaml_node_t *n, const struct field *fields, unsigned n_fields)
{
	struct names l = {(const char *)fields, n_fields, sizeof(*fields), true};
	const yaml_node_pair_t *pair, *prev;
	const yaml_node_t *k, *pk;
	char hint[400];

	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		k = node_at(p, pair->key);
		if (k->type != YAML_SCALAR_NODE) {
			config_error(
				p->x, node_pos(k), "a key must be a word, got %s", node_desc(k).s);
			continue;
		}
		if (find_field(fields, n_fields, scalar(k)) == NULL) {
			suggest(&l, scalar(k), hint, sizeof(hint));
			config_error(p->x, node_pos(k), "unknown key '%s'%s", scalar(k), hint);
			continue;
		}
		for (prev = n->data.mapping.pairs.start; prev < pair; prev++) {
			pk = node_at(p, prev->key);
			if (pk->type == YAML_SCALAR_NODE && !strcmp(scalar(pk), scalar(k))) {
				config_error(p->x, node_pos(k),
					"key '%s' is given twice (first at "
					"line %u)",
					scalar(k), node_pos(pk).line);
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
prename(struct parser *p, const yaml_node_t *n, const struct field *fields, unsigned n_fields,
	void *obj)
{
	const yaml_node_t *v, *nm;
	const struct seq_desc *d;
	unsigned i, k;
	char *arr;

	for (k = 0; k < n_fields; k++) {
		d = fields[k].arg;
		if (fields[k].type != F_SEQ || !d->named)
			continue;
		v = map_get(p, n, fields[k].key);
		if (v == NULL || v->type != YAML_SEQUENCE_NODE || ptr_get(obj, fields[k].off))
			continue;
		if (seq_alloc(&fields[k], obj, seq_len(v)) < 0)
			return -ENOMEM;
		arr = ptr_get(obj, fields[k].off);
		for (i = 0; i < seq_len(v); i++) {
			nm = map_get(p, seq_item(p, v, i), "name");
			if (nm != NULL && nm->type == YAML_SCALAR_NODE &&
				config_name_ok(scalar(nm)))
				strcpy(arr + (size_t)i * d->size, scalar(nm));
		}
	}
	return 0;
}

/* Fields are parsed in table order, not file order; a null node is an empty mapping. */
static int
parse_mapping(struct parser *p, const yaml_node_t *n, const struct field *fields, unsigned n_fields,
	void *obj)
{
	const yaml_node_t *v;
	unsigned i;
	int ret;

	if (!want_kind(p, n, NULL, YAML_MAPPING_NODE) && !is_null(n))
		return 0;
	if (n->type == YAML_MAPPING_NODE)
		check_keys(p, n, fields, n_fields);
	ret = prename(p, n, fields, n_fields, obj);
	for (i = 0; i < n_fields && ret == 0; i++) {
		v = map_get(p, n, fields[i].key);
		if (v != NULL)
			ret = parse_field(p, &fields[i], v, obj);
		else if (fields[i].required)
			config_error(p->x, node_pos(n), "missing required key '%s'", fields[i].key);
	}
	if (p->x->nomem)
		ret = -ENOMEM;
	return ret;
}

/* A nested mapping that is its own object in messages: "vpc blue nat". */
static int
parse_sub(struct parser *p, const yaml_node_t *n, const char *label, const struct field *fields,
	unsigned n_fields, void *obj)
{
	size_t mark = config_obj_push(p->x, "%s", label);
	int ret;

	ret = parse_mapping(p, n, fields, n_fields, obj);
	config_obj_pop(p->x, mark);
	return ret;
}

/* A list of addresses into out[max] (or a new array when max is 0). */
static int
ip_list(struct parser *p, const yaml_node_t *n, const char *key, unsigned max, uint32_t **out,
	unsigned *cnt)
{
	unsigned i, len = seq_len(n);

	if (!want_kind(p, n, key, YAML_SEQUENCE_NODE) || len == 0)
		return 0;
	if (max && len > max) {
		config_error(p->x, node_pos(n), "%s: at most %u addresses, got %u", key, max, len);
		return 0;
	}
	if (max == 0) {
		*out = calloc(len, sizeof(**out));
		if (*out == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < len; i++) {
		if (!get_ip(p, seq_item(p, n, i), key, &(*out)[*cnt]))
			continue;
		config_mark(p->x, &(*out)[*cnt], node_pos(seq_item(p, n, i)));
		(*cnt)++;
	}
	return 0;
}

/* ---- Reference lists ----------------------------------------------------------------- */

#define NAMES(arr, cnt) ((struct names){(const char *)(arr), (cnt), sizeof(*(arr)), false})

static struct names
list_interfaces(const struct parser *p)
{
	return NAMES(p->c->interfaces, p->c->n_interfaces);
}

static struct names
list_networks(const struct parser *p)
{
	return NAMES(p->vpc->networks, p->vpc->n_networks);
}

static struct names
list_ports(const struct parser *p)
{
	return NAMES(p->vpc->ports, p->vpc->n_ports);
}

static struct names
list_sgs(const struct parser *p)
{
	return NAMES(p->vpc->sgs, p->vpc->n_sgs);
}

static struct names
list_port_groups(const struct parser *p)
{
	return NAMES(p->vpc->port_groups, p->vpc->n_port_groups);
}

static struct names
list_address_sets(const struct parser *p)
{
	return NAMES(p->vpc->address_sets, p->vpc->n_address_sets);
}

static const struct ref_desc ref_interface = {"interface", list_interfaces};
static const struct ref_desc ref_network = {"network", list_networks};
static const struct ref_desc ref_port = {"port", list_ports};
static const struct ref_desc ref_sg = {"security group", list_sgs};
static const struct ref_desc ref_port_group = {"port group", list_port_groups};
static const struct ref_desc ref_address_set = {"address set", list_address_sets};

/* Names are found at offset 0 of each object. */
_Static_assert(offsetof(struct vxg_if_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_vpc_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_network_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_port_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_sg_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_port_group_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_address_set_cfg, name) == 0, "name first");

/* ---- Tables: one per object, leaves first ------------------------------------------- */

/* Inside a table, T is the object type. */
#define AT(m) .off = offsetof(T, m)
#define AT2(m) .off2 = offsetof(T, m)
#define SIZE(m) .off2 = RTE_SIZEOF_FIELD(T, m)
#define REQ .required = true
#define LIST(m, n, d) .type = F_SEQ, AT(m), AT2(n), .arg = &(d)
#define SEQ(lbl, nm, flds, ini, chk)                                                           \
	{                                                                                      \
		.label = (lbl), .size = sizeof(T), .pos_off = offsetof(T, pos), .named = (nm), \
		.fields = (flds), .n_fields = RTE_DIM(flds), .init = (ini), .check = (chk)     \
	}

/* dataplane */

#define T struct vxg_limits_cfg
static const struct field limits_fields[] = {
	{"fdb", F_U32, AT(fdb), .min = 64, .max = 1u << 28},
	{"neighbours", F_U32, AT(neighbours), .min = 64, .max = 1u << 28},
	{"sessions", F_U32, AT(sessions), .min = 64, .max = 1u << 28},
	{"conntrack", F_U32, AT(conntrack), .min = 64, .max = 1u << 28},
};
#undef T

static int
fn_limits(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_dataplane_cfg *d = obj;

	return parse_sub(p, n, "limits", limits_fields, RTE_DIM(limits_fields), &d->limits);
}

#define T struct vxg_dataplane_cfg
static const struct field dataplane_fields[] = {
	{"burst", F_U16, AT(burst), .min = 1, .max = 256},
	{"mbufs", F_U32, AT(mbufs), .min = 1024, .max = UINT32_MAX},
	{"rx_desc", F_U16, AT(rx_desc), .min = 16, .max = 32768},
	{"tx_desc", F_U16, AT(tx_desc), .min = 16, .max = 32768},
	{"idle_sleep_us", F_U32, AT(idle_sleep_us), .min = 0, .max = 1000000},
	{"dhcp_rate", F_U32, AT(dhcp_rate), .min = 0, .max = 1000000},
	{"dhcp_client_rate", F_U32, AT(dhcp_client_rate), .min = 0, .max = 100000},
	{"limits", F_FN, .fn = fn_limits},
};
#undef T

/* interfaces */

static int
fn_role(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_if_cfg *ic = obj;
	unsigned v;

	if (get_enum(p, n, "role", config_role_names, CONFIG_ROLES, &v)) {
		ic->role = v;
		config_mark(p->x, &ic->role, node_pos(n));
	}
	return 0;
}

#define T struct vxg_neigh_cfg
static const struct field neigh_fields[] = {
	{"ip", F_IP, REQ, AT(ip)},
	{"mac", F_MAC, REQ, AT(mac)},
};
static const struct seq_desc neigh_seq = SEQ("neighbour", false, neigh_fields, NULL, NULL);
#undef T

static void
if_init(struct parser *p, void *elem)
{
	struct vxg_if_cfg *ic = elem;

	ic->mtu = 1500;
}

static void
if_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	struct vxg_if_cfg *ic = elem;

	ic->mac_set = !rte_is_zero_ether_addr(&ic->mac);
}

#define T struct vxg_if_cfg
static const struct field if_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"device", F_STR, REQ, AT(device), SIZE(device)},
	{"role", F_FN, REQ, .fn = fn_role},
	{"address", F_IFADDR, AT(address), AT2(prefixlen)},
	{"gateway", F_IP, AT(gateway)},
	{"mtu", F_U16, AT(mtu), .min = 68, .max = 9600},
	{"mac", F_MAC, AT(mac)},
	{"neighbours", LIST(neighbours, n_neighbours, neigh_seq)},
};
static const struct seq_desc if_seq = SEQ("interface", true, if_fields, if_init, if_check);
#undef T

/* vtep */

#define T struct vxg_vtep_cfg
static const struct field vtep_fields[] = {
	{"address", F_IP, REQ, AT(address)},
	{"udp_port", F_U16, AT(udp_port), .min = 1, .max = 65535},
	{"learning", F_BOOL, AT(learning)},
	{"ageing", F_U32, AT(ageing), .min = 1, .max = 1000000},
	{"udp_csum", F_BOOL, AT(udp_csum)},
	{"ttl", F_U8, AT(ttl), .min = 1, .max = 255},
	{"df", F_BOOL, AT(df)},
	{"src_ports", F_RANGE, AT(src_port_min), AT2(src_port_max), .min = 1, .max = 65535},
};
#undef T

static int
fn_vtep(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_config *c = obj;

	c->vtep.enabled = true;
	c->vtep.pos = node_pos(n);
	return parse_sub(p, n, "vtep", vtep_fields, RTE_DIM(vtep_fields), &c->vtep);
}

/* networks */

static int
fn_dhcp_range(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;

	if (!want_kind(p, n, "range", YAML_SEQUENCE_NODE))
		return 0;
	if (seq_len(n) != 2) {
		config_error(p->x, node_pos(n), "range: expected [first, last], got %u addresses",
			seq_len(n));
		return 0;
	}
	if (get_ip(p, seq_item(p, n, 0), "range", &d->range_start))
		config_mark(p->x, &d->range_start, node_pos(seq_item(p, n, 0)));
	if (get_ip(p, seq_item(p, n, 1), "range", &d->range_end))
		config_mark(p->x, &d->range_end, node_pos(seq_item(p, n, 1)));
	return 0;
}

static int
fn_dhcp_dns(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;
	uint32_t *dns = d->dns;

	return ip_list(p, n, "dns", VXG_DNS_MAX, &dns, &d->n_dns);
}

static int
fn_dhcp_domain(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;

	if (!want_scalar(p, n, "domain", "a domain name"))
		return 0;
	if (strlen(scalar(n)) >= sizeof(d->domain) || !config_hostname_ok(scalar(n), true)) {
		config_error(p->x, node_pos(n),
			"domain '%s' is not a domain name (letters, "
			"digits, '-' and dots, at most %zu characters)",
			scalar(n), sizeof(d->domain) - 1);
		return 0;
	}
	strcpy(d->domain, scalar(n));
	return 0;
}

static int
fn_dhcp_hostname(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_dhcp_host_cfg *h = obj;

	if (!want_scalar(p, n, "hostname", "a host name"))
		return 0;
	if (strlen(scalar(n)) >= sizeof(h->hostname) || !config_hostname_ok(scalar(n), false)) {
		config_error(p->x, node_pos(n),
			"hostname '%s' is not a host name (letters, digits "
			"and '-', at most %zu characters)",
			scalar(n), sizeof(h->hostname) - 1);
		return 0;
	}
	strcpy(h->hostname, scalar(n));
	return 0;
}

#define T struct vxg_dhcp_host_cfg
static const struct field dhcp_host_fields[] = {
	{"mac", F_MAC, REQ, AT(mac)},
	{"ip", F_IP, REQ, AT(ip)},
	{"hostname", F_FN, .fn = fn_dhcp_hostname},
};
static const struct seq_desc dhcp_host_seq = SEQ("host", false, dhcp_host_fields, NULL, NULL);
#undef T

#define T struct vxg_dhcp_cfg
static const struct field dhcp_fields[] = {
	{"range", F_FN, .fn = fn_dhcp_range},
	{"lease", F_U32, AT(lease), .min = 60, .max = 31536000},
	{"dns", F_FN, .fn = fn_dhcp_dns},
	{"domain", F_FN, .fn = fn_dhcp_domain},
	{"hosts", LIST(hosts, n_hosts, dhcp_host_seq)},
};
#undef T

static int
fn_dhcp(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_network_cfg *net = obj;

	net->dhcp.enabled = true;
	net->dhcp.lease = 86400;
	net->dhcp.pos = node_pos(n);
	return parse_sub(p, n, "dhcp", dhcp_fields, RTE_DIM(dhcp_fields), &net->dhcp);
}

static int
fn_flood(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_network_cfg *net = obj;

	return ip_list(p, n, "flood", 0, &net->flood, &net->n_flood);
}

static void
network_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	struct vxg_network_cfg *net = elem;

	net->gw_mac_set = !rte_is_zero_ether_addr(&net->gw_mac);
}

#define T struct vxg_network_cfg
static const struct field network_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"vni", F_U32, REQ, AT(vni), .min = 1, .max = VXG_VNI_MAX},
	{"cidr", F_CIDR, REQ, AT(cidr), .min = 1, .max = 30},
	{"gateway", F_IP, AT(gateway)},
	{"gateway_mac", F_MAC, AT(gw_mac)},
	{"mtu", F_U16, AT(mtu), .min = 68, .max = 9600},
	{"flood", F_FN, .fn = fn_flood},
	{"dhcp", F_FN, .fn = fn_dhcp},
};
static const struct seq_desc network_seq =
	SEQ("network", true, network_fields, NULL, network_check);
#undef T

/* ports */

static int
fn_port_ip(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_port_cfg *port = obj;

	if (get_ip(p, n, "ip", &port->ips[0])) {
		port->n_ips = 1;
		config_mark(p->x, &port->ips[0], node_pos(n));
	}
	return 0;
}

static int
fn_port_ips(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_port_cfg *port = obj;
	uint32_t *ips = port->ips;

	port->n_ips = 0;
	return ip_list(p, n, "ips", VXG_PORT_IPS_MAX, &ips, &port->n_ips);
}

#define T struct vxg_port_cfg
static const struct field location_fields[] = {
	{"vtep", F_IP, AT(vtep)},
	{"interface", F_REF, AT(interface), .arg = &ref_interface},
	{"vlan", F_U16, AT(vlan), .min = 1, .max = 4094},
};
#undef T

static int
fn_location(struct parser *p, const yaml_node_t *n, void *obj)
{
	const yaml_node_t *vtep = map_get(p, n, "vtep"), *ifc = map_get(p, n, "interface");
	const yaml_node_t *vlan = map_get(p, n, "vlan");
	struct vxg_port_cfg *port = obj;
	int ret;

	ret = parse_mapping(p, n, location_fields, RTE_DIM(location_fields), port);
	if (ret < 0 || (n->type != YAML_MAPPING_NODE && !is_null(n)))
		return ret;
	if ((vtep == NULL) == (ifc == NULL))
		config_error(p->x, node_pos(n),
			"location: give exactly one of vtep (a remote "
			"hypervisor) or interface (an access interface)");
	else if (vlan != NULL && ifc == NULL)
		config_error(p->x, node_pos(vlan), "location: vlan applies only to an interface");
	port->loc = ifc != NULL ? VXG_LOC_INTERFACE : VXG_LOC_VTEP;
	config_mark(p->x, &port->loc, node_pos(n));
	return 0;
}

static void
pair_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	struct vxg_addr_pair_cfg *ap = elem;

	ap->mac_set = !rte_is_zero_ether_addr(&ap->mac);
}

#define T struct vxg_addr_pair_cfg
static const struct field pair_fields[] = {
	{"ip", F_CIDR, REQ, AT(ip), .min = 0, .max = 32, .bare = true},
	{"mac", F_MAC, AT(mac)},
};
static const struct seq_desc pair_seq =
	SEQ("allowed_address_pair", false, pair_fields, NULL, pair_check);
#undef T

static void
port_init(struct parser *p, void *elem)
{
	struct vxg_port_cfg *port = elem;

	port->network = VXG_NONE;
	port->interface = VXG_NONE;
	port->port_security = true;
}

static void
port_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	const yaml_node_t *ip = map_get(p, n, "ip"), *ips = map_get(p, n, "ips");

	if (ip != NULL && ips != NULL)
		config_error(p->x, node_pos(ips), "give either ip or ips, not both");
}

#define T struct vxg_port_cfg
static const struct field port_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"network", F_REF, REQ, AT(network), .arg = &ref_network},
	{"mac", F_MAC, REQ, AT(mac)},
	{"ip", F_FN, .fn = fn_port_ip},
	{"ips", F_FN, .fn = fn_port_ips},
	{"location", F_FN, REQ, .fn = fn_location},
	{"security_groups", F_REFS, AT(sgs), AT2(n_sgs), .arg = &ref_sg},
	{"allowed_address_pairs", LIST(pairs, n_pairs, pair_seq)},
	{"port_security", F_BOOL, AT(port_security)},
};
static const struct seq_desc port_seq = SEQ("port", true, port_fields, port_init, port_check);
#undef T

/* security groups */

static const char *const dir_names[] = {
	[VXG_DIR_INGRESS] = "ingress",
	[VXG_DIR_EGRESS] = "egress",
};

static int
fn_direction(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	unsigned v;

	if (get_enum(p, n, "direction", dir_names, RTE_DIM(dir_names), &v))
		r->dir = v;
	return 0;
}

static int
fn_ethertype(struct parser *p, const yaml_node_t *n, void *obj)
{
	if (!want_scalar(p, n, "ethertype", "IPv4"))
		return 0;
	if (!strcasecmp(scalar(n), "IPv6"))
		config_error(p->x, node_pos(n), "ethertype IPv6 is not supported yet");
	else if (strcasecmp(scalar(n), "IPv4") != 0)
		config_error(p->x, node_pos(n), "ethertype '%s' is not IPv4 (or IPv6, later)",
			scalar(n));
	return 0;
}

static int
fn_protocol(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (!want_scalar(p, n, "protocol", "a protocol"))
		return 0;
	if (config_proto_by_name(scalar(n), &r->proto))
		return 0;
	if (config_text_int(scalar(n), &v) == 0 && v >= 0 && v <= 255)
		r->proto = v;
	else
		config_error(p->x, node_pos(n),
			"protocol '%s' is not tcp, udp, icmp, sctp, any "
			"or a number 0..255",
			scalar(n));
	return 0;
}

static int
fn_icmp_type(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (get_int(p, n, "type", 0, 255, &v))
		r->icmp_type = v;
	return 0;
}

static int
fn_icmp_code(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_rule_cfg *r = obj;
	int64_t v;

	if (get_int(p, n, "code", 0, 255, &v))
		r->icmp_code = v;
	return 0;
}

static void
rule_init(struct parser *p, void *elem)
{
	struct vxg_rule_cfg *r = elem;

	r->ethertype = RTE_ETHER_TYPE_IPV4;
	r->proto = VXG_PROTO_ANY;
	r->port_min = 0;
	r->port_max = UINT16_MAX;
	r->icmp_type = -1;
	r->icmp_code = -1;
	r->remote_kind = VXG_REMOTE_ANY;
	r->remote_index = VXG_NONE;
}

static const struct {
	const char *key;
	enum vxg_remote_kind kind;
} remote_keys[] = {
	{"remote", VXG_REMOTE_CIDR},
	{"remote_group", VXG_REMOTE_GROUP},
	{"remote_port_group", VXG_REMOTE_PORT_GROUP},
	{"address_set", VXG_REMOTE_ADDRESS_SET},
};

static void
rule_check_remote(struct parser *p, const yaml_node_t *n, struct vxg_rule_cfg *r)
{
	const yaml_node_t *v;
	unsigned i, seen = 0;

	for (i = 0; i < RTE_DIM(remote_keys); i++) {
		v = map_get(p, n, remote_keys[i].key);
		if (v == NULL)
			continue;
		if (seen++ > 0) {
			config_error(p->x, node_pos(v),
				"give at most one of remote, remote_group, "
				"remote_port_group and address_set");
			return;
		}
		r->remote_kind = remote_keys[i].kind;
	}
}

static bool
proto_has_ports(uint16_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
}

static void
rule_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	const yaml_node_t *ports = map_get(p, n, "ports"), *type = map_get(p, n, "type");
	const yaml_node_t *code = map_get(p, n, "code");
	struct vxg_rule_cfg *r = elem;

	rule_check_remote(p, n, r);
	if (ports != NULL && !proto_has_ports(r->proto))
		config_error(p->x, node_pos(ports),
			"ports apply only to protocol tcp, udp or "
			"sctp");
	if (type != NULL && r->proto != IPPROTO_ICMP)
		config_error(p->x, node_pos(type), "type applies only to protocol icmp");
	if (code != NULL && r->proto != IPPROTO_ICMP)
		config_error(p->x, node_pos(code), "code applies only to protocol icmp");
	else if (code != NULL && type == NULL)
		config_error(p->x, node_pos(code), "code needs a type");
}

#define T struct vxg_rule_cfg
static const struct field rule_fields[] = {
	{"direction", F_FN, REQ, .fn = fn_direction},
	{"ethertype", F_FN, .fn = fn_ethertype},
	{"protocol", F_FN, .fn = fn_protocol},
	{"ports", F_RANGE, AT(port_min), AT2(port_max), .min = 0, .max = 65535},
	{"type", F_FN, .fn = fn_icmp_type},
	{"code", F_FN, .fn = fn_icmp_code},
	{"remote", F_CIDR, AT(remote), .min = 0, .max = 32, .bare = true},
	{"remote_group", F_REF, AT(remote_index), .arg = &ref_sg},
	{"remote_port_group", F_REF, AT(remote_index), .arg = &ref_port_group},
	{"address_set", F_REF, AT(remote_index), .arg = &ref_address_set},
};
static const struct seq_desc rule_seq = SEQ("rule", false, rule_fields, rule_init, rule_check);
#undef T

static void
sg_init(struct parser *p, void *elem)
{
	struct vxg_sg_cfg *sg = elem;

	sg->stateful = true;
}

#define T struct vxg_sg_cfg
static const struct field sg_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"stateful", F_BOOL, AT(stateful)},
	{"rules", LIST(rules, n_rules, rule_seq)},
};
static const struct seq_desc sg_seq = SEQ("security_group", true, sg_fields, sg_init, NULL);
#undef T

#define T struct vxg_port_group_cfg
static const struct field port_group_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"ports", F_REFS, AT(ports), AT2(n_ports), .arg = &ref_port},
};
static const struct seq_desc port_group_seq =
	SEQ("port_group", true, port_group_fields, NULL, NULL);
#undef T

static int
fn_addresses(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_address_set_cfg *as = obj;
	unsigned i, len = seq_len(n);
	const yaml_node_t *it;

	if (!want_kind(p, n, "addresses", YAML_SEQUENCE_NODE) || len == 0)
		return 0;
	as->addrs = calloc(len, sizeof(*as->addrs));
	if (as->addrs == NULL)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		it = seq_item(p, n, i);
		if (!get_cidr(p, it, "addresses", 0, 32, true, &as->addrs[as->n_addrs]))
			continue;
		config_mark(p->x, &as->addrs[as->n_addrs], node_pos(it));
		as->n_addrs++;
	}
	return 0;
}

#define T struct vxg_address_set_cfg
static const struct field address_set_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"addresses", F_FN, .fn = fn_addresses},
};
static const struct seq_desc address_set_seq =
	SEQ("address_set", true, address_set_fields, NULL, NULL);
#undef T

/* routes and NAT */

static void
route_init(struct parser *p, void *elem)
{
	struct vxg_route_cfg *r = elem;

	r->via = VXG_NONE;
}

static void
route_check(struct parser *p, const yaml_node_t *n, void *elem)
{
	if (map_get(p, n, "via") == NULL && map_get(p, n, "nexthop") == NULL)
		config_error(p->x, node_pos(n),
			"give via (an interface), nexthop (an address) "
			"or both");
}

#define T struct vxg_route_cfg
static const struct field route_fields[] = {
	{"prefix", F_CIDR, REQ, AT(prefix), .min = 0, .max = 32, .bare = true},
	{"via", F_REF, AT(via), .arg = &ref_interface},
	{"nexthop", F_IP, AT(nexthop)},
};
static const struct seq_desc route_seq = SEQ("route", false, route_fields, route_init, route_check);
#undef T

static void
fip_init(struct parser *p, void *elem)
{
	struct vxg_fip_cfg *f = elem;

	f->port = VXG_NONE;
}

#define T struct vxg_fip_cfg
static const struct field fip_fields[] = {
	{"ip", F_IP, REQ, AT(ip)},
	{"port", F_REF, REQ, AT(port), .arg = &ref_port},
	{"fixed_ip", F_IP, AT(fixed_ip)},
};
static const struct seq_desc fip_seq = SEQ("floating_ip", false, fip_fields, fip_init, NULL);
#undef T

#define T struct vxg_nat_cfg
static const struct field nat_fields[] = {
	{"snat", F_IP, AT(snat)},
	{"snat_ports", F_RANGE, AT(port_min), AT2(port_max), .min = 1, .max = 65535},
	{"interface", F_REF, AT(interface), .arg = &ref_interface},
	{"floating_ips", LIST(fips, n_fips, fip_seq)},
};
#undef T

static int
fn_nat(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_vpc_cfg *v = obj;

	v->nat.pos = node_pos(n);
	return parse_sub(p, n, "nat", nat_fields, RTE_DIM(nat_fields), &v->nat);
}

/* VPCs and the top level */

static void
vpc_init(struct parser *p, void *elem)
{
	struct vxg_vpc_cfg *v = elem;

	indexes_free(p); /* the lists of the previous VPC */
	p->vpc = v;
	v->nat.interface = VXG_NONE;
	v->nat.port_min = 1024;
	v->nat.port_max = 65535;
}

#define T struct vxg_vpc_cfg
static const struct field vpc_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"networks", LIST(networks, n_networks, network_seq)},
	{"address_sets", LIST(address_sets, n_address_sets, address_set_seq)},
	{"security_groups", LIST(sgs, n_sgs, sg_seq)},
	{"ports", LIST(ports, n_ports, port_seq)},
	{"port_groups", LIST(port_groups, n_port_groups, port_group_seq)},
	{"routes", LIST(routes, n_routes, route_seq)},
	{"nat", F_FN, .fn = fn_nat},
};
static const struct seq_desc vpc_seq = SEQ("vpc", true, vpc_fields, vpc_init, NULL);
#undef T

static int
fn_dataplane(struct parser *p, const yaml_node_t *n, void *obj)
{
	struct vxg_config *c = obj;

	return parse_sub(
		p, n, "dataplane", dataplane_fields, RTE_DIM(dataplane_fields), &c->dataplane);
}

#define T struct vxg_config
static const struct field root_fields[] = {
	{"dataplane", F_FN, .fn = fn_dataplane},
	{"interfaces", LIST(interfaces, n_interfaces, if_seq), REQ, .min = 1},
	{"vtep", F_FN, .fn = fn_vtep},
	{"vpcs", LIST(vpcs, n_vpcs, vpc_seq)},
};
#undef T

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

static int
walk_root(struct config_ctx *x, yaml_document_t *doc)
{
	struct parser p = {.x = x, .doc = doc, .c = x->c};
	const yaml_node_t *root = yaml_document_get_root_node(doc);
	int ret;

	if (root == NULL) {
		config_error(x, (struct vxg_pos){1, 1},
			"the file is empty; it needs at least an "
			"interfaces: list");
		return 0;
	}
	if (root->type != YAML_MAPPING_NODE) {
		config_error(x, node_pos(root),
			"the top level must be a mapping (dataplane:, "
			"interfaces:, vtep:, vpcs:), got %s",
			node_desc(root).s);
		return 0;
	}
	ret = parse_mapping(&p, root, root_fields, RTE_DIM(root_fields), x->c);
	indexes_free(&p);
	return ret;
}

/* A second document ("---" and more) would be silently ignored: refuse it. */
static int
check_one_document(struct config_ctx *x, yaml_parser_t *ps, const char *buf, size_t len)
{
	const yaml_node_t *root;
	yaml_document_t doc;

	if (!yaml_parser_load(ps, &doc))
		return yaml_problem(x, ps, buf, len);
	root = yaml_document_get_root_node(&doc);
	if (root != NULL)
		config_error(x, node_pos(root),
			"a second YAML document starts here; the "
			"configuration is one document");
	yaml_document_delete(&doc);
	return 0;
}

static int
config_parse(struct config_ctx *x, const char *buf, size_t len)
{
	yaml_parser_t ps;
	yaml_document_t doc;
	int ret;

	if (!yaml_parser_initialize(&ps))
		return -ENOMEM;
	yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&ps, &doc)) {
		ret = yaml_problem(x, &ps, buf, len);
		goto out;
	}
	ret = walk_root(x, &doc);
	if (ret == 0 && yaml_document_get_root_node(&doc) != NULL)
		ret = check_one_document(x, &ps, buf, len);
	yaml_document_delete(&doc);
out:
	yaml_parser_delete(&ps);
	return ret;
}

static struct vxg_config *
config_new(const char *name)
{
	struct vxg_config *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	snprintf(c->path, sizeof(c->path), "%s", name);
	c->dataplane = (struct vxg_dataplane_cfg){
		.burst = 32,
		.mbufs = 32768,
		.rx_desc = 1024,
		.tx_desc = 1024,
		.idle_sleep_us = 200,
		.dhcp_rate = 2000, /* VXG_DHCP_GLOBAL_RATE */
		.dhcp_client_rate = 10, /* VXG_DHCP_CLIENT_RATE */
		.limits = {.fdb = 1048576,
			.neighbours = 65536,
			.sessions = 1048576,
			.conntrack = 262144},
	};
	c->vtep = (struct vxg_vtep_cfg){
		.udp_port = 4789,
		.learning = true,
		.ageing = 300,
		.ttl = 64,
		.src_port_min = 32768,
		.src_port_max = 60999,
		.underlay = VXG_NONE,
	};
	return c;
}

static int
config_load_buf(const char *name, const char *buf, size_t len, struct vxg_config **out, char *err,
	size_t errlen)
{
	struct config_ctx x = {.file = name};
	int ret = -ENOMEM;

	x.c = config_new(name);
	if (x.c != NULL)
		ret = config_parse(&x, buf, len);
	if (ret == 0 && config_error_count(&x) == 0) {
		config_marks_sort(&x);
		ret = config_validate(&x);
	}
	if (x.nomem)
		ret = -ENOMEM;
	else if (ret == 0 && config_error_count(&x) > 0)
		ret = -EINVAL;
	config_report(&x, ret, err, errlen);
	config_ctx_fini(&x);
	if (ret < 0) {
		vxg_config_free(x.c);
		return ret;
	}
	*out = x.c;
	return 0;
}

static int
read_file(const char *path, char **buf, size_t *len)
{
	size_t cap = 0, n;
	FILE *f;
	char *b;
	int ret = 0;

	*buf = NULL;
	*len = 0;
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	do {
		if (*len == cap) {
			cap = cap ? 2 * cap : 65536;
			b = cap > CONFIG_FILE_MAX ? NULL : realloc(*buf, cap);
			if (b == NULL) {
				ret = cap > CONFIG_FILE_MAX ? -EFBIG : -ENOMEM;
				goto err;
			}
			*buf = b;
		}
		n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	if (ferror(f)) {
		ret = errno ? -errno : -EIO;
		goto err;
	}
	fclose(f);
	return 0;
err:
	fclose(f);
	free(*buf);
	*buf = NULL;
	return ret;
}

/* ---- API --------------------------------------------------------------------------------- */

int
vxg_config_load(const char *path, struct vxg_config **out, char *err, size_t errlen)
{
	char *buf, msg[128];
	size_t len;
	int ret;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	if (strlen(path) >= sizeof((*out)->path)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return -ENAMETOOLONG;
	}
	ret = read_file(path, &buf, &len);
	if (ret < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
			strerror_r(-ret, msg, sizeof(msg)));
		return ret;
	}
	ret = config_load_buf(path, buf, len, out, err, errlen);
	free(buf);
	return ret;
}

int
vxg_config_load_string(
	const char *name, const char *yaml, struct vxg_config **out, char *err, size_t errlen)
{
	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	return config_load_buf(name ? name : "<string>", yaml, strlen(yaml), out, err, errlen);
}

static void
vpc_free(struct vxg_vpc_cfg *v)
{
	unsigned i;

	for (i = 0; i < v->n_networks; i++) {
		free(v->networks[i].flood);
		free(v->networks[i].dhcp.hosts);
	}
	for (i = 0; i < v->n_ports; i++) {
		free(v->ports[i].sgs);
		free(v->ports[i].pairs);
	}
	for (i = 0; i < v->n_sgs; i++)
		free(v->sgs[i].rules);
	for (i = 0; i < v->n_port_groups; i++)
		free(v->port_groups[i].ports);
	for (i = 0; i < v->n_address_sets; i++)
		free(v->address_sets[i].addrs);
	free(v->networks);
	free(v->ports);
	free(v->sgs);
	free(v->port_groups);
	free(v->address_sets);
	free(v->routes);
	free(v->nat.fips);
}

void
vxg_config_free(struct vxg_config *c)
{
	unsigned i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_interfaces; i++)
		free(c->interfaces[i].neighbours);
	free(c->interfaces);
	for (i = 0; i < c->n_vpcs; i++)
		vpc_free(&c->vpcs[i]);
	free(c->vpcs);
	free(c);
}

void
vxg_config_count(const struct vxg_config *c, struct vxg_config_counts *n)
{
	const struct vxg_vpc_cfg *v;
	unsigned i, j;

	memset(n, 0, sizeof(*n));
	n->interfaces = c->n_interfaces;
	n->vpcs = c->n_vpcs;
	for (i = 0; i < c->n_vpcs; i++) {
		v = &c->vpcs[i];
		n->networks += v->n_networks;
		n->ports += v->n_ports;
		n->security_groups += v->n_sgs;
		for (j = 0; j < v->n_sgs; j++)
			n->rules += v->sgs[j].n_rules;
		n->port_groups += v->n_port_groups;
		n->address_sets += v->n_address_sets;
		n->routes += v->n_routes;
		n->snat += v->nat.snat != 0;
		n->floating_ips += v->nat.n_fips;
	}
}

unsigned
vxg_config_find_interface(const struct vxg_config *c, const char *name)
{
	unsigned i;

	for (i = 0; i < c->n_interfaces; i++)
		if (!strcmp(c->interfaces[i].name, name))
			return i;
	return VXG_NONE;
}

unsigned
vxg_config_find_vpc(const struct vxg_config *c, const char *name)
{
	for (unsigned i = 0; i < c->n_vpcs; i++)
		if (strcmp(c->vpcs[i].name, name) == 0)
			return i;
	return VXG_NONE;
}
