/* test_fn_utilb.c - date_diff, date_add, timezone_convert, cron_next,
 * password_generate, password_strength, random and color_convert where
 * only C reaches: inputs at and past their limits, the slowest cron
 * searches, and embedded U+0000. Their golden cases (tests/refs/utilb.py)
 * are in functions/util/<name>.json, run over HTTP. */
#include "fn_test.h"

#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static json_t *call_ok(const char *fn, const char *input)
{
	struct sopm_err err;
	json_t *out = NULL;

	if (fn_call(fn, input, &out, &err) != 0)
		fail_msg("%s(%s): %s", fn, input, err.msg);
	return out;
}

static void expect(const char *fn, const char *input, const char *want)
{
	json_t *out = call_ok(fn, input);
	fn_assert_json(input, out, want);
	json_decref(out);
}

/* Impossible and far-apart expressions end fast, with count at its limit. */
static void test_cron_search_is_bounded(void **state)
{
	static const char *const impossible[] = {
	    "0 0 30 2 *", "59 23 31 2,4,6,9,11 *", "0 0 30 2 mon",
	    "*/7 */5 31 4 *"};
	(void)state;
	for (size_t k = 0; k < sizeof(impossible) / sizeof(*impossible); k++) {
		char in[128];
		double t0 = now_ms();
		snprintf(in, sizeof(in),
		         "{\"expression\": \"%s\", \"from\": \"2024-01-01\", "
		         "\"count\": 100}",
		         impossible[k]);
		fn_check_error("cron_next", in, "expression");
		if (now_ms() - t0 > 500.0)
			fail_msg("%s took %.0f ms", impossible[k],
			         now_ms() - t0);
	}
	double t0 = now_ms();
	json_t *out =
	    call_ok("cron_next", "{\"expression\": \"0 0 29 2 mon\", \"from\": "
	                         "\"2024-01-01\", \"count\": 100}");
	assert_int_equal(json_array_size(out), 100);
	json_decref(out);
	out = call_ok("cron_next", "{\"expression\": \"59 23 29 2 *\", "
	                           "\"from\": \"1600-01-01\", \"count\": 100}");
	assert_string_equal(json_string_value(json_array_get(out, 99)),
	                    "2008-02-29T23:59:00+00:00");
	json_decref(out);
	if (now_ms() - t0 > 500.0)
		fail_msg("leap days took %.0f ms", now_ms() - t0);
	fn_check_error("cron_next",
	               "{\"expression\": \"* * * * *\", \"from\": "
	               "\"9999-12-31T23:58:00\", \"count\": 2}",
	               "from");
	expect(
	    "cron_next",
	    "{\"expression\": \"* * * * *\", \"from\": "
	    "\"9999-12-31T23:57:30+00:00\", \"count\": 2}",
	    "[\"9999-12-31T23:58:00+00:00\", \"9999-12-31T23:59:00+00:00\"]");
}

/* 256 bytes of expression is accepted, 257 refused by the schema. */
static void test_cron_expression_limit(void **state)
{
	char expr[300], in[400];

	(void)state;
	strcpy(expr, "00");
	while (strlen(expr) < 256 - 8)
		strcat(expr, ",0");
	strcat(expr, " 0 * * *"); /* 248 + 8 */
	assert_int_equal(strlen(expr), 256);
	snprintf(in, sizeof(in),
	         "{\"expression\": \"%s\", \"from\": \"2024-01-01\", "
	         "\"count\": 1}",
	         expr);
	expect("cron_next", in, "[\"2024-01-02T00:00:00+00:00\"]");
	snprintf(in, sizeof(in),
	         "{\"expression\": \"%s \", \"from\": \"2024-01-01\"}", expr);
	fn_check_error("cron_next", in, "expression");
}

