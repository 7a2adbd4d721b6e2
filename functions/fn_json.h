/* fn_json.h - JSON value helpers shared by the data functions: JSON Schema
 * instance equality (unique, json_patch's test), bounded measuring and
 * copying (json_patch, json_merge_patch), and RFC 6901 JSON Pointers
 * (json_pointer, json_patch).
 *
 * Depths count containers: a scalar nests 0 levels, [] 1, [[]] 2. Every
 * walk here stops at a caller's bound, so no recursion goes deeper than
 * the bound and no call allocates without one. */
#ifndef FN_JSON_H
#define FN_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "sopm_buf.h"

/* Appends to b an encoding of v (borrowed) in which two values have equal
 * bytes exactly when JSON Schema 2020-12 calls them equal: numbers by
 * mathematical value (1 == 1.0, 0 == -0.0), booleans only to booleans (true
 * is never 1), strings by code points, arrays element by element, objects
 * member by member regardless of order. Returns 0, -1 when memory runs out,
 * or -2 when v nests more than depth_max levels. */
int fn_json_canon(struct sopm_buf *b, const json_t *v, int depth_max);

/* JSON Schema equality of a and b (borrowed), through fn_json_canon. Costs
 * O(size of b): a is measured against b's size first. Returns 1 (equal),
 * 0, -1 when memory runs out, or -2 when b nests more than depth_max. */
int fn_json_equal(const json_t *a, const json_t *b, int depth_max);

/* Counts the values of v (borrowed; v itself is one) into *values and its
 * nesting into *depth, giving up once either passes its bound. Returns 0,
 * or -1 when v holds more than values_max values or nests more than
 * depth_max levels (*values and *depth are then meaningless). */
int fn_json_measure(const json_t *v, size_t values_max, int depth_max,
                    size_t *values, int *depth);

/* A NEW deep copy of v (borrowed), or NULL when memory runs out or v
 * nests more than depth_max levels (check with fn_json_measure first to
 * tell the two apart). */
json_t *fn_json_copy(const json_t *v, int depth_max);

/* A parsed JSON Pointer (RFC 6901): n reference tokens, unescaped (~1 is
 * '/', ~0 is '~'); token i is buf[off[i] .. off[i] + len[i]) and may hold
 * U+0000. Owns its arrays: free with fn_ptr_free(). */
struct fn_ptr {
	char *buf;
	size_t *off, *len;
	size_t n;
};

/* Parses s[0..n). Returns 0; -1 when s is not a pointer (it is neither ""
 * nor starts with '/', or a '~' is not followed by '0' or '1'); -2 when
 * memory runs out. On failure p owns nothing. */
int fn_ptr_parse(const char *s, size_t n, struct fn_ptr *p);

/* Frees what fn_ptr_parse allocated; p may be zeroed. */
void fn_ptr_free(struct fn_ptr *p);

/* 1 and *idx when tok[0..n) is an array index of RFC 6901: "0" or a digit
 * 1-9 followed by digits, within SIZE_MAX; else 0 ("-", "01", "1e0"). */
int fn_ptr_index(const char *tok, size_t n, size_t *idx);

/* The value (BORROWED from doc) that the first ntok tokens of p designate
 * in doc, or NULL when there is none: a missing member, an index that is
 * not one or is past the end ("-" is always past the end), or a scalar on
 * the way. */
json_t *fn_ptr_get(const json_t *doc, const struct fn_ptr *p, size_t ntok);

/* Appends to msg (size cap >= 8) at most cap - 1 bytes of s[0..n): the
 * text cut at a UTF-8 boundary and ended with "..." when it was longer,
 * for quoting user input in an error message. */
void fn_json_quote(char *msg, size_t cap, const char *s, size_t n);

#endif
