/* semver.c - `semver_compare`: SemVer 2.0.0 precedence of two versions, or
 * whether a version satisfies a range as node-semver (strict, without
 * includePrerelease) reads it: || alternatives, hyphen ranges, ^ ~ ~> and
 * < <= > >= = comparators with x, X and * wildcards and partial versions, and
 * node-semver's rule for prereleases. Each token of a range becomes at most
 * two comparators, exactly as node-semver's replaceCaret, replaceTilde,
 * replaceXRange and hyphenReplace rewrite it. */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_ascii.h"
#include "fn_limits.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#define SAFE_INT        9007199254740991ULL /* node-semver's MAX_SAFE_INTEGER */
#define IS_X            ((uint64_t)-1)      /* a wildcard part */
#define RANGE_TOKEN_MAX (FN_LIMIT_SEMVER_COMPARE_RANGE_MAX * 4 + 4)

struct ver {
	uint64_t n[3];
	const char *pre; /* dot-separated identifiers, or NULL */
	size_t prelen;
};

enum op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

struct cmp {
	enum op op;
	struct ver v;
};

static int is_ident_char(char c)
{
	return sopm_is_digit(c) || c == '-' ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* The length in bytes of the JavaScript whitespace (String.prototype.trim
 * and \s, which node-semver uses) at s[i] < n: ASCII \t \n \v \f \r and
 * space, U+FEFF, U+2028, U+2029 and the space separators (Zs: U+00A0,
 * U+1680, U+2000..U+200A, U+202F, U+205F, U+3000); 0 if none. */
static size_t js_space(const char *s, size_t n, size_t i)
{
	ucs4_t uc;
	int len;

	if (is_space(s[i]))
		return 1;
	if ((unsigned char)s[i] < 0x80)
		return 0;
	len = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
	if (uc == 0xFEFF || uc == 0x2028 || uc == 0x2029 ||
	    uc_is_general_category(uc, UC_CATEGORY_Zs))
		return (size_t)len;
	return 0;
}

/* s[0..n) without its leading and trailing JavaScript whitespace: the
 * start in *i, the new length returned. */
static size_t js_trim(const char *s, size_t n, size_t *i)
{
	size_t k, end;

	*i = 0;
	while (*i < n && (k = js_space(s, n, *i)) > 0)
		*i += k;
	end = *i;
	for (size_t j = *i; j < n;) {
		k = js_space(s, n, j);
		j += k ? k : 1;
		if (k == 0)
			end = j;
	}
	return end;
}

/* node-semver's BUILD at s[i]: '+' and dot-separated [A-Za-z0-9-]+; its
 * length, or 0. */
static size_t build_len(const char *s, size_t n, size_t i)
{
	size_t k = i + 1, st;

	if (i >= n || s[i] != '+')
		return 0;
	for (;;) {
		st = k;
		while (k < n && is_ident_char(s[k]))
			k++;
		if (k == st)
			return st == i + 1 ? 0 : st - 1 - i;
		if (k < n && s[k] == '.' && k + 1 < n &&
		    is_ident_char(s[k + 1]))
			k++;
		else
			return k - i;
	}
}

/* A numeric identifier 0|[1-9][0-9]* at s[*i], at most SAFE_INT. */
static int parse_num(const char *s, size_t n, size_t *i, uint64_t *out)
{
	size_t k = *i;
	uint64_t v = 0;

	if (k >= n || !sopm_is_digit(s[k]))
		return -1;
	if (s[k] == '0' && k + 1 < n && sopm_is_digit(s[k + 1]))
		return -1;
	for (; k < n && sopm_is_digit(s[k]); k++) {
		v = v * 10 + (uint64_t)(s[k] - '0');
		if (v > SAFE_INT)
			return -1;
	}
	*i = k;
	*out = v;
	return 0;
}

/* Dot-separated identifiers at s[*i] up to a character that cannot be in
 * one; prerelease identifiers (pre) may not be numeric with a leading 0. */
static int parse_idents(const char *s, size_t n, size_t *i, int pre)
{
	size_t k = *i;

	for (;;) {
		size_t st = k;
		int digits = 1;
		while (k < n && is_ident_char(s[k])) {
			digits &= sopm_is_digit(s[k]);
			k++;
		}
		if (k == st)
			return -1;
		if (pre && digits && s[st] == '0' && k - st > 1)
			return -1;
		if (k < n && s[k] == '.') {
			k++;
			continue;
		}
		break;
	}
	*i = k;
	return 0;
}

/* The optional -prerelease and +build at s[*i], to the end of s. */
static int parse_tail(const char *s, size_t n, size_t *i, struct ver *v)
{
	size_t k = *i;

	v->pre = NULL;
	v->prelen = 0;
	if (k < n && s[k] == '-') {
		size_t st = ++k;
		if (parse_idents(s, n, &k, 1) != 0)
			return -1;
		v->pre = s + st;
		v->prelen = k - st;
	}
	if (k < n && s[k] == '+') {
		k++;
		if (parse_idents(s, n, &k, 0) != 0)
			return -1;
	}
	*i = k;
	return k == n ? 0 : -1;
}

/* A strict version: surrounding JavaScript whitespace (node-semver's
 * trim()) and one leading 'v'. */
static int parse_version(const char *s, size_t n, struct ver *v)
{
	size_t i;

	n = js_trim(s, n, &i);
	if (i < n && s[i] == 'v')
		i++;
	for (int k = 0; k < 3; k++) {
		if (k && (i >= n || s[i++] != '.'))
			return -1;
		if (parse_num(s, n, &i, &v->n[k]) != 0)
			return -1;
	}
	return parse_tail(s, n, &i, v);
}

/* A partial version [v=]*(XR)(.XR(.XR PRE? BUILD?)?)?, XR a number or
 * x X *; absent parts are IS_X. */
static int parse_partial(const char *s, size_t n, struct ver *v)
{
	size_t i = 0;

	while (i < n && (s[i] == 'v' || s[i] == '='))
		i++;
	v->n[0] = v->n[1] = v->n[2] = IS_X;
	v->pre = NULL;
	v->prelen = 0;
	for (int k = 0; k < 3; k++) {
		if (k) {
			if (i == n)
				return 0;
			if (s[i++] != '.')
				return -1;
		}
		if (i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*'))
			i++;
		else if (parse_num(s, n, &i, &v->n[k]) != 0)
			return -1;
	}
	return parse_tail(s, n, &i, v);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_ident(const char *a, size_t na, const char *b, size_t nb)
{
	int da = 1, db = 1, c;

	for (size_t i = 0; i < na; i++)
		da &= sopm_is_digit(a[i]);
	for (size_t i = 0; i < nb; i++)
		db &= sopm_is_digit(b[i]);
	if (da && db) /* no leading zeros: longer is larger */
		return na != nb                     ? (na < nb ? -1 : 1)
		       : (c = memcmp(a, b, na)) < 0 ? -1
		                                    : c > 0;
	if (da != db)
		return da ? -1 : 1;
	c = memcmp(a, b, na < nb ? na : nb);
	if (c)
		return c < 0 ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

/* SemVer 2.0.0 precedence (build metadata ignored). */
static int ver_cmp(const struct ver *a, const struct ver *b)
{
	const char *pa = a->pre, *pb = b->pre, *ea, *eb;

	for (int k = 0; k < 3; k++)
		if (a->n[k] != b->n[k])
			return cmp_u64(a->n[k], b->n[k]);
	if (pa == NULL || pb == NULL)
		return (pa == NULL) - (pb == NULL);
	ea = pa + a->prelen;
	eb = pb + b->prelen;
	for (;;) {
		const char *xa = memchr(pa, '.', (size_t)(ea - pa));
		const char *xb = memchr(pb, '.', (size_t)(eb - pb));
		size_t la = (size_t)((xa ? xa : ea) - pa);
		size_t lb = (size_t)((xb ? xb : eb) - pb);
		int c = cmp_ident(pa, la, pb, lb);
		if (c)
			return c;
		if (!xa || !xb)
			return (xa != NULL) - (xb != NULL);
		pa = xa + 1;
		pb = xb + 1;
	}
}

struct set {
	struct cmp *c;
	size_t n, cap;
};

static int set_add(struct set *s, enum op op, uint64_t M, uint64_t m,
                   uint64_t p, const char *pre, size_t prelen)
{
	if (s->n == s->cap)
		return -1; /* cap is 2 per token: never */
	if (M > SAFE_INT || m > SAFE_INT || p > SAFE_INT)
		return -1; /* node-semver's Comparator throws
		              (^9007199254740991) */
	s->c[s->n].op = op;
	s->c[s->n].v.n[0] = M;
	s->c[s->n].v.n[1] = m;
	s->c[s->n].v.n[2] = p;
	s->c[s->n].v.pre = pre;
	s->c[s->n].v.prelen = prelen;
	s->n++;
	return 0;
}

#define ADD(op, M, m, p)  set_add(s, op, M, m, p, NULL, 0)
#define ADD0(op, M, m, p) set_add(s, op, M, m, p, "0", 1)

/* One token: an operator and a partial version. */
static int parse_token(struct set *s, const char *t, size_t n)
{
	struct ver v;
	size_t i = 0;
	enum op op = OP_EQ;
	int kind = 0; /* '^', '~' or 0 */
	uint64_t M, m, p;

	if (n && t[0] == '^') {
		kind = '^';
		i = 1;
	} else if (n && t[0] == '~') {
		kind = '~';
		i = n > 1 && t[1] == '>' ? 2 : 1;
	} else {
		int lt = 0, gt = 0, eq = 0;
		if (i < n && (t[i] == '<' || t[i] == '>')) {
			lt = t[i] == '<';
			gt = !lt;
			i++;
		}
		if (i < n && t[i] == '=') {
			eq = 1;
			i++;
		}
		op = lt   ? (eq ? OP_LE : OP_LT)
		     : gt ? (eq ? OP_GE : OP_GT)
		          : OP_EQ;
	}
	if (parse_partial(t + i, n - i, &v) != 0)
		return -1;
	M = v.n[0];
	m = v.n[1];
	p = v.n[2];
	if (kind == '^' || kind == '~') {
		if (M == IS_X)
			return 0;
		if (m == IS_X)
			return ADD(OP_GE, M, 0, 0) || ADD0(OP_LT, M + 1, 0, 0);
		if (p == IS_X) {
			if (kind == '^' && M != 0)
				return ADD(OP_GE, M, m, 0) ||
				       ADD0(OP_LT, M + 1, 0, 0);
			return ADD(OP_GE, M, m, 0) || ADD0(OP_LT, M, m + 1, 0);
		}
		if (set_add(s, OP_GE, M, m, p, v.pre, v.prelen))
			return -1;
		if (kind == '~' || (M == 0 && m != 0))
			return ADD0(OP_LT, M, m + 1, 0);
		if (M == 0)
			return ADD0(OP_LT, M, m, p + 1);
		return ADD0(OP_LT, M + 1, 0, 0);
	}
	/* node-semver's invalidXRangeOrder: a number after a wildcard (x.1,
	 * 1.x.3, *.1) leaves the comparator unparsed, hence invalid */
	if ((M == IS_X && m != IS_X) || (m == IS_X && p != IS_X))
		return -1;
	if (M != IS_X && m != IS_X && p != IS_X) {
		/* no wildcard: node-semver's comparator takes one 'v' */
		const char *r = t + i;
		size_t k = 0;
		if (k < n - i && r[k] == 'v')
			k++;
		if (k >= n - i || !sopm_is_digit(r[k]))
			return -1;
		return set_add(s, op, M, m, p, v.pre, v.prelen);
	}
	if (M == IS_X)
		return op == OP_LT || op == OP_GT ? ADD0(OP_LT, 0, 0, 0) : 0;
	if (op != OP_EQ) {
		int xm = m == IS_X;
		if (xm)
			m = 0;
		p = 0;
		if (op == OP_GT) {
			op = OP_GE;
			if (xm) {
				M++;
				m = 0;
			} else {
				m++;
			}
		} else if (op == OP_LE) {
			op = OP_LT;
			if (xm)
				M++;
			else
				m++;
		}
		return op == OP_LT ? ADD0(op, M, m, p) : ADD(op, M, m, p);
	}
	if (m == IS_X)
		return ADD(OP_GE, M, 0, 0) || ADD0(OP_LT, M + 1, 0, 0);
	return ADD(OP_GE, M, m, 0) || ADD0(OP_LT, M, m + 1, 0);
}

/* node-semver's hyphenReplace of "lo - hi". */
static int parse_hyphen(struct set *s, const char *lo, size_t nlo,
                        const char *hi, size_t nhi)
{
	struct ver a, b;
	char tok[RANGE_TOKEN_MAX];

	if (parse_partial(lo, nlo, &a) != 0 || parse_partial(hi, nhi, &b) != 0)
		return -1;
	if (a.n[0] == IS_X) {
	} else if (a.n[1] == IS_X) {
		if (ADD(OP_GE, a.n[0], 0, 0))
			return -1;
	} else if (a.n[2] == IS_X) {
		if (ADD(OP_GE, a.n[0], a.n[1], 0))
			return -1;
	} else {
		tok[0] = '>';
		tok[1] = '=';
		memcpy(tok + 2, lo, nlo);
		if (parse_token(s, tok, nlo + 2) != 0)
			return -1;
	}
	if (b.n[0] == IS_X)
		return 0;
	if (b.n[1] == IS_X)
		return ADD0(OP_LT, b.n[0] + 1, 0, 0);
	if (b.n[2] == IS_X)
		return ADD0(OP_LT, b.n[0], b.n[1] + 1, 0);
	tok[0] = '<';
	tok[1] = '=';
	memcpy(tok + 2, hi, nhi);
	return parse_token(s, tok, nhi + 2);
}

/* Does v satisfy the comparators of s, with node-semver's prerelease rule
 * (a prerelease passes only if some comparator of the set is a prerelease
 * of the same major.minor.patch)? */
static int set_test(const struct set *s, const struct ver *v)
{
	for (size_t k = 0; k < s->n; k++) {
		int c = ver_cmp(v, &s->c[k].v);
		int ok = s->c[k].op == OP_EQ   ? c == 0
		         : s->c[k].op == OP_LT ? c < 0
		         : s->c[k].op == OP_LE ? c <= 0
		         : s->c[k].op == OP_GT ? c > 0
		                               : c >= 0;
		if (!ok)
			return 0;
	}
	if (v->pre == NULL)
		return 1;
	for (size_t k = 0; k < s->n; k++) {
		const struct ver *a = &s->c[k].v;
		if (a->pre != NULL && a->n[0] == v->n[0] &&
		    a->n[1] == v->n[1] && a->n[2] == v->n[2])
			return 1;
	}
	return 0;
}

/* node-semver's replaceStars, for a token that nothing else reads: the
 * first (<|>)?=?\* goes, and what is left must be empty (any version) or
 * one comparator of a full version ("1.2.3*" is 1.2.3, "*<2.0.0" <2.0.0). */
static int parse_starred(struct set *s, const char *t, size_t n)
{
	char tok[RANGE_TOKEN_MAX];
	const char *st = memchr(t, '*', n);
	size_t k, b, m, i = 0;
	struct ver v;

	if (st == NULL || n > sizeof(tok))
		return -1;
	k = (size_t)(st - t);
	b = k;
	if (b > 0 && t[b - 1] == '=')
		b--;
	if (b > 0 && (t[b - 1] == '<' || t[b - 1] == '>'))
		b--;
	memcpy(tok, t, b);
	memcpy(tok + b, t + k + 1, n - k - 1);
	m = n - (k + 1 - b);
	if (m == 0)
		return 0;
	if (tok[i] == '<' || tok[i] == '>')
		i++;
	if (i < m && tok[i] == '=')
		i++;
	if (parse_partial(tok + i, m - i, &v) != 0 || v.n[0] == IS_X ||
	    v.n[1] == IS_X || v.n[2] == IS_X)
		return -1;
	return parse_token(s, tok, m);
}

static const char *const trim_ops[] = {
    "~>", "~", "^", "<=", ">=", "<", ">", "="};

/* One comparator set (spaces already single): a hyphen range, or tokens
 * with the spaces after operators removed. */
static int parse_set(struct set *s, const char *p, size_t n, char *buf)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	size_t len = 0;

	s->n = 0;
	if (sp1 != NULL && (size_t)(sp1 - p) + 3 < n && sp1[1] == '-' &&
	    sp1[2] == ' ' &&
	    (sp2 = memchr(sp1 + 3, ' ', n - (size_t)(sp1 - p) - 3)) == NULL) {
		struct ver a, b;
		const char *hi = sp1 + 3;
		size_t nlo = (size_t)(sp1 - p), nhi = n - (size_t)(hi - p);
		if (parse_partial(p, nlo, &a) == 0 &&
		    parse_partial(hi, nhi, &b) == 0)
			return parse_hyphen(s, p, nlo, hi, nhi);
	}
	for (size_t i = 0; i < n;) {
		size_t k, ol = 0;
		for (k = 0; k < sizeof(trim_ops) / sizeof(*trim_ops); k++) {
			ol = strlen(trim_ops[k]);
			if (i + ol < n && memcmp(p + i, trim_ops[k], ol) == 0 &&
			    p[i + ol] == ' ')
				break;
		}
		if (k < sizeof(trim_ops) / sizeof(*trim_ops)) {
			memcpy(buf + len, p + i, ol);
			len += ol;
			i += ol;
			while (i < n && p[i] == ' ')
				i++;
		} else {
			buf[len++] = p[i++];
		}
	}
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && buf[j] != ' ')
			j++;
		if (j > i) {
			size_t had = s->n;
			if (parse_token(s, buf + i, j - i) != 0) {
				s->n = had;
				if (parse_starred(s, buf + i, j - i) != 0)
					return -1;
			}
		}
		i = j + 1;
	}
	return 0;
}

/* 1 or 0, or -1 when range does not parse. */
static int range_test(const char *r, size_t n, const struct ver *v)
{
	char *norm = malloc(n + 1), *buf = malloc(n + 1);
	struct set s = {0};
	size_t len = 0;
	int found = 0, rc = 0;

	s.cap = 2 * n + 4;
	s.c = malloc(s.cap * sizeof(*s.c));
	if (norm == NULL || buf == NULL || s.c == NULL) {
		rc = -2;
		goto out;
	}
	/* runs of JavaScript whitespace become one space, none at the ends;
	 * then build metadata (+ids) goes wherever it is, as node-semver
	 * 7.8's parseRange strips it (spaces around it stay) */
	for (size_t i = 0, k; i < n;) {
		if ((k = js_space(r, n, i)) > 0) {
			if (len && norm[len - 1] != ' ')
				norm[len++] = ' ';
			i += k;
		} else {
			norm[len++] = r[i++];
		}
	}
	if (len && norm[len - 1] == ' ')
		len--;
	{
		size_t w = 0;
		for (size_t i = 0, k; i < len;) {
			if ((k = build_len(norm, len, i)) > 0)
				i += k;
			else
				norm[w++] = norm[i++];
		}
		len = w;
	}
	for (size_t i = 0; i <= len && rc == 0;) {
		size_t j = i, a, b;
		while (j < len &&
		       !(norm[j] == '|' && j + 1 < len && norm[j + 1] == '|'))
			j++;
		a = i;
		b = j;
		while (a < b && norm[a] == ' ')
			a++;
		while (b > a && norm[b - 1] == ' ')
			b--;
		if (parse_set(&s, norm + a, b - a, buf) != 0)
			rc = -1;
		else if (!found)
			found = set_test(&s, v);
		i = j + 2;
	}
out:
	free(norm);
	free(buf);
	free(s.c);
	return rc ? rc : found;
}

static int bad(struct sopm_err *err, const char *field)
{
	return sopm_err_set(
	    err, SOPM_E_INVALID_INPUT, "field '%s' is not a %s", field,
	    strcmp(field, "range") == 0 ? "range as node-semver reads it"
	                                : "SemVer 2.0.0 version");
}

fn_handler_t fn_semver_compare;

int fn_semver_compare(const json_t *input, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	struct ver a, b;
	size_t na, nb;
	const char *sa, *sb;
	int rc;

	(void)ctx;
	if (json_object_get(input, "a") != NULL) {
		sa = fn_arg_text(input, "a", "", &na);
		sb = fn_arg_text(input, "b", "", &nb);
		if (parse_version(sa, na, &a) != 0)
			return bad(err, "a");
		if (parse_version(sb, nb, &b) != 0)
			return bad(err, "b");
		*result = json_integer(ver_cmp(&a, &b));
	} else {
		sa = fn_arg_text(input, "version", "", &na);
		sb = fn_arg_text(input, "range", "", &nb);
		if (parse_version(sa, na, &a) != 0)
			return bad(err, "version");
		rc = range_test(sb, nb, &a);
		if (rc == -1)
			return bad(err, "range");
		*result = rc == -2 ? NULL : json_pack("{s:b}", "satisfies", rc);
	}
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}
