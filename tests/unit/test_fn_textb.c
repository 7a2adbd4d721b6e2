/* test_fn_textb.c - sentiment, readability, keywords, ngrams, truncate,
 * wrap, strip_html, detect_language and extract at their declared limits
 * (and one past them), on inputs that would take quadratic time with a
 * careless implementation, and their 400s. The expected values come from
 * the references of tests/refs/textb.py on the same big text (BIG_UNIT
 * repeated and cut, as big_text() in tests/gen_golden.py). */
#include "fn_test.h"
#include "fn_unicode.h"
#include "text/wordscan.h"

#define BIG_UNIT                                                               \
	"The well-known caf\xc3\xa9 is <b>good</b> &amp; great, not bad! "     \
	"Stra\xc3\x9f"                                                         \
	"e \xf0\x9f\x98\x80 \xc4\xb0 x@y.io #tag 3.5 --x\n"
#define TEXT_MAX        100000
#define NGRAMS_TEXT_MAX 20000

static const char *const all_kinds =
    "[\"emails\", \"urls\", \"hashtags\", \"mentions\", \"numbers\"]";

/* fn({field: big text of n code points, extra members}); returns rc. */
static int call_big(const char *fn, const char *field, size_t n,
                    const char *extra, json_t **out, struct sopm_err *err)
{
	json_error_t jerr;
	json_t *in = json_loads(extra ? extra : "{}", 0, &jerr);
	int rc;

	assert_non_null(in);
	assert_int_equal(
	    json_object_set_new(in, field, fn_big_text(BIG_UNIT, n)), 0);
	rc = fn_call_json(fn, in, out, err);
	json_decref(in);
	return rc;
}

/* fn at the limit must answer; one code point past it, a 400 naming
 * field. Returns the answer at the limit (NEW). */
static json_t *at_limit(const char *fn, const char *field, size_t max,
                        const char *extra)
{
	struct sopm_err err;
	json_t *out = NULL;

	if (call_big(fn, field, max + 1, extra, &out, &err) == 0)
		fail_msg("%s: no error past the limit", fn);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_non_null(strstr(err.msg, field));
	if (call_big(fn, field, max, extra, &out, &err) != 0)
		fail_msg("%s at the limit: %s", fn, err.msg);
	return out;
}

static void assert_sha256(const json_t *s, const char *want)
{
	char hex[65];

	assert_true(json_is_string(s));
	fn_sha256_hex(json_string_value(s), json_string_length(s), hex);
	assert_string_equal(hex, want);
}

static void test_big_word_functions(void **state)
{
	json_t *out;

	(void)state;
	out = at_limit("sentiment", "text", TEXT_MAX, NULL);
	assert_int_equal(json_integer_value(json_object_get(out, "score")),
	                 3411);
	assert_true(json_real_value(json_object_get(out, "comparative")) ==
	            0.14294095461593262);
	assert_int_equal(json_array_size(json_object_get(out, "positive")),
	                 2273);
	assert_int_equal(json_array_size(json_object_get(out, "negative")),
	                 1136);
	json_decref(out);

	out = at_limit("readability", "text", TEXT_MAX, NULL);
	fn_assert_json("readability", out,
	               "{\"flesch_reading_ease\": 115.13000000000002, "
	               "\"flesch_kincaid_grade\": -1.0599999999999987, "
	               "\"sentences\": 3409, \"words\": 23863, "
	               "\"syllables\": 23863}");
	json_decref(out);

	out = at_limit("keywords", "text", TEXT_MAX, "{\"top\": 1000}");
	fn_assert_json(
	    "keywords", out,
	    "[[\"b\", 2273], [\"x\", 2272], [\"well\", 1137], [\"known\", "
	    "1137], [\"caf\\u00e9\", 1137], [\"good\", 1137], [\"amp\", 1136], "
	    "[\"great\", 1136], [\"bad\", 1136], [\"stra\\u00dfe\", 1136], "
	    "[\"y\", 1136], [\"io\", 1136], [\"tag\", 1136], [\"3\", 1136], "
	    "[\"5\", 1136]]");
	json_decref(out);

	out = at_limit("detect_language", "text", TEXT_MAX, NULL);
	fn_assert_json("detect_language", out,
	               "{\"language\": \"en\", \"confidence\": "
	               "0.1905041277291204}");
	json_decref(out);
}

static void test_big_ngrams(void **state)
{
	json_t *out;

	(void)state;
	out = at_limit("ngrams", "text", NGRAMS_TEXT_MAX,
	               "{\"unit\": \"char\", \"n\": 10}");
	assert_int_equal(json_array_size(out), 88);
	fn_assert_json("first char gram", json_array_get(out, 0),
	               "[\"The well-k\", 228]");
	fn_assert_json("last char gram", json_array_get(out, 87),
	               "[\"\\nThe well-\", 227]");
	json_decref(out);
	out = at_limit("ngrams", "text", NGRAMS_TEXT_MAX, "{\"n\": 10}");
	assert_int_equal(json_array_size(out), 21);
	fn_assert_json("first word gram", json_array_get(out, 0),
	               "[\"the well known caf\\u00e9 is b good b amp great\", "
	               "227]");
	json_decref(out);
}

static void test_big_strings(void **state)
{
	json_t *out;

	(void)state;
	out = at_limit("truncate", "text", TEXT_MAX, "{\"length\": 50000}");
	assert_sha256(out, "c916b12cdece6deacabe9a4d8c25fa2e"
	                   "740860bb708ecef18cd791d8bda1f0a7");
	json_decref(out);
	out = at_limit("wrap", "text", TEXT_MAX, "{\"width\": 7}");
	assert_sha256(out, "8e5072992db0fea402be641b022ea7f1"
	                   "c2887f788668faffce0b5b094af0747c");
	json_decref(out);
	out = at_limit("strip_html", "html", TEXT_MAX, NULL);
	assert_sha256(out, "379005a0c3b3f392c35d492b68051b34"
	                   "9b38fc3f6d99a36bc560d7f72d553145");
	json_decref(out);
}

