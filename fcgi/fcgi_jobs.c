/* fcgi_jobs.c - async job store, executors and the supervisor that recovers
 * the jobs of dead workers. See fcgi_jobs.h for the key layout. */
#include "fcgi_jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcgi_http.h"
#include "fcgi_redis.h"
#include "fcgi_stats.h"
#include "sopm_log.h"
#include "sopm_time.h"

#define KEY_JOB            "sopm:job:"
#define KEY_QUEUE          "sopm:jobs:queue"
#define KEY_PROCESSING     "sopm:jobs:processing:"
#define KEY_OWNERS         "sopm:jobs:owners"
#define KEY_OWNER          "sopm:jobs:owner:"
#define HEARTBEAT_TTL_MS   5000
#define SUPERVISE_EVERY_US 1000000
#define MAX_EXECUTORS      64

/* KEYS: job, queue. ARGV: ttl, id, then field/value pairs. */
static const char lua_submit[] =
    "redis.call('HSET', KEYS[1], unpack(ARGV, 3))\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[1])\n"
    "redis.call('LPUSH', KEYS[2], ARGV[2])\n"
    "return 1";

/* KEYS: job, processing. ARGV: id, started_at, pid. Returns
 * {function, input, attempts}, or nil when the job is gone or finished. */
static const char lua_start[] =
    "local st = redis.call('HGET', KEYS[1], 'status')\n"
    "if not st or st == 'completed' or st == 'failed' or st == 'timeout' "
    "then redis.call('LREM', KEYS[2], 1, ARGV[1]) return nil end\n"
    "local a = redis.call('HINCRBY', KEYS[1], 'attempts', 1)\n"
    "redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', "
    "ARGV[2], 'worker', ARGV[3])\n"
    "return {redis.call('HGET', KEYS[1], 'function'), "
    "redis.call('HGET', KEYS[1], 'input'), a}";

/* KEYS: job, processing. ARGV: id, ttl, then field/value pairs. */
static const char lua_finish[] =
    "if redis.call('EXISTS', KEYS[1]) == 1 then\n"
    "  redis.call('HSET', KEYS[1], unpack(ARGV, 3))\n"
    "  redis.call('EXPIRE', KEYS[1], ARGV[2])\n"
    "end\n"
    "redis.call('LREM', KEYS[2], 1, ARGV[1])\n"
    "return 1";

/* KEYS: job, my processing, queue. ARGV: id, max_attempts, finished_at,
 * error JSON. Takes back one id of a dead owner (already moved to mine). */
static const char lua_recover[] =
    "redis.call('LREM', KEYS[2], 1, ARGV[1])\n"
    "local st = redis.call('HGET', KEYS[1], 'status')\n"
    "if not st or st == 'completed' or st == 'failed' or st == 'timeout' "
    "then return 'done' end\n"
    "local a = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')\n"
    "if a >= tonumber(ARGV[2]) then\n"
    "  redis.call('HSET', KEYS[1], 'status', 'failed', 'finished_at', "
    "ARGV[3], 'error', ARGV[4])\n"
    "  return 'failed'\n"
    "end\n"
    "redis.call('HSET', KEYS[1], 'status', 'queued')\n"
    "redis.call('RPUSH', KEYS[3], ARGV[1])\n"
    "return 'requeued'";

static const char died_error[] =
    "{\"code\":\"internal\",\"message\":\"the worker running this job "
    "stopped\"}";

/* Process-wide state of the executors; written before threads start. */
static struct {
	const struct sopm_config *cfg;
	const struct fn_limits *limits; /* each executor makes its fn_ctx */
	char owner[96];
	char processing_key[128];
	atomic_int stop;            /* executors */
	atomic_int stop_supervisor; /* set after the executors are joined */
	pthread_t executors[MAX_EXECUTORS];
	int nexecutors;
	pthread_t supervisor;
	int supervising;
} jobs;

static void now_rfc3339(char out[SOPM_TIME_RFC3339_LEN])
{
	sopm_time_rfc3339(sopm_time_now_us(), out);
}

