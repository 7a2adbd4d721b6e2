/* echo.c - `echo`: the input, unchanged. */
#include "fn.h"

/* input borrowed; *result a NEW (deep) copy, so no one shares the input. */
fn_handler_t fn_echo;

int fn_echo(const json_t *in, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	json_t *out = json_deep_copy(in);

	(void)ctx;
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
