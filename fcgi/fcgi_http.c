/* fcgi_http.c - request parsing and response writing over libfcgi. */
#include "fcgi_http.h"
#include "fcgi_router.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sopm_bytes.h"
#include "sopm_log.h"
#include "sopm_time.h"

/* Frames json_path_at follows: above the body nesting limit (64). */
#define SOPM_JSON_PATH_DEPTH 128

static const char *param(FCGX_Request *fr, const char *name)
{
	return FCGX_GetParam(name, fr->envp);
}

int fcgi_request_id_sane(const char *id)
{
	size_t n = 0;
	if (id == NULL)
		return 0;
	for (; id[n]; n++)
		if (!isalnum((unsigned char)id[n]) && id[n] != '.' &&
		    id[n] != '_' && id[n] != '-')
			return 0;
	return n >= 1 && n <= 64;
}

void fcgi_req_init(struct fcgi_req *req, FCGX_Request *fr,
                   const struct sopm_config *cfg, struct fcgi_worker_ctx *w)
{
	const char *uri, *len, *rid;
	size_t n;

	memset(req, 0, sizeof(*req));
	req->cfg = cfg;
	req->worker = w;
	req->start_mono_us = sopm_time_mono_us();
	req->method = param(fr, "REQUEST_METHOD");
	if (req->method == NULL)
		req->method = "GET";
	req->content_type = param(fr, "CONTENT_TYPE");
	req->prefer = param(fr, "HTTP_PREFER");
	req->authorization = param(fr, "HTTP_AUTHORIZATION");
	len = param(fr, "CONTENT_LENGTH");
	req->content_length = len && *len ? strtoull(len, NULL, 10) : 0;

	/* The raw request target, never nginx's decoded and normalised
	 * $document_uri: routing on a decoded path would let "..%2f" in a
	 * parameter climb into another route (fcgi_router_match). */
	uri = param(fr, "REQUEST_URI");
	if (uri == NULL)
		uri = "/";
	n = strcspn(uri, "?");
	if (n >= sizeof(req->path)) {
		n = sizeof(req->path) - 1;
		req->path_truncated = 1; /* matches no route, see fcgi_handle */
	}
	memcpy(req->path, uri, n);
	req->path[n] = '\0';
	req->query = param(fr, "QUERY_STRING");
	if (req->query == NULL)
		req->query = "";

	rid = param(fr, "HTTP_X_REQUEST_ID");
	if (fcgi_request_id_sane(rid))
		snprintf(req->request_id, sizeof(req->request_id), "%s", rid);
	else
		sopm_id_unique(req->request_id);
	req->status = 200;
}

void fcgi_req_free(struct fcgi_req *req)
{
	free(req->body);
	json_decref(req->json);
	json_decref(req->resp_body);
	free(req->resp_text_owned);
	req->body = NULL;
	req->json = NULL;
	req->resp_body = NULL;
	req->resp_text_owned = NULL;
}

/* application/json, or any application/<x>+json, with optional parameters. */
static int media_type_is_json(const char *ct)
{
	size_t n;

	while (*ct == ' ')
		ct++;
	n = strcspn(ct, "; \t");
	if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return 1;
	return n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	       strncasecmp(ct + n - 5, "+json", 5) == 0;
}

/* Deepest [ / { nesting outside strings, stopping early past limit. */
static int json_depth_exceeds(const char *s, size_t len, int limit)
{
	int depth = 0, in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > limit)
				return 1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

/* Length of the RFC 8259 section 6 number at s (at most n bytes), or 0
 * when s does not start with one. */
static size_t json_number_len(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i;
}

/* The next number outside strings in the JSON text s[0..n), from *i on:
 * 1 with its offset in *i and its length in *len, or 0 when none is left. */
static int json_next_number(const char *s, size_t n, size_t *i, size_t *len)
{
	int in_str = 0;

	for (; *i < n; (*i)++) {
		if (in_str) {
			if (s[*i] == '\\')
				(*i)++;
			else if (s[*i] == '"')
				in_str = 0;
		} else if (s[*i] == '"') {
			in_str = 1;
		} else if ((s[*i] == '-' || (s[*i] >= '0' && s[*i] <= '9')) &&
		           (*len = json_number_len(s + *i, n - *i)) > 0) {
			return 1;
		}
	}
	return 0;
}

