/* api_user_functions.c - /api/user-functions (API.md "User functions"):
 * create, new version, list, get, delete and execute, scoped to the
 * caller's user. Another user's function is 404, never 403. An admin may
 * name any user with ?user_id= and reach any function by id.
 *
 * The pipeline has already checked the key, the rate, the parameters, the
 * body's schema and the upload rules (registry_upload.c). */
#include <stdlib.h>
#include <string.h>

#include "fcgi_api.h"
#include "fcgi_quota.h"
#include "fcgi_worker.h"
#include "sopm_builds.h"
#include "registry_upload.h"
#include "sopm_dbq.h"
#include "sopm_log.h"
#include "sopm_runs.h"

#define DEFAULT_HANDLER    "handle"
#define DEFAULT_MEMORY_MB  128
#define DEFAULT_TIMEOUT_MS 5000

/* The function columns of API.md, with its latest version's build status. */
#define FUNCTION_COLS                                                          \
	"f.id, f.user_id, f.name, f.runtime, f.handler, f.description, "       \
	"f.memory_mb, f.timeout_ms, f.env, f.version, f.enabled, "             \
	"COALESCE(v.status, 'pending') AS status, f.created_at, f.updated_at " \
	"FROM functions f LEFT JOIN function_versions v ON v.function_id = "   \
	"f.id AND v.version = f.version "

/* Whose functions a request acts on. */
struct scope {
	long long owner; /* the user named (or the caller) */
	int any;         /* an admin without user_id: any owner, by id */
};

static struct sopm_db *db_of(struct fcgi_req *req)
{
	return &req->worker->db;
}

/* ?user_id= : honoured for admins (the user must exist); for anyone else
 * ignored when it names the caller, and 404 when it names another user. */
static int get_scope(struct fcgi_req *req, struct scope *s,
                     struct sopm_err *err)
{
	const char *named = fcgi_req_arg(req, "user_id");
	long long id = named ? strtoll(named, NULL, 10) : 0;

	s->owner = req->caller.user_id;
	s->any = req->caller.is_admin && named == NULL;
	if (named == NULL || id == req->caller.user_id)
		return 0;
	if (!req->caller.is_admin)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "user not found");
	{
		struct sopm_dbq_arg a = SOPM_DBQ_I(id);
		json_t *row = sopm_dbq_row(db_of(req),
		                           "SELECT id FROM users WHERE id = ?",
		                           &a, 1, err);
		if (row == NULL)
			return err->code == SOPM_E_NOT_FOUND
			           ? sopm_err_set(err, SOPM_E_NOT_FOUND,
			                          "user %lld not found", id)
			           : -1;
		json_decref(row);
	}
	s->owner = id;
	return 0;
}

static long long row_int(const json_t *row, const char *name)
{
	return json_integer_value(json_object_get(row, name));
}

/* A function row as API.md shows it: enabled as a boolean, env as an
 * object. Modifies row in place and returns it. */
static json_t *shape_function(json_t *row)
{
	const char *env = json_string_value(json_object_get(row, "env"));

	json_object_set_new(row, "enabled",
	                    json_boolean(row_int(row, "enabled") != 0));
	json_object_set_new(row, "env",
	                    env ? json_loads(env, 0, NULL) : json_object());
	if (json_object_get(row, "env") == NULL)
		json_object_set_new(row, "env", json_object());
	return row;
}

/* The live function `id` in scope, as a NEW row; 404 otherwise. */
static json_t *find_function(struct fcgi_req *req, const struct scope *s,
                             const char *lock, struct sopm_err *err)
{
	struct sopm_dbq_arg args[] = {
	    SOPM_DBQ_I(strtoll(fcgi_req_arg(req, "id"), NULL, 10)),
	    SOPM_DBQ_I(s->owner), SOPM_DBQ_I(s->any)};
	char sql[1024];
	json_t *row;

	snprintf(sql, sizeof(sql),
	         "SELECT " FUNCTION_COLS "WHERE f.id = ? AND f.deleted_at IS "
	         "NULL AND (f.user_id = ? OR ? = 1)%s",
	         lock);
	row = sopm_dbq_row(db_of(req), sql, args, 3, err);
	if (row == NULL && err->code == SOPM_E_NOT_FOUND)
		sopm_err_set(err, SOPM_E_NOT_FOUND, "function not found");
	return row;
}

