/* SPDX-License-Identifier: BSD-3-Clause */
/* pcapgen's command line: --help, the options, their defaults and bounds. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

static void
usage(FILE *f)
{
	fputs("usage: pcapgen SCENARIO -o OUT.pcap [options]\n"
	      "       pcapgen --list\n"
	      "\n"
	      "Writes a capture of SCENARIO for vxgate's benchmarks and replay tests.\n"
	      "Identical arguments give byte-identical files (timestamps 1 us apart from\n"
	      "1700000000 s). Packet i uses flow i % FLOWS (source port), MAC i % MACS and\n"
	      "host i % HOSTS (source IP), round robin: coprime counts give every combination.\n"
	      "\n"
	      "  -o, --out FILE         output capture ('-' for stdout)\n"
	      "  -n, --count N          packets (default 1024; garbage always writes 11)\n"
	      "  -s, --size SIZE        frame size without FCS (default 64); a frame under 60\n"
	      "                         bytes is padded to 60. encap: the frame from the VM,\n"
	      "                         i.e. the inner frame the gateway encapsulates. decap:\n"
	      "                         the outer VXLAN frame, inner frame = SIZE - 50\n"
	      "                         (default 114: a 64-byte inner frame). mixed, dhcp:\n"
	      "                         ignored\n"
	      "      --flows N          distinct L4 source ports or ICMP ids (default 1,\n"
	      "                         at most 65535)\n"
	      "      --macs N           distinct source MACs, added to the low 32 bits\n"
	      "      --hosts N          distinct source IPs, added to the source IP\n"
	      "      --dst-hosts N      distinct destination IPs (packet i: i % N), added to\n"
	      "                         the destination IP (decap: inner); e.g. snat to many\n"
	      "                         servers: one server takes at most one session per\n"
	      "                         SNAT port\n"
	      "      --dst-stride N     step between those destination IPs (default 1;\n"
	      "                         e.g. 256: each in a /24 of its own)\n"
	      "      --vni N            VNI of decap frames (default 100, web)\n"
	      "      --vlan N           802.1Q tag on the wire (decap: on the outer frame);\n"
	      "                         l2 and mixed's l2 half default to 10, others untagged\n"
	      "      --src-mac MAC      source MAC (decap: of the inner frame; dhcp: of\n"
	      "                         client 0, default 02:00:0a:02:10:00)\n"
	      "      --dst-mac MAC      destination MAC (decap: inner; fip, snat-reply: the\n"
	      "                         external interface's MAC, default --router-mac)\n"
	      "      --src-ip IP        source IPv4 (decap: inner; dhcp: the address client\n"
	      "                         0 asks for, default 10.2.0.100)\n"
	      "      --dst-ip IP        destination IPv4 (decap: inner; dhcp: the server id\n"
	      "                         REQUESTs name, default 10.2.0.1, db's gateway)\n"
	      "      --vtep-local IP    the gateway's VTEP (default 172.16.0.1)\n"
	      "      --vtep-remote IP   the remote VTEP (default 172.16.0.2)\n"
	      "      --underlay-mac MAC the gateway's underlay MAC, dst of VXLAN frames\n"
	      "                         (default 02:00:ac:10:00:01)\n"
	      "      --remote-vtep-mac MAC  src of VXLAN frames (default 02:00:ac:10:00:02)\n"
	      "      --router-mac MAC   the VPC router's MAC on db: dst of routed, sg, snat\n"
	      "                         (default 02:76:78:00:00:c8)\n"
	      "      --udp-port N       VXLAN UDP port (default 4789)\n"
	      "      --snat IP          the VPC's SNAT address, dst of snat-reply\n"
	      "                         (default 203.0.113.10)\n"
	      "      --fip IP           vm1's floating IP, dst of fip (default 203.0.113.20)\n"
	      "      --proto P          udp, tcp or icmp (default udp; sg, sg-syn: always\n"
	      "                         tcp). TCP: SYN first in each flow, then ACK (sg and\n"
	      "                         snat-reply: ACK only; sg-syn: SYN only, so with\n"
	      "                         coprime --flows and --hosts and -n up to their\n"
	      "                         product every packet opens a new connection).\n"
	      "                         ICMP: echo request (snat-reply:\n"
	      "                         reply), id per flow, seq per packet of the flow\n"
	      "      --sport N          first L4 source port (default 40000)\n"
	      "      --dport N          L4 destination port (default 5001 udp, 80 tcp)\n"
	      "      --ttl N            IPv4 TTL of the (inner) frames (default 64)\n"
	      "      --seed N           payload and TCP sequence numbers (default 1)\n"
	      "      --list             print the scenarios\n"
	      "\n"
	      "Default addresses (the example config): vm1 02:00:0a:01:00:0b 10.1.0.11 (web,\n"
	      "VNI 100, behind the remote VTEP); vm2 02:00:0a:02:00:0c 10.2.0.12 (db, VNI 200,\n"
	      "local); a second db host 02:00:0a:02:00:0d 10.2.0.13, dst of encap and l2 (put\n"
	      "it behind the remote VTEP for encap, on an access VLAN for l2); the web gateway\n"
	      "MAC 02:76:78:00:00:64, dst of decap's inner frames, which the gateway routes to\n"
	      "vm2; the upstream router 02:00:cb:00:71:01, src of fip and snat-reply; the\n"
	      "internet server 198.51.100.10.\n"
	      "Outer VXLAN: UDP checksum 0, source port a hash of the inner flow in\n"
	      "32768-60999. Every other checksum (IPv4, UDP, TCP, ICMP) is correct. Payloads\n"
	      "start with the packet index (4 bytes, big endian).\n"
	      "\n"
	      "garbage writes, in this order, VXLAN packets to the local VTEP that are each\n"
	      "broken in one way:\n"
	      "   1 truncated Ethernet header (10 bytes)\n"
	      "   2 multicast source MAC\n"
	      "   3 IPv4 version 6\n"
	      "   4 IPv4 IHL 4\n"
	      "   5 bad IPv4 header checksum\n"
	      "   6 IPv4 total length 100 bytes beyond the frame\n"
	      "   7 VXLAN I flag clear (flags 0x00)\n"
	      "   8 VXLAN reserved bits set (flags 0x08, reserved fields 0x000001 and 0x01)\n"
	      "   9 VXLAN unknown VNI 12345\n"
	      "  10 outer IPv4 fragment (MF set, offset 0)\n"
	      "  11 truncated VXLAN header (UDP length 12: 4 of 8 bytes; padded to 60)\n"
	      "\n"
	      "dhcp: packet i is from client k = (i / 2) % MACS (MAC --src-mac + k): a DISCOVER\n"
	      "when i is even, then its REQUEST (SELECTING: options 50 and 54), both asking\n"
	      "for --src-ip + k, broadcast (--dst-mac to change it) from 0.0.0.0:68 to\n"
	      "255.255.255.255:67 (options 53, 61, 50, 54, 55; BOOTP padded to 300 bytes:\n"
	      "342-byte frames untagged). A server with that address in its range offers it\n"
	      "and ACKs it; on later passes each client renews its own lease.\n"
	      "\n"
	      "Scenarios:\n",
		f);
	for (size_t k = 0; k < n_scenarios; k++)
		fprintf(f, "  %-11s %s\n", scenarios[k].name, scenarios[k].summary);
}

static int
parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int k = 0; k < 6; k++) {
		if (b[k] > 0xff)
			return -1;
		mac[k] = (uint8_t)b[k];
	}
	return 0;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

static int
parse_proto(const char *s, uint8_t *proto)
{
	if (!strcmp(s, "udp"))
		*proto = IPPROTO_UDP_;
	else if (!strcmp(s, "tcp"))
		*proto = IPPROTO_TCP_;
	else if (!strcmp(s, "icmp"))
		*proto = IPPROTO_ICMP_;
	else
		return -1;
	return 0;
}

enum {
	OPT_FLOWS = 256,
	OPT_MACS,
	OPT_HOSTS,
	OPT_DST_HOSTS,
	OPT_DST_STRIDE,
	OPT_VNI,
	OPT_VLAN,
	OPT_SRC_MAC,
	OPT_DST_MAC,
	OPT_SRC_IP,
	OPT_DST_IP,
	OPT_VTEP_LOCAL,
	OPT_VTEP_REMOTE,
	OPT_UNDERLAY_MAC,
	OPT_REMOTE_VTEP_MAC,
	OPT_ROUTER_MAC,
	OPT_UDP_PORT,
	OPT_SNAT,
	OPT_FIP,
	OPT_PROTO,
	OPT_SPORT,
	OPT_DPORT,
	OPT_TTL,
	OPT_SEED,
	OPT_LIST,
};

static const struct option long_opts[] = {
	{"out", required_argument, NULL, 'o'},
	{"count", required_argument, NULL, 'n'},
	{"size", required_argument, NULL, 's'},
	{"help", no_argument, NULL, 'h'},
	{"flows", required_argument, NULL, OPT_FLOWS},
	{"macs", required_argument, NULL, OPT_MACS},
	{"hosts", required_argument, NULL, OPT_HOSTS},
	{"dst-hosts", required_argument, NULL, OPT_DST_HOSTS},
	{"dst-stride", required_argument, NULL, OPT_DST_STRIDE},
	{"vni", required_argument, NULL, OPT_VNI},
	{"vlan", required_argument, NULL, OPT_VLAN},
	{"src-mac", required_argument, NULL, OPT_SRC_MAC},
	{"dst-mac", required_argument, NULL, OPT_DST_MAC},
	{"src-ip", required_argument, NULL, OPT_SRC_IP},
	{"dst-ip", required_argument, NULL, OPT_DST_IP},
	{"vtep-local", required_argument, NULL, OPT_VTEP_LOCAL},
	{"vtep-remote", required_argument, NULL, OPT_VTEP_REMOTE},
	{"underlay-mac", required_argument, NULL, OPT_UNDERLAY_MAC},
	{"remote-vtep-mac", required_argument, NULL, OPT_REMOTE_VTEP_MAC},
	{"router-mac", required_argument, NULL, OPT_ROUTER_MAC},
	{"udp-port", required_argument, NULL, OPT_UDP_PORT},
	{"snat", required_argument, NULL, OPT_SNAT},
	{"fip", required_argument, NULL, OPT_FIP},
	{"proto", required_argument, NULL, OPT_PROTO},
	{"sport", required_argument, NULL, OPT_SPORT},
	{"dport", required_argument, NULL, OPT_DPORT},
	{"ttl", required_argument, NULL, OPT_TTL},
	{"seed", required_argument, NULL, OPT_SEED},
	{"list", no_argument, NULL, OPT_LIST},
	{NULL, 0, NULL, 0},
};

static void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->count = 1024;
	o->size = 64;
	o->flows = o->macs = o->hosts = o->dst_hosts = o->dst_stride = 1;
	o->vni = 100;
	memcpy(o->underlay_mac, underlay_mac, 6);
	memcpy(o->remote_vtep_mac, remote_vtep_mac, 6);
	memcpy(o->router_mac, db_gw_mac, 6);
	o->vtep_local = VTEP_LOCAL_IP;
	o->vtep_remote = VTEP_REMOTE_IP;
	o->snat = SNAT_IP;
	o->fip = FIP_IP;
	o->udp_port = 4789;
	o->sport = 40000;
	o->proto = IPPROTO_UDP_;
	o->ttl = 64;
	o->seed = 1;
}

/* Numeric options: bounds, where the value goes, and which O_* bit it sets. */
static int
opt_number(struct opts *o, int c, const char *arg)
{
	unsigned long v = 0; /* stays 0 when parsing fails; the caller then exits */
	int rc = 0;

	switch (c) {
	case 'n':
		rc = parse_ulong(arg, 1, 100000000, &o->count);
		break;
	case 's':
		rc = parse_ulong(arg, 1, FRAME_MAX, &o->size);
		o->set |= O_SIZE;
		break;
	case OPT_FLOWS:
		rc = parse_ulong(arg, 1, 65535, &o->flows);
		break;
	case OPT_MACS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->macs);
		break;
	case OPT_HOSTS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->hosts);
		break;
	case OPT_DST_HOSTS:
		rc = parse_ulong(arg, 1, UINT32_MAX, &o->dst_hosts);
		break;
	case OPT_DST_STRIDE:
		rc = parse_ulong(arg, 1, 1ul << 24, &o->dst_stride);
		break;
	case OPT_VNI:
		rc = parse_ulong(arg, 0, 0xffffff, &v);
		o->vni = (uint32_t)v;
		break;
	case OPT_VLAN:
		rc = parse_ulong(arg, 1, 4094, &v);
		o->vlan = (uint16_t)v;
		o->set |= O_VLAN;
		break;
	case OPT_UDP_PORT:
	case OPT_SPORT:
	case OPT_DPORT:
		rc = parse_ulong(arg, 1, 65535, &v);
		*(c == OPT_UDP_PORT      ? &o->udp_port
			: c == OPT_SPORT ? &o->sport
					 : &o->dport) = (uint16_t)v;
		o->set |= c == OPT_DPORT ? O_DPORT : 0;
		break;
	case OPT_TTL:
		rc = parse_ulong(arg, 1, 255, &v);
		o->ttl = (uint8_t)v;
		break;
	default: /* OPT_SEED */
		errno = 0;
		o->seed = strtoull(arg, NULL, 0);
		rc = errno ? -1 : 0;
		break;
	}
	return rc;
}

