/* wordscan.h - shared by the text functions of sentiment, readability,
 * keywords, ngrams, truncate, wrap and detect_language: `\w+` words of the
 * lower-cased text, look-ups in sorted word lists, counting with ties by
 * first appearance, and Python's str.isspace(). */
#ifndef WORDSCAN_H
#define WORDSCAN_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A piece of a string: len bytes at p. */
struct ws_item {
	const char *p;
	size_t len;
	size_t seq;   /* position in the input sequence: first appearance */
	size_t count; /* after ws_rank: occurrences */
};

/* The words of s[0..n).lower(), as Python's re.findall(r"\w+",
 * s.lower()). On success returns the number of words, stores the lower-cased
 * text in *low (a NEW malloc'd buffer the caller frees, even when there are
 * no words) and the words in *words (a NEW malloc'd array pointing into
 * *low, NULL when there are none; count = 0, seq = index). -1 on OOM (nothing
 * to free). */
long ws_lower_words(const char *s, size_t n, char **low,
                    struct ws_item **words);

/* 1 if the len bytes at w are one of the strings of list[0..count), which
 * is sorted by strcmp (UTF-8 byte order). */
int ws_in_list(const char *const *list, size_t count, const char *w,
               size_t len);

/* Groups it[0..n) by equal bytes and orders the distinct items by count
 * descending, then first appearance (Counter.most_common order). Returns
 * the number of distinct items, now it[0..result) with their count and the
 * seq of their first occurrence. Needs seq to be distinct. */
size_t ws_rank(struct ws_item *it, size_t n);

/* [[item, count], ...] of it[0..n): a NEW reference, NULL on OOM. */
json_t *ws_pairs_json(const struct ws_item *it, size_t n);

#endif
