/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The BGP sessions as FRR sees them, for `show evpn` and the metrics: every
 * EVPN_QUERY_EVERY_MS the tick runs `vtysh -c 'show bgp l2vpn evpn summary json'` as a
 * child, reads its output from a non-blocking pipe in later ticks and, once it exited,
 * parses it (json-c) into a cached table shown with its age. A child that takes longer
 * than EVPN_QUERY_TIMEOUT_MS is killed.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_EVPN_QUERY_H
#define VXG_EVPN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EVPN_QUERY_EVERY_MS 2000
#define EVPN_QUERY_TIMEOUT_MS 10000
#define EVPN_QUERY_OUT_MAX (1 << 20)

/* One BGP session, from FRR's summary. */
struct evpn_session {
	char address[48];
	uint32_t remote_as;
	char state[16]; /* Idle, Connect, Active, OpenSent, OpenConfirm, Established... */
	uint64_t uptime_ms; /* in this state, when Established */
	uint64_t prefixes; /* EVPN routes received */
	uint64_t established, dropped; /* times */
};

struct evpn_query {
	pid_t pid; /* the vtysh child, 0 none */
	int fd; /* its stdout, -1 none */
	char *out;
	size_t len;
	bool eof;
	uint64_t started_ms, next_ms;
	/* the last good answer */
	bool valid;
	uint64_t taken_ms; /* when */
	uint32_t local_as;
	char router_id[16];
	struct evpn_session *sessions;
	unsigned n_sessions;
	/* why the last run failed, "" none */
	char error[128];
	uint64_t runs, failures;
};

void evpn_query_init(struct evpn_query *q);
/* Start, read, reap and parse; vty_dir: FRR's sockets; up: bgpd is running. */
void evpn_query_tick(struct evpn_query *q, const char *vty_dir, bool up, uint64_t now_ms);
/* Parse FRR's summary into q's cache. 0, or -EINVAL with the reason in q->error. */
int evpn_query_parse(struct evpn_query *q, const char *json, uint64_t now_ms);
/* Forget the cache (FRR stopped). */
void evpn_query_clear(struct evpn_query *q);
void evpn_query_fini(struct evpn_query *q);

#endif
