/* sopm_runs.h - the run queue of user functions: what the pool submits
 * (POST /api/user-functions/:id/execute) and sopm-builder's executor takes.
 * One definition for both processes: the queue's name, its attempts, the
 * job's kind and the shape of its input.
 *
 * A run job (sopm_jobq, queue "runs"): function = the user function's name,
 * kind = "user", input = {"function_id": int, "version": int, "user_id":
 * int, "input": <the event, any JSON>, "submitted_us": int}, its own timeout =
 * the function's timeout_ms (deadline: start + timeout_ms +
 * SOPM_JOBQ_COLD_START_MARGIN_MS), and the record shows function_id, version
 * and user_id. A run is never run twice (a user function need not be
 * idempotent): one taken back from a dead owner ends failed. */
#ifndef SOPM_RUNS_H
#define SOPM_RUNS_H

#include <jansson.h>

#include "sopm_config.h"
#include "sopm_err.h"
#include "sopm_jobq.h"
#include "sopm_redis.h"

#define SOPM_RUNS_QUEUE        "runs"
#define SOPM_RUNS_KIND         "user"
#define SOPM_RUNS_MAX_ATTEMPTS 1

/* Which version of which function a run is, and its bound. */
struct sopm_run {
	long long function_id, version, user_id; /* user_id: the owner's */
	long long timeout_ms;                    /* the function's */
	char function[SOPM_JOBQ_FN_MAX];         /* its name */
	long long submitted_us; /* when it was submitted (Unix time, us; 0:
	                         * not known; set by sopm_runs_submit) */
};

/* Makes this process's "runs" queue for up to `takers` threads holding a
 * run at once (a process that only submits and supervises: 1), with
 * SOPM_RUNS_MAX_ATTEMPTS. cfg is borrowed and must outlive it. Returns a NEW
 * queue (sopm_jobq_free), or NULL with err. */
struct sopm_jobq *sopm_runs_new(int takers, const struct sopm_config *cfg,
                                struct sopm_err *err);

/* Submits a run of `run` (borrowed) with event (borrowed, any JSON) on q.
 * Writes the job's id into job_id. Returns 0, or -1 with err
 * (SOPM_E_UNAVAILABLE when Redis is down). */
int sopm_runs_submit(struct sopm_jobq *q, struct sopm_redis *r,
                     const struct sopm_run *run, const json_t *event,
                     char job_id[SOPM_ID_LEN], struct sopm_err *err);

/* Reads a started run: fills run from job (borrowed; run->timeout_ms is
 * job->timeout_ms) and returns its event, BORROWED from job->input (valid
 * while job is not cleared); or NULL with SOPM_E_INVALID_INPUT when job is
 * not a run. */
const json_t *sopm_runs_read(const struct sopm_job *job, struct sopm_run *run,
                             struct sopm_err *err);

#endif
