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

#define SAFE_INT 9007199254740991ULL /* node-semver's MAX_SAFE_INTEGER */
#define IS_X     ((uint64_t)-1)      /* a wildcard part */

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

/* The UTF-8 length of the non-ASCII whitespace of JavaScript (\s, trim())
 * at s[0..n): U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000 and U+FEFF; 0 for anything else. */
static size_t js_space_len(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n < 3)
		return 0;
	if ((s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) ||
	    (s[0] == 0xE2 && s[1] == 0x80 &&
	     (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)) ||
	    (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
	    (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
	    (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
		return 3;
	return 0;
}

/* A copy of s[0..n) (NUL-terminated, caller frees) with each non-ASCII
 * JavaScript whitespace made a ' ', as node-semver's trim() and \s see
 * them; *outn is its length. NULL when out of memory. */
static char *js_spaces(const char *s, size_t n, size_t *outn)
{
	char *out = malloc(n + 1);
	size_t len = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0, k; i < n;) {
		k = js_space_len((const unsigned char *)s + i, n - i);
		out[len++] = k ? ' ' : s[i];
		i += k ? k : 1;
	}
	out[len] = 0;
	*outn = len;
	return out;
}

/* A numeric identifier 0|[1-9][0-9]* at s[*i], at most SAFE_INT; with
 * clamp, a larger one reads as a value above SAFE_INT (node-semver refuses it
 * only where it reaches a comparator: set_add). */
static int parse_num(const char *s, size_t n, size_t *i, uint64_t *out,
                     int clamp)
{
	size_t k = *i;
	uint64_t v = 0;

	if (k >= n || !sopm_is_digit(s[k]))
		return -1;
	if (s[k] == '0' && k + 1 < n && sopm_is_digit(s[k + 1]))
		return -1;
	for (; k < n && sopm_is_digit(s[k]); k++) {
		if (v > SAFE_INT)
			continue; /* clamped */
		v = v * 10 + (uint64_t)(s[k] - '0');
		if (v > SAFE_INT && !clamp)
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

/* A strict version: surrounding ASCII whitespace and one leading 'v'. */
static int parse_version(const char *s, size_t n, struct ver *v)
{
	size_t i = 0;

	while (n && is_space(s[n - 1]))
		n--;
	while (i < n && is_space(s[i]))
		i++;
	if (i < n && s[i] == 'v')
		i++;
	for (int k = 0; k < 3; k++) {
		if (k && (i >= n || s[i++] != '.'))
			return -1;
		if (parse_num(s, n, &i, &v->n[k], 0) != 0)
			return -1;
	}
	return parse_tail(s, n, &i, v);
}

/* A partial version [v=\s]*(XR)(.XR(.XR PRE? BUILD?)?)?, XR a number or
 * x X *; absent parts are IS_X. */
static int parse_partial(const char *s, size_t n, struct ver *v)
{
	size_t i = 0;

	while (i < n && (s[i] == 'v' || s[i] == '=' || s[i] == ' '))
		i++; /* [v=\s]*: spaces only come in a hyphen range's ends */
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
		else if (parse_num(s, n, &i, &v->n[k], 1) != 0)
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
	size_t nany; /* of the n, node-semver's ANY ("" after replaceGTE0) */
	/* the tokens a set composes (a hyphen range's ">=lo", a starred
	 * token without its star): the comparators' prereleases point into
	 * them, so they live as long as the set */
	char *scratch;
	size_t scratch_used, scratch_cap;
};

/* len bytes of s's scratch, or NULL when it is full (never: range_test
 * sizes it for the whole range). */
static char *set_scratch(struct set *s, size_t len)
{
	char *p;

	if (s->scratch_cap - s->scratch_used < len)
		return NULL;
	p = s->scratch + s->scratch_used;
	s->scratch_used += len;
	return p;
}

static int set_add(struct set *s, enum op op, uint64_t M, uint64_t m,
                   uint64_t p, const char *pre, size_t prelen)
{
	if (s->n == s->cap)
		return -1; /* cap is 2 per token: never */
	/* a bound past MAX_SAFE_INTEGER ("^9007199254740991" gives
	 * <9007199254740992.0.0-0) is an invalid comparator in node-semver */
	if (M > SAFE_INT || m > SAFE_INT || p > SAFE_INT)
		return -1;
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
	/* node-semver's invalidXRangeOrder: a number after a wildcard
	 * ("x.1", "1.x.5", "*.1.2") is no x-range, and no comparator */
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
		if (op == OP_GE && k == 0 && M == 0 && m == 0 && p == 0 &&
		    v.pre == NULL)
			s->nany++; /* ">=0.0.0" but not ">=v0.0.0" */
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
		if (op == OP_GE && M == 0 && m == 0)
			s->nany++; /* ">=0.0.0", which replaceGTE0 drops */
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
	char *tok;

	if (parse_partial(lo, nlo, &a) != 0 || parse_partial(hi, nhi, &b) != 0)
		return -1;
	if (a.n[0] == IS_X) {
	} else if (a.n[1] == IS_X) {
		s->nany += a.n[0] == 0;
		if (ADD(OP_GE, a.n[0], 0, 0))
			return -1;
	} else if (a.n[2] == IS_X) {
		s->nany += a.n[0] == 0 && a.n[1] == 0;
		if (ADD(OP_GE, a.n[0], a.n[1], 0))
			return -1;
	} else {
		/* HYPHENRANGE's ^\s{0,1}, then COMPARATORTRIM on ">= 1.2.3" */
		for (int k = 0; k < 2 && nlo && lo[0] == ' '; k++) {
			lo++;
			nlo--;
		}
		if ((tok = set_scratch(s, nlo + 2)) == NULL)
			return -1;
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
	if (b.pre != NULL) /* <=M.m.p-pre, whatever came before M */
		return set_add(s, OP_LE, b.n[0], b.n[1], b.n[2], b.pre,
		               b.prelen);
	if (nhi && hi[0] == ' ') { /* COMPARATORTRIM on "<= 1.2.3" */
		hi++;
		nhi--;
	}
	if ((tok = set_scratch(s, nhi + 2)) == NULL)
		return -1;
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
	const char *st = memchr(t, '*', n);
	size_t k, b, m, i = 0;
	struct ver v;
	char *tok;

	if (st == NULL || (tok = set_scratch(s, n)) == NULL)
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
	size_t len = 0;

	s->n = 0;
	s->nany = 0;
	s->scratch_used = 0;
	/* HYPHENRANGE: "A - B", whose ends may start with [v=\s]* */
	for (size_t j = 1; j + 3 < n; j++) {
		struct ver a, b;
		const char *hi = p + j + 3;
		size_t nhi = n - j - 3;
		nhi -= p[n - 1] == ' '; /* \s{0,1}$ */
		if (memcmp(p + j, " - ", 3) == 0 &&
		    parse_partial(p, j, &a) == 0 &&
		    parse_partial(hi, nhi, &b) == 0)
			return parse_hyphen(s, p, j, hi, nhi);
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
			/* TILDETRIM makes "~> " a "~" ("~> >1.0.0" is
			 * "~>1.0.0"); COMPARATORTRIM, before it, takes that
			 * '>' as an operator like < <= > >= = */
			int gtlt = k == 0 || k > 2;
			size_t sp = 0, q;
			memcpy(buf + len, p + i, k == 0 ? 1 : ol);
			len += k == 0 ? 1 : ol;
			i += ol;
			for (; i < n && p[i] == ' '; i++)
				sp++;
			/* COMPARATORTRIM removes only the space after the
			 * operator (and one more before ~ or ^'s version, which
			 * TILDETRIM/CARETTRIM then join): in "< = 1" or "<  1"
			 * (a run a lone +build left), "= 1" or " 1" is the
			 * version part ([v=\s]* and a number), whose space
			 * splits "<" off as a comparator of its own, invalid */
			if ((k == 7 && i - sp - 1 >= 2 &&
			     p[i - sp - 2] == ' ' && p[i - sp - 3] == ' ') ||
			    sp > (k > 2 ? 1u : 2u) ||
			    (sp == 2 && i < n && (p[i] == '<' || p[i] == '>')))
				return -1;
			for (q = i; (gtlt || sp == 2) && q < n &&
			            (p[q] == 'v' || p[q] == '=');
			     q++)
				;
			if (q > i && q < n && p[q] == ' ')
				return -1;
		} else {
			buf[len++] = p[i++];
		}
	}
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && buf[j] != ' ')
			j++;
		if (j > i) {
			size_t had = s->n, hadany = s->nany;
			if (parse_token(s, buf + i, j - i) != 0) {
				s->n = had;
				s->nany = hadany;
				if (parse_starred(s, buf + i, j - i) != 0)
					return -1;
			}
		}
		i = j + 1;
	}
	return 0;
}

/* One alternative p[0..n) with node-semver's parseRange build strip (every
 * +ident(.ident)* removed, as the global BUILD regex does), into out (n
 * bytes at most). The spaces around a removed one stay, as in node-semver,
 * whose bounded \s then reads "1.2.3 +b - 2" as no hyphen range.
 * Returns the length written. */
static size_t strip_build(const char *p, size_t n, char *out)
{
	size_t len = 0;

	for (size_t i = 0; i < n;) {
		if (p[i] == '+' && i + 1 < n && is_ident_char(p[i + 1])) {
			i++;
			while (i < n && is_ident_char(p[i]))
				i++;
			while (i + 1 < n && p[i] == '.' &&
			       is_ident_char(p[i + 1])) {
				i++;
				while (i < n && is_ident_char(p[i]))
					i++;
			}
			continue;
		}
		out[len++] = p[i++];
	}
	return len;
}

/* 1 or 0, or -1 when range does not parse (-2: out of memory). */
static int range_test(const char *r, size_t n, const struct ver *v)
{
	char *norm = malloc(n + 1), *buf = malloc(n + 1), *alt = malloc(n + 1);
	struct set s = {0};
	size_t len = 0;
	int found = 0, rc = 0, any = 0;

	s.cap = 2 * n + 4;
	s.c = malloc(s.cap * sizeof(*s.c));
	s.scratch_cap = 2 * n + 16; /* a hyphen range's two ends + ">=" "<=" */
	s.scratch = malloc(s.scratch_cap);
	if (norm == NULL || buf == NULL || alt == NULL || s.c == NULL ||
	    s.scratch == NULL) {
		rc = -2;
		goto out;
	}
	/* runs of ASCII whitespace become one space, none at the ends */
	for (size_t i = 0; i < n; i++) {
		if (is_space(r[i])) {
			if (len && norm[len - 1] != ' ')
				norm[len++] = ' ';
		} else {
			norm[len++] = r[i];
		}
	}
	if (len && norm[len - 1] == ' ')
		len--;
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
		if (parse_set(&s, alt, strip_build(norm + a, b - a, alt),
		              buf) != 0)
			rc = -1;
		else if (s.n == s.nany)
			any = 1;
		else if (!found)
			found = set_test(&s, v);
		i = j + 2;
	}
	/* node-semver's Range: when one alternative is ANY (*, x, "",
	 * >=0.0.0), the range is just that one, which no prerelease
	 * satisfies: "1.2.3-a || *" refuses 1.2.3-a */
	if (any)
		found = v->pre == NULL;
out:
	free(norm);
	free(buf);
	free(alt);
	free(s.c);
	free(s.scratch);
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
	const char *fa = "a", *fb = "b", *bad_field = NULL, *ta, *tb;
	char *sa, *sb;
	int rc = 0, two = json_object_get(input, "a") != NULL;

	(void)ctx;
	*result = NULL;
	if (!two) {
		fa = "version";
		fb = "range";
	}
	/* the version parts point into sa and sb, freed last */
	ta = fn_arg_text(input, fa, "", &na);
	tb = fn_arg_text(input, fb, "", &nb);
	sa = js_spaces(ta, na, &na);
	sb = js_spaces(tb, nb, &nb);
	if (sa == NULL || sb == NULL)
		goto out;
	if (parse_version(sa, na, &a) != 0) {
		bad_field = fa;
	} else if (two) {
		if (parse_version(sb, nb, &b) != 0)
			bad_field = fb;
		else
			*result = json_integer(ver_cmp(&a, &b));
	} else {
		rc = range_test(sb, nb, &a);
		if (rc == -1)
			bad_field = fb;
		else if (rc >= 0)
			*result = json_pack("{s:b}", "satisfies", rc);
	}
out:
	free(sa);
	free(sb);
	if (bad_field != NULL)
		return bad(err, bad_field);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}
