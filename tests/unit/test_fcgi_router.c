/* Router: pattern matching, parameters, 404 and 405 with Allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fcgi_router.h"

static int h_a(struct fcgi_req *r, struct sopm_err *e)
{
	(void)r;
	(void)e;
	return 0;
}

static struct fcgi_route table[] = {
    {"GET", "/", h_a, NULL, NULL},
    {"GET", "/api/functions", h_a, NULL, NULL},
    {"GET", "/api/functions/:name", h_a, NULL, NULL},
    {"POST", "/api/execute", h_a, NULL, NULL},
    {"GET", "/api/user-functions/:id", h_a, NULL, NULL},
    {"PUT", "/api/user-functions/:id", h_a, NULL, NULL},
    {"DELETE", "/api/user-functions/:id", h_a, NULL, NULL},
    {"POST", "/api/user-functions/:id/execute", h_a, NULL, NULL},
};

static const struct fcgi_route *match(const char *method, const char *path,
                                      const char *params[2], char *allow)
{
	static char copy[256];
	strcpy(copy, path);
	return fcgi_router_match(table, sizeof(table) / sizeof(*table), method,
	                         copy, params, allow, 64);
}

static void test_exact_and_params(void **state)
{
	const char *p[2] = {NULL, NULL};
	char allow[64];
	(void)state;

	assert_ptr_equal(match("GET", "/api/functions", p, allow), &table[1]);
	assert_ptr_equal(match("GET", "/api/functions/", p, allow), &table[1]);
	assert_ptr_equal(match("GET", "/api/functions/echo", p, allow),
	                 &table[2]);
	assert_string_equal(p[0], "echo");
	assert_ptr_equal(
	    match("POST", "/api/user-functions/7/execute", p, allow),
	    &table[7]);
	assert_string_equal(p[0], "7");
	assert_ptr_equal(match("GET", "/", p, allow), &table[0]);
}

static void test_not_found(void **state)
{
	const char *p[2] = {NULL, NULL};
	char allow[64];
	(void)state;

	assert_null(match("GET", "/api/nothing", p, allow));
	assert_string_equal(allow, "");
	assert_null(match("GET", "/api/functions/a/b", p, allow));
	assert_null(match("GET", "/api//functions", p, allow));
	assert_null(match("GET", "api/functions", p, allow));
	assert_null(match("GET", "/a/b/c/d/e/f/g/h/i/j", p, allow));
}

static void test_method_not_allowed(void **state)
{
	const char *p[2] = {NULL, NULL};
	char allow[64];
	(void)state;

	assert_null(match("GET", "/api/execute", p, allow));
	assert_string_equal(allow, "POST");
	assert_null(match("POST", "/api/user-functions/3", p, allow));
	assert_string_equal(allow, "GET, HEAD, PUT, DELETE");
	/* HEAD is served by GET routes. */
	assert_ptr_equal(match("HEAD", "/api/functions", p, allow), &table[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_and_params),
	    cmocka_unit_test(test_not_found),
	    cmocka_unit_test(test_method_not_allowed),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
