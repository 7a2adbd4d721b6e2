/* fn_num.c - Python 3.11's numeric semantics for fn_num.h: each operator
 * and function mirrors the CPython routine named next to it (long_*,
 * float_*, math_1, loghelper, ...), with exact integers and rationals from
 * GMP and correct rounding from MPFR where CPython is exact. */
#include "fn_num.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <gmp.h>
#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

static const char msg_too_big[] =
    "integer result too large (past the bound on the size of ints)";

/* An int past the bound of fn_num.h, bits. */
static int z_too_big(const mpz_t z, size_t bits)
{
	return mpz_sizeinbase(z, 2) > bits;
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

/* PyLong_AsDouble: the nearest double, ties to even; OverflowError when it
 * rounds past DBL_MAX. */
static int z_to_double(const mpz_t z, double *out, const char **why)
{
	mpfr_t f;
	double d;

	if (mpz_fits_slong_p(z)) {
		*out = (double)mpz_get_si(z);
		return 0;
	}
	if (mpz_sizeinbase(z, 2) > DBL_MAX_EXP + 1)
		goto overflow;
	mpfr_init2(f, DBL_MANT_DIG);
	mpfr_set_z(f, z, MPFR_RNDN);
	d = mpfr_get_d(f, MPFR_RNDN);
	mpfr_clear(f);
	if (isinf(d))
		goto overflow;
	*out = d;
	return 0;
overflow:
	*why = "int too large to convert to float";
	return -1;
}

/* long_true_divide: int / int, correctly rounded. */
static int z_truediv(const mpz_t a, const mpz_t b, double *out,
                     const char **why)
{
	const long lim = (long)1 << 53;
	mpq_t q;

	if (mpz_sgn(b) == 0) {
		*why = "division by zero";
		return -1;
	}
	if (mpz_sgn(a) == 0) { /* Python keeps the sign of the quotient */
		*out = mpz_sgn(b) < 0 ? -0.0 : 0.0;
		return 0;
	}
	if (mpz_cmpabs_ui(a, lim) <= 0 && mpz_cmpabs_ui(b, lim) <= 0) {
		*out = (double)mpz_get_si(a) / (double)mpz_get_si(b);
		return 0;
	}
	/* |a/b| is in (2^(na-nb-1), 2^(na-nb+1)) */
	long na = (long)mpz_sizeinbase(a, 2), nb = (long)mpz_sizeinbase(b, 2);
	if (nb - na > 1 - DBL_MIN_EXP + DBL_MANT_DIG + 1) { /* < 2^-1076 */
		*out = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0) ? -0.0 : 0.0;
		return 0;
	}
	if (na - nb > DBL_MAX_EXP + 1) { /* > 2^1025 */
		*out = HUGE_VAL;
	} else {
		/* fn_q_to_double needs no common factors removed (no gcd of
		 * big ints), only a positive denominator */
		mpq_init(q);
		mpz_set(mpq_numref(q), a);
		mpz_abs(mpq_denref(q), b);
		if (mpz_sgn(b) < 0)
			mpz_neg(mpq_numref(q), mpq_numref(q));
		*out = fn_q_to_double(q);
		mpq_clear(q);
	}
	if (isinf(*out)) {
		*why = "integer division result too large for a float";
		return -1;
	}
	return 0;
}

/* ---- values ------------------------------------------------------------ */

void fn_bnum_init(struct fn_bnum *v)
{
	v->is_int = 1;
	mpz_init(v->z);
	v->d = 0.0;
}

void fn_bnum_clear(struct fn_bnum *v)
{
	mpz_clear(v->z);
}

void fn_bnum_set(struct fn_bnum *dst, const struct fn_bnum *src)
{
	if (dst == src)
		return;
	dst->is_int = src->is_int;
	dst->d = src->d;
	if (src->is_int)
		mpz_set(dst->z, src->z);
}

void fn_bnum_set_num(struct fn_bnum *dst, const struct fn_num *src)
{
	dst->is_int = src->is_int;
	dst->d = src->d;
	if (src->is_int)
		mpz_set_si(dst->z, (long)src->i);
}

static void set_float(struct fn_bnum *v, double d)
{
	v->is_int = 0;
	v->d = d;
}

int fn_bnum_get_double(const struct fn_bnum *v, double *out, const char **why)
{
	if (!v->is_int) {
		*out = v->d;
		return 0;
	}
	return z_to_double(v->z, out, why);
}

