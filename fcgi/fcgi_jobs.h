/* fcgi_jobs.h - async catalog jobs in Redis.
 *
 * Keys: sopm:job:<id> (hash, expires after jobs.ttl_s), sopm:jobs:queue
 * (list of ids), sopm:jobs:processing:<owner> (ids a worker process has
 * taken), sopm:jobs:owners (set of owners), sopm:jobs:owner:<owner> (a
 * heartbeat that expires 5 s after its process stops refreshing it).
 *
 * Reliable queue: an executor moves an id atomically from the queue to its
 * owner's processing list (BLMOVE), and removes it only in the same script
 * that writes the final status. Every worker's supervisor looks for owners
 * whose heartbeat has expired (a killed process) and takes their ids back:
 * requeued while attempts < jobs.max_attempts, otherwise marked failed. So an
 * accepted job always ends completed, failed or timeout. */
#ifndef FCGI_JOBS_H
#define FCGI_JOBS_H

#include <jansson.h>

#include "fcgi_worker.h"
#include "fn.h"
#include "sopm_err.h"

/* Stores a queued job for e with input (borrowed) and pushes it on the
 * queue. Writes the new id into job_id. Returns 0, or -1 with err
 * (SOPM_E_UNAVAILABLE when Redis is down). */
int fcgi_jobs_submit(struct fcgi_worker_ctx *w, const struct fn_entry *e,
                     const json_t *input, char job_id[33],
                     struct sopm_err *err);

/* Returns the job record as API.md shows it (NEW reference), or NULL with
 * SOPM_E_NOT_FOUND or SOPM_E_UNAVAILABLE. */
json_t *fcgi_jobs_get(struct fcgi_worker_ctx *w, const char *job_id,
                      struct sopm_err *err);

/* Counts of queued and running jobs (from Redis). Returns 0 or -1. */
int fcgi_jobs_counts(struct fcgi_worker_ctx *w, long long *queued,
                     long long *running, struct sopm_err *err);

/* Starts this process's executors and supervisor, each with an fn_ctx of
 * its own made from limits. cfg and limits are
 * borrowed for the life of the threads. Returns 0 or -1. */
int fcgi_jobs_start(const struct sopm_config *cfg,
                    const struct fn_limits *limits);

/* Asks them to stop after the job in hand, and joins them. */
void fcgi_jobs_stop(void);

#endif
