/* executor_jobs.h - the executor's threads in sopm-builder: executor.workers
 * threads take run jobs from the "runs" queue (sopm_runs.h), read the
 * version from MySQL, run it (executor_run.h), finish the job with its
 * outcome and the call's cold_start, init_us, wait_us and logs, and write
 * the executions row; a janitor thread stops idle sandboxes, retires those
 * of deleted or changed functions, and keeps the executor's statistics in
 * Redis (sopm_exec_stats.h). */
#ifndef EXECUTOR_JOBS_H
#define EXECUTOR_JOBS_H

#include <stdatomic.h>

#include "sopm_config.h"
#include "sopm_err.h"
#include "sopm_jobq.h"

/* Starts the threads. helper_fd is the root helper the pool uses; stop is
 * watched by every thread. Returns 0, or -1 with err. */
int executor_jobs_start(const struct sopm_config *cfg, int helper_fd,
                        atomic_int *stop, struct sopm_err *err);

/* The "runs" queue (for the supervisor), once started; else NULL. */
struct sopm_jobq *executor_jobs_queue(void);

/* Waits for the threads (after *stop is set), then stops every sandbox. */
void executor_jobs_join(void);

#endif
