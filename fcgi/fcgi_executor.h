/* fcgi_executor.h - a worker's async job threads: executors that take
 * catalog jobs from the queue (lib/sopm_jobq.h) and run them through the
 * catalog, and one supervisor that runs the queue's supervise rounds. */
#ifndef FCGI_EXECUTOR_H
#define FCGI_EXECUTOR_H

#include "fn.h"
#include "sopm_config.h"
#include "sopm_jobq.h"

#define FCGI_EXECUTOR_MAX 64 /* executors per worker, whatever the config */

/* Number of executors for cfg (jobs.executor_threads, at most
 * FCGI_EXECUTOR_MAX): what the queue must be made for. */
int fcgi_executor_count(const struct sopm_config *cfg);

/* Starts the executors of q (each with its own fn_ctx made from limits)
 * and the supervisor of this process, which also supervises runs (the
 * user-function run queue, sopm_runs.h: the pool never takes from it, but
 * fails or times out the runs of a dead sopm-builder). q, runs, cfg and
 * limits are borrowed until fcgi_executor_stop() returns. Returns 0, or -1
 * when a thread could not be made (those that were run on). */
int fcgi_executor_start(struct sopm_jobq *q, struct sopm_jobq *runs,
                        const struct sopm_config *cfg,
                        const struct fn_limits *limits);

/* Asks the executors to stop after the job in hand, joins them, then lets
 * the supervisor record what is deferred and leave the queues, and joins
 * it. */
void fcgi_executor_stop(void);

#endif
