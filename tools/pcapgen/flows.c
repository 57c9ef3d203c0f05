/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flow scenarios (encap, decap, l2, routed, sg, sg-syn, snat, snat-reply, fip, mixed):
 * which endpoints each one's packets go between, varied per packet.
 */
#include <string.h>

#include "pcapgen.h"

/* The example configuration's addresses (config/). */
const uint8_t vm1_mac[6] = {0x02, 0x00, 0x0a, 0x01, 0x00, 0x0b};
const uint8_t vm2_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x00, 0x0c};
const uint8_t db_peer_mac[6] = {0x02, 0x00, 0x0a, 0x02, 0x00, 0x0d};
const uint8_t web_gw_mac[6] = {0x02, 0x76, 0x78, 0x00, 0x00, 0x64}; /* VNI 100 */
const uint8_t db_gw_mac[6] = {0x02, 0x76, 0x78, 0x00, 0x00, 0xc8}; /* VNI 200 */
const uint8_t upstream_mac[6] = {0x02, 0x00, 0xcb, 0x00, 0x71, 0x01};
const uint8_t underlay_mac[6] = {0x02, 0x00, 0xac, 0x10, 0x00, 0x01};
const uint8_t remote_vtep_mac[6] = {0x02, 0x00, 0xac, 0x10, 0x00, 0x02};

static void
flow_l4(struct flow *f, const struct opts *o, uint32_t i, const struct endpoints *ep)
{
	uint32_t flow = (uint32_t)(i % o->flows);
	uint32_t round = (uint32_t)(i / o->flows);
	size_t paylen = f->len - frame_min_len(f);

	f->sport = ep->reply ? ep->sport : port_add(ep->sport, flow);
	f->dport = ep->reply ? port_add(ep->dport, flow) : ep->dport;
	if (f->proto == IPPROTO_ICMP_) {
		/* echo id per flow, sequence per packet of the flow */
		f->icmp_type = ep->icmp_reply ? 0 : 8;
		f->sport = ep->reply ? f->dport : f->sport;
		f->dport = (uint16_t)(round + 1);
	}
	f->tcp_flags = (ep->tcp_est || round > 0) ? TCP_ACK : TCP_SYN;
	if (ep->tcp_syn)
		f->tcp_flags = TCP_SYN;
	/* segments follow each other; a SYN takes one sequence number of its own */
	f->seq = mix32(o->seed, flow) + round * (uint32_t)paylen + (!ep->tcp_est && round > 0);
	f->ack = mix32(o->seed ^ 0xac4, flow);
}

/* Applies the per-packet variation: flow i % --flows, MAC i % --macs, host i % --hosts,
 * destination i % --dst-hosts (times --dst-stride). */
static void
flow_make(struct flow *f, const struct opts *o, uint32_t i, const struct endpoints *ep)
{
	memset(f, 0, sizeof(*f));
	mac_add(f->src_mac, ep->src_mac, (uint32_t)(i % o->macs));
	memcpy(f->dst_mac, ep->dst_mac, 6);
	f->vlan = ep->vlan;
	f->sip = ep->src_ip + (uint32_t)(i % o->hosts);
	f->dip = ep->dst_ip + (uint32_t)(i % o->dst_hosts) * (uint32_t)o->dst_stride;
	f->proto = o->proto;
	f->ttl = o->ttl;
	f->ip_id = (uint16_t)(i + 1);
	f->len = o->size;
	f->pad = true;
	if (f->len >= frame_min_len(f))
		flow_l4(f, o, i, ep);
}

static int
emit_frame(const struct opts *o, const struct flow *f, uint32_t i, uint8_t *buf, size_t *len)
{
	if (f->len < frame_min_len(f))
		return fail("-s %zu is too small: %s %s frames%s need at least %zu bytes", f->len,
			o->scenario, proto_name(f->proto), f->vlan ? " with a VLAN tag" : "",
			frame_min_len(f));
	*len = build_frame(buf, f, o->seed, i);
	return 0;
}

static void
endpoints_ports(struct endpoints *ep, const struct opts *o)
{
	ep->sport = o->sport;
	ep->dport = o->dport;
}

int
gen_encap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, db_peer_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, DB_PEER_IP),
		.vlan = opt_vlan(o, 0),
	};
	struct flow f;

	endpoints_ports(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

int
gen_l2(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, db_peer_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, DB_PEER_IP),
		.vlan = opt_vlan(o, 10),
	};
	struct flow f;

	endpoints_ports(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

static void
routed_endpoints(struct endpoints *ep, const struct opts *o)
{
	memset(ep, 0, sizeof(*ep));
	ep->src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm2_mac);
	ep->dst_mac = o->router_mac;
	ep->src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM2_IP);
	ep->dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, VM1_IP);
	ep->vlan = opt_vlan(o, 0);
	endpoints_ports(ep, o);
}

