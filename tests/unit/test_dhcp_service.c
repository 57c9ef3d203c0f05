/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP service on real mbufs: hand-built client frames in, and what a client would
 * check of the reply frame out (addresses, checksums, options); the lease file across a
 * restart and a reload; malformed frames and floods get no reply and are counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "config/model.h"
#include "dhcp/dhcp_server.h"
#include "dhcp/dhcp_service.h"

#include "ip4.h"

#define VNI_WEB 100
#define VNI_STATIC 300

static const char yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_tap0, role: underlay, address: 172.16.0.1/24, mtu: 1600}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - name: web\n"
	"        vni: 100\n"
	"        cidr: 10.1.0.0/24\n"
	"        gateway: 10.1.0.1\n"
	"        mtu: 1450\n"
	"        dhcp:\n"
	"          range: [10.1.0.100, 10.1.0.199]\n"
	"          lease: 3600\n"
	"          dns: [192.0.2.53, 192.0.2.54]\n"
	"          domain: blue.example\n"
	"          hosts:\n"
	"            - {mac: \"02:00:00:00:01:01\", ip: 10.1.0.50, hostname: db1}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}\n"
	"      - {name: static, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1, dhcp: {}}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11, "
	"location: {vtep: 172.16.0.2}}\n"
	"    routes:\n"
	"      - {prefix: 192.168.0.0/16, nexthop: 10.1.0.254}\n";

/* The same, with the range moved: a lease at .100 no longer fits. */
static const char *
yaml_moved_range(void)
{
	static char y[sizeof(yaml)];
	char *p;

	memcpy(y, yaml, sizeof(yaml));
	p = strstr(y, "10.1.0.100, 10.1.0.199");
	memcpy(p, "10.1.0.150", 10);
	return y;
}

static const struct rte_ether_addr VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr NEW1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x77}};
static const struct rte_ether_addr NEW2 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x78}};
static const struct rte_ether_addr BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
static const struct rte_ether_addr GW_MAC = {{0x02, 0x76, 0x78, 0x00, 0x00, VNI_WEB}};

static struct rte_mempool *pool;

struct fx {
	struct vxg_config *cfg;
	struct vxg_dhcp_service *s;
	char dir[64];
	time_t now;
};

static struct vxg_config *
load(const char *y)
{
	struct vxg_config *c = NULL;
	char err[2048];

	if (vxg_config_load_string("t.yaml", y, &c, err, sizeof(err)) < 0)
		fail_msg("config: %s", err);
	return c;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/vxg_dhcp_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* A state dir that does not exist yet: the service creates it. */
	strcat(f->dir, "/state");
	f->cfg = load(yaml);
	f->s = vxg_dhcp_service_create(f->cfg, f->dir, err, sizeof(err));
	assert_non_null(f->s);
	f->now = time(NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];

	vxg_dhcp_service_destroy(f->s);
	vxg_config_free(f->cfg);
	*strrchr(f->dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* ---- Client frames -------------------------------------------------------------------- */

struct client {
	const struct rte_ether_addr *mac;
	uint32_t ciaddr, src_ip, dst_ip;
	bool broadcast;
	const uint8_t *opts;
	size_t n_opts;
};

static size_t
bootp(uint8_t *b, const struct client *c)
{
	memset(b, 0, 240);
	b[0] = 1;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0xca, b[5] = 0xfe, b[6] = 0xf0, b[7] = 0x0d; /* xid */
	if (c->broadcast)
		b[10] = 0x80;
	b[12] = c->ciaddr >> 24, b[13] = c->ciaddr >> 16, b[14] = c->ciaddr >> 8;
	b[15] = c->ciaddr;
	memcpy(b + 28, c->mac->addr_bytes, 6);
	b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
	memcpy(b + 240, c->opts, c->n_opts);
	return 240 + c->n_opts; /* no padding: shorter than the reply */
}

static struct rte_mbuf *
frame(const struct client *c)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t msg[600];
	size_t n = bootp(msg, c);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 42 + n);
	assert_non_null(eth);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	eth->dst_addr = c->dst_ip == UINT32_MAX ? BCAST : GW_MAC;
	eth->src_addr = *c->mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	*ip = (struct rte_ipv4_hdr){.version_ihl = 0x45,
		.total_length = rte_cpu_to_be_16(28 + n),
		.time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = rte_cpu_to_be_32(c->src_ip),
		.dst_addr = rte_cpu_to_be_32(c->dst_ip)};
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(68);
	udp->dst_port = RTE_BE16(67);
	udp->dgram_len = rte_cpu_to_be_16(8 + n);
	memcpy(udp + 1, msg, n);
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return m;
}

