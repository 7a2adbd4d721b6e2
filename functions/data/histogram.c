/* histogram.c - `histogram`: numpy.histogram(values, bins) of numpy 1.24,
 * step for step in doubles, so that edges and counts are numpy's own:
 * the range is [min, max] (widened by 0.5 each way when they are equal,
 * [0, 1] for no values), the edges are np.linspace over it, and a value
 * goes to bin int((v - first) * (bins / (last - first))), corrected by one
 * against the edges; the last bin is closed. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* numpy's array of the values is int64 when every value is an integer:
 * then min and max stay integers, and last - first is taken exactly (in
 * uint64) before it becomes a double. */
struct range {
	double first, last; /* the outer edges as doubles */
	double denom;       /* last - first as numpy computes it */
};

static void hist_range(const json_t *values, struct range *r)
{
	size_t n = json_array_size(values);
	int all_int = 1;
	json_int_t imin = 0, imax = 0;
	double dmin = 0, dmax = 0;

	if (n == 0) {
		r->first = 0;
		r->last = 1;
		r->denom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!json_is_integer(json_array_get(values, i)))
			all_int = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(values, i);
		double d = json_number_value(v);
		if (all_int) {
			json_int_t x = json_integer_value(v);
			if (i == 0 || x < imin)
				imin = x;
			if (i == 0 || x > imax)
				imax = x;
		} else {
			/* np.min/np.max: the first of equal values (-0.0
			 * and 0.0) is what numpy's reduction keeps */
			if (i == 0 || d < dmin)
				dmin = d;
			if (i == 0 || d > dmax)
				dmax = d;
		}
	}
	if (all_int && imin != imax) {
		r->first = (double)imin;
		r->last = (double)imax;
		r->denom = (double)((uint64_t)imax - (uint64_t)imin);
		return;
	}
	if (all_int) {
		dmin = (double)imin;
		dmax = (double)imax;
	}
	if (dmin == dmax) {
		dmin = dmin - 0.5;
		dmax = dmax + 0.5;
	}
	r->first = dmin;
	r->last = dmax;
	r->denom = dmax - dmin;
}

/* np.linspace(first, last, bins + 1) into e[0..bins]. */
static void linspace(double first, double last, size_t bins, double *e)
{
	double delta = last - first;
	double step = delta / (double)bins;

	for (size_t i = 0; i < bins; i++) {
		volatile double y = (double)i;
		if (step == 0) {
			y = y / (double)bins;
			y = y * delta;
		} else {
			y = y * step;
		}
		e[i] = y + first;
	}
	e[bins] = last;
}

fn_handler_t fn_histogram;

int fn_histogram(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *values = json_object_get(input, "values");
	size_t n = json_array_size(values);
	/* 1 <= bins <= FN_LIMIT_HISTOGRAM_BINS_MAX (schema) */
	size_t bins = (size_t)fn_arg_int(input, "bins", 10);
	struct range r;
	double *e = calloc(bins + 1, sizeof(*e)), norm;
	json_int_t *count = calloc(bins, sizeof(*count));
	json_t *edges = NULL, *counts = NULL, *out = NULL;
	int rc = -1;

	if (e == NULL || count == NULL) {
		oom(err);
		goto done;
	}
	hist_range(values, &r);
	linspace(r.first, r.last, bins, e);
	norm = (double)bins / r.denom;
	for (size_t i = 0; i < n; i++) {
		double v = json_number_value(json_array_get(values, i));
		volatile double f = (v - r.first) * norm;
		long long k;
		/* numpy's index is int(f), one less at bins; NaN, inf and an
		 * index past the edges (integers that doubles round apart)
		 * make it raise IndexError */
		if (!isfinite(f) || f < 0 || f >= (double)bins + 1)
			goto bad;
		k = (long long)f;
		if (k == (long long)bins)
			k--;
		if (v < e[k])
			k--;
		if (k != (long long)bins - 1 && v >= e[k + 1])
			k++;
		if (k < 0) /* np.bincount refuses it */
			goto bad;
		count[k]++;
	}
	edges = json_array();
	counts = json_array();
	for (size_t i = 0; edges != NULL && i <= bins; i++)
		if (json_array_append_new(
		        edges, fn_result_real(ctx, "edges", e[i])) != 0) {
			json_decref(edges);
			edges = NULL;
		}
	for (size_t i = 0; counts != NULL && i < bins; i++)
		if (json_array_append_new(counts, json_integer(count[i])) !=
		    0) {
			json_decref(counts);
			counts = NULL;
		}
	if (edges == NULL || counts == NULL) {
		oom(err);
		goto done;
	}
	out = json_pack("{s:O, s:O}", "edges", edges, "counts", counts);
	if (out == NULL) {
		oom(err);
		goto done;
	}
	*result = out;
	rc = 0;
	goto done;
bad:
	sopm_err_set(err, SOPM_E_INVALID_INPUT,
	             "field 'values' spans a range that doubles cannot split "
	             "into %zu bins as numpy does",
	             bins);
done:
	json_decref(edges);
	json_decref(counts);
	free(e);
	free(count);
	return rc;
}
