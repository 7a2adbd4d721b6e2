/* fcgi_redis.h - a thread's Redis connection (hiredis), connected lazily
 * with the configured timeout. When Redis is down, callers get
 * SOPM_E_UNAVAILABLE at once (a failed connect is retried at most every
 * 500 ms), so endpoints that do not need Redis never wait for it. */
#ifndef FCGI_REDIS_H
#define FCGI_REDIS_H

#include <hiredis/hiredis.h>

#include "fcgi_worker.h"
#include "sopm_err.h"

/* Runs one command. Returns a NEW reply (free with freeReplyObject), or NULL
 * with err set to SOPM_E_UNAVAILABLE (connection) or SOPM_E_INTERNAL (an
 * error reply). Redis error text goes to the log only. */
redisReply *fcgi_redis_cmd(struct fcgi_worker_ctx *w, struct sopm_err *err,
                           const char *fmt, ...);

/* Same with argv/argvlen (binary-safe values). */
redisReply *fcgi_redis_argv(struct fcgi_worker_ctx *w, struct sopm_err *err,
                            int argc, const char **argv, const size_t *argvlen);

/* Closes the thread's connection. */
void fcgi_redis_close(struct fcgi_worker_ctx *w);

#endif
