/* wordscan.c - see wordscan.h. */
#include "wordscan.h"
#include "fn_unicode.h"

#include <stdlib.h>
#include <string.h>
#include <unictype.h>

long ws_lower_words(const char *s, size_t n, char **low, struct ws_item **words)
{
	size_t lown, i = 0, count = 0, cap = 0, start = 0;
	char *l = fn_uni_lower(s, n, &lown);
	struct ws_item *w = NULL;
	int in_word = 0;

	if (l == NULL)
		return -1;
	while (i <= lown) {
		uint32_t uc;
		size_t step = 0;
		int is_word = 0;
		if (i < lown) {
			step = fn_uni_next(l + i, lown - i, &uc);
			is_word = fn_uni_is_word(uc);
		}
		if (is_word && !in_word) {
			start = i;
			in_word = 1;
		} else if (!is_word && in_word) {
			if (count == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct ws_item *p = realloc(w, nc * sizeof(*w));
				if (p == NULL) {
					free(w);
					free(l);
					return -1;
				}
				w = p;
				cap = nc;
			}
			w[count] =
			    (struct ws_item){l + start, i - start, count, 0};
			count++;
			in_word = 0;
		}
		if (i == lown)
			break;
		i += step;
	}
	*low = l;
	*words = w;
	return (long)count;
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

int ws_in_list(const char *const *list, size_t count, const char *w, size_t len)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = bytes_cmp(w, len, list[mid], strlen(list[mid]));
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* By bytes, then first appearance: equal items become adjacent with the
 * first occurrence leading. */
static int by_bytes(const void *a, const void *b)
{
	const struct ws_item *x = a, *y = b;
	int c = bytes_cmp(x->p, x->len, y->p, y->len);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_rank(const void *a, const void *b)
{
	const struct ws_item *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t ws_rank(struct ws_item *it, size_t n)
{
	size_t u = 0;

	if (n == 0)
		return 0;
	qsort(it, n, sizeof(*it), by_bytes);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && it[j].len == it[i].len &&
		       memcmp(it[j].p, it[i].p, it[i].len) == 0)
			j++;
		it[u] = it[i];
		it[u].count = j - i;
		u++;
		i = j;
	}
	qsort(it, u, sizeof(*it), by_rank);
	return u;
}

json_t *ws_pairs_json(const struct ws_item *it, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < n; i++) {
		json_t *pair = json_pack("[s%I]", it[i].p, it[i].len,
		                         (json_int_t)it[i].count);
		if (pair == NULL || json_array_append_new(arr, pair) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return arr;
}
