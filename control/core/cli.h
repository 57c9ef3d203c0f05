/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command set, shared by the interactive shell (`-i`, DPDK cmdline on stdin) and the
 * control socket (vxgate-ctl). Every command writes through cli_out(), in text or, for
 * `vxgate-ctl -j`, one JSON object.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CLI_H
#define VXG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"

int vxg_cli_init(struct vxg_daemon *d, bool interactive);
void vxg_cli_fini(void);

/* Interactive shell: the fd to poll, and what to do when it is readable. Returns false
 * once the shell has ended (quit, or end of input). */
int vxg_cli_stdin_fd(void);
bool vxg_cli_stdin_input(void);

/* Run one command line for a socket client. Returns 0, or 1 if the command failed. */
int vxg_cli_exec(const char *line, bool json, FILE *out);

#endif