static const uint8_t discover_opts[] = {53, 1, 1, 12, 3, 'v', 'm', '1', 255};
/* With a request list asking for the classless routes too. */
static const uint8_t discover_prl_opts[] = {53, 1, 1, 55, 8, 1, 3, 6, 15, 26, 51, 54, 121, 255};

static struct rte_mbuf *
discover(const struct rte_ether_addr *mac, bool broadcast)
{
	struct client c = {.mac = mac,
		.dst_ip = UINT32_MAX,
		.broadcast = broadcast,
		.opts = discover_opts,
		.n_opts = sizeof(discover_opts)};

	return frame(&c);
}

static struct rte_mbuf *
request_selecting(const struct rte_ether_addr *mac, uint32_t ip)
{
	static uint8_t o[] = {53, 1, 3, 50, 4, 0, 0, 0, 0, 54, 4, 10, 1, 0, 1, 255};
	struct client c = {.mac = mac, .dst_ip = UINT32_MAX, .opts = o, .n_opts = sizeof(o)};

	o[5] = ip >> 24, o[6] = ip >> 16, o[7] = ip >> 8, o[8] = ip;
	return frame(&c);
}

/* ---- Reading the reply ---------------------------------------------------------------- */

struct reply {
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *bootp;
	size_t len;
};

/* The facts every reply frame must have; the reply's parts. */
static struct reply
reply_of(struct rte_mbuf *m)
{
	struct reply r;

	assert_int_equal(m->nb_segs, 1);
	assert_true(rte_pktmbuf_pkt_len(m) >= 42 + DHCP_MIN_LEN);
	r.eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	r.ip = (struct rte_ipv4_hdr *)(r.eth + 1);
	r.udp = (struct rte_udp_hdr *)(r.ip + 1);
	r.bootp = (uint8_t *)(r.udp + 1);
	r.len = rte_pktmbuf_pkt_len(m) - 42;
	assert_memory_equal(&r.eth->src_addr, &GW_MAC, 6);
	assert_int_equal(r.eth->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	assert_int_equal(r.ip->version_ihl, 0x45);
	assert_int_equal(rte_be_to_cpu_16(r.ip->total_length), rte_pktmbuf_pkt_len(m) - 14);
	assert_int_equal(r.ip->time_to_live, 64);
	assert_int_equal(r.ip->fragment_offset, 0); /* DF clear */
	assert_int_equal(rte_be_to_cpu_32(r.ip->src_addr), IP(10, 1, 0, 1));
	assert_int_equal(rte_ipv4_cksum(r.ip), 0); /* summed with its checksum: valid */
	assert_int_equal(rte_be_to_cpu_16(r.udp->src_port), 67);
	assert_int_equal(rte_be_to_cpu_16(r.udp->dgram_len), 8 + r.len);
	assert_int_not_equal(r.udp->dgram_cksum, 0);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(r.ip, r.udp), 0);
	assert_int_equal(r.bootp[0], 2); /* BOOTREPLY */
	assert_memory_equal(r.bootp + 4, "\xca\xfe\xf0\x0d", 4);
	return r;
}

/* The value of option `code`, or NULL; *len its length. */
static const uint8_t *
opt(const struct reply *r, uint8_t code, uint8_t *len)
{
	size_t i = 240;

	while (i < r->len && r->bootp[i] != 255) {
		if (r->bootp[i] == 0) {
			i++;
			continue;
		}
		assert_true(i + 2 + r->bootp[i + 1] <= r->len);
		if (r->bootp[i] == code) {
			*len = r->bootp[i + 1];
			return r->bootp + i + 2;
		}
		i += 2 + r->bootp[i + 1];
	}
	return NULL;
}

