/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security group rule hits across a reload: the hits a rule counted in the old generation
 * carry over to the same rule in the new one, so `show security-groups` does not lose
 * them when the config changes elsewhere.
 *
 * Thread-safety: control thread only; see vxg_sg_hits_carry for when to call it.
 */
#ifndef VXG_SG_HITS_H
#define VXG_SG_HITS_H

#include <stdint.h>

#include "config/model.h"
#include "core/gen.h"
#include "vxg_worker.h"

/*
 * Rule hits across a reload: *out gets, per VPC of ng (compiled from ncfg) and compiled
 * rule, the hits of the same rule in og (compiled from ocfg), where it is the same port's
 * copy of a rule of the same group with the same content and statefulness: the hits the
 * workers counted in og plus obase (og's own base: n_obase rows, NULL rows for none), or
 * 0 for a rule that is new or changed. A row of *out is NULL where nothing carries over;
 * *out is NULL when og is. Call it once every worker has taken ng: hits a worker still
 * counts in og afterwards are lost. Free with vxg_sg_hits_base_free(*out, ng->n_vpcs).
 * 0, or -ENOMEM (*out NULL).
 */
int vxg_sg_hits_carry(uint64_t ***out, const struct vxg_gen *ng, const struct vxg_config *ncfg,
	const struct vxg_gen *og, const struct vxg_config *ocfg, uint64_t *const *obase,
	unsigned n_obase, struct vxg_worker *const *workers, unsigned n_workers);
void vxg_sg_hits_base_free(uint64_t **base, unsigned n);

#endif
