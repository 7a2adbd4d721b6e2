/* executor_pool.h - the warm pool: the running sandboxes of function
 * versions, each serving one call at a time over its pipes
 * (executor_frame.h). A sandbox belongs to one version of one function, as
 * that function was when it started (its generation: the function's
 * updated_at), and is never shared beyond it. Bounded per version and in
 * total (executor.max_warm_per_version, executor.max_warm); an idle one is
 * stopped after executor.idle_timeout_s, and the least recently used idle
 * one makes room when the pool is full. Sandboxes start and stop through
 * the backend (executor_backend.h). Thread-safe. */
#ifndef EXECUTOR_POOL_H
#define EXECUTOR_POOL_H

#include <jansson.h>
#include <stdint.h>

#include "executor_backend.h"
#include "sopm_config.h"
#include "sopm_err.h"

/* Sets the pool up over backend (which reaps what a previous run left
 * behind). cfg and backend are borrowed and outlive the pool. Returns 0,
 * or -1 with err. */
int executor_pool_init(const struct sopm_config *cfg,
                       const struct executor_backend *backend,
                       struct sopm_err *err);

/* What executor_pool_init was given (borrowed). */
const struct sopm_config *executor_pool_config(void);
const struct executor_backend *executor_pool_backend(void);

/* Takes an idle sandbox of spec (same version and generation) for one
 * call, or NULL when none is idle. Idle ones that ended meanwhile are
 * stopped on the way. */
struct executor_sandbox *executor_pool_take(const struct executor_spec *spec);

/* Starts a new sandbox of spec for one call (a cold start). It is pooled
 * when the version and the pool have room (the least recently used idle
 * sandbox of any version is stopped to make it: an eviction); else it
 * serves this call only. Returns it, or NULL with err (SOPM_E_INVALID_INPUT:
 * no bundle; SOPM_E_INTERNAL: the helper failed). */
struct executor_sandbox *executor_pool_start(const struct executor_spec *spec,
                                             struct sopm_err *err);

/* After a call that went well: back to the pool as idle (or stopped when
 * it was not pooled, or its function changed meanwhile). */
void executor_pool_put(struct executor_sandbox *sb);

/* Stops sb (a call went wrong, or it is retired), waiting up to wait_ms
 * for a sandbox that is ending by itself to report why; end may be NULL.
 * Frees sb. */
void executor_pool_stop(struct executor_sandbox *sb, long wait_ms,
                        struct executor_end *end);

/* Stops the sandboxes idle for executor.idle_timeout_s or more at `now`
 * (sopm_time_mono_us()). Returns how many it stopped. */
int executor_pool_sweep(uint64_t now);

/* The function ids of the sandboxes in the pool, as a NEW array (with
 * repeats), for the caller to check against MySQL. */
json_t *executor_pool_live(void);

/* Evictions since the start: sandboxes stopped to make room, for being
 * idle too long, or retired (not at shutdown). */
long executor_pool_evictions(void);

/* Stops every idle sandbox of function_id whose generation is not
 * `generation` (NULL: all of them: the function is gone), and marks its
 * busy ones to stop after their call. Returns how many it stopped. */
int executor_pool_retire(long long function_id, const char *generation);

/* Sandboxes running now, pooled (idle or busy). */
int executor_pool_size(void);

/* Stops every sandbox (at shutdown; busy ones after their call). */
void executor_pool_shutdown(void);

#endif