static int
opt_address(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_SRC_MAC:
		o->set |= O_SRC_MAC;
		return parse_mac(arg, o->src_mac);
	case OPT_DST_MAC:
		o->set |= O_DST_MAC;
		return parse_mac(arg, o->dst_mac);
	case OPT_UNDERLAY_MAC:
		return parse_mac(arg, o->underlay_mac);
	case OPT_REMOTE_VTEP_MAC:
		return parse_mac(arg, o->remote_vtep_mac);
	case OPT_ROUTER_MAC:
		return parse_mac(arg, o->router_mac);
	case OPT_SRC_IP:
		o->set |= O_SRC_IP;
		return parse_ip(arg, &o->src_ip);
	case OPT_DST_IP:
		o->set |= O_DST_IP;
		return parse_ip(arg, &o->dst_ip);
	case OPT_VTEP_LOCAL:
		return parse_ip(arg, &o->vtep_local);
	case OPT_VTEP_REMOTE:
		return parse_ip(arg, &o->vtep_remote);
	case OPT_SNAT:
		return parse_ip(arg, &o->snat);
	default: /* OPT_FIP */
		return parse_ip(arg, &o->fip);
	}
}

static int
opt_one(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'o':
		o->out = arg;
		return 0;
	case OPT_PROTO:
		o->set |= O_PROTO;
		return parse_proto(arg, &o->proto);
	case OPT_SRC_MAC:
	case OPT_DST_MAC:
	case OPT_UNDERLAY_MAC:
	case OPT_REMOTE_VTEP_MAC:
	case OPT_ROUTER_MAC:
	case OPT_SRC_IP:
	case OPT_DST_IP:
	case OPT_VTEP_LOCAL:
	case OPT_VTEP_REMOTE:
	case OPT_SNAT:
	case OPT_FIP:
		return opt_address(o, c, arg);
	default:
		return opt_number(o, c, arg);
	}
}