int
gen_routed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

int
gen_sg(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.tcp_est = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

int
gen_sg_syn(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.tcp_syn = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

int
gen_snat(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	routed_endpoints(&ep, o);
	ep.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, SERVER_IP);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* The internet side: the upstream router's frames to our external interface. */
static void
external_endpoints(struct endpoints *ep, const struct opts *o, uint32_t dst_ip)
{
	memset(ep, 0, sizeof(*ep));
	ep->src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, upstream_mac);
	ep->dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, o->router_mac);
	ep->src_ip = opt_ip(o, O_SRC_IP, o->src_ip, SERVER_IP);
	ep->dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, dst_ip);
	ep->vlan = opt_vlan(o, 0);
	endpoints_ports(ep, o);
}

int
gen_fip(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	external_endpoints(&ep, o, o->fip);
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* Replies from the server to --snat: the server's port is --dport, ours --sport + flow. */
int
gen_snat_reply(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct endpoints ep;
	struct flow f;

	external_endpoints(&ep, o, o->snat);
	ep.sport = o->dport;
	ep.dport = o->sport;
	ep.reply = true;
	ep.tcp_est = true;
	ep.icmp_reply = true;
	flow_make(&f, o, i, &ep);
	return emit_frame(o, &f, i, buf, len);
}

/* IMIX: 7 x 64, 4 x 576, 1 x 1500, spread over the cycle rather than in runs. */
static const uint16_t imix[12] = {64, 576, 64, 64, 576, 64, 1500, 64, 576, 64, 64, 576};

int
gen_mixed(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	struct opts part = *o;

	/* even packets routed, odd ones l2: each half gets the whole IMIX cycle */
	part.size = imix[(i / 2) % 12];
	part.set |= O_SIZE;
	if (i % 2 == 0)
		return gen_routed(&part, i, buf, len);
	return gen_l2(&part, i, buf, len);
}

void
decap_tunnel(struct tunnel *t, const struct opts *o, uint32_t i, uint32_t vni)
{
	memset(t, 0, sizeof(*t));
	t->src_mac = o->remote_vtep_mac;
	t->dst_mac = o->underlay_mac;
	t->vlan = opt_vlan(o, 0);
	t->sip = o->vtep_remote;
	t->dip = o->vtep_local;
	t->ip_id = (uint16_t)(i + 1);
	t->dport = o->udp_port;
	t->flags = VXLAN_FLAG_I;
	t->vni = vni;
}

/* SIZE is the outer frame: the inner frame gets what the outer headers leave. */
int
gen_decap_vni(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len, uint32_t vni)
{
	struct endpoints ep = {
		.src_mac = opt_mac(o, O_SRC_MAC, o->src_mac, vm1_mac),
		.dst_mac = opt_mac(o, O_DST_MAC, o->dst_mac, web_gw_mac),
		.src_ip = opt_ip(o, O_SRC_IP, o->src_ip, VM1_IP),
		.dst_ip = opt_ip(o, O_DST_IP, o->dst_ip, VM2_IP),
	};
	struct opts inner_o = *o;
	struct tunnel t;
	struct flow f;
	size_t outer_hl, size;

	decap_tunnel(&t, o, i, vni);
	outer_hl = VXLAN_OVERHEAD + (t.vlan ? VLAN_HLEN : 0);
	size = (o->set & O_SIZE) ? o->size : outer_hl + INNER_DEFAULT_LEN;
	endpoints_ports(&ep, o);
	inner_o.size = size > outer_hl ? size - outer_hl : 0;
	flow_make(&f, &inner_o, i, &ep);
	f.pad = false;
	if (f.len < frame_min_len(&f))
		return fail("-s %zu is too small: decap frames with %s inner frames need at least "
			    "%zu bytes",
			size, proto_name(f.proto), outer_hl + frame_min_len(&f));
	t.sport = flow_sport(&f);
	build_frame(buf + outer_hl, &f, o->seed, i);
	*len = put_tunnel(buf, &t, f.len);
	return 0;
}

int
gen_decap(const struct opts *o, uint32_t i, uint8_t *buf, size_t *len)
{
	return gen_decap_vni(o, i, buf, len, o->vni);
}
