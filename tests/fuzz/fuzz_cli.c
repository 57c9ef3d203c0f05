/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer: the command core (vxg_cli_exec) with every registered command, on a daemon
 * (vxgate-fuzz.yaml) whose tables the pipeline's seeds have filled: learned MACs,
 * connections, SNAT sessions, leases and neighbours, so that the show commands walk real
 * entries. Each input is up to MAX_LINES lines (a line that starts with "-j " wants JSON,
 * as vxgate-ctl -j does); the tables are filled again before each input. `reload FILE`
 * reloads the fuzzer's own config whatever FILE says: the fuzzer reads no file it is
 * handed; and `capture start` is handed a relative FILE, which it refuses: it writes none.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"

#include "fuzz_daemon.h"

#define MAX_LINES 16
#define CMD_MAX 1200

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fz_eal_init();
	fz_daemon_start(fz_config_path());
	fz_seeds_load(VXG_FUZZ_DIR "/corpus/pipeline");
	return 0;
}

/* `reload` with an argument: the argument becomes the fuzzer's config. */
static const char *
no_files(const char *line, char *buf, size_t len)
{
	size_t a = strspn(line, " \t"), b = a + strcspn(line + a, " \t");

	if (b - a != 6 || strncmp(line + a, "reload", 6) != 0 ||
		line[b + strspn(line + b, " \t")] == 0)
		return line;
	snprintf(buf, len, "reload %s", fz_config_path());
	return buf;
}

/* `capture start ... FILE`: FILE becomes a relative name, which capture start refuses once
 * it has read the line, compiled the filter and made (then freed) what a capture needs:
 * the fuzzer creates no file. */
static const char *
no_capture_file(const char *line, char *buf, size_t len)
{
	size_t a = strspn(line, " \t"), n;

	if (strncmp(line + a, "capture", 7) != 0 || strstr(line + a + 7, "start") == NULL)
		return line;
	n = strlen(line);
	while (n > a && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	while (n > a && line[n - 1] != ' ' && line[n - 1] != '\t')
		n--;
	snprintf(buf, len, "%.*s fuzz.pcapng", (int)n, line);
	return buf;
}

static void
exec_line(const char *line)
{
	bool json = strncmp(line, "-j ", 3) == 0;
	char buf[CMD_MAX + 64], cbuf[CMD_MAX + 64];

	if (json)
		line += 3;
	line = no_capture_file(line, cbuf, sizeof(cbuf));
	vxg_cli_exec(no_files(line, buf, sizeof(buf)), json, fz_null());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char line[CMD_MAX + 1];

	fz_seeds_run();
	for (unsigned i = 0; i < MAX_LINES && p < end; i++) {
		size_t n = 0;

		while (p + n < end && p[n] != '\n' && p[n] != '\0')
			n++;
		memcpy(line, p, RTE_MIN(n, (size_t)CMD_MAX));
		line[RTE_MIN(n, (size_t)CMD_MAX)] = '\0';
		exec_line(line);
		p += n + 1;
	}
	fz_forget();
	fz_check_pool("after the commands");
	fz_check_heap("after the commands");
	return 0;
}
