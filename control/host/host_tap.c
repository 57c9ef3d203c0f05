/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface's tap (host_tap.h): opened in its namespace, then addressed and
 * brought up with rtnetlink requests built by libmnl, each acknowledged by the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "core/netns.h"
#include "host/host_tap.h"

/* net/if.h clashes with linux/if.h; this is all that is wanted of it. */
extern unsigned int if_nametoindex(const char *ifname);

void
vxg_host_tap_init(struct vxg_host_tap *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->ns = -1;
}

void
vxg_host_tap_close(struct vxg_host_tap *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->nl != NULL)
		mnl_socket_close(t->nl);
	if (t->ns >= 0)
		close(t->ns);
	vxg_host_tap_init(t);
}

/* Send one request and take its acknowledgement: 0, or the kernel's -errno. The kernel
 * answers rtnetlink requests before sendto returns: the receive does not wait. */
static int
tap_nl(struct vxg_host_tap *t, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++t->seq;
	if (mnl_socket_sendto(t->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(t->nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, t->seq, mnl_socket_get_portid(t->nl), NULL, NULL) < 0)
		return -errno;
	return 0;
}

static struct ifinfomsg *
tap_link_msg(struct vxg_host_tap *t, char *buf, struct nlmsghdr **nlh)
{
	struct ifinfomsg *ifi;

	*nlh = mnl_nlmsg_put_header(buf);
	(*nlh)->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(*nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)t->ifindex;
	return ifi;
}

/* The underlay's MAC and MTU. */
static int
tap_link(struct vxg_host_tap *t, const struct vxg_host_tap_cfg *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	tap_link_msg(t, buf, &nlh);
	mnl_attr_put(nlh, IFLA_ADDRESS, RTE_ETHER_ADDR_LEN, c->mac.addr_bytes);
	mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
	return tap_nl(t, nlh);
}

/* No IPv6 link-local address, so no DAD, Router Solicitations or MLD out of an IPv4
 * underlay. A kernel without IPv6 has nothing to silence. Before the link is up. */
static int
tap_quiet6(struct vxg_host_tap *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *af, *in6;
	int ret;

	tap_link_msg(t, buf, &nlh);
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	ret = tap_nl(t, nlh);
	return ret == -EAFNOSUPPORT ? 0 : ret;
}

static int
tap_up(struct vxg_host_tap *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi = tap_link_msg(t, buf, &nlh);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return tap_nl(t, nlh);
}

/* RTM_NEWADDR or RTM_DELADDR of c's address and prefix. */
static int
tap_addr(struct vxg_host_tap *t, const struct vxg_host_tap_cfg *c, uint16_t type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	if (type == RTM_NEWADDR)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = c->prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = t->ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(c->addr));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(c->addr));
	return tap_nl(t, nlh);
}

/* RTM_NEWROUTE (replacing) or RTM_DELROUTE of the default route by gateway. */
static int
tap_route(struct vxg_host_tap *t, uint32_t gateway, uint16_t type)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (type == RTM_NEWROUTE) {
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
		rtm->rtm_protocol = RTPROT_STATIC;
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
		rtm->rtm_type = RTN_UNICAST;
	} else {
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gateway));
	mnl_attr_put_u32(nlh, RTA_OIF, t->ifindex);
	return tap_nl(t, nlh);
}

/* In the namespace: the tap, a netlink socket, the tap's index. */
static int
tap_open_here(struct vxg_host_tap *t, const char **step)
{
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};

	*step = "open /dev/net/tun";
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", VXG_HOST_TAP_NAME);
	*step = "create the tap (TUNSETIFF)";
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	*step = "open rtnetlink";
	t->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (t->nl == NULL || mnl_socket_bind(t->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	*step = "find its index";
	t->ifindex = if_nametoindex(VXG_HOST_TAP_NAME);
	return t->ifindex == 0 ? -errno : 0;
}

static int
tap_create(struct vxg_host_tap *t, const char *netns, const char **step)
{
	int saved, ret, left;

	*step = "open the namespace";
	if (!vxg_netns_name_ok(netns))
		return -EINVAL;
	t->ns = vxg_netns_open(netns, true, NULL);
	if (t->ns < 0)
		return t->ns;
	*step = "enter the namespace";
	ret = vxg_netns_enter(t->ns, &saved);
	if (ret < 0)
		return ret;
	ret = tap_open_here(t, step);
	left = vxg_netns_leave(saved);
	if (ret == 0 && left < 0) {
		*step = "leave the namespace";
		ret = left;
	}
	return ret;
}

/* What differs between what is applied (o) and c, on a tap that already exists. */
static int
tap_change(struct vxg_host_tap *t, const struct vxg_host_tap_cfg *o,
	const struct vxg_host_tap_cfg *c, const char **step)
{
	bool readdr = o->addr != c->addr || o->prefixlen != c->prefixlen;
	int ret;

	*step = "set its MAC and MTU";
	if ((!rte_is_same_ether_addr(&o->mac, &c->mac) || o->mtu != c->mtu) &&
		(ret = tap_link(t, c)) < 0)
		return ret;
	*step = "remove the old default route";
	if (o->gateway != 0 && (readdr || o->gateway != c->gateway) &&
		(ret = tap_route(t, o->gateway, RTM_DELROUTE)) < 0 && ret != -ESRCH)
		return ret;
	*step = "remove the old address";
	if (readdr && o->addr != 0 && (ret = tap_addr(t, o, RTM_DELADDR)) < 0 &&
		ret != -EADDRNOTAVAIL)
		return ret;
	*step = "add the address";
	if (readdr && (ret = tap_addr(t, c, RTM_NEWADDR)) < 0)
		return ret;
	*step = "add the default route";
	if (c->gateway != 0 && (readdr || o->gateway != c->gateway) &&
		(ret = tap_route(t, c->gateway, RTM_NEWROUTE)) < 0)
		return ret;
	return 0;
}

/* A new tap: made, then configured as a change from no address. */
static int
tap_fresh(struct vxg_host_tap *t, const struct vxg_host_tap_cfg *c, const char **step)
{
	struct vxg_host_tap_cfg none = *c;
	int ret;

	if ((ret = tap_create(t, c->netns, step)) < 0)
		return ret;
	*step = "set its MAC and MTU";
	if ((ret = tap_link(t, c)) < 0)
		return ret;
	*step = "turn IPv6 off";
	if ((ret = tap_quiet6(t)) < 0)
		return ret;
	*step = "bring it up";
	if ((ret = tap_up(t)) < 0)
		return ret;
	none.addr = 0;
	none.prefixlen = 0;
	none.gateway = 0;
	return tap_change(t, &none, c, step);
}

int
vxg_host_tap_apply(
	struct vxg_host_tap *t, const struct vxg_host_tap_cfg *c, char *err, size_t errlen)
{
	const char *step = "";
	int ret;

	if (t->fd >= 0 && strcmp(t->cur.netns, c->netns) == 0) {
		ret = tap_change(t, &t->cur, c, &step);
	} else {
		vxg_host_tap_close(t);
		ret = tap_fresh(t, c, &step);
	}
	if (ret < 0) {
		snprintf(err, errlen, "host interface %s in namespace %s: cannot %s: %s",
			VXG_HOST_TAP_NAME, c->netns, step, strerror(-ret));
		vxg_host_tap_close(t);
		return ret;
	}
	t->cur = *c;
	return 0;
}
