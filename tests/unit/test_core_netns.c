/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named network namespaces (core/netns.c) against the real kernel: made, visible to
 * `ip netns`, entered and left, deleted. Needs root (skipped without: 77).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/netns.h"

#define NS "vxgt-unit-netns"

static ino_t
thread_ns(void)
{
	struct stat st;

	assert_int_equal(stat("/proc/thread-self/ns/net", &st), 0);
	return st.st_ino;
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(vxg_netns_name_ok("vxgate"));
	assert_true(vxg_netns_name_ok("a.b_c-1"));
	assert_false(vxg_netns_name_ok(""));
	assert_false(vxg_netns_name_ok(".."));
	assert_false(vxg_netns_name_ok("a/b"));
	assert_false(vxg_netns_name_ok("0123456789012345678901234567890123"));
	assert_int_equal(vxg_netns_open("../etc", true, NULL), -EINVAL);
}

static void
test_lifecycle(void **state)
{
	ino_t home = thread_ns();
	bool created;
	int fd, fd2, saved;
	struct stat st;

	(void)state;
	vxg_netns_delete(NS);
	assert_int_equal(vxg_netns_open(NS, false, NULL), -ENOENT);
	fd = vxg_netns_open(NS, true, &created);
	assert_true(fd >= 0);
	assert_true(created);
	/* `ip netns` sees it, and a second open finds the same one. */
	assert_int_equal(system("ip netns exec " NS " true"), 0);
	fd2 = vxg_netns_open(NS, true, &created);
	assert_true(fd2 >= 0);
	assert_false(created);
	assert_int_equal(fstat(fd, &st), 0);
	ino_t inside = st.st_ino;
	assert_true(inside != home);

	assert_int_equal(vxg_netns_enter(fd2, &saved), 0);
	assert_true(thread_ns() == inside);
	assert_int_equal(vxg_netns_leave(saved), 0);
	assert_true(thread_ns() == home);

	close(fd);
	close(fd2);
	assert_int_equal(vxg_netns_delete(NS), 0);
	assert_int_equal(vxg_netns_open(NS, false, NULL), -ENOENT);
	assert_int_equal(vxg_netns_delete(NS), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lifecycle),
	};

	if (geteuid() != 0) {
		printf("SKIP: namespaces need root\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
