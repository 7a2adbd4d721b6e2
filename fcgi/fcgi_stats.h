/* fcgi_stats.h - request and execution counters shared by every process of
 * the pool through one anonymous shared mapping made by the master before it
 * forks. Updates are relaxed atomic adds: the hot path never leaves the
 * process for statistics. */
#ifndef FCGI_STATS_H
#define FCGI_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define FCGI_STATS_STATUS_MAX 600
/* Histogram upper bounds in microseconds; one more bucket is +Inf. */
#define FCGI_STATS_BUCKETS 14
extern const uint64_t fcgi_stats_bucket_us[FCGI_STATS_BUCKETS];

/* The scalar figures, once: GET /api/stats and GET /metrics are both
 * generated from this table (api_stats.c).
 * X(ENUM, Prometheus type, metric, labels, JSON group, JSON member, help);
 * rows of one metric are adjacent and share its help text. */
#define FCGI_COUNTERS(X)                                                       \
	X(WORKERS_CONFIGURED, "gauge", "sopm_workers", "state=\"configured\"", \
	  "workers", "configured", "Worker processes.")                        \
	X(WORKERS_ALIVE, "gauge", "sopm_workers", "state=\"alive\"",           \
	  "workers", "alive", "Worker processes.")                             \
	X(WORKER_RESTARTS, "counter", "sopm_worker_restarts_total", "",        \
	  "workers", "restarts", "Workers restarted.")                         \
	X(JOBS_ACCEPTED, "counter", "sopm_jobs_total", "outcome=\"accepted\"", \
	  "jobs", "accepted", "Async jobs by outcome.")                        \
	X(JOBS_COMPLETED, "counter", "sopm_jobs_total",                        \
	  "outcome=\"completed\"", "jobs", "completed",                        \
	  "Async jobs by outcome.")                                            \
	X(JOBS_FAILED, "counter", "sopm_jobs_total", "outcome=\"failed\"",     \
	  "jobs", "failed", "Async jobs by outcome.")                          \
	X(JOBS_TIMEOUT, "counter", "sopm_jobs_total", "outcome=\"timeout\"",   \
	  "jobs", "timeout", "Async jobs by outcome.")                         \
	X(JOBS_RETRIED, "counter", "sopm_jobs_total", "outcome=\"retried\"",   \
	  "jobs", "retried", "Async jobs by outcome.")

enum fcgi_counter {
#define FCGI_COUNTER_ENUM(e, type, metric, labels, group, member, help)        \
	FCGI_C_##e,
	FCGI_COUNTERS(FCGI_COUNTER_ENUM)
#undef FCGI_COUNTER_ENUM
	    FCGI_C__COUNT
};

/* The count is the sum of the buckets (fcgi_histogram_count), never kept
 * twice: a scrape can never see the two disagree. */
struct fcgi_histogram {
	_Atomic uint64_t bucket[FCGI_STATS_BUCKETS + 1]; /* not cumulative */
	_Atomic uint64_t sum_us;
};

struct fcgi_fn_stats {
	_Atomic uint64_t errors;
	struct fcgi_histogram latency; /* its count = executions */
};

struct fcgi_stats {
	uint64_t started_us; /* wall clock at master start */
	_Atomic uint64_t counter[FCGI_C__COUNT];

	_Atomic uint64_t by_status[FCGI_STATS_STATUS_MAX];
	struct fcgi_histogram requests; /* its count = requests total */

	/* Execution totals are sums over fn[]: not kept twice. */
	size_t n_fn;               /* the catalog's size */
	struct fcgi_fn_stats fn[]; /* [n_fn], by fn_entry.index */
};

/* Maps the shared block with room for n_functions catalog functions; call
 * in the master, after the catalog is loaded and before forking. Returns
 * NULL on failure. The mapping lives until the process exits. */
struct fcgi_stats *fcgi_stats_create(size_t n_functions);

/* The block of this process (NULL before create). */
struct fcgi_stats *fcgi_stats(void);

/* Adds n to counter c (no-op before create). */
void fcgi_stats_add(enum fcgi_counter c, uint64_t n);

/* Sets gauge c to v (no-op before create). */
void fcgi_stats_set(enum fcgi_counter c, uint64_t v);

/* Observations in h: the sum of its buckets. */
uint64_t fcgi_histogram_count(const struct fcgi_histogram *h);

/* Records one finished request. */
void fcgi_stats_request(int status, uint64_t duration_us);

/* Records one execution of catalog function index fn (see fn_entry.index);
 * an index past the catalog is ignored. */
void fcgi_stats_execution(size_t fn, int failed, uint64_t duration_us);

#endif
