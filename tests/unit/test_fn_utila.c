/* test_fn_utila.c - regex_match, regex_replace, template_render, text_diff,
 * semver_compare, luhn, iban_validate, bytes_format and duration_format
 * where only C reaches: catastrophic patterns with and without JIT (400
 * naming 'pattern' within milliseconds), and inputs at and past their
 * limits. Their golden cases (tests/refs/utila.py) are in
 * functions/util/<name>.json, run over HTTP. */
#include "fn_test.h"

#include <time.h>

#include "util/regex.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* {"pattern": pattern, "text": unit * n, more...} as a NEW object. */
static json_t *rx_input(const char *pattern, const char *prefix,
                        const char *unit, size_t n, const char *suffix)
{
	json_t *in = json_object(), *big = fn_big_text(unit, n);
	char *text = malloc(strlen(prefix) + json_string_length(big) +
	                    strlen(suffix) + 1);

	assert_non_null(text);
	strcpy(text, prefix);
	strcat(text, json_string_value(big));
	strcat(text, suffix);
	json_object_set_new(in, "pattern", json_string(pattern));
	json_object_set_new(in, "text", json_string(text));
	free(text);
	json_decref(big);
	return in;
}

static void catastrophic(int jit)
{
	static const char *const pats[] = {"(a+)+$", "(a|aa)+$", "(a*)*b",
	                                   "^(\\w+\\s?)*$", "(.*a){12}!$"};

	fn_regex_use_jit = jit;
	for (size_t k = 0; k < sizeof(pats) / sizeof(*pats); k++) {
		for (size_t n = 30; n <= 5000; n *= 13) {
			json_t *in = rx_input(pats[k], "", "a", n, "!b");
			double t0 = now_ms();
			fn_check_error_json("regex_match", in, "pattern");
			json_object_set_new(in, "all", json_true());
			fn_check_error_json("regex_match", in, "pattern");
			json_object_del(in, "all");
			json_object_set_new(in, "replacement",
			                    json_string("x"));
			fn_check_error_json("regex_replace", in, "pattern");
			if (now_ms() - t0 > 1500.0) /* ASan is slow: generous */
				fail_msg(
				    "%s over %zu a's took %.0f ms (jit %d)",
				    pats[k], n, now_ms() - t0, jit);
			json_decref(in);
		}
	}
	/* steps PCRE2 does not count: ended by the 2 s of the callouts */
	for (int k = 0; k < 2; k++) {
		json_t *in = rx_input(k ? "(?=.{0,30000}x)"
		                        : ".{0,30000}.{0,30000}.{0,30000}d",
		                      "d", "ab", 99999, "");
		double t0 = now_ms();
		json_object_set_new(in, "all", json_boolean(k));
		fn_check_error_json("regex_match", in, "pattern");
		if (now_ms() - t0 > 4000.0)
			fail_msg("uncounted steps took %.0f ms (jit %d)",
			         now_ms() - t0, jit);
		json_decref(in);
	}
	fn_regex_use_jit = 1;
}

static void test_regex_catastrophic_jit(void **state)
{
	(void)state;
	catastrophic(1);
}

static void test_regex_catastrophic_interpreter(void **state)
{
	(void)state;
	catastrophic(0);
}

