/* sort.c - `sort`: Python's sorted() over numbers or strings, stable, with
 * numbers compared exactly across integers and reals. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_num.h"

#include <stdlib.h>
#include <string.h>

/* Number (integer or real, both finite) a <=> b, exactly. */
static int cmp_number(const json_t *a, const json_t *b)
{
	struct fn_num x = fn_num_of_json(a), y = fn_num_of_json(b);

	return fn_num_cmp(&x, &y);
}

/* Code point order of valid UTF-8 is byte order. */
static int cmp_string(const json_t *a, const json_t *b)
{
	size_t na = json_string_length(a), nb = json_string_length(b);
	int c = memcmp(json_string_value(a), json_string_value(b),
	               na < nb ? na : nb);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return (na > nb) - (na < nb);
}

/* ---- sort ---- */

struct sort_item {
	const json_t *item; /* the array element, borrowed */
	const json_t *val;  /* what it sorts by: item or item[key] */
	size_t idx;
};

/* qsort_r order; arg points to the sign (1 asc, -1 desc). Ties keep input
 * order in both directions, as sorted(reverse=True) does. */
static int sort_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_item *x = a, *y = b;
	int sign = *(const int *)arg;
	int c = json_is_string(x->val) ? cmp_string(x->val, y->val)
	                               : cmp_number(x->val, y->val);

	if (c != 0)
		return sign * c;
	return x->idx < y->idx ? -1 : 1;
}

/* Picks what items[i] sorts by and checks it. Returns 0 or -1 with err. */
static int sort_value(const json_t *item, size_t i, const json_t *key,
                      const json_t **val, struct sopm_err *err)
{
	const char *what = "a number or a string";

	if (key == NULL) {
		if (!json_is_number(item) && !json_is_string(item))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'items[%zu]' must be %s (give 'key' to "
			    "sort objects)",
			    i, what);
		*val = item;
		return 0;
	}
	if (!json_is_object(item))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'items[%zu]' must be an object "
		                    "when 'key' is given",
		                    i);
	*val = json_object_getn(item, json_string_value(key),
	                        json_string_length(key));
	if (*val == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'items[%zu]' has no member '%s' "
		                    "(field 'key')",
		                    i, json_string_value(key));
	if (!json_is_number(*val) && !json_is_string(*val))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'items[%zu].%s' must be %s", i,
		                    json_string_value(key), what);
	return 0;
}

fn_handler_t fn_sort;

int fn_sort(const json_t *input, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	const json_t *key = json_object_get(input, "key");
	int sign = strcmp(fn_arg_str(input, "order", "asc"), "desc") ? 1 : -1;
	size_t n = json_array_size(items);
	struct sort_item *v;
	json_t *out;

	(void)ctx;
	v = calloc(n ? n : 1, sizeof(*v));
	if (v == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		v[i].item = json_array_get(items, i);
		v[i].idx = i;
		if (sort_value(v[i].item, i, key, &v[i].val, err) != 0)
			goto fail;
		if (i > 0 &&
		    json_is_string(v[i].val) != json_is_string(v[0].val)) {
			sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'items[%zu]' must be a %s like "
			    "items[0]: numbers and strings cannot be "
			    "sorted together",
			    i, json_is_string(v[0].val) ? "string" : "number");
			goto fail;
		}
	}
	qsort_r(v, n, sizeof(*v), sort_cmp, &sign);
	out = json_array();
	for (size_t i = 0; out != NULL && i < n; i++)
		if (json_array_append(out, (json_t *)v[i].item) != 0) {
			json_decref(out);
			out = NULL;
		}
	free(v);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
fail:
	free(v);
	return -1;
}
