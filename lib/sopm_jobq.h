/* sopm_jobq.h - the reliable job queue in Redis: the one implementation of
 * the protocol, for every process that submits or runs jobs (the pool now,
 * the builder later). It knows nothing of HTTP or of the catalog: a job is
 * a function name, a kind and an input (JSON).
 *
 * Keys, for a queue named Q ("jobs" for catalog jobs, "runs" for user
 * functions, "builds"):
 *   sopm:job:<id>             hash: the job record; expires jobs.ttl_s after
 *                             submit, and again after it ends
 *   sopm:job:<id>:done        list: one element pushed whenever the job ends
 *                             (whoever ends it), for sopm_jobq_wait();
 *                             expires jobs.ttl_s after
 *   sopm:Q:queue              list of ids waiting to run
 *   sopm:Q:processing:<owner> ids an owner (one process) has taken
 *   sopm:Q:owners             set of owners
 *   sopm:Q:owner:<owner>      heartbeat; expires 5 s after the owner's last
 *                             supervise round
 *   sopm:Q:deadlines          sorted set: id -> the time (ms since the epoch)
 *                             by which its current run must have ended
 *
 * Life of a job: submit (queued) -> take (BLMOVE into the owner's processing
 * list) -> start (running; attempts + 1; deadline = now + jobs.timeout_ms +
 * 5 s, or for a job submitted with its own timeout now + that timeout +
 * SOPM_JOBQ_COLD_START_MARGIN_MS) -> finish (completed, failed or timeout;
 * removed from the list in the same script). Nothing that can fail leaves a
 * job stuck:
 *   - the owner dies: a supervisor of another process sees the heartbeat
 *     gone and takes its ids back: requeued while attempts < the queue's
 *     max attempts (jobs.max_attempts, or sopm_jobq_set_max_attempts), failed
 *     after;
 *   - Redis is away at finish: the outcome waits in this process's memory
 *     (at most jobs.finish_buffer_bytes) and every supervise round and every
 *     take retries it. Past the bound the outcome is dropped (logged): the
 *     job is then taken back like that of a dead owner (run again, or failed
 *     when its attempts are used);
 *   - an id sits in our processing list with nobody holding it (a reply lost
 *     with the connection): the owner's own supervisor takes it back after
 *     two rounds;
 *   - a run outlives its deadline, whoever owns it: a supervisor marks it
 *     timeout.
 * Fencing: start returns the attempt number, and finish records only while
 * the record still has that number and no final status, so a late finish of
 * an attempt that was taken back cannot overwrite a newer outcome.
 *
 * Threads: a struct sopm_jobq is shared by the threads of one process (its
 * mutable parts are locked); each thread passes its own struct sopm_redis.
 * sopm_jobq_supervise() must not run in two threads at once. */
#ifndef SOPM_JOBQ_H
#define SOPM_JOBQ_H

#include <jansson.h>
#include <stdint.h>

#include "sopm_config.h"
#include "sopm_err.h"
#include "sopm_id.h"
#include "sopm_redis.h"

#define SOPM_JOBQ_FN_MAX 129 /* function name + NUL */

/* What a job with its own timeout may take on top of it before its deadline
 * passes (ms): a first cold start (a sandbox boot) can take long. */
#define SOPM_JOBQ_COLD_START_MARGIN_MS 30000

/* At most this many extra record fields per submit and per finish. */
#define SOPM_JOBQ_EXTRA_MAX 16

struct sopm_jobq;

/* The final states of a run. */
enum sopm_job_status { SOPM_JOB_COMPLETED, SOPM_JOB_FAILED, SOPM_JOB_TIMEOUT };

/* A started job. Owned by the thread that started it; sopm_job_clear()
 * frees what it holds. */
struct sopm_job {
	char id[SOPM_ID_LEN];
	char function[SOPM_JOBQ_FN_MAX];
	json_t *input;        /* NEW reference, owned by the job */
	long long attempt;    /* the fencing value for finish */
	long long timeout_ms; /* its own run bound (submit options), or 0 */
};

