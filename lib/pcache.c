/* SPDX-License-Identifier: BSD-3-Clause */
/* The epoch of the workers' position caches (vxg_pcache.h): control bumps it, workers
 * read it at the start of each pass. */
#include "vxg_pcache.h"

uint32_t vxg_pcache_epoch;