static uint32_t
opt_u32(const struct reply *r, uint8_t code)
{
	uint8_t l = 0;
	const uint8_t *v = opt(r, code, &l);

	assert_non_null(v);
	assert_int_equal(l, 4);
	return (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
}

static uint8_t
msg_type(const struct reply *r)
{
	uint8_t l = 0;
	const uint8_t *v = opt(r, 53, &l);

	assert_non_null(v);
	assert_int_equal(l, 1);
	return v[0];
}

static uint32_t
yiaddr(const struct reply *r)
{
	const uint8_t *y = r->bootp + 16;

	return (uint32_t)y[0] << 24 | y[1] << 16 | y[2] << 8 | y[3];
}

/* Feed one frame; returns the input's result and frees m when there is no reply. */
static int
feed(struct fx *f, uint32_t vni, struct rte_mbuf *m, struct vxg_dhcp_binding *b)
{
	struct vxg_dhcp_binding unused;
	int rc = vxg_dhcp_service_input(f->s, vni, m, f->now, b ? b : &unused);

	if (rc == 0)
		rte_pktmbuf_free(m);
	return rc;
}

/* DISCOVER then REQUEST for what was offered; returns the bound address. */
static uint32_t
bind_client(struct fx *f, const struct rte_ether_addr *mac)
{
	struct rte_mbuf *m = discover(mac, true);
	struct vxg_dhcp_binding b;
	uint32_t ip;

	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	ip = yiaddr(&(struct reply){.bootp = rte_pktmbuf_mtod_offset(m, uint8_t *, 42)});
	rte_pktmbuf_free(m);
	m = request_selecting(mac, ip);
	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	assert_int_equal(
		msg_type(&(struct reply){.bootp = rte_pktmbuf_mtod_offset(m, uint8_t *, 42),
			.len = rte_pktmbuf_pkt_len(m) - 42}),
		DHCP_ACK);
	assert_int_equal(b.ip, ip);
	assert_memory_equal(&b.mac, mac, 6);
	rte_pktmbuf_free(m);
	return ip;
}

/* Not inlined: gcc 12 at -O3 takes the memstream's buffer for a dangling local. */
static __attribute__((noinline)) char *
capture_stats(struct fx *f, bool json)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	vxg_dhcp_service_show_stats(f->s, out, json);
	fclose(out);
	return buf;
}

static char *
capture_leases(struct fx *f, const char *net)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	vxg_dhcp_service_show_leases(f->s, net, f->now, out, false);
	fclose(out);
	return buf;
}

static void
assert_stat(struct fx *f, const char *needle)
{
	char *s = capture_stats(f, false);

	if (strstr(s, needle) == NULL)
		fail_msg("'%s' not in stats:\n%s", needle, s);
	free(s);
}

/* The total of counter `name` in `show dhcp stats` (0 when not shown). */
static unsigned long
stat_count(struct fx *f, const char *name)
{
	char *s = capture_stats(f, false), key[64], *p;
	unsigned long v = 0;

	snprintf(key, sizeof(key), " %s ", name);
	if ((p = strstr(s, key)) != NULL)
		v = strtoul(p + strlen(key), NULL, 10);
	free(s);
	return v;
}

/* ---- Tests ---------------------------------------------------------------------------- */

/* A declared port gets its fixed address, unicast to its MAC, with every option. */
static void
offer_to_declared_port(void **state)
{
	struct fx *f = *state;
	struct client c = {.mac = &VM1,
		.dst_ip = UINT32_MAX,
		.opts = discover_prl_opts,
		.n_opts = sizeof(discover_prl_opts)};
	struct rte_mbuf *m = frame(&c);
	struct vxg_dhcp_binding b;
	const uint8_t *v;
	uint8_t l = 0;
	struct reply r;

	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	assert_int_equal(b.ip, 0); /* an OFFER binds nothing */
	r = reply_of(m);
	assert_int_equal(msg_type(&r), DHCP_OFFER);
	assert_memory_equal(&r.eth->dst_addr, &VM1, 6);
	assert_int_equal(rte_be_to_cpu_32(r.ip->dst_addr), IP(10, 1, 0, 11));
	assert_int_equal(rte_be_to_cpu_16(r.udp->dst_port), 68);
	assert_int_equal(yiaddr(&r), IP(10, 1, 0, 11));
	assert_int_equal(opt_u32(&r, 1), IP(255, 255, 255, 0));
	assert_int_equal(opt_u32(&r, 3), IP(10, 1, 0, 1));
	assert_int_equal(opt_u32(&r, 51), 3600);
	assert_int_equal(opt_u32(&r, 54), IP(10, 1, 0, 1));
	v = opt(&r, 6, &l);
	assert_non_null(v);
	assert_int_equal(l, 8);
	assert_memory_equal(v, "\xc0\x00\x02\x35\xc0\x00\x02\x36", 8);
	v = opt(&r, 15, &l);
	assert_non_null(v);
	assert_int_equal(l, strlen("blue.example"));
	assert_memory_equal(v, "blue.example", l);
	v = opt(&r, 26, &l);
	assert_non_null(v);
	assert_int_equal(l, 2);
	assert_int_equal(v[0] << 8 | v[1], 1450);
	/* 192.168.0.0/16 via 10.1.0.254, then the default route via the gateway. */
	v = opt(&r, 121, &l);
	assert_non_null(v);
	assert_int_equal(l, 7 + 5);
	assert_memory_equal(v, "\x10\xc0\xa8\x0a\x01\x00\xfe\x00\x0a\x01\x00\x01", 12);
	rte_pktmbuf_free(m);
	assert_stat(f, "received: discover 1 ");
	assert_stat(f, "sent: offer 1 ");
}

