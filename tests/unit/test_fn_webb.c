/* test_fn_webb.c - the webb functions (url_parse, url_build, query_string,
 * url_encode, hex, html_escape, json_validate, email_validate, ip_info,
 * user_agent_parse) at their declared limits and in the paths only C can
 * reach: big outputs, nesting limits, PCRE2's match limit. The Python
 * references check everything else over HTTP (tests/refs/webb.py). */
#include "fn_test.h"

#include "sopm_buf.h"

/* n copies of unit as a JSON string member: {"key": "<unit x n>"<extra>} */
static json_t *repeated(const char *key, const char *unit, size_t n)
{
	struct sopm_buf b = {0};
	json_t *in;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(sopm_buf_add(&b, unit, strlen(unit)), 0);
	in = json_pack("{s:s%}", key, b.p ? b.p : "", b.len);
	free(b.p);
	assert_non_null(in);
	return in;
}

static void test_url_encode_at_limit(void **state)
{
	json_t *in = repeated("text", "\xc3\xa9", 1000000), *out = NULL;
	struct sopm_err err;

	(void)state;
	assert_int_equal(fn_call_json("url_encode", in, &out, &err), 0);
	assert_int_equal(json_string_length(out), 6000000);
	assert_memory_equal(json_string_value(out), "%C3%A9%C3%A9", 12);
	json_decref(out);
	json_decref(in);
	/* one past the limit */
	in = repeated("text", "\xc3\xa9", 1000001);
	fn_check_error_json("url_encode", in, "text");
	json_decref(in);
}

static void test_unquote_big(void **state)
{
	json_t *in = repeated("text", "%C3%A9%C3", 100000), *out = NULL;
	struct sopm_err err;

	(void)state;
	json_object_set_new(in, "decode", json_true());
	assert_int_equal(fn_call_json("url_encode", in, &out, &err), 0);
	/* C3 A9 C3 | C3 A9 C3 | ...: each unit's trailing C3 is cut by the
	 * next unit's C3 (or the end), so every unit is é and one U+FFFD,
	 * as Python's unquote gives it: 5 bytes a unit */
	assert_int_equal(json_string_length(out), 100000 * 5);
	json_decref(out);
	json_decref(in);
}

static void test_html_unescape_big(void **state)
{
	json_t *in = repeated("text", "&amp;&#x1F600;&notit;", 40000);
	json_t *out = NULL;
	struct sopm_err err;

	(void)state;
	json_object_set_new(in, "unescape", json_true());
	assert_int_equal(fn_call_json("html_escape", in, &out, &err), 0);
	/* "&" + U+1F600 (4 bytes) + U+00AC (2 bytes) + "it;" */
	assert_int_equal(json_string_length(out), 40000 * 10);
	assert_memory_equal(json_string_value(out),
	                    "&\xf0\x9f\x98\x80\xc2\xacit;", 10);
	json_decref(out);
	json_decref(in);
}

static void test_hex_big(void **state)
{
	json_t *in = repeated("text", "c3a9 ", 200000), *out = NULL;
	struct sopm_err err;

	(void)state;
	json_object_set_new(in, "decode", json_true());
	assert_int_equal(fn_call_json("hex", in, &out, &err), 0);
	assert_int_equal(json_string_length(out), 400000);
	json_decref(out);
	json_decref(in);
}

/* An instance array of n integers checked against items + enum. */
static json_t *validate_input(size_t n, size_t nenum)
{
	json_t *inst = json_array(), *e = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(inst, json_integer((json_int_t)(i % 7)));
	for (size_t i = 0; i < nenum; i++)
		json_array_append_new(e, json_integer((json_int_t)i + 3));
	return json_pack("{s:{s:{s:o}}, s:o}", "schema", "items", "enum", e,
	                 "instance", inst);
}

