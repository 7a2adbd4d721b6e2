/* fn_num.h - numbers with Python 3.11's semantics, for fn_expr and the
 * math functions.
 *
 * A value is an int or a float, as in Python: int op int stays an exact
 * integer for + - * % and ** with a non-negative exponent, / is true
 * division, % is floored. Ints are exact big integers (GMP) with one
 * declared bound: no int, intermediate or final, may have more than
 * FN_NUM_MAX_BITS bits (|v| < 2^FN_NUM_MAX_BITS); an operation whose exact
 * int result would is an error, and a power is checked before it is
 * computed (9^9^9 fails at once). Everything else, down to the last bit of
 * a float and the choice of error, is CPython's.
 *
 * Two forms: struct fn_bnum holds any such int (fn_expr evaluates with it);
 * struct fn_num is the small form of JSON numbers and results, an int64 or
 * a double. */
#ifndef FN_NUM_H
#define FN_NUM_H

#include <gmp.h>
#include <jansson.h>
#include <stdint.h>

/* The bound on every int of an evaluation, in bits of its magnitude: the
 * default, which the fn_bnum operations take as their bits argument. */
#define FN_NUM_MAX_BITS 65536

/* A Python number in small form: an int64 (is_int, value in i) or a float
 * (d). */
struct fn_num {
	int is_int;
	int64_t i;
	double d;
};

static inline struct fn_num num_int(int64_t i)
{
	struct fn_num v = {1, i, 0.0};
	return v;
}

static inline struct fn_num num_float(double d)
{
	struct fn_num v = {0, 0, 0.0};
	v.d = d;
	return v;
}

/* A Python number in full: an exact int (is_int, value in z) or a float
 * (d). z is always initialised: fn_bnum_init before use, fn_bnum_clear
 * after. */
struct fn_bnum {
	int is_int;
	mpz_t z;
	double d;
};

/* The functions of fn_bnum_call: math.sqrt sin cos tan log10 (log) log
 * (ln, 1 or 2 arguments) exp, builtin abs, math.floor ceil, builtin round
 * (1 or 2 arguments), builtin min max (2 or more). */
enum fn_num_fn {
	FN_F_SQRT,
	FN_F_SIN,
	FN_F_COS,
	FN_F_TAN,
	FN_F_LOG,
	FN_F_LN,
	FN_F_EXP,
	FN_F_ABS,
	FN_F_FLOOR,
	FN_F_CEIL,
	FN_F_ROUND,
	FN_F_MIN,
	FN_F_MAX
};

/* ---- the full form ---------------------------------------------------- */

/* Initialises v to the int 0 / releases it. */
void fn_bnum_init(struct fn_bnum *v);
void fn_bnum_clear(struct fn_bnum *v);

/* dst = src (both initialised). */
void fn_bnum_set(struct fn_bnum *dst, const struct fn_bnum *src);
void fn_bnum_set_num(struct fn_bnum *dst, const struct fn_num *src);

/* The small form of v: an int within int64 as an int, any other int as
 * the nearest double (as Python's float(int)), a float as itself. Returns
 * -1 with *why set when an int is too large for a double. */
int fn_bnum_get_num(const struct fn_bnum *v, struct fn_num *out,
                    const char **why);

/* Python's float(v): correctly rounded; -1 with *why when too large. */
int fn_bnum_get_double(const struct fn_bnum *v, double *out, const char **why);

/* v = -v. */
void fn_bnum_neg(struct fn_bnum *v);

/* a = a OP b, Python's a OP b for OP one of + - * / % ^. Returns 0, or -1
 * with *why set to a static message for what Python raises on (division
 * by zero, overflow, complex result) and for an int result of more than
 * bits bits; a is then unspecified. */
int fn_bnum_binop(char op, struct fn_bnum *a, const struct fn_bnum *b,
                  size_t bits, const char **why);

/* args[0] = fn(args[0..n)); n is within the function's arity. Returns 0,
 * or -1 with *why set to a static message for what Python raises on or an
 * int result of more than bits bits. */
int fn_bnum_call(enum fn_num_fn fn, struct fn_bnum *args, uint32_t n,
                 size_t bits, const char **why);

/* Python's comparison, exact across int and float: -1, 0 or 1, or 2 when
 * unordered (a NaN is involved). */
int fn_bnum_cmp(const struct fn_bnum *a, const struct fn_bnum *b);

/* ---- the small form ---------------------------------------------------- */

/* -a (an int past int64 becomes a float). */
struct fn_num fn_num_neg(const struct fn_num *a);

/* The number of a JSON number v (borrowed): an int for a JSON integer, a
 * float for a real. (The other way is fn_result_num, fn_result.h.) */
struct fn_num fn_num_of_json(const json_t *v);

/* Python's comparison of two numbers, exact across int and float: -1, 0
 * or 1, or 2 when unordered (a NaN is involved). */
int fn_num_cmp(const struct fn_num *a, const struct fn_num *b);

/* Python's a OP b for OP one of + - * / % ^, computed exactly
 * (fn_bnum_binop) and returned in small form (fn_bnum_get_num). Returns 0,
 * or -1 with *why set to a static message for what Python raises on. */
int fn_num_binop(char op, const struct fn_num *a, const struct fn_num *b,
                 struct fn_num *out, const char **why);

/* The double nearest to q (ties to even, subnormals rounded once), as
 * Python's float(Fraction) and int / int give; +-inf past DBL_MAX where
 * Python raises OverflowError. */
double fn_q_to_double(const mpq_t q);

#endif