/* An unknown MAC gets an address from the range, broadcast when it asks; its REQUEST is
 * ACKed and binds; a renewal is unicast to its address. */
static void
unknown_mac_bind_and_renew(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m = discover(&NEW1, true);
	uint8_t renew_opts[] = {53, 1, 3, 255};
	struct vxg_dhcp_binding b;
	struct client c;
	struct reply r;
	uint32_t ip;

	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	r = reply_of(m);
	assert_int_equal(msg_type(&r), DHCP_OFFER);
	assert_memory_equal(&r.eth->dst_addr, &BCAST, 6);
	assert_int_equal(r.ip->dst_addr, RTE_BE32(UINT32_MAX));
	ip = yiaddr(&r);
	assert_true(ip >= IP(10, 1, 0, 100) && ip <= IP(10, 1, 0, 199));
	rte_pktmbuf_free(m);

	m = request_selecting(&NEW1, ip);
	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	r = reply_of(m);
	assert_int_equal(msg_type(&r), DHCP_ACK);
	assert_int_equal(yiaddr(&r), ip);
	assert_memory_equal(&r.eth->dst_addr, &NEW1, 6); /* no broadcast flag: unicast */
	assert_int_equal(rte_be_to_cpu_32(r.ip->dst_addr), ip);
	assert_int_equal(b.ip, ip);
	assert_memory_equal(&b.mac, &NEW1, 6);
	rte_pktmbuf_free(m);

	/* RENEWING: unicast to the gateway from its address, ciaddr set. */
	c = (struct client){.mac = &NEW1,
		.ciaddr = ip,
		.src_ip = ip,
		.dst_ip = IP(10, 1, 0, 1),
		.opts = renew_opts,
		.n_opts = sizeof(renew_opts)};
	m = frame(&c);
	assert_int_equal(feed(f, VNI_WEB, m, &b), 1);
	r = reply_of(m);
	assert_int_equal(msg_type(&r), DHCP_ACK);
	assert_memory_equal(&r.eth->dst_addr, &NEW1, 6);
	assert_int_equal(rte_be_to_cpu_32(r.ip->dst_addr), ip);
	assert_int_equal(b.ip, ip);
	rte_pktmbuf_free(m);
	assert_stat(f, "sent: offer 1 ack 2 nak 0");
}

/* The lease file is written on tick, and a new service on the same dir restores it. */
static void
lease_file_survives_restart(void **state)
{
	struct fx *f = *state;
	char path[128], err[256], *txt;
	struct stat st;
	struct rte_mbuf *m;
	uint32_t ip;

	/* Another client first, so NEW1's address is not simply the first free one. */
	bind_client(f, &NEW2);
	ip = bind_client(f, &NEW1);
	snprintf(path, sizeof(path), "%s/dhcp.leases", f->dir);
	vxg_dhcp_service_tick(f->s, f->now);
	assert_int_equal(stat(path, &st), 0);
	assert_stat(f, "saved 1 times, 0 errors");

	vxg_dhcp_service_destroy(f->s);
	f->s = vxg_dhcp_service_create(f->cfg, f->dir, err, sizeof(err));
	assert_non_null(f->s);
	txt = capture_leases(f, "blue/web");
	assert_non_null(strstr(txt, "02:00:0A:01:00:77"));
	assert_non_null(strstr(txt, "bound"));
	free(txt);
	m = discover(&NEW1, false);
	assert_int_equal(feed(f, VNI_WEB, m, NULL), 1);
	assert_int_equal(
		yiaddr(&(struct reply){.bootp = rte_pktmbuf_mtod_offset(m, uint8_t *, 42)}), ip);
	rte_pktmbuf_free(m);
}