static void test_regex_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *out;

	(void)state;
	/* 100000 matches of a 2-byte character: more than result_max bytes */
	in = rx_input("\xc3\xa9", "", "\xc3\xa9", 100000, "");
	json_object_set_new(in, "all", json_true());
	fn_check_error_json("regex_match", in, "text");
	/* the first one only: spans in code points */
	json_object_set_new(in, "pattern", json_string("(\xc3\xa9{3})$"));
	json_object_set_new(in, "all", json_false());
	assert_int_equal(fn_call_json("regex_match", in, &out, &err), 0);
	fn_assert_json("last three", out,
	               "{\"match\": \"\xc3\xa9\xc3\xa9\xc3\xa9\", \"start\": "
	               "99997, \"end\": 100000, \"groups\": "
	               "[\"\xc3\xa9\xc3\xa9\xc3\xa9\"], \"named\": {}}");
	json_decref(out);
	/* every empty match replaced: 100001 of them */
	json_object_set_new(in, "pattern", json_string(""));
	json_object_set_new(in, "replacement", json_string("-"));
	json_object_del(in, "all");
	assert_int_equal(fn_call_json("regex_replace", in, &out, &err), 0);
	assert_int_equal(json_string_length(out), 100001 + 200000);
	json_decref(out);
	json_decref(in);
	/* a group that captures the rest at every offset: quadratic */
	in = rx_input("(?=(.*))", "", "ab", 100000, "");
	json_object_set_new(in, "all", json_true());
	fn_check_error_json("regex_match", in, "text");
	json_decref(in);
	/* past the text limit, past the pattern limit */
	in = rx_input("a", "", "a", 100001, "");
	fn_check_error_json("regex_match", in, "text");
	json_decref(in);
	in = rx_input("a", "", "a", 1, "");
	json_object_set_new(in, "pattern", fn_big_text("a", 1001));
	fn_check_error_json("regex_match", in, "pattern");
	json_decref(in);
	fn_check_error("regex_match", "{\"pattern\": \"(\", \"text\": \"\"}",
	               "pattern");
	fn_check_error(
	    "regex_match",
	    "{\"pattern\": \"a\", \"text\": \"\", \"flags\": [\"x\"]}",
	    "flags");
	fn_check_error("regex_replace",
	               "{\"pattern\": \"a\", \"text\": \"a\", "
	               "\"replacement\": \"\\\\g<1>\"}",
	               "replacement");
}

/* {"template": "{{#a}}" * n + "{{/a}}" * n, "data": {"a": true}} */
static json_t *nested(size_t n)
{
	json_t *in = json_object();
	char *t = malloc(12 * n + 1);
	size_t o = 0;

	assert_non_null(t);
	for (size_t i = 0; i < n; i++, o += 6)
		memcpy(t + o, "{{#a}}", 6);
	for (size_t i = 0; i < n; i++, o += 6)
		memcpy(t + o, "{{/a}}", 6);
	t[o] = '\0';
	json_object_set_new(in, "template", json_string(t));
	json_object_set_new(in, "data", json_pack("{s:b}", "a", 1));
	free(t);
	return in;
}

static void test_template_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *out, *deep, *list;
	double t0;

	(void)state;
	in = nested(64);
	assert_int_equal(fn_call_json("template_render", in, &out, &err), 0);
	fn_assert_json("64 deep", out, "\"\"");
	json_decref(out);
	json_decref(in);
	in = nested(65);
	fn_check_error_json("template_render", in, "template");
	json_decref(in);
	/* data nested 65 levels */
	deep = json_array();
	for (int i = 0; i < 64; i++)
		deep = json_pack("[o]", deep);
	in = json_pack("{s:s, s:o}", "template", "x", "data", deep);
	fn_check_error_json("template_render", in, "data");
	json_decref(in);
	/* 1000^4 section passes that write nothing: the step bound */
	list = json_array();
	for (int i = 0; i < 1000; i++)
		json_array_append_new(list, json_integer(i));
	in = json_pack("{s:s, s:{s:o}}", "template",
	               "{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}",
	               "data", "l", list);
	t0 = now_ms();
	fn_check_error_json("template_render", in, "template");
	assert_true(now_ms() - t0 < 5000.0);
	json_decref(in);
	/* names of name_max bytes looked up through 3 contexts, 10^6 times:
	 * bounded by the steps, fast */
	{
		json_t *name = fn_big_text("n", 256), *l = json_array();
		for (int i = 0; i < 1000; i++)
			json_array_append_new(l, json_pack("{s:i}", "k", i));
		in = json_pack("{s:o, s:{s:o}}", "template",
		               json_sprintf("{{#l}}{{#l}}{{%s}}{{/l}}{{/l}}",
		                            json_string_value(name)),
		               "data", "l", l);
		t0 = now_ms();
		fn_check_error_json("template_render", in, "template");
		assert_true(now_ms() - t0 < 3000.0);
		json_decref(in);
		in =
		    json_pack("{s:o}", "template",
		              json_sprintf("{{%sn}}", json_string_value(name)));
		fn_check_error_json("template_render", in, "template");
		json_decref(in);
		json_decref(name);
	}
	/* 20000 standalone candidates on one line: linear, not quadratic */
	in = json_pack("{s:o}", "template", fn_big_text("{{!}}", 100000));
	t0 = now_ms();
	assert_int_equal(fn_call_json("template_render", in, &out, &err), 0);
	fn_assert_json("comments", out, "\"\"");
	assert_true(now_ms() - t0 < 1000.0);
	json_decref(out);
	json_decref(in);
	/* 1000 items of 1048 bytes fit output_max (1 MiB), of 1049 not */
	for (int w = 1048; w <= 1049; w++) {
		json_t *x = fn_big_text("x", (size_t)w);
		list = json_array();
		for (int i = 0; i < 1000; i++)
			json_array_append_new(list, json_integer(i));
		in = json_pack(
		    "{s:o, s:{s:o}}", "template",
		    json_sprintf("{{#l}}%s{{/l}}", json_string_value(x)),
		    "data", "l", list);
		json_decref(x);
		if (w == 1048) {
			assert_int_equal(
			    fn_call_json("template_render", in, &out, &err), 0);
			assert_int_equal(json_string_length(out), 1048000);
			json_decref(out);
		} else {
			fn_check_error_json("template_render", in, "template");
		}
		json_decref(in);
	}
}

