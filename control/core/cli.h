/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command core, shared by the interactive shell (`-i`, DPDK cmdline on stdin) and the
 * control socket (vxgate-ctl). Each feature defines its commands in its own folder and
 * registers them with VXG_CLI_CMD; the core gathers them at vxg_cli_init, runs the
 * request and holds what a command needs while it runs: where its output goes, whether
 * it is wanted as one JSON object (`vxgate-ctl -j`), the daemon, and cli_error.
 *
 * A command:
 *
 *	VXG_CLI_WORD(t_show, w0, "show");
 *	VXG_CLI_WORD(t_fdb, w1, "fdb");
 *	VXG_CLI_ARG(t_net);
 *	VXG_CLI_CMD(i_show_fdb_net, cmd_show_fdb_net, "show fdb NETWORK: ...", (void *)&t_show,
 *		(void *)&t_fdb, (void *)&t_net);
 *
 * The order of registration does not matter: the core orders the commands for the
 * parser, whose first match wins (more words first, a fixed word before a free argument,
 * then by name), and for `help` (by command).
 *
 * Thread-safety: control thread only. Commands register in constructors, before main.
 */
#ifndef VXG_CLI_H
#define VXG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <rte_common.h>

#include "core/daemon.h"

int vxg_cli_init(struct vxg_daemon *d, bool interactive);
void vxg_cli_fini(void);

/* Interactive shell: the fd to poll, and what to do when it is readable. Returns false
 * once the shell has ended (quit, or end of input). */
int vxg_cli_stdin_fd(void);
bool vxg_cli_stdin_input(void);

/* Run one command line for a socket client. Returns 0, or 1 if the command failed. */
int vxg_cli_exec(const char *line, bool json, FILE *out);

/* ---- For commands ---------------------------------------------------------------------- */

/* The parsed tokens of every command: up to three words and one free argument. */
struct vxg_cli_args {
	cmdline_fixed_string_t w0, w1, w2;
	cmdline_fixed_string_t arg;
};

/* A fixed word s at position field (w0, w1 or w2) of a command. */
#define VXG_CLI_WORD(var, field, s)               \
	static cmdline_parse_token_string_t var = \
		TOKEN_STRING_INITIALIZER(struct vxg_cli_args, field, s)

/* The free argument (any one word); read it with vxg_cli_arg(). */
#define VXG_CLI_ARG(var)                          \
	static cmdline_parse_token_string_t var = \
		TOKEN_STRING_INITIALIZER(struct vxg_cli_args, arg, NULL)

/* A command: fn runs it, help is "SYNTAX: what it shows", then its tokens (void *). */
#define VXG_CLI_CMD(var, fn, help, ...)                                                  \
	static cmdline_parse_inst_t var = {                                              \
		.f = fn, .data = NULL, .help_str = help, .tokens = {__VA_ARGS__, NULL}}; \
	VXG_CLI_REGISTER(var)

/* Add an instance defined otherwise to the command set, from a constructor. */
#define VXG_CLI_REGISTER(inst)            \
	RTE_INIT(vxg_cli_register_##inst) \
	{                                 \
		vxg_cli_register(&inst);  \
	}
void vxg_cli_register(cmdline_parse_inst_t *inst);

/* The request being served: its output stream, whether it wants JSON, the daemon. */
FILE *vxg_cli_out(void);
bool vxg_cli_json(void);
struct vxg_daemon *vxg_cli_daemon(void);

/* The free argument of a parsed command (VXG_CLI_ARG). */
static inline const char *
vxg_cli_arg(void *parsed)
{
	return ((struct vxg_cli_args *)parsed)->arg;
}

/* Fail the request with a message: "error: ..." in text, {"error": "..."} in JSON. */
void cli_error(const char *fmt, ...) __rte_format_printf(1, 2);

/* The help line ("SYNTAX: what it does") of the i-th command in help order; NULL past the
 * last. */
const char *vxg_cli_help(unsigned i);

/* `quit`: end the interactive shell. -EPERM for a socket request (the shell is not
 * theirs to end). */
int vxg_cli_quit(void);

#endif
