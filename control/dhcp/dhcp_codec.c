/* SPDX-License-Identifier: BSD-3-Clause */
/* DHCP message codec: parse a request, build a reply (RFC 2131, 2132, 3442). */
#include <string.h>

#include "dhcp/dhcp_codec.h"

#define COOKIE_OFF DHCP_FIXED_LEN
#define OPTS_OFF (DHCP_FIXED_LEN + 4)
#define SNAME_OFF 44
#define SNAME_LEN 64
#define FILE_OFF 108
#define FILE_LEN 128

enum {
	OPT_PAD = 0,
	OPT_MASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_MTU = 26,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PRL = 55,
	OPT_MESSAGE = 56,
	OPT_MAX_SIZE = 57,
	OPT_T1 = 58,
	OPT_T2 = 59,
	OPT_CLIENT_ID = 61,
	OPT_CLASSLESS_ROUTES = 121,
	OPT_END = 255,
};

static const uint8_t cookie[4] = {99, 130, 83, 99};

static const char *const err_names[DHCP_ERR_MAX] = {[DHCP_PARSE_OK] = "ok",
#define DHCP_ERR_NAME(name, help) [DHCP_ERR_##name] = #name,
	DHCP_PARSE_ERRORS(DHCP_ERR_NAME)
#undef DHCP_ERR_NAME
};

const char *
vxg_dhcp_err_name(enum dhcp_parse_err e)
{
	return e < DHCP_ERR_MAX ? err_names[e] : "unknown";
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static enum dhcp_parse_err
opt_fixed(const uint8_t *v, uint8_t l, uint8_t want, uint32_t *out)
{
	if (l != want)
		return DHCP_ERR_bad_option_len;
	*out = want == 4 ? get32(v) : want == 2 ? get16(v) : v[0];
	return DHCP_PARSE_OK;
}

static void
opt_append(uint8_t *dst, uint8_t *dlen, size_t cap, const uint8_t *v, uint8_t l)
{
	/* RFC 3396: an option split in several instances is their concatenation. */
	size_t n = RTE_MIN((size_t)l, cap - *dlen);

	memcpy(dst + *dlen, v, n);
	*dlen += n;
}

static enum dhcp_parse_err
opt_one(struct dhcp_request *req, uint8_t code, const uint8_t *v, uint8_t l, uint32_t *overload)
{
	uint32_t x = 0;
	enum dhcp_parse_err e = DHCP_PARSE_OK;
	uint8_t hl;

	switch (code) {
	case OPT_MSG_TYPE:
		e = opt_fixed(v, l, 1, &x);
		req->msg_type = x;
		break;
	case OPT_REQUESTED_IP:
		e = opt_fixed(v, l, 4, &req->requested_ip);
		break;
	case OPT_SERVER_ID:
		e = opt_fixed(v, l, 4, &req->server_id);
		break;
	case OPT_MAX_SIZE:
		e = opt_fixed(v, l, 2, &x);
		req->max_size = x;
		break;
	case OPT_OVERLOAD:
		e = opt_fixed(v, l, 1, overload);
		break;
	case OPT_PRL:
		opt_append(req->prl, &req->prl_len, sizeof(req->prl), v, l);
		req->has_prl = true;
		break;
	case OPT_CLIENT_ID:
		opt_append(req->client_id, &req->client_id_len, sizeof(req->client_id), v, l);
		break;
	case OPT_HOSTNAME:
		hl = strnlen(req->hostname, sizeof(req->hostname));
		opt_append((uint8_t *)req->hostname, &hl, sizeof(req->hostname) - 1, v, l);
		req->hostname[hl] = '\0';
		break;
	}
	return e;
}

/* Walk one option field (the options area, or file/sname when overloaded). */
static enum dhcp_parse_err
opts_parse(struct dhcp_request *req, const uint8_t *p, size_t n, uint32_t *overload)
{
	size_t i = 0;

	while (i < n) {
		uint8_t code = p[i], l;
		enum dhcp_parse_err e;

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			return DHCP_PARSE_OK;
		if (i + 1 >= n || i + 2 + (size_t)p[i + 1] > n)
			return DHCP_ERR_option_overrun;
		l = p[i + 1];
		if ((e = opt_one(req, code, p + i + 2, l, overload)) != DHCP_PARSE_OK)
			return e;
		i += 2 + l;
	}
	return DHCP_PARSE_OK; /* no END option: tolerated, as clients in the wild omit it */
}

static void
fixed_parse(struct dhcp_request *req, const uint8_t *buf)
{
	req->op = buf[0];
	req->htype = buf[1];
	req->hlen = buf[2];
	req->hops = buf[3];
	req->xid = get32(buf + 4);
	req->secs = get16(buf + 8);
	req->flags = get16(buf + 10);
	req->ciaddr = get32(buf + 12);
	req->yiaddr = get32(buf + 16);
	req->siaddr = get32(buf + 20);
	req->giaddr = get32(buf + 24);
	memcpy(req->chaddr.addr_bytes, buf + 28, RTE_ETHER_ADDR_LEN);
}

enum dhcp_parse_err
vxg_dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_request *req)
{
	uint32_t overload = 0;
	enum dhcp_parse_err e;

	memset(req, 0, sizeof(*req));
	if (len < OPTS_OFF)
		return DHCP_ERR_truncated;
	fixed_parse(req, buf);
	if (req->op != 1)
		return DHCP_ERR_not_request;
	if (req->htype != 1 || req->hlen != RTE_ETHER_ADDR_LEN)
		return DHCP_ERR_bad_htype;
	if (memcmp(buf + COOKIE_OFF, cookie, sizeof(cookie)) != 0)
		return DHCP_ERR_bad_cookie;
	if ((e = opts_parse(req, buf + OPTS_OFF, len - OPTS_OFF, &overload)) != DHCP_PARSE_OK)
		return e;
	if ((overload & 1) && (e = opts_parse(req, buf + FILE_OFF, FILE_LEN, &overload)))
		return e;
	if ((overload & 2) && (e = opts_parse(req, buf + SNAME_OFF, SNAME_LEN, &overload)))
		return e;
	if (req->msg_type == 0)
		return DHCP_ERR_no_msg_type;
	switch (req->msg_type) {
	case DHCP_DISCOVER:
	case DHCP_REQUEST:
	case DHCP_DECLINE:
	case DHCP_RELEASE:
	case DHCP_INFORM:
		return DHCP_PARSE_OK;
	}
	return DHCP_ERR_bad_msg_type;
}

