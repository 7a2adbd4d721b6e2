/* test_fn_texta.c - char_frequency, tokenize, sentence_split, case_convert,
 * reverse, palindrome, levenshtein, similarity and soundex at their
 * declared limits (the Python references cover the rest over HTTP:
 * tests/refs/texta.py). The expected hashes and counts come from those
 * references on the same inputs (fn_big_text of BIG_UNIT). */
#include "fn_test.h"

#define BIG_UNIT "Σίσυφος ΟΔΟΣ İstanbul 中文 café x1 straße 😀\n"
#define TEXT_MAX 1000000

/* Runs fn on {"text": text} plus the member key = to (when key is not
 * NULL); returns rc. text is stolen. */
static int call_text(const char *fn, json_t *text, const char *key, json_t *to,
                     json_t **out, struct sopm_err *err)
{
	json_t *in = json_pack("{s:o}", "text", text);
	int rc;

	assert_non_null(in);
	if (key != NULL)
		assert_int_equal(json_object_set_new(in, key, to), 0);
	rc = fn_call_json(fn, in, out, err);
	json_decref(in);
	return rc;
}

/* Fails unless out is a string whose SHA-256 is hex. */
static void assert_str_sha(const char *what, const json_t *out, const char *hex)
{
	char got[65];

	if (!json_is_string(out))
		fail_msg("%s: not a string", what);
	fn_sha256_hex(json_string_value(out), json_string_length(out), got);
	if (strcmp(got, hex) != 0)
		fail_msg("%s: sha256 %s, want %s", what, got, hex);
}

static void test_case_convert_big(void **state)
{
	static const struct {
		const char *to, *sha;
	} want[] = {
	    {"upper", "fc8ecd0fd129e02bb005b011b42da6edd9d7be439731e291836edbe3"
	              "89f0d881"},
	    {"lower", "ccf8446a854673655860a288bf8193f8b4ec197544117cb1c515893a"
	              "d9a07886"},
	    {"title", "7f5db8c3e80c393308c240e7f6066379e519cc5407e5deae534f5a07"
	              "9287f541"},
	    {"snake", "1d1c040fcffbc821735801e50052f3b0eaf92315528cbde7fcd53aea"
	              "99fb23bf"},
	    {"camel", "37e4b4a9c8eb6c0cd892d0776a90d57461324c3f9e41e466924c7d37"
	              "c24d9e01"},
	    {"kebab", "0ce407321fce5e1309589e1110d09183b510ea5fb2b64e8717dd0613"
	              "36bdfd51"},
	    {"pascal", "9e722563cfd228610544dd41fce1ea502d875a26a373a2eb7e182a0"
	               "dcf540f8f"},
	};
	struct sopm_err err;
	json_t *out;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (call_text("case_convert", fn_big_text(BIG_UNIT, TEXT_MAX),
		              "to", json_string(want[i].to), &out, &err) != 0)
			fail_msg("%s at the limit: %s", want[i].to, err.msg);
		assert_str_sha(want[i].to, out, want[i].sha);
		json_decref(out);
	}
	assert_int_not_equal(call_text("case_convert",
	                               fn_big_text(BIG_UNIT, TEXT_MAX + 1),
	                               "to", json_string("upper"), &out, &err),
	                     0);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_non_null(strstr(err.msg, "'text'"));
}

/* The widest growth: U+0390 upper-cases to three code points, U+FB03 to
 * three letters; a million of them stay exact. */
static void test_case_convert_growth(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	assert_int_equal(call_text("case_convert",
	                           fn_big_text("\xce\x90", TEXT_MAX), "to",
	                           json_string("upper"), &out, &err),
	                 0);
	assert_int_equal(json_string_length(out), 6 * TEXT_MAX);
	assert_memory_equal(json_string_value(out), "\xce\x99\xcc\x88\xcc\x81",
	                    6);
	json_decref(out);
	assert_int_equal(call_text("case_convert",
	                           fn_big_text("\xef\xac\x83", TEXT_MAX), "to",
	                           json_string("pascal"), &out, &err),
	                 0);
	/* One word: "Ffi", then U+FB03 stays (it is lower-case already). */
	assert_int_equal(json_string_length(out), 3 * TEXT_MAX);
	assert_memory_equal(json_string_value(out), "Ffi\xef\xac\x83", 6);
	json_decref(out);
}

