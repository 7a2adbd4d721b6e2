/* net.c - see net.h. */
#include "net.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <unistr.h>

#include "sopm_log.h"
#include "sopm_time.h"

#define NET_CONNECT_MAX_MS   5000L /* connect timeout, within timeout_ms */
#define NET_HEADERS_MAX      100   /* response header lines */
#define NET_HEADER_BYTES_MAX 65536
#define NET_ALLOW_MAX        64 /* entries of catalog.http_allow */
#define NET_HOST_MAX         256

/* ---- URLs and the allow-list -------------------------------------------- */

/* A URL's origin as the guard sees it. */
struct net_origin {
	char scheme[8];
	char host[NET_HOST_MAX]; /* lower case, no trailing dot; [v6] */
	long port;               /* explicit or the scheme's default */
};

static void lower_host(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n > 1 && src[n - 1] == '.')
		n--;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
}

/* Fills o from u. Returns 0, or -1 when u has no usable host or port. */
static int origin_of(CURLU *u, struct net_origin *o, int default_port)
{
	char *s = NULL, *host = NULL, *port = NULL;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK)
		snprintf(o->scheme, sizeof(o->scheme), "%s", s);
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0' || strlen(host) >= NET_HOST_MAX)
		goto out;
	lower_host(o->host, sizeof(o->host), host);
	o->port = 0;
	if (curl_url_get(u, CURLUPART_PORT, &port,
	                 default_port ? CURLU_DEFAULT_PORT : 0) == CURLUE_OK)
		o->port = strtol(port, NULL, 10);
	rc = 0;
out:
	curl_free(s);
	curl_free(host);
	curl_free(port);
	return rc;
}

/* The normalized entries of catalog.http_allow (port 0: any). */
struct net_allow {
	struct net_origin e[NET_ALLOW_MAX];
	size_t n;
};

static void allow_parse(const char *list, struct net_allow *al)
{
	const char *p = list ? list : "";

	al->n = 0;
	while (*p && al->n < NET_ALLOW_MAX) {
		char entry[NET_HOST_MAX + 16], url[NET_HOST_MAX + 32];
		size_t len = strcspn(p, ",");
		const char *s = p, *e = p + len;
		CURLU *u;

		p = *e ? e + 1 : e;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e || (size_t)(e - s) >= sizeof(entry))
			continue;
		memcpy(entry, s, e - s);
		entry[e - s] = '\0';
		snprintf(url, sizeof(url), "http://%s/", entry);
		u = curl_url();
		if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		    origin_of(u, &al->e[al->n], 0) == 0)
			al->n++;
		curl_url_cleanup(u);
	}
}

static int allow_match(const struct net_allow *al, const struct net_origin *o)
{
	for (size_t i = 0; i < al->n; i++)
		if (strcmp(al->e[i].host, o->host) == 0 &&
		    (al->e[i].port == 0 || al->e[i].port == o->port))
			return 1;
	return 0;
}

/* Checks a hop's URL u: scheme, and a host that is an address or a
 * localhost name. *allowed tells whether the allow-list names the host.
 * Returns 0, or -1 with err (400 naming 'url'; what says which URL). */
static int check_url(CURLU *u, const struct net_allow *al, struct net_origin *o,
                     int *allowed, const char *what, struct sopm_err *err)
{
	unsigned char addr[16];
	const char *why = NULL;

	if (origin_of(u, o, 1) != 0 && o->scheme[0] == '\0')
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': %s is not a valid URL", what);
	if (strcmp(o->scheme, "http") != 0 && strcmp(o->scheme, "https") != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': %s must use http or https, "
		                    "not '%s'",
		                    what, o->scheme);
	if (o->host[0] == '\0')
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': %s has no host", what);
	*allowed = allow_match(al, o);
	if (*allowed)
		return 0;
	if (o->host[0] == '[') {
		char inner[NET_HOST_MAX];
		size_t n = strlen(o->host);
		snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2),
		         o->host + 1);
		if (inet_pton(AF_INET6, inner, addr) == 1)
			why = net_v6_refusal(addr);
	} else if (inet_pton(AF_INET, o->host, addr) == 1) {
		why = net_v4_refusal(net_v4_at(addr));
	} else {
		size_t n = strlen(o->host);
		if (strcmp(o->host, "localhost") == 0 ||
		    (n > 10 && strcmp(o->host + n - 10, ".localhost") == 0))
			why = "loopback";
	}
	if (why != NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': the host of %s (%s) is not a "
		                    "global address (%s): refused unless "
		                    "catalog.http_allow names it",
		                    what, o->host, why);
	return 0;
}

