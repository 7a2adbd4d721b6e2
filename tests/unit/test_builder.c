/* sopm-builder's parts that need no root: running a tool (exit codes,
 * output tail, the time bound, the minimal environment), the sandbox's OCI
 * config, the runtime table and build-log text. The builds themselves
 * (runsc, buildah) are tests/integration/test_builder.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "builder_build.h"
#include "builder_exec.h"
#include "builder_runtimes.h"
#include "builder_sandbox.h"

static char out_path[] = "/tmp/sopm-test-builder-XXXXXX";

static int run(const char *const argv[], long timeout_ms, size_t tail,
               struct builder_exec_result *res)
{
	struct sopm_err err;

	unlink(out_path);
	return builder_exec(argv, NULL, out_path, timeout_ms, tail, res, &err);
}

static void test_exit_code_and_output_tail(void **state)
{
	const char *argv[] = {"sh", "-c", "echo first; echo last >&2; exit 3",
	                      NULL};
	struct builder_exec_result res;

	(void)state;
	assert_int_equal(run(argv, 10000, 4096, &res), 0);
	assert_int_equal(res.exit_code, 3);
	assert_false(res.timed_out);
	assert_string_equal(res.output, "first\nlast\n");
	builder_exec_result_clear(&res);
	/* only the tail is kept */
	assert_int_equal(run(argv, 10000, 5, &res), 0);
	assert_int_equal(res.output_len, 5);
	assert_string_equal(res.output, "last\n");
	builder_exec_result_clear(&res);
}

static void test_time_bound_kills_the_process_group(void **state)
{
	/* the child's own child must die too: the group gets SIGKILL */
	const char *argv[] = {"sh", "-c", "sleep 30 & sleep 30; echo no", NULL};
	struct builder_exec_result res;

	(void)state;
	assert_int_equal(run(argv, 200, 4096, &res), 0);
	assert_true(res.timed_out);
	assert_int_equal(res.exit_code, 128 + 9);
	assert_true(res.duration_ms < 5000);
	assert_null(strstr(res.output, "no"));
	builder_exec_result_clear(&res);
}

static void test_missing_program_and_minimal_environment(void **state)
{
	const char *missing[] = {"/nonexistent/tool", NULL};
	const char *env[] = {"env", NULL};
	struct builder_exec_result res;

	(void)state;
	assert_int_equal(run(missing, 10000, 4096, &res), 0);
	assert_int_equal(res.exit_code, 127);
	assert_non_null(strstr(res.output, "cannot run /nonexistent/tool"));
	builder_exec_result_clear(&res);
	setenv("SOPM_TEST_SECRET", "leaked", 1);
	assert_int_equal(run(env, 10000, 4096, &res), 0);
	assert_null(strstr(res.output, "SOPM_TEST_SECRET"));
	assert_non_null(strstr(res.output, "PATH="));
	assert_non_null(strstr(res.output, "LANG=C.UTF-8"));
	builder_exec_result_clear(&res);
}

static void test_sandbox_config(void **state)
{
	const char *argv[] = {"/usr/bin/python3", "-c", "pass", NULL};
	struct builder_sandbox sb = {.runsc_root = "/r",
	                             .rootfs = "/bases/x/rootfs",
	                             .fn_dir = "/w/fn",
	                             .out_dir = NULL,
	                             .argv = argv,
	                             .memory_mb = 256,
	                             .nproc = 64,
	                             .timeout_ms = 1000};
	json_t *cfg = builder_sandbox_config(&sb, "sopm-check-1"), *m;
	json_t *proc = json_object_get(cfg, "process");
	size_t i;
	int fn = 0, tmp = 0;

	(void)state;
	assert_non_null(cfg);
	assert_true(json_is_true(
	    json_object_get(json_object_get(cfg, "root"), "readonly")));
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(proc, "user"), "uid")),
	                 BUILDER_SANDBOX_UID);
	assert_true(json_is_true(json_object_get(proc, "noNewPrivileges")));
	assert_int_equal(
	    json_array_size(json_object_get(
	        json_object_get(proc, "capabilities"), "effective")),
	    0);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(
	            json_object_get(json_object_get(cfg, "linux"), "resources"),
	            "memory"),
	        "limit")),
	    256LL << 20);
	assert_true(
	    json_integer_value(json_object_get(
	        json_object_get(
	            json_object_get(json_object_get(cfg, "linux"), "resources"),
	            "pids"),
	        "limit")) >= 512);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(proc, "rlimits"), 0), "hard")),
	    64);
	json_array_foreach(json_object_get(cfg, "mounts"), i, m)
	{
		const char *dest =
		    json_string_value(json_object_get(m, "destination"));
		char *opts = json_dumps(json_object_get(m, "options"), 0);

		if (strcmp(dest, "/fn") == 0)
			fn = strstr(opts, "\"ro\"") != NULL;
		if (strcmp(dest, "/tmp") == 0)
			tmp = strstr(opts, "size=") != NULL;
		assert_string_not_equal(dest, "/out"); /* none given */
		free(opts);
	}
	assert_true(fn && tmp);
	json_decref(cfg);
}

static void test_runtime_table(void **state)
{
	static const char *const names[] = {"python3", "node", "c"};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct builder_runtime *rt =
		    builder_runtime_find(names[i]);

		assert_non_null(rt);
		assert_string_equal(rt->entrypoint[0], "/sopm/init");
		assert_non_null(rt->check_argv[0]);
	}
	assert_null(builder_runtime_find("go"));
	assert_null(builder_runtime_find(NULL));
}

static void test_log_text_is_valid_utf8(void **state)
{
	static const char in[] = "ok \xC3\xA9 nul\0 bad\xFF cut\xE2\x82";
	json_t *j = builder_log_json(in, sizeof(in) - 1);

	(void)state;
	assert_non_null(j);
	assert_string_equal(json_string_value(j),
	                    "ok \xC3\xA9 nul\xEF\xBF\xBD bad\xEF\xBF\xBD "
	                    "cut\xEF\xBF\xBD");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_code_and_output_tail),
	    cmocka_unit_test(test_time_bound_kills_the_process_group),
	    cmocka_unit_test(test_missing_program_and_minimal_environment),
	    cmocka_unit_test(test_sandbox_config),
	    cmocka_unit_test(test_runtime_table),
	    cmocka_unit_test(test_log_text_is_valid_utf8),
	};
	int fd = mkstemp(out_path), rc;

	if (fd >= 0)
		close(fd);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(out_path);
	return rc;
}
