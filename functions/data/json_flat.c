/* json_flat.c - `json_flatten` (nested objects and arrays to one object
 * with joined keys) and `json_unflatten` (joined keys back to nested
 * objects). Leaves are new references to the input's own values. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* ---- json_flatten ---- */

struct flat {
	json_t *out;          /* the result */
	struct sopm_buf path; /* the joined key of the value being walked */
	const char *sep;
	size_t seplen;
	size_t key_bytes; /* bytes of keys made so far */
};

static int flat_walk(struct flat *f, const json_t *v, int depth,
                     struct sopm_err *err);

/* Appends sep (below the top) and the segment s[0..n) to the path, walks
 * v, and restores the path. */
static int flat_child(struct flat *f, const char *s, size_t n, const json_t *v,
                      int depth, struct sopm_err *err)
{
	size_t mark = f->path.len;
	int rc;

	if ((depth > 0 && sopm_buf_add(&f->path, f->sep, f->seplen) != 0) ||
	    sopm_buf_add(&f->path, s, n) != 0)
		return oom(err);
	rc = flat_walk(f, v, depth + 1, err);
	f->path.len = mark;
	return rc;
}

/* depth: the containers above v (data itself is at 0). */
static int flat_walk(struct flat *f, const json_t *v, int depth,
                     struct sopm_err *err)
{
	const char *key;
	size_t i, klen;
	json_t *x;
	char msg[96];

	if ((json_is_object(v) || json_is_array(v)) &&
	    depth >= FN_LIMIT_JSON_FLATTEN_DEPTH_MAX)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'data' is nested deeper than %d "
		                    "levels",
		                    FN_LIMIT_JSON_FLATTEN_DEPTH_MAX);
	if (json_is_object(v) && json_object_size(v) > 0) {
		json_object_keylen_foreach((json_t *)v, key, klen, x)
		{
			if (flat_child(f, key, klen, x, depth, err) != 0)
				return -1;
		}
		return 0;
	}
	if (json_is_array(v) && json_array_size(v) > 0) {
		json_array_foreach((json_t *)v, i, x)
		{
			char idx[24];
			int n = snprintf(idx, sizeof(idx), "%zu", i);
			if (flat_child(f, idx, (size_t)n, x, depth, err) != 0)
				return -1;
		}
		return 0;
	}
	f->key_bytes += f->path.len;
	if (f->key_bytes > FN_LIMIT_JSON_FLATTEN_KEY_BYTES_MAX)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'data' flattens to keys of more "
		                    "than %d bytes in all",
		                    FN_LIMIT_JSON_FLATTEN_KEY_BYTES_MAX);
	if (sopm_buf_add(&f->path, "", 1) != 0)
		return oom(err);
	f->path.len--;
	if (json_object_getn(f->out, f->path.p, f->path.len) != NULL) {
		msg[0] = '\0';
		fn_json_quote(msg, sizeof(msg), f->path.p, f->path.len);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'data' flattens two values to the "
		                    "key '%s'",
		                    msg);
	}
	if (json_object_setn(f->out, f->path.p, f->path.len, (json_t *)v) != 0)
		return oom(err);
	return 0;
}

fn_handler_t fn_json_flatten;

int fn_json_flatten(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	struct flat f = {0};
	const char *key;
	size_t klen;
	json_t *x;

	(void)ctx;
	f.sep = fn_arg_text(input, "sep", ".", &f.seplen);
	f.out = json_object();
	if (f.out == NULL)
		return oom(err);
	json_object_keylen_foreach(json_object_get(input, "data"), key, klen, x)
	{
		if (flat_child(&f, key, klen, x, 0, err) != 0) {
			json_decref(f.out);
			free(f.path.p);
			return -1;
		}
	}
	free(f.path.p);
	*result = f.out;
	return 0;
}

/* ---- json_unflatten ---- */

struct unflat {
	json_t *made; /* {"%p" of every object made here: null} */
	const char *sep;
	size_t seplen;
};

static int made_here(const struct unflat *u, const json_t *v)
{
	char id[32];

	snprintf(id, sizeof(id), "%p", (const void *)v);
	return json_is_object(v) && json_object_get(u->made, id) != NULL;
}

static int conflict(struct sopm_err *err, const char *key, size_t klen)
{
	char msg[96] = "";

	fn_json_quote(msg, sizeof(msg), key, klen);
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'data' has the key '%s', whose path "
	                    "runs into or through the value of another key",
	                    msg);
}

/* Places v (borrowed) at the path key[0..klen) split on sep in out. */
static int unflat_put(struct unflat *u, json_t *out, const char *key,
                      size_t klen, json_t *v, struct sopm_err *err)
{
	json_t *node = out;
	size_t pos = 0;
	int parts = 1;

	for (;;) {
		const char *hit =
		    klen - pos >= u->seplen
		        ? memmem(key + pos, klen - pos, u->sep, u->seplen)
		        : NULL;
		size_t end = hit ? (size_t)(hit - key) : klen;
		json_t *next = json_object_getn(node, key + pos, end - pos);

		if (hit == NULL) {
			if (next != NULL)
				return conflict(err, key, klen);
			return json_object_setn(node, key + pos, end - pos,
			                        v) != 0
			           ? oom(err)
			           : 0;
		}
		if (++parts > FN_LIMIT_JSON_UNFLATTEN_PARTS_MAX) {
			char msg[96] = "";
			fn_json_quote(msg, sizeof(msg), key, klen);
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'data' has the key '%s' of "
			                    "more than %d parts",
			                    msg,
			                    FN_LIMIT_JSON_UNFLATTEN_PARTS_MAX);
		}
		if (next == NULL) {
			char id[32];
			next = json_object();
			snprintf(id, sizeof(id), "%p", (void *)next);
			if (next == NULL ||
			    json_object_setn_new(node, key + pos, end - pos,
			                         next) != 0 ||
			    json_object_set_new(u->made, id, json_null()) != 0)
				return oom(err);
		} else if (!made_here(u, next)) {
			return conflict(err, key, klen);
		}
		node = next;
		pos = end + u->seplen;
	}
}

fn_handler_t fn_json_unflatten;

int fn_json_unflatten(const json_t *input, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	struct unflat u;
	const char *key;
	size_t klen;
	json_t *x, *out = json_object();

	(void)ctx;
	u.sep = fn_arg_text(input, "sep", ".", &u.seplen);
	u.made = json_object();
	if (out == NULL || u.made == NULL) {
		json_decref(out);
		json_decref(u.made);
		return oom(err);
	}
	json_object_keylen_foreach(json_object_get(input, "data"), key, klen, x)
	{
		if (unflat_put(&u, out, key, klen, x, err) != 0) {
			json_decref(out);
			json_decref(u.made);
			return -1;
		}
	}
	json_decref(u.made);
	*result = out;
	return 0;
}
