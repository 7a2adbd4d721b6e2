/* query.c - querying arrays of objects by one member: `filter`, `group_by`
 * and `aggregate`. Results hold new references to the input's own items.
 *
 * Equality is JSON Schema's instance equality (as `unique`): each value
 * gets a canonical encoding (fn_json_canon) in which equal values have
 * equal bytes, so every test is linear in the size of what it compares. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"
#include "fn_num.h"
#include "fn_result.h"
#include "pyrepr.h"

#include <gmp.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* items[i][field] (borrowed), or NULL when the item lacks the member. */
static json_t *member(const json_t *items, size_t i, const json_t *field)
{
	return json_object_getn(json_array_get(items, i),
	                        json_string_value(field),
	                        json_string_length(field));
}

/* ---- filter ---- */

enum filter_op {
	OP_EQ,
	OP_NE,
	OP_GT,
	OP_GTE,
	OP_LT,
	OP_LTE,
	OP_CONTAINS,
	OP_IN
};

static const char *const filter_ops[] = {"eq", "ne",  "gt",       "gte",
                                         "lt", "lte", "contains", "in"};

/* An encoding in a buffer: bytes off .. off + len. */
struct set_ref {
	size_t off, len;
};

struct filter {
	enum filter_op op;
	const json_t *value;  /* borrowed */
	struct sopm_buf want; /* canon(value), or of each element for in */
	struct set_ref *set;  /* for in: the element encodings, sorted */
	size_t nset;
	struct sopm_buf tmp; /* scratch for the item's side */
};

/* canon(v) into b from its start. 0, -1 (memory) or -2 (too deep). */
static int canon_into(struct sopm_buf *b, const json_t *v)
{
	b->len = 0;
	return fn_json_canon(b, v, FN_LIMIT_FILTER_DEPTH_MAX);
}

static int same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int set_cmp(const void *a, const void *b, void *base)
{
	const struct set_ref *x = a, *y = b;
	const char *p = base;
	int c =
	    memcmp(p + x->off, p + y->off, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* Precomputes what the items are compared with. 0 or -1 with err. */
static int filter_prepare(struct filter *f, struct sopm_err *err)
{
	size_t i;
	json_t *x;
	int rc = 0;

	if (f->op != OP_IN) {
		rc = canon_into(&f->want, f->value);
	} else if (!json_is_array(f->value)) {
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'value' must be an array when 'op' "
		                    "is 'in'");
	} else {
		f->nset = json_array_size(f->value);
		f->set = calloc(f->nset + 1, sizeof(*f->set));
		if (f->set == NULL)
			return oom(err);
		json_array_foreach(f->value, i, x)
		{
			f->set[i].off = f->want.len;
			rc = fn_json_canon(&f->want, x,
			                   FN_LIMIT_FILTER_DEPTH_MAX - 1);
			if (rc != 0)
				break;
			f->set[i].len = f->want.len - f->set[i].off;
		}
		if (rc == 0)
			qsort_r(f->set, f->nset, sizeof(*f->set), set_cmp,
			        f->want.p);
	}
	if (rc == -2)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'value' is nested deeper than %d "
		                    "levels",
		                    FN_LIMIT_FILTER_DEPTH_MAX);
	return rc == 0 ? 0 : oom(err);
}

/* gt, gte, lt, lte: v against value when both are numbers (exactly) or
 * both strings (code point order is UTF-8 byte order); else no pass. */
static int order_test(enum filter_op op, const json_t *v, const json_t *value)
{
	int c;

	if (json_is_number(v) && json_is_number(value)) {
		struct fn_num a = fn_num_of_json(v), b = fn_num_of_json(value);
		c = fn_num_cmp(&a, &b);
	} else if (json_is_string(v) && json_is_string(value)) {
		size_t na = json_string_length(v),
		       nb = json_string_length(value);
		c = memcmp(json_string_value(v), json_string_value(value),
		           na < nb ? na : nb);
		c = c != 0 ? c : (na > nb) - (na < nb);
	} else {
		return 0;
	}
	if (op == OP_GT)
		return c > 0;
	if (op == OP_GTE)
		return c >= 0;
	if (op == OP_LT)
		return c < 0;
	return c <= 0;
}

/* contains: a substring of a string, or an element of an array equal to
 * value. 1, 0, -1 (memory) or -2 (an element too deep). */
