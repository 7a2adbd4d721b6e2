/* fn.h - the catalog of warm functions: a table, a schema validator and a
 * dispatcher. This layer knows nothing of HTTP: it takes a parsed input
 * object and returns a result value or a struct sopm_err.
 *
 * A function is one row of `struct fn_def`. Its handler sees only input that
 * the dispatcher has already validated against the row's input schema, so a
 * handler never re-checks types, required fields or declared bounds. */
#ifndef FN_H
#define FN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sopm_err.h"

/* Limits that come from configuration, shared read-only by all handlers. */
struct fn_limits {
	long sleep_max_ms; /* upper bound for `sleep` (catalog.sleep_max_ms) */
	size_t http_max_response; /* http_* response cap in bytes */
	const char *http_allow; /* comma-separated host allow-list for http_* */
};

struct fn_ctx {
	const struct fn_limits *limits;
};

/* A handler computes a result from validated input.
 * input: borrowed. On success stores a NEW reference in *result and returns
 * 0. On failure returns -1 with err filled (normally SOPM_E_INVALID_INPUT,
 * with a message that names the field) and leaves *result untouched. */
typedef int (*fn_handler)(const json_t *input, json_t **result,
                          const struct fn_ctx *ctx, struct sopm_err *err);

struct fn_def {
	const char *name;
	const char *category; /* data | text | math | web | util */
	fn_handler handler;
	const char
	    *input_schema; /* JSON Schema text (subset, see fn_schema.h) */
	const char *description;
	const char *example_input; /* JSON text */
	const char
	    *example_output; /* JSON text: what handler(example_input) gives */
};

/* One row of the parsed catalog. Owned by the catalog; valid until
 * fn_catalog_free(). */
struct fn_entry {
	const struct fn_def *def;
	json_t *schema;      /* parsed input_schema */
	json_t *description; /* {name, category, description, input_schema,
	                        example} */
	size_t index; /* 0..fn_catalog_count()-1, stable for the process */
	char *description_text; /* description encoded once (compact JSON);
	                           what the HTTP layer serves, so threads never
	                           share a json_t reference count */
};

/* Per-category tables, defined in fn_<category>.c. */
extern const struct fn_def fn_data_defs[];
extern const size_t fn_data_count;
extern const struct fn_def fn_text_defs[];
extern const size_t fn_text_count;
extern const struct fn_def fn_math_defs[];
extern const size_t fn_math_count;
extern const struct fn_def fn_web_defs[];
extern const size_t fn_web_count;
extern const struct fn_def fn_util_defs[];
extern const size_t fn_util_count;

/* Parses every row's schema and example once. Call before any thread uses the
 * catalog. Returns -1 (SOPM_E_INTERNAL, naming the row) on a bad row. */
int fn_catalog_init(struct sopm_err *err);

/* Frees what fn_catalog_init built. */
void fn_catalog_free(void);

/* Number of functions in the catalog. */
size_t fn_catalog_count(void);

/* Row i in catalog order (category order, then as declared); NULL past the end.
 */
const struct fn_entry *fn_catalog_at(size_t i);

/* Row by exact name, or NULL. */
const struct fn_entry *fn_catalog_find(const char *name);

/* Validates input (borrowed) against the entry's schema, then calls the
 * handler. On success stores a NEW reference in *result, the handler's wall
 * time in *duration_us, and returns 0. On failure returns -1 with err filled;
 * a handler that fails without setting a code yields SOPM_E_INTERNAL. */
int fn_dispatch(const struct fn_entry *e, const json_t *input,
                const struct fn_ctx *ctx, json_t **result,
                uint64_t *duration_us, struct sopm_err *err);

/* Helpers for handlers: read an optional member of validated input, or the
 * default when absent. The schema guarantees the type when present. */
const char *fn_arg_str(const json_t *in, const char *key, const char *dflt);
json_int_t fn_arg_int(const json_t *in, const char *key, json_int_t dflt);
double fn_arg_num(const json_t *in, const char *key, double dflt);
int fn_arg_bool(const json_t *in, const char *key, int dflt);

#endif
