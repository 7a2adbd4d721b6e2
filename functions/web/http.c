/* http.c - `http_request`, `url_check` and `webhook`: the network functions,
 * all through the guarded client of net.h. */
#include "fn.h"
#include "fn_arg.h"
#include "net.h"
#include "pyjson.h"
#include "sopm_bytes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HTTP_REDIRECTS_MAX  5
#define HTTP_JSON_DEPTH_MAX 128

fn_handler_t fn_http_request;
fn_handler_t fn_url_check;
fn_handler_t fn_webhook;

static json_t *elapsed_ms(uint64_t us)
{
	return json_integer((json_int_t)(us / 1000));
}

/* 0 when the member url holds no U+0000 (libcurl would read the URL only
 * up to it, and fetch another one), else -1 with err naming 'url'. */
static int url_has_no_nul(const json_t *input, struct sopm_err *err)
{
	const json_t *u = json_object_get(input, "url");

	if (json_is_string(u) &&
	    strlen(json_string_value(u)) != json_string_length(u))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url' is not a valid absolute URL "
		                    "(it holds U+0000)");
	return 0;
}

/* A body that is not a string is sent as compact JSON (pyjson_dump,
 * ensure_ascii=False); b then owns the bytes. Returns 0 or -1 (no memory or
 * too deep). */
static int body_bytes(const json_t *body, struct sopm_buf *b, const char **p,
                      size_t *n)
{
	if (json_is_string(body)) {
		*p = json_string_value(body);
		*n = json_string_length(body);
		return 0;
	}
	if (pyjson_dump(b, body, 0, HTTP_JSON_DEPTH_MAX) != 0)
		return -1;
	*p = b->p ? b->p : "";
	*n = b->len;
	return 0;
}

int fn_http_request(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	const json_t *body = json_object_get(input, "body");
	struct net_req rq = {
	    .url = fn_arg_str(input, "url", ""),
	    .method = fn_arg_str(input, "method", "GET"),
	    .headers = json_object_get(input, "headers"),
	    .timeout_ms = (long)fn_arg_int(input, "timeout_ms", 5000),
	    .max_redirects = HTTP_REDIRECTS_MAX,
	};
	struct sopm_buf json_body = {0};
	struct net_resp resp;
	json_t *out, *text;
	char method[8];
	int rc;

	if (url_has_no_nul(input, err) != 0)
		return -1;
	/* the schema allows the methods in either case */
	snprintf(method, sizeof(method), "%s", rq.method);
	for (char *m = method; *m; m++)
		*m = (char)toupper((unsigned char)*m);
	rq.method = method;

	if (body != NULL && !json_is_null(body)) {
		if (strcmp(rq.method, "HEAD") == 0)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'body' cannot go with method "
			    "HEAD");
		if (body_bytes(body, &json_body, &rq.body, &rq.body_len) != 0) {
			free(json_body.p);
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'body' nests too deeply");
		}
		if (!json_is_string(body))
			rq.body_type = "application/json";
	}
	rc = net_fetch(&rq, ctx, &resp, err);
	free(json_body.p);
	if (rc != 0)
		return -1;
	text = net_text(resp.body.p ? resp.body.p : "", resp.body.len);
	out = json_pack("{s:i,s:O,s:o*,s:o}", "status", (json_int_t)resp.status,
	                "headers", resp.headers, "body", text, "elapsed_ms",
	                elapsed_ms(resp.elapsed_us));
	net_resp_free(&resp);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

int fn_url_check(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	struct net_req rq = {
	    .url = fn_arg_str(input, "url", ""),
	    .method = "HEAD",
	    .timeout_ms = (long)fn_arg_int(input, "timeout_ms", 5000),
	    .max_redirects = HTTP_REDIRECTS_MAX,
	    .status_only = 1,
	};
	struct net_resp resp;
	json_t *out;
	int rc;

	if (url_has_no_nul(input, err) != 0)
		return -1;
	rc = net_fetch(&rq, ctx, &resp, err);
	if (rc == 0 && resp.status == 405) {
		uint64_t spent = resp.elapsed_us;
		net_resp_free(&resp);
		rq.method = "GET";
		rq.timeout_ms -= (long)(spent / 1000);
		if (rq.timeout_ms < 1)
			rq.timeout_ms = 1;
		rc = net_fetch(&rq, ctx, &resp, err);
		resp.elapsed_us += spent;
		if (rc > 0) { /* the HEAD was answered: that status stands */
			rc = 0;
			resp.status = 405;
		}
	}
	if (rc < 0)
		return -1;
	if (rc > 0)
		out = json_pack("{s:b,s:n,s:o}", "reachable", 0, "status",
		                "elapsed_ms", elapsed_ms(resp.elapsed_us));
	else
		out = json_pack("{s:b,s:i,s:o}", "reachable", 1, "status",
		                (json_int_t)resp.status, "elapsed_ms",
		                elapsed_ms(resp.elapsed_us));
	net_resp_free(&resp);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

int fn_webhook(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	const json_t *secret = json_object_get(input, "secret");
	struct net_req rq = {
	    .url = fn_arg_str(input, "url", ""),
	    .method = "POST",
	    .body_type = "application/json",
	    .timeout_ms = (long)fn_arg_int(input, "timeout_ms", 5000),
	    .max_redirects = 0,
	    .status_only = 1,
	};
	struct sopm_buf body = {0};
	char line[32 + 2 * EVP_MAX_MD_SIZE];
	struct net_resp resp;
	json_t *out;
	int rc;

	if (url_has_no_nul(input, err) != 0)
		return -1;
	if (pyjson_dump(&body, json_object_get(input, "payload"), 0,
	                HTTP_JSON_DEPTH_MAX) != 0) {
		free(body.p);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'payload' nests too deeply");
	}
	rq.body = body.p ? body.p : "";
	rq.body_len = body.len;
	if (json_is_string(secret)) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		int w = snprintf(line, sizeof(line), "X-Signature: sha256=");
		if (HMAC(EVP_sha256(), json_string_value(secret),
		         (int)json_string_length(secret),
		         (const unsigned char *)rq.body, rq.body_len, md,
		         &mdlen) == NULL) {
			free(body.p);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "HMAC-SHA256 is unavailable");
		}
		sopm_hex_encode(md, mdlen, line + w);
		rq.extra = line;
	}
	rc = net_fetch(&rq, ctx, &resp, err);
	free(body.p);
	if (rc != 0)
		return -1;
	out = json_pack("{s:i,s:o}", "status", (json_int_t)resp.status,
	                "elapsed_ms", elapsed_ms(resp.elapsed_us));
	net_resp_free(&resp);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
