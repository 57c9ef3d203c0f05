/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port forwards and hairpin in NAT's stages (dataplane/nat/nat_in.c, nat_out.c) on the
 * fixture's dataplane: a forward's new flow opens a session and reaches its target, whose
 * replies leave by the forward's address even with a floating IP; a range maps port by
 * port; SNAT leaves a forwarded port of its address alone; a hairpin (from inside) reaches
 * an SNAT mapping that a packet from outside does not; a hairpin session takes the
 * sender's own mapping.
 */
#include "nat_fixture.h"

/* VPC blue: vm1 (IN_A, floating IP 203.0.113.20), vm2 (IN_B); SNAT EXT; forwards tcp
 * EXT:8080 -> vm1:80 and udp FWD2:5000-5009 -> vm2:6000-6009. */
static const char pfwd_yaml[] =
	"interfaces:\n"
	"  - {name: uplink, device: net_null0, role: underlay, address: 172.16.0.1/24}\n"
	"  - {name: local, device: net_null1, role: access}\n"
	"  - {name: wan, device: net_null2, role: external, address: 203.0.113.2/24,\n"
	"     gateway: 203.0.113.1, neighbours: [{ip: 203.0.113.1, mac: \"02:00:cb:00:71:01\"}]}\n"
	"vtep: {address: 172.16.0.1}\n"
	"vpcs:\n"
	"  - name: blue\n"
	"    networks:\n"
	"      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}\n"
	"    ports:\n"
	"      - {name: vm1, network: web, mac: \"02:00:0a:01:00:0b\", ip: 10.1.0.11,\n"
	"         location: {interface: local}}\n"
	"      - {name: vm2, network: web, mac: \"02:00:0a:01:00:0c\", ip: 10.1.0.12,\n"
	"         location: {interface: local}}\n"
	"    routes: [{prefix: 0.0.0.0/0, via: wan}]\n"
	"    nat:\n"
	"      snat: 203.0.113.10\n"
	"      floating_ips: [{ip: 203.0.113.20, port: vm1}]\n"
	"      port_forwards:\n"
	"        - {ip: 203.0.113.10, protocol: tcp, port: 8080, to: vm1, to_port: 80}\n"
	"        - {ip: 203.0.113.11, protocol: udp, port: 5000-5009, to: vm2, to_port: "
	"6000-6009}\n";

#define P_WAN 2
#define FWD2 IPN(203, 0, 113, 11)

static struct vxg_nat_table *sess;

static int
pfwd_setup(void **state)
{
	if (dp_setup_cfg(dp_config("pfwd.yaml", pfwd_yaml), 3, 1024) < 0)
		return -1;
	sess = vxg_nat_table_create("blue", 64, EXT, 1024, 65535, P_WAN, NULL);
	if (sess == NULL)
		return -1;
	dp.gen->vpcs[0].nat.sess = sess;
	dp.w->n_workers = 1;
	return 0;
}

static int
pfwd_teardown(void **state)
{
	dp.gen->vpcs[0].nat.sess = NULL;
	vxg_nat_table_destroy(sess);
	return dp_teardown_leaks(state);
}

/* Inbound m through NAT in (hairpin: as looped from inside): the packet it made, or NULL
 * (dropped). */
static struct rte_mbuf *
nat_in1(struct rte_mbuf *m, bool hairpin)
{
	struct vxg_nat_in_burst o;

	vxg_nat_in(dp.w, dp_if(P_WAN), &m, 1, &o, hairpin);
	if (o.n == 0)
		return NULL;
	assert_int_equal(o.n, 1);
	assert_int_equal(o.vpc[0], 0);
	return o.pkts[0];
}

/* Outbound m from the VPC through NAT out: its verdict. */
static uint8_t
nat_out1(struct rte_mbuf *m)
{
	uint16_t vpc = 0;
	uint8_t res;

	vxg_nat_out(dp.w, &m, &vpc, 1, &res);
	return res;
}

static void
assert_ends(struct rte_mbuf *m, rte_be32_t src, uint16_t sport, rte_be32_t dst, uint16_t dport)
{
	const struct rte_udp_hdr *l4 = (const struct rte_udp_hdr *)(ip_of(m) + 1);

	assert_int_equal(ip_of(m)->src_addr, src);
	assert_int_equal(ip_of(m)->dst_addr, dst);
	assert_int_equal(rte_be_to_cpu_16(l4->src_port), sport);
	assert_int_equal(rte_be_to_cpu_16(l4->dst_port), dport);
	check_cksums(m);
}

