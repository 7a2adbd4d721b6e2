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

struct fcgi_worker_ctx; /* per-thread state: connections, see fcgi_worker.h */

struct fcgi_req {
	/* Borrowed from the FastCGI request; valid until it is finished. */
	const char *method;
	const char *query;
	const char *content_type;
	const char *prefer;
	const char *authorization;
	size_t content_length;

	char path[1024];       /* without the query string */
	int path_truncated;    /* the path did not fit in path[] */
	char path_split[1024]; /* the router's copy; params point into it */
	char request_id[65];
	const char *params[FCGI_MAX_PARAMS]; /* :segments of the route */
	const char *route;                   /* matched pattern, for logs */

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
	const char *fn_name;      /* function executed, for logs and stats */
	char job_id[SOPM_ID_LEN]; /* sync or async job, for logs */

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
 * type, UTF-8 and depth limits of the configuration. Returns 0, or -1 with
 * err filled (413, 415, 400 invalid_json). */
int fcgi_req_read_json(struct fcgi_req *req, FCGX_Request *fr,
                       struct sopm_err *err);

/* Value of a query-string parameter, URL-decoded into out; returns 1 when
 * present, 0 when absent. */
int fcgi_req_query(const struct fcgi_req *req, const char *name, char *out,
                   size_t size);

/* Adds "name: value" to the response headers. */
void fcgi_resp_header(struct fcgi_req *req, const char *name,
                      const char *value);

/* Sets the JSON response: status and body (the reference is STOLEN). */
void fcgi_resp_json(struct fcgi_req *req, int status, json_t *body);

/* Sets a text response: status, media type and body (borrowed; it must
 * outlive the response: static, catalog-owned or req->resp_text_owned). */
void fcgi_resp_text(struct fcgi_req *req, int status, const char *type,
                    const char *text);

/* Sets the error response for err: the one place that maps sopm_err to
 * HTTP (status, {"error":{code,message}}). */
void fcgi_resp_error(struct fcgi_req *req, const struct sopm_err *err);

/* Writes the response to the FastCGI stream. */
void fcgi_resp_send(struct fcgi_req *req, FCGX_Request *fr);

/* Checks a 1-64 character [A-Za-z0-9._-] id. */
int fcgi_request_id_sane(const char *id);

#endif
