/* fcgi_router.h - the route table and its matcher.
 *
 * A route is data: method, pattern ("/api/functions/:name"), handler, and
 * the JSON Schema of its body when it takes one. The request layer reads and
 * validates the body before the handler runs (fcgi_handle.c), so a handler
 * only does its own work. */
#ifndef FCGI_ROUTER_H
#define FCGI_ROUTER_H

#include <jansson.h>
#include <stddef.h>

#include "fcgi_http.h"
#include "sopm_err.h"

/* Fills the response of req and returns 0, or returns -1 with err filled
 * (the caller maps it to HTTP). */
typedef int (*fcgi_route_fn)(struct fcgi_req *req, struct sopm_err *err);

struct fcgi_route {
	const char *method;
	const char *pattern;
	fcgi_route_fn handler;
	const char *body_schema;  /* NULL: no body is read */
	json_t *body_schema_json; /* parsed by fcgi_routes_init */
};

/* The table of every route in API.md (fcgi_routes.c). */
extern struct fcgi_route fcgi_routes[];
extern const size_t fcgi_routes_count;

/* Parses the body schemas of the table. Returns 0, or -1 (SOPM_E_INTERNAL). */
int fcgi_routes_init(struct sopm_err *err);

/* Finds the route for method and path in table. On a match returns it and
 * points params[i] into path_copy (a writable copy of path). When the path
 * matches but the method does not, returns NULL and writes the allowed
 * methods ("GET, HEAD") into allow; when nothing matches, returns NULL with
 * allow empty. HEAD matches GET routes. */
const struct fcgi_route *fcgi_router_match(const struct fcgi_route *table,
                                           size_t n, const char *method,
                                           char *path_copy,
                                           const char *params[FCGI_MAX_PARAMS],
                                           char *allow, size_t allow_size);

#endif
