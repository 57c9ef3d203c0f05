/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SNAT session tables (control/nat/nat_table.c, and the session creation workers call,
 * nat_out.h): port allocation for new sessions (a flow's own port kept when free, the
 * range exhausted, each worker's stripe, ICMP echo, a full table), then the control side:
 * ageing on a fake clock, `clear nat sessions`, creation errors, `show nat sessions`
 * lines, and carrying sessions into a bigger or smaller table on reload.
 */
#include "nat_fixture.h"

/* ---- sessions: port allocation ------------------------------------------------------------ */

static void
test_port_own_kept(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, NULL);
	struct vxg_nat_key a = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key b = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	struct vxg_nat_key c = okey(IPPROTO_UDP, IN_C, 40000, REMOTE2, 53);
	struct vxg_nat_key low = okey(IPPROTO_UDP, IN_C, 80, REMOTE, 53);
	int32_t pa, pb, pc, pl;
	uint16_t port;

	pa = vxg_nat_sess_create(t, &a, 0, 1, VXG_CT_UDP_NEW, 100);
	assert_int_equal(check_sess(t, &a, pa), 40000);
	assert_int_equal(t->sess[pa].state, VXG_CT_UDP_NEW);
	assert_int_equal(t->sess[pa].seen, 100);
	/* B's flow to the same remote end cannot have 40000 too */
	pb = vxg_nat_sess_create(t, &b, 0, 1, VXG_CT_UDP_NEW, 100);
	port = check_sess(t, &b, pb);
	assert_int_not_equal(port, 40000);
	assert_true(port >= 1024);
	assert_int_not_equal(pa, pb);
	/* toward another remote end, 40000 is free */
	pc = vxg_nat_sess_create(t, &c, 0, 1, VXG_CT_UDP_NEW, 100);
	assert_int_equal(check_sess(t, &c, pc), 40000);
	/* a port below the range is not kept */
	pl = vxg_nat_sess_create(t, &low, 0, 1, VXG_CT_UDP_NEW, 100);
	port = check_sess(t, &low, pl);
	assert_true(port >= 1024);
	assert_int_equal(vxg_nat_count(t), 4);
	/* the same flow again (another worker's miss): the same session */
	assert_int_equal(vxg_nat_sess_create(t, &a, 0, 1, VXG_CT_UDP_NEW, 101), pa);
	assert_int_equal(vxg_nat_count(t), 4);
	assert_int_equal(check_sess(t, &a, pa), 40000);
	vxg_nat_table_destroy(t);
}

static void
test_port_exhaustion(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1027, NULL);
	struct vxg_nat_key k[5], other;
	int32_t pos[5];
	unsigned seen = 0; /* bit port - 1024 */

	for (unsigned i = 0; i < 5; i++) {
		k[i] = okey(IPPROTO_UDP, IPN(10, 1, 0, 1 + i), 5000, REMOTE, 53);
		pos[i] = vxg_nat_sess_create(t, &k[i], 0, 1, VXG_CT_UDP_NEW, 100);
	}
	for (unsigned i = 0; i < 4; i++) {
		uint16_t port = check_sess(t, &k[i], pos[i]);

		assert_true(port >= 1024 && port <= 1027);
		assert_false(seen & 1u << (port - 1024));
		seen |= 1u << (port - 1024);
	}
	assert_int_equal(pos[4], -EADDRINUSE);
	assert_int_equal(rte_hash_lookup(t->out_h, &k[4]), -ENOENT);
	assert_int_equal(vxg_nat_count(t), 4);
	assert_int_equal(rte_hash_count(t->in_h), 4);
	for (unsigned i = 0; i < 4; i++)
		check_sess(t, &k[i], pos[i]);
	/* another remote end still has every port */
	other = okey(IPPROTO_UDP, IPN(10, 1, 0, 5), 5000, REMOTE2, 53);
	check_sess(t, &other, vxg_nat_sess_create(t, &other, 0, 1, VXG_CT_UDP_NEW, 100));
	/* and the TCP ports of the same remote end are another space */
	other = okey(IPPROTO_TCP, IPN(10, 1, 0, 5), 5000, REMOTE, 53);
	check_sess(t, &other, vxg_nat_sess_create(t, &other, 0, 1, VXG_CT_TCP_SYN_SENT, 100));
	vxg_nat_table_destroy(t);
}

