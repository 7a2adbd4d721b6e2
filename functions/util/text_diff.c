/* text_diff.c - `text_diff`: Python's difflib.unified_diff(a.splitlines(),
 * b.splitlines(), lineterm="") (default, empty file names) with difflib's
 * SequenceMatcher (isjunk=None, autojunk=True) followed step by step, so
 * that the same matching blocks come out. Lines are interned to integers
 * (through a jansson object as the hash table), so equality is an integer
 * compare. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "sopm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *p;
	size_t len;
};

struct lines {
	struct line *v;
	size_t n;
	long *id; /* interned line */
};

struct block {
	size_t i, j, k;
};

struct sm {
	struct lines a, b;
	size_t *b2j_start, *b2j; /* b indices of each id, ascending */
	size_t nids;
	size_t *len_prev, *len_cur, *st_prev, *st_cur; /* j2len */
	size_t row;
	unsigned long long work;
	struct block *blocks;
	size_t nblocks;
};

/* str.splitlines() of s[0..n): lines without their ends. */
static int split_lines(const char *s, size_t n, struct lines *out)
{
	size_t cap = 0, i = 0, start = 0;

	out->v = NULL;
	out->n = 0;
	while (i <= n) {
		uint32_t uc = 0;
		size_t l = 0, end = i;
		int brk = 0;
		if (i < n) {
			l = fn_uni_next(s + i, n - i, &uc);
			brk = fn_uni_is_linebreak(uc);
			if (brk && uc == '\r' && i + 1 < n && s[i + 1] == '\n')
				l = 2;
		}
		if (brk || (i == n && start < n)) {
			if (out->n == cap) {
				cap = cap ? 2 * cap : 64;
				struct line *v =
				    realloc(out->v, cap * sizeof(*v));
				if (v == NULL)
					return -1;
				out->v = v;
			}
			out->v[out->n].p = s + start;
			out->v[out->n].len = end - start;
			out->n++;
			start = i + l;
		}
		if (i == n)
			break;
		i += l;
	}
	return 0;
}

/* Gives every distinct line an id; b's ids come first. */
static int intern(struct sm *m)
{
	json_t *tab = json_object();
	struct lines *ls[2] = {&m->b, &m->a};
	long next = 0;

	if (tab == NULL)
		return -1;
	for (int w = 0; w < 2; w++) {
		ls[w]->id = malloc((ls[w]->n + 1) * sizeof(long));
		if (ls[w]->id == NULL)
			goto fail;
		for (size_t i = 0; i < ls[w]->n; i++) {
			const struct line *l = &ls[w]->v[i];
			json_t *v = json_object_getn(tab, l->p, l->len);
			if (v == NULL) {
				if (json_object_setn_new_nocheck(
				        tab, l->p, l->len,
				        v = json_integer(next++)) != 0)
					goto fail;
			}
			ls[w]->id[i] = (long)json_integer_value(v);
		}
	}
	json_decref(tab);
	m->nids = (size_t)next;
	return 0;
fail:
	json_decref(tab);
	return -1;
}

/* b2j without the popular lines (autojunk: more than len(b) // 100 + 1
 * occurrences when len(b) >= 200). */
static int build_b2j(struct sm *m)
{
	size_t nb = m->b.n, ntest = nb / 100 + 1;
	size_t *cnt = calloc(m->nids + 1, sizeof(size_t));

	m->b2j_start = calloc(m->nids + 1, sizeof(size_t));
	m->b2j = malloc((nb + 1) * sizeof(size_t));
	if (cnt == NULL || m->b2j_start == NULL || m->b2j == NULL) {
		free(cnt);
		return -1;
	}
	for (size_t j = 0; j < nb; j++)
		cnt[m->b.id[j]]++;
	if (nb >= 200)
		for (size_t id = 0; id < m->nids; id++)
			if (cnt[id] > ntest)
				cnt[id] = 0;
	for (size_t id = 0; id < m->nids; id++)
		m->b2j_start[id + 1] = m->b2j_start[id] + cnt[id];
	memset(cnt, 0, (m->nids + 1) * sizeof(size_t));
	for (size_t j = 0; j < nb; j++) {
		size_t id = (size_t)m->b.id[j];
		if (m->b2j_start[id] + cnt[id] < m->b2j_start[id + 1])
			m->b2j[m->b2j_start[id] + cnt[id]++] = j;
	}
	free(cnt);
	return 0;
}

