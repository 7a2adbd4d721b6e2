/* test_fn_weba.c - what only C reaches in hmac, the jwt functions and the
 * network guard: the address classifier, Python's float repr, inputs at
 * the declared limits, and the guard's refusals (no network needed: they
 * happen before any connection). Cases against the Python references run
 * over HTTP (tests/refs/weba.py, tests/integration/test_network_functions.py).
 */
#include "fn_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "web/net.h"
#include "web/pyjson.h"

#define BIG_UNIT "Σίσυφος ΟΔΟΣ İstanbul 中文 café x1 straße 😀\n"

/* hmac.new(big_text(100000), big_text(1000000), alg) in Python. */
#define BIG_HMAC_SHA256                                                        \
	"8f46df378e482075b2926e96492cd31dffa2463a0aed649a1f2fdef66719b2ca"
#define BIG_HMAC_BLAKE2B                                                       \
	"888cae4eb9cb1261ca3fac291c34c78b05267074d566f2cbe534b3e745d0e6a9"     \
	"888192673534144abcb9ceb0081ab4623a05dcc7e2ac1a31b21b63794814dd9f"

static const char *refusal_of(const char *text)
{
	struct sockaddr_in in4 = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};

	if (inet_pton(AF_INET, text, &in4.sin_addr) == 1)
		return net_addr_refusal((struct sockaddr *)&in4);
	assert_int_equal(inet_pton(AF_INET6, text, &in6.sin6_addr), 1);
	return net_addr_refusal((struct sockaddr *)&in6);
}

static void test_addresses(void **state)
{
	static const char *const global[] = {
	    "8.8.8.8",         "1.1.1.1",         "100.63.255.255",
	    "100.128.0.0",     "172.15.255.255",  "172.32.0.0",
	    "192.167.1.1",     "223.255.255.255", "2606:4700::1111",
	    "2a00:1450::1",    "::ffff:8.8.8.8",  "64:ff9b::808:808",
	    "2002:808:808::1", "2001:200::1",     "2400:cb00::1",
	};
	static const struct {
		const char *addr, *why;
	} refused[] = {
	    {"0.0.0.0", "unspecified ('this network')"},
	    {"0.1.2.3", "unspecified ('this network')"},
	    {"127.0.0.1", "loopback"},
	    {"127.255.255.254", "loopback"},
	    {"10.0.0.1", "private"},
	    {"172.16.0.1", "private"},
	    {"172.31.255.255", "private"},
	    {"192.168.1.1", "private"},
	    {"100.64.0.1", "shared (CGNAT)"},
	    {"100.127.255.255", "shared (CGNAT)"},
	    {"169.254.169.254", "link-local"},
	    {"192.0.0.8", "reserved (IETF protocol assignments)"},
	    {"192.0.2.1", "documentation"},
	    {"198.18.0.1", "benchmarking"},
	    {"224.0.0.1", "multicast"},
	    {"239.255.255.250", "multicast"},
	    {"240.0.0.1", "reserved (or broadcast)"},
	    {"255.255.255.255", "reserved (or broadcast)"},
	    {"::", "unspecified"},
	    {"::1", "loopback"},
	    {"::ffff:127.0.0.1", "loopback"},
	    {"::ffff:10.1.1.1", "private"},
	    {"::127.0.0.1", "reserved"},
	    {"64:ff9b::7f00:1", "loopback"},
	    {"64:ff9b:1::1", "reserved (local-use NAT64)"},
	    {"2002:7f00:1::1", "loopback"},
	    {"2002:a9fe:a9fe::", "link-local"},
	    {"fe80::1", "link-local"},
	    {"febf::1", "link-local"},
	    {"fec0::1", "site-local"},
	    {"fc00::1", "unique-local"},
	    {"fdff:ffff::1", "unique-local"},
	    {"ff02::1", "multicast"},
	    {"100::1", "reserved (discard-only)"},
	    {"2001::1", "reserved (Teredo)"},
	    {"2001:10::1", "reserved (IETF protocol assignments)"},
	    {"2001:db8::1", "documentation"},
	    {"3fff::1", "documentation"},
	    {"4000::1", "reserved"},
	};
	struct sockaddr_un_like {
		sa_family_t family;
		char path[32];
	} unix_addr = {AF_UNIX, "x"};

	(void)state;
	for (size_t i = 0; i < sizeof(global) / sizeof(*global); i++)
		if (refusal_of(global[i]) != NULL)
			fail_msg("%s refused: %s", global[i],
			         refusal_of(global[i]));
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		const char *why = refusal_of(refused[i].addr);
		if (why == NULL || strcmp(why, refused[i].why) != 0)
			fail_msg("%s: want %s, got %s", refused[i].addr,
			         refused[i].why, why ? why : "(allowed)");
	}
	assert_non_null(net_addr_refusal((struct sockaddr *)&unix_addr));
}

