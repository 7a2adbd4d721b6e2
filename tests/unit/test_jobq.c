/* The job queue's run side against a real Redis (a private redis-server on
 * a unix socket, started here): per-job timeouts and their deadlines,
 * attempts per queue, extra outcome fields (recorded, deferred, read back
 * with their types), the wake-up of sopm_jobq_wait() from every way a job
 * ends, the run queue's shape (sopm_runs) and the executor's counters
 * (sopm_exec_stats). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <hiredis/hiredis.h>
#include <pthread.h>

#include "sopm_exec_stats.h"
#include "sopm_jobq.h"
#include "sopm_runs.h"
#include "sopm_time.h"

static char dir[] = "/tmp/sopm-test-jobq-XXXXXX";
static char sock[128];
static pid_t redis_pid;
static struct sopm_config cfg;
static struct sopm_redis r;

static int start_redis(void **state)
{
	struct sopm_err err;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(sock, sizeof(sock), "%s/redis.sock", dir);
	redis_pid = fork();
	if (redis_pid == 0) {
		execlp("redis-server", "redis-server", "--port", "0",
		       "--unixsocket", sock, "--save", "", "--appendonly", "no",
		       "--dir", dir, "--loglevel", "warning", (char *)NULL);
		_exit(127);
	}
	if (redis_pid < 0 || sopm_config_load(&cfg, NULL, &err) != 0)
		return -1;
	snprintf(cfg.redis_socket, sizeof(cfg.redis_socket), "%s", sock);
	cfg.redis_timeout_ms = 100; /* well under the waits below */
	cfg.jobs_timeout_ms = 30000;
	for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
		usleep(50000);
	sopm_redis_init(&r, &cfg);
	return sopm_redis_ping(&r, &err);
}

static int stop_redis(void **state)
{
	char cmd[200];

	(void)state;
	sopm_redis_close(&r);
	kill(redis_pid, SIGTERM);
	waitpid(redis_pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A reply's integer or string as a number; -1 for anything else. */
static long long cmd_num(const char *fmt, const char *arg)
{
	struct sopm_err err;
	redisReply *reply = sopm_redis_cmd(&r, &err, fmt, arg);
	long long v = -1;

	assert_non_null(reply);
	if (reply->type == REDIS_REPLY_INTEGER)
		v = reply->integer;
	else if (reply->type == REDIS_REPLY_STRING)
		v = strtoll(reply->str, NULL, 10);
	freeReplyObject(reply);
	return v;
}

static long long now_ms(void)
{
	return (long long)(sopm_time_now_us() / 1000u);
}

/* Submits {"n": 1} with opts, takes it and starts it on q. */
static void submit_and_start(struct sopm_jobq *q,
                             const struct sopm_jobq_submit_opts *opts,
                             char id[SOPM_ID_LEN], struct sopm_job *job)
{
	struct sopm_err err;
	json_t *input = json_pack("{s:i}", "n", 1);
	char taken[SOPM_ID_LEN];

	assert_int_equal(
	    sopm_jobq_submit_opts(q, &r, "f", "test", input, opts, id, &err),
	    0);
	json_decref(input);
	assert_int_equal(sopm_jobq_take(q, &r, 500, taken, &err), 1);
	assert_string_equal(taken, id);
	assert_int_equal(sopm_jobq_start(q, &r, id, job, &err), 1);
}

static void test_own_timeout_sets_the_deadline(void **state)
{
	struct sopm_jobq *q;
	struct sopm_jobq_submit_opts opts = {1500, NULL};
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	long long before = now_ms(), deadline;
	json_t *rec;

	(void)state;
	q = sopm_jobq_new("t-deadline", 2, &cfg, &err);
	assert_non_null(q);
	submit_and_start(q, &opts, id, &job);
	assert_int_equal(job.timeout_ms, 1500);
	deadline = cmd_num("ZSCORE sopm:t-deadline:deadlines %s", id);
	assert_true(deadline >= before + 1500 + SOPM_JOBQ_COLD_START_MARGIN_MS);
	assert_true(deadline <=
	            now_ms() + 1500 + SOPM_JOBQ_COLD_START_MARGIN_MS);
	/* the bound is bookkeeping: not in the record */
	rec = sopm_jobq_get(&r, id, &err);
	assert_non_null(rec);
	assert_null(json_object_get(rec, "timeout_ms"));
	json_decref(rec);
	sopm_jobq_finish(q, &r, &job, SOPM_JOB_COMPLETED, json_true(), 1, &err);
	sopm_job_clear(&job);

	/* without one: jobs.timeout_ms + 5 s, as before */
	before = now_ms();
	submit_and_start(q, NULL, id, &job);
	assert_int_equal(job.timeout_ms, 0);
	deadline = cmd_num("ZSCORE sopm:t-deadline:deadlines %s", id);
	assert_true(deadline >= before + cfg.jobs_timeout_ms + 5000);
	assert_true(deadline <= now_ms() + cfg.jobs_timeout_ms + 5000);
	sopm_jobq_finish(q, &r, &job, SOPM_JOB_COMPLETED, json_true(), 1, &err);
	sopm_job_clear(&job);
	sopm_jobq_free(q);
}

/* The extras of test_extras_*, and their check in a record. */
static json_t *extras(void)
{
	return json_pack("{s:b, s:i, s:i, s:s, s:{s:i}}", "cold_start", 1,
	                 "init_us", 180000, "wait_us", 40, "logs",
	                 "line 1\nline \"2\"\n", "more", "a", 1);
}

static void check_failed_record(const json_t *rec)
{
	json_t *e = json_object_get(rec, "error");

	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "failed");
	assert_true(json_is_true(json_object_get(rec, "cold_start")));
	assert_true(json_is_integer(json_object_get(rec, "init_us")));
	assert_int_equal(json_integer_value(json_object_get(rec, "init_us")),
	                 180000);
	assert_int_equal(json_integer_value(json_object_get(rec, "wait_us")),
	                 40);
	assert_string_equal(json_string_value(json_object_get(rec, "logs")),
	                    "line 1\nline \"2\"\n");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(rec, "more"), "a")),
	                 1);
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    "function_error");
	assert_string_equal(json_string_value(json_object_get(e, "reason")),
	                    "exception");
	assert_int_equal(
	    json_integer_value(json_object_get(rec, "duration_us")), 1234);
}

