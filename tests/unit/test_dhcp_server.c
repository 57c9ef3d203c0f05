/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP server's decisions (RFC 2131 4.3, control/dhcp/dhcp_server.c) for declared
 * ports and the pool, and the lease file (dhcp_lease_file.c), down to a /16 pool under a
 * flood.
 */
#include "dhcp_fixture.h"

/* ---- server -------------------------------------------------------------------------- */

static struct dhcp_fixed fixed[] = {{{{0x02, 0x00, 0x0a, 0x01, 0x00, 0xff}}, IP(10, 1, 0, 11)}};
static uint32_t reserved_ips[] = {IP(10, 1, 0, 11), IP(10, 1, 0, 101)};

static void
net_setup(struct dhcp_net *n, uint32_t start, uint32_t end)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "blue/web");
	n->network = IP(10, 1, 0, 0);
	n->mask = IP(255, 255, 255, 0);
	n->gateway = IP(10, 1, 0, 1);
	n->range_start = start;
	n->range_end = end;
	n->lease_time = 3600;
	n->fixed = fixed;
	n->n_fixed = 1;
	n->reserved = reserved_ips;
	n->n_reserved = 2;
	n->tmpl = web_reply();
	assert_int_equal(vxg_dhcp_net_init(n), 0);
}

static struct dhcp_request
req_of(uint8_t type, const struct rte_ether_addr *mac, uint32_t requested, uint32_t server,
	uint32_t ciaddr)
{
	struct dhcp_request q = {.op = 1,
		.msg_type = type,
		.chaddr = *mac,
		.requested_ip = requested,
		.server_id = server,
		.ciaddr = ciaddr};
	return q;
}

static void
server_fixed_port(void **state)
{
	struct dhcp_net n;
	struct dhcp_reply r;
	struct dhcp_request q = req_of(DHCP_DISCOVER, &MACF, 0, 0, 0);

	net_setup(&n, 0, 0); /* no range: only declared ports get answers */
	assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
	assert_int_equal(r.msg_type, DHCP_OFFER);
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 11));
	q = req_of(DHCP_REQUEST, &MACF, IP(10, 1, 0, 11), IP(10, 1, 0, 1), 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	assert_int_equal(r.lease, 3600);
	q = req_of(DHCP_REQUEST, &MACF, IP(10, 1, 0, 50), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
	assert_int_equal(r.msg_type, DHCP_NAK);
	q = req_of(DHCP_DISCOVER, &MAC1, 0, 0, 0);
	assert_false(vxg_dhcp_handle(&n, &q, 1000, &r)); /* unknown MAC, no range: silence */
	vxg_dhcp_net_fini(&n);
}

static void
server_pool(void **state)
{
	struct dhcp_net n;
	struct dhcp_reply r;
	struct dhcp_request q;

	net_setup(&n, IP(10, 1, 0, 100), IP(10, 1, 0, 102)); /* .101 is reserved */
	q = req_of(DHCP_DISCOVER, &MAC1, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 100));
	/* The offer is held: a second client gets the next free, skipping the reserved. */
	q = req_of(DHCP_DISCOVER, &MAC2, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1001, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 102));
	/* Pool exhausted: a third gets nothing, while the declared port still does. */
	q = req_of(DHCP_DISCOVER, &MAC3, 0, 0, 0);
	assert_false(vxg_dhcp_handle(&n, &q, 1002, &r));
	q = req_of(DHCP_DISCOVER, &MACF, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1002, &r));
	/* MAC1 takes its offer; asking again gets the same address. */
	q = req_of(DHCP_REQUEST, &MAC1, IP(10, 1, 0, 100), IP(10, 1, 0, 1), 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1003, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	q = req_of(DHCP_DISCOVER, &MAC1, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1004, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 100));
	/* MAC3 asks for MAC1's address: NAK. MAC2's offer expires: MAC3 gets it. */
	q = req_of(DHCP_REQUEST, &MAC3, IP(10, 1, 0, 100), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1005, &r));
	assert_int_equal(r.msg_type, DHCP_NAK);
	q = req_of(DHCP_DISCOVER, &MAC3, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1001 + DHCP_OFFER_HOLD, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 102));
	vxg_dhcp_net_fini(&n);
}

