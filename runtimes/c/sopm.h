/* sopm.h - the SOPM C runtime (installed as /sopm/c/sopm.h).
 *
 * A function defines
 *
 *     int handle(const char *event_json, size_t len, sopm_out *out);
 *
 * (or the name given as the function's "handler", which the builder passes
 * as -DSOPM_HANDLER=name). event_json is the request's JSON text, len bytes,
 * with a NUL after them; it is borrowed for the call. The result is what the
 * handler writes to out: return 0 and the bytes written are the result JSON
 * (nothing written: null); return non-zero and they are the error message
 * (nothing written: "handle returned N"). The runtime's main() loops over
 * requests, so static state lives from one call to the next; do not define
 * main. Logs: anything written to stdout or stderr. See docs/runtimes.md.
 */
#ifndef SOPM_H
#define SOPM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Output of one call: at most SOPM_OUT_MAX bytes. */
#define SOPM_OUT_MAX ((size_t)64 * 1024 * 1024)

/* sopm_remaining_ms() when the call has no deadline. */
#define SOPM_NO_DEADLINE_MS 2147483647LL

#ifndef SOPM_HANDLER
#define SOPM_HANDLER handle
#endif

#if defined(__GNUC__)
#define SOPM_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define SOPM_PRINTF_LIKE(f, a)
#endif

typedef struct sopm_out sopm_out;

/* The request's metadata. Strings are borrowed: valid during the call. */
typedef struct sopm_context {
	const char *function_name;
	long long function_version;
	const char *job_id;
	long long deadline_ms; /* Unix time in ms; 0: no deadline */
} sopm_context;

/* Appends len bytes of json to the output. 0, or -1 with errno ENOMEM or
 * EFBIG (over SOPM_OUT_MAX); after a -1 nothing of this call was added, and
 * a handler returning 0 gets an error (bad_result) instead of a cut result. */
int sopm_out_write(sopm_out *out, const char *json, size_t len);

/* Appends printf-formatted text; 0 or -1 as sopm_out_write. */
int sopm_out_printf(sopm_out *out, const char *fmt, ...) SOPM_PRINTF_LIKE(2, 3);

/* The current call's context (borrowed; empty strings and zeros outside a
 * call). Never NULL. */
const sopm_context *sopm_context_get(void);

/* Milliseconds left until the call's deadline, >= 0; SOPM_NO_DEADLINE_MS
 * when there is none. */
long long sopm_remaining_ms(void);

/* The handler, defined by the user. */
int SOPM_HANDLER(const char *event_json, size_t len, sopm_out *out);

#ifdef __cplusplus
}
#endif

#endif /* SOPM_H */
