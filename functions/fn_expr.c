/* fn_expr.c - parser and evaluator for fn_expr.h.
 *
 * The parser is recursive descent with an explicit depth bound and emits
 * postfix code; the evaluator runs that code on a value stack sized at
 * compile time, so evaluation never recurses. Each operator mirrors the
 * CPython 3.11 routine named next to it (long_*, float_*, math_1, ...). */
#include "fn_expr.h"

#include <errno.h>
#include <float.h>
#include <gmp.h>
#include <math.h>
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

enum expr_op {
	OP_CONST,
	OP_VAR,
	OP_NEG,
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_MOD,
	OP_POW,
	OP_CALL
};

enum expr_fn {
	F_SQRT,
	F_SIN,
	F_COS,
	F_TAN,
	F_LOG,
	F_LN,
	F_EXP,
	F_ABS,
	F_FLOOR,
	F_CEIL,
	F_ROUND,
	F_MIN,
	F_MAX
};

static const struct {
	const char *name;
	enum expr_fn id;
	unsigned min_args, max_args; /* max 0: variadic */
} expr_fns[] = {
	{"sqrt", F_SQRT, 1, 1},	  {"sin", F_SIN, 1, 1},
	{"cos", F_COS, 1, 1},	  {"tan", F_TAN, 1, 1},
	{"log", F_LOG, 1, 1},	  {"ln", F_LN, 1, 1},
	{"exp", F_EXP, 1, 1},	  {"abs", F_ABS, 1, 1},
	{"floor", F_FLOOR, 1, 1}, {"ceil", F_CEIL, 1, 1},
	{"round", F_ROUND, 1, 2}, {"min", F_MIN, 1, 0},
	{"max", F_MAX, 1, 0},
};

struct insn {
	unsigned char op;
	unsigned char fn;
	uint32_t nargs;
	uint32_t pos; /* 1-based character position, for error messages */
	struct fn_num k;
};

struct fn_expr {
	struct insn *code;
	size_t n, cap;
	size_t max_stack;
	char field[48];
};

enum tok_kind {
	T_END,
	T_NUM,
	T_NAME,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_PCT,
	T_POW,
	T_LP,
	T_RP,
	T_COMMA
};

struct tok {
	enum tok_kind kind;
	size_t start, len; /* byte span in src */
	struct fn_num num;
};

struct parser {
	const char *src;
	size_t off; /* next byte to lex */
	int depth;
	size_t height; /* value stack height of the code emitted so far */
	const char *var;
	struct fn_expr *ex;
	struct sopm_err *err;
	struct tok tok;
};

/* ---- numbers -------------------------------------------------------- */

static struct fn_num num_int(int64_t i)
{
	struct fn_num v = {1, i, 0.0};
	return v;
}

static struct fn_num num_float(double d)
{
	struct fn_num v = {0, 0, d};
	return v;
}

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

json_t *fn_num_to_json(const struct fn_num *v)
{
	if (v->is_int)
		return json_integer(v->i);
	if (!isfinite(v->d))
		return NULL;
	return json_real(v->d);
}

/* ---- errors ----------------------------------------------------------- */

