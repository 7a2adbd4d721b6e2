/* calculate.c - `calculate`: an arithmetic expression with Python's
 * semantics (fn_expr.h, fn_num.h). */
#include "fn.h"
#include "fn_expr.h"
#include "fn_result.h"

#include <string.h>

/* input borrowed; *result a NEW reference. */
fn_handler_t fn_calculate;

int fn_calculate(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *jexpr = json_object_get(in, "expression");
	const char *src = json_string_value(jexpr);
	struct fn_expr *ex;
	struct fn_num v;
	json_t *out;
	int rc;

	if (src == NULL || strlen(src) != json_string_length(jexpr))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'expression' must be a string "
		                    "without NUL characters");
	ex = fn_expr_compile(src, NULL, FN_NUM_MAX_BITS, "expression", err);
	if (ex == NULL)
		return -1;
	rc = fn_expr_eval(ex, NULL, &v, err);
	fn_expr_free(ex);
	if (rc < 0)
		return -1;
	/* 1e308 * 10 is inf in Python too: fn_dispatch answers 400 */
	out = fn_result_num(ctx, "expression", &v);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
