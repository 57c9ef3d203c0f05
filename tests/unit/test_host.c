/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface: Ethernet input's punt decision on hand-built mbufs (what goes to
 * the host tap, what stays VXLAN's or control's, what is dropped with no tap and past the
 * rate), and the tap itself (host/host_tap.c) against the real kernel: made in a
 * namespace with the underlay's MAC, address, MTU and default route, changed, and
 * removed, and a frame the kernel writes there read back. The tap part needs root.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_icmp.h>

#include "core/netns.h"
#include "dp_fixture.h"
#include "host/host_tap.h"

#define NS "vxgt-unit-host"

static const struct rte_ether_addr PEER = {{0x02, 0x00, 0xac, 0x10, 0x00, 0x02}};
static const struct rte_ether_addr BCAST = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

/* IPv4 from 172.16.0.2 to dst over the underlay, to MAC to: TCP SYN to port 179 (proto
 * IPPROTO_TCP) or an ICMP message of type icmp (IPPROTO_ICMP). */
static struct rte_mbuf *
ul_ip(const struct rte_ether_addr *to, uint32_t dst, uint8_t proto, uint8_t icmp)
{
	struct rte_mbuf *m = dp_frame(&PEER, to, 0, 40000, 74);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	uint8_t *l4 = (uint8_t *)(ip + 1);

	ip->next_proto_id = proto;
	ip->src_addr = RTE_BE32(0xac100002);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memset(l4, 0, 20);
	if (proto == IPPROTO_TCP) {
		l4[2] = 0;
		l4[3] = 179;
		l4[12] = 0x50;
		l4[13] = 0x02; /* SYN */
	} else {
		((struct rte_icmp_hdr *)l4)->icmp_type = icmp;
	}
	return m;
}

static struct rte_mbuf *
ul_arp(uint16_t op, uint32_t tip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(dp.pool);
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;

	assert_non_null(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 60);
	memset(eth, 0, 60);
	eth->dst_addr = op == RTE_ARP_OP_REQUEST ? BCAST : UL_MAC;
	eth->src_addr = PEER;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	arp->arp_data.arp_sha = PEER;
	arp->arp_data.arp_sip = RTE_BE32(0xac100002);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return m;
}

static unsigned
tx_queued(void)
{
	unsigned n = 0;

	for (unsigned p = 0; p < dp.n_ifs; p++)
		n += dp.w->tx[p].n;
	return n;
}

/* One frame through Ethernet input on the underlay: the punt kind it went to control
 * with, -1 when it was dropped under `dropped`, -2 when it was sent on (decapsulated and
 * switched), -3 otherwise. */
static int
eth_one(struct rte_mbuf *m, enum vxg_drop_reason dropped)
{
	uint64_t before = dp_drops(dropped), punted = dp.w->stats.punted;
	unsigned tx = tx_queued();
	struct rte_mbuf *p;
	int why;

	vxg_eth_input(dp.w, dp_if(P_UP), &m, 1);
	if (dp_punted(&p) == 1) {
		why = vxg_meta(p)->why;
		rte_pktmbuf_free(p);
		assert_int_equal(dp.w->stats.punted, punted + 1);
		return why;
	}
	if (dp_drops(dropped) == before + 1)
		return -1;
	why = tx_queued() == tx + 1 ? -2 : -3;
	dp_tx_clear();
	return why;
}

/* Without a tap, what vxgate does not handle on the underlay is dropped as before. */
static void
test_no_tap_drops(void **state)
{
	assert_false(dp.gen->host.tap);
	assert_int_equal(
		eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_no_stage), -1);
	assert_int_equal(eth_one(ul_arp(RTE_ARP_OP_REQUEST, 0xac100001), VXG_DROP_no_stage),
		VXG_PUNT_UNDERLAY);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_ICMP, RTE_IP_ICMP_ECHO_REPLY),
				 VXG_DROP_no_stage),
		VXG_PUNT_UNDERLAY);
}

/* With one: BGP to the VTEP address, ICMP that is no ping, ARP and unicast to our MAC go
 * to the host; VXLAN, pings and IPv4 to others' addresses do not. */
static void
test_tap_punts(void **state)
{
	dp.gen->host.tap = true;
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(eth_one(ul_ip(&BCAST, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0x0a000001, IPPROTO_TCP, 0), VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(eth_one(ul_ip(&BCAST, 0x0a000001, IPPROTO_TCP, 0), VXG_DROP_no_stage), -1);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_ICMP, RTE_IP_ICMP_ECHO_REPLY),
				 VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_ICMP, RTE_IP_ICMP_ECHO_REQUEST),
				 VXG_DROP_no_stage),
		VXG_PUNT_UNDERLAY);
	assert_int_equal(
		eth_one(ul_arp(RTE_ARP_OP_REQUEST, 0xac100001), VXG_DROP_no_stage), VXG_PUNT_HOST);
	assert_int_equal(
		eth_one(ul_arp(RTE_ARP_OP_REPLY, 0xac100001), VXG_DROP_no_stage), VXG_PUNT_HOST);
	/* VXLAN stays VXLAN's, well formed or not. */
	assert_int_equal(
		eth_one(dp_vxlan(dp_frame(&VM1, &VM3, 0, 40000, 64), 100), VXG_DROP_no_stage), -2);
	assert_int_equal(eth_one(dp_vxlan(dp_frame(&VM1, &VM3, 0, 40000, 64), 999),
				 VXG_DROP_vxlan_unknown_vni),
		-1);
	dp.gen->host.tap = false;
}

