/* executor_jobs.c - see executor_jobs.h. */
#include "executor_jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "executor_run.h"
#include "sopm_db.h"
#include "sopm_dbq.h"
#include "sopm_exec_stats.h"
#include "sopm_log.h"
#include "sopm_redis.h"
#include "sopm_runs.h"
#include "sopm_time.h"

#define TAKE_WAIT_MS   400 /* under redis.timeout_ms */
#define DOWN_PAUSE_US  500000
#define JANITOR_TICK_S 1

static struct {
	const struct sopm_config *cfg;
	atomic_int *stop;
	struct sopm_jobq *q;
	pthread_t *workers;
	int n_workers;
	pthread_t janitor;
	int janitor_started;
} ex;

struct sopm_jobq *executor_jobs_queue(void)
{
	return ex.q;
}

/* A failed outcome that never reached a sandbox. */
static void refuse(struct executor_outcome *out, const char *code,
                   const char *msg)
{
	out->status = SOPM_JOB_FAILED;
	out->code = code;
	out->value = json_pack("{s:s, s:s}", "code", code, "message", msg);
}

/* The version as MySQL has it now: a NEW row, or NULL (out is then the
 * refusal). */
static json_t *lookup(struct sopm_db *db, long long function_id,
                      long long version, long long user_id,
                      struct executor_outcome *out)
{
	struct sopm_dbq_arg args[] = {SOPM_DBQ_I(version),
	                              SOPM_DBQ_I(function_id)};
	struct sopm_err err;
	json_t *row = sopm_dbq_row(
	    db,
	    "SELECT f.name, f.user_id, f.memory_mb, f.timeout_ms, f.env, "
	    "f.enabled, f.deleted_at IS NULL AS live, f.updated_at, "
	    "v.id AS version_id, v.status FROM functions f JOIN "
	    "function_versions v ON v.function_id = f.id AND v.version = ? "
	    "WHERE f.id = ?",
	    args, 2, &err);
	const char *status = json_string_value(json_object_get(row, "status"));

	if (row == NULL) {
		refuse(out,
		       err.code == SOPM_E_NOT_FOUND ? "not_found"
		                                    : "unavailable",
		       err.code == SOPM_E_NOT_FOUND
		           ? "function not found"
		           : "the registry is unavailable");
	} else if (json_integer_value(json_object_get(row, "user_id")) !=
	               user_id ||
	           !json_integer_value(json_object_get(row, "live"))) {
		refuse(out, "not_found", "function not found");
	} else if (!json_integer_value(json_object_get(row, "enabled"))) {
		refuse(out, "conflict",
		       "the function is disabled by an administrator");
	} else if (status == NULL || strcmp(status, "ready") != 0) {
		refuse(out, "conflict", "the version is not built");
	} else {
		return row;
	}
	json_decref(row);
	return NULL;
}

/* The executions row (sql/002_registry.sql); a failure is logged. */
static void audit(struct sopm_db *db, const struct sopm_job *job,
                  long long user_id, long long function_id, long long version,
                  const struct executor_outcome *out, int ran)
{
	static const char *const status_names[] = {
	    [SOPM_JOB_COMPLETED] = "completed",
	    [SOPM_JOB_FAILED] = "failed",
	    [SOPM_JOB_TIMEOUT] = "timeout"};
	struct sopm_dbq_arg args[] = {
	    SOPM_DBQ_S(job->id),
	    SOPM_DBQ_I(user_id),
	    SOPM_DBQ_I(function_id),
	    SOPM_DBQ_I(version),
	    SOPM_DBQ_S(ran ? status_names[out->status] : "rejected"),
	    out->code ? SOPM_DBQ_S(out->code) : SOPM_DBQ_NUL,
	    SOPM_DBQ_I((long long)out->duration_us),
	    ran ? SOPM_DBQ_I(out->cold_start) : SOPM_DBQ_NUL};
	struct sopm_err err;

	if (sopm_dbq_exec(db,
	                  "INSERT INTO executions (job_id, user_id, "
	                  "function_id, version, status, error_code, "
	                  "duration_us, cold_start) VALUES (?, ?, ?, ?, ?, ?, "
	                  "?, ?)",
	                  args, 8, NULL, NULL, &err) != 0)
		sopm_logf(SOPM_LOG_WARN, "job %s: no executions row: %s",
		          job->id, err.msg);
}

/* The statistics of one call (sopm_exec_stats.h); lost when Redis is
 * away. */
