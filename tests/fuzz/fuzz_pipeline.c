/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer: the worker's pipeline, fed arbitrary frames on every interface of a config with
 * every feature on (vxgate-fuzz.yaml), the control thread answering what it punts. An
 * input is a few frames, each on an interface it names (fz_run, fuzz_daemon.h). Each input
 * starts from what the config alone makes: learned MACs, connections, sessions and router
 * neighbours are forgotten in between, and every mbuf must then be back in the pool.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_daemon.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_eal_init();
	fz_daemon_start(fz_config_path());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(data, size);
	fz_forget();
	fz_check_pool("after the input");
	fz_check_heap("after the input");
	return 0;
}
