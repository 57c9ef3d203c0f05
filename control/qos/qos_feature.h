/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The QoS feature on the control thread: meter numbers for each attachment (a port, a
 * floating IP or a VPC's SNAT) and direction of a policy, kept across reloads while the
 * attachment and its policy stay; the workers' meters and shares (vxg_qos.h), allocated
 * at start; the division of each policy between the workers every 100 ms (qos_share.h);
 * `show qos` and the vxgate_qos_* metrics read the counters.
 *
 * Thread-safety: control thread only; the workers' parts under vxg_qos.h's contract.
 */
#ifndef VXG_QOS_FEATURE_H
#define VXG_QOS_FEATURE_H

#include <stdint.h>

#include "core/daemon.h"
#include "vxg_defs.h"

enum vxg_qos_kind {
	VXG_QOS_PORT,
	VXG_QOS_FIP,
	VXG_QOS_SNAT,
};

/* An attachment of the live generation. */
struct vxg_qos_att {
	uint8_t kind; /* enum vxg_qos_kind */
	unsigned vpc; /* index in the config */
	unsigned policy; /* index in the VPC's qos_policies */
	char name[VXG_NAME_MAX]; /* the port's name, the floating IP, "snat" */
	uint16_t meter[2]; /* [enum vxg_dir]: 0 when the policy leaves the direction alone */
};

/* The live generation's attachments, in config order (VPC, then ports, floating IPs,
 * SNAT). */
const struct vxg_qos_att *vxg_qos_atts(unsigned *n);
/* Meter id's counters summed over the workers: [0] conforming, [1] exceeding. */
void vxg_qos_counters(const struct vxg_daemon *d, uint16_t id, uint64_t pkts[2], uint64_t bytes[2]);
/* The kind's word in `show qos` and the metrics: port, floating_ip, snat. */
const char *vxg_qos_kind_name(unsigned kind);

struct vxg_qos_stats {
	uint64_t divisions; /* rounds that re-divided the rates between workers */
	uint64_t divisions_late; /* rounds put off: a worker had not passed since the last */
};
const struct vxg_qos_stats *vxg_qos_stats(void);

#endif