/* The forward's counters (rule 0: tcp EXT:8080), summed over the rows. */
static struct vxg_nat_fwd_ctr
fwd_ctr(uint32_t i)
{
	struct vxg_nat_fwd_ctr s = {0};

	for (uint32_t r = 0; r < dp.gen->nat.ctr_rows; r++) {
		s.pkts += vxg_nat_fwd_ctr(&dp.gen->nat, r, i)->pkts;
		s.sess += vxg_nat_fwd_ctr(&dp.gen->nat, r, i)->sess;
	}
	return s;
}

static void
test_forward_both_ways(void **state)
{
	struct vxg_nat_key k = okey(IPPROTO_TCP, IN_A, 80, REMOTE, 40000);
	uint64_t created = dp.w->stats.events[VXG_EV_nat_fwd_session];
	struct rte_mbuf *m;
	int32_t pos;

	m = nat_in1(tcp_pkt(REMOTE, 40000, EXT, 8080), false);
	assert_non_null(m);
	assert_ends(m, REMOTE, 40000, IN_A, 80);
	rte_pktmbuf_free(m);
	pos = rte_hash_lookup(sess->out_h, &k);
	check_sess(sess, &k, pos);
	assert_true(sess->sess[pos].flags & VXG_NAT_F_FWD);
	assert_int_equal(sess->sess[pos].ext_addr, EXT);
	assert_int_equal(rte_be_to_cpu_16(sess->sess[pos].ext_port), 8080);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_fwd_session], created + 1);
	/* the same flow again: the session, no new one */
	m = nat_in1(tcp_pkt(REMOTE, 40000, EXT, 8080), false);
	assert_non_null(m);
	rte_pktmbuf_free(m);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_fwd_session], created + 1);
	/* vm1's reply leaves as EXT:8080, though vm1 has a floating IP */
	m = tcp_pkt(IN_A, 80, REMOTE, 40000);
	assert_int_equal(nat_out1(m), VXG_NAT_TX);
	assert_ends(m, EXT, 8080, REMOTE, 40000);
	rte_pktmbuf_free(m);
	/* vm1's own new flow still leaves by its floating IP */
	m = tcp_pkt(IN_A, 81, REMOTE, 40000);
	assert_int_equal(nat_out1(m), VXG_NAT_TX);
	assert_ends(m, IPN(203, 0, 113, 20), 81, REMOTE, 40000);
	rte_pktmbuf_free(m);
	assert_int_equal(fwd_ctr(0).pkts, 3);
	assert_int_equal(fwd_ctr(0).sess, 1);
}

static void
test_forward_range(void **state)
{
	uint64_t nosess = dp_drops(VXG_DROP_nat_no_session);
	struct rte_mbuf *m;

	m = nat_in1(udp_std(REMOTE, 1234, FWD2, 5000), false);
	assert_non_null(m);
	assert_ends(m, REMOTE, 1234, IN_B, 6000);
	rte_pktmbuf_free(m);
	m = nat_in1(udp_std(REMOTE, 1234, FWD2, 5009), false);
	assert_non_null(m);
	assert_ends(m, REMOTE, 1234, IN_B, 6009);
	rte_pktmbuf_free(m);
	assert_null(nat_in1(udp_std(REMOTE, 1234, FWD2, 5010), false));
	assert_null(nat_in1(tcp_pkt(REMOTE, 1234, FWD2, 5001), false)); /* udp only */
	assert_int_equal(dp_drops(VXG_DROP_nat_no_session), nosess + 2);
	/* vm2's reply from 6009 leaves as FWD2:5009 */
	m = udp_std(IN_B, 6009, REMOTE, 1234);
	assert_int_equal(nat_out1(m), VXG_NAT_TX);
	assert_ends(m, FWD2, 5009, REMOTE, 1234);
	rte_pktmbuf_free(m);
}

