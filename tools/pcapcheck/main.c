/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapcheck's command line: compare, --count, --dump, and the exit status (0 equal,
 * 1 different, 2 usage or I/O error).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapcheck.h"

static void
dump_field(const struct field *f)
{
	size_t n = strlen(f->val) / 2;

	if (!f->blob) {
		printf("  %s: %s\n", f->name, f->val);
		return;
	}
	printf("  %s: %zu bytes %.*s%s\n", f->name, n,
		(int)(2 * (n < DUMP_BLOB_MAX ? n : DUMP_BLOB_MAX)), f->val,
		n > DUMP_BLOB_MAX ? "..." : "");
}

static int
dump(const char *path, struct ignores *ig, uint16_t vxlan_port)
{
	pcap_t *p = open_capture(path);
	struct dec d = {.vxlan_port = vxlan_port};
	struct pkt k;
	size_t n = 0;
	int rc;

	if (!p)
		return EXIT_TROUBLE;
	while ((rc = next_pkt(p, path, &k)) > 0) {
		decode_pkt(&d, &k);
		printf("packet %zu:\n", ++n);
		for (size_t i = 0; i < d.n; i++) {
			if (!ignored(ig, d.v[i].name))
				dump_field(&d.v[i]);
		}
	}
	dec_free(&d);
	pcap_close(p);
	return rc < 0 ? EXIT_TROUBLE : EXIT_EQUAL;
}

static int
count(const char *path, unsigned long want)
{
	pcap_t *p = open_capture(path);
	size_t n = 0;
	int rc;

	if (!p)
		return EXIT_TROUBLE;
	rc = count_rest(p, path, &n);
	pcap_close(p);
	if (rc < 0)
		return EXIT_TROUBLE;
	printf("%s: %zu packets", path, n);
	if (n != want)
		printf(", expected %lu", want);
	printf("\n");
	return n == want ? EXIT_EQUAL : EXIT_DIFFERENT;
}

static void
usage(FILE *f)
{
	fputs("usage: pcapcheck [--ignore FIELD]... [--unordered] GOT.pcap EXPECTED.pcap\n"
	      "       pcapcheck --count N FILE.pcap\n"
	      "       pcapcheck [--ignore FIELD]... --dump FILE.pcap\n"
	      "\n"
	      "Compares two Ethernet captures packet by packet, field by field. Exit status: 0\n"
	      "equal, 1 different, 2 usage or I/O error. On the first packet that differs it\n"
	      "prints each differing field as 'NAME: got X, expected Y', then the number of\n"
	      "packets that differ and, if the files hold different numbers, both counts.\n"
	      "Packets are numbered from 1, as in Wireshark.\n"
	      "\n"
	      "  --ignore FIELD   leave FIELD out of the compare (repeatable); a glob:\n"
	      "                   '*ip.checksum' is ip.checksum and inner.ip.checksum,\n"
	      "                   'inner.*' the whole inner frame\n"
	      "  --unordered      match packets regardless of order (multiset compare), for\n"
	      "                   multi-queue output; reports the first unmatched packet\n"
	      "                   against the closest unmatched expected one\n"
	      "  --count N FILE   exit 0 iff FILE holds N packets (prints the count)\n"
	      "  --dump FILE      print every packet decoded, one 'NAME: VALUE' per line\n"
	      "  --vxlan-port N   UDP destination port decoded as VXLAN (default 4789)\n"
	      "\n"
	      "Fields (a VXLAN packet's inner frame repeats them under 'inner.', the datagram\n"
	      "an ICMP error quotes under 'icmp.orig.'):\n"
	      "  frame.len frame.pad (bytes after the IP datagram) malformed (why decoding\n"
	      "  stopped) payload (bytes no header claims)\n"
	      "  eth.dst eth.src eth.type\n"
	      "  vlan.pcp vlan.dei vlan.vid vlan.type (a second tag: vlan2.*)\n"
	      "  arp.htype arp.ptype arp.hlen arp.plen arp.op arp.sha arp.spa arp.tha arp.tpa\n"
	      "  ip.version ip.ihl ip.tos ip.len ip.id ip.rf ip.df ip.mf ip.frag (offset in\n"
	      "  bytes) ip.ttl ip.proto ip.checksum ip.checksum_valid ip.src ip.dst ip.options\n"
	      "  udp.sport udp.dport udp.len udp.checksum udp.checksum_valid (yes, no, none)\n"
	      "  tcp.sport tcp.dport tcp.seq tcp.ack tcp.hlen tcp.flags tcp.window tcp.checksum\n"
	      "  tcp.checksum_valid tcp.urp tcp.options\n"
	      "  icmp.type icmp.code icmp.checksum icmp.checksum_valid icmp.id icmp.seq (echo)\n"
	      "  icmp.rest (other types)\n"
	      "  vxlan.flags vxlan.rsvd1 vxlan.vni vxlan.rsvd2\n"
	      "*_valid fields are computed, not read: --ignore '*checksum' still checks them.\n",
		f);
}

