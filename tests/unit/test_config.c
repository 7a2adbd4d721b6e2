/* Configuration: defaults, the file, later keys win, environment wins, and
 * every bad entry is refused with its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sopm_config.h"

static char path[] = "/tmp/sopm-test-config-XXXXXX";

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	int fd = mkstemp(path);
	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_defaults_and_overrides(void **state)
{
	struct sopm_config c;
	struct sopm_err err;
	(void)state;

	write_file("# comment\nfcgi.threads = 8  # trailing\n"
	           "http.max_body_bytes = 2048\nfcgi.threads = 9\n"
	           "db.password =\nfcgi.workers = 3\n");
	unsetenv("SOPM_FCGI_WORKERS");
	assert_int_equal(sopm_config_load(&c, path, &err), 0);
	assert_int_equal(c.fcgi_threads, 9);
	assert_int_equal(c.http_max_body_bytes, 2048);
	assert_int_equal(c.fcgi_workers, 3);
	assert_int_equal(c.http_max_json_depth, 64);
	assert_string_equal(c.db_password, "");
	setenv("SOPM_FCGI_WORKERS", "5", 1);
	assert_int_equal(sopm_config_load(&c, path, &err), 0);
	assert_int_equal(c.fcgi_workers, 5);
	setenv("SOPM_FCGI_WORKERS", "0", 1);
	assert_int_equal(sopm_config_load(&c, path, &err), 0);
	assert_true(c.fcgi_workers >= 1); /* one per core */
	unsetenv("SOPM_FCGI_WORKERS");
}

static void test_bad_entries(void **state)
{
	struct sopm_config c;
	struct sopm_err err;
	(void)state;

	write_file("fcgi.threads = 8\nno.such.key = 1\n");
	assert_int_equal(sopm_config_load(&c, path, &err), -1);
	assert_non_null(strstr(err.msg, ":2: unknown key 'no.such.key'"));
	write_file("fcgi.threads = lots\n");
	assert_int_equal(sopm_config_load(&c, path, &err), -1);
	assert_non_null(strstr(err.msg, "bad value for 'fcgi.threads'"));
	write_file("fcgi.threads = 0\n");
	assert_int_equal(sopm_config_load(&c, path, &err), -1);
	write_file("just words\n");
	assert_int_equal(sopm_config_load(&c, path, &err), -1);
	write_file("log.level = loud\n");
	assert_int_equal(sopm_config_load(&c, path, &err), -1);
	assert_int_equal(sopm_config_load(&c, "/nonexistent/sopm.conf", &err),
	                 -1);
	setenv("SOPM_REDIS_PORT", "99999", 1);
	assert_int_equal(sopm_config_load(&c, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "SOPM_REDIS_PORT"));
	unsetenv("SOPM_REDIS_PORT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_and_overrides),
	    cmocka_unit_test(test_bad_entries),
	};
	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
