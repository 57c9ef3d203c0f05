/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer: the DHCPv6 service (dhcp6/dhcp6_service.h) on punted frames, the codec under it
 * (dhcp6/dhcp6_codec.h) on bare messages, and the server's state files (dhcp6.leases and
 * dhcp6.duid), for the dual-stack networks of vxgate-fuzz6.yaml (a stateful range with
 * fixed addresses, a stateless network, fixed addresses alone, an IPv4-only network).
 *
 * An input is up to MAX_MSGS messages separated by FZ_SEP, all to one fresh service, so
 * that a Solicit, Request, Renew, Release sequence runs as one input. A message's first
 * byte: bits 0-1 the network (db, app, web, bare), bits 2-3 what the rest is (0: a DHCPv6
 * message in a frame to ff02::1:2; 1: the whole frame; 2: a message in a frame to the
 * network's gateway; 3: a state file, loaded by a service of its own: the lease file, or
 * the DUID with bit 0 set), bits 4-7 how far the clock moves first. A frame comes from the
 * MAC its client DUID carries (a DUID-LL or DUID-LLT), so that declared ports are found.
 *
 * What must hold: every reply is a sound frame from the gateway's link-local address to the
 * client, whose message has the request's transaction id, client DUID and this server's
 * DUID; what the codec parses, it answers with every option, and that parses back to the
 * same client, IAID and addresses; a reload into the same config keeps every live lease; a
 * state file read, saved and read again gives the same leases and DUID.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "config/fields.h"
#include "dhcp6/dhcp6_codec.h"
#include "dhcp6/dhcp6_service.h"
#include "vxg_meta.h"

#include "fuzz_daemon.h"

#define MAX_MSGS 16
#define HDRS (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr) + sizeof(struct rte_udp_hdr))
/* 2026-01-01 00:00 UTC: the server's DUID-LLT (of db's gateway MAC) is made at this time,
 * so that a seed's Request names it (make-corpus.py computes the same DUID). */
#define T0 1767225600

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vxg_config *cfg, *cfg_reload;
static struct rte_mempool *pool;
static char state_dir[64];

/* db, app, web, bare (IPv4 only), and their gateways' global addresses. */
static const uint32_t vnis[4] = {200, 300, 100, 250};
static const uint8_t gw_net[4] = {2, 3, 1, 5};
static const struct rte_ether_addr client_mac = {{0x02, 0, 0x0a, 0x02, 0, 0x77}};
/* Seconds the clock moves before a message: around the advertise hold (60), web's lease
 * (60), db's T1 and lease (300, 600), the decline hold (600), a day. */
static const uint32_t steps[16] = {
	0, 0, 1, 2, 5, 30, 59, 60, 61, 299, 300, 301, 599, 601, 3600, 86400};

static void
cleanup(void)
{
	static const char *const files[] = {"dhcp6.leases", "dhcp6.duid"};
	char path[128];

	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", state_dir, files[i]);
		unlink(path);
	}
	rmdir(state_dir);
}