static void
list_scenarios(void)
{
	for (size_t k = 0; k < n_scenarios; k++)
		printf("%-11s %s\n", scenarios[k].name, scenarios[k].summary);
}

static const char *
opt_name(int c)
{
	for (const struct option *lo = long_opts; lo->name; lo++) {
		if (lo->val == c)
			return lo->name;
	}
	return "?";
}

static const struct scenario *
scenario_find(const char *name)
{
	for (size_t k = 0; k < n_scenarios; k++) {
		if (!strcmp(scenarios[k].name, name))
			return &scenarios[k];
	}
	return NULL;
}

/* Defaults that depend on the protocol, and sg's fixed protocol. */
static int
opts_finish(struct opts *o, const struct scenario *sc)
{
	if (!strcmp(sc->name, "sg") || !strcmp(sc->name, "sg-syn")) {
		if ((o->set & O_PROTO) && o->proto != IPPROTO_TCP_)
			return fail("%s is TCP only: drop --proto", sc->name);
		o->proto = IPPROTO_TCP_;
	}
	if (!(o->set & O_DPORT))
		o->dport = o->proto == IPPROTO_TCP_ ? 80 : 5001;
	if (sc->fixed_count)
		o->count = sc->fixed_count;
	return 0;
}

/* Returns the scenario, or NULL after saying why; exits for --help and --list. */
const struct scenario *
parse_args(int argc, char **argv, struct opts *o)
{
	const struct scenario *sc;
	int c;

	opts_init(o);
	while ((c = getopt_long(argc, argv, "o:n:s:h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == OPT_LIST) {
			list_scenarios();
			exit(0);
		}
		if (c == '?')
			return NULL;
		if (opt_one(o, c, optarg) < 0) {
			fail("invalid value for --%s: '%s'", opt_name(c), optarg);
			return NULL;
		}
	}
	if (optind != argc - 1) {
		fail(optind >= argc ? "no scenario given (see --list)" : "one scenario at a time");
		return NULL;
	}
	o->scenario = argv[optind];
	sc = scenario_find(o->scenario);
	if (!sc)
		fail("unknown scenario '%s' (see --list)", o->scenario);
	else if (!o->out)
		fail("no output file: -o OUT.pcap");
	if (!sc || !o->out || opts_finish(o, sc) < 0)
		return NULL;
	return sc;
}
