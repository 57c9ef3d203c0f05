/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP lease file: one line per bound lease, "network mac ip expiry hostname", read
 * at start and rewritten when leases change.
 *
 * The file is replaced, never written in place: the new version goes to a temporary file
 * in the same directory, is flushed and fsync'ed, renamed over the old one, and the
 * directory is fsync'ed. A crash (kill -9, power loss) at any moment leaves either the
 * old file or the new one, both whole; a temporary file it leaves behind is overwritten
 * by the next save.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dhcp/dhcp_server.h"

#define LEASE_LINE_MAX 512

/* The hostname as one token: the client chose its bytes, and a space or a newline would
 * split the line or forge another lease. Anything but printable ASCII becomes '?'. */
static void
host_token(const char *host, char *out, size_t len)
{
	size_t i;

	if (host[0] == '\0') {
		snprintf(out, len, "-");
		return;
	}
	for (i = 0; host[i] != '\0' && i + 1 < len; i++)
		out[i] = host[i] > ' ' && host[i] < 0x7f ? host[i] : '?';
	out[i] = '\0';
}

static void
leases_write(FILE *f, const struct dhcp_net *nets, unsigned n_nets)
{
	fprintf(f, "# vxgate DHCP leases: network mac ip expiry(unix) hostname\n");
	for (unsigned i = 0; i < n_nets; i++) {
		for (unsigned j = 0; j < nets[i].n_leases; j++) {
			const struct dhcp_lease *l = &nets[i].leases[j];
			char mac[RTE_ETHER_ADDR_FMT_SIZE], host[sizeof(l->hostname)];

			if (l->state != DHCP_LEASE_BOUND)
				continue;
			rte_ether_format_addr(mac, sizeof(mac), &l->mac);
			host_token(l->hostname, host, sizeof(host));
			fprintf(f, "%s %s %u.%u.%u.%u %lld %s\n", nets[i].name, mac, l->ip >> 24,
				(l->ip >> 16) & 0xff, (l->ip >> 8) & 0xff, l->ip & 0xff,
				(long long)l->expires, host);
		}
	}
}

/* Flush f to the disk and close it; -errno if any write failed. */
static int
file_commit(FILE *f)
{
	int rc = 0;

	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		rc = errno ? -errno : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* Makes a rename in path's directory durable. */
static int
dir_sync(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

int
vxg_dhcp_leases_save(struct dhcp_net *nets, unsigned n_nets, const char *path)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	errno = 0;
	if ((f = fopen(tmp, "we")) == NULL)
		return -errno;
	leases_write(f, nets, n_nets);
	if ((rc = file_commit(f)) == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return rc;
	}
	return dir_sync(path);
}

static struct dhcp_net *
net_of_name(struct dhcp_net *nets, unsigned n_nets, const char *name)
{
	for (unsigned i = 0; i < n_nets; i++)
		if (strcmp(nets[i].name, name) == 0)
			return &nets[i];
	return NULL;
}

/* One line; a line that does not parse, or names what the config no longer has, is
 * skipped: the lease file must never stop the gateway from starting. */
static void
lease_line(struct dhcp_net *nets, unsigned n_nets, const char *line, time_t now)
{
	char name[64], mac[32], host[64];
	unsigned a, b, c, d;
	long long exp;
	struct dhcp_lease l = {.state = DHCP_LEASE_BOUND};
	struct dhcp_net *n;

	if (line[0] == '#' || sscanf(line, "%63s %31s %u.%u.%u.%u %lld %63s", name, mac, &a, &b, &c,
				      &d, &exp, host) != 8)
		return;
	if (a > 255 || b > 255 || c > 255 || d > 255 || exp <= now)
		return;
	if (rte_ether_unformat_addr(mac, &l.mac) < 0 ||
		(n = net_of_name(nets, n_nets, name)) == NULL)
		return;
	l.ip = a << 24 | b << 16 | c << 8 | d;
	l.expires = exp;
	snprintf(l.hostname, sizeof(l.hostname), "%s", strcmp(host, "-") ? host : "");
	vxg_dhcp_lease_restore(n, &l);
}

int
vxg_dhcp_leases_load(struct dhcp_net *nets, unsigned n_nets, const char *path, time_t now)
{
	char line[LEASE_LINE_MAX];
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f) != NULL)
		lease_line(nets, n_nets, line, now);
	fclose(f);
	return 0;
}