static void test_extras_round_trip(void **state)
{
	struct sopm_jobq *q;
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	json_t *x = extras(), *rec;
	json_t *error =
	    json_pack("{s:s, s:s, s:s}", "code", "function_error", "message",
	              "ValueError: no", "reason", "exception");

	(void)state;
	q = sopm_jobq_new("t-extras", 1, &cfg, &err);
	submit_and_start(q, NULL, id, &job);
	assert_int_equal(sopm_jobq_finish_ex(q, &r, &job, SOPM_JOB_FAILED,
	                                     error, 1234, x, &err),
	                 SOPM_JOBQ_RECORDED);
	rec = sopm_jobq_get(&r, id, &err);
	assert_non_null(rec);
	check_failed_record(rec);
	json_decref(rec);
	/* its end woke the done key */
	assert_int_equal(cmd_num("LLEN sopm:job:%s:done", id), 1);
	assert_true(cmd_num("TTL sopm:job:%s:done", id) > 0);
	sopm_job_clear(&job);
	json_decref(x);
	json_decref(error);
	sopm_jobq_free(q);
}

static void test_extras_survive_the_deferred_path(void **state)
{
	struct sopm_config away = cfg;
	struct sopm_redis down;
	struct sopm_jobq *q;
	struct sopm_job job;
	struct sopm_jobq_report rep = {0};
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	json_t *x = extras(), *rec;
	json_t *error =
	    json_pack("{s:s, s:s, s:s}", "code", "function_error", "message",
	              "ValueError: no", "reason", "exception");

	(void)state;
	q = sopm_jobq_new("t-deferred", 1, &cfg, &err);
	submit_and_start(q, NULL, id, &job);
	/* Redis is away for this finish */
	snprintf(away.redis_socket, sizeof(away.redis_socket), "%s/none.sock",
	         dir);
	sopm_redis_init(&down, &away);
	assert_int_equal(sopm_jobq_finish_ex(q, &down, &job, SOPM_JOB_FAILED,
	                                     error, 1234, x, &err),
	                 SOPM_JOBQ_DEFERRED);
	json_decref(x);
	json_decref(error);
	sopm_job_clear(&job);
	rec = sopm_jobq_get(&r, id, &err);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "running");
	json_decref(rec);
	/* back: the next round writes it, extras and all */
	assert_int_equal(sopm_jobq_flush(q, &r, &rep, &err), 0);
	assert_int_equal(rep.recorded, 1);
	rec = sopm_jobq_wait(&r, id, 1000, &err);
	assert_non_null(rec);
	check_failed_record(rec);
	json_decref(rec);
	sopm_redis_close(&down);
	sopm_jobq_free(q);
}