/* The upload's settings, with API.md's defaults. */
struct settings {
	const char *runtime, *handler, *description;
	long long memory_mb, timeout_ms;
	char *env, *files; /* compact JSON, owned */
	char sha256[65];
};

static long long int_or(const json_t *o, const char *name, long long dflt)
{
	json_t *v = json_object_get(o, name);
	return v ? json_integer_value(v) : dflt;
}

static int read_settings(const json_t *u, const char *runtime,
                         struct settings *st, struct sopm_err *err)
{
	const json_t *env = json_object_get(u, "env");
	const json_t *files = json_object_get(u, "files");
	const char *d = json_string_value(json_object_get(u, "description"));
	const char *h = json_string_value(json_object_get(u, "handler"));

	st->runtime = runtime;
	st->handler = h ? h : DEFAULT_HANDLER;
	st->description = d ? d : "";
	st->memory_mb = int_or(u, "memory_mb", DEFAULT_MEMORY_MB);
	st->timeout_ms = int_or(u, "timeout_ms", DEFAULT_TIMEOUT_MS);
	st->env = env ? json_dumps(env, JSON_COMPACT) : strdup("{}");
	st->files = files ? json_dumps(files, JSON_COMPACT) : strdup("{}");
	if (st->env == NULL || st->files == NULL ||
	    registry_upload_sha256(u, st->sha256) != 0)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	return 0;
}

static void free_settings(struct settings *st)
{
	free(st->env);
	free(st->files);
}

static int insert_version(struct fcgi_req *req, long long function_id,
                          long long version, const struct settings *st,
                          unsigned long long *version_id, struct sopm_err *err)
{
	const json_t *code = json_object_get(req->json, "code");
	struct sopm_dbq_arg args[] = {
	    SOPM_DBQ_I(function_id),
	    SOPM_DBQ_I(version),
	    SOPM_DBQ_S(st->runtime),
	    SOPM_DBQ_S(st->handler),
	    SOPM_DBQ_SN(json_string_value(code), json_string_length(code)),
	    SOPM_DBQ_S(st->files),
	    SOPM_DBQ_S(st->sha256),
	    SOPM_DBQ_I((long long)registry_upload_bytes(req->json))};

	return sopm_dbq_exec(db_of(req),
	                     "INSERT INTO function_versions (function_id, "
	                     "version, runtime, handler, code, files, "
	                     "code_sha256, size_bytes) VALUES "
	                     "(?, ?, ?, ?, ?, ?, ?, ?)",
	                     args, 8, NULL, version_id, err);
}

/* After the commit: queue the build (a failure leaves it to the sweep)
 * and answer {id, name, version, status, runtime}. */
static int answer_upload(struct fcgi_req *req, int status,
                         long long function_id, const char *name,
                         long long version, unsigned long long version_id,
                         const char *runtime)
{
	struct sopm_err qerr;

	if (sopm_builds_enqueue(db_of(req), &req->worker->redis,
	                        (long long)version_id, function_id, version,
	                        &qerr) != 0)
		sopm_logf(SOPM_LOG_WARN,
		          "build of version %llu not queued yet (the sweep "
		          "will): %s",
		          version_id, qerr.msg);
	fcgi_resp_json(req, status,
	               json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", function_id,
	                         "name", name, "version", version, "status",
	                         "pending", "runtime", runtime));
	return 0;
}

/* The owner's function quota: the caller's own, or the owner's row. */
static long long max_functions(struct fcgi_req *req, long long owner)
{
	struct sopm_dbq_arg a = SOPM_DBQ_I(owner);
	struct sopm_err ignored;
	json_t *row;
	long long max = req->cfg->quota_max_functions;

	if (owner == req->caller.user_id)
		return req->caller.max_functions;
	row = sopm_dbq_row(db_of(req),
	                   "SELECT max_functions FROM quotas WHERE user_id = "
	                   "? AND max_functions IS NOT NULL",
	                   &a, 1, &ignored);
	if (row)
		max = row_int(row, "max_functions");
	json_decref(row);
	return max;
}

