/* sopm_redis.h - one thread's Redis connection (hiredis), connected lazily
 * with the configured timeout (redis.*). When Redis is down, callers get
 * SOPM_E_UNAVAILABLE at once (reconnects are paced by sopm_backoff), so
 * work that does not need Redis never waits for it. Redis error text goes
 * to the log only.
 *
 * A struct sopm_redis is owned by one thread and never shared. hiredis is
 * forward-declared: only files that read replies include <hiredis.h>. */
#ifndef SOPM_REDIS_H
#define SOPM_REDIS_H

#include <stddef.h>

#include "sopm_backoff.h"
#include "sopm_config.h"
#include "sopm_err.h"

struct redisContext;
struct redisReply;

struct sopm_redis {
	const struct sopm_config *cfg; /* borrowed: redis.* */
	struct redisContext *ctx;      /* NULL until the first command */
	struct sopm_backoff backoff;
};

/* Prepares r for cfg (borrowed; it must outlive r). Connects nothing. */
void sopm_redis_init(struct sopm_redis *r, const struct sopm_config *cfg);

/* Closes the connection, if any; r may be used again (it reconnects). */
void sopm_redis_close(struct sopm_redis *r);

/* Runs one printf-style command (hiredis format). Returns a NEW reply (free
 * it with freeReplyObject), or NULL with err set to SOPM_E_UNAVAILABLE (no
 * connection; a stale one is reconnected once) or SOPM_E_INTERNAL (an error
 * reply, or SOPM_E_UNAVAILABLE for a server that cannot serve now:
 * LOADING, BUSY, MASTERDOWN, TRYAGAIN, MISCONF). */
struct redisReply *sopm_redis_cmd(struct sopm_redis *r, struct sopm_err *err,
                                  const char *fmt, ...);

/* Same with argv/argvlen (binary-safe values; all borrowed). */
struct redisReply *sopm_redis_argv(struct sopm_redis *r, struct sopm_err *err,
                                   int argc, const char **argv,
                                   const size_t *argvlen);

/* sopm_redis_argv() for a command that blocks in the server up to
 * block_ms (BLPOP, BLMOVE): its reply may come that much later than
 * redis.timeout_ms, so the socket's timeout is raised by block_ms for this
 * one command. Same results and ownership as sopm_redis_argv(). */
struct redisReply *sopm_redis_argv_blocking(struct sopm_redis *r,
                                            struct sopm_err *err, long block_ms,
                                            int argc, const char **argv,
                                            const size_t *argvlen);

/* Connects when not connected (at most as often as the back-off allows).
 * Returns 0 (connected; a command may still find the server gone), or -1
 * with SOPM_E_UNAVAILABLE. No round trip when already connected. */
int sopm_redis_connect(struct sopm_redis *r, struct sopm_err *err);

/* Checks that Redis answers (PING). Returns 0, or -1 with
 * SOPM_E_UNAVAILABLE. */
int sopm_redis_ping(struct sopm_redis *r, struct sopm_err *err);

#endif
