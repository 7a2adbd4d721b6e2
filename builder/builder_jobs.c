/* builder_jobs.c - see builder_jobs.h.
 *
 * A version's build: pending -> building (build_started_at, build_job_id)
 * -> ready (image, digest) or failed, with the build log's tail, the finish
 * time and the duration. The job itself ends completed (ready) or failed
 * (a failed build), so /api/status/:id of a build job says the same.
 *
 * The reconcile round keeps MySQL, Redis and the disk in step:
 *   - a `building` version whose job is neither queued nor running (its
 *     builder died and the queue gave up, or Redis lost it): failed when
 *     the queue used its attempts, else pending again;
 *   - pending versions with no live job are queued again (sopm_builds);
 *   - bundles and images of deleted functions are removed. */
#include "builder_jobs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "builder_helper.h"
#include "sopm_builds.h"
#include "sopm_dbq.h"
#include "sopm_exec_stats.h"
#include "sopm_jobq.h"
#include "sopm_log.h"
#include "sopm_time.h"

#define TAKE_WAIT_MS  400 /* under redis.timeout_ms */
#define DOWN_PAUSE_US 500000
#define RECORD_TRIES  120 /* 0.5 s apart: MySQL away for a minute */

static void log_build(const json_t *input, const char *status,
                      const json_t *answer)
{
	char fields[256];

	snprintf(fields, sizeof(fields),
	         "\"version_id\":%lld,\"function_id\":%lld,\"version\":%lld,"
	         "\"status\":\"%s\",\"duration_ms\":%lld,\"base_ms\":%lld",
	         json_integer_value(json_object_get(input, "version_id")),
	         json_integer_value(json_object_get(input, "function_id")),
	         json_integer_value(json_object_get(input, "version")), status,
	         json_integer_value(json_object_get(answer, "duration_ms")),
	         json_integer_value(json_object_get(answer, "base_ms")));
	sopm_log(strcmp(status, "ready") == 0 ? SOPM_LOG_INFO : SOPM_LOG_WARN,
	         "build", fields);
}

/* Writes the outcome, retrying while MySQL is away (not past a stop). */
static int record(struct builder_daemon *d, long long version_id,
                  const char *status, const json_t *answer)
{
	const char *image = json_string_value(json_object_get(answer, "image"));
	const char *digest =
	    json_string_value(json_object_get(answer, "digest"));
	const json_t *log = json_object_get(answer, "log");
	struct sopm_dbq_arg args[] = {
	    SOPM_DBQ_S(status),
	    image ? SOPM_DBQ_S(image) : SOPM_DBQ_NUL,
	    digest ? SOPM_DBQ_S(digest) : SOPM_DBQ_NUL,
	    SOPM_DBQ_SN(json_string_value(log) ?: "", json_string_length(log)),
	    SOPM_DBQ_I(
	        json_integer_value(json_object_get(answer, "duration_ms"))),
	    SOPM_DBQ_I(version_id)};
	struct sopm_err err = {SOPM_E_UNAVAILABLE,
	                       "stopping before MySQL answered"};

	for (int i = 0; i < RECORD_TRIES && !atomic_load(&d->stop); i++) {
		if (sopm_dbq_exec(
		        &d->db,
		        "UPDATE function_versions SET status = ?, image "
		        "= ?, digest = ?, build_log = ?, "
		        "build_finished_at = NOW(3), build_duration_ms "
		        "= ? WHERE id = ? AND status = 'building'",
		        args, 6, NULL, NULL, &err) == 0)
			return 0;
		if (err.code != SOPM_E_UNAVAILABLE)
			break;
		usleep(DOWN_PAUSE_US);
	}
	sopm_logf(SOPM_LOG_ERROR, "version %lld: cannot record its build: %s",
	          version_id, err.msg);
	return -1;
}

/* Fails a version that cannot be built, with the reason as its log. */
static void fail_version(struct builder_daemon *d, long long version_id,
                         const char *why)
{
	struct sopm_dbq_arg args[] = {SOPM_DBQ_S(why), SOPM_DBQ_I(version_id)};
	struct sopm_err err;

	sopm_dbq_exec(&d->db,
	              "UPDATE function_versions SET status = 'failed', "
	              "build_log = ?, build_finished_at = NOW(3) WHERE id = ? "
	              "AND status IN ('pending', 'building')",
	              args, 2, NULL, NULL, &err);
}

/* The build request for the helper: the version row's data, its files
 * parsed (the column holds a JSON object). NEW, or NULL. */
static json_t *build_request(const json_t *row)
{
	const char *files = json_string_value(json_object_get(row, "files"));
	json_t *parsed = files ? json_loads(files, 0, NULL) : json_object();

	if (!json_is_object(parsed)) {
		json_decref(parsed);
		parsed = json_object();
	}
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:o}", "version_id",
	                 json_object_get(row, "id"), "function_id",
	                 json_object_get(row, "function_id"), "version",
	                 json_object_get(row, "version"), "runtime",
	                 json_object_get(row, "runtime"), "handler",
	                 json_object_get(row, "handler"), "code",
	                 json_object_get(row, "code"), "files", parsed);
}

