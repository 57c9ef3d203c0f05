/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's files and daemons (evpn_frr.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>

#include "core/log.h"
#include "evpn/evpn_frr.h"

static const char *const daemon_names[EVPN_DAEMONS] = {
	[EVPN_ZEBRA] = "zebra",
	[EVPN_BGPD] = "bgpd",
};

/* mkdir -p dir, 0755. */
static int
mkdir_p(const char *dir)
{
	char p[PATH_MAX];
	size_t len = strlen(dir);
	struct stat st;

	if (len == 0 || len >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, len + 1);
	for (char *c = p + 1; *c != '\0'; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*c = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (stat(p, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Outside the namespace (vtysh reaches FRR by its sockets' paths): posix_spawn, which
 * does not copy vxgate's page tables as fork does, every few seconds. */
static pid_t
spawn_here(char *const argv[], int null, int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, pipe;
	pid_t pid;
	int ret;

	sigemptyset(&none);
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE); /* ignored in vxgate, and that would carry over */
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &pipe);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, null, 0);
	posix_spawn_file_actions_adddup2(&fa, out >= 0 ? out : null, 1);
	posix_spawn_file_actions_adddup2(&fa, err >= 0 ? err : null, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	ret = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return ret != 0 ? -ret : pid;
}

pid_t
evpn_spawn(int ns, char *const argv[], int out, int err)
{
	sigset_t all;
	pid_t pid;
	int null;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return -errno;
	if (ns < 0) {
		pid = spawn_here(argv, null, out, err);
		close(null);
		return pid;
	}
	pid = fork();
	if (pid != 0) {
		close(null);
		return pid < 0 ? -errno : pid;
	}
	/* The child: only async-signal-safe calls until exec. SIGPIPE is ignored in vxgate,
	 * and an ignored signal stays ignored across exec. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (setns(ns, CLONE_NEWNET) < 0)
		_exit(126);
	if (dup2(null, 0) < 0 || dup2(out >= 0 ? out : null, 1) < 0 ||
		dup2(err >= 0 ? err : null, 2) < 0)
		_exit(126);
	close_range(3, ~0U, 0);
	execv(argv[0], argv);
	_exit(127);
}

void
evpn_frr_tmp_clean(const char *name, pid_t pid)
{
	char path[128], file[400];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/var/tmp/frr/%s.%d", name, (int)pid);
	d = opendir(path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
			unlink(file);
		}
	}
	closedir(d);
	rmdir(path);
}

/* A daemon of an earlier run of vxgate that died without stopping it would hold the pid
 * file and the sockets: it is ours (same folder), so it goes. */
static void
kill_orphan(const struct evpn_frr *f, const char *name)
{
	char path[PATH_MAX], exe[PATH_MAX], want[64];
	ssize_t n;
	FILE *pf;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/%s.pid", f->dir, name);
	pf = fopen(path, "re");
	if (pf == NULL)
		return;
	if (fscanf(pf, "%d", &pid) != 1)
		pid = 0;
	fclose(pf);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = pid > 1 ? readlink(path, exe, sizeof(exe) - 1) : -1;
	if (n < 0)
		return;
	exe[n] = '\0';
	snprintf(want, sizeof(want), EVPN_FRR_BIN "/%s", name);
	if (strcmp(exe, want) != 0)
		return;
	VXG_LOG(LOG_WARNING, "evpn: %s %d of an earlier run still holds %s: killed", name, pid,
		f->dir);
	kill(pid, SIGKILL);
}

static int
check_frr(char *err, size_t errlen)
{
	const char *const bins[] = {EVPN_FRR_BIN "/zebra", EVPN_FRR_BIN "/bgpd", EVPN_VTYSH};

	for (unsigned i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		if (access(bins[i], X_OK) < 0) {
			snprintf(err, errlen, "evpn: frr managed needs %s: %s (is FRR installed?)",
				bins[i], strerror(errno));
			return -ENOENT;
		}
	}
	if (getgrnam(EVPN_FRR_GROUP) == NULL) {
		snprintf(err, errlen,
			"evpn: frr managed needs the group %s, which FRR's package makes",
			EVPN_FRR_GROUP);
		return -ENOENT;
	}
	return 0;
}

int
evpn_frr_init(
	struct evpn_frr *f, const char *state_dir, int ns, bool managed, char *err, size_t errlen)
{
	int ret;

	*f = (struct evpn_frr){.ns = ns, .managed = managed};
	for (unsigned i = 0; i < EVPN_DAEMONS; i++)
		f->d[i] = (struct evpn_proc){.name = daemon_names[i],
			.last_status = -1,
			.backoff_ms = EVPN_BACKOFF_MIN_MS};
	/* the longest socket path, zserv.api, must fit a sockaddr_un's 108 bytes */
	if ((size_t)snprintf(f->dir, sizeof(f->dir), "%s/frr", state_dir) >= 96) {
		snprintf(err, errlen, "evpn: state directory %s is too long for FRR's sockets",
			state_dir);
		return -ENAMETOOLONG;
	}
	ret = mkdir_p(f->dir);
	if (ret < 0) {
		snprintf(err, errlen, "evpn: cannot make %s: %s", f->dir, strerror(-ret));
		return ret;
	}
	if (!managed)
		return 0;
	ret = check_frr(err, errlen);
	if (ret == 0) {
		kill_orphan(f, "bgpd");
		kill_orphan(f, "zebra");
	}
	return ret;
}

static void
render_zebra(FILE *out, const void *arg)
{
	evpn_conf_zebra(out);
}

static void
render_bgpd(FILE *out, const void *arg)
{
	evpn_conf_bgpd(out, arg);
}

static int
write_files(const struct evpn_frr *f, const struct evpn_bgp *b, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/zebra.conf", f->dir);
	ret = evpn_conf_write(path, render_zebra, NULL);
	if (ret == 0) {
		snprintf(path, sizeof(path), "%s/bgpd.conf", f->dir);
		ret = evpn_conf_write(path, render_bgpd, b);
	}
	if (ret < 0)
		snprintf(err, errlen, "evpn: cannot write %s: %s", path, strerror(-ret));
	return ret;
}

int
evpn_frr_configure(struct evpn_frr *f, const struct vxg_evpn_cfg *e, char *err, size_t errlen)
{
	struct evpn_bgp b;
	int ret;

	ret = evpn_bgp_from_cfg(&b, e);
	if (ret < 0) {
		snprintf(err, errlen, "evpn: out of memory");
		return ret;
	}
	ret = write_files(f, &b, err, errlen);
	if (ret < 0) {
		evpn_bgp_free(&b);
		return ret;
	}
	evpn_bgp_free(&f->want);
	f->want = b;
	f->run = f->managed;
	f->dirty = true;
	return 0; /* a running bgpd is brought to want by the next tick (apply_step) */
}

/* Start daemon i. */
static void
proc_start(struct evpn_frr *f, unsigned i, uint64_t now_ms)
{
	struct evpn_proc *p = &f->d[i];
	char bin[64], conf[PATH_MAX], pidf[PATH_MAX], zserv[PATH_MAX], log[PATH_MAX];
	char *argv[] = {bin, "-f", conf, "-i", pidf, "-z", zserv, "--vty_socket", f->dir, "-P", "0",
		"-u", "root", "-g", EVPN_FRR_GROUP, "--log", "stdout", "--log-level", "info", NULL};
	pid_t pid;
	int out;

	snprintf(bin, sizeof(bin), EVPN_FRR_BIN "/%s", p->name);
	snprintf(conf, sizeof(conf), "%s/%s.conf", f->dir, p->name);
	snprintf(pidf, sizeof(pidf), "%s/%s.pid", f->dir, p->name);
	snprintf(zserv, sizeof(zserv), "%s/zserv.api", f->dir);
	snprintf(log, sizeof(log), "%s/%s.log", f->dir, p->name);
	out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	pid = evpn_spawn(f->ns, argv, out, out);
	if (out >= 0)
		close(out);
	p->next_ms = now_ms + p->backoff_ms;
	if (pid < 0) {
		VXG_LOG(LOG_ERR, "evpn: cannot start %s: %s", p->name, strerror(-pid));
		return;
	}
	if (p->died) {
		p->restarts++;
		if (i == EVPN_ZEBRA)
			f->zebra_restarted = true;
	}
	p->died = false;
	p->pid = pid;
	p->started_ms = now_ms;
	if (i == EVPN_BGPD && evpn_bgp_copy(&f->running, &f->want) < 0)
		f->running.asn = 0; /* unknown: the next apply restarts it */
	VXG_LOG(LOG_INFO, "evpn: %s started, pid %d", p->name, (int)pid);
}

static const char *
status_str(int st, char *buf, size_t len)
{
	if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, len, "stopped");
	return buf;
}

/* Stop daemon i to start it again with its file (not a death). */
static void
proc_restart(struct evpn_frr *f, unsigned i, uint64_t now_ms)
{
	struct evpn_proc *p = &f->d[i];

	if (p->pid == 0 || p->stopping)
		return;
	p->stopping = true;
	p->stop_ms = now_ms;
	kill(p->pid, SIGTERM);
}

/* Daemon i exited with status st. */
static void
proc_exited(struct evpn_frr *f, unsigned i, int st, uint64_t now_ms)
{
	struct evpn_proc *p = &f->d[i];
	char why[64];

	evpn_frr_tmp_clean(p->name, p->pid);
	p->pid = 0;
	if (p->stopping) {
		p->stopping = false;
		p->next_ms = now_ms;
		return;
	}
	p->last_status = st;
	p->died = true;
	if (now_ms - p->started_ms >= EVPN_STABLE_MS)
		p->backoff_ms = EVPN_BACKOFF_MIN_MS;
	p->next_ms = now_ms + p->backoff_ms;
	VXG_LOG(LOG_WARNING, "evpn: %s %s; starting it again in %u ms", p->name,
		status_str(st, why, sizeof(why)), p->backoff_ms);
	p->backoff_ms = RTE_MIN(p->backoff_ms * 2, EVPN_BACKOFF_MAX_MS);
	/* bgpd does not give a new zebra the remote VTEPs and MACs it gave the old one
	 * (as watchfrr, then: bgpd starts again after zebra) */
	if (i == EVPN_ZEBRA)
		proc_restart(f, EVPN_BGPD, now_ms);
}

/* Write the delta from running to want and start `vtysh -f` on it; or restart bgpd when
 * the AS changed (or what bgpd runs is unknown). */
static void
apply_start(struct evpn_frr *f, uint64_t now_ms)
{
	char path[PATH_MAX], log[PATH_MAX];
	char *argv[] = {EVPN_VTYSH, "--vty_socket", f->dir, "-f", path, NULL};
	pid_t pid;
	FILE *out;
	int ret, fd;

	if (!f->dirty)
		return;
	f->dirty = false;
	snprintf(path, sizeof(path), "%s/bgpd.delta.conf", f->dir);
	out = fopen(path, "we");
	if (out == NULL)
		return;
	ret = evpn_conf_delta(out, &f->running, &f->want);
	if (fclose(out) != 0 && ret == 0)
		ret = -EIO;
	if (ret == 1 || evpn_bgp_copy(&f->applying, &f->want) < 0)
		return;
	if (ret < 0) {
		VXG_LOG(LOG_NOTICE, "evpn: bgpd restarts for its new configuration (AS %u)",
			f->want.asn);
		f->bgpd_reloads++;
		proc_restart(f, EVPN_BGPD, now_ms);
		return;
	}
	snprintf(log, sizeof(log), "%s/bgpd.delta.log", f->dir);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	pid = evpn_spawn(-1, argv, fd, fd);
	if (fd >= 0)
		close(fd);
	if (pid < 0) {
		VXG_LOG(LOG_ERR, "evpn: cannot run vtysh: %s", strerror(-pid));
		return;
	}
	f->apply_pid = pid;
}

/* The `vtysh -f` child exited with st: bgpd runs the new config, or it restarts on it. */
static void
apply_done(struct evpn_frr *f, int st, uint64_t now_ms)
{
	char why[64];

	f->apply_pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		f->applies_ok++;
		if (evpn_bgp_copy(&f->running, &f->applying) < 0)
			f->running.asn = 0;
		VXG_LOG(LOG_INFO, "evpn: bgpd took the new configuration through vtysh");
		return;
	}
	f->applies_failed++;
	f->bgpd_reloads++;
	VXG_LOG(LOG_WARNING,
		"evpn: vtysh %s applying %s/bgpd.delta.conf (its output in "
		"bgpd.delta.log); bgpd restarts",
		status_str(st, why, sizeof(why)), f->dir);
	proc_restart(f, EVPN_BGPD, now_ms);
}

static void
proc_tick(struct evpn_frr *f, unsigned i, uint64_t now_ms)
{
	struct evpn_proc *p = &f->d[i];
	int st;

	if (p->pid != 0 && waitpid(p->pid, &st, WNOHANG) == p->pid)
		proc_exited(f, i, st, now_ms);
	if (p->pid != 0 && p->stopping && now_ms - p->stop_ms >= EVPN_STOP_WAIT_MS)
		kill(p->pid, SIGKILL);
	/* bgpd after zebra: it registers its VNIs with zebra when it connects */
	if (p->pid == 0 && f->run && now_ms >= p->next_ms &&
		(i == EVPN_ZEBRA || f->d[EVPN_ZEBRA].pid != 0))
		proc_start(f, i, now_ms);
}

void
evpn_frr_tick(struct evpn_frr *f, uint64_t now_ms)
{
	int st;

	for (unsigned i = 0; i < EVPN_DAEMONS; i++)
		proc_tick(f, i, now_ms);
	if (f->apply_pid != 0 && waitpid(f->apply_pid, &st, WNOHANG) == f->apply_pid)
		apply_done(f, st, now_ms);
	if (f->apply_pid == 0 && f->d[EVPN_BGPD].pid != 0 && !f->d[EVPN_BGPD].stopping)
		apply_start(f, now_ms);
}

/* Wait for pid at most until deadline (ms of CLOCK_MONOTONIC), then kill it. */
static void
reap_bounded(pid_t pid, const struct timespec *deadline)
{
	struct timespec now, nap = {0, 10 * 1000 * 1000};

	for (;;) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline->tv_sec ||
			(now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec))
			break;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

void
evpn_frr_fini(struct evpn_frr *f)
{
	struct timespec deadline;

	f->run = false;
	if (f->apply_pid != 0) {
		kill(f->apply_pid, SIGKILL);
		waitpid(f->apply_pid, NULL, 0);
		f->apply_pid = 0;
	}
	for (unsigned i = 0; i < EVPN_DAEMONS; i++)
		if (f->d[i].pid != 0)
			kill(f->d[i].pid, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += EVPN_STOP_WAIT_MS / 1000;
	for (unsigned i = EVPN_DAEMONS; i-- > 0;) {
		if (f->d[i].pid == 0)
			continue;
		reap_bounded(f->d[i].pid, &deadline);
		evpn_frr_tmp_clean(f->d[i].name, f->d[i].pid);
		VXG_LOG(LOG_INFO, "evpn: %s stopped", f->d[i].name);
		f->d[i].pid = 0;
	}
	evpn_bgp_free(&f->want);
	evpn_bgp_free(&f->running);
	evpn_bgp_free(&f->applying);
}