/* ---- Building ------------------------------------------------------------------------ */

struct obuf {
	uint8_t *p;
	size_t len, cap;
	bool full;
};

static void
put(struct obuf *o, const void *v, size_t n)
{
	if (o->len + n > o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, v, n);
	o->len += n;
}

static void
put32(struct obuf *o, uint32_t x)
{
	uint8_t b[4] = {x >> 24, x >> 16, x >> 8, x};

	put(o, b, 4);
}

static void
opt_hdr(struct obuf *o, uint8_t code, uint8_t len)
{
	uint8_t h[2] = {code, len};

	put(o, h, 2);
}

static void
opt_u32(struct obuf *o, uint8_t code, uint32_t x)
{
	opt_hdr(o, code, 4);
	put32(o, x);
}

static bool
requested(const struct dhcp_request *req, uint8_t code)
{
	if (!req->has_prl)
		return true;
	return memchr(req->prl, code, req->prl_len) != NULL;
}

/* RFC 3442: each route is the prefix length, its significant octets, the router. */
static void
opt_routes(struct obuf *o, const struct dhcp_reply *r)
{
	uint8_t v[255];
	size_t n = 0;
	bool have_default = false;

	for (unsigned i = 0; i <= r->n_routes; i++) {
		struct dhcp_route d = {0, 0, r->router};
		const struct dhcp_route *rt = i < r->n_routes ? &r->routes[i] : &d;
		unsigned octets = (rt->len + 7) / 8;

		if (i == r->n_routes && (have_default || r->router == 0))
			break;
		if (rt->len == 0)
			have_default = true;
		if (n + 1 + octets + 4 > sizeof(v))
			break;
		v[n++] = rt->len;
		for (unsigned b = 0; b < octets; b++)
			v[n++] = rt->prefix >> (24 - 8 * b);
		for (unsigned b = 0; b < 4; b++)
			v[n++] = rt->gateway >> (24 - 8 * b);
	}
	if (n == 0)
		return;
	opt_hdr(o, OPT_CLASSLESS_ROUTES, n);
	put(o, v, n);
}

static void
opt_lease(struct obuf *o, const struct dhcp_reply *r)
{
	opt_u32(o, OPT_LEASE, r->lease);
	opt_u32(o, OPT_T1, r->lease / 2);
	opt_u32(o, OPT_T2, (uint32_t)((uint64_t)r->lease * 7 / 8));
}

