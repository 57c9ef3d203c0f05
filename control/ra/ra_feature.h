/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Router Advertisement feature on the control thread: the RA service (ra_service.h)
 * created at start, updated on reloads, ticked for its timers and fed the Router
 * Solicitations workers punt.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_RA_FEATURE_H
#define VXG_RA_FEATURE_H

#include "ra/ra_service.h"

/* The service, for the shell; NULL before the daemon starts. */
struct vxg_ra_service *vxg_ra(void);

#endif
