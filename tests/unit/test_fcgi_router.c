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
    {"GET", "/", h_a, 0, NULL, NULL, NULL, NULL},
    {"GET", "/api/functions", h_a, 0, NULL, NULL, NULL, NULL},
    {"GET", "/api/functions/:name", h_a, 0, NULL, NULL, NULL, NULL},
    {"POST", "/api/execute", h_a, 0, NULL, NULL, NULL, NULL},
    {"GET", "/api/user-functions/:id", h_a, 0, NULL, NULL, NULL, NULL},
    {"PUT", "/api/user-functions/:id", h_a, 0, NULL, NULL, NULL, NULL},
    {"DELETE", "/api/user-functions/:id", h_a, 0, NULL, NULL, NULL, NULL},
    {"POST", "/api/user-functions/:id/execute", h_a, 0, NULL, NULL, NULL, NULL},
    {"GET", "/api/stats", h_a, 0, NULL, NULL, NULL, NULL},
};

static const struct fcgi_route *match(const char *method, const char *path,
                                      const char *params[2], char *allow)
{
	static char segments[256];
	return fcgi_router_match(table, sizeof(table) / sizeof(*table), method,
	                         path, segments, sizeof(segments), params,
	                         allow, 64);
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

/* Field report: "..%2f" in a parameter reached /api/stats once nginx had
 * decoded and normalised the path. Routing is on the raw path now. */
static void test_encoded_segments(void **state)
{
	const char *p[2] = {NULL, NULL};
	char allow[64];
	(void)state;

	assert_null(match("GET", "/api/functions/..%2fstats", p, allow));
	assert_null(match("GET", "/api/functions/..%2Fstats", p, allow));
	assert_null(match("GET", "/api/functions/a%2fb", p, allow));
	assert_null(match("GET", "/api/functions/..", p, allow));
	assert_null(match("GET", "/api/functions/.", p, allow));
	assert_null(match("GET", "/api/functions/%2e%2e", p, allow));
	assert_null(match("GET", "/api/functions/%2E", p, allow));
	assert_null(match("GET", "/api/functions/../../api/stats", p, allow));
	assert_null(match("GET", "/api/functions/../stats", p, allow));
	assert_null(match("GET", "/api/functions/a%00b", p, allow));
	assert_null(match("GET", "/api/functions/a%zz", p, allow));
	assert_null(match("GET", "/api/functions/a%2", p, allow));
	assert_null(match("GET", "/api/functions/%", p, allow));
	assert_null(
	    match("GET", "/api/user-functions/..%2f1/execute", p, allow));
	assert_string_equal(allow, "");
	/* Escapes of other characters decode; '+' is literal in a path. */
	assert_ptr_equal(match("GET", "/api/functions/word%5Fcount", p, allow),
	                 &table[2]);
	assert_string_equal(p[0], "word_count");
	assert_ptr_equal(match("GET", "/api/functions/a+b%20c", p, allow),
	                 &table[2]);
	assert_string_equal(p[0], "a+b c");
	assert_ptr_equal(match("GET", "/api/%66unctions", p, allow), &table[1]);
	assert_ptr_equal(match("GET", "/api/functions/...", p, allow),
	                 &table[2]);
	assert_string_equal(p[0], "...");
}

static void test_reason_phrases(void **state)
{
	(void)state;
	assert_string_equal(fcgi_reason_phrase(200), "OK");
	assert_string_equal(fcgi_reason_phrase(405), "Method Not Allowed");
	assert_string_equal(fcgi_reason_phrase(999), "Unknown");
	assert_string_equal(fcgi_reason_phrase(-1), "Unknown");
	/* Every status of the error map has its phrase. */
#define HAS_PHRASE(e, status, name, msg)                                       \
	assert_string_not_equal(fcgi_reason_phrase(status), "Unknown");
	SOPM_ERR_MAP(HAS_PHRASE)
#undef HAS_PHRASE
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_and_params),
	    cmocka_unit_test(test_not_found),
	    cmocka_unit_test(test_method_not_allowed),
	    cmocka_unit_test(test_encoded_segments),
	    cmocka_unit_test(test_reason_phrases),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
