/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCPv6 codec (dhcp6_codec.h). Options are walked with their lengths checked
 * against what is left at each level (the message, then an IA_NA's own options), so no
 * read goes past the bytes given, whatever a client sends.
 */
#include <string.h>

#include "dhcp6/dhcp6_codec.h"

static const char *const err_names[DHCP6_ERR_MAX] = {[DHCP6_PARSE_OK] = "ok",
#define DHCP6_ERR_NAME(name, help) [DHCP6_ERR_##name] = #name,
	DHCP6_ERRS(DHCP6_ERR_NAME)
#undef DHCP6_ERR_NAME
};

const char *
vxg_dhcp6_err_name(enum dhcp6_err e)
{
	return e < DHCP6_ERR_MAX ? err_names[e] : "?";
}

static const char *const type_names[DHCP6_TYPES] = {
	[DHCP6_SOLICIT] = "solicit",
	[DHCP6_ADVERTISE] = "advertise",
	[DHCP6_REQUEST] = "request",
	[DHCP6_CONFIRM] = "confirm",
	[DHCP6_RENEW] = "renew",
	[DHCP6_REBIND] = "rebind",
	[DHCP6_REPLY] = "reply",
	[DHCP6_RELEASE] = "release",
	[DHCP6_DECLINE] = "decline",
	[DHCP6_INFO_REQUEST] = "information_request",
};

const char *
vxg_dhcp6_type_name(unsigned type)
{
	return type < DHCP6_TYPES ? type_names[type] : NULL;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static enum dhcp6_err
duid_read(struct dhcp6_duid *d, const uint8_t *p, uint16_t len)
{
	if (len == 0 || len > DHCP6_DUID_MAX || d->len != 0)
		return DHCP6_ERR_bad_duid;
	memcpy(d->b, p, len);
	d->len = len;
	return DHCP6_PARSE_OK;
}

/* An IA_NA's options (after IAID, T1, T2): its addresses. */
static enum dhcp6_err
ia_read(struct dhcp6_msg *m, const uint8_t *p, size_t len)
{
	if (len < 12)
		return DHCP6_ERR_bad_ia;
	m->has_ia = true;
	m->iaid = rd32(p);
	for (size_t at = 12; at < len;) {
		uint16_t code, olen;

		if (len - at < 4)
			return DHCP6_ERR_option_truncated;
		code = rd16(p + at);
		olen = rd16(p + at + 2);
		if (olen > len - at - 4)
			return DHCP6_ERR_option_truncated;
		if (code == DHCP6_OPT_IAADDR && olen < 24)
			return DHCP6_ERR_bad_ia;
		if (code == DHCP6_OPT_IAADDR && m->n_ia_addrs < DHCP6_IA_ADDRS)
			memcpy(m->ia_addrs[m->n_ia_addrs++].a, p + at + 4, 16);
		at += 4 + (size_t)olen;
	}
	return DHCP6_PARSE_OK;
}

static enum dhcp6_err
option_read(struct dhcp6_msg *m, uint16_t code, const uint8_t *p, uint16_t len)
{
	switch (code) {
	case DHCP6_OPT_CLIENTID:
		return duid_read(&m->client_id, p, len);
	case DHCP6_OPT_SERVERID:
		return duid_read(&m->server_id, p, len);
	case DHCP6_OPT_IA_NA:
		return m->has_ia ? DHCP6_PARSE_OK : ia_read(m, p, len);
	case DHCP6_OPT_RAPID_COMMIT:
		m->rapid_commit = true;
		return DHCP6_PARSE_OK;
	}
	return DHCP6_PARSE_OK; /* ORO, elapsed time and the rest: the server needs none */
}

/* RFC 8415 16: what each message must and must not carry. */
static enum dhcp6_err
msg_check(const struct dhcp6_msg *m)
{
	bool need_client = m->type != DHCP6_INFO_REQUEST;
	bool need_server = m->type == DHCP6_REQUEST || m->type == DHCP6_RENEW ||
			   m->type == DHCP6_RELEASE || m->type == DHCP6_DECLINE;
	bool no_server =
		m->type == DHCP6_SOLICIT || m->type == DHCP6_CONFIRM || m->type == DHCP6_REBIND;

	if (need_client && m->client_id.len == 0)
		return DHCP6_ERR_missing_client_id;
	if (need_server && m->server_id.len == 0)
		return DHCP6_ERR_missing_server_id;
	if (no_server && m->server_id.len != 0)
		return DHCP6_ERR_unexpected_server_id;
	return DHCP6_PARSE_OK;
}

static bool
client_type(uint8_t t)
{
	switch (t) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_CONFIRM:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
	case DHCP6_INFO_REQUEST:
		return true;
	}
	return false;
}

enum dhcp6_err
vxg_dhcp6_parse(const uint8_t *b, size_t len, struct dhcp6_msg *m)
{
	enum dhcp6_err e;

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return DHCP6_ERR_too_short;
	if (!client_type(b[0]))
		return DHCP6_ERR_not_client;
	m->type = b[0];
	memcpy(m->xid, b + 1, 3);
	for (size_t at = 4; at < len;) {
		uint16_t code, olen;

		if (len - at < 4)
			return DHCP6_ERR_option_truncated;
		code = rd16(b + at);
		olen = rd16(b + at + 2);
		if (olen > len - at - 4)
			return DHCP6_ERR_option_truncated;
		if ((e = option_read(m, code, b + at + 4, olen)) != DHCP6_PARSE_OK)
			return e;
		at += 4 + (size_t)olen;
	}
	return msg_check(m);
}

bool
vxg_dhcp6_duid_mac(const struct dhcp6_duid *d, uint8_t mac[6])
{
	uint16_t type = d->len >= 4 ? rd16(d->b) : 0;

	/* DUID-LLT: type 1, hardware type, time, address; DUID-LL: type 3, hardware type,
	 * address. Hardware type 1 is Ethernet. */
	if (type == 1 && d->len == 14 && rd16(d->b + 2) == 1) {
		memcpy(mac, d->b + 8, 6);
		return true;
	}
	if (type == 3 && d->len == 10 && rd16(d->b + 2) == 1) {
		memcpy(mac, d->b + 4, 6);
		return true;
	}
	return false;
}

/* ---- Building ------------------------------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t len, at;
	bool full;
};

static uint8_t *
put(struct wbuf *w, size_t n)
{
	uint8_t *p = w->p + w->at;

	if (w->full || n > w->len - w->at) {
		w->full = true;
		return NULL;
	}
	w->at += n;
	return p;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8, p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16), put16(p + 2, v & 0xffff);
}

/* An option's head with its length; returns where its data goes (NULL: full). */
static uint8_t *
opt(struct wbuf *w, uint16_t code, size_t len)
{
	uint8_t *p = put(w, 4 + len);

	if (p == NULL)
		return NULL;
	put16(p, code);
	put16(p + 2, (uint16_t)len);
	return p + 4;
}

static void
opt_bytes(struct wbuf *w, uint16_t code, const void *data, size_t len)
{
	uint8_t *p = opt(w, code, len);

	if (p != NULL && len > 0)
		memcpy(p, data, len);
}

static void
opt_status(struct wbuf *w, uint16_t status)
{
	uint8_t *p = opt(w, DHCP6_OPT_STATUS, 2);

	if (p != NULL)
		put16(p, status);
}

/* IA_NA: IAID, T1, T2, then its addresses or its status. Its length is known at the end. */
static void
opt_ia(struct wbuf *w, const struct dhcp6_reply *r)
{
	uint8_t *head = put(w, 16);
	size_t start = w->at;

	if (head == NULL)
		return;
	put16(head, DHCP6_OPT_IA_NA);
	put32(head + 4, r->iaid);
	put32(head + 8, r->t1);
	put32(head + 12, r->t2);
	for (unsigned i = 0; i < r->n_addrs; i++) {
		uint8_t *a = opt(w, DHCP6_OPT_IAADDR, 24);

		if (a == NULL)
			return;
		memcpy(a, r->addrs[i].a, 16);
		put32(a + 16, r->preferred[i]);
		put32(a + 20, r->valid[i]);
	}
	if (r->ia_status >= 0)
		opt_status(w, (uint16_t)r->ia_status);
	put16(head + 2, (uint16_t)(12 + w->at - start));
}

size_t
vxg_dhcp6_build(const struct dhcp6_reply *r, uint8_t *buf, size_t len)
{
	struct wbuf w = {.p = buf, .len = len};
	uint8_t *h = put(&w, 4);

	if (h == NULL)
		return 0;
	h[0] = r->type;
	memcpy(h + 1, r->xid, 3);
	opt_bytes(&w, DHCP6_OPT_SERVERID, r->server_id.b, r->server_id.len);
	if (r->client_id.len > 0)
		opt_bytes(&w, DHCP6_OPT_CLIENTID, r->client_id.b, r->client_id.len);
	if (r->rapid_commit)
		opt_bytes(&w, DHCP6_OPT_RAPID_COMMIT, NULL, 0);
	if (r->status >= 0)
		opt_status(&w, (uint16_t)r->status);
	if (r->has_ia)
		opt_ia(&w, r);
	if (r->n_dns > 0)
		opt_bytes(&w, DHCP6_OPT_DNS, r->dns, 16 * r->n_dns);
	if (r->domains_len > 0)
		opt_bytes(&w, DHCP6_OPT_DOMAINS, r->domains, r->domains_len);
	return w.full ? 0 : w.at;
}