int fn_bnum_get_num(const struct fn_bnum *v, struct fn_num *out,
                    const char **why)
{
	double d;

	if (v->is_int && mpz_fits_slong_p(v->z)) {
		*out = num_int((int64_t)mpz_get_si(v->z));
		return 0;
	}
	if (fn_bnum_get_double(v, &d, why) < 0)
		return -1;
	*out = num_float(d);
	return 0;
}

void fn_bnum_neg(struct fn_bnum *v)
{
	if (v->is_int)
		mpz_neg(v->z, v->z);
	else
		v->d = -v->d;
}

/* PyLong_FromDouble: the exact int of an integral double. */
static int double_to_int(double d, struct fn_bnum *out, const char **why)
{
	if (isinf(d)) {
		*why = "cannot convert float infinity to integer";
		return -1;
	}
	if (isnan(d)) {
		*why = "cannot convert float NaN to integer";
		return -1;
	}
	out->is_int = 1;
	mpz_set_d(out->z, d); /* < 2^1024: within the bound */
	return 0;
}

/* ---- comparison --------------------------------------------------------- */

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

int fn_bnum_cmp(const struct fn_bnum *a, const struct fn_bnum *b)
{
	int c;

	if ((!a->is_int && isnan(a->d)) || (!b->is_int && isnan(b->d)))
		return 2;
	if (a->is_int && b->is_int)
		c = mpz_cmp(a->z, b->z);
	else if (a->is_int)
		c = mpz_cmp_d(a->z, b->d); /* exact, infinities too */
	else if (b->is_int)
		c = -mpz_cmp_d(b->z, a->d);
	else
		c = a->d < b->d ? -1 : (a->d > b->d ? 1 : 0);
	return (c > 0) - (c < 0);
}

/* ---- operators ---------------------------------------------------------- */

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

/* float_add .. float_rem: both operands already converted (CONVERT_TO_DOUBLE,
 * whose OverflowError the caller raised). */
static int float_binop(char op, double a, double b, double *out,
                       const char **why)
{
	switch (op) {
	case '+':
		*out = a + b;
		return 0;
	case '-':
		*out = a - b;
		return 0;
	case '*':
		*out = a * b;
		return 0;
	case '/':
		if (b == 0.0) {
			*why = "division by zero";
			return -1;
		}
		*out = a / b;
		return 0;
	case '%': {
		double mod;
		if (b == 0.0) {
			*why = "modulo by zero";
			return -1;
		}
		mod = fmod(a, b);
		if (mod) {
			if ((b < 0) != (mod < 0))
				mod += b;
		} else {
			mod = copysign(0.0, b);
		}
		*out = mod;
		return 0;
	}
	default: /* '^' */
		return float_pow(a, b, out, why);
	}
}

/* long_pow for an exponent b >= 0: exact, refused before computing when
 * the result would pass the bound. */
static int int_pow(mpz_t a, const mpz_t b, size_t bits, const char **why)
{
	size_t abits;
	unsigned long e;

	if (mpz_sgn(b) == 0) {
		mpz_set_ui(a, 1);
		return 0;
	}
	if (mpz_cmpabs_ui(a, 1) <= 0) { /* 0, 1 and -1 stay small */
		if (mpz_sgn(a) < 0 && mpz_even_p(b))
			mpz_set_ui(a, 1);
		return 0;
	}
	/* |a| >= 2^(abits-1), so |a|^b has more than (abits-1)*b bits */
	abits = mpz_sizeinbase(a, 2);
	if (mpz_cmp_ui(b, bits) >= 0 || (abits - 1) * mpz_get_ui(b) >= bits) {
		*why = msg_too_big;
		return -1;
	}
	e = mpz_get_ui(b);
	mpz_pow_ui(a, a, e); /* at most 2 * bits bits */
	if (z_too_big(a, bits)) {
		*why = msg_too_big;
		return -1;
	}
	return 0;
}

/* long_add .. long_pow for two ints. */
static int int_binop(char op, struct fn_bnum *a, const struct fn_bnum *b,
                     size_t bits, const char **why)
{
	double d, x, y;

	switch (op) {
	case '+':
		mpz_add(a->z, a->z, b->z);
		break;
	case '-':
		mpz_sub(a->z, a->z, b->z);
		break;
	case '*':
		if (mpz_sgn(a->z) != 0 && mpz_sgn(b->z) != 0 &&
		    mpz_sizeinbase(a->z, 2) + mpz_sizeinbase(b->z, 2) - 1 >
		        bits) {
			*why = msg_too_big;
			return -1;
		}
		mpz_mul(a->z, a->z, b->z);
		break;
	case '/':
		if (z_truediv(a->z, b->z, &d, why) < 0)
			return -1;
		set_float(a, d);
		return 0;
	case '%':
		if (mpz_sgn(b->z) == 0) {
			*why = "integer modulo by zero";
			return -1;
		}
		mpz_fdiv_r(a->z, a->z, b->z); /* the sign of b, as Python */
		return 0;
	default: /* '^' */
		if (mpz_sgn(b->z) >= 0)
			return int_pow(a->z, b->z, bits, why);
		/* a negative exponent: float ** float */
		if (z_to_double(a->z, &x, why) < 0 ||
		    z_to_double(b->z, &y, why) < 0 ||
		    float_pow(x, y, &d, why) < 0)
			return -1;
		set_float(a, d);
		return 0;
	}
	if (z_too_big(a->z, bits)) {
		*why = msg_too_big;
		return -1;
	}
	return 0;
}

