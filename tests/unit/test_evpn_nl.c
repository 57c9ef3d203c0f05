/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EVPN shadow's rtnetlink messages (control/evpn/evpn_nl.c) on messages recorded from
 * a Linux 6.x kernel (RTNLGRP_NEIGH while iproute2 ran the command above each), then cut
 * short at every length, with bad attributes, and random bytes; and each encoder's message
 * decoded back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "evpn/evpn_nl.h"

#include "evpn_recs.h"

static const struct rte_ether_addr MAC11 = {{0x02, 0, 0, 0, 0, 0x11}};
static const struct rte_ether_addr ZERO;

static void
parse_ok(const uint8_t *m, struct vxg_nl_neigh *n)
{
	assert_int_equal(vxg_nl_neigh_parse((const struct nlmsghdr *)m, n), 0);
}

static void
test_recorded_vxlan_entries(void **state)
{
	struct vxg_nl_neigh n;

	(void)state;
	parse_ok(REC_FLOOD_ADD, &n);
	assert_int_equal(n.type, RTM_NEWNEIGH);
	assert_int_equal(n.family, AF_BRIDGE);
	assert_int_equal(n.ifindex, 2);
	assert_true(n.has_mac && rte_is_same_ether_addr(&n.mac, &ZERO));
	assert_true(n.has_dst);
	assert_int_equal(n.dst, htonl(0xac100002));
	assert_int_equal(n.flags, NTF_SELF);
	assert_int_equal(n.state, NUD_NOARP | NUD_PERMANENT);
	parse_ok(REC_MAC_ADD, &n);
	assert_true(rte_is_same_ether_addr(&n.mac, &MAC11));
	assert_int_equal(n.dst, htonl(0xac100003));
	assert_int_equal(n.flags, NTF_SELF | NTF_EXT_LEARNED);
	parse_ok(REC_MAC_MOVE, &n);
	assert_int_equal(n.type, RTM_NEWNEIGH);
	assert_int_equal(n.dst, htonl(0xac100004));
	parse_ok(REC_MAC_DEL, &n);
	assert_int_equal(n.type, RTM_DELNEIGH);
	assert_true(rte_is_same_ether_addr(&n.mac, &MAC11));
	parse_ok(REC_FLOOD_DEL, &n);
	assert_int_equal(n.type, RTM_DELNEIGH);
	assert_int_equal(n.dst, htonl(0xac100002));
	/* The bridge's own copy of an entry: no destination, its master named. */
	parse_ok(REC_BRIDGE_ECHO, &n);
	assert_false(n.has_dst);
	assert_int_equal(n.master, 3);
	assert_int_equal(n.flags, NTF_EXT_LEARNED);
}

static void
test_recorded_local_and_neighbour(void **state)
{
	const struct rte_ether_addr gw = {{0x02, 0x76, 0x78, 0, 0, 0x64}};
	struct vxg_nl_neigh n;

	(void)state;
	parse_ok(REC_LOCAL_STATIC, &n);
	assert_int_equal(n.ifindex, 5);
	assert_int_equal(n.state, NUD_NOARP);
	assert_int_equal(n.master, 3);
	assert_false(n.has_dst);
	parse_ok(REC_GW_NEIGH, &n);
	assert_int_equal(n.family, AF_INET);
	assert_int_equal(n.ifindex, 3);
	assert_int_equal(n.dst, htonl(0x0a010001));
	assert_true(rte_is_same_ether_addr(&n.mac, &gw));
}

static unsigned walked;

static void
count_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct vxg_nl_neigh n;

	(void)arg;
	walked++;
	(void)vxg_nl_neigh_parse(nlh, &n); /* whatever it holds: never read past it */
}

/* Records one after another, as a dump's datagram holds them. */
static size_t
concat(uint8_t *buf)
{
	const uint8_t *recs[] = {REC_FLOOD_ADD, REC_MAC_ADD, REC_BRIDGE_ECHO, REC_GW_NEIGH};
	const size_t lens[] = {sizeof(REC_FLOOD_ADD), sizeof(REC_MAC_ADD), sizeof(REC_BRIDGE_ECHO),
		sizeof(REC_GW_NEIGH)};
	size_t len = 0;

	for (unsigned i = 0; i < 4; i++) {
		memcpy(buf + len, recs[i], lens[i]);
		len += lens[i];
	}
	return len;
}

