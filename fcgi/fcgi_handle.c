#include "fcgi_handle.h"

#include <stdarg.h>
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

	if (req->path_truncated)
		return sopm_err_set(err, SOPM_E_NOT_FOUND,
		                    "no route for a path "
		                    "this long");
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

/* Appends to a log line, never past its end. */
static void appendf(char *line, size_t size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void appendf(char *line, size_t size, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line + *pos, size - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = *pos + (size_t)n < size ? *pos + (size_t)n : size - 1;
}

static void log_request(const struct fcgi_req *req, uint64_t duration_us)
{
	char line[2048], ts[SOPM_TIME_RFC3339_LEN];
	size_t pos = 0, room = sizeof(line) - 300; /* for the fixed fields */

	if (!sopm_log_enabled(SOPM_LOG_INFO))
		return;
	sopm_time_rfc3339(sopm_time_now_us(), ts);
	appendf(line, room, &pos,
	        "{\"ts\":\"%s\",\"level\":\"info\",\"msg\":\"request\","
	        "\"pid\":%d,\"request_id\":\"%s\",\"method\":",
	        ts, (int)getpid(), req->request_id);
	sopm_log_json_str(line, room, &pos, req->method);
	appendf(line, room, &pos, ",\"path\":");
	sopm_log_json_str(line, room, &pos, req->path);
	appendf(line, sizeof(line), &pos,
	        ",\"route\":\"%s\",\"status\":%d,\"duration_us\":%llu",
	        req->route ? req->route : "", req->status,
	        (unsigned long long)duration_us);
	if (req->fn_name)
		appendf(line, sizeof(line), &pos, ",\"function\":\"%s\"",
		        req->fn_name);
	if (req->job_id[0])
		appendf(line, sizeof(line), &pos, ",\"job_id\":\"%s\"",
		        req->job_id);
	appendf(line, sizeof(line), &pos, "}\n");
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
