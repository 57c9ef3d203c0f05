/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control socket: a UNIX stream socket; one command per connection.
 *
 * Request: one line, "T COMMAND\n" for text or "J COMMAND\n" for JSON.
 * Reply: "OK\n" or "ERR\n", then the command's output; the server closes the connection.
 * A client that sends garbage or nothing within a second gets "ERR" and is dropped; the
 * daemon carries on.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CTL_SERVER_H
#define VXG_CTL_SERVER_H

#define VXG_CTL_SOCKET_DEFAULT "/run/vxgate/vxgate.sock"
#define VXG_CTL_REQ_MAX 4096

int vxg_ctl_server_init(const char *path, char *err, size_t errlen);
int vxg_ctl_server_fd(void);
void vxg_ctl_server_accept(void);
void vxg_ctl_server_fini(void);

#endif
