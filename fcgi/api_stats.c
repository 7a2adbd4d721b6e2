/* api_stats.c - GET /api/stats (JSON) and GET /metrics (Prometheus text),
 * both read from the pool's shared counters. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "fcgi_api.h"
#include "fcgi_stats.h"
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

static json_t *function_counts(const struct fcgi_stats *s)
{
	json_t *by = json_object();
	for (size_t i = 0;
	     by && i < fn_catalog_count() && i < FCGI_STATS_MAX_FN; i++) {
		const struct fcgi_fn_stats *f = &s->fn[i];
		uint64_t n = LOAD(f->latency.count);
		if (n == 0)
			continue;
		json_object_set_new(
		    by, fn_catalog_at(i)->def->name,
		    json_pack("{s:I, s:I, s:I}", "count", (json_int_t)n,
		              "errors", (json_int_t)LOAD(f->errors), "avg_us",
		              (json_int_t)(LOAD(f->latency.sum_us) / n)));
	}
	return by;
}

/* Queue figures come from Redis; null when it is down (the rest of the
 * statistics never need it). */
static json_t *job_counts(struct fcgi_req *req, const struct fcgi_stats *s)
{
	long long queued = 0, running = 0;
	struct sopm_err err;
	int have = sopm_jobq_counts(req->worker->jobq, &req->worker->redis,
	                            &queued, &running, &err) == 0;

	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "queued",
	                 have ? json_integer(queued) : json_null(), "running",
	                 have ? json_integer(running) : json_null(), "accepted",
	                 (json_int_t)LOAD(s->jobs_accepted), "completed",
	                 (json_int_t)LOAD(s->jobs_completed), "failed",
	                 (json_int_t)LOAD(s->jobs_failed), "timeout",
	                 (json_int_t)LOAD(s->jobs_timeout), "retried",
	                 (json_int_t)LOAD(s->jobs_retried));
}

int api_stats(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_stats *s = fcgi_stats();
	json_t *body;

	body = json_pack(
	    "{s:s, s:I, s:{s:i, s:i, s:I},"
	    " s:{s:I, s:o}, s:{s:I, s:I, s:o}, s:o,"
	    " s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i}}",
	    "version", SOPM_VERSION, "uptime_s",
	    (json_int_t)((sopm_time_now_us() - s->started_us) / 1000000u),
	    "workers", "configured", LOAD(s->workers_configured), "alive",
	    LOAD(s->workers_alive), "restarts",
	    (json_int_t)LOAD(s->worker_restarts), "requests", "total",
	    (json_int_t)LOAD(s->requests.count), "by_status", status_counts(s),
	    "executions", "total", (json_int_t)LOAD(s->executions.count),
	    "errors", (json_int_t)LOAD(s->exec_errors), "by_function",
	    function_counts(s), "jobs", job_counts(req, s), "user_functions",
	    "total", 0, "ready", 0, "building", 0, "failed", 0, "sandboxes",
	    "warm", 0, "cold_starts", 0, "warm_starts", 0);
	if (body == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	fcgi_resp_json(req, 200, body);
	return 0;
}

static void print_histogram(FILE *f, const char *name, const char *labels,
                            const struct fcgi_histogram *h)
{
	uint64_t cumulative = 0;
	const char *sep = labels[0] ? "," : "";

	for (int b = 0; b < FCGI_STATS_BUCKETS; b++) {
		cumulative += LOAD(h->bucket[b]);
		fprintf(f, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, sep,
		        (double)fcgi_stats_bucket_us[b] / 1e6,
		        (unsigned long long)cumulative);
	}
	cumulative += LOAD(h->bucket[FCGI_STATS_BUCKETS]);
	fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep,
	        (unsigned long long)cumulative);
	fprintf(f, "%s_sum{%s} %.6f\n", name, labels,
	        (double)LOAD(h->sum_us) / 1e6);
	fprintf(f, "%s_count{%s} %llu\n", name, labels,
	        (unsigned long long)LOAD(h->count));
}

static void print_metrics(FILE *f, const struct fcgi_stats *s)
{
	fprintf(f, "# HELP sopm_up Whether the pool answers.\n"
	           "# TYPE sopm_up gauge\nsopm_up 1\n");
	fprintf(f,
	        "# HELP sopm_workers Worker processes.\n"
	        "# TYPE sopm_workers gauge\n"
	        "sopm_workers{state=\"configured\"} %d\n"
	        "sopm_workers{state=\"alive\"} %d\n",
	        LOAD(s->workers_configured), LOAD(s->workers_alive));
	fprintf(f,
	        "# HELP sopm_worker_restarts_total Workers restarted.\n"
	        "# TYPE sopm_worker_restarts_total counter\n"
	        "sopm_worker_restarts_total %llu\n",
	        (unsigned long long)LOAD(s->worker_restarts));
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
	for (size_t i = 0; i < fn_catalog_count() && i < FCGI_STATS_MAX_FN; i++)
		if (LOAD(s->fn[i].latency.count))
			fprintf(f,
			        "sopm_execution_errors_total{function=\"%s\"} "
			        "%llu\n",
			        fn_catalog_at(i)->def->name,
			        (unsigned long long)LOAD(s->fn[i].errors));
	fprintf(f, "# HELP sopm_execution_duration_seconds Catalog function "
	           "run time.\n"
	           "# TYPE sopm_execution_duration_seconds histogram\n");
	for (size_t i = 0; i < fn_catalog_count() && i < FCGI_STATS_MAX_FN;
	     i++) {
		char labels[160];
		if (LOAD(s->fn[i].latency.count) == 0)
			continue;
		snprintf(labels, sizeof(labels), "function=\"%s\"",
		         fn_catalog_at(i)->def->name);
		print_histogram(f, "sopm_execution_duration_seconds", labels,
		                &s->fn[i].latency);
	}
	fprintf(f,
	        "# HELP sopm_jobs_total Async jobs by outcome.\n"
	        "# TYPE sopm_jobs_total counter\n"
	        "sopm_jobs_total{outcome=\"accepted\"} %llu\n"
	        "sopm_jobs_total{outcome=\"completed\"} %llu\n"
	        "sopm_jobs_total{outcome=\"failed\"} %llu\n"
	        "sopm_jobs_total{outcome=\"timeout\"} %llu\n"
	        "sopm_jobs_total{outcome=\"retried\"} %llu\n",
	        (unsigned long long)LOAD(s->jobs_accepted),
	        (unsigned long long)LOAD(s->jobs_completed),
	        (unsigned long long)LOAD(s->jobs_failed),
	        (unsigned long long)LOAD(s->jobs_timeout),
	        (unsigned long long)LOAD(s->jobs_retried));
}

int api_metrics(struct fcgi_req *req, struct sopm_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	print_metrics(f, fcgi_stats());
	if (fclose(f) != 0) {
		free(text);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
	req->resp_text_owned = text;
	fcgi_resp_text(req, 200, "text/plain; version=0.0.4; charset=utf-8",
	               text);
	return 0;
}
