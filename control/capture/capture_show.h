/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show capture`: the capture's state, what it captures, the writer's counters and, per
 * worker and direction, what became of the frames; text or JSON. The capture commands
 * answer with it too.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CAPTURE_SHOW_H
#define VXG_CAPTURE_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"

void vxg_capture_show(const struct vxg_daemon *d, FILE *out, bool json);

#endif
