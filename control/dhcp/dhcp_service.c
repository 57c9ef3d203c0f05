/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP service: validates punted frames, rate-limits clients, lets the per-network
 * server decide (dhcp_server.c), builds the reply (dhcp.c) and rewrites the mbuf into the
 * reply frame. Also builds the networks from the config, carries leases across reloads,
 * and saves the lease file.
 *
 * Thread-safety: control thread only (see dhcp_service.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dhcp/dhcp_service_internal.h"
#include "dhcp/dhcp_server.h"
#include "vxg_meta.h"

/* ---- Building the networks from the config -------------------------------------------- */

static uint32_t
cidr_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

static void
net_free(struct svc_net *sn)
{
	vxg_dhcp_net_fini(&sn->n);
	free(sn->n.fixed);
	free(sn->n.reserved);
	sn->n.fixed = NULL;
	sn->n.reserved = NULL;
}

static void
nets_free(struct svc_net *nets, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		net_free(&nets[i]);
	free(nets);
}

/* Every port of the network (its MAC, its first IP) and the static hosts. Every IP of
 * those is reserved, and the gateway. */
static int
net_fixed(struct dhcp_net *n, const struct vxg_vpc_cfg *vpc, unsigned ni)
{
	const struct vxg_network_cfg *net = &vpc->networks[ni];
	unsigned n_fixed = net->dhcp.n_hosts, n_res = net->dhcp.n_hosts + 1;

	for (unsigned i = 0; i < vpc->n_ports; i++) {
		if (vpc->ports[i].network != ni || vpc->ports[i].n_ips == 0)
			continue;
		n_fixed++;
		n_res += vpc->ports[i].n_ips;
	}
	n->fixed = calloc(n_fixed ? n_fixed : 1, sizeof(*n->fixed));
	n->reserved = calloc(n_res, sizeof(*n->reserved));
	if (n->fixed == NULL || n->reserved == NULL)
		return -ENOMEM;
	n->reserved[n->n_reserved++] = net->gateway;
	for (unsigned i = 0; i < vpc->n_ports; i++) {
		const struct vxg_port_cfg *p = &vpc->ports[i];

		if (p->network != ni || p->n_ips == 0)
			continue;
		n->fixed[n->n_fixed++] = (struct dhcp_fixed){.mac = p->mac, .ip = p->ips[0]};
		for (unsigned j = 0; j < p->n_ips; j++)
			n->reserved[n->n_reserved++] = p->ips[j];
	}
	for (unsigned i = 0; i < net->dhcp.n_hosts; i++) {
		const struct vxg_dhcp_host_cfg *h = &net->dhcp.hosts[i];

		n->fixed[n->n_fixed++] = (struct dhcp_fixed){.mac = h->mac, .ip = h->ip};
		n->reserved[n->n_reserved++] = h->ip;
	}
	return 0;
}

/* Options common to every reply; option 121 carries the VPC's routes whose next hop is
 * on this network, since the VM must send those there itself, not to the gateway. */
static void
net_template(struct dhcp_net *n, const struct vxg_vpc_cfg *vpc, const struct vxg_network_cfg *net)
{
	struct dhcp_reply *t = &n->tmpl;

	memset(t, 0, sizeof(*t));
	t->server_id = net->gateway;
	t->mask = n->mask;
	t->router = net->gateway;
	t->lease = net->dhcp.lease;
	for (unsigned i = 0; i < net->dhcp.n_dns && t->n_dns < DHCP_DNS_MAX; i++)
		t->dns[t->n_dns++] = net->dhcp.dns[i];
	snprintf(t->domain, sizeof(t->domain), "%s", net->dhcp.domain);
	t->mtu = net->mtu;
	for (unsigned i = 0; i < vpc->n_routes && t->n_routes < DHCP_ROUTES_MAX; i++) {
		const struct vxg_route_cfg *r = &vpc->routes[i];

		if (r->is6 || r->nexthop == 0 || (r->nexthop & n->mask) != n->network)
			continue;
		t->routes[t->n_routes++] = (struct dhcp_route){
			.prefix = r->prefix.addr, .len = r->prefix.len, .gateway = r->nexthop};
	}
}

static int
net_build(struct svc_net *sn, const struct vxg_vpc_cfg *vpc, unsigned ni)
{
	const struct vxg_network_cfg *net = &vpc->networks[ni];
	struct dhcp_net *n = &sn->n;

	memset(sn, 0, sizeof(*sn));
	snprintf(n->name, sizeof(n->name), "%s/%s", vpc->name, net->name);
	sn->vni = net->vni;
	sn->gw_mac = net->gw_mac;
	sn->cidr = net->cidr;
	n->mask = cidr_mask(net->cidr.len);
	n->network = net->cidr.addr & n->mask;
	n->gateway = net->gateway;
	n->range_start = net->dhcp.range_start;
	n->range_end = net->dhcp.range_end;
	n->lease_time = net->dhcp.lease;
	net_template(n, vpc, net);
	if (net_fixed(n, vpc, ni) < 0 || vxg_dhcp_net_init(n) < 0)
		return -ENOMEM;
	return 0;
}

static int
net_cmp(const void *a, const void *b)
{
	const struct svc_net *x = a, *y = b;

	return x->vni < y->vni ? -1 : x->vni > y->vni;
}

static unsigned
nets_count(const struct vxg_config *cfg)
{
	unsigned n = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			n += cfg->vpcs[v].networks[i].dhcp.enabled &&
			     cfg->vpcs[v].networks[i].gateway != 0;
	return n;
}

static int
nets_build(const struct vxg_config *cfg, struct svc_net **out, unsigned *n_out)
{
	unsigned n = nets_count(cfg), k = 0;
	struct svc_net *nets = calloc(n ? n : 1, sizeof(*nets));

	if (nets == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned i = 0; i < vpc->n_networks; i++) {
			if (!vpc->networks[i].dhcp.enabled || vpc->networks[i].gateway == 0)
				continue;
			if (net_build(&nets[k++], vpc, i) < 0) {
				nets_free(nets, k);
				return -ENOMEM;
			}
		}
	}
	qsort(nets, n, sizeof(*nets), net_cmp);
	*out = nets;
	*n_out = n;
	return 0;
}

