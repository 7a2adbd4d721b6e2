/* executor_run.h - one call of a user function: a warm sandbox of its
 * version if one is idle, else a cold start; the request frame; the answer
 * or the reason it failed (API.md: 502 function_error with reason
 * exception | oom | exit | bad_output, or 504 timeout); the log lines the
 * call wrote. A sandbox that timed out, crashed, ran out of memory, broke
 * the protocol or flooded its log is stopped, never reused. */
#ifndef EXECUTOR_RUN_H
#define EXECUTOR_RUN_H

#include <jansson.h>
#include <stdint.h>

#include "executor_pool.h"
#include "sopm_jobq.h"

#define EXECUTOR_LOGS_MAX 65536 /* the tail of a call's logs it keeps */

/* Who calls, for the runtime's context (docs/runtimes.md). */
struct executor_call_ctx {
	const char *function_name;
	long long version;
	const char *job_id;
	long timeout_ms; /* the function's timeout_ms */
};

/* What a call came to. */
struct executor_outcome {
	enum sopm_job_status status;
	json_t *value;    /* NEW: the result, or {code, message[, reason]} */
	const char *code; /* NULL, "function_error", "timeout", "internal" */
	int cold_start;
	uint64_t init_us;     /* cold only: boot and module load */
	uint64_t duration_us; /* the call (the handler's own time when the
	                       * runtime reports it) */
	json_t *logs;         /* NEW string: the last EXECUTOR_LOGS_MAX bytes
	                       * of the call's stdout and stderr, valid UTF-8 */
};

/* Runs event (JSON text, len bytes, borrowed) through spec's sandbox.
 * Always fills out (free with executor_outcome_clear). */
void executor_run(const struct executor_spec *spec,
                  const struct executor_call_ctx *ctx, const char *event,
                  size_t len, struct executor_outcome *out);

void executor_outcome_clear(struct executor_outcome *out);

#endif
