/* fcgi_worker.h - a worker process: request threads that each own one
 * FastCGI connection at a time, plus the async job executors. */
#ifndef FCGI_WORKER_H
#define FCGI_WORKER_H

#include "fn.h"
#include "sopm_config.h"
#include "sopm_db.h"
#include "sopm_redis.h"

struct sopm_jobq;

/* State of one request thread; owned by that thread, never shared (jobq is
 * the process's queue, which is safe to share). */
struct fcgi_worker_ctx {
	const struct sopm_config *cfg;
	struct fn_ctx *fn_ctx;  /* the thread's own (fn_ctx_new) */
	struct sopm_jobq *jobq; /* borrowed: async jobs of this process */
	struct sopm_jobq *runq; /* borrowed: user-function runs (submit only) */
	struct sopm_redis redis; /* lazily connected */
	struct sopm_db db;       /* lazily connected */
};

/* Runs a worker process on the listening socket until SIGTERM, then drains
 * in-flight requests and returns the process exit code. cfg is borrowed. */
int fcgi_worker_run(int listen_fd, const struct sopm_config *cfg);

#endif
