/* fcgi_auth.h - API keys on the request (API.md "Authentication"). */
#ifndef FCGI_AUTH_H
#define FCGI_AUTH_H

#include "fcgi_http.h"
#include "sopm_err.h"

/* Checks the request's "Authorization: Bearer <key>" (RFC 6750 section
 * 2.1; the scheme is case-insensitive, RFC 9110 section 11.1) and, when
 * admin is set, that the key's user is an admin. Returns 0, or -1 with
 * SOPM_E_UNAUTHORIZED (and a WWW-Authenticate response header, RFC 6750
 * section 3) when the key is missing, malformed or unknown, or
 * SOPM_E_UNAVAILABLE when the registry cannot be asked. */
int fcgi_auth_check(struct fcgi_req *req, int admin, struct sopm_err *err);

#endif
