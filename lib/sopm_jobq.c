/* sopm_jobq.c - the job queue: submit, read, take, start, finish, and the
 * outcomes that wait in memory while Redis is away. See sopm_jobq.h. */
#include "sopm_jobq_int.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sopm_log.h"
#include "sopm_time.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof(*(a)))

static const char *const status_names[] = {"completed", "failed", "timeout"};

const char *sopm_job_status_name(enum sopm_job_status status)
{
	return (unsigned)status < ARRAY_LEN(status_names) ? status_names[status]
	                                                  : "failed";
}

void jobq_now(char out[32])
{
	sopm_time_rfc3339(sopm_time_now_us(), out);
}

redisReply *jobq_eval(struct sopm_redis *r, const char *script, int argc,
                      const char **args, struct sopm_err *err)
{
	const char *argv[64];
	size_t argvlen[64];

	if (argc + 2 > (int)ARRAY_LEN(argv)) {
		sopm_err_code(err, SOPM_E_INTERNAL);
		return NULL;
	}
	argv[0] = "EVAL";
	argv[1] = script;
	for (int i = 0; i < argc; i++)
		argv[i + 2] = args[i];
	for (int i = 0; i < argc + 2; i++)
		argvlen[i] = strlen(argv[i]);
	return sopm_redis_argv(r, err, argc + 2, argv, argvlen);
}

static int queue_name_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
		      s[n] == '-'))
			return 0;
	return n >= 1 && n <= 32;
}

struct sopm_jobq *sopm_jobq_new(const char *queue, int takers,
                                const struct sopm_config *cfg,
                                struct sopm_err *err)
{
	char host[64] = "localhost";
	struct sopm_jobq *q;

	if (queue == NULL || !queue_name_valid(queue) || takers < 1) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT, "bad job queue '%s'",
		             queue ? queue : "");
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (q == NULL ||
	    (q->hand = calloc((size_t)takers, sizeof(*q->hand))) == NULL ||
	    (q->suspects = calloc(JOBQ_SUSPECTS_MAX, sizeof(*q->suspects))) ==
	        NULL ||
	    pthread_mutex_init(&q->lock, NULL) != 0) {
		if (q != NULL) {
			free(q->hand);
			free(q->suspects);
		}
		free(q);
		sopm_err_code(err, SOPM_E_INTERNAL);
		return NULL;
	}
	pthread_mutex_init(&q->flush_lock, NULL);
	q->cfg = cfg;
	q->nhand = takers;
	gethostname(host, sizeof(host) - 1);
	snprintf(q->owner, sizeof(q->owner), "%s:%d:%llu", host, (int)getpid(),
	         (unsigned long long)sopm_time_now_us());
	snprintf(q->key_queue, JOBQ_KEY_MAX, "sopm:%s:queue", queue);
	snprintf(q->key_owners, JOBQ_KEY_MAX, "sopm:%s:owners", queue);
	snprintf(q->key_deadlines, JOBQ_KEY_MAX, "sopm:%s:deadlines", queue);
	snprintf(q->prefix_processing, JOBQ_PREFIX_MAX,
	         "sopm:%s:processing:", queue);
	snprintf(q->prefix_heartbeat, JOBQ_PREFIX_MAX, "sopm:%s:owner:", queue);
	snprintf(q->key_processing, JOBQ_KEY_MAX, "%s%s", q->prefix_processing,
	         q->owner);
	snprintf(q->key_heartbeat, JOBQ_KEY_MAX, "%s%s", q->prefix_heartbeat,
	         q->owner);
	return q;
}

void sopm_jobq_set_max_attempts(struct sopm_jobq *q, int max_attempts)
{
	q->max_attempts = max_attempts > 0 ? max_attempts : 0;
}

int jobq_max_attempts(const struct sopm_jobq *q)
{
	return q->max_attempts > 0 ? q->max_attempts
	                           : q->cfg->jobs_max_attempts;
}

void sopm_jobq_free(struct sopm_jobq *q)
{
	struct jobq_deferred *d, *next;
	int n = 0;

	if (q == NULL)
		return;
	for (d = q->deferred; d != NULL; d = next, n++) {
		next = d->next;
		free(d);
	}
	if (n > 0)
		sopm_logf(SOPM_LOG_WARN,
		          "%d job outcome(s) could not be recorded; another "
		          "worker takes those jobs back",
		          n);
	pthread_mutex_destroy(&q->lock);
	pthread_mutex_destroy(&q->flush_lock);
	free(q->hand);
	free(q->suspects);
	free(q);
}

