/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpdump expressions to eBPF the workers run (capture_filter.h): libpcap compiles, DPDK
 * converts, verifies and loads. Nothing here parses an expression by hand.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "capture/capture_filter.h"

/* What a match returns is the snapshot length; any length will do, it is only non-zero. */
#define FILTER_SNAPLEN 65535

static bool
blank_expr(const char *expr)
{
	return expr[strspn(expr, " \t")] == '\0';
}

/* expr compiled by libpcap into prog; -EINVAL with libpcap's message. */
static int
filter_pcap_compile(const char *expr, struct bpf_program *prog, char *err, size_t errlen)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, FILTER_SNAPLEN);
	int ret = 0;

	if (p == NULL) {
		snprintf(err, errlen, "filter \"%s\": libpcap cannot open a handle", expr);
		return -ENOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "filter \"%s\": %s", expr, pcap_geterr(p));
		ret = -EINVAL;
	}
	pcap_close(p);
	return ret;
}

/* prog converted to eBPF and loaded into *bpf; -errno with DPDK's reason in err. */
static int
filter_load(const char *expr, const struct bpf_program *prog, struct rte_bpf **bpf, char *err,
	size_t errlen)
{
	struct rte_bpf_prm *prm = rte_bpf_convert(prog);
	int ret = 0;

	if (prm == NULL) {
		ret = rte_errno > 0 ? -rte_errno : -EINVAL;
		snprintf(err, errlen, "filter \"%s\": DPDK cannot convert it to eBPF: %s", expr,
			rte_strerror(-ret));
		return ret;
	}
	*bpf = rte_bpf_load(prm);
	if (*bpf == NULL) {
		ret = rte_errno > 0 ? -rte_errno : -EINVAL;
		snprintf(err, errlen, "filter \"%s\": DPDK's eBPF verifier refused it: %s", expr,
			rte_strerror(-ret));
	}
	rte_free(prm); /* rte_bpf_load keeps a copy of the instructions */
	return ret;
}

int
vxg_filter_compile(const char *expr, struct vxg_bpf *f, char *err, size_t errlen)
{
	struct rte_bpf_jit jit = {0};
	struct bpf_program prog;
	struct rte_bpf *bpf;
	int ret;

	if (strlen(expr) >= VXG_FILTER_MAX) {
		snprintf(err, errlen, "filter longer than %d bytes", VXG_FILTER_MAX - 1);
		return -E2BIG;
	}
	if (blank_expr(expr)) {
		*f = (struct vxg_bpf){NULL, NULL};
		return 0;
	}
	if ((ret = filter_pcap_compile(expr, &prog, err, errlen)) < 0)
		return ret;
	ret = filter_load(expr, &prog, &bpf, err, errlen);
	pcap_freecode(&prog);
	if (ret < 0)
		return ret;
	/* No JIT for this CPU leaves jit.func NULL: the interpreter runs it. */
	rte_bpf_get_jit(bpf, &jit);
	f->bpf = bpf;
	f->jit = jit.func;
	return 0;
}

int
vxg_filter_text(const char *s, size_t n, char *out, size_t outlen)
{
	const char *end = s + n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	/* A filter quoted as a shell would quote it: the quotes are not libpcap's. */
	if (end - s >= 2 && (s[0] == '"' || s[0] == '\'') && end[-1] == s[0]) {
		s++;
		end--;
	}
	if ((size_t)(end - s) >= outlen)
		return -E2BIG;
	snprintf(out, outlen, "%.*s", (int)(end - s), s);
	return 0;
}

void
vxg_filter_free(struct vxg_bpf *f)
{
	if (f->bpf != NULL)
		rte_bpf_destroy(f->bpf);
	f->bpf = NULL;
	f->jit = NULL;
}
