/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection tracking: key normalisation, the loose TCP/UDP/ICMP state machine, timeouts,
 * entries created and refreshed as a worker does, and the control side: ageing on a fake
 * clock, a full table, `clear conntrack`, deletes by predicate and `show conntrack` lines;
 * the workers' exact-match position cache and the epoch that empties it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "sg/conntrack.h"
#include "vxg_worker.h"

#include "ip4.h"

#define IPN(a, b, c, d) rte_cpu_to_be_32(IP(a, b, c, d))
#define PN(p) rte_cpu_to_be_16(p)

#define SYN RTE_TCP_SYN_FLAG
#define ACK RTE_TCP_ACK_FLAG
#define FIN RTE_TCP_FIN_FLAG
#define RST RTE_TCP_RST_FLAG
#define PSH RTE_TCP_PSH_FLAG

/* Workers' QSBR with no worker registered: synchronize returns at once. */
static struct rte_rcu_qsbr *qsbr;

static int
group_setup(void **state)
{
	char *eal[] = {"test_sg_conntrack", "--no-huge", "--no-pci", "-m", "256", "-l", "0",
		"--file-prefix", "vxg_test_sg_conntrack", "--log-level", "*:error", NULL};
	size_t sz;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_sg_conntrack: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qsbr = rte_zmalloc("test_ct_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qsbr == NULL || rte_rcu_qsbr_init(qsbr, RTE_MAX_LCORE) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	rte_free(qsbr);
	rte_eal_cleanup();
	return 0;
}

static int
table_setup(void **state)
{
	struct vxg_ct *ct = vxg_ct_create_table("vpc1", 1024, qsbr);

	if (ct == NULL)
		return -1;
	*state = ct;
	return 0;
}

static int
table_teardown(void **state)
{
	vxg_ct_destroy(*state);
	return 0;
}

/* The entry of k, or NULL. */
static struct vxg_ct_entry *
ct_get(struct vxg_ct *ct, const struct vxg_ct_key *k)
{
	int32_t pos = rte_hash_lookup(ct->h, k);

	return pos < 0 ? NULL : &ct->entries[pos];
}

/* A UDP connection from 10.0.0.1:sport to 10.0.0.2:53 created at `now`; its position. */
static int32_t
udp_new(struct vxg_ct *ct, uint16_t sport, uint32_t now, struct vxg_ct_key *k)
{
	bool sw = vxg_ct_key_make(
		k, IPPROTO_UDP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 2), PN(sport), PN(53));

	return vxg_ct_create(ct, k, sw, VXG_CT_UDP_NEW, 1, 3, 0, now);
}

/* ---- keys --------------------------------------------------------------------------------- */

static void
test_key_both_directions(void **state)
{
	struct vxg_ct_key a, b;
	bool sa, sb;

	memset(&a, 0xff, sizeof(a));
	memset(&b, 0xee, sizeof(b));
	sa = vxg_ct_key_make(
		&a, IPPROTO_TCP, IPN(10, 0, 0, 9), IPN(10, 0, 0, 2), PN(40000), PN(80));
	sb = vxg_ct_key_make(
		&b, IPPROTO_TCP, IPN(10, 0, 0, 2), IPN(10, 0, 0, 9), PN(80), PN(40000));
	assert_true(sa != sb);
	assert_true(sa);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.addr[0], IPN(10, 0, 0, 2));
	assert_int_equal(a.port[0], PN(80));
	assert_int_equal(a.addr[1], IPN(10, 0, 0, 9));
	assert_int_equal(a.port[1], PN(40000));
	assert_int_equal(a.proto, IPPROTO_TCP);
	assert_int_equal(a.pad[0] | a.pad[1] | a.pad[2], 0);
}

static void
test_key_order_is_host_order(void **state)
{
	struct vxg_ct_key k;

	/* 2.0.0.1 > 1.0.0.2 in host order; in network byte order on x86 it is the other way. */
	assert_true(vxg_ct_key_make(
		&k, IPPROTO_UDP, IPN(2, 0, 0, 1), IPN(1, 0, 0, 2), PN(1000), PN(2000)));
	assert_int_equal(k.addr[0], IPN(1, 0, 0, 2));
	assert_int_equal(k.port[0], PN(2000));
	/* Same address: the ports decide, in host order (256 > 1, 0x0100 < 0x0001 raw). */
	assert_true(vxg_ct_key_make(
		&k, IPPROTO_UDP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 1), PN(256), PN(1)));
	assert_int_equal(k.port[0], PN(1));
	assert_int_equal(k.port[1], PN(256));
	assert_false(vxg_ct_key_make(
		&k, IPPROTO_UDP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 1), PN(1), PN(256)));
	/* The address wins over the port. */
	assert_false(vxg_ct_key_make(
		&k, IPPROTO_TCP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 2), PN(65535), PN(1)));
	/* A tie is not swapped. */
	assert_false(
		vxg_ct_key_make(&k, IPPROTO_UDP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 1), PN(7), PN(7)));
}

