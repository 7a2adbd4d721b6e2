/* linalg.c - `matrix_multiply`, `matrix_inverse` and `solve_linear`.
 *
 * matrix_multiply is Python's sum(a[i][k] * b[k][j] for k in ...) cell by
 * cell: exact integers while every term is an int, then float arithmetic
 * from the first float term on, as CPython's sum() does.
 *
 * matrix_inverse and solve_linear factor the matrix once (Gaussian
 * elimination with partial pivoting, LU) and call it singular when a pivot
 * is not above n * DBL_EPSILON * max|a_ij|. tests/refs/mathb.py repeats the
 * same elimination in Python to decide singularity, and takes the values
 * from numpy.linalg (inv, det, solve), which agree to 1e-9 relative. */
#include "fn.h"
#include "fn_num.h"
#include "fn_result.h"

#include <float.h>
#include <gmp.h>
#include <math.h>
#include <stdlib.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* Checks that m (borrowed; the schema makes it a non-empty array of
 * non-empty arrays of numbers) is rectangular; its shape in *rows, *cols. */
static int shape(const json_t *m, const char *field, size_t *rows, size_t *cols,
                 struct sopm_err *err)
{
	*rows = json_array_size(m);
	*cols = json_array_size(json_array_get(m, 0));
	for (size_t i = 1; i < *rows; i++)
		if (json_array_size(json_array_get(m, i)) != *cols)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must be rectangular: row %zu has %zu "
			    "elements, row 0 has %zu",
			    field, i, json_array_size(json_array_get(m, i)),
			    *cols);
	return 0;
}

static struct fn_num cell(const json_t *m, size_t i, size_t j)
{
	return fn_num_of_json(json_array_get(json_array_get(m, i), j));
}

/* ---- matrix_multiply ---- */

/* An exact integer sum of at most 200 products of two int64: hi * 2^128 +
 * lo, a 192-bit two's complement number. */
struct exact_sum {
	unsigned __int128 lo;
	int64_t hi;
};

static void exact_add(struct exact_sum *s, __int128 p)
{
	unsigned __int128 old = s->lo;

	s->lo += (unsigned __int128)p;
	s->hi += (s->lo < old) + (p < 0 ? -1 : 0);
}

/* 1 and the value in *v when the sum fits an __int128. */
static int exact_small(const struct exact_sum *s, __int128 *v)
{
	const unsigned __int128 top = (unsigned __int128)1 << 127;

	*v = (__int128)s->lo;
	return (s->hi == 0 && s->lo < top) || (s->hi == -1 && s->lo >= top);
}

static void mpz_set_u128(mpz_t z, unsigned __int128 u)
{
	mpz_set_ui(z, (unsigned long)(uint64_t)(u >> 64));
	mpz_mul_2exp(z, z, 64);
	mpz_add_ui(z, z, (unsigned long)(uint64_t)u);
}

static void mpz_set_i128(mpz_t z, __int128 v)
{
	mpz_set_u128(z, v < 0 ? -(unsigned __int128)v : (unsigned __int128)v);
	if (v < 0)
		mpz_neg(z, z);
}

/* The double nearest to an exact integer (Python's float(int)). */
static double z_to_double(const mpz_t z)
{
	mpq_t q;
	double d;

	mpq_init(q);
	mpq_set_z(q, z);
	d = fn_q_to_double(q);
	mpq_clear(q);
	return d;
}

static double i128_to_double(__int128 v)
{
	mpz_t z;
	double d;

	if (v >= INT64_MIN && v <= INT64_MAX)
		return (double)(int64_t)v; /* rounds to nearest, as Python */
	mpz_init(z);
	mpz_set_i128(z, v);
	d = z_to_double(z);
	mpz_clear(z);
	return d;
}

static double exact_to_double(const struct exact_sum *s)
{
	__int128 v;
	mpz_t z, t;
	double d;

	if (exact_small(s, &v))
		return i128_to_double(v);
	mpz_inits(z, t, NULL);
	mpz_set_si(z, s->hi);
	mpz_mul_2exp(z, z, 128);
	mpz_set_u128(t, s->lo);
	mpz_add(z, z, t);
	d = z_to_double(z);
	mpz_clears(z, t, NULL);
	return d;
}

