/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP: the codec on byte-exact fixtures and malformed messages, and the server's
 * decisions (RFC 2131 4.3) for declared ports, the pool, and the lease file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "dhcp/dhcp_server.h"

#include "ip4.h"

static const struct rte_ether_addr MAC1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr MAC2 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0c}};
static const struct rte_ether_addr MAC3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0d}};
static const struct rte_ether_addr MACF = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0xff}};

/* A client message: the fixed part, the cookie, then `opts` as given. */
static size_t
msg(uint8_t *b, uint8_t op, const struct rte_ether_addr *mac, uint32_t ciaddr, const uint8_t *opts,
	size_t n)
{
	memset(b, 0, 240);
	b[0] = op;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0x12, b[5] = 0x34, b[6] = 0x56, b[7] = 0x78; /* xid */
	b[12] = ciaddr >> 24, b[13] = ciaddr >> 16, b[14] = ciaddr >> 8, b[15] = ciaddr;
	memcpy(b + 28, mac->addr_bytes, 6);
	b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
	memcpy(b + 240, opts, n);
	return 240 + n;
}

/* What busybox udhcpc sends first: DISCOVER, client id, max size 576, its request list,
 * its hostname. */
static const uint8_t udhcpc_discover_opts[] = {
	53,
	1,
	1, /* DISCOVER */
	61,
	7,
	1,
	0x02,
	0x00,
	0x0a,
	0x01,
	0x00,
	0x0b, /* client id: htype + MAC */
	57,
	2,
	0x02,
	0x40, /* max size 576 */
	55,
	7,
	1,
	3,
	6,
	12,
	15,
	28,
	42, /* request list */
	12,
	3,
	'v',
	'm',
	'1', /* hostname */
	255,
};

static void
parse_udhcpc_discover(void **state)
{
	uint8_t b[512];
	struct dhcp_request r;
	size_t n = msg(b, 1, &MAC1, 0, udhcpc_discover_opts, sizeof(udhcpc_discover_opts));

	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_PARSE_OK);
	assert_int_equal(r.msg_type, DHCP_DISCOVER);
	assert_int_equal(r.xid, 0x12345678);
	assert_memory_equal(r.chaddr.addr_bytes, MAC1.addr_bytes, 6);
	assert_int_equal(r.max_size, 576);
	assert_int_equal(r.client_id_len, 7);
	assert_true(r.has_prl);
	assert_int_equal(r.prl_len, 7);
	assert_int_equal(r.prl[6], 42);
	assert_string_equal(r.hostname, "vm1");
	assert_int_equal(r.requested_ip, 0);
}

static void
parse_request_selecting(void **state)
{
	const uint8_t o[] = {53, 1, 3, 50, 4, 10, 1, 0, 100, 54, 4, 10, 1, 0, 1, 255};
	uint8_t b[512];
	struct dhcp_request r;

	assert_int_equal(vxg_dhcp_parse(b, msg(b, 1, &MAC1, 0, o, sizeof(o)), &r), DHCP_PARSE_OK);
	assert_int_equal(r.msg_type, DHCP_REQUEST);
	assert_int_equal(r.requested_ip, IP(10, 1, 0, 100));
	assert_int_equal(r.server_id, IP(10, 1, 0, 1));
}

/* Option overload (52): more options in the file field. */
static void
parse_overload(void **state)
{
	const uint8_t o[] = {53, 1, 1, 52, 1, 1, 255};
	uint8_t b[512];
	struct dhcp_request r;
	size_t n = msg(b, 1, &MAC1, 0, o, sizeof(o));

	b[108] = 50, b[109] = 4, b[110] = 10, b[111] = 1, b[112] = 0, b[113] = 150, b[114] = 255;
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_PARSE_OK);
	assert_int_equal(r.requested_ip, IP(10, 1, 0, 150));
}