/* A reload with the same config keeps the lease; one that moves the range drops it. */
static void
update_keeps_or_drops_leases(void **state)
{
	struct fx *f = *state;
	struct vxg_config *moved = load(yaml_moved_range());
	struct vxg_config *same = load(yaml);
	struct rte_mbuf *m;
	char *txt;
	uint32_t ip = bind_client(f, &NEW1);

	assert_int_equal(ip, IP(10, 1, 0, 100));
	assert_int_equal(vxg_dhcp_service_update(f->s, same), 0);
	vxg_config_free(f->cfg);
	f->cfg = same;
	m = discover(&NEW1, false);
	assert_int_equal(feed(f, VNI_WEB, m, NULL), 1);
	assert_int_equal(
		yiaddr(&(struct reply){.bootp = rte_pktmbuf_mtod_offset(m, uint8_t *, 42)}), ip);
	rte_pktmbuf_free(m);
	assert_stat(f, "  sent: offer 2 ack 1"); /* the network's own stats, carried */

	assert_int_equal(vxg_dhcp_service_update(f->s, moved), 0);
	vxg_config_free(f->cfg);
	f->cfg = moved;
	txt = capture_leases(f, NULL);
	assert_string_equal(txt, "no leases\n");
	free(txt);
}

static void
assert_no_reply(struct fx *f, uint32_t vni, struct rte_mbuf *m, const char *counter)
{
	uint8_t before[600];
	uint32_t len = rte_pktmbuf_pkt_len(m);
	struct vxg_dhcp_binding b;

	assert_true(len <= sizeof(before));
	memcpy(before, rte_pktmbuf_mtod(m, void *), len);
	assert_int_equal(vxg_dhcp_service_input(f->s, vni, m, f->now, &b), 0);
	assert_int_equal(b.ip, 0);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_memory_equal(rte_pktmbuf_mtod(m, void *), before, len); /* untouched */
	rte_pktmbuf_free(m);
	assert_stat(f, counter);
}

static void
malformed_frames_are_counted(void **state)
{
	struct fx *f = *state;
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	m = discover(&NEW1, true);
	rte_pktmbuf_mtod_offset(m, uint8_t *, 42 + 236)[0] = 98; /* magic cookie */
	udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);
	udp->dgram_cksum = 0; /* none: not verified */
	assert_no_reply(f, VNI_WEB, m, " bad_cookie 1");

	/* The frame ends before what the IP header says. */
	m = discover(&NEW1, true);
	rte_pktmbuf_trim(m, 20);
	assert_no_reply(f, VNI_WEB, m, " bad_ip 1");

	/* UDP says more than the IP datagram holds. */
	m = discover(&NEW1, true);
	udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);
	udp->dgram_len = rte_cpu_to_be_16(rte_be_to_cpu_16(udp->dgram_len) + 10);
	assert_no_reply(f, VNI_WEB, m, " bad_udp 1");

	/* A wrong UDP checksum. */
	m = discover(&NEW1, true);
	udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);
	udp->dgram_cksum ^= 0x0101;
	assert_no_reply(f, VNI_WEB, m, " bad_udp 2");

	/* A wrong IPv4 checksum, and a fragment. */
	m = discover(&NEW1, true);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	ip->hdr_checksum ^= 0x0101;
	assert_no_reply(f, VNI_WEB, m, " bad_ip 2");
	m = discover(&NEW1, true);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	assert_no_reply(f, VNI_WEB, m, " bad_ip 3");

	/* A network without DHCP, and one with DHCP but no range for an unknown MAC. */
	assert_no_reply(f, 200, discover(&NEW1, true), " unknown_network 1");
	assert_no_reply(f, VNI_STATIC, discover(&NEW1, true), " no_address 1");
	assert_stat(f, "sent: offer 0 ack 0 nak 0");
}