static void
test_key_icmp_echo(void **state)
{
	struct vxg_ct_key req, rep;
	bool sreq, srep;

	/* Request and reply carry the same identifier, the caller passes it as both ports. */
	sreq = vxg_ct_key_make(
		&req, IPPROTO_ICMP, IPN(192, 0, 2, 1), IPN(10, 0, 0, 5), PN(0x1234), PN(0x1234));
	srep = vxg_ct_key_make(
		&rep, IPPROTO_ICMP, IPN(10, 0, 0, 5), IPN(192, 0, 2, 1), PN(0x1234), PN(0x1234));
	assert_true(sreq);
	assert_false(srep);
	assert_memory_equal(&req, &rep, sizeof(req));
	assert_int_equal(req.port[0], PN(0x1234));
	assert_int_equal(req.port[1], PN(0x1234));
	assert_int_equal(req.proto, IPPROTO_ICMP);
	assert_int_equal(req.pad[0] | req.pad[1] | req.pad[2], 0);
}

/* ---- the state machine ---------------------------------------------------------------------- */

/* One TCP packet through vxg_ct_next. */
static uint8_t
tcp(uint8_t state, bool from_orig, uint8_t tcp_flags, uint8_t *flags)
{
	return vxg_ct_next(state, IPPROTO_TCP, from_orig, tcp_flags, flags);
}

