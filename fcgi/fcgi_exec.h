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

#endif
