/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config loader's entry points (model.h): read a file, load its YAML document
 * (yaml_doc.h), walk it with the schema into a model (schema_root.h), run the
 * cross-object checks once every value parsed (validate.h), and report every problem
 * found, in file order (errors.h). Also freeing, counting and finding in a model.
 *
 * The layers below, each depending only on those under it:
 *   errors.h   positions, messages, the context of one load
 *   fields.h   strings to values and back (no YAML: the shell uses it too)
 *   names.h    name lookups and "did you mean" suggestions
 *   yaml_doc.h the only code that includes libyaml
 *   values.h   one field's value read from a node, with messages
 *   walk.h     tables of fields, walked over mappings and lists
 *   schema_*.h one feature's keys each; schema_root.h the top level and VPCs
 *   validate*.h checks across objects, on the model only
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/errors.h"
#include "config/schema_dataplane.h"
#include "config/schema_root.h"
#include "config/schema_vtep.h"
#include "config/validate.h"
#include "config/yaml_doc.h"

/* A config bigger than this is a mistake (a pcap passed as -c), not a gateway. */
#define CONFIG_FILE_MAX (64u << 20)

static int
config_parse(struct config_ctx *x, const char *buf, size_t len)
{
	struct config_doc *doc;
	int ret;

	ret = config_doc_load(x, buf, len, &doc);
	if (ret < 0 || doc == NULL)
		return ret;
	ret = schema_walk(x, doc);
	if (ret == 0 && config_doc_root(doc) != NULL)
		ret = config_doc_check_end(x, doc);
	config_doc_free(doc);
	return ret;
}

static struct vxg_config *
config_new(const char *name)
{
	struct vxg_config *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	snprintf(c->path, sizeof(c->path), "%s", name);
	schema_dataplane_defaults(&c->dataplane);
	schema_vtep_defaults(&c->vtep);
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
	for (i = 0; i < v->n_address_sets; i++) {
		free(v->address_sets[i].addrs);
		free(v->address_sets[i].addrs6);
	}
	free(v->networks);
	free(v->ports);
	free(v->sgs);
	free(v->port_groups);
	free(v->address_sets);
	free(v->routes);
	free(v->nat.fips);
	free(v->nat.fwds);
	free(v->qos_policies);
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
	free(c->vtep.evpn.peers);
	free(c);
}

static void
count6(const struct vxg_vpc_cfg *v, struct vxg_config_counts *n)
{
	unsigned j, k;

	for (j = 0; j < v->n_networks; j++)
		n->networks6 += v->networks[j].ip6.enabled;
	for (j = 0; j < v->n_ports; j++) {
		n->addresses6 += v->ports[j].n_ip6s;
		n->addresses6_auto += v->ports[j].ip6_auto;
	}
	for (j = 0; j < v->n_routes; j++)
		n->routes6 += v->routes[j].is6;
	for (j = 0; j < v->n_sgs; j++)
		for (k = 0; k < v->sgs[j].n_rules; k++)
			n->rules6 += v->sgs[j].rules[k].ethertype == RTE_ETHER_TYPE_IPV6;
}

void
vxg_config_count(const struct vxg_config *c, struct vxg_config_counts *n)
{
	const struct vxg_vpc_cfg *v;
	unsigned i, j;

	memset(n, 0, sizeof(*n));
	n->interfaces = c->n_interfaces;
	n->vpcs = c->n_vpcs;
	for (i = 0; i < c->n_interfaces; i++)
		n->interfaces6 += c->interfaces[i].prefixlen6 != 0;
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
		count6(v, n);
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

int
vxg_config_vpc_range(const struct vxg_config *c, const char *name, unsigned *first, unsigned *last)
{
	*first = 0;
	*last = c->n_vpcs;
	if (name == NULL)
		return 0;
	if ((*first = vxg_config_find_vpc(c, name)) == VXG_NONE)
		return -ENOENT;
	*last = *first + 1;
	return 0;
}
