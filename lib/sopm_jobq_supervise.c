/* sopm_jobq_supervise.c - what keeps jobs from being lost or stuck: the
 * heartbeat, taking back the ids of dead owners and the ids nobody holds,
 * timing out runs past their deadline, and a clean exit. See sopm_jobq.h. */
#include "sopm_jobq_int.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sopm_log.h"
#include "sopm_time.h"

#define DEADLINES_PER_ROUND "100"

static const char owner_died_error[] =
    "{\"code\":\"internal\",\"message\":\"the worker running this job "
    "stopped\"}";
static const char lost_error[] =
    "{\"code\":\"internal\",\"message\":\"the run of this job was lost\"}";
static const char deadline_error[] =
    "{\"code\":\"timeout\",\"message\":\"the job did not end within its "
    "time limit\"}";

static int heartbeat(struct sopm_jobq *q, struct sopm_redis *r,
                     struct sopm_err *err)
{
	char pid[16], ttl[16];
	redisReply *reply;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(ttl, sizeof(ttl), "%d", JOBQ_HEARTBEAT_MS);
	{
		const char *args[] = {"2", q->key_heartbeat, q->key_owners, pid,
		                      ttl, q->owner};
		reply = jobq_eval(r, jobq_lua_heartbeat, 6, args, err);
	}
	if (reply == NULL)
		return -1;
	freeReplyObject(reply);
	return 0;
}

/* Takes back one id that is already in our list. */
static int take_back(struct sopm_jobq *q, struct sopm_redis *r, const char *id,
                     const char *error_json, const char *why,
                     struct sopm_jobq_report *rep, struct sopm_err *err)
{
	char key[JOBQ_KEY_MAX], done[JOBQ_KEY_MAX], limit[16], finished[32],
	    ttl[24];
	redisReply *reply;

	snprintf(key, sizeof(key), JOBQ_KEY_JOB "%s", id);
	snprintf(done, sizeof(done), JOBQ_KEY_JOB "%s" JOBQ_DONE_SUFFIX, id);
	snprintf(limit, sizeof(limit), "%d", jobq_max_attempts(q));
	snprintf(ttl, sizeof(ttl), "%ld", q->cfg->jobs_ttl_s);
	jobq_now(finished);
	{
		const char *args[] = {"5",
		                      key,
		                      q->key_processing,
		                      q->key_queue,
		                      q->key_deadlines,
		                      done,
		                      id,
		                      limit,
		                      finished,
		                      error_json,
		                      ttl};
		reply = jobq_eval(r, jobq_lua_recover, 11, args, err);
	}
	if (reply == NULL)
		return -1;
	if (reply->type == REDIS_REPLY_STATUS ||
	    reply->type == REDIS_REPLY_STRING) {
		sopm_logf(SOPM_LOG_WARN, "job %s (%s): %s", id, why,
		          reply->str);
		if (strcmp(reply->str, "requeued") == 0)
			rep->requeued++;
		else if (strcmp(reply->str, "failed") == 0)
			rep->failed++;
	}
	freeReplyObject(reply);
	return 0;
}

/* Moves every id of a dead owner to our list (so a crash of ours midway
 * loses nothing) and takes it back, then removes the owner. */
static int recover_owner(struct sopm_jobq *q, struct sopm_redis *r,
                         const char *owner, struct sopm_jobq_report *rep,
                         struct sopm_err *err)
{
	for (;;) {
		char id[SOPM_ID_LEN];
		redisReply *reply = sopm_redis_cmd(
		    r, err, "LMOVE %s%s %s RIGHT LEFT", q->prefix_processing,
		    owner, q->key_processing);
		if (reply == NULL)
			return -1;
		if (reply->type != REDIS_REPLY_STRING) {
			freeReplyObject(reply);
			break;
		}
		snprintf(id, sizeof(id), "%s", reply->str);
		freeReplyObject(reply);
		if (take_back(q, r, id, owner_died_error, "owner stopped", rep,
		              err) != 0)
			return -1;
	}
	freeReplyObject(
	    sopm_redis_cmd(r, err, "SREM %s %s", q->key_owners, owner));
	return 0;
}

static int recover_dead_owners(struct sopm_jobq *q, struct sopm_redis *r,
                               struct sopm_jobq_report *rep,
                               struct sopm_err *err)
{
	redisReply *owners =
	    sopm_redis_cmd(r, err, "SMEMBERS %s", q->key_owners);
	int rc = 0;

