/* fn_num.c - Python 3.11's numeric semantics for fn_num.h: each operator
 * and function mirrors the CPython routine named next to it (long_*,
 * float_*, math_1, ...), with exact rationals from GMP and correct
 * rounding from MPFR where CPython is exact. */
#include "fn_num.h"

#include <errno.h>
#include <float.h>
#include <gmp.h>
#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers -------------------------------------------------------- */

static double num_d(const struct fn_num *v)
{
	return v->is_int ? (double)v->i : v->d;
}

/* An exact integer that may not fit int64 (the documented fallback). */
static struct fn_num num_i128(__int128 x)
{
	if (x >= INT64_MIN && x <= INT64_MAX)
		return num_int((int64_t)x);
	return num_float((double)x);
}

struct fn_num fn_num_neg(const struct fn_num *a)
{
	if (!a->is_int)
		return num_float(-a->d);
	return num_i128(-(__int128)a->i);
}

struct fn_num fn_num_of_json(const json_t *v)
{
	if (json_is_integer(v))
		return num_int(json_integer_value(v));
	return num_float(json_number_value(v));
}

/* ---- correctly rounded conversions ------------------------------------ */

double fn_q_to_double(const mpq_t q)
{
	mpfr_t f;
	mpfr_exp_t e;
	double d;
	long p;

	if (mpq_sgn(q) == 0)
		return 0.0;
	/* Find the binary exponent without rounding up, so that results in
	 * the subnormal range are rounded once, to the bits they have. */
	mpfr_init2(f, 64);
	mpfr_set_q(f, q, MPFR_RNDZ);
	e = mpfr_get_exp(f); /* |q| in [2^(e-1), 2^e) */
	p = (long)e + 1074;
	if (p >= 53) {
		mpfr_set_prec(f, 53);
		mpfr_set_q(f, q, MPFR_RNDN);
		d = mpfr_get_d(f, MPFR_RNDN); /* inf past DBL_MAX */
	} else if (p >= 1) {
		mpfr_set_prec(f, (mpfr_prec_t)p);
		mpfr_set_q(f, q, MPFR_RNDN);
		d = mpfr_get_d(f, MPFR_RNDN);
	} else if (p == 0) {
		/* |q| in [2^-1075, 2^-1074): the tie 2^-1075 goes to even 0 */
		mpq_t a;
		mpq_init(a);
		mpq_abs(a, q);
		mpq_mul_2exp(a, a, 1075);
		d = mpq_cmp_ui(a, 1, 1) > 0 ? ldexp(1.0, -1074) : 0.0;
		mpq_clear(a);
		if (mpq_sgn(q) < 0)
			d = -d;
	} else {
		d = mpq_sgn(q) < 0 ? -0.0 : 0.0;
	}
	mpfr_clear(f);
	return d;
}

/* long_true_divide: int / int, correctly rounded. */
static double int_truediv(int64_t a, int64_t b)
{
	const int64_t lim = (int64_t)1 << 53;
	mpq_t q;
	double d;

	if (a >= -lim && a <= lim && b >= -lim && b <= lim)
		return (double)a / (double)b;
	if (a == 0) /* the exact quotient is 0; Python keeps the sign */
		return b < 0 ? -0.0 : 0.0;
	mpq_init(q);
	mpz_set_si(mpq_numref(q), a);
	mpz_set_si(mpq_denref(q), b);
	mpq_canonicalize(q);
	d = fn_q_to_double(q);
	mpq_clear(q);
	return d;
}

/* ---- operators ---------------------------------------------------------- */

/* Exact comparison of int i and finite-or-not double d: <0, 0, >0, or 2
 * when unordered (d is NaN). */
static int cmp_int_double(int64_t i, double d)
{
	if (isnan(d))
		return 2;
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	double t = trunc(d);
	int64_t ti = (int64_t)t;
	if (i != ti)
		return i < ti ? -1 : 1;
	return d > t ? -1 : (d < t ? 1 : 0);
}

/* Python's rich comparison of two numbers, exact across int and float. */
int fn_num_cmp(const struct fn_num *a, const struct fn_num *b)
{
	if (a->is_int && b->is_int)
		return a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);
	if (a->is_int)
		return cmp_int_double(a->i, b->d);
	if (b->is_int) {
		int c = cmp_int_double(b->i, a->d);
		return c == 2 ? 2 : -c;
	}
	if (isnan(a->d) || isnan(b->d))
		return 2;
	return a->d < b->d ? -1 : (a->d > b->d ? 1 : 0);
}

