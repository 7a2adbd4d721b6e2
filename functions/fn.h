/* fn.h - the catalog of warm functions: a table, a schema validator and a
 * dispatcher. This layer knows nothing of HTTP: it takes a parsed input
 * object and returns a result value or a struct sopm_err.
 *
 * The catalog is data: every function is one metadata file
 * functions/<category>/<name>.json (schema, description, examples, limits,
 * golden tests) and a handler beside it. scripts/gen_catalog.py turns the
 * metadata into the table of `struct fn_def` rows that the build compiles
 * (build/gen/fn_table.c). A handler sees only input that the dispatcher has
 * already validated against the row's input schema, so it never re-checks
 * types, required fields or declared bounds. */
#ifndef FN_H
#define FN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "fn_category.h"
#include "sopm_err.h"

struct sopm_config;

/* Limits that come from configuration (etc/sopm.conf, catalog.*). */
struct fn_limits {
	long sleep_max_ms;        /* upper bound for `sleep` */
	size_t http_max_response; /* http_* response cap in bytes */
	const char *http_allow;   /* comma-separated host allow-list for http_*
	                             (borrowed by whoever fills the struct) */
};

/* Everything a catalog call may use beyond its input: the limits, each
 * category's per-thread state, and what the result helpers record. One per
 * thread, never shared: a thread creates it with fn_ctx_new() and frees it
 * with fn_ctx_free() when it ends. */
struct fn_ctx {
	struct fn_limits limits;    /* a copy; http_allow is owned here */
	void *state[FN_CAT_COUNT];  /* from each category's init hook */
	const char *nonfinite_name; /* per call: the first result that was
	                               not a finite number (fn_result_real) */
	int nonfinite_nan;          /* ... and whether it was a NaN */
};

/* Per-category hooks named in FN_CATEGORIES: init fills *state (for
 * ctx->state[category]) and returns 0, or -1 with err; free releases it. */
typedef int fn_category_init_t(struct fn_ctx *ctx, void **state,
                               struct sopm_err *err);
typedef void fn_category_free_t(void *state);

/* A new context for the calling thread: a copy of limits (borrowed), then
 * every category's init hook. Returns NULL with err set (SOPM_E_INTERNAL)
 * on failure. Free it with fn_ctx_free() on the same thread. */
struct fn_ctx *fn_ctx_new(const struct fn_limits *limits, struct sopm_err *err);

/* Runs the categories' free hooks and frees ctx; NULL is ignored. */
void fn_ctx_free(struct fn_ctx *ctx);

/* Fills *limits from the catalog.* keys of cfg. limits->http_allow then
 * borrows from cfg: cfg must outlive the limits (fn_ctx_new copies it). */
void fn_limits_from_config(struct fn_limits *limits,
                           const struct sopm_config *cfg);

/* A handler computes a result from validated input.
 * input: borrowed. On success stores a NEW reference in *result and returns
 * 0. On failure returns -1 with err filled (normally SOPM_E_INVALID_INPUT,
 * with a message that names the field) and leaves *result untouched.
 * Numbers that may be reals are made with fn_result_real / fn_result_num
 * (fn_result.h), never json_real, so that no non-finite value leaks. */
typedef int fn_handler_t(const json_t *input, json_t **result,
                         struct fn_ctx *ctx, struct sopm_err *err);

/* One row of the generated table (build/gen/fn_table.c). */
struct fn_def {
	const char *name;
	enum fn_category cat;
	const char *category; /* the wire name of cat */
	fn_handler_t *handler;
	const char *input_schema; /* JSON Schema text (subset, fn_schema.h) */
	const char *description;
	const char *example_input;  /* JSON text */
	const char *example_output; /* JSON text: handler(example_input) */
};

/* The generated table, in category order then by name. */
extern const struct fn_def fn_table[];
extern const size_t fn_table_count;

/* Wire name of a category ("data", ...), or NULL past FN_CAT_COUNT. */
const char *fn_category_name(enum fn_category c);

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

/* Parses every row's schema and example once. Call before any thread uses the
 * catalog. Returns -1 (SOPM_E_INTERNAL, naming the row) on a bad row. */
int fn_catalog_init(struct sopm_err *err);

/* Frees what fn_catalog_init built. */
void fn_catalog_free(void);

/* Number of functions in the catalog. */
size_t fn_catalog_count(void);

/* Row i in catalog order (category order, then by name); NULL past the end.
 */
const struct fn_entry *fn_catalog_at(size_t i);

/* Row by exact name, or NULL. */
const struct fn_entry *fn_catalog_find(const char *name);

/* Validates input (borrowed) against the entry's schema, then calls the
 * handler with ctx (the calling thread's). On success stores a NEW
 * reference in *result, the handler's wall time in *duration_us, and
 * returns 0. On failure returns -1 with err filled: a result that is not a
 * finite number (see fn_result.h) is SOPM_E_INVALID_INPUT naming it; a
 * handler that fails without setting a code yields SOPM_E_INTERNAL. */
int fn_dispatch(const struct fn_entry *e, const json_t *input,
                struct fn_ctx *ctx, json_t **result, uint64_t *duration_us,
                struct sopm_err *err);

#endif
