/* The one error type and its mapping to HTTP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sopm_err.h"

static void test_mapping(void **state)
{
	static const struct {
		enum sopm_code code;
		int status;
		const char *name;
	} want[] = {
	    {SOPM_E_INVALID_JSON, 400, "invalid_json"},
	    {SOPM_E_INVALID_INPUT, 400, "invalid_input"},
	    {SOPM_E_UNAUTHORIZED, 401, "unauthorized"},
	    {SOPM_E_NOT_FOUND, 404, "not_found"},
	    {SOPM_E_METHOD_NOT_ALLOWED, 405, "method_not_allowed"},
	    {SOPM_E_CONFLICT, 409, "conflict"},
	    {SOPM_E_PAYLOAD_TOO_LARGE, 413, "payload_too_large"},
	    {SOPM_E_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type"},
	    {SOPM_E_RATE_LIMITED, 429, "rate_limited"},
	    {SOPM_E_FUNCTION_ERROR, 502, "function_error"},
	    {SOPM_E_UNAVAILABLE, 503, "unavailable"},
	    {SOPM_E_TIMEOUT, 504, "timeout"},
	    {SOPM_E_INTERNAL, 500, "internal"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		assert_int_equal(sopm_err_status(want[i].code), want[i].status);
		assert_string_equal(sopm_err_name(want[i].code), want[i].name);
		assert_true(strlen(sopm_err_default_message(want[i].code)) > 0);
	}
	assert_int_equal(sopm_err_status((enum sopm_code)999), 500);
	assert_string_equal(sopm_err_name((enum sopm_code) - 1), "internal");
}

static void test_set_and_clear(void **state)
{
	struct sopm_err e;
	(void)state;

	assert_int_equal(sopm_err_set(&e, SOPM_E_INVALID_INPUT,
	                              "field '%s' must be a string", "text"),
	                 -1);
	assert_int_equal(e.code, SOPM_E_INVALID_INPUT);
	assert_string_equal(e.msg, "field 'text' must be a string");
	assert_int_equal(sopm_err_code(&e, SOPM_E_NOT_FOUND), -1);
	assert_string_equal(e.msg, "not found");
	sopm_err_clear(&e);
	assert_int_equal(e.code, SOPM_E_OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(sopm_err_set(NULL, SOPM_E_INTERNAL, "x"), -1);
}

static void test_message_truncated(void **state)
{
	struct sopm_err e;
	char big[1000];
	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sopm_err_set(&e, SOPM_E_INVALID_INPUT, "%s", big);
	assert_int_equal(strlen(e.msg), SOPM_ERR_MSG_MAX - 1);
}

/* A cut never leaves half a UTF-8 sequence: messages quote user text and
 * must stay encodable as JSON strings. */
static void test_message_truncated_utf8(void **state)
{
	struct sopm_err e;
	char big[1000] = "";
	(void)state;
	for (int lead = 0; lead < 4; lead++) {
		/* Shift the 2-byte sequences so that every cut point is met. */
		memset(big, 'a', (size_t)lead);
		big[lead] = '\0';
		for (int i = 0; i < 300; i++)
			strcat(big, "\xc3\xa9"); /* U+00E9 */
		sopm_err_set(&e, SOPM_E_NOT_FOUND, "%s", big);
		assert_true(strlen(e.msg) >= SOPM_ERR_MSG_MAX - 2);
		assert_true((strlen(e.msg) - (size_t)lead) % 2 == 0);
	}
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 200; i++)
		strcat(big, "\xf0\x9f\x98\x80"); /* U+1F600, 4 bytes */
	sopm_err_set(&e, SOPM_E_NOT_FOUND, "x%s", big);
	assert_true((strlen(e.msg) - 1) % 4 == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mapping),
	    cmocka_unit_test(test_set_and_clear),
	    cmocka_unit_test(test_message_truncated),
	    cmocka_unit_test(test_message_truncated_utf8),
	};
	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
