/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rtnetlink messages of the EVPN shadow with libmnl (evpn_nl.h): attributes are checked
 * with mnl_attr_validate2 before they are read, messages with mnl_nlmsg_ok.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <rte_cycles.h>

#include "evpn/evpn_nl.h"

/* ---- Decoders --------------------------------------------------------------------------- */

struct attr_tab {
	const struct nlattr **tb;
	uint16_t max;
};

/* Keep each attribute of a known type; mnl_attr_parse already stopped at one that does not
 * fit in the message. */
static int
attr_keep(const struct nlattr *a, void *data)
{
	struct attr_tab *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

/* Is attribute a (if present) exactly len bytes long? */
static bool
attr_len_ok(const struct nlattr *a, size_t len)
{
	return a == NULL || mnl_attr_validate2(a, MNL_TYPE_BINARY, len) == 0;
}

static void
neigh_fill(struct vxg_nl_neigh *o, const struct nlattr **tb)
{
	if (tb[NDA_LLADDR] != NULL) {
		o->has_mac = true;
		memcpy(&o->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), RTE_ETHER_ADDR_LEN);
	}
	if (tb[NDA_DST] != NULL) {
		o->has_dst = true;
		memcpy(&o->dst, mnl_attr_get_payload(tb[NDA_DST]), sizeof(o->dst));
	}
	if (tb[NDA_MASTER] != NULL)
		o->master = mnl_attr_get_u32(tb[NDA_MASTER]);
	if (tb[NDA_NH_ID] != NULL)
		o->nh_id = mnl_attr_get_u32(tb[NDA_NH_ID]);
}

int
vxg_nl_neigh_parse(const struct nlmsghdr *nlh, struct vxg_nl_neigh *out)
{
	const struct nlattr *tb[NDA_MAX + 1] = {NULL};
	struct attr_tab t = {tb, NDA_MAX};
	const struct ndmsg *nd;

	if (nlh->nlmsg_type != RTM_NEWNEIGH && nlh->nlmsg_type != RTM_DELNEIGH)
		return -ENOMSG;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*nd))
		return -EBADMSG;
	nd = mnl_nlmsg_get_payload(nlh);
	if (nd->ndm_family != AF_BRIDGE && nd->ndm_family != AF_INET)
		return -ENOMSG;
	memset(out, 0, sizeof(*out));
	out->type = nlh->nlmsg_type;
	out->family = nd->ndm_family;
	out->flags = nd->ndm_flags;
	out->state = nd->ndm_state;
	out->ifindex = nd->ndm_ifindex;
	if (mnl_attr_parse(nlh, sizeof(*nd), attr_keep, &t) < 0)
		return -EBADMSG;
	/* A MAC for an FDB entry; an IPv4 destination (IPv6 VTEPs are not supported: the
	 * caller sees no dst and counts the entry as not for it). */
	if ((tb[NDA_LLADDR] != NULL &&
		    mnl_attr_validate2(tb[NDA_LLADDR], MNL_TYPE_BINARY, RTE_ETHER_ADDR_LEN) < 0) ||
		!attr_len_ok(tb[NDA_MASTER], 4) || !attr_len_ok(tb[NDA_NH_ID], 4))
		return -EBADMSG;
	if (tb[NDA_DST] != NULL && mnl_attr_get_payload_len(tb[NDA_DST]) != 4)
		tb[NDA_DST] = NULL;
	neigh_fill(out, tb);
	return 0;
}

static int
vxlan_data(const struct nlattr *data, struct vxg_nl_link *out)
{
	const struct nlattr *tb[IFLA_VXLAN_MAX + 1] = {NULL};
	struct attr_tab t = {tb, IFLA_VXLAN_MAX};

	if (mnl_attr_parse_nested(data, attr_keep, &t) < 0 || !attr_len_ok(tb[IFLA_VXLAN_ID], 4) ||
		!attr_len_ok(tb[IFLA_VXLAN_LOCAL], 4) || !attr_len_ok(tb[IFLA_VXLAN_PORT], 2))
		return -EBADMSG;
	if (tb[IFLA_VXLAN_ID] != NULL)
		out->vni = mnl_attr_get_u32(tb[IFLA_VXLAN_ID]);
	if (tb[IFLA_VXLAN_LOCAL] != NULL)
		memcpy(&out->local, mnl_attr_get_payload(tb[IFLA_VXLAN_LOCAL]), 4);
	if (tb[IFLA_VXLAN_PORT] != NULL)
		out->port = ntohs(mnl_attr_get_u16(tb[IFLA_VXLAN_PORT]));
	return 0;
}

