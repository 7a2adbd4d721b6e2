/* fcgi_executor.c - runs async catalog jobs: the queue protocol is
 * lib/sopm_jobq; this file only adds the catalog and the pool's counters. */
#include "fcgi_executor.h"
#include "sopm_builds.h"
#include "sopm_time.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "fcgi_exec.h"
#include "fcgi_stats.h"
#include "sopm_log.h"
#include "sopm_redis.h"

#define TAKE_WAIT_MS       200 /* under redis.timeout_ms: stop is seen soon */
#define DOWN_PAUSE_US      200000
#define SUPERVISE_EVERY_US 1000000

/* Process-wide state; written before the threads start. */
static struct {
	struct sopm_jobq *q;
	struct sopm_jobq *runs; /* supervised only */
	const struct sopm_config *cfg;
	const struct fn_limits *limits; /* each executor makes its fn_ctx */
	atomic_int stop;                /* executors */
	atomic_int stop_supervisor;     /* set after the executors are joined */
	pthread_t executors[FCGI_EXECUTOR_MAX];
	int nexecutors;
	pthread_t supervisor;
	int supervising;
} ex;

int fcgi_executor_count(const struct sopm_config *cfg)
{
	int n = cfg->jobs_executor_threads;
	return n > FCGI_EXECUTOR_MAX ? FCGI_EXECUTOR_MAX : n < 1 ? 1 : n;
}

static void count_outcome(enum sopm_job_status status)
{
	fcgi_stats_add(status == SOPM_JOB_COMPLETED ? FCGI_C_JOBS_COMPLETED
	               : status == SOPM_JOB_TIMEOUT ? FCGI_C_JOBS_TIMEOUT
	                                            : FCGI_C_JOBS_FAILED,
	               1);
}

/* Runs a started job through the catalog and records its end. */
static void run_job(struct sopm_redis *r, struct fn_ctx *ctx,
                    struct sopm_job *job)
{
	struct sopm_err err = {SOPM_E_OK, ""};
	const struct fn_entry *e = fn_catalog_find(job->function);
	enum sopm_job_status status = SOPM_JOB_FAILED;
	json_t *result = NULL, *error = NULL;
	uint64_t duration_us = 0;
	int rc;

	if (e == NULL || job->input == NULL) {
		sopm_err_set(&err, SOPM_E_INTERNAL, "the job cannot be run");
	} else if (fcgi_exec_catalog(e, job->input, ctx, &result, &duration_us,
	                             &err) == 0) {
		status = SOPM_JOB_COMPLETED;
	}
	if (result != NULL &&
	    duration_us > (uint64_t)ex.cfg->jobs_timeout_ms * 1000u) {
		json_decref(result);
		result = NULL;
		status = SOPM_JOB_TIMEOUT;
		sopm_err_code(&err, SOPM_E_TIMEOUT);
	}
	if (result == NULL)
		error = json_pack("{s:s, s:s}", "code", sopm_err_name(err.code),
		                  "message", err.msg);
	rc = sopm_jobq_finish(ex.q, r, job, status, result ? result : error,
	                      duration_us, &err);
	json_decref(result);
	json_decref(error);
	/* A stale outcome lost to a newer one, and a dropped one is taken
	 * back: both are counted where the job really ends. */
	if (rc == SOPM_JOBQ_RECORDED || rc == SOPM_JOBQ_DEFERRED)
		count_outcome(status);
}

static void *executor_main(void *arg)
{
	struct sopm_redis r;
	struct sopm_err err;

	struct fn_ctx *ctx;

	(void)arg;
	ctx = fn_ctx_new(ex.limits, &err);
	if (ctx == NULL) {
		sopm_logf(SOPM_LOG_ERROR, "job executor: %s", err.msg);
		return NULL;
	}
	sopm_redis_init(&r, ex.cfg);
	while (!atomic_load(&ex.stop)) {
		struct sopm_job job;

		if (sopm_jobq_next(ex.q, &r, TAKE_WAIT_MS, DOWN_PAUSE_US,
		                   &job)) {
			run_job(&r, ctx, &job);
			sopm_job_clear(&job);
		}
	}
	sopm_redis_close(&r);
	fn_ctx_free(ctx);
	return NULL;
}

static void supervise(struct sopm_redis *r)
{
	struct sopm_jobq_report rep = {0}, runs = {0};
	struct sopm_err err;

	sopm_jobq_supervise(ex.q, r, &rep, &err);
	fcgi_stats_add(FCGI_C_JOBS_RETRIED, (uint64_t)rep.requeued);
	fcgi_stats_add(FCGI_C_JOBS_FAILED, (uint64_t)rep.failed);
	fcgi_stats_add(FCGI_C_JOBS_TIMEOUT, (uint64_t)rep.timed_out);
	/* The jobs.* counters are the catalog's; what this does to runs is
	 * logged by sopm_jobq. */
	if (ex.runs != NULL)
		sopm_jobq_supervise(ex.runs, r, &runs, &err);
}

static void *supervisor_main(void *arg)
{
	struct sopm_redis r;
	struct sopm_db db;
	struct sopm_err err;
	uint64_t next_sweep_us = 0;

	(void)arg;
	sopm_redis_init(&r, ex.cfg);
	sopm_db_init(&db, ex.cfg);
	while (!atomic_load(&ex.stop_supervisor)) {
		supervise(&r);
		/* Builds lost on the way to the queue (sopm_builds.h): at
		 * start-up, then every few seconds, by one worker at a time. */
		if (sopm_time_mono_us() >= next_sweep_us) {
			sopm_builds_sweep(&db, &r, &err);
			next_sweep_us = sopm_time_mono_us() +
			                SOPM_BUILDS_SWEEP_EVERY_MS * 1000ull;
		}
		for (int i = 0; i < 10 && !atomic_load(&ex.stop_supervisor);
		     i++)
			usleep(SUPERVISE_EVERY_US / 10);
	}
	/* The executors are joined: nothing is held any more. */
	if (sopm_jobq_leave(ex.q, &r, &err) != 0 ||
	    (ex.runs != NULL && sopm_jobq_leave(ex.runs, &r, &err) != 0))
		sopm_logf(SOPM_LOG_WARN, "could not leave a job queue: %s",
		          err.msg);
	sopm_redis_close(&r);
	sopm_db_close(&db);
	return NULL;
}

int fcgi_executor_start(struct sopm_jobq *q, struct sopm_jobq *runs,
                        const struct sopm_config *cfg,
                        const struct fn_limits *limits)
{
	int n = fcgi_executor_count(cfg);

	ex.q = q;
	ex.runs = runs;
	ex.cfg = cfg;
	ex.limits = limits;
	atomic_store(&ex.stop, 0);
	atomic_store(&ex.stop_supervisor, 0);
	ex.nexecutors = 0;
	if (pthread_create(&ex.supervisor, NULL, supervisor_main, NULL) != 0)
		return -1;
	ex.supervising = 1;
	for (int i = 0; i < n; i++) {
		if (pthread_create(&ex.executors[i], NULL, executor_main,
		                   NULL) != 0)
			return -1;
		ex.nexecutors++;
	}
	return 0;
}

void fcgi_executor_stop(void)
{
	/* The heartbeat must outlive the last running job, or another worker
	 * would take that job back while it still runs here. */
	atomic_store(&ex.stop, 1);
	for (int i = 0; i < ex.nexecutors; i++)
		pthread_join(ex.executors[i], NULL);
	ex.nexecutors = 0;
	atomic_store(&ex.stop_supervisor, 1);
	if (ex.supervising)
		pthread_join(ex.supervisor, NULL);
	ex.supervising = 0;
}
