/* api_jobs.c - GET /api/status/:job_id. */
#include <stdlib.h>

#include "fcgi_api.h"
#include "fcgi_auth.h"
#include "fcgi_worker.h"
#include "sopm_jobq.h"

/* A user-function job (its record names a user_id: an integer, or a string
 * in a record written by hand) is visible only to that user and to admins;
 * to anyone else it does not exist (API.md: 404, never 403). A catalog job
 * is visible to whoever has its id. */
static int visible(struct fcgi_req *req, const json_t *job,
                   struct sopm_err *err)
{
	const json_t *u = json_object_get(job, "user_id");
	long long owner = json_is_integer(u) ? json_integer_value(u)
	                  : json_is_string(u)
	                      ? strtoll(json_string_value(u), NULL, 10)
	                      : 0;

	if (u == NULL)
		return 0;
	if (req->authorization == NULL || req->authorization[0] == '\0')
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "job not found");
	if (fcgi_auth_check(req, 0, err) != 0)
		return -1;
	if (!req->caller.is_admin && req->caller.user_id != owner)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "job not found");
	return 0;
}

int api_status(struct fcgi_req *req, struct sopm_err *err)
{
	json_t *job = sopm_jobq_get(&req->worker->redis,
	                            fcgi_req_arg(req, "job_id"), err);

	if (job == NULL)
		return -1;
	if (visible(req, job, err) != 0) {
		json_decref(job);
		return -1;
	}
	fcgi_resp_json(req, 200, job);
	return 0;
}