static size_t char_pos(const char *src, size_t off)
{
	size_t n = 1;

	for (size_t i = 0; i < off && src[i]; i++)
		if (((unsigned char)src[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int perr(struct parser *p, size_t off, const char *what)
{
	return sopm_err_set(p->err, SOPM_E_INVALID_INPUT,
			    "field '%s': %s at position %zu", p->ex->field,
			    what, char_pos(p->src, off));
}

static int eerr(const struct fn_expr *ex, const struct insn *in,
		const char *what, struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			    "field '%s': %s at position %u", ex->field, what,
			    (unsigned)in->pos);
}

/* ---- lexer ------------------------------------------------------------ */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       is_digit(c);
}

/* Scans digits with single underscores between them (Python 3.6+), copying
 * the digits to buf. Returns the end offset, or 0 on a misplaced '_'. */
static size_t scan_digits(const char *s, size_t i, char *buf, size_t *blen)
{
	while (is_digit(s[i])) {
		buf[(*blen)++] = s[i++];
		if (s[i] == '_') {
			if (!is_digit(s[i + 1]))
				return 0;
			i++;
		}
	}
	return i;
}

static int lex_number(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->off, blen = 0;
	int is_float = 0, leading_zero = s[i] == '0', nonzero = 0;
	char *buf = malloc(strlen(s + i) + 1);

	if (buf == NULL)
		return sopm_err_set(p->err, SOPM_E_INTERNAL, "out of memory");
	if (is_digit(s[i]) && (i = scan_digits(s, i, buf, &blen)) == 0)
		goto bad;
	for (size_t k = 0; k < blen; k++)
		nonzero |= buf[k] != '0';
	if (s[i] == '.') {
		is_float = 1;
		buf[blen++] = s[i++];
		if (is_digit(s[i]) && (i = scan_digits(s, i, buf, &blen)) == 0)
			goto bad;
	}
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (is_digit(s[i + 1]) ||
	     ((s[i + 1] == '+' || s[i + 1] == '-') && is_digit(s[i + 2])))) {
		is_float = 1;
		buf[blen++] = 'e';
		i++;
		if (s[i] == '+' || s[i] == '-')
			buf[blen++] = s[i++];
		if ((i = scan_digits(s, i, buf, &blen)) == 0)
			goto bad;
	}
	if (is_name_char(s[i]))
		goto bad;
	/* Python: "leading zeros in decimal integer literals are not
	 * permitted", except for an all-zero literal like 00. */
	if (!is_float && leading_zero && nonzero)
		goto bad;
	buf[blen] = '\0';
	errno = 0;
	if (!is_float) {
		char *end;
		long long v = strtoll(buf, &end, 10);
		if (errno == ERANGE) /* beyond int64: the nearest double */
			p->tok.num = num_float(strtod(buf, NULL));
		else
			p->tok.num = num_int(v);
	} else {
		/* strtod is correctly rounded, like Python's float literal;
		 * 1e400 is inf in both. */
		p->tok.num = num_float(strtod(buf, NULL));
	}
	free(buf);
	p->tok.kind = T_NUM;
	p->tok.len = i - p->off;
	p->off = i;
	return 0;
bad:
	free(buf);
	return perr(p, p->tok.start, "invalid number literal");
}

static int lex(struct parser *p)
{
	const char *s = p->src;
	static const char ws[] = " \t\n\r\f\v";

	while (s[p->off] && strchr(ws, s[p->off]))
		p->off++;
	p->tok.start = p->off;
	p->tok.len = 1;
	char c = s[p->off];
	if (c == '\0') {
		p->tok.kind = T_END;
		p->tok.len = 0;
		return 0;
	}
	if (is_digit(c) || (c == '.' && is_digit(s[p->off + 1])))
		return lex_number(p);
	if (is_name_char(c)) {
		size_t i = p->off;
		while (is_name_char(s[i]))
			i++;
		p->tok.kind = T_NAME;
		p->tok.len = i - p->off;
		p->off = i;
		return 0;
	}
	switch (c) {
	case '+':
		p->tok.kind = T_PLUS;
		break;
	case '-':
		p->tok.kind = T_MINUS;
		break;
	case '*':
		if (s[p->off + 1] == '*') {
			p->tok.kind = T_POW;
			p->tok.len = 2;
		} else {
			p->tok.kind = T_STAR;
		}
		break;
	case '/':
		p->tok.kind = T_SLASH;
		break;
	case '%':
		p->tok.kind = T_PCT;
		break;
	case '^':
		p->tok.kind = T_POW;
		break;
	case '(':
		p->tok.kind = T_LP;
		break;
	case ')':
		p->tok.kind = T_RP;
		break;
	case ',':
		p->tok.kind = T_COMMA;
		break;
	default:
		return perr(p, p->off, "unexpected character");
	}
	p->off += p->tok.len;
	return 0;
}

/* ---- code emission and parser ----------------------------------------- */

static int emit(struct parser *p, enum expr_op op, size_t off,
		const struct fn_num *k, unsigned fn, uint32_t nargs)
{
	struct fn_expr *ex = p->ex;

	if (ex->n == ex->cap) {
		size_t cap = ex->cap ? ex->cap * 2 : 16;
		struct insn *c = realloc(ex->code, cap * sizeof(*c));
		if (c == NULL)
			return sopm_err_set(p->err, SOPM_E_INTERNAL,
					    "out of memory");
		ex->code = c;
		ex->cap = cap;
	}
	struct insn *in = &ex->code[ex->n++];
	memset(in, 0, sizeof(*in));
	in->op = (unsigned char)op;
	in->fn = (unsigned char)fn;
	in->nargs = nargs;
	in->pos = (uint32_t)char_pos(p->src, off);
	if (k != NULL)
		in->k = *k;
	if (op == OP_CONST || op == OP_VAR)
		p->height++;
	else if (op == OP_CALL)
		p->height = p->height - nargs + 1;
	else if (op != OP_NEG)
		p->height--;
	if (p->height > ex->max_stack)
		ex->max_stack = p->height;
	return 0;
}

static int parse_expr(struct parser *p);
static int parse_unary(struct parser *p);

static int expect(struct parser *p, enum tok_kind kind, const char *what)
{
	if (p->tok.kind != kind)
		return perr(p, p->tok.start, what);
	return lex(p);
}

static int parse_call(struct parser *p, size_t fi, size_t off)
{
	uint32_t nargs = 0;

	if (lex(p) < 0) /* consume '(' */
		return -1;
	while (p->tok.kind != T_RP) {
		if (parse_expr(p) < 0)
			return -1;
		nargs++;
		if (p->tok.kind != T_COMMA)
			break;
		if (lex(p) < 0) /* Python allows a trailing comma */
			return -1;
	}
	if (expect(p, T_RP, "expected ')' or ','") < 0)
		return -1;
	if (nargs < expr_fns[fi].min_args ||
	    (expr_fns[fi].max_args && nargs > expr_fns[fi].max_args))
		return sopm_err_set(
		    p->err, SOPM_E_INVALID_INPUT,
		    "field '%s': wrong number of arguments to %s() at "
		    "position %zu",
		    p->ex->field, expr_fns[fi].name, char_pos(p->src, off));
	return emit(p, OP_CALL, off, NULL, expr_fns[fi].id, nargs);
}

static int parse_name(struct parser *p)
{
	size_t off = p->tok.start, len = p->tok.len;
	const char *name = p->src + off;
	struct fn_num k;

	if (lex(p) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(expr_fns) / sizeof(expr_fns[0]); i++)
		if (strlen(expr_fns[i].name) == len &&
		    memcmp(expr_fns[i].name, name, len) == 0) {
			if (p->tok.kind != T_LP)
				return perr(p, p->tok.start,
					    "expected '(' after a function");
			return parse_call(p, i, off);
		}
	if (len == 2 && memcmp(name, "pi", 2) == 0) {
		k = num_float(M_PI);
		return emit(p, OP_CONST, off, &k, 0, 0);
	}
	if (len == 1 && name[0] == 'e') {
		k = num_float(M_E);
		return emit(p, OP_CONST, off, &k, 0, 0);
	}
	if (p->var != NULL && strlen(p->var) == len &&
	    memcmp(p->var, name, len) == 0)
		return emit(p, OP_VAR, off, NULL, 0, 0);
	return sopm_err_set(p->err, SOPM_E_INVALID_INPUT,
			    "field '%s': unknown name '%.*s' at position %zu",
			    p->ex->field, (int)(len > 32 ? 32 : len), name,
			    char_pos(p->src, off));
}

static int parse_primary(struct parser *p)
{
	switch (p->tok.kind) {
	case T_NUM: {
		struct fn_num k = p->tok.num;
		size_t off = p->tok.start;
		if (lex(p) < 0)
			return -1;
		return emit(p, OP_CONST, off, &k, 0, 0);
	}
	case T_NAME:
		return parse_name(p);
	case T_LP:
		if (++p->depth > FN_EXPR_MAX_DEPTH)
			return perr(p, p->tok.start, "nesting is too deep");
		if (lex(p) < 0 || parse_expr(p) < 0 ||
		    expect(p, T_RP, "expected ')'") < 0)
			return -1;
		p->depth--;
		return 0;
	case T_END:
		return perr(p, p->tok.start, "unexpected end of expression");
	default:
		return perr(p, p->tok.start, "unexpected token");
	}
}

/* power := primary [('^' | '**') unary]; right-associative, and tighter
 * than a sign on its left but not on its right: -3^2 = -9, 2^-1 = 0.5. */
static int parse_power(struct parser *p)
{
	if (parse_primary(p) < 0)
		return -1;
	if (p->tok.kind != T_POW)
		return 0;
	size_t off = p->tok.start;
	if (lex(p) < 0 || parse_unary(p) < 0)
		return -1;
	return emit(p, OP_POW, off, NULL, 0, 0);
}

static int parse_unary(struct parser *p)
{
	int rc;

	if (++p->depth > FN_EXPR_MAX_DEPTH)
		return perr(p, p->tok.start, "nesting is too deep");
	if (p->tok.kind == T_MINUS || p->tok.kind == T_PLUS) {
		enum tok_kind k = p->tok.kind;
		size_t off = p->tok.start;
		rc = lex(p) < 0 || parse_unary(p) < 0 ? -1 : 0;
		if (rc == 0 && k == T_MINUS) /* unary + is the identity */
			rc = emit(p, OP_NEG, off, NULL, 0, 0);
	} else {
		rc = parse_power(p);
	}
	p->depth--;
	return rc;
}

static int parse_term(struct parser *p)
{
	if (parse_unary(p) < 0)
		return -1;
	for (;;) {
		enum expr_op op;
		switch (p->tok.kind) {
		case T_STAR:
			op = OP_MUL;
			break;
		case T_SLASH:
			op = OP_DIV;
			break;
		case T_PCT:
			op = OP_MOD;
			break;
		default:
			return 0;
		}
		size_t off = p->tok.start;
		if (lex(p) < 0 || parse_unary(p) < 0 ||
		    emit(p, op, off, NULL, 0, 0) < 0)
			return -1;
	}
}

static int parse_expr(struct parser *p)
{
	if (parse_term(p) < 0)
		return -1;
	while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
		enum expr_op op = p->tok.kind == T_PLUS ? OP_ADD : OP_SUB;
		size_t off = p->tok.start;
		if (lex(p) < 0 || parse_term(p) < 0 ||
		    emit(p, op, off, NULL, 0, 0) < 0)
			return -1;
	}
	return 0;
}