static void
test_port_stripes(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1031, NULL);
	struct vxg_nat_key k;
	unsigned seen = 0;
	int32_t pos;

	/* 1026 is worker 0's: worker 1 may not keep it */
	for (unsigned i = 0; i < 4; i++) {
		uint16_t port;

		k = okey(IPPROTO_TCP, IPN(10, 1, 0, 1 + i), 1026, REMOTE, 443);
		port = check_sess(t, &k, vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9));
		assert_true(port >= 1024 && port <= 1031);
		assert_int_equal((port - 1024) % 2, 1);
		assert_false(seen & 1u << (port - 1024));
		seen |= 1u << (port - 1024);
	}
	k = okey(IPPROTO_TCP, IPN(10, 1, 0, 5), 1026, REMOTE, 443);
	assert_int_equal(vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9), -EADDRINUSE);
	/* worker 0's stripe is untouched */
	pos = vxg_nat_sess_create(t, &k, 0, 2, VXG_CT_TCP_SYN_SENT, 9);
	assert_int_equal(check_sess(t, &k, pos), 1026);
	/* 1027 is worker 1's: kept toward a remote end where it is free */
	k = okey(IPPROTO_TCP, IN_A, 1027, REMOTE2, 443);
	assert_int_equal(
		check_sess(t, &k, vxg_nat_sess_create(t, &k, 1, 2, VXG_CT_TCP_SYN_SENT, 9)), 1027);
	vxg_nat_table_destroy(t);
}

static void
test_icmp_session(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 1024, NULL);
	struct vxg_nat_key k = okey(IPPROTO_ICMP, IN_A, 77, REMOTE, 77), in;
	int32_t pos = vxg_nat_sess_create(t, &k, 0, 1, VXG_CT_ICMP_NEW, 5), ipos;

	assert_int_equal(check_sess(t, &k, pos), 1024);
	/* what the echo reply carries: remote -> SNAT address, both ids the translated one */
	in = okey(IPPROTO_ICMP, REMOTE, 1024, EXT, 1024);
	ipos = rte_hash_lookup(t->in_h, &in);
	assert_true(ipos >= 0);
	assert_int_equal(t->in_out[ipos], pos);
	vxg_nat_table_destroy(t);
}

static void
test_table_full(void **state)
{
	struct vxg_nat_table *t = table(16, 1024, 65535, NULL);
	struct vxg_nat_key k[256];
	int32_t pos = 0;
	unsigned n;

	for (n = 0; n < RTE_DIM(k); n++) {
		k[n] = okey(IPPROTO_UDP, IN_A, 40000, IPN(198, 51, 100, n), 53);
		pos = vxg_nat_sess_create(t, &k[n], 0, 1, VXG_CT_UDP_NEW, 10);
		if (pos < 0)
			break;
	}
	assert_int_equal(pos, -ENOSPC);
	assert_true(n >= 16);
	assert_int_equal(vxg_nat_count(t), n);
	for (unsigned i = 0; i < n; i++)
		check_sess(t, &k[i], rte_hash_lookup(t->out_h, &k[i]));
	assert_int_equal(vxg_nat_clear(t), n);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	/* every position is back */
	for (unsigned i = 0; i < n; i++)
		check_sess(t, &k[i], vxg_nat_sess_create(t, &k[i], 0, 1, VXG_CT_UDP_NEW, 20));
	assert_int_equal(vxg_nat_count(t), n);
	vxg_nat_table_destroy(t);
}

/* ---- control: ageing, clear, format ------------------------------------------------------- */

/* A session made by hand as a worker makes it (so these tests do not depend on the port
 * allocator); its position. */
static int32_t
sess_put(struct vxg_nat_table *t, const struct vxg_nat_key *k, uint16_t ext, uint8_t st,
	uint32_t seen)
{
	int32_t pos = rte_hash_add_key(t->out_h, k);
	struct vxg_nat_sess *s;
	struct vxg_nat_key in;

	assert_true(pos >= 0);
	s = &t->sess[pos];
	s->out = *k;
	s->seen = seen;
	s->ext_port = PN(ext);
	s->ext_addr = t->addr;
	vxg_nat_in_key(&in, k, t->addr, s->ext_port);
	s->in_pos = rte_hash_add_key(t->in_h, &in);
	assert_true(s->in_pos >= 0);
	t->in_out[s->in_pos] = pos;
	__atomic_store_n(&s->state, st, __ATOMIC_RELEASE);
	return pos;
}

/* Neither key of the session of out key k (port ext) is in t. */
static void
assert_gone(struct vxg_nat_table *t, const struct vxg_nat_key *k, uint16_t ext)
{
	struct vxg_nat_key in;

	vxg_nat_in_key(&in, k, t->addr, PN(ext));
	assert_int_equal(rte_hash_lookup(t->out_h, k), -ENOENT);
	assert_int_equal(rte_hash_lookup(t->in_h, &in), -ENOENT);
}

