/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The L2 feature on the control thread: the FDB that outlives generations, its static
 * entries kept in line with the config on every reload, and its ageing.
 *
 * Thread-safety: control thread only (workers read and learn into the FDB itself, under
 * the contract in vxg_l2.h).
 */
#ifndef VXG_L2_FEATURE_H
#define VXG_L2_FEATURE_H

#include "l2/fdb.h"

/* The FDB; NULL before the daemon starts. */
struct vxg_fdb *vxg_l2_fdb(void);

#endif
