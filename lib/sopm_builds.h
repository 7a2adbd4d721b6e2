/* sopm_builds.h - the build queue of user-function versions, shared by the
 * pool (which queues builds) and sopm-builder (which takes them).
 *
 * A version is stored `pending` in MySQL first, then a build job
 * {"version_id", "function_id", "version"} is pushed on the Redis queue
 * "builds" through sopm_jobq, and its id kept in
 * function_versions.build_job_id. Losing the push (Redis down, a crash
 * between the two) loses no build: the sweep finds every pending version of
 * a live function whose job is gone or never was, and queues it again. */
#ifndef SOPM_BUILDS_H
#define SOPM_BUILDS_H

#include "sopm_config.h"
#include "sopm_jobq.h"
#include "sopm_db.h"
#include "sopm_err.h"
#include "sopm_redis.h"

#define SOPM_BUILDS_SWEEP_EVERY_MS 5000

/* Makes the process's build queue handle (once, before threads use it).
 * Returns 0, or -1 with err. */
int sopm_builds_init(const struct sopm_config *cfg, struct sopm_err *err);

/* The process's build queue handle (NULL before sopm_builds_init). */
struct sopm_jobq *sopm_builds_queue(void);

/* Whether job_id (may be NULL) is a build job still queued or running. */
int sopm_builds_job_live(struct sopm_redis *r, const char *job_id);

/* Queues a build of version row version_id (of function function_id,
 * number version) and records its job id. Returns 0, or -1 with err
 * (the version stays pending; the sweep queues it later). */
int sopm_builds_enqueue(struct sopm_db *db, struct sopm_redis *r,
                        long long version_id, long long function_id,
                        long long version, struct sopm_err *err);

/* One sweep, when no other process swept in the last
 * SOPM_BUILDS_SWEEP_EVERY_MS (a Redis lock): queues again every pending
 * version with no live build job. Returns the number queued, or -1 with
 * err. */
int sopm_builds_sweep(struct sopm_db *db, struct sopm_redis *r,
                      struct sopm_err *err);

#endif
