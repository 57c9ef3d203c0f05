/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics endpoint's HTTP server, on libmicrohttpd: GET /metrics answers with what
 * a render callback makes; every other path is 404, every other method 405.
 *
 * Thread-safety: start and stop run on the control thread. The server runs one thread of
 * its own, polling every connection: a client that sends nothing or trickles a request
 * holds a connection slot until its idle timeout (or the request size limit), never that
 * thread, and never the control thread or the workers. The render callback runs on that
 * thread.
 */
#ifndef VXG_METRICS_HTTP_H
#define VXG_METRICS_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* Connections at once; more wait in the kernel's backlog. One client address may hold
 * only some of them, so that one slow client leaves room for the others. */
#define VXG_METRICS_CONNECTIONS 32
#define VXG_METRICS_CONNECTIONS_PER_IP 8
/* Seconds a connection may stay idle before it is closed. */
#define VXG_METRICS_IDLE_TIMEOUT_S 10

/* A body of len bytes in *body (malloc'd; the server frees it). 0, or -errno (500). */
typedef int (*vxg_metrics_render_fn)(void *arg, char **body, size_t *len);

struct vxg_metrics_http;

/* Listen on addr:port (host order; addr 0: every address). NULL with the reason in err. */
struct vxg_metrics_http *vxg_metrics_http_start(uint32_t addr, uint16_t port,
	vxg_metrics_render_fn render, void *arg, char *err, size_t errlen);
/* Close the socket and every connection; waits for a render under way. NULL: nothing. */
void vxg_metrics_http_stop(struct vxg_metrics_http *h);

#endif