/* Whether body (n bytes) is JSON once every number in it is replaced by 0:
 * tells a valid text with a number jansson cannot hold (400 invalid_input)
 * from one that is not JSON at all (400 invalid_json). */
static int json_valid_but_for_numbers(const char *body, size_t n)
{
	char *t = malloc(n + 1);
	json_error_t jerr;
	json_t *v;

	if (t == NULL)
		return 0;
	memcpy(t, body, n);
	t[n] = '\0';
	for (size_t i = 0, len; json_next_number(t, n, &i, &len); i += len) {
		t[i] = '0';
		memset(t + i + 1, ' ', len - 1);
	}
	v = json_loadb(t, n, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
	free(t);
	json_decref(v);
	return v != NULL;
}

/* Whether the RFC 8259 number t[0..n) fits what jansson holds: an integer
 * (no fraction, no exponent) within int64, or a finite double. */
static int json_number_fits(const char *t, size_t n)
{
	char small[64], *buf = n < sizeof(small) ? small : malloc(n + 1);
	int fits;

	if (buf == NULL)
		return 1; /* unknown: the caller names no field */
	memcpy(buf, t, n);
	buf[n] = '\0';
	errno = 0;
	if (strpbrk(buf, ".eE") == NULL) {
		(void)strtoll(buf, NULL, 10);
		fits = errno != ERANGE;
	} else {
		double d = strtod(buf, NULL);
		fits = errno != ERANGE || (d != HUGE_VAL && d != -HUGE_VAL);
	}
	if (buf != small)
		free(buf);
	return fits;
}

/* Byte offset in the valid JSON text body[0..n) of the first number that
 * json_number_fits refuses, or n when there is none. */
static size_t json_overflow_at(const char *body, size_t n)
{
	for (size_t i = 0, len; json_next_number(body, n, &i, &len); i += len)
		if (!json_number_fits(body + i, len))
			return i;
	return n;
}

/* Decodes the JSON string token t[0..n) into out (size bytes). Returns 0,
 * or -1 when it is not a string, holds NUL or does not fit. */
static int json_token_text(const char *t, size_t n, char *out, size_t size)
{
	json_t *v = json_loadb(t, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int rc = -1;

	if (json_is_string(v) && json_string_length(v) < size &&
	    strlen(json_string_value(v)) == json_string_length(v)) {
		memcpy(out, json_string_value(v), json_string_length(v) + 1);
		rc = 0;
	}
	json_decref(v);
	return rc;
}

int fcgi_json_member_at(const char *body, size_t len, size_t pos, char *member,
                        size_t member_size, char *token, size_t token_size)
{
	size_t key_start = 0, key_end = 0, tok_start = 0, tok_end = 0;
	size_t s_start = 0;
	int depth = 0, in_str = 0, expect_key = 0, s_is_key = 0;

	if (pos > len)
		pos = len;
	for (size_t i = 0; i < pos; i++) {
		char c = body[i];
		if (in_str) {
			if (c == '\\') {
				i++;
			} else if (c == '"') {
				in_str = 0;
				tok_start = s_start;
				tok_end = i + 1;
				if (s_is_key) {
					key_start = s_start;
					key_end = i + 1;
				}
			}
			continue;
		}
		if (c == '"') {
			in_str = 1;
			s_start = i;
			s_is_key = depth == 1 && expect_key;
			if (s_is_key)
				expect_key = 0;
		} else if (c == '{' || c == '[') {
			depth++;
			expect_key = depth == 1 && c == '{';
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == ',' && depth == 1) {
			expect_key = 1;
		}
	}
	if (key_end == 0 ||
	    json_token_text(body + key_start, key_end - key_start, member,
	                    member_size) != 0)
		return -1;
	if (token && (tok_end == 0 ||
	              json_token_text(body + tok_start, tok_end - tok_start,
	                              token, token_size) != 0))
		token[0] = '\0';
	return 0;
}

/* The path of the value at byte offset pos of the valid JSON object text
 * body[0..len), below its top-level member: "n", "items[2]", "a.b" into
 * path, that member's name into member ("" at the top level). Keys that
 * hold NUL or do not fit end the path early. depth is at most the body's
 * nesting limit (checked before). */
static void json_path_at(const char *body, size_t len, size_t pos, char *member,
                         size_t member_size, char *path, size_t path_size)
{
	struct frame {
		int is_object, expect_key;
		size_t index, key_start, key_end;
	} st[SOPM_JSON_PATH_DEPTH];
	int depth = 0, in_str = 0;
	size_t s_start = 0, used = 0;
	char key[128];

	member[0] = path[0] = '\0';
	for (size_t i = 0; i < pos && i < len; i++) {
		char c = body[i];
		if (in_str) {
			if (c == '\\') {
				i++;
			} else if (c == '"') {
				in_str = 0;
				if (depth > 0 && st[depth - 1].is_object &&
				    st[depth - 1].expect_key) {
					st[depth - 1].key_start = s_start;
					st[depth - 1].key_end = i + 1;
					st[depth - 1].expect_key = 0;
				}
			}
		} else if (c == '"') {
			in_str = 1;
			s_start = i;
		} else if (c == '{' || c == '[') {
			if (depth == SOPM_JSON_PATH_DEPTH)
				return;
			st[depth++] =
			    (struct frame){c == '{', c == '{', 0, 0, 0};
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		} else if (c == ',' && depth > 0) {
			st[depth - 1].expect_key = st[depth - 1].is_object;
			st[depth - 1].index++;
		}
	}
	for (int d = 0; d < depth; d++) {
		int n = 0;
		if (st[d].is_object) {
			if (st[d].key_end == 0 ||
			    json_token_text(body + st[d].key_start,
			                    st[d].key_end - st[d].key_start,
			                    key, sizeof(key)) != 0)
				return;
			if (d == 0) {
				snprintf(member, member_size, "%s", key);
				continue;
			}
			n = snprintf(path + used, path_size - used, "%s%s",
			             used ? "." : "", key);
		} else {
			n = snprintf(path + used, path_size - used, "[%zu]",
			             st[d].index);
		}
		if (n < 0 || (size_t)n >= path_size - used)
			return;
		used += (size_t)n;
	}
}

int fcgi_json_parse(const char *body, size_t len, const struct sopm_config *cfg,
                    json_t **json, struct sopm_err *err)
{
	json_error_t jerr;

	*json = NULL;
	/* RFC 8259 has no raw NUL anywhere (in a string it must be \u0000);
	 * jansson would take one outside a string for the end of the text. */
	if (memchr(body, '\0', len) != NULL)
		return sopm_err_set(err, SOPM_E_INVALID_JSON,
		                    "request body is not valid JSON (a NUL "
		                    "byte)");
	if (json_depth_exceeds(body, len, cfg->http_max_json_depth))
		return sopm_err_set(err, SOPM_E_INVALID_JSON,
		                    "JSON nesting is deeper than %d levels",
		                    cfg->http_max_json_depth);
	*json = json_loadb(body, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
	/* Valid JSON that jansson cannot hold: object keys are C strings, and
	 * numbers are int64 or finite doubles (RFC 8259 sections 6 and 9 let a
	 * parser set such limits). */
	/* jansson checks UTF-8 strictly (no overlong forms, no surrogates,
	 * nothing past U+10FFFF), anywhere in the body. */
	if (*json == NULL && json_error_code(&jerr) == json_error_invalid_utf8)
		return sopm_err_set(err, SOPM_E_INVALID_JSON,
		                    "request body is not valid UTF-8");
	if (*json == NULL &&
	    json_error_code(&jerr) == json_error_null_byte_in_key) {
		/* Name the top-level member that holds the key (a files path,
		 * an env name): jansson tells where it stopped. */
		char member[128];
		if (jerr.position > 0 &&
		    fcgi_json_member_at(body, len, (size_t)jerr.position,
		                        member, sizeof(member), NULL, 0) == 0)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%.64s': object keys may not "
			    "contain NUL (\\u0000)",
			    member);
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "object keys may not contain NUL (\\u0000)");
	}
	if (*json == NULL &&
	    json_error_code(&jerr) == json_error_numeric_overflow &&
	    json_valid_but_for_numbers(body, len)) {
		/* name the field: "n" of "input", as a schema error would */
		char member[128], path[256], what[420] = "a number";
		json_path_at(body, len, json_overflow_at(body, len), member,
		             sizeof(member), path, sizeof(path));
		if (path[0])
			snprintf(what, sizeof(what), "field '%s' of '%s'", path,
			         member);
		else if (member[0])
			snprintf(what, sizeof(what), "field '%s'", member);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "%s is out of range (line %d, column %d): "
		                    "integers must fit in 64 bits and reals in "
		                    "a double",
		                    what, jerr.line, jerr.column);
	}
	if (*json == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_JSON,
		                    "request body is not valid JSON (line %d, "
		                    "column %d)",
		                    jerr.line, jerr.column);
	/* JSON, but not the object every route takes: a wrong type. */
	if (!json_is_object(*json)) {
		json_decref(*json);
		*json = NULL;
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "request body must be a JSON object");
	}
	return 0;
}

