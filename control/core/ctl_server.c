/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket vxgate-ctl talks to (protocol and limits in ctl_server.h), served
 * on the control thread between ticks without ever waiting for a client: the listening
 * socket and every client sit non-blocking in one epoll set, a turn handles a bounded
 * number of events, and each client holds a slot with a deadline instead of the thread.
 * A command's output goes to memory first, then out as fast as the client takes it.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/ctl_access.h"
#include "core/ctl_server.h"

#define CTL_BACKLOG 128
#define CTL_EVENTS_MAX 64 /* client events handled per turn */
#define CTL_ACCEPT_MAX 32 /* new connections taken per turn */
#define CTL_FINI_FLUSH_MS 500

enum ctl_state { CTL_FREE, CTL_READING, CTL_WRITING };

/* One connection: its request as it arrives, then its reply as it leaves. */
struct ctl_client {
	enum ctl_state state;
	int fd;
	bool command; /* the reply is a command's: counted as served once written */
	bool admin; /* may run every command, not only the read-only ones (ctl_access.h) */
	uint64_t since_ms; /* accepted at: when over the cap, the oldest reader goes */
	uint64_t deadline_ms; /* for the request while reading, for the reply while writing */
	size_t req_len;
	char req[VXG_CTL_REQ_MAX];
	const char *hdr; /* "OK\n" or "ERR\n", then body */
	size_t hdr_off;
	char *body;
	size_t body_len, body_off;
};

static struct {
	int listen_fd, ep;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct vxg_ctl_stats st;
	struct ctl_client clients[VXG_CTL_CLIENTS_MAX];
} srv = {.listen_fd = -1, .ep = -1};

static uint64_t
ctl_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t
ctl_now_ms(void)
{
	return ctl_now_us() / 1000;
}

static int
ctl_mkdir_parent(const char *path)
{
	char dir[sizeof(srv.path)];

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

static int
ctl_listen(const struct sockaddr_un *sa)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	mode_t old;
	int ret;

	srv.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv.listen_fd < 0)
		return -errno;
	old = umask(vxg_ctl_access_umask());
	ret = bind(srv.listen_fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ? -errno : 0;
	umask(old);
	if (ret < 0 || (ret = vxg_ctl_access_socket(sa->sun_path)) < 0)
		return ret;
	if (listen(srv.listen_fd, CTL_BACKLOG) < 0)
		return -errno;
	srv.ep = epoll_create1(EPOLL_CLOEXEC);
	if (srv.ep < 0 || epoll_ctl(srv.ep, EPOLL_CTL_ADD, srv.listen_fd, &ev) < 0)
		return -errno;
	return 0;
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
	memset(&srv.st, 0, sizeof(srv.st));
	if ((ret = ctl_mkdir_parent(path)) < 0 || (ret = ctl_claim_path(&sa)) < 0 ||
		(ret = ctl_listen(&sa)) < 0)
		goto err;
	snprintf(srv.path, sizeof(srv.path), "%s", path);
	return 0;
err:
	snprintf(err, errlen, "control socket %s: %s%s", path, strerror(-ret),
		ret == -EADDRINUSE ? " (another vxgate is running; use -s to pick another)" : "");
	if (srv.ep >= 0)
		close(srv.ep);
	if (srv.listen_fd >= 0)
		close(srv.listen_fd);
	srv.ep = srv.listen_fd = -1;
	return ret;
}

int
vxg_ctl_server_fd(void)
{
	return srv.ep;
}

const char *
vxg_ctl_server_path(void)
{
	return srv.path;
}

void
vxg_ctl_server_stats(struct vxg_ctl_stats *st)
{
	*st = srv.st;
}

