#include "fcgi_handle.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fcgi_http.h"
#include "fcgi_router.h"
#include "fcgi_stats.h"
#include "fn_schema.h"
#include "sopm_log.h"
#include "sopm_time.h"

/* Routes req, reads its body when the route takes one, and runs the
 * handler. Returns 0, or -1 with err filled. */
static int dispatch(struct fcgi_req *req, FCGX_Request *fr,
                    struct sopm_err *err)
{
	char allow[64];
	const struct fcgi_route *route;

	memcpy(req->path_split, req->path, sizeof(req->path_split));
	route = fcgi_router_match(fcgi_routes, fcgi_routes_count, req->method,
	                          req->path_split, req->params, allow,
	                          sizeof(allow));
	if (route == NULL && allow[0]) {
		fcgi_resp_header(req, "Allow", allow);
		return sopm_err_set(err, SOPM_E_METHOD_NOT_ALLOWED,
		                    "method %s is not allowed here; use %s",
		                    req->method, allow);
	}
	if (route == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "no route for %s",
		                    req->path);
	req->route = route->pattern;
	if (route->body_schema_json != NULL) {
		if (fcgi_req_read_json(req, fr, err) != 0)
			return -1;
		if (fn_schema_validate(route->body_schema_json, req->json,
		                       err) != 0)
			return -1;
	}
	return route->handler(req, err);
}

static void log_request(const struct fcgi_req *req, uint64_t duration_us)
{
	char line[1536], ts[SOPM_TIME_RFC3339_LEN];
	size_t pos;

	if (!sopm_log_enabled(SOPM_LOG_INFO))
		return;
	sopm_time_rfc3339(sopm_time_now_us(), ts);
	pos = (size_t)snprintf(line, sizeof(line),
	                       "{\"ts\":\"%s\",\"level\":\"info\",\"msg\":"
	                       "\"request\",\"pid\":%d,\"request_id\":",
	                       ts, (int)getpid());
	sopm_log_json_str(line, 600, &pos, req->request_id);
	pos += (size_t)snprintf(line + pos, sizeof(line) - pos, ",\"method\":");
	sopm_log_json_str(line, 700, &pos, req->method);
	pos += (size_t)snprintf(line + pos, sizeof(line) - pos, ",\"path\":");
	sopm_log_json_str(line, 1100, &pos, req->path);
	pos += (size_t)snprintf(line + pos, sizeof(line) - pos,
	                        ",\"route\":\"%s\",\"status\":%d,"
	                        "\"duration_us\":%llu",
	                        req->route ? req->route : "", req->status,
	                        (unsigned long long)duration_us);
	if (req->fn_name)
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos,
		                        ",\"function\":\"%s\"", req->fn_name);
	pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "}\n");
	if (pos >= sizeof(line))
		pos = sizeof(line) - 1;
	sopm_log_line(line, pos);
}

void fcgi_handle(FCGX_Request *fr, struct fcgi_worker_ctx *w)
{
	struct fcgi_req req;
	struct sopm_err err = {SOPM_E_OK, ""};
	uint64_t duration_us;

	fcgi_req_init(&req, fr, w->cfg, w);
	if (dispatch(&req, fr, &err) != 0) {
		if (err.code == SOPM_E_INTERNAL)
			sopm_logf(SOPM_LOG_ERROR, "request %s: %s",
			          req.request_id, err.msg);
		fcgi_resp_error(&req, &err);
	}
	fcgi_resp_send(&req, fr);
	duration_us = sopm_time_mono_us() - req.start_mono_us;
	fcgi_stats_request(req.status, duration_us);
	log_request(&req, duration_us);
	fcgi_req_free(&req);
}
