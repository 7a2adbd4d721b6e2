/* test_fn_math.c - calculate and statistics where only C reaches: the
 * documented deviations, the messages, inputs at the declared limits,
 * results that are not finite, and the fn_expr API that integrate uses.
 * Their golden cases (Python 3.11, tests/reference.py) are in
 * functions/math/<name>.json and run over HTTP; tests/gen_golden.py diff runs a
 * differential test against the real functions. */
#include "fn_test.h"

#include "fn_expr.h"

/* A result that is not a finite number is a 400 naming it (fn_result.h),
 * never a null: where Python gives inf or raises OverflowError. */
static void test_nonfinite(void **state)
{
	struct sopm_err err;
	json_t *out = NULL;

	(void)state;
	fn_check_error("calculate", "{\"expression\": \"1e308 * 10\"}",
	               "expression");
	assert_int_not_equal(fn_call("calculate",
	                             "{\"expression\": \"1e400 - 1e400\"}",
	                             &out, &err),
	                     0);
	assert_string_equal(err.msg, "result 'expression' is not a finite "
	                             "number (undefined)");
	assert_int_not_equal(
	    fn_call("statistics", "{\"values\": [1e308, 1e308]}", &out, &err),
	    0);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_string_equal(err.msg,
	                    "result 'sum' is not a finite number (overflow)");
	fn_check_error("statistics", "{\"values\": [1e200, -1e200]}",
	               "variance");
	fn_check_error("statistics", "{\"values\": [1e308, -1e308]}", "range");
	fn_check_error("statistics",
	               "{\"values\": [-1.7976931348623157e308, "
	               "-1.7976931348623157e308, 9e307, 9e307, 9e307, 9e307]}",
	               "median");
	assert_null(out);
}

static void expect_calc(const char *expr, const char *want)
{
	json_t *in = json_pack("{ss}", "expression", expr), *out;
	struct sopm_err err;

	assert_non_null(in);
	if (fn_call_json("calculate", in, &out, &err) != 0)
		fail_msg("%s: %s", expr, err.msg);
	fn_assert_json(expr, out, want);
	json_decref(out);
	json_decref(in);
}

/* Ints are exact (Python's), within the declared bound of FN_NUM_MAX_BITS
 * bits; where we knowingly differ from Python (see fn_num.h). */
static void test_calc_bigints(void **state)
{
	(void)state;
	expect_calc("(2^63 + 1) % 10", "9");
	expect_calc("2^70 % 7", "2");
	expect_calc("10^30 % 7", "1");
	expect_calc("10^400 / 10^399", "10.0");
	expect_calc("-2^63", "-9223372036854775808");
	expect_calc("99999999999999999999 + 1", "1e20"); /* nearest float */
	expect_calc("0x10 + 0o17 + 0b1", "32");
	expect_calc("ln(8, 2)", "3.0");
	expect_calc("log(10^400)", "400.0");
	expect_calc("2^65535 % 1000", "368");
	expect_calc("round(5, -(10^30))", "0"); /* Python: builds 10^(10^30) */
	/* the bound, checked before computing */
	fn_check_error("calculate", "{\"expression\": \"2^65536\"}",
	               "expression");
	fn_check_error("calculate", "{\"expression\": \"9^9^9\"}",
	               "expression");
	fn_check_error("calculate", "{\"expression\": \"2^(10^30)\"}",
	               "expression");
	fn_check_error("calculate", "{\"expression\": \"2^65535 * 2\"}",
	               "expression");
	/* Python: TypeError, as min(1) */
	fn_check_error("calculate", "{\"expression\": \"max(4)\"}",
	               "expression");
	/* an int result past the float range: Python's float() overflows */
	fn_check_error("calculate", "{\"expression\": \"2^1024\"}",
	               "expression");
}

static void test_calc_messages(void **state)
{
	struct sopm_err err;
	json_t *out = NULL;

	(void)state;
	assert_int_not_equal(fn_call("calculate",
	                             "{\"expression\": \"1 + (2 * 3\"}", &out,
	                             &err),
	                     0);
	assert_non_null(strstr(err.msg, "position 11"));
	assert_int_not_equal(
	    fn_call("calculate", "{\"expression\": \"1 + 1/0\"}", &out, &err),
	    0);
	assert_non_null(strstr(err.msg, "division by zero at position 6"));
	assert_int_not_equal(
	    fn_call("calculate", "{\"expression\": \"\\u00e9\\u00e9 + foo\"}",
	            &out, &err),
	    0);
	assert_non_null(strstr(err.msg, "position 1"));
	assert_int_not_equal(
	    fn_call("calculate", "{\"expression\": \"1 + foo\"}", &out, &err),
	    0);
	assert_non_null(strstr(err.msg, "unknown name 'foo'"));
	assert_null(out);
}

static void test_calc_schema(void **state)
{
	(void)state;
	fn_check_error("calculate", "{}", "expression");
	fn_check_error("calculate", "{\"expression\": 5}", "expression");
	fn_check_error("calculate", "{\"expression\": \"1\", \"x\": 1}", "x");
	fn_check_error("calculate", "{\"expression\": \"\"}", "expression");
	fn_check_error("calculate", "{\"expression\": \"1\\u0000+1\"}",
	               "expression");
}

static json_t *calc_input(const char *pre, const char *unit, size_t n,
                          const char *post)
{
	size_t a = strlen(pre), u = strlen(unit), b = strlen(post);
	char *s = malloc(a + u * n + b + 1);
	json_t *in;

	assert_non_null(s);
	memcpy(s, pre, a);
	for (size_t i = 0; i < n; i++)
		memcpy(s + a + i * u, unit, u);
	memcpy(s + a + u * n, post, b + 1);
	in = json_pack("{ss}", "expression", s);
	free(s);
	assert_non_null(in);
	return in;
}

