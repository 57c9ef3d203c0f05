/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the security groups' dataplane tests share (test_sg_stage.c, test_sg_reload.c):
 * the dataplane of dp_fixture.h with one VPC of two routed networks, ports in groups with
 * and without rules, and a conntrack table attached the way the daemon does it; frames
 * to send in; and checks that a frame passes to one port, or is dropped for one reason
 * and nothing else.
 */
#ifndef VXG_TEST_SG_FIXTURE_H
#define VXG_TEST_SG_FIXTURE_H

#include <inttypes.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_tcp.h>

#include "sg/conntrack.h"
#include "sg/sg_config.h"
#include "vxg_sg.h"

#include "dp_fixture.h"
#include "ip4.h"

/* ---- The dataplane: port security and the security-group stage ------------------------ */

/*
 * One VPC, web (VNI 100) and db (VNI 200), both routed. vm1 lives behind VTEP 172.16.0.2
 * (group web), vm3 on `local` VLAN 5 (group client: no rules, so nothing comes in unless
 * vm3 opened it; an address pair 10.1.0.50), vm2 on `trunk` VLAN 8 (group db), vm9 on
 * `trunk` VLAN 9 with port security and no group. %s: web's tcp/80 rule, or nothing (a
 * reload that removes it).
 */
static const char sg_yaml_fmt[] = DP_IFACES_YAML
	"vtep: {address: 172.16.0.1, ageing: 30}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n"
	"      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {vtep: 172.16.0.2}, security_groups: [web]}\n"
	"      - {name: vm3, network: web, mac: \"02:00:0a:01:00:03\", ip: 10.1.0.3,\n"
	"         location: {interface: local, vlan: 5}, security_groups: [client],\n"
	"         allowed_address_pairs: [{ip: 10.1.0.50}]}\n"
	"      - {name: vm2, network: db, mac: \"02:00:0a:02:00:0c\", ip: 10.2.0.12,\n"
	"         location: {interface: trunk, vlan: 8}, security_groups: [db]}\n"
	"      - {name: vm9, network: web, mac: \"02:00:0a:01:00:09\", ip: 10.1.0.9,\n"
	"         location: {interface: trunk, vlan: 9}}\n"
	"    security_groups:\n"
	"      - name: web\n"
	"        rules:\n"
	"%s"
	"          - {direction: ingress, protocol: icmp}\n"
	"          - {direction: ingress, protocol: udp, ports: 5000-5999}\n"
	"      - {name: client}\n"
	"      - name: db\n"
	"        rules:\n"
	"          - {direction: ingress, protocol: tcp, ports: 5432, remote_group: web}\n";

#define WEB_HTTP "          - {direction: ingress, protocol: tcp, ports: 80}\n"

static const struct rte_ether_addr S_VM1 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b}};
static const struct rte_ether_addr S_VM3 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x03}};
static const struct rte_ether_addr S_VM2 = {{0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c}};
static const struct rte_ether_addr S_VM9 = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x09}};
static const struct rte_ether_addr S_STRANGER = {{0x02, 0x00, 0x0a, 0x01, 0x00, 0x77}};
static const struct rte_ether_addr S_GW_WEB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0x64}};
static const struct rte_ether_addr S_GW_DB = {{0x02, 0x76, 0x78, 0x00, 0x00, 0xc8}};
static const struct rte_ether_addr S_BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

#define VTEP2 RTE_BE32(0xac100002)
#define VLAN_VM3 5
#define VLAN_VM2 8
#define VLAN_VM9 9
#define IP_VM1 IP(10, 1, 0, 11)
#define IP_VM3 IP(10, 1, 0, 3)
#define IP_VM2 IP(10, 2, 0, 12)
#define IP_VM9 IP(10, 1, 0, 9)
#define IP_PAIR IP(10, 1, 0, 50)
#define SYN RTE_TCP_SYN_FLAG
#define SYNACK (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)
#define ACK RTE_TCP_ACK_FLAG

/* What the dataplane tests own besides the fixture's dp: freed by sg_teardown. */
static struct {
	struct vxg_ct *ct;
	struct vxg_config *cfgs[2]; /* reloads */
	struct vxg_gen *gens[2];
} sgd;

static struct vxg_config *
sg_config(const char *web_http)
{
	char yaml[4096];

	snprintf(yaml, sizeof(yaml), sg_yaml_fmt, web_http);
	return dp_config("sg.yaml", yaml);
}

/* The fixture's dataplane with config cfg, and a conntrack table of ct_limit attached
 * to blue. */
