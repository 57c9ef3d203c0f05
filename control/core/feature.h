/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control features: what each feature folder (l2, neigh, vxlan, l3, sg, nat, dhcp...) does
 * on the control thread, registered from the folder itself so that the daemon loops over
 * the registrations and names no feature. A feature is a struct vxg_feature with the
 * hooks it needs (every hook may be NULL) and VXG_FEATURE_REGISTER(name) in one of its .c
 * files; adding one edits no central table.
 *
 * Order: hooks run in ascending `order` (ties by name), except fini and abort, which run
 * descending, and gen_free, which runs descending so that a part is freed before the
 * parts it was built on. A feature's build sees the generation parts and the state of
 * every feature of a lower order: pick an order above the features whose exports it
 * uses. Orders are multiples of 100 today, which leaves room in between.
 *
 * State: each feature keeps its own in a file-static struct in its folder (the daemon is
 * one per process), reached by other code only through the functions its header exports.
 *
 * Thread-safety: registration runs in constructors, before main, on one thread; the list
 * and the punt table are read-only afterwards. Every hook runs on the control thread
 * (gen_free also from the publisher's reclaim, which runs there too). Workers never see
 * a struct vxg_feature, only the generations and tables that hooks build for them.
 */
#ifndef VXG_FEATURE_H
#define VXG_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "vxg_defs.h"

struct vxg_config;
struct vxg_daemon;
struct vxg_gen;

/* A row of `show memory`: what one of a feature's tables or pools costs. */
struct vxg_mem_row {
	const char *name; /* as the shell prints it; a string literal */
	uint64_t bytes;
	int64_t entries; /* -1: not a table of entries */
};

/* The bytes a mempool's memory chunks take, for a row of `show memory`. */
uint64_t vxg_mempool_bytes(struct rte_mempool *mp);

/* The most rows a feature's memory hook may fill. */
#define VXG_FEATURE_MEM_ROWS 4

/*
 * A sample of a feature's gauge or counter for the metrics endpoint: one line of the
 * exposition, NAME{LABEL="VALUE",...} value. Samples of one family (name) come together,
 * each with the same help and label names. A name ending in _total is a counter (it never
 * goes back), any other a gauge.
 */
#define VXG_METRIC_LABELS 4
struct vxg_metric {
	const char *name; /* "vxgate_..." in Prometheus' conventions; a string literal */
	const char *help; /* a string literal */
	const char *label[VXG_METRIC_LABELS]; /* label names, literals; NULL: unused */
	char value_of[VXG_METRIC_LABELS][VXG_NAME_MAX]; /* the labels' values */
	double value;
};

/* Punt kinds (enum vxg_punt_why, vxg_meta.h) a feature answers, as bits of .punts. */
#define VXG_FEATURE_PUNT(why) (UINT32_C(1) << (why))
#define VXG_FEATURE_PUNT_KINDS 32

struct vxg_feature {
	const char *name;
	unsigned order;
	uint32_t punts; /* VXG_FEATURE_PUNT bits: the kinds `punt` takes; one owner each */

	/* At start, before the first generation is built: create the feature's tables.
	 * 0, or -errno with the reason in err (the daemon then stops; fini still runs). */
	int (*init)(struct vxg_daemon *d, char *err, size_t errlen);
	/* At exit, workers stopped and the last generation freed; also after a failed
	 * init, so it must cope with a state init left half made. */
	void (*fini)(struct vxg_daemon *d);

	/* Give generation g, being built from cfg (not live yet; d->gen and d->cfg are
	 * still the live ones), this feature's part and tables. 0, or -errno with the
	 * reason in err: then abort runs for this feature and every one built before. */
	int (*build)(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg,
		char *err, size_t errlen);
	/* g failed to build and no worker has seen it: undo what build made outside g
	 * (tables created for it). g's own memory goes with gen_free. */
	void (*abort)(struct vxg_daemon *d, struct vxg_gen *g);
	/* Free what build put in g; g may be partly built. No daemon: it runs wherever a
	 * generation is freed (the publisher's reclaim, tests). */
	void (*gen_free)(struct vxg_gen *g);

	/* g (built from cfg) is live: every worker took it. old (built from ocfg) is the
	 * generation before, NULL at start; no worker reads it any more once the workers
	 * are quiescent, and it is freed after this. ocfg == cfg when g only rebuilds the
	 * same config (vxg_daemon_regen: a neighbour changed). Prune what old used. */
	void (*published)(struct vxg_daemon *d, const struct vxg_gen *g,
		const struct vxg_config *cfg, const struct vxg_gen *old,
		const struct vxg_config *ocfg);
	/* After a reload published g, built from nc (d->cfg is still the old config):
	 * bring the state that outlives generations in line with nc. 0; -errno with the
	 * reason in err (the reload is done anyway, the reason is its warning); or 1 with a
	 * note in err, shown as the warning when nothing failed. */
	int (*reload)(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g,
		char *err, size_t errlen);

	/* Every pass of the control loop (a few ms apart, more often while punts arrive):
	 * timers, ageing. now_ms: vxg_ctl_now_ms(). Keep it short; gate slow work on time. */
	void (*tick)(struct vxg_daemon *d, uint64_t now_ms);
	/* A frame a worker punted, of a kind in .punts (vxg_meta(m)->why). Takes m: sends,
	 * keeps or frees it (count what is freed unanswered in d->punt_freed). */
	void (*punt)(struct vxg_daemon *d, struct rte_mbuf *m);
	/* Does this feature answer ARP for ip on interface ifindex of g (proxy ARP)? */
	bool (*arp_proxy)(const struct vxg_gen *g, unsigned ifindex, rte_be32_t ip);
	/* `show memory`: fill rows (room for VXG_FEATURE_MEM_ROWS) with what this feature's
	 * tables cost, in the order the shell shows them; return how many rows it filled. */
	unsigned (*memory)(const struct vxg_daemon *d, struct vxg_mem_row *rows);
	/* The metrics endpoint: fill rows (room for max) with this feature's gauges and
	 * counters; return how many it has, which may be more than max (it is then asked
	 * again with room). */
	unsigned (*metrics)(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max);
};

/* Add f to the list (VXG_FEATURE_REGISTER does it). Two features claiming one punt kind,
 * or too many features, stop the program at start. */
void vxg_feature_register(struct vxg_feature *f);

#define VXG_FEATURE_REGISTER(f)             \
	RTE_INIT(vxg_feature_register_##f)  \
	{                                   \
		vxg_feature_register(&(f)); \
	}

/* The loops the daemon runs; see the hooks above. */
int vxg_features_init(struct vxg_daemon *d, char *err, size_t errlen);
void vxg_features_fini(struct vxg_daemon *d);
int vxg_features_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg,
	char *err, size_t errlen);
void vxg_features_gen_free(struct vxg_gen *g);
void vxg_features_published(struct vxg_daemon *d, const struct vxg_gen *g,
	const struct vxg_config *cfg, const struct vxg_gen *old, const struct vxg_config *ocfg);
/* Every reload hook runs; the first error (< 0) wins over the first note (1). Its return
 * and err are that hook's; 0 with err untouched when all returned 0. */
int vxg_features_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g,
	char *err, size_t errlen);
void vxg_features_tick(struct vxg_daemon *d, uint64_t now_ms);
/* Hand m to the feature that claims its kind. False: none does, m is untouched. */
bool vxg_features_punt(struct vxg_daemon *d, struct rte_mbuf *m);
/* Does some feature answer ARP for ip on interface ifindex of g? */
bool vxg_features_arp_proxy(const struct vxg_gen *g, unsigned ifindex, rte_be32_t ip);
/* Every feature's `show memory` rows, in feature order, into rows (room for max): how
 * many. Rows past max are left out. */
unsigned vxg_features_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows, unsigned max);
/* Put a sample at rows[n] when n < max (labels: up to VXG_METRIC_LABELS name, value pairs,
 * then NULL); returns n + 1, so a hook counts what it has whatever the room. */
unsigned vxg_metric_add(struct vxg_metric *rows, unsigned max, unsigned n, const char *name,
	const char *help, double value, ...);
/* Every feature's metrics rows, in feature order, into rows (room for max): how many
 * there are, which may be more than max (rows past max are left out). */
unsigned vxg_features_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max);

#endif
