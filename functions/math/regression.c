/* regression.c - `linear_regression` and `correlation`, as Python 3.11's
 * statistics.linear_regression and statistics.correlation compute them:
 * float arithmetic over math.fsum sums, which are ported here from
 * CPython's mathmodule.c (Shewchuk's exact partials, with its errors), so
 * that the results agree bit for bit. */
#include "fn.h"
#include "fn_num.h"
#include "fn_result.h"

#include <math.h>
#include <stdlib.h>

/* Nonoverlapping partials of doubles: at most one per bit of the exponent
 * range, so this many always suffice. */
#define FSUM_PARTIALS 2200

/* CPython's math.fsum, one term at a time. */
struct fsum {
	double *p;
	size_t n;
	double special, inf;
	int overflow; /* "intermediate overflow in fsum" */
};

static void fsum_add(struct fsum *s, double x)
{
	double xsave = x, y, t, hi, yr, lo;
	size_t i = 0;

	for (size_t j = 0; j < s->n; j++) {
		y = s->p[j];
		if (fabs(x) < fabs(y)) {
			t = x;
			x = y;
			y = t;
		}
		hi = x + y;
		yr = hi - x;
		lo = y - yr;
		if (lo != 0.0)
			s->p[i++] = lo;
		x = hi;
	}
	s->n = i;
	if (x == 0.0)
		return;
	if (!isfinite(x)) {
		if (isfinite(xsave))
			s->overflow = 1;
		if (isinf(xsave))
			s->inf += xsave;
		s->special += xsave;
		s->n = 0;
	} else if (s->n < FSUM_PARTIALS) {
		s->p[s->n++] = x;
	}
}

/* The correctly rounded sum; -1 where Python raises (OverflowError, or
 * ValueError for -inf + inf). */
static int fsum_result(const struct fsum *s, double *out)
{
	double hi = 0.0, x, y, yr, lo = 0.0;
	size_t n = s->n;

	if (s->overflow)
		return -1;
	if (s->special != 0.0 || isnan(s->special)) {
		if (isnan(s->inf))
			return -1;
		*out = s->special;
		return 0;
	}
	if (n > 0) {
		hi = s->p[--n];
		while (n > 0) {
			x = hi;
			y = s->p[--n];
			hi = x + y;
			yr = hi - x;
			lo = y - yr;
			if (lo != 0.0)
				break;
		}
		/* half-even rounding across partials, as CPython */
		if (n > 0 && ((lo < 0.0 && s->p[n - 1] < 0.0) ||
		              (lo > 0.0 && s->p[n - 1] > 0.0))) {
			y = lo * 2.0;
			x = hi + y;
			yr = x - hi;
			if (y == yr)
				hi = x;
		}
	}
	*out = hi;
	return 0;
}

/* The sums of statistics.correlation and linear_regression. */
struct moments {
	double xbar, ybar, sxy, sxx, syy;
	int failed; /* an fsum raised */
	int failed_syy;
};

static double num_at(const json_t *a, size_t i)
{
	struct fn_num v = fn_num_of_json(json_array_get(a, i));
	return v.is_int ? (double)v.i : v.d; /* float(int): nearest */
}

/* x and y borrowed, n elements each; buf FSUM_PARTIALS doubles. */
static void moments(const json_t *x, const json_t *y, size_t n, double *buf,
                    struct moments *m)
{
	struct fsum s = {buf, 0, 0.0, 0.0, 0};
	int bad = 0;

	for (size_t i = 0; i < n; i++)
		fsum_add(&s, num_at(x, i));
	bad |= fsum_result(&s, &m->xbar);
	m->xbar /= (double)n;
	s = (struct fsum){buf, 0, 0.0, 0.0, 0};
	for (size_t i = 0; i < n; i++)
		fsum_add(&s, num_at(y, i));
	bad |= fsum_result(&s, &m->ybar);
	m->ybar /= (double)n;
	s = (struct fsum){buf, 0, 0.0, 0.0, 0};
	for (size_t i = 0; i < n; i++)
		fsum_add(&s,
		         (num_at(x, i) - m->xbar) * (num_at(y, i) - m->ybar));
	bad |= fsum_result(&s, &m->sxy);
	s = (struct fsum){buf, 0, 0.0, 0.0, 0};
	for (size_t i = 0; i < n; i++) {
		double d = num_at(x, i) - m->xbar;
		fsum_add(&s, d * d);
	}
	bad |= fsum_result(&s, &m->sxx);
	m->failed = bad != 0;
	s = (struct fsum){buf, 0, 0.0, 0.0, 0};
	for (size_t i = 0; i < n; i++) {
		double d = num_at(y, i) - m->ybar;
		fsum_add(&s, d * d);
	}
	m->failed_syy = fsum_result(&s, &m->syy) != 0;
}