static void
test_tcp_handshake_data_fin(void **state)
{
	uint8_t f = 0, s = VXG_CT_TCP_SYN_SENT;

	s = tcp(s, true, SYN, &f); /* retransmitted SYN */
	assert_int_equal(s, VXG_CT_TCP_SYN_SENT);
	s = tcp(s, false, SYN | ACK, &f);
	assert_int_equal(s, VXG_CT_TCP_SYN_RECV);
	s = tcp(s, false, SYN | ACK, &f); /* retransmitted SYN+ACK */
	assert_int_equal(s, VXG_CT_TCP_SYN_RECV);
	s = tcp(s, true, ACK, &f);
	assert_int_equal(s, VXG_CT_TCP_ESTABLISHED);
	s = tcp(s, true, ACK | PSH, &f);
	s = tcp(s, false, ACK | PSH, &f);
	assert_int_equal(s, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(f, 0);
	s = tcp(s, false, FIN | ACK, &f); /* the responder closes first */
	assert_int_equal(s, VXG_CT_TCP_FIN_WAIT);
	assert_int_equal(f, VXG_CT_F_FIN_REPLY);
	s = tcp(s, true, ACK, &f);
	s = tcp(s, false, FIN | ACK, &f); /* retransmitted FIN */
	assert_int_equal(s, VXG_CT_TCP_FIN_WAIT);
	s = tcp(s, true, FIN | ACK, &f);
	assert_int_equal(s, VXG_CT_TCP_CLOSED);
	assert_int_equal(f, VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY);
	s = tcp(s, false, ACK, &f); /* the last ACK */
	assert_int_equal(s, VXG_CT_TCP_CLOSED);
}

static void
test_tcp_rst(void **state)
{
	static const uint8_t from[] = {VXG_CT_TCP_SYN_SENT, VXG_CT_TCP_SYN_RECV,
		VXG_CT_TCP_ESTABLISHED, VXG_CT_TCP_FIN_WAIT, VXG_CT_TCP_CLOSED};

	for (unsigned i = 0; i < RTE_DIM(from); i++) {
		uint8_t f = 0;

		assert_int_equal(tcp(from[i], true, RST, &f), VXG_CT_TCP_CLOSED);
		assert_int_equal(tcp(from[i], false, RST | ACK, &f), VXG_CT_TCP_CLOSED);
	}
}

static void
test_tcp_midstream_pickup(void **state)
{
	uint8_t f = 0;

	/* A restart: the first packet seen was data; the other side answers without SYN. */
	assert_int_equal(tcp(VXG_CT_TCP_SYN_SENT, false, ACK, &f), VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(tcp(VXG_CT_TCP_SYN_SENT, false, ACK | PSH, &f), VXG_CT_TCP_ESTABLISHED);
	/* More from the originator before any answer: still waiting. */
	assert_int_equal(tcp(VXG_CT_TCP_SYN_SENT, true, ACK, &f), VXG_CT_TCP_SYN_SENT);
	/* SYN_RECV then data from either side: established. */
	assert_int_equal(tcp(VXG_CT_TCP_SYN_RECV, false, ACK | PSH, &f), VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(f, 0);
}

static void
test_tcp_syn_reuse_after_closed(void **state)
{
	uint8_t f = VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY | VXG_CT_F_BLOCKED;

	/* Only a bare SYN from the originator opens it again. */
	assert_int_equal(tcp(VXG_CT_TCP_CLOSED, false, SYN, &f), VXG_CT_TCP_CLOSED);
	assert_int_equal(tcp(VXG_CT_TCP_CLOSED, true, SYN | ACK, &f), VXG_CT_TCP_CLOSED);
	assert_int_equal(tcp(VXG_CT_TCP_CLOSED, true, ACK, &f), VXG_CT_TCP_CLOSED);
	assert_int_equal(f, VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY | VXG_CT_F_BLOCKED);
	assert_int_equal(tcp(VXG_CT_TCP_CLOSED, true, SYN, &f), VXG_CT_TCP_SYN_SENT);
	/* The FIN bits are cleared, other bits are not the state machine's. */
	assert_int_equal(f, VXG_CT_F_BLOCKED);
}

static void
test_tcp_odd_packets(void **state)
{
	uint8_t f = 0;

	/* Replies in the wrong state, odd flags, states of other protocols: no crash, no
	 * state of another protocol. */
	for (unsigned s = 0; s < VXG_CT_STATE_MAX + 2; s++)
		for (unsigned fl = 0; fl < 64; fl++)
			for (unsigned o = 0; o < 2; o++) {
				uint8_t n = tcp((uint8_t)s, o, (uint8_t)fl, &f);

				if (s >= VXG_CT_TCP_SYN_SENT && s <= VXG_CT_TCP_CLOSED)
					assert_in_range(n, VXG_CT_TCP_SYN_SENT, VXG_CT_TCP_CLOSED);
				else
					assert_int_equal(n, s);
				f &= (uint8_t) ~(VXG_CT_F_FIN_ORIG | VXG_CT_F_FIN_REPLY);
			}
	/* An ACK from the originator in SYN_SENT (its SYN+ACK was not seen here). */
	assert_int_equal(tcp(VXG_CT_TCP_SYN_SENT, true, ACK, &f), VXG_CT_TCP_SYN_SENT);
	/* A SYN again in ESTABLISHED does nothing. */
	assert_int_equal(tcp(VXG_CT_TCP_ESTABLISHED, true, SYN, &f), VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(vxg_ct_next(VXG_CT_NONE, IPPROTO_UDP, false, 0, &f), VXG_CT_NONE);
}

static void
test_timeouts(void **state)
{
	for (uint8_t s = VXG_CT_NONE + 1; s < VXG_CT_STATE_MAX; s++)
		assert_true(vxg_ct_timeout(s) > 0);
	assert_int_equal(vxg_ct_timeout(VXG_CT_NONE), 0);
	assert_int_equal(vxg_ct_timeout(VXG_CT_STATE_MAX), 0);
	assert_int_equal(vxg_ct_timeout(VXG_CT_TCP_ESTABLISHED), 7440);
	assert_int_equal(vxg_ct_timeout(VXG_CT_TCP_CLOSED), 10);
	assert_int_equal(vxg_ct_timeout(VXG_CT_UDP_NEW), 30);
	assert_int_equal(vxg_ct_timeout(VXG_CT_UDP_REPLIED), 180);
	assert_true(vxg_ct_timeout(VXG_CT_TCP_ESTABLISHED) > vxg_ct_timeout(VXG_CT_UDP_REPLIED));
}

static void
test_udp_icmp_other_replied(void **state)
{
	static const struct {
		uint8_t proto, new, replied;
	} c[] = {
		{IPPROTO_UDP, VXG_CT_UDP_NEW, VXG_CT_UDP_REPLIED},
		{IPPROTO_ICMP, VXG_CT_ICMP_NEW, VXG_CT_ICMP_REPLIED},
		{IPPROTO_GRE, VXG_CT_OTHER_NEW, VXG_CT_OTHER_REPLIED},
		{IPPROTO_SCTP, VXG_CT_OTHER_NEW, VXG_CT_OTHER_REPLIED},
	};

	for (unsigned i = 0; i < RTE_DIM(c); i++) {
		uint8_t f = 0, s = c[i].new;

		s = vxg_ct_next(s, c[i].proto, true, 0, &f);
		assert_int_equal(s, c[i].new);
		s = vxg_ct_next(s, c[i].proto, true, SYN | FIN | RST, &f); /* no TCP here */
		assert_int_equal(s, c[i].new);
		s = vxg_ct_next(s, c[i].proto, false, 0, &f);
		assert_int_equal(s, c[i].replied);
		s = vxg_ct_next(s, c[i].proto, true, 0, &f);
		s = vxg_ct_next(s, c[i].proto, false, 0, &f);
		assert_int_equal(s, c[i].replied);
		assert_int_equal(f, 0);
	}
}

/* ---- entries ---------------------------------------------------------------------------- */

static void
test_create_and_lookup(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key k, r;
	struct vxg_ct_entry *e;
	bool sw, rsw;
	int32_t pos, again;

	/* 10.0.0.9 opens to 10.0.0.2: the key is swapped, the originator is addr[1]. */
	sw = vxg_ct_key_make(
		&k, IPPROTO_TCP, IPN(10, 0, 0, 9), IPN(10, 0, 0, 2), PN(40000), PN(80));
	assert_true(sw);
	pos = vxg_ct_create(ct, &k, sw, VXG_CT_TCP_SYN_SENT, 7, 5, 6, 1000);
	assert_true(pos >= 0);
	assert_int_equal(rte_hash_lookup(ct->h, &k), pos);
	e = &ct->entries[pos];
	assert_memory_equal(&e->key, &k, sizeof(k));
	assert_int_equal(e->state, VXG_CT_TCP_SYN_SENT);
	assert_int_equal(e->orig, 1);
	assert_int_equal(e->seen, 1000);
	assert_int_equal(e->gen, 7);
	assert_int_equal(e->lport[0], 5);
	assert_int_equal(e->lport[1], 6);
	assert_int_equal(e->flags, 0);
	assert_int_equal(vxg_ct_count(ct), 1);
	assert_true(vxg_ct_from_orig(e, sw));
	/* The reply finds the same entry, from the responder. */
	rsw = vxg_ct_key_make(
		&r, IPPROTO_TCP, IPN(10, 0, 0, 2), IPN(10, 0, 0, 9), PN(80), PN(40000));
	assert_ptr_equal(ct_get(ct, &r), e);
	assert_false(vxg_ct_from_orig(e, rsw));
	vxg_ct_touch(e, vxg_ct_from_orig(e, rsw), SYN | ACK, 1001);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_RECV);
	assert_int_equal(e->seen, 1001);
	/* Another worker's create of the same key: same position, nothing reset. */
	again = vxg_ct_create(ct, &r, rsw, VXG_CT_TCP_SYN_SENT, 8, 6, 5, 1002);
	assert_int_equal(again, pos);
	assert_int_equal(e->state, VXG_CT_TCP_SYN_RECV);
	assert_int_equal(e->orig, 1);
	assert_int_equal(e->seen, 1001);
	assert_int_equal(e->gen, 7);
	assert_int_equal(e->lport[0], 5);
	assert_int_equal(vxg_ct_count(ct), 1);
	vxg_ct_touch(e, vxg_ct_from_orig(e, sw), ACK, 1002);
	assert_int_equal(e->state, VXG_CT_TCP_ESTABLISHED);
	vxg_ct_touch(e, vxg_ct_from_orig(e, sw), FIN | ACK, 1002);
	assert_int_equal(e->flags, VXG_CT_F_FIN_ORIG);
	assert_int_equal(e->state, VXG_CT_TCP_FIN_WAIT);
}

static void
test_create_rewrites_an_expired_entry(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key k;
	struct vxg_ct_entry *e;
	int32_t pos;

	pos = udp_new(ct, 5000, 100, &k);
	assert_true(pos >= 0);
	e = &ct->entries[pos];
	e->flags = VXG_CT_F_BLOCKED;
	/* Not aged yet, but expired: the next allowed packet opens a new connection. */
	assert_true(vxg_ct_expired(e, 100 + 31));
	assert_int_equal(vxg_ct_create(ct, &k, true, VXG_CT_UDP_NEW, 9, 0, 3, 131), pos);
	assert_int_equal(e->seen, 131);
	assert_int_equal(e->orig, 1);
	assert_int_equal(e->gen, 9);
	assert_int_equal(e->lport[1], 3);
	assert_int_equal(e->flags, 0);
	assert_false(vxg_ct_expired(e, 131));
}

static void
test_touch_writes_only_changes(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key k;
	struct vxg_ct_entry *e;
	int32_t pos = udp_new(ct, 5001, 200, &k);

	assert_true(pos >= 0);
	e = &ct->entries[pos];
	vxg_ct_touch(e, true, 0, 200);
	assert_int_equal(e->state, VXG_CT_UDP_NEW);
	assert_int_equal(e->seen, 200);
	vxg_ct_touch(e, false, 0, 205);
	assert_int_equal(e->state, VXG_CT_UDP_REPLIED);
	assert_int_equal(e->seen, 205);
	/* Any other "now" is written, even one a second behind (another worker's clock). */
	vxg_ct_touch(e, true, 0, 204);
	assert_int_equal(e->seen, 204);
	/* vxg_ct_expired is signed: a `seen` ahead of control's clock is not expired. */
	e->seen = 301;
	assert_false(vxg_ct_expired(e, 300));
	assert_true(vxg_ct_expired(e, 301 + 181));
	assert_false(vxg_ct_expired(e, 301 + 180));
}

/* ---- control ---------------------------------------------------------------------------- */

static void
test_ageing(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key old, fresh, est, k;
	int32_t pos;
	bool sw;

	assert_true(udp_new(ct, 6000, 1000, &old) >= 0);
	assert_true(udp_new(ct, 6001, 1100, &fresh) >= 0);
	sw = vxg_ct_key_make(
		&est, IPPROTO_TCP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 3), PN(6002), PN(22));
	pos = vxg_ct_create(ct, &est, sw, VXG_CT_TCP_ESTABLISHED, 1, 1, 0, 1000);
	assert_true(pos >= 0);
	assert_int_equal(vxg_ct_count(ct), 3);
	/* At 1100: UDP_NEW of 1000 is 100 s old (> 30), the one of 1100 is new, the
	 * established one is well within 7440 s. */
	assert_int_equal(vxg_ct_age(ct, 1100, ct->n_entries), 1);
	assert_null(ct_get(ct, &old));
	assert_non_null(ct_get(ct, &fresh));
	assert_int_equal(rte_hash_lookup(ct->h, &est), pos);
	assert_int_equal(vxg_ct_count(ct), 2);
	/* Nothing more at the same time, however often it runs. */
	assert_int_equal(vxg_ct_age(ct, 1100, ct->n_entries), 0);
	/* The budget bounds one call; the cursor moves on and wraps. */
	ct->age_cursor = 0;
	for (uint32_t i = 0; i < 10; i++)
		assert_true(udp_new(ct, (uint16_t)(7000 + i), 0, &k) >= 0);
	{
		unsigned total = 0, calls = 0;

		while (calls < 1000 && total < 11) {
			unsigned n = vxg_ct_age(ct, 1200, 64);

			assert_true(n <= 64);
			total += n;
			calls++;
		}
		/* the 10 of time 0 and the UDP of 1100 */
		assert_int_equal(total, 11);
	}
	assert_int_equal(rte_hash_lookup(ct->h, &est), pos);
	assert_int_equal(vxg_ct_count(ct), 1);
	/* Past ESTABLISHED's timeout, it goes too. */
	assert_int_equal(vxg_ct_age(ct, 1000 + 7441, ct->n_entries), 1);
	assert_int_equal(vxg_ct_count(ct), 0);
	/* The entries are cleared for the next user of the positions. */
	assert_int_equal(ct->entries[pos].state, VXG_CT_NONE);
}

/* ---- the workers' exact-match position cache ---------------------------------------------- */

/* Four ways per bucket: a fifth key of the bucket replaces one; a key's own way is
 * updated in place; the signature is the table's own hash. */
static void
test_pcache_ways(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_pcache *c = rte_zmalloc("test_pc", sizeof(*c), RTE_CACHE_LINE_SIZE);
	struct vxg_ct_key k;
	unsigned kept = 0;

	assert_non_null(c);
	vxg_ct_key_make(&k, IPPROTO_TCP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 2), PN(1), PN(2));
	assert_int_equal(vxg_pcache_sig(&k), rte_hash_hash(ct->h, &k));
	assert_int_equal(vxg_pcache_get(c, 7), -1);
	/* five signatures of bucket 7 */
	for (uint32_t i = 0; i < 5; i++)
		vxg_pcache_set(c, 7 + i * VXG_PCACHE_BUCKETS, (int32_t)(100 + i));
	for (uint32_t i = 0; i < 5; i++) {
		int32_t pos = vxg_pcache_get(c, 7 + i * VXG_PCACHE_BUCKETS);

		assert_true(pos == -1 || pos == (int32_t)(100 + i));
		kept += pos >= 0;
	}
	assert_int_equal(kept, VXG_PCACHE_WAYS);
	/* position 0 is a position, not "empty"; an update keeps one way */
	vxg_pcache_set(c, 8, 0);
	assert_int_equal(vxg_pcache_get(c, 8), 0);
	vxg_pcache_set(c, 8, 5);
	assert_int_equal(vxg_pcache_get(c, 8), 5);
	assert_int_equal(c->b[8].pos[1], 0);
	vxg_pcache_clear(c);
	assert_int_equal(vxg_pcache_get(c, 8), -1);
	rte_free(c);
}

/*
 * Control bumps the epoch whenever it frees positions (ageing, clear), and only then; a
 * worker empties its caches at the start of a pass when the epoch or its generation
 * moved, and keeps them otherwise.
 */
static void
test_pcache_epoch(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_worker *w = rte_zmalloc("test_w", sizeof(*w), RTE_CACHE_LINE_SIZE);
	struct vxg_gen *g = rte_zmalloc("test_g", sizeof(*g), RTE_CACHE_LINE_SIZE);
	struct vxg_ct_key k;
	uint32_t epoch = vxg_pcache_epoch;

	assert_non_null(w);
	assert_non_null(g);
	g->id = 1;
	w->gen = g;
	vxg_worker_pcache_begin(w);
	vxg_pcache_set(&w->ct_pc, 42, 3);
	vxg_pcache_set(&w->nat_pc, 42, 4);
	vxg_worker_pcache_begin(w);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), 3);

	/* nothing deleted: no bump */
	assert_true(udp_new(ct, 6000, 1000, &k) >= 0);
	assert_int_equal(vxg_ct_age(ct, 1001, ct->n_entries), 0);
	assert_int_equal(vxg_pcache_epoch, epoch);
	vxg_worker_pcache_begin(w);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), 3);
	/* aged out: bumped, and the worker's next pass starts empty */
	assert_int_equal(vxg_ct_age(ct, 2000, ct->n_entries), 1);
	assert_int_equal(vxg_pcache_epoch, epoch + 1);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), 3);
	vxg_worker_pcache_begin(w);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), -1);
	assert_int_equal(vxg_pcache_get(&w->nat_pc, 42), -1);
	/* `clear conntrack` */
	vxg_pcache_set(&w->ct_pc, 42, 3);
	assert_true(udp_new(ct, 6001, 1000, &k) >= 0);
	assert_int_equal(vxg_ct_clear(ct), 1);
	assert_int_equal(vxg_pcache_epoch, epoch + 2);
	vxg_worker_pcache_begin(w);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), -1);
	/* a new generation */
	vxg_pcache_set(&w->ct_pc, 42, 3);
	g->id = 2;
	vxg_worker_pcache_begin(w);
	assert_int_equal(vxg_pcache_get(&w->ct_pc, 42), -1);
	rte_free(g);
	rte_free(w);
}

