/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet filters in tcpdump's language for the workers: compiled by libpcap for Ethernet
 * frames (pcap_compile on a DLT_EN10MB dead handle, as tcpdump -d would), converted to
 * eBPF by DPDK (rte_bpf_convert) and loaded with rte_bpf_load, with DPDK's JIT where it
 * has one. Packet capture's and packet trace's FILTER use it; any feature that filters frames on a
 * worker can (vxg_bpf_match, vxg_bpf.h, runs the result).
 *
 * Thread-safety: control thread only (libpcap's compiler is not reentrant in every
 * version). The result is read-only and may be handed to workers; see vxg_bpf.h for when
 * it may be freed.
 */
#ifndef VXG_CAPTURE_FILTER_H
#define VXG_CAPTURE_FILTER_H

#include <stddef.h>

#include "vxg_bpf.h"

/* The longest expression accepted, in bytes. */
#define VXG_FILTER_MAX 1024

/*
 * Compile expr into f. An empty expression (or only blanks) gives no filter: f->bpf NULL,
 * every frame matches. 0; -EINVAL with libpcap's own message in err when the expression
 * is wrong ("filter \"udp prot 53\": syntax error"); -errno with DPDK's reason when
 * converting or loading fails. f is untouched on error.
 */
int vxg_filter_compile(const char *expr, struct vxg_bpf *f, char *err, size_t errlen);

/*
 * The FILTER words of a command, s[0..n), as libpcap should read them: the blanks around
 * them dropped, and quotes around the whole that a shell would have taken ('udp port 53'
 * or "udp port 53") too. Into out, outlen bytes with its NUL. 0; -E2BIG when it does not
 * fit. Commands that take a FILTER read it with this, so that they read it alike.
 */
int vxg_filter_text(const char *s, size_t n, char *out, size_t outlen);

/* Free what vxg_filter_compile made (f may hold no filter); f then holds none. */
void vxg_filter_free(struct vxg_bpf *f);

#endif
