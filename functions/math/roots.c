/* roots.c - `polynomial_roots`, as numpy.roots finds them: the
 * eigenvalues of the companion matrix. The matrix is balanced, then the
 * real double-shift QR algorithm of Francis (EISPACK's hqr) runs on it
 * (it is upper Hessenberg already), as LAPACK's dgeev does in its own
 * order; the roots agree with numpy's to about the conditioning of the
 * polynomial times 2^-52. */
#include "fn.h"
#include "fn_limits.h"
#include "fn_num.h"
#include "fn_result.h"

#include <math.h>
#include <stdlib.h>

/* a: (n+1) x (n+1), 1-based as in the EISPACK original */
#define A(i, j) a[(size_t)(i) * (size_t)(n + 1) + (size_t)(j)]

/* Scales rows and columns by powers of 2 until their norms are close
 * (EISPACK balanc); bounded sweeps. */
static void balance(double *a, int n)
{
	const double radix = 2.0, sqrdx = radix * radix;
	int last = 0;

	for (int sweep = 0; !last && sweep < 1000; sweep++) {
		last = 1;
		for (int i = 1; i <= n; i++) {
			double r = 0.0, c = 0.0;
			for (int j = 1; j <= n; j++)
				if (j != i) {
					c += fabs(A(j, i));
					r += fabs(A(i, j));
				}
			if (c == 0.0 || r == 0.0)
				continue;
			double g = r / radix, f = 1.0, s = c + r;
			while (c < g) {
				f *= radix;
				c *= sqrdx;
			}
			g = r * radix;
			while (c > g) {
				f /= radix;
				c /= sqrdx;
			}
			if ((c + r) / f < 0.95 * s) {
				last = 0;
				g = 1.0 / f;
				for (int j = 1; j <= n; j++)
					A(i, j) *= g;
				for (int j = 1; j <= n; j++)
					A(j, i) *= f;
			}
		}
	}
}

static double sign_of(double a, double b)
{
	return b >= 0.0 ? fabs(a) : -fabs(a);
}

/* One double-shift QR sweep on rows/columns l..nn, from row m. */
static void qr_sweep(double *a, int n, int l, int m, int nn, double x, double y,
                     double z)
{
	double p = 0, q = 0, r = 0, s;

	for (int k = m; k <= nn - 1; k++) {
		if (k != m) {
			p = A(k, k - 1);
			q = A(k + 1, k - 1);
			r = 0.0;
			if (k != nn - 1)
				r = A(k + 2, k - 1);
			if ((x = fabs(p) + fabs(q) + fabs(r)) != 0.0) {
				p /= x;
				q /= x;
				r /= x;
			}
		} else {
			/* the first column of the shifted product, from the
			 * caller's p, q, r in x, y, z */
			p = x;
			q = y;
			r = z;
		}
		if ((s = sign_of(sqrt(p * p + q * q + r * r), p)) == 0.0)
			continue;
		if (k == m) {
			if (l != m)
				A(k, k - 1) = -A(k, k - 1);
		} else {
			A(k, k - 1) = -s * x;
		}
		p += s;
		x = p / s;
		y = q / s;
		z = r / s;
		q /= p;
		r /= p;
		for (int j = k; j <= nn; j++) {
			p = A(k, j) + q * A(k + 1, j);
			if (k != nn - 1) {
				p += r * A(k + 2, j);
				A(k + 2, j) -= p * z;
			}
			A(k + 1, j) -= p * y;
			A(k, j) -= p * x;
		}
		int mmin = nn < k + 3 ? nn : k + 3;
		for (int i = l; i <= mmin; i++) {
			p = x * A(i, k) + y * A(i, k + 1);
			if (k != nn - 1) {
				p += z * A(i, k + 2);
				A(i, k + 2) -= p * r;
			}
			A(i, k + 1) -= p * q;
			A(i, k) -= p;
		}
	}
}

/* The eigenvalues of the upper Hessenberg a (destroyed) into wr, wi
 * (1-based). Returns -1 when an eigenvalue needs more than 60 sweeps. */
