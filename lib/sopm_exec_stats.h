/* sopm_exec_stats.h - the counters of the user-function executor, kept in
 * one Redis hash so that every process sees them: sopm-builder's executor
 * writes them, the pool reads them for /api/stats and /metrics.
 *
 * Hash sopm:executor:stats, fields:
 *   cold_starts, warm_starts, evictions, calls   counters
 *   warm_sandboxes                               a gauge
 *   <h>_bucket_<le>, <h>_sum, <h>_count          per histogram h: NON-
 *     cumulative bucket counts (a value v goes to the first le >= v, or
 *     "inf"), the sum and the count of the values, in the unit of h
 * A missing field (or hash) is 0. */
#ifndef SOPM_EXEC_STATS_H
#define SOPM_EXEC_STATS_H

#include <jansson.h>

#include "sopm_err.h"
#include "sopm_redis.h"

#define SOPM_EXEC_STATS_KEY "sopm:executor:stats"

/* X(ENUM, hash field, Prometheus name, Prometheus type, help) */
#define SOPM_EXEC_COUNTERS(X)                                                  \
	X(COLD_STARTS, "cold_starts", "sopm_user_cold_starts_total",           \
	  "counter", "User-function runs that started a sandbox.")             \
	X(WARM_STARTS, "warm_starts", "sopm_user_warm_starts_total",           \
	  "counter", "User-function runs served by a warm sandbox.")           \
	X(EVICTIONS, "evictions", "sopm_user_evictions_total", "counter",      \
	  "Warm sandboxes stopped (idle, over a bound, function gone).")       \
	X(WARM_SANDBOXES, "warm_sandboxes", "sopm_user_warm_sandboxes",        \
	  "gauge", "Warm sandboxes now.")                                      \
	X(CALLS, "calls", "sopm_user_calls_total", "counter",                  \
	  "User-function runs finished.")

enum sopm_exec_counter {
#define SOPM_EXEC_COUNTER_ENUM(e, field, metric, type, help) SOPM_EXEC_C_##e,
	SOPM_EXEC_COUNTERS(SOPM_EXEC_COUNTER_ENUM)
#undef SOPM_EXEC_COUNTER_ENUM
	    SOPM_EXEC_C__COUNT
};

/* The histograms' finite upper bounds ("inf" follows each). */
#define SOPM_EXEC_INIT_US_BOUNDS                                               \
	50000, 100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000
#define SOPM_EXEC_BUILD_MS_BOUNDS                                              \
	1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000
#define SOPM_EXEC_BOUNDS_MAX 8 /* finite bounds of one histogram, at most */

/* X(ENUM, field prefix, Prometheus name, seconds per unit, help, bounds) */
#define SOPM_EXEC_HISTS(X)                                                     \
	X(INIT_US, "init_us", "sopm_user_init_seconds", 1e-6,                  \
	  "Sandbox start time of cold starts.", SOPM_EXEC_INIT_US_BOUNDS)      \
	X(BUILD_MS, "build_ms", "sopm_user_build_seconds", 1e-3,               \
	  "Build time of user-function versions.", SOPM_EXEC_BUILD_MS_BOUNDS)

enum sopm_exec_hist {
#define SOPM_EXEC_HIST_ENUM(e, field, metric, unit_s, help, ...)               \
	SOPM_EXEC_H_##e,
	SOPM_EXEC_HISTS(SOPM_EXEC_HIST_ENUM)
#undef SOPM_EXEC_HIST_ENUM
	    SOPM_EXEC_H__COUNT
};

/* One row of each table, for readers (static storage). */
struct sopm_exec_counter_def {
	const char *field, *metric, *type, *help;
};
struct sopm_exec_hist_def {
	const char *field, *metric, *help;
	double unit_s; /* seconds per unit of the values */
	int nbounds;
	long long bounds[SOPM_EXEC_BOUNDS_MAX];
};
extern const struct sopm_exec_counter_def
    sopm_exec_counters[SOPM_EXEC_C__COUNT];
extern const struct sopm_exec_hist_def sopm_exec_hists[SOPM_EXEC_H__COUNT];

/* The hash read into numbers: bucket[nbounds] is the "inf" bucket. */
struct sopm_exec_stats {
	long long counter[SOPM_EXEC_C__COUNT];
	struct {
		long long bucket[SOPM_EXEC_BOUNDS_MAX + 1];
		long long sum, count;
	} hist[SOPM_EXEC_H__COUNT];
};

/* Adds n to counter c (HINCRBY). Returns 0, or -1 with err. */
int sopm_exec_stats_add(struct sopm_redis *r, enum sopm_exec_counter c,
                        long long n, struct sopm_err *err);

/* Sets counter c (the gauge warm_sandboxes) to v. Returns 0, or -1. */
int sopm_exec_stats_set(struct sopm_redis *r, enum sopm_exec_counter c,
                        long long v, struct sopm_err *err);

/* Records one value (>= 0, in h's unit) in histogram h: its bucket, sum
 * and count in one step. Returns 0, or -1 with err. */
int sopm_exec_stats_observe(struct sopm_redis *r, enum sopm_exec_hist h,
                            long long value, struct sopm_err *err);

/* Reads the hash into out (zeros for what is missing). Returns 0, or -1
 * with err (SOPM_E_UNAVAILABLE when Redis is down). */
int sopm_exec_stats_load(struct sopm_redis *r, struct sopm_exec_stats *out,
                         struct sopm_err *err);

/* s as a NEW object: each counter by its field name, and each histogram
 * {"count", "sum", "avg", "p50", "p90", "p99", "buckets": {"<le>": n, ...,
 * "inf": n}} (sum, avg and the pNN in its unit; a pNN is the upper bound of
 * the bucket that holds that quantile, null in "inf", 0 with no values;
 * bucket counts not cumulative). NULL when out of memory. */
json_t *sopm_exec_stats_json(const struct sopm_exec_stats *s);

/* sopm_exec_stats_load() then sopm_exec_stats_json(): a NEW object, or
 * NULL with err. */
json_t *sopm_exec_stats_read(struct sopm_redis *r, struct sopm_err *err);

#endif
