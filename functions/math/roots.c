/* roots.c - `polynomial_roots`, as numpy.roots finds them: the
 * eigenvalues of the companion matrix, by LAPACK's dgeev as
 * numpy.linalg.eigvals computes them (balanced, then Francis double-shift
 * QR), so the roots are numpy's own, up to the LAPACK build. */
#include "fn.h"
#include "fn_limits.h"
#include "fn_num.h"
#include "fn_result.h"

#include <math.h>
#include <stdlib.h>

/* LAPACK's dgeev (Fortran: column-major, every argument by address),
 * the routine numpy.linalg.eigvals calls: balance (dgebal), Hessenberg
 * form (dgehrd), then the shifted QR of dhseqr. jobvl = jobvr = 'N'. */
extern void dgeev_(const char *jobvl, const char *jobvr, const int *n,
                   double *a, const int *lda, double *wr, double *wi,
                   double *vl, const int *ldvl, double *vr, const int *ldvr,
                   double *work, const int *lwork, int *info);

/* a: n x n, column-major */
#define A(i, j) a[(size_t)(j) * (size_t)n + (size_t)(i)]

/* The eigenvalues of a (n x n, column-major, destroyed) into wr, wi, by
 * dgeev with the optimal workspace, as numpy does; 0, or -1 when the QR
 * algorithm failed to converge (info > 0) or memory ran out (-2). */
static int eigvals(double *a, int n, double *wr, double *wi)
{
	int lwork = -1, info = 0, one = 1;
	double query = 0.0, dummy = 0.0, *work;

	dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, &query,
	       &lwork, &info);
	if (info != 0)
		return -1;
	lwork = (int)query > 4 * n ? (int)query : 4 * n;
	work = malloc((size_t)lwork * sizeof(*work));
	if (work == NULL)
		return -2;
	dgeev_("N", "N", &n, a, &n, wr, wi, &dummy, &one, &dummy, &one, work,
	       &lwork, &info);
	free(work);
	return info == 0 ? 0 : -1;
}

struct root {
	double re, im;
};

/* The order key of a part: v on a grid of 1e-6, so that noise far below
 * the tolerance (0.0 against 2e-16) cannot swap two roots. */
static double grid(double v)
{
	return floor(v * 1e6 + 0.5);
}

static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

/* By real part, then imaginary part, on the grid; then exactly. */
static int root_cmp(const void *pa, const void *pb)
{
	const struct root *a = pa, *b = pb;
	int c = cmp_double(grid(a->re), grid(b->re));

	if (c == 0)
		c = cmp_double(grid(a->im), grid(b->im));
	if (c == 0)
		c = cmp_double(a->re, b->re);
	return c != 0 ? c : cmp_double(a->im, b->im);
}

static int bad(struct sopm_err *err, const char *why)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'coefficients' %s", why);
}

/* The roots of c[0..len) (highest degree first, c[0] != 0, the last
 * nonzero at index last) into r; -1 with err set. */
static int find_roots(const double *c, int last, int zeros, struct root *r,
                      struct sopm_err *err)
{
	int n = last; /* degree without the trailing zeros */
	double *a, *wr, *wi;
	int rc = 0;

	for (int i = 0; i < zeros; i++)
		r[n + i] = (struct root){0.0, 0.0};
	if (n == 0)
		return 0;
	a = calloc((size_t)n * (size_t)n, sizeof(*a));
	wr = calloc((size_t)n, sizeof(*wr));
	wi = calloc((size_t)n, sizeof(*wi));
	if (a == NULL || wr == NULL || wi == NULL) {
		rc = sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto out;
	}
	/* numpy.roots: A[0, :] = -p[1:] / p[0], ones below the diagonal */
	for (int j = 0; j < n; j++) {
		A(0, j) = -c[j + 1] / c[0];
		if (!isfinite(A(0, j))) {
			rc = bad(err, "gives a companion matrix that is not "
			              "finite");
			goto out;
		}
	}
	for (int i = 1; i < n; i++)
		A(i, i - 1) = 1.0;
	rc = eigvals(a, n, wr, wi);
	if (rc < 0) {
		rc = rc == -2
		         ? sopm_err_set(err, SOPM_E_INTERNAL, "out of memory")
		         : bad(err, "has roots that did not converge");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		r[i] = (struct root){wr[i], wi[i]};
		if (!isfinite(r[i].re) || !isfinite(r[i].im)) {
			rc = bad(err, "has roots that are not finite");
			goto out;
		}
	}
out:
	free(a);
	free(wr);
	free(wi);
	return rc;
}

fn_handler_t fn_polynomial_roots;

/* input borrowed; *result a NEW reference. */
int fn_polynomial_roots(const json_t *in, json_t **result, struct fn_ctx *ctx,
                        struct sopm_err *err)
{
	const json_t *jc = json_object_get(in, "coefficients");
	size_t len = json_array_size(jc), first = 0, last;
	double c[FN_LIMIT_POLYNOMIAL_ROOTS_COEFFICIENTS_MAX];
	struct root r[FN_LIMIT_POLYNOMIAL_ROOTS_DEGREE_MAX];
	json_t *out;

	for (size_t i = 0; i < len && i < sizeof(c) / sizeof(c[0]); i++) {
		struct fn_num v = fn_num_of_json(json_array_get(jc, i));
		c[i] = v.is_int ? (double)v.i : v.d;
	}
	while (first < len && c[first] == 0.0)
		first++;
	if (first == len)
		return bad(err, "must have a coefficient that is not zero");
	if (len - first - 1 > FN_LIMIT_POLYNOMIAL_ROOTS_DEGREE_MAX)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'coefficients' must give a degree of "
		    "at most %d (after leading zeros)",
		    FN_LIMIT_POLYNOMIAL_ROOTS_DEGREE_MAX);
	last = len - 1;
	while (c[last] == 0.0)
		last--;
	if (find_roots(c + first, (int)(last - first), (int)(len - 1 - last), r,
	               err) < 0)
		return -1;
	len -= first + 1; /* the number of roots */
	qsort(r, len, sizeof(r[0]), root_cmp);
	out = json_array();
	for (size_t i = 0; out != NULL && i < len; i++) {
		json_t *o = json_pack(
		    "{s:o,s:o}", "re",
		    fn_result_real(ctx, "coefficients", r[i].re), "im",
		    fn_result_real(ctx, "coefficients", r[i].im));
		if (json_array_append_new(out, o) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
