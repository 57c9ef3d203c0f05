/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapgen's entry point: write the scenario's frames to a capture, or nothing at all when
 * a frame cannot be built.
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapgen.h"

static int
write_frames(const struct opts *o, const struct scenario *sc, pcap_dumper_t *d)
{
	static uint8_t buf[FRAME_MAX + ETH_MIN_LEN];
	int rc = 0;

	for (uint32_t i = 0; i < o->count && rc == 0; i++) {
		struct pcap_pkthdr h = {
			.ts = {.tv_sec = TS_BASE_SEC + i / 1000000, .tv_usec = i % 1000000},
		};
		size_t len = 0;

		rc = sc->gen(o, i, buf, &len);
		h.caplen = h.len = (bpf_u_int32)len;
		if (rc == 0)
			pcap_dump((u_char *)d, &h, buf);
	}
	if (rc == 0 && (pcap_dump_flush(d) < 0 || ferror(pcap_dump_file(d))))
		rc = fail("%s: write error", o->out);
	return rc;
}

/* A failed run leaves no file behind: a test must not replay half a capture. */
static int
write_capture(const struct opts *o, const struct scenario *sc)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	int rc;

	if (!dead)
		return fail("pcap_open_dead failed");
	d = pcap_dump_open(dead, o->out);
	if (!d) {
		rc = fail("%s", pcap_geterr(dead));
		pcap_close(dead);
		return rc;
	}
	rc = write_frames(o, sc, d);
	pcap_dump_close(d);
	pcap_close(dead);
	if (rc < 0 && strcmp(o->out, "-"))
		remove(o->out);
	return rc;
}

/* The first frame shows whether the options fit the scenario (-s too small, ...). */
static int
check_first(const struct opts *o, const struct scenario *sc)
{
	static uint8_t buf[FRAME_MAX + ETH_MIN_LEN];
	size_t len;

	return sc->gen(o, 0, buf, &len);
}

int
main(int argc, char **argv)
{
	const struct scenario *sc;
	struct opts o;

	sc = parse_args(argc, argv, &o);
	if (!sc || check_first(&o, sc) < 0) {
		fputs("usage: pcapgen SCENARIO -o OUT.pcap [options]; pcapgen --help\n", stderr);
		return 2;
	}
	return write_capture(&o, sc) < 0 ? 1 : 0;
}
