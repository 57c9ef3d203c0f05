/* SPDX-License-Identifier: BSD-3-Clause */
/* The mbuf field both threads use (vxg_meta.h), registered by control before the workers
 * start. */
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "vxg_meta.h"

int vxg_meta_offset = -1;

int
vxg_meta_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "vxgate_meta",
		.size = sizeof(struct vxg_meta),
		.align = __alignof__(struct vxg_meta),
	};

	if (vxg_meta_offset >= 0)
		return 0;
	vxg_meta_offset = rte_mbuf_dynfield_register(&desc);
	return vxg_meta_offset >= 0 ? 0 : -rte_errno;
}
