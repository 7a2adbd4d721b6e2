/* test_fn_matha.c - the matha functions where only C reaches: inputs at
 * their declared limits (big strings checked by length and SHA-256 against
 * Python 3.11), the time that the worst inputs take, and the fn_num /
 * fn_expr bounds on ints. The golden and reference cases run over HTTP. */
#include "fn_test.h"

#include "fn_expr.h"
#include "fn_num.h"

#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A string result: its length and SHA-256 (from Python 3.11). */
static void expect_digest(const char *fn, json_t *in, size_t len,
                          const char *sha)
{
	struct sopm_err err;
	json_t *out;
	char hex[65];

	assert_int_equal(fn_call_json(fn, in, &out, &err), 0);
	assert_true(json_is_string(out));
	assert_int_equal(json_string_length(out), len);
	fn_sha256_hex(json_string_value(out), len, hex);
	assert_string_equal(hex, sha);
	json_decref(out);
}

static void test_big_strings(void **state)
{
	json_t *in;

	(void)state;
	in = json_pack("{si}", "n", 5000);
	expect_digest(
	    "factorial", in, 16326,
	    "094d42f05e73233579bb69dfce8b1f4ffbafe0f7f255475e4ec74640d5"
	    "3ff39b");
	json_decref(in);
	fn_check_error("factorial", "{\"n\": 5001}", "n");
	in = json_pack("{si}", "n", 10000);
	expect_digest(
	    "fibonacci", in, 2090,
	    "e9c83559a05641cfd86d6c192c53fdfda87b8e53470b63dc19d1d0d752"
	    "6e987a");
	json_decref(in);
	fn_check_error("fibonacci", "{\"n\": 10001}", "n");
}

/* gcd_lcm of 1000 numbers: the lcm as a decimal string of 16343 digits. */
static void test_gcd_lcm_limit(void **state)
{
	json_t *nums = json_array(), *in, *out;
	struct sopm_err err;
	char hex[65];

	(void)state;
	for (json_int_t i = 1; i <= 1000; i++)
		json_array_append_new(nums,
		                      json_integer(((json_int_t)1 << 62) + i));
	in = json_pack("{so}", "numbers", nums);
	assert_int_equal(fn_call_json("gcd_lcm", in, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "gcd")), 1);
	const json_t *l = json_object_get(out, "lcm");
	assert_int_equal(json_string_length(l), 16343);
	fn_sha256_hex(json_string_value(l), 16343, hex);
	assert_string_equal(hex,
	                    "2b85b8f7263050640b460f8bc12bc0938e933fe50adee8"
	                    "0401974f7dd9988469");
	json_decref(out);
	json_array_append_new(json_object_get(in, "numbers"), json_integer(1));
	fn_check_error_json("gcd_lcm", in, "numbers");
	json_decref(in);
	fn_check_error("gcd_lcm", "{\"numbers\": [1, 2.0]}", "numbers[1]");
}

static void test_primes_limit(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	assert_int_equal(fn_call("primes", "{\"limit\": 10000000}", &out, &err),
	                 0);
	assert_int_equal(json_integer_value(json_object_get(out, "count")),
	                 664579);
	const json_t *ps = json_object_get(out, "primes");
	assert_int_equal(json_array_size(ps), 1000);
	assert_int_equal(json_integer_value(json_array_get(ps, 999)), 7919);
	json_decref(out);
	assert_int_equal(fn_call("primes", "{\"limit\": 9999991}", &out, &err),
	                 0); /* the largest prime below 10^7, inclusive */
	assert_int_equal(json_integer_value(json_object_get(out, "count")),
	                 664579);
	json_decref(out);
	fn_check_error("primes", "{\"limit\": 10000001}", "limit");
}

/* 63-bit semiprimes with two 31/32-bit factors, the hardest case for rho:
 * each must split well under a millisecond (allowing for ASan). */