int fcgi_jobs_submit(struct fcgi_worker_ctx *w, const struct fn_entry *e,
                     const json_t *input, char job_id[33], struct sopm_err *err)
{
	char key[64], ttl[24], created[SOPM_TIME_RFC3339_LEN];
	char *input_text = json_dumps(input, JSON_COMPACT | JSON_ENCODE_ANY);
	redisReply *r;

	if (input_text == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	fcgi_random_hex_id(job_id);
	snprintf(key, sizeof(key), KEY_JOB "%s", job_id);
	snprintf(ttl, sizeof(ttl), "%ld", w->cfg->jobs_ttl_s);
	now_rfc3339(created);
	{
		const char *argv[] = {
		    "EVAL",       lua_submit, "2",       key,        KEY_QUEUE,
		    ttl,          job_id,     "id",      job_id,     "function",
		    e->def->name, "kind",     "catalog", "status",   "queued",
		    "created_at", created,    "input",   input_text, "attempts",
		    "0"};
		size_t argvlen[sizeof(argv) / sizeof(*argv)];
		for (size_t i = 0; i < sizeof(argv) / sizeof(*argv); i++)
			argvlen[i] = strlen(argv[i]);
		r = fcgi_redis_argv(w, err, (int)(sizeof(argv) / sizeof(*argv)),
		                    argv, argvlen);
	}
	free(input_text);
	if (r == NULL)
		return -1;
	freeReplyObject(r);
	atomic_fetch_add(&fcgi_stats()->jobs_accepted, 1);
	return 0;
}

static int job_id_valid(const char *id)
{
	size_t n = 0;
	for (; id[n]; n++)
		if (!((id[n] >= '0' && id[n] <= '9') ||
		      (id[n] >= 'a' && id[n] <= 'f')))
			return 0;
	return n == 32;
}

/* Sets key of obj from a stored field: JSON text for result/error, an integer
 * for duration_us/attempts, a string otherwise. */
static void put_field(json_t *obj, const char *field, const char *value)
{
	static const char *const hidden[] = {"input", "worker", "id"};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(*hidden); i++)
		if (strcmp(field, hidden[i]) == 0)
			return;
	if (strcmp(field, "result") == 0 || strcmp(field, "error") == 0) {
		json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
		if (v != NULL)
			json_object_set_new(obj, field, v);
	} else if (strcmp(field, "duration_us") == 0 ||
	           strcmp(field, "attempts") == 0) {
		json_object_set_new(obj, field,
		                    json_integer(strtoll(value, NULL, 10)));
	} else {
		json_object_set_new(obj, field, json_string(value));
	}
}

json_t *fcgi_jobs_get(struct fcgi_worker_ctx *w, const char *job_id,
                      struct sopm_err *err)
{
	redisReply *r;
	json_t *job;

	if (!job_id_valid(job_id)) {
		sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		             job_id);
		return NULL;
	}
	r = fcgi_redis_cmd(w, err, "HGETALL " KEY_JOB "%s", job_id);
	if (r == NULL)
		return NULL;
	if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
		freeReplyObject(r);
		sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		             job_id);
		return NULL;
	}
	job = json_pack("{s:s}", "job_id", job_id);
	for (size_t i = 0; job && i + 1 < r->elements; i += 2)
		put_field(job, r->element[i]->str, r->element[i + 1]->str);
	freeReplyObject(r);
	if (job == NULL)
		sopm_err_code(err, SOPM_E_INTERNAL);
	return job;
}

int fcgi_jobs_counts(struct fcgi_worker_ctx *w, long long *queued,
                     long long *running, struct sopm_err *err)
{
	redisReply *r = fcgi_redis_cmd(w, err, "LLEN " KEY_QUEUE);
	redisReply *owners;

	if (r == NULL)
		return -1;
	*queued = r->integer;
	freeReplyObject(r);
	*running = 0;
	owners = fcgi_redis_cmd(w, err, "SMEMBERS " KEY_OWNERS);
	if (owners == NULL)
		return -1;
	for (size_t i = 0; i < owners->elements; i++) {
		r = fcgi_redis_cmd(w, err, "LLEN " KEY_PROCESSING "%s",
		                   owners->element[i]->str);
		if (r == NULL)
			break;
		*running += r->integer;
		freeReplyObject(r);
	}
	freeReplyObject(owners);
	return 0;
}