static void test_calc_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *out;

	(void)state;
	/* 10000 characters: "1" then 4999 "+1" and a trailing "+0" ... */
	in = calc_input("1", "+1", 4998, "+0");
	assert_int_equal(json_string_length(json_object_get(in, "expression")),
	                 9999);
	assert_int_equal(fn_call_json("calculate", in, &out, &err), 0);
	fn_assert_json("long sum", out, "4999");
	json_decref(out);
	json_decref(in);
	in = calc_input("1", "+1", 4999, "+0"); /* 10001 characters */
	fn_check_error_json("calculate", in, "expression");
	json_decref(in);
	/* nesting: 63 parentheses pass, 64 do not */
	in = calc_input("", "(", 63, "1");
	json_t *e = json_object_get(in, "expression");
	char *s = malloc(200);
	assert_non_null(s);
	snprintf(
	    s, 200, "%s%.63s", json_string_value(e),
	    "))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))");
	json_object_set_new(in, "expression", json_string(s));
	assert_int_equal(fn_call_json("calculate", in, &out, &err), 0);
	fn_assert_json("63 parens", out, "1");
	json_decref(out);
	json_decref(in);
	snprintf(
	    s, 200, "(%.63s1%.64s",
	    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
	    "))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))");
	in = json_pack("{ss}", "expression", s);
	fn_check_error_json("calculate", in, "expression");
	json_decref(in);
	free(s);
	/* 5000 unary minus signs and a right-leaning power tower */
	in = calc_input("", "-", 5000, "1");
	fn_check_error_json("calculate", in, "expression");
	json_decref(in);
	in = calc_input("", "2^", 3000, "1");
	fn_check_error_json("calculate", in, "expression");
	json_decref(in);
	in = calc_input("", "-", 63, "1"); /* 64 levels with the number */
	assert_int_equal(fn_call_json("calculate", in, &out, &err), 0);
	fn_assert_json("63 signs", out, "-1");
	json_decref(out);
	json_decref(in);
	in = calc_input("", "-", 64, "1");
	fn_check_error_json("calculate", in, "expression");
	json_decref(in);
	in = calc_input("", "1^", 63, "2");
	assert_int_equal(fn_call_json("calculate", in, &out, &err), 0);
	fn_assert_json("tower of 63", out, "1");
	json_decref(out);
	json_decref(in);
}

/* The API integrate will use: one variable, compiled once. */
static void test_expr_variable(void **state)
{
	struct sopm_err err;
	struct fn_expr *ex;
	struct fn_num x = {0, 0, 0.0}, v;

	(void)state;
	ex = fn_expr_compile("x^2 - 2*x + max(x, 1)", "x", FN_NUM_MAX_BITS,
	                     "expression", &err);
	assert_non_null(ex);
	x.d = 3.0;
	assert_int_equal(fn_expr_eval(ex, &x, &v, &err), 0);
	assert_false(v.is_int);
	assert_true(v.d == 6.0);
	x.is_int = 1;
	x.i = -2;
	assert_int_equal(fn_expr_eval(ex, &x, &v, &err), 0);
	assert_true(v.is_int);
	assert_int_equal(v.i, 9);
	fn_expr_free(ex);
	ex = fn_expr_compile("1/x", "x", FN_NUM_MAX_BITS, "f", &err);
	assert_non_null(ex);
	x.i = 0;
	assert_int_equal(fn_expr_eval(ex, &x, &v, &err), -1);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_non_null(strstr(err.msg, "field 'f'"));
	fn_expr_free(ex);
	assert_null(fn_expr_compile("y + 1", "x", FN_NUM_MAX_BITS, "f", &err));
	assert_null(fn_expr_compile("x + 1", NULL, FN_NUM_MAX_BITS, "f", &err));
}

static void test_stats_errors(void **state)
{
	(void)state;
	fn_check_error("statistics", "{}", "values");
	fn_check_error("statistics", "{\"values\": []}", "values");
	fn_check_error("statistics", "{\"values\": [1, \"2\"]}", "values[1]");
	fn_check_error("statistics", "{\"values\": [1, null]}", "values[1]");
	fn_check_error("statistics", "{\"values\": 5}", "values");
	fn_check_error("statistics", "{\"values\": [1], \"n\": 4}", "n");
}

static void test_stats_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *vals, *out;

	(void)state;
	vals = json_array();
	assert_non_null(vals);
	for (json_int_t i = 1; i <= 100000; i++)
		assert_int_equal(json_array_append_new(vals, json_integer(i)),
		                 0);
	in = json_pack("{sO}", "values", vals);
	assert_int_equal(fn_call_json("statistics", in, &out, &err), 0);
	fn_assert_json(
	    "1..100000", out,
	    "{\"count\": 100000, \"sum\": 5000050000, \"mean\": 50000.5, "
	    "\"median\": 50000.5, \"mode\": 1, \"min\": 1, \"max\": 100000, "
	    "\"range\": 99999, \"variance\": 833341666.6666666, \"stdev\": "
	    "28867.657796687745, \"pvariance\": 833333333.25, \"pstdev\": "
	    "28867.513458037913, \"q1\": 25000.25, \"q3\": 75000.75}");
	json_decref(out);
	json_array_append_new(vals, json_integer(0));
	fn_check_error_json("statistics", in, "values");
	json_decref(in);
	json_decref(vals);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nonfinite),
	    cmocka_unit_test(test_calc_bigints),
	    cmocka_unit_test(test_calc_messages),
	    cmocka_unit_test(test_calc_schema),
	    cmocka_unit_test(test_calc_limits),
	    cmocka_unit_test(test_expr_variable),
	    cmocka_unit_test(test_stats_errors),
	    cmocka_unit_test(test_stats_limits),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