void fn_expr_free(struct fn_expr *ex)
{
	if (ex == NULL)
		return;
	free(ex->code);
	free(ex);
}

struct fn_expr *fn_expr_compile(const char *src, const char *var,
				const char *field, struct sopm_err *err)
{
	struct parser p;
	struct fn_expr *ex;

	if (strlen(src) > FN_EXPR_MAX_LEN) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
			     "field '%s' is longer than %d bytes", field,
			     FN_EXPR_MAX_LEN);
		return NULL;
	}
	ex = calloc(1, sizeof(*ex));
	if (ex == NULL) {
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		return NULL;
	}
	snprintf(ex->field, sizeof(ex->field), "%s", field);
	memset(&p, 0, sizeof(p));
	p.src = src;
	p.var = var;
	p.ex = ex;
	p.err = err;
	if (lex(&p) < 0 || parse_expr(&p) < 0)
		goto fail;
	if (p.tok.kind != T_END) {
		perr(&p, p.tok.start,
		     p.tok.kind == T_RP ? "unmatched ')'" : "unexpected token");
		goto fail;
	}
	return ex;
fail:
	fn_expr_free(ex);
	return NULL;
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

static int num_binop(enum expr_op op, const struct fn_num *a,
		     const struct fn_num *b, struct fn_num *out,
		     const char **why)
{
	int both = a->is_int && b->is_int;
	int64_t r;

	switch (op) {
	case OP_ADD:
		if (!both)
			*out = num_float(num_d(a) + num_d(b));
		else if (__builtin_add_overflow(a->i, b->i, &r))
			*out = num_i128((__int128)a->i + b->i);
		else
			*out = num_int(r);
		return 0;
	case OP_SUB:
		if (!both)
			*out = num_float(num_d(a) - num_d(b));
		else if (__builtin_sub_overflow(a->i, b->i, &r))
			*out = num_i128((__int128)a->i - b->i);
		else
			*out = num_int(r);
		return 0;
	case OP_MUL:
		if (!both)
			*out = num_float(num_d(a) * num_d(b));
		else
			*out = num_i128((__int128)a->i * b->i);
		return 0;
	case OP_DIV:
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
	case OP_MOD:
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
	case OP_POW:
		return num_pow(a, b, out, why);
	default:
		*why = "internal error";
		return -1;
	}
zero:
	*why = op == OP_MOD ? "modulo by zero" : "division by zero";
	return -1;
}

