/* The catalog table and the dispatcher: every row is well formed, its
 * example is what it computes, and the dispatcher validates before calling
 * and maps handler failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fn.h"
#include "fn_schema.h"

static struct fn_limits limits = {10000, 1048576, ""};
static struct fn_ctx ctx = {&limits};

static int setup(void **state)
{
	struct sopm_err err;
	(void)state;
	if (fn_catalog_init(&err) != 0) {
		fprintf(stderr, "catalog: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fn_catalog_free();
	return 0;
}

static void test_required_functions_present(void **state)
{
	static const char *const names[] = {
	    "echo",       "sleep",   "sort",       "unique",
	    "word_count", "slugify", "statistics", "calculate",
	    "hash",       "base64",  "uuid",       "timestamp"};
	static const char *const categories[] = {"data", "text", "math", "web",
	                                         "util"};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_non_null(fn_catalog_find(names[i]));
	assert_null(fn_catalog_find("no_such_function"));
	assert_null(fn_catalog_find(NULL));
	for (size_t i = 0; i < fn_catalog_count(); i++) {
		const struct fn_entry *e = fn_catalog_at(i);
		int known = 0;
		assert_int_equal(e->index, i);
		assert_ptr_equal(fn_catalog_find(e->def->name), e);
		for (size_t c = 0; c < 5; c++)
			known |= strcmp(e->def->category, categories[c]) == 0;
		assert_true(known);
		assert_true(strlen(e->def->description) > 0);
	}
	assert_null(fn_catalog_at(fn_catalog_count()));
}

/* Every example in the table is what the function returns. */
static void test_examples_are_true(void **state)
{
	(void)state;
	for (size_t i = 0; i < fn_catalog_count(); i++) {
		const struct fn_entry *e = fn_catalog_at(i);
		json_t *ex = json_object_get(e->description, "example");
		json_t *result = NULL;
		uint64_t us;
		struct sopm_err err;
		int rc = fn_dispatch(e, json_object_get(ex, "input"), &ctx,
		                     &result, &us, &err);
		if (rc != 0)
			fail_msg("%s: example failed: %s", e->def->name,
			         err.msg);
		if (!json_equal(result, json_object_get(ex, "output"))) {
			char *got = json_dumps(result, JSON_ENCODE_ANY);
			fail_msg("%s: example output differs; got %s",
			         e->def->name, got);
		}
		json_decref(result);
	}
}

static void test_schema_checked_before_handler(void **state)
{
	const struct fn_entry *e = fn_catalog_find("word_count");
	json_t *in = json_pack("{s:i}", "text", 5), *result = NULL;
	struct sopm_err err;
	uint64_t us = 0;
	(void)state;

	assert_int_equal(fn_dispatch(e, in, &ctx, &result, &us, &err), -1);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_string_equal(err.msg, "field 'text' must be a string");
	assert_null(result);
	json_decref(in);
}

static int h_fails_silently(const json_t *in, json_t **out,
                            const struct fn_ctx *c, struct sopm_err *err)
{
	(void)in;
	(void)out;
	(void)c;
	(void)err;
	return -1;
}

static int h_returns_nothing(const json_t *in, json_t **out,
                             const struct fn_ctx *c, struct sopm_err *err)
{
	(void)in;
	(void)out;
	(void)c;
	(void)err;
	return 0;
}

static void test_handler_failures_are_internal(void **state)
{
	struct fn_def defs[] = {
	    {"a", "util", h_fails_silently, "{}", "", "{}", "{}"},
	    {"b", "util", h_returns_nothing, "{}", "", "{}", "{}"},
	};
	json_t *schema = json_object(), *in = json_object(), *result = NULL;
	struct sopm_err err;
	uint64_t us;
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		struct fn_entry e = {.def = &defs[i], .schema = schema};
		assert_int_equal(fn_dispatch(&e, in, &ctx, &result, &us, &err),
		                 -1);
		assert_int_equal(err.code, SOPM_E_INTERNAL);
		assert_null(result);
	}
	json_decref(schema);
	json_decref(in);
}

static void test_arg_helpers(void **state)
{
	json_t *in = json_pack("{s:s, s:I, s:f, s:b}", "s", "x", "i",
	                       (json_int_t)7, "d", 2.5, "b", 1);
	(void)state;
	assert_string_equal(fn_arg_str(in, "s", "d"), "x");
	assert_string_equal(fn_arg_str(in, "missing", "d"), "d");
	assert_int_equal(fn_arg_int(in, "i", 0), 7);
	assert_int_equal(fn_arg_int(in, "missing", 3), 3);
	assert_true(fn_arg_num(in, "d", 0) == 2.5);
	assert_true(fn_arg_num(in, "i", 0) == 7.0);
	assert_int_equal(fn_arg_bool(in, "b", 0), 1);
	assert_int_equal(fn_arg_bool(in, "missing", 0), 0);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_required_functions_present),
	    cmocka_unit_test(test_examples_are_true),
	    cmocka_unit_test(test_schema_checked_before_handler),
	    cmocka_unit_test(test_handler_failures_are_internal),
	    cmocka_unit_test(test_arg_helpers),
	};
	return cmocka_run_group_tests_name("dispatch", tests, setup, teardown);
}
