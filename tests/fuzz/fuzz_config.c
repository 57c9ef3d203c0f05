/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer: the config loader and validator (vxg_config_load_string) on arbitrary text. A
 * text it refuses must say why; one it takes is a config vxgate runs: the daemon
 * (vxgate-fuzz.yaml) reloads into it, the pipeline's seeds go through the generation it
 * built, and the daemon reloads back. Only configs with the daemon's interfaces reload
 * (the others are refused, as in vxgate), only with small tables, so that the limits a
 * config may set (up to 2^28 entries) do not turn into a fuzzer's out-of-memory, and only
 * without metrics: the fuzzer opens no port.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/model.h"

#include "fuzz_daemon.h"

#define TABLE_MAX 4096

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[64];

static void
cleanup(void)
{
	unlink(tmp_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	fz_eal_init();
	fz_daemon_start(fz_config_path());
	fz_seeds_load(VXG_FUZZ_DIR "/corpus/pipeline");
	snprintf(tmp_path, sizeof(tmp_path), "/tmp/vxg-fuzz-config.XXXXXX");
	if ((fd = mkstemp(tmp_path)) < 0)
		abort();
	close(fd);
	atexit(cleanup);
	return 0;
}

static void fail(const char *what, const char *err) __attribute__((noreturn));

static void
fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, err);
	abort();
}

/* Reload the daemon into the config text (cfg, loaded from it), run traffic, reload back. */
static void
reload(const char *text, size_t len, const struct vxg_config *cfg)
{
	struct vxg_daemon *d = fz_daemon();
	char err[VXG_ERR_MAX];
	FILE *f;

	if (cfg->n_interfaces != d->n_ifs || cfg->dataplane.limits.conntrack > TABLE_MAX ||
		cfg->dataplane.limits.sessions > TABLE_MAX || cfg->metrics.enabled)
		return;
	if ((f = fopen(tmp_path, "w")) == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		fail(tmp_path, "cannot write");
	if (vxg_daemon_reload(d, tmp_path, err, sizeof(err)) == 0) {
		fz_seeds_run();
		fz_forget();
		fz_check_pool("after the traffic of a reloaded config");
		if (vxg_daemon_reload(d, fz_config_path(), err, sizeof(err)) < 0)
			fail("reload back", err);
	}
	fz_forget();
	fz_check_pool("after the reload back");
	fz_check_heap("after the reload back");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[VXG_ERR_MAX] = "";
	struct vxg_config *cfg = NULL;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (vxg_config_load_string("fuzz.yaml", text, &cfg, err, sizeof(err)) < 0) {
		if (err[0] == '\0' || cfg != NULL)
			fail("refused without a reason", text);
	} else {
		struct vxg_config_counts n;

		vxg_config_count(cfg, &n);
		reload(text, strlen(text), cfg);
		vxg_config_free(cfg);
	}
	free(text);
	return 0;
}
