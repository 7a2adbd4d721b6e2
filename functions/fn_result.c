/* fn_result.c - see fn_result.h. The only json_real of the catalog. */
#include "fn_result.h"

#include <math.h>

json_t *fn_result_real(struct fn_ctx *ctx, const char *name, double d)
{
	if (isfinite(d))
		return json_real(d);
	if (ctx->nonfinite_name == NULL) {
		ctx->nonfinite_name = name ? name : "";
		ctx->nonfinite_nan = isnan(d);
	}
	return json_null();
}

json_t *fn_result_num(struct fn_ctx *ctx, const char *name,
                      const struct fn_num *v)
{
	if (v->is_int)
		return json_integer(v->i);
	return fn_result_real(ctx, name, v->d);
}

void fn_result_reset(struct fn_ctx *ctx)
{
	ctx->nonfinite_name = NULL;
	ctx->nonfinite_nan = 0;
}

int fn_result_check(const struct fn_ctx *ctx, struct sopm_err *err)
{
	const char *why;

	if (ctx->nonfinite_name == NULL)
		return 0;
	why = ctx->nonfinite_nan ? "undefined" : "overflow";
	if (ctx->nonfinite_name[0] == '\0')
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "the result is not a finite number (%s)",
		                    why);
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "result '%s' is not a finite number (%s)",
	                    ctx->nonfinite_name, why);
}
