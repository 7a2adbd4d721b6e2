/* fcgi_auth.h - API keys on the request (API.md "Authentication").
 *
 * A key is "sopm_" and 48 lowercase hex digits (sql/admin/create_key.sql).
 * The registry stores its SHA-256 and its first 13 characters; a key is
 * found by that prefix and its hash compared in constant time
 * (CRYPTO_memcmp). A found key is trusted for auth.cache_ms (at most 4 s)
 * by the thread that looked it up, so revoking a key, disabling a user or
 * changing a quota in SQL holds within 5 s. */
#ifndef FCGI_AUTH_H
#define FCGI_AUTH_H

#include "fcgi_http.h"
#include "sopm_err.h"

/* Checks the request's "Authorization: Bearer <key>" (RFC 6750 section
 * 2.1; the scheme is case-insensitive, RFC 9110 section 11.1), fills
 * req->caller and, when admin is set, checks that the key's user is an
 * admin. Returns 0, or -1 with SOPM_E_UNAUTHORIZED (and a WWW-Authenticate
 * response header, RFC 6750 section 3) when the key is missing, malformed,
 * unknown or revoked, or its user disabled (or not an admin); or
 * SOPM_E_UNAVAILABLE when the registry cannot be asked. Checks the key once
 * per request: a second call returns the first answer. */
int fcgi_auth_check(struct fcgi_req *req, int admin, struct sopm_err *err);

#endif