static void
server_request_states(void **state)
{
	struct dhcp_net n;
	struct dhcp_reply r;
	struct dhcp_request q;

	net_setup(&n, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	q = req_of(DHCP_DISCOVER, &MAC1, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
	/* SELECTING another server's offer: silence, and our offer is let go. */
	q = req_of(DHCP_REQUEST, &MAC1, IP(10, 9, 0, 5), IP(10, 9, 0, 1), 0);
	assert_false(vxg_dhcp_handle(&n, &q, 1001, &r));
	q = req_of(DHCP_DISCOVER, &MAC2, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1002, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 100));
	/* INIT-REBOOT to a free pool address: ACK (authoritative); off-network: NAK. */
	q = req_of(DHCP_REQUEST, &MAC1, IP(10, 1, 0, 105), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1003, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 105));
	q = req_of(DHCP_REQUEST, &MAC1, IP(192, 168, 0, 5), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1004, &r));
	assert_int_equal(r.msg_type, DHCP_NAK);
	/* RENEWING: ciaddr, no option 50. */
	q = req_of(DHCP_REQUEST, &MAC1, 0, 0, IP(10, 1, 0, 105));
	assert_true(vxg_dhcp_handle(&n, &q, 2000, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 105));
	/* RELEASE frees; DECLINE quarantines. */
	q = req_of(DHCP_RELEASE, &MAC1, 0, 0, IP(10, 1, 0, 105));
	assert_false(vxg_dhcp_handle(&n, &q, 2001, &r));
	q = req_of(DHCP_REQUEST, &MAC3, IP(10, 1, 0, 105), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 2002, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	q = req_of(DHCP_DECLINE, &MAC3, IP(10, 1, 0, 105), IP(10, 1, 0, 1), 0);
	assert_false(vxg_dhcp_handle(&n, &q, 2003, &r));
	q = req_of(DHCP_REQUEST, &MAC2, IP(10, 1, 0, 105), 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 2004, &r));
	assert_int_equal(r.msg_type, DHCP_NAK);
	/* INFORM: options, no address, no lease. */
	q = req_of(DHCP_INFORM, &MAC2, 0, 0, IP(10, 1, 0, 77));
	assert_true(vxg_dhcp_handle(&n, &q, 2005, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);
	assert_int_equal(r.yiaddr, 0);
	assert_int_equal(r.lease, 0);
	vxg_dhcp_net_fini(&n);
}

/* show memory's figure: a range costs its lease slots and their indexes from the start,
 * empty (a lease, a heap place and position, two MAC table slots: by_mac is a power of
 * two at least twice the range; each bitmap is one word either way here). */
static void
server_memsize(void **state)
{
	struct dhcp_net small, big, none;
	uint64_t per_slot = sizeof(struct dhcp_lease) + 2 * sizeof(uint32_t) + 2 * sizeof(uint32_t);

	net_setup(&small, IP(10, 1, 0, 100), IP(10, 1, 0, 131)); /* 32 slots */
	net_setup(&big, IP(10, 1, 0, 100), IP(10, 1, 0, 163)); /* 64 slots */
	net_setup(&none, 0, 0);
	assert_int_equal(vxg_dhcp_net_memsize(&big) - vxg_dhcp_net_memsize(&small), 32 * per_slot);
	assert_true(vxg_dhcp_net_memsize(&none) > 0);
	assert_true(vxg_dhcp_net_memsize(&none) < vxg_dhcp_net_memsize(&small));
	vxg_dhcp_net_fini(&small);
	vxg_dhcp_net_fini(&big);
	vxg_dhcp_net_fini(&none);
}

