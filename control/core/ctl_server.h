/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a UNIX stream socket; one command per connection.
 *
 * Request: one line, "T COMMAND\n" for text or "J COMMAND\n" for JSON.
 * Reply: "OK\n" or "ERR\n", then the command's output; the server closes the connection.
 *
 * No client can stall the control thread: every socket is non-blocking, and a client
 * has VXG_CTL_REQ_TIMEOUT_MS from its connection to send its whole request line (at most
 * VXG_CTL_REQ_MAX - 1 bytes) and VXG_CTL_REPLY_TIMEOUT_MS to take its reply. One that
 * sends garbage, too much or too little gets "ERR" (when it still listens) and is dropped.
 * At most VXG_CTL_CLIENTS_MAX clients are served at once; past that, a new connection
 * displaces the oldest client still sending its request (a live vxgate-ctl sends its
 * request at once, an idle or dripping client does not), or is closed at once when every
 * client is taking a reply. The daemon carries on; `show control` counts each case.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CTL_SERVER_H
#define VXG_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VXG_CTL_SOCKET_DEFAULT "/run/vxgate/vxgate.sock"
#define VXG_CTL_REQ_MAX 4096
#define VXG_CTL_CLIENTS_MAX 64
#define VXG_CTL_REQ_TIMEOUT_MS 2000
#define VXG_CTL_REPLY_TIMEOUT_MS 5000

/* What became of the clients since start (counters only grow), and who is there now; a
 * copy taken on the control thread. Each accepted connection ends in exactly one count:
 * accepted = served + denied + evicted + refused + timed_out + too_long + malformed +
 * hung_up + reply_timed_out + write_errors + clients. Who may run what: ctl_access.h. */
struct vxg_ctl_stats {
	uint64_t accepted; /* connections taken off the listening socket */
	uint64_t served; /* commands run and their replies written in full */
	uint64_t denied; /* commands refused: the client may only run read-only ones */
	uint64_t evicted; /* over the cap: the oldest client still sending its request cut */
	uint64_t refused; /* over the cap with every client taking a reply: closed at once */
	uint64_t timed_out; /* no whole request line within VXG_CTL_REQ_TIMEOUT_MS */
	uint64_t too_long; /* no newline within VXG_CTL_REQ_MAX - 1 bytes */
	uint64_t malformed; /* not "T|J COMMAND", control characters, or ended before '\n' */
	uint64_t hung_up; /* closed before sending a byte, or reset */
	uint64_t reply_timed_out; /* a command's reply not taken within VXG_CTL_REPLY_TIMEOUT_MS */
	uint64_t write_errors; /* a command's reply could not be written: the client went away */
	uint64_t longest_turn_us; /* longest vxg_ctl_server_run, commands included */
	unsigned clients; /* connected now */
};

/* Listen on path (its directory is created; a stale socket file is replaced). */
int vxg_ctl_server_init(const char *path, char *err, size_t errlen);

/* The fd to poll for readability: an epoll set of the listening socket and the clients. */
int vxg_ctl_server_fd(void);

/* One turn, a bounded amount of work: serve what is ready when ready (the fd polled
 * readable), then cut the clients past their deadline. Call it on every loop. */
void vxg_ctl_server_run(bool ready);

void vxg_ctl_server_stats(struct vxg_ctl_stats *st);
const char *vxg_ctl_server_path(void);

/* Give pending replies a moment to go out, then close everything and remove the file. */
void vxg_ctl_server_fini(void);

#endif
