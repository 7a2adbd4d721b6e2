/* api_health.c - liveness, readiness, and the not-yet-built user-function
 * routes. */
#include <stdio.h>

#include "fcgi_api.h"
#include "fcgi_worker.h"
#include "sopm_db.h"
#include "sopm_redis.h"

int api_healthz(struct fcgi_req *req, struct sopm_err *err)
{
	(void)err;
	fcgi_resp_json(req, 200, json_pack("{s:s}", "status", "ok"));
	return 0;
}

int api_readyz(struct fcgi_req *req, struct sopm_err *err)
{
	struct sopm_err e;
	int db_ok = sopm_db_ping(&req->worker->db, &e) == 0;
	int redis_ok = sopm_redis_ping(&req->worker->redis, &e) == 0;
	char down[64] = "";
	json_t *checks;

	checks = json_pack("{s:s, s:s}", "mysql", db_ok ? "ok" : "down",
	                   "redis", redis_ok ? "ok" : "down");
	if (db_ok && redis_ok) {
		fcgi_resp_json(req, 200,
		               json_pack("{s:s, s:o}", "status", "ready",
		                         "checks", checks));
		return 0;
	}
	snprintf(down, sizeof(down), "%s%s%s", db_ok ? "" : "mysql",
	         !db_ok && !redis_ok ? " and " : "", redis_ok ? "" : "redis");
	sopm_err_set(err, SOPM_E_UNAVAILABLE, "not ready: %s %s down", down,
	             !db_ok && !redis_ok ? "are" : "is");
	fcgi_resp_error(req, err);
	json_object_set_new(req->resp_body, "status", json_string("not_ready"));
	json_object_set_new(req->resp_body, "checks", checks);
	return 0;
}
