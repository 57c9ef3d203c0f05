/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VXLAN feature's registration: each generation's overlay part (networks, VLAN maps,
 * remote VTEPs with their header templates) compiled from the config, with the FDB the
 * workers switch on and the underlay neighbours the templates take their MACs from.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_malloc.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "l2/l2_feature.h"
#include "neigh/neigh_feature.h"
#include "vxlan/vxlan_config.h"

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

/* After l2 and neigh, whose tables it uses; before l3, which routes between its
 * networks. */
static struct vxg_feature vxlan_feature = {
	.name = "vxlan",
	.order = 300,
	.build = vxlan_build,
	.gen_free = vxlan_gen_free,
};

VXG_FEATURE_REGISTER(vxlan_feature)