/* 100 DISCOVERs from one MAC in one second: the burst is answered, the rest counted. */
static void
rate_limit_per_client(void **state)
{
	struct fx *f = *state;
	unsigned replies = 0;
	char want[64];

	for (int i = 0; i < 100; i++) {
		struct rte_mbuf *m = discover(&NEW1, true);

		if (feed(f, VNI_WEB, m, NULL) == 1) {
			replies++;
			rte_pktmbuf_free(m);
		}
	}
	assert_int_equal(replies, VXG_DHCP_CLIENT_BURST);
	snprintf(want, sizeof(want), " rate_limited %u", 100 - VXG_DHCP_CLIENT_BURST);
	assert_stat(f, want);
	/* Another client is not held back by the first. */
	assert_int_equal(feed(f, VNI_WEB, discover(&NEW2, true), NULL), 1);
	/* A second later, the client has its rate again. */
	f->now++;
	replies = 0;
	for (int i = 0; i < 100; i++) {
		struct rte_mbuf *m = discover(&NEW1, true);

		if (feed(f, VNI_WEB, m, NULL) == 1) {
			replies++;
			rte_pktmbuf_free(m);
		}
	}
	assert_int_equal(replies, VXG_DHCP_CLIENT_RATE);
}

/* Replies to n DISCOVERs from mac. */
static unsigned
discovers(struct fx *f, const struct rte_ether_addr *mac, unsigned n)
{
	unsigned replies = 0;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = discover(mac, true);

		if (feed(f, VNI_WEB, m, NULL) == 1) {
			replies++;
			rte_pktmbuf_free(m);
		}
	}
	return replies;
}

/* Reload the fixture's config with dataplane.dhcp_client_rate `rate`. */
static void
reload_client_rate(struct fx *f, uint32_t rate)
{
	struct vxg_config *c = load(yaml);

	c->dataplane.dhcp_client_rate = rate;
	assert_int_equal(vxg_dhcp_service_update(f->s, c), 0);
	vxg_config_free(f->cfg);
	f->cfg = c;
}

/* dataplane.dhcp_client_rate sets the per-client limit, 0 none; a reload applies it. */
static void
rate_limit_configured(void **state)
{
	struct fx *f = *state;

	assert_int_equal(discovers(f, &NEW1, 100), VXG_DHCP_CLIENT_BURST);
	reload_client_rate(f, 0);
	assert_int_equal(discovers(f, &NEW1, 100), 100);
	reload_client_rate(f, 5);
	assert_int_equal(discovers(f, &NEW1, 100), 10);
	f->now++;
	assert_int_equal(discovers(f, &NEW1, 100), 5);
}

/* The next MAC after *mac (counting in its last three bytes) in the client set `set`. */
static void
next_in_set(struct rte_ether_addr *mac, unsigned set)
{
	do {
		uint32_t c = (uint32_t)mac->addr_bytes[3] << 16 | mac->addr_bytes[4] << 8 |
			     mac->addr_bytes[5];

		c++;
		mac->addr_bytes[3] = c >> 16, mac->addr_bytes[4] = c >> 8, mac->addr_bytes[5] = c;
	} while (vxg_dhcp_client_set(mac) != set);
}

/* Two clients of one set of the client table each keep their own budget, and neither
 * MACs flooding that set nor 10000 random MACs give a busy client a fresh bucket. */