static void test_json_validate_limits(void **state)
{
	struct sopm_err err;
	json_t *in = validate_input(19999, 1997), *out = NULL;

	(void)state;
	/* 2000 schema values: the root, items, enum and its 1997 members */
	assert_int_equal(fn_call_json("json_validate", in, &out, &err), 0);
	/* 0, 1 and 2 are not in the enum: 3 of every 7 items fail */
	assert_int_equal(json_array_size(json_object_get(out, "errors")), 8571);
	json_decref(out);
	json_decref(in);
	in = validate_input(20000, 1997); /* 20001 instance values */
	fn_check_error_json("json_validate", in, "instance");
	json_decref(in);
	in = validate_input(10, 1998);
	fn_check_error_json("json_validate", in, "schema");
	json_decref(in);
}

static void test_json_validate_depth(void **state)
{
	json_t *inst = json_array(), *in, *out = NULL;
	struct sopm_err err;

	(void)state;
	for (int i = 1; i < 64; i++)
		inst = json_pack("[o]", inst);
	in = json_pack("{s:{}, s:o}", "schema", "instance", inst);
	assert_int_equal(fn_call_json("json_validate", in, &out, &err), 0);
	json_decref(out);
	json_object_set_new(in, "instance",
	                    json_pack("[O]", json_object_get(in, "instance")));
	fn_check_error_json("json_validate", in, "instance");
	json_decref(in);
}

/* A catastrophic pattern stops at PCRE2's match limit: a 400, no hang. */
static void test_json_validate_match_limit(void **state)
{
	json_t *in = repeated("instance", "a", 60), *out = NULL;
	struct sopm_err err;

	(void)state;
	json_object_set_new(in, "schema",
	                    json_pack("{s:s}", "pattern", "^(a|aa)+$"));
	json_object_set_new(
	    in, "instance",
	    json_string(
	        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
	assert_int_not_equal(fn_call_json("json_validate", in, &out, &err), 0);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_non_null(strstr(err.msg, "'schema'"));
	json_decref(in);
}

static void test_user_agent_at_limit(void **state)
{
	json_t *in = repeated("user_agent", "Android ", 256), *out = NULL;
	struct sopm_err err;

	(void)state;
	assert_int_equal(fn_call_json("user_agent_parse", in, &out, &err), 0);
	fn_assert_json("android x256", out,
	               "{\"browser\": \"Other\", \"browser_version\": null, "
	               "\"os\": \"Android\", \"os_version\": null, "
	               "\"device\": \"tablet\"}");
	json_decref(out);
	json_decref(in);
	in = repeated("user_agent", "a", 2049);
	fn_check_error_json("user_agent_parse", in, "user_agent");
	json_decref(in);
}

static void test_bad_input(void **state)
{
	(void)state;
	fn_check_error("url_parse", "{\"url\": \"http://[::1\"}", "url");
	fn_check_error("url_parse", "{\"url\": \"http://h:65536\"}", "url");
	fn_check_error("url_build",
	               "{\"scheme\": \"h\", \"host\": \"h\", "
	               "\"query\": {\"a\": 1.5}}",
	               "query.a");
	fn_check_error("query_string", "{\"parse\": \"\", \"build\": {}}",
	               "input");
	fn_check_error("hex", "{\"text\": \"eda080\", \"decode\": true}",
	               "text");
	fn_check_error("ip_info", "{\"address\": \"01.2.3.4\"}", "address");
	fn_check_error("ip_info", "{\"address\": \"fe80::1%eth0\"}", "address");
	fn_check_error("ip_info",
	               "{\"address\": \"::1\", \"network\": \"::1/129\"}",
	               "network");
	fn_check_error("json_validate",
	               "{\"schema\": {\"type\": []}, "
	               "\"instance\": 1}",
	               "schema");
	fn_check_error("email_validate", "{\"email\": 5}", "email");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_encode_at_limit),
	    cmocka_unit_test(test_unquote_big),
	    cmocka_unit_test(test_html_unescape_big),
	    cmocka_unit_test(test_hex_big),
	    cmocka_unit_test(test_json_validate_limits),
	    cmocka_unit_test(test_json_validate_depth),
	    cmocka_unit_test(test_json_validate_match_limit),
	    cmocka_unit_test(test_user_agent_at_limit),
	    cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
