/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture commands: `capture start INTERFACE|all [rx|tx|both] [max-packets N]
 * [max-bytes N] [snaplen N] [FILTER] FILE` and `capture stop`. The words after `start`
 * are one free-form argument (a tcpdump filter has spaces), read here: the interfaces,
 * then any of the direction and the options, then the filter, whatever is left but the
 * last word, which names the file.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_feature.h"
#include "capture/capture_show.h"
#include "core/cli.h"

#define CAPTURE_USAGE                                                                         \
	"capture start INTERFACE|all [rx|tx|both] [max-packets N] [max-bytes N] [snaplen N] " \
	"[FILTER] FILE"

/* The next word of *p (blanks skipped) into w; false at the end. *p moves past it. */
static bool
next_word(const char **p, char *w, size_t len)
{
	const char *s = *p + strspn(*p, " \t");
	size_t n = strcspn(s, " \t");

	if (n == 0)
		return false;
	snprintf(w, len, "%.*s", (int)RTE_MIN(n, len - 1), s);
	*p = s + n;
	return n < len;
}

/* The interfaces of word w ("all", or names separated by commas) as a bit set. */
static int
parse_ifaces(const struct vxg_daemon *d, char *w, uint32_t *set)
{
	char *save = NULL;

	*set = 0;
	if (strcmp(w, "all") == 0) {
		*set = (uint32_t)((UINT64_C(1) << d->n_ifs) - 1);
		return 0;
	}
	for (char *name = strtok_r(w, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		unsigned i = 0;

		while (i < d->n_ifs && strcmp(d->cfg->interfaces[i].name, name) != 0)
			i++;
		if (i == d->n_ifs) {
			cli_error("capture start: no interface %s (show interfaces lists them)",
				name);
			return -ENOENT;
		}
		*set |= UINT32_C(1) << i;
	}
	return 0;
}

static int
parse_number(const char **p, const char *opt, uint64_t min, uint64_t max, uint64_t *v)
{
	char w[32], *end;

	if (!next_word(p, w, sizeof(w)) || w[0] < '0' || w[0] > '9')
		goto bad;
	errno = 0;
	*v = strtoull(w, &end, 10);
	if (errno == 0 && *end == '\0' && *v >= min && *v <= max)
		return 0;
bad:
	cli_error("capture start: %s takes a number from %" PRIu64 " to %" PRIu64, opt, min, max);
	return -EINVAL;
}

/* One option word w (read from before *p) into req; 1: w is none, *p stays. */
static int
parse_option(const char *w, const char **p, struct vxg_capture_req *req, unsigned *dir)
{
	uint64_t v;
	int ret;

	if (*dir == 0 && (!strcmp(w, "rx") || !strcmp(w, "tx") || !strcmp(w, "both"))) {
		*dir = w[0] == 'r'   ? VXG_CAP_BIT(VXG_CAP_DIR_RX)
		       : w[0] == 't' ? VXG_CAP_BIT(VXG_CAP_DIR_TX)
				     : VXG_CAP_BIT(VXG_CAP_DIR_RX) | VXG_CAP_BIT(VXG_CAP_DIR_TX);
		return 0;
	}
	if (!strcmp(w, "max-packets"))
		return parse_number(p, w, 1, UINT64_MAX, &req->max_packets);
	if (!strcmp(w, "max-bytes"))
		return parse_number(p, w, VXG_CAPTURE_MAX_BYTES_MIN, UINT64_MAX, &req->max_bytes);
	if (!strcmp(w, "snaplen")) {
		ret = parse_number(p, w, VXG_CAPTURE_SNAPLEN_MIN, VXG_CAPTURE_SNAPLEN_DEFAULT, &v);
		req->snaplen = (uint32_t)v;
		return ret;
	}
	return 1;
}

/* Back from end over blanks (blank: true) or over a word (false), not before s. */
static const char *
skip_back(const char *s, const char *end, bool blank)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t') == blank)
		end--;
	return end;
}

