/* test_fn_mathb.c - the mathb functions where only C reaches: inputs at the
 * declared limits (200 x 200 matrices, 100000 points, degree 20, 4300
 * digits), one past them, and the messages. Their golden cases and the
 * comparison with numpy and Python's statistics (tests/refs/mathb.py) run
 * over HTTP. Expected values come from Python 3.11. */
#include "fn_test.h"

#include <math.h>

/* A NEW rows x cols matrix with v(i, j) in every cell. */
static json_t *matrix(size_t rows, size_t cols, json_t *(*v)(size_t, size_t))
{
	json_t *m = json_array();

	assert_non_null(m);
	for (size_t i = 0; i < rows; i++) {
		json_t *row = json_array();
		assert_non_null(row);
		for (size_t j = 0; j < cols; j++)
			assert_int_equal(json_array_append_new(row, v(i, j)),
			                 0);
		assert_int_equal(json_array_append_new(m, row), 0);
	}
	return m;
}

static json_t *int64_max(size_t i, size_t j)
{
	(void)i;
	(void)j;
	return json_integer(INT64_MAX);
}

static json_t *small_int(size_t i, size_t j)
{
	return json_integer((json_int_t)(i + 2 * j) % 7 - 3);
}

static json_t *twice_identity(size_t i, size_t j)
{
	return json_integer(i == j ? 2 : 0);
}

static json_t *number_at(const json_t *m, size_t i, size_t j)
{
	return json_array_get(json_array_get(m, i), j);
}

static void test_multiply_limits(void **state)
{
	json_t *a = matrix(200, 200, int64_max), *in, *out;
	struct sopm_err err;

	(void)state;
	/* 200 * (2^63 - 1)^2 overflows an __int128: GMP, then the nearest
	 * double, as Python's float(int) */
	in = json_pack("{sOsO}", "a", a, "b", a);
	assert_int_equal(fn_call_json("matrix_multiply", in, &out, &err), 0);
	assert_int_equal(json_array_size(out), 200);
	assert_true(json_is_real(number_at(out, 199, 199)));
	assert_true(json_real_value(number_at(out, 199, 199)) ==
	            1.7014118346046923e+40);
	json_decref(out);
	json_decref(in);
	json_decref(a);

	a = matrix(200, 200, small_int);
	in = json_pack("{sOsO}", "a", a, "b", a);
	assert_int_equal(fn_call_json("matrix_multiply", in, &out, &err), 0);
	/* row 0 of a is (2j % 7 - 3), column 0 is (i % 7 - 3): exact ints */
	long want = 0;
	for (long k = 0; k < 200; k++)
		want += ((2 * k) % 7 - 3) * (k % 7 - 3);
	assert_true(json_is_integer(number_at(out, 0, 0)));
	assert_int_equal(json_integer_value(number_at(out, 0, 0)), want);
	json_decref(out);
	json_decref(in);
	json_decref(a);

	a = matrix(201, 1, small_int);
	in = json_pack("{sOs[[i]]}", "a", a, "b", 1);
	fn_check_error_json("matrix_multiply", in, "a");
	json_decref(in);
	json_decref(a);
	fn_check_error("matrix_multiply", "{\"a\": [[1, 2]], \"b\": [[1]]}",
	               "b");
	fn_check_error("matrix_multiply",
	               "{\"a\": [[1, 2], [1]], \"b\": [[1], [2]]}", "a");
	fn_check_error("matrix_multiply", "{\"a\": [[1e308]], \"b\": [[10]]}",
	               "a");
}

