/* fn_test.h - helpers for the cmocka tests of catalog functions. Every call
 * goes through the public API (fn_catalog_find + fn_dispatch), so the
 * declared schema is exercised together with the handler.
 *
 * It includes what cmocka needs; every helper is static inline. */
#ifndef FN_TEST_H
#define FN_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "fn.h"

static const struct fn_limits test_limits = {
    .sleep_max_ms = 10, .http_max_response = 1 << 20, .http_allow = ""};

/* The test thread's context (the tests call from one thread). */
static struct fn_ctx *test_ctx;

static inline int fn_group_setup(void **state)
{
	struct sopm_err err = {0};

	(void)state;
	if (fn_catalog_init(&err) != 0) {
		print_error("fn_catalog_init: %s\n", err.msg);
		return -1;
	}
	test_ctx = fn_ctx_new(&test_limits, &err);
	if (test_ctx == NULL) {
		print_error("fn_ctx_new: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static inline int fn_group_teardown(void **state)
{
	(void)state;
	fn_ctx_free(test_ctx);
	test_ctx = NULL;
	fn_catalog_free();
	return 0;
}

/* Dispatches fn with input (borrowed). Returns the rc of fn_dispatch; on
 * success *result holds a NEW reference. */
static inline int fn_call_json(const char *fn, const json_t *input,
                               json_t **result, struct sopm_err *err)
{
	const struct fn_entry *e = fn_catalog_find(fn);
	uint64_t us = 0;

	assert_non_null(e);
	*result = NULL;
	sopm_err_clear(err);
	return fn_dispatch(e, input, test_ctx, result, &us, err);
}

/* As fn_call_json with the input as JSON text (U+0000 allowed). */
static inline int fn_call(const char *fn, const char *input, json_t **result,
                          struct sopm_err *err)
{
	json_error_t jerr;
	json_t *in = json_loads(input, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	int rc;

	if (in == NULL)
		fail_msg("bad test input %s: %s", input, jerr.text);
	rc = fn_call_json(fn, in, result, err);
	json_decref(in);
	return rc;
}

/* Fails unless result equals the JSON text want (types must match too:
 * 1 and 1.0 differ, as in Python's json.dumps). */
static inline void fn_assert_json(const char *what, const json_t *result,
                                  const char *want)
{
	json_error_t jerr;
	json_t *w = json_loads(want, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

	if (w == NULL)
		fail_msg("bad expected JSON for %s: %s", what, jerr.text);
	if (!json_equal((json_t *)result, w)) {
		char *got = json_dumps(result, JSON_ENCODE_ANY);
		print_error("%s\n  want: %s\n  got:  %s\n", what, want,
		            got ? got : "(null)");
		free(got);
		json_decref(w);
		fail();
	}
	json_decref(w);
}

/* Fails unless fn(input) is a 400 invalid_input naming field. */
static inline void fn_check_error_json(const char *fn, const json_t *input,
                                       const char *field)
{
	struct sopm_err err;
	json_t *out = NULL;
	char quoted[128];

	if (fn_call_json(fn, input, &out, &err) == 0) {
		json_decref(out);
		fail_msg("%s: expected an error naming '%s'", fn, field);
	}
	assert_null(out);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	assert_int_equal(sopm_err_status(err.code), 400);
	snprintf(quoted, sizeof(quoted), "'%s", field);
	if (strstr(err.msg, quoted) == NULL)
		fail_msg("%s: message \"%s\" does not name '%s'", fn, err.msg,
		         field);
}

static inline void fn_check_error(const char *fn, const char *input,
                                  const char *field)
{
	json_error_t jerr;
	json_t *in = json_loads(input, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

	if (in == NULL)
		fail_msg("bad test input %s: %s", input, jerr.text);
	fn_check_error_json(fn, in, field);
	json_decref(in);
}

/* Lowercase hex SHA-256 of s[0..n) into hex[65], for checking big outputs
 * against hashlib without pasting them. */
static inline void fn_sha256_hex(const char *s, size_t n, char hex[65])
{
	unsigned char md[32];

	assert_int_equal(EVP_Digest(s, n, md, NULL, EVP_sha256(), NULL), 1);
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The tests' pseudo-random numbers (PCG multiplier), mirrored by lcg() in
 * tests/gen_golden.py. */
static inline uint64_t fn_lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

/* unit repeated and cut at n code points, as a NEW json string; mirrored
 * by big_text() in tests/gen_golden.py. */
static inline json_t *fn_big_text(const char *unit, size_t n)
{
	size_t ulen = strlen(unit), cap = n * 4 + 1, o = 0, i = 0;
	char *buf = malloc(cap);
	json_t *s;

	assert_non_null(buf);
	for (size_t cp = 0; cp < n; cp++) {
		do {
			buf[o++] = unit[i];
			i = (i + 1) % ulen;
		} while (((unsigned char)unit[i] & 0xc0) == 0x80);
	}
	s = json_stringn(buf, o);
	free(buf);
	assert_non_null(s);
	return s;
}

#endif
