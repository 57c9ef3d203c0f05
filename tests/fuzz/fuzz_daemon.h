/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fuzzers' daemon: vxgate's control features and one worker, both on the fuzzer's
 * thread, with no port, no worker lcore and no socket. The config is loaded and every
 * feature starts and builds the first generation as in vxgate. Frames go in through the
 * worker's Ethernet input; what the worker punts goes to the features' punt handlers
 * (vxg_daemon_tick), whose frames come back through the worker's inject path, until
 * nothing moves. What the worker transmits is checked and freed.
 *
 * Thread-safety: one thread. The worker is not registered with QSBR, so what control
 * frees (an old generation, a table position) is gone at once: the worker's generation
 * is taken from the daemon again after every control step, as a worker would at its
 * next pass.
 */
#ifndef VXG_FUZZ_DAEMON_H
#define VXG_FUZZ_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>

#include "core/daemon.h"

/* The config every daemon-based fuzzer runs (tests/fuzz/vxgate-fuzz.yaml; the environment's
 * VXG_FUZZ_CONFIG names another). */
const char *fz_config_path(void);

/* EAL on the calling thread: no hugepages, PCI, shared files or telemetry; the thread
 * keeps the CPUs it had. Exits with the reason on failure. */
void fz_eal_init(void);

/* Start the daemon on the config at path, or exit with the reason. The shell's command
 * core is set up too (vxg_cli_exec). */
void fz_daemon_start(const char *path);
void fz_daemon_stop(void);

struct vxg_daemon *fz_daemon(void);
/* /dev/null, for the commands' output (stdout with VXG_FUZZ_VERBOSE set). */
FILE *fz_null(void);

/* A frame of the len bytes at data (cut to what one mbuf holds), as received on interface
 * ifindex; NULL when the pool is empty. */
struct rte_mbuf *fz_frame(unsigned ifindex, const uint8_t *data, size_t len);
/* The worker's Ethernet input takes the n frames (n <= VXG_BURST_MAX) that interface
 * ifindex received, then control and the worker run until nothing moves. */
void fz_rx(unsigned ifindex, struct rte_mbuf **pkts, uint16_t n);
/* The control thread's timers (ageing, probes, gratuitous ARP), then as fz_rx. */
void fz_tick(void);
/*
 * The pipeline fuzzer's input: up to FZ_MAX_CHUNKS chunks separated by FZ_SEP. A chunk's
 * first byte says where its frame (the rest) arrives and how: bits 0-2 the interface
 * (modulo their number; the frame carries its own VLAN tag), bits 3-4 how many copies
 * come in one burst (1-4), bit 5 whether the control thread's timers run after it.
 */
#define FZ_SEP "\xa5VXG"
#define FZ_SEP_LEN 4
#define FZ_MAX_CHUNKS 32
void fz_run(const uint8_t *data, size_t size);
/* Read every file of dir (the pipeline's seed corpus) once; fz_run each of them. */
void fz_seeds_load(const char *dir);
void fz_seeds_run(void);

/* Forget what traffic taught: learned MACs, connections, SNAT sessions, learned router
 * neighbours (and the packets they held). */
void fz_forget(void);
/* Abort when an mbuf is missing from the pool (a leak: nothing is held after fz_forget). */
void fz_check_pool(const char *when);
/* Abort when DPDK's heap has grown well past what it held after the first call. */
void fz_check_heap(const char *when);

#endif