int api_user_functions_create(struct fcgi_req *req, struct sopm_err *err)
{
	const char *name =
	    json_string_value(json_object_get(req->json, "name"));
	struct settings st = {0};
	struct scope s;
	unsigned long long function_id = 0, version_id = 0;
	json_t *count;
	long long max;

	if (get_scope(req, &s, err) != 0)
		return -1;
	max = max_functions(req, s.owner);
	if (read_settings(
	        req->json,
	        json_string_value(json_object_get(req->json, "runtime")), &st,
	        err) != 0)
		goto fail;
	if (sopm_dbq_begin(db_of(req), err) != 0)
		goto fail;
	{
		/* FOR UPDATE: two uploads of one user count one at a time. */
		struct sopm_dbq_arg a = SOPM_DBQ_I(s.owner);
		count =
		    sopm_dbq_row(db_of(req),
		                 "SELECT COUNT(*) AS n FROM functions WHERE "
		                 "user_id = ? AND deleted_at IS NULL FOR "
		                 "UPDATE",
		                 &a, 1, err);
	}
	if (count == NULL)
		goto rollback;
	if (row_int(count, "n") >= max) {
		json_decref(count);
		sopm_err_set(err, SOPM_E_RATE_LIMITED,
		             "function quota reached: at most %lld live "
		             "functions per user; delete one first",
		             max);
		goto rollback;
	}
	json_decref(count);
	{
		struct sopm_dbq_arg args[] = {
		    SOPM_DBQ_I(s.owner),        SOPM_DBQ_S(name),
		    SOPM_DBQ_S(st.runtime),     SOPM_DBQ_S(st.handler),
		    SOPM_DBQ_S(st.description), SOPM_DBQ_I(st.memory_mb),
		    SOPM_DBQ_I(st.timeout_ms),  SOPM_DBQ_S(st.env)};
		if (sopm_dbq_exec(db_of(req),
		                  "INSERT INTO functions (user_id, name, "
		                  "runtime, handler, description, memory_mb, "
		                  "timeout_ms, env, version) VALUES (?, ?, ?, "
		                  "?, ?, ?, ?, ?, 1)",
		                  args, 8, NULL, &function_id, err) != 0) {
			if (err->code == SOPM_E_CONFLICT)
				sopm_err_set(err, SOPM_E_CONFLICT,
				             "a function named '%s' already "
				             "exists",
				             name);
			goto rollback;
		}
	}
	if (insert_version(req, (long long)function_id, 1, &st, &version_id,
	                   err) != 0 ||
	    sopm_dbq_commit(db_of(req), err) != 0)
		goto rollback;
	answer_upload(req, 201, (long long)function_id, name, 1, version_id,
	              st.runtime);
	free_settings(&st);
	return 0;
rollback:
	sopm_dbq_rollback(db_of(req));
fail:
	free_settings(&st);
	return -1;
}

