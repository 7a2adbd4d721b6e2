/* api_stats.c - GET /api/stats (JSON) and GET /metrics (Prometheus text),
 * both read from the pool's shared counters. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi_api.h"
#include "fcgi_stats.h"
#include "sopm_dbq.h"
#include "sopm_exec_stats.h"
#include "fcgi_worker.h"
#include "fn.h"
#include "sopm_jobq.h"
#include "sopm_time.h"
#include "sopm_version.h"

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

static json_t *status_counts(const struct fcgi_stats *s)
{
	json_t *by = json_object();
	for (int code = 100; by && code < FCGI_STATS_STATUS_MAX; code++) {
		uint64_t n = LOAD(s->by_status[code]);
		char key[8];
		if (n == 0)
			continue;
		snprintf(key, sizeof(key), "%d", code);
		json_object_set_new(by, key, json_integer((json_int_t)n));
	}
	return by;
}

/* {"total", "errors", "by_function"} of the catalog's executions: the
 * totals are sums over the functions. A NEW reference, or NULL. */
static json_t *executions(const struct fcgi_stats *s)
{
	json_t *by = json_object();
	uint64_t total = 0, errors = 0;

	for (size_t i = 0; by && i < s->n_fn; i++) {
		const struct fcgi_fn_stats *f = &s->fn[i];
		uint64_t n = fcgi_histogram_count(&f->latency);
		uint64_t e = LOAD(f->errors);
		if (n == 0)
			continue;
		total += n;
		errors += e;
		json_object_set_new(
		    by, fn_catalog_at(i)->def->name,
		    json_pack("{s:I, s:I, s:I}", "count", (json_int_t)n,
		              "errors", (json_int_t)e, "avg_us",
		              (json_int_t)(LOAD(f->latency.sum_us) / n)));
	}
	return json_pack("{s:I, s:I, s:o}", "total", (json_int_t)total,
	                 "errors", (json_int_t)errors, "by_function", by);
}

