/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QoS, the meter stage (a transform, inline): a packet of an attachment with a policy is
 * metered by the worker's rte_meter for that attachment and direction (vxg_qos.h) on its
 * IP bytes (IPv4 total length, IPv6 40 + payload length: no Ethernet, VLAN or VXLAN
 * bytes). Conforming: sent on. Exceeding: the caller drops it (qos_exceeded), or with the
 * policy's action `remark` it is sent on with the policy's DSCP (IPv4: checksum updated;
 * IPv6: traffic class). Frames that are not IP (ARP) are not metered.
 *
 * Where: L2 input meters what a port sends (egress), L2 output and the router's fast path
 * what a port receives (ingress), the router what NAT translated for a floating IP or
 * SNAT (vxg_meta(m)->qos). Each caller tests gen->qos_on first: traffic of a box without
 * policies pays that one branch.
 *
 * Thread-safety: the worker's own meters; profiles as vxg_qos.h says.
 */
#ifndef VXG_QOS_STAGE_H
#define VXG_QOS_STAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_meter.h>

#include "vxg_defs.h"
#include "vxg_gen.h"
#include "vxg_l2.h"
#include "vxg_qos.h"
#include "vxg_sg.h"
#include "vxg_worker.h"

/* The IP bytes of the packet at l3 of ethertype type; 0: not IP, not metered. */
static __rte_always_inline uint32_t
qos_ip_len(const struct rte_mbuf *m, uint16_t l3, rte_be16_t type)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, l3);
	uint16_t v;

	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4) && m->data_len >= l3 + 20) {
		memcpy(&v, ip + 2, 2);
		return rte_be_to_cpu_16(v);
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6) && m->data_len >= l3 + 40) {
		memcpy(&v, ip + 4, 2);
		return 40u + rte_be_to_cpu_16(v);
	}
	return 0;
}

/* Set the DSCP of the packet at l3: the IPv4 TOS byte (ECN kept, checksum updated as RFC
 * 1624 says), or the IPv6 traffic class. */
static inline void
vxg_qos_remark(struct rte_mbuf *m, uint16_t l3, rte_be16_t type, uint8_t dscp)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, l3);

	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		uint8_t tos = (uint8_t)(dscp << 2 | (ip[1] & 3));
		uint16_t old, new, ck;
		uint32_t sum;

		old = (uint16_t)(ip[0] << 8 | ip[1]);
		new = (uint16_t)(ip[0] << 8 | tos);
		ck = (uint16_t)(ip[10] << 8 | ip[11]);
		sum = (uint16_t)~ck + (uint16_t)~old + new;
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ck = (uint16_t)~sum;
		ip[1] = tos;
		ip[10] = (uint8_t)(ck >> 8);
		ip[11] = (uint8_t)ck;
	} else {
		/* version(4) | traffic class(8) | flow label(20): the TC's high 6 bits */
		ip[0] = (uint8_t)((ip[0] & 0xf0) | (dscp >> 2));
		ip[1] = (uint8_t)((ip[1] & 0x3f) | ((dscp & 3) << 6));
	}
}

/* Take len bytes from the pool of what the other workers' shares left unused. */
static inline bool
qos_pool_take(struct vxg_qos_pool *p, uint32_t len)
{
	if (__atomic_load_n(&p->tokens, __ATOMIC_RELAXED) < (int64_t)len)
		return false;
	if (__atomic_sub_fetch(&p->tokens, (int64_t)len, __ATOMIC_RELAXED) >= 0)
		return true;
	__atomic_add_fetch(&p->tokens, (int64_t)len, __ATOMIC_RELAXED); /* raced: give back */
	return false;
}

/* rte_meter_srtcm_color_blind_check of meter q under profile pr->p[cur & 1] (cur: pr->cur,
 * loaded), without reading the profile or dividing when it would add nothing: less than
 * one period since the bucket's last refill under this same profile (every packet of a
 * burst after the first, as all share the burst's TSC). The bucket is then within the
 * profile's size (DPDK's check leaves it so). The colours are DPDK's with zero periods. */
static __rte_always_inline enum rte_color
qos_srtcm_check(struct vxg_qos_wm *q, const struct vxg_qos_prof *pr, uint32_t cur, uint64_t time,
	uint32_t len)
{
	if (unlikely(cur != q->cur || time - q->m.time >= q->period)) {
		struct rte_meter_srtcm_profile *p =
			(struct rte_meter_srtcm_profile *)(uintptr_t)&pr->p[cur & 1];

		q->cur = cur;
		q->period = (uint32_t)RTE_MIN(p->cir_period, UINT32_MAX);
		return rte_meter_srtcm_color_blind_check(&q->m, p, time, len);
	}
	if (q->m.tc >= len) {
		q->m.tc -= len;
		return RTE_COLOR_GREEN;
	}
	if (q->m.te >= len) {
		q->m.te -= len;
		return RTE_COLOR_YELLOW;
	}
	return RTE_COLOR_RED;
}

/* Meter id (non-zero) on the packet at l3 of ethertype type: true to send it on
 * (conforming, or re-marked), false when it is over the limit and to be dropped. */
static __rte_always_inline bool
vxg_qos_meter(struct vxg_worker *w, uint16_t id, struct rte_mbuf *m, uint16_t l3, rte_be16_t type)
{
	struct vxg_qos_wm *q = &w->qos[id].wm;
	const struct vxg_qos_prof *pr = &w->qos[id].prof;
	uint32_t len = qos_ip_len(m, l3, type);

	if (unlikely(len == 0))
		return true;
	if (likely(qos_srtcm_check(q, pr, __atomic_load_n(&pr->cur, __ATOMIC_ACQUIRE), w->tsc,
			   len) == RTE_COLOR_GREEN) ||
		(w->qos_pool != NULL && qos_pool_take(&w->qos_pool[id], len))) {
		q->pkts[0]++;
		q->bytes[0] += len;
		return true;
	}
	q->pkts[1]++;
	q->bytes[1] += len;
	if (pr->action != VXG_QOS_REMARK)
		return false;
	vxg_qos_remark(m, l3, type, pr->dscp);
	return true;
}

/* The same for a frame whose L3 header follows its Ethernet header (l2_len, the tag kept). */
static __rte_always_inline bool
vxg_qos_frame(struct vxg_worker *w, uint16_t id, struct rte_mbuf *m)
{
	rte_be16_t type = *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);

	return vxg_qos_meter(w, id, m, m->l2_len, type);
}

/* Port slot + 1 `lport` (0, VXG_LPORT_SELF: none) sends (VXG_DIR_EGRESS) or receives
 * (VXG_DIR_INGRESS) frame m: true to go on, false to drop (over its port's policy). */
static __rte_always_inline bool
vxg_qos_port(struct vxg_worker *w, uint16_t lport, unsigned dir, struct rte_mbuf *m)
{
	uint16_t id;

	if (lport == 0 || lport == VXG_LPORT_SELF)
		return true;
	id = w->gen->lports[lport - 1].qos[dir];
	return id == 0 || vxg_qos_frame(w, id, m);
}

#endif