/* Options of sopm_jobq_submit_opts(). Zeroed = sopm_jobq_submit(). */
struct sopm_jobq_submit_opts {
	/* > 0: the job's own run bound in ms: start sets its deadline to now +
	 * timeout_ms + SOPM_JOBQ_COLD_START_MARGIN_MS (instead of
	 * jobs.timeout_ms + 5 s) and gives it back in sopm_job.timeout_ms. */
	long long timeout_ms;
	/* Borrowed, may be NULL: an object of extra record fields (at most
	 * SOPM_JOBQ_EXTRA_MAX, none of the queue's own names such as status
	 * or result), shown by sopm_jobq_get() with their JSON types. */
	const json_t *fields;
};

/* What became of a finish. */
enum sopm_jobq_finish_result {
	SOPM_JOBQ_RECORDED, /* the outcome is in the record */
	SOPM_JOBQ_DEFERRED, /* Redis is away: kept in memory, retried */
	SOPM_JOBQ_STALE     /* a newer attempt or a final state won */
};

/* What one supervise round did, for statistics. */
struct sopm_jobq_report {
	long requeued;  /* taken back and queued again */
	long failed;    /* taken back with every attempt used */
	long timed_out; /* ran past their deadline */
	long recorded;  /* deferred outcomes written */
	long stale;     /* deferred outcomes that lost to a newer one */
};

/* Makes the queue `queue` ([a-z0-9_-], 1-32 characters) for this process,
 * with up to `takers` threads holding a job at once. cfg is borrowed (jobs.*)
 * and must outlive q. Returns a NEW queue (sopm_jobq_free), or NULL with
 * SOPM_E_INVALID_INPUT (bad name) or SOPM_E_INTERNAL (no memory). Touches
 * no Redis. */
struct sopm_jobq *sopm_jobq_new(const char *queue, int takers,
                                const struct sopm_config *cfg,
                                struct sopm_err *err);

/* Sets how many runs a job of q may have before a take-back fails it
 * (1: never run twice, for work that need not be idempotent); 0 restores
 * jobs.max_attempts. Call it before the threads use q. */
void sopm_jobq_set_max_attempts(struct sopm_jobq *q, int max_attempts);

/* Frees q. Deferred outcomes still in memory are dropped (logged): call
 * sopm_jobq_leave() first. NULL is allowed. */
void sopm_jobq_free(struct sopm_jobq *q);

/* Stores a queued job {function, kind, input (borrowed)} and pushes it on
 * the queue. Writes its new id into job_id. Returns 0, or -1 with err
 * (SOPM_E_UNAVAILABLE when Redis is down, SOPM_E_INTERNAL otherwise). */
int sopm_jobq_submit(struct sopm_jobq *q, struct sopm_redis *r,
                     const char *function, const char *kind,
                     const json_t *input, char job_id[SOPM_ID_LEN],
                     struct sopm_err *err);

/* sopm_jobq_submit() with options (opts may be NULL). Returns 0, or -1
 * with err (also SOPM_E_INVALID_INPUT for bad extra fields). */
int sopm_jobq_submit_opts(struct sopm_jobq *q, struct sopm_redis *r,
                          const char *function, const char *kind,
                          const json_t *input,
                          const struct sopm_jobq_submit_opts *opts,
                          char job_id[SOPM_ID_LEN], struct sopm_err *err);

/* The record of job_id as API.md shows it, as a NEW reference; or NULL with
 * SOPM_E_NOT_FOUND (no such job, or not an id) or SOPM_E_UNAVAILABLE. Extra
 * fields (submit options, sopm_jobq_finish_ex) keep their JSON types. */
json_t *sopm_jobq_get(struct sopm_redis *r, const char *job_id,
                      struct sopm_err *err);

/* Waits up to timeout_ms for job_id to end (a BLPOP on its done key, in
 * slices that re-read the record; redis.timeout_ms need not exceed it).
 * Returns its final record (NEW, as sopm_jobq_get), or NULL with
 * SOPM_E_TIMEOUT (not ended in time; it goes on), SOPM_E_NOT_FOUND or
 * SOPM_E_UNAVAILABLE. Uses no queue: any process may wait. */
json_t *sopm_jobq_wait(struct sopm_redis *r, const char *job_id,
                       long timeout_ms, struct sopm_err *err);

/* Counts of queued and running (taken) jobs of q. Returns 0, or -1 with
 * err. */
int sopm_jobq_counts(struct sopm_jobq *q, struct sopm_redis *r,
                     long long *queued, long long *running,
                     struct sopm_err *err);

