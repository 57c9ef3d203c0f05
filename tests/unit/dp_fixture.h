/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A dataplane on the test's own lcore: a generation compiled from a YAML string, a real
 * FDB, a worker struct with no ports behind it (transmits stay in its tx buffers), and
 * helpers to build frames. Shared by the dataplane tests: test_vxlan.c, test_l2.c,
 * test_neigh.c, and through l3_fixture.h, sg_fixture.h and nat_fixture.h.
 */
#ifndef VXG_TEST_DP_FIXTURE_H
#define VXG_TEST_DP_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "core/gen.h"
#include "core/port.h"
#include "l2/fdb.h"
#include "l3/l3_config.h"
#include "l3/router_neigh.h"
#include "nat/nat_config.h"
#include "neigh/underlay_neigh.h"
#include "sg/sg_config.h"
#include "vxlan/vxlan_config.h"
#include "pipeline.h"
#include "vxg_gen.h"
#include "vxg_sg.h"
#include "vxg_worker.h"

/* GCC sees rte_pktmbuf_append/prepend's pointer arithmetic on buf_addr as a zero-sized
 * object once inlined, and warns about every write through it. */
#pragma GCC diagnostic ignored "-Warray-bounds"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
#pragma GCC diagnostic ignored "-Wunused-function"

/* Ports: 0 underlay, 1 `local` (access), 2 `trunk` (access). */
#define P_UP 0
#define P_LOCAL 1
#define P_TRUNK 2

/* The interfaces every dataplane fixture's config starts with: port 0 the underlay
 * (172.16.0.1/24, the remote VTEP 172.16.0.2 and the gateway as static neighbours), 1
 * `local` and 2 `trunk` (access). */
#define DP_IFACES_YAML                                                                    \
	"interfaces:\n"                                                                   \
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24,\n" \
	"     gateway: 172.16.0.254, mtu: 1600, neighbours: [{ip: 172.16.0.2, mac: "      \
	"\"02:00:ac:10:00:02\"},\n"                                                       \
	"     {ip: 172.16.0.254, mac: \"02:00:ac:10:00:fe\"}]}\n"                         \
	"  - {name: local, device: net_null1, role: access}\n"                            \
	"  - {name: trunk, device: net_null2, role: access}\n"

static const char dp_yaml[] =
	"dataplane: {limits: {fdb: %u}}\n" DP_IFACES_YAML
	"vtep: {address: 172.16.0.1, ageing: 30}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,\n"
	"         flood: [172.16.0.2, 172.16.0.3, 10.9.9.9]}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", location: {vtep: "
	"172.16.0.2}}\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:fe\", location: {interface: "
	"local}}\n"
	"      - {name: vm4, network: web, mac: \"02:00:0a:01:00:fd\", location: {interface: "
	"trunk, "
	"vlan: 7}}\n"
	"      - {name: vm5, network: db, mac: \"02:00:0a:02:00:05\", location: {interface: trunk, "
	"vlan: 8}}\n";

static const struct rte_ether_addr UL_MAC = {{0x02, 0x00, 0xac, 0x10, 0x00, 0x01}};
static const struct rte_ether_addr VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr VM3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0xfe}};
static const struct rte_ether_addr VM4 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0xfd}};

#define DP_IFS_MAX 4

struct dp {
	struct vxg_config *cfg;
	struct vxg_iface ifs[DP_IFS_MAX];
	unsigned n_ifs;
	struct vxg_fdb *fdb;
	struct vxg_l3_neigh_table *l3n;
	struct rte_ring *punt;
	struct vxg_gen *gen;
	struct vxg_worker *w;
	struct rte_mempool *pool;
};

static struct dp dp;

/*
 * Generation `id` of cfg for the ports ifs, compiled as the daemon's features build it
 * (vxlan, l3 and its IPv6 routes, sg, nat, in their order), from the tables given: fdb may
 * be NULL (no L2 forwarding), nt NULL (static neighbours only), l3n NULL (routed packets
 * find no neighbour). No conntrack or session table is attached, nor the IPv6 router
 * neighbours (l3n6: IPv6 to the router is dropped until a test sets it). same: as
 * vxg_sg_build's and vxg_l3_build's (a rebuild of the same config takes its classifiers
 * and route tables). NULL on error.
 */
static struct vxg_gen *
dp_gen_build_same(const struct vxg_config *cfg, const struct vxg_iface *ifs, unsigned n_ifs,
	uint64_t id, struct vxg_fdb *fdb, const struct vxg_neigh_table *nt,
	struct vxg_l3_neigh_table *l3n, struct vxg_gen *same)
{
	struct vxg_gen *g = vxg_gen_alloc(cfg, ifs, n_ifs, id);
	char err[256];

