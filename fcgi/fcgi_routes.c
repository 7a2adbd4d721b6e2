/* fcgi_routes.c - every route of API.md, as data. */
#include "fcgi_api.h"
#include "fcgi_router.h"
#include "fn_schema.h"

static const char execute_schema[] =
    "{\"type\":\"object\",\"required\":[\"function\"],"
    "\"additionalProperties\":false,\"properties\":{"
    "\"function\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":128},"
    "\"input\":{\"type\":\"object\"},"
    "\"async\":{\"type\":\"boolean\"}}}";

/* User-function routes answer 501 until the registry lands; they still read
 * and check a JSON body where they will take one. */
static const char any_object[] = "{\"type\":\"object\"}";

struct fcgi_route fcgi_routes[] = {
    {"GET", "/api/functions", api_functions_list, NULL, NULL},
    {"GET", "/api/functions/:name", api_functions_get, NULL, NULL},
    {"POST", "/api/execute", api_execute, execute_schema, NULL},
    {"GET", "/api/status/:job_id", api_status, NULL, NULL},
    {"GET", "/api/stats", api_stats, NULL, NULL},
    {"GET", "/metrics", api_metrics, NULL, NULL},
    {"GET", "/healthz", api_healthz, NULL, NULL},
    {"GET", "/readyz", api_readyz, NULL, NULL},
    {"POST", "/api/user-functions", api_user_functions, any_object, NULL},
    {"GET", "/api/user-functions", api_user_functions, NULL, NULL},
    {"GET", "/api/user-functions/:id", api_user_functions, NULL, NULL},
    {"PUT", "/api/user-functions/:id", api_user_functions, any_object, NULL},
    {"DELETE", "/api/user-functions/:id", api_user_functions, NULL, NULL},
    {"POST", "/api/user-functions/:id/execute", api_user_functions, any_object,
     NULL},
};

const size_t fcgi_routes_count = sizeof(fcgi_routes) / sizeof(*fcgi_routes);

int fcgi_routes_init(struct sopm_err *err)
{
	for (size_t i = 0; i < fcgi_routes_count; i++) {
		struct fcgi_route *r = &fcgi_routes[i];
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
