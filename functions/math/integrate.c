/* integrate.c - `integrate`: composite Simpson's rule over an fn_expr
 * expression in x, compiled once (its constant parts folded) and evaluated
 * n + 1 times. The sum runs in the order the description states, in
 * doubles, as the Python reference does. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_expr.h"
#include "fn_limits.h"
#include "fn_result.h"

#include <string.h>

/* input borrowed; *result a NEW reference. */
fn_handler_t fn_integrate;

/* f(x) as a float (Python's float(f(x))). */
static int eval_at(const struct fn_expr *ex, const struct fn_num *x,
                   double *out, struct sopm_err *err)
{
	struct fn_num v;

	if (fn_expr_eval(ex, x, &v, err) < 0)
		return -1;
	*out = v.is_int ? (double)v.i : v.d;
	return 0;
}

int fn_integrate(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *jexpr = json_object_get(in, "expression");
	const char *src = json_string_value(jexpr);
	struct fn_num a = fn_num_of_json(json_object_get(in, "a"));
	struct fn_num b = fn_num_of_json(json_object_get(in, "b"));
	json_int_t n = fn_arg_int(in, "n", 1000);
	struct fn_num nn = num_int(n), diff, hq, x;
	const char *why = NULL;
	struct fn_expr *ex;
	double h, da, s, fa, fb, fx;
	json_t *out;

	if (src == NULL || strlen(src) != json_string_length(jexpr))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'expression' must be a string "
		                    "without NUL characters");
	if (n % 2 != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'n' must be even (Simpson's rule)");
	if ((uint64_t)(n + 1) * strlen(src) > FN_LIMIT_INTEGRATE_WORK_MAX)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'n': (n + 1) times the length of "
		                    "'expression' must be at most %d",
		                    FN_LIMIT_INTEGRATE_WORK_MAX);
	ex = fn_expr_compile(src, "x", FN_LIMIT_INTEGRATE_INT_BITS,
	                     "expression", err);
	if (ex == NULL)
		return -1;
	/* h = (b - a) / n, exact for ints as in Python */
	if (fn_num_binop('-', &b, &a, &diff, &why) < 0 ||
	    fn_num_binop('/', &diff, &nn, &hq, &why) < 0) {
		fn_expr_free(ex);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT, "field 'b': %s",
		                    why);
	}
	h = hq.d;
	da = a.is_int ? (double)a.i : a.d;
	if (eval_at(ex, &a, &fa, err) < 0 || eval_at(ex, &b, &fb, err) < 0)
		goto fail;
	s = fa + fb;
	for (json_int_t i = 1; i < n; i++) {
		x = num_float(da + (double)i * h);
		if (eval_at(ex, &x, &fx, err) < 0)
			goto fail;
		s += (i % 2 ? 4 : 2) * fx;
	}
	fn_expr_free(ex);
	out = fn_result_real(ctx, "expression", s * h / 3);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
fail:
	fn_expr_free(ex);
	return -1;
}
