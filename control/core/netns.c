/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named network namespaces (netns.h), made the way iproute2 makes them so that `ip netns
 * exec` and `ip -n` see them: /run/netns is a shared mount point, and each namespace is a
 * bind mount of a thread's /proc/.../ns/net on a file there.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/netns.h"

#define NETNS_RUN_DIR "/run/netns"

bool
vxg_netns_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > VXG_NETNS_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* /run/netns as a shared mount, so that namespaces mounted there are seen from other
 * mount namespaces too (what iproute2 does: bind it on itself the first time). */
static int
run_dir_shared(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/* A new namespace bound on path: this thread unshares, is bound there, and goes back. */
static int
netns_create(const char *path)
{
	int saved, fd, ret = 0;

	if ((ret = run_dir_shared()) < 0)
		return ret;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return -errno;
	close(fd);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		ret = -errno;
		unlink(path);
		return ret;
	}
	if (unshare(CLONE_NEWNET) < 0)
		ret = -errno;
	else if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		ret = -errno;
	if (setns(saved, CLONE_NEWNET) < 0 && ret == 0)
		ret = -errno;
	close(saved);
	if (ret < 0) {
		umount2(path, MNT_DETACH);
		unlink(path);
	}
	return ret;
}

int
vxg_netns_open(const char *name, bool create, bool *created)
{
	char path[sizeof(NETNS_RUN_DIR) + VXG_NETNS_NAME_MAX + 2];
	int fd, ret;

	if (created != NULL)
		*created = false;
	if (!vxg_netns_name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT || !create)
		return fd >= 0 ? fd : -errno;
	if ((ret = netns_create(path)) < 0)
		return ret;
	if (created != NULL)
		*created = true;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int
vxg_netns_enter(int ns, int *saved)
{
	int ret;

	*saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved < 0)
		return -errno;
	if (setns(ns, CLONE_NEWNET) < 0) {
		ret = -errno;
		close(*saved);
		*saved = -1;
		return ret;
	}
	return 0;
}

int
vxg_netns_leave(int saved)
{
	int ret = setns(saved, CLONE_NEWNET) < 0 ? -errno : 0;

	close(saved);
	return ret;
}

int
vxg_netns_delete(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + VXG_NETNS_NAME_MAX + 2];

	if (!vxg_netns_name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	umount2(path, MNT_DETACH);
	return unlink(path) < 0 ? -errno : 0;
}
