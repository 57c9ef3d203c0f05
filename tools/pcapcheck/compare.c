/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Comparing two captures field by field: in step (the default), or as multisets
 * (--unordered, for multi-queue output), printing the first packet that differs.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapcheck.h"

bool
ignored(struct ignores *ig, const char *name)
{
	bool hit = false;

	for (size_t k = 0; k < ig->n; k++) {
		if (fnmatch(ig->pat[k], name, 0) == 0) {
			ig->used[k] = true;
			hit = true;
		}
	}
	return hit;
}

static const struct field *
find(const struct dec *d, const char *name, size_t hint)
{
	if (hint < d->n && !strcmp(d->v[hint].name, name))
		return &d->v[hint];
	for (size_t k = 0; k < d->n; k++) {
		if (!strcmp(d->v[k].name, name))
			return &d->v[k];
	}
	return NULL;
}

/* A blob diff: lengths, and the first byte that differs. */
static void
print_blob_diff(const char *name, const char *got, const char *exp)
{
	size_t lg = strlen(got), le = strlen(exp), k = 0;

	while (k < lg && k < le && got[k] == exp[k])
		k++;
	k /= 2;
	printf("  %s: got %zu bytes, expected %zu bytes", name, lg / 2, le / 2);
	if (2 * k < lg && 2 * k < le)
		printf(", first difference at byte %zu (got 0x%.2s, expected 0x%.2s)", k,
			got + 2 * k, exp + 2 * k);
	printf("\n");
}

static void
print_diff(const char *name, const struct field *got, const struct field *exp)
{
	if (got && exp && (got->blob || exp->blob))
		print_blob_diff(name, got->val, exp->val);
	else if (got && exp)
		printf("  %s: got %s, expected %s\n", name, got->val, exp->val);
	else if (got)
		printf("  %s: got %s, expected (absent)\n", name, got->blob ? "bytes" : got->val);
	else
		printf("  %s: got (absent), expected %s\n", name, exp->blob ? "bytes" : exp->val);
}

/* Counts the fields that differ, printing them when verbose. */
static size_t
compare_fields(const struct dec *got, const struct dec *exp, struct ignores *ig, bool verbose)
{
	size_t n = 0;

	for (size_t k = 0; k < exp->n; k++) {
		const struct field *e = &exp->v[k], *g = find(got, e->name, k);

		if (ignored(ig, e->name) || (g && !strcmp(g->val, e->val)))
			continue;
		n++;
		if (verbose)
			print_diff(e->name, g, e);
	}
	for (size_t k = 0; k < got->n; k++) {
		const struct field *g = &got->v[k];

		if (find(exp, g->name, k) || ignored(ig, g->name))
			continue;
		n++;
		if (verbose)
			print_diff(g->name, g, NULL);
	}
	return n;
}

/* -1 when the frames are byte-identical, else the first offset that differs. */
static long
first_byte_diff(const struct pkt *a, const struct pkt *b)
{
	uint32_t n = a->caplen < b->caplen ? a->caplen : b->caplen;

	for (uint32_t k = 0; k < n; k++) {
		if (a->data[k] != b->data[k])
			return k;
	}
	return a->caplen == b->caplen ? -1 : (long)n;
}

/*
 * Compares two packets; prints the diff under title when verbose. Without --ignore the
 * bytes must match too: a guard against a decoder that misses a byte.
 */
static size_t
compare_pkts(const struct pkt *g, const struct pkt *e, struct dec *dg, struct dec *de,
	struct ignores *ig, const char *title)
{
	long off = first_byte_diff(g, e);
	size_t n;

	if (!ig->n && off < 0)
		return 0;
	decode_pkt(dg, g);
	decode_pkt(de, e);
	n = compare_fields(dg, de, ig, false);
	if (!n && (ig->n || off < 0))
		return 0;
	if (!title)
		return n ? n : 1;
	printf("%s: %zu field%s differ%s\n", title, n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	compare_fields(dg, de, ig, true);
	if (off >= 0)
		printf("  first differing byte at frame offset %ld\n", off);
	return n ? n : 1;
}

static int
report(size_t bad, size_t compared, size_t ng, size_t ne)
{
	if (bad)
		printf("%zu of %zu packets differ\n", bad, compared);
	if (ng != ne)
		printf("got %zu packets, expected %zu\n", ng, ne);
	if (bad || ng != ne)
		return EXIT_DIFFERENT;
	printf("%zu packets match\n", ng);
	return EXIT_EQUAL;
}

/* Walks both captures in step; prints the first packet that differs. */
int
compare_ordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port)
{
	pcap_t *pg = open_capture(got), *pe = pg ? open_capture(exp) : NULL;
	struct dec dg = {.vxlan_port = vxlan_port}, de = {.vxlan_port = vxlan_port};
	size_t ng = 0, ne = 0, bad = 0;
	struct pkt g, e;
	int rg = 0, re = 0;
	char title[64];

	if (!pe) {
		if (pg)
			pcap_close(pg);
		return EXIT_TROUBLE;
	}
	for (;;) {
		if ((rg = next_pkt(pg, got, &g)) <= 0)
			break;
		ng++;
		if ((re = next_pkt(pe, exp, &e)) <= 0)
			break;
		ne++;
		snprintf(title, sizeof(title), "packet %zu", ng);
		if (compare_pkts(&g, &e, &dg, &de, ig, bad ? NULL : title))
			bad++;
	}
	if (rg == 0)
		re = count_rest(pe, exp, &ne); /* got ran out first */
	else if (rg > 0 && re == 0)
		rg = count_rest(pg, got, &ng); /* expected ran out first */
	dec_free(&dg);
	dec_free(&de);
	pcap_close(pg);
	pcap_close(pe);
	if (rg < 0 || re < 0)
		return EXIT_TROUBLE;
	return report(bad, ng < ne ? ng : ne, ng, ne);
}