static void test_reserved_extras_are_left_out(void **state)
{
	struct sopm_jobq *q;
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	json_t *x = json_pack("{s:s, s:i}", "status", "completed", "ok", 1);
	json_t *rec;
	struct sopm_jobq_submit_opts opts = {0, x};

	(void)state;
	q = sopm_jobq_new("t-reserved", 1, &cfg, &err);
	/* at submit: refused */
	assert_int_equal(
	    sopm_jobq_submit_opts(q, &r, "f", "test", x, &opts, id, &err), -1);
	assert_int_equal(err.code, SOPM_E_INVALID_INPUT);
	/* at finish: the outcome is recorded without them */
	submit_and_start(q, NULL, id, &job);
	assert_int_equal(
	    sopm_jobq_finish_ex(q, &r, &job, SOPM_JOB_FAILED, x, 1, x, &err),
	    SOPM_JOBQ_RECORDED);
	rec = sopm_jobq_get(&r, id, &err);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "failed");
	assert_null(json_object_get(rec, "ok"));
	json_decref(rec);
	json_decref(x);
	sopm_job_clear(&job);
	sopm_jobq_free(q);
}

/* Finishes a job from another thread after a pause. */
struct late_finish {
	struct sopm_jobq *q;
	struct sopm_job *job;
	long after_ms;
};

static void *finish_later(void *arg)
{
	struct late_finish *lf = arg;
	struct sopm_redis own;
	struct sopm_err err;
	json_t *v = json_pack("{s:i}", "ok", 1);

	sopm_redis_init(&own, &cfg);
	usleep((useconds_t)lf->after_ms * 1000);
	sopm_jobq_finish(lf->q, &own, lf->job, SOPM_JOB_COMPLETED, v, 7, &err);
	json_decref(v);
	sopm_redis_close(&own);
	return NULL;
}

static void test_wait_wakes_on_finish_past_redis_timeout(void **state)
{
	struct sopm_jobq *q;
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	struct late_finish lf;
	pthread_t t;
	uint64_t t0;
	json_t *rec;

	(void)state;
	q = sopm_jobq_new("t-wait", 1, &cfg, &err);
	submit_and_start(q, NULL, id, &job);
	lf = (struct late_finish){q, &job, 2500}; /* > redis.timeout_ms */
	pthread_create(&t, NULL, finish_later, &lf);
	t0 = sopm_time_mono_us();
	rec = sopm_jobq_wait(&r, id, 10000, &err);
	pthread_join(t, NULL);
	assert_non_null(rec);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "completed");
	/* woken by the push, not by a slice's end */
	assert_true(sopm_time_mono_us() - t0 < 3500000u);
	assert_true(sopm_time_mono_us() - t0 >= 2400000u);
	json_decref(rec);
	sopm_job_clear(&job);
	sopm_jobq_free(q);
}

static void test_wait_times_out(void **state)
{
	struct sopm_jobq *q;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	json_t *input = json_object();
	uint64_t t0;

	(void)state;
	q = sopm_jobq_new("t-waitto", 1, &cfg, &err);
	assert_int_equal(sopm_jobq_submit(q, &r, "f", "test", input, id, &err),
	                 0);
	t0 = sopm_time_mono_us();
	assert_null(sopm_jobq_wait(&r, id, 700, &err));
	assert_int_equal(err.code, SOPM_E_TIMEOUT);
	assert_true(sopm_time_mono_us() - t0 >= 700000u);
	assert_true(sopm_time_mono_us() - t0 < 1500000u);
	/* unknown job */
	assert_null(
	    sopm_jobq_wait(&r, "00000000000000000000000000000000", 100, &err));
	assert_int_equal(err.code, SOPM_E_NOT_FOUND);
	json_decref(input);
	sopm_jobq_free(q);
}

/* A job started by an owner that then stops (its heartbeat gone, its list
 * not empty): another owner's supervise round takes it back. Returns the
 * record after that round (NEW). */
static json_t *take_back_after_owner_stops(struct sopm_jobq *q1,
                                           struct sopm_jobq *q2,
                                           char id[SOPM_ID_LEN])
{
	struct sopm_jobq_report rep = {0};
	struct sopm_job job;
	struct sopm_err err;

	submit_and_start(q1, NULL, id, &job);
	sopm_job_clear(&job);
	assert_int_equal(sopm_jobq_supervise(q1, &r, &rep, &err), 0);
	assert_int_equal(sopm_jobq_leave(q1, &r, &err), 0);
	assert_int_equal(sopm_jobq_supervise(q2, &r, &rep, &err), 0);
	return sopm_jobq_get(&r, id, &err);
}

