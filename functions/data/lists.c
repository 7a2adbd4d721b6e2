/* lists.c - reshaping arrays: `chunk`, `zip`, `flatten`, `transpose` and
 * `paginate`. They never copy a value: a result's arrays hold new
 * references to the input's own elements, so a result has no more elements
 * than the input (and the few arrays that hold them). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"

#include <stdint.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* A NEW array of a[from..to) (a borrowed), or NULL when out of memory. */
static json_t *slice(const json_t *a, size_t from, size_t to)
{
	json_t *out = json_array();

	for (size_t i = from; out != NULL && i < to; i++)
		if (json_array_append(out, json_array_get(a, i)) != 0) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

/* A NEW array of rows[i][j] for every row i (rows borrowed; every row has
 * more than j elements), or NULL when out of memory. */
static json_t *column(const json_t *rows, size_t j)
{
	json_t *out = json_array();

	for (size_t i = 0; out != NULL && i < json_array_size(rows); i++)
		if (json_array_append(
		        out, json_array_get(json_array_get(rows, i), j)) != 0) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

/* A NEW array of column(rows, j) for j < ncols, or NULL when out of
 * memory. */
static json_t *columns(const json_t *rows, size_t ncols)
{
	json_t *out = json_array();

	for (size_t j = 0; out != NULL && j < ncols; j++)
		if (json_array_append_new(out, column(rows, j)) != 0) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

/* ---- chunk ---- */

fn_handler_t fn_chunk;

int fn_chunk(const json_t *input, json_t **result, struct fn_ctx *ctx,
             struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	size_t n = json_array_size(items);
	/* 1 <= size <= FN_LIMIT_CHUNK_ITEMS_MAX (schema), so i + size fits */
	size_t size = (size_t)fn_arg_int(input, "size", 1);
	json_t *out = json_array();

	(void)ctx;
	for (size_t i = 0; out != NULL && i < n; i += size)
		if (json_array_append_new(
		        out, slice(items, i, n - i < size ? n : i + size)) !=
		    0) {
			json_decref(out);
			out = NULL;
		}
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- zip ---- */

fn_handler_t fn_zip;

int fn_zip(const json_t *input, json_t **result, struct fn_ctx *ctx,
           struct sopm_err *err)
{
	const json_t *arrays = json_object_get(input, "arrays");
	size_t k = json_array_size(arrays), m = k ? SIZE_MAX : 0;
	json_t *out;

	(void)ctx;
	for (size_t i = 0; i < k; i++) {
		size_t len = json_array_size(json_array_get(arrays, i));
		if (len < m)
			m = len;
	}
	out = columns(arrays, m);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- transpose ---- */

fn_handler_t fn_transpose;

int fn_transpose(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *matrix = json_object_get(input, "matrix");
	size_t rows = json_array_size(matrix);
	size_t cols = json_array_size(json_array_get(matrix, 0));
	json_t *out;

	(void)ctx;
	for (size_t i = 1; i < rows; i++) {
		size_t len = json_array_size(json_array_get(matrix, i));
		if (len != cols)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'matrix[%zu]' has %zu elements but "
			    "matrix[0] has %zu: the matrix must be rectangular",
			    i, len, cols);
	}
	out = columns(matrix, cols);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- flatten ---- */

/* Appends v (borrowed) to out, or, when v is an array and left > 0, each of
 * its elements flattened with left - 1. With full, an array met at left 0
 * is nested too deep. Returns 0, -1 when out of memory, -2 too deep. The
 * recursion is at most FN_LIMIT_FLATTEN_DEPTH_MAX + 1 calls deep. */
static int flatten_value(json_t *out, json_t *v, int left, int full)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v) || left == 0) {
		if (full && json_is_array(v))
			return -2;
		return json_array_append(out, v) != 0 ? -1 : 0;
	}
	json_array_foreach(v, i, x)
	{
		int rc = flatten_value(out, x, left - 1, full);
		if (rc != 0)
			return rc;
	}
	return 0;
}

fn_handler_t fn_flatten;

int fn_flatten(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	/* -1 <= depth <= FN_LIMIT_FLATTEN_DEPTH_MAX (schema) */
	int depth = (int)fn_arg_int(input, "depth", -1);
	int full = depth < 0;
	json_t *out = json_array();

	(void)ctx;
	if (out == NULL)
		return oom(err);
	for (size_t i = 0; i < json_array_size(items); i++) {
		int rc = flatten_value(
		    out, json_array_get(items, i),
		    full ? FN_LIMIT_FLATTEN_DEPTH_MAX : depth, full);
		if (rc == 0)
			continue;
		json_decref(out);
		if (rc == -1)
			return oom(err);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'items[%zu]' nests arrays more than "
		                    "%d levels deep (depth -1 flattens at most "
		                    "that many)",
		                    i, FN_LIMIT_FLATTEN_DEPTH_MAX);
	}
	*result = out;
	return 0;
}

/* ---- paginate ---- */

fn_handler_t fn_paginate;

int fn_paginate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	size_t n = json_array_size(items);
	/* page >= 1 (any int64), 1 <= per_page <= items_max (schema) */
	json_int_t page = fn_arg_int(input, "page", 1);
	json_int_t per = fn_arg_int(input, "per_page", 10);
	size_t pages = n / (size_t)per + (n % (size_t)per != 0);
	size_t from = n, to = n;
	json_t *slice_out, *out;

	(void)ctx;
	/* compared before multiplying: a huge page cannot overflow */
	if ((uint64_t)(page - 1) < (uint64_t)pages) {
		from = (size_t)(page - 1) * (size_t)per;
		to = n - from < (size_t)per ? n : from + (size_t)per;
	}
	slice_out = slice(items, from, to);
	if (slice_out == NULL)
		return oom(err);
	/* "o" steals slice_out, also when the pack fails */
	out = json_pack("{s:o, s:I, s:I, s:I, s:I}", "items", slice_out, "page",
	                page, "per_page", per, "total", (json_int_t)n, "pages",
	                (json_int_t)pages);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
