/* sopm_runs.c - see sopm_runs.h. */
#include "sopm_runs.h"

#include <stdio.h>

#include "sopm_time.h"

struct sopm_jobq *sopm_runs_new(int takers, const struct sopm_config *cfg,
                                struct sopm_err *err)
{
	struct sopm_jobq *q = sopm_jobq_new(SOPM_RUNS_QUEUE, takers, cfg, err);

	if (q != NULL)
		sopm_jobq_set_max_attempts(q, SOPM_RUNS_MAX_ATTEMPTS);
	return q;
}

int sopm_runs_submit(struct sopm_jobq *q, struct sopm_redis *r,
                     const struct sopm_run *run, const json_t *event,
                     char job_id[SOPM_ID_LEN], struct sopm_err *err)
{
	json_t *fields = json_pack("{s:I, s:I, s:I}", "function_id",
	                           (json_int_t)run->function_id, "version",
	                           (json_int_t)run->version, "user_id",
	                           (json_int_t)run->user_id);
	json_t *input = fields ? json_deep_copy(fields) : NULL;
	struct sopm_jobq_submit_opts opts = {run->timeout_ms, fields};
	int rc = -1;

	if (input == NULL ||
	    json_object_set(input, "input", (json_t *)event) != 0 ||
	    json_object_set_new(input, "submitted_us",
	                        json_integer((json_int_t)sopm_time_now_us())) !=
	        0)
		sopm_err_code(err, SOPM_E_INTERNAL);
	else
		rc = sopm_jobq_submit_opts(q, r, run->function, SOPM_RUNS_KIND,
		                           input, &opts, job_id, err);
	json_decref(input);
	json_decref(fields);
	return rc;
}

const json_t *sopm_runs_read(const struct sopm_job *job, struct sopm_run *run,
                             struct sopm_err *err)
{
	json_t *in = job->input;
	json_t *ids[] = {json_object_get(in, "function_id"),
	                 json_object_get(in, "version"),
	                 json_object_get(in, "user_id")};
	const json_t *event = json_object_get(in, "input");

	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (!json_is_integer(ids[i]))
			event = NULL;
	if (event == NULL || job->function[0] == '\0') {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "job %s is not a run of a user function", job->id);
		return NULL;
	}
	run->function_id = json_integer_value(ids[0]);
	run->version = json_integer_value(ids[1]);
	run->user_id = json_integer_value(ids[2]);
	run->timeout_ms = job->timeout_ms;
	run->submitted_us =
	    json_integer_value(json_object_get(in, "submitted_us"));
	snprintf(run->function, sizeof(run->function), "%s", job->function);
	return event;
}