static void test_float_repr(void **state)
{
	static const struct {
		double d;
		const char *repr;
	} cases[] = {
	    {0.1, "0.1"},
	    {1e16, "1e+16"},
	    {1e15, "1000000000000000.0"},
	    {1e-5, "1e-05"},
	    {1e-4, "0.0001"},
	    {5e-324, "5e-324"},
	    {1.7976931348623157e308, "1.7976931348623157e+308"},
	    {-0.0, "-0.0"},
	    {0.0, "0.0"},
	    {123456789.125, "123456789.125"},
	    {2.5, "2.5"},
	    {1.0 / 3, "0.3333333333333333"},
	    {-1e-7, "-1e-07"},
	    {1e22, "1e+22"},
	    {9007199254740993.0, "9007199254740992.0"},
	    {100.0, "100.0"},
	    {1234567890123456.7, "1234567890123456.8"},
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pyjson_float_repr(cases[i].d, out);
		assert_string_equal(out, cases[i].repr);
	}
}

/* The guard refuses before connecting: nothing here needs a network. */
static void test_guard_refuses(void **state)
{
	static const char *const urls[] = {
	    "http://127.0.0.1/",
	    "http://localhost:8080/",
	    "http://a.localhost/",
	    "http://127.1/",
	    "http://0x7f.1/",
	    "http://2130706433/",
	    "http://017700000001/",
	    "http://[::1]/",
	    "http://[::ffff:127.0.0.1]/",
	    "http://0.0.0.0/",
	    "https://10.0.0.1/",
	    "http://[fe80::1%25lo]/",
	    "file:///etc/passwd",
	    "gopher://example.com/",
	    "dict://example.com/",
	    "ftp://example.com/",
	    "javascript:alert(1)",
	    "not a url",
	    "http://",
	    "/relative",
	};
	char in[256];

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(*urls); i++) {
		snprintf(in, sizeof(in), "{\"url\": \"%s\"}", urls[i]);
		fn_check_error("http_request", in, "url");
		fn_check_error("url_check", in, "url");
		snprintf(in, sizeof(in), "{\"url\": \"%s\", \"payload\": {}}",
		         urls[i]);
		fn_check_error("webhook", in, "url");
	}
	fn_check_error("http_request",
	               "{\"url\": \"http://x/\", \"timeout_ms\": 30001}",
	               "timeout_ms");
	fn_check_error("http_request",
	               "{\"url\": \"http://x/\", \"method\": \"TRACE\"}",
	               "method");
	fn_check_error("http_request",
	               "{\"url\": \"http://x/\", \"method\": \"HEAD\", "
	               "\"body\": \"b\"}",
	               "body");
	fn_check_error("webhook", "{\"url\": \"http://x/\"}", "payload");
}

/* With an allow-list entry the guard lets the URL through: what fails
 * then is the connection (nothing listens on port 1), not the guard. */
static void test_allow_list(void **state)
{
	static const struct {
		const char *allow, *url;
		int guard; /* 1: refused by the guard */
	} cases[] = {
	    {"127.0.0.1:1", "http://127.0.0.1:1/", 0},
	    {"127.0.0.1:1", "http://127.1:1/", 0},
	    {"127.0.0.1:2", "http://127.0.0.1:1/", 1},
	    {"127.0.0.1", "http://127.0.0.1:1/", 0},
	    {" x.example , LOCALHOST. ", "http://localhost:1/", 0},
	    {"localhost", "http://127.0.0.1:1/", 1},
	    {"[::1]:1", "http://[::1]:1/", 0},
	    {"[::1]:1", "http://[::2]:1/", 1},
	    {"", "http://[::1]:1/", 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct fn_limits lim = test_limits;
		struct sopm_err err = {0};
		struct fn_ctx *ctx;
		json_t *in = json_pack("{s:s,s:i}", "url", cases[i].url,
		                       "timeout_ms", 2000),
		       *out = NULL;
		uint64_t us;
		int rc;

		lim.http_allow = cases[i].allow;
		ctx = fn_ctx_new(&lim, &err);
		assert_non_null(ctx);
		rc = fn_dispatch(fn_catalog_find("http_request"), in, ctx, &out,
		                 &us, &err);
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err.msg, "'url'"));
		if ((strstr(err.msg, "not a global address") != NULL) !=
		    cases[i].guard)
			fail_msg("allow '%s', %s: %s", cases[i].allow,
			         cases[i].url, err.msg);
		json_decref(in);
		fn_ctx_free(ctx);
	}
}

/* RFC 4231 section 4: the cases whose key and data are UTF-8 text (1, 2
 * and 5; case 5's output is given cut to 128 bits). The others have keys
 * or data of bytes 0xaa, 0xcd or 0xdd, which no text encodes to. */
