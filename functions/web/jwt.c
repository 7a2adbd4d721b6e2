/* jwt.c - `jwt_decode`, `jwt_sign` and `jwt_verify`: JSON Web Tokens (RFC
 * 7519) in the compact JWS serialization with HS256, HS384 and HS512, as
 * PyJWT 2.6 encodes and decodes them. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_unicode.h"
#include "pyjson.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define JWT_DEPTH_MAX 64 /* nesting of a header or payload */

fn_handler_t fn_jwt_decode;
fn_handler_t fn_jwt_sign;
fn_handler_t fn_jwt_verify;

static const EVP_MD *jwt_md(const char *alg)
{
	if (strcmp(alg, "HS256") == 0)
		return EVP_sha256();
	if (strcmp(alg, "HS384") == 0)
		return EVP_sha384();
	if (strcmp(alg, "HS512") == 0)
		return EVP_sha512();
	return NULL;
}

/* ---- base64url (RFC 4648 section 5) ------------------------------------- */

static const char b64u[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Appends the unpadded base64url of in[0..n) to b. Returns 0 or -1. */
static int b64u_encode(struct sopm_buf *b, const unsigned char *in, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16;
		size_t left = n - i;
		char q[4];
		if (left > 1)
			v |= (unsigned long)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		q[0] = b64u[(v >> 18) & 63];
		q[1] = b64u[(v >> 12) & 63];
		q[2] = b64u[(v >> 6) & 63];
		q[3] = b64u[v & 63];
		if (sopm_buf_add(b, q, left > 2 ? 4 : left + 1) != 0)
			return -1;
	}
	return 0;
}

static int b64u_value(unsigned char c)
{
	const char *p = c ? strchr(b64u, c) : NULL;
	return p ? (int)(p - b64u) : -1;
}

/* Decodes s[0..n): base64url characters, then at most the '=' padding that
 * makes the length a multiple of 4 (unused trailing bits are ignored, as
 * Python's decoder does). *out is NEW (malloc) with *outlen bytes. Returns
 * 0, or -1 when s is not base64url (or memory runs out). */
static int b64u_decode(const char *s, size_t n, unsigned char **out,
                       size_t *outlen)
{
	size_t data = 0, o = 0;
	unsigned long acc = 0;
	int bits = 0;
	unsigned char *p;

	while (data < n && b64u_value((unsigned char)s[data]) >= 0)
		data++;
	for (size_t i = data; i < n; i++)
		if (s[i] != '=')
			return -1;
	if (data % 4 == 1 || (n > data && (n % 4 != 0 || n - data > 2)))
		return -1;
	p = malloc(data * 3 / 4 + 1);
	if (p == NULL)
		return -1;
	for (size_t i = 0; i < data; i++) {
		acc = (acc << 6 |
		       (unsigned long)b64u_value((unsigned char)s[i])) &
		      0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[o++] = (unsigned char)(acc >> bits);
		}
	}
	*out = p;
	*outlen = o;
	return 0;
}

/* PyJWT's base64url_decode: '=' appended up to a multiple of 4 bytes, then
 * binascii.a2b_base64 without strict mode on the base64url alphabet with
 * '+' and '/' also read (urlsafe_b64decode only translates '-' and '_'):
 * every other byte is skipped, and the data ends at a '=' that completes a
 * quantum of at least two characters. *out is NEW (malloc) with *outlen
 * bytes. Returns 0, or -1 where Python raises binascii.Error (a quantum
 * left unfinished) or memory runs out. */
static int pyjwt_b64_decode(const char *s, size_t n, unsigned char **out,
                            size_t *outlen)
{
	size_t padded = n + (n % 4 ? 4 - n % 4 : 0), o = 0;
	int quad = 0, pads = 0;
	unsigned int left = 0;
	unsigned char *p = malloc(padded / 4 * 3 + 1);

	if (p == NULL)
		return -1;
	for (size_t i = 0; i < padded; i++) {
		int c = i < n ? (unsigned char)s[i] : '=', v;

		if (c == '=') {
			if (quad >= 2 && quad + ++pads >= 4)
				goto done;
			continue;
		}
		v = c == '+'   ? 62
		    : c == '/' ? 63
		               : b64u_value((unsigned char)c);
		if (v < 0)
			continue;
		pads = 0;
		if (quad > 0)
			p[o++] =
			    (unsigned char)(left << (2 * quad) |
			                    (unsigned int)v >> (6 - 2 * quad));
		left = (unsigned int)v & ((1u << (6 - 2 * quad)) - 1);
		quad = (quad + 1) % 4;
	}
	if (quad != 0) {
		free(p);
		return -1;
	}
done:
	*out = p;
	*outlen = o;
	return 0;
}

