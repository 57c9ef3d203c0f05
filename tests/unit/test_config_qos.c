/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's QoS: qos_policies read into the model (rates and bursts in their units,
 * the action, the policies named by ports, floating IPs and nat), the text forms, and
 * each refused case with its position.
 */
#include <arpa/inet.h>

#include "config/fields.h"

#include "config_fixture.h"

/* HEAD (lines 1-12), then lines 13-21. */
#define POLICIES                                                                               \
	"    qos_policies:\n"                                                                  \
	"      - {name: bronze, ingress: {rate: 50mbit, burst: 64kb}, egress: {rate: 50mbit, " \
	"burst: 64kb}}\n"                                                                      \
	"      - {name: mark, egress: {rate: 1500000, burst: 1mb}, action: remark, dscp: 10}\n"
#define QPORTS                                                                           \
	"    ports:\n"                                                                   \
	"      - {name: vm1, network: web, mac: \"02:00:00:00:00:01\", ip: 10.1.0.11,\n" \
	"         location: {vtep: 172.16.0.2}, qos: bronze}\n"
#define QNAT                         \
	"    nat:\n"                 \
	"      snat: 203.0.113.10\n" \
	"      qos: mark\n"          \
	"      floating_ips: [{ip: 203.0.113.20, port: vm1, qos: bronze}]\n"

static void
example(void **state)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];
	const struct vxg_vpc_cfg *v;

	assert_int_equal(
		vxg_config_load_string("t.yaml", HEAD POLICIES QPORTS QNAT, &c, err, sizeof(err)),
		0);
	v = &c->vpcs[0];
	assert_int_equal(v->n_qos_policies, 2);
	assert_string_equal(v->qos_policies[0].name, "bronze");
	assert_true(v->qos_policies[0].dir[VXG_DIR_INGRESS].set);
	assert_int_equal(v->qos_policies[0].dir[VXG_DIR_INGRESS].rate, 50000000);
	assert_int_equal(v->qos_policies[0].dir[VXG_DIR_EGRESS].burst, 64000);
	assert_int_equal(v->qos_policies[0].action, VXG_QOS_DROP);
	assert_false(v->qos_policies[1].dir[VXG_DIR_INGRESS].set);
	assert_int_equal(v->qos_policies[1].dir[VXG_DIR_EGRESS].rate, 1500000);
	assert_int_equal(v->qos_policies[1].dir[VXG_DIR_EGRESS].burst, 1000000);
	assert_int_equal(v->qos_policies[1].action, VXG_QOS_REMARK);
	assert_int_equal(v->qos_policies[1].dscp, 10);
	assert_int_equal(v->ports[0].qos, 0);
	assert_int_equal(v->nat.qos, 1);
	assert_int_equal(v->nat.fips[0].qos, 0);
	vxg_config_free(c);
	(void)state;
}

static void
no_qos(void **state)
{
	struct vxg_config *c = NULL;
	char err[ERR_LEN];

	assert_int_equal(
		vxg_config_load_string("t.yaml", HEAD QPORTS, &c, err, sizeof(err)), -EINVAL);
	assert_int_equal(vxg_config_load_string("t.yaml", HEAD PORTS VM1, &c, err, sizeof(err)), 0);
	assert_int_equal(c->vpcs[0].n_qos_policies, 0);
	assert_int_equal(c->vpcs[0].ports[0].qos, VXG_NONE);
	assert_int_equal(c->vpcs[0].nat.qos, VXG_NONE);
	vxg_config_free(c);
	(void)state;
}

