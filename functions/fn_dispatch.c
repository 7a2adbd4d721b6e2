/* fn_dispatch.c - the one place a catalog function is called: validation
 * against the declared schema, then the handler, timed, then the check
 * that every number of the result is finite. */
#include "fn.h"
#include "fn_result.h"
#include "fn_schema.h"
#include "sopm_time.h"

int fn_dispatch(const struct fn_entry *e, const json_t *input,
                struct fn_ctx *ctx, json_t **result, uint64_t *duration_us,
                struct sopm_err *err)
{
	json_t *out = NULL;
	uint64_t start;
	int rc;

	if (fn_schema_validate(e->schema, input, err) != 0)
		return -1;
	sopm_err_clear(err);
	fn_result_reset(ctx);
	start = sopm_time_mono_us();
	rc = e->def->handler(input, &out, ctx, err);
	*duration_us = sopm_time_mono_us() - start;
	if (rc != 0) {
		json_decref(out);
		if (err->code == SOPM_E_OK)
			sopm_err_set(err, SOPM_E_INTERNAL,
			             "function '%s' failed", e->def->name);
		return -1;
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "function '%s' returned no result",
		                    e->def->name);
	if (fn_result_check(ctx, err) != 0) {
		json_decref(out);
		return -1;
	}
	*result = out;
	return 0;
}