int api_user_functions_update(struct fcgi_req *req, struct sopm_err *err)
{
	const char *name =
	    json_string_value(json_object_get(req->json, "name"));
	const char *runtime =
	    json_string_value(json_object_get(req->json, "runtime"));
	struct settings st = {0};
	struct scope s;
	unsigned long long version_id = 0;
	json_t *fn = NULL;
	long long id, version;

	if (get_scope(req, &s, err) != 0 ||
	    sopm_dbq_begin(db_of(req), err) != 0)
		return -1;
	fn = find_function(req, &s, " FOR UPDATE", err);
	if (fn == NULL)
		goto rollback;
	if (name &&
	    strcmp(name, json_string_value(json_object_get(fn, "name"))) != 0) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "field 'name' cannot change (it is '%s')",
		             json_string_value(json_object_get(fn, "name")));
		goto rollback;
	}
	if (runtime == NULL &&
	    registry_upload_check_runtime(
	        req->json, json_string_value(json_object_get(fn, "runtime")),
	        err) != 0)
		goto rollback;
	id = row_int(fn, "id");
	version = row_int(fn, "version") + 1;
	if (read_settings(
	        req->json,
	        runtime ? runtime
	                : json_string_value(json_object_get(fn, "runtime")),
	        &st, err) != 0)
		goto rollback;
	{
		struct sopm_dbq_arg args[] = {
		    SOPM_DBQ_I(version),      SOPM_DBQ_S(st.runtime),
		    SOPM_DBQ_S(st.handler),   SOPM_DBQ_S(st.description),
		    SOPM_DBQ_I(st.memory_mb), SOPM_DBQ_I(st.timeout_ms),
		    SOPM_DBQ_S(st.env),       SOPM_DBQ_I(id)};
		if (sopm_dbq_exec(db_of(req),
		                  "UPDATE functions SET version = ?, runtime = "
		                  "?, handler = ?, description = ?, memory_mb "
		                  "= ?, timeout_ms = ?, env = ? WHERE id = ?",
		                  args, 8, NULL, NULL, err) != 0)
			goto rollback;
	}
	if (insert_version(req, id, version, &st, &version_id, err) != 0 ||
	    sopm_dbq_commit(db_of(req), err) != 0)
		goto rollback;
	answer_upload(req, 200, id,
	              json_string_value(json_object_get(fn, "name")), version,
	              version_id, st.runtime);
	json_decref(fn);
	free_settings(&st);
	return 0;
rollback:
	sopm_dbq_rollback(db_of(req));
	json_decref(fn);
	free_settings(&st);
	return -1;
}

int api_user_functions_list(struct fcgi_req *req, struct sopm_err *err)
{
	struct scope s;
	struct sopm_dbq_arg a;
	json_t *rows, *row;
	size_t i;

	if (get_scope(req, &s, err) != 0)
		return -1;
	a = SOPM_DBQ_I(s.owner);
	rows = sopm_dbq_rows(db_of(req),
	                     "SELECT " FUNCTION_COLS
	                     "WHERE f.user_id = ? AND f.deleted_at IS NULL "
	                     "ORDER BY f.id LIMIT 10000",
	                     &a, 1, err);
	if (rows == NULL)
		return -1;
	json_array_foreach(rows, i, row) shape_function(row);
	fcgi_resp_json(req, 200,
	               json_pack("{s:I,s:o}", "count",
	                         (json_int_t)json_array_size(rows), "functions",
	                         rows));
	return 0;
}

int api_user_functions_get(struct fcgi_req *req, struct sopm_err *err)
{
	struct scope s;
	struct sopm_dbq_arg a;
	json_t *fn, *versions, *v;
	size_t i;

	if (get_scope(req, &s, err) != 0)
		return -1;
	fn = find_function(req, &s, "", err);
	if (fn == NULL)
		return -1;
	a = SOPM_DBQ_I(row_int(fn, "id"));
	/* build_log: its last 4 KiB here (the table keeps 64 KiB). */
	versions = sopm_dbq_rows(
	    db_of(req),
	    "SELECT version, status, runtime, handler, code_sha256, "
	    "size_bytes, image, digest, RIGHT(build_log, 4096) AS build_log, "
	    "created_at, build_started_at, build_finished_at, "
	    "build_duration_ms FROM function_versions WHERE function_id = ? "
	    "ORDER BY version",
	    &a, 1, err);
	if (versions == NULL) {
		json_decref(fn);
		return -1;
	}
	json_array_foreach(versions, i,
	                   v) if (json_is_null(json_object_get(v, "build_log")))
	    json_object_set_new(v, "build_log", json_string(""));
	shape_function(fn);
	json_object_set_new(fn, "versions", versions);
	fcgi_resp_json(req, 200, fn);
	return 0;
}

