/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 service on frames (dhcp6_service.h): a punted frame checked, rate-limited,
 * parsed and answered, the reply written over it.
 *
 * Thread-safety: control thread only.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dhcp6/dhcp6_service.h"
#include "ra/ra_build.h"
#include "vxg_meta.h"

#define HDRS_LEN \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv6_hdr) + sizeof(struct rte_udp_hdr))

static const struct vxg_ip6 all_agents = {{0xff, 0x02, [13] = 1, [15] = 2}};

struct frame6 {
	struct rte_ether_hdr *eth;
	struct rte_ipv6_hdr *ip;
	struct rte_udp_hdr *udp;
	const uint8_t *msg;
	size_t msg_len;
};

static enum dhcp6_svc_drop
frame_parse(struct rte_mbuf *m, struct frame6 *f, const struct dhcp6_svc_net *sn)
{
	size_t plen;

	/* The reply is written over the request: the data must be ours alone and linear. */
	if (!rte_pktmbuf_is_contiguous(m) || !RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 ||
		rte_pktmbuf_data_len(m) < HDRS_LEN)
		return DHCP6_SVC_bad_frame;
	f->eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	f->ip = (struct rte_ipv6_hdr *)(f->eth + 1);
	if (f->eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
		(f->ip->vtc_flow & RTE_BE32(0xf0000000)) != RTE_BE32(0x60000000))
		return DHCP6_SVC_bad_frame;
	plen = rte_be_to_cpu_16(f->ip->payload_len);
	if (f->ip->proto != IPPROTO_UDP || plen < sizeof(*f->udp) ||
		plen > rte_pktmbuf_data_len(m) - sizeof(*f->eth) - sizeof(*f->ip))
		return DHCP6_SVC_bad_ip;
	f->udp = (struct rte_udp_hdr *)(f->ip + 1);
	/* IPv6 makes the UDP checksum mandatory (RFC 8200 8.1): 0 is no checksum, refused. */
	if (rte_be_to_cpu_16(f->udp->dgram_len) != plen ||
		f->udp->dst_port != RTE_BE16(VXG_DHCP6_SERVER_PORT) || f->udp->dgram_cksum == 0 ||
		rte_ipv6_udptcp_cksum_verify(f->ip, f->udp) != 0)
		return DHCP6_SVC_bad_udp;
	if (memcmp(f->ip->dst_addr, all_agents.a, 16) != 0 &&
		memcmp(f->ip->dst_addr, sn->gw.a, 16) != 0 &&
		memcmp(f->ip->dst_addr, sn->gw_ll.a, 16) != 0)
		return DHCP6_SVC_not_for_us;
	f->msg = (const uint8_t *)(f->udp + 1);
	f->msg_len = plen - sizeof(*f->udp);
	return DHCP6_SVC_MAX;
}

/* The reply frame over m: to the client's MAC, address and port, from the gateway's. */
static enum dhcp6_svc_drop
frame_reply(struct rte_mbuf *m, const struct dhcp6_svc_net *sn, const uint8_t *msg, size_t len)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	size_t cur = rte_pktmbuf_data_len(m), want = HDRS_LEN + len;
	uint8_t client[16];
	rte_be16_t cport = udp->src_port;

	if (want > cur ? rte_pktmbuf_append(m, (uint16_t)(want - cur)) == NULL
		       : rte_pktmbuf_trim(m, (uint16_t)(cur - want)) != 0)
		return DHCP6_SVC_no_room;
	memcpy(client, ip->src_addr, 16);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = sn->gw_mac;
	memcpy((uint8_t *)(udp + 1), msg, len);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	ip->hop_limits = 255;
	memcpy(ip->src_addr, sn->gw_ll.a, 16);
	memcpy(ip->dst_addr, client, 16);
	udp->src_port = RTE_BE16(VXG_DHCP6_SERVER_PORT);
	udp->dst_port = cport;
	udp->dgram_len = ip->payload_len;
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv6_udptcp_cksum(ip, udp);
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP;
	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip);
	return DHCP6_SVC_MAX;
}

static int
count_drop(struct vxg_dhcp6_service *s, struct dhcp6_svc_net *sn, enum dhcp6_svc_drop d)
{
	s->stats.drops[d]++;
	if (sn != NULL)
		sn->stats.drops[d]++;
	return 0;
}

static enum dhcp6_svc_drop
rate_check(struct vxg_dhcp6_service *s, const struct rte_ether_addr *src, time_t now)
{
	switch (vxg_dhcp_limit_check(&s->lim, src, now)) {
	case VXG_DHCP_LIMIT_CLIENT:
		return DHCP6_SVC_rate_limited;
	case VXG_DHCP_LIMIT_TABLE_FULL:
		return DHCP6_SVC_client_table_full;
	case VXG_DHCP_LIMIT_GLOBAL:
		return DHCP6_SVC_global_limited;
	case VXG_DHCP_LIMIT_OK:
		break;
	}
	return DHCP6_SVC_MAX;
}

static enum dhcp6_svc_drop
serve(struct vxg_dhcp6_service *s, struct dhcp6_svc_net *sn, struct rte_mbuf *m,
	const struct dhcp6_msg *msg, const struct rte_ether_addr *src, time_t now)
{
	uint8_t buf[DHCP6_MSG_MAX];
	struct dhcp6_reply r;
	enum dhcp6_silence why;
	size_t len;

	if (!vxg_dhcp6_handle(&sn->n, msg, src, &s->duid, now, &r, &why))
		return why == DHCP6_SILENT_NOT_FOR_US ? DHCP6_SVC_not_for_us : DHCP6_SVC_no_reply;
	if (msg->type != DHCP6_INFO_REQUEST && msg->type != DHCP6_CONFIRM)
		s->dirty = true;
	if ((len = vxg_dhcp6_build(&r, buf, sizeof(buf))) == 0)
		return DHCP6_SVC_no_room;
	if (frame_reply(m, sn, buf, len) != DHCP6_SVC_MAX)
		return DHCP6_SVC_no_room;
	s->stats.tx[r.type]++;
	sn->stats.tx[r.type]++;
	return DHCP6_SVC_MAX;
}

int
vxg_dhcp6_service_input(struct vxg_dhcp6_service *s, uint32_t vni, struct rte_mbuf *m, time_t now)
{
	struct dhcp6_svc_net *sn = vxg_dhcp6_net_of(s, vni);
	struct rte_ether_addr src;
	struct dhcp6_msg msg;
	struct frame6 f;
	enum dhcp6_svc_drop d;
	enum dhcp6_err pe;

	if (now > s->last_now)
		s->last_now = now;
	if (sn == NULL)
		return count_drop(s, NULL, DHCP6_SVC_unknown_network);
	if ((d = frame_parse(m, &f, sn)) != DHCP6_SVC_MAX)
		return count_drop(s, sn, d);
	src = f.eth->src_addr;
	if ((d = rate_check(s, &src, now)) != DHCP6_SVC_MAX)
		return count_drop(s, sn, d);
	if ((pe = vxg_dhcp6_parse(f.msg, f.msg_len, &msg)) != DHCP6_PARSE_OK) {
		s->stats.parse[pe]++;
		sn->stats.parse[pe]++;
		return 0;
	}
	s->stats.rx[msg.type]++;
	sn->stats.rx[msg.type]++;
	/* msg holds copies of what the reply needs: the frame may be overwritten. */
	if ((d = serve(s, sn, m, &msg, &src, now)) != DHCP6_SVC_MAX)
		return count_drop(s, sn, d);
	return 1;
}
