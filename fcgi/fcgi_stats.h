/* fcgi_stats.h - request and execution counters shared by every process of
 * the pool through one anonymous shared mapping made by the master before it
 * forks. Updates are relaxed atomic adds: the hot path never leaves the
 * process for statistics. */
#ifndef FCGI_STATS_H
#define FCGI_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define FCGI_STATS_MAX_FN     128
#define FCGI_STATS_STATUS_MAX 600
/* Histogram upper bounds in microseconds; one more bucket is +Inf. */
#define FCGI_STATS_BUCKETS 14
extern const uint64_t fcgi_stats_bucket_us[FCGI_STATS_BUCKETS];

struct fcgi_histogram {
	_Atomic uint64_t bucket[FCGI_STATS_BUCKETS + 1]; /* not cumulative */
	_Atomic uint64_t sum_us;
	_Atomic uint64_t count;
};

struct fcgi_fn_stats {
	_Atomic uint64_t errors;
	struct fcgi_histogram latency; /* count = executions */
};

struct fcgi_stats {
	uint64_t started_us; /* wall clock at master start */
	_Atomic int workers_configured;
	_Atomic int workers_alive;
	_Atomic uint64_t worker_restarts;

	_Atomic uint64_t by_status[FCGI_STATS_STATUS_MAX];
	struct fcgi_histogram requests; /* count = requests total */

	_Atomic uint64_t exec_errors;
	struct fcgi_histogram executions;
	struct fcgi_fn_stats fn[FCGI_STATS_MAX_FN];

	_Atomic uint64_t jobs_accepted;
	_Atomic uint64_t jobs_completed;
	_Atomic uint64_t jobs_failed;
	_Atomic uint64_t jobs_timeout;
	_Atomic uint64_t jobs_retried;
};

/* Maps the shared block; call in the master before forking. Returns NULL on
 * failure. The mapping lives until the process exits. */
struct fcgi_stats *fcgi_stats_create(void);

/* The block of this process (NULL before create). */
struct fcgi_stats *fcgi_stats(void);

/* Records one finished request. */
void fcgi_stats_request(int status, uint64_t duration_us);

/* Records one execution of catalog function index fn (see fn_entry.index). */
void fcgi_stats_execution(size_t fn, int failed, uint64_t duration_us);

#endif
