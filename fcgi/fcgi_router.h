/* fcgi_router.h - the route table and its matcher.
 *
 * A route is data: method, pattern ("/api/functions/:name"), handler, flags
 * (what the request needs before the handler runs: a key, MariaDB, Redis),
 * its declared path and query parameters, and the JSON Schema of its body
 * when it takes one. The generic pipeline (fcgi_handle.c) enforces all of
 * it before the handler, the way Redis's processCommand() does, so a handler
 * only does its own work and sees only validated values. */
#ifndef FCGI_ROUTER_H
#define FCGI_ROUTER_H

#include <jansson.h>
#include <stddef.h>

#include "fcgi_http.h"
#include "sopm_err.h"

/* Fills the response of req and returns 0, or returns -1 with err filled
 * (the caller maps it to HTTP). */
typedef int (*fcgi_route_fn)(struct fcgi_req *req, struct sopm_err *err);

/* What a route needs, checked before its parameters and body are read:
 * the dependencies first (503), then the key (401); see fcgi_handle.c. */
enum fcgi_route_flag {
	FCGI_NEEDS_KEY = 1 << 0,   /* Authorization: Bearer key (API.md) */
	FCGI_NEEDS_ADMIN = 1 << 1, /* ... of an admin user (implies a key) */
	FCGI_NEEDS_DB = 1 << 2,    /* MariaDB: 503 when down */
	FCGI_NEEDS_REDIS = 1 << 3, /* Redis: 503 when down */
	FCGI_CATALOG = 1 << 4,     /* a key when auth.catalog = required */
	FCGI_UPLOAD = 1 << 5,      /* body up to http.max_upload_bytes */
};

/* A parameter validator: 1 when the decoded value (len bytes, which may
 * hold any byte) is acceptable. */
typedef int (*fcgi_param_valid)(const char *value, size_t len);

enum fcgi_param_in { FCGI_IN_PATH, FCGI_IN_QUERY };

/* A declared parameter (kcgi's struct kvalid). A path parameter is named
 * by its ":name" segment; one that fails its validator matches no resource
 * (404 "<noun> not found"). A query parameter is optional; one that fails
 * is 400 invalid_input naming it. */
struct fcgi_param {
	const char *name;
	enum fcgi_param_in in;
	fcgi_param_valid valid;
	const char *rule; /* for people: "32 lowercase hex digits" */
	const char *noun; /* path: what it names, "job" */
};

struct fcgi_route {
	const char *method;
	const char *pattern;
	fcgi_route_fn handler;
	unsigned flags;                  /* enum fcgi_route_flag */
	const struct fcgi_param *params; /* ends with {NULL}; NULL: none */
	const char *body_schema;         /* NULL: no body is read */
	json_t *body_schema_json;        /* parsed by fcgi_routes_init */
	fcgi_route_fn body_check;        /* rules beyond the schema; NULL */
};

/* The table of every route in API.md (fcgi_routes.c). */
extern struct fcgi_route fcgi_routes[];
extern const size_t fcgi_routes_count;

/* Parses the body schemas of the table and checks that every ":name" has a
 * declared parameter. Returns 0, or -1 (SOPM_E_INTERNAL). */
int fcgi_routes_init(struct sopm_err *err);

/* Finds the route for method and the raw path (as sent: not decoded, not
 * normalised; RFC 3986 section 3.3). The path is split on literal '/' first,
 * then each segment is percent-decoded into seg_buf (size bytes), so an
 * encoded slash never separates segments. A segment that is empty (except
 * one trailing slash), "." or "..", holds a bad %-escape, or decodes to a
 * '/' or NUL matches no route. On a match returns it and points params[i]
 * (NUL-terminated, in pattern order) into seg_buf. When the path matches
 * but the method does not, returns NULL and writes the allowed methods
 * ("GET, HEAD") into allow; when nothing matches, NULL with allow empty.
 * HEAD matches GET routes. */
const struct fcgi_route *fcgi_router_match(const struct fcgi_route *table,
                                           size_t n, const char *method,
                                           const char *path, char *seg_buf,
                                           size_t size,
                                           const char *params[FCGI_MAX_PARAMS],
                                           char *allow, size_t allow_size);

/* The declared parameter `name` of route r, or NULL. */
const struct fcgi_param *fcgi_route_param(const struct fcgi_route *r,
                                          const char *name);

#endif