static void
test_full_table(void **state)
{
	struct vxg_ct *ct = vxg_ct_create_table("small", 64, NULL);
	struct vxg_ct_key keys[4096];
	unsigned n = 0;
	int32_t pos = 0;

	assert_non_null(ct);
	assert_int_equal(ct->limit, 64);
	for (n = 0; n < RTE_DIM(keys); n++) {
		pos = udp_new(ct, (uint16_t)(1024 + n), 10, &keys[n]);
		if (pos < 0)
			break;
	}
	assert_int_equal(pos, -ENOSPC);
	assert_true(n >= 64);
	assert_int_equal(vxg_ct_count(ct), n);
	for (unsigned i = 0; i < n; i++)
		assert_non_null(ct_get(ct, &keys[i]));
	assert_int_equal(vxg_ct_clear(ct), n);
	assert_int_equal(vxg_ct_count(ct), 0);
	for (unsigned i = 0; i < n; i++)
		assert_null(ct_get(ct, &keys[i]));
	assert_true(udp_new(ct, 1024, 10, &keys[0]) >= 0);
	assert_int_equal(vxg_ct_count(ct), 1);
	vxg_ct_destroy(ct);
	vxg_ct_destroy(NULL);
}

/* Connections to or from the logical port in *arg. */
static bool
on_lport(const struct vxg_ct_entry *e, void *arg)
{
	uint16_t lp = *(const uint16_t *)arg;

	return e->lport[0] == lp || e->lport[1] == lp;
}