static void test_char_frequency_big(void **state)
{
	static const char *const order[] = {"σ", "ί", "υ", "φ",        "ο", "ς",
	                                    " ", "δ", "i", "\xcc\x87", "s"};
	struct sopm_err err;
	json_t *out, *v;
	const char *key;
	size_t k = 0;

	(void)state;
	assert_int_equal(call_text("char_frequency",
	                           fn_big_text(BIG_UNIT, TEXT_MAX),
	                           "ignore_case", json_true(), &out, &err),
	                 0);
	assert_int_equal(json_object_size(out), 29);
	/* Keys in order of first appearance, as Counter gives them. */
	json_object_foreach(out, key, v)
	{
		if (k == sizeof(order) / sizeof(order[0]))
			break;
		assert_string_equal(key, order[k]);
		k++;
	}
	assert_int_equal(json_integer_value(json_object_get(out, " ")), 166666);
	assert_int_equal(json_integer_value(json_object_get(out, "σ")), 47620);
	assert_int_equal(json_integer_value(json_object_get(out, "ς")), 47620);
	assert_int_equal(json_integer_value(json_object_get(out, "😀")), 23809);
	json_decref(out);
}

static void test_tokens_and_sentences_big(void **state)
{
	struct sopm_err err;
	json_t *out;
	char *units;

	(void)state;
	assert_int_equal(call_text("tokenize", fn_big_text(BIG_UNIT, TEXT_MAX),
	                           "lowercase", json_true(), &out, &err),
	                 0);
	assert_int_equal(json_array_size(out), 190476);
	assert_string_equal(json_string_value(json_array_get(out, 2)), "i");
	json_decref(out);
	/* 333333 one-letter sentences: "a. a. a. ..." */
	units = malloc(3 * 333333 + 1);
	assert_non_null(units);
	for (size_t i = 0; i < 333333; i++)
		memcpy(units + 3 * i, "a. ", 3);
	assert_int_equal(call_text("sentence_split",
	                           json_stringn(units, 3 * 333333), NULL, NULL,
	                           &out, &err),
	                 0);
	free(units);
	assert_int_equal(json_array_size(out), 333333);
	assert_string_equal(json_string_value(json_array_get(out, 333332)),
	                    "a.");
	json_decref(out);
}

static void test_reverse_palindrome_big(void **state)
{
	struct sopm_err err;
	json_t *out, *again, *big = fn_big_text(BIG_UNIT, TEXT_MAX);
	json_t *half = fn_big_text(BIG_UNIT, TEXT_MAX / 2), *mirror;
	char *both;

	(void)state;
	assert_int_equal(
	    call_text("reverse", json_copy(big), NULL, NULL, &out, &err), 0);
	assert_str_sha(
	    "reverse", out,
	    "38290b64ea872f71c710ddb187686fa0d91d9fef482f517b6716df3a090b3fdc");
	assert_int_equal(
	    call_text("reverse", json_copy(out), NULL, NULL, &again, &err), 0);
	assert_true(json_equal(again, big));
	json_decref(again);
	json_decref(out);
	assert_int_equal(call_text("palindrome", big, NULL, NULL, &out, &err),
	                 0);
	assert_true(json_is_false(json_object_get(out, "palindrome")));
	assert_str_sha(
	    "normalized", json_object_get(out, "normalized"),
	    "f3609cf8ca826f87d4e98057dd7595189d138fe3e5b60e33aa697f8323799745");
	json_decref(out);
	/* half + reverse(half): a palindrome of TEXT_MAX code points. */
	assert_int_equal(
	    call_text("reverse", json_copy(half), NULL, NULL, &mirror, &err),
	    0);
	both = malloc(json_string_length(half) * 2);
	assert_non_null(both);
	memcpy(both, json_string_value(half), json_string_length(half));
	memcpy(both + json_string_length(half), json_string_value(mirror),
	       json_string_length(mirror));
	assert_int_equal(
	    call_text("palindrome",
	              json_stringn(both, 2 * json_string_length(half)), NULL,
	              NULL, &out, &err),
	    0);
	free(both);
	assert_true(json_is_true(json_object_get(out, "palindrome")));
	assert_str_sha(
	    "normalized", json_object_get(out, "normalized"),
	    "58e0dfd555d009a9df9ba507edde6d53a8a202848c42ec6d678289abe789a403");
	json_decref(out);
	json_decref(mirror);
	json_decref(half);
}

/* {"a": unit_a * na, "b": unit_b * nb} (+ method) through fn. */
static int call_pair(const char *fn, const char *ua, size_t na, const char *ub,
                     size_t nb, const char *method, json_t **out,
                     struct sopm_err *err)
{
	json_t *in = json_pack("{s:o, s:o}", "a", fn_big_text(ua, na), "b",
	                       fn_big_text(ub, nb));
	int rc;

	assert_non_null(in);
	if (method != NULL)
		json_object_set_new(in, "method", json_string(method));
	rc = fn_call_json(fn, in, out, err);
	json_decref(in);
	return rc;
}

