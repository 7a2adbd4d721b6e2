/* bench_catalog.c - `make bench-catalog`: an in-process microbenchmark of
 * every catalog function on its example input.
 *
 * It builds the catalog and one fn_ctx (the limits are the configuration's
 * defaults, as a worker gets them), then for each row takes the example
 * input that GET /api/functions serves (the first of the metadata's
 * examples) and calls fn_dispatch() on it - schema validation, handler and
 * the finite-number check, as production does - for a bounded time or
 * number of calls. It prints one markdown table row per function (calls,
 * calls/s, median and p99 time per call) and the ten slowest by p99.
 *
 * Whatever rows the catalog holds are measured: no list of functions here,
 * except the exemptions the targets name. `sleep` is measured but never
 * flagged (it waits on purpose); the network functions are skipped, since
 * their examples call real hosts.
 *
 *   bench-catalog [-t SECONDS] [-n MAX_CALLS] [-l LIMIT_US] [-s catalog|p99]
 *                 [NAME...]
 *
 * Exit status: 0; 1 when a function fails on its example or a function
 * that is not exempt has a p99 over LIMIT_US; 2 on bad usage or set-up. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fn.h"
#include "fn_tz.h"
#include "sopm_config.h"

/* Functions whose example calls the network: skipped. */
static const char *const network_fns[] = {"http_request", "url_check",
                                          "webhook"};
/* Functions that are slow by design: measured, never flagged. */
static const char *const exempt_fns[] = {"sleep"};

/* Calls measured at least, whatever the time budget says. */
#define MIN_CALLS 5

struct bench_opts {
	double seconds;   /* time budget per function */
	size_t max_calls; /* call budget per function */
	double limit_us;  /* flag a p99 above this */
	int by_p99;       /* sort the table by p99, slowest first */
	char **names;     /* only these functions (argv), or all */
	int n_names;
};

struct bench_row {
	const struct fn_entry *e;
	size_t calls;
	uint64_t total_ns; /* summed time inside fn_dispatch */
	uint64_t median_ns;
	uint64_t p99_ns;
	const char *skipped; /* why it was not measured, or NULL */
	int failed;          /* fn_dispatch failed on the example */
	int exempt;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least p of them at or below. */
static uint64_t percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);
	return sorted[rank > 0 ? rank - 1 : 0];
}

/* Calls row->e on input until the budget is spent; samples (room for
 * opts->max_calls) receives the time of each call. Returns 0, or -1 after
 * printing the error when a call fails. */
static int measure(struct bench_row *row, const json_t *input,
                   struct fn_ctx *ctx, const struct bench_opts *opts,
                   uint64_t *samples)
{
	uint64_t deadline, t0, t1, us;
	struct sopm_err err;
	json_t *result = NULL;
	size_t n = 0;

	/* One call outside the figures: lazy set-up (a time zone read into
	 * the cache, say) is paid once per process, not per call. */
	deadline = now_ns() + (uint64_t)(opts->seconds * 1e9);
	do {
		t0 = now_ns();
		if (fn_dispatch(row->e, input, ctx, &result, &us, &err) != 0) {
			fprintf(stderr,
			        "bench-catalog: %s: example failed: %s\n",
			        row->e->def->name, err.msg);
			row->failed = 1;
			return -1;
		}
		t1 = now_ns();
		json_decref(result);
		if (n++ > 0) {
			samples[row->calls++] = t1 - t0;
			row->total_ns += t1 - t0;
		}
	} while (row->calls < MIN_CALLS ||
	         (row->calls < opts->max_calls && t1 < deadline));
	qsort(samples, row->calls, sizeof(*samples), cmp_u64);
	row->median_ns = percentile(samples, row->calls, 0.5);
	row->p99_ns = percentile(samples, row->calls, 0.99);
	return 0;
}

