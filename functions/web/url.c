/* url.c - `url_parse`, `url_build`, `query_string` and `url_encode`:
 * Python 3.11.2's urllib.parse (urlsplit with its properties, parse_qs,
 * urlunsplit, urlencode(doseq=True), quote/unquote), byte for byte. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "ipaddr.h"
#include "webcodec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>

/* A part of a string: s[0..n). */
struct span {
	const char *s;
	size_t n;
};

static const char *span_chr(struct span a, char c)
{
	return a.n ? memchr(a.s, c, a.n) : NULL;
}

static const char *span_rchr(struct span a, char c)
{
	for (size_t i = a.n; i > 0; i--)
		if (a.s[i - 1] == c)
			return a.s + i - 1;
	return NULL;
}

/* s.partition(c) / s.rpartition(c): *before, *after, 1 if c was found. */
static int span_part(struct span a, const char *at, struct span *before,
                     struct span *after)
{
	if (at == NULL) {
		*before = a;
		after->s = a.s + a.n;
		after->n = 0;
		return 0;
	}
	before->s = a.s;
	before->n = (size_t)(at - a.s);
	after->s = at + 1;
	after->n = a.n - before->n - 1;
	return 1;
}

static int scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* _check_bracketed_host: "v<hex>.<anything>" or an IPv6 address. */
static int bracketed_host_ok(struct span h)
{
	struct ipa_addr a;

	if (h.n > 0 && h.s[0] == 'v') {
		size_t i = 1;
		while (i < h.n && is_hex(h.s[i]))
			i++;
		return i > 1 && i < h.n && h.s[i] == '.' && i + 1 < h.n;
	}
	return ipa_parse_address(h.s, h.n, &a) == 0 && a.version == 6;
}

/* What follows the last c in a, or all of a (rpartition's tail). */
static struct span span_after_last(struct span a, char c)
{
	struct span before, after;

	if (!span_part(a, span_rchr(a, c), &before, &after))
		return a;
	return after;
}

/* _check_bracketed_netloc of a netloc holding both '[' and ']'. */
static int bracketed_netloc_ok(struct span netloc)
{
	struct span hp = span_after_last(netloc, '@'), before, rest, host, port;

	if (span_part(hp, span_chr(hp, '['), &before, &rest)) {
		if (before.n > 0)
			return 0;
		span_part(rest, span_chr(rest, ']'), &host, &port);
		if (port.n > 0 && port.s[0] != ':')
			return 0;
	} else
		span_part(hp, span_chr(hp, ':'), &host, &port);
	return bracketed_host_ok(host);
}

/* _checknetloc: a non-ASCII netloc whose NFKC form (after removing '@',
 * ':', '#' and '?') differs and then holds one of "/?#@:" is refused.
 * Returns 0 (fine), 1 (refused) or -1 (out of memory). */
static int netloc_nfkc_bad(struct span netloc)
{
	char *n = malloc(netloc.n + 1), *norm;
	size_t nn = 0, normlen = 0, i;
	int ascii = 1, bad = 0;

	for (i = 0; i < netloc.n; i++)
		if ((unsigned char)netloc.s[i] >= 0x80)
			ascii = 0;
	if (netloc.n == 0 || ascii) {
		free(n);
		return 0;
	}
	if (n == NULL)
		return -1;
	for (i = 0; i < netloc.n; i++)
		if (!strchr("@:#?", netloc.s[i]) || netloc.s[i] == '\0')
			n[nn++] = netloc.s[i];
	norm = (char *)u8_normalize(UNINORM_NFKC, (const uint8_t *)n, nn, NULL,
	                            &normlen);
	if (norm == NULL) {
		free(n);
		return -1;
	}
	if (normlen != nn || memcmp(norm, n, nn) != 0)
		for (i = 0; i < normlen; i++)
			if (norm[i] != '\0' && strchr("/?#@:", norm[i]))
				bad = 1;
	free(norm);
	free(n);
	return bad;
}

static const char url_strip_chars[] = "\t\r\n";

/* The url after urlsplit's cleaning: leading C0 controls and spaces
 * stripped, every tab, CR and LF removed. A NEW malloc'd copy in *out. */
static char *url_clean(const char *s, size_t n, size_t *outlen)
{
	char *u = malloc(n + 1);
	size_t i = 0, o = 0;

	if (u == NULL)
		return NULL;
	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	for (; i < n; i++)
		if (s[i] == '\0' || !strchr(url_strip_chars, s[i]))
			u[o++] = s[i];
	*outlen = o;
	return u;
}

static json_t *span_str(struct span a)
{
	return json_stringn(a.n ? a.s : "", a.n);
}

/* Python's port property: ASCII digits, 0..65535; else -1. An absent
 * port is -2. */
static long url_port(struct span port)
{
	long v = 0;

	if (port.n == 0)
		return -2;
	for (size_t i = 0; i < port.n; i++) {
		if (port.s[i] < '0' || port.s[i] > '9')
			return -1;
		v = v * 10 + (port.s[i] - '0');
		if (v > 65535)
			return -1;
	}
	return v;
}

