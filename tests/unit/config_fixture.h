/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the config loader's tests share: the error buffer size, a valid base file in pieces
 * whose line numbers are known, and a table-driven check that a file is refused with its
 * first error at a given "FILE:LINE:COL: OBJECT:" and containing a given phrase. Used by
 * test_config_model.c, test_config_fields.c, test_config_schema.c and test_config_validate.c.
 * No EAL: the loader only uses header-inline helpers from DPDK.
 */
#ifndef VXG_TEST_CONFIG_FIXTURE_H
#define VXG_TEST_CONFIG_FIXTURE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/model.h"

#define ERR_LEN 8192

/*
 * A valid base, line by line, so each case can say where its mistake is. Lines 1-9:
 *   1 interfaces:
 *   2-4 uplink (underlay), wan (external), local (access)
 *   5 vtep
 *   6 vpcs:  7 - name: blue  8 networks:  9 - name: web ... (block style from there)
 */
#define IFS                                                                             \
	"interfaces:\n"                                                                 \
	"  - {name: uplink, device: net_tap0, role: underlay, address: 172.16.0.1/24, " \
	"gateway: 172.16.0.254}\n"                                                      \
	"  - {name: wan, device: net_tap1, role: external, address: 203.0.113.2/24, "   \
	"gateway: 203.0.113.1}\n"                                                       \
	"  - {name: local, device: net_tap2, role: access}\n"
#define VTEP "vtep: {address: 172.16.0.1}\n"
#define BLUE "vpcs:\n  - name: blue\n    networks:\n"
/* lines 9-12 */
#define WEB                           \
	"      - name: web\n"         \
	"        vni: 100\n"          \
	"        cidr: 10.1.0.0/24\n" \
	"        gateway: 10.1.0.1\n"
#define HEAD IFS VTEP BLUE WEB
/* lines 13-18 */
#define PORTS "    ports:\n"
#define VM1                                    \
	"      - name: vm1\n"                  \
	"        network: web\n"               \
	"        mac: \"02:00:00:00:00:01\"\n" \
	"        ip: 10.1.0.11\n"              \
	"        location: {vtep: 172.16.0.2}\n"
/* a second VPC from line 19 (after HEAD PORTS VM1) */
#define RED "  - name: red\n    networks:\n"

struct reject {
	const char *name;
	const char *yaml;
	const char *where; /* "t.yaml:LINE:COL: OBJECT:", the start of the first line */
	const char *phrase; /* in that first line */
};

/* On failure, show the line the first error points at with a caret under the column. */
static inline void
show_position(const char *yaml, const char *err)
{
	unsigned line, col, i;
	const char *p = yaml;

	if (sscanf(err, "t.yaml:%u:%u:", &line, &col) != 2)
		return;
	for (i = 1; i < line && p != NULL; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (p != NULL)
		print_error("%.*s\n%*s^\n", (int)strcspn(p, "\n"), p, (int)col - 1, "");
}

static inline void
reject(void **state)
{
	const struct reject *r = *state;
	struct vxg_config *c = (struct vxg_config *)&c;
	char err[ERR_LEN], first[ERR_LEN];
	int ret;

	ret = vxg_config_load_string("t.yaml", r->yaml, &c, err, sizeof(err));
	assert_null(c);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(err, "\n"), err);
	if (ret != -EINVAL || strncmp(first, r->where, strlen(r->where)) != 0 ||
		strstr(first, r->phrase) == NULL) {
		print_error("%s: want \"%s ... %s\", got %d:\n%s\n", r->name, r->where, r->phrase,
			ret, err);
		show_position(r->yaml, err);
		fail();
	}
}

/* One named test per rejected case, so a failure says which: fills tests[0..n-1]. */
static inline void
config_reject_tests(struct CMUnitTest *tests, const struct reject *rejects, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest){
			.name = rejects[i].name,
			.test_func = reject,
			.initial_state = (void *)&rejects[i],
		};
	}
}

#endif