/* ---- one hop ------------------------------------------------------------- */

struct hop {
	int allowed;         /* the allow-list names this hop's host */
	const char *refused; /* a connection the guard refused, and why */
	int status_only, stopped;
	size_t cap;
	int over_cap, headers_over, oom;
	struct sopm_buf body;
	json_t *headers; /* the current response's */
	size_t header_lines, header_bytes;
	char last[NET_HOST_MAX]; /* the last header's name, for obs-fold */
};

static curl_socket_t hop_socket(void *clientp, curlsocktype purpose,
                                struct curl_sockaddr *a)
{
	struct hop *h = clientp;
	const char *why;

	(void)purpose;
	why = net_addr_refusal(&a->addr);
	if (why != NULL && !h->allowed) {
		h->refused = why;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* The length of the UTF-8 sequence at p[0..n) when it is valid, else -(the
 * length of its maximal subpart, at least 1): Unicode's "substitution of
 * maximal subparts", as Python decodes with errors="replace". */
static int utf8_seq(const uint8_t *p, size_t n)
{
	uint8_t b = p[0], lo = 0x80, hi = 0xbf;
	int need;

	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		need = 1;
	else if (b >= 0xe0 && b <= 0xef)
		need = 2;
	else if (b >= 0xf0 && b <= 0xf4)
		need = 3;
	else
		return -1;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	for (int i = 1; i <= need; i++) {
		if ((size_t)i >= n || p[i] < lo || p[i] > hi)
			return -i;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

json_t *net_text(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	struct sopm_buf b = {0};
	json_t *out;

	if (u8_check(p, n) == NULL)
		return json_stringn(s, n);
	while (p < end) {
		int len = utf8_seq(p, end - p);
		if (len < 0) {
			if (sopm_buf_add(&b, "\xef\xbf\xbd", 3) != 0)
				goto oom;
			len = -len;
		} else if (sopm_buf_add(&b, p, len) != 0) {
			goto oom;
		}
		p += len;
	}
	out = json_stringn(b.p ? b.p : "", b.len);
	free(b.p);
	return out;
oom:
	free(b.p);
	return NULL;
}

/* Adds name: value to the headers, joining a repeated name with ", ". */
static int header_add(struct hop *h, const char *name, size_t nlen,
                      const char *val, size_t vlen, int fold)
{
	char key[NET_HOST_MAX];
	json_t *old, *v;
	struct sopm_buf b = {0};
	const char *sep = fold ? " " : ", ";
	int rc;

	if (nlen >= sizeof(key))
		nlen = sizeof(key) - 1;
	for (size_t i = 0; i < nlen; i++)
		key[i] = (char)tolower((unsigned char)name[i]);
	key[nlen] = '\0';
	if (u8_check((const uint8_t *)key, nlen) != NULL)
		return 0; /* a name that is not text is dropped */
	old = json_object_get(h->headers, key);
	if (old != NULL) {
		if (sopm_buf_add(&b, json_string_value(old),
		                 json_string_length(old)) != 0 ||
		    (vlen > 0 && sopm_buf_add(&b, sep, strlen(sep)) != 0) ||
		    sopm_buf_add(&b, val, vlen) != 0) {
			free(b.p);
			return -1;
		}
		v = net_text(b.p, b.len);
		free(b.p);
	} else {
		v = net_text(val, vlen);
	}
	rc = v ? json_object_set_new(h->headers, key, v) : -1;
	snprintf(h->last, sizeof(h->last), "%s", key);
	return rc;
}

static size_t hop_header(char *buf, size_t size, size_t nitems, void *ud)
{
	struct hop *h = ud;
	size_t n = size * nitems, nlen;
	const char *colon, *v, *e = buf + n;

	if (n >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after 1xx): only the last one's headers */
		json_object_clear(h->headers);
		h->header_lines = h->header_bytes = 0;
		h->last[0] = '\0';
		return n;
	}
	while (e > buf && (e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (e == buf)
		return n;
	if (++h->header_lines > NET_HEADERS_MAX ||
	    (h->header_bytes += n) > NET_HEADER_BYTES_MAX) {
		h->headers_over = 1;
		return 0;
	}
	if (buf[0] == ' ' || buf[0] == '\t') { /* obs-fold */
		v = buf;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		if (h->last[0] != '\0' &&
		    header_add(h, h->last, strlen(h->last), v, e - v, 1) != 0)
			goto oom;
		return n;
	}
	colon = memchr(buf, ':', e - buf);
	if (colon == NULL)
		return n;
	nlen = colon - buf;
	v = colon + 1;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (nlen > 0 && header_add(h, buf, nlen, v, e - v, 0) != 0)
		goto oom;
	return n;
oom:
	h->oom = 1;
	return 0;
}

static size_t hop_body(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct hop *h = ud;
	size_t n = size * nmemb;

	if (h->status_only) {
		h->stopped = 1;
		return 0;
	}
	if (n > h->cap - h->body.len) {
		h->over_cap = 1;
		return 0;
	}
	if (sopm_buf_add(&h->body, buf, n) != 0) {
		h->oom = 1;
		return 0;
	}
	return n;
}

static int name_is_token(const char *s)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~";

	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(tchar, *s))
			return 0;
	return 1;
}

/* The request headers as a curl list (NEW; *out may stay NULL), dropping
 * credentials when cross is set (a redirect to another origin). Returns 0,
 * or -1 with err. */
static int build_headers(const struct net_req *rq, int cross,
                         struct curl_slist **out, struct sopm_err *err)
{
	static const char *const refused[] = {
	    "host",       "content-length", "transfer-encoding",
	    "connection", "expect",         "te",
	    "upgrade",    "trailer",        "keep-alive",
	};
	struct curl_slist *l = NULL, *t;
	const char *name;
	json_t *v;
	int has_type = 0;
	char line[NET_HOST_MAX + 32];

	json_object_foreach((json_t *)rq->headers, name, v)
	{
		const char *val = json_string_value(v);
		size_t vlen = json_string_length(v);

		if (!name_is_token(name) || strlen(name) > 256)
			goto bad_name;
		for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
			if (strcasecmp(name, refused[i]) == 0) {
				curl_slist_free_all(l);
				return sopm_err_set(
				    err, SOPM_E_INVALID_INPUT,
				    "field 'headers': '%s' is set by the "
				    "client itself and cannot be given",
				    name);
			}
		for (size_t i = 0; i < vlen; i++) {
			unsigned char c = (unsigned char)val[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				curl_slist_free_all(l);
				return sopm_err_set(
				    err, SOPM_E_INVALID_INPUT,
				    "field 'headers': the value of '%s' holds "
				    "a control character",
				    name);
			}
		}
		if (strcasecmp(name, "content-type") == 0)
			has_type = 1;
		if (cross && (strcasecmp(name, "authorization") == 0 ||
		              strcasecmp(name, "cookie") == 0 ||
		              strcasecmp(name, "proxy-authorization") == 0))
			continue;
		/* "Name;" is how curl sends an empty value */
		{
			/* name (at most 256) and a value of up to 8192 code
			 * points: sized here, never cut */
			size_t cap = strlen(name) + vlen + 3;
			char *hl = malloc(cap);
			if (hl == NULL)
				goto oom;
			snprintf(hl, cap, vlen ? "%s: %s" : "%s;", name, val);
			t = curl_slist_append(l, hl);
			free(hl);
			if (t == NULL)
				goto oom;
		}
		l = t;
	}
	if (!has_type) {
		if (rq->body_type)
			snprintf(line, sizeof(line), "Content-Type: %s",
			         rq->body_type);
		else
			snprintf(line, sizeof(line), "Content-Type:");
		if ((t = curl_slist_append(l, line)) == NULL)
			goto oom;
		l = t;
	}
	if ((t = curl_slist_append(l, "Expect:")) == NULL)
		goto oom;
	l = t;
	if (rq->extra) {
		if ((t = curl_slist_append(l, rq->extra)) == NULL)
			goto oom;
		l = t;
	}
	*out = l;
	return 0;
bad_name:
	curl_slist_free_all(l);
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'headers': a header name must be an HTTP "
	                    "token of 1 to 256 characters");
oom:
	curl_slist_free_all(l);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* The message for a transfer that got no HTTP answer. */
static const char *transport_why(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "the host could not be resolved";
	case CURLE_COULDNT_CONNECT:
		return "the connection was refused or failed";
	case CURLE_OPERATION_TIMEDOUT:
		return "no answer within timeout_ms";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return "the TLS handshake or the certificate check failed";
	case CURLE_GOT_NOTHING:
		return "the server closed the connection without an answer";
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return "the server did not answer in HTTP";
	default:
		return "the connection failed";
	}
}

static pthread_once_t net_once = PTHREAD_ONCE_INIT;
static int net_init_rc;

static void net_init(void)
{
	net_init_rc =
	    curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* One hop: u with method, body and headers. Returns 0 (an answer: status
 * and h filled), -1 with err (guard, caps), 1 with err (no answer). */
static int hop_run(CURLU *u, const char *method, const struct net_req *rq,
                   struct curl_slist *hdrs, long remaining_ms, struct hop *h,
                   long *status, struct sopm_err *err)
{
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (c == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	curl_easy_setopt(c, CURLOPT_CURLU, u);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, remaining_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	                 remaining_ms < NET_CONNECT_MAX_MS
	                     ? remaining_ms
	                     : NET_CONNECT_MAX_MS);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, hop_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, hop_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, hop_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	if (!h->status_only) /* a status is wanted whatever the size */
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
		                 (curl_off_t)h->cap);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sopm");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") == 0 && rq->body == NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else {
		if (rq->body != NULL || strcmp(method, "POST") == 0) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDS,
			                 rq->body ? rq->body : "");
			curl_easy_setopt(
			    c, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)(rq->body ? rq->body_len : 0));
		}
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && h->stopped)) {
		curl_easy_cleanup(c);
		return 0;
	}
	curl_easy_cleanup(c);
	if (h->oom)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	if (h->over_cap || rc == CURLE_FILESIZE_EXCEEDED)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'url': the response body is over "
		    "%zu bytes (catalog.http_max_response_bytes)",
		    h->cap);
	if (h->headers_over)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': the response has over %d "
		                    "header lines or %d bytes of headers",
		                    NET_HEADERS_MAX, NET_HEADER_BYTES_MAX);
	if (h->refused != NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'url': the host resolves to an "
		                    "address that is not global (%s): refused "
		                    "unless catalog.http_allow names the host",
		                    h->refused);
	sopm_logf(SOPM_LOG_DEBUG, "http: %s", curl_easy_strerror(rc));
	if (rc == CURLE_OPERATION_TIMEDOUT)
		sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'url': no answer within timeout_ms (%ld ms)",
		    rq->timeout_ms);
	else
		sopm_err_set(err, SOPM_E_INVALID_INPUT, "field 'url': %s",
		             transport_why(rc));
	return 1;
}

