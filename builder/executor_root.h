/* executor_root.h - the root helper's part of the executor: it starts a
 * function version's sandbox (runsc run on the version's unpacked bundle)
 * and hands the daemon its pipes, and stops and deletes sandboxes off the
 * request path. Ops of builder_helper.c; like the build ops they take ids
 * and data, never paths (docs/design.md, "The executor"). */
#ifndef EXECUTOR_ROOT_H
#define EXECUTOR_ROOT_H

#include <jansson.h>

#include "builder_build.h"
#include "sopm_err.h"

#define EXECUTOR_ID_MAX 64 /* a sandbox id and its NUL */

/* Starts sandbox req.id ([a-z0-9-], < EXECUTOR_ID_MAX) of version
 * req.version of function req.function_id, from its bundle, with
 * req.memory_mb (32-1024) and req.env ({name: value}, names
 * [A-Za-z_][A-Za-z0-9_]* not starting with SOPM_) added to the image's
 * environment; process and /tmp limits from executor.*, the CPU quota
 * after its start (executor_root_settle). Hands over
 * fds[0] (writes the sandbox's stdin), fds[1] (reads its stdout) and fds[2]
 * (its log: read-write, O_APPEND; runsc's and the function's stderr and
 * stdout), *nfds = 3. Returns a NEW {"pid": n}, or NULL with
 * SOPM_E_INVALID_INPUT (bad request, no such bundle) or SOPM_E_INTERNAL. */
json_t *executor_root_start(const struct builder_env *env, const json_t *req,
                            int *fds, int *nfds, struct sopm_err *err);

/* After a sandbox's start (its first answer): applies executor.cpu_millis
 * to sandbox req.id. A start runs without the CPU quota: under one core
 * the gVisor boot takes 60-100 ms longer here; it is bounded by
 * executor.init_timeout_ms and the first call's timeout_ms. Returns a NEW
 * {}, or NULL with SOPM_E_NOT_FOUND or SOPM_E_INTERNAL. */
json_t *executor_root_settle(const struct builder_env *env, const json_t *req,
                             struct sopm_err *err);

/* Stops sandbox req.id: reads whether it was OOM-killed, waits up to
 * req.wait_ms (0-1000) for `runsc run` to exit when it is ending by itself,
 * then kills and deletes it in a child process (runsc delete takes about
 * 1.5 s: never on the request path). Returns a NEW {"oom": bool,
 * "exit_status": n or null (not known yet; 128 + signal when killed)}, or
 * NULL with SOPM_E_NOT_FOUND (no such sandbox). */
json_t *executor_root_stop(const struct builder_env *env, const json_t *req,
                           struct sopm_err *err);

/* At start-up: deletes every function sandbox a previous run left behind,
 * and their folders. Returns a NEW {"sandboxes": n}. */
json_t *executor_root_reap(const struct builder_env *env, const json_t *req,
                           struct sopm_err *err);

/* When the daemon is gone (the helper's socket closed): stops every
 * sandbox still running and waits (30 s at most) for the deletes. */
void executor_root_drain(const struct builder_env *env);

#endif