/* What is left after the options: FILTER (maybe quoted) FILE. */
static int
parse_filter_file(const char *rest, struct vxg_capture_req *req)
{
	const char *s = rest + strspn(rest, " \t");
	const char *end = skip_back(s, s + strlen(s), true);
	const char *file = skip_back(s, end, false);
	const char *fend = skip_back(s, file, true);

	if (end == s) {
		cli_error("capture start: no FILE: " CAPTURE_USAGE);
		return -EINVAL;
	}
	if ((size_t)(end - file) >= sizeof(req->file) ||
		vxg_filter_text(s, (size_t)(fend - s), req->filter, sizeof(req->filter)) < 0) {
		cli_error("capture start: FILE or FILTER too long");
		return -E2BIG;
	}
	snprintf(req->file, sizeof(req->file), "%.*s", (int)(end - file), file);
	return 0;
}

/* The words after `capture start` into req. 0, or -errno once the error is out. */
static int
parse_start(const struct vxg_daemon *d, const char *line, struct vxg_capture_req *req)
{
	const char *p = line, *before;
	unsigned dir = 0;
	uint32_t ifs;
	char w[VXG_NAME_MAX * VXG_IF_MAX];
	int ret;

	*req = (struct vxg_capture_req){
		.max_bytes = VXG_CAPTURE_MAX_BYTES_DEFAULT, .snaplen = VXG_CAPTURE_SNAPLEN_DEFAULT};
	if (!next_word(&p, w, sizeof(w))) {
		cli_error("capture start: " CAPTURE_USAGE);
		return -EINVAL;
	}
	if ((ret = parse_ifaces(d, w, &ifs)) < 0)
		return ret;
	for (before = p; next_word(&p, w, sizeof(w)); before = p) {
		if ((ret = parse_option(w, &p, req, &dir)) < 0)
			return ret;
		if (ret == 1)
			break;
	}
	if (dir == 0)
		dir = VXG_CAP_BIT(VXG_CAP_DIR_RX) | VXG_CAP_BIT(VXG_CAP_DIR_TX);
	for (unsigned i = 0; i < d->n_ifs; i++)
		req->dir[i] = ifs & (UINT32_C(1) << i) ? dir : 0;
	return parse_filter_file(before, req);
}

struct capture_args {
	cmdline_fixed_string_t w0, w1;
	cmdline_multi_string_t rest;
};

static void
cmd_capture_start(void *parsed, struct cmdline *cl, void *data)
{
	struct capture_args *a = parsed;
	struct vxg_daemon *d = vxg_cli_daemon();
	static struct vxg_capture_req req; /* 5 KB: not on the stack */
	char err[VXG_FILTER_MAX + 256];

	if (parse_start(d, a->rest, &req) < 0)
		return;
	if (vxg_capture_start(d, &req, err, sizeof(err)) < 0) {
		cli_error("capture start: %s", err);
		return;
	}
	vxg_capture_show(d, vxg_cli_out(), vxg_cli_json());
}

static void
cmd_capture_stop(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_daemon *d = vxg_cli_daemon();
	int ret = vxg_capture_stop(d);

	if (ret == -ENOENT) {
		cli_error("capture stop: no capture is running");
		return;
	}
	/* -EALREADY: stopping already; either way the status says how far it is. */
	vxg_capture_show(d, vxg_cli_out(), vxg_cli_json());
}

static cmdline_parse_token_string_t t_capture =
	TOKEN_STRING_INITIALIZER(struct capture_args, w0, "capture");
static cmdline_parse_token_string_t t_start =
	TOKEN_STRING_INITIALIZER(struct capture_args, w1, "start");
static cmdline_parse_token_string_t t_stop =
	TOKEN_STRING_INITIALIZER(struct capture_args, w1, "stop");
static cmdline_parse_token_string_t t_rest =
	TOKEN_STRING_INITIALIZER(struct capture_args, rest, TOKEN_STRING_MULTI);

VXG_CLI_CMD(i_capture_start, cmd_capture_start,
	CAPTURE_USAGE ": capture frames (those FILTER matches, in tcpdump's syntax) into the "
		      "new pcapng FILE (an absolute path); both directions unless told; "
		      "max-bytes 100 MiB unless told",
	(void *)&t_capture, (void *)&t_start, (void *)&t_rest);
VXG_CLI_CMD(i_capture_stop, cmd_capture_stop,
	"capture stop: stop the capture; show capture says when its file is complete",
	(void *)&t_capture, (void *)&t_stop);
