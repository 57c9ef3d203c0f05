/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the DHCPv6 server keeps in the state directory: its leases (dhcp6.leases, next to
 * DHCPv4's dhcp.leases) and its DUID (dhcp6.duid), so that a restart changes neither.
 * Both are replaced, never written in place: a temporary file, fsync, rename, fsync of the
 * directory, so that a crash leaves the old file or the new one, whole.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dhcp6/dhcp6_server.h"

static void
hex_put(FILE *f, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits into at most max bytes: how many, or -1. Digits only: sscanf's %x would take
 * a sign, a space or "0x" too, and a DUID read back would not be the one written. */
static int
hex_get(const char *s, uint8_t *b, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 != 0 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

static int
dir_sync(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash == path ? 1 : slash - path) : 1,
		slash ? path : ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

typedef void (*writer_fn)(FILE *f, const void *ctx);

static int
file_replace(const char *path, writer_fn write, const void *ctx)
{
	char tmp[4096];
	FILE *f;
	int rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	if ((f = fopen(tmp, "we")) == NULL)
		return -errno;
	write(f, ctx);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		rc = errno ? -errno : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return rc;
	}
	return dir_sync(path);
}

struct nets_ctx {
	struct dhcp6_net *nets;
	unsigned n;
};

static void
leases_write(FILE *f, const void *ctx)
{
	const struct nets_ctx *c = ctx;

	fprintf(f, "# vxgate DHCPv6 leases: network duid iaid ip expiry(unix)\n");
	for (unsigned i = 0; i < c->n; i++) {
		for (unsigned j = 0; j < c->nets[i].n_leases; j++) {
			const struct dhcp6_lease *l = &c->nets[i].leases[j];
			struct vxg_ip6 ip;
			char a[INET6_ADDRSTRLEN];

			if (l->state != DHCP6_BOUND)
				continue;
			vxg_dhcp6_slot_ip(&c->nets[i], j, &ip);
			inet_ntop(AF_INET6, ip.a, a, sizeof(a));
			fprintf(f, "%s ", c->nets[i].name);
			hex_put(f, l->duid.b, l->duid.len);
			fprintf(f, " %u %s %lld\n", l->iaid, a, (long long)l->expires);
		}
	}
}

int
vxg_dhcp6_leases_save(struct dhcp6_net *nets, unsigned n, const char *path)
{
	struct nets_ctx c = {nets, n};

	return file_replace(path, leases_write, &c);
}

static void
lease_line(struct dhcp6_net *nets, unsigned n, const char *line, time_t now)
{
	/* the widths below are these sizes less one */
	char name[2 * VXG_NAME_MAX], duid[2 * DHCP6_DUID_MAX + 1], ip[64];
	struct dhcp6_duid d = {0};
	struct vxg_ip6 a;
	unsigned iaid;
	long long exp;
	int len;

	if (line[0] == '#' ||
		sscanf(line, "%63s %256s %u %63s %lld", name, duid, &iaid, ip, &exp) != 5 ||
		(len = hex_get(duid, d.b, sizeof(d.b))) < 0 || inet_pton(AF_INET6, ip, a.a) != 1)
		return;
	d.len = (uint16_t)len;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(nets[i].name, name) == 0)
			vxg_dhcp6_lease_restore(&nets[i], &a, &d, iaid, (time_t)exp, now);
}

int
vxg_dhcp6_leases_load(struct dhcp6_net *nets, unsigned n, const char *path, time_t now)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (f == NULL)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f) != NULL)
		lease_line(nets, n, line, now);
	fclose(f);
	return 0;
}

static void
duid_write(FILE *f, const void *ctx)
{
	const struct dhcp6_duid *d = ctx;

	hex_put(f, d->b, d->len);
	fputc('\n', f);
}

/* DUID-LLT (RFC 8415 11.2): type 1, Ethernet, seconds since 2000-01-01 UTC, the MAC. */
static void
duid_make(struct dhcp6_duid *d, const struct rte_ether_addr *mac, time_t now)
{
	uint32_t t = (uint32_t)(now - 946684800);

	d->len = 14;
	d->b[0] = 0, d->b[1] = 1, d->b[2] = 0, d->b[3] = 1;
	d->b[4] = t >> 24, d->b[5] = t >> 16, d->b[6] = t >> 8, d->b[7] = t;
	memcpy(d->b + 8, mac->addr_bytes, 6);
}

int
vxg_dhcp6_duid_load(
	struct dhcp6_duid *d, const char *path, const struct rte_ether_addr *mac, time_t now)
{
	char line[2 * DHCP6_DUID_MAX + 2];
	FILE *f = path ? fopen(path, "re") : NULL;
	int len = -1;

	if (f != NULL) {
		if (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			len = hex_get(line, d->b, sizeof(d->b));
		}
		fclose(f);
		if (len > 0) {
			d->len = (uint16_t)len;
			return 0;
		}
	}
	duid_make(d, mac, now);
	return path ? file_replace(path, duid_write, d) : 0;
}