static int contains_test(struct filter *f, const json_t *v)
{
	if (json_is_string(v) && json_is_string(f->value))
		return json_string_length(f->value) == 0 ||
		       memmem(json_string_value(v), json_string_length(v),
		              json_string_value(f->value),
		              json_string_length(f->value)) != NULL;
	if (!json_is_array(v))
		return 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		int rc;
		f->tmp.len = 0;
		rc = fn_json_canon(&f->tmp, json_array_get(v, i),
		                   FN_LIMIT_FILTER_DEPTH_MAX - 1);
		if (rc != 0)
			return rc;
		if (same_bytes(f->tmp.p, f->tmp.len, f->want.p, f->want.len))
			return 1;
	}
	return 0;
}

/* in: v equals an element of value (a binary search of the sorted
 * encodings). 1, 0, -1 (memory) or -2 (v too deep). */
static int in_test(struct filter *f, const json_t *v)
{
	struct set_ref key;
	int rc = canon_into(&f->tmp, v), found = 0;

	if (rc != 0)
		return rc;
	/* the key goes after the set's encodings for a moment, so that
	 * set_cmp reads both from one buffer */
	key.off = f->want.len;
	key.len = f->tmp.len;
	if (sopm_buf_add(&f->want, f->tmp.p, f->tmp.len) != 0)
		return -1;
	for (size_t lo = 0, hi = f->nset; lo < hi && !found;) {
		size_t mid = lo + (hi - lo) / 2;
		int c = set_cmp(&key, &f->set[mid], f->want.p);
		found = c == 0;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	f->want.len = key.off;
	return found;
}

/* Does v (borrowed, NULL when absent) pass? 1, 0, -1 (memory) or -2 (v
 * too deep). */
static int filter_test(struct filter *f, const json_t *v)
{
	int rc;

	if (v == NULL)
		return f->op == OP_NE;
	switch (f->op) {
	case OP_EQ:
	case OP_NE:
		rc = canon_into(&f->tmp, v);
		if (rc != 0)
			return rc;
		rc = same_bytes(f->tmp.p, f->tmp.len, f->want.p, f->want.len);
		return f->op == OP_EQ ? rc : !rc;
	case OP_CONTAINS:
		return contains_test(f, v);
	case OP_IN:
		return in_test(f, v);
	default:
		return order_test(f->op, v, f->value);
	}
}

fn_handler_t fn_filter;

int fn_filter(const json_t *input, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	const json_t *field = json_object_get(input, "field");
	const char *op = fn_arg_str(input, "op", "eq");
	struct filter f = {0};
	json_t *out = NULL;
	int rc = -1;

	(void)ctx;
	for (size_t k = 0; k < sizeof(filter_ops) / sizeof(*filter_ops); k++)
		if (strcmp(op, filter_ops[k]) == 0)
			f.op = (enum filter_op)k;
	f.value = json_object_get(input, "value");
	if (filter_prepare(&f, err) != 0)
		goto done;
	out = json_array();
	if (out == NULL) {
		oom(err);
		goto done;
	}
	for (size_t i = 0; i < json_array_size(items); i++) {
		int t = filter_test(&f, member(items, i, field));
		if (t == -2) {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'items[%zu]' has a '%s' nested "
			             "deeper than %d levels",
			             i, json_string_value(field),
			             FN_LIMIT_FILTER_DEPTH_MAX);
			goto done;
		}
		if (t < 0 ||
		    (t == 1 &&
		     json_array_append(out, json_array_get(items, i)) != 0)) {
			oom(err);
			goto done;
		}
	}
	*result = out;
	out = NULL;
	rc = 0;
done:
	json_decref(out);
	free(f.set);
	free(f.want.p);
	free(f.tmp.p);
	return rc;
}

/* ---- group keys (group_by, aggregate) ---- */

/* The group key of items[i][field] into b (from its start): the string
 * itself, "null" when absent or null, else its JSON text as Python's
 * json.dumps writes it. 0, or -1 with err (an array or object, memory). */
static int group_key(struct sopm_buf *b, const json_t *items, size_t i,
                     const json_t *field, const char *fname,
                     struct sopm_err *err)
{
	const json_t *v = member(items, i, field);
	int rc;

	b->len = 0;
	if (v == NULL)
		v = json_null();
	if (json_is_string(v))
		rc = sopm_buf_add(b, json_string_value(v),
		                  json_string_length(v));
	else
		rc = pyrepr_json_scalar(b, v);
	if (rc == -2)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'items[%zu]' has an %s in '%s' (field '%s'): a "
		    "group key is a string, number, boolean or null",
		    i, json_is_array(v) ? "array" : "object",
		    json_string_value(field), fname);
	/* b->p must be non-NULL for an empty key */
	if (rc == 0 && sopm_buf_add(b, "", 1) == 0) {
		b->len--;
		return 0;
	}
	return oom(err);
}

/* Assigns every item its group: grp[i] is the index of its key in *keys
 * (a NEW object {key: index}, in order of first appearance). 0 or -1. */
