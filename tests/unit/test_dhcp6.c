/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv6 (control/dhcp6): the codec on built and malformed messages, the server's
 * decisions through a whole exchange (Solicit, Request, Renew, Release, Decline, Confirm,
 * Information-request), and the lease file and DUID kept across a restart.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dhcp6/dhcp6_codec.h"
#include "dhcp6/dhcp6_server.h"

static const struct rte_ether_addr vm1 = {{0x02, 0, 0, 0, 0, 0x11}};
static const struct rte_ether_addr vm9 = {{0x02, 0, 0, 0, 0, 0x99}};
static const struct dhcp6_duid server = {14, {0, 1, 0, 1, 1, 2, 3, 4, 2, 0, 0, 0xaa, 0, 1}};

/* A client message: type, DUID-LL of mac, an IA_NA (iaid 7) with `addr` if given, a
 * server id if `to` is set, rapid commit if asked. */
static size_t
msg(uint8_t *b, uint8_t type, const struct rte_ether_addr *mac, const struct vxg_ip6 *addr,
	const struct dhcp6_duid *to, bool rapid)
{
	size_t at = 4;

	b[0] = type, b[1] = 1, b[2] = 2, b[3] = 3;
	memcpy(b + at, "\x00\x01\x00\x0a\x00\x03\x00\x01", 8);
	memcpy(b + at + 8, mac->addr_bytes, 6);
	at += 14;
	if (to != NULL) {
		b[at] = 0, b[at + 1] = 2, b[at + 2] = 0, b[at + 3] = (uint8_t)to->len;
		memcpy(b + at + 4, to->b, to->len);
		at += 4 + to->len;
	}
	if (rapid) {
		memcpy(b + at, "\x00\x0e\x00\x00", 4);
		at += 4;
	}
	if (type == DHCP6_INFO_REQUEST)
		return at;
	memcpy(b + at, "\x00\x03\x00", 3);
	b[at + 3] = addr ? 12 + 28 : 12;
	memset(b + at + 4, 0, 12);
	b[at + 7] = 7;
	at += 16;
	if (addr != NULL) {
		memcpy(b + at, "\x00\x05\x00\x18", 4);
		memcpy(b + at + 4, addr->a, 16);
		memset(b + at + 20, 0, 8);
		at += 28;
	}
	return at;
}

static void
codec_malformed(void **state)
{
	uint8_t b[256];
	struct dhcp6_msg m;
	size_t len = msg(b, DHCP6_SOLICIT, &vm1, NULL, NULL, false);

	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_PARSE_OK);
	assert_true(m.has_ia);
	assert_int_equal(m.iaid, 7);
	assert_int_equal(vxg_dhcp6_parse(b, 3, &m), DHCP6_ERR_too_short);
	assert_int_equal(vxg_dhcp6_parse(b, len - 1, &m), DHCP6_ERR_option_truncated);
	b[0] = DHCP6_REPLY;
	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_ERR_not_client);
	len = msg(b, DHCP6_SOLICIT, &vm1, NULL, &server, false);
	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_ERR_unexpected_server_id);
	len = msg(b, DHCP6_REQUEST, &vm1, NULL, NULL, false);
	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_ERR_missing_server_id);
	len = msg(b, DHCP6_SOLICIT, &vm1, NULL, NULL, false);
	b[4 + 14 + 3] = 8; /* IA_NA shorter than IAID, T1, T2 */
	assert_int_equal(vxg_dhcp6_parse(b, len - 4, &m), DHCP6_ERR_bad_ia);
	b[7] = 0; /* client id of length 0 */
	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_ERR_bad_duid);
}

/* A stateful network: vm1 declared with a fixed address, a range of 4. */
static struct vxg_network_cfg net;
static struct vxg_port_cfg port;
static struct vxg_vpc_cfg vpc;