	if (owners == NULL)
		return -1;
	for (size_t i = 0; rc == 0 && i < owners->elements; i++) {
		const char *o = owners->element[i]->str;
		redisReply *alive;
		if (owners->element[i]->type != REDIS_REPLY_STRING ||
		    strcmp(o, q->owner) == 0)
			continue;
		alive = sopm_redis_cmd(r, err, "EXISTS %s%s",
		                       q->prefix_heartbeat, o);
		if (alive == NULL) {
			rc = -1;
			break;
		}
		if (alive->integer == 0) {
			sopm_logf(SOPM_LOG_WARN, "job owner %s stopped", o);
			rc = recover_owner(q, r, o, rep, err);
		}
		freeReplyObject(alive);
	}
	freeReplyObject(owners);
	return rc;
}

static int expire_deadlines(struct sopm_jobq *q, struct sopm_redis *r,
                            struct sopm_jobq_report *rep, struct sopm_err *err)
{
	char now[24], finished[32], ttl[24];
	redisReply *reply;

	snprintf(now, sizeof(now), "%llu",
	         (unsigned long long)(sopm_time_now_us() / 1000u));
	snprintf(ttl, sizeof(ttl), "%ld", q->cfg->jobs_ttl_s);
	jobq_now(finished);
	{
		const char *args[] = {"1",          q->key_deadlines,
		                      now,          DEADLINES_PER_ROUND,
		                      JOBQ_KEY_JOB, q->prefix_processing,
		                      finished,     deadline_error,
		                      ttl};
		reply = jobq_eval(r, jobq_lua_deadlines, 9, args, err);
	}
	if (reply == NULL)
		return -1;
	if (reply->type == REDIS_REPLY_INTEGER && reply->integer > 0) {
		sopm_logf(SOPM_LOG_WARN, "%lld job(s) ran past their deadline",
		          reply->integer);
		rep->timed_out += (long)reply->integer;
	}
	freeReplyObject(reply);
	return 0;
}

static int was_suspect(const struct sopm_jobq *q, const char *id)
{
	for (int i = 0; i < q->nsuspects; i++)
		if (strcmp(q->suspects[i], id) == 0)
			return 1;
	return 0;
}

/* Ids in our list that no thread of ours holds (a take or start whose reply
 * was lost with the connection): taken back once they were seen unheld at
 * two rounds in a row, so a take that just returned is never mistaken. */
static int audit_own_list(struct sopm_jobq *q, struct sopm_redis *r,
                          struct sopm_jobq_report *rep, struct sopm_err *err)
{
	char next[JOBQ_SUSPECTS_MAX][SOPM_ID_LEN];
	int nnext = 0, rc = 0;
	redisReply *list = sopm_redis_cmd(
	    r, err, "LRANGE %s 0 %d", q->key_processing, JOBQ_SUSPECTS_MAX - 1);

	if (list == NULL)
		return -1;
	for (size_t i = 0; i < list->elements && rc == 0; i++) {
		const char *id = list->element[i]->str;
		if (list->element[i]->type != REDIS_REPLY_STRING ||
		    jobq_holds(q, id))
			continue;
		if (was_suspect(q, id))
			rc = take_back(q, r, id, lost_error, "held by nobody",
			               rep, err);
		else if (nnext < JOBQ_SUSPECTS_MAX)
			snprintf(next[nnext++], SOPM_ID_LEN, "%s", id);
	}
	freeReplyObject(list);
	memcpy(q->suspects, next, sizeof(next[0]) * (size_t)nnext);
	q->nsuspects = nnext;
	return rc;
}

int sopm_jobq_supervise(struct sopm_jobq *q, struct sopm_redis *r,
                        struct sopm_jobq_report *rep, struct sopm_err *err)
{
	if (heartbeat(q, r, err) != 0 || sopm_jobq_flush(q, r, rep, err) != 0 ||
	    recover_dead_owners(q, r, rep, err) != 0 ||
	    expire_deadlines(q, r, rep, err) != 0 ||
	    audit_own_list(q, r, rep, err) != 0)
		return -1;
	return 0;
}

int sopm_jobq_leave(struct sopm_jobq *q, struct sopm_redis *r,
                    struct sopm_err *err)
{
	redisReply *reply;

	if (sopm_jobq_flush(q, r, NULL, err) != 0)
		return -1;
	{
		const char *args[] = {"3", q->key_heartbeat, q->key_owners,
		                      q->key_processing, q->owner};
		reply = jobq_eval(r, jobq_lua_leave, 5, args, err);
	}
	if (reply == NULL)
		return -1;
	freeReplyObject(reply);
	return 0;
}