/* Unordered matching: packets are keyed by a hash of their compared fields. */
struct keyed {
	uint64_t hash;
	size_t idx;
};

static uint64_t
fields_hash(const struct dec *d, struct ignores *ig)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t k = 0; k < d->n; k++) {
		const char *s[2] = {d->v[k].name, d->v[k].val};

		if (ignored(ig, d->v[k].name))
			continue;
		for (int j = 0; j < 2; j++) {
			for (const char *c = s[j];; c++) {
				h = (h ^ (uint8_t)*c) * 1099511628211ull;
				if (!*c)
					break;
			}
		}
	}
	return h;
}

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct keyed *
key_all(const struct capture *c, struct dec *d, struct ignores *ig)
{
	struct keyed *k = xrealloc(NULL, c->n * sizeof(*k));

	for (size_t i = 0; i < c->n; i++) {
		decode_pkt(d, &c->v[i]);
		k[i].hash = fields_hash(d, ig);
		k[i].idx = i;
	}
	qsort(k, c->n, sizeof(*k), keyed_cmp);
	return k;
}

/* Marks matched packets in both captures; equal hashes are confirmed field by field. */
static void
match_all(const struct capture *g, const struct capture *e, struct ignores *ig, struct dec *dg,
	struct dec *de, bool *mg, bool *me)
{
	struct keyed *kg = key_all(g, dg, ig), *ke = key_all(e, de, ig);
	size_t i = 0, j = 0;

	while (i < g->n && j < e->n) {
		if (kg[i].hash < ke[j].hash) {
			i++;
		} else if (kg[i].hash > ke[j].hash) {
			j++;
		} else {
			size_t a = kg[i++].idx, b = ke[j].idx;

			if (!compare_pkts(&g->v[a], &e->v[b], dg, de, ig, NULL)) {
				mg[a] = me[b] = true;
				j++;
			}
		}
	}
	free(kg);
	free(ke);
}

static size_t
first_unmatched(const bool *m, size_t n)
{
	size_t k = 0;

	while (k < n && m[k])
		k++;
	return k;
}

static size_t
count_unmatched(const bool *m, size_t n)
{
	size_t c = 0;

	for (size_t k = 0; k < n; k++)
		c += !m[k];
	return c;
}

/* The unmatched expected packet with the fewest differing fields from got packet a. */
static size_t
closest(const struct capture *g, const struct capture *e, size_t a, const bool *me,
	struct ignores *ig, struct dec *dg, struct dec *de)
{
	size_t best = e->n, best_n = SIZE_MAX, seen = 0;

	for (size_t b = 0; b < e->n && seen < CLOSEST_MAX; b++) {
		size_t n;

		if (me[b])
			continue;
		seen++;
		n = compare_pkts(&g->v[a], &e->v[b], dg, de, ig, NULL);
		if (n < best_n) {
			best = b;
			best_n = n;
		}
	}
	return best;
}

static void
explain_unmatched(const struct capture *g, const struct capture *e, const bool *mg, const bool *me,
	struct ignores *ig, struct dec *dg, struct dec *de)
{
	size_t a = first_unmatched(mg, g->n), b;
	char title[96];

	if (a == g->n) {
		b = first_unmatched(me, e->n);
		printf("expected packet %zu has no match in got\n", b + 1);
		return;
	}
	b = closest(g, e, a, me, ig, dg, de);
	if (b == e->n) {
		printf("got packet %zu has no match in expected (every expected packet matched)\n",
			a + 1);
		return;
	}
	snprintf(title, sizeof(title),
		"got packet %zu has no match; closest is expected packet %zu", a + 1, b + 1);
	compare_pkts(&g->v[a], &e->v[b], dg, de, ig, title);
}

int
compare_unordered(const char *got, const char *exp, struct ignores *ig, uint16_t vxlan_port)
{
	struct capture g = {0}, e = {0};
	struct dec dg = {.vxlan_port = vxlan_port}, de = {.vxlan_port = vxlan_port};
	bool *mg, *me;
	size_t ug, ue;
	int rc = EXIT_TROUBLE;

	if (load(got, &g) < 0 || load(exp, &e) < 0)
		goto out;
	mg = calloc(g.n + 1, sizeof(*mg));
	me = calloc(e.n + 1, sizeof(*me));
	if (!mg || !me)
		die_oom();
	match_all(&g, &e, ig, &dg, &de, mg, me);
	ug = count_unmatched(mg, g.n);
	ue = count_unmatched(me, e.n);
	rc = EXIT_EQUAL;
	if (ug || ue) {
		explain_unmatched(&g, &e, mg, me, ig, &dg, &de);
		printf("%zu of %zu got packets and %zu of %zu expected packets unmatched\n", ug,
			g.n, ue, e.n);
		rc = EXIT_DIFFERENT;
	}
	if (g.n != e.n)
		printf("got %zu packets, expected %zu\n", g.n, e.n);
	else if (rc == EXIT_EQUAL)
		printf("%zu packets match (unordered)\n", g.n);
	free(mg);
	free(me);
out:
	dec_free(&dg);
	dec_free(&de);
	capture_free(&g);
	capture_free(&e);
	return rc;
}