static void
opts_config(struct obuf *o, const struct dhcp_request *req, const struct dhcp_reply *r)
{
	opt_u32(o, OPT_MASK, r->mask);
	if (r->router)
		opt_u32(o, OPT_ROUTER, r->router);
	if (r->n_dns && requested(req, OPT_DNS)) {
		opt_hdr(o, OPT_DNS, 4 * r->n_dns);
		for (unsigned i = 0; i < r->n_dns; i++)
			put32(o, r->dns[i]);
	}
	if (r->domain[0] && requested(req, OPT_DOMAIN)) {
		size_t l = strnlen(r->domain, sizeof(r->domain));

		opt_hdr(o, OPT_DOMAIN, l);
		put(o, r->domain, l);
	}
	/* Below Ethernet's 1500 (VXLAN's 1450) the MTU goes to every client, as Neutron
	 * sends it: clients that do not ask (busybox udhcpc, CirrOS) would keep 1500 and
	 * lose their large packets. */
	if (r->mtu && (r->mtu < RTE_ETHER_MTU || requested(req, OPT_MTU))) {
		uint8_t m[2] = {r->mtu >> 8, r->mtu};

		opt_hdr(o, OPT_MTU, 2);
		put(o, m, 2);
	}
	/* Only on request: a client that did not ask may not know it replaces option 3. */
	if (req->has_prl && requested(req, OPT_CLASSLESS_ROUTES))
		opt_routes(o, r);
}

static void
fixed_build(struct obuf *o, const struct dhcp_request *req, const struct dhcp_reply *r)
{
	uint8_t *b = o->p;

	memset(b, 0, OPTS_OFF);
	b[0] = 2; /* BOOTREPLY */
	b[1] = 1;
	b[2] = RTE_ETHER_ADDR_LEN;
	for (int i = 0; i < 4; i++)
		b[4 + i] = req->xid >> (24 - 8 * i);
	b[10] = req->flags >> 8;
	b[11] = req->flags;
	/* ciaddr is echoed in an ACK to a client that has its address (RENEW, INFORM). */
	if (r->msg_type == DHCP_ACK) {
		for (int i = 0; i < 4; i++)
			b[12 + i] = req->ciaddr >> (24 - 8 * i);
	}
	for (int i = 0; i < 4; i++) {
		b[16 + i] = r->yiaddr >> (24 - 8 * i);
		b[24 + i] = req->giaddr >> (24 - 8 * i);
	}
	memcpy(b + 28, req->chaddr.addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(b + COOKIE_OFF, cookie, sizeof(cookie));
	o->len = OPTS_OFF;
}

size_t
vxg_dhcp_build(const struct dhcp_request *req, const struct dhcp_reply *r, uint8_t *buf, size_t cap)
{
	struct obuf o = {.p = buf, .cap = cap};
	uint8_t t[3] = {OPT_MSG_TYPE, 1, r->msg_type}, end = OPT_END;

	/* Option 57 is the client's limit for the whole IP datagram (RFC 2132 9.10). */
	if (req->max_size >= 576 && (size_t)req->max_size - 28 < o.cap)
		o.cap = req->max_size - 28;
	if (o.cap < DHCP_MIN_LEN)
		return 0;
	fixed_build(&o, req, r);
	put(&o, t, sizeof(t));
	opt_u32(&o, OPT_SERVER_ID, r->server_id);
	if (r->msg_type == DHCP_NAK) {
		if (r->message != NULL) {
			size_t l = RTE_MIN(strlen(r->message), (size_t)255);

			opt_hdr(&o, OPT_MESSAGE, l);
			put(&o, r->message, l);
		}
	} else {
		if (r->lease)
			opt_lease(&o, r);
		opts_config(&o, req, r);
	}
	put(&o, &end, 1);
	if (o.full)
		return 0;
	if (o.len < DHCP_MIN_LEN) {
		memset(buf + o.len, 0, DHCP_MIN_LEN - o.len);
		o.len = DHCP_MIN_LEN;
	}
	return o.len;
}

enum dhcp_dest
vxg_dhcp_dest(const struct dhcp_request *req, const struct dhcp_reply *r)
{
	if (req->giaddr)
		return DHCP_DEST_RELAY;
	if (r->msg_type == DHCP_NAK)
		return DHCP_DEST_BROADCAST;
	if (req->ciaddr)
		return DHCP_DEST_CIADDR;
	if (req->flags & DHCP_FLAG_BROADCAST)
		return DHCP_DEST_BROADCAST;
	return DHCP_DEST_YIADDR;
}