int fcgi_req_read_json(struct fcgi_req *req, FCGX_Request *fr,
                       struct sopm_err *err)
{
	size_t max = req->cfg->http_max_body_bytes, got = 0;

	if (req->route_def && (req->route_def->flags & FCGI_UPLOAD))
		max = req->cfg->http_max_upload_bytes;
	if (req->content_type && *req->content_type &&
	    !media_type_is_json(req->content_type))
		return sopm_err_code(err, SOPM_E_UNSUPPORTED_MEDIA_TYPE);
	if (req->content_length > max)
		return sopm_err_set(err, SOPM_E_PAYLOAD_TOO_LARGE,
		                    "request body is larger than %zu bytes",
		                    max);
	if (req->content_length == 0)
		return sopm_err_set(
		    err, SOPM_E_INVALID_JSON,
		    "request body is empty; send a JSON object");
	if (req->content_type == NULL || *req->content_type == '\0')
		return sopm_err_code(err, SOPM_E_UNSUPPORTED_MEDIA_TYPE);

	req->body = malloc(req->content_length + 1);
	if (req->body == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	while (got < req->content_length) {
		int n = FCGX_GetStr(req->body + got,
		                    (int)(req->content_length - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	req->body[got] = '\0';
	if (got != req->content_length)
		return sopm_err_set(err, SOPM_E_INVALID_JSON,
		                    "request body is shorter than its "
		                    "Content-Length");
	return fcgi_json_parse(req->body, got, req->cfg, &req->json, err);
}

long fcgi_pct_decode(const char *s, size_t n, char *out, size_t size, int form,
                     int strict)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i], hi, lo;
		if (c == '+' && form) {
			c = ' ';
		} else if (c == '%' && i + 2 < n &&
		           (hi = sopm_hex_digit(s[i + 1])) >= 0 &&
		           (lo = sopm_hex_digit(s[i + 2])) >= 0) {
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '%' && strict) {
			return -1;
		}
		if (o + 1 >= size)
			return -2;
		out[o++] = (char)c;
	}
	if (size == 0)
		return -2;
	out[o] = '\0';
	return (long)o;
}

long fcgi_query_get(const char *query, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = query;

	while (*p) {
		size_t seg = strcspn(p, "&");
		if (seg >= nlen && strncmp(p, name, nlen) == 0 &&
		    (seg == nlen || p[nlen] == '=')) {
			const char *v = seg == nlen ? p + seg : p + nlen + 1;
			return fcgi_pct_decode(v, (size_t)(p + seg - v), out,
			                       size, 1, 0);
		}
		p += seg;
		if (*p == '&')
			p++;
	}
	return -1;
}

const char *fcgi_req_arg(const struct fcgi_req *req, const char *name)
{
	for (int i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].name, name) == 0)
			return req->args[i].value;
	return NULL;
}

