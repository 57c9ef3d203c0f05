/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named network namespaces, as `ip netns` names them (/run/netns/NAME): open one,
 * creating it if asked, and run the calling thread inside it for a while. EVPN keeps its
 * shadow of the networks (bridges, VXLAN devices, FRR) in one; a socket or tap opened
 * while the thread is inside stays bound to that namespace after it leaves.
 *
 * Thread-safety: control thread only; enter/leave switch the calling thread alone.
 */
#ifndef VXG_NETNS_H
#define VXG_NETNS_H

#include <stdbool.h>

/* The longest namespace name (a file name in /run/netns). */
#define VXG_NETNS_NAME_MAX 31

/* Is name usable as a namespace name: 1 to VXG_NETNS_NAME_MAX of [A-Za-z0-9_.-], not "."
 * or ".."? */
bool vxg_netns_name_ok(const char *name);

/* An fd (O_CLOEXEC) of namespace name; with create, made first if it does not exist (and
 * *created says whether it was). -errno on error. */
int vxg_netns_open(const char *name, bool create, bool *created);

/* Move the calling thread into namespace ns; *saved is where it was, for vxg_netns_leave.
 * 0 or -errno (then the thread did not move). */
int vxg_netns_enter(int ns, int *saved);

/* Back to saved (closing it). 0 or -errno. */
int vxg_netns_leave(int saved);

/* Remove namespace name (unmount and unlink /run/netns/NAME): it lives on while anything
 * still holds it (an fd, a process). 0, or -errno (-ENOENT: no such namespace). */
int vxg_netns_delete(const char *name);

#endif
