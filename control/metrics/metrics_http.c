/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics endpoint's HTTP server (metrics_http.h). libmicrohttpd parses HTTP; this
 * file only routes /metrics to the render callback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "metrics/metrics_format.h"
#include "metrics/metrics_http.h"

struct vxg_metrics_http {
	struct MHD_Daemon *mhd;
	vxg_metrics_render_fn render;
	void *arg;
};

static enum MHD_Result
reply_static(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_metrics(struct vxg_metrics_http *h, struct MHD_Connection *c)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body = NULL;
	size_t len = 0;

	if (h->render(h->arg, &body, &len) < 0) {
		free(body);
		return reply_static(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, VXG_METRICS_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Called by libmicrohttpd once the headers are in (and again per body chunk, of which a
 * GET has none). */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_data_size, void **state)
{
	struct vxg_metrics_http *h = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_static(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* a body on a GET: ignored */
		return MHD_YES;
	}
	if (strcmp(url, "/metrics") == 0)
		return reply_metrics(h, c);
	if (strcmp(url, "/") == 0)
		return reply_static(c, MHD_HTTP_OK, "vxgate: metrics at /metrics\n");
	return reply_static(c, MHD_HTTP_NOT_FOUND, "not found; metrics at /metrics\n");
}

struct vxg_metrics_http *
vxg_metrics_http_start(uint32_t addr, uint16_t port, vxg_metrics_render_fn render, void *arg,
	char *err, size_t errlen)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};
	struct vxg_metrics_http *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->render = render;
	h->arg = arg;
	errno = 0;
	h->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, port, NULL, NULL,
		on_request, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)VXG_METRICS_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)VXG_METRICS_CONNECTIONS_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)VXG_METRICS_IDLE_TIMEOUT_S,
		MHD_OPTION_END);
	if (h->mhd == NULL) {
		snprintf(err, errlen, "%s",
			errno ? strerror(errno) : "the HTTP server did not start");
		free(h);
		return NULL;
	}
	return h;
}

void
vxg_metrics_http_stop(struct vxg_metrics_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	free(h);
}