static void
net_make(struct dhcp6_net *n)
{
	memset(&net, 0, sizeof(net));
	snprintf(net.name, sizeof(net.name), "web");
	net.ip6.enabled = true;
	net.ip6.mode = VXG_IP6_DHCP_STATEFUL;
	net.ip6.cidr.addr = (struct vxg_ip6){{0x20, 0x01, 0x0d, 0xb8, 0, 1}};
	net.ip6.cidr.len = 64;
	net.ip6.gateway = net.ip6.cidr.addr;
	net.ip6.gateway.a[15] = 1;
	net.ip6.range_start = net.ip6.range_end = net.ip6.cidr.addr;
	net.ip6.range_start.a[14] = 1;
	net.ip6.range_end.a[14] = 1, net.ip6.range_end.a[15] = 3;
	net.ip6.lease = 3600;
	net.ip6.n_dns = 1;
	net.ip6.dns[0] = net.ip6.gateway;
	snprintf(net.ip6.domain, sizeof(net.ip6.domain), "blue.example");
	memset(&port, 0, sizeof(port));
	port.mac = vm1;
	port.ip6s[0] = net.ip6.cidr.addr;
	port.ip6s[0].a[15] = 0x11;
	port.n_ip6s = 1;
	memset(&vpc, 0, sizeof(vpc));
	snprintf(vpc.name, sizeof(vpc.name), "blue");
	vpc.networks = &net;
	vpc.n_networks = 1;
	vpc.ports = &port;
	vpc.n_ports = 1;
	assert_int_equal(vxg_dhcp6_net_init(n, &vpc, 0), 0);
	assert_int_equal(n->n_leases, 4);
}

static bool
ask(struct dhcp6_net *n, const uint8_t *b, size_t len, const struct rte_ether_addr *src, time_t now,
	struct dhcp6_reply *r)
{
	struct dhcp6_msg m;
	enum dhcp6_silence why;
	uint8_t out[DHCP6_MSG_MAX];

	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_PARSE_OK);
	if (!vxg_dhcp6_handle(n, &m, src, &server, now, r, &why))
		return false;
	assert_true(vxg_dhcp6_build(r, out, sizeof(out)) > 0);
	return true;
}

static void
server_exchange(void **state)
{
	struct dhcp6_net n;
	struct dhcp6_reply r;
	uint8_t b[256];
	size_t len;
	struct vxg_ip6 got;

	net_make(&n);
	/* The declared port: its fixed address, from its MAC. */
	len = msg(b, DHCP6_SOLICIT, &vm1, NULL, NULL, false);
	assert_true(ask(&n, b, len, &vm1, 100, &r));
	assert_int_equal(r.type, DHCP6_ADVERTISE);
	assert_int_equal(r.n_addrs, 1);
	assert_memory_equal(r.addrs[0].a, port.ip6s[0].a, 16);
	assert_int_equal(r.t1, 1800);
	assert_int_equal(r.n_dns, 1);
	assert_int_equal(n.fixed[0].held.state, DHCP6_FREE); /* advertised, not held yet */
	/* A Request binds it to the client (show dhcp6 leases), a Release lets it go. */
	len = msg(b, DHCP6_REQUEST, &vm1, NULL, &server, false);
	assert_true(ask(&n, b, len, &vm1, 100, &r));
	assert_memory_equal(r.addrs[0].a, port.ip6s[0].a, 16);
	assert_int_equal(n.fixed[0].held.state, DHCP6_BOUND);
	assert_int_equal(n.fixed[0].held.expires, 100 + 3600);
	len = msg(b, DHCP6_RELEASE, &vm1, &port.ip6s[0], &server, false);
	assert_true(ask(&n, b, len, &vm1, 101, &r));
	assert_int_equal(n.fixed[0].held.state, DHCP6_FREE);
	/* Another client: the range's first, Advertise then Request binds it. */
	len = msg(b, DHCP6_SOLICIT, &vm9, NULL, NULL, false);
	assert_true(ask(&n, b, len, &vm9, 100, &r));
	got = r.addrs[0];
	assert_int_equal(got.a[14], 1);
	assert_int_equal(got.a[15], 0);
	assert_int_equal(n.leases[0].state, DHCP6_OFFERED);
	len = msg(b, DHCP6_REQUEST, &vm9, NULL, &server, false);
	assert_true(ask(&n, b, len, &vm9, 101, &r));
	assert_int_equal(r.type, DHCP6_REPLY);
	assert_memory_equal(r.addrs[0].a, got.a, 16);
	assert_int_equal(n.leases[0].state, DHCP6_BOUND);
	/* Renew keeps it; Release frees it; Renew then finds no binding. */
	len = msg(b, DHCP6_RENEW, &vm9, &got, &server, false);
	assert_true(ask(&n, b, len, &vm9, 2000, &r));
	assert_int_equal(r.valid[0], 3600);
	assert_int_equal(n.leases[0].expires, 2000 + 3600);
	len = msg(b, DHCP6_RELEASE, &vm9, &got, &server, false);
	assert_true(ask(&n, b, len, &vm9, 2001, &r));
	assert_int_equal(r.status, DHCP6_SUCCESS);
	assert_int_equal(n.leases[0].state, DHCP6_FREE);
	len = msg(b, DHCP6_RENEW, &vm9, &got, &server, false);
	assert_true(ask(&n, b, len, &vm9, 2002, &r));
	assert_int_equal(r.ia_status, DHCP6_NO_BINDING);
	/* Rapid commit binds at once; Decline quarantines. */
	len = msg(b, DHCP6_SOLICIT, &vm9, NULL, NULL, true);
	assert_true(ask(&n, b, len, &vm9, 2003, &r));
	assert_int_equal(r.type, DHCP6_REPLY);
	assert_true(r.rapid_commit);
	assert_int_equal(n.leases[0].state, DHCP6_BOUND);
	len = msg(b, DHCP6_DECLINE, &vm9, &got, &server, false);
	assert_true(ask(&n, b, len, &vm9, 2004, &r));
	assert_int_equal(n.leases[0].state, DHCP6_DECLINED);
	vxg_dhcp6_net_fini(&n);
}

