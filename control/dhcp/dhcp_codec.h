/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DHCP (RFC 2131/2132, 3442): the message codec. The per-network server's decisions are
 * in dhcp/dhcp_server.h, the service that wires both to punted frames in
 * dhcp/dhcp_service.h.
 *
 * Thread-safety: control thread only. DHCP packets are punted by workers; the control
 * thread parses them here, decides, builds the reply and hands it back to a worker. The
 * codec works on the BOOTP message (the UDP payload) and touches no mbuf, so it is tested
 * on byte arrays.
 *
 * Addresses are IPv4 in host byte order, as in config/model.h.
 */
#ifndef VXG_DHCP_CODEC_H
#define VXG_DHCP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#define DHCP_FIXED_LEN 236 /* op .. file, before the magic cookie */
#define DHCP_MIN_LEN 300 /* BOOTP minimum: replies are padded to it */
#define DHCP_MAX_LEN 1500 /* what we build at most (option 57 may lower it, not below 576) */
#define DHCP_FLAG_BROADCAST 0x8000

enum dhcp_msg_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* Why a message was refused; each is a counter in `show dhcp stats`. */
#define DHCP_PARSE_ERRORS(X)                                             \
	X(truncated, "shorter than the BOOTP header and magic cookie")   \
	X(not_request, "op is not BOOTREQUEST")                          \
	X(bad_htype, "hardware type is not Ethernet (1, length 6)")      \
	X(bad_cookie, "magic cookie is not 99.130.83.99")                \
	X(option_overrun, "an option runs past the end of its field")    \
	X(bad_option_len, "an option has the wrong length for its type") \
	X(no_msg_type, "no DHCP message type option (53): plain BOOTP")  \
	X(bad_msg_type, "message type not one a server receives")

enum dhcp_parse_err {
	DHCP_PARSE_OK = 0,
#define DHCP_ERR_ENUM(name, help) DHCP_ERR_##name,
	DHCP_PARSE_ERRORS(DHCP_ERR_ENUM)
#undef DHCP_ERR_ENUM
		DHCP_ERR_MAX
};

const char *vxg_dhcp_err_name(enum dhcp_parse_err e);

#define DHCP_PRL_MAX 64
#define DHCP_CLIENT_ID_MAX 64

struct dhcp_request {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	struct rte_ether_addr chaddr;
	uint8_t msg_type; /* option 53 */
	uint32_t requested_ip; /* option 50, 0 if absent */
	uint32_t server_id; /* option 54, 0 if absent */
	uint16_t max_size; /* option 57, 0 if absent */
	uint8_t client_id[DHCP_CLIENT_ID_MAX]; /* option 61 */
	uint8_t client_id_len;
	char hostname[64]; /* option 12, NUL-terminated */
	uint8_t prl[DHCP_PRL_MAX]; /* option 55: parameter request list */
	uint8_t prl_len;
	bool has_prl;
};

/* Parse a BOOTP/DHCP message (UDP payload). Honours option overload (52). */
enum dhcp_parse_err vxg_dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_request *req);

#define DHCP_ROUTES_MAX 16
#define DHCP_DNS_MAX 4

struct dhcp_route {
	uint32_t prefix;
	uint8_t len;
	uint32_t gateway;
};

/* What the server answers: the builder turns it into options. */
struct dhcp_reply {
	uint8_t msg_type; /* DHCP_OFFER, DHCP_ACK or DHCP_NAK */
	uint32_t yiaddr; /* 0 for NAK and for ACK to INFORM */
	uint32_t server_id;
	uint32_t mask; /* option 1 */
	uint32_t router; /* option 3, 0: none */
	uint32_t lease; /* option 51, 0: none (INFORM, NAK) */
	uint32_t dns[DHCP_DNS_MAX];
	unsigned n_dns;
	char domain[128]; /* option 15 */
	uint16_t mtu; /* option 26, 0: none */
	struct dhcp_route routes[DHCP_ROUTES_MAX]; /* option 121 */
	unsigned n_routes;
	const char *message; /* option 56, for NAK */
};

/*
 * Build the reply to req into buf (capacity cap, at least DHCP_MAX_LEN). Mandatory
 * options (53, 54, and for a lease 51, 58, 59, 1, 3) always go in, and so does 26 when the
 * MTU is below 1500; the others (6, 15, 26, 121) go in when the client asked for them in
 * option 55, or when it sent no list. A
 * client asking for 121 gets the default route in it too, since RFC 3442 clients then
 * ignore option 3. Returns the message length (padded to DHCP_MIN_LEN), or 0 if it
 * does not fit.
 */
size_t vxg_dhcp_build(
	const struct dhcp_request *req, const struct dhcp_reply *r, uint8_t *buf, size_t cap);

/* Where the reply goes (RFC 2131 4.1): to a relay, unicast to ciaddr, broadcast, or
 * unicast to yiaddr at chaddr. */
enum dhcp_dest {
	DHCP_DEST_RELAY, /* giaddr, port 67 */
	DHCP_DEST_CIADDR, /* ciaddr, port 68 */
	DHCP_DEST_BROADCAST, /* 255.255.255.255, port 68, Ethernet broadcast */
	DHCP_DEST_YIADDR, /* yiaddr at chaddr, port 68 */
};
enum dhcp_dest vxg_dhcp_dest(const struct dhcp_request *req, const struct dhcp_reply *r);

#endif
