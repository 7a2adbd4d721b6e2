/* builder_exec.h - runs one tool (buildah, skopeo, umoci, runsc, the base
 * recipe) from an argv, never through a shell, with a time bound; its
 * stdout and stderr go to one file, of which the tail is read back.
 * Only the privileged helper (builder_helper.c) runs tools. */
#ifndef BUILDER_EXEC_H
#define BUILDER_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "sopm_err.h"

/* What a tool run came to. */
struct builder_exec_result {
	int exit_code;        /* exit status; 128 + signal when killed */
	int timed_out;        /* killed at the time bound */
	uint64_t duration_ms; /* wall clock */
	char *output;         /* NEW (free()): the last `tail` bytes of
	                       * stdout and stderr, NUL-terminated */
	size_t output_len;
};

/* Runs argv (argv[0] looked up in PATH; NULL-terminated; borrowed) with
 * stdin from /dev/null and stdout and stderr appended to out_path (made
 * 0600 when new), in a process group of its own that gets SIGKILL when
 * timeout_ms (> 0) passes or when this process dies (PR_SET_PDEATHSIG).
 * extra_env (NULL-terminated "K=V", may be NULL) is added to a minimal
 * environment (PATH, LANG=C.UTF-8). Fills res (free its output with
 * builder_exec_result_clear). Returns 0 when the tool ran (whatever its exit
 * code), or -1 with SOPM_E_INTERNAL when it could not be started. */
int builder_exec(const char *const argv[], const char *const extra_env[],
                 const char *out_path, long timeout_ms, size_t tail,
                 struct builder_exec_result *res, struct sopm_err *err);

/* Frees res->output. */
void builder_exec_result_clear(struct builder_exec_result *res);

/* Reads the last `tail` bytes of path into a NEW NUL-terminated string
 * (free()), its length in *len; "" when the file is missing. NULL when out
 * of memory. */
char *builder_file_tail(const char *path, size_t tail, size_t *len);

#endif
