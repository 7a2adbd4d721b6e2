/* fn_num.h - numbers with Python 3.11's semantics, for fn_expr and the
 * math functions.
 *
 * A value is an exact int or a float, as in Python: int op int stays an
 * exact integer for + - * % and ** with a non-negative exponent, / is true
 * division, % is floored. Python ints are unbounded; ours are int64, and an
 * exact integer result that does not fit becomes the nearest double (an
 * integer power past 2^1025 is an error instead). Everything else, down to
 * the last bit of a float and the choice of error, is CPython's. */
#ifndef FN_NUM_H
#define FN_NUM_H

#include <gmp.h>
#include <jansson.h>
#include <stdint.h>

/* A Python number: an exact int (is_int, value in i) or a float (d). */
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
	struct fn_num v = {0, 0, d};
	return v;
}

/* The functions of fn_num_call: math.sqrt sin cos tan log10 (log) log
 * (ln) exp, builtin abs, math.floor ceil, builtin round (1 or 2 arguments),
 * builtin min max (1 or more). */
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

/* fn(args[0..n)); n is within the function's arity. Returns 0, or -1 with
 * *why set to a static message for what Python raises on. */
int fn_num_call(enum fn_num_fn fn, const struct fn_num *args, uint32_t n,
                struct fn_num *out, const char **why);

/* -a (an int past int64 becomes a float). */
struct fn_num fn_num_neg(const struct fn_num *a);

/* The number of a JSON number v (borrowed): an int for a JSON integer, a
 * float for a real. (The other way is fn_result_num, fn_result.h.) */
struct fn_num fn_num_of_json(const json_t *v);

/* Python's comparison of two numbers, exact across int and float: -1, 0
 * or 1, or 2 when unordered (a NaN is involved). */
int fn_num_cmp(const struct fn_num *a, const struct fn_num *b);

/* Python's a OP b for OP one of + - * / % ^ (see the file comment for the
 * int64 fallback). Returns 0, or -1 with *why set to a static message for
 * what Python raises on (division by zero, overflow, complex result). */
int fn_num_binop(char op, const struct fn_num *a, const struct fn_num *b,
                 struct fn_num *out, const char **why);

/* The double nearest to q (ties to even, subnormals rounded once), as
 * Python's float(Fraction) and int / int give; +-inf past DBL_MAX where
 * Python raises OverflowError. */
double fn_q_to_double(const mpq_t q);

#endif
