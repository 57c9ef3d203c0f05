/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router SNAT sessions, control side: per-VPC session tables, ageing, `clear nat
 * sessions` and formatting for `show nat sessions`. See vxg_nat.h for the contract with
 * workers (who create sessions) and vxg_ct.h for the states and timeouts.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_NAT_TABLE_H
#define VXG_NAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vxg_nat.h"

/* The session table of VPC `name` for `limit` sessions, for SNAT address addr (network
 * order), ports port_min..port_max (host order) on config interface ifindex; qsbr is the
 * workers' (deletes wait for it; NULL: they do not). NULL on error with rte_errno set. */
struct vxg_nat_table *vxg_nat_table_create(const char *name, uint32_t limit, rte_be32_t addr,
	uint16_t port_min, uint16_t port_max, uint16_t ifindex, struct rte_rcu_qsbr *qsbr);
/* No worker may read t any more. NULL is ignored. */
void vxg_nat_table_destroy(struct vxg_nat_table *t);

/*
 * A new table of `limit` sessions for old's VPC and mapping, holding old's live sessions
 * that fit, with both keys and their translated ports: the established and replied ones
 * first, then the others, expired ones left out. The number that did not fit goes to
 * *dropped. old is only read: workers may go on using it (what they create in it from
 * now on is not copied) until a generation points at the new one; free it after their
 * quiescence. NULL on error, with rte_errno set.
 */
struct vxg_nat_table *vxg_nat_table_resize(
	const struct vxg_nat_table *old, uint32_t limit, uint32_t now, uint32_t *dropped);

/* Delete the sessions without traffic for longer than their state's timeout at `now`,
 * looking at up to `budget` positions from where the last call stopped. Returns how many
 * were deleted. */
unsigned vxg_nat_age(struct vxg_nat_table *t, uint32_t now, uint32_t budget);

/* Delete every session. Returns the count. */
unsigned vxg_nat_clear(struct vxg_nat_table *t);
/* Delete the live sessions for which pred(s, arg) is true. Returns the count. */
unsigned vxg_nat_delete_if(
	struct vxg_nat_table *t, bool (*pred)(const struct vxg_nat_sess *, void *), void *arg);

/* Sessions in the table (out keys added, including any being written). */
uint32_t vxg_nat_count(const struct vxg_nat_table *t);
/* Bytes of both hashes and the session array, for `show memory`. */
uint64_t vxg_nat_memsize(const struct vxg_nat_table *t);

/*
 * One line for `show nat sessions`, without a newline: protocol, inside address and
 * port -> remote address and port, the translation, state, seconds since the last packet
 * and until expiry: "tcp 10.1.0.11:40000 -> 198.51.100.10:80 as 203.0.113.10:40000
 * ESTABLISHED age 3 expires 7437"; ICMP echo shows identifiers ("... id 77 as
 * 203.0.113.10 id 1024 ..."); a port forward's session ends in " forward", its inside
 * end the forward's target and "as" the address and port it came in on. snprintf's return.
 */
int vxg_nat_sess_format(const struct vxg_nat_table *t, const struct vxg_nat_sess *s, uint32_t now,
	char *buf, size_t len);

#endif