/* ---- parsing a token ---------------------------------------------------- */

/* Why a token failed, in PyJWT's words where PyJWT has some. */
enum jwt_fail {
	JWT_OK,
	JWT_SEGMENTS,
	JWT_HEADER_B64,
	JWT_HEADER_JSON,
	JWT_HEADER_NOT_OBJECT,
	JWT_PAYLOAD_B64,
	JWT_SIG_B64,
	JWT_PAYLOAD_JSON,
	JWT_NOMEM
};

static const char *const jwt_reason[] = {
    [JWT_SEGMENTS] = "Not enough segments",
    [JWT_HEADER_B64] = "Invalid header padding",
    [JWT_HEADER_JSON] = "Invalid header string",
    [JWT_HEADER_NOT_OBJECT] = "Invalid header string: must be a json object",
    [JWT_PAYLOAD_B64] = "Invalid payload padding",
    [JWT_SIG_B64] = "Invalid crypto padding",
    [JWT_PAYLOAD_JSON] = "Invalid payload string",
};

struct jwt {
	const char *token;
	size_t signing_len; /* header.payload */
	json_t *header;     /* NEW */
	unsigned char *payload, *sig;
	size_t payload_len, sig_len;
	const char *sig_text; /* the third segment, in token */
};

static void jwt_free(struct jwt *t)
{
	json_decref(t->header);
	free(t->payload);
	free(t->sig);
}

/* A JSON object from bytes (NEW), or NULL when they are not one: UTF-8
 * JSON text as RFC 8259 (no NaN, integers within int64, finite numbers),
 * nesting at most JWT_DEPTH_MAX. *not_object is 1 when they are JSON of
 * another kind (PyJWT's "must be a json object"). */