static int wanted(const char *name, const struct bench_opts *opts)
{
	if (opts->n_names == 0)
		return 1;
	for (int i = 0; i < opts->n_names; i++)
		if (strcmp(name, opts->names[i]) == 0)
			return 1;
	return 0;
}

static int by_p99_desc(const void *a, const void *b)
{
	const struct bench_row *x = a, *y = b;
	if ((x->skipped || x->failed) != (y->skipped || y->failed))
		return (x->skipped || x->failed) ? 1 : -1;
	if (x->p99_ns != y->p99_ns)
		return x->p99_ns < y->p99_ns ? 1 : -1;
	return (x->e->index > y->e->index) - (x->e->index < y->e->index);
}

static int over_limit(const struct bench_row *r, const struct bench_opts *o)
{
	return !r->skipped && !r->failed && !r->exempt &&
	       (double)r->p99_ns / 1e3 > o->limit_us;
}

static void print_row(const struct bench_row *r, const struct bench_opts *o)
{
	const char *flag = "";

	if (r->skipped || r->failed) {
		printf("| %s | %s | - | - | - | - | %s |\n", r->e->def->name,
		       r->e->def->category,
		       r->failed ? "FAILED on its example" : r->skipped);
		return;
	}
	if (over_limit(r, o))
		flag = (double)r->median_ns / 1e3 > o->limit_us
		           ? "**SLOW** (median and p99 over the limit)"
		           : "**SLOW** (p99 over the limit)";
	else if (r->exempt)
		flag = "exempt";
	printf("| %s | %s | %zu | %.0f | %.2f | %.2f | %s |\n", r->e->def->name,
	       r->e->def->category, r->calls,
	       r->total_ns ? (double)r->calls * 1e9 / (double)r->total_ns : 0,
	       (double)r->median_ns / 1e3, (double)r->p99_ns / 1e3, flag);
}

/* Prints the tables and returns the number of functions flagged or failed.
 * Sorts rows in place. */
static int report(struct bench_row *rows, size_t n, const struct bench_opts *o)
{
	int bad = 0;
	size_t measured = 0;

	printf("| function | category | calls | calls/s | median µs | p99 µs "
	       "| flag |\n|---|---|---:|---:|---:|---:|---|\n");
	if (o->by_p99)
		qsort(rows, n, sizeof(*rows), by_p99_desc);
	for (size_t i = 0; i < n; i++) {
		print_row(&rows[i], o);
		bad += rows[i].failed || over_limit(&rows[i], o);
		measured += !rows[i].skipped && !rows[i].failed;
	}
	qsort(rows, n, sizeof(*rows), by_p99_desc);
	printf("\nSlowest ten by p99:\n\n| # | function | median µs | p99 µs "
	       "|\n|---:|---|---:|---:|\n");
	for (size_t i = 0; i < n && i < 10; i++)
		if (!rows[i].skipped && !rows[i].failed)
			printf("| %zu | %s | %.2f | %.2f |\n", i + 1,
			       rows[i].e->def->name,
			       (double)rows[i].median_ns / 1e3,
			       (double)rows[i].p99_ns / 1e3);
	printf("\nslowest ten (p99 µs):");
	for (size_t i = 0; i < n && i < 10; i++)
		if (!rows[i].skipped && !rows[i].failed)
			printf("%s %s %.1f", i ? "," : "", rows[i].e->def->name,
			       (double)rows[i].p99_ns / 1e3);
	printf("\n%zu of %zu functions measured; %d over %g µs p99 or "
	       "failed\n",
	       measured, n, bad, o->limit_us);
	return bad;
}

static int usage(const char *argv0)
{
	fprintf(stderr,
	        "usage: %s [-t SECONDS] [-n MAX_CALLS] [-l LIMIT_US] "
	        "[-s catalog|p99] [NAME...]\n",
	        argv0);
	return 2;
}

