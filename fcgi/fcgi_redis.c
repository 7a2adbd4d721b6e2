#include "fcgi_redis.h"

#include <stdarg.h>
#include <string.h>

#include "sopm_log.h"
#include "sopm_time.h"

#define RETRY_AFTER_FAILURE_US 500000

void fcgi_redis_close(struct fcgi_worker_ctx *w)
{
	if (w->redis != NULL)
		redisFree(w->redis);
	w->redis = NULL;
}

static int ensure_connected(struct fcgi_worker_ctx *w, struct sopm_err *err)
{
	const struct sopm_config *c = w->cfg;
	struct timeval tv = {c->redis_timeout_ms / 1000,
	                     (c->redis_timeout_ms % 1000) * 1000};
	uint64_t now = sopm_time_mono_us();

	if (w->redis != NULL)
		return 0;
	if (now < w->redis_retry_at_us)
		return sopm_err_set(err, SOPM_E_UNAVAILABLE,
		                    "the job store is unavailable");
	w->redis =
	    c->redis_socket[0]
	        ? redisConnectUnixWithTimeout(c->redis_socket, tv)
	        : redisConnectWithTimeout(c->redis_host, c->redis_port, tv);
	if (w->redis == NULL || w->redis->err) {
		sopm_logf(SOPM_LOG_WARN, "redis connect failed: %s",
		          w->redis ? w->redis->errstr : "out of memory");
		fcgi_redis_close(w);
		w->redis_retry_at_us = now + RETRY_AFTER_FAILURE_US;
		return sopm_err_set(err, SOPM_E_UNAVAILABLE,
		                    "the job store is unavailable");
	}
	redisSetTimeout(w->redis, tv);
	return 0;
}

/* Turns a reply into the result: NULL (connection lost) or an error reply
 * become err; the connection is dropped when it is broken. */
static redisReply *checked(struct fcgi_worker_ctx *w, redisReply *r,
                           struct sopm_err *err)
{
	if (r == NULL) {
		sopm_logf(SOPM_LOG_WARN, "redis command failed: %s",
		          w->redis ? w->redis->errstr : "no connection");
		fcgi_redis_close(w);
		sopm_err_set(err, SOPM_E_UNAVAILABLE,
		             "the job store is unavailable");
		return NULL;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		sopm_logf(SOPM_LOG_ERROR, "redis error reply: %s", r->str);
		freeReplyObject(r);
		sopm_err_code(err, SOPM_E_INTERNAL);
		return NULL;
	}
	return r;
}

redisReply *fcgi_redis_cmd(struct fcgi_worker_ctx *w, struct sopm_err *err,
                           const char *fmt, ...)
{
	va_list ap;
	redisReply *r;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (ensure_connected(w, err) != 0)
			return NULL;
		va_start(ap, fmt);
		r = redisvCommand(w->redis, fmt, ap);
		va_end(ap);
		if (r != NULL || attempt == 1)
			return checked(w, r, err);
		/* A stale connection (server restarted): reconnect once. */
		fcgi_redis_close(w);
	}
	return NULL;
}

redisReply *fcgi_redis_argv(struct fcgi_worker_ctx *w, struct sopm_err *err,
                            int argc, const char **argv, const size_t *argvlen)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		redisReply *r;
		if (ensure_connected(w, err) != 0)
			return NULL;
		r = redisCommandArgv(w->redis, argc, argv, argvlen);
		if (r != NULL || attempt == 1)
			return checked(w, r, err);
		fcgi_redis_close(w);
	}
	return NULL;
}