/* PyLong_FromDouble, with the int64 fallback to a float. */
static int double_to_int(double d, struct fn_num *out, const char **why)
{
	if (isinf(d)) {
		*why = "cannot convert float infinity to integer";
		return -1;
	}
	if (isnan(d)) {
		*why = "cannot convert float NaN to integer";
		return -1;
	}
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		*out = num_int((int64_t)d);
	else
		*out = num_float(d);
	return 0;
}

#define DOUBLE_IS_ODD_INTEGER(x) (fmod(fabs(x), 2.0) == 1.0)

/* float_pow from CPython 3.11 Objects/floatobject.c. */
static int float_pow(double iv, double iw, double *out, const char **why)
{
	int negate_result = 0;

	if (iw == 0) {
		*out = 1.0;
		return 0;
	}
	if (isnan(iv)) {
		*out = iv;
		return 0;
	}
	if (isnan(iw)) {
		*out = iv == 1.0 ? 1.0 : iw;
		return 0;
	}
	if (isinf(iw)) {
		iv = fabs(iv);
		if (iv == 1.0)
			*out = 1.0;
		else if ((iw > 0.0) == (iv > 1.0))
			*out = fabs(iw);
		else
			*out = 0.0;
		return 0;
	}
	if (isinf(iv)) {
		int odd = DOUBLE_IS_ODD_INTEGER(iw);
		if (iw > 0.0)
			*out = odd ? iv : fabs(iv);
		else
			*out = odd ? copysign(0.0, iv) : 0.0;
		return 0;
	}
	if (iv == 0.0) {
		int odd = DOUBLE_IS_ODD_INTEGER(iw);
		if (iw < 0.0) {
			*why = "0.0 cannot be raised to a negative power";
			return -1;
		}
		*out = odd ? iv : 0.0;
		return 0;
	}
	if (iv < 0.0) {
		if (iw != floor(iw)) {
			*why = "negative number raised to a fractional power "
			       "(complex result)";
			return -1;
		}
		iv = -iv;
		negate_result = DOUBLE_IS_ODD_INTEGER(iw);
	}
	if (iv == 1.0) {
		*out = negate_result ? -1.0 : 1.0;
		return 0;
	}
	errno = 0;
	double ix = pow(iv, iw);
	/* _Py_ADJUST_ERANGE1 */
	if (errno == 0) {
		if (ix == HUGE_VAL || ix == -HUGE_VAL)
			errno = ERANGE;
	} else if (errno == ERANGE && ix == 0.0) {
		errno = 0;
	}
	if (negate_result)
		ix = -ix;
	if (errno != 0) {
		*why = errno == ERANGE ? "numerical result out of range"
		                       : "math domain error";
		return -1;
	}
	*out = ix;
	return 0;
}

/* long_pow for a non-negative exponent: exact, with the float fallback. */
static int int_pow(int64_t a, int64_t b, struct fn_num *out, const char **why)
{
	int64_t r = 1, base = a;
	uint64_t e = (uint64_t)b;
	int ovf = 0;

	if (b == 0 || a == 1) {
		*out = num_int(1);
		return 0;
	}
	if (a == 0 || a == -1) {
		*out = num_int(a == 0 ? 0 : ((b & 1) ? -1 : 1));
		return 0;
	}
	while (e && !ovf) {
		if (e & 1)
			ovf |= __builtin_mul_overflow(r, base, &r);
		e >>= 1;
		if (e)
			ovf |= __builtin_mul_overflow(base, base, &base);
	}
	if (!ovf) {
		*out = num_int(r);
		return 0;
	}
	/* |a| >= 2: the exact value has about b*log2|a| bits; past 2^1025
	 * no double holds it. */
	uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
	unsigned bits = 64 - (unsigned)__builtin_clzll(ua); /* >= 2 */
	if ((uint64_t)b > 1025 / (bits - 1)) {
		*why = "integer result too large to represent";
		return -1;
	}
	mpz_t z;
	mpq_t q;
	mpz_init_set_si(z, a);
	mpz_pow_ui(z, z, (unsigned long)b);
	mpq_init(q);
	mpq_set_z(q, z);
	double d = fn_q_to_double(q);
	mpq_clear(q);
	mpz_clear(z);
	if (isinf(d)) {
		*why = "integer result too large to represent";
		return -1;
	}
	*out = num_float(d);
	return 0;
}

static int num_pow(const struct fn_num *a, const struct fn_num *b,
                   struct fn_num *out, const char **why)
{
	double d;

	if (a->is_int && b->is_int && b->i >= 0)
		return int_pow(a->i, b->i, out, why);
	if (float_pow(num_d(a), num_d(b), &d, why) < 0)
		return -1;
	*out = num_float(d);
	return 0;
}