/* Cut at every length: the whole messages before the cut are read, the cut one counted. */
static void
test_truncated(void **state)
{
	uint8_t buf[512];
	size_t len = concat(buf);
	struct vxg_nl_neigh n;

	(void)state;
	walked = 0;
	assert_int_equal(vxg_nl_walk(buf, len, count_msg, NULL), 0);
	assert_int_equal(walked, 4);
	for (size_t cut = 1; cut < len; cut++) {
		uint8_t *m = malloc(cut); /* exactly cut bytes: ASan sees any read past */

		memcpy(m, buf, cut);
		walked = 0;
		unsigned bad = vxg_nl_walk(m, cut, count_msg, NULL);
		assert_true(walked <= 4);
		assert_int_equal(
			bad, cut == sizeof(REC_FLOOD_ADD) ||
					     cut == sizeof(REC_FLOOD_ADD) + sizeof(REC_MAC_ADD) ||
					     cut == len - sizeof(REC_GW_NEIGH)
				     ? 0
				     : 1);
		free(m);
	}
	/* A header whose length says more than the datagram holds. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	buf[0] = 0xff;
	walked = 0;
	assert_int_equal(vxg_nl_walk(buf, sizeof(REC_MAC_ADD), count_msg, NULL), 1);
	assert_int_equal(walked, 0);
	/* A whole header, the ndmsg cut: refused. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	((struct nlmsghdr *)buf)->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(vxg_nl_neigh_parse((struct nlmsghdr *)buf, &n), -EBADMSG);
}

static void
test_bad_attributes(void **state)
{
	uint8_t buf[128];
	struct vxg_nl_neigh n;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	(void)state;
	/* NDA_LLADDR of 5 bytes. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	buf[28] = 9;
	assert_int_equal(vxg_nl_neigh_parse(nlh, &n), -EBADMSG);
	/* An attribute running past the message: parsing stops before it. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	buf[40] = 0xf0;
	assert_int_equal(vxg_nl_neigh_parse(nlh, &n), 0);
	assert_false(n.has_dst);
	/* NDA_DST of 16 bytes (an IPv6 VTEP): no destination for us. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	buf[40] = 20;
	assert_int_equal(vxg_nl_neigh_parse(nlh, &n), 0);
	assert_false(n.has_dst);
	/* Another family, another type. */
	memcpy(buf, REC_MAC_ADD, sizeof(REC_MAC_ADD));
	buf[16] = AF_INET6;
	assert_int_equal(vxg_nl_neigh_parse(nlh, &n), -ENOMSG);
	nlh->nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(vxg_nl_neigh_parse(nlh, &n), -ENOMSG);
}

/* Random datagrams: every message that fits is decoded; nothing is read past the end. */
static void
test_garbage(void **state)
{
	struct vxg_nl_link l;

	(void)state;
	srand(7);
	for (unsigned round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand() % 200) + 1;
		uint8_t *m = malloc(len);

		for (size_t i = 0; i < len; i++)
			m[i] = (uint8_t)rand();
		if (round & 1) { /* a plausible header, so the decoders get to run */
			memcpy(m, REC_MAC_ADD, len < 24 ? len : 24);
			if (len >= 4)
				*(uint32_t *)m = (uint32_t)len;
			if (len >= 6 && (round & 2))
				*(uint16_t *)(m + 4) = RTM_NEWLINK;
		}
		vxg_nl_walk(m, len, count_msg, NULL);
		if (len >= sizeof(struct nlmsghdr) && ((struct nlmsghdr *)m)->nlmsg_len <= len &&
			mnl_nlmsg_ok((struct nlmsghdr *)m, (int)len))
			(void)vxg_nl_link_parse((struct nlmsghdr *)m, &l);
		free(m);
	}
}

static void
test_encoders_round_trip(void **state)
{
	uint8_t buf[VXG_NL_MSG_MAX];
	struct nlmsghdr *nlh;
	struct vxg_nl_neigh n;
	struct vxg_nl_link l;

	(void)state;
	nlh = vxg_nl_fdb_msg(buf, RTM_NEWNEIGH, 9, 7, &MAC11, NTF_MASTER, NUD_NOARP, 0);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	parse_ok(buf, &n);
	assert_int_equal(n.ifindex, 7);
	assert_int_equal(n.flags, NTF_MASTER);
	assert_int_equal(n.state, NUD_NOARP);
	assert_false(n.has_dst);
	assert_true(rte_is_same_ether_addr(&n.mac, &MAC11));
	/* What `bridge fdb add ... self permanent dst 172.16.0.2` sent: the same ndmsg and
	 * attributes as the kernel's record, which adds NDA_CACHEINFO. */
	nlh = vxg_nl_fdb_msg(buf, RTM_NEWNEIGH, 0, 2, &ZERO, NTF_SELF, NUD_NOARP | NUD_PERMANENT,
		htonl(0xac100002));
	assert_int_equal(nlh->nlmsg_len, 48);
	assert_memory_equal(buf + 16, REC_FLOOD_ADD + 16, 11); /* ndmsg less ndm_type */
	assert_memory_equal(buf + 28, REC_FLOOD_ADD + 28, 20);
	vxg_nl_ipneigh_msg(buf, RTM_NEWNEIGH, 1, 3, htonl(0x0a010001), &MAC11, NUD_NOARP);
	parse_ok(buf, &n);
	assert_int_equal(n.family, AF_INET);
	assert_int_equal(n.dst, htonl(0x0a010001));
	nlh = vxg_nl_vxlan_msg(buf, 1, "vxv100", 100, htonl(0xac100001), 4789);
	nlh->nlmsg_type = RTM_NEWLINK; /* decoded as the kernel's answer would be */
	assert_int_equal(vxg_nl_link_parse(nlh, &l), 0);
	assert_string_equal(l.name, "vxv100");
	assert_string_equal(l.kind, "vxlan");
	assert_int_equal(l.vni, 100);
	assert_int_equal(l.local, htonl(0xac100001));
	assert_int_equal(l.port, 4789);
	nlh = vxg_nl_veth_msg(buf, 1, "vxp100", "vxq100");
	assert_int_equal(vxg_nl_link_parse(nlh, &l), 0);
	assert_string_equal(l.kind, "veth");
	assert_true(nlh->nlmsg_len < VXG_NL_MSG_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_vxlan_entries),
		cmocka_unit_test(test_recorded_local_and_neighbour),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_attributes),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_encoders_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
