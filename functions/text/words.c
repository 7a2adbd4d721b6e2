/* words.c - the functions over `\w+` words: word_count. Words are maximal
 * runs of code points that Python's `\w` matches (fn_uni_is_word). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"

#include <stdlib.h>
#include <string.h>

#define TOP_WORDS 10 /* word_count's top: Counter.most_common(10) */

/* One occurrence of a word in the lower-cased text. */
struct word {
	size_t off, len; /* bytes in the lower-cased text */
	size_t seq;      /* position among all words: first appearance */
	size_t count;    /* after grouping: occurrences of this word */
};

/* qsort_r order: by bytes (any total order groups equal words), then by
 * first appearance. base is the lower-cased text. */
static int word_cmp(const void *a, const void *b, void *base)
{
	const struct word *x = a, *y = b;
	const char *text = base;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(text + x->off, text + y->off, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Splits s into maximal runs of `\w` code points. Returns the number of
 * words in *out (a NEW malloc'd array, possibly NULL when 0), or -1 on OOM. */
static long split_words(const char *s, size_t n, struct word **out)
{
	struct word *w = NULL;
	size_t count = 0, cap = 0, i = 0, start = 0;
	int in_word = 0;
	uint32_t uc;

	while (i <= n) {
		size_t step = 0;
		int is_word = 0;
		if (i < n) {
			step = fn_uni_next(s + i, n - i, &uc);
			is_word = fn_uni_is_word(uc);
		}
		if (is_word && !in_word) {
			start = i;
			in_word = 1;
		} else if (!is_word && in_word) {
			if (count == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct word *p = realloc(w, nc * sizeof(*w));
				if (p == NULL) {
					free(w);
					return -1;
				}
				w = p;
				cap = nc;
			}
			w[count] = (struct word){start, i - start, count, 0};
			count++;
			in_word = 0;
		}
		if (i == n)
			break;
		i += step;
	}
	*out = w;
	return (long)count;
}

/* 1 if a ranks before b in Counter.most_common(): count desc, then first
 * appearance. */
static int word_before(const struct word *a, const struct word *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return a->seq < b->seq;
}

/* Groups sorted words in place: w[0..*uniq) become the distinct words with
 * their count and first appearance. Then fills top[] (most common first)
 * and returns how many it holds. */
static size_t group_words(const char *text, struct word *w, size_t n,
                          size_t *uniq, struct word *top)
{
	size_t u = 0, ntop = 0;

	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && w[j].len == w[i].len &&
		       memcmp(text + w[j].off, text + w[i].off, w[i].len) == 0)
			j++;
		/* Sorted by seq within the group: w[i] is the first. */
		w[u] = w[i];
		w[u].count = j - i;
		u++;
		i = j;
	}
	*uniq = u;
	for (size_t i = 0; i < u; i++) {
		size_t k = ntop < TOP_WORDS ? ntop++ : TOP_WORDS;
		if (k == TOP_WORDS && !word_before(&w[i], &top[k - 1]))
			continue;
		if (k == TOP_WORDS)
			k--;
		while (k > 0 && word_before(&w[i], &top[k - 1])) {
			top[k] = top[k - 1];
			k--;
		}
		top[k] = w[i];
	}
	return ntop;
}

static json_t *word_top_json(const char *low, const struct word *top,
                             size_t ntop)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < ntop; i++) {
		json_t *pair = json_pack("[s%I]", low + top[i].off, top[i].len,
		                         (json_int_t)top[i].count);
		if (pair == NULL || json_array_append_new(arr, pair) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}

fn_handler_t fn_word_count;

int fn_word_count(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	struct word top[TOP_WORDS], *w = NULL;
	size_t n, lown, uniq = 0, ntop;
	const char *text = fn_arg_text(input, "text", "", &n);
	char *low;
	long nw;
	json_t *tops, *out;

	(void)ctx;
	low = fn_uni_lower(text, n, &lown);
	if (low == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	nw = split_words(low, lown, &w);
	if (nw < 0) {
		free(low);
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	}
	if (nw > 0)
		qsort_r(w, (size_t)nw, sizeof(*w), word_cmp, low);
	ntop = group_words(low, w, (size_t)nw, &uniq, top);
	tops = word_top_json(low, top, ntop);
	out = tops ? json_pack("{s:I, s:I, s:I, s:I, s:o}", "words",
	                       (json_int_t)nw, "characters",
	                       (json_int_t)fn_uni_count(text, n), "lines",
	                       (json_int_t)fn_uni_count_lines(text, n),
	                       "unique_words", (json_int_t)uniq, "top", tops)
	           : NULL;
	free(w);
	free(low);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