int fn_num_binop(char op, const struct fn_num *a, const struct fn_num *b,
                 struct fn_num *out, const char **why)
{
	int both = a->is_int && b->is_int;
	int64_t r;

	switch (op) {
	case '+':
		if (!both)
			*out = num_float(num_d(a) + num_d(b));
		else if (__builtin_add_overflow(a->i, b->i, &r))
			*out = num_i128((__int128)a->i + b->i);
		else
			*out = num_int(r);
		return 0;
	case '-':
		if (!both)
			*out = num_float(num_d(a) - num_d(b));
		else if (__builtin_sub_overflow(a->i, b->i, &r))
			*out = num_i128((__int128)a->i - b->i);
		else
			*out = num_int(r);
		return 0;
	case '*':
		if (!both)
			*out = num_float(num_d(a) * num_d(b));
		else
			*out = num_i128((__int128)a->i * b->i);
		return 0;
	case '/':
		if (both) {
			if (b->i == 0)
				goto zero;
			*out = num_float(int_truediv(a->i, b->i));
		} else {
			if (num_d(b) == 0.0)
				goto zero;
			*out = num_float(num_d(a) / num_d(b));
		}
		return 0;
	case '%':
		if (both) {
			if (b->i == 0)
				goto zero;
			if (b->i == -1) { /* INT64_MIN % -1 traps in C */
				*out = num_int(0);
				return 0;
			}
			r = a->i % b->i;
			if (r != 0 && ((r < 0) != (b->i < 0)))
				r += b->i;
			*out = num_int(r);
		} else { /* float_rem */
			double vx = num_d(a), wx = num_d(b), mod;
			if (wx == 0.0)
				goto zero;
			mod = fmod(vx, wx);
			if (mod) {
				if ((wx < 0) != (mod < 0))
					mod += wx;
			} else {
				mod = copysign(0.0, wx);
			}
			*out = num_float(mod);
		}
		return 0;
	case '^':
		return num_pow(a, b, out, why);
	default:
		*why = "internal error";
		return -1;
	}
zero:
	*why = op == '%' ? "modulo by zero" : "division by zero";
	return -1;
}

/* ---- functions ---------------------------------------------------------- */

/* math_1 from CPython's mathmodule.c. */
static int math_1(double x, double (*func)(double), int can_overflow,
                  struct fn_num *out, const char **why)
{
	double r;

	errno = 0;
	r = func(x);
	if (isnan(r) && !isnan(x)) {
		*why = "math domain error";
		return -1;
	}
	if (isinf(r) && isfinite(x)) {
		*why = can_overflow ? "math range error" : "math domain error";
		return -1;
	}
	if (isfinite(r) && errno) {
		if (errno == EDOM) {
			*why = "math domain error";
			return -1;
		}
		if (errno == ERANGE && fabs(r) >= 1.5) {
			*why = "math range error";
			return -1;
		}
		if (errno != ERANGE) {
			*why = "math domain error";
			return -1;
		}
	}
	*out = num_float(r);
	return 0;
}

/* m_log / m_log10 from mathmodule.c: EDOM for x <= 0. */
static double m_log_with(double x, double (*f)(double))
{
	if (isfinite(x)) {
		if (x > 0.0)
			return f(x);
		errno = EDOM;
		return x == 0.0 ? -HUGE_VAL : NAN;
	}
	if (isnan(x) || x > 0.0)
		return x;
	errno = EDOM;
	return NAN;
}

static double m_log(double x)
{
	return m_log_with(x, log);
}

static double m_log10(double x)
{
	return m_log_with(x, log10);
}

/* loghelper: ints are handled directly (positive only). */
static int math_log(const struct fn_num *a, double (*func)(double),
                    struct fn_num *out, const char **why)
{
	if (a->is_int) {
		if (a->i <= 0) {
			*why = "math domain error";
			return -1;
		}
		*out = num_float(func((double)a->i));
		return 0;
	}
	return math_1(a->d, func, 0, out, why);
}

/* float.__round__(None): round half to even, then to int. */
static int round_to_int(const struct fn_num *a, struct fn_num *out,
                        const char **why)
{
	if (a->is_int) {
		*out = *a;
		return 0;
	}
	double x = a->d, rounded = round(x);
	if (fabs(x - rounded) == 0.5)
		rounded = 2.0 * round(x / 2.0);
	return double_to_int(rounded, out, why);
}