/* vm2's flow from port 8080 would keep its port; a forward holds it on EXT. */
static void
test_snat_skips_forwarded_port(void **state)
{
	struct rte_mbuf *m = tcp_pkt(IN_B, 8080, REMOTE, 80);
	const struct rte_tcp_hdr *tcp;

	assert_int_equal(nat_out1(m), VXG_NAT_TX);
	tcp = (const struct rte_tcp_hdr *)(ip_of(m) + 1);
	assert_int_equal(ip_of(m)->src_addr, EXT);
	assert_int_not_equal(rte_be_to_cpu_16(tcp->src_port), 8080);
	rte_pktmbuf_free(m);
	/* a port of nobody's forward is kept (another remote end: that one took 8081) */
	m = tcp_pkt(IN_B, 8081, REMOTE2, 80);
	assert_int_equal(nat_out1(m), VXG_NAT_TX);
	tcp = (const struct rte_tcp_hdr *)(ip_of(m) + 1);
	assert_int_equal(rte_be_to_cpu_16(tcp->src_port), 8081);
	rte_pktmbuf_free(m);
}

/* vm2's mapping EXT:p: from outside, only its remote end reaches it; from inside
 * (hairpin) anyone of the VPC does. */
static void
test_hairpin_to_mapping(void **state)
{
	struct vxg_nat_key k = okey(IPPROTO_UDP, IN_B, 40000, REMOTE, 53);
	uint64_t nosess = dp_drops(VXG_DROP_nat_no_session);
	struct rte_mbuf *m;
	uint16_t p;

	p = check_sess(sess, &k, vxg_nat_sess_create(sess, &k, 0, 1, VXG_CT_UDP_NEW, vxg_ct_now()));
	assert_null(nat_in1(udp_std(REMOTE2, 999, EXT, p), false));
	assert_int_equal(dp_drops(VXG_DROP_nat_no_session), nosess + 1);
	m = nat_in1(udp_std(EXT, 41000, EXT, p), true);
	assert_non_null(m);
	assert_ends(m, EXT, 41000, IN_B, 40000);
	rte_pktmbuf_free(m);
	/* a port no session holds: dropped, hairpin or not */
	assert_null(nat_in1(udp_std(EXT, 41000, EXT, p + 1), true));
	assert_int_equal(dp_drops(VXG_DROP_nat_no_session), nosess + 2);
}

/* vm2 has mapping EXT:p towards REMOTE; its hairpin to EXT:q is translated from EXT:p
 * (REQ-9a), and loops back in. */
static void
test_hairpin_own_mapping(void **state)
{
	/* its own port is outside the range: the port hashes from the whole key, and
	 * another remote end would get another */
	struct vxg_nat_key k = okey(IPPROTO_UDP, IN_B, 999, REMOTE, 53);
	struct vxg_nat_key h;
	uint64_t hp = dp.w->stats.events[VXG_EV_nat_hairpin_snat];
	struct rte_mbuf *m;
	uint16_t p;

	p = check_sess(sess, &k, vxg_nat_sess_create(sess, &k, 0, 1, VXG_CT_UDP_NEW, vxg_ct_now()));
	h = okey(IPPROTO_UDP, IN_B, 999, EXT, 50000);
	m = udp_std(IN_B, 999, EXT, 50000);
	assert_int_equal(nat_out1(m), VXG_NAT_LOOP);
	assert_ends(m, EXT, p, EXT, 50000);
	rte_pktmbuf_free(m);
	assert_int_equal(check_sess(sess, &h, rte_hash_lookup(sess->out_h, &h)), p);
	assert_int_equal(dp.w->stats.events[VXG_EV_nat_hairpin_snat], hp + 1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forward_both_ways, pfwd_setup, pfwd_teardown),
		cmocka_unit_test_setup_teardown(test_forward_range, pfwd_setup, pfwd_teardown),
		cmocka_unit_test_setup_teardown(
			test_snat_skips_forwarded_port, pfwd_setup, pfwd_teardown),
		cmocka_unit_test_setup_teardown(test_hairpin_to_mapping, pfwd_setup, pfwd_teardown),
		cmocka_unit_test_setup_teardown(
			test_hairpin_own_mapping, pfwd_setup, pfwd_teardown),
	};
	int ret;

	if (nat_init(argv[0], "vxg_test_nat_pfwd") < 0)
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	nat_fini();
	return ret;
}