static int parse_opts(int argc, char **argv, struct bench_opts *o)
{
	char *end;
	int c;

	*o = (struct bench_opts){0.2, 200000, 1000.0, 0, NULL, 0};
	while ((c = getopt(argc, argv, "t:n:l:s:")) != -1) {
		errno = 0;
		switch (c) {
		case 't':
			o->seconds = strtod(optarg, &end);
			if (*end || errno || !(o->seconds > 0))
				return -1;
			break;
		case 'n':
			o->max_calls = strtoul(optarg, &end, 10);
			if (*end || errno || o->max_calls < MIN_CALLS ||
			    o->max_calls > 100000000)
				return -1;
			break;
		case 'l':
			o->limit_us = strtod(optarg, &end);
			if (*end || errno || !(o->limit_us > 0))
				return -1;
			break;
		case 's':
			if (strcmp(optarg, "catalog") != 0 &&
			    strcmp(optarg, "p99") != 0)
				return -1;
			o->by_p99 = strcmp(optarg, "p99") == 0;
			break;
		default:
			return -1;
		}
	}
	o->names = argv + optind;
	o->n_names = argc - optind;
	return 0;
}

/* Measures every wanted row into rows[] (room for the catalog); returns
 * how many. */
static size_t run_all(struct bench_row *rows, struct fn_ctx *ctx,
                      const struct bench_opts *o, uint64_t *samples)
{
	size_t n = 0;

	for (size_t i = 0; i < fn_catalog_count(); i++) {
		const struct fn_entry *e = fn_catalog_at(i);
		json_t *ex = json_object_get(e->description, "example");
		struct bench_row *r = &rows[n];

		if (!wanted(e->def->name, o))
			continue;
		*r = (struct bench_row){.e = e};
		n++;
		r->exempt = in_list(e->def->name, exempt_fns,
		                    sizeof(exempt_fns) / sizeof(*exempt_fns));
		if (in_list(e->def->name, network_fns,
		            sizeof(network_fns) / sizeof(*network_fns))) {
			r->skipped = "skipped (network)";
			continue;
		}
		measure(r, json_object_get(ex, "input"), ctx, o, samples);
	}
	return n;
}

int main(int argc, char **argv)
{
	struct sopm_config cfg;
	struct fn_limits limits;
	struct bench_opts opts;
	struct sopm_err err;
	struct fn_ctx *ctx = NULL;
	struct bench_row *rows = NULL;
	uint64_t *samples = NULL;
	size_t n;
	int bad = 2;

	if (parse_opts(argc, argv, &opts) != 0)
		return usage(argv[0]);
	if (sopm_config_load(&cfg, NULL, &err) != 0 ||
	    fn_catalog_init(&err) != 0) {
		fprintf(stderr, "bench-catalog: %s\n", err.msg);
		return 2;
	}
	for (int i = 0; i < opts.n_names; i++)
		if (fn_catalog_find(opts.names[i]) == NULL) {
			fprintf(stderr, "bench-catalog: no function '%s'\n",
			        opts.names[i]);
			fn_catalog_free();
			return 2;
		}
	fn_limits_from_config(&limits, &cfg);
	ctx = fn_ctx_new(&limits, &err);
	rows = calloc(fn_catalog_count() + 1, sizeof(*rows));
	samples = malloc(opts.max_calls * sizeof(*samples));
	if (ctx == NULL || rows == NULL || samples == NULL) {
		fprintf(stderr, "bench-catalog: %s\n",
		        ctx ? "out of memory" : err.msg);
		goto out;
	}
	printf("bench-catalog: %zu functions in the catalog; fn_dispatch "
	       "(schema + handler) on each example, one thread, up to %.2f s "
	       "or %zu calls each; flag: p99 over %g µs\n\n",
	       fn_catalog_count(), opts.seconds, opts.max_calls, opts.limit_us);
	n = run_all(rows, ctx, &opts, samples);
	bad = report(rows, n, &opts) > 0;
out:
	free(samples);
	free(rows);
	fn_ctx_free(ctx);
	fn_catalog_free();
	fn_tz_cache_free();
	return bad;
}
