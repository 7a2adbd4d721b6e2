/* The schema validator that the dispatcher runs before every handler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fn_schema.h"

static const char schema_text[] =
    "{\"type\":\"object\",\"required\":[\"text\"],"
    "\"additionalProperties\":false,\"properties\":{"
    "\"text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":5},"
    "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
    "\"x\":{\"type\":\"number\",\"exclusiveMinimum\":0},"
    "\"order\":{\"type\":\"string\",\"enum\":[\"asc\",\"desc\"]},"
    "\"items\":{\"type\":\"array\",\"maxItems\":3,"
    "\"items\":{\"type\":[\"number\",\"string\"]}},"
    "\"obj\":{\"type\":\"object\",\"properties\":{"
    "\"deep\":{\"type\":\"boolean\"}}}}}";

static json_t *schema;

static int setup(void **state)
{
	struct sopm_err err;
	(void)state;
	schema = json_loads(schema_text, 0, NULL);
	return schema == NULL || fn_schema_check(schema, &err) != 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(schema);
	return 0;
}

/* Validates the JSON text; returns the error message, or "" when valid. */
static const char *check(const char *json)
{
	static struct sopm_err err;
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	int rc;

	assert_non_null(v);
	err.msg[0] = '\0';
	rc = fn_schema_validate(schema, v, &err);
	json_decref(v);
	if (rc == 0)
		return "";
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	return err.msg;
}

static void test_valid(void **state)
{
	(void)state;
	assert_string_equal(check("{\"text\":\"abc\"}"), "");
	assert_string_equal(check("{\"text\":\"ééééé\",\"n\":10,\"x\":0.5,"
	                          "\"order\":\"desc\",\"items\":[1,\"a\"],"
	                          "\"obj\":{\"deep\":true,\"other\":1}}"),
	                    "");
}

static void test_errors_name_the_field(void **state)
{
	(void)state;
	assert_string_equal(check("[]"), "field 'input' must be an object");
	assert_string_equal(check("{}"), "field 'text' is required");
	assert_string_equal(check("{\"text\":3}"),
	                    "field 'text' must be a string");
	assert_string_equal(check("{\"text\":\"\"}"),
	                    "field 'text' must have at least 1 characters");
	assert_string_equal(check("{\"text\":\"éééééé\"}"),
	                    "field 'text' must have at most 5 characters");
	assert_string_equal(check("{\"text\":\"a\",\"n\":1.5}"),
	                    "field 'n' must be an integer");
	assert_string_equal(check("{\"text\":\"a\",\"n\":11}"),
	                    "field 'n' must be <= 10");
	assert_string_equal(check("{\"text\":\"a\",\"n\":0}"),
	                    "field 'n' must be >= 1");
	assert_string_equal(check("{\"text\":\"a\",\"x\":0}"),
	                    "field 'x' must be > 0");
	assert_string_equal(check("{\"text\":\"a\",\"order\":\"up\"}"),
	                    "field 'order' must be one of: asc, desc");
	assert_string_equal(check("{\"text\":\"a\",\"items\":[1,2,3,4]}"),
	                    "field 'items' must have at most 3 items");
	assert_string_equal(
	    check("{\"text\":\"a\",\"items\":[1,null]}"),
	    "field 'items[1]' must be of type number or string");
	assert_string_equal(check("{\"text\":\"a\",\"obj\":{\"deep\":1}}"),
	                    "field 'obj.deep' must be a boolean");
	assert_string_equal(check("{\"text\":\"a\",\"zzz\":1}"),
	                    "field 'zzz' is not allowed");
}

/* oneOf: {a, b} or {version, range}, as semver_compare declares it. */
static void test_one_of(void **state)
{
	static const char text[] =
	    "{\"type\":\"object\",\"oneOf\":["
	    "{\"required\":[\"a\",\"b\"],\"additionalProperties\":false,"
	    "\"properties\":{\"a\":{\"type\":\"string\"},"
	    "\"b\":{\"type\":\"string\"}}},"
	    "{\"required\":[\"version\",\"range\"],"
	    "\"additionalProperties\":false,\"properties\":{"
	    "\"version\":{\"type\":\"string\"},"
	    "\"range\":{\"type\":\"string\"}}}]}";
	static const struct {
		const char *value, *msg;
	} cases[] = {
	    {"{\"a\":\"1\",\"b\":\"2\"}", ""},
	    {"{\"version\":\"1\",\"range\":\"2\"}", ""},
	    {"{}", "field 'a' is required"},
	    {"{\"range\":\"x\"}", "field 'version' is required"},
	    {"{\"a\":1,\"b\":\"2\"}", "field 'a' must be a string"},
	    {"{\"a\":\"1\",\"b\":\"2\",\"range\":\"x\"}",
	     "field 'range' is not allowed"},
	};
	struct sopm_err err;
	json_t *s = json_loads(text, 0, NULL);
	(void)state;
	assert_non_null(s);
	assert_int_equal(fn_schema_check(s, &err), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_loads(cases[i].value, 0, NULL);
		int rc = fn_schema_validate(s, v, &err);
		assert_int_equal(rc, cases[i].msg[0] ? -1 : 0);
		if (rc != 0)
			assert_string_equal(err.msg, cases[i].msg);
		json_decref(v);
	}
	json_decref(s);
}

static void test_check_rejects_unknown_keywords(void **state)
{
	struct sopm_err err;
	json_t *bad =
	    json_loads("{\"type\":\"object\",\"propertes\":{}}", 0, NULL);
	json_t *bad_type = json_loads("{\"type\":\"text\"}", 0, NULL);
	(void)state;
	assert_int_equal(fn_schema_check(bad, &err), -1);
	assert_int_equal(err.code, SOPM_E_INTERNAL);
	assert_int_equal(fn_schema_check(bad_type, &err), -1);
	json_decref(bad);
	json_decref(bad_type);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_errors_name_the_field),
	    cmocka_unit_test(test_one_of),
	    cmocka_unit_test(test_check_rejects_unknown_keywords),
	};
	return cmocka_run_group_tests_name("schema", tests, setup, teardown);
}