static int find_longest(struct sm *m, size_t alo, size_t ahi, size_t blo,
                        size_t bhi, struct block *out)
{
	size_t besti = alo, bestj = blo, bestsize = 0;

	m->row += 2; /* nothing of an earlier call reads as the last row */
	for (size_t i = alo; i < ahi; i++) {
		long id = m->a.id[i];
		size_t *t;
		m->row++;
		if ((size_t)id < m->nids) {
			for (size_t x = m->b2j_start[id];
			     x < m->b2j_start[id + 1]; x++) {
				size_t j = m->b2j[x], k;
				if (++m->work > FN_LIMIT_TEXT_DIFF_WORK_MAX)
					return -1;
				if (j < blo)
					continue;
				if (j >= bhi)
					break;
				k = (j > 0 && m->st_prev[j - 1] == m->row - 1
				         ? m->len_prev[j - 1]
				         : 0) +
				    1;
				m->len_cur[j] = k;
				m->st_cur[j] = m->row;
				if (k > bestsize) {
					besti = i - k + 1;
					bestj = j - k + 1;
					bestsize = k;
				}
			}
		}
		t = m->len_prev;
		m->len_prev = m->len_cur;
		m->len_cur = t;
		t = m->st_prev;
		m->st_prev = m->st_cur;
		m->st_cur = t;
	}
	while (besti > alo && bestj > blo &&
	       m->a.id[besti - 1] == m->b.id[bestj - 1]) {
		besti--;
		bestj--;
		bestsize++;
	}
	while (besti + bestsize < ahi && bestj + bestsize < bhi &&
	       m->a.id[besti + bestsize] == m->b.id[bestj + bestsize])
		bestsize++;
	out->i = besti;
	out->j = bestj;
	out->k = bestsize;
	return 0;
}

