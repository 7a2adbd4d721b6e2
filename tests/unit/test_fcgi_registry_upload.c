/* Upload rules of user functions (registry_upload.h): names, file paths,
 * env, handler, sizes, duplicates, and the code's SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry_upload.h"

/* Checks body (a JSON text) as the pipeline would; returns the rc and the
 * error message in msg. */
static int check(const char *body, char msg[SOPM_ERR_MSG_MAX])
{
	struct fcgi_req req;
	struct sopm_err err = {SOPM_E_OK, ""};
	int rc;

	memset(&req, 0, sizeof(req));
	req.body = strdup(body);
	req.json = json_loads(body, JSON_ALLOW_NUL, NULL);
	assert_non_null(req.json);
	rc = registry_upload_check(&req, &err);
	if (rc != 0)
		assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	memcpy(msg, err.msg, SOPM_ERR_MSG_MAX);
	json_decref(req.json);
	free(req.body);
	return rc;
}

static void accepts(const char *body)
{
	char msg[SOPM_ERR_MSG_MAX];
	if (check(body, msg) != 0)
		fail_msg("refused %s: %s", body, msg);
}

static void refuses(const char *body, const char *field)
{
	char msg[SOPM_ERR_MSG_MAX];
	assert_int_equal(check(body, msg), -1);
	if (strstr(msg, field) == NULL)
		fail_msg("%s: message '%s' does not name '%s'", body, msg,
		         field);
}

static void test_names(void **state)
{
	(void)state;
	accepts("{\"name\":\"a\",\"runtime\":\"c\",\"code\":\"x\"}");
	accepts("{\"name\":\"a-b_9\",\"runtime\":\"c\",\"code\":\"x\"}");
	refuses("{\"name\":\"A\",\"runtime\":\"c\",\"code\":\"x\"}", "name");
	refuses("{\"name\":\"9a\",\"runtime\":\"c\",\"code\":\"x\"}", "name");
	refuses("{\"name\":\"a.b\",\"runtime\":\"c\",\"code\":\"x\"}", "name");
	refuses("{\"name\":\"a b\",\"runtime\":\"c\",\"code\":\"x\"}", "name");
}

static void test_paths(void **state)
{
	static const char *const bad[] = {
	    "/etc/passwd", "..",      "a/../b",
	    "./a",         "a//b",    "a/",
	    "a b",         "a\\\\b",  "",
	    "a/./b",       "main.py", "1/2/3/4/5/6/7/8/9"};
	char body[256];

	(void)state;
	accepts("{\"runtime\":\"python3\",\"code\":\"x\",\"files\":"
	        "{\"lib/util.py\":\"y\",\"data.json\":\"{}\",\".env\":\"\"}}");
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(body, sizeof(body),
		         "{\"runtime\":\"python3\",\"code\":\"x\","
		         "\"files\":{\"%s\":\"y\"}}",
		         bad[i]);
		refuses(body, "files");
	}
	refuses("{\"code\":\"x\",\"files\":{\"a\":\"y\",\"a\":\"z\"}}",
	        "twice");
	refuses("{\"code\":\"x\",\"files\":{\"a\":\"y\\u0000\"}}", "files");
}

static void test_code_and_sizes(void **state)
{
	size_t n = REGISTRY_MAX_CODE_BYTES;
	char *body = malloc(n + 64);

	(void)state;
	refuses("{\"code\":\"a\\u0000\"}", "code");
	/* code plus files: exactly the limit passes, one byte more fails */
	strcpy(body, "{\"code\":\"");
	memset(body + 9, 'x', n - 1);
	strcpy(body + 9 + n - 1, "\",\"files\":{\"f\":\"y\"}}");
	accepts(body);
	strcpy(body + 9 + n - 1, "\",\"files\":{\"f\":\"yz\"}}");
	refuses(body, "code");
	free(body);
}

static void test_env_and_handler(void **state)
{
	(void)state;
	accepts("{\"code\":\"x\",\"env\":{\"A_1\":\"v\",\"_b\":\"\"}}");
	refuses("{\"code\":\"x\",\"env\":{\"1A\":\"v\"}}", "env");
	refuses("{\"code\":\"x\",\"env\":{\"A-B\":\"v\"}}", "env");
	refuses("{\"code\":\"x\",\"env\":{\"SOPM_X\":\"v\"}}", "env");
	refuses("{\"code\":\"x\",\"env\":{\"A\":\"v\\u0000\"}}", "env");
	accepts("{\"runtime\":\"python3\",\"code\":\"x\",\"handler\":"
	        "\"util.run\"}");
	refuses("{\"runtime\":\"node\",\"code\":\"x\",\"handler\":"
	        "\"util.run\"}",
	        "handler");
	refuses("{\"runtime\":\"c\",\"code\":\"x\",\"handler\":\"1x\"}",
	        "handler");
}

/* The hash of python3 -c 'hashlib.sha256(json.dumps({"code": "x",
 * "files": {"b.py": "2", "a.py": "é"}}, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()' */
static void test_sha256(void **state)
{
	json_t *u = json_loads("{\"code\":\"x\",\"files\":{\"b.py\":\"2\","
	                       "\"a.py\":\"\\u00e9\"}}",
	                       0, NULL);
	char sha[65];

	(void)state;
	assert_int_equal(registry_upload_sha256(u, sha), 0);
	assert_string_equal(
	    sha,
	    "5862779063c22caca6af24826fce4b59b0bd3d27633ebb7c8f8d4d5737dbdeed");
	json_decref(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_code_and_sizes),
	    cmocka_unit_test(test_env_and_handler),
	    cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
