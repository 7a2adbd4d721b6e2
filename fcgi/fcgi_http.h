/* fcgi_http.h - one HTTP request as the pool sees it, and its response.
 *
 * Everything a request owns hangs off struct fcgi_req and is freed by
 * fcgi_req_free(): the body buffer, the parsed body and the response body. */
#ifndef FCGI_HTTP_H
#define FCGI_HTTP_H

#include <fcgiapp.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sopm_config.h"
#include "sopm_err.h"
#include "sopm_id.h"

#define FCGI_MAX_PARAMS 2
#define FCGI_MAX_ARGS   4    /* declared parameters a route may have */
#define FCGI_ARGS_BYTES 2048 /* their decoded query values, together */

struct fcgi_worker_ctx; /* per-thread state: connections, see fcgi_worker.h */
struct fcgi_route;      /* fcgi_router.h */

/* Who sent the request, from its API key (fcgi_auth.c); user_id 0 when no
 * key was checked. The quotas are those in force for the user: the quotas
 * row in SQL, else the quota.* defaults. */
struct fcgi_caller {
	long long user_id;
	long long key_id;
	int is_admin;
	double rate_per_s;
	long long burst;
	long long max_concurrency;
	long long max_functions;
};

struct fcgi_req {
	/* Borrowed from the FastCGI request; valid until it is finished. */
	const char *method;
	const char *query;
	const char *content_type;
	const char *prefer;
	const char *authorization;
	size_t content_length;

	char path[1024];     /* raw (as sent), without the query string */
	int path_truncated;  /* the path did not fit in path[] */
	char segments[1024]; /* the router's decoded segments */
	char request_id[65];
	const char *params[FCGI_MAX_PARAMS]; /* the router's :segments, in
	                                        pattern order; handlers read
	                                        fcgi_req_arg() */
	const struct fcgi_route *route_def;  /* the matched route */

	/* Declared parameters that passed their validators (fcgi_handle.c),
	 * by name: path ones point into segments[], query ones into
	 * args_buf. Read them with fcgi_req_arg(). */
	struct {
		const char *name, *value;
	} args[FCGI_MAX_ARGS];
	int nargs;
	char args_buf[FCGI_ARGS_BYTES];
	size_t args_used;

	/* Owned: the raw body (NUL-terminated) and its parse. */
	char *body;
	json_t *json;

	/* The response. Owned: resp_body (NEW reference). */
	int status;
	json_t *resp_body;
	const char *resp_text; /* static text body instead of JSON (metrics) */
	const char *resp_text_type;
	char *resp_text_owned;  /* owned text body (free()d) */
	char resp_headers[512]; /* extra "Name: value\r\n" lines */
	size_t resp_headers_len;
	struct fcgi_caller caller; /* set by fcgi_auth_check */
	const char *fn_name;       /* function executed, for logs and stats */
	char job_id[SOPM_ID_LEN];  /* sync or async job, for logs */

	const struct sopm_config *cfg;
	struct fcgi_worker_ctx *worker;
	uint64_t start_mono_us;
};

/* Fills req from a FastCGI request (borrowed, must outlive req). */
void fcgi_req_init(struct fcgi_req *req, FCGX_Request *fr,
                   const struct sopm_config *cfg, struct fcgi_worker_ctx *w);

/* Frees what req owns. */
void fcgi_req_free(struct fcgi_req *req);

/* Reads and parses a JSON object body into req->json with the size, media
 * type, UTF-8 and depth limits of the configuration (the size limit is
 * http.max_upload_bytes on FCGI_UPLOAD routes, else http.max_body_bytes).
 * Returns 0, or -1 with err filled (413, 415, 400 invalid_json). */
int fcgi_req_read_json(struct fcgi_req *req, FCGX_Request *fr,
                       struct sopm_err *err);

/* Parses body[0..len) (borrowed) as a request body: no raw NUL, cfg's depth
 * limit, then jansson with the pool's flags, then an object at the top. On
 * success stores a NEW reference in *json and returns 0. On failure returns -1
 * with err filled (400 invalid_json or invalid_input) and *json NULL. The size
 * limit is the caller's (fcgi_req_read_json checks it first). */
int fcgi_json_parse(const char *body, size_t len, const struct sopm_config *cfg,
                    json_t **json, struct sopm_err *err);

/* For naming the field of an error that jansson reports by byte position:
 * in the JSON object text body[0..len) (valid up to pos), the top-level
 * member whose key or value holds byte offset pos (decoded, into member),
 * and when token is not NULL the last string token that ends at or before
 * pos (decoded, into token; "" if none or it holds NUL). Returns 0, or -1
 * (no member, or its name holds NUL or does not fit). */
int fcgi_json_member_at(const char *body, size_t len, size_t pos, char *member,
                        size_t member_size, char *token, size_t token_size);

/* Percent-decodes s[0..n) (RFC 3986 section 2.1) into out (size bytes;
 * n + 1 always suffice), NUL-terminated. form: '+' is a space
 * (application/x-www-form-urlencoded). strict: a '%' without two hex digits
 * is an error; otherwise it stays as it is. Returns the decoded length
 * (the value may hold NUL bytes), -1 for a bad escape (strict), or -2 when
 * it does not fit. */
long fcgi_pct_decode(const char *s, size_t n, char *out, size_t size, int form,
                     int strict);

/* The value of the first `name` parameter of the query string
 * (application/x-www-form-urlencoded: '+' is a space, %XX a byte), decoded
 * into out (size bytes, NUL-terminated). Returns its length in bytes (it
 * may hold NUL bytes), -1 when absent, or -2 when it does not fit. */
long fcgi_query_get(const char *query, const char *name, char *out,
                    size_t size);

/* A declared parameter of the matched route, as validated before the
 * handler (borrowed, NUL-terminated), or NULL when the request has none. */
const char *fcgi_req_arg(const struct fcgi_req *req, const char *name);

/* Whether req asks for an async answer: the body's boolean "async" when it
 * has one, else a "respond-async" preference in Prefer (RFC 7240). */
int fcgi_req_wants_async(const struct fcgi_req *req);

/* Adds "name: value" to the response headers. */
void fcgi_resp_header(struct fcgi_req *req, const char *name,
                      const char *value);

/* Sets the JSON response: status and body (the reference is STOLEN). A NULL
 * body (a json_pack that ran out of memory) is a 500 internal error. */
void fcgi_resp_json(struct fcgi_req *req, int status, json_t *body);

/* Sets a text response: status, media type and body (borrowed; it must
 * outlive the response: static, catalog-owned or req->resp_text_owned). */
void fcgi_resp_text(struct fcgi_req *req, int status, const char *type,
                    const char *text);

/* Sets the error response for err: the one place that maps sopm_err to
 * HTTP (status, {"error":{code,message}}). */
void fcgi_resp_error(struct fcgi_req *req, const struct sopm_err *err);

/* fcgi_resp_error() with more members in the "error" object: those of
 * extra (borrowed, may be NULL; code and message are not replaced). */
void fcgi_resp_error_ex(struct fcgi_req *req, const struct sopm_err *err,
                        const json_t *extra);

/* The reason phrase of an HTTP status (RFC 9110 section 15), from one
 * table; "Unknown" for a status it does not hold. */
const char *fcgi_reason_phrase(int status);

/* Writes the response to the FastCGI stream. */
void fcgi_resp_send(struct fcgi_req *req, FCGX_Request *fr);

/* Checks a 1-64 character [A-Za-z0-9._-] id. */
int fcgi_request_id_sane(const char *id);

#endif