static void
parse_malformed(void **state)
{
	const uint8_t disc[] = {53, 1, 1, 255};
	const uint8_t overrun[] = {53, 1, 1, 12, 40, 'x'};
	const uint8_t half[] = {53, 1, 1, 12};
	const uint8_t badlen[] = {53, 2, 1, 1, 255};
	const uint8_t badlen50[] = {53, 1, 1, 50, 3, 10, 1, 0, 255};
	const uint8_t notype[] = {50, 4, 10, 1, 0, 5, 255};
	const uint8_t offer[] = {53, 1, 2, 255};
	uint8_t b[512];
	struct dhcp_request r;
	size_t n;

	n = msg(b, 1, &MAC1, 0, disc, sizeof(disc));
	assert_int_equal(vxg_dhcp_parse(b, 239, &r), DHCP_ERR_truncated);
	assert_int_equal(vxg_dhcp_parse(b, 0, &r), DHCP_ERR_truncated);
	b[0] = 2;
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_not_request);
	b[0] = 1, b[1] = 6;
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_htype);
	b[1] = 1, b[2] = 16;
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_htype);
	b[2] = 6, b[239] = 0;
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_cookie);
	n = msg(b, 1, &MAC1, 0, overrun, sizeof(overrun));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_option_overrun);
	n = msg(b, 1, &MAC1, 0, half, sizeof(half));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_option_overrun);
	n = msg(b, 1, &MAC1, 0, badlen, sizeof(badlen));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_option_len);
	n = msg(b, 1, &MAC1, 0, badlen50, sizeof(badlen50));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_option_len);
	n = msg(b, 1, &MAC1, 0, notype, sizeof(notype));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_no_msg_type);
	n = msg(b, 1, &MAC1, 0, offer, sizeof(offer));
	assert_int_equal(vxg_dhcp_parse(b, n, &r), DHCP_ERR_bad_msg_type);
	assert_string_equal(vxg_dhcp_err_name(DHCP_ERR_bad_cookie), "bad_cookie");
}

/* Random bytes never crash the parser and never read past the end (ASan checks). */
static void
parse_fuzz(void **state)
{
	uint8_t *b;
	struct dhcp_request r;

	srand(7);
	for (int i = 0; i < 20000; i++) {
		size_t n = 236 + rand() % 120;

		b = malloc(n);
		for (size_t j = 0; j < n; j++)
			b[j] = rand();
		if (n >= 240) {
			b[0] = 1, b[1] = 1, b[2] = 6;
			b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
		}
		(void)vxg_dhcp_parse(b, n, &r);
		free(b);
	}
}

static struct dhcp_reply
web_reply(void)
{
	struct dhcp_reply t = {
		.server_id = IP(10, 1, 0, 1),
		.mask = IP(255, 255, 255, 0),
		.router = IP(10, 1, 0, 1),
		.lease = 3600,
		.dns = {IP(192, 0, 2, 53)},
		.n_dns = 1,
		.domain = "blue.example",
		.mtu = 1450,
	};
	return t;
}

/* The whole OFFER to udhcpc's DISCOVER, byte for byte. */
static void
build_offer_exact(void **state)
{
	static const uint8_t want_opts[] = {
		53,
		1,
		2, /* OFFER */
		54,
		4,
		10,
		1,
		0,
		1, /* server id */
		51,
		4,
		0,
		0,
		0x0e,
		0x10, /* lease 3600 */
		58,
		4,
		0,
		0,
		0x07,
		0x08, /* T1 1800 */
		59,
		4,
		0,
		0,
		0x0c,
		0x4e, /* T2 3150 */
		1,
		4,
		255,
		255,
		255,
		0, /* mask */
		3,
		4,
		10,
		1,
		0,
		1, /* router */
		6,
		4,
		192,
		0,
		2,
		53, /* dns */
		15,
		12,
		'b',
		'l',
		'u',
		'e',
		'.',
		'e',
		'x',
		'a',
		'm',
		'p',
		'l',
		'e',
		26,
		2,
		0x05,
		0xaa, /* MTU 1450: below 1500, sent though udhcpc did not ask */
		255,
	};
	uint8_t b[512], out[1500];
	struct dhcp_request req;
	struct dhcp_reply r = web_reply();
	size_t n;

	assert_int_equal(
		vxg_dhcp_parse(b,
			msg(b, 1, &MAC1, 0, udhcpc_discover_opts, sizeof(udhcpc_discover_opts)),
			&req),
		DHCP_PARSE_OK);
	r.msg_type = DHCP_OFFER;
	r.yiaddr = IP(10, 1, 0, 100);
	n = vxg_dhcp_build(&req, &r, out, sizeof(out));
	assert_int_equal(n, 240 + sizeof(want_opts)); /* past DHCP_MIN_LEN: no padding */
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 6);
	assert_memory_equal(out + 4, "\x12\x34\x56\x78", 4);
	assert_memory_equal(out + 12, "\0\0\0\0", 4); /* ciaddr */
	assert_memory_equal(out + 16, "\x0a\x01\x00\x64", 4); /* yiaddr 10.1.0.100 */
	assert_memory_equal(out + 28, MAC1.addr_bytes, 6);
	assert_memory_equal(out + 236, "\x63\x82\x53\x63", 4);
	assert_memory_equal(out + 240, want_opts, sizeof(want_opts));
	for (size_t i = 240 + sizeof(want_opts); i < n; i++)
		assert_int_equal(out[i], 0);
}