static void
lease_file_round_trip(void **state)
{
	char path[] = "/tmp/vxg-test-leases.XXXXXX";
	struct dhcp_net a, b;
	struct dhcp_reply r;
	struct dhcp_request q;
	FILE *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	net_setup(&a, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	q = req_of(DHCP_REQUEST, &MAC1, IP(10, 1, 0, 104), 0, 0);
	snprintf(q.hostname, sizeof(q.hostname), "vm7");
	assert_true(vxg_dhcp_handle(&a, &q, 1000, &r));
	q = req_of(DHCP_DISCOVER, &MAC2, 0, 0, 0); /* only offered: not saved */
	assert_true(vxg_dhcp_handle(&a, &q, 1000, &r));
	assert_int_equal(vxg_dhcp_leases_save(&a, 1, path), 0);
	f = fopen(path, "a");
	fprintf(f, "garbage line\nblue/web 02:00:0a:01:00:0c 10.1.0.106 999 old\n"
		   "blue/gone 02:00:0a:01:00:0c 10.1.0.107 99999 x\n");
	fclose(f);
	net_setup(&b, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	assert_int_equal(vxg_dhcp_leases_load(&b, 1, path, 1500), 0);
	assert_int_equal(b.leases[4].state, DHCP_LEASE_BOUND);
	assert_memory_equal(b.leases[4].mac.addr_bytes, MAC1.addr_bytes, 6);
	assert_int_equal(b.leases[4].expires, 1000 + 3600);
	assert_string_equal(b.leases[4].hostname, "vm7");
	assert_int_equal(b.leases[6].state, DHCP_LEASE_FREE); /* expired at 999 */
	/* After the restart, MAC1 is offered its address again. */
	q = req_of(DHCP_DISCOVER, &MAC1, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&b, &q, 1600, &r));
	assert_int_equal(r.yiaddr, IP(10, 1, 0, 104));
	unlink(path);
	vxg_dhcp_net_fini(&a);
	vxg_dhcp_net_fini(&b);
}

/* A hostname is the client's bytes: written as one token, it cannot forge a lease line. */
static void
lease_file_hostname_token(void **state)
{
	char path[] = "/tmp/vxg-test-leases.XXXXXX", line[512];
	struct dhcp_net a, b;
	struct dhcp_reply r;
	struct dhcp_request q;
	unsigned lines = 0;
	FILE *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	net_setup(&a, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	q = req_of(DHCP_REQUEST, &MAC1, IP(10, 1, 0, 104), 0, 0);
	snprintf(q.hostname, sizeof(q.hostname),
		"a b\nblue/web 02:00:0a:01:00:0c 10.1.0.106 9999 x");
	assert_true(vxg_dhcp_handle(&a, &q, 1000, &r));
	assert_int_equal(vxg_dhcp_leases_save(&a, 1, path), 0);
	f = fopen(path, "r");
	while (fgets(line, sizeof(line), f) != NULL)
		lines++;
	fclose(f);
	assert_int_equal(lines, 2); /* the comment and MAC1's lease */
	net_setup(&b, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	assert_int_equal(vxg_dhcp_leases_load(&b, 1, path, 1500), 0);
	assert_int_equal(b.leases[4].state, DHCP_LEASE_BOUND);
	assert_string_equal(
		b.leases[4].hostname, "a?b?blue/web?02:00:0a:01:00:0c?10.1.0.106?9999?x");
	assert_int_equal(b.leases[6].state, DHCP_LEASE_FREE);
	unlink(path);
	vxg_dhcp_net_fini(&a);
	vxg_dhcp_net_fini(&b);
}

/* A save replaces the file or leaves it as it was: no temporary file stays behind, one
 * left by a crash is overwritten, and a save that cannot write keeps the old file. */
static void
lease_file_replaced_whole(void **state)
{
	char dir[] = "/tmp/vxg-test-leasedir.XXXXXX", path[128], tmp[140], line[512];
	struct dhcp_net a;
	struct dhcp_reply r;
	struct dhcp_request q = req_of(DHCP_REQUEST, &MAC1, IP(10, 1, 0, 104), 0, 0);
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dhcp.leases", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	net_setup(&a, IP(10, 1, 0, 100), IP(10, 1, 0, 110));
	assert_true(vxg_dhcp_handle(&a, &q, 1000, &r));
	f = fopen(tmp, "w"); /* what a crash in the middle of a save leaves */
	fprintf(f, "blue/web 02:00:0a:01:00:0c 10.1.0.1");
	fclose(f);
	assert_int_equal(vxg_dhcp_leases_save(&a, 1, path), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	f = fopen(path, "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "blue/web 02:00:0A:01:00:0B 10.1.0.104 4600 -\n");
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	/* The temporary file cannot be made: the save fails, the file is as it was. */
	assert_int_equal(mkdir(tmp, 0700), 0);
	q = req_of(DHCP_REQUEST, &MAC2, IP(10, 1, 0, 105), 0, 0);
	assert_true(vxg_dhcp_handle(&a, &q, 1000, &r));
	assert_true(vxg_dhcp_leases_save(&a, 1, path) < 0);
	f = fopen(path, "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	snprintf(line, sizeof(line), "%s/none/dhcp.leases", dir);
	assert_int_equal(vxg_dhcp_leases_save(&a, 1, line), -ENOENT);
	rmdir(tmp);
	unlink(path);
	rmdir(dir);
	vxg_dhcp_net_fini(&a);
}

/* ---- a /16 pool under a flood --------------------------------------------------------- */

#define BIG_CLIENTS 60000

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static struct rte_ether_addr
big_mac(uint32_t i)
{
	return (struct rte_ether_addr){{0x02, 0x42, i >> 24, i >> 16, i >> 8, i}};
}

/* 10.0.0.0/16, gateway 10.0.0.1, the range all the rest: 65533 addresses; one fixed. */
static void
big_net_setup(struct dhcp_net *n)
{
	static struct dhcp_fixed big_fixed[] = {
		{{{0x02, 0x00, 0x0a, 0x01, 0x00, 0xff}}, IP(10, 0, 0, 9)}};
	static uint32_t big_reserved[] = {IP(10, 0, 0, 9)};

	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "blue/big");
	n->network = IP(10, 0, 0, 0);
	n->mask = IP(255, 255, 0, 0);
	n->gateway = IP(10, 0, 0, 1);
	n->range_start = IP(10, 0, 0, 2);
	n->range_end = IP(10, 0, 255, 254);
	n->lease_time = 3600;
	n->fixed = big_fixed;
	n->n_fixed = 1;
	n->reserved = big_reserved;
	n->n_reserved = 1;
	n->tmpl = web_reply();
	assert_int_equal(vxg_dhcp_net_init(n), 0);
}

/* The address the i-th new client gets: the lowest free, skipping the fixed 10.0.0.9. */
static uint32_t
big_ip(uint32_t i)
{
	return IP(10, 0, 0, 2) + i + (i >= 7);
}

/* 60000 clients each DISCOVER and REQUEST in a /16: every one is answered with the lowest
 * free address, and all of them together take well under 2 s (a scan per DISCOVER took
 * minutes). Then a flood of DISCOVERs from new MACs exhausts the pool just as fast. */
static void
server_big_pool(void **state)
{
	struct dhcp_net n;
	struct dhcp_reply r;
	struct dhcp_request q;
	struct rte_ether_addr mac;
	struct timespec t0;
	unsigned offered = 0;
	double took;

	big_net_setup(&n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < BIG_CLIENTS; i++) {
		mac = big_mac(i);
		q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
		assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
		assert_int_equal(r.yiaddr, big_ip(i));
		q = req_of(DHCP_REQUEST, &mac, r.yiaddr, IP(10, 1, 0, 1), 0);
		assert_true(vxg_dhcp_handle(&n, &q, 1000, &r));
		assert_int_equal(r.msg_type, DHCP_ACK);
	}
	took = seconds_since(&t0);
	print_message("%u DISCOVER + REQUEST in a /16: %.3f s\n", BIG_CLIENTS, took);
	assert_true(took < 2.0);

	/* A returning client gets its address back; a released one is the lowest free. */
	mac = big_mac(31337);
	q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1001, &r));
	assert_int_equal(r.yiaddr, big_ip(31337));
	q = req_of(DHCP_RELEASE, &mac, 0, 0, big_ip(31337));
	assert_false(vxg_dhcp_handle(&n, &q, 1001, &r));
	mac = big_mac(BIG_CLIENTS);
	q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1001, &r));
	assert_int_equal(r.yiaddr, big_ip(31337));
	q = req_of(DHCP_REQUEST, &mac, r.yiaddr, IP(10, 1, 0, 1), 0);
	assert_true(vxg_dhcp_handle(&n, &q, 1001, &r));
	assert_int_equal(r.msg_type, DHCP_ACK);

	/* A flood of new MACs: the 5532 addresses left go, then silence, all as fast. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = BIG_CLIENTS + 1; i < 2 * BIG_CLIENTS; i++) {
		mac = big_mac(i);
		q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
		offered += vxg_dhcp_handle(&n, &q, 1002, &r);
	}
	took = seconds_since(&t0);
	print_message("%u DISCOVERs of new MACs, pool exhausted: %.3f s\n", BIG_CLIENTS - 1, took);
	assert_int_equal(offered, 65533 - 1 - BIG_CLIENTS); /* less the fixed .9 */
	assert_true(took < 2.0);

	/* The offers run out after DISCOVER_HOLD: the lowest of them is free again. */
	mac = big_mac(3 * BIG_CLIENTS);
	q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
	assert_false(vxg_dhcp_handle(&n, &q, 1002 + DHCP_OFFER_HOLD - 1, &r));
	assert_true(vxg_dhcp_handle(&n, &q, 1002 + DHCP_OFFER_HOLD, &r));
	assert_int_equal(r.yiaddr, big_ip(BIG_CLIENTS));
	vxg_dhcp_net_fini(&n);
}

/* 60000 bound leases through the lease file: each client is offered its address again. */
static void
server_big_lease_file(void **state)
{
	char path[] = "/tmp/vxg-test-leases.XXXXXX";
	struct dhcp_net a, b;
	struct dhcp_reply r;
	struct dhcp_request q;
	struct rte_ether_addr mac;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	big_net_setup(&a);
	for (uint32_t i = 0; i < BIG_CLIENTS; i++) {
		mac = big_mac(i);
		/* INIT-REBOOT, highest addresses first: the file is not in client order. */
		q = req_of(DHCP_REQUEST, &mac, big_ip(BIG_CLIENTS - 1 - i), 0, 0);
		assert_true(vxg_dhcp_handle(&a, &q, 1000 + i / 1000, &r));
		assert_int_equal(r.msg_type, DHCP_ACK);
	}
	assert_int_equal(vxg_dhcp_leases_save(&a, 1, path), 0);
	big_net_setup(&b);
	assert_int_equal(vxg_dhcp_leases_load(&b, 1, path, 1100), 0);
	for (uint32_t i = 0; i < BIG_CLIENTS; i += 997) {
		mac = big_mac(i);
		q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
		assert_true(vxg_dhcp_handle(&b, &q, 1100, &r));
		assert_int_equal(r.yiaddr, big_ip(BIG_CLIENTS - 1 - i));
	}
	/* A new client gets the lowest address nobody holds. */
	mac = big_mac(BIG_CLIENTS);
	q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&b, &q, 1100, &r));
	assert_int_equal(r.yiaddr, big_ip(BIG_CLIENTS));
	/* Leases end in the order they were given: those of the first second first. */
	mac = big_mac(BIG_CLIENTS + 1);
	q = req_of(DHCP_DISCOVER, &mac, 0, 0, 0);
	assert_true(vxg_dhcp_handle(&b, &q, 1000 + 3600, &r));
	assert_int_equal(r.yiaddr, big_ip(BIG_CLIENTS - 1000));
	unlink(path);
	vxg_dhcp_net_fini(&a);
	vxg_dhcp_net_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_fixed_port),
		cmocka_unit_test(server_pool),
		cmocka_unit_test(server_request_states),
		cmocka_unit_test(server_memsize),
		cmocka_unit_test(lease_file_round_trip),
		cmocka_unit_test(server_big_pool),
		cmocka_unit_test(lease_file_hostname_token),
		cmocka_unit_test(lease_file_replaced_whole),
		cmocka_unit_test(server_big_lease_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
