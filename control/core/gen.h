/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generations on the control side: the skeleton the features' build hooks fill in,
 * publishing to the workers and reclaiming the old ones.
 *
 * Thread-safety: control thread only. See vxg_gen.h for the contract with workers.
 */
#ifndef VXG_GEN_PUBLISH_H
#define VXG_GEN_PUBLISH_H

#include <rte_rcu_qsbr.h>

#include "config/model.h"
#include "vxg_gen.h"
#include "vxg_worker.h"

struct vxg_iface; /* core/port.h */

/* How a build hook's error starts, so that every part's failure reads the same. */
#define VXG_GEN_BUILD_ERR "cannot build the generation: "

/* A generation of id `id` with only the interfaces (for the ports ifs, in cfg's order)
 * and the VTEP address of cfg: the features' build hooks add the rest. NULL: no memory.
 * Free with vxg_gen_free, which frees the features' parts too. */
struct vxg_gen *vxg_gen_alloc(
	const struct vxg_config *cfg, const struct vxg_iface *ifs, unsigned n_ifs, uint64_t id);
void vxg_gen_free(struct vxg_gen *g);

struct vxg_publisher {
	struct vxg_worker **workers;
	unsigned n_workers;
	struct rte_rcu_qsbr *qsbr;
	struct rte_rcu_qsbr_dq *dq; /* old generations waiting for quiescence */
	void (*free_fn)(struct vxg_gen *); /* vxg_gen_free; tests watch reclaim through it */
	uint64_t published, reclaimed;
};

int vxg_publisher_init(struct vxg_publisher *p, struct vxg_worker **workers, unsigned n,
	struct rte_rcu_qsbr *qsbr);

/*
 * Send g to every worker and wait up to timeout_ms until each has switched to it.
 * `old` (may be NULL) is deferred, and freed only after every worker has been quiescent
 * since the switch. Returns 0, or -ETIMEDOUT if a worker did not switch in time (g stays
 * queued and will be taken; `old` is still reclaimed safely later), or -ENOBUFS.
 */
int vxg_gen_publish(
	struct vxg_publisher *p, struct vxg_gen *g, struct vxg_gen *old, unsigned timeout_ms);

/*
 * Defer `old` (may be NULL) as vxg_gen_publish does, for a caller that published its
 * successor with old NULL and read old meanwhile (the rule hits). The successor must have
 * been enqueued to every worker before this call.
 */
void vxg_gen_retire(struct vxg_publisher *p, struct vxg_gen *old);

/* Free the old generations that no worker can still see. Non-blocking. */
void vxg_gen_reclaim(struct vxg_publisher *p);

/* After the workers have stopped: free everything deferred. */
void vxg_publisher_fini(struct vxg_publisher *p);

#endif