static void
test_age(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	struct vxg_nat_key u = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key e = okey(IPPROTO_TCP, IN_B, 40001, REMOTE, 80);
	struct vxg_nat_key f = okey(IPPROTO_UDP, IN_C, 40002, REMOTE, 53);
	int32_t pu = sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 100);
	int32_t pe = sess_put(t, &e, 40001, VXG_CT_TCP_ESTABLISHED, 125);

	/* a worker refreshed f a second past the ager's clock: not expired */
	sess_put(t, &f, 40002, VXG_CT_UDP_NEW, 131);
	assert_int_equal(vxg_nat_age(t, 130, t->n_sess), 0); /* 30 s: not more than 30 */
	assert_int_equal(vxg_nat_age(t, 130, t->n_sess), 0);
	assert_int_equal(vxg_nat_age(t, 131, t->n_sess), 1); /* u */
	assert_gone(t, &u, 40000);
	assert_int_equal(t->sess[pu].state, VXG_CT_NONE);
	check_sess(t, &e, pe);
	assert_int_equal(vxg_nat_count(t), 2);
	assert_int_equal(rte_hash_count(t->in_h), 2);
	assert_int_equal(vxg_nat_age(t, 125 + 7440, t->n_sess), 1); /* f */
	assert_int_equal(vxg_nat_age(t, 125 + 7441, t->n_sess), 1); /* e */
	assert_gone(t, &e, 40001);
	assert_gone(t, &f, 40002);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	/* the positions are reusable: the same keys again */
	check_sess(t, &u, sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 200));
	check_sess(t, &e, sess_put(t, &e, 40001, VXG_CT_UDP_NEW, 200));
	vxg_nat_table_destroy(t);
}

/* The ager looks at `budget` positions a call and goes on where it stopped. */
static void
test_age_budget(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	unsigned total = 0, calls = 0;

	for (unsigned i = 0; i < 10; i++) {
		struct vxg_nat_key k = okey(IPPROTO_UDP, IN_A, (uint16_t)(2000 + i), REMOTE, 53);

		sess_put(t, &k, (uint16_t)(2000 + i), VXG_CT_UDP_NEW, 0);
	}
	while (total < 10 && calls <= t->n_sess / 8 + 1) {
		unsigned n = vxg_nat_age(t, 1000, 8);

		assert_true(n <= 8);
		total += n;
		calls++;
	}
	assert_int_equal(total, 10);
	assert_int_equal(vxg_nat_count(t), 0);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	vxg_nat_table_destroy(t);
}

static void
test_clear(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr);
	struct vxg_nat_key k[10], half;
	int32_t hp;

	for (unsigned i = 0; i < RTE_DIM(k); i++) {
		k[i] = okey(IPPROTO_TCP, IPN(10, 1, 1, i), 3000, REMOTE, 443);
		sess_put(t, &k[i], (uint16_t)(3000 + i), VXG_CT_TCP_ESTABLISHED, 50);
	}
	/* a key a worker has added but not published yet: left alone */
	half = okey(IPPROTO_TCP, IN_A, 1, REMOTE, 1);
	hp = rte_hash_add_key(t->out_h, &half);
	assert_true(hp >= 0);
	assert_int_equal(vxg_nat_clear(t), RTE_DIM(k));
	assert_int_equal(rte_hash_lookup(t->out_h, &half), hp);
	assert_int_equal(vxg_nat_count(t), 1);
	assert_int_equal(rte_hash_count(t->in_h), 0);
	for (unsigned i = 0; i < RTE_DIM(k); i++)
		assert_gone(t, &k[i], (uint16_t)(3000 + i));
	assert_int_equal(vxg_nat_clear(t), 0);
	for (unsigned i = 0; i < RTE_DIM(k); i++)
		check_sess(t, &k[i], sess_put(t, &k[i], (uint16_t)(3000 + i), VXG_CT_UDP_NEW, 9));
	vxg_nat_table_destroy(t);
}

