/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCPv6 messages (RFC 8415): a client's message parsed into what the server needs, and
 * the server's reply built. Every length is checked before it is read; a message the
 * parser refuses is named by its error (a counter of `show dhcp6`).
 *
 * Thread-safety: none needed: pure functions of their arguments.
 */
#ifndef VXG_DHCP6_CODEC_H
#define VXG_DHCP6_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/model.h"

enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_INFO_REQUEST = 11,
	DHCP6_TYPES = 12,
};

enum dhcp6_opt {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IA_TA = 4,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_ELAPSED = 8,
	DHCP6_OPT_STATUS = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS = 23,
	DHCP6_OPT_DOMAINS = 24,
};

enum dhcp6_status {
	DHCP6_SUCCESS = 0,
	DHCP6_NO_ADDRS_AVAIL = 2,
	DHCP6_NO_BINDING = 3,
	DHCP6_NOT_ON_LINK = 4,
};

/* Why a message was refused; each a counter. */
#define DHCP6_ERRS(X)                                                                  \
	X(too_short, "shorter than the 4-byte header")                                 \
	X(not_client, "a server's or relay's message type, or one no server takes")    \
	X(option_truncated, "an option's length runs past the message or its IA")      \
	X(bad_duid, "a DUID empty or over 128 bytes, or a DUID option twice")          \
	X(bad_ia, "an IA_NA or IA address shorter than its fixed part")                \
	X(missing_client_id, "no client identifier where RFC 8415 16 requires one")    \
	X(unexpected_server_id, "a server identifier in a Solicit, Confirm or Rebind") \
	X(missing_server_id, "no server identifier in a Request, Renew, Release or Decline")

enum dhcp6_err {
	DHCP6_PARSE_OK,
#define DHCP6_ERR_ENUM(name, help) DHCP6_ERR_##name,
	DHCP6_ERRS(DHCP6_ERR_ENUM)
#undef DHCP6_ERR_ENUM
		DHCP6_ERR_MAX
};

#define DHCP6_DUID_MAX 128
#define DHCP6_IA_ADDRS 4 /* addresses read from the IA_NA; the rest are ignored */
#define DHCP6_MSG_MAX 1024 /* the largest reply built */

struct dhcp6_duid {
	uint16_t len;
	uint8_t b[DHCP6_DUID_MAX];
};

/* A client's message: the first IA_NA only (vxgate gives one address per client). */
struct dhcp6_msg {
	uint8_t type;
	uint8_t xid[3];
	struct dhcp6_duid client_id, server_id; /* len 0: absent */
	bool has_ia;
	uint32_t iaid;
	struct vxg_ip6 ia_addrs[DHCP6_IA_ADDRS];
	unsigned n_ia_addrs;
	bool rapid_commit;
};

struct dhcp6_reply {
	uint8_t type; /* ADVERTISE or REPLY */
	uint8_t xid[3];
	struct dhcp6_duid client_id, server_id;
	bool rapid_commit;
	int16_t status; /* a top-level Status Code; -1: none */
	bool has_ia;
	uint32_t iaid, t1, t2;
	int16_t ia_status; /* a Status Code inside the IA_NA; -1: none */
	struct vxg_ip6 addrs[DHCP6_IA_ADDRS];
	uint32_t valid[DHCP6_IA_ADDRS], preferred[DHCP6_IA_ADDRS];
	unsigned n_addrs;
	struct vxg_ip6 dns[VXG_DNS_MAX];
	unsigned n_dns;
	uint8_t domains[256]; /* DNS wire format (RFC 8415 10) */
	uint16_t domains_len;
};

enum dhcp6_err vxg_dhcp6_parse(const uint8_t *b, size_t len, struct dhcp6_msg *m);
/* The reply into buf: its length, or 0 when it does not fit. */
size_t vxg_dhcp6_build(const struct dhcp6_reply *r, uint8_t *buf, size_t len);
const char *vxg_dhcp6_err_name(enum dhcp6_err e);
/* A message type's name as `show dhcp6 stats` and the metrics give it ("solicit",
 * "information_request"); NULL for a type the server neither takes nor sends. */
const char *vxg_dhcp6_type_name(unsigned type);
/* The MAC a DUID-LLT or DUID-LL of Ethernet carries; false for other DUIDs. */
bool vxg_dhcp6_duid_mac(const struct dhcp6_duid *d, uint8_t mac[6]);

#endif