/* Runs one started job. Returns the job's outcome, and its value in *value
 * (NEW). */
static enum sopm_job_status
build_one(struct builder_daemon *d, const struct sopm_job *job, json_t **value)
{
	long long vid =
	    json_integer_value(json_object_get(job->input, "version_id"));
	struct sopm_dbq_arg arg = SOPM_DBQ_I(vid);
	struct sopm_err err;
	json_t *row, *req, *answer;
	const char *status;

	row =
	    sopm_dbq_row(&d->db,
	                 "SELECT v.id, v.function_id, v.version, v.status, "
	                 "v.runtime, v.handler, v.code, v.files, f.deleted_at "
	                 "FROM function_versions v JOIN functions f ON f.id "
	                 "= v.function_id WHERE v.id = ?",
	                 &arg, 1, &err);
	if (row == NULL) {
		*value = json_pack("{s:s, s:s}", "code",
		                   sopm_err_name(err.code), "message",
		                   err.code == SOPM_E_NOT_FOUND
		                       ? "no such version"
		                       : "the registry is unavailable");
		return SOPM_JOB_FAILED;
	}
	status = json_string_value(json_object_get(row, "status"));
	if (!json_is_null(json_object_get(row, "deleted_at"))) {
		fail_version(d, vid,
		             "the function was deleted before its build");
		*value = json_pack("{s:s}", "status", "deleted");
		json_decref(row);
		return SOPM_JOB_COMPLETED;
	}
	if (strcmp(status, "ready") == 0 || strcmp(status, "failed") == 0) {
		*value =
		    json_pack("{s:s}", "status", status); /* built already */
		json_decref(row);
		return SOPM_JOB_COMPLETED;
	}
	{
		struct sopm_dbq_arg args[] = {SOPM_DBQ_S(job->id),
		                              SOPM_DBQ_I(vid)};
		if (sopm_dbq_exec(
		        &d->db,
		        "UPDATE function_versions SET status = "
		        "'building', build_job_id = ?, build_started_at "
		        "= NOW(3), build_finished_at = NULL, build_log = "
		        "NULL WHERE id = ? AND status IN ('pending', "
		        "'building')",
		        args, 2, NULL, NULL, &err) != 0) {
			json_decref(row);
			*value =
			    json_pack("{s:s, s:s}", "code", "unavailable",
			              "message", "the registry is unavailable");
			return SOPM_JOB_FAILED;
		}
	}
	req = build_request(row);
	json_decref(row);
	answer =
	    req ? builder_helper_call(d->helper_fd, "build", req, &err) : NULL;
	json_decref(req);
	if (answer == NULL) {
		/* Only a kill ends the helper; it cannot be made again once
		 * this process dropped root, so the daemon stops too, and its
		 * next start takes the job back. */
		if (!atomic_load(&d->stop))
			sopm_logf(SOPM_LOG_ERROR,
			          "build of version %lld: %s; "
			          "stopping",
			          vid, err.msg);
		atomic_store(&d->stop, 1);
		*value = json_pack("{s:s, s:s}", "code", "internal", "message",
		                   "the build stopped");
		return SOPM_JOB_FAILED;
	}
	status = json_string_value(json_object_get(answer, "status"));
	log_build(job->input, status, answer);
	record(d, vid, status, answer);
	sopm_exec_stats_observe(
	    &d->redis, SOPM_EXEC_H_BUILD_MS,
	    json_integer_value(json_object_get(answer, "duration_ms")), &err);
	json_object_del(answer, "log");
	*value = answer;
	return strcmp(status, "ready") == 0 ? SOPM_JOB_COMPLETED
	                                    : SOPM_JOB_FAILED;
}

/* `building` versions whose job is gone: run only between builds (this
 * process holds no job then; another builder's live job is left alone). */