static void
load(const char *name, struct vxg_config **c)
{
	char err[4096];

	if (vxg_config_load(name, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", name, err);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_eal_init();
	load(VXG_FUZZ_DIR "/vxgate-fuzz6.yaml", &cfg);
	load(VXG_FUZZ_DIR "/vxgate-fuzz6-reload.yaml", &cfg_reload);
	pool = rte_pktmbuf_pool_create(
		"fz_dhcp6", 1024, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	snprintf(state_dir, sizeof(state_dir), "/tmp/vxg-fuzz-dhcp6.XXXXXX");
	if (pool == NULL || mkdtemp(state_dir) == NULL)
		abort();
	atexit(cleanup);
	return 0;
}

static void bad(const char *why) __attribute__((noreturn));

static void
bad(const char *why)
{
	fprintf(stderr, "fuzz: DHCPv6: %s\n", why);
	abort();
}

static bool
duid_eq(const struct dhcp6_duid *a, const struct dhcp6_duid *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* The MAC the message's client DUID carries, else client_mac. */
static struct rte_ether_addr
source_mac(const uint8_t *p, size_t len)
{
	struct rte_ether_addr mac = client_mac;
	struct dhcp6_msg m;

	if (vxg_dhcp6_parse(p, len, &m) == DHCP6_PARSE_OK)
		vxg_dhcp6_duid_mac(&m.client_id, mac.addr_bytes);
	return mac;
}

/* A frame around the DHCPv6 message p: from the client's link-local address to ff02::1:2
 * (33:33:00:01:00:02) or, unicast, to the network's gateway. */
static uint16_t
wrap(uint8_t *f, size_t cap, const uint8_t *p, size_t len, bool unicast, unsigned net)
{
	static const uint8_t all_agents[16] = {0xff, 0x02, [13] = 1, [15] = 2};
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct vxg_ip6 ll;

	len = RTE_MIN(len, cap - HDRS);
	memset(f, 0, HDRS);
	eth->src_addr = source_mac(p, len);
	eth->dst_addr = (struct rte_ether_addr){{0x33, 0x33, 0, 1, 0, 2}};
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 1;
	ll = vxg_ip6_link_local(&eth->src_addr);
	memcpy(ip->src_addr, ll.a, 16);
	memcpy(ip->dst_addr, all_agents, 16);
	if (unicast) { /* 2001:db8:N::1 */
		static const uint8_t gw[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};

		memcpy(ip->dst_addr, gw, 16);
		ip->dst_addr[5] = gw_net[net];
		eth->dst_addr = (struct rte_ether_addr){
			{0x02, 0x76, 0x78, 0, vnis[net] >> 8, vnis[net] & 0xff}};
	}
	udp->src_port = RTE_BE16(VXG_DHCP6_CLIENT_PORT);
	udp->dst_port = RTE_BE16(VXG_DHCP6_SERVER_PORT);
	udp->dgram_len = ip->payload_len;
	memcpy(udp + 1, p, len);
	udp->dgram_cksum = rte_ipv6_udptcp_cksum(ip, udp);
	return (uint16_t)(HDRS + len);
}

/* A reply's message, its type turned into an Information-request (which needs no option),
 * parsed: the request's transaction id and client, this server. */
static void
check_message(uint8_t *msg, size_t len, const struct dhcp6_msg *req, const struct dhcp6_duid *srv)
{
	struct dhcp6_msg m;

	if (len < 4 || len > DHCP6_MSG_MAX || (msg[0] != DHCP6_ADVERTISE && msg[0] != DHCP6_REPLY))
		bad("reply length or type");
	if (msg[0] == DHCP6_ADVERTISE && req->type != DHCP6_SOLICIT)
		bad("an Advertise to a message other than Solicit");
	msg[0] = DHCP6_INFO_REQUEST;
	if (vxg_dhcp6_parse(msg, len, &m) != DHCP6_PARSE_OK)
		bad("the reply does not parse");
	if (memcmp(m.xid, req->xid, 3) != 0 || !duid_eq(&m.client_id, &req->client_id) ||
		!duid_eq(&m.server_id, srv))
		bad("the reply's transaction id, client or server");
	if (req->has_ia && m.has_ia && m.iaid != req->iaid)
		bad("the reply's IAID is not the request's");
}

/* The reply frame over the request (a copy in req_frame): from the gateway's MAC and
 * link-local address to the client's, port 547 to the client's, lengths and checksum. */
static void
check_reply(const struct vxg_dhcp6_service *s, unsigned net, struct rte_mbuf *m,
	const uint8_t *req_frame)
{
	const struct dhcp6_svc_net *sn = vxg_dhcp6_net_of((struct vxg_dhcp6_service *)s, vnis[net]);
	const struct rte_ipv6_hdr *rip =
		(const struct rte_ipv6_hdr *)(req_frame + RTE_ETHER_HDR_LEN);
	const struct rte_udp_hdr *rudp = (const struct rte_udp_hdr *)(rip + 1);
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct dhcp6_msg req;

	if (sn == NULL || m->data_len != m->pkt_len || m->pkt_len < HDRS)
		bad("a reply from no network, or too short");
	if (rte_be_to_cpu_16(ip->payload_len) != m->pkt_len - RTE_ETHER_HDR_LEN - sizeof(*ip) ||
		udp->dgram_len != ip->payload_len || rte_ipv6_udptcp_cksum_verify(ip, udp) != 0)
		bad("IPv6 or UDP length, or UDP checksum");
	if (!rte_is_same_ether_addr(&eth->src_addr, &sn->gw_mac) ||
		!rte_is_same_ether_addr(
			&eth->dst_addr, &((const struct rte_ether_hdr *)req_frame)->src_addr) ||
		memcmp(ip->src_addr, sn->gw_ll.a, 16) != 0 ||
		memcmp(ip->dst_addr, rip->src_addr, 16) != 0 ||
		udp->src_port != RTE_BE16(VXG_DHCP6_SERVER_PORT) || udp->dst_port != rudp->src_port)
		bad("the reply's addresses or ports");
	if (vxg_dhcp6_parse((const uint8_t *)(rudp + 1),
		    rte_be_to_cpu_16(rudp->dgram_len) - sizeof(*rudp), &req) != DHCP6_PARSE_OK)
		bad("a reply to a message that does not parse");
	check_message(p + HDRS, m->pkt_len - HDRS, &req, &s->duid);
}

/* The codec alone: what it parses, it answers with every option, and that parses back. */
static void
codec(const uint8_t *p, size_t len)
{
	static const struct dhcp6_duid srv = {14, {0, 1, 0, 1, 1, 2, 3, 4, 2, 0, 0, 0xaa, 0, 1}};
	uint8_t out[DHCP6_MSG_MAX];
	struct dhcp6_reply r = {.type = DHCP6_REPLY,
		.server_id = srv,
		.rapid_commit = true,
		.status = DHCP6_SUCCESS,
		.has_ia = true,
		.t1 = 300,
		.t2 = 480,
		.ia_status = DHCP6_NO_BINDING,
		.n_addrs = DHCP6_IA_ADDRS,
		.n_dns = VXG_DNS_MAX,
		.domains = "\x02"
			   "db\x07"
			   "example",
		.domains_len = 12};
	struct dhcp6_msg m, back;
	size_t n;

	if (vxg_dhcp6_parse(p, len, &m) != DHCP6_PARSE_OK)
		return;
	memcpy(r.xid, m.xid, 3);
	r.client_id = m.client_id;
	r.iaid = m.iaid;
	for (unsigned i = 0; i < DHCP6_IA_ADDRS; i++) {
		r.addrs[i] = m.ia_addrs[i];
		r.addrs[i].a[15] ^= (uint8_t)i; /* distinct even when the client sent none */
		r.valid[i] = r.preferred[i] = 600;
	}
	if ((n = vxg_dhcp6_build(&r, out, sizeof(out))) == 0)
		bad("codec: a reply with every option does not fit");
	out[0] = DHCP6_INFO_REQUEST;
	if (vxg_dhcp6_parse(out, n, &back) != DHCP6_PARSE_OK ||
		!duid_eq(&back.client_id, &m.client_id) || !duid_eq(&back.server_id, &srv) ||
		!back.has_ia || back.iaid != m.iaid || back.n_ia_addrs != DHCP6_IA_ADDRS ||
		!back.rapid_commit || memcmp(back.ia_addrs, r.addrs, sizeof(r.addrs)) != 0)
		bad("codec: the built reply does not parse back to what was put in");
}

/* Bound leases, pool and fixed, that outlive `after`. */
static unsigned
bound(const struct vxg_dhcp6_service *s, time_t after)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct dhcp6_net *dn = &s->nets[i].n;

		for (unsigned k = 0; k < dn->n_leases; k++)
			n += dn->leases[k].state == DHCP6_BOUND && dn->leases[k].expires > after;
		for (unsigned k = 0; k < dn->n_fixed; k++)
			n += dn->fixed[k].held.state == DHCP6_BOUND;
	}
	return n;
}

/* The DUID file's first line must be the DUID the server took from it, in hex. */
static void
check_duid_file(const struct dhcp6_duid *d, const char *dir)
{
	char line[2 * DHCP6_DUID_MAX + 2], want[2 * DHCP6_DUID_MAX + 1], path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/dhcp6.duid", dir);
	if ((f = fopen(path, "r")) == NULL)
		bad("no DUID file after a start");

	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	for (unsigned i = 0; i < d->len; i++)
		snprintf(want + 2 * i, 3, "%02x", d->b[i]);
	want[2 * d->len] = '\0';
	if (strcasecmp(line, want) != 0)
		bad("the DUID taken from the file is not the file's");
}

/* A state file, loaded by a service of its own, saved again and loaded once more. */
static void
state_file(const uint8_t *p, size_t len, bool duid)
{
	struct vxg_dhcp6_service *s;
	struct dhcp6_duid d[2];
	unsigned n[2];
	char path[128];
	FILE *f;

	/* The other file is gone: each input starts from what it gives. */
	snprintf(path, sizeof(path), "%s/%s", state_dir, duid ? "dhcp6.leases" : "dhcp6.duid");
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", state_dir, duid ? "dhcp6.duid" : "dhcp6.leases");
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(p, 1, len, f);
	fclose(f);
	for (int i = 0; i < 2; i++) {
		if ((s = vxg_dhcp6_service_create(cfg, state_dir, T0)) == NULL)
			abort();
		d[i] = s->duid;
		n[i] = bound(s, T0);
		vxg_dhcp6_service_show_leases(s, T0, fz_null(), i == 1);
		vxg_dhcp6_service_update(s, cfg); /* marks the file to be written */
		vxg_dhcp6_service_tick(s, T0);
		if (i == 0)
			check_duid_file(&s->duid, state_dir);
		vxg_dhcp6_service_destroy(s);
	}
	if (n[0] != n[1] || !duid_eq(&d[0], &d[1]))
		bad("the state files read back differ from what was read");
}

static void
message(struct vxg_dhcp6_service *s, const uint8_t *p, size_t len, time_t now)
{
	unsigned net = p[0] & 3, kind = (p[0] >> 2) & 3;
	uint8_t req[RTE_MBUF_DEFAULT_DATAROOM];
	struct rte_mbuf *m;
	uint8_t *f;

	if (kind == 3) {
		state_file(p + 1, len - 1, net & 1);
		return;
	}
	if ((m = rte_pktmbuf_alloc(pool)) == NULL)
		abort();
	f = rte_pktmbuf_mtod(m, uint8_t *);
	if (kind == 1) {
		len = RTE_MIN(len - 1, (size_t)rte_pktmbuf_tailroom(m));
		memcpy(f, p + 1, len);
	} else {
		len = wrap(f, rte_pktmbuf_tailroom(m), p + 1, len - 1, kind == 2, net);
		codec(p + 1, len - HDRS);
	}
	rte_pktmbuf_append(m, (uint16_t)len);
	memcpy(req, f, RTE_MIN(len, sizeof(req)));
	if (vxg_dhcp6_service_input(s, vnis[net], m, now) == 1)
		check_reply(s, net, m, req);
	rte_pktmbuf_free(m);
}

/* A reload into the same config keeps every lease that has not expired; one into another
 * and back must not fail. */
static void
reload(struct vxg_dhcp6_service *s)
{
	unsigned before = bound(s, s->last_now);

	if (vxg_dhcp6_service_update(s, cfg) < 0)
		abort();
	if (bound(s, s->last_now) != before)
		bad("a reload into the same config lost or made leases");
	if (vxg_dhcp6_service_update(s, cfg_reload) < 0 || vxg_dhcp6_service_update(s, cfg) < 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct vxg_dhcp6_service *s;
	time_t now = T0;

	if ((s = vxg_dhcp6_service_create(cfg, NULL, T0)) == NULL)
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
	vxg_dhcp6_service_tick(s, now);
	vxg_dhcp6_service_show_leases(s, now, fz_null(), false);
	vxg_dhcp6_service_show_leases(s, now, fz_null(), true);
	vxg_dhcp6_service_show_stats(s, fz_null(), size & 1);
	reload(s);
	vxg_dhcp6_service_destroy(s);
	if (rte_mempool_avail_count(pool) != pool->size)
		abort();
	return 0;
}