static void
text_forms(void **state)
{
	uint64_t v;
	char buf[32];

	assert_int_equal(config_text_rate("50mbit", &v), 0);
	assert_int_equal(v, 50000000);
	assert_int_equal(config_text_rate("1GBit", &v), 0);
	assert_int_equal(v, 1000000000);
	assert_int_equal(config_text_rate("800kbit", &v), 0);
	assert_int_equal(v, 800000);
	assert_int_equal(config_text_rate("1234", &v), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(config_text_rate("5mbits", &v), -EINVAL);
	assert_int_equal(config_text_rate("mbit", &v), -EINVAL);
	assert_int_equal(config_text_rate("-5mbit", &v), -EINVAL);
	assert_int_equal(config_text_rate("99999999999999999999gbit", &v), -ERANGE);
	assert_int_equal(config_text_bytes("64kb", &v), 0);
	assert_int_equal(v, 64000);
	assert_int_equal(config_text_bytes("1500b", &v), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(config_text_bytes("2mb", &v), 0);
	assert_int_equal(v, 2000000);
	assert_int_equal(config_text_bytes("64kib", &v), -EINVAL);
	vxg_rate_format(50000000, buf, sizeof(buf));
	assert_string_equal(buf, "50mbit");
	vxg_rate_format(1500000, buf, sizeof(buf));
	assert_string_equal(buf, "1500kbit");
	vxg_rate_format(1234, buf, sizeof(buf));
	assert_string_equal(buf, "1234bit");
	vxg_bytes_format(64000, buf, sizeof(buf));
	assert_string_equal(buf, "64kb");
	vxg_bytes_format(1514, buf, sizeof(buf));
	assert_string_equal(buf, "1514b");
	(void)state;
}

#define Q(x) HEAD "    qos_policies:\n      - " x "\n"

static const struct reject rejects[] = {
	{"zero_rate", Q("{name: q, egress: {rate: 0, burst: 64kb}}"),
		"t.yaml:14:34: vpc blue qos_policy q egress:", "rate 0 is out of range 1bit.."},
	{"bad_rate_unit", Q("{name: q, egress: {rate: 5mbits, burst: 64kb}}"),
		"t.yaml:14:34: vpc blue qos_policy q egress:", "rate '5mbits' is not a rate"},
	{"bad_burst_unit", Q("{name: q, ingress: {rate: 5mbit, burst: 64KiB}}"),
		"t.yaml:14:49: vpc blue qos_policy q ingress:", "burst '64KiB' is not a size"},
	{"burst_missing", Q("{name: q, ingress: {rate: 5mbit}}"),
		"t.yaml:14:28: vpc blue qos_policy q ingress:", "missing required key 'burst'"},
	{"burst_below_mtu", Q("{name: q, egress: {rate: 5mbit, burst: 1kb}}"),
		"t.yaml:14:48: vpc blue qos_policy q:",
		"egress burst 1kb is less than one packet of 1450 bytes (the MTU of network web)"},
	{"no_direction", Q("{name: q, action: drop}"), "t.yaml:14:9: vpc blue qos_policy q:",
		"give ingress (towards the VM), egress (from it) or both"},
	{"remark_no_dscp", Q("{name: q, egress: {rate: 5mbit, burst: 64kb}, action: remark}"),
		"t.yaml:14:63: vpc blue qos_policy q:", "action remark needs dscp"},
	{"dscp_no_remark", Q("{name: q, egress: {rate: 5mbit, burst: 64kb}, dscp: 10}"),
		"t.yaml:14:61: vpc blue qos_policy q:", "dscp applies only to action: remark"},
	{"dscp_range", Q("{name: q, egress: {rate: 5mbit, burst: 64kb}, action: remark, dscp: 64}"),
		"t.yaml:14:77: vpc blue qos_policy q:", "dscp 64 is out of range 0..63"},
	{"bad_action", Q("{name: q, egress: {rate: 5mbit, burst: 64kb}, action: police}"),
		"t.yaml:14:63: vpc blue qos_policy q:", "action: unknown value 'police'"},
	{"duplicate",
		Q("{name: q, egress: {rate: 5mbit, burst: 64kb}}\n      - {name: q, "
		  "egress: {rate: 5mbit, burst: 64kb}}"),
		"t.yaml:15:16: vpc blue qos_policy q:",
		"duplicate name (first defined at line 14)"},
	{"port_unknown_policy",
		HEAD POLICIES "    ports:\n      - {name: vm1, network: web, "
			      "mac: \"02:00:00:00:00:01\", location: "
			      "{vtep: 172.16.0.2}, qos: bronz}\n",
		"t.yaml:17:96: vpc blue port vm1:", "unknown qos policy 'bronz'; did you mean"},
	{"fip_unknown_policy",
		HEAD POLICIES QPORTS "    nat:\n      floating_ips: [{ip: 203.0.113.20, port: vm1, "
				     "qos: gold}]\n",
		"t.yaml:20:57: vpc blue nat floating_ip 1:", "unknown qos policy 'gold'"},
	{"snat_unknown_policy", HEAD POLICIES QPORTS "    nat: {snat: 203.0.113.10, qos: x}\n",
		"t.yaml:19:36: vpc blue nat:", "unknown qos policy 'x'"},
};

static const struct CMUnitTest model_tests[] = {
	cmocka_unit_test(example),
	cmocka_unit_test(no_qos),
	cmocka_unit_test(text_forms),
};

int
main(void)
{
	struct CMUnitTest tests[RTE_DIM(rejects)];
	int fails;

	fails = cmocka_run_group_tests_name("config_qos_model", model_tests, NULL, NULL);
	config_reject_tests(tests, rejects, RTE_DIM(rejects));
	return fails + cmocka_run_group_tests_name("config_qos_rejects", tests, NULL, NULL);
}