/* RFC 3442 encoding, with the default route added for a client that asked for 121. */
static void
build_classless_routes(void **state)
{
	const uint8_t o[] = {53, 1, 1, 55, 3, 1, 3, 121, 255};
	/* 10.0.0.0/8 and 192.168.7.0/24 via 10.1.0.254 */
	static const uint8_t want[] = {8, 10, 10, 1, 0, 254, 24, 192, 168, 7, 10, 1, 0, 254};
	uint8_t b[512], out[1500];
	struct dhcp_request req;
	struct dhcp_reply r = web_reply();
	uint8_t *p;
	size_t n;

	assert_int_equal(vxg_dhcp_parse(b, msg(b, 1, &MAC1, 0, o, sizeof(o)), &req), DHCP_PARSE_OK);
	r.msg_type = DHCP_OFFER;
	r.yiaddr = IP(10, 1, 0, 100);
	r.routes[0] = (struct dhcp_route){IP(10, 0, 0, 0), 8, IP(10, 1, 0, 254)};
	r.routes[1] = (struct dhcp_route){IP(192, 168, 7, 0), 24, IP(10, 1, 0, 254)};
	r.n_routes = 2;
	n = vxg_dhcp_build(&req, &r, out, sizeof(out));
	assert_true(n >= DHCP_MIN_LEN);
	p = memmem(out + 240, n - 240, "\x79", 1);
	assert_non_null(p);
	/* The two routes, then the default route via the router (0, 10.1.0.1): 6 + 8 + 5 */
	assert_memory_equal(p, "\x79\x13", 2);
	assert_memory_equal(p + 2, want, sizeof(want));
	assert_memory_equal(p + 16, "\x00\x0a\x01\x00\x01", 5);
	/* Not asked for: not sent. */
	assert_null(memmem(out + 240, n - 240, "\x06\x04", 2));
}

static void
build_nak_and_destinations(void **state)
{
	const uint8_t o[] = {53, 1, 3, 50, 4, 10, 9, 9, 9, 255};
	uint8_t b[512], out[1500];
	struct dhcp_request req;
	struct dhcp_reply r = {.msg_type = DHCP_NAK,
		.server_id = IP(10, 1, 0, 1),
		.message = "address not on this network"};
	size_t n;

	assert_int_equal(vxg_dhcp_parse(b, msg(b, 1, &MAC1, 0, o, sizeof(o)), &req), DHCP_PARSE_OK);
	n = vxg_dhcp_build(&req, &r, out, sizeof(out));
	assert_int_equal(n, DHCP_MIN_LEN);
	assert_memory_equal(out + 16, "\0\0\0\0", 4);
	assert_memory_equal(out + 240, "\x35\x01\x06\x36\x04\x0a\x01\x00\x01\x38\x1b", 11);
	assert_memory_equal(out + 251, "address not on this network\xff", 28);
	assert_int_equal(vxg_dhcp_dest(&req, &r), DHCP_DEST_BROADCAST);
	r.msg_type = DHCP_ACK;
	assert_int_equal(vxg_dhcp_dest(&req, &r), DHCP_DEST_YIADDR);
	req.flags = DHCP_FLAG_BROADCAST;
	assert_int_equal(vxg_dhcp_dest(&req, &r), DHCP_DEST_BROADCAST);
	req.ciaddr = IP(10, 1, 0, 100);
	assert_int_equal(vxg_dhcp_dest(&req, &r), DHCP_DEST_CIADDR);
	req.giaddr = IP(10, 1, 0, 254);
	assert_int_equal(vxg_dhcp_dest(&req, &r), DHCP_DEST_RELAY);
}