static void count_call(struct sopm_redis *r, const struct executor_outcome *out)
{
	struct sopm_err err;

	sopm_exec_stats_add(r, SOPM_EXEC_C_CALLS, 1, &err);
	sopm_exec_stats_add(r,
	                    out->cold_start ? SOPM_EXEC_C_COLD_STARTS
	                                    : SOPM_EXEC_C_WARM_STARTS,
	                    1, &err);
	if (out->cold_start)
		sopm_exec_stats_observe(r, SOPM_EXEC_H_INIT_US,
		                        (long long)out->init_us, &err);
}

static void run_job(struct sopm_db *db, struct sopm_redis *r,
                    const struct sopm_job *job)
{
	uint64_t now = sopm_time_now_us(), wait_us = 0;
	struct executor_outcome out = {0};
	struct sopm_run run = {0};
	struct sopm_err err;
	const json_t *event_json = sopm_runs_read(job, &run, &err);
	long long fid = run.function_id, ver = run.version, uid = run.user_id;
	json_t *row = NULL, *extra, *env = NULL;
	char *event = NULL;
	int ran = 0;

	if (run.submitted_us > 0 && (uint64_t)run.submitted_us < now)
		wait_us = now - (uint64_t)run.submitted_us;
	if (event_json == NULL) {
		refuse(&out, "internal", err.msg);
		fid = ver = uid = 0;
	} else {
		row = lookup(db, fid, ver, uid, &out);
	}
	if (row != NULL) {
		struct executor_spec spec = {
		    .function_id = fid,
		    .version = ver,
		    .version_id =
		        json_integer_value(json_object_get(row, "version_id")),
		    .memory_mb = (long)json_integer_value(
		        json_object_get(row, "memory_mb")),
		};
		struct executor_call_ctx ctx = {
		    .function_name =
		        json_string_value(json_object_get(row, "name")),
		    .version = ver,
		    .job_id = job->id,
		    .timeout_ms = (long)json_integer_value(
		        json_object_get(row, "timeout_ms")),
		};

		snprintf(spec.generation, sizeof(spec.generation), "%s",
		         json_string_value(json_object_get(row, "updated_at"))
		             ?: "");
		env = json_loads(json_string_value(json_object_get(row, "env"))
		                     ?: "{}",
		                 0, NULL);
		spec.env = env;
		event = json_dumps(event_json, JSON_COMPACT | JSON_ENCODE_ANY);
		if (event == NULL) {
			refuse(&out, "internal", "no memory");
		} else {
			executor_run(&spec, &ctx, event, strlen(event), &out);
			ran = 1;
		}
	}
	extra = json_pack("{s:b, s:I, s:O?}", "cold_start", out.cold_start,
	                  "wait_us", (json_int_t)wait_us, "logs", out.logs);
	if (extra != NULL && ran && out.cold_start)
		json_object_set_new(extra, "init_us",
		                    json_integer((json_int_t)out.init_us));
	if (sopm_jobq_finish_ex(ex.q, r, job, out.status, out.value,
	                        out.duration_us, extra, &err) < 0)
		sopm_logf(SOPM_LOG_WARN, "job %s: outcome lost: %s", job->id,
		          err.msg);
	if (ran)
		count_call(r, &out);
	audit(db, job, uid, fid, ver, &out, ran);
	json_decref(extra);
	json_decref(env);
	json_decref(row);
	free(event);
	executor_outcome_clear(&out);
}

static void *worker_main(void *arg)
{
	struct sopm_redis r;
	struct sopm_db db;

	(void)arg;
	sopm_redis_init(&r, ex.cfg);
	sopm_db_init(&db, ex.cfg);
	while (!atomic_load(ex.stop)) {
		struct sopm_job job;

		if (sopm_jobq_next(ex.q, &r, TAKE_WAIT_MS, DOWN_PAUSE_US,
		                   &job)) {
			run_job(&db, &r, &job);
			sopm_job_clear(&job);
		}
	}
	sopm_db_close(&db);
	sopm_redis_close(&r);
	return NULL;
}

#define RETIRE_BATCH SOPM_DBQ_ARGS_MAX /* function ids per query */

/* Retires the sandboxes of the n functions in ids that were deleted or
 * changed since they started. */
