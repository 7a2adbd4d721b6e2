/* fn_data.c - data processing functions of the catalog (category "data"). */
#include "fn.h"
#include "sopm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds declared in the schemas below. */
#define ITEMS_MAX  "100000"
#define STRING_MAX "1000000"
/* unique compares nested values recursively: an item may hold at most this
 * many levels of arrays and objects. */
#define UNIQUE_DEPTH_MAX 64

/* ---- exact comparison of JSON numbers, as Python compares int/float ---- */

/* -1, 0 or 1 for i <=> d, exactly (no rounding of i to double). */
static int cmp_int_real(json_int_t i, double d)
{
	double t;
	json_int_t di;

	/* 2^63 is exact as a double; every json_int_t is below it. */
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	di = (json_int_t)d; /* truncation toward zero, exact in range */
	if (i != di)
		return i < di ? -1 : 1;
	t = (double)di;
	if (d == t)
		return 0;
	return d > t ? -1 : 1;
}

/* Number (integer or real) a <=> b, exactly. */
static int cmp_number(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return (x > y) - (x < y);
	}
	if (json_is_integer(a))
		return cmp_int_real(json_integer_value(a), json_real_value(b));
	if (json_is_integer(b))
		return -cmp_int_real(json_integer_value(b), json_real_value(a));
	return (json_real_value(a) > json_real_value(b)) -
	       (json_real_value(a) < json_real_value(b));
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

static int fn_sort(const json_t *input, json_t **result,
                   const struct fn_ctx *ctx, struct sopm_err *err)
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

/* ---- unique ---- */

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
 * when Python's == holds between them: False == 0 == 0.0 == -0.0, True ==
 * 1 == 1.0, and lists and dicts compare element-wise (dicts regardless of
 * key order). Returns 0, -1 on OOM, or -2 when v nests more than
 * UNIQUE_DEPTH_MAX arrays and objects (depth counts those above v). */
static int canon(struct sopm_buf *b, const json_t *v, int depth)
{
	size_t i;
	json_t *x;

	if (depth >= UNIQUE_DEPTH_MAX &&
	    (json_is_array(v) || json_is_object(v)))
		return -2;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return sopm_buf_add(b, "n", 1);
	case JSON_TRUE:
	case JSON_FALSE:
		return buf_add_int(b, json_is_true(v));
	case JSON_INTEGER:
		return buf_add_int(b, json_integer_value(v));
	case JSON_REAL: {
		double d = json_real_value(v);
		/* An integral double equals the int of the same value. */
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
			             i, UNIQUE_DEPTH_MAX);
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

static int fn_unique(const json_t *input, json_t **result,
                     const struct fn_ctx *ctx, struct sopm_err *err)
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

/* ---- table ---- */

const struct fn_def fn_data_defs[] = {
    {
        "sort",
        "data",
        fn_sort,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"items\"],"
        " \"properties\": {"
        "\"items\": {\"type\": \"array\", \"maxItems\": " ITEMS_MAX ","
        " \"items\": {\"type\": [\"number\", \"string\", \"object\"],"
        " \"maxLength\": " STRING_MAX "}},"
        " \"order\": {\"type\": \"string\", \"enum\": [\"asc\", \"desc\"],"
        " \"default\": \"asc\"},"
        " \"key\": {\"type\": \"string\", \"maxLength\": 1024,"
        " \"description\": \"sort an array of objects by this member\"}}}",
        "Python sorted(items) (or reverse=True for desc): stable in both "
        "orders, numbers compared exactly (integers and reals alike), strings "
        "by code point. With key, items are objects sorted by item[key]. All "
        "sort values must be numbers or all strings; booleans, null, mixed "
        "kinds and objects without key give 400.",
        "{\"items\": [3, 1.5, -2, 10, 1.5], \"order\": \"desc\"}",
        "[10, 3, 1.5, 1.5, -2]",
    },
    {
        "unique",
        "data",
        fn_unique,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"items\"],"
        " \"properties\": {"
        "\"items\": {\"type\": \"array\", \"maxItems\": " ITEMS_MAX "}}}",
        "list(dict.fromkeys(items)): the first occurrence of each value, in "
        "input order, with Python's == (1, 1.0 and true are equal, as are 0, "
        "0.0 and false). Arrays and objects, which Python cannot hash, are "
        "compared by deep equality (objects regardless of key order); they "
        "may nest at most 64 levels.",
        "{\"items\": [\"a\", 1, \"b\", \"a\", 1.0, true, [1, 2], [1, 2]]}",
        "[\"a\", 1, \"b\", [1, 2]]",
    },
};

const size_t fn_data_count = sizeof(fn_data_defs) / sizeof(fn_data_defs[0]);
