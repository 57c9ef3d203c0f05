/* SPDX-License-Identifier: BSD-3-Clause */
/* The mbuf field and flag both threads use (vxg_meta.h, vxg_trace.h), registered by
 * control before the workers start. */
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "vxg_meta.h"
#include "vxg_trace.h"

int vxg_meta_offset = -1;
/* 0 until registered: no packet looks traced. */
uint64_t vxg_trace_mask;

int
vxg_meta_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "vxgate_meta",
		.size = sizeof(struct vxg_meta),
		.align = __alignof__(struct vxg_meta),
	};
	static const struct rte_mbuf_dynflag flag = {.name = "vxgate_trace"};
	int bit;

	if (vxg_meta_offset >= 0 && vxg_trace_mask != 0)
		return 0;
	vxg_meta_offset = rte_mbuf_dynfield_register(&desc);
	if (vxg_meta_offset < 0)
		return -rte_errno;
	bit = rte_mbuf_dynflag_register(&flag);
	if (bit < 0)
		return -rte_errno;
	vxg_trace_mask = UINT64_C(1) << bit;
	return 0;
}
