/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket vxgate-ctl talks to: a UNIX stream socket, one command per
 * connection, served on the control thread between ticks (protocol in ctl_server.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/ctl_server.h"

static int listen_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

static int
ctl_mkdir_parent(const char *path)
{
	char dir[sizeof(sock_path)];

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file left by a crashed daemon is removed; one a live daemon answers on is not. */
static int
ctl_claim_path(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		ret = -EADDRINUSE;
	else
		unlink(sa->sun_path);
	close(fd);
	return ret;
}

int
vxg_ctl_server_init(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "control socket %s: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((ret = ctl_mkdir_parent(path)) < 0 || (ret = ctl_claim_path(&sa)) < 0)
		goto err;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		listen(listen_fd, 16) < 0) {
		ret = -errno;
		goto err;
	}
	snprintf(sock_path, sizeof(sock_path), "%s", path);
	return 0;
err:
	snprintf(err, errlen, "control socket %s: %s%s", path, strerror(-ret),
		ret == -EADDRINUSE ? " (another vxgate is running; use -s to pick another)" : "");
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
	return ret;
}

int
vxg_ctl_server_fd(void)
{
	return listen_fd;
}

/* Read one request line. Returns its length, or -1 on timeout, EOF or overflow. */
static int
ctl_read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len - 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);
		char *nl;

		if (r <= 0)
			return -1;
		n += r;
		buf[n] = '\0';
		if ((nl = memchr(buf, '\n', n)) != NULL) {
			*nl = '\0';
			return nl - buf;
		}
	}
	return -1;
}

static bool
ctl_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

static void
ctl_reply(int fd, int rc, const char *body, size_t len)
{
	const char *hdr = rc == 0 ? "OK\n" : "ERR\n";

	if (write(fd, hdr, strlen(hdr)) < 0)
		return;
	while (len > 0) {
		ssize_t w = write(fd, body, len);

		if (w <= 0)
			return;
		body += w;
		len -= w;
	}
}

static void
ctl_serve(int fd)
{
	struct timeval tv = {.tv_sec = 1};
	char req[VXG_CTL_REQ_MAX], *body = NULL;
	size_t len = 0;
	FILE *out;
	int rc = 1;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if ((out = open_memstream(&body, &len)) == NULL)
		return;
	if (ctl_read_line(fd, req, sizeof(req)) < 0)
		fprintf(out,
			"error: no request line (one line of at most %d bytes, ending in a "
			"newline)\n",
			VXG_CTL_REQ_MAX - 1);
	else if ((req[0] != 'T' && req[0] != 'J') || req[1] != ' ' || !ctl_printable(req))
		fprintf(out, "error: malformed request: expected \"T COMMAND\" or \"J COMMAND\"\n");
	else
		rc = vxg_cli_exec(req + 2, req[0] == 'J', out);
	fclose(out);
	ctl_reply(fd, rc, body, len);
	free(body);
}

void
vxg_ctl_server_accept(void)
{
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		ctl_serve(fd);
		close(fd);
	}
}

void
vxg_ctl_server_fini(void)
{
	if (listen_fd < 0)
		return;
	close(listen_fd);
	unlink(sock_path);
	listen_fd = -1;
}
