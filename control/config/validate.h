/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object validation: checks that need more than one object (duplicates,
 * containment, roles of referenced interfaces) and defaults that depend on other objects.
 * Runs only on a model whose every value parsed, so indices are resolved and values are
 * in range; positions come from the marks the walk left (config_pos). Knows nothing of
 * YAML: it reads the model (model.h) and reports through errors.h.
 */
#ifndef VXG_CONFIG_VALIDATE_H
#define VXG_CONFIG_VALIDATE_H

#include "config/errors.h"

/* Checks x->c and fills in its derived defaults. 0 (errors or not), or -ENOMEM. */
int config_validate(struct config_ctx *x);

#endif
