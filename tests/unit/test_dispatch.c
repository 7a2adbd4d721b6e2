/* The catalog table and the dispatcher: every row is well formed, its
 * example is what it computes, and the dispatcher validates before calling
 * and maps handler failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "fn_schema.h"
#include "sopm_config.h"

static const struct fn_limits limits = {10000, 1048576, "a.example"};
static struct fn_ctx *ctx;

static int setup(void **state)
{
	struct sopm_err err;
	(void)state;
	if (fn_catalog_init(&err) != 0) {
		fprintf(stderr, "catalog: %s\n", err.msg);
		return -1;
	}
	ctx = fn_ctx_new(&limits, &err);
	if (ctx == NULL) {
		fprintf(stderr, "fn_ctx_new: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fn_ctx_free(ctx);
	fn_catalog_free();
	return 0;
}

static void test_required_functions_present(void **state)
{
	static const char *const names[] = {
	    "echo",       "sleep",   "sort",       "unique",
	    "word_count", "slugify", "statistics", "calculate",
	    "hash",       "base64",  "uuid",       "timestamp"};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_non_null(fn_catalog_find(names[i]));
	assert_null(fn_catalog_find("no_such_function"));
	assert_null(fn_catalog_find(NULL));
	for (size_t i = 0; i < fn_catalog_count(); i++) {
		const struct fn_entry *e = fn_catalog_at(i);
		assert_int_equal(e->index, i);
		assert_ptr_equal(fn_catalog_find(e->def->name), e);
		assert_non_null(fn_category_name(e->def->cat));
		assert_string_equal(e->def->category,
		                    fn_category_name(e->def->cat));
		assert_true(strlen(e->def->description) > 0);
		/* catalog order: category order, then by name */
		if (i > 0) {
			const struct fn_def *p = fn_catalog_at(i - 1)->def;
			assert_true(p->cat < e->def->cat ||
			            (p->cat == e->def->cat &&
			             strcmp(p->name, e->def->name) < 0));
		}
	}
	assert_null(fn_catalog_at(fn_catalog_count()));
}

/* FN_CATEGORIES is the one list: the enum, the names and the folders. */
static void test_categories(void **state)
{
	static const char *const want[] = {"data", "text", "math", "web",
	                                   "util"};
	(void)state;
	assert_int_equal(FN_CAT_COUNT, sizeof(want) / sizeof(*want));
	for (int c = 0; c < FN_CAT_COUNT; c++)
		assert_string_equal(fn_category_name((enum fn_category)c),
		                    want[c]);
	assert_null(fn_category_name(FN_CAT_COUNT));
	assert_int_equal(FN_CAT_data, 0);
	assert_int_equal(FN_CAT_util, FN_CAT_COUNT - 1);
}

/* The network functions' examples document the result's shape: what they
 * return depends on a remote server and the clock (they are tested against
 * a local server in tests/integration/test_network_functions.py). */
static int example_is_network(const char *name)
{
	return strcmp(name, "http_request") == 0 ||
	       strcmp(name, "url_check") == 0 || strcmp(name, "webhook") == 0;
}

/* password_generate draws from the CSPRNG: its example shows the shape,
 * the same number of strings of the same lengths (its classes and spread:
 * tests/integration/test_utilb_random.py). */
static int example_is_random(const char *name)
{
	return strcmp(name, "password_generate") == 0;
}

static int same_shape(const json_t *a, const json_t *b)
{
	if (!json_is_array(a) || !json_is_array(b) ||
	    json_array_size(a) != json_array_size(b))
		return 0;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_string_length(json_array_get(a, i)) !=
		    json_string_length(json_array_get(b, i)))
			return 0;
	return 1;
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
		int rc;

		if (example_is_network(e->def->name))
			continue;
		rc = fn_dispatch(e, json_object_get(ex, "input"), ctx, &result,
		                 &us, &err);
		if (rc != 0)
			fail_msg("%s: example failed: %s", e->def->name,
			         err.msg);
		if (example_is_random(e->def->name)
		        ? !same_shape(result, json_object_get(ex, "output"))
		        : !json_equal(result, json_object_get(ex, "output"))) {
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

	assert_int_equal(fn_dispatch(e, in, ctx, &result, &us, &err), -1);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_string_equal(err.msg, "field 'text' must be a string");
	assert_null(result);
	json_decref(in);
}

static int h_fails_silently(const json_t *in, json_t **out, struct fn_ctx *c,
                            struct sopm_err *err)
{
	(void)in;
	(void)out;
	(void)c;
	(void)err;
	return -1;
}

static int h_returns_nothing(const json_t *in, json_t **out, struct fn_ctx *c,
                             struct sopm_err *err)
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
	    {"a", FN_CAT_util, "util", h_fails_silently, "{}", "", "{}", "{}"},
	    {"b", FN_CAT_util, "util", h_returns_nothing, "{}", "", "{}", "{}"},
	};
	json_t *schema = json_object(), *in = json_object(), *result = NULL;
	struct sopm_err err;
	uint64_t us;
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		struct fn_entry e = {.def = &defs[i], .schema = schema};
		assert_int_equal(fn_dispatch(&e, in, ctx, &result, &us, &err),
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
	in = json_pack("{s:s#}", "t", "a\0b", (int)3);
	size_t len = 0;
	assert_memory_equal(fn_arg_text(in, "t", "d", &len), "a\0b", 3);
	assert_int_equal(len, 3);
	assert_string_equal(fn_arg_text(in, "missing", "dflt", &len), "dflt");
	assert_int_equal(len, 4);
	json_decref(in);
}

