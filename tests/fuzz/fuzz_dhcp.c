/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer: the DHCP service (dhcp/dhcp_service.h) on punted frames, the codec under it
 * (dhcp/dhcp_codec.h) on bare messages, and the lease file, for the DHCP networks of
 * vxgate-fuzz.yaml (a range with static hosts and options, a range alone, hosts alone).
 *
 * An input is up to MAX_MSGS messages separated by FZ_SEP, all to one fresh service, so
 * that a DISCOVER, REQUEST, RELEASE sequence runs as one input. A message's first byte:
 * bits 0-1 the network (web, db, red's web, or a network without DHCP), bits 2-3 what the
 * rest is (0: a BOOTP message, sent in a broadcast frame; 1: the whole frame; 2: a BOOTP
 * message in a frame unicast to the gateway, UDP checksummed; 3: a lease file, loaded
 * by a second service), bits 4-7 how far the clock moves first. Every reply must be a
 * sound frame whose message parses back; the codec's reply to each parsed message too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dhcp/dhcp_codec.h"
#include "dhcp/dhcp_service.h"
#include "vxg_meta.h"

#include "fuzz_daemon.h"

#define MAX_MSGS 16
#define HDRS (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vxg_config *cfg;
static struct rte_mempool *pool;
static char state_dir[64];
static time_t t0;

static const uint32_t vnis[4] = {100, 200, 300, 250};
/* Seconds the clock moves before a message: around the offer hold (60), the leases of
 * the config (60, 120), the decline hold (600), a day. */
static const uint32_t steps[16] = {
	0, 0, 1, 2, 5, 30, 59, 60, 61, 119, 120, 121, 599, 601, 3600, 86400};

static void
cleanup(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/dhcp.leases", state_dir);
	unlink(path);
	rmdir(state_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[4096];

	fz_eal_init();
	if (vxg_config_load(fz_config_path(), &cfg, err, sizeof(err)) < 0 ||
		vxg_meta_register() < 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	pool = rte_pktmbuf_pool_create(
		"fz_dhcp", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	snprintf(state_dir, sizeof(state_dir), "/tmp/vxg-fuzz-dhcp.XXXXXX");
	if (pool == NULL || mkdtemp(state_dir) == NULL)
		abort();
	atexit(cleanup);
	t0 = time(NULL);
	return 0;
}

/* A frame around the BOOTP message p: from the client's MAC (chaddr when there is one),
 * to the broadcast or (unicast) the network's gateway. */
static uint16_t
wrap(uint8_t *f, size_t cap, const uint8_t *p, size_t len, bool unicast, uint32_t vni)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	len = RTE_MIN(len, cap - HDRS);
	memset(f, 0, HDRS);
	memset(&eth->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	eth->src_addr = (struct rte_ether_addr){{0x02, 0, 0x0a, 0, 0, 0x77}};
	if (len >= 34)
		memcpy(&eth->src_addr, p + 28, RTE_ETHER_ADDR_LEN);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	/* web and db: 10.1.0.1 and 10.2.0.1; red's web: 10.1.0.1 */
	ip->dst_addr =
		unicast ? rte_cpu_to_be_32(vni == 200 ? 0x0a020001 : 0x0a010001) : UINT32_MAX;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(VXG_DHCP_CLIENT_PORT);
	udp->dst_port = RTE_BE16(VXG_DHCP_SERVER_PORT);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + len);
	memcpy(udp + 1, p, len);
	if (unicast)
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return (uint16_t)(HDRS + len);
}

static void bad_reply(const char *why) __attribute__((noreturn));

static void
bad_reply(const char *why)
{
	fprintf(stderr, "fuzz: DHCP reply: %s\n", why);
	abort();
}

/* A reply's message, its op turned into a request's, must parse up to its type (which is
 * one a server sends). */
static void
check_message(uint8_t *msg, size_t len)
{
	struct dhcp_request req;
	enum dhcp_parse_err e;

	if (len < DHCP_MIN_LEN || len > DHCP_MAX_LEN)
		bad_reply("message length out of bounds");
	msg[0] = 1;
	e = vxg_dhcp_parse(msg, len, &req);
	if (e != DHCP_ERR_bad_msg_type)
		bad_reply(vxg_dhcp_err_name(e));
}

/* The service's reply frame: consistent IPv4 and UDP headers and a sound message. */
static void
check_reply(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	if (m->data_len != m->pkt_len || m->pkt_len < HDRS)
		bad_reply("frame too short");
	if (rte_be_to_cpu_16(ip->total_length) != m->pkt_len - RTE_ETHER_HDR_LEN ||
		rte_be_to_cpu_16(udp->dgram_len) != m->pkt_len - RTE_ETHER_HDR_LEN - sizeof(*ip))
		bad_reply("IPv4 or UDP length is not the frame's");
	if (rte_raw_cksum(ip, sizeof(*ip)) != 0xffff)
		bad_reply("IPv4 checksum");
	if (rte_ipv4_udptcp_cksum_verify(ip, udp) != 0)
		bad_reply("UDP checksum");
	check_message(p + HDRS, m->pkt_len - HDRS);
}

/* The codec alone: what it parses, it answers with every option, and that parses too. */
static void
codec(const uint8_t *p, size_t len)
{
	static const struct dhcp_reply r = {.msg_type = DHCP_ACK,
		.yiaddr = 0x0a010064,
		.server_id = 0x0a010001,
		.mask = 0xffffff00,
		.router = 0x0a010001,
		.lease = 3600,
		.dns = {1, 2, 3, 4},
		.n_dns = 4,
		.domain = "a.very.long.domain.name.example",
		.mtu = 1450,
		.n_routes = DHCP_ROUTES_MAX,
		.routes = {{0xc0a80000, 16, 1}, {0xac100000, 12, 2}, {0x0a000000, 8, 3},
			{0xc6336400, 24, 4}, {0xc0000201, 32, 5}, {0xcb007100, 25, 6}}};
	uint8_t out[DHCP_MAX_LEN];
	struct dhcp_request req;
	size_t n;

	if (vxg_dhcp_parse(p, len, &req) != DHCP_PARSE_OK)
		return;
	vxg_dhcp_dest(&req, &r);
	if ((n = vxg_dhcp_build(&req, &r, out, sizeof(out))) > 0)
		check_message(out, n);
}

/* A lease file, loaded by a service of its own, saved again and loaded once more. */
static void
lease_file(const uint8_t *p, size_t len)
{
	struct vxg_dhcp_service *s;
	char path[128], err[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/dhcp.leases", state_dir);
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(p, 1, len, f);
	fclose(f);
	for (int i = 0; i < 2; i++) {
		if ((s = vxg_dhcp_service_create(cfg, state_dir, err, sizeof(err))) == NULL)
			abort();
		vxg_dhcp_service_show_leases(s, NULL, t0, fz_null(), i == 1);
		vxg_dhcp_service_update(s, cfg); /* marks the file to be written */
		vxg_dhcp_service_tick(s, t0);
		vxg_dhcp_service_destroy(s);
	}
}

static void
message(struct vxg_dhcp_service *s, const uint8_t *p, size_t len, time_t now)
{
	uint32_t vni = vnis[p[0] & 3];
	unsigned kind = (p[0] >> 2) & 3;
	struct vxg_dhcp_binding bound;
	struct rte_mbuf *m;
	uint8_t *f;

	if (kind == 3) {
		lease_file(p + 1, len - 1);
		return;
	}
	if ((m = rte_pktmbuf_alloc(pool)) == NULL)
		abort();
	f = rte_pktmbuf_mtod(m, uint8_t *);
	if (kind == 1) {
		len = RTE_MIN(len - 1, (size_t)rte_pktmbuf_tailroom(m));
		memcpy(f, p + 1, len);
	} else {
		len = wrap(f, rte_pktmbuf_tailroom(m), p + 1, len - 1, kind == 2, vni);
		codec(p + 1, len - HDRS);
	}
	rte_pktmbuf_append(m, (uint16_t)len);
	if (vxg_dhcp_service_input(s, vni, m, now, &bound) == 1)
		check_reply(m);
	rte_pktmbuf_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct vxg_dhcp_service *s;
	time_t now = t0;
	char err[256];

	if ((s = vxg_dhcp_service_create(cfg, NULL, err, sizeof(err))) == NULL)
		abort();
	for (unsigned c = 0; c < MAX_MSGS && p < end; c++) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), FZ_SEP, FZ_SEP_LEN);
		size_t len = (size_t)((sep != NULL ? sep : end) - p);

		if (len > 0) {
			now += steps[p[0] >> 4];
			message(s, p, len, now);
		}
		p += len + FZ_SEP_LEN;
	}
	vxg_dhcp_service_tick(s, now);
	vxg_dhcp_service_show_leases(s, NULL, now, fz_null(), false);
	vxg_dhcp_service_show_leases(s, "blue/web", now, fz_null(), true);
	vxg_dhcp_service_show_stats(s, fz_null(), size & 1);
	/* A reload keeps what still fits. */
	if (vxg_dhcp_service_update(s, cfg) < 0)
		abort();
	vxg_dhcp_service_destroy(s);
	if (rte_mempool_avail_count(pool) != pool->size)
		abort();
	return 0;
}