static void test_inverse_limits(void **state)
{
	json_t *m = matrix(200, 200, twice_identity), *in, *out;
	struct sopm_err err;

	(void)state;
	in = json_pack("{sO}", "matrix", m);
	assert_int_equal(fn_call_json("matrix_inverse", in, &out, &err), 0);
	const json_t *inv = json_object_get(out, "inverse");
	assert_true(json_real_value(number_at(inv, 0, 0)) == 0.5);
	assert_true(json_real_value(number_at(inv, 199, 199)) == 0.5);
	assert_true(json_real_value(number_at(inv, 0, 199)) == 0.0);
	/* numpy: exp(sum of 200 log 2) */
	assert_true(json_real_value(json_object_get(out, "determinant")) ==
	            1.606938044259361e+60);
	json_decref(out);
	json_decref(in);

	in = json_pack("{sOsO}", "a", m, "b", json_array_get(m, 7));
	assert_int_equal(fn_call_json("solve_linear", in, &out, &err), 0);
	assert_true(json_real_value(
	                json_array_get(json_object_get(out, "x"), 7)) == 1.0);
	json_decref(out);
	json_decref(in);
	json_decref(m);

	fn_check_error("matrix_inverse",
	               "{\"matrix\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}",
	               "matrix");
	fn_check_error("matrix_inverse", "{\"matrix\": [[0]]}", "matrix");
	fn_check_error("matrix_inverse", "{\"matrix\": [[1, 2]]}", "matrix");
	fn_check_error("matrix_inverse",
	               "{\"matrix\": [[1e300, 0], [0, 1e300]]}", "determinant");
	fn_check_error("solve_linear",
	               "{\"a\": [[1, 2], [2, 4]], \"b\": [1, 2]}", "a");
	fn_check_error("solve_linear", "{\"a\": [[1]], \"b\": [1, 2]}", "b");
}

static void test_regression_limits(void **state)
{
	json_t *x = json_array(), *y = json_array(), *in, *out;
	struct sopm_err err;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		json_array_append_new(x, json_integer(i));
		json_array_append_new(y, json_integer(2 * i + 1));
	}
	in = json_pack("{sOsO}", "x", x, "y", y);
	assert_int_equal(fn_call_json("linear_regression", in, &out, &err), 0);
	fn_assert_json("2x + 1", out,
	               "{\"slope\": 2.0, \"intercept\": 1.0, \"r2\": 1.0}");
	json_decref(out);
	assert_int_equal(fn_call_json("correlation", in, &out, &err), 0);
	fn_assert_json("r", out, "1.0");
	json_decref(out);
	json_array_append_new(x, json_integer(0));
	json_array_append_new(y, json_integer(0));
	fn_check_error_json("correlation", in, "x"); /* one past the limit */
	json_decref(in);
	json_decref(x);
	json_decref(y);

	fn_check_error("linear_regression", "{\"x\": [1, 1], \"y\": [1, 2]}",
	               "x");
	fn_check_error("linear_regression", "{\"x\": [1, 2], \"y\": [1]}", "y");
	fn_check_error("correlation", "{\"x\": [1, 2], \"y\": [3, 3]}", "y");
	assert_int_equal(fn_call("linear_regression",
	                         "{\"x\": [1, 2], \"y\": [3, 3]}", &out, &err),
	                 0);
	fn_assert_json("constant y", out,
	               "{\"slope\": 0.0, \"intercept\": 3.0, \"r2\": null}");
	json_decref(out);
}

static void test_roots_limits(void **state)
{
	json_t *out;
	struct sopm_err err;

	(void)state;
	/* x^20 - 1: the 20th roots of unity */
	assert_int_equal(
	    fn_call(
	        "polynomial_roots",
	        "{\"coefficients\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
	        "0, 0, 0, 0, 0, 0, 0, -1]}",
	        &out, &err),
	    0);
	assert_int_equal(json_array_size(out), 20);
	for (size_t i = 0; i < 20; i++) {
		const json_t *r = json_array_get(out, i);
		double re = json_real_value(json_object_get(r, "re"));
		double im = json_real_value(json_object_get(r, "im"));
		assert_true(fabs(hypot(re, im) - 1.0) < 1e-12);
	}
	json_decref(out);
	fn_check_error(
	    "polynomial_roots",
	    "{\"coefficients\": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
	    "1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}",
	    "coefficients");
	fn_check_error("polynomial_roots", "{\"coefficients\": [0, -0.0]}",
	               "coefficients");
	fn_check_error("polynomial_roots",
	               "{\"coefficients\": [1e-300, 1e300]}", "coefficients");
}