/* One cell of a @ b as Python's sum() gives it; a NEW reference or NULL. */
static json_t *product_cell(struct fn_ctx *ctx, const json_t *a,
                            const json_t *b, size_t i, size_t j, size_t inner)
{
	struct exact_sum s = {0, 0};
	__int128 v;
	int is_float = 0;
	double f = 0.0;
	json_t *out;

	for (size_t k = 0; k < inner; k++) {
		struct fn_num x = cell(a, i, k), y = cell(b, k, j);
		if (x.is_int && y.is_int) {
			__int128 p = (__int128)x.i * y.i;
			if (is_float)
				f += i128_to_double(p);
			else
				exact_add(&s, p);
			continue;
		}
		double t = (x.is_int ? (double)x.i : x.d) *
		           (y.is_int ? (double)y.i : y.d);
		if (!is_float) {
			f = exact_to_double(&s);
			is_float = 1;
		}
		f += t;
	}
	if (is_float)
		out = fn_result_real(ctx, "a", f);
	else if (exact_small(&s, &v) && v >= INT64_MIN && v <= INT64_MAX)
		out = json_integer((json_int_t)v);
	else /* an exact int past int64: the nearest double (fn_num.h) */
		out = fn_result_real(ctx, "a", exact_to_double(&s));
	return out;
}

fn_handler_t fn_matrix_multiply;

/* input borrowed; *result a NEW reference. */
int fn_matrix_multiply(const json_t *in, json_t **result, struct fn_ctx *ctx,
                       struct sopm_err *err)
{
	const json_t *a = json_object_get(in, "a"),
	             *b = json_object_get(in, "b");
	size_t ar, ac, br, bc;
	json_t *out;

	if (shape(a, "a", &ar, &ac, err) < 0 ||
	    shape(b, "b", &br, &bc, err) < 0)
		return -1;
	if (ac != br)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'b' must have as many rows (%zu) as "
		                    "'a' has columns (%zu)",
		                    br, ac);
	out = json_array();
	for (size_t i = 0; out != NULL && i < ar; i++) {
		json_t *row = json_array();
		for (size_t j = 0; row != NULL && j < bc; j++)
			if (json_array_append_new(
			        row, product_cell(ctx, a, b, i, j, ac)) != 0) {
				json_decref(row);
				row = NULL;
			}
		if (json_array_append_new(out, row) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- LU with partial pivoting ---- */

struct lu {
	size_t n;
	double *a;    /* n*n, row-major: L below the diagonal, U on and above */
	size_t *perm; /* row i of PA is row perm[i] of A */
	int sign;     /* of the permutation */
};

static void lu_free(struct lu *f)
{
	free(f->a);
	free(f->perm);
}

/* Reads the square matrix m (borrowed) named field into f; -1 with err on
 * a matrix that is not square, or out of memory. */
static int lu_read(const json_t *m, const char *field, struct lu *f,
                   struct sopm_err *err)
{
	size_t rows, cols;

	f->a = NULL;
	f->perm = NULL;
	if (shape(m, field, &rows, &cols, err) < 0)
		return -1;
	if (rows != cols)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' must be square, not %zu x %zu",
		                    field, rows, cols);
	f->n = rows;
	f->a = malloc(rows * rows * sizeof(*f->a));
	f->perm = malloc(rows * sizeof(*f->perm));
	if (f->a == NULL || f->perm == NULL) {
		lu_free(f);
		return oom(err);
	}
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < rows; j++) {
			struct fn_num v = cell(m, i, j);
			f->a[i * rows + j] = v.is_int ? (double)v.i : v.d;
		}
	return 0;
}

/* Factors f->a in place: PA = LU. The pivot of column k is the first row
 * i >= k with the largest |a_ik|. Returns -1 with err naming field when a
 * pivot is not above n * DBL_EPSILON * max|a_ij| (singular). */
static int lu_factor(struct lu *f, const char *field, struct sopm_err *err)
{
	const size_t n = f->n;
	double *a = f->a, amax = 0.0, tol;

	for (size_t i = 0; i < n * n; i++)
		if (fabs(a[i]) > amax)
			amax = fabs(a[i]);
	tol = (double)n * DBL_EPSILON * amax;
	f->sign = 1;
	for (size_t i = 0; i < n; i++)
		f->perm[i] = i;
	for (size_t k = 0; k < n; k++) {
		size_t p = k;
		for (size_t i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > fabs(a[p * n + k]))
				p = i;
		if (!(fabs(a[p * n + k]) > tol))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' is singular (pivot %zu "
			                    "is %g)",
			                    field, k, a[p * n + k]);
		if (p != k) {
			for (size_t j = 0; j < n; j++) {
				double t = a[k * n + j];
				a[k * n + j] = a[p * n + j];
				a[p * n + j] = t;
			}
			size_t t = f->perm[k];
			f->perm[k] = f->perm[p];
			f->perm[p] = t;
			f->sign = -f->sign;
		}
		for (size_t i = k + 1; i < n; i++) {
			double l = a[i * n + k] / a[k * n + k];
			a[i * n + k] = l;
			for (size_t j = k + 1; j < n; j++)
				a[i * n + j] -= l * a[k * n + j];
		}
	}
	return 0;
}

