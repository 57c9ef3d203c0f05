/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the security group stage's IPv4 half (sg.c) and IPv6 half (sg6.c) share: port
 * lookups, rule hits and the IPv6 entry points sg.c hands IPv6 frames to.
 *
 * Thread-safety: worker code; reads the generation, writes only the worker's counters and
 * conntrack entries as vxg_ct.h allows.
 */
#ifndef VXG_SG_PRIV_H
#define VXG_SG_PRIV_H

#include "pipeline.h"
#include "vxg_ct.h"

#define SG_CHUNK RTE_HASH_LOOKUP_BULK_MAX

static inline const struct vxg_gen_lport *
sg_lport(const struct vxg_gen *g, uint16_t lport)
{
	if (lport == 0 || lport > g->n_lports)
		return NULL;
	return &g->lports[lport - 1];
}

/* The port at slot + 1 `lport` if it has security groups, else NULL. */
static inline const struct vxg_gen_lport *
sg_filtered(const struct vxg_gen *g, uint16_t lport)
{
	const struct vxg_gen_lport *lp = sg_lport(g, lport);

	return lp != NULL && (lp->flags & VXG_LP_FILTERED) ? lp : NULL;
}

/* Count a match (res: 1 + ref, 0 none) of VPC vpc's rules. */
static inline void
sg_hit(struct vxg_worker *w, const struct vxg_gen *g, uint16_t vpc, uint32_t res)
{
	const struct vxg_gen_vpc *v = &g->vpcs[vpc];

	if (v->sg_hits != NULL && res > 0 && res <= v->sg.n_refs)
		v->sg_hits[(size_t)w->id * v->sg.n_refs + res - 1]++;
}

static inline bool
sg_ref_stateful(const struct vxg_gen *g, uint16_t vpc, uint32_t res)
{
	const struct vxg_sg_vpc *s = &g->vpcs[vpc].sg;

	return res > 0 && res <= s->n_refs && s->refs[res - 1].stateful;
}

/* A packet between lsrc and ldst (either 0) allowed or denied by their groups. */
static inline void
sg_count_ports(struct vxg_worker *w, const struct vxg_gen_lport *ls, uint16_t lsrc,
	const struct vxg_gen_lport *ld, uint16_t ldst, bool pass)
{
	if (w->lport_ctr == NULL)
		return;
	if (ls != NULL) {
		if (pass)
			w->lport_ctr[lsrc - 1].allowed++;
		else
			w->lport_ctr[lsrc - 1].denied++;
	}
	if (ld != NULL) {
		if (pass)
			w->lport_ctr[ldst - 1].allowed++;
		else
			w->lport_ctr[ldst - 1].denied++;
	}
}

/* ---- sg6.c ---------------------------------------------------------------------------- */

/* vxg_sg_filter for the IPv6 frames pkts[idx[0..n-1]]: their verdicts. */
void vxg_sg6_chunk(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *lsrc,
	const uint16_t *ldst, const uint16_t *idx, uint16_t n, unsigned *verdict);

/* vxg_sg_fast for a frame that is not IPv4: false unless an IPv6 one of a cached
 * connection. ls, ld: the filtered ports (one may be NULL); ct the VPC's table. */
bool vxg_sg6_fast(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_gen_lport *ls,
	uint16_t lsrc, const struct vxg_gen_lport *ld, uint16_t ldst, const struct vxg_ct *ct,
	uint32_t now);

/* vxg_sg_flood_parse for an IPv6 frame (fp is zeroed). */
void vxg_sg6_flood_parse(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct rte_mbuf *m, struct vxg_sg_flood_pkt *fp);

/* The ingress rules of n ports (slots + 1) of net for IPv6 flood fp (fp->drop is
 * VXG_DROP_MAX): res[j] 1 + ref, or 0. */
void vxg_sg6_flood_classify(const struct vxg_gen *g, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, const uint16_t *lports, uint32_t *res, uint16_t n);

#endif