enum { OPT_IGNORE = 256, OPT_UNORDERED, OPT_COUNT, OPT_DUMP, OPT_VXLAN_PORT };

static const struct option long_opts[] = {
	{"ignore", required_argument, NULL, OPT_IGNORE},
	{"unordered", no_argument, NULL, OPT_UNORDERED},
	{"count", required_argument, NULL, OPT_COUNT},
	{"dump", no_argument, NULL, OPT_DUMP},
	{"vxlan-port", required_argument, NULL, OPT_VXLAN_PORT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct args {
	struct ignores ig;
	bool unordered, dump, count;
	unsigned long want;
	unsigned long vxlan_port;
};

static int
parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	*out = strtoul(s, &end, 10);
	return (*end || *out > max) ? -1 : 0;
}

static void
ignore_add(struct ignores *ig, char *pat)
{
	ig->pat = xrealloc(ig->pat, (ig->n + 1) * sizeof(*ig->pat));
	ig->used = xrealloc(ig->used, (ig->n + 1) * sizeof(*ig->used));
	ig->pat[ig->n] = pat;
	ig->used[ig->n++] = false;
}

static int
arg_error(const char *what, const char *arg)
{
	fprintf(stderr, "pcapcheck: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* Returns the number of file operands expected, or -1 after a message. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	int c;

	a->vxlan_port = 4789;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(EXIT_EQUAL);
		} else if (c == OPT_IGNORE) {
			ignore_add(&a->ig, optarg);
		} else if (c == OPT_UNORDERED) {
			a->unordered = true;
		} else if (c == OPT_DUMP) {
			a->dump = true;
		} else if (c == OPT_COUNT) {
			a->count = true;
			if (parse_ulong(optarg, SIZE_MAX, &a->want) < 0)
				return arg_error("bad --count", optarg);
		} else if (c == OPT_VXLAN_PORT) {
			if (parse_ulong(optarg, 65535, &a->vxlan_port) < 0)
				return arg_error("bad --vxlan-port", optarg);
		} else {
			return -1;
		}
	}
	if (a->dump && a->count)
		return arg_error("--dump or --count, not both", NULL);
	return (a->dump || a->count) ? 1 : 2;
}

static void
warn_unused(const struct ignores *ig)
{
	for (size_t k = 0; k < ig->n; k++) {
		if (!ig->used[k])
			fprintf(stderr, "pcapcheck: warning: --ignore '%s' matched no field\n",
				ig->pat[k]);
	}
}

int
main(int argc, char **argv)
{
	struct args a = {0};
	int files = parse_args(argc, argv, &a), rc;
	uint16_t port;

	if (files > 0 && argc - optind != files)
		fprintf(stderr, "pcapcheck: %s\n",
			files == 1 ? "one file, please" : "two files: GOT.pcap EXPECTED.pcap");
	if (files < 0 || argc - optind != files) {
		fputs("usage: pcapcheck [--ignore FIELD]... [--unordered] GOT.pcap EXPECTED.pcap\n"
		      "       pcapcheck --count N FILE | --dump FILE; pcapcheck --help\n",
			stderr);
		return EXIT_TROUBLE;
	}
	port = (uint16_t)a.vxlan_port;
	if (a.count)
		rc = count(argv[optind], a.want);
	else if (a.dump)
		rc = dump(argv[optind], &a.ig, port);
	else if (a.unordered)
		rc = compare_unordered(argv[optind], argv[optind + 1], &a.ig, port);
	else
		rc = compare_ordered(argv[optind], argv[optind + 1], &a.ig, port);
	if (!a.count && !a.dump && rc != EXIT_TROUBLE)
		warn_unused(&a.ig);
	free(a.ig.pat);
	free(a.ig.used);
	return rc;
}
