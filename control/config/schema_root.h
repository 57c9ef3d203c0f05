/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the top level of a config file (dataplane:, interfaces:, vtep:, vpcs:) and of
 * a VPC (its name, networks:, address_sets:, security_groups:, ports:, port_groups:,
 * routes:, nat:), and the walk of a whole document into x->c.
 */
#ifndef VXG_CONFIG_SCHEMA_ROOT_H
#define VXG_CONFIG_SCHEMA_ROOT_H

#include "config/walk.h"

/*
 * Walks doc into x->c, reporting to x what is wrong. 0 (whether or not errors were
 * found), or -ENOMEM.
 */
int schema_walk(struct config_ctx *x, const struct config_doc *doc);

#endif