static void test_dates_at_their_limits(void **state)
{
	(void)state;
	expect("date_add",
	       "{\"date\": \"0001-01-01\", \"seconds\": 315537897599, "
	       "\"minutes\": 0.0166666}",
	       "\"9999-12-31T23:59:59.999985\"");
	fn_check_error("date_add",
	               "{\"date\": \"0001-01-01\", \"seconds\": 316224000000, "
	               "\"minutes\": 5270400000, \"hours\": 87840000, "
	               "\"days\": 3660000}",
	               "date");
	fn_check_error("date_add",
	               "{\"date\": \"2024-01-01\", \"seconds\": 316224000001}",
	               "seconds");
	expect("date_add", "{\"date\": \"2024-01-01\", \"hours\": -0.0}",
	       "\"2024-01-01\"");
	expect("date_diff",
	       "{\"from\": \"2024-01-01T12:00\\u0000\", \"to\": "
	       "\"2024-01-01T12:00:00.000001\"}",
	       "{\"days\": 0, \"hours\": 0, \"minutes\": 0, \"seconds\": "
	       "1e-06, \"total_seconds\": 1e-06}");
	expect("date_diff",
	       "{\"from\": \"0001-01-01T00:00:00.000001\", \"to\": "
	       "\"9999-12-31T23:59:59.999999\"}",
	       "{\"days\": 3652058, \"hours\": 23, \"minutes\": 59, "
	       "\"seconds\": 59.999998, \"total_seconds\": "
	       "315537897600.0}");
	fn_check_error(
	    "timezone_convert",
	    "{\"time\": \"2024-01-01\", \"from_tz\": \"UTC\\u0000\", "
	    "\"to_tz\": \"UTC\"}",
	    "from_tz");
	expect("timezone_convert",
	       "{\"time\": \"2024-01-01\\u00e912:00\", \"from_tz\": \"UTC\", "
	       "\"to_tz\": \"Asia/Kolkata\"}",
	       "\"2024-01-01T17:30:00+05:30\"");
}

static void test_random_at_limits(void **state)
{
	(void)state;
	json_t *out =
	    call_ok("password_generate", "{\"length\": 256, \"count\": 100}");
	assert_int_equal(json_array_size(out), 100);
	for (size_t i = 0; i < 100; i++) {
		const char *pw = json_string_value(json_array_get(out, i));
		assert_int_equal(strlen(pw), 256);
		assert_non_null(strpbrk(pw, "abcdefghijklmnopqrstuvwxyz"));
		assert_non_null(strpbrk(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
		assert_non_null(strpbrk(pw, "0123456789"));
		assert_non_null(strpbrk(pw, "!#$%&()*+,-./:;<=>?@[]^_{|}~"));
	}
	json_decref(out);
	out = call_ok("random", "{\"kind\": \"bytes_hex\", \"count\": 1000}");
	assert_int_equal(strlen(json_string_value(json_array_get(out, 0))),
	                 2000);
	json_decref(out);
	out = call_ok("random", "{\"kind\": \"int\", \"min\": "
	                        "-9223372036854775808, \"max\": "
	                        "9223372036854775807, \"count\": 1000}");
	assert_int_equal(json_array_size(out), 1000);
	json_decref(out);
	json_t *items = json_array(), *in = json_object();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(items, json_integer(i));
	json_object_set_new(in, "kind", json_string("shuffle"));
	json_object_set_new(in, "items", items);
	struct sopm_err err;
	assert_int_equal(fn_call_json("random", in, &out, &err), 0);
	assert_int_equal(json_array_size(out), 1000);
	json_decref(out);
	json_array_append_new(items, json_integer(1000));
	fn_check_error_json("random", in, "items");
	json_decref(in);
	fn_check_error("random", "{\"kind\": \"int\", \"count\": 1001}",
	               "count");
}

static void test_texts_at_limits(void **state)
{
	(void)state;
	json_t *big = fn_big_text("\xf0\x9f\x98\x80", 1024),
	       *in = json_object();
	json_t *out;
	struct sopm_err err;

	json_object_set_new(in, "password", big);
	assert_int_equal(fn_call_json("password_strength", in, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "score")), 4);
	json_decref(out);
	json_object_set_new(in, "password",
	                    fn_big_text("\xf0\x9f\x98\x80", 1025));
	fn_check_error_json("password_strength", in, "password");
	json_decref(in);
	expect("password_strength",
	       "{\"password\": \"ab\\u0000\\u0000\\u0000\"}",
	       "{\"score\": 1, \"entropy_bits\": 34.886399617499585, "
	       "\"feedback\": [\"Use at least 12 characters\", \"Add "
	       "uppercase letters\", \"Add digits\", \"Add symbols\", \"Avoid "
	       "repeating a character three times in a row\"]}");
	fn_check_error("color_convert", "{\"color\": \"#abc\\u0000\"}",
	               "color");
	fn_check_error(
	    "color_convert",
	    "{\"color\": \"rgb(00000000000000000000000000000000000000"
	    "01,0,0)\"}",
	    "color");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cron_search_is_bounded),
	    cmocka_unit_test(test_cron_expression_limit),
	    cmocka_unit_test(test_dates_at_their_limits),
	    cmocka_unit_test(test_random_at_limits),
	    cmocka_unit_test(test_texts_at_limits),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
