/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Conntrack's control side: tables, ageing, `clear conntrack`, deletes on reload and
 * formatting for `show conntrack`. See vxg_ct.h for the contract with workers.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_CONNTRACK_H
#define VXG_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vxg_ct.h"
#include "sg/conntrack6.h"

/* The table of VPC `name` for `limit` connections; qsbr is the workers' (deletes wait
 * for it; NULL: they do not). NULL on error, with rte_errno set. */
struct vxg_ct *vxg_ct_create_table(const char *name, uint32_t limit, struct rte_rcu_qsbr *qsbr);
/* No worker may read ct any more. NULL is ignored. */
void vxg_ct_destroy(struct vxg_ct *ct);

/*
 * A new table of `limit` entries for old's VPC, holding old's live connections that fit:
 * the established and replied ones first, then the others, expired ones left out. The
 * number that did not fit goes to *dropped. old is only read: workers may go on using
 * it (what they create in it from now on is not copied) until a generation points at the
 * new one; free it after their quiescence. NULL on error, with rte_errno set.
 */
struct vxg_ct *vxg_ct_resize(
	const struct vxg_ct *old, uint32_t limit, uint32_t now, uint32_t *dropped);

/* Delete expired entries (vxg_ct_expired at `now`), looking at up to `budget` positions
 * from where the last call stopped, in the IPv4 table and in its IPv6 one. Returns how
 * many were deleted. */
unsigned vxg_ct_age(struct vxg_ct *ct, uint32_t now, uint32_t budget);

/* Delete every entry, IPv6 ones included. Returns the count. */
unsigned vxg_ct_clear(struct vxg_ct *ct);

/* Delete the entries for which pred(entry, arg) is true (a reload drops the connections
 * of removed ports). Returns the count. */
unsigned vxg_ct_del_where(
	struct vxg_ct *ct, bool (*pred)(const struct vxg_ct_entry *, void *), void *arg);

/* Connections in the table (keys added, including any being written). */
uint32_t vxg_ct_count(const struct vxg_ct *ct);
/* Bytes of the hash and the entry array, for `show memory`. */
uint64_t vxg_ct_memsize(const struct vxg_ct *ct);

/* "SYN_SENT", "ESTABLISHED", "UDP_NEW"...; "?" for an unknown state. */
const char *vxg_ct_state_name(uint8_t state);

/*
 * One line for `show conntrack`, without a newline: protocol, the originator's address
 * and port -> the responder's, state, seconds since the last packet and until expiry:
 * "tcp 10.0.0.1:40000 -> 10.0.0.2:80 ESTABLISHED age 3 expires 7437". snprintf's return.
 */
int vxg_ct_format(const struct vxg_ct_entry *e, uint32_t now, char *buf, size_t len);

#endif