static void retire_batch(struct sopm_db *db, const long long *ids, size_t n)
{
	struct sopm_dbq_arg args[RETIRE_BATCH];
	char sql[256 + 2 * RETIRE_BATCH];
	struct sopm_err err;
	size_t i, k, len;
	json_t *rows, *row;

	len = (size_t)snprintf(sql, sizeof(sql),
	                       "SELECT id, updated_at, deleted_at IS NULL AS "
	                       "live FROM functions WHERE id IN (");
	for (i = 0; i < n; i++) {
		args[i] = SOPM_DBQ_I(ids[i]);
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?",
		                        i ? "," : "");
	}
	snprintf(sql + len, sizeof(sql) - len, ")");
	rows = sopm_dbq_rows(db, sql, args, (int)n, &err);
	if (rows == NULL)
		sopm_logf(SOPM_LOG_WARN,
		          "cannot check the pool's functions: %s", err.msg);
	for (i = 0; rows && i < n; i++) {
		const char *generation = NULL; /* gone, unless found live */

		json_array_foreach(rows, k, row)
		{
			if (json_integer_value(json_object_get(row, "id")) ==
			        ids[i] &&
			    json_integer_value(json_object_get(row, "live")))
				generation = json_string_value(
				    json_object_get(row, "updated_at"));
		}
		executor_pool_retire(ids[i], generation);
	}
	json_decref(rows);
}

/* Retires the sandboxes of functions deleted or changed since they
 * started: one query per RETIRE_BATCH functions in the pool. */
static void retire_outdated(struct sopm_db *db)
{
	json_t *live = executor_pool_live(), *id;
	long long ids[RETIRE_BATCH];
	size_t i, k, n = 0;

	json_array_foreach(live, i, id)
	{
		long long fid = json_integer_value(id);

		for (k = 0; k < n && ids[k] != fid; k++)
			;
		if (k < n)
			continue; /* seen in this batch */
		ids[n++] = fid;
		if (n == RETIRE_BATCH) {
			retire_batch(db, ids, n);
			n = 0;
		}
	}
	if (n > 0)
		retire_batch(db, ids, n);
	json_decref(live);
}

static void *janitor_main(void *arg)
{
	struct sopm_redis r;
	struct sopm_db db;
	long evictions_sent = 0;

	(void)arg;
	sopm_redis_init(&r, ex.cfg);
	sopm_db_init(&db, ex.cfg);
	while (!atomic_load(ex.stop)) {
		struct sopm_err err;
		long evictions;

		executor_pool_sweep(sopm_time_mono_us());
		retire_outdated(&db);
		evictions = executor_pool_evictions();
		if (sopm_exec_stats_set(&r, SOPM_EXEC_C_WARM_SANDBOXES,
		                        executor_pool_size(), &err) == 0 &&
		    (evictions == evictions_sent ||
		     sopm_exec_stats_add(&r, SOPM_EXEC_C_EVICTIONS,
		                         evictions - evictions_sent,
		                         &err) == 0))
			evictions_sent = evictions;
		for (int i = 0;
		     i < 10 * JANITOR_TICK_S && !atomic_load(ex.stop); i++)
			usleep(100000);
	}
	sopm_db_close(&db);
	sopm_redis_close(&r);
	return NULL;
}

int executor_jobs_start(const struct sopm_config *cfg, int helper_fd,
                        atomic_int *stop, struct sopm_err *err)
{
	ex.cfg = cfg;
	ex.stop = stop;
	if (executor_pool_init(
	        cfg, executor_local_backend(cfg, helper_fd, stop), err) != 0)
		return -1;
	ex.q = sopm_runs_new(cfg->executor_workers, cfg, err);
	if (ex.q == NULL)
		return -1;
	ex.workers = calloc((size_t)cfg->executor_workers, sizeof(pthread_t));
	if (ex.workers == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory");
	for (; ex.n_workers < cfg->executor_workers; ex.n_workers++)
		if (pthread_create(&ex.workers[ex.n_workers], NULL, worker_main,
		                   NULL) != 0)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "cannot start executor threads");
	if (pthread_create(&ex.janitor, NULL, janitor_main, NULL) != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "cannot start the executor's janitor");
	ex.janitor_started = 1;
	return 0;
}

void executor_jobs_join(void)
{
	for (int i = 0; i < ex.n_workers; i++)
		pthread_join(ex.workers[i], NULL);
	if (ex.janitor_started)
		pthread_join(ex.janitor, NULL);
	executor_pool_shutdown();
	free(ex.workers);
	ex.workers = NULL;
	ex.n_workers = 0;
}