static int group_items(const json_t *items, const json_t *field,
                       const char *fname, size_t *grp, json_t **keys,
                       struct sopm_err *err)
{
	struct sopm_buf b = {0};
	int rc = 0;

	*keys = json_object();
	if (*keys == NULL)
		return oom(err);
	for (size_t i = 0; rc == 0 && i < json_array_size(items); i++) {
		json_t *g;
		rc = group_key(&b, items, i, field, fname, err);
		if (rc != 0)
			break;
		g = json_object_getn(*keys, b.p, b.len);
		if (g == NULL) {
			g = json_integer((json_int_t)json_object_size(*keys));
			if (json_object_setn_new(*keys, b.p, b.len, g) != 0)
				rc = oom(err);
		}
		if (rc == 0)
			grp[i] = (size_t)json_integer_value(g);
	}
	free(b.p);
	return rc;
}

/* ---- group_by ---- */

fn_handler_t fn_group_by;

int fn_group_by(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	size_t n = json_array_size(items);
	size_t *grp = calloc(n + 1, sizeof(*grp));
	json_t *keys = NULL, *out = NULL, **lists = NULL;
	const char *key;
	size_t klen;
	json_t *g;
	int rc = -1;

	(void)ctx;
	if (grp == NULL) {
		oom(err);
		goto done;
	}
	if (group_items(items, json_object_get(input, "field"), "field", grp,
	                &keys, err) != 0)
		goto done;
	lists = calloc(json_object_size(keys) + 1, sizeof(*lists));
	out = json_object();
	if (lists == NULL || out == NULL) {
		oom(err);
		goto done;
	}
	json_object_keylen_foreach(keys, key, klen, g)
	{
		size_t k = (size_t)json_integer_value(g);
		lists[k] = json_array();
		if (json_object_setn_new(out, key, klen, lists[k]) != 0) {
			oom(err);
			goto done;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (json_array_append(lists[grp[i]],
		                      json_array_get(items, i)) != 0) {
			oom(err);
			goto done;
		}
	*result = out;
	out = NULL;
	rc = 0;
done:
	json_decref(out);
	json_decref(keys);
	free(lists);
	free(grp);
	return rc;
}

/* ---- aggregate ---- */

enum agg_op { AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_COUNT };

/* Exact sums: every double and int64 is a multiple of 2^-1074 below
 * 2^1024, so AGG_BITS bits hold the sum of items_max of them exactly. */
#define AGG_BITS 2200

struct agg {
	mpfr_t sum;        /* exact sum of the numbers */
	size_t nums;       /* how many numbers */
	size_t present;    /* how many values that are not null (count) */
	int all_int;       /* every number is a JSON integer */
	const json_t *min; /* first smallest / largest number (borrowed) */
	const json_t *max;
};

static void agg_add(struct agg *a, const json_t *v)
{
	struct fn_num x, y;

	if (v == NULL || json_is_null(v))
		return;
	a->present++;
	if (!json_is_number(v))
		return;
	a->nums++;
	if (json_is_integer(v)) {
		mpfr_add_si(a->sum, a->sum, (long)json_integer_value(v),
		            MPFR_RNDN);
	} else {
		a->all_int = 0;
		mpfr_add_d(a->sum, a->sum, json_real_value(v), MPFR_RNDN);
	}
	x = fn_num_of_json(v);
	if (a->min != NULL)
		y = fn_num_of_json(a->min);
	if (a->min == NULL || fn_num_cmp(&x, &y) < 0)
		a->min = v;
	if (a->max != NULL)
		y = fn_num_of_json(a->max);
	if (a->max == NULL || fn_num_cmp(&x, &y) > 0)
		a->max = v;
}

/* A NEW result of op over a, or NULL when out of memory; *overflow is set
 * when a real sum is past the double range. */
static json_t *agg_result(const struct agg *a, enum agg_op op,
                          struct fn_ctx *ctx, int *overflow)
{
	mpq_t q;
	double d;

	switch (op) {
	case AGG_COUNT:
		return json_integer((json_int_t)a->present);
	case AGG_MIN:
		return a->min ? json_incref((json_t *)a->min) : json_null();
	case AGG_MAX:
		return a->max ? json_incref((json_t *)a->max) : json_null();
	case AGG_SUM:
		if (a->all_int && mpfr_fits_slong_p(a->sum, MPFR_RNDN))
			return json_integer(
			    (json_int_t)mpfr_get_si(a->sum, MPFR_RNDN));
		mpq_init(q);
		mpfr_get_q(q, a->sum);
		d = fn_q_to_double(q);
		mpq_clear(q);
		if (!a->all_int && (d > 1.7976931348623157e308 ||
		                    d < -1.7976931348623157e308)) {
			*overflow = 1;
			return json_null();
		}
		/* a sum of integers past int64 becomes the nearest double */
		return fn_result_real(ctx, NULL, d);
	case AGG_AVG:
		if (a->nums == 0)
			return json_null();
		mpq_init(q);
		mpfr_get_q(q, a->sum);
		{
			mpq_t n;
			mpq_init(n);
			mpq_set_ui(n, (unsigned long)a->nums, 1);
			mpq_div(q, q, n);
			mpq_clear(n);
		}
		d = fn_q_to_double(q);
		mpq_clear(q);
		return fn_result_real(ctx, NULL, d);
	}
	return NULL;
}

/* Empties a for the next group; a->sum must be initialised. */
static void agg_reset(struct agg *a)
{
	mpfr_set_zero(a->sum, 1);
	a->nums = a->present = 0;
	a->all_int = 1;
	a->min = a->max = NULL;
}

static void agg_init(struct agg *a)
{
	mpfr_init2(a->sum, AGG_BITS);
	agg_reset(a);
}

static enum agg_op agg_op_of(const char *s)
{
	static const char *const names[] = {"sum", "avg", "min", "max",
	                                    "count"};

	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
		if (strcmp(s, names[k]) == 0)
			return (enum agg_op)k;
	return AGG_COUNT;
}

static int agg_overflow(struct sopm_err *err, const json_t *field)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'items': the sum of '%s' is past the "
	                    "range of a double",
	                    json_string_value(field));
}

