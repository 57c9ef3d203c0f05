/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EVPN's namespace's loopback over rtnetlink (evpn_ns.h). Requests are acknowledged, and
 * the kernel answers them at once: no wait on anything but the kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "core/netns.h"
#include "evpn/evpn_ns.h"

/* A route socket bound to namespace ns. */
static struct mnl_socket *
rtnl_open(int ns, int *err)
{
	struct mnl_socket *nl = NULL;
	int saved, ret;

	ret = vxg_netns_enter(ns, &saved);
	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	*err = nl == NULL ? -errno : 0;
	vxg_netns_leave(saved);
	if (nl != NULL && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Send nlh on a new socket in ns and read its acknowledgement: 0 or the -errno of it. */
static int
rtnl_do(int ns, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	ssize_t n;
	int ret;

	nl = rtnl_open(ns, &ret);
	if (nl == NULL)
		return ret;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
	} else {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		ret = n < 0 ? -errno
			    : mnl_cb_run(buf, n, nlh->nlmsg_seq, mnl_socket_get_portid(nl), NULL,
				      NULL);
		if (ret < 0 && n >= 0)
			ret = -errno;
		else if (ret > 0)
			ret = 0;
	}
	mnl_socket_close(nl);
	return ret;
}

int
evpn_ns_lo_up(int ns)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1; /* lo is the first device of every namespace */
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return rtnl_do(ns, nlh);
}

int
evpn_ns_lo_addr(int ns, uint32_t addr, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint32_t be = htonl(addr);
	struct ifaddrmsg *ifa;
	int ret;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	if (add)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = 1;
	mnl_attr_put_u32(nlh, IFA_LOCAL, be);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, be);
	ret = rtnl_do(ns, nlh);
	if (!add && ret == -EADDRNOTAVAIL)
		ret = 0;
	return ret;
}
