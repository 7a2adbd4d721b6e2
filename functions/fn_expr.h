/* fn_expr.h - arithmetic expressions with Python's numeric semantics.
 *
 * The grammar is Python's for + - * / % ** (spelled ^ or **), unary signs
 * and parentheses, with the names pi, e, sqrt sin cos tan log (base 10)
 * ln (1 or 2 arguments) exp abs floor ceil round min max, and optionally
 * one variable; literals, blanks, comments and newlines as Python's
 * tokenizer reads them. Values keep Python's int/float distinction and
 * ints are exact, within the one bound described in fn_num.h.
 *
 * An expression compiles once into postfix code, its constant parts
 * computed at once, which can then be evaluated any number of times, from
 * any number of threads, with different values of the variable (for
 * `integrate`). */
#ifndef FN_EXPR_H
#define FN_EXPR_H

#include <stdint.h>

#include "fn_num.h"
#include "sopm_err.h"

/* Bounds that keep every input's cost and stack use small. */
#define FN_EXPR_MAX_LEN   10000 /* bytes of source */
#define FN_EXPR_MAX_DEPTH 64    /* nesting of parentheses, signs and powers */

struct fn_expr;

/* Compiles src (NUL-terminated UTF-8, at most FN_EXPR_MAX_LEN bytes). var
 * names the one allowed variable, or NULL for none. max_bits bounds every
 * int (FN_NUM_MAX_BITS for calculate). field is the input
 * field named in error messages. Returns a new program to free with
 * fn_expr_free(), or NULL with err set: SOPM_E_INVALID_INPUT for a syntax
 * error (with its 1-based character position), an unknown name, a wrong
 * argument count or too deep nesting; SOPM_E_INTERNAL when out of memory. */
struct fn_expr *fn_expr_compile(const char *src, const char *var,
                                size_t max_bits, const char *field,
                                struct sopm_err *err);

/* Evaluates ex with the variable bound to *x (x may be NULL when compiled
 * without a variable). Stores the value in *out (small form: an int past
 * int64 becomes the nearest float, fn_bnum_get_num) and returns 0, or returns
 * -1 with SOPM_E_INVALID_INPUT for what Python raises on (division or
 * modulo by zero, math domain error, overflow, a negative number to a
 * fractional power, i.e. a complex result, an int past max_bits). The
 * result may be an infinity or NaN where Python's float arithmetic gives one
 * (e.g. 1e308*10). ex is only read, so concurrent evaluations are safe. */
int fn_expr_eval(const struct fn_expr *ex, const struct fn_num *x,
                 struct fn_num *out, struct sopm_err *err);

/* Frees a program; NULL is ignored. */
void fn_expr_free(struct fn_expr *ex);

#endif
