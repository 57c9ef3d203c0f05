/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who may do what on the control socket (ctl_access.h): the socket file's mode and group,
 * and each client's rights from the kernel's word on who it is.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctl_access.h"

#define ACCESS_DEFAULT_GROUP "vxgate"
#define ACCESS_PEER_GROUPS_MAX 256

static struct {
	gid_t group, admin; /* (gid_t)-1: none */
	char group_name[64], admin_name[64];
} acc = {.group = (gid_t)-1, .admin = (gid_t)-1};

static int
access_group(const char *name, gid_t *gid, char *out, size_t outlen)
{
	struct group *g = getgrnam(name);

	if (g == NULL)
		return -ENOENT;
	*gid = g->gr_gid;
	snprintf(out, outlen, "%s", name);
	return 0;
}

int
vxg_ctl_access_init(const char *group, const char *admin_group, char *err, size_t errlen)
{
	acc.group = acc.admin = (gid_t)-1;
	acc.group_name[0] = acc.admin_name[0] = '\0';
	if (group == NULL)
		access_group(
			ACCESS_DEFAULT_GROUP, &acc.group, acc.group_name, sizeof(acc.group_name));
	else if (access_group(group, &acc.group, acc.group_name, sizeof(acc.group_name)) < 0) {
		snprintf(err, errlen, "--group %s: no such group", group);
		return -ENOENT;
	}
	if (admin_group != NULL &&
		access_group(admin_group, &acc.admin, acc.admin_name, sizeof(acc.admin_name)) < 0) {
		snprintf(err, errlen, "--admin-group %s: no such group", admin_group);
		return -ENOENT;
	}
	return 0;
}

mode_t
vxg_ctl_access_umask(void)
{
	return S_IXUSR | S_IRWXO | S_IXGRP; /* 0660: the file never has more, even for a moment */
}

int
vxg_ctl_access_socket(const char *path)
{
	if (acc.group != (gid_t)-1 && chown(path, (uid_t)-1, acc.group) < 0)
		return -errno;
	return chmod(path, 0660) < 0 ? -errno : 0;
}

static bool
access_in_admin_group(int fd, gid_t primary)
{
	gid_t groups[ACCESS_PEER_GROUPS_MAX];
	socklen_t len = sizeof(groups);

	if (primary == acc.admin)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false; /* more groups than we take, or an old kernel: not proven */
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == acc.admin)
			return true;
	return false;
}

bool
vxg_ctl_access_admin(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	if (cr.uid == 0 || cr.uid == geteuid())
		return true;
	return acc.admin != (gid_t)-1 && access_in_admin_group(fd, cr.gid);
}

bool
vxg_ctl_access_read_only(const char *line)
{
	static const char *const words[] = {"show", "help"};
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t");
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n == strlen(words[i]) && strncmp(line, words[i], n) == 0)
			return true;
	return false;
}

const char *
vxg_ctl_access_group(void)
{
	return acc.group_name;
}

const char *
vxg_ctl_access_admin_group(void)
{
	return acc.admin_name;
}
