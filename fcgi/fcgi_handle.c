#include "fcgi_handle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fcgi_auth.h"
#include "fcgi_http.h"
#include "fcgi_quota.h"
#include "fcgi_router.h"
#include "fcgi_stats.h"
#include "fn_schema.h"
#include "sopm_log.h"
#include "sopm_time.h"

/* ---- what a route needs (enum fcgi_route_flag) ---- */

/* A dependency is needed: connected, or connectable now. No round trip on
 * a live connection: a server that went away since answers the handler's
 * own command with 503. */
static int need_db(struct fcgi_req *req, struct sopm_err *err)
{
	return sopm_db_conn(&req->worker->db, err) != NULL ? 0 : -1;
}

static int need_redis(struct fcgi_req *req, struct sopm_err *err)
{
	return sopm_redis_connect(&req->worker->redis, err);
}

/* A key (and a token from its rate bucket) where the route needs one; a
 * catalog route needs one only when auth.catalog = required. */
static int need_key(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_route *r = req->route_def;

	if (!(r->flags & (FCGI_NEEDS_KEY | FCGI_NEEDS_ADMIN)) &&
	    !req->cfg->auth_catalog_required)
		return 0;
	if (fcgi_auth_check(req, (r->flags & FCGI_NEEDS_ADMIN) != 0, err) != 0)
		return -1;
	return fcgi_quota_rate(req, err);
}

/* Checked in this order: a dependency that is down answers 503 before the
 * key is looked up in it. */
static const struct {
	unsigned flags;
	int (*check)(struct fcgi_req *req, struct sopm_err *err);
} route_checks[] = {
    {FCGI_NEEDS_DB, need_db},
    {FCGI_NEEDS_REDIS, need_redis},
    {FCGI_NEEDS_KEY | FCGI_NEEDS_ADMIN | FCGI_CATALOG, need_key},
};

/* Validates the route's declared parameters into req->args: a path one that
 * fails is 404 (no such resource can exist), a query one 400. */
static int check_params(struct fcgi_req *req, struct sopm_err *err)
{
	const struct fcgi_route *r = req->route_def;
	int path_index = 0;

	for (const struct fcgi_param *p = r->params; p && p->name; p++) {
		const char *value = NULL;
		long len;
		if (p->in == FCGI_IN_PATH) {
			/* Path parameters come in pattern order. */
			value = req->params[path_index++];
			len = value ? (long)strlen(value) : -1;
			if (len < 0 || !p->valid(value, (size_t)len))
				return sopm_err_set(err, SOPM_E_NOT_FOUND,
				                    "%s not found", p->noun);
		} else {
			char *out = req->args_buf + req->args_used;
			len = fcgi_query_get(req->query, p->name, out,
			                     sizeof(req->args_buf) -
			                         req->args_used);
			if (len == -1)
				continue;
			if (len < 0 || !p->valid(out, (size_t)len))
				return sopm_err_set(
				    err, SOPM_E_INVALID_INPUT,
				    "query parameter '%s' must be %s", p->name,
				    p->rule);
			req->args_used += (size_t)len + 1;
			value = out;
		}
		req->args[req->nargs].name = p->name;
		req->args[req->nargs].value = value;
		req->nargs++;
	}
	return 0;
}

/* The pipeline: route, flags (a caller without a key learns nothing of the
 * parameters or the body), parameters, body, handler. Returns 0, or -1
 * with err filled. */
static int dispatch(struct fcgi_req *req, FCGX_Request *fr,
                    struct sopm_err *err)
{
	char allow[64];
	const struct fcgi_route *route;

	if (req->path_truncated)
		return sopm_err_set(err, SOPM_E_NOT_FOUND,
		                    "no route for a path this long");
	route =
	    fcgi_router_match(fcgi_routes, fcgi_routes_count, req->method,
	                      req->path, req->segments, sizeof(req->segments),
	                      req->params, allow, sizeof(allow));
	if (route == NULL && allow[0]) {
		fcgi_resp_header(req, "Allow", allow);
		return sopm_err_set(err, SOPM_E_METHOD_NOT_ALLOWED,
		                    "method %s is not allowed here; use %s",
		                    req->method, allow);
	}
	if (route == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "no such route");
	req->route_def = route;
	for (size_t i = 0; i < sizeof(route_checks) / sizeof(*route_checks);
	     i++)
		if ((route->flags & route_checks[i].flags) &&
		    route_checks[i].check(req, err) != 0)
			return -1;
	if (check_params(req, err) != 0)
		return -1;
	if (route->body_schema_json != NULL) {
		if (fcgi_req_read_json(req, fr, err) != 0)
			return -1;
		if (fn_schema_validate(route->body_schema_json, req->json,
		                       err) != 0)
			return -1;
		if (route->body_check && route->body_check(req, err) != 0)
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
	        req->route_def ? req->route_def->pattern : "", req->status,
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
