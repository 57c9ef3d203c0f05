/* SPDX-License-Identifier: BSD-3-Clause */
/* The streaming JSON writer behind `vxgate-ctl -j`: objects, arrays and escaped strings. */
#include "core/json.h"

void
jw_init(struct jw *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
}

static void
jw_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
jw_member(struct jw *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key != NULL) {
		jw_escaped(j->f, key);
		fputc(':', j->f);
	}
}

static void
jw_open(struct jw *j, const char *key, char c)
{
	jw_member(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JW_DEPTH_MAX)
		j->depth++;
	j->first[j->depth] = true;
}

static void
jw_close(struct jw *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void
jw_obj_open(struct jw *j, const char *key)
{
	jw_open(j, key, '{');
}

void
jw_obj_close(struct jw *j)
{
	jw_close(j, '}');
}

void
jw_arr_open(struct jw *j, const char *key)
{
	jw_open(j, key, '[');
}

void
jw_arr_close(struct jw *j)
{
	jw_close(j, ']');
}

void
jw_str(struct jw *j, const char *key, const char *val)
{
	jw_member(j, key);
	jw_escaped(j->f, val);
}

void
jw_u64(struct jw *j, const char *key, uint64_t val)
{
	jw_member(j, key);
	fprintf(j->f, "%lu", (unsigned long)val);
}

void
jw_double(struct jw *j, const char *key, double val)
{
	jw_member(j, key);
	fprintf(j->f, "%.2f", val);
}

void
jw_bool(struct jw *j, const char *key, bool val)
{
	jw_member(j, key);
	fputs(val ? "true" : "false", j->f);
}
