/* unique.c - `unique`: the first occurrence of each item, in input order,
 * under JSON Schema's instance equality (the equality of uniqueItems). Each
 * item gets a canonical encoding in which equal items have equal bytes
 * (fn_json_canon); sorting the encodings groups them in n log n. */
#include "fn.h"
#include "fn_json.h"
#include "fn_limits.h"

#include <stdlib.h>
#include <string.h>

struct canon_ref {
	size_t off, len; /* the encoding in the shared buffer */
	size_t idx;
};

static int canon_cmp(const void *a, const void *b, void *base)
{
	const struct canon_ref *x = a, *y = b;
	const char *p = base;
	int c =
	    memcmp(p + x->off, p + y->off, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->idx < y->idx ? -1 : 1;
}

/* Marks keep[i] = 1 for the first of each group of equal items. */
static int unique_mark(const json_t *items, size_t n, unsigned char *keep,
                       struct sopm_err *err)
{
	struct canon_ref *r = calloc(n ? n : 1, sizeof(*r));
	struct sopm_buf b = {0};
	int rc = -1;

	if (r == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int c;
		r[i].off = b.len;
		r[i].idx = i;
		c = fn_json_canon(&b, json_array_get(items, i),
		                  FN_LIMIT_UNIQUE_DEPTH_MAX);
		if (c == -2) {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'items[%zu]' is nested deeper "
			             "than %d levels",
			             i, FN_LIMIT_UNIQUE_DEPTH_MAX);
			goto out;
		}
		if (c != 0) {
			sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
			goto out;
		}
		r[i].len = b.len - r[i].off;
	}
	qsort_r(r, n, sizeof(*r), canon_cmp, b.p);
	for (size_t i = 0; i < n; i++)
		keep[r[i].idx] =
		    i == 0 || r[i].len != r[i - 1].len ||
		    memcmp(b.p + r[i].off, b.p + r[i - 1].off, r[i].len) != 0;
	rc = 0;
out:
	free(b.p);
	free(r);
	return rc;
}

fn_handler_t fn_unique;

int fn_unique(const json_t *input, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	size_t n = json_array_size(items);
	unsigned char *keep;
	json_t *out;

	(void)ctx;
	keep = calloc(n ? n : 1, 1);
	if (keep == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	if (unique_mark(items, n, keep, err) != 0) {
		free(keep);
		return -1;
	}
	out = json_array();
	for (size_t i = 0; out != NULL && i < n; i++)
		if (keep[i] &&
		    json_array_append(out, json_array_get(items, i)) != 0) {
			json_decref(out);
			out = NULL;
		}
	free(keep);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