static void
server_confirm_info_other(void **state)
{
	struct dhcp6_net n;
	struct dhcp6_reply r;
	struct dhcp6_msg m;
	enum dhcp6_silence why;
	struct dhcp6_duid other = server;
	struct vxg_ip6 off = {{0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 5}};
	uint8_t b[256];
	size_t len;

	net_make(&n);
	len = msg(b, DHCP6_CONFIRM, &vm9, &off, NULL, false);
	assert_true(ask(&n, b, len, &vm9, 1, &r));
	assert_int_equal(r.status, DHCP6_NOT_ON_LINK);
	len = msg(b, DHCP6_CONFIRM, &vm9, &port.ip6s[0], NULL, false);
	assert_true(ask(&n, b, len, &vm9, 1, &r));
	assert_int_equal(r.status, DHCP6_SUCCESS);
	len = msg(b, DHCP6_INFO_REQUEST, &vm9, NULL, NULL, false);
	assert_true(ask(&n, b, len, &vm9, 1, &r));
	assert_false(r.has_ia);
	assert_int_equal(r.domains_len, 14);
	other.b[13] ^= 1;
	len = msg(b, DHCP6_REQUEST, &vm9, NULL, &other, false);
	assert_int_equal(vxg_dhcp6_parse(b, len, &m), DHCP6_PARSE_OK);
	assert_false(vxg_dhcp6_handle(&n, &m, &vm9, &server, 1, &r, &why));
	assert_int_equal(why, DHCP6_SILENT_NOT_FOR_US);
	/* A full pool: NoAddrsAvail. */
	for (unsigned i = 0; i < 4; i++)
		n.leases[i] = (struct dhcp6_lease){.state = DHCP6_BOUND, .expires = 1000};
	len = msg(b, DHCP6_SOLICIT, &vm9, NULL, NULL, false);
	assert_true(ask(&n, b, len, &vm9, 2, &r));
	assert_int_equal(r.status, DHCP6_NO_ADDRS_AVAIL);
	vxg_dhcp6_net_fini(&n);
}