static int block_cmp(const void *x, const void *y)
{
	const struct block *a = x, *b = y;

	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	if (a->j != b->j)
		return a->j < b->j ? -1 : 1;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* get_matching_blocks(), the final (la, lb, 0) included. */
static int matching_blocks(struct sm *m)
{
	size_t cap = m->a.n + 2, nq = 1, n = 0;
	size_t(*q)[4] = malloc(cap * sizeof(*q));
	struct block *bl = malloc(cap * sizeof(*bl)), cur = {0, 0, 0};

	if (q == NULL || bl == NULL)
		goto fail;
	q[0][0] = 0;
	q[0][1] = m->a.n;
	q[0][2] = 0;
	q[0][3] = m->b.n;
	while (nq) {
		size_t alo = q[nq - 1][0], ahi = q[nq - 1][1],
		       blo = q[nq - 1][2], bhi = q[nq - 1][3];
		struct block x;
		nq--;
		if (find_longest(m, alo, ahi, blo, bhi, &x) != 0) {
			free(q);
			free(bl);
			return -2;
		}
		if (!x.k)
			continue;
		bl[n++] = x; /* blocks are disjoint in a: at most len(a) */
		if (alo < x.i && blo < x.j) {
			q[nq][0] = alo;
			q[nq][1] = x.i;
			q[nq][2] = blo;
			q[nq][3] = x.j;
			nq++;
		}
		if (x.i + x.k < ahi && x.j + x.k < bhi) {
			q[nq][0] = x.i + x.k;
			q[nq][1] = ahi;
			q[nq][2] = x.j + x.k;
			q[nq][3] = bhi;
			nq++;
		}
	}
	free(q);
	qsort(bl, n, sizeof(*bl), block_cmp);
	m->nblocks = 0;
	for (size_t t = 0; t < n; t++) {
		if (cur.i + cur.k == bl[t].i && cur.j + cur.k == bl[t].j) {
			cur.k += bl[t].k;
		} else {
			if (cur.k)
				bl[m->nblocks++] = cur;
			cur = bl[t];
		}
	}
	if (cur.k)
		bl[m->nblocks++] = cur;
	bl[m->nblocks].i = m->a.n;
	bl[m->nblocks].j = m->b.n;
	bl[m->nblocks].k = 0;
	m->nblocks++;
	m->blocks = bl;
	return 0;
fail:
	free(q);
	free(bl);
	return -1;
}

enum op_tag { OP_EQUAL, OP_REPLACE, OP_DELETE, OP_INSERT };

struct opcode {
	enum op_tag tag;
	size_t i1, i2, j1, j2;
};

static struct opcode *opcodes(const struct sm *m, size_t *nops)
{
	struct opcode *ops = malloc((2 * m->nblocks + 1) * sizeof(*ops));
	size_t i = 0, j = 0, n = 0;

	if (ops == NULL)
		return NULL;
	for (size_t t = 0; t < m->nblocks; t++) {
		const struct block *b = &m->blocks[t];
		int tag = -1;
		if (i < b->i && j < b->j)
			tag = OP_REPLACE;
		else if (i < b->i)
			tag = OP_DELETE;
		else if (j < b->j)
			tag = OP_INSERT;
		if (tag >= 0)
			ops[n++] =
			    (struct opcode){(enum op_tag)tag, i, b->i, j, b->j};
		i = b->i + b->k;
		j = b->j + b->k;
		if (b->k)
			ops[n++] = (struct opcode){OP_EQUAL, b->i, i, b->j, j};
	}
	*nops = n;
	return ops;
}

static int add_lines(struct sopm_buf *o, char mark, const struct lines *l,
                     size_t from, size_t to, long *changes)
{
	for (size_t x = from; x < to; x++) {
		char c[2] = {'\n', mark};
		if (sopm_buf_add(o, c, 2) != 0 ||
		    sopm_buf_add(o, l->v[x].p, l->v[x].len) != 0)
			return -1;
		if (mark != ' ')
			(*changes)++;
	}
	return 0;
}

static void range_text(char *buf, size_t cap, size_t start, size_t stop)
{
	size_t beginning = start + 1, length = stop - start;

	if (length == 1)
		snprintf(buf, cap, "%zu", beginning);
	else
		snprintf(buf, cap, "%zu,%zu",
		         length ? beginning : beginning - 1, length);
}

static int emit_group(struct sopm_buf *o, const struct sm *m,
                      const struct opcode *g, size_t n, long *changes)
{
	char r1[48], r2[48], head[128];

	range_text(r1, sizeof(r1), g[0].i1, g[n - 1].i2);
	range_text(r2, sizeof(r2), g[0].j1, g[n - 1].j2);
	snprintf(head, sizeof(head), "\n@@ -%s +%s @@", r1, r2);
	if (sopm_buf_add(o, head, strlen(head)) != 0)
		return -1;
	for (size_t t = 0; t < n; t++) {
		const struct opcode *c = &g[t];
		if (c->tag == OP_EQUAL) {
			if (add_lines(o, ' ', &m->a, c->i1, c->i2, changes) !=
			    0)
				return -1;
			continue;
		}
		if ((c->tag == OP_REPLACE || c->tag == OP_DELETE) &&
		    add_lines(o, '-', &m->a, c->i1, c->i2, changes) != 0)
			return -1;
		if ((c->tag == OP_REPLACE || c->tag == OP_INSERT) &&
		    add_lines(o, '+', &m->b, c->j1, c->j2, changes) != 0)
			return -1;
	}
	return 0;
}

/* get_grouped_opcodes(3), each group emitted as it closes. */
static int unified(struct sopm_buf *o, const struct sm *m, long *changes)
{
	const size_t ctx = 3;
	size_t nops, ng = 0;
	struct opcode *ops = opcodes(m, &nops), *group;
	int rc = 0;

	if (ops == NULL)
		return -1;
	if (nops == 0)
		ops[nops++] = (struct opcode){OP_EQUAL, 0, 1, 0, 1};
	if (ops[0].tag == OP_EQUAL) {
		ops[0].i1 =
		    ops[0].i2 > ctx + ops[0].i1 ? ops[0].i2 - ctx : ops[0].i1;
		ops[0].j1 =
		    ops[0].j2 > ctx + ops[0].j1 ? ops[0].j2 - ctx : ops[0].j1;
	}
	if (ops[nops - 1].tag == OP_EQUAL) {
		struct opcode *l = &ops[nops - 1];
		l->i2 = l->i2 < l->i1 + ctx ? l->i2 : l->i1 + ctx;
		l->j2 = l->j2 < l->j1 + ctx ? l->j2 : l->j1 + ctx;
	}
	group = malloc((nops + 1) * sizeof(*group));
	if (group == NULL) {
		free(ops);
		return -1;
	}
	for (size_t t = 0; t < nops && rc == 0; t++) {
		struct opcode c = ops[t];
		if (c.tag == OP_EQUAL && c.i2 - c.i1 > 2 * ctx) {
			group[ng] = c;
			group[ng].i2 = c.i2 < c.i1 + ctx ? c.i2 : c.i1 + ctx;
			group[ng].j2 = c.j2 < c.j1 + ctx ? c.j2 : c.j1 + ctx;
			ng++;
			rc = emit_group(o, m, group, ng, changes);
			ng = 0;
			c.i1 = c.i2 - ctx > c.i1 ? c.i2 - ctx : c.i1;
			c.j1 = c.j2 - ctx > c.j1 ? c.j2 - ctx : c.j1;
		}
		group[ng++] = c;
	}
	if (rc == 0 && ng && !(ng == 1 && group[0].tag == OP_EQUAL))
		rc = emit_group(o, m, group, ng, changes);
	free(group);
	free(ops);
	return rc;
}

static void sm_free(struct sm *m)
{
	free(m->a.v);
	free(m->a.id);
	free(m->b.v);
	free(m->b.id);
	free(m->b2j_start);
	free(m->b2j);
	free(m->len_prev);
	free(m->len_cur);
	free(m->st_prev);
	free(m->st_cur);
	free(m->blocks);
}

fn_handler_t fn_text_diff;

int fn_text_diff(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	size_t na, nb, nb1;
	const char *a = fn_arg_text(input, "a", "", &na);
	const char *b = fn_arg_text(input, "b", "", &nb);
	struct sm m = {0};
	struct sopm_buf o = {0};
	long changes = 0;
	int rc;

	(void)ctx;
	if (split_lines(a, na, &m.a) != 0 || split_lines(b, nb, &m.b) != 0)
		goto oom;
	if ((unsigned long long)m.a.n * m.b.n >
	    FN_LIMIT_TEXT_DIFF_LINES_PRODUCT_MAX) {
		sm_free(&m);
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "fields 'a' and 'b': lines of a times lines "
		    "of 'b' exceed %d",
		    FN_LIMIT_TEXT_DIFF_LINES_PRODUCT_MAX);
	}
	nb1 = m.b.n + 1;
	m.len_prev = calloc(nb1, sizeof(size_t));
	m.len_cur = calloc(nb1, sizeof(size_t));
	m.st_prev = calloc(nb1, sizeof(size_t));
	m.st_cur = calloc(nb1, sizeof(size_t));
	if (m.len_prev == NULL || m.len_cur == NULL || m.st_prev == NULL ||
	    m.st_cur == NULL || intern(&m) != 0 || build_b2j(&m) != 0)
		goto oom;
	rc = matching_blocks(&m);
	if (rc == -2) {
		sm_free(&m);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'b': the diff needs more than %d "
		                    "steps",
		                    FN_LIMIT_TEXT_DIFF_WORK_MAX);
	}
	if (rc != 0 || sopm_buf_add(&o, "--- \n+++ ", 9) != 0 ||
	    unified(&o, &m, &changes) != 0)
		goto oom;
	/* no hunk: no header either */
	*result = json_pack("{s:s%, s:i}", "diff", o.p, o.len > 9 ? o.len : 0,
	                    "changes", (json_int_t)changes);
	sm_free(&m);
	free(o.p);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
oom:
	sm_free(&m);
	free(o.p);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}
