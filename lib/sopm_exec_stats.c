/* sopm_exec_stats.c - see sopm_exec_stats.h. */
#include "sopm_exec_stats.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof(*(a)))

const struct sopm_exec_counter_def sopm_exec_counters[SOPM_EXEC_C__COUNT] = {
#define SOPM_EXEC_COUNTER_ROW(e, field, metric, type, help)                    \
	[SOPM_EXEC_C_##e] = {field, metric, type, help},
    SOPM_EXEC_COUNTERS(SOPM_EXEC_COUNTER_ROW)
#undef SOPM_EXEC_COUNTER_ROW
};

const struct sopm_exec_hist_def sopm_exec_hists[SOPM_EXEC_H__COUNT] = {
#define SOPM_EXEC_HIST_ROW(e, field, metric, unit_s, help, ...)                \
	[SOPM_EXEC_H_##e] = {field,                                            \
	                     metric,                                           \
	                     help,                                             \
	                     unit_s,                                           \
	                     (int)ARRAY_LEN(((long long[]){__VA_ARGS__})),     \
	                     {__VA_ARGS__}},
    SOPM_EXEC_HISTS(SOPM_EXEC_HIST_ROW)
#undef SOPM_EXEC_HIST_ROW
};

/* KEYS: the hash. ARGV: bucket field, sum field, count field, value. */
static const char observe_lua[] =
    "redis.call('HINCRBY', KEYS[1], ARGV[1], 1)\n"
    "redis.call('HINCRBY', KEYS[1], ARGV[2], ARGV[4])\n"
    "redis.call('HINCRBY', KEYS[1], ARGV[3], 1)\n"
    "return 1";

/* The hash field of bucket b of h ("init_us_bucket_50000", "..._inf"). */
static void bucket_field(const struct sopm_exec_hist_def *h, int b, char *out,
                         size_t size)
{
	if (b < h->nbounds)
		snprintf(out, size, "%s_bucket_%lld", h->field, h->bounds[b]);
	else
		snprintf(out, size, "%s_bucket_inf", h->field);
}

static int run(struct sopm_redis *r, struct sopm_err *err, const char *fmt,
               const char *field, long long n)
{
	redisReply *reply = sopm_redis_cmd(r, err, fmt, field, n);

	if (reply == NULL)
		return -1;
	freeReplyObject(reply);
	return 0;
}

int sopm_exec_stats_add(struct sopm_redis *r, enum sopm_exec_counter c,
                        long long n, struct sopm_err *err)
{
	if ((unsigned)c >= SOPM_EXEC_C__COUNT)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	return run(r, err, "HINCRBY " SOPM_EXEC_STATS_KEY " %s %lld",
	           sopm_exec_counters[c].field, n);
}

int sopm_exec_stats_set(struct sopm_redis *r, enum sopm_exec_counter c,
                        long long v, struct sopm_err *err)
{
	if ((unsigned)c >= SOPM_EXEC_C__COUNT)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	return run(r, err, "HSET " SOPM_EXEC_STATS_KEY " %s %lld",
	           sopm_exec_counters[c].field, v);
}

int sopm_exec_stats_observe(struct sopm_redis *r, enum sopm_exec_hist h,
                            long long value, struct sopm_err *err)
{
	const struct sopm_exec_hist_def *d;
	char bucket[64], sum[48], count[48], v[24];
	redisReply *reply;
	int b = 0;

	if ((unsigned)h >= SOPM_EXEC_H__COUNT)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	d = &sopm_exec_hists[h];
	if (value < 0)
		value = 0;
	while (b < d->nbounds && value > d->bounds[b])
		b++;
	bucket_field(d, b, bucket, sizeof(bucket));
	snprintf(sum, sizeof(sum), "%s_sum", d->field);
	snprintf(count, sizeof(count), "%s_count", d->field);
	snprintf(v, sizeof(v), "%lld", value);
	{
		const char *argv[] = {
		    "EVAL", observe_lua, "1",   SOPM_EXEC_STATS_KEY,
		    bucket, sum,         count, v};
		size_t lens[ARRAY_LEN(argv)];
		for (size_t i = 0; i < ARRAY_LEN(argv); i++)
			lens[i] = strlen(argv[i]);
		reply =
		    sopm_redis_argv(r, err, (int)ARRAY_LEN(argv), argv, lens);
	}
	if (reply == NULL)
		return -1;
	freeReplyObject(reply);
	return 0;
}

/* Stores the value of hash field name (if it is one of ours) in s. */
static void load_field(struct sopm_exec_stats *s, const char *name, long long v)
{
	char field[64];

	for (int c = 0; c < SOPM_EXEC_C__COUNT; c++)
		if (strcmp(name, sopm_exec_counters[c].field) == 0)
			s->counter[c] = v;
	for (int h = 0; h < SOPM_EXEC_H__COUNT; h++) {
		const struct sopm_exec_hist_def *d = &sopm_exec_hists[h];
		size_t n = strlen(d->field);
		if (strncmp(name, d->field, n) != 0 || name[n] != '_')
			continue;
		if (strcmp(name + n, "_sum") == 0)
			s->hist[h].sum = v;
		else if (strcmp(name + n, "_count") == 0)
			s->hist[h].count = v;
		for (int b = 0; b <= d->nbounds; b++) {
			bucket_field(d, b, field, sizeof(field));
			if (strcmp(name, field) == 0)
				s->hist[h].bucket[b] = v;
		}
	}
}

int sopm_exec_stats_load(struct sopm_redis *r, struct sopm_exec_stats *out,
                         struct sopm_err *err)
{
	redisReply *reply =
	    sopm_redis_cmd(r, err, "HGETALL " SOPM_EXEC_STATS_KEY);

	memset(out, 0, sizeof(*out));
	if (reply == NULL)
		return -1;
	for (size_t i = 0;
	     reply->type == REDIS_REPLY_ARRAY && i + 1 < reply->elements;
	     i += 2)
		if (reply->element[i]->type == REDIS_REPLY_STRING &&
		    reply->element[i + 1]->type == REDIS_REPLY_STRING)
			load_field(
			    out, reply->element[i]->str,
			    strtoll(reply->element[i + 1]->str, NULL, 10));
	freeReplyObject(reply);
	return 0;
}

/* The upper bound of the bucket holding quantile q of histogram h of s: a
 * NEW integer, null for "inf", 0 with no values. */
static json_t *quantile(const struct sopm_exec_stats *s, int h, double q)
{
	const struct sopm_exec_hist_def *d = &sopm_exec_hists[h];
	long long seen = 0, rank;

	if (s->hist[h].count <= 0)
		return json_integer(0);
	rank = (long long)(q * (double)s->hist[h].count + 0.999999);
	for (int b = 0; b < d->nbounds; b++) {
		seen += s->hist[h].bucket[b];
		if (seen >= rank)
			return json_integer(d->bounds[b]);
	}
	return json_null();
}

static json_t *hist_json(const struct sopm_exec_stats *s, int h)
{
	const struct sopm_exec_hist_def *d = &sopm_exec_hists[h];
	json_t *buckets = json_object();
	char le[24];
	long long count = s->hist[h].count;

	for (int b = 0; buckets && b <= d->nbounds; b++) {
		if (b < d->nbounds)
			snprintf(le, sizeof(le), "%lld", d->bounds[b]);
		else
			snprintf(le, sizeof(le), "inf");
		json_object_set_new(buckets, le,
		                    json_integer(s->hist[h].bucket[b]));
	}
	return json_pack(
	    "{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "count", (json_int_t)count,
	    "sum", (json_int_t)s->hist[h].sum, "avg",
	    (json_int_t)(count > 0 ? s->hist[h].sum / count : 0), "p50",
	    quantile(s, h, 0.50), "p90", quantile(s, h, 0.90), "p99",
	    quantile(s, h, 0.99), "buckets", buckets);
}

json_t *sopm_exec_stats_json(const struct sopm_exec_stats *s)
{
	json_t *o = json_object();

	for (int c = 0; o && c < SOPM_EXEC_C__COUNT; c++)
		if (json_object_set_new(o, sopm_exec_counters[c].field,
		                        json_integer(s->counter[c])) != 0)
			goto fail;
	for (int h = 0; o && h < SOPM_EXEC_H__COUNT; h++)
		if (json_object_set_new(o, sopm_exec_hists[h].field,
		                        hist_json(s, h)) != 0)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *sopm_exec_stats_read(struct sopm_redis *r, struct sopm_err *err)
{
	struct sopm_exec_stats s;
	json_t *o;

	if (sopm_exec_stats_load(r, &s, err) != 0)
		return NULL;
	o = sopm_exec_stats_json(&s);
	if (o == NULL)
		sopm_err_code(err, SOPM_E_INTERNAL);
	return o;
}
