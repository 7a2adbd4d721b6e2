/* fcgi_auth.c - see fcgi_auth.h. */
#include "fcgi_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <string.h>
#include <strings.h>

#include "fcgi_worker.h"
#include "sopm_dbq.h"
#include "sopm_time.h"

#define BEARER     "Bearer"
#define KEY_PREFIX "sopm_"
#define KEY_HEX    48
#define KEY_LEN    (sizeof(KEY_PREFIX) - 1 + KEY_HEX)
#define SHOWN_LEN  13 /* api_keys.prefix */
#define CACHE_SIZE 16 /* keys one thread remembers */
#define CHALLENGE  "Bearer realm=\"sopm\""
#define B64TOKEN                                                               \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/"

/* A key this thread found, by its hash. */
struct cached_key {
	unsigned char sha256[SHA256_DIGEST_LENGTH];
	uint64_t expires_us; /* monotonic; 0: empty */
	struct fcgi_caller caller;
};

static __thread struct cached_key cache[CACHE_SIZE];
static __thread unsigned cache_next;

static int unauthorized(struct fcgi_req *req, const char *challenge,
                        struct sopm_err *err, const char *msg)
{
	fcgi_resp_header(req, "WWW-Authenticate", challenge);
	return sopm_err_set(err, SOPM_E_UNAUTHORIZED, "%s", msg);
}

static int unknown_key(struct fcgi_req *req, struct sopm_err *err)
{
	return unauthorized(req, CHALLENGE ", error=\"invalid_token\"", err,
	                    "unknown or revoked API key");
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
	if (*len == 0 || *len > 256 || h[n + strspn(h + n, " ")] != '\0')
		return NULL;
	return h;
}

static int well_formed(const char *key, size_t len)
{
	if (len != KEY_LEN || strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)))
		return 0;
	for (size_t i = strlen(KEY_PREFIX); i < len; i++)
		if (!strchr("0123456789abcdef", key[i]))
			return 0;
	return 1;
}

static int hex_to_bytes(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static long long int_or(json_t *row, const char *name, long long dflt)
{
	json_t *v = json_object_get(row, name);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* Fills c from a looked-up row, with the quota.* defaults for NULLs. */
static void caller_from_row(struct fcgi_caller *c, json_t *row,
                            const struct sopm_config *cfg)
{
	json_t *rate = json_object_get(row, "rate_per_s");

	c->user_id = int_or(row, "user_id", 0);
	c->key_id = int_or(row, "key_id", 0);
	c->is_admin = int_or(row, "is_admin", 0) != 0;
	c->rate_per_s = json_is_number(rate) ? json_number_value(rate)
	                                     : (double)cfg->quota_rate_per_s;
	c->burst = int_or(row, "burst", cfg->quota_burst);
	c->max_concurrency =
	    int_or(row, "max_concurrency", cfg->quota_max_concurrency);
	c->max_functions =
	    int_or(row, "max_functions", cfg->quota_max_functions);
}

/* Looks the key up in the registry: the live keys of live users with its
 * prefix, the hash compared in constant time. Returns 1 (found, *c
 * filled), 0 (unknown), or -1 with err. */
static int lookup(struct fcgi_req *req, const char *key,
                  const unsigned char sha[SHA256_DIGEST_LENGTH],
                  struct fcgi_caller *c, struct sopm_err *err)
{
	struct sopm_db *db = &req->worker->db;
	struct sopm_dbq_arg prefix = SOPM_DBQ_SN(key, SHOWN_LEN);
	json_t *rows, *row;
	size_t i;
	int found = 0;

	rows = sopm_dbq_rows(
	    db,
	    "SELECT k.id AS key_id, k.key_sha256, u.id AS user_id, "
	    "u.is_admin, q.rate_per_s, q.burst, q.max_concurrency, "
	    "q.max_functions FROM api_keys k JOIN users u ON u.id = k.user_id "
	    "LEFT JOIN quotas q ON q.user_id = u.id WHERE k.prefix = ? AND "
	    "k.revoked_at IS NULL AND u.disabled_at IS NULL",
	    &prefix, 1, err);
	if (rows == NULL)
		return -1;
	json_array_foreach(rows, i, row)
	{
		const char *hex =
		    json_string_value(json_object_get(row, "key_sha256"));
		unsigned char stored[SHA256_DIGEST_LENGTH];
		if (hex == NULL || strlen(hex) != 2 * sizeof(stored) ||
		    hex_to_bytes(hex, stored, sizeof(stored)) != 0)
			continue;
		if (CRYPTO_memcmp(stored, sha, sizeof(stored)) == 0 && !found) {
			caller_from_row(c, row, req->cfg);
			found = 1;
		}
	}
	json_decref(rows);
	if (found) {
		/* At most once a minute per key: a write per request would
		 * cost more than the lookup. */
		struct sopm_dbq_arg id = SOPM_DBQ_I(c->key_id);
		struct sopm_err ignored;
		sopm_dbq_exec(db,
		              "UPDATE api_keys SET last_used_at = "
		              "CURRENT_TIMESTAMP(3) WHERE id = ? AND "
		              "(last_used_at IS NULL OR last_used_at < "
		              "CURRENT_TIMESTAMP(3) - INTERVAL 60 SECOND)",
		              &id, 1, NULL, NULL, &ignored);
	}
	return found;
}

static int identify(struct fcgi_req *req, const char *key, size_t len,
                    struct sopm_err *err)
{
	unsigned char sha[SHA256_DIGEST_LENGTH];
	uint64_t now = sopm_time_mono_us();
	struct cached_key *slot;
	int rc;

	if (!well_formed(key, len))
		return unknown_key(req, err);
	SHA256((const unsigned char *)key, len, sha);
	for (int i = 0; i < CACHE_SIZE; i++)
		if (cache[i].expires_us > now &&
		    CRYPTO_memcmp(cache[i].sha256, sha, sizeof(sha)) == 0) {
			req->caller = cache[i].caller;
			return 0;
		}
	rc = lookup(req, key, sha, &req->caller, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return unknown_key(req, err);
	slot = &cache[cache_next++ % CACHE_SIZE];
	memcpy(slot->sha256, sha, sizeof(sha));
	slot->caller = req->caller;
	slot->expires_us = now + (uint64_t)req->cfg->auth_cache_ms * 1000u;
	return 0;
}

int fcgi_auth_check(struct fcgi_req *req, int admin, struct sopm_err *err)
{
	const char *key;
	size_t len;

	if (req->caller.user_id == 0) {
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
		if (identify(req, key, len, err) != 0)
			return -1;
	}
	if (admin && !req->caller.is_admin)
		return unauthorized(req,
		                    CHALLENGE ", error=\"insufficient_scope\"",
		                    err, "this endpoint needs an admin key");
	return 0;
}
