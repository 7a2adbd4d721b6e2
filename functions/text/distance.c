/* distance.c - comparing two texts: levenshtein (edit distance over code
 * points) and similarity (difflib.SequenceMatcher's ratio, or the Jaccard
 * index of the `\w+` token sets). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_result.h"
#include "fn_unicode.h"
#include "textscan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

fn_handler_t fn_levenshtein;
fn_handler_t fn_similarity;

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* The code points of the string members a and b (NEW arrays in *a, *b, both
 * freed by the caller, also on failure). Returns 0, or -1 with err set: OOM,
 * or len(a) * len(b) above cells_max (the work both functions do). */
static int decode_pair(const json_t *input, uint32_t **a, size_t *la,
                       uint32_t **b, size_t *lb, size_t cells_max,
                       struct sopm_err *err)
{
	size_t na, nb;
	const char *sa = fn_arg_text(input, "a", "", &na);
	const char *sb = fn_arg_text(input, "b", "", &nb);

	*a = fn_text_decode(sa, na, la, NULL);
	*b = *a ? fn_text_decode(sb, nb, lb, NULL) : NULL;
	if (*b == NULL)
		return oom(err);
	if (*la != 0 && *lb > cells_max / *la)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "fields 'a' and 'b' are too long together: len(a) * len(b) "
		    "is %zu * %zu, at most %zu allowed",
		    *la, *lb, cells_max);
	return 0;
}

/* The edit distance of a[0..la) and b[0..lb) (insertions, deletions and
 * substitutions of one code point, each costing 1), with one row of the
 * Wagner-Fischer table. Returns -1 on OOM. */
