/* fn_text.c - text analysis functions of the catalog (category "text"). */
#include "fn.h"
#include "sopm_buf.h"
#include "fn_unicode.h"

#include <stdlib.h>
#include <string.h>

/* Every text field is bounded in code points by its schema. */
#define TEXT_MAX_CHARS "1000000"
#define TOP_WORDS      10

/* The member `key` of validated input: a string with its length in bytes. */
static const char *arg_text(const json_t *in, const char *key, size_t *len,
                            const char *dflt)
{
	json_t *v = json_object_get(in, key);

	if (!json_is_string(v)) {
		*len = strlen(dflt);
		return dflt;
	}
	*len = json_string_length(v);
	return json_string_value(v);
}

/* ---- word_count ---- */

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

static int fn_word_count(const json_t *input, json_t **result,
                         const struct fn_ctx *ctx, struct sopm_err *err)
{
	struct word top[TOP_WORDS], *w = NULL;
	size_t n, lown, uniq = 0, ntop;
	const char *text = arg_text(input, "text", &n, "");
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

/* ---- slugify ---- */

static int fn_slugify(const json_t *input, json_t **result,
                      const struct fn_ctx *ctx, struct sopm_err *err)
{
	size_t n, seplen, i = 0;
	const char *text = arg_text(input, "text", &n, "");
	const char *sep = arg_text(input, "separator", &seplen, "-");
	struct sopm_buf b = {0};
	int pending = 0; /* a separator is due before the next alphanumeric */
	json_t *out;

	(void)ctx;
	while (i < n) {
		uint32_t uc, d[FN_UNI_DECOMP_MAX];
		size_t nd;
		i += fn_uni_next(text + i, n - i, &uc);
		if (uc < 0x80) {
			d[0] = uc;
			nd = 1;
		} else if ((nd = fn_uni_nfkd_char(uc, d, FN_UNI_DECOMP_MAX)) ==
		           0) {
			free(b.p);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		}
		for (size_t k = 0; k < nd; k++) {
			uint32_t c = d[k];
			char ch;
			if (c >= 0x80)
				continue; /* dropped, joins its neighbours */
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (!((c >= 'a' && c <= 'z') ||
			      (c >= '0' && c <= '9'))) {
				pending = b.len > 0;
				continue;
			}
			ch = (char)c;
			if ((pending && sopm_buf_add(&b, sep, seplen) != 0) ||
			    sopm_buf_add(&b, &ch, 1) != 0) {
				free(b.p);
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "out of memory");
			}
			pending = 0;
		}
	}
	out = json_stringn(b.len ? b.p : "", b.len);
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* ---- table ---- */

const struct fn_def fn_text_defs[] = {
    {
        "word_count",
        "text",
        fn_word_count,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"text\"],"
        " \"properties\": {\"text\": {\"type\": \"string\", "
        "\"maxLength\": " TEXT_MAX_CHARS
        ", \"description\": \"the text to count (code points)\"}}}",
        "Counts words, characters and lines. words = \\w+ runs of the "
        "lower-cased text (Python re.findall(r\"\\w+\", text.lower())); "
        "characters = code points (len(text)); lines = len(text.splitlines()); "
        "top = the 10 most common words as [word, n], count descending, ties "
        "in order of first appearance (Counter.most_common(10)).",
        "{\"text\": \"The cat and the hat.\\nThe END\"}",
        "{\"words\": 7, \"characters\": 28, \"lines\": 2, \"unique_words\": 5,"
        " \"top\": [[\"the\", 3], [\"cat\", 1], [\"and\", 1], [\"hat\", 1],"
        " [\"end\", 1]]}",
    },
    {
        "slugify",
        "text",
        fn_slugify,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"text\"],"
        " \"properties\": {\"text\": {\"type\": \"string\", "
        "\"maxLength\": " TEXT_MAX_CHARS
        "}, \"separator\": {\"type\": \"string\", \"maxLength\": 16,"
        " \"default\": \"-\"}}}",
        "URL slug: NFKD, drop non-ASCII, lowercase, then every run of "
        "characters other than [a-z0-9] becomes one separator, with none at "
        "either end. Python: separator.join(re.findall(\"[a-z0-9]+\", "
        "unicodedata.normalize(\"NFKD\", text).encode(\"ascii\", "
        "\"ignore\").decode().lower())).",
        "{\"text\": \"Ærø & Crème Brûlée: ﬁve ½ Stars!\"}",
        "\"r-creme-brulee-five-12-stars\"",
    },
};

const size_t fn_text_count = sizeof(fn_text_defs) / sizeof(fn_text_defs[0]);