/* A handler that returns {"a": 1.5, "b": <its input's "x" as a real>,
 * "c": <the same again>}: what fn_result_real does with each value. */
static int h_reals(const json_t *in, json_t **out, struct fn_ctx *c,
                   struct sopm_err *err)
{
	double x = json_number_value(json_object_get(in, "x"));
	const char *how = json_string_value(json_object_get(in, "how"));

	(void)err;
	if (strcmp(how, "inf") == 0)
		x = x * HUGE_VAL;
	else if (strcmp(how, "nan") == 0)
		x = nan("");
	json_t *ja = fn_result_real(c, "a", 1.5);
	json_t *jb = fn_result_real(c, "b", x); /* recorded first */
	json_t *jc = fn_result_real(c, "c", -x);

	*out = json_pack("{s:o, s:o, s:o}", "a", ja, "b", jb, "c", jc);
	return *out ? 0 : -1;
}

static int run_reals(double x, const char *how, json_t **result,
                     struct sopm_err *err)
{
	struct fn_def def = {"r",  FN_CAT_math, "math", h_reals,
	                     "{}", "",          "{}",   "{}"};
	json_t *schema = json_object();
	struct fn_entry e = {.def = &def, .schema = schema};
	json_t *in = json_pack("{s:f, s:s}", "x", x, "how", how);
	uint64_t us;
	int rc;

	*result = NULL;
	rc = fn_dispatch(&e, in, ctx, result, &us, err);
	json_decref(in);
	json_decref(schema);
	return rc;
}

/* A result that is not a finite number never leaves fn_dispatch: it is a
 * 400 naming the first such member, and the next call starts clean. */
static void test_nonfinite_results(void **state)
{
	struct sopm_err err;
	json_t *out;
	(void)state;

	assert_int_equal(run_reals(2.0, "inf", &out, &err), -1);
	assert_null(out);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_int_equal(sopm_err_status(err.code), 400);
	assert_string_equal(err.msg,
	                    "result 'b' is not a finite number (overflow)");
	assert_int_equal(run_reals(2.0, "nan", &out, &err), -1);
	assert_string_equal(err.msg,
	                    "result 'b' is not a finite number (undefined)");
	assert_int_equal(run_reals(2.0, "as is", &out, &err), 0);
	assert_true(json_real_value(json_object_get(out, "b")) == 2.0);
	assert_true(json_real_value(json_object_get(out, "c")) == -2.0);
	json_decref(out);
	/* the bare-number form */
	json_t *j = fn_result_real(ctx, NULL, -HUGE_VAL);
	assert_true(json_is_null(j));
	json_decref(j);
	assert_int_equal(fn_result_check(ctx, &err), -1);
	assert_string_equal(err.msg,
	                    "the result is not a finite number (overflow)");
	fn_result_reset(ctx);
	assert_int_equal(fn_result_check(ctx, &err), 0);
	struct fn_num i = num_int(7), d = num_float(0.5);
	j = fn_result_num(ctx, "n", &i);
	assert_true(json_is_integer(j) && json_integer_value(j) == 7);
	json_decref(j);
	j = fn_result_num(ctx, "n", &d);
	assert_true(json_is_real(j) && json_real_value(j) == 0.5);
	json_decref(j);
	assert_int_equal(fn_result_check(ctx, &err), 0);
}

/* fn_ctx_new copies the limits (http_allow too), fn_limits_from_config
 * reads the catalog.* keys, and each thread's ctx is its own. */
static void test_ctx_and_limits(void **state)
{
	struct sopm_config cfg;
	struct fn_limits l;
	struct fn_ctx *a, *b;
	struct sopm_err err;
	char allow[32] = "x.example,10.0.0.1";
	(void)state;

	assert_int_equal(sopm_config_load(&cfg, NULL, &err), 0);
	fn_limits_from_config(&l, &cfg);
	assert_int_equal(l.sleep_max_ms, 10000);
	assert_int_equal(l.http_max_response, 1048576);
	assert_string_equal(l.http_allow, "");
	l.http_allow = allow;
	a = fn_ctx_new(&l, &err);
	b = fn_ctx_new(&limits, &err);
	assert_non_null(a);
	assert_non_null(b);
	allow[0] = 'y'; /* the ctx holds a copy */
	assert_string_equal(a->limits.http_allow, "x.example,10.0.0.1");
	assert_string_equal(b->limits.http_allow, "a.example");
	assert_int_equal(a->limits.sleep_max_ms, 10000);
	assert_ptr_not_equal(a, b);
	fn_ctx_free(a);
	fn_ctx_free(b);
	fn_ctx_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_required_functions_present),
	    cmocka_unit_test(test_examples_are_true),
	    cmocka_unit_test(test_schema_checked_before_handler),
	    cmocka_unit_test(test_handler_failures_are_internal),
	    cmocka_unit_test(test_arg_helpers),
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test(test_nonfinite_results),
	    cmocka_unit_test(test_ctx_and_limits),
	};
	return cmocka_run_group_tests_name("dispatch", tests, setup, teardown);
}