/* Solves LUx = Pb in place: x holds b on entry (length n), tmp n doubles. */
static void lu_solve(const struct lu *f, double *x, double *tmp)
{
	const size_t n = f->n;
	const double *a = f->a;

	for (size_t i = 0; i < n; i++) {
		double s = x[f->perm[i]];
		for (size_t j = 0; j < i; j++)
			s -= a[i * n + j] * tmp[j];
		tmp[i] = s;
	}
	for (size_t i = n; i-- > 0;) {
		double s = tmp[i];
		for (size_t j = i + 1; j < n; j++)
			s -= a[i * n + j] * x[j];
		x[i] = s / a[i * n + i];
	}
}

/* A NEW array of v[0..n) as reals named name, or NULL. */
static json_t *real_array(struct fn_ctx *ctx, const char *name, const double *v,
                          size_t n)
{
	json_t *out = json_array();

	for (size_t i = 0; out != NULL && i < n; i++)
		if (json_array_append_new(
		        out, fn_result_real(ctx, name, v[i])) != 0) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

fn_handler_t fn_matrix_inverse;

/* input borrowed; *result a NEW reference. */
int fn_matrix_inverse(const json_t *in, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	struct lu f;
	double *col = NULL, *tmp = NULL, logdet = 0.0;
	json_t *out = NULL, *inv = NULL, **rows = NULL;
	size_t n;
	int sign;

	if (lu_read(json_object_get(in, "matrix"), "matrix", &f, err) < 0)
		return -1;
	if (lu_factor(&f, "matrix", err) < 0) {
		lu_free(&f);
		return -1;
	}
	n = f.n;
	col = malloc(n * sizeof(*col));
	tmp = malloc(n * sizeof(*tmp));
	rows = calloc(n, sizeof(*rows));
	inv = json_array();
	out = json_object();
	if (col == NULL || tmp == NULL || rows == NULL || inv == NULL ||
	    out == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if ((rows[i] = json_array()) == NULL ||
		    json_array_append(inv, rows[i]) != 0)
			goto fail;
	for (size_t j = 0; j < n; j++) {
		for (size_t i = 0; i < n; i++)
			col[i] = i == j;
		lu_solve(&f, col, tmp);
		for (size_t i = 0; i < n; i++)
			if (json_array_append_new(
			        rows[i],
			        fn_result_real(ctx, "inverse", col[i])) != 0)
				goto fail;
	}
	/* numpy.linalg.det: sign * exp(sum of log|u_ii|) */
	sign = f.sign;
	for (size_t i = 0; i < n; i++) {
		double u = f.a[i * n + i];
		if (u < 0) {
			sign = -sign;
			u = -u;
		}
		logdet += log(u);
	}
	if (json_object_set(out, "inverse", inv) != 0 ||
	    json_object_set_new(
	        out, "determinant",
	        fn_result_real(ctx, "determinant", sign * exp(logdet))) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		json_decref(rows[i]);
	free(rows);
	json_decref(inv);
	free(col);
	free(tmp);
	lu_free(&f);
	*result = out;
	return 0;
fail:
	for (size_t i = 0; rows != NULL && i < n; i++)
		json_decref(rows[i]);
	free(rows);
	json_decref(inv);
	json_decref(out);
	free(col);
	free(tmp);
	lu_free(&f);
	return oom(err);
}

fn_handler_t fn_solve_linear;

/* input borrowed; *result a NEW reference. */
int fn_solve_linear(const json_t *in, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	const json_t *b = json_object_get(in, "b");
	struct lu f;
	double *x, *tmp;
	json_t *out = NULL;

	if (lu_read(json_object_get(in, "a"), "a", &f, err) < 0)
		return -1;
	if (json_array_size(b) != f.n) {
		lu_free(&f);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'b' must have %zu elements, as 'a' "
		                    "has rows",
		                    f.n);
	}
	if (lu_factor(&f, "a", err) < 0) {
		lu_free(&f);
		return -1;
	}
	x = malloc(f.n * sizeof(*x));
	tmp = malloc(f.n * sizeof(*tmp));
	if (x != NULL && tmp != NULL) {
		for (size_t i = 0; i < f.n; i++) {
			struct fn_num v = fn_num_of_json(json_array_get(b, i));
			x[i] = v.is_int ? (double)v.i : v.d;
		}
		lu_solve(&f, x, tmp);
		out = json_object();
		if (out != NULL &&
		    json_object_set_new(out, "x",
		                        real_array(ctx, "x", x, f.n)) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	free(x);
	free(tmp);
	lu_free(&f);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
