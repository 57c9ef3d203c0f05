/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vxgate-ctl [-s SOCKET] [-j] COMMAND...
 *
 * Runs one shell command against a running vxgate over its control socket and prints
 * the reply. Exit status: 0 done, 1 the command failed, 2 no daemon or bad usage.
 * The protocol is in control/core/ctl_server.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/vxgate/vxgate.sock"
#define REQ_MAX 4096

static void
usage(FILE *f)
{
	fprintf(f, "usage: vxgate-ctl [-s SOCKET] [-j] COMMAND...\n"
		   "  -s SOCKET  vxgate's control socket (default " DEFAULT_SOCKET ")\n"
		   "  -j         JSON output, one object per command\n"
		   "example: vxgate-ctl -j show stats; vxgate-ctl help\n");
}

static int
build_request(char *req, size_t len, bool json, int argc, char **argv)
{
	size_t n = snprintf(req, len, "%c", json ? 'J' : 'T');

	for (int i = 0; i < argc; i++) {
		n += snprintf(req + n, n < len ? len - n : 0, " %s", argv[i]);
		if (n >= len)
			return -1;
	}
	if (n + 1 >= len)
		return -1;
	req[n++] = '\n';
	req[n] = '\0';
	return n;
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vxgate-ctl: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr,
			"vxgate-ctl: cannot connect to %s: %s (is vxgate running? "
			"-s SOCKET picks another)\n",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Print the reply body; return the exit status its header gives. */
static int
read_reply(int fd)
{
	char buf[65536];
	bool header = true;
	int rc = 2;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		if (header) {
			char *nl = memchr(buf, '\n', n);

			if (nl == NULL)
				break;
			rc = strncmp(buf, "OK", 2) == 0 ? 0 : 1;
			p = nl + 1;
			n -= p - buf;
			header = false;
		}
		fwrite(p, 1, n, rc == 0 ? stdout : stderr);
	}
	if (header)
		fprintf(stderr, "vxgate-ctl: no reply from vxgate\n");
	return rc;
}

int
main(int argc, char **argv)
{
	const char *path = getenv("VXGATE_SOCKET") ? getenv("VXGATE_SOCKET") : DEFAULT_SOCKET;
	char req[REQ_MAX];
	bool json = false;
	int c, fd, rc;

	while ((c = getopt(argc, argv, "+s:jh")) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (build_request(req, sizeof(req), json, argc - optind, argv + optind) < 0) {
		fprintf(stderr, "vxgate-ctl: command too long\n");
		return 2;
	}
	if ((fd = ctl_connect(path)) < 0)
		return 2;
	if (write(fd, req, strlen(req)) < 0) {
		fprintf(stderr, "vxgate-ctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return 2;
	}
	shutdown(fd, SHUT_WR);
	rc = read_reply(fd);
	close(fd);
	return rc;
}
