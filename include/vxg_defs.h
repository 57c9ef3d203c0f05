/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The few names and limits the config model (control/config/model.h) and the
 * generation the workers read share: so that no worker source sees the YAML model.
 *
 * Thread-safety: constants only.
 */
#ifndef VXG_DEFS_H
#define VXG_DEFS_H

#define VXG_NAME_MAX 32 /* including the NUL */

enum vxg_if_role {
	VXG_ROLE_UNDERLAY,
	VXG_ROLE_EXTERNAL,
	VXG_ROLE_ACCESS,
};

/* Of a security group rule, and of the classifier a generation holds per direction. */
enum vxg_dir {
	VXG_DIR_INGRESS,
	VXG_DIR_EGRESS,
};

/* What a QoS policy does with a packet over its limit (vxg_qos.h). */
enum vxg_qos_action {
	VXG_QOS_DROP, /* dropped, counted as qos_exceeded */
	VXG_QOS_REMARK, /* sent on with the policy's DSCP */
};

#endif