/* A last word to a client being cut: one try, never waited for. */
static void
ctl_tell(int fd, const char *msg)
{
	send(fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
ctl_close(struct ctl_client *c)
{
	close(c->fd); /* leaves the epoll set with it */
	free(c->body);
	c->body = NULL;
	c->state = CTL_FREE;
	srv.st.clients--;
}

/* Write what the socket takes. Returns true once the client is done with (and closed). */
static bool
ctl_write(struct ctl_client *c)
{
	while (c->hdr[c->hdr_off] != '\0' || c->body_off < c->body_len) {
		size_t hdr_len = strlen(c->hdr + c->hdr_off);
		struct iovec iov[2] = {
			{.iov_base = (char *)c->hdr + c->hdr_off, .iov_len = hdr_len},
			{.iov_base = c->body_len > 0 ? c->body + c->body_off : NULL,
				.iov_len = c->body_len - c->body_off},
		};
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
		ssize_t w = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			return false;
		if (w <= 0) {
			srv.st.write_errors += c->command;
			ctl_close(c);
			return true;
		}
		c->hdr_off += (size_t)w < hdr_len ? (size_t)w : hdr_len;
		c->body_off += (size_t)w > hdr_len ? (size_t)w - hdr_len : 0;
	}
	if (c->command)
		srv.st.served++;
	ctl_close(c);
	return true;
}

/* Reply with body (malloc'ed, taken over): now if the socket takes it, else as it can. */
static void
ctl_reply(struct ctl_client *c, int rc, char *body, size_t len)
{
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};

	c->state = CTL_WRITING;
	c->hdr = rc == 0 ? "OK\n" : "ERR\n";
	c->hdr_off = 0;
	c->body = body;
	c->body_len = len;
	c->body_off = 0;
	c->deadline_ms = ctl_now_ms() + VXG_CTL_REPLY_TIMEOUT_MS;
	if (!ctl_write(c) && epoll_ctl(srv.ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
		srv.st.write_errors += c->command;
		ctl_close(c);
	}
}

/* An error of the client's making, as the reply. */
static void
ctl_reply_error(struct ctl_client *c, const char *msg)
{
	char *body = strdup(msg);

	ctl_reply(c, 1, body, body == NULL ? 0 : strlen(body));
}

static bool
ctl_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

/* The request line is in: run it, its output into memory, and reply. */
static void
ctl_command(struct ctl_client *c)
{
	const char *req = c->req;
	char *body = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if ((req[0] != 'T' && req[0] != 'J') || req[1] != ' ' || !ctl_printable(req)) {
		srv.st.malformed++;
		ctl_reply_error(c, "error: malformed request: expected \"T COMMAND\" or \"J "
				   "COMMAND\"\n");
		return;
	}
	if (!c->admin && !vxg_ctl_access_read_only(req + 2)) {
		srv.st.denied++;
		ctl_reply_error(c, "error: permission denied: only show and help are open to "
				   "every client; this command needs root or the administrators' "
				   "group (vxgate --admin-group)\n");
		return;
	}
	c->command = true;
	if ((out = open_memstream(&body, &len)) == NULL) {
		ctl_reply_error(c, "error: out of memory\n");
		return;
	}
	rc = vxg_cli_exec(req + 2, req[0] == 'J', out);
	if (fclose(out) != 0) {
		free(body);
		ctl_reply_error(c, "error: out of memory\n");
		return;
	}
	ctl_reply(c, rc, body, len);
}

/* Take what has arrived of the request; act once it is a line, too long or cut short. */
static void
ctl_read(struct ctl_client *c)
{
	size_t room = sizeof(c->req) - 1 - c->req_len;
	ssize_t r = read(c->fd, c->req + c->req_len, room);
	char *nl;

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r < 0 || (r == 0 && c->req_len == 0)) { /* gone without a word: nobody to answer */
		srv.st.hung_up++;
		ctl_close(c);
		return;
	}
	if (r == 0) {
		srv.st.malformed++;
		ctl_reply_error(c, "error: no request line (the connection ended before a "
				   "newline)\n");
		return;
	}
	c->req_len += r;
	c->req[c->req_len] = '\0';
	if ((nl = memchr(c->req, '\n', c->req_len)) != NULL) {
		*nl = '\0';
		ctl_command(c);
	} else if (c->req_len == sizeof(c->req) - 1) {
		char msg[128];

		srv.st.too_long++;
		snprintf(msg, sizeof(msg),
			"error: request too long (one line of at most %d bytes)\n",
			VXG_CTL_REQ_MAX - 1);
		ctl_reply_error(c, msg);
	}
}

/* A slot for a new client: a free one, else the oldest still sending its request's. */
static struct ctl_client *
ctl_slot(void)
{
	struct ctl_client *oldest = NULL;

	for (unsigned i = 0; i < VXG_CTL_CLIENTS_MAX; i++) {
		struct ctl_client *c = &srv.clients[i];

		if (c->state == CTL_FREE)
			return c;
		if (c->state == CTL_READING && (oldest == NULL || c->since_ms < oldest->since_ms))
			oldest = c;
	}
	if (oldest != NULL) {
		srv.st.evicted++;
		ctl_tell(oldest->fd, "ERR\nerror: too many control clients: this one had not sent "
				     "its request, another has taken its place\n");
		ctl_close(oldest);
	}
	return oldest;
}

static void
ctl_accept_one(int fd)
{
	struct ctl_client *c = ctl_slot();
	struct epoll_event ev = {.events = EPOLLIN};

	if (c == NULL) {
		srv.st.refused++;
		ctl_tell(fd, "ERR\nerror: too many control clients, all taking replies; try "
			     "again\n");
		close(fd);
		return;
	}
	*c = (struct ctl_client){.state = CTL_READING,
		.fd = fd,
		.since_ms = ctl_now_ms(),
		.admin = vxg_ctl_access_admin(fd)};
	c->deadline_ms = c->since_ms + VXG_CTL_REQ_TIMEOUT_MS;
	ev.data.ptr = c;
	if (epoll_ctl(srv.ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		srv.st.refused++;
		close(fd);
		c->state = CTL_FREE;
		return;
	}
	srv.st.clients++;
	ctl_read(c); /* a live client's request is usually there already */
}

static void
ctl_accept(void)
{
	for (unsigned n = 0; n < CTL_ACCEPT_MAX; n++) {
		int fd = accept4(srv.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		srv.st.accepted++;
		ctl_accept_one(fd);
	}
}

/* Clients first, then newcomers: a request that has arrived is served before a new
 * connection could displace its sender. */
static void
ctl_events(void)
{
	struct epoll_event ev[CTL_EVENTS_MAX];
	bool listener = false;
	int n = epoll_wait(srv.ep, ev, CTL_EVENTS_MAX, 0);

	for (int i = 0; i < n; i++) {
		struct ctl_client *c = ev[i].data.ptr;

		if (c == NULL)
			listener = true;
		else if (c->state == CTL_READING)
			ctl_read(c);
		else if (c->state == CTL_WRITING)
			ctl_write(c);
	}
	if (listener)
		ctl_accept();
}

static void
ctl_expire(void)
{
	uint64_t now = ctl_now_ms();
	char msg[160];

	for (unsigned i = 0; i < VXG_CTL_CLIENTS_MAX && srv.st.clients > 0; i++) {
		struct ctl_client *c = &srv.clients[i];

		if (c->state == CTL_FREE || now < c->deadline_ms)
			continue;
		if (c->state == CTL_READING) {
			srv.st.timed_out++;
			snprintf(msg, sizeof(msg),
				"ERR\nerror: no request line within %d ms (one line of at most %d "
				"bytes, ending in a newline)\n",
				VXG_CTL_REQ_TIMEOUT_MS, VXG_CTL_REQ_MAX - 1);
			ctl_tell(c->fd, msg);
		} else {
			srv.st.reply_timed_out += c->command;
		}
		ctl_close(c);
	}
}

void
vxg_ctl_server_run(bool ready)
{
	uint64_t t0, us;

	if (!ready && srv.st.clients == 0)
		return;
	t0 = ctl_now_us();
	if (ready)
		ctl_events();
	ctl_expire();
	us = ctl_now_us() - t0;
	if (us > srv.st.longest_turn_us)
		srv.st.longest_turn_us = us;
}

/* At exit: no new command runs; replies under way get CTL_FINI_FLUSH_MS to go out. */
static void
ctl_flush_replies(void)
{
	uint64_t end = ctl_now_ms() + CTL_FINI_FLUSH_MS;

	epoll_ctl(srv.ep, EPOLL_CTL_DEL, srv.listen_fd, NULL);
	for (unsigned i = 0; i < VXG_CTL_CLIENTS_MAX; i++)
		if (srv.clients[i].state == CTL_READING)
			ctl_close(&srv.clients[i]);
	while (srv.st.clients > 0 && ctl_now_ms() < end) {
		struct epoll_event ev[CTL_EVENTS_MAX];
		int n = epoll_wait(srv.ep, ev, CTL_EVENTS_MAX, 10);

		for (int i = 0; i < n; i++)
			if (ev[i].data.ptr != NULL)
				ctl_write(ev[i].data.ptr);
	}
	for (unsigned i = 0; i < VXG_CTL_CLIENTS_MAX; i++)
		if (srv.clients[i].state != CTL_FREE)
			ctl_close(&srv.clients[i]);
}

void
vxg_ctl_server_fini(void)
{
	if (srv.listen_fd < 0)
		return;
	ctl_flush_replies();
	close(srv.ep);
	close(srv.listen_fd);
	unlink(srv.path);
	srv.ep = srv.listen_fd = -1;
}
