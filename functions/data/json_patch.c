/* json_patch.c - `json_patch`: RFC 6902 JSON Patch. The ops apply in
 * order to a private copy of the document; the first that fails fails the
 * whole patch (section 5), so nothing is ever rolled back.
 *
 * Bounds (the "limits" of json_patch.json): the document nests at most
 * DEPTH_MAX levels and holds at most VALUES_MAX values after every op, and
 * the copy ops, and the move ops to a deeper place, walk at most WALK_MAX
 * values in all, and the copy ops copy at most COPY_BYTES_MAX bytes of
 * strings and member names in all (else a few copies of the whole document
 * double a long string into gigabytes). Every other op costs at most the
 * size of its own part of
 * the input, so a patch of OPS_MAX ops cannot run or allocate without a
 * bound. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DEPTH_MAX      FN_LIMIT_JSON_PATCH_DEPTH_MAX
#define VALUES_MAX     ((size_t)FN_LIMIT_JSON_PATCH_VALUES_MAX)
#define WALK_MAX       ((size_t)FN_LIMIT_JSON_PATCH_WALK_MAX)
#define COPY_BYTES_MAX ((size_t)FN_LIMIT_JSON_PATCH_COPY_BYTES_MAX)

/* One application of a patch. */
struct patch_run {
	json_t *doc;       /* the working copy: owned */
	size_t values;     /* values in doc */
	size_t walked;     /* values walked by copy and move so far */
	size_t copied;     /* bytes of strings and names copied so far */
	size_t op;         /* index of the op being applied */
	const json_t *opv; /* the op object (borrowed) */
	struct sopm_err *err;
};

