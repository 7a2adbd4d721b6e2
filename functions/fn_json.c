/* fn_json.c - JSON Schema equality, bounded measuring and copying, and
 * RFC 6901 JSON Pointers (fn_json.h). */
#include "fn_json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- equality: a canonical encoding ---- */

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

static int canon(struct sopm_buf *b, const json_t *v, int depth, int depth_max);

static int canon_object(struct sopm_buf *b, const json_t *v, int depth,
                        int depth_max)
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
		    sopm_buf_add(b, keys[i].key, keys[i].len) != 0)
			goto out;
		rc = canon(b, keys[i].val, depth + 1, depth_max);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	rc = sopm_buf_add(b, "}", 1);
out:
	free(keys);
	return rc;
}

/* depth counts the containers above v. */
static int canon(struct sopm_buf *b, const json_t *v, int depth, int depth_max)
{
	size_t i;
	json_t *x;

	if (depth >= depth_max && (json_is_array(v) || json_is_object(v)))
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
			int rc = canon(b, x, depth + 1, depth_max);
			if (rc != 0)
				return rc;
		}
		return sopm_buf_add(b, "]", 1);
	case JSON_OBJECT:
		return canon_object(b, v, depth, depth_max);
	}
	return -1;
}

int fn_json_canon(struct sopm_buf *b, const json_t *v, int depth_max)
{
	return canon(b, v, 0, depth_max);
}

int fn_json_equal(const json_t *a, const json_t *b, int depth_max)
{
	struct sopm_buf x = {0}, y = {0};
	size_t nb, na;
	int db, da, rc;

	if (fn_json_measure(b, SIZE_MAX, depth_max, &nb, &db) != 0)
		return -2;
	/* Equal values have the same shape, so a that is bigger or deeper
	 * than b differs, and is never walked past b's size. */
	if (fn_json_measure(a, nb, db, &na, &da) != 0 || na != nb)
		return 0;
	rc = canon(&x, a, 0, depth_max);
	if (rc == 0)
		rc = canon(&y, b, 0, depth_max);
	if (rc == 0)
		rc = x.len == y.len &&
		     (x.len == 0 || memcmp(x.p, y.p, x.len) == 0);
	free(x.p);
	free(y.p);
	return rc;
}

/* ---- measuring and copying ---- */

static int measure(const json_t *v, int depth, size_t values_max, int depth_max,
                   size_t *values, int *deepest)
{
	size_t i;
	const char *key;
	json_t *x;

	if (++*values > values_max)
		return -1;
	if (!json_is_array(v) && !json_is_object(v))
		return 0;
	if (depth >= depth_max)
		return -1;
	if (depth + 1 > *deepest)
		*deepest = depth + 1;
	if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i, x)
		{
			if (measure(x, depth + 1, values_max, depth_max, values,
			            deepest) != 0)
				return -1;
		}
		return 0;
	}
	json_object_foreach((json_t *)v, key, x)
	{
		if (measure(x, depth + 1, values_max, depth_max, values,
		            deepest) != 0)
			return -1;
	}
	return 0;
}

int fn_json_measure(const json_t *v, size_t values_max, int depth_max,
                    size_t *values, int *depth)
{
	*values = 0;
	*depth = 0;
	return measure(v, 0, values_max, depth_max, values, depth);
}

static json_t *copy(const json_t *v, int depth, int depth_max)
{
	const char *key;
	size_t i, klen;
	json_t *x, *out;

	if (!json_is_array(v) && !json_is_object(v))
		return json_incref((json_t *)v); /* never changed in place */
	if (depth >= depth_max)
		return NULL;
	out = json_is_array(v) ? json_array() : json_object();
	if (out == NULL)
		return NULL;
	if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i, x)
		{
			if (json_array_append_new(
			        out, copy(x, depth + 1, depth_max)) != 0)
				goto fail;
		}
		return out;
	}
	json_object_keylen_foreach((json_t *)v, key, klen, x)
	{
		if (json_object_setn_new_nocheck(
		        out, key, klen, copy(x, depth + 1, depth_max)) != 0)
			goto fail;
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

json_t *fn_json_copy(const json_t *v, int depth_max)
{
	return copy(v, 0, depth_max);
}

/* ---- JSON Pointer (RFC 6901) ---- */

int fn_ptr_parse(const char *s, size_t n, struct fn_ptr *p)
{
	size_t tokens = 0, w = 0;

	memset(p, 0, sizeof(*p));
	if (n > 0 && s[0] != '/')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/')
			tokens++;
		else if (s[i] == '~' &&
		         (i + 1 == n || (s[i + 1] != '0' && s[i + 1] != '1')))
			return -1;
	}
	p->buf = malloc(n ? n : 1);
	p->off = calloc(tokens ? tokens : 1, sizeof(*p->off));
	p->len = calloc(tokens ? tokens : 1, sizeof(*p->len));
	if (p->buf == NULL || p->off == NULL || p->len == NULL) {
		fn_ptr_free(p);
		return -2;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/') {
			p->off[p->n++] = w;
			continue;
		}
		if (s[i] == '~')
			p->buf[w++] = s[++i] == '1' ? '/' : '~';
		else
			p->buf[w++] = s[i];
		p->len[p->n - 1]++;
	}
	return 0;
}

void fn_ptr_free(struct fn_ptr *p)
{
	free(p->buf);
	free(p->off);
	free(p->len);
	memset(p, 0, sizeof(*p));
}

int fn_ptr_index(const char *tok, size_t n, size_t *idx)
{
	size_t v = 0;

	if (n == 0 || (tok[0] == '0' && n > 1))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (tok[i] < '0' || tok[i] > '9' ||
		    v > (SIZE_MAX - (size_t)(tok[i] - '0')) / 10)
			return 0;
		v = v * 10 + (size_t)(tok[i] - '0');
	}
	*idx = v;
	return 1;
}

json_t *fn_ptr_get(const json_t *doc, const struct fn_ptr *p, size_t ntok)
{
	json_t *v = (json_t *)doc;

	for (size_t i = 0; v != NULL && i < ntok; i++) {
		const char *tok = p->buf + p->off[i];
		size_t idx;

		if (json_is_object(v))
			v = json_object_getn(v, tok, p->len[i]);
		else if (json_is_array(v) && fn_ptr_index(tok, p->len[i], &idx))
			v = json_array_get(v, idx); /* NULL past the end */
		else
			v = NULL;
	}
	return v;
}

void fn_json_quote(char *msg, size_t cap, const char *s, size_t n)
{
	size_t k = n;

	if (k > cap - 1) {
		k = cap - 4;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--; /* s[k] starts a character: cut before it */
	}
	memcpy(msg, s, k);
	strcpy(msg + k, k < n ? "..." : "");
}