static int
link_info(const struct nlattr *info, struct vxg_nl_link *out)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1] = {NULL};
	struct attr_tab t = {tb, IFLA_INFO_MAX};

	if (mnl_attr_parse_nested(info, attr_keep, &t) < 0)
		return -EBADMSG;
	if (tb[IFLA_INFO_KIND] != NULL) {
		if (mnl_attr_validate(tb[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(out->kind, sizeof(out->kind), "%s", mnl_attr_get_str(tb[IFLA_INFO_KIND]));
	}
	if (strcmp(out->kind, "vxlan") == 0 && tb[IFLA_INFO_DATA] != NULL)
		return vxlan_data(tb[IFLA_INFO_DATA], out);
	return 0;
}

int
vxg_nl_link_parse(const struct nlmsghdr *nlh, struct vxg_nl_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {NULL};
	struct attr_tab t = {tb, IFLA_MAX};
	const struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -ENOMSG;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	out->type = nlh->nlmsg_type;
	out->ifindex = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	if (mnl_attr_parse(nlh, sizeof(*ifi), attr_keep, &t) < 0 ||
		!attr_len_ok(tb[IFLA_MASTER], 4))
		return -EBADMSG;
	if (tb[IFLA_IFNAME] != NULL) {
		if (mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(out->name, sizeof(out->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	}
	if (tb[IFLA_MASTER] != NULL)
		out->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINKINFO] != NULL)
		return link_info(tb[IFLA_LINKINFO], out);
	return 0;
}

unsigned
vxg_nl_walk(const void *buf, size_t len, void (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	/* mnl_nlmsg_ok compares the length as an int: a garbage length of 2 GiB or more passes
	 * it, hence the unsigned bound first. */
	while (left >= (int)sizeof(*nlh) && nlh->nlmsg_len <= (uint32_t)left &&
		mnl_nlmsg_ok(nlh, left)) {
		cb(nlh, arg);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	/* Bytes left that hold no whole message: one cut short. (A last message's alignment
	 * padding may be missing: mnl_nlmsg_next leaves a negative count then.) */
	return left > 0 ? 1 : 0;
}

int
vxg_nl_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;

	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 1;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e->error))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	return e->error;
}

/* ---- Encoders ---------------------------------------------------------------------------- */

static struct nlmsghdr *
msg_start(void *buf, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, VXG_NL_MSG_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

struct nlmsghdr *
vxg_nl_fdb_msg(void *buf, uint16_t type, uint32_t seq, int32_t ifindex,
	const struct rte_ether_addr *mac, uint8_t ntf, uint16_t state, uint32_t dst)
{
	struct nlmsghdr *nlh =
		msg_start(buf, type, type == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_REPLACE : 0, seq);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = ifindex;
	nd->ndm_flags = ntf;
	nd->ndm_state = state;
	mnl_attr_put(nlh, NDA_LLADDR, RTE_ETHER_ADDR_LEN, mac);
	if (dst != 0)
		mnl_attr_put(nlh, NDA_DST, sizeof(dst), &dst);
	return nlh;
}

struct nlmsghdr *
vxg_nl_ipneigh_msg(void *buf, uint16_t type, uint32_t seq, int32_t ifindex, uint32_t ip,
	const struct rte_ether_addr *mac, uint16_t state)
{
	struct nlmsghdr *nlh =
		msg_start(buf, type, type == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_REPLACE : 0, seq);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = AF_INET;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = state;
	mnl_attr_put(nlh, NDA_DST, sizeof(ip), &ip);
	if (mac != NULL)
		mnl_attr_put(nlh, NDA_LLADDR, RTE_ETHER_ADDR_LEN, mac);
	return nlh;
}

struct nlmsghdr *
vxg_nl_neigh_dump_msg(void *buf, uint32_t seq, uint8_t family)
{
	struct nlmsghdr *nlh = msg_start(buf, RTM_GETNEIGH, NLM_F_DUMP, seq);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = family;
	return nlh;
}

static struct nlmsghdr *
link_start(void *buf, uint16_t type, uint16_t flags, uint32_t seq, int32_t ifindex,
	struct ifinfomsg **ifi)
{
	struct nlmsghdr *nlh = msg_start(buf, type, flags, seq);

	*ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(**ifi));
	(*ifi)->ifi_family = AF_UNSPEC;
	(*ifi)->ifi_index = ifindex;
	return nlh;
}

struct nlmsghdr *
vxg_nl_getlink_msg(void *buf, uint32_t seq, const char *name)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = link_start(buf, RTM_GETLINK, 0, seq, 0, &ifi);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

struct nlmsghdr *
vxg_nl_dellink_msg(void *buf, uint32_t seq, int32_t ifindex)
{
	struct ifinfomsg *ifi;

	return link_start(buf, RTM_DELLINK, 0, seq, ifindex, &ifi);
}

/* RTM_NEWLINK creating name of kind; returns the IFLA_INFO_DATA nest to fill (then end
 * both nests with link_new_end), or NULL for a kind without data. */
static struct nlmsghdr *
link_new(void *buf, uint32_t seq, const char *name, const char *kind, struct nlattr **info,
	struct nlattr **data)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh =
		link_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, seq, 0, &ifi);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	*info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	*data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	return nlh;
}

