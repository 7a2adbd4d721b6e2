/* sleep.c - `sleep`: waits, bounded by catalog.sleep_max_ms. */
#include "fn.h"
#include "fn_arg.h"

#include <errno.h>
#include <time.h>

fn_handler_t fn_sleep;

int fn_sleep(const json_t *in, json_t **result, struct fn_ctx *ctx,
             struct sopm_err *err)
{
	json_int_t ms = fn_arg_int(in, "ms", 0);
	struct timespec ts, rem;
	json_t *out;

	if (ms > ctx->limits.sleep_max_ms)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'ms' must be <= %ld on this server",
		                    ctx->limits.sleep_max_ms);
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) != 0 && errno == EINTR)
		ts = rem;
	out = json_pack("{sI}", "slept_ms", ms);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
