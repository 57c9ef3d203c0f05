/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rtnetlink messages of the EVPN shadow, encoded and decoded with libmnl: bridge FDB
 * entries (AF_BRIDGE neighbours: `bridge fdb`), IP neighbours (`ip neigh`), the links
 * (bridge, VXLAN, veth) and their bridge port flags, dumps, and a request/acknowledge
 * exchange bounded in time. Decoders take what the kernel sent, or anything else: a
 * message cut short or with a malformed attribute is refused (-EBADMSG), never read past.
 *
 * Thread-safety: none needed; functions work on the caller's buffers and sockets.
 */
#ifndef VXG_EVPN_NL_H
#define VXG_EVPN_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <net/if.h>

#include <libmnl/libmnl.h>
#include <rte_ether.h>

/* Room for any one message these encoders build. */
#define VXG_NL_MSG_MAX 512

/* An RTM_NEWNEIGH / RTM_DELNEIGH, AF_BRIDGE (an FDB entry) or AF_INET (an IP neighbour). */
struct vxg_nl_neigh {
	uint16_t type; /* RTM_NEWNEIGH or RTM_DELNEIGH */
	uint8_t family; /* AF_BRIDGE, AF_INET */
	uint8_t flags; /* NTF_* (NTF_SELF, NTF_MASTER, NTF_EXT_LEARNED, NTF_STICKY) */
	uint16_t state; /* NUD_* */
	int32_t ifindex;
	bool has_mac;
	struct rte_ether_addr mac; /* NDA_LLADDR */
	bool has_dst;
	uint32_t dst; /* NDA_DST, IPv4, network order: a VTEP (AF_BRIDGE) or the neighbour */
	uint32_t master; /* NDA_MASTER, 0: none */
	uint32_t nh_id; /* NDA_NH_ID (EVPN multihoming next hop groups), 0: none */
};

/* An RTM_NEWLINK / RTM_DELLINK, as far as the shadow's devices need. */
struct vxg_nl_link {
	uint16_t type;
	int32_t ifindex;
	unsigned flags; /* IFF_* */
	char name[IF_NAMESIZE];
	char kind[16]; /* IFLA_INFO_KIND: "bridge", "vxlan", "veth"; "" none */
	uint32_t master; /* IFLA_MASTER, 0: none */
	uint32_t vni; /* vxlan: IFLA_VXLAN_ID */
	uint32_t local; /* vxlan: IFLA_VXLAN_LOCAL, network order */
	uint16_t port; /* vxlan: IFLA_VXLAN_PORT, host order */
};

/* Decode a neighbour message: 0; -EBADMSG cut short or malformed; -ENOMSG another type, or
 * a family other than AF_BRIDGE and AF_INET. */
int vxg_nl_neigh_parse(const struct nlmsghdr *nlh, struct vxg_nl_neigh *out);
/* Decode a link message: 0, -EBADMSG or -ENOMSG, as above. */
int vxg_nl_link_parse(const struct nlmsghdr *nlh, struct vxg_nl_link *out);

/*
 * Walk the messages of one datagram: cb for each whole one (its return ignored). Returns
 * how many were malformed: a header cut short ends the walk and counts one. NLMSG_ERROR
 * and NLMSG_DONE go to cb like the others.
 */
unsigned vxg_nl_walk(
	const void *buf, size_t len, void (*cb)(const struct nlmsghdr *, void *), void *arg);

/* The error an NLMSG_ERROR carries (0: an acknowledgement), or 1 for another message,
 * -EBADMSG for one cut short. */
int vxg_nl_error(const struct nlmsghdr *nlh);

/* ---- Encoders: each writes one message at buf (VXG_NL_MSG_MAX bytes) and returns it. -- */

/*
 * An FDB entry of ifindex: type RTM_NEWNEIGH (flags NLM_F_CREATE | NLM_F_REPLACE) or
 * RTM_DELNEIGH. ntf: NTF_MASTER (the bridge's table) and/or NTF_SELF (the device's own,
 * VXLAN's), NTF_EXT_LEARNED; state NUD_NOARP (`static`), NUD_PERMANENT...; dst (network
 * order) 0 for none. Without NLM_F_ACK: the kernel answers only an error.
 */
struct nlmsghdr *vxg_nl_fdb_msg(void *buf, uint16_t type, uint32_t seq, int32_t ifindex,
	const struct rte_ether_addr *mac, uint8_t ntf, uint16_t state, uint32_t dst);

/* An IPv4 neighbour ip (network order) at mac on ifindex, state (NUD_NOARP...); created or
 * replaced, or deleted (RTM_DELNEIGH). */
struct nlmsghdr *vxg_nl_ipneigh_msg(void *buf, uint16_t type, uint32_t seq, int32_t ifindex,
	uint32_t ip, const struct rte_ether_addr *mac, uint16_t state);

/* A dump of every neighbour of family (AF_BRIDGE: every FDB entry, AF_INET...). */
struct nlmsghdr *vxg_nl_neigh_dump_msg(void *buf, uint32_t seq, uint8_t family);

/* RTM_GETLINK of the device called name. */
struct nlmsghdr *vxg_nl_getlink_msg(void *buf, uint32_t seq, const char *name);

/* RTM_DELLINK of ifindex. */
struct nlmsghdr *vxg_nl_dellink_msg(void *buf, uint32_t seq, int32_t ifindex);

/* A new bridge, down (NLM_F_CREATE | NLM_F_EXCL). */
struct nlmsghdr *vxg_nl_bridge_msg(void *buf, uint32_t seq, const char *name);

/* A new VXLAN device, down: id vni, local (network order), UDP port dstport (host order),
 * no learning. */
struct nlmsghdr *vxg_nl_vxlan_msg(
	void *buf, uint32_t seq, const char *name, uint32_t vni, uint32_t local, uint16_t dstport);

/* A new veth pair name / peer, both down. */
struct nlmsghdr *vxg_nl_veth_msg(void *buf, uint32_t seq, const char *name, const char *peer);

/* Set ifindex, before it goes up: IPv6 address generation off (no link-local address, so
 * nothing to send), and master (0: leave it). The kernel handles a message's flags before
 * its IFLA_AF_SPEC, hence vxg_nl_up_msg apart. */
struct nlmsghdr *vxg_nl_setlink_msg(void *buf, uint32_t seq, int32_t ifindex, uint32_t master);

/* Set ifindex up. */
struct nlmsghdr *vxg_nl_up_msg(void *buf, uint32_t seq, int32_t ifindex);

/* Bridge port flags of ifindex (`bridge link set`): learning, neigh_suppress. */
struct nlmsghdr *vxg_nl_brport_msg(
	void *buf, uint32_t seq, int32_t ifindex, bool learning, bool neigh_suppress);

/* ---- Exchanges on a socket -------------------------------------------------------------- */

/*
 * Send the request nlh (NLM_F_ACK set here) on nl and wait, at most timeout_ms, for its
 * answer: 0 acknowledged, the kernel's -errno, or -ETIMEDOUT. Other messages read meanwhile
 * (answers to earlier requests) are dropped. With out (a link request), the RTM_NEWLINK
 * answer is decoded there. nl may be non-blocking.
 */
int vxg_nl_talk(
	struct mnl_socket *nl, struct nlmsghdr *nlh, int timeout_ms, struct vxg_nl_link *out);

#endif