static void
link_new_end(struct nlmsghdr *nlh, struct nlattr *info, struct nlattr *data)
{
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

struct nlmsghdr *
vxg_nl_bridge_msg(void *buf, uint32_t seq, const char *name)
{
	struct nlattr *info, *data;
	struct nlmsghdr *nlh = link_new(buf, seq, name, "bridge", &info, &data);

	/* Nothing reaches the shadow's bridge: no STP, no snooping, no multicast queries. */
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	link_new_end(nlh, info, data);
	return nlh;
}

struct nlmsghdr *
vxg_nl_vxlan_msg(
	void *buf, uint32_t seq, const char *name, uint32_t vni, uint32_t local, uint16_t dstport)
{
	struct nlattr *info, *data;
	struct nlmsghdr *nlh = link_new(buf, seq, name, "vxlan", &info, &data);

	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vni);
	mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, sizeof(local), &local);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(dstport));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
	link_new_end(nlh, info, data);
	return nlh;
}

struct nlmsghdr *
vxg_nl_veth_msg(void *buf, uint32_t seq, const char *name, const char *peer)
{
	struct nlattr *info, *data, *p;
	struct nlmsghdr *nlh = link_new(buf, seq, name, "veth", &info, &data);
	struct ifinfomsg *pi;

	p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer is an ifinfomsg then its attributes, inside the nest. */
	pi = mnl_nlmsg_get_payload_tail(nlh);
	memset(pi, 0, sizeof(*pi));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, p);
	link_new_end(nlh, info, data);
	return nlh;
}

struct nlmsghdr *
vxg_nl_setlink_msg(void *buf, uint32_t seq, int32_t ifindex, uint32_t master)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = link_start(buf, RTM_NEWLINK, 0, seq, ifindex, &ifi);
	struct nlattr *af, *in6;

	if (master != 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	return nlh;
}

struct nlmsghdr *
vxg_nl_up_msg(void *buf, uint32_t seq, int32_t ifindex)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = link_start(buf, RTM_NEWLINK, 0, seq, ifindex, &ifi);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nlh;
}

struct nlmsghdr *
vxg_nl_brport_msg(void *buf, uint32_t seq, int32_t ifindex, bool learning, bool neigh_suppress)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = link_start(buf, RTM_SETLINK, 0, seq, ifindex, &ifi);
	struct nlattr *p;

	ifi->ifi_family = AF_BRIDGE;
	p = mnl_attr_nest_start(nlh, IFLA_PROTINFO | NLA_F_NESTED);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_LEARNING, learning);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_NEIGH_SUPPRESS, neigh_suppress);
	mnl_attr_nest_end(nlh, p);
	return nlh;
}

/* ---- Exchanges ---------------------------------------------------------------------------- */

struct talk {
	uint32_t seq;
	int ret; /* 1: not answered yet */
	struct vxg_nl_link *out;
};

static void
talk_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct talk *t = arg;
	int e;

	if (nlh->nlmsg_seq != t->seq || t->ret != 1)
		return;
	if (nlh->nlmsg_type == RTM_NEWLINK && t->out != NULL) {
		if (vxg_nl_link_parse(nlh, t->out) < 0)
			t->ret = -EBADMSG;
		return; /* the acknowledgement follows */
	}
	e = vxg_nl_error(nlh);
	if (e <= 0)
		t->ret = e;
}

int
vxg_nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, int timeout_ms, struct vxg_nl_link *out)
{
	uint64_t hz = rte_get_timer_hz(), end = rte_get_timer_cycles() + hz / 1000 * timeout_ms;
	struct talk t = {nlh->nlmsg_seq, 1, out};
	uint8_t buf[16384]; /* a link's answer is 2 kB; a longer stale one is cut, unread */

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (t.ret == 1) {
		struct pollfd p = {.fd = mnl_socket_get_fd(nl), .events = POLLIN};
		uint64_t now = rte_get_timer_cycles();
		ssize_t n;

		if (now >= end)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)((end - now) * 1000 / hz) + 1) <= 0)
			continue;
		n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR && errno != ENOBUFS)
			return -errno;
		if (n > 0)
			vxg_nl_walk(buf, (size_t)n, talk_msg, &t);
	}
	return t.ret;
}