/* Reads x and y (borrowed) and their sums into *m; -1 with err set. */
static int read_xy(const json_t *in, struct moments *m, struct sopm_err *err)
{
	const json_t *x = json_object_get(in, "x"),
	             *y = json_object_get(in, "y");
	size_t n = json_array_size(x);
	double *buf;

	if (json_array_size(y) != n)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'y' must have as many elements (%zu) "
		    "as 'x' (%zu)",
		    json_array_size(y), n);
	if (n < 2) /* the schema says minItems 2 */
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'x' needs at least two data points");
	buf = malloc(FSUM_PARTIALS * sizeof(*buf));
	if (buf == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	moments(x, y, n, buf, m);
	free(buf);
	return 0;
}

/* sxy / sqrt(sxx * syy); 1 where Python raises StatisticsError (the
 * square root is zero), -1 where an fsum raised. */
static int pearson(const struct moments *m, double *r)
{
	double s;

	if (m->failed || m->failed_syy)
		return -1;
	s = sqrt(m->sxx * m->syy);
	if (s == 0.0)
		return 1;
	*r = m->sxy / s;
	return 0;
}

fn_handler_t fn_correlation;

/* input borrowed; *result a NEW reference. */
int fn_correlation(const json_t *in, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	struct moments m;
	double r = 0.0;
	int rc;

	if (read_xy(in, &m, err) < 0)
		return -1;
	rc = pearson(&m, &r);
	if (rc == 1)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field '%s' is constant: the correlation is "
		    "undefined",
		    m.sxx == 0.0 ? "x" : "y");
	if (rc < 0 || !isfinite(r))
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "fields 'x' and 'y' give a correlation that "
		    "is not a finite number (overflow)");
	*result = fn_result_real(ctx, NULL, r); /* finite */
	return *result ? 0
	               : sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

fn_handler_t fn_linear_regression;

/* input borrowed; *result a NEW reference. */
int fn_linear_regression(const json_t *in, json_t **result, struct fn_ctx *ctx,
                         struct sopm_err *err)
{
	struct moments m;
	double slope, intercept, r = 0.0;
	json_t *out, *js, *ji, *r2;
	volatile double two = 2.0;
	int rc;

	if (read_xy(in, &m, err) < 0)
		return -1;
	if (m.failed)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "result 'slope' is not a finite number "
		                    "(overflow)");
	if (m.sxx == 0.0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'x' is constant: the slope is "
		                    "undefined");
	slope = m.sxy / m.sxx;
	intercept = m.ybar - slope * m.xbar;
	rc = pearson(&m, &r);
	if (rc < 0)
		r = HUGE_VAL; /* Python raises OverflowError: a 400 */
	/* in the result's order: the first that is not finite is named */
	js = fn_result_real(ctx, "slope", slope);
	ji = fn_result_real(ctx, "intercept", intercept);
	/* r ** 2 as Python computes it: libm pow, not r * r (they differ
	 * by an ulp, e.g. x = [-3, -5, -3, 5], y = [-1, 3, -5, 3]); the
	 * exponent is volatile, else the compiler makes pow(r, 2) r * r */
	r2 = rc == 1 ? json_null() : fn_result_real(ctx, "r2", pow(r, two));
	out = json_object();
	if (out == NULL) {
		json_decref(js);
		json_decref(ji);
		json_decref(r2);
	}
	if (out == NULL || json_object_set_new(out, "slope", js) != 0 ||
	    json_object_set_new(out, "intercept", ji) != 0 ||
	    json_object_set_new(out, "r2", r2) != 0) {
		json_decref(out);
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	}
	*result = out;
	return 0;
}