int fn_num_binop(char op, const struct fn_num *a, const struct fn_num *b,
		 struct fn_num *out, const char **why)
{
	static const char ops[] = "+-*/%^";
	static const enum expr_op codes[] = {OP_ADD, OP_SUB, OP_MUL,
					     OP_DIV, OP_MOD, OP_POW};
	const char *at = op ? strchr(ops, op) : NULL;

	if (at == NULL) {
		*why = "unknown operator";
		return -1;
	}
	return num_binop(codes[at - ops], a, b, out, why);
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
static double m_log(double x)
{
	if (isfinite(x)) {
		if (x > 0.0)
			return log(x);
		errno = EDOM;
		return x == 0.0 ? -HUGE_VAL : NAN;
	}
	if (isnan(x) || x > 0.0)
		return x;
	errno = EDOM;
	return NAN;
}

static double m_log10(double x)
{
	if (isfinite(x)) {
		if (x > 0.0)
			return log10(x);
		errno = EDOM;
		return x == 0.0 ? -HUGE_VAL : NAN;
	}
	if (isnan(x) || x > 0.0)
		return x;
	errno = EDOM;
	return NAN;
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

static int call_fn(enum expr_fn fn, const struct fn_num *args, uint32_t n,
		   struct fn_num *out, const char **why)
{
	const struct fn_num *a = &args[0];

	switch (fn) {
	case F_SQRT:
		return math_1(num_d(a), sqrt, 0, out, why);
	case F_SIN:
		return math_1(num_d(a), sin, 0, out, why);
	case F_COS:
		return math_1(num_d(a), cos, 0, out, why);
	case F_TAN:
		return math_1(num_d(a), tan, 0, out, why);
	case F_EXP:
		return math_1(num_d(a), exp, 1, out, why);
	case F_LOG:
		return math_log(a, m_log10, out, why);
	case F_LN:
		return math_log(a, m_log, out, why);
	case F_ABS:
		if (!a->is_int)
			*out = num_float(fabs(a->d));
		else
			*out = num_i128(a->i < 0 ? -(__int128)a->i : a->i);
		return 0;
	case F_FLOOR:
		if (a->is_int) {
			*out = *a;
			return 0;
		}
		return double_to_int(floor(a->d), out, why);
	case F_CEIL:
		if (a->is_int) {
			*out = *a;
			return 0;
		}
		return double_to_int(ceil(a->d), out, why);
	case F_ROUND:
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
	case F_MIN:
	case F_MAX: {
		/* builtin min/max: the first extreme item, compared exactly */
		size_t best = 0;
		for (uint32_t i = 1; i < n; i++) {
			int c = fn_num_cmp(&args[i], &args[best]);
			if ((fn == F_MIN && c == -1) || (fn == F_MAX && c == 1))
				best = i;
		}
		*out = args[best];
		return 0;
	}
	}
	*why = "internal error";
	return -1;
}

/* ---- evaluator ---------------------------------------------------------- */

int fn_expr_eval(const struct fn_expr *ex, const struct fn_num *x,
		 struct fn_num *out, struct sopm_err *err)
{
	struct fn_num *st;
	size_t sp = 0;
	const char *why = NULL;
	int rc = 0;

	st = malloc((ex->max_stack + 1) * sizeof(*st));
	if (st == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (size_t pc = 0; pc < ex->n && rc == 0; pc++) {
		const struct insn *in = &ex->code[pc];
		struct fn_num r;
		switch ((enum expr_op)in->op) {
		case OP_CONST:
			st[sp++] = in->k;
			continue;
		case OP_VAR:
			st[sp++] = x != NULL ? *x : num_float(NAN);
			continue;
		case OP_NEG:
			if (!st[sp - 1].is_int)
				st[sp - 1].d = -st[sp - 1].d;
			else
				st[sp - 1] = num_i128(-(__int128)st[sp - 1].i);
			continue;
		case OP_CALL:
			if (call_fn((enum expr_fn)in->fn, &st[sp - in->nargs],
				    in->nargs, &r, &why) < 0) {
				rc = eerr(ex, in, why, err);
				break;
			}
			sp -= in->nargs;
			st[sp++] = r;
			continue;
		default:
			if (num_binop((enum expr_op)in->op, &st[sp - 2],
				      &st[sp - 1], &r, &why) < 0) {
				rc = eerr(ex, in, why, err);
				break;
			}
			sp--;
			st[sp - 1] = r;
			continue;
		}
	}
	if (rc == 0)
		*out = st[0];
	free(st);
	return rc;
}
