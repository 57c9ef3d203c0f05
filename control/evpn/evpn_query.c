/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRR's BGP summary, asked without waiting (evpn_query.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "evpn/evpn_frr.h"
#include "evpn/evpn_query.h"

void
evpn_query_init(struct evpn_query *q)
{
	*q = (struct evpn_query){.fd = -1};
}

static uint64_t
get_u64(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

static void
get_str(json_object *o, const char *key, char *dst, size_t size)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(dst, size, "%s", json_object_get_string(v));
	else
		snprintf(dst, size, "?");
}

static void
session_parse(struct evpn_session *s, const char *address, json_object *o)
{
	snprintf(s->address, sizeof(s->address), "%s", address);
	s->remote_as = (uint32_t)get_u64(o, "remoteAs");
	get_str(o, "state", s->state, sizeof(s->state));
	s->uptime_ms = get_u64(o, "peerUptimeMsec");
	s->prefixes = get_u64(o, "pfxRcd");
	s->established = get_u64(o, "connectionsEstablished");
	s->dropped = get_u64(o, "connectionsDropped");
}

/* The sessions of root's "peers" object into a new array. */
static int
sessions_parse(json_object *root, struct evpn_session **out, unsigned *n)
{
	json_object *peers;
	unsigned i = 0;

	*out = NULL;
	*n = 0;
	/* no "peers": bgpd has no EVPN neighbour (yet), an empty table */
	if (!json_object_object_get_ex(root, "peers", &peers))
		return 0;
	if (!json_object_is_type(peers, json_type_object))
		return -EINVAL;
	if (json_object_object_length(peers) == 0)
		return 0;
	*out = calloc(json_object_object_length(peers), sizeof(**out));
	if (*out == NULL)
		return -ENOMEM;
	json_object_object_foreach(peers, key, val)
	{
		if (json_object_is_type(val, json_type_object))
			session_parse(&(*out)[i++], key, val);
	}
	*n = i;
	return 0;
}

int
evpn_query_parse(struct evpn_query *q, const char *json, uint64_t now_ms)
{
	struct evpn_session *s;
	json_object *root;
	unsigned n;
	int ret;

	root = json_tokener_parse(json);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		snprintf(q->error, sizeof(q->error), "vtysh's answer is not a JSON object");
		json_object_put(root);
		return -EINVAL;
	}
	ret = sessions_parse(root, &s, &n);
	if (ret < 0) {
		snprintf(q->error, sizeof(q->error), "vtysh's answer has no table of peers");
		json_object_put(root);
		return ret;
	}
	free(q->sessions);
	q->sessions = s;
	q->n_sessions = n;
	q->local_as = (uint32_t)get_u64(root, "as");
	get_str(root, "routerId", q->router_id, sizeof(q->router_id));
	q->valid = true;
	q->taken_ms = now_ms;
	q->error[0] = '\0';
	json_object_put(root);
	return 0;
}

static void
query_start(struct evpn_query *q, const char *vty_dir, uint64_t now_ms)
{
	char *argv[] = {EVPN_VTYSH, "--vty_socket", (char *)vty_dir, "-c",
		"show bgp l2vpn evpn summary json", NULL};
	int p[2];
	pid_t pid;

	q->next_ms = now_ms + EVPN_QUERY_EVERY_MS;
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	pid = evpn_spawn(-1, argv, p[1], -1);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(q->error, sizeof(q->error), "cannot run vtysh: %s", strerror(-pid));
		return;
	}
	q->pid = pid;
	q->fd = p[0];
	q->len = 0;
	q->eof = false;
	q->started_ms = now_ms;
	q->runs++;
}

/* Read what the pipe holds now. */
static void
query_read(struct evpn_query *q)
{
	ssize_t n;
	char *b;

	while (!q->eof) {
		if (q->len + 4096 + 1 > EVPN_QUERY_OUT_MAX) {
			q->eof = true; /* too much: parsed as is, which fails */
			break;
		}
		b = realloc(q->out, q->len + 4096 + 1);
		if (b == NULL)
			break;
		q->out = b;
		n = read(q->fd, q->out + q->len, 4096);
		if (n > 0)
			q->len += n;
		else if (n == 0)
			q->eof = true;
		else if (errno != EINTR)
			break; /* EAGAIN: the rest in a later tick */
	}
}

/* The child exited with st: parse what it wrote. */
static void
query_done(struct evpn_query *q, int st, uint64_t now_ms)
{
	close(q->fd);
	q->fd = -1;
	q->pid = 0;
	if (q->out != NULL)
		q->out[q->len] = '\0';
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || q->len == 0) {
		snprintf(q->error, sizeof(q->error), "vtysh failed (status %d)",
			WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		q->failures++;
		return;
	}
	if (evpn_query_parse(q, q->out, now_ms) < 0)
		q->failures++;
}

void
evpn_query_tick(struct evpn_query *q, const char *vty_dir, bool up, uint64_t now_ms)
{
	int st;

	if (q->pid == 0) {
		if (up && now_ms >= q->next_ms)
			query_start(q, vty_dir, now_ms);
		return;
	}
	query_read(q);
	if (now_ms - q->started_ms >= EVPN_QUERY_TIMEOUT_MS)
		kill(q->pid, SIGKILL); /* reaped below or in a later tick */
	if (waitpid(q->pid, &st, WNOHANG) != q->pid)
		return;
	query_read(q); /* what it wrote before it exited */
	query_done(q, st, now_ms);
}

void
evpn_query_clear(struct evpn_query *q)
{
	free(q->sessions);
	q->sessions = NULL;
	q->n_sessions = 0;
	q->valid = false;
}

void
evpn_query_fini(struct evpn_query *q)
{
	if (q->pid != 0) {
		kill(q->pid, SIGKILL);
		waitpid(q->pid, NULL, 0);
	}
	if (q->fd >= 0)
		close(q->fd);
	evpn_query_clear(q);
	free(q->out);
	evpn_query_init(q);
}
