/* fn_expr.c - parser and evaluator for fn_expr.h.
 *
 * The parser is recursive descent with an explicit depth bound and emits
 * postfix code; the evaluator runs that code on a value stack sized at
 * compile time, so evaluation never recurses. The arithmetic is in
 * fn_num.c. */
#include "fn_expr.h"
#include "sopm_ascii.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
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

static const struct {
	const char *name;
	enum fn_num_fn id;
	unsigned min_args, max_args; /* max 0: variadic */
} expr_fns[] = {
    {"sqrt", FN_F_SQRT, 1, 1},   {"sin", FN_F_SIN, 1, 1},
    {"cos", FN_F_COS, 1, 1},     {"tan", FN_F_TAN, 1, 1},
    {"log", FN_F_LOG, 1, 1},     {"ln", FN_F_LN, 1, 1},
    {"exp", FN_F_EXP, 1, 1},     {"abs", FN_F_ABS, 1, 1},
    {"floor", FN_F_FLOOR, 1, 1}, {"ceil", FN_F_CEIL, 1, 1},
    {"round", FN_F_ROUND, 1, 2}, {"min", FN_F_MIN, 1, 0},
    {"max", FN_F_MAX, 1, 0},
};

/* The fn_num_binop operator of each binary opcode. */
static const char binop_char[] = {
    [OP_ADD] = '+', [OP_SUB] = '-', [OP_MUL] = '*',
    [OP_DIV] = '/', [OP_MOD] = '%', [OP_POW] = '^',
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

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       sopm_is_digit(c);
}

/* Scans digits with single underscores between them (Python 3.6+), copying
 * the digits to buf. Returns the end offset, or 0 on a misplaced '_'. */
static size_t scan_digits(const char *s, size_t i, char *buf, size_t *blen)
{
	while (sopm_is_digit(s[i])) {
		buf[(*blen)++] = s[i++];
		if (s[i] == '_') {
			if (!sopm_is_digit(s[i + 1]))
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
	if (sopm_is_digit(s[i]) && (i = scan_digits(s, i, buf, &blen)) == 0)
		goto bad;
	for (size_t k = 0; k < blen; k++)
		nonzero |= buf[k] != '0';
	if (s[i] == '.') {
		is_float = 1;
		buf[blen++] = s[i++];
		if (sopm_is_digit(s[i]) &&
		    (i = scan_digits(s, i, buf, &blen)) == 0)
			goto bad;
	}
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (sopm_is_digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') &&
	                                 sopm_is_digit(s[i + 2])))) {
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
	if (sopm_is_digit(c) || (c == '.' && sopm_is_digit(s[p->off + 1])))
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
	case T_LP: /* the depth bound is in parse_unary, which this reaches */
		if (lex(p) < 0 || parse_expr(p) < 0 ||
		    expect(p, T_RP, "expected ')'") < 0)
			return -1;
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

/* Every operand passes here, so depth counts the nesting of parentheses,
 * signs, powers and calls, and bounds the recursion of the whole parser. */
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
			st[sp - 1] = fn_num_neg(&st[sp - 1]);
			continue;
		case OP_CALL:
			if (fn_num_call((enum fn_num_fn)in->fn,
			                &st[sp - in->nargs], in->nargs, &r,
			                &why) < 0) {
				rc = eerr(ex, in, why, err);
				break;
			}
			sp -= in->nargs;
			st[sp++] = r;
			continue;
		default:
			if (fn_num_binop(binop_char[in->op], &st[sp - 2],
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
