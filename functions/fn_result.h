/* fn_result.h - the one way a handler makes a number that may be a real.
 *
 * JSON has no infinity or NaN, and a null in place of a number would be a
 * wrong answer. So a handler never calls json_real (a test greps for it):
 * it calls fn_result_real or fn_result_num, which record a value that is not
 * finite in the per-thread ctx, and fn_dispatch answers such a call with
 * 400 invalid_input "result '<name>' is not a finite number (overflow)"
 * instead of the handler's result. */
#ifndef FN_RESULT_H
#define FN_RESULT_H

#include <jansson.h>

#include "fn.h"
#include "fn_num.h"

/* A NEW reference to the real d. When d is not finite, records name (a
 * string that outlives the call; NULL for a result that is a bare number)
 * in ctx (the first one wins) and returns a NEW null as a placeholder,
 * which fn_dispatch discards. NULL only when out of memory. */
json_t *fn_result_real(struct fn_ctx *ctx, const char *name, double d);

/* As fn_result_real for a Python number: an exact int becomes a JSON
 * integer, a float goes through fn_result_real. */
json_t *fn_result_num(struct fn_ctx *ctx, const char *name,
                      const struct fn_num *v);

/* For fn_dispatch: forgets what the previous call recorded. */
void fn_result_reset(struct fn_ctx *ctx);

/* For fn_dispatch: 0 when every result was finite, else -1 with err set to
 * SOPM_E_INVALID_INPUT naming the first one that was not. */
int fn_result_check(const struct fn_ctx *ctx, struct sopm_err *err);

#endif