/* Fails op r->op: "field 'patch[i]': <fmt>"; returns -1. */
__attribute__((format(printf, 2, 3))) static int op_fail(struct patch_run *r,
                                                         const char *fmt, ...)
{
	char msg[SOPM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sopm_err_set(r->err, SOPM_E_INVALID_INPUT,
	                    "field 'patch[%zu]': %s", r->op, msg);
}

static int oom(struct patch_run *r)
{
	return sopm_err_set(r->err, SOPM_E_INTERNAL, "out of memory");
}

/* A member of the op that the schema declares a string (path, from),
 * parsed into p, with its quoted text in q. Returns 0 or -1 (r->err). */
static int op_ptr(struct patch_run *r, const char *name, struct fn_ptr *p,
                  char *q, size_t qcap)
{
	size_t n;
	const char *s = fn_arg_text(r->opv, name, "", &n);
	int rc = fn_ptr_parse(s, n, p);

	fn_json_quote(q, qcap, s, n);
	if (rc == -2)
		return oom(r);
	if (rc != 0)
		return op_fail(r,
		               "%s '%s' is not a JSON pointer (\"\" or '/' "
		               "tokens, where '~' is followed by 0 or 1)",
		               name, q);
	return 0;
}

/* The values in v (borrowed), which the document bounds. */
static size_t count(const json_t *v)
{
	size_t n;
	int d;

	fn_json_measure(v, SIZE_MAX, DEPTH_MAX + 1, &n, &d);
	return n;
}

/* Puts v (a NEW reference, consumed) at p, which q quotes: section 4.1
 * (add), or with replace set a value that exists is set in place (4.3).
 * v nests vdepth levels; the caller counts its values, put uncounts the
 * value it replaces. Returns 0 or -1 (r->err). */
static int put(struct patch_run *r, const struct fn_ptr *p, const char *q,
               json_t *v, int vdepth, int replace)
{
	json_t *parent, *old;
	const char *tok;
	size_t len, idx;

	if (vdepth + (int)p->n > DEPTH_MAX) {
		json_decref(v);
		return op_fail(r,
		               "the document would nest deeper than %d "
		               "levels",
		               DEPTH_MAX);
	}
	if (p->n == 0) {
		r->values -= count(r->doc);
		json_decref(r->doc);
		r->doc = v;
		return 0;
	}
	parent = fn_ptr_get(r->doc, p, p->n - 1);
	tok = p->buf + p->off[p->n - 1];
	len = p->len[p->n - 1];
	old = fn_ptr_get(r->doc, p, p->n);
	if (json_is_object(parent)) {
		if (memchr(tok, '\0', len) != NULL) {
			json_decref(v);
			return op_fail(r,
			               "path '%s': a member name may not "
			               "hold U+0000",
			               q);
		}
		if (old != NULL)
			r->values -= count(old);
		if (json_object_setn_new_nocheck(parent, tok, len, v) != 0)
			return oom(r);
		return 0;
	}
	if (json_is_array(parent)) {
		if (len == 1 && tok[0] == '-')
			idx = json_array_size(parent);
		else if (!fn_ptr_index(tok, len, &idx) ||
		         idx > json_array_size(parent)) {
			json_decref(v);
			return op_fail(r,
			               "path '%s' is not an index of its "
			               "array (0 to its length, or '-')",
			               q);
		}
		if (replace)
			r->values -= count(old);
		if ((replace ? json_array_set_new(parent, idx, v)
		             : json_array_insert_new(parent, idx, v)) != 0)
			return oom(r);
		return 0;
	}
	json_decref(v);
	return op_fail(r, "path '%s' does not exist", q);
}

/* Takes the value at p (which exists, p->n > 0) out of the document,
 * without uncounting it, and returns it as a NEW reference. */
static json_t *take(struct patch_run *r, const struct fn_ptr *p)
{
	json_t *parent = fn_ptr_get(r->doc, p, p->n - 1);
	json_t *v = json_incref(fn_ptr_get(r->doc, p, p->n));
	const char *tok = p->buf + p->off[p->n - 1];
	size_t idx;

	if (json_is_object(parent))
		json_object_deln(parent, tok, p->len[p->n - 1]);
	else if (fn_ptr_index(tok, p->len[p->n - 1], &idx))
		json_array_remove(parent, idx);
	return v;
}

/* The op's "value" as a NEW private copy, with its size and nesting.
 * Returns NULL with r->err when it is missing or too big. */
static json_t *op_value(struct patch_run *r, size_t *values, int *depth)
{
	const json_t *v = json_object_get(r->opv, "value");
	json_t *c;

	if (v == NULL) {
		op_fail(r, "op '%s' needs a 'value'",
		        fn_arg_str(r->opv, "op", ""));
		return NULL;
	}
	if (fn_json_measure(v, VALUES_MAX, DEPTH_MAX, values, depth) != 0) {
		op_fail(r,
		        "the value holds more than %zu values or nests "
		        "deeper than %d levels",
		        VALUES_MAX, DEPTH_MAX);
		return NULL;
	}
	c = fn_json_copy(v, DEPTH_MAX);
	if (c == NULL)
		oom(r);
	return c;
}

/* Counts n more values into the document; -1 (r->err) past VALUES_MAX. */
static int grow(struct patch_run *r, size_t n)
{
	r->values += n;
	if (r->values > VALUES_MAX)
		return op_fail(r,
		               "the document would hold more than %zu values",
		               VALUES_MAX);
	return 0;
}

/* Walks v (borrowed, in the document) for copy or move: its size in *n
 * and nesting in *depth, counted against WALK_MAX. Returns 0 or -1. */
static int walk(struct patch_run *r, const json_t *v, size_t *n, int *depth)
{
	if (fn_json_measure(v, WALK_MAX - r->walked, DEPTH_MAX + 1, n, depth) !=
	    0)
		return op_fail(r,
		               "copy and move ops would walk more than %zu "
		               "values in all",
		               WALK_MAX);
	r->walked += *n;
	return 0;
}

/* The bytes of the strings and member names in v (walked already, so
 * within WALK_MAX values and DEPTH_MAX + 1 levels). */
static size_t text_bytes(const json_t *v)
{
	const char *k;
	const json_t *m;
	size_t i, n = 0;

	if (json_is_string(v))
		return json_string_length(v);
	if (json_is_array(v)) {
		json_array_foreach(v, i, m)
		{
			n += text_bytes(m);
		}
	}
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m)
		{
			n += strlen(k) + text_bytes(m);
		}
	}
	return n;
}

static int op_add_replace(struct patch_run *r, const struct fn_ptr *p,
                          const char *q, int replace)
{
	size_t n;
	int depth;
	json_t *v;

	if (replace && fn_ptr_get(r->doc, p, p->n) == NULL)
		return op_fail(r, "path '%s' does not exist", q);
	v = op_value(r, &n, &depth);
	if (v == NULL || put(r, p, q, v, depth, replace) != 0)
		return -1;
	return grow(r, n);
}

static int op_add(struct patch_run *r, const struct fn_ptr *p, const char *q)
{
	return op_add_replace(r, p, q, 0);
}

static int op_replace(struct patch_run *r, const struct fn_ptr *p,
                      const char *q)
{
	return op_add_replace(r, p, q, 1);
}

static int op_remove(struct patch_run *r, const struct fn_ptr *p, const char *q)
{
	json_t *v;

	if (p->n == 0)
		return op_fail(r, "the whole document cannot be removed");
	if (fn_ptr_get(r->doc, p, p->n) == NULL)
		return op_fail(r, "path '%s' does not exist", q);
	v = take(r, p);
	r->values -= count(v);
	json_decref(v);
	return 0;
}