static json_t *json_object_of(const unsigned char *p, size_t n, int *not_object)
{
	json_t *v = json_loadb((const char *)p, n,
	                       JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
	size_t values;
	int depth;

	*not_object = v != NULL && !json_is_object(v);
	if (v != NULL &&
	    (!json_is_object(v) || fn_json_measure(v, (size_t)-1, JWT_DEPTH_MAX,
	                                           &values, &depth) != 0)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

/* Splits and decodes the token as PyJWT's _load: the header is the part
 * before the first '.', the signature the part after the last; each part
 * decoded by decode (b64u_decode or pyjwt_b64_decode). */
static enum jwt_fail jwt_load(const char *tok, size_t n, struct jwt *t,
                              int (*decode)(const char *, size_t,
                                            unsigned char **, size_t *))
{
	const char *d1 = memchr(tok, '.', n), *d2 = tok + n;
	unsigned char *hdr;
	size_t hlen;
	int not_object;

	memset(t, 0, sizeof(*t));
	t->token = tok;
	while (d2 > tok && d2[-1] != '.')
		d2--;
	if (d1 == NULL || d2 - 1 == d1)
		return JWT_SEGMENTS;
	d2--;
	t->signing_len = d2 - tok;
	t->sig_text = d2 + 1;
	if (decode(tok, d1 - tok, &hdr, &hlen) != 0)
		return JWT_HEADER_B64;
	t->header = json_object_of(hdr, hlen, &not_object);
	free(hdr);
	if (t->header == NULL)
		return not_object ? JWT_HEADER_NOT_OBJECT : JWT_HEADER_JSON;
	if (decode(d1 + 1, d2 - d1 - 1, &t->payload, &t->payload_len) != 0)
		return JWT_PAYLOAD_B64;
	if (decode(d2 + 1, tok + n - d2 - 1, &t->sig, &t->sig_len) != 0)
		return JWT_SIG_B64;
	return JWT_OK;
}

int fn_jwt_decode(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n;
	const char *tok = fn_arg_text(input, "token", "", &n);
	struct jwt t;
	enum jwt_fail f = jwt_load(tok, n, &t, b64u_decode);
	json_t *payload = NULL, *out;
	int not_object;

	(void)ctx;
	if (f == JWT_OK && (payload = json_object_of(t.payload, t.payload_len,
	                                             &not_object)) == NULL)
		f = JWT_PAYLOAD_JSON;
	if (f != JWT_OK) {
		static const char *const what[] = {
		    [JWT_SEGMENTS] = "does not have three '.'-separated parts",
		    [JWT_HEADER_B64] = "has a header that is not base64url",
		    [JWT_HEADER_JSON] =
		        "has a header that is not a JSON object",
		    [JWT_HEADER_NOT_OBJECT] =
		        "has a header that is not a JSON object",
		    [JWT_PAYLOAD_B64] = "has a payload that is not base64url",
		    [JWT_SIG_B64] = "has a signature that is not base64url",
		    [JWT_PAYLOAD_JSON] =
		        "has a payload that is not a JSON object",
		};
		jwt_free(&t);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'token' %s", what[f]);
	}
	out =
	    json_pack("{s:O,s:o,s:s#}", "header", t.header, "payload", payload,
	              "signature", t.sig_text, (int)(tok + n - t.sig_text));
	jwt_free(&t);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

int fn_jwt_sign(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	size_t klen;
	const char *secret = fn_arg_text(input, "secret", "", &klen);
	const char *alg = fn_arg_str(input, "algorithm", "HS256");
	const EVP_MD *md = jwt_md(alg);
	struct sopm_buf text = {0}, tok = {0};
	char header[40];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	json_t *out = NULL;

	(void)ctx;
	snprintf(header, sizeof(header), "{\"alg\":\"%s\",\"typ\":\"JWT\"}",
	         alg);
	if (md == NULL ||
	    pyjson_dump(&text, json_object_get(input, "payload"), 1,
	                JWT_DEPTH_MAX + 1) != 0 ||
	    b64u_encode(&tok, (const unsigned char *)header, strlen(header)) ||
	    sopm_buf_add(&tok, ".", 1) != 0 ||
	    b64u_encode(&tok, (const unsigned char *)text.p, text.len) != 0 ||
	    HMAC(md, klen ? secret : "", (int)klen,
	         (const unsigned char *)tok.p, tok.len, mac, &maclen) == NULL ||
	    sopm_buf_add(&tok, ".", 1) != 0 ||
	    b64u_encode(&tok, mac, maclen) != 0)
		goto out;
	out = json_stringn(tok.p, tok.len);
out:
	free(text.p);
	free(tok.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* ---- claims -------------------------------------------------------------- */

/* Python's int(v) for a claim: an integer, a real truncated, a boolean,
 * or a string as int() reads it: each non-ASCII whitespace character read
 * as ' ' and each non-ASCII decimal digit as its ASCII digit (anything else
 * non-ASCII fails), then ASCII whitespace around, a sign, and decimal
 * digits with single '_' between them; saturated at +-1e30. Returns 0 with
 * *out, or -1 when Python's int() would fail. */
static int claim_int(const json_t *v, long double *out)
{
	const char *s, *e;
	long double x = 0;
	int neg = 0, digits = 0;
	char prev = 0;
	char *a, *p, *q;
	size_t n, na;

	switch (json_typeof(v)) {
	case JSON_INTEGER:
		*out = (long double)json_integer_value(v);
		return 0;
	case JSON_REAL:
		*out = truncl((long double)json_real_value(v));
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		*out = json_is_true(v);
		return 0;
	case JSON_STRING:
		break;
	default:
		return -1;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if ((a = malloc(n + 1)) == NULL)
		return -1;
	na = fn_uni_py_ascii(s, n, a);
	p = a;
	q = a + na;
	while (p < q && strchr(" \t\n\v\f\r", *p) != NULL && *p)
		p++;
	while (q > p && strchr(" \t\n\v\f\r", q[-1]) != NULL && q[-1])
		q--;
	if (p < q && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (e = p; e < q; e++) {
		if (*e == '_' && prev != 0 && prev != '_')
			;
		else if (*e >= '0' && *e <= '9') {
			digits++;
			if (x < 1e30L)
				x = x * 10 + (*e - '0');
		} else
			break;
		prev = *e;
	}
	free(a);
	if (e != q || !digits || prev == '_')
		return -1;
	*out = neg ? -x : x;
	return 0;
}

/* Python's truth value of a JSON value. */
static int truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return json_object_size(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0;
	case JSON_TRUE:
		return 1;
	default:
		return 0;
	}
}

/* PyJWT's _validate_claims with no audience, issuer or leeway: NULL, or
 * why the claims fail. */
static const char *check_claims(const json_t *p, long double now)
{
	const json_t *v;
	long double x;

	if ((v = json_object_get(p, "iat")) != NULL) {
		if (claim_int(v, &x) != 0)
			return "Issued At claim (iat) must be an integer.";
		/* PyJWT compares iat itself, not int(iat) */
		if (json_is_real(v))
			x = (long double)json_real_value(v);
		if (x > now)
			return "The token is not yet valid (iat)";
	}
	if ((v = json_object_get(p, "nbf")) != NULL) {
		if (claim_int(v, &x) != 0)
			return "Not Before claim (nbf) must be an integer.";
		if (x > now)
			return "The token is not yet valid (nbf)";
	}
	if ((v = json_object_get(p, "exp")) != NULL) {
		if (claim_int(v, &x) != 0)
			return "Expiration Time claim (exp) must be an "
			       "integer.";
		if (x <= now)
			return "Signature has expired";
	}
	if ((v = json_object_get(p, "aud")) != NULL && truthy(v))
		return "Invalid audience";
	return NULL;
}

/* PyJWS's _validate_headers (kid, crit) and the b64 header: NULL or why. */
static const char *check_header(const json_t *h, char *buf, size_t cap)
{
	const json_t *kid = json_object_get(h, "kid");
	const json_t *crit = json_object_get(h, "crit");
	const json_t *b64 = json_object_get(h, "b64");

	if (kid != NULL && !json_is_string(kid))
		return "Key ID header parameter must be a string";
	if (crit != NULL) {
		if (!json_is_array(crit) || json_array_size(crit) == 0)
			return "Invalid 'crit' header: must be a non-empty "
			       "list";
		for (size_t i = 0; i < json_array_size(crit); i++) {
			const json_t *x = json_array_get(crit, i);
			const char *ext = json_string_value(x);
			if (ext == NULL)
				return "Invalid 'crit' header: values must be "
				       "strings";
			if (strcmp(ext, "b64") != 0) {
				snprintf(buf, cap,
				         "Unsupported critical extension: %s",
				         ext);
				return buf;
			}
			if (json_object_get(h, ext) == NULL) {
				snprintf(buf, cap,
				         "Critical extension '%s' is missing "
				         "from headers",
				         ext);
				return buf;
			}
		}
	}
	if (json_is_false(b64))
		return "It is required that you pass in a value for the "
		       "\"detached_payload\" argument to decode a message "
		       "having the b64 header set to false.";
	return NULL;
}

/* The verdict on a loaded token: NULL (valid, *payload NEW) or why not. */
static const char *verify(const struct jwt *t, const char *secret, size_t klen,
                          json_t **payload, char *buf, size_t cap)
{
	const json_t *alg = json_object_get(t->header, "alg");
	const EVP_MD *md;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	const char *why = check_header(t->header, buf, cap);
	int not_object;

	if (why != NULL)
		return why;
	if (!json_is_string(alg) ||
	    (md = jwt_md(json_string_value(alg))) == NULL)
		return "The specified alg value is not allowed";
	if (HMAC(md, klen ? secret : "", (int)klen,
	         (const unsigned char *)t->token, t->signing_len, mac,
	         &maclen) == NULL ||
	    maclen != t->sig_len || CRYPTO_memcmp(mac, t->sig, maclen) != 0)
		return "Signature verification failed";
	*payload = json_object_of(t->payload, t->payload_len, &not_object);
	if (*payload == NULL)
		return not_object
		           ? "Invalid payload string: must be a json object"
		           : "Invalid payload string";
	why = check_claims(*payload, (long double)time(NULL));
	if (why != NULL) {
		json_decref(*payload);
		*payload = NULL;
	}
	return why;
}

int fn_jwt_verify(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n, klen;
	const char *tok = fn_arg_text(input, "token", "", &n);
	const char *secret = fn_arg_text(input, "secret", "", &klen);
	struct jwt t;
	enum jwt_fail f = jwt_load(tok, n, &t, pyjwt_b64_decode);
	json_t *payload = NULL, *out;
	char buf[300];
	const char *why =
	    f != JWT_OK ? jwt_reason[f]
	                : verify(&t, secret, klen, &payload, buf, sizeof(buf));

	(void)ctx;
	jwt_free(&t);
	if (why == NULL)
		out = json_pack("{s:b,s:o}", "valid", 1, "payload", payload);
	else
		out = json_pack("{s:b,s:s}", "valid", 0, "reason", why);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
