/* fn_dispatch.c - the one place a catalog function is called: validation
 * against the declared schema, then the handler, timed. */
#include "fn.h"
#include "fn_schema.h"

#include <time.h>

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int fn_dispatch(const struct fn_entry *e, const json_t *input,
                const struct fn_ctx *ctx, json_t **result,
                uint64_t *duration_us, struct sopm_err *err)
{
	json_t *out = NULL;
	uint64_t start;
	int rc;

	if (fn_schema_validate(e->schema, input, err) != 0)
		return -1;
	sopm_err_clear(err);
	start = monotonic_ns();
	rc = e->def->handler(input, &out, ctx, err);
	*duration_us = (monotonic_ns() - start) / 1000u;
	if (rc != 0) {
		json_decref(out);
		if (err->code == SOPM_E_OK)
			sopm_err_set(err, SOPM_E_INTERNAL,
			             "function '%s' failed", e->def->name);
		return -1;
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "function '%s' returned no result",
		                    e->def->name);
	*result = out;
	return 0;
}

const char *fn_arg_str(const json_t *in, const char *key, const char *dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

json_int_t fn_arg_int(const json_t *in, const char *key, json_int_t dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

double fn_arg_num(const json_t *in, const char *key, double dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

int fn_arg_bool(const json_t *in, const char *key, int dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}