/* The rows of FCGI_COUNTERS. */
static const struct counter_row {
	const char *type, *metric, *labels, *group, *member, *help;
} counter_rows[FCGI_C__COUNT] = {
#define FCGI_COUNTER_ROW(e, type, metric, labels, group, member, help)         \
	[FCGI_C_##e] = {type, metric, labels, group, member, help},
    FCGI_COUNTERS(FCGI_COUNTER_ROW)
#undef FCGI_COUNTER_ROW
};

/* Adds every counter to its group object in body (created when missing).
 * Returns 0, or -1 out of memory. */
static int add_counters(json_t *body, const struct fcgi_stats *s)
{
	for (int c = 0; c < FCGI_C__COUNT; c++) {
		const struct counter_row *row = &counter_rows[c];
		json_t *group = json_object_get(body, row->group);
		if (group == NULL &&
		    json_object_set_new(body, row->group,
		                        group = json_object()) != 0)
			return -1;
		if (json_object_set_new(
		        group, row->member,
		        json_integer((json_int_t)LOAD(s->counter[c]))) != 0)
			return -1;
	}
	return 0;
}

/* Queue figures come from Redis; null when it is down (the rest of the
 * statistics never need it). */
static int add_queue_counts(json_t *body, struct fcgi_req *req)
{
	long long queued = 0, running = 0;
	struct sopm_err err;
	int have = sopm_jobq_counts(req->worker->jobq, &req->worker->redis,
	                            &queued, &running, &err) == 0;
	json_t *jobs = json_object_get(body, "jobs");

	return json_object_set_new(jobs, "queued",
	                           have ? json_integer(queued) : json_null()) |
	       json_object_set_new(jobs, "running",
	                           have ? json_integer(running) : json_null());
}

/* Live user functions by the build status of their current version, from
 * MySQL; null figures when it is down. */
static int add_user_function_counts(json_t *body, struct fcgi_req *req)
{
	static const char *const statuses[] = {"pending", "building", "ready",
	                                       "failed"};
	struct sopm_err err;
	json_t *row = sopm_dbq_row(
	    &req->worker->db,
	    "SELECT COUNT(*) AS total, CAST(COALESCE(SUM(v.status = "
	    "'pending'), "
	    "0) AS SIGNED) AS pending, CAST(COALESCE(SUM(v.status = "
	    "'building'), 0) AS SIGNED) AS building, CAST(COALESCE(SUM("
	    "v.status = 'ready'), 0) AS SIGNED) AS ready, CAST(COALESCE(SUM("
	    "v.status = 'failed'), 0) AS SIGNED) AS failed FROM functions f "
	    "JOIN function_versions v ON v.function_id = f.id AND v.version = "
	    "f.version WHERE f.deleted_at IS NULL",
	    NULL, 0, &err);
	json_t *uf = json_object();
	int rc = json_object_set_new(body, "user_functions", uf);

	rc |= json_object_set(
	    uf, "total", row ? json_object_get(row, "total") : json_null());
	for (size_t i = 0; i < sizeof(statuses) / sizeof(*statuses); i++)
		rc |= json_object_set(uf, statuses[i],
		                      row ? json_object_get(row, statuses[i])
		                          : json_null());
	json_decref(row);
	return rc;
}

/* The user-function executor's figures (sopm-builder writes them to
 * Redis): user_functions.executor, and the sandboxes of API.md; null when
 * Redis is down, zeros before the first run. */
static int add_executor(json_t *body, struct fcgi_req *req)
{
	struct sopm_exec_stats es;
	struct sopm_err err;
	int have = sopm_exec_stats_load(&req->worker->redis, &es, &err) == 0;
	json_t *ex = have ? sopm_exec_stats_json(&es) : json_null();
	json_t *sb =
	    have ? json_pack("{s:I, s:I, s:I}", "warm",
	                     (json_int_t)es.counter[SOPM_EXEC_C_WARM_SANDBOXES],
	                     "cold_starts",
	                     (json_int_t)es.counter[SOPM_EXEC_C_COLD_STARTS],
	                     "warm_starts",
	                     (json_int_t)es.counter[SOPM_EXEC_C_WARM_STARTS])
	         : json_pack("{s:n, s:n, s:n}", "warm", "cold_starts",
	                     "warm_starts");

	return json_object_set_new(json_object_get(body, "user_functions"),
	                           "executor", ex) |
	       json_object_set_new(body, "sandboxes", sb);
}

int api_stats(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_stats *s = fcgi_stats();
	json_t *body;

	body = json_pack(
	    "{s:s, s:I, s:{s:I, s:o}, s:o}", "version", SOPM_VERSION,
	    "uptime_s",
	    (json_int_t)((sopm_time_now_us() - s->started_us) / 1000000u),
	    "requests", "total", (json_int_t)fcgi_histogram_count(&s->requests),
	    "by_status", status_counts(s), "executions", executions(s));
	if (body == NULL || add_counters(body, s) != 0 ||
	    add_queue_counts(body, req) != 0 ||
	    add_user_function_counts(body, req) != 0 ||
	    add_executor(body, req) != 0) {
		json_decref(body);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	fcgi_resp_json(req, 200, body);
	return 0;
}

/* One histogram; _count is the +Inf bucket's cumulative value, as the text
 * format requires. */
static void print_histogram(FILE *f, const char *name, const char *labels,
                            const struct fcgi_histogram *h)
{
	uint64_t cumulative = 0;
	const char *sep = labels[0] ? "," : "";
	const char *open = labels[0] ? "{" : "", *close = labels[0] ? "}" : "";

	for (int b = 0; b < FCGI_STATS_BUCKETS; b++) {
		cumulative += LOAD(h->bucket[b]);
		fprintf(f, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
		        (double)fcgi_stats_bucket_us[b] / 1e6,
		        (unsigned long long)cumulative);
	}
	cumulative += LOAD(h->bucket[FCGI_STATS_BUCKETS]);
	fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep,
	        (unsigned long long)cumulative);
	fprintf(f, "%s_sum%s%s%s %.6f\n", name, open, labels, close,
	        (double)LOAD(h->sum_us) / 1e6);
	fprintf(f, "%s_count%s%s%s %llu\n", name, open, labels, close,
	        (unsigned long long)cumulative);
}

static void print_counters(FILE *f, const struct fcgi_stats *s)
{
	for (int c = 0; c < FCGI_C__COUNT; c++) {
		const struct counter_row *row = &counter_rows[c];
		if (c == 0 || strcmp(row->metric, counter_rows[c - 1].metric))
			fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", row->metric,
			        row->help, row->metric, row->type);
		fprintf(f, "%s%s%s%s %llu\n", row->metric,
		        row->labels[0] ? "{" : "", row->labels,
		        row->labels[0] ? "}" : "",
		        (unsigned long long)LOAD(s->counter[c]));
	}
}

