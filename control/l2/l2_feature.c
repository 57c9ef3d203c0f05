/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The L2 feature's registration: the FDB is created at start with the config's ports as
 * static entries, synced again after each reload, and aged a slice at a time.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "l2/l2_feature.h"

/* FDB positions the ager looks at per run (ten runs a second). */
#define AGE_SLICE 65536
#define AGE_EVERY_MS 100

/* Thread-safety: control thread only. */
static struct {
	struct vxg_fdb *fdb; /* survives reloads */
	uint64_t aged; /* entries the ager deleted */
	uint64_t age_ms; /* when the ager last ran */
} l2;

struct vxg_fdb *
vxg_l2_fdb(void)
{
	return l2.fdb;
}

static int
l2_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	l2.fdb = vxg_fdb_create(d->cfg->dataplane.limits.fdb, d->qsbr);
	if (l2.fdb == NULL) {
		snprintf(err, errlen,
			"cannot create the FDB of %u entries (dataplane.limits.fdb): %s; give EAL "
			"more memory or lower the limit",
			d->cfg->dataplane.limits.fdb, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (vxg_fdb_sync_static(l2.fdb, d->cfg, d->ifs, 1) < 0) {
		snprintf(err, errlen, "the ports of the config do not fit dataplane.limits.fdb");
		return -ENOSPC;
	}
	return 0;
}

static void
l2_fini(struct vxg_daemon *d)
{
	vxg_fdb_destroy(l2.fdb);
	l2.fdb = NULL;
}

/* After the publish: a port that moved is static at its new place from now on. */
static int
l2_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	int ret = 0;

	if (vxg_fdb_sync_static(l2.fdb, nc, d->ifs, (uint32_t)g->id) < 0) {
		snprintf(err, errlen, "the FDB is full: some ports are not static entries");
		ret = -ENOSPC;
	}
	vxg_fdb_lport_sweep(l2.fdb, (uint32_t)g->id);
	return ret;
}

/* Ageing: a slice of the table per run, so a big table costs no long pause. */
static void
l2_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (l2.fdb == NULL || now_ms - l2.age_ms < AGE_EVERY_MS)
		return;
	l2.age_ms = now_ms;
	/* Without a vtep: section, access-learned MACs age with the default 300 s. */
	l2.aged += vxg_fdb_age(
		l2.fdb, d->cfg->vtep.enabled ? d->cfg->vtep.ageing : 300, vxg_fdb_now(), AGE_SLICE);
}

/* show memory: the FDB and how many entries it holds. */
static unsigned
l2_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	rows[0] = (struct vxg_mem_row){"fdb", l2.fdb ? vxg_fdb_memsize(l2.fdb) : 0,
		l2.fdb ? (int64_t)vxg_fdb_count(l2.fdb) : 0};
	return 1;
}

/* One FDB for every network: its use against its size. */
static unsigned
l2_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	unsigned n = 0;

	n = vxg_metric_add(rows, max, n, "vxgate_fdb_entries",
		"MACs in the FDB, learned and declared, of every network",
		l2.fdb ? vxg_fdb_count(l2.fdb) : 0, NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_fdb_entries_limit",
		"Size of the FDB (dataplane.limits.fdb)", d->cfg->dataplane.limits.fdb, NULL);
	return n;
}

/* First: the generation's parts use the FDB (port slots, the table workers learn into). */
static struct vxg_feature l2_feature = {
	.name = "l2",
	.order = 100,
	.init = l2_init,
	.fini = l2_fini,
	.reload = l2_reload,
	.tick = l2_tick,
	.memory = l2_memory,
	.metrics = l2_metrics,
};

VXG_FEATURE_REGISTER(l2_feature)
