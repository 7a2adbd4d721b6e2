/* api_jobs.c - GET /api/status/:job_id. */
#include "fcgi_api.h"
#include "fcgi_worker.h"
#include "sopm_jobq.h"

int api_status(struct fcgi_req *req, struct sopm_err *err)
{
	json_t *job = sopm_jobq_get(&req->worker->redis,
	                            fcgi_req_arg(req, "job_id"), err);

	if (job == NULL)
		return -1;
	fcgi_resp_json(req, 200, job);
	return 0;
}