/* Runs one taken job and records its end. */
static void execute_job(struct fcgi_worker_ctx *w, const char *id)
{
	char key[64], pid[16], started[SOPM_TIME_RFC3339_LEN],
	    finished[SOPM_TIME_RFC3339_LEN], dur[24], ttl[24];
	struct sopm_err err = {SOPM_E_OK, ""};
	const struct fn_entry *e = NULL;
	json_t *input = NULL, *result = NULL, *out;
	uint64_t duration_us = 0;
	const char *status = "failed", *field = "error";
	char *text;
	redisReply *r;

	snprintf(key, sizeof(key), KEY_JOB "%s", id);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	now_rfc3339(started);
	r = fcgi_redis_cmd(w, &err, "EVAL %s 2 %s %s %s %s %s", lua_start, key,
	                   jobs.processing_key, id, started, pid);
	if (r == NULL)
		return; /* stays in our list; recovered if we die */
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    r->element[1]->type == REDIS_REPLY_STRING) {
		e = fn_catalog_find(r->element[0]->str);
		input = json_loads(r->element[1]->str, 0, NULL);
	}
	freeReplyObject(r);
	if (e == NULL || input == NULL) {
		sopm_err_set(&err, SOPM_E_INTERNAL, "the job cannot be run");
	} else if (fn_dispatch(e, input, w->fn_ctx, &result, &duration_us,
	                       &err) == 0) {
		status = "completed";
		field = "result";
	}
	if (e != NULL)
		fcgi_stats_execution(e->index, result == NULL, duration_us);
	if (result != NULL &&
	    duration_us > (uint64_t)jobs.cfg->jobs_timeout_ms * 1000u) {
		json_decref(result);
		result = NULL;
		status = "timeout";
		field = "error";
		sopm_err_code(&err, SOPM_E_TIMEOUT);
	}
	out = result ? result
	             : json_pack("{s:s, s:s}", "code", sopm_err_name(err.code),
	                         "message", err.msg);
	text = out ? json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_decref(out);
	json_decref(input);
	now_rfc3339(finished);
	snprintf(dur, sizeof(dur), "%llu", (unsigned long long)duration_us);
	snprintf(ttl, sizeof(ttl), "%ld", jobs.cfg->jobs_ttl_s);
	{
		const char *argv[] = {"EVAL",
		                      lua_finish,
		                      "2",
		                      key,
		                      jobs.processing_key,
		                      id,
		                      ttl,
		                      "status",
		                      status,
		                      "finished_at",
		                      finished,
		                      "duration_us",
		                      dur,
		                      field,
		                      text ? text : "null"};
		size_t argvlen[sizeof(argv) / sizeof(*argv)];
		for (size_t i = 0; i < sizeof(argv) / sizeof(*argv); i++)
			argvlen[i] = strlen(argv[i]);
		r = fcgi_redis_argv(w, &err,
		                    (int)(sizeof(argv) / sizeof(*argv)), argv,
		                    argvlen);
	}
	free(text);
	if (r != NULL)
		freeReplyObject(r);
	else
		sopm_logf(SOPM_LOG_ERROR, "job %s: could not record its end",
		          id);
	atomic_fetch_add(
	    strcmp(status, "completed") == 0 ? &fcgi_stats()->jobs_completed
	    : strcmp(status, "timeout") == 0 ? &fcgi_stats()->jobs_timeout
	                                     : &fcgi_stats()->jobs_failed,
	    1);
}

static void *executor_main(void *arg)
{
	struct fcgi_worker_ctx w = {.cfg = jobs.cfg};
	struct sopm_err err;

	(void)arg;
	w.fn_ctx = fn_ctx_new(jobs.limits, &err);
	if (w.fn_ctx == NULL) {
		sopm_logf(SOPM_LOG_ERROR, "job executor: %s", err.msg);
		return NULL;
	}
	while (!atomic_load(&jobs.stop)) {
		/* Blocks at most 0.2 s, under the command timeout, so a stop
		 * request is seen promptly. */
		redisReply *r = fcgi_redis_cmd(
		    &w, &err, "BLMOVE " KEY_QUEUE " %s RIGHT LEFT 0.2",
		    jobs.processing_key);
		if (r == NULL) {
			usleep(200000);
			continue;
		}
		if (r->type == REDIS_REPLY_STRING) {
			char id[40];
			snprintf(id, sizeof(id), "%s", r->str);
			freeReplyObject(r);
			execute_job(&w, id);
		} else {
			freeReplyObject(r);
		}
	}
	fcgi_worker_ctx_close(&w);
	fn_ctx_free(w.fn_ctx);
	return NULL;
}

/* Takes back every id of a dead owner. */
static void recover_owner(struct fcgi_worker_ctx *w, const char *owner)
{
	char dead_list[160], limit[16], finished[SOPM_TIME_RFC3339_LEN];
	struct sopm_err err;

	snprintf(dead_list, sizeof(dead_list), KEY_PROCESSING "%s", owner);
	snprintf(limit, sizeof(limit), "%d", jobs.cfg->jobs_max_attempts);
	for (;;) {
		char key[64];
		redisReply *r =
		    fcgi_redis_cmd(w, &err, "LMOVE %s %s RIGHT LEFT", dead_list,
		                   jobs.processing_key);
		if (r == NULL)
			return;
		if (r->type != REDIS_REPLY_STRING) {
			freeReplyObject(r);
			break;
		}
		snprintf(key, sizeof(key), KEY_JOB "%s", r->str);
		now_rfc3339(finished);
		redisReply *rr = fcgi_redis_cmd(
		    w, &err, "EVAL %s 3 %s %s %s %s %s %s %s", lua_recover, key,
		    jobs.processing_key, KEY_QUEUE, r->str, limit, finished,
		    died_error);
		if (rr != NULL) {
			sopm_logf(
			    SOPM_LOG_WARN, "job %s of stopped worker %s: %s",
			    r->str, owner,
			    rr->type == REDIS_REPLY_STRING ? rr->str : "?");
			if (rr->type == REDIS_REPLY_STRING &&
			    strcmp(rr->str, "requeued") == 0)
				atomic_fetch_add(&fcgi_stats()->jobs_retried,
				                 1);
			else if (rr->type == REDIS_REPLY_STRING &&
			         strcmp(rr->str, "failed") == 0)
				atomic_fetch_add(&fcgi_stats()->jobs_failed, 1);
			freeReplyObject(rr);
		}
		freeReplyObject(r);
	}
	freeReplyObject(
	    fcgi_redis_cmd(w, &err, "SREM " KEY_OWNERS " %s", owner));
}