static void test_attempts_per_queue(void **state)
{
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	struct sopm_jobq *q1, *q2, *c1, *c2;
	json_t *rec;

	(void)state;
	/* an owner is named by its start time (µs): two, apart */
	q1 = sopm_runs_new(1, &cfg, &err);
	usleep(2000);
	q2 = sopm_runs_new(1, &cfg, &err);
	assert_true(cfg.jobs_max_attempts > 1);
	/* "runs": never run twice */
	rec = take_back_after_owner_stops(q1, q2, id);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "failed");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(rec, "error"), "code")),
	                    "internal");
	json_decref(rec);
	assert_int_equal(cmd_num("LLEN sopm:runs:queue%s", ""), 0);
	/* its waiter is woken */
	assert_int_equal(cmd_num("LLEN sopm:job:%s:done", id), 1);
	rec = sopm_jobq_wait(&r, id, 100, &err);
	assert_non_null(rec);
	json_decref(rec);

	/* a queue with jobs.max_attempts: queued again */
	c1 = sopm_jobq_new("t-attempts", 1, &cfg, &err);
	usleep(2000);
	c2 = sopm_jobq_new("t-attempts", 1, &cfg, &err);
	rec = take_back_after_owner_stops(c1, c2, id);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "queued");
	json_decref(rec);
	assert_int_equal(cmd_num("LLEN sopm:job:%s:done", id), 0);
	sopm_jobq_free(q1);
	sopm_jobq_free(q2);
	sopm_jobq_free(c1);
	sopm_jobq_free(c2);
}

static void test_deadline_timeout_wakes_the_waiter(void **state)
{
	struct sopm_jobq *q;
	struct sopm_jobq_report rep = {0};
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN];
	json_t *rec;

	(void)state;
	q = sopm_jobq_new("t-timeout", 1, &cfg, &err);
	submit_and_start(q, NULL, id, &job);
	assert_int_equal(
	    cmd_num("ZADD sopm:t-timeout:deadlines XX CH 1 %s", id), 1);
	assert_int_equal(sopm_jobq_supervise(q, &r, &rep, &err), 0);
	assert_int_equal(rep.timed_out, 1);
	assert_int_equal(cmd_num("LLEN sopm:job:%s:done", id), 1);
	rec = sopm_jobq_wait(&r, id, 100, &err);
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	                    "timeout");
	json_decref(rec);
	/* the late end is fenced, and wakes nobody */
	assert_int_equal(sopm_jobq_finish(q, &r, &job, SOPM_JOB_COMPLETED,
	                                  json_true(), 1, &err),
	                 SOPM_JOBQ_STALE);
	sopm_job_clear(&job);
	sopm_jobq_free(q);
}

static void test_runs_submit_and_read(void **state)
{
	struct sopm_run run = {7, 2, 3, 1500, "hello", 0}, got;
	struct sopm_jobq *q;
	struct sopm_job job;
	struct sopm_err err;
	char id[SOPM_ID_LEN], taken[SOPM_ID_LEN];
	json_t *event = json_pack("[i, s]", 1, "x"), *rec;
	const json_t *e;

	(void)state;
	cmd_num("DEL sopm:runs:queue%s", "");
	q = sopm_runs_new(1, &cfg, &err);
	assert_int_equal(sopm_runs_submit(q, &r, &run, event, id, &err), 0);
	rec = sopm_jobq_get(&r, id, &err);
	assert_string_equal(json_string_value(json_object_get(rec, "kind")),
	                    "user");
	assert_string_equal(json_string_value(json_object_get(rec, "function")),
	                    "hello");
	assert_int_equal(
	    json_integer_value(json_object_get(rec, "function_id")), 7);
	assert_int_equal(json_integer_value(json_object_get(rec, "version")),
	                 2);
	assert_int_equal(json_integer_value(json_object_get(rec, "user_id")),
	                 3);
	assert_null(json_object_get(rec, "input"));
	json_decref(rec);
	assert_int_equal(sopm_jobq_take(q, &r, 500, taken, &err), 1);
	assert_int_equal(sopm_jobq_start(q, &r, taken, &job, &err), 1);
	e = sopm_runs_read(&job, &got, &err);
	assert_non_null(e);
	assert_true(json_equal((json_t *)e, event));
	assert_int_equal(got.function_id, 7);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.user_id, 3);
	assert_int_equal(got.timeout_ms, 1500);
	assert_string_equal(got.function, "hello");
	assert_true(got.submitted_us > 0); /* set by sopm_runs_submit */
	sopm_jobq_finish(q, &r, &job, SOPM_JOB_COMPLETED, json_true(), 1, &err);
	sopm_job_clear(&job);
	json_decref(event);
	sopm_jobq_free(q);
}