static void
test_del_where(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key k[40];
	uint16_t lp = 4;

	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		bool sw = vxg_ct_key_make(
			&k[i], IPPROTO_TCP, IPN(10, 0, 1, i), IPN(10, 0, 2, 1), PN(30000), PN(443));

		/* every third connection involves port 4, as originator or responder */
		assert_true(vxg_ct_create(ct, &k[i], sw, VXG_CT_TCP_ESTABLISHED, 1,
				    i % 3 == 0 ? 4 : 1, i % 6 == 3 ? 4 : 2, 50) >= 0);
	}
	assert_int_equal(vxg_ct_del_where(ct, on_lport, &lp), 14);
	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		if (i % 3 == 0)
			assert_null(ct_get(ct, &k[i]));
		else
			assert_non_null(ct_get(ct, &k[i]));
	}
	assert_int_equal(vxg_ct_count(ct), RTE_DIM(k) - 14);
	assert_int_equal(vxg_ct_del_where(ct, on_lport, &lp), 0);
	assert_int_equal(vxg_ct_clear(ct), RTE_DIM(k) - 14);
	assert_int_equal(vxg_ct_clear(ct), 0);
}

static void
test_format(void **state)
{
	struct vxg_ct *ct = *state;
	struct vxg_ct_key k;
	char buf[128];
	bool sw;
	int32_t pos;

	assert_string_equal(ct->name, "vpc1");
	/* The originator is printed first whichever side of the key it is. */
	sw = vxg_ct_key_make(
		&k, IPPROTO_TCP, IPN(10, 0, 0, 9), IPN(10, 0, 0, 2), PN(40000), PN(80));
	pos = vxg_ct_create(ct, &k, sw, VXG_CT_TCP_ESTABLISHED, 1, 0, 0, 100);
	assert_true(pos >= 0);
	assert_true(vxg_ct_format(&ct->entries[pos], 103, buf, sizeof(buf)) > 0);
	assert_string_equal(
		buf, "tcp 10.0.0.9:40000 -> 10.0.0.2:80 ESTABLISHED age 3 expires 7437");
	sw = vxg_ct_key_make(&k, IPPROTO_ICMP, IPN(10, 0, 0, 1), IPN(10, 0, 0, 2), PN(77), PN(77));
	pos = vxg_ct_create(ct, &k, sw, VXG_CT_ICMP_NEW, 1, 0, 0, 100);
	vxg_ct_format(&ct->entries[pos], 200, buf, sizeof(buf));
	assert_string_equal(buf, "icmp 10.0.0.1 -> 10.0.0.2 id 77 ICMP_NEW age 100 expires 0");
	sw = vxg_ct_key_make(&k, IPPROTO_GRE, IPN(10, 0, 0, 1), IPN(10, 0, 0, 2), 0, 0);
	pos = vxg_ct_create(ct, &k, sw, VXG_CT_OTHER_NEW, 1, 0, 0, 100);
	vxg_ct_format(&ct->entries[pos], 100, buf, sizeof(buf));
	assert_string_equal(buf, "proto 47 10.0.0.1 -> 10.0.0.2 OTHER_NEW age 0 expires 30");
	/* Truncation is snprintf's. */
	assert_true(vxg_ct_format(&ct->entries[pos], 100, buf, 8) > 8);
	assert_string_equal(buf, "proto 4");
	for (uint8_t s = 0; s < VXG_CT_STATE_MAX; s++)
		assert_true(strcmp(vxg_ct_state_name(s), "?") != 0);
	assert_string_equal(vxg_ct_state_name(VXG_CT_TCP_SYN_SENT), "SYN_SENT");
	assert_string_equal(vxg_ct_state_name(VXG_CT_UDP_NEW), "UDP_NEW");
	assert_string_equal(vxg_ct_state_name(VXG_CT_STATE_MAX), "?");
}