static void reconcile_building(struct builder_daemon *d)
{
	struct sopm_err err;
	json_t *rows = sopm_dbq_rows(&d->db,
	                             "SELECT id, build_job_id FROM "
	                             "function_versions WHERE status = "
	                             "'building' LIMIT 1000",
	                             NULL, 0, &err);
	size_t i;
	json_t *row;

	json_array_foreach(rows, i, row)
	{
		const char *job_id =
		    json_string_value(json_object_get(row, "build_job_id"));
		long long vid = json_integer_value(json_object_get(row, "id"));
		json_t *job;
		const char *st;

		if (sopm_builds_job_live(&d->redis, job_id))
			continue;
		job = job_id ? sopm_jobq_get(&d->redis, job_id, &err) : NULL;
		st = json_string_value(json_object_get(job, "status"));
		if (job == NULL && err.code == SOPM_E_UNAVAILABLE)
			break;
		if (st && strcmp(st, "completed") != 0) {
			fail_version(
			    d, vid,
			    "the builder stopped during every attempt of "
			    "this build (jobs.max_attempts); upload the "
			    "code again to retry");
			sopm_logf(SOPM_LOG_WARN,
			          "version %lld: build given up (job %s)", vid,
			          st);
		} else {
			struct sopm_dbq_arg a = SOPM_DBQ_I(vid);
			sopm_dbq_exec(
			    &d->db,
			    "UPDATE function_versions SET status = "
			    "'pending', build_job_id = NULL WHERE id = ? "
			    "AND status = 'building'",
			    &a, 1, NULL, NULL, &err);
			sopm_logf(SOPM_LOG_INFO,
			          "version %lld: build lost, queued again",
			          vid);
		}
		json_decref(job);
	}
	json_decref(rows);
}

/* Removes the images and bundles of deleted functions. */
static void collect_deleted(struct builder_daemon *d)
{
	struct sopm_err err;
	json_t *list = builder_helper_call(d->helper_fd, "list", NULL, &err);
	json_t *ids = json_object_get(list, "function_ids"), *id;
	size_t i;

	json_array_foreach(ids, i, id)
	{
		struct sopm_dbq_arg a = SOPM_DBQ_I(json_integer_value(id));
		json_t *f = sopm_dbq_row(&d->db,
		                         "SELECT deleted_at FROM functions "
		                         "WHERE id = ?",
		                         &a, 1, &err);
		json_t *versions, *req, *done;

		if (f == NULL && err.code != SOPM_E_NOT_FOUND)
			break; /* MySQL away: next round */
		if (f != NULL &&
		    json_is_null(json_object_get(f, "deleted_at"))) {
			json_decref(f);
			continue;
		}
		json_decref(f);
		versions =
		    sopm_dbq_rows(&d->db,
		                  "SELECT version FROM function_versions "
		                  "WHERE function_id = ?",
		                  &a, 1, &err);
		req = json_pack("{s:O, s:[]}", "function_id", id, "versions");
		for (size_t k = 0; k < json_array_size(versions); k++)
			json_array_append(
			    json_object_get(req, "versions"),
			    json_object_get(json_array_get(versions, k),
			                    "version"));
		done =
		    req ? builder_helper_call(d->helper_fd, "remove", req, &err)
		        : NULL;
		json_decref(done);
		json_decref(req);
		json_decref(versions);
	}
	json_decref(list);
}

static void reconcile(struct builder_daemon *d)
{
	struct sopm_err err;

	reconcile_building(d);
	sopm_builds_sweep(&d->db, &d->redis, &err);
	collect_deleted(d);
}

void builder_jobs_recover(struct builder_daemon *d)
{
	struct sopm_err err;
	json_t *r = builder_helper_call(d->helper_fd, "recover", NULL, &err);
	long n = json_integer_value(json_object_get(r, "sandboxes"));

	if (r == NULL)
		sopm_logf(SOPM_LOG_ERROR, "recovery: %s", err.msg);
	else if (n > 0)
		sopm_logf(SOPM_LOG_WARN,
		          "recovery: deleted %ld sandbox(es) left behind", n);
	json_decref(r);
	reconcile(d);
}

void builder_jobs_run(struct builder_daemon *d)
{
	struct sopm_jobq *q = sopm_builds_queue();
	uint64_t next =
	    sopm_time_mono_us() + SOPM_BUILDS_SWEEP_EVERY_MS * 1000ull;

	while (!atomic_load(&d->stop)) {
		char id[SOPM_ID_LEN];
		struct sopm_job job = {0};
		struct sopm_err err;
		json_t *value = NULL;
		enum sopm_job_status st;
		int rc;

		if (sopm_time_mono_us() >= next) {
			reconcile(d);
			next = sopm_time_mono_us() +
			       SOPM_BUILDS_SWEEP_EVERY_MS * 1000ull;
		}
		rc = sopm_jobq_take(q, &d->redis, TAKE_WAIT_MS, id, &err);
		if (rc < 0)
			usleep(DOWN_PAUSE_US);
		if (rc <= 0)
			continue;
		if (sopm_jobq_start(q, &d->redis, id, &job, &err) == 1) {
			uint64_t start = sopm_time_mono_us();

			st = build_one(d, &job, &value);
			if (atomic_load(
			        &d->stop)) { /* taken back after a restart */
				json_decref(value);
				sopm_job_clear(&job);
				break;
			}
			sopm_jobq_finish(q, &d->redis, &job, st, value,
			                 sopm_time_mono_us() - start, &err);
			json_decref(value);
		}
		sopm_job_clear(&job);
	}
}
