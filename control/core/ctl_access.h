/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who may do what on the control socket.
 *
 * The socket file is mode 0660: its owner (the daemon's user, root as a service) and its
 * group may connect. The group is --group NAME, else the `vxgate` group when the system has
 * one, else the daemon's own. Anyone who can connect may run the read-only commands (show,
 * help). The others (reload, clear, trace, capture, shutdown, and any command added later
 * unless it is read-only) need an administrator: root, the daemon's own user, or a member
 * of --admin-group NAME. The peer's identity is the kernel's (SO_PEERCRED, SO_PEERGROUPS),
 * taken when it connects.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CTL_ACCESS_H
#define VXG_CTL_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Resolve the groups by name (NULL: the defaults above). -ENOENT, with err, for a group
 * the system does not know. */
int vxg_ctl_access_init(const char *group, const char *admin_group, char *err, size_t errlen);

/* The socket at path bound with the umask this returns in place: give it its mode and
 * group. Call vxg_ctl_access_umask() before bind, and restore the old umask after. */
mode_t vxg_ctl_access_umask(void);
int vxg_ctl_access_socket(const char *path);

/* Is the client connected on fd an administrator? */
bool vxg_ctl_access_admin(int fd);

/* May anyone who can connect run this command line (words before any argument)? */
bool vxg_ctl_access_read_only(const char *line);

/* For `show control`: the socket's group and the administrators' group, "" for none. */
const char *vxg_ctl_access_group(void);
const char *vxg_ctl_access_admin_group(void);

#endif