static int hqr(double *a, int n, double *wr, double *wi)
{
	double anorm = 0.0, t = 0.0;
	int nn = n;

	for (int i = 1; i <= n; i++)
		for (int j = i > 1 ? i - 1 : 1; j <= n; j++)
			anorm += fabs(A(i, j));
	while (nn >= 1) {
		int its = 0, l;
		do {
			for (l = nn; l >= 2; l--) {
				double s =
				    fabs(A(l - 1, l - 1)) + fabs(A(l, l));
				if (s == 0.0)
					s = anorm;
				if (fabs(A(l, l - 1)) + s == s) {
					A(l, l - 1) = 0.0;
					break;
				}
			}
			double x = A(nn, nn);
			if (l == nn) {
				wr[nn] = x + t;
				wi[nn--] = 0.0;
				continue;
			}
			double y = A(nn - 1, nn - 1);
			double w = A(nn, nn - 1) * A(nn - 1, nn);
			if (l == nn - 1) {
				double p = 0.5 * (y - x), q = p * p + w;
				double z = sqrt(fabs(q));
				x += t;
				if (q >= 0.0) {
					z = p + sign_of(z, p);
					wr[nn - 1] = wr[nn] = x + z;
					if (z != 0.0)
						wr[nn] = x - w / z;
					wi[nn - 1] = wi[nn] = 0.0;
				} else {
					wr[nn - 1] = wr[nn] = x + p;
					wi[nn - 1] = -(wi[nn] = z);
				}
				nn -= 2;
				continue;
			}
			if (its == 60)
				return -1;
			if (its == 10 || its == 20 || its == 40) {
				/* exceptional shift */
				t += x;
				for (int i = 1; i <= nn; i++)
					A(i, i) -= x;
				double s = fabs(A(nn, nn - 1)) +
				           fabs(A(nn - 1, nn - 2));
				y = x = 0.75 * s;
				w = -0.4375 * s * s;
			}
			++its;
			int m;
			double p = 0, q = 0, r = 0;
			for (m = nn - 2; m >= l; m--) {
				double z = A(m, m);
				r = x - z;
				double s = y - z;
				p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
				q = A(m + 1, m + 1) - z - r - s;
				r = A(m + 2, m + 1);
				s = fabs(p) + fabs(q) + fabs(r);
				p /= s;
				q /= s;
				r /= s;
				if (m == l)
					break;
				double u =
				    fabs(A(m, m - 1)) * (fabs(q) + fabs(r));
				double v =
				    fabs(p) * (fabs(A(m - 1, m - 1)) + fabs(z) +
				               fabs(A(m + 1, m + 1)));
				if (u + v == v)
					break;
			}
			for (int i = m + 2; i <= nn; i++) {
				A(i, i - 2) = 0.0;
				if (i != m + 2)
					A(i, i - 3) = 0.0;
			}
			qr_sweep(a, n, l, m, nn, p, q, r);
		} while (nn >= 1 && l < nn - 1);
	}
	return 0;
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
	a = calloc((size_t)(n + 1) * (size_t)(n + 1), sizeof(*a));
	wr = calloc((size_t)n + 1, sizeof(*wr));
	wi = calloc((size_t)n + 1, sizeof(*wi));
	if (a == NULL || wr == NULL || wi == NULL) {
		rc = sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto out;
	}
	/* numpy.roots: A[0, :] = -p[1:] / p[0], ones below the diagonal */
	for (int j = 1; j <= n; j++) {
		A(1, j) = -c[j] / c[0];
		if (!isfinite(A(1, j))) {
			rc = bad(err, "gives a companion matrix that is not "
			              "finite");
			goto out;
		}
	}
	for (int i = 2; i <= n; i++)
		A(i, i - 1) = 1.0;
	balance(a, n);
	if (hqr(a, n, wr, wi) < 0) {
		rc = bad(err, "has roots that did not converge");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		r[i] = (struct root){wr[i + 1], wi[i + 1]};
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