/* The executor's figures from Redis (sopm_exec_stats.h), histograms in
 * seconds and cumulative; nothing when Redis is down, so the rest of
 * /metrics never depends on it. */
static void print_executor(FILE *f, struct sopm_redis *r)
{
	struct sopm_exec_stats es;
	struct sopm_err err;

	if (sopm_exec_stats_load(r, &es, &err) != 0)
		return;
	for (int c = 0; c < SOPM_EXEC_C__COUNT; c++) {
		const struct sopm_exec_counter_def *d = &sopm_exec_counters[c];
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", d->metric,
		        d->help, d->metric, d->type, d->metric, es.counter[c]);
	}
	for (int h = 0; h < SOPM_EXEC_H__COUNT; h++) {
		const struct sopm_exec_hist_def *d = &sopm_exec_hists[h];
		long long cumulative = 0;

		fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", d->metric,
		        d->help, d->metric);
		for (int b = 0; b < d->nbounds; b++) {
			cumulative += es.hist[h].bucket[b];
			fprintf(f, "%s_bucket{le=\"%g\"} %lld\n", d->metric,
			        (double)d->bounds[b] * d->unit_s, cumulative);
		}
		cumulative += es.hist[h].bucket[d->nbounds];
		fprintf(f, "%s_bucket{le=\"+Inf\"} %lld\n", d->metric,
		        cumulative);
		fprintf(f, "%s_sum %.6f\n%s_count %lld\n", d->metric,
		        (double)es.hist[h].sum * d->unit_s, d->metric,
		        cumulative);
	}
}

static void print_metrics(FILE *f, const struct fcgi_stats *s)
{
	fprintf(f, "# HELP sopm_up Whether the pool answers.\n"
	           "# TYPE sopm_up gauge\nsopm_up 1\n");
	print_counters(f, s);
	fprintf(f, "# HELP sopm_http_requests_total Requests by status.\n"
	           "# TYPE sopm_http_requests_total counter\n");
	for (int code = 100; code < FCGI_STATS_STATUS_MAX; code++)
		if (LOAD(s->by_status[code]))
			fprintf(
			    f, "sopm_http_requests_total{status=\"%d\"} %llu\n",
			    code, (unsigned long long)LOAD(s->by_status[code]));
	fprintf(f, "# HELP sopm_http_request_duration_seconds Request time "
	           "in the pool.\n"
	           "# TYPE sopm_http_request_duration_seconds histogram\n");
	print_histogram(f, "sopm_http_request_duration_seconds", "",
	                &s->requests);
	fprintf(f, "# HELP sopm_execution_errors_total Failed executions.\n"
	           "# TYPE sopm_execution_errors_total counter\n");
	for (size_t i = 0; i < s->n_fn; i++)
		if (fcgi_histogram_count(&s->fn[i].latency))
			fprintf(f,
			        "sopm_execution_errors_total{function=\"%s\"} "
			        "%llu\n",
			        fn_catalog_at(i)->def->name,
			        (unsigned long long)LOAD(s->fn[i].errors));
	fprintf(f, "# HELP sopm_execution_duration_seconds Catalog function "
	           "run time.\n"
	           "# TYPE sopm_execution_duration_seconds histogram\n");
	for (size_t i = 0; i < s->n_fn; i++) {
		char labels[160];
		if (fcgi_histogram_count(&s->fn[i].latency) == 0)
			continue;
		snprintf(labels, sizeof(labels), "function=\"%s\"",
		         fn_catalog_at(i)->def->name);
		print_histogram(f, "sopm_execution_duration_seconds", labels,
		                &s->fn[i].latency);
	}
}

int api_metrics(struct fcgi_req *req, struct sopm_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	print_metrics(f, fcgi_stats());
	print_executor(f, &req->worker->redis);
	if (fclose(f) != 0) {
		free(text);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	req->resp_text_owned = text;
	fcgi_resp_text(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	               text);
	return 0;
}
