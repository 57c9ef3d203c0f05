/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The garbage scenario: one VXLAN packet to the local VTEP per way of being malformed,
 * each meant to be dropped under its own reason.
 */
#include <arpa/inet.h>
#include <string.h>

#include "pcapgen.h"

/* A VXLAN packet whose UDP payload holds only the first 4 bytes of the VXLAN header. */
static size_t
garbage_short_vxlan(const struct opts *o, uint8_t *buf)
{
	struct tunnel t;
	size_t hl, len;
	struct ipv4_hdr *ip;
	struct udp_hdr *udp;

	decap_tunnel(&t, o, G_VXLAN_SHORT, o->vni);
	t.sport = VXLAN_SPORT_MIN;
	hl = put_tunnel(buf, &t, 0) - sizeof(struct vxlan_hdr);
	ip = (struct ipv4_hdr *)(buf + hl - sizeof(*udp) - IP4_HLEN);
	udp = (struct udp_hdr *)(ip + 1);
	len = hl + 4;
	udp->len = htons(sizeof(*udp) + 4);
	put_ipv4(ip, t.sip, t.dip, IPPROTO_UDP_, 64, t.ip_id, IP4_HLEN + sizeof(*udp) + 4);
	memset(buf + len, 0, ETH_MIN_LEN - len);
	return ETH_MIN_LEN;
}

static void
garbage_ip(struct ipv4_hdr *ip, enum garbage g)
{
	uint16_t sum;

	if (g == G_IP_VERSION)
		ip->ver_ihl = 0x65;
	else if (g == G_IP_IHL)
		ip->ver_ihl = 0x44;
	else if (g == G_IP_LEN)
		ip->len = htons(ntohs(ip->len) + 100);
	else if (g == G_IP_FRAG)
		ip->frag = htons(IP_MF); /* a first fragment: offset 0, more to come */
	ip->cksum = 0;
	sum = ipv4_cksum(ip);
	/* off by one in the low bits: never equivalent to the right sum */
	ip->cksum = htons(g == G_IP_CKSUM ? sum ^ 0x0101 : sum);
}

/* One malformed frame per drop reason, all aimed at the local VTEP (see usage()). */
int
gen_garbage(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	enum garbage g = (enum garbage)(i % G_COUNT);
	struct opts base = *o;
	size_t hl = eth_hlen(opt_vlan(o, 0));
	struct vxlan_hdr *vx = (struct vxlan_hdr *)(buf + hl + IP4_HLEN + sizeof(struct udp_hdr));
	int rc;

	if (g == G_VXLAN_SHORT) {
		*len = garbage_short_vxlan(o, buf);
		return 0;
	}
	base.set &= ~O_SIZE; /* the default inner frame: fits whatever -s says */
	base.proto = IPPROTO_UDP_;
	rc = gen_decap_vni(&base, i, buf, len, g == G_VXLAN_VNI ? GARBAGE_UNKNOWN_VNI : o->vni);
	if (rc < 0)
		return rc;
	if (g == G_SHORT_ETH)
		*len = 10;
	else if (g == G_MCAST_SRC)
		buf[6] |= 0x01; /* the I/G bit of the source MAC */
	else if (g == G_VXLAN_NO_I)
		vx->flags = 0;
	else if (g == G_VXLAN_RSVD)
		vx->rsvd1[2] = vx->rsvd2 = 0x01;
	else
		garbage_ip((struct ipv4_hdr *)(buf + hl), g);
	return 0;
}
