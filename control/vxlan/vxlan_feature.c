/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VXLAN feature's registration: each generation's overlay part (networks, VLAN maps,
 * remote VTEPs with their header templates) compiled from the config, with the FDB the
 * workers switch on and the underlay neighbours the templates take their MACs from; the
 * remote VTEPs' counters carried across generations (vxlan_feature.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "core/log.h"
#include "l2/l2_feature.h"
#include "neigh/neigh_feature.h"
#include "vxlan/vxlan_config.h"
#include "vxlan/vxlan_feature.h"

/* Thread-safety: control thread only. [VTEP of the live generation]: what the
 * generations before it counted for the same address; NULL: nothing. */
static struct {
	struct vxg_vtep_ctr *base;
	uint16_t n;
} vtep;

/* Add VTEP i's rows of vx (every worker's) into tx and rx. */
static void
vtep_rows(const struct vxg_daemon *d, const struct vxg_gen_vxlan *vx, uint16_t i, uint64_t *tx,
	uint64_t *rx)
{
	for (unsigned w = 0; w < d->n_workers; w++) {
		*tx += vx->ctr[w * vx->n_vteps + i].tx;
		*rx += vx->ctr[w * vx->n_vteps + i].rx;
	}
}

void
vxg_vtep_total(const struct vxg_daemon *d, uint16_t i, uint64_t *tx, uint64_t *rx)
{
	*tx = *rx = 0;
	if (vtep.base != NULL && i < vtep.n) {
		*tx = vtep.base[i].tx;
		*rx = vtep.base[i].rx;
	}
	vtep_rows(d, &d->gen->vx, i, tx, rx);
}

static int
vxlan_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	if (vxg_vxlan_build(g, cfg, d->ifs, vxg_l2_fdb(), vxg_underlay_neigh()) < 0) {
		snprintf(err, errlen, "%sout of memory", VXG_GEN_BUILD_ERR);
		return -ENOMEM;
	}
	return 0;
}

static void
vxlan_gen_free(struct vxg_gen *g)
{
	vxg_vxlan_free(&g->vx);
	for (unsigned i = 0; i < g->n_ifs; i++)
		rte_free(g->ifs[i].vlan_net);
}

/* g is live and no worker counts into old any more: each VTEP of g that old had too
 * starts from old's total. Both lists are sorted by address. */
static void
vxlan_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	const struct vxg_gen_vxlan *vx = &g->vx, *ox = old != NULL ? &old->vx : NULL;
	struct vxg_vtep_ctr *base = NULL;
	uint16_t i = 0;

	if (ox != NULL && ox->n_vteps > 0 && vx->n_vteps > 0) {
		base = calloc(vx->n_vteps, sizeof(*base));
		if (base == NULL)
			VXG_LOG(LOG_WARNING, "VTEP counters: out of memory, they start again");
	}
	for (uint16_t j = 0; base != NULL && j < vx->n_vteps; j++) {
		uint32_t ip = rte_be_to_cpu_32(vx->vteps[j].ip);

		while (i < ox->n_vteps && rte_be_to_cpu_32(ox->vteps[i].ip) < ip)
			i++;
		if (i == ox->n_vteps || ox->vteps[i].ip != vx->vteps[j].ip)
			continue;
		if (vtep.base != NULL && i < vtep.n)
			base[j] = vtep.base[i];
		vtep_rows(d, ox, i, &base[j].tx, &base[j].rx);
	}
	free(vtep.base);
	vtep.base = base;
	vtep.n = base != NULL ? vx->n_vteps : 0;
	RTE_SET_USED(cfg);
	RTE_SET_USED(ocfg);
}

static void
vxlan_fini(struct vxg_daemon *d)
{
	free(vtep.base);
	vtep.base = NULL;
	vtep.n = 0;
	RTE_SET_USED(d);
}

/* After l2 and neigh, whose tables it uses; before l3, which routes between its
 * networks. */
static struct vxg_feature vxlan_feature = {
	.name = "vxlan",
	.order = 300,
	.build = vxlan_build,
	.gen_free = vxlan_gen_free,
	.published = vxlan_published,
	.fini = vxlan_fini,
};

VXG_FEATURE_REGISTER(vxlan_feature)
