/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket's server without a daemon (no EAL): requests answered, bad ones
 * refused with ERR, the client cap making room by cutting the oldest waiting client, the
 * request deadline, and every accepted client landing in exactly one counter. The test
 * drives vxg_ctl_server_run the way the control loop does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/cli.h"
#include "core/ctl_access.h"
#include "core/ctl_server.h"

static char dir[] = "/tmp/vxg-ctl-unit.XXXXXX";
static char path[64];

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Serve for ms milliseconds, the way the control loop does. */
static void
pump(int ms)
{
	uint64_t end = now_ms() + ms;

	do {
		struct pollfd p = {.fd = vxg_ctl_server_fd(), .events = POLLIN};
		int n = poll(&p, 1, 1);

		vxg_ctl_server_run(n > 0 && (p.revents & POLLIN));
	} while (now_ms() < end);
}

static int
client(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int
client_send(const char *req)
{
	int fd = client();

	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	return fd;
}

/* Everything the server says to fd until it closes it (serving meanwhile); fd closed. */
static char *
reply(int fd)
{
	static char buf[65536];
	uint64_t end = now_ms() + 3000;
	size_t n = 0;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (now_ms() < end && n < sizeof(buf) - 1) {
		ssize_t r;

		pump(1);
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r == 0 || (r < 0 && errno != EAGAIN))
			break;
		if (r > 0)
			n += r;
	}
	buf[n] = '\0';
	close(fd);
	return buf;
}

static struct vxg_ctl_stats
stats(void)
{
	struct vxg_ctl_stats s;

	vxg_ctl_server_stats(&s);
	/* Each accepted client is in exactly one counter, or still connected. */
	assert_int_equal(s.accepted, s.served + s.evicted + s.refused + s.timed_out + s.too_long +
					     s.malformed + s.hung_up + s.reply_timed_out +
					     s.write_errors + s.clients);
	return s;
}

static void
serves_text_and_json(void **state)
{
	uint64_t served = stats().served;
	char *r;

	r = reply(client_send("T show version\n"));
	assert_true(strncmp(r, "OK\nvxgate ", 10) == 0);
	r = reply(client_send("J show version\n"));
	assert_true(strncmp(r, "OK\n{", 4) == 0 && strstr(r, "\"version\"") != NULL);
	r = reply(client_send("T show nonsense\n"));
	assert_true(strncmp(r, "ERR\nerror: unknown command", 26) == 0);
	r = reply(client_send("T show control\n"));
	assert_non_null(strstr(r, "served: "));
	assert_int_equal(stats().served, served + 4);
	assert_int_equal(stats().clients, 0);
}

static void
refuses_bad_requests(void **state)
{
	struct vxg_ctl_stats s0 = stats(), s;
	char big[VXG_CTL_REQ_MAX + 1000];
	int fd;

	assert_true(strncmp(reply(client_send("garbage\n")), "ERR\nerror: malformed", 20) == 0);
	assert_true(strncmp(reply(client_send("T show\001version\n")), "ERR\n", 4) == 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_true(strncmp(reply(client_send(big)), "ERR\nerror: request too long", 27) == 0);
	fd = client_send("T show version"); /* and no newline */
	shutdown(fd, SHUT_WR);
	assert_true(strncmp(reply(fd), "ERR\nerror: no request line", 26) == 0);
	close(client()); /* not a word */
	pump(20);
	s = stats();
	assert_int_equal(s.malformed, s0.malformed + 3);
	assert_int_equal(s.too_long, s0.too_long + 1);
	assert_int_equal(s.hung_up, s0.hung_up + 1);
	assert_int_equal(s.clients, 0);
}

/* With every slot held by a client that says nothing, a real one still gets its answer:
 * the oldest silent one makes room. */
static void
cap_cuts_the_oldest_waiting(void **state)
{
	int idle[VXG_CTL_CLIENTS_MAX];
	uint64_t evicted = stats().evicted;

	for (unsigned i = 0; i < VXG_CTL_CLIENTS_MAX; i++) {
		idle[i] = client();
		pump(2); /* accepted in this order: idle[0] is the oldest */
	}
	assert_int_equal(stats().clients, VXG_CTL_CLIENTS_MAX);
	assert_true(strncmp(reply(client_send("T show version\n")), "OK\nvxgate ", 10) == 0);
	assert_int_equal(stats().evicted, evicted + 1);
	assert_non_null(strstr(reply(idle[0]), "too many control clients"));
	for (unsigned i = 1; i < VXG_CTL_CLIENTS_MAX; i++)
		close(idle[i]);
	pump(20);
	assert_int_equal(stats().clients, 0);
}

/* A client that sends part of its request is cut at its deadline, not before. */
static void
request_deadline(void **state)
{
	uint64_t timed_out = stats().timed_out;
	int fd = client_send("T sh");

	pump(VXG_CTL_REQ_TIMEOUT_MS - 500);
	assert_int_equal(write(fd, "o", 1), 1); /* bytes do not extend the deadline */
	pump(200);
	assert_int_equal(stats().timed_out, timed_out);
	assert_int_equal(stats().clients, 1);
	pump(600);
	assert_int_equal(stats().timed_out, timed_out + 1);
	assert_non_null(strstr(reply(fd), "ERR\nerror: no request line within"));
}

static int
setup(void **state)
{
	char err[256];

	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	if (vxg_cli_init(&vxg_daemon, false) < 0)
		return -1;
	return vxg_ctl_server_init(path, err, sizeof(err)) < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	vxg_ctl_server_fini();
	vxg_cli_fini();
	return rmdir(dir);
}

/* Only show and help are open to every client: a word that merely starts like one, or any
 * other command, is not. */
static void
read_only_commands(void **state)
{
	static const char *const open[] = {
		"show version", "show", "  show fdb web", "help", "help show", "show\tstats"};
	static const char *const closed[] = {"reload", "reload /etc/shadow", "shutdown",
		"clear stats", "showx", "helpme", "", "  ", "trace start", "capture stop", "quit"};

	for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		assert_true(vxg_ctl_access_read_only(open[i]));
	for (size_t i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		assert_false(vxg_ctl_access_read_only(closed[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serves_text_and_json),
		cmocka_unit_test(read_only_commands),
		cmocka_unit_test(refuses_bad_requests),
		cmocka_unit_test(cap_cuts_the_oldest_waiting),
		cmocka_unit_test(request_deadline),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
