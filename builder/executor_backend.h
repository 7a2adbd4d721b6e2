/* executor_backend.h - where sandboxes run, behind one small interface:
 * start, call, logs, stop, reap. The pool (executor_pool.h) and the calls
 * (executor_run.h) know nothing else of a backend. `local` (runsc on this
 * machine, through the root helper) is the one there is; a `kubernetes`
 * backend (a gVisor pod per sandbox, frames over an attach stream) would
 * be another table of the same functions (docs/design.md, "The executor"). */
#ifndef EXECUTOR_BACKEND_H
#define EXECUTOR_BACKEND_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "executor_frame.h"
#include "executor_root.h"
#include "sopm_config.h"
#include "sopm_err.h"

#define EXECUTOR_GENERATION_MAX 40

/* What a sandbox runs. */
struct executor_spec {
	long long function_id, version, version_id;
	long memory_mb;
	char generation[EXECUTOR_GENERATION_MAX]; /* functions.updated_at */
	const json_t *env;                        /* borrowed {name: value} */
};

/* One sandbox: who it is for, and the backend's handles. */
struct executor_sandbox {
	char id[EXECUTOR_ID_MAX]; /* [a-z0-9-] */
	long long function_id, version_id;
	char generation[EXECUTOR_GENERATION_MAX];
	int in_fd, out_fd, log_fd; /* local: owned; see executor_root_start */
	int pooled;                /* counted in the pool (else: one call) */
	uint64_t idle_since;       /* sopm_time_mono_us(), while idle */
	struct executor_sandbox *next;
};

/* How a stopped sandbox ended. */
struct executor_end {
	int oom;         /* the kernel OOM-killed it */
	int exit_status; /* -1: not known */
};

struct executor_backend {
	const char *name;
	/* Deletes what a previous run of the daemon left. 0, or -1 + err. */
	int (*reap)(struct sopm_err *err);
	/* Starts sandbox sb->id of spec; fills sb's handles. 0, or -1 with
	 * err (SOPM_E_INVALID_INPUT: no bundle; SOPM_E_INTERNAL). */
	int (*start)(struct executor_sandbox *sb,
	             const struct executor_spec *spec, struct sopm_err *err);
	/* One call (executor_frame_call): deadline (sopm_time_mono_us()),
	 * bounds from executor.*. */
	enum executor_io (*call)(struct executor_sandbox *sb, uint64_t deadline,
	                         const char *header, size_t header_len,
	                         const char *body, size_t body_len,
	                         struct executor_reply *reply);
	/* A mark in the log before a call, and the log lines written since
	 * a mark, as a NEW string (valid UTF-8, the last `max` bytes). */
	long long (*log_mark)(struct executor_sandbox *sb);
	json_t *(*logs_since)(struct executor_sandbox *sb, long long mark,
	                      size_t max);
	/* After the first answer of a started sb: the limits that the start
	 * itself runs without (the CPU quota). 0, or -1 + err: then sb must
	 * not serve. */
	int (*settle)(struct executor_sandbox *sb, struct sopm_err *err);
	/* Whether an idle sb can still serve: its process has not ended and
	 * wrote nothing out of turn. No waiting. */
	int (*alive)(struct executor_sandbox *sb);
	/* Stops sb, waiting up to wait_ms for one that is ending by itself to
	 * say why (end may be NULL); frees its handles, not sb. */
	void (*stop)(struct executor_sandbox *sb, long wait_ms,
	             struct executor_end *end);
};

/* The local backend: runsc through a root helper (helper_fd, used by this
 * backend alone), with limits from cfg; a call gives up when *stop is set.
 * cfg and stop are borrowed and outlive it. */
const struct executor_backend *
executor_local_backend(const struct sopm_config *cfg, int helper_fd,
                       const atomic_int *stop);

#endif