static void test_exec_stats(void **state)
{
	struct sopm_exec_stats s;
	struct sopm_err err;
	json_t *o, *h;

	(void)state;
	/* no hash yet: zeros */
	assert_int_equal(sopm_exec_stats_load(&r, &s, &err), 0);
	assert_int_equal(s.counter[SOPM_EXEC_C_CALLS], 0);
	o = sopm_exec_stats_read(&r, &err);
	assert_int_equal(json_integer_value(json_object_get(o, "cold_starts")),
	                 0);
	h = json_object_get(o, "init_us");
	assert_int_equal(json_integer_value(json_object_get(h, "count")), 0);
	assert_int_equal(json_integer_value(json_object_get(h, "p50")), 0);
	json_decref(o);

	assert_int_equal(
	    sopm_exec_stats_add(&r, SOPM_EXEC_C_COLD_STARTS, 2, &err), 0);
	assert_int_equal(
	    sopm_exec_stats_set(&r, SOPM_EXEC_C_WARM_SANDBOXES, 5, &err), 0);
	/* bounds are upper bounds (le): 50000 goes to the first bucket */
	sopm_exec_stats_observe(&r, SOPM_EXEC_H_INIT_US, 50000, &err);
	sopm_exec_stats_observe(&r, SOPM_EXEC_H_INIT_US, 180000, &err);
	sopm_exec_stats_observe(&r, SOPM_EXEC_H_INIT_US, 99999999, &err);
	sopm_exec_stats_observe(&r, SOPM_EXEC_H_BUILD_MS, 2431, &err);
	assert_int_equal(
	    cmd_num("HGET " SOPM_EXEC_STATS_KEY " %s", "init_us_bucket_50000"),
	    1);
	assert_int_equal(
	    cmd_num("HGET " SOPM_EXEC_STATS_KEY " %s", "init_us_bucket_250000"),
	    1);
	assert_int_equal(
	    cmd_num("HGET " SOPM_EXEC_STATS_KEY " %s", "init_us_bucket_inf"),
	    1);
	assert_int_equal(
	    cmd_num("HGET " SOPM_EXEC_STATS_KEY " %s", "build_ms_bucket_2500"),
	    1);
	assert_int_equal(sopm_exec_stats_load(&r, &s, &err), 0);
	assert_int_equal(s.counter[SOPM_EXEC_C_COLD_STARTS], 2);
	assert_int_equal(s.counter[SOPM_EXEC_C_WARM_SANDBOXES], 5);
	assert_int_equal(s.hist[SOPM_EXEC_H_INIT_US].count, 3);
	assert_int_equal(s.hist[SOPM_EXEC_H_INIT_US].sum,
	                 50000 + 180000 + 99999999);
	assert_int_equal(s.hist[SOPM_EXEC_H_INIT_US].bucket[8], 1);
	o = sopm_exec_stats_json(&s);
	h = json_object_get(o, "init_us");
	assert_int_equal(json_integer_value(json_object_get(h, "p50")), 250000);
	assert_true(json_is_null(json_object_get(h, "p99")));
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(h, "buckets"), "inf")),
	                 1);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(o, "build_ms"), "count")),
	                 1);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_timeout_sets_the_deadline),
	    cmocka_unit_test(test_extras_round_trip),
	    cmocka_unit_test(test_extras_survive_the_deferred_path),
	    cmocka_unit_test(test_reserved_extras_are_left_out),
	    cmocka_unit_test(test_wait_wakes_on_finish_past_redis_timeout),
	    cmocka_unit_test(test_wait_times_out),
	    cmocka_unit_test(test_attempts_per_queue),
	    cmocka_unit_test(test_deadline_timeout_wakes_the_waiter),
	    cmocka_unit_test(test_runs_submit_and_read),
	    cmocka_unit_test(test_exec_stats),
	};
	return cmocka_run_group_tests(tests, start_redis, stop_redis);
}
