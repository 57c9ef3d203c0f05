/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' counters as control shows them: the names and help of drop reasons and
 * events, and each worker's counters since the last `clear stats` (a baseline kept in
 * the daemon, so that workers never have their counters written by another thread).
 */
#include <string.h>

#include <rte_ethdev.h>

#include "core/daemon.h"

const char *const vxg_drop_names[VXG_DROP_MAX] = {
#define VXG_DROP_NAME(name, help) #name,
	VXG_DROP_REASONS(VXG_DROP_NAME)
#undef VXG_DROP_NAME
};

const char *const vxg_event_names[VXG_EV_MAX] = {
#define VXG_EVENT_NAME(name, help) #name,
	VXG_EVENTS(VXG_EVENT_NAME)
#undef VXG_EVENT_NAME
};

const char *const vxg_drop_help[VXG_DROP_MAX] = {
#define VXG_DROP_HELP(name, help) help,
	VXG_DROP_REASONS(VXG_DROP_HELP)
#undef VXG_DROP_HELP
};

void
vxg_daemon_worker_stats(const struct vxg_daemon *d, unsigned i, struct vxg_worker_stats *s)
{
	const struct vxg_worker_stats *cur = &d->workers[i]->stats, *b = &d->base[i];

	s->rx = cur->rx - b->rx;
	s->tx = cur->tx - b->tx;
	s->punted = cur->punted - b->punted;
	s->iterations = cur->iterations - b->iterations;
	s->busy_cycles = cur->busy_cycles - b->busy_cycles;
	s->idle_cycles = cur->idle_cycles - b->idle_cycles;
	for (unsigned r = 0; r < VXG_DROP_MAX; r++)
		s->drops[r] = cur->drops[r] - b->drops[r];
	for (unsigned e = 0; e < VXG_EV_MAX; e++)
		s->events[e] = cur->events[e] - b->events[e];
}

void
vxg_daemon_stats_total(const struct vxg_daemon *d, struct vxg_worker_stats *t)
{
	struct vxg_worker_stats s;

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < d->n_workers; i++) {
		vxg_daemon_worker_stats(d, i, &s);
		t->rx += s.rx;
		t->tx += s.tx;
		t->punted += s.punted;
		t->iterations += s.iterations;
		t->busy_cycles += s.busy_cycles;
		t->idle_cycles += s.idle_cycles;
		for (unsigned r = 0; r < VXG_DROP_MAX; r++)
			t->drops[r] += s.drops[r];
		for (unsigned e = 0; e < VXG_EV_MAX; e++)
			t->events[e] += s.events[e];
	}
}

void
vxg_daemon_clear_stats(struct vxg_daemon *d)
{
	for (unsigned i = 0; i < d->n_workers; i++)
		d->base[i] = d->workers[i]->stats;
	for (unsigned i = 0; i < d->n_ifs; i++)
		rte_eth_stats_reset(d->ifs[i].port_id);
}
