/* statistics.c - `statistics`, as Python 3.11's statistics module, which
 * works on exact fractions: sums here are exact GMP integers scaled by a
 * common power of two, and each result is rounded once (fn_q_to_double),
 * so mean([0.1, 0.2, 0.3]) is 0.2 as in Python. A result that Python cannot
 * give as a finite float (OverflowError, or an inf from float arithmetic)
 * is recorded by fn_result_real, and the call answers 400. */
#include "fn.h"
#include "fn_num.h"
#include "fn_result.h"

#include <gmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct stat_item {
	struct fn_num v;
	size_t idx; /* position in the input, for a stable sort */
};

static int stat_item_cmp(const void *pa, const void *pb)
{
	const struct stat_item *a = pa, *b = pb;
	int c = fn_num_cmp(&a->v, &b->v); /* inputs are finite: never 2 */

	if (c != 0)
		return c;
	return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

/* Exact sums of x and x*x over the data, as integers scaled by 2^emin and
 * 2^(2*emin): every double is m*2^e with an integer m. */
struct stat_sums {
	mpz_t sx, sxx;
	long emin;
	int all_int; /* Python's T is int (else float) */
};

static void split_double(const struct fn_num *v, int64_t *m, long *e)
{
	int ex;
	double f;

	if (v->is_int) {
		*m = v->i;
		*e = 0;
		return;
	}
	if (v->d == 0.0) {
		*m = 0;
		*e = 0;
		return;
	}
	f = frexp(v->d, &ex);
	*m = (int64_t)ldexp(f, 53);
	*e = (long)ex - 53;
}

static void stat_sums(const struct stat_item *it, size_t n, struct stat_sums *s)
{
	mpz_t t;
	int64_t m;
	long e;

	s->emin = 0;
	s->all_int = 1;
	for (size_t i = 0; i < n; i++) {
		split_double(&it[i].v, &m, &e);
		if (m != 0 && e < s->emin)
			s->emin = e;
		s->all_int &= it[i].v.is_int;
	}
	mpz_init(t);
	mpz_inits(s->sx, s->sxx, NULL);
	for (size_t i = 0; i < n; i++) {
		split_double(&it[i].v, &m, &e);
		if (m == 0)
			continue;
		mpz_set_si(t, m);
		mpz_mul_2exp(t, t, (mp_bitcnt_t)(e - s->emin));
		mpz_add(s->sx, s->sx, t);
		mpz_set_si(t, m);
		mpz_mul(t, t, t);
		mpz_mul_2exp(t, t, (mp_bitcnt_t)(2 * (e - s->emin)));
		mpz_add(s->sxx, s->sxx, t);
	}
	mpz_clear(t);
}

/* q * 2^k for a signed k. */
static void q_scale2(mpq_t q, long k)
{
	if (k >= 0)
		mpq_mul_2exp(q, q, (mp_bitcnt_t)k);
	else
		mpq_div_2exp(q, q, (mp_bitcnt_t)-k);
}

/* statistics._convert(q, T) as JSON: an int when T is int and q is whole
 * (the nearest double past int64), else the nearest float; past the float
 * range, where Python raises OverflowError, ctx records it (fn_result.h).
 * Returns a NEW reference or NULL (OOM). */
static json_t *q_to_json(struct fn_ctx *ctx, const char *name, const mpq_t q,
                         int as_int)
{
	if (as_int && mpz_cmp_ui(mpq_denref(q), 1) == 0 &&
	    mpz_fits_slong_p(mpq_numref(q)))
		return json_integer(mpz_get_si(mpq_numref(q)));
	return fn_result_real(ctx, name, fn_q_to_double(q));
}

static long floor_div2(long x)
{
	return x >= 0 ? x / 2 : -((-x + 1) / 2);
}

/* statistics._float_sqrt_of_frac: sqrt(n/m) correctly rounded, through an
 * integer square root rounded to odd. */
static double sqrt_of_frac(const mpz_t n, const mpz_t m)
{
	mpz_t a, num, den, c;
	mpq_t q;
	double d;
	long bl, k;

	if (mpz_sgn(n) == 0)
		return 0.0;
	bl = (long)mpz_sizeinbase(n, 2) - (long)mpz_sizeinbase(m, 2);
	k = floor_div2(bl - 109);
	mpz_inits(a, num, den, c, NULL);
	mpq_init(q);
	/* n' = n, m' = m << 2k when k >= 0; else n' = n << -2k, m' = m. */
	mpz_set(num, n);
	mpz_set(den, m);
	if (k >= 0)
		mpz_mul_2exp(den, m, (mp_bitcnt_t)(2 * k));
	else
		mpz_mul_2exp(num, n, (mp_bitcnt_t)(-2 * k));
	/* rto(n', m') = isqrt(n' // m') | (a*a*m' != n') */
	mpz_fdiv_q(a, num, den);
	mpz_sqrt(a, a);
	mpz_mul(c, a, a);
	mpz_mul(c, c, den);
	if (mpz_cmp(c, num) != 0)
		mpz_setbit(a, 0);
	mpq_set_z(q, a);
	/* times 2^k */
	if (k >= 0)
		mpq_mul_2exp(q, q, (mp_bitcnt_t)k);
	else
		mpq_div_2exp(q, q, (mp_bitcnt_t)-k);
	d = fn_q_to_double(q);
	mpq_clear(q);
	mpz_clears(a, num, den, c, NULL);
	return d;
}

/* quantiles(method="exclusive", n=4)[i-1] over sorted data, with Python's
 * mix of exact int and float arithmetic in
 * (data[j-1] * (n-delta) + data[j] * delta) / n. */
static json_t *quartile(struct fn_ctx *ctx, const char *name,
                        const struct stat_item *s, size_t ld, int i)
{
	const long n = 4;
	long m = (long)ld + 1;
	long j = i * m / n;
	const char *why;

	j = j < 1 ? 1 : (j > (long)ld - 1 ? (long)ld - 1 : j);
	long delta = i * m - j * n;
	const struct fn_num *a = &s[j - 1].v, *b = &s[j].v;
	if (a->is_int && b->is_int) {
		/* int / int: a float even when exact; rounded once */
		__int128 t =
		    (__int128)a->i * (n - delta) + (__int128)b->i * delta;
		return fn_result_real(ctx, name, (double)t / (double)n);
	}
	struct fn_num w1 = {1, n - delta, 0}, w2 = {1, delta, 0},
	              nn = {1, n, 0};
	struct fn_num t1, t2, sum, r;
	/* float arithmetic: an overflow gives inf, as in Python */
	if (fn_num_binop('*', a, &w1, &t1, &why) < 0 ||
	    fn_num_binop('*', b, &w2, &t2, &why) < 0 ||
	    fn_num_binop('+', &t1, &t2, &sum, &why) < 0 ||
	    fn_num_binop('/', &sum, &nn, &r, &why) < 0)
		return fn_result_real(ctx, name, HUGE_VAL);
	return fn_result_num(ctx, name, &r);
}

/* median: the middle item itself, or (lo + hi) / 2 with Python types. */
static json_t *median(struct fn_ctx *ctx, const struct stat_item *s, size_t n)
{
	struct fn_num sum, r, two = {1, 2, 0};
	const char *why;

	if (n % 2 == 1)
		return fn_result_num(ctx, "median", &s[n / 2].v);
	if (s[n / 2 - 1].v.is_int && s[n / 2].v.is_int) {
		__int128 t = (__int128)s[n / 2 - 1].v.i + s[n / 2].v.i;
		/* int / int is correctly rounded; halving is exact */
		return fn_result_real(ctx, "median", (double)t / 2.0);
	}
	/* float arithmetic: (1e308 + 1e308) / 2 is inf, as in Python */
	if (fn_num_binop('+', &s[n / 2 - 1].v, &s[n / 2].v, &sum, &why) < 0 ||
	    fn_num_binop('/', &sum, &two, &r, &why) < 0)
		return fn_result_real(ctx, "median", HUGE_VAL);
	return fn_result_num(ctx, "median", &r);
}

/* statistics.mode: the first-seen value among the most common, where
 * equal numbers (1 and 1.0) count together. s is sorted stably. */
static const struct fn_num *mode(const struct stat_item *s, size_t n)
{
	size_t best_count = 0, best_first = 0;
	const struct fn_num *best = NULL;

	for (size_t i = 0; i < n;) {
		size_t j = i, first = s[i].idx; /* stable: the run's first */
		while (j < n && fn_num_cmp(&s[j].v, &s[i].v) == 0)
			j++;
		if (j - i > best_count ||
		    (j - i == best_count && first < best_first)) {
			best_count = j - i;
			best_first = first;
			best = &s[i].v;
		}
		i = j;
	}
	return best;
}

/* builtin min/max over the input order: the first extreme item. */
static const struct fn_num *extreme(const struct stat_item *it, size_t n,
                                    int want)
{
	const struct fn_num *best = &it[0].v;

	for (size_t i = 1; i < n; i++)
		if (fn_num_cmp(&it[i].v, best) == want)
			best = &it[i].v;
	return best;
}

static int stat_set(json_t *o, const char *key, json_t *v, int *ok)
{
	if (v == NULL || json_object_set_new(o, key, v) < 0)
		*ok = 0;
	return 0;
}

/* Fills o from the items (input order) and a sorted copy, in the order of
 * the result's members, so that the first one that is not finite is the
 * one the 400 names. */
static int stat_fill(struct fn_ctx *ctx, json_t *o, const struct stat_item *it,
                     const struct stat_item *s, size_t n)
{
	struct stat_sums sm;
	mpq_t sum, q;
	int ok = 1, T = 0;
	const char *why;
	struct fn_num range;

	stat_sums(it, n, &sm);
	T = sm.all_int;
	mpq_inits(sum, q, NULL);
	mpq_set_z(sum, sm.sx);
	q_scale2(sum, sm.emin);

	stat_set(o, "count", json_integer((json_int_t)n), &ok);
	stat_set(o, "sum", q_to_json(ctx, "sum", sum, T), &ok);
	mpq_set(q, sum);
	mpz_mul_ui(mpq_denref(q), mpq_denref(q), n);
	mpq_canonicalize(q);
	stat_set(o, "mean", q_to_json(ctx, "mean", q, T), &ok);
	stat_set(o, "median", median(ctx, s, n), &ok);
	stat_set(o, "mode", fn_result_num(ctx, "mode", mode(s, n)), &ok);
	const struct fn_num *mn = extreme(it, n, -1), *mx = extreme(it, n, 1);
	stat_set(o, "min", fn_result_num(ctx, "min", mn), &ok);
	stat_set(o, "max", fn_result_num(ctx, "max", mx), &ok);
	/* max - min: an int, or a float that may overflow as Python's does */
	if (fn_num_binop('-', mx, mn, &range, &why) < 0)
		stat_set(o, "range", fn_result_real(ctx, "range", HUGE_VAL),
		         &ok);
	else
		stat_set(o, "range", fn_result_num(ctx, "range", &range), &ok);

	/* ssd = (n*Sxx - Sx^2) / n, scaled by 2^(2*emin) */
	mpq_t ssd;
	mpq_init(ssd);
	mpz_mul_ui(mpq_numref(ssd), sm.sxx, n);
	mpz_submul(mpq_numref(ssd), sm.sx, sm.sx);
	mpz_set_ui(mpq_denref(ssd), n);
	mpq_canonicalize(ssd);
	q_scale2(ssd, 2 * sm.emin);
	for (int pop = 0; pop <= 1; pop++) {
		size_t d = pop ? n : n - 1;
		const char *vk = pop ? "pvariance" : "variance";
		const char *sk = pop ? "pstdev" : "stdev";
		if (d == 0) {
			stat_set(o, vk, json_null(), &ok);
			stat_set(o, sk, json_null(), &ok);
			continue;
		}
		mpq_set(q, ssd);
		mpz_mul_ui(mpq_denref(q), mpq_denref(q), d);
		mpq_canonicalize(q);
		stat_set(o, vk, q_to_json(ctx, vk, q, T), &ok);
		double sd = sqrt_of_frac(mpq_numref(q), mpq_denref(q));
		stat_set(o, sk, fn_result_real(ctx, sk, sd), &ok);
	}
	stat_set(o, "q1", n < 2 ? json_null() : quartile(ctx, "q1", s, n, 1),
	         &ok);
	stat_set(o, "q3", n < 2 ? json_null() : quartile(ctx, "q3", s, n, 3),
	         &ok);
	mpq_clears(sum, q, ssd, NULL);
	mpz_clears(sm.sx, sm.sxx, NULL);
	return ok ? 0 : -1;
}

/* input borrowed; *result a NEW reference. */
fn_handler_t fn_statistics;

int fn_statistics(const json_t *in, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	const json_t *values = json_object_get(in, "values");
	size_t n = json_array_size(values);
	struct stat_item *it, *s;
	json_t *o;

	if (n == 0) /* the schema says minItems 1; never trust a table row */
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'values' must not be empty");
	it = calloc(n, sizeof(*it));
	s = calloc(n, sizeof(*s));
	o = json_object();
	if (it == NULL || s == NULL || o == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(values, i);
		it[i].idx = i;
		it[i].v.is_int = json_is_integer(v);
		if (it[i].v.is_int)
			it[i].v.i = json_integer_value(v);
		else
			it[i].v.d = json_number_value(v);
	}
	memcpy(s, it, n * sizeof(*s));
	qsort(s, n, sizeof(*s), stat_item_cmp);
	if (stat_fill(ctx, o, it, s, n) < 0)
		goto oom;
	free(it);
	free(s);
	*result = o;
	return 0;
oom:
	free(it);
	free(s);
	json_decref(o);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}