int sopm_jobq_submit(struct sopm_jobq *q, struct sopm_redis *r,
                     const char *function, const char *kind,
                     const json_t *input, char job_id[SOPM_ID_LEN],
                     struct sopm_err *err)
{
	return sopm_jobq_submit_opts(q, r, function, kind, input, NULL, job_id,
	                             err);
}

int sopm_jobq_submit_opts(struct sopm_jobq *q, struct sopm_redis *r,
                          const char *function, const char *kind,
                          const json_t *input,
                          const struct sopm_jobq_submit_opts *opts,
                          char job_id[SOPM_ID_LEN], struct sopm_err *err)
{
	char key[JOBQ_KEY_MAX], ttl[24], created[32], timeout[24];
	const char *args[64], *names[SOPM_JOBQ_EXTRA_MAX];
	char *values[SOPM_JOBQ_EXTRA_MAX];
	char *input_text;
	redisReply *reply;
	int nextra, argc = 0;

	if (sopm_id_random(job_id) != 0) {
		sopm_logf(SOPM_LOG_ERROR, "no random bytes for a job id");
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	nextra =
	    jobq_extra_encode(opts ? opts->fields : NULL, names, values, err);
	if (nextra < 0)
		return -1;
	input_text = json_dumps(input, JSON_COMPACT | JSON_ENCODE_ANY);
	if (input_text == NULL) {
		while (nextra > 0)
			free(values[--nextra]);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	snprintf(key, sizeof(key), JOBQ_KEY_JOB "%s", job_id);
	snprintf(ttl, sizeof(ttl), "%ld", q->cfg->jobs_ttl_s);
	jobq_now(created);
	{
		const char *fixed[] = {
		    "2",     key,        q->key_queue, ttl,          job_id,
		    "id",    job_id,     "function",   function,     "kind",
		    kind,    "status",   "queued",     "created_at", created,
		    "input", input_text, "attempts",   "0"};
		for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
			args[argc++] = fixed[i];
	}
	if (opts != NULL && opts->timeout_ms > 0) {
		snprintf(timeout, sizeof(timeout), "%lld", opts->timeout_ms);
		args[argc++] = "timeout_ms";
		args[argc++] = timeout;
	}
	for (int i = 0; i < nextra; i++) {
		args[argc++] = names[i];
		args[argc++] = values[i];
	}
	reply = jobq_eval(r, jobq_lua_submit, argc, args, err);
	free(input_text);
	while (nextra > 0)
		free(values[--nextra]);
	if (reply == NULL)
		return -1;
	freeReplyObject(reply);
	return 0;
}

int sopm_jobq_counts(struct sopm_jobq *q, struct sopm_redis *r,
                     long long *queued, long long *running,
                     struct sopm_err *err)
{
	redisReply *reply = sopm_redis_cmd(r, err, "LLEN %s", q->key_queue);
	redisReply *owners;
	int rc = 0;

	if (reply == NULL)
		return -1;
	*queued = reply->integer;
	freeReplyObject(reply);
	*running = 0;
	owners = sopm_redis_cmd(r, err, "SMEMBERS %s", q->key_owners);
	if (owners == NULL)
		return -1;
	for (size_t i = 0; i < owners->elements; i++) {
		reply =
		    sopm_redis_cmd(r, err, "LLEN %s%s", q->prefix_processing,
		                   owners->element[i]->str);
		if (reply == NULL) {
			rc = -1;
			break;
		}
		*running += reply->integer;
		freeReplyObject(reply);
	}
	freeReplyObject(owners);
	return rc;
}

/* ---- ids in hand ------------------------------------------------------ */

/* Reserves a slot for a take (its id is "" until the take returns; the
 * supervisor's two-round audit covers that moment). Returns its index, or
 * -1 when every slot is in use. */
static int hand_reserve(struct sopm_jobq *q)
{
	int slot = -1;

	pthread_mutex_lock(&q->lock);
	for (int i = 0; i < q->nhand && slot < 0; i++)
		if (!q->hand[i].used) {
			q->hand[i].used = 1;
			q->hand[i].id[0] = '\0';
			slot = i;
		}
	pthread_mutex_unlock(&q->lock);
	return slot;
}

static void hand_set(struct sopm_jobq *q, int slot, const char *id)
{
	pthread_mutex_lock(&q->lock);
	if (id != NULL)
		snprintf(q->hand[slot].id, SOPM_ID_LEN, "%s", id);
	else
		q->hand[slot].used = 0;
	pthread_mutex_unlock(&q->lock);
}

/* Lets one held id go. */
static void hand_release(struct sopm_jobq *q, const char *id)
{
	pthread_mutex_lock(&q->lock);
	for (int i = 0; i < q->nhand; i++)
		if (q->hand[i].used && strcmp(q->hand[i].id, id) == 0) {
			q->hand[i].used = 0;
			break;
		}
	pthread_mutex_unlock(&q->lock);
}

int jobq_holds(struct sopm_jobq *q, const char *id)
{
	int held = 0;

	pthread_mutex_lock(&q->lock);
	for (int i = 0; i < q->nhand && !held; i++)
		held = q->hand[i].used && strcmp(q->hand[i].id, id) == 0;
	for (struct jobq_deferred *d = q->deferred; d && !held; d = d->next)
		held = strcmp(d->id, id) == 0;
	pthread_mutex_unlock(&q->lock);
	return held;
}

/* ---- take, start ------------------------------------------------------ */

int sopm_jobq_take(struct sopm_jobq *q, struct sopm_redis *r, long wait_ms,
                   char id[SOPM_ID_LEN], struct sopm_err *err)
{
	redisReply *reply;
	int slot, got = 0;

	if (sopm_jobq_flush(q, r, NULL, err) != 0)
		return -1;
	slot = hand_reserve(q);
	if (slot < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "more job takers than the queue was made "
		                    "for");
	reply = sopm_redis_cmd(r, err, "BLMOVE %s %s RIGHT LEFT %ld.%03ld",
	                       q->key_queue, q->key_processing, wait_ms / 1000,
	                       wait_ms % 1000);
	if (reply == NULL) {
		hand_set(q, slot, NULL);
		return -1;
	}
	if (reply->type == REDIS_REPLY_STRING && sopm_id_valid(reply->str)) {
		snprintf(id, SOPM_ID_LEN, "%s", reply->str);
		got = 1;
	} else if (reply->type == REDIS_REPLY_STRING) {
		sopm_logf(SOPM_LOG_ERROR, "dropping a bad id from the queue");
		freeReplyObject(sopm_redis_cmd(r, err, "LREM %s 1 %b",
		                               q->key_processing, reply->str,
		                               reply->len));
	}
	freeReplyObject(reply);
	hand_set(q, slot, got ? id : NULL);
	return got;
}

/* Fills job from the start script's {function, input, attempt,
 * timeout_ms}. */
static int read_started(const redisReply *reply, struct sopm_job *job)
{
	if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4 ||
	    reply->element[0]->type != REDIS_REPLY_STRING ||
	    reply->element[1]->type != REDIS_REPLY_STRING ||
	    reply->element[2]->type != REDIS_REPLY_INTEGER ||
	    reply->element[3]->type != REDIS_REPLY_INTEGER)
		return -1;
	job->timeout_ms = reply->element[3]->integer;
	snprintf(job->function, sizeof(job->function), "%s",
	         reply->element[0]->str);
	job->input = json_loads(reply->element[1]->str,
	                        JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	job->attempt = reply->element[2]->integer;
	return job->input != NULL ? 0 : -1;
}

int sopm_jobq_start(struct sopm_jobq *q, struct sopm_redis *r, const char *id,
                    struct sopm_job *job, struct sopm_err *err)
{
	char key[JOBQ_KEY_MAX], started[32], pid[16], deadline[24], now[24],
	    margin[16];
	uint64_t now_ms = sopm_time_now_us() / 1000u;
	redisReply *reply;
	int rc;

	memset(job, 0, sizeof(*job));
	snprintf(job->id, sizeof(job->id), "%s", id);
	snprintf(key, sizeof(key), JOBQ_KEY_JOB "%s", id);
	jobq_now(started);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(deadline, sizeof(deadline), "%llu",
	         (unsigned long long)(now_ms +
	                              (uint64_t)q->cfg->jobs_timeout_ms +
	                              JOBQ_DEADLINE_GRACE));
	snprintf(now, sizeof(now), "%llu", (unsigned long long)now_ms);
	snprintf(margin, sizeof(margin), "%d", SOPM_JOBQ_COLD_START_MARGIN_MS);
	{
		const char *args[] = {
		    "3",     key, q->key_processing, q->key_deadlines, id,
		    started, pid, q->owner,          deadline,         now,
		    margin};
		reply = jobq_eval(r, jobq_lua_start, (int)ARRAY_LEN(args), args,
		                  err);
	}
	if (reply == NULL) {
		hand_release(q, id); /* the supervisor takes it back */
		return -1;
	}
	if (reply->type == REDIS_REPLY_NIL) {
		rc = 0;
	} else if (read_started(reply, job) == 0) {
		rc = 1;
	} else {
		/* A record we cannot read is run as a failure, so that it
		 * still ends. */
		sopm_logf(SOPM_LOG_ERROR, "job %s: unreadable record", id);
		job->function[0] = '\0';
		rc = 1;
	}
	freeReplyObject(reply);
	if (rc == 0)
		hand_release(q, id);
	return rc;
}

void sopm_job_clear(struct sopm_job *job)
{
	json_decref(job->input);
	job->input = NULL;
}

int sopm_jobq_next(struct sopm_jobq *q, struct sopm_redis *r, long wait_ms,
                   long down_pause_us, struct sopm_job *job)
{
	char id[SOPM_ID_LEN];
	struct sopm_err err;
	int rc = sopm_jobq_take(q, r, wait_ms, id, &err);

	memset(job, 0, sizeof(*job));
	if (rc < 0)
		usleep((useconds_t)down_pause_us);
	if (rc <= 0)
		return 0;
	if (sopm_jobq_start(q, r, id, job, &err) == 1)
		return 1;
	sopm_job_clear(job);
	return 0;
}

/* ---- finish and deferred outcomes -------------------------------------- */

/* Runs the finish script for d. Returns RECORDED or STALE, or -1 with err
 * (Redis failed; d unchanged). */
static int record(struct sopm_jobq *q, struct sopm_redis *r,
                  const struct jobq_deferred *d, struct sopm_err *err)
{
	char key[JOBQ_KEY_MAX], done[JOBQ_KEY_MAX], ttl[24];
	const char *args[64];
	redisReply *reply;
	int rc, argc = 0;

	snprintf(key, sizeof(key), JOBQ_KEY_JOB "%s", d->id);
	snprintf(done, sizeof(done), JOBQ_KEY_JOB "%s" JOBQ_DONE_SUFFIX, d->id);
	snprintf(ttl, sizeof(ttl), "%ld", q->cfg->jobs_ttl_s);
	{
		const char *fixed[] = {"4",
		                       key,
		                       q->key_processing,
		                       q->key_deadlines,
		                       done,
		                       d->id,
		                       ttl,
		                       d->attempt,
		                       "status",
		                       d->status,
		                       "finished_at",
		                       d->finished_at,
		                       "duration_us",
		                       d->duration_us,
		                       d->field,
		                       d->text};
		for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
			args[argc++] = fixed[i];
	}
	for (int i = 0; i < 2 * d->nextra; i++)
		args[argc++] = d->extra[i];
	reply = jobq_eval(r, jobq_lua_finish, argc, args, err);
	if (reply == NULL)
		return -1;
	rc = (reply->type == REDIS_REPLY_STRING ||
	      reply->type == REDIS_REPLY_STATUS) &&
	             strcmp(reply->str, "recorded") == 0
	         ? SOPM_JOBQ_RECORDED
	         : SOPM_JOBQ_STALE;
	if (rc == SOPM_JOBQ_STALE)
		sopm_logf(SOPM_LOG_WARN,
		          "job %s: attempt %s ended after a newer outcome; "
		          "not recorded",
		          d->id, d->attempt);
	freeReplyObject(reply);
	return rc;
}

/* Builds the outcome of a finish (NEW, free()d by its owner), or NULL.
 * Extra fields that cannot be encoded are left out (logged). */
static struct jobq_deferred *
outcome_new(const struct sopm_job *job, enum sopm_job_status status,
            const json_t *value, uint64_t duration_us, const json_t *extra)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	const char *names[SOPM_JOBQ_EXTRA_MAX];
	char *values[SOPM_JOBQ_EXTRA_MAX];
	struct sopm_err err;
	int nextra = jobq_extra_encode(extra, names, values, &err);
	size_t len = text ? strlen(text) : 4, size = len + 1;
	struct jobq_deferred *d;
	char *p;

	if (nextra < 0) {
		sopm_logf(SOPM_LOG_ERROR, "job %s: extra fields left out: %s",
		          job->id, err.msg);
		nextra = 0;
	}
	for (int i = 0; i < nextra; i++)
		size += strlen(names[i]) + strlen(values[i]) + 2;
	d = malloc(sizeof(*d) + size);
	if (d != NULL) {
		memset(d, 0, sizeof(*d));
		snprintf(d->id, sizeof(d->id), "%s", job->id);
		snprintf(d->attempt, sizeof(d->attempt), "%lld", job->attempt);
		d->status = sopm_job_status_name(status);
		d->field = status == SOPM_JOB_COMPLETED ? "result" : "error";
		jobq_now(d->finished_at);
		snprintf(d->duration_us, sizeof(d->duration_us), "%llu",
		         (unsigned long long)duration_us);
		d->bytes = sizeof(*d) + size;
		memcpy(d->text, text ? text : "null", len + 1);
		p = d->text + len + 1;
		for (int i = 0; i < nextra; i++) {
			d->extra[2 * i] = p;
			p = stpcpy(p, names[i]) + 1;
			d->extra[2 * i + 1] = p;
			p = stpcpy(p, values[i]) + 1;
		}
		d->nextra = nextra;
	}
	free(text);
	while (nextra > 0)
		free(values[--nextra]);
	return d;
}

int sopm_jobq_finish(struct sopm_jobq *q, struct sopm_redis *r,
                     const struct sopm_job *job, enum sopm_job_status status,
                     const json_t *value, uint64_t duration_us,
                     struct sopm_err *err)
{
	return sopm_jobq_finish_ex(q, r, job, status, value, duration_us, NULL,
	                           err);
}

int sopm_jobq_finish_ex(struct sopm_jobq *q, struct sopm_redis *r,
                        const struct sopm_job *job, enum sopm_job_status status,
                        const json_t *value, uint64_t duration_us,
                        const json_t *extra, struct sopm_err *err)
{
	struct jobq_deferred *d =
	    outcome_new(job, status, value, duration_us, extra);
	int rc, kept = 0;

	if (d == NULL) {
		hand_release(q, job->id);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	rc = record(q, r, d, err);
	pthread_mutex_lock(&q->lock);
	if (rc < 0 && err->code == SOPM_E_UNAVAILABLE &&
	    q->deferred_bytes + d->bytes <= q->cfg->jobs_finish_buffer_bytes) {
		/* Appended before the id leaves the hand: the supervisor never
		 * sees it held by nobody. */
		if (q->deferred_tail != NULL)
			q->deferred_tail->next = d;
		else
			q->deferred = d;
		q->deferred_tail = d;
		q->deferred_bytes += d->bytes;
		kept = 1;
	}
	pthread_mutex_unlock(&q->lock);
	hand_release(q, job->id);
	if (rc >= 0) {
		free(d);
		return rc;
	}
	if (kept) {
		sopm_logf(SOPM_LOG_WARN,
		          "job %s: outcome kept in memory until Redis is back",
		          job->id);
		return SOPM_JOBQ_DEFERRED;
	}
	sopm_logf(SOPM_LOG_ERROR,
	          "job %s: outcome dropped (Redis failed and %zu bytes are "
	          "already waiting); the job will be taken back",
	          job->id, q->deferred_bytes);
	free(d);
	return -1;
}

int sopm_jobq_flush(struct sopm_jobq *q, struct sopm_redis *r,
                    struct sopm_jobq_report *rep, struct sopm_err *err)
{
	int rc = 0;

	/* One flusher at a time; the others go on with their work. Only the
	 * flusher removes the head, finish only appends at the tail, so d stays
	 * valid outside q->lock. */
	if (pthread_mutex_trylock(&q->flush_lock) != 0)
		return 0;
	for (;;) {
		struct jobq_deferred *d;

		pthread_mutex_lock(&q->lock);
		d = q->deferred;
		pthread_mutex_unlock(&q->lock);
		if (d == NULL)
			break;
		rc = record(q, r, d, err);
		if (rc < 0 && err->code == SOPM_E_UNAVAILABLE)
			break;
		pthread_mutex_lock(&q->lock);
		q->deferred = d->next;
		if (q->deferred == NULL)
			q->deferred_tail = NULL;
		q->deferred_bytes -= d->bytes;
		pthread_mutex_unlock(&q->lock);
		if (rc < 0)
			sopm_logf(SOPM_LOG_ERROR,
			          "job %s: deferred outcome refused by Redis; "
			          "dropped (the job will be taken back)",
			          d->id);
		else
			sopm_logf(SOPM_LOG_INFO, "job %s: deferred outcome %s",
			          d->id,
			          rc == SOPM_JOBQ_RECORDED ? "recorded"
			                                   : "was stale");
		if (rep != NULL && rc == SOPM_JOBQ_RECORDED)
			rep->recorded++;
		else if (rep != NULL && rc == SOPM_JOBQ_STALE)
			rep->stale++;
		free(d);
		rc = 0;
	}
	pthread_mutex_unlock(&q->flush_lock);
	return rc < 0 ? -1 : 0;
}