static void
rate_limit_collisions_and_floods(void **state)
{
	struct fx *f = *state;
	unsigned set = vxg_dhcp_client_set(&NEW1), full, flood = 200;
	struct rte_ether_addr b = {{0x02, 0x00, 0x0b, 0x00, 0x00, 0x00}}, c = b;
	char want[64];

	next_in_set(&b, set);
	assert_int_equal(discovers(f, &NEW1, 100), VXG_DHCP_CLIENT_BURST);
	assert_int_equal(discovers(f, &b, 100), VXG_DHCP_CLIENT_BURST);
	assert_int_equal(discovers(f, &NEW1, 1), 0);
	snprintf(want, sizeof(want), " rate_limited %u", 2 * (100 - VXG_DHCP_CLIENT_BURST) + 1);
	assert_stat(f, want);

	/* 200 new MACs in that set, in the same second: the ways left go to the first, the
	 * shared bucket for new clients serves as many more, the rest are refused. */
	c = b;
	for (unsigned i = 0; i < flood; i++) {
		next_in_set(&c, set);
		discovers(f, &c, 1);
	}
	full = flood - (VXG_DHCP_CLIENT_WAYS - 2) - VXG_DHCP_NEW_CLIENT_RATE;
	snprintf(want, sizeof(want), " client_table_full %u", full);
	assert_stat(f, want);
	srand(42);
	for (unsigned i = 0; i < 10000; i++) {
		struct rte_ether_addr r = {{0x06, rand(), rand(), rand(), rand(), rand()}};

		discovers(f, &r, 1);
	}
	assert_int_equal(discovers(f, &NEW1, 1), 0);
	assert_int_equal(discovers(f, &b, 1), 0);
	full = stat_count(f, "client_table_full"); /* some random MACs fell in the set too */

	/* A second later each has its rate back, not a fresh burst: its bucket was kept. The
	 * flood's buckets are full again, so a new MAC of the set finds a way. */
	f->now++;
	assert_int_equal(discovers(f, &NEW1, 100), VXG_DHCP_CLIENT_RATE);
	assert_int_equal(discovers(f, &b, 100), VXG_DHCP_CLIENT_RATE);
	next_in_set(&c, set);
	discovers(f, &c, 1); /* no_address: the flood took the pool, but not refused */
	assert_int_equal(stat_count(f, "client_table_full"), full);
	assert_int_equal(stat_count(f, "rate_limited"),
		2 * (100 - VXG_DHCP_CLIENT_BURST) + 3 + 2 * (100 - VXG_DHCP_CLIENT_RATE));
}

static void
networks_and_json(void **state)
{
	struct fx *f = *state;
	char *s;

	assert_true(vxg_dhcp_service_has_network(f->s, "blue/web"));
	assert_true(vxg_dhcp_service_has_network(f->s, "web"));
	assert_true(vxg_dhcp_service_has_network(f->s, "static"));
	assert_false(vxg_dhcp_service_has_network(f->s, "blue/db"));
	assert_false(vxg_dhcp_service_has_network(f->s, "red/web"));
	bind_client(f, &NEW1);
	s = capture_stats(f, true);
	assert_non_null(strstr(s, "\"lease_file_status\":\"ok\""));
	assert_non_null(strstr(s, "\"name\":\"blue/web\""));
	assert_non_null(strstr(s, "\"bound\":1"));
	assert_non_null(strstr(s, "\"pool\":100"));
	free(s);
}

/* Without a usable state dir the service runs with leases in memory. */
static void
state_dir_unusable(void **state)
{
	struct fx *f = *state;
	struct vxg_dhcp_service *s;
	char bad[128], err[256], *txt = NULL;
	size_t n = 0;
	FILE *out;

	snprintf(bad, sizeof(bad), "%s/file", f->dir);
	out = fopen(bad, "w");
	assert_non_null(out);
	fclose(out);
	strcat(bad, "/sub"); /* under a regular file: cannot be created */
	s = vxg_dhcp_service_create(f->cfg, bad, err, sizeof(err));
	assert_non_null(s);
	out = open_memstream(&txt, &n);
	vxg_dhcp_service_show_stats(s, out, false);
	fclose(out);
	assert_non_null(strstr(txt, "lease_file: error"));
	free(txt);
	vxg_dhcp_service_destroy(s);
}

int
main(int argc, char **argv)
{
	char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "128", "-l", "0", "--file-prefix",
		"vxg_test_dhcp_service", "--log-level", "error", NULL};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(offer_to_declared_port, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_mac_bind_and_renew, setup, teardown),
		cmocka_unit_test_setup_teardown(lease_file_survives_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(update_keeps_or_drops_leases, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_frames_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_limit_per_client, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_limit_configured, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_limit_collisions_and_floods, setup, teardown),
		cmocka_unit_test_setup_teardown(networks_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(state_dir_unusable, setup, teardown),
	};
	int ret;

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "test_dhcp_service: EAL init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("dhcp_svc", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (pool == NULL) {
		fprintf(stderr, "test_dhcp_service: no mbuf pool\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_mempool_free(pool);
	rte_eal_cleanup();
	return ret;
}