static void test_base_convert_limits(void **state)
{
	char *v = malloc(4302), hex[65];
	json_t *in, *out;
	struct sopm_err err;

	(void)state;
	assert_non_null(v);
	memset(v, 'z', 4300);
	v[4300] = '\0';
	in = json_pack("{sssisi}", "value", v, "from", 36, "to", 2);
	assert_int_equal(fn_call_json("base_convert", in, &out, &err), 0);
	assert_int_equal(json_string_length(out), 22231);
	fn_sha256_hex(json_string_value(out), json_string_length(out), hex);
	assert_string_equal(hex, "ba233cbcd480bafd176bc2ef85b0e4bb61fc0289116c"
	                         "fd96cc91c9ce15e58843");
	json_decref(out);
	json_decref(in);

	v[0] = '-';
	memset(v + 1, '9', 4299);
	in = json_pack("{sssisi}", "value", v, "from", 10, "to", 36);
	assert_int_equal(fn_call_json("base_convert", in, &out, &err), 0);
	fn_sha256_hex(json_string_value(out), json_string_length(out), hex);
	assert_string_equal(hex, "6135f4d51ad91ca56340da2ee01f715cc4a6d6bb422e"
	                         "4a6c89fbcf826472209d");
	json_decref(out);
	json_decref(in);

	v[4300] = '9';
	v[4301] = '\0';
	in = json_pack("{sssisi}", "value", v, "from", 10, "to", 36);
	fn_check_error_json("base_convert", in, "value");
	json_decref(in);
	free(v);
	fn_check_error("base_convert",
	               "{\"value\": \"1__0\", \"from\": 10, \"to\": 2}",
	               "value");
	fn_check_error("base_convert",
	               "{\"value\": \"7\\u0000\", \"from\": 10, \"to\": 2}",
	               "value");
}

/* Every integer round-trips through its numeral, which is canonical. */
static void test_roman_all(void **state)
{
	struct sopm_err err;

	(void)state;
	for (int i = 1; i <= 3999; i++) {
		json_t *in = json_pack("{si}", "value", i), *num, *back;
		assert_int_equal(fn_call_json("roman", in, &num, &err), 0);
		json_decref(in);
		in = json_pack("{sO}", "value", num);
		assert_int_equal(fn_call_json("roman", in, &back, &err), 0);
		assert_int_equal(json_integer_value(back), i);
		json_decref(back);
		json_decref(in);
		json_decref(num);
	}
	fn_check_error("roman", "{\"value\": \"IIII\"}", "value");
	fn_check_error("roman", "{\"value\": 4000}", "value");
}

static void test_units_and_stats(void **state)
{
	json_t *out;
	struct sopm_err err;

	(void)state;
	fn_check_error("unit_convert",
	               "{\"value\": 1, \"from\": \"m\", \"to\": \"kg\"}", "to");
	fn_check_error("unit_convert",
	               "{\"value\": 1, \"from\": \"parsec\", \"to\": \"m\"}",
	               "from");
	fn_check_error("unit_convert",
	               "{\"value\": 1e308, \"from\": \"km\", \"to\": \"mm\"}",
	               "value");
	fn_check_error("haversine",
	               "{\"lat1\": 91, \"lon1\": 0, \"lat2\": 0, \"lon2\": 0}",
	               "lat1");
	/* statistics: Python raises for these with one value; we give null */
	assert_int_equal(fn_call("statistics", "{\"values\": [7]}", &out, &err),
	                 0);
	fn_assert_json(
	    "one value", out,
	    "{\"count\": 1, \"sum\": 7, \"mean\": 7, \"median\": 7, \"mode\": "
	    "7, \"min\": 7, \"max\": 7, \"range\": 0, \"variance\": null, "
	    "\"stdev\": null, \"pvariance\": 0, \"pstdev\": 0.0, \"q1\": null, "
	    "\"q3\": null}");
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_multiply_limits),
	    cmocka_unit_test(test_inverse_limits),
	    cmocka_unit_test(test_regression_limits),
	    cmocka_unit_test(test_roots_limits),
	    cmocka_unit_test(test_base_convert_limits),
	    cmocka_unit_test(test_roman_all),
	    cmocka_unit_test(test_units_and_stats),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
