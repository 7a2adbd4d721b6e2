/* builder_jobs.h - the unprivileged half of sopm-builder: takes build jobs
 * from the "builds" queue (sopm_builds, sopm_jobq), reads the version from
 * MySQL, has the root helper build it, and records the outcome; keeps the
 * registry and the disk in step (recovery, sweeps, removals). */
#ifndef BUILDER_JOBS_H
#define BUILDER_JOBS_H

#include <signal.h>
#include <stdatomic.h>

#include "sopm_config.h"
#include "sopm_db.h"
#include "sopm_redis.h"

struct builder_daemon {
	const struct sopm_config *cfg; /* borrowed */
	int helper_fd;                 /* builder_helper.h */
	struct sopm_db db;
	struct sopm_redis redis;
	atomic_int stop; /* set by SIGTERM/SIGINT */
};

/* Start-up recovery, after a crash as after a clean stop: the helper
 * deletes leftover sandboxes and containers; then one reconcile round.
 * Errors are logged (MySQL or Redis may still be starting). */
void builder_jobs_recover(struct builder_daemon *d);

/* Takes and builds jobs until d->stop; every SOPM_BUILDS_SWEEP_EVERY_MS
 * between jobs, one reconcile round (builder_jobs.c). */
void builder_jobs_run(struct builder_daemon *d);

#endif