static void test_text_diff_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *out;
	double t0;

	(void)state;
	/* 2000 x 2000 different lines: the product limit itself */
	in = json_pack("{s:o, s:o}", "a", fn_big_text("a\n", 4000), "b",
	               fn_big_text("b\n", 4000));
	t0 = now_ms();
	assert_int_equal(fn_call_json("text_diff", in, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "changes")),
	                 4000);
	json_decref(out);
	assert_true(now_ms() - t0 < 5000.0);
	json_object_set_new(in, "b", fn_big_text("b\n", 4002));
	fn_check_error_json("text_diff", in, "b");
	json_decref(in);
	/* one popular line (autojunk) against many copies */
	in = json_pack("{s:o, s:o}", "a", fn_big_text("x\n", 1000000), "b",
	               fn_big_text("x\ny\n", 16));
	assert_int_equal(fn_call_json("text_diff", in, &out, &err), 0);
	json_decref(out);
	json_decref(in);
}

static void test_small_limits(void **state)
{
	struct sopm_err err;
	json_t *in, *out;

	(void)state;
	in = json_pack("{s:o}", "number", fn_big_text("9", 1000));
	assert_int_equal(fn_call_json("luhn", in, &out, &err), 0);
	json_decref(out);
	json_object_set_new(in, "number", fn_big_text("9", 1001));
	fn_check_error_json("luhn", in, "number");
	json_decref(in);
	in = json_pack("{s:o}", "iban", fn_big_text("\xf0\x9f\x98\x80", 100));
	assert_int_equal(fn_call_json("iban_validate", in, &out, &err), 0);
	fn_assert_json("astral", json_object_get(out, "reason"),
	               "\"invalid_characters\"");
	json_decref(out);
	json_decref(in);
	in = json_pack("{s:o}", "parse", fn_big_text("9", 99));
	json_object_set_new(
	    in, "parse",
	    json_sprintf("%sd",
	                 json_string_value(json_object_get(in, "parse"))));
	assert_int_equal(fn_call_json("duration_format", in, &out, &err), 0);
	assert_true(json_is_real(out));
	json_decref(out);
	json_decref(in);
	fn_check_error("bytes_format", "{\"bytes\": 1e31}", "bytes");
	fn_check_error("semver_compare", "{\"a\": \"1.0.0\"}", "b");
	in = json_pack("{s:s, s:o}", "version", "1.2.3", "range",
	               fn_big_text(">=1.2.3 ", 1024));
	assert_int_equal(fn_call_json("semver_compare", in, &out, &err), 0);
	fn_assert_json("1024", out, "{\"satisfies\": true}");
	json_decref(out);
	json_object_set_new(in, "range", fn_big_text(">=1.2.3 ", 1025));
	fn_check_error_json("semver_compare", in, "range");
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regex_catastrophic_jit),
	    cmocka_unit_test(test_regex_catastrophic_interpreter),
	    cmocka_unit_test(test_regex_limits),
	    cmocka_unit_test(test_template_limits),
	    cmocka_unit_test(test_text_diff_limits),
	    cmocka_unit_test(test_small_limits),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