void fcgi_resp_header(struct fcgi_req *req, const char *name, const char *value)
{
	size_t room = sizeof(req->resp_headers) - req->resp_headers_len;
	int n = snprintf(req->resp_headers + req->resp_headers_len, room,
	                 "%s: %s\r\n", name, value);
	if (n > 0 && (size_t)n < room)
		req->resp_headers_len += (size_t)n;
}

static const char internal_error_body[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}";

void fcgi_resp_json(struct fcgi_req *req, int status, json_t *body)
{
	json_decref(req->resp_body);
	req->resp_body = body;
	req->resp_text = NULL;
	req->status = status;
	if (body == NULL) {
		sopm_logf(SOPM_LOG_ERROR,
		          "request %s: no response body (out "
		          "of memory)",
		          req->request_id);
		fcgi_resp_text(req, 500, "application/json",
		               internal_error_body);
	}
}

void fcgi_resp_text(struct fcgi_req *req, int status, const char *type,
                    const char *text)
{
	req->status = status;
	req->resp_text = text;
	req->resp_text_type = type;
}

/* RFC 7240: a "respond-async" preference anywhere in Prefer. */
static int prefers_async(const char *prefer)
{
	const char *p = prefer;
	while (p && (p = strcasestr(p, "respond-async")) != NULL) {
		char next = p[13];
		if ((p == prefer || p[-1] == ' ' || p[-1] == ',' ||
		     p[-1] == '\t') &&
		    (next == '\0' || next == ',' || next == ';' || next == ' '))
			return 1;
		p += 13;
	}
	return 0;
}

