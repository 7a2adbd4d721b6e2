/* executor_run.c - see executor_run.h. */
#include "executor_run.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor_frame.h"
#include "sopm_log.h"
#include "sopm_time.h"

#define END_WAIT_MS 500 /* for a sandbox that ended by itself */

void executor_outcome_clear(struct executor_outcome *out)
{
	json_decref(out->value);
	json_decref(out->logs);
	memset(out, 0, sizeof(*out));
}

static void fail(struct executor_outcome *out, enum sopm_job_status status,
                 const char *code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void fail(struct executor_outcome *out, enum sopm_job_status status,
                 const char *code, const char *reason, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out->status = status;
	out->code = code;
	json_decref(out->value);
	out->value = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (reason != NULL)
		json_object_set_new(out->value, "reason", json_string(reason));
}

/* The request header (docs/runtimes.md, "Requests"). */
static int request_header(const struct executor_call_ctx *ctx,
                          uint64_t deadline_epoch_ms, char *buf, size_t size)
{
	int n = snprintf(buf, size,
	                 "function_name=%s\nfunction_version=%lld\njob_id=%s\n"
	                 "deadline_ms=%llu\n",
	                 ctx->function_name, ctx->version, ctx->job_id,
	                 (unsigned long long)deadline_epoch_ms);

	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* The outcome of a call that came back: the sandbox serves again. */
static void answer(const struct executor_reply *reply,
                   struct executor_outcome *out)
{
	json_error_t jerr;
	json_t *result;

	if (!reply->ok) {
		int exception = strcmp(reply->error_type, "exception") == 0;

		out->status = SOPM_JOB_FAILED;
		out->code = "function_error";
		out->value = json_pack(
		    "{s:s, s:o, s:s}", "code", "function_error", "message",
		    builder_log_json(reply->body, reply->body_len), "reason",
		    exception ? "exception" : "bad_output");
		return;
	}
	result = json_loadb(reply->body, reply->body_len,
	                    JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (result == NULL) {
		fail(out, SOPM_JOB_FAILED, "function_error", "bad_output",
		     "the function's result is not JSON: %s", jerr.text);
		return;
	}
	out->status = SOPM_JOB_COMPLETED;
	out->value = result;
}

/* Why a sandbox that must go failed the call. */
static void broken(enum executor_io io, const struct executor_spec *spec,
                   const struct executor_call_ctx *ctx, int cold,
                   const struct executor_end *end, struct executor_outcome *out)
{
	switch (io) {
	case EXECUTOR_IO_TIMEOUT:
		fail(out, SOPM_JOB_TIMEOUT, "timeout", NULL,
		     cold ? "the function did not start and answer within "
		            "its timeout_ms of %ld ms (plus the start-up "
		            "allowance)"
		          : "the function ran past its timeout_ms of %ld ms",
		     ctx->timeout_ms);
		return;
	case EXECUTOR_IO_EOF:
		/* gVisor's sentry SIGKILLs a process when the sandbox's
		 * memory is exhausted (the host kernel seldom sees it): a
		 * SIGKILL that we did not send is taken for that. */
		if (end->oom || end->exit_status == 128 + SIGKILL)
			fail(out, SOPM_JOB_FAILED, "function_error", "oom",
			     "the function ran out of memory (memory_mb %ld)",
			     spec->memory_mb);
		else if (end->exit_status >= 0)
			fail(out, SOPM_JOB_FAILED, "function_error", "exit",
			     "the function's process ended (exit status %d)",
			     end->exit_status);
		else
			fail(out, SOPM_JOB_FAILED, "function_error", "exit",
			     "the function's process ended");
		return;
	case EXECUTOR_IO_TOO_LARGE:
		fail(out, SOPM_JOB_FAILED, "function_error", "bad_output",
		     "the function's result is over the size limit");
		return;
	case EXECUTOR_IO_STOPPED:
		fail(out, SOPM_JOB_FAILED, "unavailable", NULL,
		     "the executor stopped during the call");
		return;
	case EXECUTOR_IO_LOG_FLOOD:
		fail(out, SOPM_JOB_FAILED, "function_error", "bad_output",
		     "the function wrote more to stdout and stderr than one "
		     "call may");
		return;
	default:
		fail(out, SOPM_JOB_FAILED, "function_error", "bad_output",
		     "the function's process broke the runtime protocol");
	}
}

void executor_run(const struct executor_spec *spec,
                  const struct executor_call_ctx *ctx, const char *event,
                  size_t len, struct executor_outcome *out)
{
	const struct sopm_config *cfg = executor_pool_config();
	const struct executor_backend *be = executor_pool_backend();
	uint64_t t0 = sopm_time_mono_us(), budget_us;
	struct executor_sandbox *sb;
	struct executor_reply reply;
	struct executor_end end = {0, -1};
	struct sopm_err err;
	char header[1024];
	long long mark;
	int hlen;
	enum executor_io io;

	memset(out, 0, sizeof(*out));
	sb = executor_pool_take(spec);
	out->cold_start = sb == NULL;
	if (sb == NULL && (sb = executor_pool_start(spec, &err)) == NULL) {
		sopm_logf(SOPM_LOG_ERROR, "job %s: no sandbox: %s", ctx->job_id,
		          err.msg);
		fail(out, SOPM_JOB_FAILED, "internal", NULL,
		     "the function's sandbox could not start");
		return;
	}
	budget_us = (uint64_t)ctx->timeout_ms * 1000;
	if (out->cold_start)
		budget_us += (uint64_t)cfg->executor_init_timeout_ms * 1000;
	hlen = request_header(ctx, sopm_time_now_us() / 1000 + budget_us / 1000,
	                      header, sizeof(header));
	mark = be->log_mark(sb);
	io = hlen < 0 ? EXECUTOR_IO_PROTOCOL
	              : be->call(sb, t0 + budget_us, header, (size_t)hlen,
	                         event, len, &reply);
	out->duration_us = sopm_time_mono_us() - t0;
	out->logs = be->logs_since(sb, mark, EXECUTOR_LOGS_MAX);
	if (out->cold_start)
		out->init_us = out->duration_us;
	if (io == EXECUTOR_IO_OK) {
		answer(&reply, out);
		/* The runtime's own clock splits a cold call into the
		 * start (boot, module load) and the handler. */
		if (reply.duration_us > 0 &&
		    reply.duration_us < out->duration_us) {
			if (out->cold_start)
				out->init_us =
				    out->duration_us - reply.duration_us;
			out->duration_us = reply.duration_us;
		}
		executor_reply_clear(&reply);
		if (!out->cold_start || be->settle(sb, &err) == 0) {
			executor_pool_put(sb);
			return;
		}
		sopm_logf(SOPM_LOG_ERROR, "sandbox %s: %s", sb->id, err.msg);
		executor_pool_stop(sb, 0, NULL);
		return;
	}
	executor_pool_stop(sb, io == EXECUTOR_IO_EOF ? END_WAIT_MS : 0, &end);
	broken(io, spec, ctx, out->cold_start, &end, out);
}