static int op_test(struct patch_run *r, const struct fn_ptr *p, const char *q)
{
	const json_t *have = fn_ptr_get(r->doc, p, p->n);
	const json_t *want = json_object_get(r->opv, "value");
	int eq;

	if (have == NULL)
		return op_fail(r, "path '%s' does not exist", q);
	if (want == NULL)
		return op_fail(r, "op 'test' needs a 'value'");
	eq = fn_json_equal(have, want, DEPTH_MAX);
	if (eq == -1)
		return oom(r);
	if (eq == -2)
		return op_fail(r, "the value nests deeper than %d levels",
		               DEPTH_MAX);
	if (eq == 0)
		return op_fail(r,
		               "test failed: the value at path '%s' "
		               "differs",
		               q);
	return 0;
}

/* 1 when the tokens of a are a proper prefix of those of b. */
static int ptr_inside(const struct fn_ptr *a, const struct fn_ptr *b)
{
	if (a->n >= b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->len[i] != b->len[i] ||
		    memcmp(a->buf + a->off[i], b->buf + b->off[i], a->len[i]))
			return 0;
	return 1;
}

/* copy (4.5) and move (4.4): the value at "from" is copied, or taken out,
 * then added at p. A move walks its value only when it goes deeper: else
 * the document's own bound holds it. */
static int op_copy_move(struct patch_run *r, const struct fn_ptr *p,
                        const char *q, int is_move)
{
	struct fn_ptr f;
	char fq[72];
	const json_t *src;
	json_t *v;
	size_t n = 0;
	int depth = 0, rc = -1;

	if (json_object_get(r->opv, "from") == NULL)
		return op_fail(r, "op '%s' needs a 'from'",
		               is_move ? "move" : "copy");
	if (op_ptr(r, "from", &f, fq, sizeof(fq)) != 0)
		return -1;
	src = fn_ptr_get(r->doc, &f, f.n);
	if (src == NULL) {
		op_fail(r, "from '%s' does not exist", fq);
		goto out;
	}
	if (is_move && ptr_inside(&f, p)) {
		op_fail(r, "path '%s' is inside from '%s'", q, fq);
		goto out;
	}
	if (is_move && f.n == 0) { /* "" to "": nothing moves */
		rc = 0;
		goto out;
	}
	if ((!is_move || p->n > f.n) && walk(r, src, &n, &depth) != 0)
		goto out;
	if (!is_move) {
		r->copied += text_bytes(src);
		if (r->copied > COPY_BYTES_MAX) {
			op_fail(r,
			        "copy ops would copy more than %zu bytes of "
			        "strings and member names in all",
			        COPY_BYTES_MAX);
			goto out;
		}
	}
	v = is_move ? take(r, &f) : fn_json_copy(src, DEPTH_MAX);
	if (v == NULL) {
		oom(r);
		goto out;
	}
	if (put(r, p, q, v, depth, 0) != 0)
		goto out;
	rc = grow(r, is_move ? 0 : n);
out:
	fn_ptr_free(&f);
	return rc;
}

static int op_copy(struct patch_run *r, const struct fn_ptr *p, const char *q)
{
	return op_copy_move(r, p, q, 0);
}

static int op_move(struct patch_run *r, const struct fn_ptr *p, const char *q)
{
	return op_copy_move(r, p, q, 1);
}

/* The ops of the schema's enum. */
static const struct {
	const char *name;
	int (*apply)(struct patch_run *r, const struct fn_ptr *p,
	             const char *q);
} ops[] = {
    {"add", op_add},   {"remove", op_remove}, {"replace", op_replace},
    {"move", op_move}, {"copy", op_copy},     {"test", op_test},
};

static int apply(struct patch_run *r)
{
	const char *name = fn_arg_str(r->opv, "op", "");
	struct fn_ptr p;
	char q[72];
	int rc = -1;

	if (op_ptr(r, "path", &p, q, sizeof(q)) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(name, ops[i].name) == 0)
			rc = ops[i].apply(r, &p, q);
	fn_ptr_free(&p);
	return rc;
}

fn_handler_t fn_json_patch;

/* input borrowed; *result NEW: the patched private copy (it never shares
 * the input). */
int fn_json_patch(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	const json_t *doc = json_object_get(input, "document");
	struct patch_run r = {.err = err};
	size_t i;
	int depth;

	(void)ctx;
	if (fn_json_measure(doc, VALUES_MAX, DEPTH_MAX, &r.values, &depth))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'document' holds more than %zu "
		                    "values or nests deeper than %d levels",
		                    VALUES_MAX, DEPTH_MAX);
	r.doc = fn_json_copy(doc, DEPTH_MAX);
	if (r.doc == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	json_array_foreach(json_object_get(input, "patch"), i, r.opv)
	{
		r.op = i;
		if (apply(&r) != 0) {
			json_decref(r.doc);
			return -1;
		}
	}
	*result = r.doc;
	return 0;
}