static int is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 ||
	       status == 307 || status == 308;
}

/* The Location of the answer as a new CURLU relative to u (NEW), or NULL
 * when there is none. */
static CURLU *next_url(CURLU *u, const struct hop *h)
{
	json_t *loc = json_object_get(h->headers, "location");
	CURLU *n;

	if (!json_is_string(loc) || json_string_length(loc) == 0)
		return NULL;
	n = curl_url_dup(u);
	if (n == NULL)
		return NULL;
	/* a relative reference resolves against the current URL */
	if (curl_url_set(n, CURLUPART_URL, json_string_value(loc),
	                 CURLU_URLENCODE | CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK) {
		curl_url_cleanup(n);
		return NULL;
	}
	return n;
}

int net_fetch(const struct net_req *rq, struct fn_ctx *ctx,
              struct net_resp *out, struct sopm_err *err)
{
	struct net_allow *al = malloc(sizeof(*al));
	struct net_origin first, cur;
	struct hop h;
	CURLU *u = curl_url();
	const char *method = rq->method;
	struct net_req r = *rq;
	uint64_t t0 = sopm_time_mono_us();
	int rc = -1, redirects = 0;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	h.headers = json_object();
	if (al == NULL || u == NULL || h.headers == NULL) {
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto done;
	}
	pthread_once(&net_once, net_init);
	if (net_init_rc != 0) {
		sopm_err_set(err, SOPM_E_INTERNAL, "libcurl is unavailable");
		goto done;
	}
	allow_parse(ctx->limits.http_allow, al);
	if (curl_url_set(u, CURLUPART_URL, rq->url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "field 'url' is not a valid absolute URL");
		goto done;
	}
	if (check_url(u, al, &first, &h.allowed, "the URL", err) != 0)
		goto done;
	cur = first;
	for (;;) {
		struct curl_slist *hdrs = NULL;
		int cross = strcmp(cur.scheme, first.scheme) != 0 ||
		            strcmp(cur.host, first.host) != 0 ||
		            cur.port != first.port;
		long status = 0, left;
		uint64_t spent = (sopm_time_mono_us() - t0) / 1000;
		CURLU *n;
		int allowed;

		if ((long)spent >= r.timeout_ms) {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'url': no answer within timeout_ms "
			             "(%ld ms)",
			             r.timeout_ms);
			rc = 1;
			goto done;
		}
		left = r.timeout_ms - (long)spent;
		if (build_headers(&r, cross, &hdrs, err) != 0)
			goto done;
		h.status_only = r.status_only;
		h.cap = ctx->limits.http_max_response;
		h.stopped = 0;
		h.refused = NULL;
		h.body.len = 0;
		json_object_clear(h.headers);
		rc = hop_run(u, method, &r, hdrs, left, &h, &status, err);
		curl_slist_free_all(hdrs);
		if (rc != 0)
			goto done;
		rc = -1;
		if (!is_redirect(status) || redirects >= r.max_redirects ||
		    (n = next_url(u, &h)) == NULL) {
			out->status = status;
			break;
		}
		redirects++;
		curl_url_cleanup(u);
		u = n;
		if (check_url(u, al, &cur, &allowed, "a redirect", err) != 0)
			goto done;
		h.allowed = allowed;
		/* as browsers and curl: 303 turns into GET, and so does a
		 * POST answered by 301 or 302; 307 and 308 keep all */
		if ((status == 303 && strcmp(method, "HEAD") != 0) ||
		    ((status == 301 || status == 302) &&
		     strcmp(method, "POST") == 0)) {
			method = "GET";
			r.body = NULL;
			r.body_len = 0;
			r.body_type = NULL;
		}
	}
	out->headers = r.status_only ? NULL : json_incref(h.headers);
	out->body = h.body;
	h.body.p = NULL;
	rc = 0;
done:
	out->elapsed_us = sopm_time_mono_us() - t0;
	json_decref(h.headers);
	free(h.body.p);
	curl_url_cleanup(u);
	free(al);
	return rc;
}

void net_resp_free(struct net_resp *r)
{
	json_decref(r->headers);
	free(r->body.p);
	memset(r, 0, sizeof(*r));
}
