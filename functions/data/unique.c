/* unique.c - `unique`: the first occurrence of each item, in input order,
 * under JSON Schema's instance equality (the equality of uniqueItems). Each
 * item gets a canonical encoding in which equal items have equal bytes;
 * sorting the encodings groups them in n log n. */
#include "fn.h"
#include "fn_limits.h"
#include "sopm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_add_int(struct sopm_buf *b, long long i)
{
	char tmp[32];
	int k = snprintf(tmp, sizeof(tmp), "i%lld;", i);

	return sopm_buf_add(b, tmp, (size_t)k);
}

/* 17 significant digits tell every two doubles apart. */
static int buf_add_real(struct sopm_buf *b, double d)
{
	char tmp[40];
	int k = snprintf(tmp, sizeof(tmp), "d%.17g;", d);

	return sopm_buf_add(b, tmp, (size_t)k);
}

struct key_ref {
	const char *key;
	size_t len;
	const json_t *val;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int canon(struct sopm_buf *b, const json_t *v, int depth);

static int canon_object(struct sopm_buf *b, const json_t *v, int depth)
{
	size_t n = json_object_size(v), k = 0;
	struct key_ref *keys = calloc(n ? n : 1, sizeof(*keys));
	const char *key;
	size_t klen;
	json_t *val;
	int rc = -1;

	if (keys == NULL)
		return -1;
	json_object_keylen_foreach((json_t *)v, key, klen, val)
	{
		keys[k++] = (struct key_ref){key, klen, val};
	}
	qsort(keys, k, sizeof(*keys), key_cmp);
	if (sopm_buf_add(b, "{", 1) != 0)
		goto out;
	for (size_t i = 0; i < k; i++) {
		char len[32];
		int m = snprintf(len, sizeof(len), "%zu:", keys[i].len);
		if (sopm_buf_add(b, len, (size_t)m) != 0 ||
		    sopm_buf_add(b, keys[i].key, keys[i].len) != 0 ||
		    canon(b, keys[i].val, depth + 1) != 0)
			goto out;
	}
	rc = sopm_buf_add(b, "}", 1);
out:
	free(keys);
	return rc;
}

/* Appends an encoding of v such that two values get the same bytes exactly
 * when they are equal as JSON Schema 2020-12 defines instance equality:
 * numbers by mathematical value (1 == 1.0, 0 == -0.0), booleans only to
 * booleans (true is never 1), strings by code points, arrays element by
 * element, objects member by member regardless of order. Returns 0, -1 on
 * OOM, or -2 when v nests more than FN_LIMIT_UNIQUE_DEPTH_MAX arrays
 * and objects (depth counts those above v). */
static int canon(struct sopm_buf *b, const json_t *v, int depth)
{
	size_t i;
	json_t *x;

	if (depth >= FN_LIMIT_UNIQUE_DEPTH_MAX &&
	    (json_is_array(v) || json_is_object(v)))
		return -2;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return sopm_buf_add(b, "n", 1);
	case JSON_TRUE:
		return sopm_buf_add(b, "t", 1);
	case JSON_FALSE:
		return sopm_buf_add(b, "f", 1);
	case JSON_INTEGER:
		return buf_add_int(b, json_integer_value(v));
	case JSON_REAL: {
		double d = json_real_value(v);
		/* An integral double equals the int of the same value; every
		 * other double differs from every int64. */
		if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
		    d == (double)(long long)d)
			return buf_add_int(b, (long long)d);
		return buf_add_real(b, d);
	}
	case JSON_STRING: {
		char len[32];
		int m =
		    snprintf(len, sizeof(len), "s%zu:", json_string_length(v));
		if (sopm_buf_add(b, len, (size_t)m) != 0)
			return -1;
		return sopm_buf_add(b, json_string_value(v),
		                    json_string_length(v));
	}
	case JSON_ARRAY:
		if (sopm_buf_add(b, "[", 1) != 0)
			return -1;
		json_array_foreach((json_t *)v, i, x)
		{
			int rc = canon(b, x, depth + 1);
			if (rc != 0)
				return rc;
		}
		return sopm_buf_add(b, "]", 1);
	case JSON_OBJECT:
		return canon_object(b, v, depth);
	}
	return -1;
}

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
		c = canon(&b, json_array_get(items, i), 0);
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