/* The hostname property: NULL (json null) when empty, else the part
 * before the first '%' lowercased as str.lower() does, then the zone. */
static json_t *url_hostname(struct span host)
{
	struct span name, zone;
	int has_zone = span_part(host, span_chr(host, '%'), &name, &zone);
	size_t ll = 0;
	char *lower;
	struct sopm_buf b = {0};
	json_t *out = NULL;

	if (host.n == 0)
		return json_null();
	lower = fn_uni_lower(name.s, name.n, &ll);
	if (lower == NULL && name.n > 0)
		return NULL;
	if (sopm_buf_add(&b, lower ? lower : "", ll) == 0 &&
	    (!has_zone || (sopm_buf_add(&b, "%", 1) == 0 &&
	                   sopm_buf_add(&b, zone.s, zone.n) == 0)))
		out = json_stringn(b.p ? b.p : "", b.len);
	free(lower);
	free(b.p);
	return out;
}

static int url_invalid(struct sopm_err *err, const char *why)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT, "field 'url' %s", why);
}

/* urlsplit(u) (u already cleaned) with the properties, into *result. */
static int url_split(struct span u, json_t **result, struct sopm_err *err)
{
	struct span scheme = {"", 0}, netloc = {"", 0}, query = {"", 0};
	struct span frag = {"", 0}, rest = u, tmp, hostinfo, host, port;
	struct span user, pass, userinfo;
	const char *colon = span_chr(u, ':');
	char lscheme[64], *ls = lscheme;
	int have_user, have_pass;
	long portv;
	json_t *out, *params;

	if (colon != NULL && colon > u.s && (unsigned char)u.s[0] < 0x80 &&
	    ((u.s[0] | 0x20) >= 'a' && (u.s[0] | 0x20) <= 'z')) {
		size_t i, k = (size_t)(colon - u.s);
		for (i = 0; i < k && scheme_char(u.s[i]); i++)
			;
		if (i == k) {
			scheme.s = u.s;
			scheme.n = k;
			rest.s = colon + 1;
			rest.n = u.n - k - 1;
		}
	}
	if (rest.n >= 2 && rest.s[0] == '/' && rest.s[1] == '/') {
		size_t d = 2;
		while (d < rest.n && rest.s[d] != '/' && rest.s[d] != '?' &&
		       rest.s[d] != '#')
			d++;
		netloc.s = rest.s + 2;
		netloc.n = d - 2;
		rest.s += d;
		rest.n -= d;
		int open = span_chr(netloc, '[') != NULL;
		int close = span_chr(netloc, ']') != NULL;
		if (open != close)
			return url_invalid(err, "is an invalid IPv6 URL");
		if (open && !bracketed_netloc_ok(netloc))
			return url_invalid(err,
			                   "has an invalid bracketed host");
	}
	if (span_part(rest, span_chr(rest, '#'), &tmp, &frag))
		rest = tmp;
	if (span_part(rest, span_chr(rest, '?'), &tmp, &query))
		rest = tmp;
	switch (netloc_nfkc_bad(netloc)) {
	case 1:
		return url_invalid(err, "has a netloc with characters that "
		                        "NFKC turns into delimiters");
	case -1:
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	}
	have_user =
	    span_part(netloc, span_rchr(netloc, '@'), &userinfo, &hostinfo);
	if (!have_user)
		hostinfo = netloc;
	have_pass = span_part(userinfo, span_chr(userinfo, ':'), &user, &pass);
	if (span_part(hostinfo, span_chr(hostinfo, '['), &tmp, &host)) {
		span_part(host, span_chr(host, ']'), &host, &port);
		span_part(port, span_chr(port, ':'), &tmp, &port);
	} else
		span_part(hostinfo, span_chr(hostinfo, ':'), &host, &port);
	portv = url_port(port);
	if (portv == -1)
		return url_invalid(err, "has a port that is not an integer "
		                        "in 0-65535");
	if (scheme.n >= sizeof(lscheme) && (ls = malloc(scheme.n + 1)) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < scheme.n; i++)
		ls[i] = (char)((scheme.s[i] >= 'A' && scheme.s[i] <= 'Z')
		                   ? scheme.s[i] | 0x20
		                   : scheme.s[i]);
	scheme.s = ls;
	params = webc_parse_qs(query.s, query.n, 0);
	out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	                "scheme", span_str(scheme), "netloc", span_str(netloc),
	                "path", span_str(rest), "query", span_str(query),
	                "fragment", span_str(frag), "username",
	                have_user ? span_str(user) : json_null(), "password",
	                have_user && have_pass ? span_str(pass) : json_null(),
	                "hostname", url_hostname(host), "port",
	                portv >= 0 ? json_integer(portv) : json_null(),
	                "params", params);
	if (ls != lscheme)
		free(ls);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

fn_handler_t fn_url_parse;