static void
test_create_errors(void **state)
{
	struct vxg_nat_table *t, *big;

	rte_errno = 0;
	assert_null(vxg_nat_table_create("vpc1", 64, EXT, 2000, 1999, 0, NULL));
	assert_int_equal(rte_errno, EINVAL);
	rte_errno = 0;
	assert_null(vxg_nat_table_create("vpc1", 0, EXT, 1024, 2000, 0, NULL));
	assert_int_equal(rte_errno, EINVAL);
	vxg_nat_table_destroy(NULL);
	/* a VPC name is reused by a reload: both tables exist at once */
	t = table(64, 1024, 2000, NULL);
	big = vxg_nat_table_create("vpc1", 4096, IPN(203, 0, 113, 11), 1, 65535, 7, NULL);
	assert_non_null(big);
	assert_string_equal(big->name, "vpc1");
	assert_int_equal(big->addr, IPN(203, 0, 113, 11));
	assert_int_equal(big->port_min, 1);
	assert_int_equal(big->port_max, 65535);
	assert_int_equal(big->ifindex, 7);
	assert_int_equal(big->limit, 4096);
	assert_true(big->n_sess >= 4096);
	assert_int_equal(big->n_sess, rte_hash_max_key_id(big->out_h) + 1);
	assert_true(vxg_nat_memsize(big) > vxg_nat_memsize(t));
	assert_true(vxg_nat_memsize(big) >=
		    (uint64_t)big->n_sess *
			    (sizeof(struct vxg_nat_sess) + 2 * sizeof(struct vxg_nat_key)));
	vxg_nat_table_destroy(big);
	vxg_nat_table_destroy(t);
}

static void
test_format(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, NULL);
	struct vxg_nat_sess s;
	char buf[160];

	memset(&s, 0, sizeof(s));
	s.out = okey(IPPROTO_TCP, IN_A, 40000, REMOTE, 80);
	s.ext_port = PN(40000);
	s.ext_addr = t->addr;
	s.seen = 100;
	s.state = VXG_CT_TCP_ESTABLISHED;
	assert_true(vxg_nat_sess_format(t, &s, 103, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "tcp 10.1.0.11:40000 -> 198.51.100.10:80 as 203.0.113.10:40000 "
				 "ESTABLISHED age 3 expires 7437");
	s.out = okey(IPPROTO_ICMP, IN_A, 77, REMOTE, 77);
	s.ext_port = PN(1024);
	s.state = VXG_CT_ICMP_NEW;
	vxg_nat_sess_format(t, &s, 100, buf, sizeof(buf));
	assert_string_equal(buf, "icmp 10.1.0.11 -> 198.51.100.10 id 77 as 203.0.113.10 id 1024 "
				 "ICMP_NEW age 0 expires 30");
	/* expired, not aged yet; and a clock behind `seen` */
	s.out = okey(IPPROTO_UDP, IN_B, 5353, REMOTE2, 53);
	s.ext_port = PN(1025);
	s.state = VXG_CT_UDP_REPLIED;
	vxg_nat_sess_format(t, &s, 400, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.1.0.12:5353 -> 198.51.100.20:53 as 203.0.113.10:1025 "
				 "UDP_REPLIED age 300 expires 0");
	vxg_nat_sess_format(t, &s, 99, buf, sizeof(buf));
	assert_string_equal(buf, "udp 10.1.0.12:5353 -> 198.51.100.20:53 as 203.0.113.10:1025 "
				 "UDP_REPLIED age 0 expires 180");
	/* truncation is snprintf's */
	assert_true(vxg_nat_sess_format(t, &s, 100, buf, 8) > 8);
	assert_string_equal(buf, "udp 10.");
	vxg_nat_table_destroy(t);
}

/* ---- resize (a reload that changes dataplane.limits.sessions) ----------------------------- */

/* The session of out key k in t, or NULL. */
static const struct vxg_nat_sess *
sess_get(const struct vxg_nat_table *t, const struct vxg_nat_key *k)
{
	int32_t pos = rte_hash_lookup(t->out_h, k);

	return pos < 0 ? NULL : &t->sess[pos];
}

/* A bigger table: each live session moves over with both keys, its translated port, state
 * and times; expired ones do not; the ports stay claimed for new flows. */
