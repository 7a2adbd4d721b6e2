/* fcgi_exec.h - the one place the pool runs a catalog function: dispatch
 * (validation, handler, timing) and the execution statistics, for sync
 * calls and async jobs alike. */
#ifndef FCGI_EXEC_H
#define FCGI_EXEC_H

#include <jansson.h>
#include <stdint.h>

#include "fn.h"
#include "sopm_err.h"

/* fn_dispatch(e, input, ctx, ...) recorded in the shared statistics as one
 * execution of e (a failure counts as an error). input is borrowed; on
 * success *result holds a NEW reference. Returns 0, or -1 with err. */
int fcgi_exec_catalog(const struct fn_entry *e, const json_t *input,
                      struct fn_ctx *ctx, json_t **result,
                      uint64_t *duration_us, struct sopm_err *err);

/* Validates input (borrowed) against e's schema without running e, for a
 * call that will run later (async): a failure is recorded as a failed
 * execution of e, as fcgi_exec_catalog's would be. Returns 0, or -1 with
 * err (SOPM_E_INVALID_INPUT). */
int fcgi_exec_check(const struct fn_entry *e, const json_t *input,
                    struct sopm_err *err);

#endif
