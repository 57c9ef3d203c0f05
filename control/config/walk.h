/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schema walk: a YAML mapping is parsed by a table of fields (struct config_field),
 * one per key, saying how its value is read and where in the object it is stored. The
 * walk reports unknown keys (with suggestions), keys given twice and missing required
 * keys, reads each value (values.h), marks where it was written (errors.h), resolves
 * names to indices (references to interfaces, networks, groups...) and recurses into
 * lists of objects, each with its own table. The tables themselves are the schema
 * (schema_*.c), one file per feature.
 *
 * Thread-safety: a config_parser lives on the stack of one load.
 */
#ifndef VXG_CONFIG_WALK_H
#define VXG_CONFIG_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include "config/errors.h"
#include "config/names.h"
#include "config/yaml_doc.h"

struct config_parser {
	struct config_ctx *x;
	const struct config_doc *doc;
	struct vxg_config *c;
	struct vxg_vpc_cfg *vpc; /* the VPC being walked: names resolve inside it */
	struct config_name_indexes names; /* sorted lists for references, built on demand */
};

enum config_ftype {
	F_U8,
	F_U16,
	F_U32,
	F_BOOL,
	F_IP, /* unicast IPv4 address */
	F_CIDR, /* prefix; .min/.max bound the length; .bare: an address is a /32 */
	F_IFADDR, /* address/len of an interface; .off2: uint8_t prefix length */
	F_IP6, /* unicast IPv6 address (struct vxg_ip6) */
	F_CIDR6, /* IPv6 prefix (struct vxg_cidr6); .min/.max, .bare as F_CIDR */
	F_IFADDR6, /* IPv6 address/len of an interface; .off2: uint8_t prefix length */
	F_MAC, /* unicast MAC */
	F_STR, /* .off2: buffer size */
	F_NAME, /* an object's own name */
	F_RANGE, /* "A-B" into two uint16_t, .off and .off2 */
	F_REF, /* a name resolved to an unsigned index; .arg: struct config_ref */
	F_REFS, /* a list of names: unsigned * at .off, count at .off2 */
	F_SEQ, /* a list of objects: pointer at .off, count at .off2; .arg: config_seq */
	F_FN, /* anything else: .fn */
};

/* Parses n into obj (the object the table is for). 0, or -ENOMEM. */
typedef int (*config_field_fn)(struct config_parser *p, const struct config_node *n, void *obj);

struct config_field {
	const char *key; /* first: struct config_names reads it */
	enum config_ftype type;
	bool required;
	bool bare;
	size_t off, off2;
	int64_t min, max;
	const void *arg;
	config_field_fn fn;
};

/* What a name refers to: the list to look it up in. */
struct config_ref {
	const char *what;
	struct config_names (*list)(const struct config_parser *p);
};

/* A list of objects: one table of fields per element. */
struct config_seq {
	const char *label;
	size_t size, pos_off;
	bool named; /* elements start with char name[VXG_NAME_MAX] */
	const struct config_field *fields;
	unsigned n_fields;
	void (*init)(struct config_parser *p, void *elem); /* defaults, before any key */
	/* checks between keys of one element, after they all parsed */
	void (*check)(struct config_parser *p, const struct config_node *n, void *elem);
};

/*
 * Writing tables: inside one, T is the object type.
 *   #define T struct vxg_route_cfg
 *   static const struct config_field route_fields[] = {
 *       {"prefix", F_CIDR, REQ, AT(prefix), .min = 0, .max = 32, .bare = true}, ...};
 *   const struct config_seq schema_route_seq = SEQ("route", false, route_fields, ...);
 *   #undef T
 */
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

/* Fields are parsed in table order, not file order; a null node is an empty mapping. */
int config_parse_mapping(struct config_parser *p, const struct config_node *n,
	const struct config_field *fields, unsigned n_fields, void *obj);
/* A nested mapping that is its own object in messages: "vpc blue nat". */
int config_parse_sub(struct config_parser *p, const struct config_node *n, const char *label,
	const struct config_field *fields, unsigned n_fields, void *obj);

/* Names now resolve inside v (its networks, ports, groups...). */
void config_parser_enter_vpc(struct config_parser *p, struct vxg_vpc_cfg *v);
/* Frees what the walk built on the way (its name indexes). */
void config_parser_fini(struct config_parser *p);

#endif
