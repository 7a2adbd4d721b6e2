/* fcgi_routes.c - every route of API.md, as data: flags, declared
 * parameters and body schemas. */
#include <stdint.h>
#include <string.h>

#include "fcgi_api.h"
#include "fcgi_router.h"
#include "fn_schema.h"
#include "registry_upload.h"
#include "sopm_id.h"

static const char execute_schema[] =
    "{\"type\":\"object\",\"required\":[\"function\"],"
    "\"additionalProperties\":false,\"properties\":{"
    "\"function\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":128},"
    "\"input\":{\"type\":\"object\"},"
    "\"async\":{\"type\":\"boolean\"}}}";

static const char user_execute_schema[] =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"input\":{\"type\":\"object\"},"
    "\"async\":{\"type\":\"boolean\"},"
    "\"version\":{\"type\":\"integer\",\"minimum\":1,"
    "\"maximum\":2147483647}}}";

/* ---- parameter validators (fcgi_param_valid) ---- */

static int all_of(const char *v, size_t len, size_t min, size_t max,
                  const char *set)
{
	if (len < min || len > max)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (v[i] == '\0' || strchr(set, v[i]) == NULL)
			return 0;
	return 1;
}

/* A catalog name: snake_case, as every row of functions/ has. */
static int valid_function_name(const char *v, size_t len)
{
	return all_of(v, len, 1, 128, "abcdefghijklmnopqrstuvwxyz0123456789_");
}

/* A job id (sopm_id.h). */
static int valid_job_id(const char *v, size_t len)
{
	return len == SOPM_ID_HEX && sopm_id_valid(v);
}

/* A registry id: a positive decimal integer below 2^63, no leading zero. */
static int valid_row_id(const char *v, size_t len)
{
	return all_of(v, len, 1, 18, "0123456789") && v[0] != '0';
}

/* Free text of a filter: at most 255 bytes, no NUL. */
static int valid_filter_text(const char *v, size_t len)
{
	return len <= 255 && memchr(v, '\0', len) == NULL;
}

static const struct fcgi_param list_params[] = {
    {"category", FCGI_IN_QUERY, valid_filter_text,
     "at most 255 bytes, without NUL", NULL},
    {"q", FCGI_IN_QUERY, valid_filter_text, "at most 255 bytes, without NUL",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};
static const struct fcgi_param function_params[] = {
    {"name", FCGI_IN_PATH, valid_function_name, NULL, "function"},
    {NULL, 0, NULL, NULL, NULL},
};
static const struct fcgi_param job_params[] = {
    {"job_id", FCGI_IN_PATH, valid_job_id, NULL, "job"},
    {NULL, 0, NULL, NULL, NULL},
};
static const struct fcgi_param user_list_params[] = {
    {"user_id", FCGI_IN_QUERY, valid_row_id, "a positive integer below 10^18",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};
static const struct fcgi_param user_function_params[] = {
    {"id", FCGI_IN_PATH, valid_row_id, NULL, "function"},
    {"user_id", FCGI_IN_QUERY, valid_row_id, "a positive integer below 10^18",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

#define USER_FN     (FCGI_NEEDS_KEY | FCGI_NEEDS_DB)
#define USER_SEND   (USER_FN | FCGI_NEEDS_REDIS) /* builds, quotas */
#define USER_UPLOAD (USER_SEND | FCGI_UPLOAD)

struct fcgi_route fcgi_routes[] = {
    {"GET", "/api/functions", api_functions_list, FCGI_CATALOG, list_params,
     NULL, NULL, NULL},
    {"GET", "/api/functions/:name", api_functions_get, FCGI_CATALOG,
     function_params, NULL, NULL, NULL},
    {"POST", "/api/execute", api_execute, FCGI_CATALOG, NULL, execute_schema,
     NULL, NULL},
    {"GET", "/api/status/:job_id", api_status, FCGI_NEEDS_REDIS | FCGI_CATALOG,
     job_params, NULL, NULL, NULL},
    {"GET", "/api/stats", api_stats, 0, NULL, NULL, NULL, NULL},
    {"GET", "/metrics", api_metrics, 0, NULL, NULL, NULL, NULL},
    {"GET", "/healthz", api_healthz, 0, NULL, NULL, NULL, NULL},
    {"GET", "/readyz", api_readyz, 0, NULL, NULL, NULL, NULL},
    {"POST", "/api/user-functions", api_user_functions_create, USER_UPLOAD,
     user_list_params, registry_create_schema, NULL, registry_upload_check},
    {"GET", "/api/user-functions", api_user_functions_list, USER_FN,
     user_list_params, NULL, NULL, NULL},
    {"GET", "/api/user-functions/:id", api_user_functions_get, USER_FN,
     user_function_params, NULL, NULL, NULL},
    {"PUT", "/api/user-functions/:id", api_user_functions_update, USER_UPLOAD,
     user_function_params, registry_update_schema, NULL, registry_upload_check},
    {"DELETE", "/api/user-functions/:id", api_user_functions_delete, USER_FN,
     user_function_params, NULL, NULL, NULL},
    {"POST", "/api/user-functions/:id/execute", api_user_functions_execute,
     USER_SEND, user_function_params, user_execute_schema, NULL, NULL},
};

const size_t fcgi_routes_count = sizeof(fcgi_routes) / sizeof(*fcgi_routes);

/* Every ":name" of the pattern is a declared path parameter, and the
 * declared ones fit in a request (FCGI_MAX_ARGS, FCGI_MAX_PARAMS). */
static int params_declared(const struct fcgi_route *r)
{
	int n = 0, in_path = 0;

	for (const struct fcgi_param *p = r->params; p && p->name; p++) {
		n++;
		in_path += p->in == FCGI_IN_PATH;
	}
	if (n > FCGI_MAX_ARGS || in_path > FCGI_MAX_PARAMS)
		return 0;
	for (const char *p = strchr(r->pattern, ':'); p; p = strchr(p, ':')) {
		char name[64];
		size_t len = strcspn(p + 1, "/");
		const struct fcgi_param *d;
		if (len >= sizeof(name))
			return 0;
		memcpy(name, p + 1, len);
		name[len] = '\0';
		d = fcgi_route_param(r, name);
		if (d == NULL || d->in != FCGI_IN_PATH || d->noun == NULL)
			return 0;
		p += 1 + len;
	}
	return 1;
}

int fcgi_routes_init(struct sopm_err *err)
{
	for (size_t i = 0; i < fcgi_routes_count; i++) {
		struct fcgi_route *r = &fcgi_routes[i];
		if (!params_declared(r))
			return sopm_err_set(
			    err, SOPM_E_INTERNAL,
			    "undeclared path parameter in %s %s", r->method,
			    r->pattern);
		if (r->body_schema == NULL || r->body_schema_json != NULL)
			continue;
		r->body_schema_json = json_loads(r->body_schema, 0, NULL);
		if (r->body_schema_json == NULL ||
		    fn_schema_check(r->body_schema_json, err) != 0)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "bad body schema for %s %s",
			                    r->method, r->pattern);
	}
	return 0;
}