/* Waits up to wait_ms (keep it under redis.timeout_ms) for a queued id and
 * moves it to this process's processing list; the calling thread then holds
 * it until sopm_jobq_start() says not to run it, or sopm_jobq_finish().
 * First retries deferred outcomes (sopm_jobq_flush). Returns 1 with the id
 * in id, 0 when none came, or -1 with err (Redis is down, or more takers
 * than q was made for). */
int sopm_jobq_take(struct sopm_jobq *q, struct sopm_redis *r, long wait_ms,
                   char id[SOPM_ID_LEN], struct sopm_err *err);

/* Marks a taken id running and fills job (its input is NEW, see
 * sopm_job_clear). Returns 1: run it, then finish; 0: the job is gone or
 * already ended (let go, nothing to do); -1 with err: Redis failed (let go;
 * the supervisor takes the id back). */
int sopm_jobq_start(struct sopm_jobq *q, struct sopm_redis *r, const char *id,
                    struct sopm_job *job, struct sopm_err *err);

/* One step of a taker thread's loop: take (waiting up to wait_ms), then
 * start. Returns 1 with a started job in job (run it, finish it, then
 * sopm_job_clear), or 0 when there is nothing to run now; when Redis is
 * down it first sleeps down_pause_us, so that the loop does not spin. */
int sopm_jobq_next(struct sopm_jobq *q, struct sopm_redis *r, long wait_ms,
                   long down_pause_us, struct sopm_job *job);

/* Records the end of a started job: status, value (borrowed: the result
 * when completed, else the error object {code, message}) and the run time.
 * Lets the job go. Returns a sopm_jobq_finish_result, or -1 with err when
 * Redis is away and the outcome does not fit in memory (dropped: the job
 * is taken back later, see above). */
int sopm_jobq_finish(struct sopm_jobq *q, struct sopm_redis *r,
                     const struct sopm_job *job, enum sopm_job_status status,
                     const json_t *value, uint64_t duration_us,
                     struct sopm_err *err);

/* sopm_jobq_finish() that also records extra (borrowed, may be NULL): an
 * object of at most SOPM_JOBQ_EXTRA_MAX fields, none of the queue's own
 * names, e.g. {"cold_start": true, "init_us": 180000, "logs": "..."}.
 * They are kept with the outcome while Redis is away, and sopm_jobq_get()
 * shows them with their JSON types. Bad extra fields (not an object, too
 * many, a name of the queue's own) are left out (logged): the outcome is
 * recorded all the same. Returns as sopm_jobq_finish(). */
int sopm_jobq_finish_ex(struct sopm_jobq *q, struct sopm_redis *r,
                        const struct sopm_job *job, enum sopm_job_status status,
                        const json_t *value, uint64_t duration_us,
                        const json_t *extra, struct sopm_err *err);

/* Frees what job holds (its input); job may be cleared twice. */
void sopm_job_clear(struct sopm_job *job);

/* Writes deferred outcomes, oldest first, adding to rep (may be NULL).
 * Returns 0 when none is left or another thread is flushing, or -1 with err
 * while Redis is away. */
int sopm_jobq_flush(struct sopm_jobq *q, struct sopm_redis *r,
                    struct sopm_jobq_report *rep, struct sopm_err *err);

/* One supervise round (run it about every second): refreshes the
 * heartbeat, writes deferred outcomes, takes back the ids of dead owners and
 * the ids nobody holds in our own list, and times out runs past their
 * deadline. Adds what it did to rep. Returns 0, or -1 with err when Redis
 * failed (the round stops there; the next one starts over). */
int sopm_jobq_supervise(struct sopm_jobq *q, struct sopm_redis *r,
                        struct sopm_jobq_report *rep, struct sopm_err *err);

/* A clean exit, once no thread holds a job: writes deferred outcomes,
 * removes the heartbeat (so others take back at once whatever is left) and,
 * when our list is empty, the owner. Returns 0, or -1 with err when Redis
 * failed (the heartbeat then expires by itself). */
int sopm_jobq_leave(struct sopm_jobq *q, struct sopm_redis *r,
                    struct sopm_err *err);

/* Name of a status: "completed", "failed", "timeout". Static storage. */
const char *sopm_job_status_name(enum sopm_job_status status);

#endif
