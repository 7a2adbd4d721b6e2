/* sopm_err.h - the one error type of SOPM, and its mapping to HTTP.
 *
 * Every layer reports failure by returning -1 (or NULL) and filling a
 * struct sopm_err. The HTTP layer maps err.code to a status and an error
 * body in one place (sopm_err_status, sopm_err_name). The message is for
 * people: it never carries SQL, paths or library error strings. */
#ifndef SOPM_ERR_H
#define SOPM_ERR_H

#include <stdarg.h>

/* X(ENUM, http status, wire code, default message) */
#define SOPM_ERR_MAP(X)                                                        \
	X(OK, 200, "ok", "ok")                                                 \
	X(INVALID_JSON, 400, "invalid_json", "request body is not valid JSON") \
	X(INVALID_INPUT, 400, "invalid_input", "invalid input")                \
	X(UNAUTHORIZED, 401, "unauthorized", "a valid API key is required")    \
	X(NOT_FOUND, 404, "not_found", "not found")                            \
	X(METHOD_NOT_ALLOWED, 405, "method_not_allowed", "method not allowed") \
	X(CONFLICT, 409, "conflict", "conflict")                               \
	X(PAYLOAD_TOO_LARGE, 413, "payload_too_large",                         \
	  "request body is too large")                                         \
	X(UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type",               \
	  "request body must be application/json")                             \
	X(RATE_LIMITED, 429, "rate_limited", "too many requests")              \
	X(NOT_IMPLEMENTED, 501, "not_implemented",                             \
	  "this endpoint is not available yet")                                \
	X(FUNCTION_ERROR, 502, "function_error", "the function failed")        \
	X(UNAVAILABLE, 503, "unavailable",                                     \
	  "a required service is unavailable")                                 \
	X(TIMEOUT, 504, "timeout", "the function timed out")                   \
	X(INTERNAL, 500, "internal", "internal error")

enum sopm_code {
#define SOPM_ERR_ENUM(e, status, name, msg) SOPM_E_##e,
	SOPM_ERR_MAP(SOPM_ERR_ENUM)
#undef SOPM_ERR_ENUM
	    SOPM_E__COUNT
};

#define SOPM_ERR_MSG_MAX 256

struct sopm_err {
	enum sopm_code code;
	char msg[SOPM_ERR_MSG_MAX];
};

/* Sets code and a printf-style message; always returns -1 so callers can
 * write `return sopm_err_set(err, ...)`. err may be NULL. A message longer
 * than SOPM_ERR_MSG_MAX - 1 bytes is cut, never inside a UTF-8 sequence. */
int sopm_err_set(struct sopm_err *err, enum sopm_code code, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

/* Sets code with its default message; returns -1. */
int sopm_err_code(struct sopm_err *err, enum sopm_code code);

/* Clears err to SOPM_E_OK. */
void sopm_err_clear(struct sopm_err *err);

/* HTTP status for a code (500 for an unknown one). */
int sopm_err_status(enum sopm_code code);

/* Wire name for a code, e.g. "invalid_input". Static storage. */
const char *sopm_err_name(enum sopm_code code);

/* The code whose wire name is name (as stored in a job's error), or
 * SOPM_E_INTERNAL for a name that is none. */
enum sopm_code sopm_err_from_name(const char *name);

/* Default human message for a code. Static storage. */
const char *sopm_err_default_message(enum sopm_code code);

#endif