/* ---- resize (a reload that changes dataplane.limits.conntrack) --------------------------- */

/* e and f hold the same connection, as a worker would see it. */
static void
assert_same_entry(const struct vxg_ct_entry *e, const struct vxg_ct_entry *f)
{
	assert_memory_equal(&e->key, &f->key, sizeof(e->key));
	assert_int_equal(e->state, f->state);
	assert_int_equal(e->orig, f->orig);
	assert_int_equal(e->seen, f->seen);
	assert_int_equal(e->flags, f->flags);
	assert_int_equal(e->gen, f->gen);
	assert_int_equal(e->lport[0], f->lport[0]);
	assert_int_equal(e->lport[1], f->lport[1]);
}

/* A bigger table: every live connection moves over with its state, the expired ones do
 * not; the old table is left as it was, and the new one takes new connections. */
static void
test_resize_grow(void **state)
{
	struct vxg_ct *ct = *state, *big;
	struct vxg_ct_key k[100], est, late;
	struct vxg_ct_entry *e;
	uint32_t dropped = 99;
	int32_t pos;
	bool sw;

	for (unsigned i = 0; i < RTE_DIM(k); i++)
		assert_true(udp_new(ct, (uint16_t)(2000 + i), 1000, &k[i]) >= 0);
	/* one replied, one established and blocked by a reload, one expired (not aged) */
	vxg_ct_touch(ct_get(ct, &k[0]), false, 0, 1001);
	sw = vxg_ct_key_make(
		&est, IPPROTO_TCP, IPN(10, 0, 0, 9), IPN(10, 0, 0, 2), PN(40000), PN(80));
	pos = vxg_ct_create(ct, &est, sw, VXG_CT_TCP_ESTABLISHED, 7, 5, 6, 1000);
	assert_true(pos >= 0);
	ct->entries[pos].flags = VXG_CT_F_BLOCKED | VXG_CT_F_FIN_ORIG;
	ct_get(ct, &k[99])->seen = 900;
	assert_int_equal(vxg_ct_count(ct), 101);

	big = vxg_ct_resize(ct, 4096, 1001, &dropped);
	assert_non_null(big);
	assert_int_equal(big->limit, 4096);
	assert_string_equal(big->name, "vpc1");
	assert_ptr_equal(big->qsbr, ct->qsbr);
	assert_int_equal(dropped, 0);
	assert_int_equal(vxg_ct_count(big), 100);
	for (unsigned i = 0; i < 99; i++) {
		e = ct_get(big, &k[i]);
		assert_non_null(e);
		assert_same_entry(e, ct_get(ct, &k[i]));
	}
	assert_int_equal(ct_get(big, &k[0])->state, VXG_CT_UDP_REPLIED);
	assert_null(ct_get(big, &k[99])); /* expired: the ager would have taken it */
	e = ct_get(big, &est);
	assert_non_null(e);
	assert_same_entry(e, &ct->entries[pos]);
	/* the old table is untouched: workers may still be reading it */
	assert_int_equal(vxg_ct_count(ct), 101);
	assert_non_null(ct_get(ct, &k[99]));
	/* the new table takes new connections and deletes as usual */
	assert_true(udp_new(big, 3000, 1001, &late) >= 0);
	assert_int_equal(vxg_ct_count(big), 101);
	assert_int_equal(vxg_ct_clear(big), 101);
	vxg_ct_destroy(big);
}