	if (g == NULL)
		return NULL;
	g->l3n = l3n;
	if (vxg_vxlan_build(g, cfg, ifs, fdb, nt) < 0 || vxg_l3_build(g, cfg, ifs, nt, same) < 0 ||
		vxg_l3_build6(g, cfg, ifs, same) < 0 ||
		vxg_sg_build(g, cfg, ifs, fdb, same, err, sizeof(err)) < 0 ||
		vxg_nat_build(g, cfg, err, sizeof(err)) < 0) {
		vxg_gen_free(g);
		return NULL;
	}
	return g;
}

static __rte_unused struct vxg_gen *
dp_gen_build(const struct vxg_config *cfg, const struct vxg_iface *ifs, unsigned n_ifs, uint64_t id,
	struct vxg_fdb *fdb, const struct vxg_neigh_table *nt, struct vxg_l3_neigh_table *l3n)
{
	return dp_gen_build_same(cfg, ifs, n_ifs, id, fdb, nt, l3n, NULL);
}

/* A YAML string of the tests, loaded: NULL after printing why. */
static struct vxg_config *
dp_config(const char *name, const char *yaml)
{
	struct vxg_config *cfg = NULL;
	char err[4096];

	if (vxg_config_load_string(name, yaml, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	return cfg;
}

/* The dataplane of cfg (taken over; NULL fails): its first n_ifs interfaces are ports
 * 0..n_ifs-1, the FDB holds fdb_limit MACs, the first generation is built. */
static int
dp_setup_cfg(struct vxg_config *cfg, unsigned n_ifs, unsigned fdb_limit)
{
	static unsigned seq;
	char name[32];

	memset(&dp, 0, sizeof(dp));
	if ((dp.cfg = cfg) == NULL || n_ifs > DP_IFS_MAX)
		return -1;
	dp.n_ifs = n_ifs;
	for (unsigned i = 0; i < n_ifs; i++) {
		dp.ifs[i].port_id = i;
		dp.ifs[i].role = dp.cfg->interfaces[i].role;
		dp.ifs[i].mac = UL_MAC;
		dp.ifs[i].mac.addr_bytes[5] += i;
		snprintf(dp.ifs[i].name, sizeof(dp.ifs[i].name), "%s", dp.cfg->interfaces[i].name);
	}
	snprintf(name, sizeof(name), "dp_pool%u", seq++);
	dp.pool = rte_pktmbuf_pool_create(name, 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	dp.fdb = vxg_fdb_create(fdb_limit, NULL);
	if (dp.pool == NULL || dp.fdb == NULL || vxg_fdb_sync_static(dp.fdb, dp.cfg, dp.ifs, 1) < 0)
		return -1;
	dp.l3n = vxg_l3n_create(1024, NULL);
	snprintf(name, sizeof(name), "dp_punt%u", seq);
	dp.punt = rte_ring_create(name, 1024, 0, RING_F_SC_DEQ);
	if (dp.l3n == NULL || dp.punt == NULL || vxg_meta_register() < 0 ||
		vxg_l3n_sync_static(dp.l3n, dp.cfg, 1) < 0)
		return -1;
	dp.gen = dp_gen_build(dp.cfg, dp.ifs, n_ifs, 1, dp.fdb, NULL, dp.l3n);
	dp.w = rte_zmalloc(NULL, sizeof(*dp.w), RTE_CACHE_LINE_SIZE);
	if (dp.gen == NULL || dp.w == NULL)
		return -1;
	dp.w->gen = dp.gen;
	dp.w->punt_ring = dp.punt;
	vxg_ratelimit_init(&dp.w->icmp_rl, rte_get_tsc_hz(), 1000, 100);
	vxg_ratelimit_init(
		&dp.w->host_rl, rte_get_tsc_hz(), VXG_HOST_PUNT_RATE, VXG_HOST_PUNT_BURST);
	return 0;
}

static int
dp_setup_limit(unsigned fdb_limit)
{
	char yaml[4096];

	snprintf(yaml, sizeof(yaml), dp_yaml, fdb_limit);
	return dp_setup_cfg(dp_config("dp.yaml", yaml), 3, fdb_limit);
}

static int
dp_setup(void **state)
{
	return dp_setup_limit(1024);
}

static void
dp_tx_clear(void)
{
	for (unsigned p = 0; p < dp.n_ifs; p++) {
		struct vxg_tx_buf *b = &dp.w->tx[p];

		rte_pktmbuf_free_bulk(b->pkts, b->n);
		b->n = 0;
	}
}

/* Take what the worker punted to control; returns how many, the first in *first. */
static unsigned
dp_punted(struct rte_mbuf **first)
{
	struct rte_mbuf *m;
	unsigned n = 0;

	if (first != NULL)
		*first = NULL;
	while (rte_ring_dequeue(dp.punt, (void **)&m) == 0) {
		if (first != NULL && *first == NULL)
			*first = m;
		else
			rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

static void
dp_punt_clear(void)
{
	dp_punted(NULL);
}

static int
dp_teardown(void **state)
{
	dp_tx_clear();
	vxg_gen_free(dp.gen);
	vxg_fdb_destroy(dp.fdb);
	vxg_l3n_destroy(dp.l3n);
	dp_punt_clear();
	rte_ring_free(dp.punt);
	rte_free(dp.w);
	rte_mempool_free(dp.pool);
	vxg_config_free(dp.cfg);
	return 0;
}

/* dp_teardown that also fails when a frame did not come back to the pool. */
static int
dp_teardown_leaks(void **state)
{
	unsigned leaked = 0;

	if (dp.w != NULL)
		dp_tx_clear();
	if (dp.punt != NULL)
		dp_punt_clear();
	if (dp.pool != NULL)
		leaked = dp.pool->size - rte_mempool_avail_count(dp.pool);
	if (leaked > 0)
		fprintf(stderr, "teardown: %u mbufs not back in the pool\n", leaked);
	dp_teardown(state);
	return leaked > 0 ? -1 : 0;
}

static uint16_t
dp_ip_cksum_ok(const struct rte_ipv4_hdr *ip)
{
	return rte_raw_cksum(ip, 20) == 0xffff;
}

/* An Ethernet header for IPv4 at p, 802.1Q-tagged if vlan; returns its length. */
static uint16_t
dp_eth(uint8_t *p, const struct rte_ether_addr *src, const struct rte_ether_addr *dst,
	uint16_t vlan)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;

	eth->dst_addr = *dst;
	eth->src_addr = *src;
	if (vlan == 0) {
		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		return RTE_ETHER_HDR_LEN;
	}
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	((struct rte_vlan_hdr *)(eth + 1))->vlan_tci = rte_cpu_to_be_16(vlan);
	((struct rte_vlan_hdr *)(eth + 1))->eth_proto = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	return RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr);
}

/* An Ethernet/IPv4/UDP frame of `len` bytes (at least 60), VLAN-tagged if vlan. */
static struct rte_mbuf *
dp_frame(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint16_t sport, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint8_t *p;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t l2 = vlan ? 18 : 14;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	assert_non_null(p);
	memset(p, 0xab, len);
	dp_eth(p, src, dst, vlan);
	ip = (struct rte_ipv4_hdr *)(p + l2);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(len - l2);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = RTE_BE32(0x0a01000b);
	ip->dst_addr = RTE_BE32(0x0a0100fe);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = RTE_BE16(5001);
	udp->dgram_len = rte_cpu_to_be_16(len - l2 - 20);
	udp->dgram_cksum = 0;
	return m;
}

/* The inner frame wrapped in VXLAN from 172.16.0.2 to our VTEP, VNI vni. */
static struct rte_mbuf *
dp_vxlan(struct rte_mbuf *inner, uint32_t vni)
{
	struct vxg_vxlan_tmpl *h;
	uint16_t n = inner->pkt_len;

	h = (struct vxg_vxlan_tmpl *)rte_pktmbuf_prepend(inner, sizeof(*h));
	assert_non_null(h);
	memset(h, 0, sizeof(*h));
	h->eth.dst_addr = UL_MAC;
	h->eth.src_addr = (struct rte_ether_addr){{0x02, 0x00, 0xac, 0x10, 0x00, 0x02}};
	h->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	h->ip.version_ihl = 0x45;
	h->ip.total_length = rte_cpu_to_be_16(n + 36);
	h->ip.time_to_live = 64;
	h->ip.next_proto_id = IPPROTO_UDP;
	h->ip.src_addr = RTE_BE32(0xac100002);
	h->ip.dst_addr = RTE_BE32(0xac100001);
	h->ip.hdr_checksum = rte_ipv4_cksum(&h->ip);
	h->udp.src_port = RTE_BE16(50000);
	h->udp.dst_port = RTE_BE16(4789);
	h->udp.dgram_len = rte_cpu_to_be_16(n + 16);
	h->vx.vx_flags = RTE_BE32(0x08000000);
	h->vx.vx_vni = rte_cpu_to_be_32(vni << 8);
	inner->l2_len = 14;
	return inner;
}

static const struct vxg_gen_if *
dp_if(unsigned i)
{
	return &dp.gen->ifs[i];
}

static uint64_t
dp_drops(enum vxg_drop_reason r)
{
	return dp.w->stats.drops[r];
}

static int
dp_eal_init(const char *argv0, const char *prefix)
{
	char *eal[] = {(char *)argv0, "--no-huge", "--no-pci", "-m", "512", "-l", "0",
		"--file-prefix", (char *)prefix, "--log-level", "error", NULL};

	return rte_eal_init(RTE_DIM(eal) - 1, eal);
}

#endif