int fn_bnum_binop(char op, struct fn_bnum *a, const struct fn_bnum *b,
                  size_t bits, const char **why)
{
	double x, y, r;

	if (a->is_int && b->is_int)
		return int_binop(op, a, b, bits, why);
	if (fn_bnum_get_double(a, &x, why) < 0 ||
	    fn_bnum_get_double(b, &y, why) < 0 ||
	    float_binop(op, x, y, &r, why) < 0)
		return -1;
	set_float(a, r);
	return 0;
}

/* ---- functions ---------------------------------------------------------- */

/* math_1 from CPython's mathmodule.c. */
static int math_1(double x, double (*func)(double), int can_overflow,
                  double *out, const char **why)
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
	*out = r;
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

/* float.__round__(ndigits): the exact binary value rounded half-even to
 * nd decimal places, then correctly rounded back (double_round). */
static int round_float_nd(double x, long nd, double *out, const char **why)
{
	if (!isfinite(x) || nd > 323) {
		*out = x;
		return 0;
	}
	if (nd < -308) {
		*out = 0.0 * x;
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
	*out = d;
	return 0;
}

/* loghelper: an int is taken exactly, even past the float range, as
 * log(m) + log(2) * e for m * 2^e (_PyLong_Frexp). */
static int loghelper(const struct fn_bnum *a, double (*func)(double),
                     double *out, const char **why)
{
	const char *ignored;
	mpfr_t f;
	mpfr_exp_t e;
	double x;

	if (!a->is_int)
		return math_1(a->d, func, 0, out, why);
	if (mpz_sgn(a->z) <= 0) {
		*why = "math domain error";
		return -1;
	}
	if (z_to_double(a->z, &x, &ignored) == 0) {
		*out = func(x);
		return 0;
	}
	mpfr_init2(f, DBL_MANT_DIG);
	mpfr_set_z(f, a->z, MPFR_RNDN);
	x = mpfr_get_d_2exp(&e, f, MPFR_RNDN); /* in [0.5, 1) */
	mpfr_clear(f);
	*out = func(x) + func(2.0) * (double)e;
	return 0;
}

/* math_log_impl: log(x) or log(x) / log(base). */
static int math_log(const struct fn_bnum *args, uint32_t n, double *out,
                    const char **why)
{
	double num, den;

	if (loghelper(&args[0], m_log, &num, why) < 0)
		return -1;
	if (n == 1) {
		*out = num;
		return 0;
	}
	if (loghelper(&args[1], m_log, &den, why) < 0)
		return -1;
	return float_binop('/', num, den, out, why);
}

/* float.__round__(None): round half to even, then to int. */
static int round_to_int(struct fn_bnum *a, const char **why)
{
	if (a->is_int)
		return 0;
	double x = a->d, rounded = round(x);
	if (fabs(x - rounded) == 0.5)
		rounded = 2.0 * round(x / 2.0);
	return double_to_int(rounded, a, why);
}

/* int.__round__(ndigits < 0): to the nearest multiple of 10^k, k = -nd,
 * ties to even. Where 10^k > 2|x| that is 0, which Python would compute
 * (slowly, by building 10^k) and this answers at once. */
static int round_int_nd(mpz_t x, const mpz_t nd, size_t bits, const char **why)
{
	mpz_t p, q;
	unsigned long k;
	int c;

	if (mpz_sgn(nd) >= 0)
		return 0;
	if (!mpz_fits_slong_p(nd) ||
	    (k = (unsigned long)-mpz_get_si(nd)) > mpz_sizeinbase(x, 10)) {
		mpz_set_ui(x, 0); /* |x| < 10^sizeinbase */
		return 0;
	}
	mpz_inits(p, q, NULL);
	mpz_ui_pow_ui(p, 10, k);
	mpz_fdiv_qr(q, x, x, p); /* x is now the remainder, in [0, p) */
	mpz_mul_2exp(x, x, 1);
	c = mpz_cmp(x, p);
	if (c > 0 || (c == 0 && mpz_odd_p(q)))
		mpz_add_ui(q, q, 1);
	mpz_mul(x, q, p);
	mpz_clears(p, q, NULL);
	if (z_too_big(x, bits)) {
		*why = msg_too_big;
		return -1;
	}
	return 0;
}

/* builtin round(a, nd) */
static int round_nd(struct fn_bnum *a, const struct fn_bnum *nd, size_t bits,
                    const char **why)
{
	long n;

	if (!nd->is_int) {
		*why = "'float' object cannot be interpreted as an integer";
		return -1;
	}
	if (a->is_int)
		return round_int_nd(a->z, nd->z, bits, why);
	/* float.__round__ clamps ndigits to the range of Py_ssize_t */
	if (mpz_fits_slong_p(nd->z))
		n = mpz_get_si(nd->z);
	else
		n = mpz_sgn(nd->z) < 0 ? LONG_MIN : LONG_MAX;
	return round_float_nd(a->d, n, &a->d, why);
}

/* math.floor / math.ceil */
static int to_int(struct fn_bnum *a, double (*f)(double), const char **why)
{
	if (a->is_int)
		return 0;
	return double_to_int(f(a->d), a, why);
}

/* builtin min/max: the first extreme item, compared exactly. */
static void extreme(struct fn_bnum *args, uint32_t n, int want)
{
	uint32_t best = 0;

	for (uint32_t i = 1; i < n; i++)
		if (fn_bnum_cmp(&args[i], &args[best]) == want)
			best = i;
	if (best != 0) {
		args[0].is_int = args[best].is_int;
		args[0].d = args[best].d;
		mpz_swap(args[0].z, args[best].z);
	}
}

static double (*const float_fns[])(double) = {
    [FN_F_SQRT] = sqrt, [FN_F_SIN] = sin, [FN_F_COS] = cos,
    [FN_F_TAN] = tan,   [FN_F_EXP] = exp,
};

int fn_bnum_call(enum fn_num_fn fn, struct fn_bnum *args, uint32_t n,
                 size_t bits, const char **why)
{
	struct fn_bnum *a = &args[0];
	double x, r;

	switch (fn) {
	case FN_F_SQRT:
	case FN_F_SIN:
	case FN_F_COS:
	case FN_F_TAN:
	case FN_F_EXP:
		if (fn_bnum_get_double(a, &x, why) < 0 ||
		    math_1(x, float_fns[fn], fn == FN_F_EXP, &r, why) < 0)
			return -1;
		set_float(a, r);
		return 0;
	case FN_F_LOG:
		if (loghelper(a, m_log10, &r, why) < 0)
			return -1;
		set_float(a, r);
		return 0;
	case FN_F_LN:
		if (math_log(args, n, &r, why) < 0)
			return -1;
		set_float(a, r);
		return 0;
	case FN_F_ABS:
		if (a->is_int)
			mpz_abs(a->z, a->z);
		else
			a->d = fabs(a->d);
		return 0;
	case FN_F_FLOOR:
		return to_int(a, floor, why);
	case FN_F_CEIL:
		return to_int(a, ceil, why);
	case FN_F_ROUND:
		if (n == 1)
			return round_to_int(a, why);
		return round_nd(a, &args[1], bits, why);
	case FN_F_MIN:
		extreme(args, n, -1);
		return 0;
	case FN_F_MAX:
		extreme(args, n, 1);
		return 0;
	}
	*why = "internal error";
	return -1;
}

/* ---- the small form ---------------------------------------------------- */

struct fn_num fn_num_neg(const struct fn_num *a)
{
	if (!a->is_int)
		return num_float(-a->d);
	if (a->i == INT64_MIN)
		return num_float(9223372036854775808.0);
	return num_int(-a->i);
}

struct fn_num fn_num_of_json(const json_t *v)
{
	if (json_is_integer(v))
		return num_int(json_integer_value(v));
	return num_float(json_number_value(v));
}

int fn_num_binop(char op, const struct fn_num *a, const struct fn_num *b,
                 struct fn_num *out, const char **why)
{
	struct fn_bnum x, y;
	int rc;

	fn_bnum_init(&x);
	fn_bnum_init(&y);
	fn_bnum_set_num(&x, a);
	fn_bnum_set_num(&y, b);
	rc = fn_bnum_binop(op, &x, &y, FN_NUM_MAX_BITS, why);
	if (rc == 0)
		rc = fn_bnum_get_num(&x, out, why);
	fn_bnum_clear(&x);
	fn_bnum_clear(&y);
	return rc;
}