static void test_factor_speed(void **state)
{
	static const uint64_t p[] = {2147483647, 2147483629, 3037000493,
	                             3037000453, 4294967291, 4294967279};
	struct sopm_err err;
	json_t *in, *out;
	int calls = 0;
	double t0 = now_ms();

	(void)state;
	for (size_t i = 0; i < 6; i++)
		for (size_t j = i; j < 6; j++) {
			unsigned __int128 n = (unsigned __int128)p[i] * p[j];
			if (n >= (unsigned __int128)1 << 63)
				continue;
			in = json_pack("{sI}", "n", (json_int_t)n);
			assert_int_equal(
			    fn_call_json("prime_factors", in, &out, &err), 0);
			assert_int_equal(json_array_size(out), 2);
			assert_true((uint64_t)json_integer_value(
			                json_array_get(out, 0)) == p[i] ||
			            (uint64_t)json_integer_value(
			                json_array_get(out, 0)) == p[j]);
			json_decref(out);
			json_decref(in);
			calls++;
		}
	assert_true(calls >= 10);
	assert_true((now_ms() - t0) / calls < 20.0);
	fn_check_error("prime_factors", "{\"n\": 1}", "n");
}

static void test_power_mod_ends(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	assert_int_equal(
	    fn_call("power_mod",
	            "{\"base\": -9223372036854775808, \"exponent\": "
	            "9223372036854775807, \"modulus\": "
	            "9223372036854775807}",
	            &out, &err),
	    0);
	fn_assert_json("power_mod ends", out, "9223372036854775806");
	json_decref(out);
	fn_check_error("power_mod",
	               "{\"base\": 2, \"exponent\": 1, \"modulus\": 0}",
	               "modulus");
}

/* The bound on ints: checked before a power is computed, so quickly. */
static void test_int_bound(void **state)
{
	struct fn_bnum a, b;
	const char *why = NULL;
	double t0 = now_ms();

	(void)state;
	fn_check_error("calculate", "{\"expression\": \"9^9^9^9\"}",
	               "expression");
	fn_check_error("calculate", "{\"expression\": \"(10^19000)^4\"}",
	               "expression");
	assert_true(now_ms() - t0 < 500.0);
	fn_bnum_init(&a);
	fn_bnum_init(&b);
	mpz_set_ui(a.z, 2);
	mpz_set_ui(b.z, 100);
	assert_int_equal(fn_bnum_binop('^', &a, &b, 100, &why), -1);
	assert_non_null(why);
	mpz_set_ui(a.z, 2);
	mpz_set_ui(b.z, 99);
	assert_int_equal(fn_bnum_binop('^', &a, &b, 100, &why), 0);
	assert_int_equal(mpz_sizeinbase(a.z, 2), 100);
	assert_int_equal(fn_bnum_binop('*', &a, &a, 100, &why), -1);
	fn_bnum_clear(&a);
	fn_bnum_clear(&b);
}

/* integrate at its work bound: (n + 1) * length <= 500,000, so that the
 * costliest expression per byte answers within about a second. */
static void test_integrate_limits(void **state)
{
	struct sopm_err err;
	json_t *out;
	double t0 = now_ms();

	(void)state;
	assert_int_equal(
	    fn_call("integrate",
	            "{\"expression\": \"x   \", \"a\": 0, \"b\": 1, "
	            "\"n\": 124998}",
	            &out, &err),
	    0);
	assert_true(json_real_value(out) > 0.4999999 &&
	            json_real_value(out) < 0.5000001);
	json_decref(out);
	assert_true(now_ms() - t0 < 5000.0);
	/* about the costliest per byte: a float rounded to -300 digits */
	t0 = now_ms();
	assert_int_equal(
	    fn_call("integrate",
	            "{\"expression\": \"round(x, -300)\", \"a\": 1, "
	            "\"b\": 2, \"n\": 35712}",
	            &out, &err),
	    0);
	json_decref(out);
	assert_true(now_ms() - t0 < 5000.0);
	fn_check_error("integrate",
	               "{\"expression\": \"x    \", \"a\": 0, \"b\": 1, \"n\": "
	               "100000}",
	               "n");
	fn_check_error("integrate",
	               "{\"expression\": \"x\", \"a\": 0, \"b\": 1, \"n\": 3}",
	               "n");
	fn_check_error("integrate",
	               "{\"expression\": \"1/x\", \"a\": 0, \"b\": 1}",
	               "expression");
	fn_check_error("integrate",
	               "{\"expression\": \"floor(x + 2)^2048\", \"a\": 0, "
	               "\"b\": 1, \"n\": 2}",
	               "expression");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_big_strings),
	    cmocka_unit_test(test_gcd_lcm_limit),
	    cmocka_unit_test(test_primes_limit),
	    cmocka_unit_test(test_factor_speed),
	    cmocka_unit_test(test_power_mod_ends),
	    cmocka_unit_test(test_int_bound),
	    cmocka_unit_test(test_integrate_limits),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