static void test_hmac_rfc4231(void **state)
{
	static const char *const algs[] = {"sha224", "sha256", "sha384",
	                                   "sha512"};
	static const char *const want[3][4] = {
	    {"896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
	     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	     "faea9ea9076ede7f4af152e8b2fa9cb6",
	     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a12685"
	     "4"},
	    {"a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
	     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	     "8e2240ca5e69e2c78b3239ecfab21649",
	     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce73"
	     "7"},
	    {"0e2aea68a90c8d37c988bcdb9fca6fa8",
	     "a3b6167473100ee06e0c796c2955552b",
	     "3abf34c3503b2a23a46efc619baef897",
	     "415fad6271580a531d4179bc891d87a6"},
	};
	char k1[21], k5[21];

	(void)state;
	memset(k1, 0x0b, 20);
	memset(k5, 0x0c, 20);
	k1[20] = k5[20] = '\0';
	for (size_t a = 0; a < 4; a++) {
		const char *keys[3] = {k1, "Jefe", k5};
		const char *texts[3] = {"Hi There",
		                        "what do ya want for nothing?",
		                        "Test With Truncation"};
		for (size_t c = 0; c < 3; c++) {
			json_t *in = json_pack("{s:s,s:s,s:s}", "key", keys[c],
			                       "text", texts[c], "algorithm",
			                       algs[a]),
			       *out = NULL;
			struct sopm_err err;
			assert_int_equal(fn_call_json("hmac", in, &out, &err),
			                 0);
			if (strncmp(json_string_value(out), want[c][a],
			            strlen(want[c][a])) != 0)
				fail_msg("RFC 4231 case %d %s: %s",
				         (int[]){1, 2, 5}[c], algs[a],
				         json_string_value(out));
			json_decref(out);
			json_decref(in);
		}
	}
}

static void test_hmac_at_limits(void **state)
{
	json_t *in = json_object(), *out = NULL;
	struct sopm_err err;

	(void)state;
	json_object_set_new(in, "text", fn_big_text(BIG_UNIT, 1000000));
	json_object_set_new(in, "key", fn_big_text(BIG_UNIT, 100000));
	assert_int_equal(fn_call_json("hmac", in, &out, &err), 0);
	assert_string_equal(json_string_value(out), BIG_HMAC_SHA256);
	json_decref(out);
	json_object_set_new(in, "algorithm", json_string("blake2b"));
	assert_int_equal(fn_call_json("hmac", in, &out, &err), 0);
	assert_string_equal(json_string_value(out), BIG_HMAC_BLAKE2B);
	json_decref(out);
	json_object_set_new(in, "key", fn_big_text(BIG_UNIT, 100001));
	fn_check_error_json("hmac", in, "key");
	json_object_set_new(in, "key", json_string(""));
	json_object_set_new(in, "text", fn_big_text(BIG_UNIT, 1000001));
	fn_check_error_json("hmac", in, "text");
	json_decref(in);
}

/* A token at the limit signs, decodes and verifies; one past it is 400. */
static void test_jwt_at_limits(void **state)
{
	json_t *payload = json_object(), *in, *tok = NULL, *out = NULL;
	struct sopm_err err;
	size_t n;

	(void)state;
	/* base64url grows by 4/3: 74000 bytes of "a" make about 98700 */
	json_object_set_new(payload, "a", fn_big_text("a", 74000));
	in = json_pack("{s:o,s:s,s:s}", "payload", payload, "secret", "k",
	               "algorithm", "HS512");
	assert_int_equal(fn_call_json("jwt_sign", in, &tok, &err), 0);
	json_decref(in);
	n = json_string_length(tok);
	assert_true(n < 100000 && n > 98000);
	in = json_pack("{s:O,s:s}", "token", tok, "secret", "k");
	assert_int_equal(fn_call_json("jwt_verify", in, &out, &err), 0);
	assert_true(json_is_true(json_object_get(out, "valid")));
	assert_int_equal(json_string_length(json_object_get(
	                     json_object_get(out, "payload"), "a")),
	                 74000);
	json_decref(out);
	json_object_del(in, "secret");
	assert_int_equal(fn_call_json("jwt_decode", in, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(out, "header"), "alg")),
	                    "HS512");
	json_decref(out);
	json_decref(in);
	json_decref(tok);
	in = json_pack("{s:o}", "token", fn_big_text("A.", 100001));
	fn_check_error_json("jwt_decode", in, "token");
	json_object_set_new(in, "secret", json_string(""));
	fn_check_error_json("jwt_verify", in, "token");
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_float_repr),
	    cmocka_unit_test(test_guard_refuses),
	    cmocka_unit_test(test_allow_list),
	    cmocka_unit_test(test_hmac_rfc4231),
	    cmocka_unit_test(test_hmac_at_limits),
	    cmocka_unit_test(test_jwt_at_limits),
	};
	return cmocka_run_group_tests(tests, fn_group_setup, fn_group_teardown);
}
