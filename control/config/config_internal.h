/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the YAML walk (config.c) and the cross-object checks (config_validate.c):
 * both report through errors.h and format values with fields.h; the walk calls the checks.
 * Nothing outside control/config/ includes this.
 */
#ifndef VXG_CONFIG_INTERNAL_H
#define VXG_CONFIG_INTERNAL_H

#include "config/errors.h"
#include "config/fields.h"

/* Cross-object checks and defaults; runs only once every value parsed. 0 or -ENOMEM. */
int config_validate(struct config_ctx *x);

#endif