/* The ungrouped aggregate. */
static int agg_all(const json_t *items, const json_t *field, enum agg_op op,
                   struct fn_ctx *ctx, json_t **result, struct sopm_err *err)
{
	struct agg a;
	int overflow = 0;
	json_t *out;

	agg_init(&a);
	for (size_t i = 0; i < json_array_size(items); i++)
		agg_add(&a, member(items, i, field));
	out = agg_result(&a, op, ctx, &overflow);
	mpfr_clear(a.sum);
	if (overflow) {
		json_decref(out);
		return agg_overflow(err, field);
	}
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* Item indexes ordered by group (a counting sort): the items of group k
 * are order[start[k] .. start[k + 1]), in input order. */
static int by_group(const size_t *grp, size_t n, size_t ngroups, size_t **order,
                    size_t **start)
{
	size_t *fill;

	*order = calloc(n + 1, sizeof(**order));
	*start = calloc(ngroups + 2, sizeof(**start));
	fill = calloc(ngroups + 1, sizeof(*fill));
	if (*order == NULL || *start == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		(*start)[grp[i] + 1]++;
	for (size_t k = 0; k < ngroups; k++)
		(*start)[k + 1] += (*start)[k];
	for (size_t i = 0; i < n; i++)
		(*order)[(*start)[grp[i]] + fill[grp[i]]++] = i;
	free(fill);
	return 0;
}

fn_handler_t fn_aggregate;

int fn_aggregate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	const json_t *field = json_object_get(input, "field");
	const json_t *gfield = json_object_get(input, "group_by");
	enum agg_op op = agg_op_of(fn_arg_str(input, "op", "count"));
	size_t n = json_array_size(items);
	size_t *grp = NULL, *order = NULL, *start = NULL;
	json_t *keys = NULL, *out = NULL, *g;
	const char *key;
	size_t klen;
	struct agg a;
	int rc = -1, overflow = 0, failed = 0;

	if (gfield == NULL)
		return agg_all(items, field, op, ctx, result, err);
	grp = calloc(n + 1, sizeof(*grp));
	if (grp == NULL)
		return oom(err);
	if (group_items(items, gfield, "group_by", grp, &keys, err) != 0)
		goto done;
	out = json_object();
	if (out == NULL ||
	    by_group(grp, n, json_object_size(keys), &order, &start) != 0) {
		oom(err);
		goto done;
	}
	agg_init(&a);
	json_object_keylen_foreach(keys, key, klen, g)
	{
		size_t k = (size_t)json_integer_value(g);
		json_t *v;
		agg_reset(&a);
		for (size_t j = start[k]; j < start[k + 1]; j++)
			agg_add(&a, member(items, order[j], field));
		v = agg_result(&a, op, ctx, &overflow);
		if (overflow) {
			json_decref(v);
			failed = agg_overflow(err, field);
			break;
		}
		if (json_object_setn_new(out, key, klen, v) != 0) {
			failed = oom(err);
			break;
		}
	}
	mpfr_clear(a.sum);
	if (!failed) {
		*result = out;
		out = NULL;
		rc = 0;
	}
done:
	json_decref(out);
	json_decref(keys);
	free(grp);
	free(order);
	free(start);
	return rc;
}
