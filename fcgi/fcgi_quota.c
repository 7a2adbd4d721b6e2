/* fcgi_quota.c - see fcgi_quota.h. */
#include "fcgi_quota.h"

#include <hiredis.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fcgi_worker.h"
#include "registry_upload.h"
#include "sopm_jobq.h"
#include "sopm_log.h"

/* KEYS[1] bucket; ARGV rate (tokens/s), burst. Returns 0 when a token was
 * taken, else the milliseconds until one is there. */
static const char rate_lua[] =
    "local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2]) "
    "local t = redis.call('TIME') "
    "local now = t[1] * 1000 + math.floor(t[2] / 1000) "
    "local b = redis.call('HMGET', KEYS[1], 't', 'ts') "
    "local tokens, ts = tonumber(b[1]), tonumber(b[2]) "
    "if tokens == nil or ts == nil then tokens, ts = burst, now end "
    "tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000) "
    "local wait = 0 "
    "if tokens >= 1 then tokens = tokens - 1 "
    "elseif rate > 0 then wait = math.ceil((1 - tokens) * 1000 / rate) "
    "else wait = 3600000 end "
    "redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', now) "
    "local ttl = 60000 "
    "if rate > 0 then ttl = math.ceil(burst * 1000 / rate) + 1000 end "
    "redis.call('PEXPIRE', KEYS[1], ttl) "
    "return wait";

/* KEYS[1] counter; ARGV max, ttl ms. Returns the new count, or -1 when at
 * max. */
static const char acquire_lua[] =
    "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
    "if n >= tonumber(ARGV[1]) then return -1 end "
    "n = redis.call('INCR', KEYS[1]) "
    "redis.call('PEXPIRE', KEYS[1], ARGV[2]) "
    "return n";

static const char release_lua[] =
    "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then "
    "return redis.call('DECR', KEYS[1]) end return 0";

static redisReply *eval(struct fcgi_req *req, const char *script,
                        const char *key, const char *a1, const char *a2,
                        struct sopm_err *err)
{
	const char *argv[] = {"EVAL", script, "1", key, a1, a2};
	size_t lens[6];
	int argc = a1 ? (a2 ? 6 : 5) : 4;

	for (int i = 0; i < argc; i++)
		lens[i] = strlen(argv[i]);
	return sopm_redis_argv(&req->worker->redis, err, argc, argv, lens);
}

static void retry_after(struct fcgi_req *req, long long ms)
{
	char v[24];
	snprintf(v, sizeof(v), "%lld", ms < 1000 ? 1 : (ms + 999) / 1000);
	fcgi_resp_header(req, "Retry-After", v);
}

int fcgi_quota_rate(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_caller *c = &req->caller;
	char key[48], rate[32], burst[24];
	struct sopm_err down;
	redisReply *reply;
	long long wait;

	snprintf(key, sizeof(key), "sopm:rate:%lld", c->key_id);
	snprintf(rate, sizeof(rate), "%.17g", c->rate_per_s);
	snprintf(burst, sizeof(burst), "%lld", c->burst);
	reply = eval(req, rate_lua, key, rate, burst, &down);
	if (reply == NULL) {
		sopm_logf(SOPM_LOG_WARN, "rate limit not checked: %s",
		          down.msg);
		return 0;
	}
	wait = reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0;
	freeReplyObject(reply);
	if (wait <= 0)
		return 0;
	retry_after(req, wait);
	return sopm_err_set(err, SOPM_E_RATE_LIMITED,
	                    "rate limit of this API key reached (%g requests "
	                    "per second, bursts of %lld); retry later",
	                    c->rate_per_s, c->burst);
}

int fcgi_quota_acquire(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_caller *c = &req->caller;
	char key[48], max[24], ttl[24];
	redisReply *reply;
	long long n;

	snprintf(key, sizeof(key), "sopm:running:%lld", c->user_id);
	snprintf(max, sizeof(max), "%lld", c->max_concurrency);
	/* A safety net for a count whose release was lost: past the longest
	 * hold (a catalog run, or a sync user-function wait). */
	snprintf(ttl, sizeof(ttl), "%lld",
	         (long long)(req->cfg->jobs_timeout_ms > REGISTRY_MAX_TIMEOUT_MS
	                         ? req->cfg->jobs_timeout_ms
	                         : REGISTRY_MAX_TIMEOUT_MS) +
	             SOPM_JOBQ_COLD_START_MARGIN_MS + 60000);
	reply = eval(req, acquire_lua, key, max, ttl, err);
	if (reply == NULL)
		return -1;
	n = reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1;
	freeReplyObject(reply);
	if (n > 0)
		return 0;
	retry_after(req, 1000);
	return sopm_err_set(err, SOPM_E_RATE_LIMITED,
	                    "concurrency quota reached: at most %lld "
	                    "executions at once per user",
	                    c->max_concurrency);
}

void fcgi_quota_release(struct fcgi_req *req)
{
	char key[48];
	struct sopm_err err;
	redisReply *reply;

	snprintf(key, sizeof(key), "sopm:running:%lld", req->caller.user_id);
	reply = eval(req, release_lua, key, NULL, NULL, &err);
	if (reply != NULL)
		freeReplyObject(reply);
}
