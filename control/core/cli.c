/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command core: gathers the commands the features register, orders them for the
 * parser and for `help`, and runs a request from the interactive shell or the control
 * socket, holding its output stream and form while the command runs. It names no
 * feature and no command; those live with the code they show (see cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>

#include "core/cli.h"
#include "core/json.h"

/* The request being served: where output goes, in which form, and how it ended. */
struct cli_req {
	FILE *out;
	bool json;
	bool from_socket;
	int rc;
};

static struct cli_req stdin_req;
static struct cli_req *cur = &stdin_req;
static struct cmdline *stdin_cl; /* the interactive shell, if any */
static struct cmdline *socket_cl; /* parser for socket requests; its fds are /dev/null */
static struct vxg_daemon *dm;
static bool stdin_done;

/* What the constructors registered, in their (link) order; then, from vxg_cli_init, the
 * parser's order (NULL-terminated, cmdline's context) and help's order. */
static cmdline_parse_inst_t **registered;
static unsigned n_registered;
static bool register_failed;
static cmdline_parse_ctx_t *cli_ctx;
static cmdline_parse_inst_t **help_order;

void
vxg_cli_register(cmdline_parse_inst_t *inst)
{
	cmdline_parse_inst_t **r = realloc(registered, (n_registered + 1) * sizeof(*r));

	if (r == NULL) {
		register_failed = true; /* vxg_cli_init says so */
		return;
	}
	registered = r;
	registered[n_registered++] = inst;
}

FILE *
vxg_cli_out(void)
{
	return cur->out;
}

bool
vxg_cli_json(void)
{
	return cur->json;
}

struct vxg_daemon *
vxg_cli_daemon(void)
{
	return dm;
}

void
cli_error(const char *fmt, ...)
{
	char msg[VXG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cur->rc = 1;
	if (cur->json) {
		struct jw j;

		jw_init(&j, cur->out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "error", msg);
		jw_obj_close(&j);
	} else {
		fprintf(cur->out, "error: %s\n", msg);
	}
}

const char *
vxg_cli_help(unsigned i)
{
	return i < n_registered && help_order != NULL ? help_order[i]->help_str : NULL;
}

int
vxg_cli_quit(void)
{
	if (cur->from_socket)
		return -EPERM;
	stdin_done = true;
	if (stdin_cl != NULL)
		cmdline_quit(stdin_cl);
	return 0;
}

/* ---- Ordering ------------------------------------------------------------------------ */

static unsigned
inst_tokens(const cmdline_parse_inst_t *in)
{
	unsigned n = 0;

	while (in->tokens[n] != NULL)
		n++;
	return n;
}

/* The fixed word of token i, or NULL for a free argument (or a token of another kind). */
static const char *
inst_word(const cmdline_parse_inst_t *in, unsigned i)
{
	const cmdline_parse_token_hdr_t *tk = in->tokens[i];

	if (tk->ops != &cmdline_token_string_ops)
		return NULL;
	return ((const cmdline_parse_token_string_t *)tk)->string_data.str;
}

/*
 * The parser takes the first command that matches the whole line, so a specific command
 * must come before a general one that would also match: more words first, then, at the
 * first position where they differ, a fixed word before a free argument. The rest (and
 * ties) by the words and the help line, so the order never depends on the link order.
 */
static int
parse_cmp(const void *a, const void *b)
{
	const cmdline_parse_inst_t *x = *(cmdline_parse_inst_t *const *)a;
	const cmdline_parse_inst_t *y = *(cmdline_parse_inst_t *const *)b;
	unsigned nx = inst_tokens(x), ny = inst_tokens(y);

	if (nx != ny)
		return nx > ny ? -1 : 1;
	for (unsigned i = 0; i < nx; i++) {
		const char *wx = inst_word(x, i), *wy = inst_word(y, i);

		if ((wx == NULL) != (wy == NULL))
			return wx != NULL ? -1 : 1;
		if (wx != NULL && strcmp(wx, wy) != 0)
			return strcmp(wx, wy);
	}
	return strcmp(x->help_str, y->help_str);
}

/* `help` lists by command: the help line up to its first ':', a prefix first. */
static int
help_cmp(const void *a, const void *b)
{
	const char *x = (*(cmdline_parse_inst_t *const *)a)->help_str;
	const char *y = (*(cmdline_parse_inst_t *const *)b)->help_str;
	size_t lx = strcspn(x, ":"), ly = strcspn(y, ":");
	int c = strncmp(x, y, lx < ly ? lx : ly);

	if (c != 0)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

static int
cli_order(void)
{
	size_t n = n_registered;

	if (register_failed)
		return -ENOMEM;
	cli_ctx = calloc(n + 1, sizeof(*cli_ctx));
	help_order = calloc(n + 1, sizeof(*help_order));
	if (cli_ctx == NULL || help_order == NULL)
		return -ENOMEM;
	memcpy(cli_ctx, registered, n * sizeof(*registered));
	memcpy(help_order, registered, n * sizeof(*registered));
	qsort(cli_ctx, n, sizeof(*cli_ctx), parse_cmp);
	qsort(help_order, n, sizeof(*help_order), help_cmp);
	return 0;
}

/* ---- Running requests ---------------------------------------------------------------- */

int
vxg_cli_init(struct vxg_daemon *d, bool interactive)
{
	int in, out, ret;

	if ((ret = cli_order()) < 0)
		return ret;
	in = open("/dev/null", O_RDONLY);
	out = open("/dev/null", O_WRONLY);
	dm = d;
	stdin_req.out = stdout;
	socket_cl = cmdline_new(cli_ctx, "", in, out);
	if (socket_cl == NULL)
		return -ENOMEM;
	if (!interactive)
		return 0;
	stdin_cl = cmdline_stdin_new(cli_ctx, "vxgate> ");
	return stdin_cl == NULL ? -ENOMEM : 0;
}

void
vxg_cli_fini(void)
{
	if (stdin_cl != NULL)
		cmdline_stdin_exit(stdin_cl);
	stdin_cl = NULL;
	if (socket_cl != NULL)
		cmdline_free(socket_cl);
	socket_cl = NULL;
	free(cli_ctx);
	free(help_order);
	cli_ctx = NULL;
	help_order = NULL;
}

int
vxg_cli_stdin_fd(void)
{
	return stdin_cl != NULL && !stdin_done ? STDIN_FILENO : -1;
}

bool
vxg_cli_stdin_input(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n <= 0) {
		stdin_done = true; /* end of input ends the shell, like `quit` */
		return false;
	}
	cur = &stdin_req;
	/* cmdline_in fails on ^D and once `quit` has stopped the line editor. */
	if (cmdline_in(stdin_cl, buf, n) < 0)
		stdin_done = true;
	fflush(stdout);
	return !stdin_done;
}

int
vxg_cli_exec(const char *line, bool json, FILE *out)
{
	struct cli_req req = {.out = out, .json = json, .from_socket = true};
	char buf[1024];
	int ret;

	if (snprintf(buf, sizeof(buf), "%s\n", line) >= (int)sizeof(buf)) {
		cur = &req;
		cli_error("command too long");
		cur = &stdin_req;
		return 1;
	}
	cur = &req;
	ret = cmdline_parse(socket_cl, buf);
	if (ret == CMDLINE_PARSE_AMBIGUOUS)
		cli_error("ambiguous command: %s", line);
	else if (ret == CMDLINE_PARSE_NOMATCH || ret == CMDLINE_PARSE_BAD_ARGS)
		cli_error("unknown command or bad arguments: %s (try help)", line);
	cur = &stdin_req;
	return req.rc;
}
