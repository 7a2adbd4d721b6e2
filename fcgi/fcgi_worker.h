/* fcgi_worker.h - a worker process: request threads that each own one
 * FastCGI connection at a time, plus the async job executors. */
#ifndef FCGI_WORKER_H
#define FCGI_WORKER_H

#include <hiredis/hiredis.h>
#include <mysql.h>
#include <stdint.h>

#include "fn.h"
#include "sopm_config.h"

/* State of one thread; owned by that thread, never shared. */
struct fcgi_worker_ctx {
	const struct sopm_config *cfg;
	struct fn_ctx *fn_ctx; /* the thread's own; NULL where nothing runs */
	redisContext *redis;   /* lazily connected, see fcgi_redis.h */
	uint64_t redis_retry_at_us;
	MYSQL *db; /* lazily connected, see fcgi_db.h */
	uint64_t db_retry_at_us;
};

/* Frees the thread's connections. */
void fcgi_worker_ctx_close(struct fcgi_worker_ctx *w);

/* Runs a worker process on the listening socket until SIGTERM, then drains
 * in-flight requests and returns the process exit code. cfg is borrowed. */
int fcgi_worker_run(int listen_fd, const struct sopm_config *cfg);

#endif