static struct svc_net *
net_of_vni(struct vxg_dhcp_service *s, uint32_t vni)
{
	struct svc_net key = {.vni = vni};

	if (s->n_nets == 0)
		return NULL;
	return bsearch(&key, s->nets, s->n_nets, sizeof(*s->nets), net_cmp);
}

/* ---- Lease file ----------------------------------------------------------------------- */

/* mkdir -p, mode 0755. */
static int
state_dir_make(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, len + 1);
	for (char *c = p + 1; *c != '\0'; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*c = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (stat(p, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static void
lease_file_init(struct vxg_dhcp_service *s, const char *state_dir)
{
	int rc;

	s->lease_status = "none";
	if (state_dir == NULL)
		return;
	rc = state_dir_make(state_dir);
	if (rc == 0 && (size_t)snprintf(s->lease_path, sizeof(s->lease_path), "%s/dhcp.leases",
			       state_dir) >= sizeof(s->lease_path))
		rc = -ENAMETOOLONG;
	if (rc < 0) {
		s->lease_path[0] = '\0';
		s->lease_status = "error";
		s->lease_errno = -rc;
		return;
	}
	s->lease_status = "ok";
}

static struct dhcp_net *
dhcp_nets(struct vxg_dhcp_service *s, struct dhcp_net *tmp)
{
	/* The server API takes an array of dhcp_net; ours are embedded in svc_net. */
	for (unsigned i = 0; i < s->n_nets; i++)
		tmp[i] = s->nets[i].n;
	return tmp;
}

static void
leases_load(struct vxg_dhcp_service *s, time_t now)
{
	struct dhcp_net *tmp;
	int rc;

	if (s->lease_path[0] == '\0' || s->n_nets == 0)
		return;
	if ((tmp = calloc(s->n_nets, sizeof(*tmp))) == NULL)
		return;
	/* Copies share the lease arrays, so loading into them fills ours. */
	rc = vxg_dhcp_leases_load(dhcp_nets(s, tmp), s->n_nets, s->lease_path, now);
	if (rc < 0) {
		s->lease_status = "error";
		s->lease_errno = -rc;
	}
	free(tmp);
}

static void
leases_save(struct vxg_dhcp_service *s, time_t now)
{
	struct dhcp_net *tmp = calloc(s->n_nets ? s->n_nets : 1, sizeof(*tmp));
	int rc;

	s->last_save = now;
	if (tmp == NULL)
		return; /* still dirty: tried again next second */
	rc = vxg_dhcp_leases_save(dhcp_nets(s, tmp), s->n_nets, s->lease_path);
	free(tmp);
	if (rc < 0) {
		s->save_errors++;
		s->lease_status = "error";
		s->lease_errno = -rc;
		return;
	}
	s->saves++;
	s->lease_status = "ok";
	s->lease_errno = 0;
	s->dirty = false;
}

void
vxg_dhcp_service_tick(struct vxg_dhcp_service *s, time_t now)
{
	if (now > s->last_now)
		s->last_now = now;
	if (!s->dirty || s->lease_path[0] == '\0')
		return;
	if (s->saves + s->save_errors > 0 && now >= s->last_save && now - s->last_save < 1)
		return;
	leases_save(s, now);
}

/* ---- Life cycle ----------------------------------------------------------------------- */

struct vxg_dhcp_service *
vxg_dhcp_service_create(
	const struct vxg_config *cfg, const char *state_dir, char *err, size_t errlen)
{
	struct vxg_dhcp_service *s = calloc(1, sizeof(*s));

	if (s == NULL || nets_build(cfg, &s->nets, &s->n_nets) < 0) {
		snprintf(err, errlen, "dhcp: out of memory building the DHCP networks");
		free(s);
		return NULL;
	}
	vxg_dhcp_limit_init(&s->lim, cfg->dataplane.dhcp_client_rate, cfg->dataplane.dhcp_rate);
	lease_file_init(s, state_dir);
	leases_load(s, time(NULL));
	return s;
}

void
vxg_dhcp_service_destroy(struct vxg_dhcp_service *s)
{
	if (s == NULL)
		return;
	nets_free(s->nets, s->n_nets);
	free(s);
}

void
vxg_dhcp_service_memory(const struct vxg_dhcp_service *s, struct vxg_dhcp_mem *m)
{
	*m = (struct vxg_dhcp_mem){0};
	if (s == NULL)
		return;
	m->service = sizeof(*s);
	m->leases = (uint64_t)s->n_nets * sizeof(*s->nets);
	for (unsigned i = 0; i < s->n_nets; i++) {
		m->leases += vxg_dhcp_net_memsize(&s->nets[i].n);
		m->slots += s->nets[i].n.n_leases;
	}
}

static const struct svc_net *
net_old(const struct vxg_dhcp_service *s, const struct svc_net *sn)
{
	for (unsigned i = 0; i < s->n_nets; i++) {
		const struct svc_net *o = &s->nets[i];

		if (strcmp(o->n.name, sn->n.name) == 0 && o->cidr.addr == sn->cidr.addr &&
			o->cidr.len == sn->cidr.len)
			return o;
	}
	return NULL;
}

/* Carry the old network's stats and the leases that still fit into the new one. */
static void
net_carry(struct svc_net *sn, const struct svc_net *o)
{
	sn->stats = o->stats;
	for (unsigned i = 0; i < o->n.n_leases; i++)
		if (o->n.leases[i].state != DHCP_LEASE_FREE)
			vxg_dhcp_lease_restore(&sn->n, &o->n.leases[i]);
}

int
vxg_dhcp_service_update(struct vxg_dhcp_service *s, const struct vxg_config *cfg)
{
	struct svc_net *nets;
	unsigned n;

	if (nets_build(cfg, &nets, &n) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		const struct svc_net *o = net_old(s, &nets[i]);

		if (o != NULL)
			net_carry(&nets[i], o);
	}
	nets_free(s->nets, s->n_nets);
	s->nets = nets;
	s->n_nets = n;
	vxg_dhcp_limit_rates(&s->lim, cfg->dataplane.dhcp_client_rate, cfg->dataplane.dhcp_rate);
	/* Networks may have gone, leases been dropped: rewrite the file (once, on tick). */
	s->dirty = true;
	return 0;
}

/* ---- Rate limit ----------------------------------------------------------------------- */

unsigned
vxg_dhcp_client_set(const struct rte_ether_addr *mac)
{
	return vxg_dhcp_limit_set(mac);
}

static enum svc_drop
rate_check(struct vxg_dhcp_service *s, const struct rte_ether_addr *src, time_t now)
{
	switch (vxg_dhcp_limit_check(&s->lim, src, now)) {
	case VXG_DHCP_LIMIT_CLIENT:
		return SVC_DROP_rate_limited;
	case VXG_DHCP_LIMIT_TABLE_FULL:
		return SVC_DROP_client_table_full;
	case VXG_DHCP_LIMIT_GLOBAL:
		return SVC_DROP_global_limited;
	case VXG_DHCP_LIMIT_OK:
		break;
	}
	return SVC_DROP_MAX;
}

/* ---- Frames --------------------------------------------------------------------------- */

#define HDRS_LEN \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/* Where the BOOTP message of a request frame is. */
struct frame {
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	const uint8_t *bootp;
	size_t bootp_len;
};

static enum svc_drop
frame_ip(struct rte_mbuf *m, struct frame *f, const struct svc_net *sn)
{
	size_t avail = rte_pktmbuf_data_len(m) - sizeof(struct rte_ether_hdr);
	size_t ihl = (size_t)(f->ip->version_ihl & 0xf) * 4, tot;
	uint32_t dst;

	tot = rte_be_to_cpu_16(f->ip->total_length);
	if ((f->ip->version_ihl >> 4) != 4 || ihl < sizeof(struct rte_ipv4_hdr) ||
		tot < ihl + sizeof(struct rte_udp_hdr) || tot > avail)
		return SVC_DROP_bad_ip;
	if (rte_raw_cksum(f->ip, ihl) != 0xffff)
		return SVC_DROP_bad_ip;
	if ((rte_be_to_cpu_16(f->ip->fragment_offset) &
		    (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0 ||
		f->ip->next_proto_id != IPPROTO_UDP)
		return SVC_DROP_bad_ip;
	f->udp = (struct rte_udp_hdr *)((uint8_t *)f->ip + ihl);
	f->bootp = (const uint8_t *)(f->udp + 1);
	f->bootp_len = tot - ihl - sizeof(struct rte_udp_hdr);
	dst = rte_be_to_cpu_32(f->ip->dst_addr);
	if (dst != UINT32_MAX && dst != sn->n.gateway && dst != (sn->n.network | ~sn->n.mask))
		return SVC_DROP_not_for_us;
	return SVC_DROP_MAX;
}

static enum svc_drop
frame_udp(struct frame *f)
{
	size_t ulen = rte_be_to_cpu_16(f->udp->dgram_len);

	if (f->udp->dst_port != RTE_BE16(VXG_DHCP_SERVER_PORT))
		return SVC_DROP_bad_udp;
	/* The checksum covers what the IP length says: UDP and IP must agree. */
	if (ulen != f->bootp_len + sizeof(struct rte_udp_hdr))
		return SVC_DROP_bad_udp;
	if (f->udp->dgram_cksum != 0 && rte_ipv4_udptcp_cksum_verify(f->ip, f->udp) != 0)
		return SVC_DROP_bad_udp;
	return SVC_DROP_MAX;
}

static enum svc_drop
frame_parse(struct rte_mbuf *m, struct frame *f, const struct svc_net *sn)
{
	enum svc_drop d;

	/* We write the reply over the request: the data must be ours alone and linear. */
	if (!rte_pktmbuf_is_contiguous(m) || !RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1 ||
		rte_pktmbuf_data_len(m) < HDRS_LEN)
		return SVC_DROP_bad_frame;
	f->eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	if (f->eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return SVC_DROP_bad_frame;
	f->ip = (struct rte_ipv4_hdr *)(f->eth + 1);
	if ((d = frame_ip(m, f, sn)) != SVC_DROP_MAX)
		return d;
	return frame_udp(f);
}

/* Headers of the reply, written over the request's once the reply is known to fit. */
static void
reply_headers(uint8_t *p, const struct svc_net *sn, const struct rte_ether_addr *dst_mac,
	uint32_t dst_ip, uint16_t dst_port, size_t bootp_len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	eth->dst_addr = *dst_mac;
	eth->src_addr = sn->gw_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	*ip = (struct rte_ipv4_hdr){
		.version_ihl = RTE_IPV4_VHL_DEF,
		.total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + bootp_len),
		.time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = rte_cpu_to_be_32(sn->n.gateway),
		.dst_addr = rte_cpu_to_be_32(dst_ip),
	};
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(VXG_DHCP_SERVER_PORT);
	udp->dst_port = rte_cpu_to_be_16(dst_port);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + bootp_len);
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

/* Resize m to len bytes; false (m untouched) if its single segment cannot hold them. */
static bool
frame_resize(struct rte_mbuf *m, size_t len)
{
	size_t cur = rte_pktmbuf_data_len(m);

	if (len > cur)
		return rte_pktmbuf_append(m, len - cur) != NULL;
	if (len < cur)
		return rte_pktmbuf_trim(m, cur - len) == 0;
	return true;
}

/* Rewrite m into the reply frame. */
static enum svc_drop
frame_reply(struct rte_mbuf *m, const struct svc_net *sn, const struct dhcp_request *req,
	const struct dhcp_reply *r, const uint8_t *bootp, size_t bootp_len)
{
	struct rte_ether_addr src = rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr;
	struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	const struct rte_ether_addr *dmac = &req->chaddr;
	uint32_t dip = r->yiaddr;
	uint16_t dport = VXG_DHCP_CLIENT_PORT;
	uint8_t *p;

	switch (vxg_dhcp_dest(req, r)) {
	case DHCP_DEST_RELAY:
		dmac = &src, dip = req->giaddr, dport = VXG_DHCP_SERVER_PORT;
		break;
	case DHCP_DEST_CIADDR:
		dmac = &src, dip = req->ciaddr;
		break;
	case DHCP_DEST_BROADCAST:
		dmac = &bcast, dip = UINT32_MAX;
		break;
	case DHCP_DEST_YIADDR:
		break;
	}
	if (dip == 0) /* an INFORM without ciaddr: nowhere to unicast */
		dmac = &bcast, dip = UINT32_MAX;
	if (!frame_resize(m, HDRS_LEN + bootp_len))
		return SVC_DROP_no_room;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(p + HDRS_LEN, bootp, bootp_len);
	reply_headers(p, sn, dmac, dip, dport, bootp_len);
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP;
	m->l2_len = sizeof(struct rte_ether_hdr);
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	return SVC_DROP_MAX;
}

/* ---- Input ---------------------------------------------------------------------------- */

static int
count_drop(struct vxg_dhcp_service *s, struct svc_net *sn, enum svc_drop d)
{
	s->stats.drops[d]++;
	if (sn != NULL)
		sn->stats.drops[d]++;
	return 0;
}

/* Why vxg_dhcp_handle() gave no answer, as far as the request tells. */
static enum svc_drop
silence_reason(const struct svc_net *sn, const struct dhcp_request *req)
{
	switch (req->msg_type) {
	case DHCP_DISCOVER:
		return SVC_DROP_no_address;
	case DHCP_REQUEST:
		if (req->server_id && req->server_id != sn->n.tmpl.server_id)
			return SVC_DROP_not_for_us;
		return SVC_DROP_no_reply;
	}
	return SVC_DROP_no_reply;
}

/* What the lease file holds may have changed. */
static bool
changes_leases(const struct dhcp_request *req, const struct dhcp_reply *r, bool replied)
{
	if (req->msg_type == DHCP_RELEASE || req->msg_type == DHCP_DECLINE)
		return true;
	return replied && r->msg_type == DHCP_ACK && r->yiaddr != 0;
}

/* Decide and answer a parsed request; SVC_DROP_MAX when m holds the reply. */
static enum svc_drop
serve(struct vxg_dhcp_service *s, struct svc_net *sn, struct rte_mbuf *m,
	const struct dhcp_request *req, time_t now, struct vxg_dhcp_binding *bound)
{
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_reply r;
	bool replied = vxg_dhcp_handle(&sn->n, req, now, &r);
	size_t len;
	enum svc_drop d;

	if (changes_leases(req, &r, replied))
		s->dirty = true;
	if (!replied)
		return silence_reason(sn, req);
	if ((len = vxg_dhcp_build(req, &r, buf, sizeof(buf))) == 0)
		return SVC_DROP_build_failed;
	if ((d = frame_reply(m, sn, req, &r, buf, len)) != SVC_DROP_MAX)
		return d;
	s->stats.tx[r.msg_type]++;
	sn->stats.tx[r.msg_type]++;
	if (bound != NULL && r.msg_type == DHCP_ACK && r.yiaddr != 0) {
		bound->ip = r.yiaddr;
		bound->mac = req->chaddr;
	}
	return SVC_DROP_MAX;
}

int
vxg_dhcp_service_input(struct vxg_dhcp_service *s, uint32_t vni, struct rte_mbuf *m, time_t now,
	struct vxg_dhcp_binding *bound)
{
	struct svc_net *sn = net_of_vni(s, vni);
	struct dhcp_request req;
	struct frame f;
	enum dhcp_parse_err pe;
	enum svc_drop d;

	if (bound != NULL)
		memset(bound, 0, sizeof(*bound));
	if (now > s->last_now)
		s->last_now = now;
	if (sn == NULL)
		return count_drop(s, NULL, SVC_DROP_unknown_network);
	if ((d = frame_parse(m, &f, sn)) != SVC_DROP_MAX)
		return count_drop(s, sn, d);
	if ((d = rate_check(s, &f.eth->src_addr, now)) != SVC_DROP_MAX)
		return count_drop(s, sn, d);
	if ((pe = vxg_dhcp_parse(f.bootp, f.bootp_len, &req)) != DHCP_PARSE_OK) {
		s->stats.parse[pe]++;
		sn->stats.parse[pe]++;
		return 0;
	}
	s->stats.rx[req.msg_type]++;
	sn->stats.rx[req.msg_type]++;
	/* The reply is built from req, which copied what it needs out of the frame. */
	if ((d = serve(s, sn, m, &req, now, bound)) != SVC_DROP_MAX)
		return count_drop(s, sn, d);
	return 1;
}