/* RFC 2132 5.1, option 26: an MTU below Ethernet's goes to every client (as Neutron sends
 * it), asked for or not; 1500 and above only to those that ask, once. */
static void
build_mtu_unasked(void **state)
{
	const uint8_t unasked[] = {53, 1, 1, 55, 2, 1, 3, 255};
	const uint8_t asked[] = {53, 1, 1, 55, 3, 1, 3, 26, 255};
	const uint16_t mtus[] = {1450, 1500, 9000, 1400};
	const bool sent_unasked[] = {true, false, false, true};
	uint8_t b[512], out[1500];
	struct dhcp_request req, req_asked;
	struct dhcp_reply r = web_reply();

	assert_int_equal(vxg_dhcp_parse(b, msg(b, 1, &MAC1, 0, unasked, sizeof(unasked)), &req),
		DHCP_PARSE_OK);
	assert_int_equal(vxg_dhcp_parse(b, msg(b, 1, &MAC1, 0, asked, sizeof(asked)), &req_asked),
		DHCP_PARSE_OK);
	for (unsigned i = 0; i < 2 * RTE_DIM(mtus); i++) {
		uint16_t mtu = mtus[i / 2];
		uint8_t want[4] = {26, 2, mtu >> 8, mtu & 0xff}, *p;
		size_t n;

		r.msg_type = i % 2 ? DHCP_ACK : DHCP_OFFER;
		r.yiaddr = IP(10, 1, 0, 100);
		r.mtu = mtu;
		n = vxg_dhcp_build(&req, &r, out, sizeof(out));
		assert_true(n >= DHCP_MIN_LEN);
		assert_int_equal(memmem(out + 240, n - 240, want, 4) != NULL, sent_unasked[i / 2]);
		n = vxg_dhcp_build(&req_asked, &r, out, sizeof(out));
		p = memmem(out + 240, n - 240, want, 4);
		assert_non_null(p);
		assert_null(memmem(p + 4, (size_t)(out + n - p - 4), want, 4)); /* once */
	}
}

/* A client's option 57 caps the reply; below what is needed, nothing is built. */
static void
build_respects_max_size(void **state)
{
	uint8_t out[1500];
	struct dhcp_request req = {.max_size = 576, .msg_type = DHCP_DISCOVER};
	struct dhcp_reply r = web_reply();

	r.msg_type = DHCP_OFFER;
	r.n_routes = DHCP_ROUTES_MAX;
	assert_true(vxg_dhcp_build(&req, &r, out, sizeof(out)) <= 576 - 28);
	assert_int_equal(vxg_dhcp_build(&req, &r, out, 299), 0);
}

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
		cmocka_unit_test(parse_udhcpc_discover),
		cmocka_unit_test(parse_request_selecting),
		cmocka_unit_test(parse_overload),
		cmocka_unit_test(parse_malformed),
		cmocka_unit_test(parse_fuzz),
		cmocka_unit_test(build_offer_exact),
		cmocka_unit_test(build_classless_routes),
		cmocka_unit_test(build_nak_and_destinations),
		cmocka_unit_test(build_mtu_unasked),
		cmocka_unit_test(build_respects_max_size),
		cmocka_unit_test(server_fixed_port),
		cmocka_unit_test(server_pool),
		cmocka_unit_test(server_request_states),
		cmocka_unit_test(lease_file_round_trip),
		cmocka_unit_test(server_big_pool),
		cmocka_unit_test(lease_file_hostname_token),
		cmocka_unit_test(lease_file_replaced_whole),
		cmocka_unit_test(server_big_lease_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
