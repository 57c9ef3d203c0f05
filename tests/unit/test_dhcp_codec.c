/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP codec (control/dhcp/dhcp_codec.c) on byte-exact fixtures and malformed
 * messages: clients' messages parsed, replies built.
 */
#include "dhcp_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