int fcgi_req_wants_async(const struct fcgi_req *req)
{
	json_t *async = json_object_get(req->json, "async");

	return async ? json_is_true(async) : prefers_async(req->prefer);
}

void fcgi_resp_error(struct fcgi_req *req, const struct sopm_err *err)
{
	fcgi_resp_error_ex(req, err, NULL);
}

void fcgi_resp_error_ex(struct fcgi_req *req, const struct sopm_err *err,
                        const json_t *extra)
{
	const char *msg =
	    err->msg[0] ? err->msg : sopm_err_default_message(err->code);
	json_t *e = json_pack("{s:s, s:s}", "code", sopm_err_name(err->code),
	                      "message", msg);

	if (e != NULL && extra != NULL &&
	    json_object_update_missing(e, (json_t *)extra) != 0) {
		json_decref(e);
		e = NULL;
	}
	fcgi_resp_json(req, sopm_err_status(err->code),
	               e ? json_pack("{s:o}", "error", e) : NULL);
}

/* Every status the pool answers with: the error map's and the successes.
 * A unit test checks that each SOPM_ERR_MAP status has a phrase here. */
static const char *const reason_phrases[] = {
    [200] = "OK",
    [201] = "Created",
    [202] = "Accepted",
    [204] = "No Content",
    [400] = "Bad Request",
    [401] = "Unauthorized",
    [404] = "Not Found",
    [405] = "Method Not Allowed",
    [409] = "Conflict",
    [413] = "Payload Too Large",
    [415] = "Unsupported Media Type",
    [429] = "Too Many Requests",
    [500] = "Internal Server Error",
    [501] = "Not Implemented",
    [502] = "Bad Gateway",
    [503] = "Service Unavailable",
    [504] = "Gateway Timeout",
};

const char *fcgi_reason_phrase(int status)
{
	if (status < 0 ||
	    (size_t)status >=
	        sizeof(reason_phrases) / sizeof(*reason_phrases) ||
	    reason_phrases[status] == NULL)
		return "Unknown";
	return reason_phrases[status];
}

void fcgi_resp_send(struct fcgi_req *req, FCGX_Request *fr)
{
	char *text = NULL;
	const char *body = "", *type = "application/json";
	char head[1024];
	int head_len;
	size_t len = 0;

	if (req->resp_text != NULL) {
		body = req->resp_text;
		len = strlen(body);
		type = req->resp_text_type;
	} else if (req->resp_body != NULL) {
		text = json_dumps(req->resp_body, JSON_COMPACT);
		if (text == NULL) {
			req->status = 500;
			body = internal_error_body;
		} else {
			body = text;
		}
		len = strlen(body);
	}
	if (req->status == 204) /* no content, no Content-Length (RFC 9110
	                           section 8.6) */
		head_len =
		    snprintf(head, sizeof(head),
		             "Status: 204 %s\r\nX-Request-Id: %s\r\n%.*s\r\n",
		             fcgi_reason_phrase(204), req->request_id,
		             (int)req->resp_headers_len, req->resp_headers);
	else
		head_len =
		    snprintf(head, sizeof(head),
		             "Status: %d %s\r\nX-Request-Id: %s\r\n%.*s"
		             "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		             req->status, fcgi_reason_phrase(req->status),
		             req->request_id, (int)req->resp_headers_len,
		             req->resp_headers, type, len);
	if (req->status == 204)
		len = 0;
	if (head_len > 0 && (size_t)head_len < sizeof(head))
		FCGX_PutStr(head, head_len, fr->out);
	if (len > 0 && strcmp(req->method, "HEAD") != 0)
		FCGX_PutStr(body, (int)len, fr->out);
	free(text);
}
