/* net.h - the guarded HTTP client behind http_request, url_check and
 * webhook (libcurl).
 *
 * The guard: only http and https, on every hop; redirects are followed here,
 * hop by hop, never by libcurl, so that each new URL is checked like the
 * first one. An address that is not global (loopback, private, link-local,
 * CGNAT, multicast, unspecified, documentation, reserved, unique-local,
 * site-local, and IPv4-mapped, NAT64 or 6to4 forms of those) is refused,
 * both where the URL names it literally and on every connection libcurl
 * opens (CURLOPT_OPENSOCKETFUNCTION, so after DNS resolution), unless
 * catalog.http_allow names the URL's host.
 *
 * catalog.http_allow: comma-separated entries, each a host name or an IP
 * address (IPv6 in brackets), optionally with :port. An entry allows a hop
 * whose URL host is that name (case-insensitive, a trailing dot ignored) or
 * that address (in any form libcurl's URL parser normalizes to it, so
 * 127.1 is 127.0.0.1), on any port or on the given one. A name entry allows
 * whatever the name resolves to; the match is on the URL, not on the
 * resolved address. */
#ifndef WEB_NET_H
#define WEB_NET_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "fn.h"
#include "sopm_buf.h"

/* A request. Everything is borrowed and must outlive net_fetch(). */
struct net_req {
	const char *url;
	const char *method;    /* GET HEAD POST PUT PATCH DELETE OPTIONS */
	const json_t *headers; /* object of strings, or NULL */
	const char *body;      /* NULL: no body */
	size_t body_len;
	const char *body_type; /* Content-Type unless headers set one, or
	                          NULL for none */
	const char *extra;     /* one more header line ("Name: value"), or
	                          NULL */
	long timeout_ms;       /* total, over every hop */
	int max_redirects;     /* redirects followed at most */
	int status_only;       /* 1: stop at the first body byte */
};

/* A response: the last hop's. */
struct net_resp {
	long status;
	json_t *headers;      /* NEW object {lower-case name: value}, or NULL
	                         when status_only */
	struct sopm_buf body; /* owned; body.p may be NULL when empty */
	uint64_t elapsed_us;  /* from the start to the end of the last hop */
};

/* Performs rq under the guard with the limits of ctx. Returns 0 with *out
 * filled (free it with net_resp_free); -1 with err set (400 naming 'url' or
 * 'headers') when the guard refuses, the input is unusable or the response
 * is over a cap; 1 with err set (400 naming 'url') when no HTTP answer came
 * (DNS, connection, TLS, timeout): then out->elapsed_us is still set. */
int net_fetch(const struct net_req *rq, struct fn_ctx *ctx,
              struct net_resp *out, struct sopm_err *err);

/* Frees what net_fetch put in r; r may be zeroed. */
void net_resp_free(struct net_resp *r);

/* s[0..n) as a NEW JSON string, each invalid UTF-8 sequence (a maximal
 * subpart) replaced by U+FFFD, as Python's bytes.decode("utf-8",
 * "replace"); NULL when out of memory. */
json_t *net_text(const char *s, size_t n);

/* Why the address sa is refused ("loopback", "private", ...), or NULL when
 * it is global and so allowed. Only AF_INET and AF_INET6; any other family
 * is refused. */
const char *net_addr_refusal(const struct sockaddr *sa);

/* The same for an IPv4 address in host order, and for the 16 bytes of an
 * IPv6 address (net_addr.c). */
const char *net_v4_refusal(uint32_t a);
const char *net_v6_refusal(const unsigned char *a);

/* The IPv4 address in host order of the 4 bytes at p. */
uint32_t net_v4_at(const unsigned char *p);

#endif
