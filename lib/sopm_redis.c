/* sopm_redis.c - see sopm_redis.h. */
#include "sopm_redis.h"

#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <string.h>

#include "sopm_log.h"

static int unavailable(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_UNAVAILABLE,
	                    "the job store is unavailable");
}

void sopm_redis_init(struct sopm_redis *r, const struct sopm_config *cfg)
{
	r->cfg = cfg;
	r->ctx = NULL;
	sopm_backoff_reset(&r->backoff);
}

void sopm_redis_close(struct sopm_redis *r)
{
	if (r->ctx != NULL)
		redisFree(r->ctx);
	r->ctx = NULL;
}

static struct timeval timeout_of(long ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	return tv;
}

int sopm_redis_connect(struct sopm_redis *r, struct sopm_err *err)
{
	const struct sopm_config *c = r->cfg;
	struct timeval tv = timeout_of(c->redis_timeout_ms);

	if (r->ctx != NULL)
		return 0;
	if (!sopm_backoff_ready(&r->backoff))
		return unavailable(err);
	r->ctx =
	    c->redis_socket[0]
	        ? redisConnectUnixWithTimeout(c->redis_socket, tv)
	        : redisConnectWithTimeout(c->redis_host, c->redis_port, tv);
	if (r->ctx == NULL || r->ctx->err) {
		sopm_logf(SOPM_LOG_WARN, "redis connect failed: %s",
		          r->ctx ? r->ctx->errstr : "out of memory");
		sopm_redis_close(r);
		sopm_backoff_failed(&r->backoff);
		return unavailable(err);
	}
	redisSetTimeout(r->ctx, tv);
	sopm_backoff_reset(&r->backoff);
	return 0;
}

/* Error replies of a server that is up but cannot serve yet (or now): the
 * request may succeed later, so they are 503, not a bug. */
static int is_transient(const char *reply)
{
	static const char *const prefixes[] = {"LOADING", "BUSY", "MASTERDOWN",
	                                       "TRYAGAIN", "MISCONF"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (strncmp(reply, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* Turns a reply into the result: NULL (connection lost) or an error reply
 * become err; a broken connection is dropped. */
static redisReply *checked(struct sopm_redis *r, redisReply *reply,
                           struct sopm_err *err)
{
	if (reply == NULL) {
		sopm_logf(SOPM_LOG_WARN, "redis command failed: %s",
		          r->ctx ? r->ctx->errstr : "no connection");
		sopm_redis_close(r);
		sopm_backoff_failed(&r->backoff);
		unavailable(err);
		return NULL;
	}
	if (reply->type == REDIS_REPLY_ERROR) {
		int busy = is_transient(reply->str);
		sopm_logf(busy ? SOPM_LOG_WARN : SOPM_LOG_ERROR,
		          "redis error reply: %s", reply->str);
		freeReplyObject(reply);
		if (busy)
			unavailable(err);
		else
			sopm_err_code(err, SOPM_E_INTERNAL);
		return NULL;
	}
	return reply;
}

redisReply *sopm_redis_cmd(struct sopm_redis *r, struct sopm_err *err,
                           const char *fmt, ...)
{
	va_list ap;
	redisReply *reply;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (sopm_redis_connect(r, err) != 0)
			return NULL;
		va_start(ap, fmt);
		reply = redisvCommand(r->ctx, fmt, ap);
		va_end(ap);
		if (reply != NULL || attempt == 1)
			return checked(r, reply, err);
		/* A stale connection (server restarted): reconnect once. */
		sopm_redis_close(r);
	}
	return NULL;
}

redisReply *sopm_redis_argv(struct sopm_redis *r, struct sopm_err *err,
                            int argc, const char **argv, const size_t *argvlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		redisReply *reply;
		if (sopm_redis_connect(r, err) != 0)
			return NULL;
		reply = redisCommandArgv(r->ctx, argc, argv, argvlen);
		if (reply != NULL || attempt == 1)
			return checked(r, reply, err);
		sopm_redis_close(r);
	}
	return NULL;
}

redisReply *sopm_redis_argv_blocking(struct sopm_redis *r, struct sopm_err *err,
                                     long block_ms, int argc, const char **argv,
                                     const size_t *argvlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		redisReply *reply;
		if (sopm_redis_connect(r, err) != 0)
			return NULL;
		redisSetTimeout(
		    r->ctx, timeout_of(r->cfg->redis_timeout_ms + block_ms));
		reply = redisCommandArgv(r->ctx, argc, argv, argvlen);
		if (reply != NULL)
			redisSetTimeout(r->ctx,
			                timeout_of(r->cfg->redis_timeout_ms));
		if (reply != NULL || attempt == 1)
			return checked(r, reply, err);
		sopm_redis_close(r);
	}
	return NULL;
}

int sopm_redis_ping(struct sopm_redis *r, struct sopm_err *err)
{
	redisReply *reply = sopm_redis_cmd(r, err, "PING");

	if (reply == NULL)
		return unavailable(err);
	freeReplyObject(reply);
	return 0;
}