static long edit_distance(const uint32_t *a, size_t la, const uint32_t *b,
                          size_t lb)
{
	uint32_t *row;
	long d;

	/* A common prefix or suffix never changes the distance. */
	while (la > 0 && lb > 0 && a[0] == b[0]) {
		a++, b++;
		la--, lb--;
	}
	while (la > 0 && lb > 0 && a[la - 1] == b[lb - 1])
		la--, lb--;
	if (la == 0 || lb == 0)
		return (long)(la + lb);
	row = malloc((lb + 1) * sizeof(*row));
	if (row == NULL)
		return -1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (uint32_t)j;
	for (size_t i = 1; i <= la; i++) {
		uint32_t diag = row[0];
		row[0] = (uint32_t)i;
		for (size_t j = 1; j <= lb; j++) {
			uint32_t up = row[j];
			uint32_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = (long)row[lb];
	free(row);
	return d;
}

int fn_levenshtein(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	uint32_t *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	long d = -1;
	json_t *out = NULL;
	int rc;

	(void)ctx;
	rc = decode_pair(input, &a, &la, &b, &lb,
	                 FN_LIMIT_LEVENSHTEIN_CELLS_MAX, err);
	if (rc == 0 && (d = edit_distance(a, la, b, lb)) >= 0)
		out = json_integer(d);
	free(a);
	free(b);
	if (rc != 0)
		return -1;
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- difflib.SequenceMatcher(None, a, b).ratio() ------------------------
 *
 * The same algorithm as CPython 3.11's Lib/difflib.py, so that every tie is
 * broken the same way: b2j maps each element of b to its positions, without
 * the "popular" elements (more than len(b) // 100 + 1 occurrences when
 * len(b) >= 200: the autojunk heuristic); find_longest_match() scans a
 * left to right keeping, per position j of b, the length of the match that
 * ends there (j2len), and then extends the best match over equal elements
 * on both sides (popular ones included: with no isjunk, nothing is junk);
 * get_matching_blocks() recurses on both sides of each match. */

struct seqmatch {
	const uint32_t *a, *b;
	size_t la, lb;
	long *akey;     /* per a[i]: its index among keys, -1 if not in b2j */
	size_t *kstart; /* positions of key k: pos[kstart[k]..kstart[k+1]) */
	size_t *pos;    /* positions in b, ascending within a key */
	size_t *len[2]; /* j2len of the rows of parity 0 and 1 ... */
	uint64_t *stamp[2]; /* ... valid where stamp[p][j] is that row */
	uint64_t row;
};

struct elt_pos {
	uint32_t elt;
	size_t j;
};

static int elt_pos_cmp(const void *x, const void *y)
{
	const struct elt_pos *p = x, *q = y;

	if (p->elt != q->elt)
		return p->elt < q->elt ? -1 : 1;
	return p->j < q->j ? -1 : p->j > q->j;
}

static void seqmatch_free(struct seqmatch *m)
{
	free(m->akey);
	free(m->kstart);
	free(m->pos);
	for (int p = 0; p < 2; p++) {
		free(m->len[p]);
		free(m->stamp[p]);
	}
}

/* Sorted keys of b2j in keys[0..*nkeys) with their positions in m. */
static void build_b2j(struct seqmatch *m, struct elt_pos *ep, uint32_t *keys,
                      size_t *nkeys)
{
	size_t lb = m->lb, ntest = lb / 100 + 1, nk = 0, np = 0;
	int autojunk = lb >= 200;

	for (size_t j = 0; j < lb; j++)
		ep[j] = (struct elt_pos){m->b[j], j};
	qsort(ep, lb, sizeof(*ep), elt_pos_cmp);
	for (size_t g = 0; g < lb;) {
		size_t e = g + 1;
		while (e < lb && ep[e].elt == ep[g].elt)
			e++;
		if (!(autojunk && e - g > ntest)) {
			keys[nk] = ep[g].elt;
			m->kstart[nk++] = np;
			for (size_t k = g; k < e; k++)
				m->pos[np++] = ep[k].j;
		}
		g = e;
	}
	m->kstart[nk] = np;
	*nkeys = nk;
}

static long find_key(const uint32_t *keys, size_t nkeys, uint32_t c)
{
	size_t lo = 0, hi = nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nkeys && keys[lo] == c ? (long)lo : -1;
}

static int seqmatch_init(struct seqmatch *m, const uint32_t *a, size_t la,
                         const uint32_t *b, size_t lb)
{
	struct elt_pos *ep = malloc((lb + 1) * sizeof(*ep));
	uint32_t *keys = malloc((lb + 1) * sizeof(*keys));
	size_t nkeys = 0;
	int rc = 0;

	*m = (struct seqmatch){.a = a, .b = b, .la = la, .lb = lb};
	m->akey = malloc((la + 1) * sizeof(*m->akey));
	m->kstart = malloc((lb + 2) * sizeof(*m->kstart));
	m->pos = malloc((lb + 1) * sizeof(*m->pos));
	for (int p = 0; p < 2; p++) {
		m->len[p] = malloc((lb + 1) * sizeof(*m->len[p]));
		m->stamp[p] = calloc(lb + 1, sizeof(*m->stamp[p]));
	}
	if (!ep || !keys || !m->akey || !m->kstart || !m->pos || !m->len[0] ||
	    !m->len[1] || !m->stamp[0] || !m->stamp[1]) {
		rc = -1;
	} else {
		build_b2j(m, ep, keys, &nkeys);
		for (size_t i = 0; i < la; i++)
			m->akey[i] = find_key(keys, nkeys, a[i]);
	}
	free(ep);
	free(keys);
	if (rc != 0)
		seqmatch_free(m);
	return rc;
}

struct match {
	size_t i, j, k;
};

static struct match find_longest_match(struct seqmatch *m, size_t alo,
                                       size_t ahi, size_t blo, size_t bhi)
{
	const uint32_t *a = m->a, *b = m->b;
	struct match best = {alo, blo, 0};

	m->row += 2; /* rows of an earlier call never look adjacent */
	for (size_t i = alo; i < ahi; i++) {
		int cur = (int)(++m->row & 1);
		size_t *len = m->len[cur], *plen = m->len[!cur];
		uint64_t *stamp = m->stamp[cur], *pstamp = m->stamp[!cur];
		long key = m->akey[i];
		size_t lo, hi;

		if (key < 0)
			continue;
		lo = m->kstart[key];
		hi = m->kstart[key + 1];
		while (lo < hi) { /* the first position >= blo */
			size_t mid = lo + (hi - lo) / 2;
			if (m->pos[mid] < blo)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t p = lo; p < m->kstart[key + 1]; p++) {
			size_t j = m->pos[p], k = 1;
			if (j >= bhi)
				break;
			if (j > 0 && pstamp[j - 1] == m->row - 1)
				k = plen[j - 1] + 1;
			len[j] = k;
			stamp[j] = m->row;
			if (k > best.k)
				best = (struct match){i + 1 - k, j + 1 - k, k};
		}
	}
	while (best.i > alo && best.j > blo && a[best.i - 1] == b[best.j - 1])
		best.i--, best.j--, best.k++;
	while (best.i + best.k < ahi && best.j + best.k < bhi &&
	       a[best.i + best.k] == b[best.j + best.k])
		best.k++;
	return best;
}

/* The number of elements in get_matching_blocks(), or -1 on OOM. */
static long matching_total(struct seqmatch *m)
{
	/* Pending ranges have disjoint non-empty a-sides: at most la + 1. */
	size_t(*queue)[4] = malloc((m->la + 2) * sizeof(*queue)), nq = 0;
	long total = 0;

	if (queue == NULL)
		return -1;
	queue[nq][0] = 0, queue[nq][1] = m->la;
	queue[nq][2] = 0, queue[nq][3] = m->lb;
	nq++;
	while (nq > 0) {
		size_t *q = queue[--nq];
		size_t alo = q[0], ahi = q[1], blo = q[2], bhi = q[3];
		struct match x = find_longest_match(m, alo, ahi, blo, bhi);
		if (x.k == 0)
			continue;
		total += (long)x.k;
		if (alo < x.i && blo < x.j) {
			size_t *r = queue[nq++];
			r[0] = alo, r[1] = x.i, r[2] = blo, r[3] = x.j;
		}
		if (x.i + x.k < ahi && x.j + x.k < bhi) {
			size_t *r = queue[nq++];
			r[0] = x.i + x.k, r[1] = ahi, r[2] = x.j + x.k,
			r[3] = bhi;
		}
	}
	free(queue);
	return total;
}

/* SequenceMatcher(None, a, b).ratio(), or a negative value on OOM. */
static double ratio(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
	struct seqmatch m;
	long matches;

	if (la + lb == 0)
		return 1.0;
	if (seqmatch_init(&m, a, la, b, lb) != 0)
		return -1.0;
	matches = matching_total(&m);
	seqmatch_free(&m);
	if (matches < 0)
		return -1.0;
	return 2.0 * (double)matches / (double)(la + lb);
}

/* ---- Jaccard over the sets of `\w+` tokens ---------------------------- */

struct token {
	const char *p;
	size_t len;
	int side; /* 0: a, 1: b */
};

static int token_cmp(const void *x, const void *y)
{
	const struct token *s = x, *t = y;
	size_t n = s->len < t->len ? s->len : t->len;
	int c = memcmp(s->p, t->p, n);

	if (c != 0)
		return c;
	return s->len < t->len ? -1 : s->len > t->len;
}

/* Appends the tokens of s[0..n) to *tok (grown as needed). */
static int collect_tokens(const char *s, size_t n, int side, struct token **tok,
                          size_t *count, size_t *cap)
{
	size_t pos = 0, off, len;

	while (fn_text_next_word(s, n, &pos, &off, &len)) {
		if (*count == *cap) {
			size_t nc = *cap ? *cap * 2 : 64;
			struct token *t = realloc(*tok, nc * sizeof(*t));
			if (t == NULL)
				return -1;
			*tok = t;
			*cap = nc;
		}
		(*tok)[(*count)++] = (struct token){s + off, len, side};
	}
	return 0;
}

/* |A & B| / |A | B| of the token sets, 1.0 when both are empty; a
 * negative value on OOM. */
static double jaccard(const json_t *input)
{
	size_t na, nb, count = 0, cap = 0, inter = 0, uni = 0;
	const char *a = fn_arg_text(input, "a", "", &na);
	const char *b = fn_arg_text(input, "b", "", &nb);
	struct token *tok = NULL;

	if (collect_tokens(a, na, 0, &tok, &count, &cap) != 0 ||
	    collect_tokens(b, nb, 1, &tok, &count, &cap) != 0) {
		free(tok);
		return -1.0;
	}
	if (count > 0)
		qsort(tok, count, sizeof(*tok), token_cmp);
	for (size_t g = 0; g < count;) {
		size_t e = g;
		int sides = 0;
		while (e < count && token_cmp(&tok[e], &tok[g]) == 0)
			sides |= 1 << tok[e++].side;
		uni++;
		inter += sides == 3;
		g = e;
	}
	free(tok);
	return uni == 0 ? 1.0 : (double)inter / (double)uni;
}

int fn_similarity(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	const char *method = fn_arg_str(input, "method", "ratio");
	double r;
	json_t *out;

	if (strcmp(method, "jaccard") == 0) {
		r = jaccard(input);
	} else {
		uint32_t *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;
		int rc = decode_pair(input, &a, &la, &b, &lb,
		                     FN_LIMIT_SIMILARITY_RATIO_CELLS_MAX, err);
		r = rc == 0 ? ratio(a, la, b, lb) : 0.0;
		free(a);
		free(b);
		if (rc != 0)
			return -1;
	}
	if (r < 0)
		return oom(err);
	out = fn_result_real(ctx, NULL, r);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
