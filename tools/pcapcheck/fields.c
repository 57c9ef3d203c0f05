/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The decoded fields of one frame: names and values in blocks reused from packet to
 * packet, so that decoding a large capture allocates nothing once warm.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapcheck.h"

void
die_oom(void)
{
	fputs("pcapcheck: out of memory\n", stderr);
	exit(EXIT_TROUBLE);
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

static char *
dec_alloc(struct dec *d, size_t n)
{
	struct block *b;

	for (b = d->blocks; b && b->size - b->used < n; b = b->next)
		;
	if (!b) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;

		b = xrealloc(NULL, sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = d->blocks;
		d->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *dec_vprintf(struct dec *d, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static char *
dec_vprintf(struct dec *d, const char *fmt, va_list ap)
{
	char tmp[256];
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, again);
	va_end(again);
	if (n < 0)
		die_oom();
	s = dec_alloc(d, (size_t)n + 1);
	if ((size_t)n < sizeof(tmp))
		memcpy(s, tmp, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void
add_raw(struct dec *d, const char *pfx, const char *name, char *val, bool blob)
{
	size_t lp = strlen(pfx), ln = strlen(name);
	struct field *f;

	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	f = &d->v[d->n++];
	f->name = dec_alloc(d, lp + ln + 1);
	memcpy(f->name, pfx, lp);
	memcpy(f->name + lp, name, ln + 1);
	f->val = val;
	f->blob = blob;
}

void
add(struct dec *d, const char *pfx, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *val;

	va_start(ap, fmt);
	val = dec_vprintf(d, fmt, ap);
	va_end(ap);
	add_raw(d, pfx, name, val, false);
}

static void
add_blob(struct dec *d, const char *pfx, const char *name, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *val = dec_alloc(d, 2 * len + 1);

	for (size_t k = 0; k < len; k++) {
		val[2 * k] = hex[p[k] >> 4];
		val[2 * k + 1] = hex[p[k] & 15];
	}
	val[2 * len] = '\0';
	add_raw(d, pfx, name, val, true);
}

void
add_mac(struct dec *d, const char *pfx, const char *name, const uint8_t *m)
{
	add(d, pfx, name, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void
add_ip(struct dec *d, const char *pfx, const char *name, const uint8_t *a)
{
	add(d, pfx, name, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void
dec_reset(struct dec *d)
{
	for (struct block *b = d->blocks; b; b = b->next)
		b->used = 0;
	d->n = 0;
}

void
dec_free(struct dec *d)
{
	while (d->blocks) {
		struct block *next = d->blocks->next;

		free(d->blocks);
		d->blocks = next;
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

/* Bytes that no header claims: kept whole so that they still take part in the compare. */
void
rest(struct dec *d, const char *pfx, const char *name, const uint8_t *p, size_t len)
{
	if (len)
		add_blob(d, pfx, name, p, len);
}

static char *dec_printf(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
dec_printf(struct dec *d, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = dec_vprintf(d, fmt, ap);
	va_end(ap);
	return s;
}

/* Why decoding stopped; a second reason joins the first, so names stay unique. */
void
malformed(struct dec *d, const char *pfx, const char *fmt, ...)
{
	char name[PREFIX_MAX + 16];
	va_list ap;
	char *val;

	va_start(ap, fmt);
	val = dec_vprintf(d, fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%smalformed", pfx);
	for (size_t k = 0; k < d->n; k++) {
		if (!strcmp(d->v[k].name, name)) {
			d->v[k].val = dec_printf(d, "%s; %s", d->v[k].val, val);
			return;
		}
	}
	add_raw(d, pfx, "malformed", val, false);
}