int api_user_functions_delete(struct fcgi_req *req, struct sopm_err *err)
{
	struct scope s;
	unsigned long long affected = 0;

	if (get_scope(req, &s, err) != 0)
		return -1;
	{
		struct sopm_dbq_arg args[] = {
		    SOPM_DBQ_I(strtoll(fcgi_req_arg(req, "id"), NULL, 10)),
		    SOPM_DBQ_I(s.owner), SOPM_DBQ_I(s.any)};
		if (sopm_dbq_exec(
		        db_of(req),
		        "UPDATE functions SET deleted_at = "
		        "CURRENT_TIMESTAMP(3) WHERE id = ? AND "
		        "deleted_at IS NULL AND (user_id = ? OR ? = 1)",
		        args, 3, &affected, NULL, err) != 0)
			return -1;
	}
	if (affected == 0)
		return sopm_err_set(err, SOPM_E_NOT_FOUND,
		                    "function not found");
	req->status = 204;
	return 0;
}

/* Why a version that is not ready cannot run (API.md: 409 while not
 * built, or when its build failed). */
static int not_runnable(const json_t *fn, long long version, const char *status,
                        struct sopm_err *err)
{
	const char *name = json_string_value(json_object_get(fn, "name"));

	if (strcmp(status, "failed") == 0)
		return sopm_err_set(err, SOPM_E_CONFLICT,
		                    "version %lld of '%s' failed to build: see "
		                    "its build_log",
		                    version, name);
	return sopm_err_set(err, SOPM_E_CONFLICT,
	                    "version %lld of '%s' is %s: it has not been "
	                    "built yet",
	                    version, name, status);
}

/* The members of a run's record that a sync answer repeats. */
static const char *const run_answer_fields[] = {
    "result", "duration_us", "cold_start", "init_us", "wait_us", "logs"};

/* 202 + Location for a queued run (as /api/execute's async answer). */
static int answer_queued(struct fcgi_req *req, const struct sopm_run *run)
{
	char url[64];

	snprintf(url, sizeof(url), "/api/status/%s", req->job_id);
	fcgi_resp_header(req, "Location", url);
	fcgi_resp_json(req, 202,
	               json_pack("{s:s, s:s, s:I, s:s, s:s}", "job_id",
	                         req->job_id, "function", run->function,
	                         "version", (json_int_t)run->version, "status",
	                         "queued", "status_url", url));
	return 0;
}

/* The answer of a run that ended: 200 with its result, or its error
 * mapped by code (function_error 502, timeout 504, ...) with the error's
 * other members (reason), logs and job_id inside "error". rec is
 * borrowed. */
static int answer_ended(struct fcgi_req *req, const struct sopm_run *run,
                        const json_t *rec)
{
	const char *status = json_string_value(json_object_get(rec, "status"));
	json_t *error = json_object_get(rec, "error");
	const char *code = json_string_value(json_object_get(error, "code"));
	const char *msg = json_string_value(json_object_get(error, "message"));
	struct sopm_err err;
	json_t *body, *extra;

	if (status != NULL && strcmp(status, "completed") == 0) {
		body =
		    json_pack("{s:s, s:s, s:I, s:s}", "job_id", req->job_id,
		              "function", run->function, "version",
		              (json_int_t)run->version, "status", "completed");
		for (size_t i = 0; body && i < sizeof(run_answer_fields) /
		                                   sizeof(*run_answer_fields);
		     i++) {
			json_t *v = json_object_get(rec, run_answer_fields[i]);
			if (v != NULL)
				json_object_set(body, run_answer_fields[i], v);
		}
		fcgi_resp_json(req, 200, body);
		return 0;
	}
	if (code == NULL && status != NULL && strcmp(status, "timeout") == 0)
		code = "timeout";
	sopm_err_set(&err, sopm_err_from_name(code), "%s",
	             msg ? msg
	                 : sopm_err_default_message(sopm_err_from_name(code)));
	if (err.code == SOPM_E_INTERNAL)
		sopm_logf(SOPM_LOG_WARN, "request %s: run %s ended %s: %s",
		          req->request_id, req->job_id, status ? status : "?",
		          err.msg);
	extra = json_is_object(error) ? json_deep_copy(error) : json_object();
	if (extra != NULL) {
		json_object_del(extra, "code");
		json_object_del(extra, "message");
		if (json_object_get(rec, "logs") != NULL)
			json_object_set(extra, "logs",
			                json_object_get(rec, "logs"));
		json_object_set_new(extra, "job_id", json_string(req->job_id));
	}
	fcgi_resp_error_ex(req, &err, extra);
	json_decref(extra);
	return 0;
}