/* A smaller table: what fits stays, established and replied connections first, and the
 * rest is counted. */
static void
test_resize_shrink(void **state)
{
	struct vxg_ct *ct = *state, *small;
	struct vxg_ct_key k[200];
	uint32_t dropped = 0, kept = 0;

	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		assert_true(udp_new(ct, (uint16_t)(2000 + i), 500, &k[i]) >= 0);
		if (i % 10 == 0) /* 20 replied ones, spread over the table */
			vxg_ct_touch(ct_get(ct, &k[i]), false, 0, 500);
	}
	small = vxg_ct_resize(ct, 64, 500, &dropped);
	assert_non_null(small);
	assert_int_equal(small->limit, 64);
	assert_int_equal(vxg_ct_count(small), 64);
	assert_int_equal(dropped, 200 - 64);
	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		struct vxg_ct_entry *e = ct_get(small, &k[i]);

		if (i % 10 == 0)
			assert_non_null(e); /* every replied one made it */
		if (e != NULL) {
			assert_same_entry(e, ct_get(ct, &k[i]));
			kept++;
		}
	}
	assert_int_equal(kept, 64);
	assert_int_equal(vxg_ct_count(ct), 200);
	vxg_ct_destroy(small);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcache_ways, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_pcache_epoch, table_setup, table_teardown),
		cmocka_unit_test(test_key_both_directions),
		cmocka_unit_test(test_key_order_is_host_order),
		cmocka_unit_test(test_key_icmp_echo),
		cmocka_unit_test(test_tcp_handshake_data_fin),
		cmocka_unit_test(test_tcp_rst),
		cmocka_unit_test(test_tcp_midstream_pickup),
		cmocka_unit_test(test_tcp_syn_reuse_after_closed),
		cmocka_unit_test(test_tcp_odd_packets),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_udp_icmp_other_replied),
		cmocka_unit_test_setup_teardown(
			test_create_and_lookup, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(
			test_create_rewrites_an_expired_entry, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(
			test_touch_writes_only_changes, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_ageing, table_setup, table_teardown),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test_setup_teardown(test_del_where, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_format, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_resize_grow, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_resize_shrink, table_setup, table_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
