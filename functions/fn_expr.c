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
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

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
    {"log", FN_F_LOG, 1, 1},     {"ln", FN_F_LN, 1, 2},
    {"exp", FN_F_EXP, 1, 1},     {"abs", FN_F_ABS, 1, 1},
    {"floor", FN_F_FLOOR, 1, 1}, {"ceil", FN_F_CEIL, 1, 1},
    {"round", FN_F_ROUND, 1, 2}, {"min", FN_F_MIN, 2, 0},
    {"max", FN_F_MAX, 2, 0},
};

/* The fn_bnum_binop operator of each binary opcode. */
static const char binop_char[] = {
    [OP_ADD] = '+', [OP_SUB] = '-', [OP_MUL] = '*',
    [OP_DIV] = '/', [OP_MOD] = '%', [OP_POW] = '^',
};

struct insn {
	unsigned char op;
	unsigned char fn;
	uint32_t nargs;
	uint32_t pos;     /* 1-based character position, for error messages */
	struct fn_bnum k; /* OP_CONST only (initialised only there) */
};

struct fn_expr {
	struct insn *code;
	size_t n, cap;
	size_t max_stack;
	size_t max_bits; /* the bound on ints */
	char field[48];
};

/* The longest normalised name kept: longer ones are no name we know. */
#define NAME_MAX_BYTES 16

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
	size_t start, len;  /* byte span in src */
	struct fn_bnum num; /* T_NUM */
	/* T_NAME: the name NFKC-normalised, as Python's parser reads it
	 * (NUL-terminated; name_len 0 when it is too long for any name) */
	char name[NAME_MAX_BYTES];
	size_t name_len;
};