static void supervise_once(struct fcgi_worker_ctx *w)
{
	struct sopm_err err;
	redisReply *r, *owners;

	r = fcgi_redis_cmd(w, &err, "SET " KEY_OWNER "%s %d PX %d", jobs.owner,
	                   (int)getpid(), HEARTBEAT_TTL_MS);
	if (r == NULL)
		return;
	freeReplyObject(r);
	r = fcgi_redis_cmd(w, &err, "SADD " KEY_OWNERS " %s", jobs.owner);
	if (r == NULL)
		return;
	freeReplyObject(r);
	owners = fcgi_redis_cmd(w, &err, "SMEMBERS " KEY_OWNERS);
	if (owners == NULL)
		return;
	for (size_t i = 0; i < owners->elements; i++) {
		const char *o = owners->element[i]->str;
		if (strcmp(o, jobs.owner) == 0)
			continue;
		r = fcgi_redis_cmd(w, &err, "EXISTS " KEY_OWNER "%s", o);
		if (r != NULL && r->integer == 0)
			recover_owner(w, o);
		if (r != NULL)
			freeReplyObject(r);
	}
	freeReplyObject(owners);
}

static void *supervisor_main(void *arg)
{
	struct fcgi_worker_ctx w = {.cfg = jobs.cfg};
	struct sopm_err err;

	(void)arg;
	while (!atomic_load(&jobs.stop_supervisor)) {
		supervise_once(&w);
		for (int i = 0; i < 10 && !atomic_load(&jobs.stop_supervisor);
		     i++)
			usleep(SUPERVISE_EVERY_US / 10);
	}
	/* A clean exit: the executors have stopped (joined before us) and
	 * our processing list is empty, so the owner can go at once. */
	freeReplyObject(
	    fcgi_redis_cmd(&w, &err, "DEL " KEY_OWNER "%s", jobs.owner));
	freeReplyObject(
	    fcgi_redis_cmd(&w, &err, "SREM " KEY_OWNERS " %s", jobs.owner));
	fcgi_worker_ctx_close(&w);
	return NULL;
}

int fcgi_jobs_start(const struct sopm_config *cfg,
                    const struct fn_limits *limits)
{
	char host[64] = "localhost";
	int n = cfg->jobs_executor_threads;

	if (n > MAX_EXECUTORS)
		n = MAX_EXECUTORS;
	gethostname(host, sizeof(host) - 1);
	jobs.cfg = cfg;
	jobs.limits = limits;
	atomic_store(&jobs.stop, 0);
	atomic_store(&jobs.stop_supervisor, 0);
	snprintf(jobs.owner, sizeof(jobs.owner), "%s:%d:%llu", host,
	         (int)getpid(), (unsigned long long)sopm_time_now_us());
	snprintf(jobs.processing_key, sizeof(jobs.processing_key),
	         KEY_PROCESSING "%s", jobs.owner);
	jobs.nexecutors = 0;
	if (pthread_create(&jobs.supervisor, NULL, supervisor_main, NULL) != 0)
		return -1;
	jobs.supervising = 1;
	for (int i = 0; i < n; i++) {
		if (pthread_create(&jobs.executors[i], NULL, executor_main,
		                   NULL) != 0)
			return -1;
		jobs.nexecutors++;
	}
	return 0;
}

void fcgi_jobs_stop(void)
{
	/* The heartbeat must outlive the last running job, or another worker
	 * would take that job back while it still runs here. */
	atomic_store(&jobs.stop, 1);
	for (int i = 0; i < jobs.nexecutors; i++)
		pthread_join(jobs.executors[i], NULL);
	jobs.nexecutors = 0;
	atomic_store(&jobs.stop_supervisor, 1);
	if (jobs.supervising)
		pthread_join(jobs.supervisor, NULL);
	jobs.supervising = 0;
}