/* Submits a run of a ready version, then answers 202 (async) or waits for
 * its end (sync) up to the function's timeout and the cold-start margin:
 * past that 504, and the job goes on (readable at /api/status). */
static int run_version(struct fcgi_req *req, const json_t *fn,
                       long long version, struct sopm_err *err)
{
	struct sopm_run run = {.function_id = row_int(fn, "id"),
	                       .version = version,
	                       .user_id = row_int(fn, "user_id"),
	                       .timeout_ms = row_int(fn, "timeout_ms")};
	json_t *input = json_object_get(req->json, "input");
	json_t *empty = NULL, *rec;
	int rc;

	snprintf(run.function, sizeof(run.function), "%s",
	         json_string_value(json_object_get(fn, "name")));
	if (input == NULL)
		input = empty = json_object();
	rc = sopm_runs_submit(req->worker->runq, &req->worker->redis, &run,
	                      input, req->job_id, err);
	json_decref(empty);
	if (rc != 0)
		return -1;
	if (fcgi_req_wants_async(req))
		return answer_queued(req, &run);
	rec = sopm_jobq_wait(
	    &req->worker->redis, req->job_id,
	    (long)run.timeout_ms + SOPM_JOBQ_COLD_START_MARGIN_MS, err);
	if (rec == NULL && err->code == SOPM_E_TIMEOUT) {
		json_t *extra = json_pack("{s:s}", "job_id", req->job_id);
		sopm_err_set(
		    err, SOPM_E_TIMEOUT,
		    "the run did not end within %lld ms; it goes on as "
		    "job %s (see /api/status/%s)",
		    run.timeout_ms + SOPM_JOBQ_COLD_START_MARGIN_MS,
		    req->job_id, req->job_id);
		fcgi_resp_error_ex(req, err, extra);
		json_decref(extra);
		return 0;
	}
	if (rec == NULL)
		return -1;
	rc = answer_ended(req, &run, rec);
	json_decref(rec);
	return rc;
}

int api_user_functions_execute(struct fcgi_req *req, struct sopm_err *err)
{
	struct scope s;
	json_t *fn, *v;
	const char *status;
	long long version;
	int rc = -1;

	if (get_scope(req, &s, err) != 0)
		return -1;
	fn = find_function(req, &s, "", err);
	if (fn == NULL)
		return -1;
	if (row_int(fn, "enabled") == 0) {
		sopm_err_set(err, SOPM_E_CONFLICT,
		             "function '%s' is disabled by an administrator",
		             json_string_value(json_object_get(fn, "name")));
		goto out;
	}
	/* Held for the whole of a sync call: the wait is the execution. */
	if (fcgi_quota_acquire(req, err) != 0)
		goto out;
	version = int_or(req->json, "version", row_int(fn, "version"));
	{
		struct sopm_dbq_arg args[] = {SOPM_DBQ_I(row_int(fn, "id")),
		                              SOPM_DBQ_I(version)};
		v = sopm_dbq_row(db_of(req),
		                 "SELECT status FROM function_versions WHERE "
		                 "function_id = ? AND version = ?",
		                 args, 2, err);
	}
	status = v ? json_string_value(json_object_get(v, "status")) : NULL;
	if (v == NULL && err->code == SOPM_E_NOT_FOUND)
		sopm_err_set(err, SOPM_E_NOT_FOUND, "version %lld not found",
		             version);
	else if (status != NULL && strcmp(status, "ready") == 0)
		rc = run_version(req, fn, version, err);
	else if (v != NULL)
		not_runnable(fn, version, status ? status : "unknown", err);
	json_decref(v);
	fcgi_quota_release(req);
out:
	json_decref(fn);
	return rc;
}
