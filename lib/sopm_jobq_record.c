/* sopm_jobq_record.c - the job record: how its fields are stored and shown
 * (one table), extra fields, reading it, and waiting for its end. See
 * sopm_jobq.h. */
#include "sopm_jobq_int.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sopm_time.h"

#define ARRAY_LEN(a)  (sizeof(a) / sizeof(*(a)))
#define WAIT_SLICE_MS 2000 /* a waiter re-reads the status this often */

/* How a stored field is shown by sopm_jobq_get. */
enum field_kind {
	F_HIDDEN, /* bookkeeping */
	F_TEXT,   /* the stored string */
	F_INT,    /* a decimal integer */
	F_JSON    /* JSON text, decoded */
};

/* The queue's own fields. Any other field is an extra one (submit options,
 * sopm_jobq_finish_ex): stored as JSON text and shown decoded, so its type
 * survives. An extra field may not take one of these names. */
static const struct record_field {
	const char *name;
	enum field_kind kind;
} record_fields[] = {
    {"id", F_HIDDEN},       {"job_id", F_HIDDEN},   {"input", F_HIDDEN},
    {"worker", F_HIDDEN},   {"owner", F_HIDDEN},    {"timeout_ms", F_HIDDEN},
    {"function", F_TEXT},   {"kind", F_TEXT},       {"status", F_TEXT},
    {"created_at", F_TEXT}, {"started_at", F_TEXT}, {"finished_at", F_TEXT},
    {"attempts", F_INT},    {"duration_us", F_INT}, {"result", F_JSON},
    {"error", F_JSON},
};

static const struct record_field *own_field(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(record_fields); i++)
		if (strcmp(record_fields[i].name, name) == 0)
			return &record_fields[i];
	return NULL;
}

int jobq_extra_encode(const json_t *obj, const char **names, char **values,
                      struct sopm_err *err)
{
	const char *name;
	json_t *v;
	int n = 0;

	if (obj == NULL)
		return 0;
	if (!json_is_object(obj) || json_object_size(obj) > SOPM_JOBQ_EXTRA_MAX)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "extra job fields must be an object of at "
		                    "most %d members",
		                    SOPM_JOBQ_EXTRA_MAX);
	json_object_foreach((json_t *)obj, name, v)
	{
		if (own_field(name) != NULL || name[0] == '\0') {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "extra job field '%s' is reserved", name);
			goto fail;
		}
		values[n] = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (values[n] == NULL) {
			sopm_err_code(err, SOPM_E_INTERNAL);
			goto fail;
		}
		names[n++] = name;
	}
	return n;
fail:
	while (n > 0)
		free(values[--n]);
	return -1;
}

/* Sets field of the API record from its stored value (len bytes). */
static void put_field(json_t *obj, const char *field, const char *value,
                      size_t len)
{
	const struct record_field *f = own_field(field);
	enum field_kind kind = f ? f->kind : F_JSON;
	json_t *v = NULL;

	if (kind == F_HIDDEN)
		return;
	if (kind == F_INT)
		v = json_integer(strtoll(value, NULL, 10));
	else if (kind == F_JSON)
		/* Strings may hold NUL (\u0000), as request bodies may. */
		v = json_loadb(value, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
		               NULL);
	/* An own JSON field that does not parse is left out; an extra one
	 * (written by hand, say) is shown as the string it is. */
	if (v == NULL && (kind == F_TEXT || f == NULL))
		v = json_stringn(value, len);
	if (v != NULL)
		json_object_set_new(obj, field, v);
}

json_t *sopm_jobq_get(struct sopm_redis *r, const char *job_id,
                      struct sopm_err *err)
{
	redisReply *reply;
	json_t *job;

	if (!sopm_id_valid(job_id)) {
		sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		             job_id ? job_id : "");
		return NULL;
	}
	reply = sopm_redis_cmd(r, err, "HGETALL " JOBQ_KEY_JOB "%s", job_id);
	if (reply == NULL)
		return NULL;
	if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0) {
		freeReplyObject(reply);
		sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		             job_id);
		return NULL;
	}
	job = json_pack("{s:s}", "job_id", job_id);
	for (size_t i = 0; job && i + 1 < reply->elements; i += 2)
		if (reply->element[i]->type == REDIS_REPLY_STRING &&
		    reply->element[i + 1]->type == REDIS_REPLY_STRING)
			put_field(job, reply->element[i]->str,
			          reply->element[i + 1]->str,
			          reply->element[i + 1]->len);
	freeReplyObject(reply);
	if (job == NULL)
		sopm_err_code(err, SOPM_E_INTERNAL);
	return job;
}

/* 1 when job_id has ended, 0 while it has not, -1 with err (gone:
 * SOPM_E_NOT_FOUND; Redis failed). */
static int has_ended(struct sopm_redis *r, const char *job_id,
                     struct sopm_err *err)
{
	static const char *const final[] = {"completed", "failed", "timeout"};
	redisReply *reply =
	    sopm_redis_cmd(r, err, "HGET " JOBQ_KEY_JOB "%s status", job_id);
	int ended = 0;

	if (reply == NULL)
		return -1;
	if (reply->type != REDIS_REPLY_STRING) {
		freeReplyObject(reply);
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		                    job_id);
	}
	for (size_t i = 0; i < ARRAY_LEN(final); i++)
		ended |= strcmp(reply->str, final[i]) == 0;
	freeReplyObject(reply);
	return ended;
}

json_t *sopm_jobq_wait(struct sopm_redis *r, const char *job_id,
                       long timeout_ms, struct sopm_err *err)
{
	uint64_t end = sopm_time_mono_us() + (uint64_t)timeout_ms * 1000u;
	char key[JOBQ_KEY_MAX];

	if (!sopm_id_valid(job_id)) {
		sopm_err_set(err, SOPM_E_NOT_FOUND, "job '%s' not found",
		             job_id ? job_id : "");
		return NULL;
	}
	snprintf(key, sizeof(key), JOBQ_KEY_JOB "%s" JOBQ_DONE_SUFFIX, job_id);
	for (;;) {
		uint64_t now = sopm_time_mono_us();
		long slice;
		char secs[24];
		redisReply *reply;
		int ended = has_ended(r, job_id, err);

		if (ended < 0)
			return NULL;
		if (ended)
			return sopm_jobq_get(r, job_id, err);
		if (timeout_ms <= 0 || now >= end) {
			sopm_err_set(err, SOPM_E_TIMEOUT,
			             "job %s did not end within %ld ms", job_id,
			             timeout_ms);
			return NULL;
		}
		slice = (long)((end - now + 999) / 1000);
		if (slice > WAIT_SLICE_MS)
			slice = WAIT_SLICE_MS;
		/* At least 1 ms: BLPOP's timeout 0 means forever. */
		snprintf(secs, sizeof(secs), "%ld.%03ld", slice / 1000,
		         slice % 1000);
		{
			const char *argv[] = {"BLPOP", key, secs};
			size_t lens[] = {5, strlen(key), strlen(secs)};
			reply = sopm_redis_argv_blocking(r, err, slice, 3, argv,
			                                 lens);
		}
		if (reply == NULL)
			return NULL;
		freeReplyObject(reply);
	}
}
