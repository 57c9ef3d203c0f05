/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the metrics: section: where the Prometheus endpoint listens.
 */
#ifndef VXG_CONFIG_SCHEMA_METRICS_H
#define VXG_CONFIG_SCHEMA_METRICS_H

#include "config/walk.h"

/* The metrics: key of the top level; obj is the struct vxg_config. */
int schema_metrics(struct config_parser *p, const struct config_node *n, void *obj);

#endif