static void
test_resize_grow(void **state)
{
	struct vxg_nat_table *t = table(64, 1024, 65535, qsbr), *big;
	struct vxg_nat_key u = okey(IPPROTO_UDP, IN_A, 40000, REMOTE, 53);
	struct vxg_nat_key e = okey(IPPROTO_TCP, IN_B, 40001, REMOTE, 80);
	struct vxg_nat_key x = okey(IPPROTO_UDP, IN_C, 40002, REMOTE, 53);
	struct vxg_nat_key i = okey(IPPROTO_ICMP, IN_A, 77, REMOTE2, 77);
	struct vxg_nat_key clash = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	const struct vxg_nat_sess *s, *o;
	uint32_t dropped = 99;
	int32_t pos;

	sess_put(t, &u, 40000, VXG_CT_UDP_NEW, 100);
	pos = sess_put(t, &e, 2000, VXG_CT_TCP_ESTABLISHED, 90);
	t->sess[pos].flags = VXG_CT_F_FIN_ORIG;
	sess_put(t, &x, 40002, VXG_CT_UDP_NEW, 60); /* expired at 100, not aged */
	assert_true(vxg_nat_sess_create(t, &i, 0, 1, VXG_CT_ICMP_NEW, 100) >= 0);

	big = vxg_nat_table_resize(t, 4096, 100, &dropped);
	assert_non_null(big);
	assert_int_equal(dropped, 0);
	assert_int_equal(big->limit, 4096);
	assert_string_equal(big->name, "vpc1");
	assert_int_equal(big->addr, EXT);
	assert_int_equal(big->port_min, 1024);
	assert_int_equal(big->port_max, 65535);
	assert_int_equal(big->ifindex, 3);
	assert_ptr_equal(big->qsbr, qsbr);
	assert_int_equal(vxg_nat_count(big), 3);
	assert_int_equal(rte_hash_count(big->in_h), 3);
	assert_int_equal(check_sess(big, &u, rte_hash_lookup(big->out_h, &u)), 40000);
	assert_int_equal(check_sess(big, &e, rte_hash_lookup(big->out_h, &e)), 2000);
	assert_int_equal(check_sess(big, &i, rte_hash_lookup(big->out_h, &i)),
		check_sess(t, &i, rte_hash_lookup(t->out_h, &i)));
	s = sess_get(big, &e);
	o = sess_get(t, &e);
	assert_int_equal(s->state, VXG_CT_TCP_ESTABLISHED);
	assert_int_equal(s->seen, 90);
	assert_int_equal(s->flags, VXG_CT_F_FIN_ORIG);
	assert_int_equal(s->ext_port, o->ext_port);
	assert_null(sess_get(big, &x));
	/* the old table is untouched: workers may still be reading it */
	assert_int_equal(vxg_nat_count(t), 4);
	/* 40000 towards REMOTE:53 is u's: another inside host's flow gets another port */
	pos = vxg_nat_sess_create(big, &clash, 0, 1, VXG_CT_UDP_NEW, 101);
	assert_int_not_equal(check_sess(big, &clash, pos), 40000);
	assert_int_equal(vxg_nat_clear(big), 4);
	assert_int_equal(rte_hash_count(big->in_h), 0);
	vxg_nat_table_destroy(big);
	vxg_nat_table_destroy(t);
}

/* A smaller table: what fits stays, established and replied sessions first, and the rest
 * is counted. */
static void
test_resize_shrink(void **state)
{
	struct vxg_nat_table *t = table(256, 1024, 65535, qsbr), *small;
	struct vxg_nat_key k[100];
	uint32_t dropped = 0, kept = 0;

	for (unsigned n = 0; n < RTE_DIM(k); n++) {
		k[n] = okey(IPPROTO_UDP, IN_A, (uint16_t)(30000 + n), REMOTE, 53);
		sess_put(t, &k[n], (uint16_t)(30000 + n),
			n % 10 == 0 ? VXG_CT_UDP_REPLIED : VXG_CT_UDP_NEW, 100);
	}
	small = vxg_nat_table_resize(t, 32, 100, &dropped);
	assert_non_null(small);
	assert_int_equal(vxg_nat_count(small), 32);
	assert_int_equal(rte_hash_count(small->in_h), 32);
	assert_int_equal(dropped, 100 - 32);
	for (unsigned n = 0; n < RTE_DIM(k); n++) {
		int32_t pos = rte_hash_lookup(small->out_h, &k[n]);

		if (n % 10 == 0)
			assert_true(pos >= 0); /* every replied one made it */
		if (pos >= 0) {
			assert_int_equal(check_sess(small, &k[n], pos), 30000 + n);
			kept++;
		}
	}
	assert_int_equal(kept, 32);
	vxg_nat_table_destroy(small);
	vxg_nat_table_destroy(t);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_own_kept),
		cmocka_unit_test(test_port_exhaustion),
		cmocka_unit_test(test_port_stripes),
		cmocka_unit_test(test_icmp_session),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_age_budget),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_resize_grow),
		cmocka_unit_test(test_resize_shrink),
	};
	int ret;

	if (nat_init(argv[0], "vxg_test_nat_table") < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nat_fini();
	return ret;
}