/* Fails unless the call failed with a 400 naming both 'a' and 'b'. */
static void assert_pair_error(int rc, const struct sopm_err *err)
{
	assert_int_not_equal(rc, 0);
	assert_int_equal(err->code, SOPM_E_INVALID_INPUT);
	assert_non_null(strstr(err->msg, "'a'"));
	assert_non_null(strstr(err->msg, "'b'"));
}

static void test_levenshtein_limits(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	/* 5000 * 5000 cells, nothing in common at either end. */
	assert_int_equal(
	    call_pair("levenshtein", "ab", 5000, "ba", 5000, NULL, &out, &err),
	    0);
	fn_assert_json("ab* vs ba*", out, "2");
	json_decref(out);
	assert_int_equal(
	    call_pair("levenshtein", "x", 100000, "y", 250, NULL, &out, &err),
	    0);
	fn_assert_json("100000 vs 250", out, "100000");
	json_decref(out);
	assert_int_equal(
	    call_pair("levenshtein", "x", 100000, "", 0, NULL, &out, &err), 0);
	fn_assert_json("vs empty", out, "100000");
	json_decref(out);
	assert_pair_error(
	    call_pair("levenshtein", "x", 5001, "x", 5000, NULL, &out, &err),
	    &err);
	fn_check_error("levenshtein", "{\"a\": \"x\"}", "b");
}

static void test_similarity_limits(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	assert_int_equal(
	    call_pair("similarity", "x", 2000, "x", 2000, NULL, &out, &err), 0);
	fn_assert_json("equal", out, "1.0");
	json_decref(out);
	/* Every element of b is popular (autojunk): no match at all. */
	assert_int_equal(
	    call_pair("similarity", "ab", 2000, "ba", 2000, NULL, &out, &err),
	    0);
	fn_assert_json("popular", out, "0.0");
	json_decref(out);
	assert_int_equal(
	    call_pair("similarity", "x", 1000000, "", 0, NULL, &out, &err), 0);
	fn_assert_json("vs empty", out, "0.0");
	json_decref(out);
	assert_pair_error(
	    call_pair("similarity", "x", 2001, "y", 2000, NULL, &out, &err),
	    &err);
	assert_int_equal(call_pair("similarity", "ab ", 999999, "ab x", 4,
	                           "jaccard", &out, &err),
	                 0);
	fn_assert_json("jaccard", out, "0.5");
	json_decref(out);
	fn_check_error("similarity",
	               "{\"a\": \"x\", \"b\": \"y\", "
	               "\"method\": \"cosine\"}",
	               "method");
}

static void test_soundex_big(void **state)
{
	struct sopm_err err;
	json_t *out;

	(void)state;
	assert_int_equal(call_text("soundex", fn_big_text(BIG_UNIT, TEXT_MAX),
	                           NULL, NULL, &out, &err),
	                 0);
	fn_assert_json("big", out, "\"I235\"");
	json_decref(out);
	/* No letter in a million code points. */
	assert_int_equal(call_text("soundex", fn_big_text("中😀 1", TEXT_MAX),
	                           NULL, NULL, &out, &err),
	                 0);
	fn_assert_json("none", out, "\"\"");
	json_decref(out);
}

static void test_bad_input(void **state)
{
	static const char *const text_fns[] = {
	    "char_frequency", "tokenize", "sentence_split", "reverse",
	    "palindrome",     "soundex",  "case_convert"};

	(void)state;
	for (size_t i = 0; i < sizeof(text_fns) / sizeof(text_fns[0]); i++) {
		fn_check_error(text_fns[i], "{}", "text");
		fn_check_error(text_fns[i], "{\"text\": 5, \"to\": \"upper\"}",
		               "text");
		fn_check_error(text_fns[i],
		               "{\"x\": 1, \"text\": \"a\", \"to\": \"upper\"}",
		               "x");
	}
	fn_check_error("char_frequency",
	               "{\"text\": \"a\", \"ignore_case\": 1}", "ignore_case");
	fn_check_error("tokenize", "{\"text\": \"a\", \"lowercase\": \"1\"}",
	               "lowercase");
	fn_check_error("case_convert", "{\"text\": \"a\"}", "to");
	fn_check_error("case_convert", "{\"text\": \"a\", \"to\": \"Upper\"}",
	               "to");
	fn_check_error("levenshtein", "{\"a\": \"a\", \"b\": null}", "b");
	fn_check_error("similarity", "{\"b\": \"a\"}", "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_case_convert_big),
	    cmocka_unit_test(test_case_convert_growth),
	    cmocka_unit_test(test_char_frequency_big),
	    cmocka_unit_test(test_tokens_and_sentences_big),
	    cmocka_unit_test(test_reverse_palindrome_big),
	    cmocka_unit_test(test_levenshtein_limits),
	    cmocka_unit_test(test_similarity_limits),
	    cmocka_unit_test(test_soundex_big),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