struct parser {
	const char *src;
	size_t off; /* next byte to lex */
	int depth;
	int paren; /* open brackets: newlines inside them are blanks */
	int seen;  /* a token was lexed (a newline after it ends the input) */
	int bol;   /* at the start of a line outside brackets */
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

/* Python 3.11 refuses a decimal int literal of more than 4300 digits
 * (sys.int_info.default_max_str_digits). */
#define PY_MAX_STR_DIGITS 4300

static int is_base_digit(char c, int base)
{
	if (base == 16)
		return sopm_is_digit(c) || (c >= 'a' && c <= 'f') ||
		       (c >= 'A' && c <= 'F');
	return c >= '0' && c < '0' + base;
}

/* Scans digits of base with single underscores between them (Python
 * 3.6+), copying the digits to buf. Returns the end offset, or 0 on a
 * misplaced '_'. */
static size_t scan_digits(const char *s, size_t i, int base, char *buf,
                          size_t *blen)
{
	while (is_base_digit(s[i], base)) {
		buf[(*blen)++] = s[i++];
		if (s[i] == '_') {
			if (!is_base_digit(s[i + 1], base))
				return 0;
			i++;
		}
	}
	return i;
}

/* 0x 0o 0b literals at s + i (after the prefix): Python allows one '_'
 * right after the prefix too (0x_1f). Returns the end offset or 0. */
static size_t scan_prefixed(const char *s, size_t i, int base, char *buf,
                            size_t *blen)
{
	if (s[i] == '_')
		i++;
	if (!is_base_digit(s[i], base))
		return 0;
	return scan_digits(s, i, base, buf, blen);
}

static int prefix_base(const char *s)
{
	if (s[0] != '0')
		return 0;
	switch (s[1]) {
	case 'x':
	case 'X':
		return 16;
	case 'o':
	case 'O':
		return 8;
	case 'b':
	case 'B':
		return 2;
	default:
		return 0;
	}
}

/* Python's int and float literals: decimal, 0x 0o 0b, underscores; no
 * imaginary literals. */
static int lex_number(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->off, blen = 0;
	int is_float = 0, leading_zero = s[i] == '0', nonzero = 0;
	int base = prefix_base(s + i);
	size_t first = 0; /* first significant digit in buf */
	char *buf = malloc(strlen(s + i) + 1);

	if (buf == NULL)
		return sopm_err_set(p->err, SOPM_E_INTERNAL, "out of memory");
	if (base != 0) {
		if ((i = scan_prefixed(s, i + 2, base, buf, &blen)) == 0)
			goto bad;
		if (sopm_is_digit(s[i])) /* 0b102, 0o8 */
			goto bad;
		goto done;
	}
	base = 10;
	if (sopm_is_digit(s[i]) && (i = scan_digits(s, i, 10, buf, &blen)) == 0)
		goto bad;
	for (size_t k = 0; k < blen; k++)
		nonzero |= buf[k] != '0';
	if (s[i] == '.') {
		is_float = 1;
		buf[blen++] = s[i++];
		if (sopm_is_digit(s[i]) &&
		    (i = scan_digits(s, i, 10, buf, &blen)) == 0)
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
		if ((i = scan_digits(s, i, 10, buf, &blen)) == 0)
			goto bad;
	}
	/* Python: "leading zeros in decimal integer literals are not
	 * permitted", except for an all-zero literal like 00. */
	if (!is_float && leading_zero && nonzero)
		goto bad;
	while (!is_float && first + 1 < blen && buf[first] == '0')
		first++;
	if (!is_float && blen - first > PY_MAX_STR_DIGITS) {
		free(buf);
		return perr(p, p->tok.start,
		            "integer literal of more than 4300 digits");
	}
done:
	if (is_name_char(s[i]))
		goto bad;
	buf[blen] = '\0';
	if (!is_float) {
		p->tok.num.is_int = 1;
		if (mpz_set_str(p->tok.num.z, buf + first, base) != 0)
			goto bad;
		if (mpz_sizeinbase(p->tok.num.z, 2) > p->ex->max_bits) {
			free(buf);
			return perr(p, p->tok.start,
			            "integer literal too large");
		}
	} else {
		/* strtod is correctly rounded, like Python's float literal;
		 * 1e400 is inf in both. */
		p->tok.num.is_int = 0;
		p->tok.num.d = strtod(buf, NULL);
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

static int is_newline(char c)
{
	return c == '\n' || c == '\r';
}

/* Skips one newline (\n, \r\n or \r) at off. */
static size_t skip_newline(const char *s, size_t off)
{
	return off + (s[off] == '\r' && s[off + 1] == '\n' ? 2 : 1);
}

/* Skips a backslash continuation at off ("\\" and a newline). */
static int continuation(struct parser *p)
{
	p->off = skip_newline(p->src, p->off + 1);
	if (p->src[p->off] == '\0')
		return perr(p, p->off, "unexpected end after '\\'");
	return 0;
}

/* The start of a line outside brackets, as CPython 3.11's tokenizer reads
 * it: blank lines (blanks and comments) are skipped; a token or the end of
 * the input may not be indented (a space or tab after the last form feed,
 * counted across backslash continuations); and in eval mode no token may
 * follow a line that already held one. */
static int line_start(struct parser *p)
{
	const char *s = p->src;

	for (;;) {
		int col = 0, cont = 0; /* CPython's col (0 or not) and
		                          cont_line_col */
		for (;;) {
			char c = s[p->off];
			if (c == ' ' || c == '\t') {
				col = 1;
			} else if (c == '\f') {
				col = 0;
			} else if (c == '\\' && is_newline(s[p->off + 1])) {
				if (cont == 0)
					cont = col;
				if (continuation(p) < 0)
					return -1;
				continue;
			} else {
				break;
			}
			p->off++;
		}
		if (s[p->off] == '#') { /* a blank line (a comment) */
			while (s[p->off] && !is_newline(s[p->off]))
				p->off++;
			if (s[p->off] == '\0')
				return 0;
		}
		if (is_newline(s[p->off])) { /* a blank line */
			p->off = skip_newline(s, p->off);
			continue;
		}
		if (cont ? cont : col)
			return perr(p, p->off, "unexpected indent");
		if (s[p->off] != '\0' && p->seen)
			return perr(p, p->off, "unexpected newline");
		p->bol = 0;
		return 0;
	}
}

/* Skips what Python's tokenizer skips before a token: blanks (space, tab,
 * form feed), comments, backslash continuations, newlines inside
 * brackets, and what line_start skips after a newline outside them.
 * Returns 0, or -1 with err set. */
static int skip_blanks(struct parser *p)
{
	const char *s = p->src;

	for (;;) {
		char c = s[p->off];
		if (p->bol && p->paren == 0) {
			if (line_start(p) < 0)
				return -1;
		} else if (c == ' ' || c == '\t' || c == '\f') {
			p->off++;
		} else if (c == '#') {
			while (s[p->off] && !is_newline(s[p->off]))
				p->off++;
		} else if (c == '\\' && is_newline(s[p->off + 1])) {
			if (continuation(p) < 0)
				return -1;
		} else if (is_newline(c)) {
			p->off = skip_newline(s, p->off);
			p->bol = p->paren == 0;
		} else {
			return 0;
		}
	}
}

/* The code point at s (valid UTF-8, as the request parser checked) into
 * *uc; returns its length in bytes. */
static size_t code_point(const char *s, ucs4_t *uc)
{
	int n = u8_mbtouc(uc, (const uint8_t *)s, strnlen(s, 4));

	return n > 0 ? (size_t)n : 1;
}

/* An identifier, as CPython 3.11's tokenizer and parser read one: a
 * letter, '_' or a non-ASCII XID_Start code point, then letters, digits,
 * '_' and XID_Continue code points; a non-ASCII one is NFKC-normalised
 * ("ｐｉ", "ℯ" and "𝐬𝐪𝐫𝐭" are pi, e and sqrt). A non-ASCII code point
 * that cannot be there is "unexpected character", as Python refuses it. */
static int lex_name(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->off, ascii = 1;

	for (;;) {
		ucs4_t uc;
		size_t n = 1;
		if (is_name_char(s[i]) && (i > p->off || !sopm_is_digit(s[i])))
			uc = (unsigned char)s[i];
		else if ((unsigned char)s[i] < 0x80)
			break;
		else {
			n = code_point(s + i, &uc);
			if (!(i == p->off ? uc_is_property_xid_start(uc)
			                  : uc_is_property_xid_continue(uc)))
				return perr(p, i, "unexpected character");
			ascii = 0;
		}
		i += n;
	}
	p->tok.kind = T_NAME;
	p->tok.len = i - p->off;
	p->tok.name_len = 0;
	if (ascii) {
		if (p->tok.len < NAME_MAX_BYTES)
			p->tok.name_len = p->tok.len;
		memcpy(p->tok.name, s + p->off, p->tok.name_len);
	} else {
		size_t len = NAME_MAX_BYTES - 1;
		uint8_t *r =
		    u8_normalize(UNINORM_NFKC, (const uint8_t *)s + p->off,
		                 p->tok.len, (uint8_t *)p->tok.name, &len);
		if (r != NULL && r != (uint8_t *)p->tok.name)
			free(r); /* longer than any name: len is left 0 */
		else if (r != NULL)
			p->tok.name_len = len;
	}
	p->tok.name[p->tok.name_len] = '\0';
	p->off = i;
	return 0;
}

static int lex(struct parser *p)
{
	const char *s = p->src;

	if (skip_blanks(p) < 0)
		return -1;
	p->tok.start = p->off;
	p->tok.len = 1;
	char c = s[p->off];
	if (c == '\0') {
		p->tok.kind = T_END;
		p->tok.len = 0;
		return 0;
	}
	p->seen = 1;
	if (sopm_is_digit(c) || (c == '.' && sopm_is_digit(s[p->off + 1])))
		return lex_number(p);
	if (is_name_char(c) || (unsigned char)c >= 0x80)
		return lex_name(p);
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
		p->paren++;
		break;
	case ')':
		p->tok.kind = T_RP;
		if (p->paren > 0)
			p->paren--;
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

static size_t n_operands(const struct insn *in)
{
	switch ((enum expr_op)in->op) {
	case OP_CONST:
	case OP_VAR:
		return 0;
	case OP_NEG:
		return 1;
	case OP_CALL:
		return in->nargs;
	default:
		return 2;
	}
}

/* Constant folding: when every operand of the instruction just emitted is
 * a constant, computes it now and leaves one constant in their place, so
 * that a program run many times (integrate) computes its constant parts
 * once. On an error the code stays as it is: evaluation then meets that
 * error in the same order as without folding. */
static void fold(struct fn_expr *ex)
{
	struct insn *in = &ex->code[ex->n - 1], *args;
	size_t k = n_operands(in);
	struct fn_bnum *tmp;
	const char *why;
	int rc;

	if (k == 0 || ex->n < k + 1)
		return;
	args = in - k;
	for (size_t i = 0; i < k; i++)
		if (args[i].op != OP_CONST)
			return;
	tmp = malloc(k * sizeof(*tmp));
	if (tmp == NULL)
		return; /* folding is optional */
	for (size_t i = 0; i < k; i++) {
		fn_bnum_init(&tmp[i]);
		fn_bnum_set(&tmp[i], &args[i].k);
	}
	if (in->op == OP_NEG) {
		fn_bnum_neg(&tmp[0]);
		rc = 0;
	} else if (in->op == OP_CALL) {
		rc = fn_bnum_call((enum fn_num_fn)in->fn, tmp, (uint32_t)k,
		                  ex->max_bits, &why);
	} else {
		rc = fn_bnum_binop(binop_char[in->op], &tmp[0], &tmp[1],
		                   ex->max_bits, &why);
	}
	if (rc == 0) {
		fn_bnum_set(&args[0].k, &tmp[0]);
		for (size_t i = 1; i < k; i++)
			fn_bnum_clear(&args[i].k);
		ex->n -= k;
	}
	for (size_t i = 0; i < k; i++)
		fn_bnum_clear(&tmp[i]);
	free(tmp);
}

/* Appends an instruction; k is the value of an OP_CONST (copied). */
static int emit(struct parser *p, enum expr_op op, size_t off,
                const struct fn_bnum *k, unsigned fn, uint32_t nargs)
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
	if (op == OP_CONST) {
		fn_bnum_init(&in->k);
		fn_bnum_set(&in->k, k);
	}
	if (op == OP_CONST || op == OP_VAR)
		p->height++;
	else if (op == OP_CALL)
		p->height = p->height - nargs + 1;
	else if (op != OP_NEG)
		p->height--;
	if (p->height > ex->max_stack)
		ex->max_stack = p->height;
	fold(ex);
	return 0;
}

static int emit_float(struct parser *p, size_t off, double d)
{
	struct fn_bnum k;
	int rc;

	fn_bnum_init(&k);
	k.is_int = 0;
	k.d = d;
	rc = emit(p, OP_CONST, off, &k, 0, 0);
	fn_bnum_clear(&k);
	return rc;
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
	size_t off = p->tok.start, len = p->tok.name_len, src_len = p->tok.len;
	char name[NAME_MAX_BYTES];

	memcpy(name, p->tok.name, sizeof(name));

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
	if (len == 2 && memcmp(name, "pi", 2) == 0)
		return emit_float(p, off, M_PI);
	if (len == 1 && name[0] == 'e')
		return emit_float(p, off, M_E);
	if (p->var != NULL && strlen(p->var) == len &&
	    memcmp(p->var, name, len) == 0)
		return emit(p, OP_VAR, off, NULL, 0, 0);
	len = src_len > 32 ? 32 : src_len; /* shown, cut between characters */
	while (len < src_len &&
	       ((unsigned char)p->src[off + len] & 0xC0) == 0x80)
		len--;
	return sopm_err_set(p->err, SOPM_E_INVALID_INPUT,
	                    "field '%s': unknown name '%.*s' at position %zu",
	                    p->ex->field, (int)len, p->src + off,
	                    char_pos(p->src, off));
}

static int parse_primary(struct parser *p)
{
	switch (p->tok.kind) {
	case T_NUM: {
		size_t off = p->tok.start;
		if (emit(p, OP_CONST, off, &p->tok.num, 0, 0) < 0)
			return -1;
		return lex(p);
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
	for (size_t i = 0; i < ex->n; i++)
		if (ex->code[i].op == OP_CONST)
			fn_bnum_clear(&ex->code[i].k);
	free(ex->code);
	free(ex);
}

struct fn_expr *fn_expr_compile(const char *src, const char *var,
                                size_t max_bits, const char *field,
                                struct sopm_err *err)
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
	ex->max_bits = max_bits;
	memset(&p, 0, sizeof(p));
	p.src = src;
	p.var = var;
	p.ex = ex;
	p.err = err;
	fn_bnum_init(&p.tok.num);
	while (src[p.off] == ' ' || src[p.off] == '\t') /* as eval() */
		p.off++;
	p.bol = 1;
	if (lex(&p) < 0 || parse_expr(&p) < 0)
		goto fail;
	if (p.tok.kind != T_END) {
		perr(&p, p.tok.start,
		     p.tok.kind == T_RP ? "unmatched ')'" : "unexpected token");
		goto fail;
	}
	fn_bnum_clear(&p.tok.num);
	return ex;
fail:
	fn_bnum_clear(&p.tok.num);
	fn_expr_free(ex);
	return NULL;
}

/* ---- evaluator ---------------------------------------------------------- */

int fn_expr_eval(const struct fn_expr *ex, const struct fn_num *x,
                 struct fn_num *out, struct sopm_err *err)
{
	struct fn_bnum *st;
	size_t sp = 0, nst = ex->max_stack + 1;
	const char *why = NULL;
	int rc = 0;

	st = malloc(nst * sizeof(*st));
	if (st == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < nst; i++)
		fn_bnum_init(&st[i]);
	for (size_t pc = 0; pc < ex->n && rc == 0; pc++) {
		const struct insn *in = &ex->code[pc];
		switch ((enum expr_op)in->op) {
		case OP_CONST:
			fn_bnum_set(&st[sp++], &in->k);
			continue;
		case OP_VAR:
			if (x != NULL) {
				fn_bnum_set_num(&st[sp++], x);
			} else {
				st[sp].is_int = 0;
				st[sp++].d = NAN;
			}
			continue;
		case OP_NEG:
			fn_bnum_neg(&st[sp - 1]);
			continue;
		case OP_CALL:
			if (fn_bnum_call((enum fn_num_fn)in->fn,
			                 &st[sp - in->nargs], in->nargs,
			                 ex->max_bits, &why) < 0) {
				rc = eerr(ex, in, why, err);
				break;
			}
			sp -= in->nargs - 1;
			continue;
		default:
			if (fn_bnum_binop(binop_char[in->op], &st[sp - 2],
			                  &st[sp - 1], ex->max_bits,
			                  &why) < 0) {
				rc = eerr(ex, in, why, err);
				break;
			}
			sp--;
			continue;
		}
	}
	if (rc == 0 && fn_bnum_get_num(&st[0], out, &why) < 0)
		rc = sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                  "field '%s': the result: %s", ex->field, why);
	for (size_t i = 0; i < nst; i++)
		fn_bnum_clear(&st[i]);
	free(st);
	return rc;
}