static int
sg_setup_cfg(struct vxg_config *cfg, uint32_t ct_limit)
{
	if (dp_setup_cfg(cfg, 3, 1024) < 0)
		return -1;
	sgd.ct = vxg_ct_create_table("blue", ct_limit, NULL);
	if (sgd.ct == NULL)
		return -1;
	dp.gen->vpcs[0].ct = sgd.ct;
	return 0;
}

/* The fixture's dataplane with sg_yaml_fmt, and a conntrack table of ct_limit attached
 * to blue. */
static int
sg_setup_limit(uint32_t ct_limit)
{
	memset(&sgd, 0, sizeof(sgd));
	return sg_setup_cfg(sg_config(WEB_HTTP), ct_limit);
}

static int
sg_setup(void **state)
{
	return sg_setup_limit(1024);
}

static int
sg_setup_small(void **state)
{
	return sg_setup_limit(64); /* the smallest dataplane.limits.conntrack */
}

/* Also checks that every mbuf came back to the pool. */
static int
sg_teardown(void **state)
{
	if (dp.w != NULL) {
		rte_free(dp.w->lport_ctr);
		dp.w->lport_ctr = NULL;
	}
	for (unsigned k = 0; k < RTE_DIM(sgd.gens); k++) {
		if (sgd.gens[k] != NULL)
			vxg_gen_free(sgd.gens[k]);
		if (sgd.cfgs[k] != NULL)
			vxg_config_free(sgd.cfgs[k]);
	}
	vxg_ct_destroy(sgd.ct);
	memset(&sgd, 0, sizeof(sgd));
	return dp_teardown_leaks(state);
}

/* ---- Frames ------------------------------------------------------------------------- */

static uint16_t
sg_l2len(uint16_t vlan)
{
	return vlan ? 18 : 14;
}

/*
 * Ethernet (802.1Q if vlan) and a 60-byte IPv4 packet: TCP with `flags`, UDP, or ICMP of
 * type `flags` (identifier sport), from sip:sport to dip:dport.
 */
static struct rte_mbuf *
sg_pkt(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint8_t proto, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = sg_l2len(vlan), ip_len = 60;
	struct rte_ipv4_hdr *ip;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + ip_len);
	assert_non_null(p);
	memset(p, 0, l2 + ip_len);
	dp_eth(p, src, dst, vlan);
	ip = (struct rte_ipv4_hdr *)(p + l2);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(sip);
	ip->dst_addr = rte_cpu_to_be_32(dip);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)(ip + 1);

		t->src_port = rte_cpu_to_be_16(sport);
		t->dst_port = rte_cpu_to_be_16(dport);
		t->data_off = 0x50;
		t->tcp_flags = flags;
		t->rx_win = RTE_BE16(8192);
	} else if (proto == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

		u->src_port = rte_cpu_to_be_16(sport);
		u->dst_port = rte_cpu_to_be_16(dport);
		u->dgram_len = rte_cpu_to_be_16(ip_len - 20);
	} else if (proto == IPPROTO_ICMP) {
		struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

		ic->icmp_type = flags;
		ic->icmp_ident = rte_cpu_to_be_16(sport);
		ic->icmp_cksum = ~rte_raw_cksum(ic, ip_len - 20);
	}
	return m;
}

static struct rte_mbuf *
sg_tcp(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport, uint8_t flags)
{
	return sg_pkt(src, dst, vlan, sip, dip, IPPROTO_TCP, sport, dport, flags);
}

static struct rte_mbuf *
sg_udp(const struct rte_ether_addr *src, const struct rte_ether_addr *dst, uint16_t vlan,
	uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport)
{
	return sg_pkt(src, dst, vlan, sip, dip, IPPROTO_UDP, sport, dport, 0);
}

/* A broadcast ARP request from src, sender sip, for tip. */
static struct rte_mbuf *
sg_arp(const struct rte_ether_addr *src, uint16_t vlan, uint32_t sip, uint32_t tip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	uint16_t l2 = sg_l2len(vlan);
	struct rte_arp_hdr *arp;
	uint8_t *p;

	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*arp) + 18);
	assert_non_null(p);
	memset(p, 0, m->pkt_len);
	dp_eth(p, src, &S_BCAST, vlan);
	*(rte_be16_t *)(p + l2 - 2) = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(p + l2);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = *src;
	arp->arp_data.arp_sip = rte_cpu_to_be_32(sip);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return m;
}

/* Ethernet m (untagged) wrapped in VXLAN from vm1's VTEP, network vni. */
static struct rte_mbuf *
from_vtep(struct rte_mbuf *m, uint32_t vni)
{
	return dp_vxlan(m, vni);
}