static void
store_across_restart(void **state)
{
	char dir[] = "/tmp/vxg-test-dhcp6.XXXXXX", path[128], duid_path[128];
	struct dhcp6_net n, n2;
	struct dhcp6_duid d1, d2;
	struct vxg_ip6 ip;
	struct dhcp6_duid c = {10, {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x99}};

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dhcp6.leases", dir);
	snprintf(duid_path, sizeof(duid_path), "%s/dhcp6.duid", dir);
	assert_int_equal(vxg_dhcp6_duid_load(&d1, duid_path, &vm1, 1000000000), 0);
	assert_int_equal(vxg_dhcp6_duid_load(&d2, duid_path, &vm9, 1000000999), 0);
	assert_int_equal(d1.len, 14);
	assert_memory_equal(d1.b, d2.b, 14);
	net_make(&n);
	vxg_dhcp6_slot_ip(&n, 2, &ip);
	assert_true(vxg_dhcp6_lease_restore(&n, &ip, &c, 7, 5000, 100));
	assert_int_equal(vxg_dhcp6_leases_save(&n, 1, path), 0);
	net_make(&n2);
	assert_int_equal(vxg_dhcp6_leases_load(&n2, 1, path, 100), 0);
	assert_int_equal(n2.leases[2].state, DHCP6_BOUND);
	assert_int_equal(n2.leases[2].iaid, 7);
	assert_int_equal(n2.leases[2].expires, 5000);
	assert_memory_equal(n2.leases[2].duid.b, c.b, 10);
	vxg_dhcp6_net_fini(&n);
	vxg_dhcp6_net_fini(&n2);
	unlink(path);
	unlink(duid_path);
	rmdir(dir);
}

/* A DUID file or lease line whose DUID is not all hex digits is not taken: sscanf's %2x
 * took "0\b", " 1", "+f" and "0x" as hex and gave a DUID that was not the file's. */
static void
store_hex_strict(void **state)
{
	static const char *const bad[] = {"000100012a000\b", "0001 1", "0001+f", "00010x", "0g"};
	char dir[] = "/tmp/vxg-test-dhcp6.XXXXXX", path[128], a[INET6_ADDRSTRLEN];
	struct dhcp6_duid d;
	struct dhcp6_net n;
	struct vxg_ip6 ip;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dhcp6.duid", dir);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(f = fopen(path, "w"));
		fprintf(f, "%s\n", bad[i]);
		fclose(f);
		assert_int_equal(vxg_dhcp6_duid_load(&d, path, &vm1, 1000000000), 0);
		assert_int_equal(d.len, 14); /* a new DUID-LLT of vm1, not the file's bytes */
		assert_memory_equal(d.b + 8, vm1.addr_bytes, 6);
	}
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "0003000102000000AbcD\n");
	fclose(f);
	assert_int_equal(vxg_dhcp6_duid_load(&d, path, &vm1, 1000000000), 0);
	assert_int_equal(d.len, 10);
	assert_memory_equal(d.b, "\x00\x03\x00\x01\x02\x00\x00\x00\xab\xcd", 10);
	snprintf(path, sizeof(path), "%s/dhcp6.leases", dir);
	net_make(&n);
	assert_non_null(f = fopen(path, "w"));
	vxg_dhcp6_slot_ip(&n, 1, &ip);
	inet_ntop(AF_INET6, ip.a, a, sizeof(a));
	fprintf(f, "%s 00030001+2000000000 7 %s 5000\n", n.name, a);
	vxg_dhcp6_slot_ip(&n, 2, &ip);
	inet_ntop(AF_INET6, ip.a, a, sizeof(a));
	fprintf(f, "%s 00030001020000000000 7 %s 5000\n", n.name, a);
	fclose(f);
	assert_int_equal(vxg_dhcp6_leases_load(&n, 1, path, 100), 0);
	assert_int_equal(n.leases[1].state, DHCP6_FREE);
	assert_int_equal(n.leases[2].state, DHCP6_BOUND);
	vxg_dhcp6_net_fini(&n);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dhcp6.duid", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codec_malformed),
		cmocka_unit_test(server_exchange),
		cmocka_unit_test(server_confirm_info_other),
		cmocka_unit_test(store_across_restart),
		cmocka_unit_test(store_hex_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
