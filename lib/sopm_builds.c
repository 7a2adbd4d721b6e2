/* sopm_builds.c - see sopm_builds.h. */
#include "sopm_builds.h"

#include <hiredis.h>
#include <string.h>
#include <unistd.h>

#include "sopm_dbq.h"
#include "sopm_jobq.h"
#include "sopm_log.h"

static struct sopm_jobq *builds;

int sopm_builds_init(const struct sopm_config *cfg, struct sopm_err *err)
{
	if (builds == NULL)
		builds = sopm_jobq_new("builds", 1, cfg, err);
	return builds ? 0 : -1;
}

int sopm_builds_enqueue(struct sopm_db *db, struct sopm_redis *r,
                        long long version_id, long long function_id,
                        long long version, struct sopm_err *err)
{
	char job_id[SOPM_ID_LEN];
	json_t *input =
	    json_pack("{s:I,s:I,s:I}", "version_id", version_id, "function_id",
	              function_id, "version", version);
	int rc;

	if (input == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	rc = sopm_jobq_submit(builds, r, "build", "build", input, job_id, err);
	json_decref(input);
	if (rc != 0)
		return -1;
	{
		struct sopm_dbq_arg args[] = {SOPM_DBQ_S(job_id),
		                              SOPM_DBQ_I(version_id)};
		return sopm_dbq_exec(
		    db,
		    "UPDATE function_versions SET build_job_id = "
		    "? WHERE id = ? AND status = 'pending'",
		    args, 2, NULL, NULL, err);
	}
}

struct sopm_jobq *sopm_builds_queue(void)
{
	return builds;
}

int sopm_builds_job_live(struct sopm_redis *r, const char *job_id)
{
	struct sopm_err err;
	json_t *job = job_id ? sopm_jobq_get(r, job_id, &err) : NULL;
	const char *status = json_string_value(json_object_get(job, "status"));
	int live = status && (strcmp(status, "queued") == 0 ||
	                      strcmp(status, "running") == 0);

	json_decref(job);
	return live;
}

/* Every pending version is looked at, a page at a time (keyset on v.id):
 * with no builder taking jobs, versions stay pending, and a sweep that saw
 * only the first page would never find a lost build behind it. */
int sopm_builds_sweep(struct sopm_db *db, struct sopm_redis *r,
                      struct sopm_err *err)
{
	char px[24];
	redisReply *lock;
	json_t *rows, *row;
	size_t i, n;
	long long after = 0;
	int queued = 0, rc = 0;

	snprintf(px, sizeof(px), "%d", SOPM_BUILDS_SWEEP_EVERY_MS - 500);
	lock = sopm_redis_cmd(r, err, "SET sopm:lock:build-sweep %d NX PX %s",
	                      (int)getpid(), px);
	if (lock == NULL)
		return -1;
	if (lock->type != REDIS_REPLY_STATUS) { /* another process swept */
		freeReplyObject(lock);
		return 0;
	}
	freeReplyObject(lock);
	do {
		struct sopm_dbq_arg arg = SOPM_DBQ_I(after);
		rows = sopm_dbq_rows(
		    db,
		    "SELECT v.id, v.function_id, v.version, v.build_job_id "
		    "FROM function_versions v JOIN functions f ON f.id = "
		    "v.function_id WHERE v.status = 'pending' AND f.deleted_at "
		    "IS NULL AND v.id > ? ORDER BY v.id LIMIT 100",
		    &arg, 1, err);
		if (rows == NULL) {
			rc = -1;
			break;
		}
		n = json_array_size(rows);
		json_array_foreach(rows, i, row)
		{
			const char *job = json_string_value(
			    json_object_get(row, "build_job_id"));
			after = json_integer_value(json_object_get(row, "id"));
			if (sopm_builds_job_live(r, job))
				continue;
			if (sopm_builds_enqueue(
			        db, r, after,
			        json_integer_value(
			            json_object_get(row, "function_id")),
			        json_integer_value(
			            json_object_get(row, "version")),
			        err) != 0) {
				rc = -1;
				break;
			}
			queued++;
		}
		json_decref(rows);
	} while (rc == 0 && n == 100);
	if (queued > 0)
		sopm_logf(SOPM_LOG_INFO,
		          "queued %d pending build(s) again (no live job)",
		          queued);
	return rc < 0 && queued == 0 ? -1 : queued;
}