static void test_big_extract(void **state)
{
	char extra[160];
	json_t *out;

	(void)state;
	snprintf(extra, sizeof(extra), "{\"kinds\": %s}", all_kinds);
	out = at_limit("extract", "text", TEXT_MAX, extra);
	assert_int_equal(json_array_size(json_object_get(out, "emails")), 1136);
	assert_int_equal(json_array_size(json_object_get(out, "hashtags")),
	                 1136);
	assert_int_equal(json_array_size(json_object_get(out, "numbers")),
	                 1136);
	assert_int_equal(json_array_size(json_object_get(out, "urls")), 0);
	assert_int_equal(json_array_size(json_object_get(out, "mentions")), 0);
	json_decref(out);
}

/* Runs fn on {field: head + unit * reps + tail, extra} and checks the
 * result. */
static void check_repeated(const char *fn, const char *field, const char *head,
                           const char *unit, size_t reps, const char *tail,
                           const char *extra, const char *want)
{
	size_t hlen = strlen(head), ulen = strlen(unit), tlen = strlen(tail);
	char *buf = malloc(hlen + ulen * reps + tlen + 1), *p;
	json_error_t jerr;
	json_t *in = json_loads(extra, 0, &jerr), *out;
	struct sopm_err err;

	assert_non_null(buf);
	assert_non_null(in);
	memcpy(buf, head, hlen);
	p = buf + hlen;
	for (size_t i = 0; i < reps; i++, p += ulen)
		memcpy(p, unit, ulen);
	memcpy(p, tail, tlen + 1);
	assert_int_equal(json_object_set_new(in, field, json_string(buf)), 0);
	free(buf);
	if (fn_call_json(fn, in, &out, &err) != 0)
		fail_msg("%s: %s", fn, err.msg);
	fn_assert_json(fn, out, want);
	json_decref(out);
	json_decref(in);
}

/* Inputs where a rescan per line, per tag or per match would be
 * quadratic: each must finish (linear work) with the reference's answer. */
static void test_no_quadratic_rescans(void **state)
{
	(void)state;
	/* 99999 U+3000 then x: blank checks of one long chunk per line. */
	check_repeated("wrap", "text", "", "\xe3\x80\x80", TEXT_MAX - 1, "x",
	               "{\"width\": 1}", "\"x\"");
	check_repeated("strip_html", "html", "<script>", "</scrip", 13000, "",
	               "{}", "\"\"");
	check_repeated("strip_html", "html", "", "<a b='>", 14000, "x", "{}",
	               "\"x\"");
	check_repeated("extract", "text", "a@", "a.", 49999, "",
	               "{\"kinds\": [\"emails\"]}", "{\"emails\": []}");
	check_repeated("extract", "text", "http://", ".", 99993, "",
	               "{\"kinds\": [\"urls\"]}", "{\"urls\": []}");
	check_repeated("extract", "text", "", "1", TEXT_MAX - 1, "a",
	               "{\"kinds\": [\"numbers\"]}", "{\"numbers\": []}");
	check_repeated("extract", "text", "#", "1", TEXT_MAX - 1, "",
	               "{\"kinds\": [\"hashtags\"]}", "{\"hashtags\": []}");
}

static void test_is_space(void **state)
{
	static const uint32_t spaces[] = {
	    0x09,   0x0a,   0x0b,   0x0c,   0x0d,   0x1c,
	    0x1f,   0x20,   0x85,   0xa0,   0x1680, 0x2000,
	    0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
	static const uint32_t others[] = {0x00,   0x08,    0x0e,   0x1b,
	                                  0x21,   0x180e,  0x200b, 0x2060,
	                                  0xfeff, 0x10ffff};

	(void)state;
	for (size_t i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++)
		assert_true(fn_uni_is_space(spaces[i]));
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(fn_uni_is_space(others[i]));
}

static void test_bad_input(void **state)
{
	(void)state;
	fn_check_error("sentiment", "{}", "text");
	fn_check_error("sentiment", "{\"text\": 1}", "text");
	fn_check_error("readability", "{\"text\": \"a\", \"x\": 1}", "x");
	fn_check_error("keywords", "{\"text\": \"a\", \"top\": 0}", "top");
	fn_check_error("keywords", "{\"text\": \"a\", \"top\": 1001}", "top");
	fn_check_error("ngrams", "{\"text\": \"a\", \"n\": 11}", "n");
	fn_check_error("ngrams", "{\"text\": \"a\", \"unit\": \"byte\"}",
	               "unit");
	fn_check_error("truncate", "{\"text\": \"a\"}", "length");
	fn_check_error("truncate", "{\"text\": \"a\", \"length\": -1}",
	               "length");
	fn_check_error("wrap", "{\"text\": \"a\", \"width\": 0}", "width");
	fn_check_error("wrap", "{\"text\": \"a\", \"width\": 10001}", "width");
	fn_check_error("strip_html", "{\"text\": \"a\"}", "html");
	fn_check_error("detect_language", "{\"text\": null}", "text");
	fn_check_error("extract", "{\"text\": \"a\"}", "kinds");
	fn_check_error("extract", "{\"text\": \"a\", \"kinds\": [\"url\"]}",
	               "kinds[0]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_big_word_functions),
	    cmocka_unit_test(test_big_ngrams),
	    cmocka_unit_test(test_big_strings),
	    cmocka_unit_test(test_big_extract),
	    cmocka_unit_test(test_no_quadratic_rescans),
	    cmocka_unit_test(test_is_space),
	    cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
