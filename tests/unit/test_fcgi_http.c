/* The response side of fcgi_http: what a handler's failed json_pack gives,
 * and the query-string reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fcgi_http.h"

/* A json_pack that ran out of memory hands fcgi_resp_json a NULL body: that
 * is a 500 with the error body, never a 200 with an empty one. */
static void test_null_body_is_500(void **state)
{
	struct fcgi_req req;
	(void)state;

	memset(&req, 0, sizeof(req));
	fcgi_resp_json(&req, 200, NULL);
	assert_int_equal(req.status, 500);
	assert_non_null(req.resp_text);
	assert_non_null(strstr(req.resp_text, "\"code\":\"internal\""));
	fcgi_req_free(&req);
}

static void test_query_get(void **state)
{
	char out[8];
	(void)state;

	assert_int_equal(fcgi_query_get("a=1&b=x+y%21", "b", out, sizeof(out)),
	                 4);
	assert_string_equal(out, "x y!");
	assert_int_equal(fcgi_query_get("ab=1&a", "a", out, sizeof(out)), 0);
	assert_int_equal(fcgi_query_get("ab=1", "a", out, sizeof(out)), -1);
	assert_int_equal(fcgi_query_get("", "a", out, sizeof(out)), -1);
	/* First one wins; %00 is a byte of the value. */
	assert_int_equal(fcgi_query_get("a=%00z&a=2", "a", out, sizeof(out)),
	                 2);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'z');
	/* A bad escape stays as it is. */
	assert_int_equal(fcgi_query_get("a=%zz%4", "a", out, sizeof(out)), 5);
	assert_string_equal(out, "%zz%4");
	/* 7 bytes fit in 8, 8 do not. */
	assert_int_equal(fcgi_query_get("a=1234567", "a", out, sizeof(out)), 7);
	assert_int_equal(fcgi_query_get("a=12345678", "a", out, sizeof(out)),
	                 -2);
}

/* The field of a parse error that jansson reports by byte position. */
static void test_json_member_at(void **state)
{
	const char *b = "{\"name\":\"x\",\"files\":{\"a\":\"{\\\"q\\\":1}\","
	                "\"a\"";
	char member[16], token[16];
	(void)state;

	assert_int_equal(fcgi_json_member_at(b, strlen(b), strlen(b), member,
	                                     sizeof(member), token,
	                                     sizeof(token)),
	                 0);
	assert_string_equal(member, "files");
	assert_string_equal(token, "a");
	/* A duplicated top-level key names itself. */
	b = "{\"memory_mb\":1,\"memory_mb\"";
	assert_int_equal(fcgi_json_member_at(b, strlen(b), strlen(b), member,
	                                     sizeof(member), token,
	                                     sizeof(token)),
	                 0);
	assert_string_equal(member, "memory_mb");
	assert_string_equal(token, "memory_mb");
	/* Escaped key; array values do not look like keys. */
	b = "{\"e\\u006ev\":{\"A\":[\"x\",\"y\"],\"A\"";
	assert_int_equal(fcgi_json_member_at(b, strlen(b), strlen(b), member,
	                                     sizeof(member), NULL, 0),
	                 0);
	assert_string_equal(member, "env");
	/* No member yet, a name with NUL, or one too long: -1. */
	assert_int_equal(
	    fcgi_json_member_at("{", 1, 1, member, sizeof(member), NULL, 0),
	    -1);
	b = "{\"a\\u0000\":1";
	assert_int_equal(fcgi_json_member_at(b, strlen(b), strlen(b), member,
	                                     sizeof(member), NULL, 0),
	                 -1);
	b = "{\"abcdefghijklmnopqrstuvwxyz\":1";
	assert_int_equal(fcgi_json_member_at(b, strlen(b), strlen(b), member,
	                                     sizeof(member), NULL, 0),
	                 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_null_body_is_500),
	    cmocka_unit_test(test_query_get),
	    cmocka_unit_test(test_json_member_at),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
