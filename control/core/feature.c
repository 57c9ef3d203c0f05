/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list of registered control features, kept sorted by order, the table of which
 * feature answers each punt kind, and the loops the daemon runs over them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mempool.h>

#include "core/feature.h"
#include "vxg_meta.h"

#define FEATURES_MAX 32

static struct vxg_feature *features[FEATURES_MAX];
static unsigned n_features;
static struct vxg_feature *punt_owner[VXG_FEATURE_PUNT_KINDS];

static bool
feature_before(const struct vxg_feature *a, const struct vxg_feature *b)
{
	return a->order != b->order ? a->order < b->order : strcmp(a->name, b->name) < 0;
}

static void
feature_die(const char *what, const struct vxg_feature *f)
{
	fprintf(stderr, "vxgate: feature %s: %s\n", f->name, what);
	abort();
}

void
vxg_feature_register(struct vxg_feature *f)
{
	unsigned i = n_features;

	if (n_features == FEATURES_MAX)
		feature_die("more features than FEATURES_MAX", f);
	for (unsigned k = 0; k < VXG_FEATURE_PUNT_KINDS; k++) {
		if (!(f->punts & VXG_FEATURE_PUNT(k)))
			continue;
		if (punt_owner[k] != NULL || f->punt == NULL)
			feature_die("claims a punt kind it cannot have", f);
		punt_owner[k] = f;
	}
	for (; i > 0 && feature_before(f, features[i - 1]); i--)
		features[i] = features[i - 1];
	features[i] = f;
	n_features++;
}

int
vxg_features_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	int ret;

	for (unsigned i = 0; i < n_features; i++)
		if (features[i]->init != NULL && (ret = features[i]->init(d, err, errlen)) < 0)
			return ret;
	return 0;
}

void
vxg_features_fini(struct vxg_daemon *d)
{
	for (unsigned i = n_features; i-- > 0;)
		if (features[i]->fini != NULL)
			features[i]->fini(d);
}

/* Abort the builds of features[0..n). */
static void
features_abort_first(struct vxg_daemon *d, struct vxg_gen *g, unsigned n)
{
	for (unsigned i = n; i-- > 0;)
		if (features[i]->abort != NULL)
			features[i]->abort(d, g);
}

int
vxg_features_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	int ret;

	for (unsigned i = 0; i < n_features; i++) {
		if (features[i]->build == NULL)
			continue;
		if ((ret = features[i]->build(d, g, cfg, err, errlen)) < 0) {
			features_abort_first(d, g, i + 1);
			return ret;
		}
	}
	return 0;
}

void
vxg_features_gen_free(struct vxg_gen *g)
{
	for (unsigned i = n_features; i-- > 0;)
		if (features[i]->gen_free != NULL)
			features[i]->gen_free(g);
}

void
vxg_features_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	for (unsigned i = 0; i < n_features; i++)
		if (features[i]->published != NULL)
			features[i]->published(d, g, cfg, old, ocfg);
}

int
vxg_features_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g,
	char *err, size_t errlen)
{
	char why[512];
	int ret = 0;

	for (unsigned i = 0; i < n_features; i++) {
		int r;

		if (features[i]->reload == NULL)
			continue;
		why[0] = '\0';
		r = features[i]->reload(d, nc, g, why, sizeof(why));
		/* An error replaces a note; the first of each kind stays. */
		if ((r < 0 && ret >= 0) || (r > 0 && ret == 0)) {
			snprintf(err, errlen, "%s", why);
			ret = r;
		}
	}
	return ret;
}

void
vxg_features_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	for (unsigned i = 0; i < n_features; i++)
		if (features[i]->tick != NULL)
			features[i]->tick(d, now_ms);
}

bool
vxg_features_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	uint8_t why = vxg_meta(m)->why;

	if (why >= VXG_FEATURE_PUNT_KINDS || punt_owner[why] == NULL)
		return false;
	punt_owner[why]->punt(d, m);
	return true;
}

bool
vxg_features_arp_proxy(const struct vxg_gen *g, unsigned ifindex, rte_be32_t ip)
{
	for (unsigned i = 0; i < n_features; i++)
		if (features[i]->arp_proxy != NULL && features[i]->arp_proxy(g, ifindex, ip))
			return true;
	return false;
}

unsigned
vxg_features_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows, unsigned max)
{
	struct vxg_mem_row mine[VXG_FEATURE_MEM_ROWS];
	unsigned n = 0;

	for (unsigned i = 0; i < n_features; i++) {
		unsigned k;

		if (features[i]->memory == NULL)
			continue;
		k = RTE_MIN(features[i]->memory(d, mine), (unsigned)VXG_FEATURE_MEM_ROWS);
		for (unsigned r = 0; r < k && n < max; r++)
			rows[n++] = mine[r];
	}
	return n;
}

unsigned
vxg_features_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < n_features; i++)
		if (features[i]->metrics != NULL)
			n += features[i]->metrics(
				d, n < max ? rows + n : NULL, n < max ? max - n : 0);
	return n;
}

unsigned
vxg_metric_add(struct vxg_metric *rows, unsigned max, unsigned n, const char *name,
	const char *help, double value, ...)
{
	struct vxg_metric *m;
	va_list ap;

	if (n >= max)
		return n + 1;
	m = &rows[n];
	*m = (struct vxg_metric){.name = name, .help = help, .value = value};
	va_start(ap, value);
	for (unsigned l = 0; l < VXG_METRIC_LABELS; l++) {
		const char *k = va_arg(ap, const char *), *v;

		if (k == NULL)
			break;
		v = va_arg(ap, const char *);
		m->label[l] = k;
		snprintf(m->value_of[l], sizeof(m->value_of[l]), "%s", v);
	}
	va_end(ap);
	return n + 1;
}

static void
mempool_chunk_sum(
	struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr, unsigned mem_idx)
{
	*(uint64_t *)opaque += memhdr->len;
}

uint64_t
vxg_mempool_bytes(struct rte_mempool *mp)
{
	uint64_t bytes = 0;

	rte_mempool_mem_iter(mp, mempool_chunk_sum, &bytes);
	return bytes;
}
