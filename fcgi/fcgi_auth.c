#include "fcgi_auth.h"

#include <string.h>
#include <strings.h>

#define BEARER    "Bearer"
#define KEY_MAX   256
#define CHALLENGE "Bearer realm=\"sopm\""
#define B64TOKEN                                                               \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/"

static int unauthorized(struct fcgi_req *req, const char *challenge,
                        struct sopm_err *err, const char *msg)
{
	fcgi_resp_header(req, "WWW-Authenticate", challenge);
	return sopm_err_set(err, SOPM_E_UNAUTHORIZED, "%s", msg);
}

/* The b64token of "Bearer <b64token>" (RFC 6750 section 2.1), or NULL. */
static const char *bearer_token(const char *h, size_t *len)
{
	size_t n;

	if (strncasecmp(h, BEARER, strlen(BEARER)) != 0 ||
	    h[strlen(BEARER)] != ' ')
		return NULL;
	h += strlen(BEARER);
	while (*h == ' ')
		h++;
	n = strspn(h, B64TOKEN);
	*len = n;
	while (h[n] == '=')
		n++;
	if (*len == 0 || *len > KEY_MAX || h[n + strspn(h + n, " ")] != '\0')
		return NULL;
	return h;
}

/* Finds the key in the registry. No key exists until the registry stores
 * them (issue 7: users and API keys in MariaDB), so every key is unknown. */
static int key_lookup(struct fcgi_req *req, const char *key, size_t len,
                      int admin, struct sopm_err *err)
{
	(void)key;
	(void)len;
	(void)admin;
	return unauthorized(req, CHALLENGE ", error=\"invalid_token\"", err,
	                    "unknown or revoked API key");
}

int fcgi_auth_check(struct fcgi_req *req, int admin, struct sopm_err *err)
{
	const char *key;
	size_t len;

	if (req->authorization == NULL || req->authorization[0] == '\0')
		return unauthorized(req, CHALLENGE, err,
		                    "an API key is required: send "
		                    "'Authorization: Bearer <key>'");
	key = bearer_token(req->authorization, &len);
	if (key == NULL)
		return unauthorized(
		    req, CHALLENGE ", error=\"invalid_request\"", err,
		    "malformed Authorization header: expected "
		    "'Bearer <key>'");
	return key_lookup(req, key, len, admin, err);
}
