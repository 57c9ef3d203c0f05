/* SPDX-License-Identifier: BSD-3-Clause */
/* A small streaming JSON writer for command output. Control thread only. */
#ifndef VXG_JSON_H
#define VXG_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_DEPTH_MAX 16

struct jw {
	FILE *f;
	int depth;
	bool first[JW_DEPTH_MAX];
};

/* `key` is the member name inside an object, NULL inside an array or at the top. */
void jw_init(struct jw *j, FILE *f);
void jw_obj_open(struct jw *j, const char *key);
void jw_obj_close(struct jw *j);
void jw_arr_open(struct jw *j, const char *key);
void jw_arr_close(struct jw *j);
void jw_str(struct jw *j, const char *key, const char *val);
void jw_u64(struct jw *j, const char *key, uint64_t val);
void jw_double(struct jw *j, const char *key, double val);
void jw_bool(struct jw *j, const char *key, bool val);

#endif
