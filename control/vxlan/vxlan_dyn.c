/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dynamic flood sets (vxlan_dyn.h): a short array of networks, each with its sorted
 * VTEPs. Networks with EVPN are few (one set each), so a linear search does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vxlan/vxlan_dyn.h"

struct dyn_set {
	uint32_t vni;
	unsigned n;
	uint32_t *ips; /* sorted, distinct */
};

/* Thread-safety: control thread only. */
static struct {
	struct dyn_set *sets;
	unsigned n, cap;
} dyn;

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static struct dyn_set *
dyn_find(uint32_t vni)
{
	for (unsigned i = 0; i < dyn.n; i++)
		if (dyn.sets[i].vni == vni)
			return &dyn.sets[i];
	return NULL;
}

static void
dyn_remove(struct dyn_set *s)
{
	free(s->ips);
	*s = dyn.sets[--dyn.n];
}

/* The set of vni, made empty if it was not there; NULL: no memory. */
static struct dyn_set *
dyn_get(uint32_t vni)
{
	struct dyn_set *s = dyn_find(vni);

	if (s != NULL)
		return s;
	if (dyn.n == dyn.cap) {
		unsigned cap = dyn.cap ? 2 * dyn.cap : 16;
		struct dyn_set *sets = realloc(dyn.sets, cap * sizeof(*sets));

		if (sets == NULL)
			return NULL;
		dyn.sets = sets;
		dyn.cap = cap;
	}
	s = &dyn.sets[dyn.n++];
	*s = (struct dyn_set){.vni = vni};
	return s;
}

int
vxg_vxlan_dyn_flood_set(uint32_t vni, const uint32_t *ips, unsigned n)
{
	struct dyn_set *s;
	uint32_t *copy;
	unsigned k = 0;

	if (n > VXG_DYN_FLOOD_MAX)
		return -E2BIG;
	if (n == 0) {
		if ((s = dyn_find(vni)) != NULL)
			dyn_remove(s);
		return 0;
	}
	copy = malloc(n * sizeof(*copy));
	if (copy == NULL || (s = dyn_get(vni)) == NULL) {
		free(copy);
		return -ENOMEM;
	}
	memcpy(copy, ips, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_u32);
	for (unsigned i = 0; i < n; i++)
		if (k == 0 || copy[k - 1] != copy[i])
			copy[k++] = copy[i];
	free(s->ips);
	s->ips = copy;
	s->n = k;
	return 0;
}

const uint32_t *
vxg_vxlan_dyn_flood(uint32_t vni, unsigned *n)
{
	const struct dyn_set *s = dyn_find(vni);

	*n = s != NULL ? s->n : 0;
	return s != NULL ? s->ips : NULL;
}

bool
vxg_vxlan_dyn_has(uint32_t ip)
{
	for (unsigned i = 0; i < dyn.n; i++)
		if (bsearch(&ip, dyn.sets[i].ips, dyn.sets[i].n, sizeof(ip), cmp_u32) != NULL)
			return true;
	return false;
}

void
vxg_vxlan_dyn_clear(void)
{
	while (dyn.n > 0)
		dyn_remove(&dyn.sets[0]);
	free(dyn.sets);
	dyn.sets = NULL;
	dyn.cap = 0;
}