int fn_url_parse(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	size_t n, un;
	const char *s = fn_arg_text(input, "url", "", &n);
	char *u = url_clean(s, n, &un);
	int rc;

	(void)ctx;
	if (u == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	rc = url_split((struct span){u, un}, result, err);
	free(u);
	return rc;
}

static const char *const uses_netloc[] = {
    "ftp",     "http",  "gopher", "nntp",    "telnet", "imap",     "wais",
    "file",    "mms",   "https",  "shttp",   "snews",  "prospero", "rtsp",
    "rtspu",   "rsync", "svn",    "svn+ssh", "sftp",   "nfs",      "git",
    "git+ssh", "ws",    "wss",    NULL};

static int in_uses_netloc(const char *scheme, size_t n)
{
	for (const char *const *p = uses_netloc; *p; p++)
		if (strlen(*p) == n && memcmp(*p, scheme, n) == 0)
			return 1;
	return 0;
}

static json_t *buf_string(struct sopm_buf *b)
{
	json_t *s = json_stringn(b->p ? b->p : "", b->len);
	free(b->p);
	return s;
}

fn_handler_t fn_url_build;

/* urlunsplit((scheme, netloc, path, urlencode(query, doseq=True),
 * fragment)) with netloc = host, or host ":" port. */
int fn_url_build(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	size_t sn, hn, pn, fn_;
	const char *scheme = fn_arg_text(input, "scheme", "", &sn);
	const char *host = fn_arg_text(input, "host", "", &hn);
	const char *path = fn_arg_text(input, "path", "", &pn);
	const char *frag = fn_arg_text(input, "fragment", "", &fn_);
	const json_t *port = json_object_get(input, "port");
	const json_t *query = json_object_get(input, "query");
	struct sopm_buf netloc = {0}, q = {0}, out = {0};
	char pbuf[32] = "";
	int rc = -1;
	json_t *s;

	(void)ctx;
	if (port != NULL)
		snprintf(pbuf, sizeof(pbuf), ":%lld",
		         (long long)json_integer_value(port));
	if (sopm_buf_add(&netloc, host, hn) != 0 ||
	    sopm_buf_add(&netloc, pbuf, strlen(pbuf)) != 0 ||
	    (query != NULL && webc_urlencode(&q, query) != 0))
		goto out;
	if (netloc.len > 0 ||
	    (sn > 0 && in_uses_netloc(scheme, sn) &&
	     !(pn >= 2 && path[0] == '/' && path[1] == '/'))) {
		if (sopm_buf_add(&out, "//", 2) != 0 ||
		    sopm_buf_add(&out, netloc.p, netloc.len) != 0 ||
		    (pn > 0 && path[0] != '/' &&
		     sopm_buf_add(&out, "/", 1) != 0))
			goto out;
	}
	if (sopm_buf_add(&out, path, pn) != 0)
		goto out;
	if (sn > 0) {
		struct sopm_buf full = {0};
		if (sopm_buf_add(&full, scheme, sn) != 0 ||
		    sopm_buf_add(&full, ":", 1) != 0 ||
		    sopm_buf_add(&full, out.p, out.len) != 0) {
			free(full.p);
			goto out;
		}
		free(out.p);
		out = full;
	}
	if ((q.len > 0 && (sopm_buf_add(&out, "?", 1) != 0 ||
	                   sopm_buf_add(&out, q.p, q.len) != 0)) ||
	    (fn_ > 0 && (sopm_buf_add(&out, "#", 1) != 0 ||
	                 sopm_buf_add(&out, frag, fn_) != 0)))
		goto out;
	s = buf_string(&out);
	out.p = NULL;
	if (s != NULL) {
		*result = s;
		rc = 0;
	}
out:
	free(netloc.p);
	free(q.p);
	free(out.p);
	if (rc != 0)
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return rc;
}

fn_handler_t fn_query_string;

int fn_query_string(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	const json_t *build = json_object_get(input, "build");
	struct sopm_buf b = {0};
	json_t *out;
	size_t n;

	(void)ctx;
	if (build != NULL) {
		if (webc_urlencode(&b, build) != 0) {
			free(b.p);
			out = NULL;
		} else
			out = buf_string(&b);
	} else {
		const char *s = fn_arg_text(input, "parse", "", &n);
		size_t fields = n > 0;
		for (size_t i = 0; i < n; i++)
			fields += s[i] == '&';
		/* parse_qs's max_num_fields check, with the declared limit */
		if (fields > FN_LIMIT_QUERY_STRING_FIELDS_MAX)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'parse' has more than %d "
			                    "fields",
			                    FN_LIMIT_QUERY_STRING_FIELDS_MAX);
		out = webc_parse_qs(s, n, 1);
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

fn_handler_t fn_url_encode;

int fn_url_encode(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n;
	const char *s = fn_arg_text(input, "text", "", &n);
	int plus = fn_arg_bool(input, "plus", 0);
	struct sopm_buf b = {0};
	int rc = fn_arg_bool(input, "decode", 0) ? webc_unquote(&b, s, n, plus)
	                                         : webc_quote(&b, s, n, plus);
	json_t *out = NULL;

	(void)ctx;
	if (rc == 0)
		out = buf_string(&b);
	else
		free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
