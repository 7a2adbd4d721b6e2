/* test_fn_util.c - echo, sleep, uuid and timestamp where only C reaches:
 * the shapes of random UUIDs, every 400, and the time zone cache under
 * threads. Their golden cases (Python 3.11's uuid.uuid5, datetime,
 * zoneinfo, email.utils in tests/reference.py) are in
 * functions/util/<name>.json and functions/web/uuid.json, run over HTTP. */
#include "fn_test.h"

#include <pthread.h>
#include <time.h>

#include "fn_tz.h"

static void test_echo(void **state)
{
	const char *doc = "{\"a\": {\"b\": [1, 2.5, \"x\\u0000y\", null, "
	                  "{\"c\": true}]}, \"\": {}}";
	struct sopm_err err;
	json_t *in = json_loads(doc, JSON_ALLOW_NUL, NULL), *out;

	(void)state;
	assert_non_null(in);
	assert_int_equal(fn_call_json("echo", in, &out, &err), 0);
	fn_assert_json("echo", out, doc);
	assert_ptr_not_equal(out, in); /* a copy, not the caller's object */
	json_decref(out);
	json_decref(in);
	fn_check_error("echo", "[1]", "");
	in = json_object();
	for (int i = 0; i <= 1000; i++) {
		char k[16];
		snprintf(k, sizeof(k), "k%d", i);
		json_object_set_new(in, k, json_integer(i));
	}
	fn_check_error_json("echo", in, "");
	json_decref(in);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_sleep(void **state)
{
	struct sopm_err err;
	json_t *out;
	double t0;

	(void)state;
	t0 = now_ms();
	assert_int_equal(fn_call("sleep", "{\"ms\": 10}", &out, &err), 0);
	assert_true(now_ms() - t0 >= 10.0);
	fn_assert_json("sleep 10", out, "{\"slept_ms\": 10}");
	json_decref(out);
	/* test_limits.sleep_max_ms is 10 */
	fn_check_error("sleep", "{\"ms\": 11}", "ms");
	fn_check_error("sleep", "{\"ms\": 10001}", "ms");
	fn_check_error("sleep", "{\"ms\": -1}", "ms");
	fn_check_error("sleep", "{\"ms\": 1.5}", "ms");
	fn_check_error("sleep", "{\"ms\": \"5\"}", "ms");
	fn_check_error("sleep", "{}", "ms");
	fn_check_error("sleep", "{\"ms\": 1, \"x\": 1}", "x");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Checks the 8-4-4-4-12 lowercase form, the version and the variant. */
static void check_uuid(const char *s, int version)
{
	assert_int_equal(strlen(s), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(s[i], '-');
		else
			assert_true(hexval(s[i]) >= 0);
	}
	assert_int_equal(hexval(s[14]), version);
	assert_int_equal(hexval(s[19]) >> 2, 2); /* 10xx: RFC variant */
}

static json_t *uuids(const char *input)
{
	struct sopm_err err;
	json_t *out;

	if (fn_call("uuid", input, &out, &err) != 0)
		fail_msg("%s: %s", input, err.msg);
	return out;
}

static void test_uuid_random(void **state)
{
	json_t *a, *b;

	(void)state;
	a = uuids("{}");
	assert_int_equal(json_array_size(a), 1);
	check_uuid(json_string_value(json_array_get(a, 0)), 4);
	json_decref(a);
	a = uuids("{\"version\": 4, \"count\": 100}");
	b = uuids("{\"version\": 4, \"count\": 100}");
	assert_int_equal(json_array_size(a), 100);
	for (size_t i = 0; i < 100; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		check_uuid(s, 4);
		for (size_t j = 0; j < 100; j++) {
			if (j != i)
				assert_string_not_equal(
				    s, json_string_value(json_array_get(a, j)));
			assert_string_not_equal(
			    s, json_string_value(json_array_get(b, j)));
		}
	}
	json_decref(a);
	json_decref(b);
}

static void test_uuid_v7(void **state)
{
	struct timespec ts;
	json_t *a;
	uint64_t before, after;

	(void)state;
	clock_gettime(CLOCK_REALTIME, &ts);
	before = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	a = uuids("{\"version\": 7, \"count\": 100}");
	clock_gettime(CLOCK_REALTIME, &ts);
	after = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	assert_int_equal(json_array_size(a), 100);
	for (size_t i = 0; i < 100; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		uint64_t ms = 0;
		check_uuid(s, 7);
		for (int k = 0; k < 13; k++)
			if (k != 8)
				ms = ms << 4 | (uint64_t)hexval(s[k]);
		/* the counter may borrow a millisecond or two */
		assert_true(ms >= before && ms <= after + 2);
		if (i > 0) /* strictly increasing within a call */
			assert_true(
			    strcmp(json_string_value(json_array_get(a, i - 1)),
			           s) < 0);
	}
	json_decref(a);
}

static void test_uuid_errors(void **state)
{
	(void)state;
	fn_check_error("uuid", "{\"version\": 5}", "name");
	fn_check_error("uuid",
	               "{\"version\": 5, \"name\": \"a\", "
	               "\"namespace\": \"nope\"}",
	               "namespace");
	fn_check_error("uuid",
	               "{\"version\": 5, \"name\": \"a\", "
	               "\"namespace\": \"12345678-1234-5678-1234-"
	               "56781234567\"}",
	               "namespace");
	fn_check_error("uuid",
	               "{\"version\": 5, \"name\": \"a\", "
	               "\"namespace\": \"g2345678-1234-5678-1234-"
	               "567812345678\"}",
	               "namespace");
	fn_check_error("uuid", "{\"version\": 4, \"name\": \"a\"}", "name");
	fn_check_error("uuid", "{\"version\": 7, \"namespace\": \"dns\"}",
	               "namespace");
	fn_check_error("uuid", "{\"version\": 6}", "version");
	fn_check_error("uuid", "{\"version\": \"4\"}", "version");
	fn_check_error("uuid", "{\"count\": 0}", "count");
	fn_check_error("uuid", "{\"count\": 101}", "count");
	fn_check_error("uuid", "{\"other\": 1}", "other");
}

static void test_timestamp_errors(void **state)
{
	static const char *const bad_values[] = {
	    "\"2024-01-01T1230456\"",
	    "\"2024-02-30\"",
	    "\"2024-01-01T24:00\"",
	    "\"2021-W53-1\"",
	    "\"2024-01-01T12:00:00+24:00\"",
	    "\"\"",
	    "\"2024-1-1\"",
	    "\"yesterday\"",
	    "\"2024-01-01T12:00:00 \"",
	    "\"0000-01-01\"",
	    "\"2024-01-01T12:00:00Zx\"",
	    "\"9999-12-31T23:59:59-01:00\"",
	    "\"0001-01-01T00:00:00+01:00\"",
	    "1e20",
	    "253402300800",
	    "-62135596801",
	    "-1e300",
	    "\"2024-01-01\\u00002\"",
	};
	static const char *const bad_zones[] = {
	    "Mars/Olympus",         "../etc/passwd", "/etc/localtime",
	    "Europe//Paris",        "Europe/Paris/", "./UTC",
	    "Europe/./Paris",       "zone.tab",      "America",
	    "Europe/Paris\\u0000x", "utc",           "Europe/Par is",
	    "Europe/Pärïs",
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]);
	     i++) {
		snprintf(buf, sizeof(buf), "{\"value\": %s}", bad_values[i]);
		fn_check_error("timestamp", buf, "value");
	}
	for (size_t i = 0; i < sizeof(bad_zones) / sizeof(bad_zones[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"value\": 0, \"tz\": \"%s\"}",
		         bad_zones[i]);
		fn_check_error("timestamp", buf, "tz");
	}
	/* the local time leaves year 9999 only in Tokyo */
	fn_check_error("timestamp",
	               "{\"value\": 253402300799, \"tz\": \"Asia/Tokyo\"}",
	               "value");
	fn_check_error("timestamp", "{\"value\": null}", "value");
	fn_check_error("timestamp", "{\"value\": true}", "value");
	fn_check_error("timestamp", "{\"tz\": \"\"}", "tz");
	fn_check_error("timestamp", "{\"when\": 1}", "when");
}

static void test_timestamp_now(void **state)
{
	struct sopm_err err;
	json_t *out;
	time_t t0 = time(NULL), t1;
	json_int_t epoch, ms;

	(void)state;
	assert_int_equal(
	    fn_call("timestamp", "{\"tz\": \"Europe/Paris\"}", &out, &err), 0);
	t1 = time(NULL);
	epoch = json_integer_value(json_object_get(out, "epoch"));
	ms = json_integer_value(json_object_get(out, "epoch_ms"));
	assert_true(epoch >= t0 && epoch <= t1);
	assert_true(ms / 1000 == epoch);
	assert_non_null(
	    strstr(json_string_value(json_object_get(out, "iso")), "+0"));
	json_decref(out);
}

static void *zone_worker(void *arg)
{
	static const struct {
		const char *name;
		int32_t off; /* at 1700000000, from zoneinfo */
	} zones[] = {
	    {"Europe/Paris", 3600},         {"America/New_York", -18000},
	    {"Asia/Kolkata", 19800},        {"UTC", 0},
	    {"Australia/Lord_Howe", 39600}, {"Pacific/Chatham", 49500},
	    {"Africa/Casablanca", 3600}};
	int *failures = arg;

	for (int i = 0; i < 700; i++) {
		struct sopm_err err;
		const struct fn_tz *z =
		    fn_tz_get(zones[i % 7].name, "tz", &err);
		if (z == NULL ||
		    fn_tz_offset_utc(z, 1700000000) != zones[i % 7].off)
			(*failures)++;
	}
	return NULL;
}

static void test_tz_threads(void **state)
{
	pthread_t th[4];
	int failures[4] = {0, 0, 0, 0};
	struct sopm_err err;

	(void)state;
	fn_tz_cache_free(); /* start cold, so threads race to load zones */
	for (int i = 0; i < 4; i++)
		assert_int_equal(
		    pthread_create(&th[i], NULL, zone_worker, &failures[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(failures[i], 0);
	}
	const struct fn_tz *a = fn_tz_get("Europe/Paris", "tz", &err);
	assert_ptr_equal(a, fn_tz_get("Europe/Paris", "tz", &err));
	assert_int_equal(fn_tz_offset_utc(a, 1700000000), 3600);
	assert_int_equal(fn_tz_offset_utc(a, 1690000000), 7200);
}

static int teardown(void **state)
{
	fn_tz_cache_free();
	return fn_group_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_echo),
	    cmocka_unit_test(test_sleep),
	    cmocka_unit_test(test_uuid_random),
	    cmocka_unit_test(test_uuid_v7),
	    cmocka_unit_test(test_uuid_errors),
	    cmocka_unit_test(test_timestamp_errors),
	    cmocka_unit_test(test_timestamp_now),
	    cmocka_unit_test(test_tz_threads),
	};

	return cmocka_run_group_tests(tests, fn_group_setup, teardown);
}