/* int.__round__(ndigits < 0): to a multiple of 10^-nd, ties to even. */
static struct fn_num round_int_nd(int64_t x, int64_t nd)
{
	if (nd >= 0)
		return num_int(x);
	if (nd < -19)
		return num_int(0); /* 10^20 / 2 exceeds every int64 */
	__int128 p = 1, q, r;
	for (int64_t k = 0; k < -nd; k++)
		p *= 10;
	q = x / p;
	r = x % p;
	if (r < 0) { /* floor division */
		q -= 1;
		r += p;
	}
	if (2 * r > p || (2 * r == p && (q & 1)))
		q += 1;
	return num_i128(q * p);
}

/* float.__round__(ndigits): the exact binary value rounded half-even to
 * nd decimal places, then correctly rounded back (double_round). */
static int round_float_nd(double x, int64_t nd, struct fn_num *out,
                          const char **why)
{
	if (!isfinite(x) || nd > 323) {
		*out = num_float(x);
		return 0;
	}
	if (nd < -308) {
		*out = num_float(0.0 * x);
		return 0;
	}
	mpq_t q;
	mpz_t p10, k, r;
	mpq_init(q);
	mpz_inits(p10, k, r, NULL);
	mpq_set_d(q, x);
	mpz_ui_pow_ui(p10, 10, (unsigned long)(nd < 0 ? -nd : nd));
	if (nd >= 0)
		mpz_mul(mpq_numref(q), mpq_numref(q), p10);
	else
		mpz_mul(mpq_denref(q), mpq_denref(q), p10);
	mpq_canonicalize(q);
	mpz_fdiv_qr(k, r, mpq_numref(q), mpq_denref(q));
	mpz_mul_2exp(r, r, 1);
	int c = mpz_cmp(r, mpq_denref(q));
	if (c > 0 || (c == 0 && mpz_odd_p(k)))
		mpz_add_ui(k, k, 1);
	mpq_set_z(q, k);
	if (nd >= 0)
		mpz_set(mpq_denref(q), p10);
	else
		mpz_mul(mpq_numref(q), mpq_numref(q), p10);
	mpq_canonicalize(q);
	double d = fn_q_to_double(q);
	mpq_clear(q);
	mpz_clears(p10, k, r, NULL);
	if (isinf(d)) {
		*why = "rounded value too large to represent";
		return -1;
	}
	if (d == 0.0)
		d = copysign(0.0, x);
	*out = num_float(d);
	return 0;
}

int fn_num_call(enum fn_num_fn fn, const struct fn_num *args, uint32_t n,
                struct fn_num *out, const char **why)
{
	const struct fn_num *a = &args[0];

	switch (fn) {
	case FN_F_SQRT:
		return math_1(num_d(a), sqrt, 0, out, why);
	case FN_F_SIN:
		return math_1(num_d(a), sin, 0, out, why);
	case FN_F_COS:
		return math_1(num_d(a), cos, 0, out, why);
	case FN_F_TAN:
		return math_1(num_d(a), tan, 0, out, why);
	case FN_F_EXP:
		return math_1(num_d(a), exp, 1, out, why);
	case FN_F_LOG:
		return math_log(a, m_log10, out, why);
	case FN_F_LN:
		return math_log(a, m_log, out, why);
	case FN_F_ABS:
		if (!a->is_int)
			*out = num_float(fabs(a->d));
		else
			*out = num_i128(a->i < 0 ? -(__int128)a->i : a->i);
		return 0;
	case FN_F_FLOOR:
		if (a->is_int) {
			*out = *a;
			return 0;
		}
		return double_to_int(floor(a->d), out, why);
	case FN_F_CEIL:
		if (a->is_int) {
			*out = *a;
			return 0;
		}
		return double_to_int(ceil(a->d), out, why);
	case FN_F_ROUND:
		if (n == 1)
			return round_to_int(a, out, why);
		if (!args[1].is_int) {
			*why = "round() ndigits must be an integer";
			return -1;
		}
		if (a->is_int) {
			*out = round_int_nd(a->i, args[1].i);
			return 0;
		}
		return round_float_nd(a->d, args[1].i, out, why);
	case FN_F_MIN:
	case FN_F_MAX: {
		/* builtin min/max: the first extreme item, compared exactly */
		size_t best = 0;
		for (uint32_t i = 1; i < n; i++) {
			int c = fn_num_cmp(&args[i], &args[best]);
			if ((fn == FN_F_MIN && c == -1) ||
			    (fn == FN_F_MAX && c == 1))
				best = i;
		}
		*out = args[best];
		return 0;
	}
	}
	*why = "internal error";
	return -1;
}