/* Past the worker's bucket, frames for the host are dropped and counted; ARP is not
 * limited (control answers it). */
static void
test_tap_rate(void **state)
{
	dp.gen->host.tap = true;
	vxg_ratelimit_init(&dp.w->host_rl, rte_get_tsc_hz() * 3600, 1, 2);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_no_stage),
		VXG_PUNT_HOST);
	assert_int_equal(
		eth_one(ul_ip(&UL_MAC, 0xac100001, IPPROTO_TCP, 0), VXG_DROP_host_ratelimit), -1);
	assert_int_equal(
		eth_one(ul_arp(RTE_ARP_OP_REQUEST, 0xac100001), VXG_DROP_no_stage), VXG_PUNT_HOST);
	dp.gen->host.tap = false;
}

/* `ip -n NS ...` output contains want. */
static void
ip_has(const char *cmd, const char *want)
{
	char line[512], full[1024];
	FILE *p;
	bool found = false;

	snprintf(full, sizeof(full), "ip -n " NS " %s 2>&1", cmd);
	p = popen(full, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL)
		found = found || strstr(line, want) != NULL;
	pclose(p);
	if (!found)
		fail_msg("`%s` has no \"%s\"", full, want);
}

static void
ip_lacks(const char *cmd, const char *unwanted)
{
	char full[1024];

	snprintf(full, sizeof(full), "ip -n " NS " %s | grep -q '%s'", cmd, unwanted);
	if (system(full) == 0)
		fail_msg("`%s` has \"%s\"", cmd, unwanted);
}

/* The kernel's first frame on the tap, within a second: its length. */
static ssize_t
tap_read(const struct vxg_host_tap *t, uint8_t *buf, size_t len)
{
	for (int i = 0; i < 100; i++) {
		ssize_t n = read(t->fd, buf, len);

		if (n >= 0 || errno != EAGAIN)
			return n;
		usleep(10000);
	}
	return -1;
}

static void
test_tap_kernel(void **state)
{
	struct vxg_host_tap t;
	struct vxg_host_tap_cfg c = {.netns = NS,
		.mac = UL_MAC,
		.addr = 0xac100001,
		.prefixlen = 24,
		.gateway = 0xac1000fe,
		.mtu = 1600};
	const struct rte_arp_hdr *arp;
	uint8_t buf[2048];
	char err[256];
	ssize_t n;

	if (geteuid() != 0)
		skip();
	vxg_netns_delete(NS);
	vxg_host_tap_init(&t);
	assert_int_equal(vxg_host_tap_apply(&t, &c, err, sizeof(err)), 0);
	ip_has("link show " VXG_HOST_TAP_NAME, "mtu 1600");
	ip_has("link show " VXG_HOST_TAP_NAME, "02:00:ac:10:00:01");
	ip_has("link show " VXG_HOST_TAP_NAME, ",UP");
	ip_has("-4 addr show " VXG_HOST_TAP_NAME, "172.16.0.1/24");
	ip_has("route", "default via 172.16.0.254 dev " VXG_HOST_TAP_NAME);
	/* The kernel asks for its gateway: an ARP request from the underlay's MAC. */
	assert_int_equal(
		system("ip netns exec " NS " ping -c 1 -W 1 172.16.0.254 >/dev/null"), 256);
	n = tap_read(&t, buf, sizeof(buf));
	assert_true(n >= 42);
	assert_memory_equal(buf + 6, UL_MAC.addr_bytes, 6);
	arp = (const struct rte_arp_hdr *)(buf + 14);
	assert_int_equal(arp->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	assert_int_equal(arp->arp_data.arp_tip, RTE_BE32(0xac1000fe));

	/* Re-addressed, another gateway and MTU: changed in place. */
	c.addr = 0xac100101;
	c.prefixlen = 16;
	c.gateway = 0xac100001;
	c.mtu = 1500;
	assert_int_equal(vxg_host_tap_apply(&t, &c, err, sizeof(err)), 0);
	ip_has("-4 addr show " VXG_HOST_TAP_NAME, "172.16.1.1/16");
	ip_has("route", "default via 172.16.0.1 dev " VXG_HOST_TAP_NAME);
	ip_has("link show " VXG_HOST_TAP_NAME, "mtu 1500");
	c.gateway = 0;
	assert_int_equal(vxg_host_tap_apply(&t, &c, err, sizeof(err)), 0);
	ip_has("route", "172.16.0.0/16 dev");
	ip_lacks("route", "default");

	vxg_host_tap_close(&t);
	ip_has("link show " VXG_HOST_TAP_NAME, "does not exist");
	assert_int_equal(vxg_netns_delete(NS), 0);

	/* A bad name is refused with the step that failed. */
	snprintf(c.netns, sizeof(c.netns), "../x");
	assert_int_equal(vxg_host_tap_apply(&t, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cannot open the namespace"));
	assert_false(vxg_host_tap_exists(&t));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_tap_drops, dp_setup, dp_teardown_leaks),
		cmocka_unit_test_setup_teardown(test_tap_punts, dp_setup, dp_teardown_leaks),
		cmocka_unit_test_setup_teardown(test_tap_rate, dp_setup, dp_teardown_leaks),
		cmocka_unit_test(test_tap_kernel),
	};
	int ret;

	if (dp_eal_init(argv[0], "vxg_test_host") < 0) {
		fprintf(stderr, "test_host: EAL init failed\n");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	rte_eal_cleanup();
	return ret;
}