/* ---- Sending and checking ------------------------------------------------------------- */

static unsigned
sg_tx_total(void)
{
	return dp.w->tx[P_UP].n + dp.w->tx[P_LOCAL].n + dp.w->tx[P_TRUNK].n;
}

static uint64_t
sg_event(enum vxg_event e)
{
	return dp.w->stats.events[e];
}

/* Fails naming every drop counter that moved since `before`, except `expected` by one. */
static void
sg_check_drops(const struct vxg_worker_stats *before, int expected)
{
	for (int r = 0; r < VXG_DROP_MAX; r++) {
		uint64_t want = before->drops[r] + (r == expected);

		if (dp.w->stats.drops[r] != want)
			fail_msg("drop counter %s: %" PRIu64 ", expected %" PRIu64,
				vxg_drop_names[r], dp.w->stats.drops[r], want);
	}
}

static void
sg_rx(unsigned port, struct rte_mbuf *m)
{
	vxg_eth_input(dp.w, dp_if(port), &m, 1);
}

/* m, received on port `in`, is dropped under r and nothing else: no other drop, nothing
 * transmitted, nothing punted. */
static void
expect_drop(unsigned in, struct rte_mbuf *m, enum vxg_drop_reason r)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, r);
	assert_int_equal(sg_tx_total(), 0);
	assert_int_equal(dp_punted(NULL), 0);
}

/* m, received on port `in`, leaves port `out` and nowhere else, nothing dropped; the
 * frame stays in the tx buffer until the next send or dp_tx_clear(). */
static struct rte_mbuf *
expect_pass(unsigned in, struct rte_mbuf *m, unsigned out)
{
	struct vxg_worker_stats before = dp.w->stats;

	dp_tx_clear();
	sg_rx(in, m);
	sg_check_drops(&before, -1);
	assert_int_equal(sg_tx_total(), 1);
	assert_int_equal(dp.w->tx[out].n, 1);
	return dp.w->tx[out].pkts[0];
}

/* The inner frame of a VXLAN packet to vm1's VTEP in network vni. */
static const uint8_t *
sg_vx_inner(const struct rte_mbuf *m, uint32_t vni)
{
	const struct vxg_vxlan_tmpl *h = rte_pktmbuf_mtod(m, const struct vxg_vxlan_tmpl *);

	assert_int_equal(h->ip.dst_addr, VTEP2);
	assert_int_equal(h->udp.dst_port, RTE_BE16(4789));
	assert_int_equal(h->vx.vx_vni, rte_cpu_to_be_32(vni << 8));
	return (const uint8_t *)(h + 1);
}

/* An Ethernet frame p carries an IPv4 packet to dst MAC, tagged vlan (0: untagged), whose
 * L4 destination port is dport. */
static void
sg_check_frame(const uint8_t *p, const struct rte_ether_addr *dst, uint16_t vlan, uint16_t dport)
{
	uint16_t l2 = sg_l2len(vlan);

	assert_memory_equal(p, dst->addr_bytes, 6);
	if (vlan) {
		assert_int_equal(p[12] << 8 | p[13], RTE_ETHER_TYPE_VLAN);
		assert_int_equal((p[14] << 8 | p[15]) & 0xfff, vlan);
	}
	assert_int_equal(p[l2 - 2] << 8 | p[l2 - 1], RTE_ETHER_TYPE_IPV4);
	assert_int_equal(p[l2 + 22] << 8 | p[l2 + 23], dport);
}

/* The conntrack entry of a connection from sip:sport to dip:dport, or NULL. */
static const struct vxg_ct_entry *
sg_ct_entry(uint8_t proto, uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport)
{
	struct vxg_ct_key k;
	int32_t pos;

	vxg_ct_key_make(&k, proto, rte_cpu_to_be_32(sip), rte_cpu_to_be_32(dip),
		rte_cpu_to_be_16(sport), rte_cpu_to_be_16(dport));
	pos = rte_hash_lookup(sgd.ct->h, &k);
	return pos >= 0 ? &sgd.ct->entries[pos] : NULL;
}

#define SGT(f) cmocka_unit_test_setup_teardown(f, sg_setup, sg_teardown)

/* The EAL, as each of these tests' main starts: 0, or -1 with a message. */
static int
sg_eal_init(const char *argv0, const char *prefix)
{
	char *eal[] = {(char *)argv0, "--no-huge", "--no-pci", "-m", "256", "-l", "0",
		"--file-prefix", (char *)prefix, "--log-level", "error", NULL};

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "%s: EAL init failed\n", prefix);
		return -1;
	}
	return 0;
}

#endif
