/* ngrams.c - `ngrams`: counts of n consecutive words or code points. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "sopm_buf.h"
#include "wordscan.h"

#include <stdlib.h>
#include <string.h>

/* Word grams: w[i..i+n) joined by one space, built in one buffer (words
 * hold no space, so equal strings are equal grams). Returns the number of
 * grams in *out (a NEW array pointing into *buf), or -1 on OOM. */
static long word_grams(const struct ws_item *w, size_t nw, size_t n, char **buf,
                       struct ws_item **out)
{
	size_t ng = nw >= n ? nw - n + 1 : 0, total = 0, pos = 0;
	struct ws_item *g;
	char *b;

	*buf = NULL;
	*out = NULL;
	if (ng == 0)
		return 0;
	for (size_t i = 0; i < ng; i++) {
		total += n - 1;
		for (size_t k = 0; k < n; k++)
			total += w[i + k].len;
	}
	b = malloc(total);
	g = malloc(ng * sizeof(*g));
	if (b == NULL || g == NULL) {
		free(b);
		free(g);
		return -1;
	}
	for (size_t i = 0; i < ng; i++) {
		size_t start = pos;
		for (size_t k = 0; k < n; k++) {
			if (k)
				b[pos++] = ' ';
			memcpy(b + pos, w[i + k].p, w[i + k].len);
			pos += w[i + k].len;
		}
		g[i] = (struct ws_item){b + start, pos - start, i, 0};
	}
	*buf = b;
	*out = g;
	return (long)ng;
}

/* Char grams: n consecutive code points of s[0..len). Returns the number
 * of grams in *out (a NEW array pointing into s), or -1 on OOM. */
static long char_grams(const char *s, size_t len, size_t n,
                       struct ws_item **out)
{
	size_t cps = fn_uni_count(s, len), ng, *off, i = 0, k = 0;
	struct ws_item *g;

	*out = NULL;
	if (cps < n)
		return 0;
	ng = cps - n + 1;
	off = malloc((cps + 1) * sizeof(*off));
	g = malloc(ng * sizeof(*g));
	if (off == NULL || g == NULL) {
		free(off);
		free(g);
		return -1;
	}
	while (i < len) {
		uint32_t uc;
		off[k++] = i;
		i += fn_uni_next(s + i, len - i, &uc);
	}
	off[k] = len;
	for (size_t j = 0; j < ng; j++)
		g[j] = (struct ws_item){s + off[j], off[j + n] - off[j], j, 0};
	free(off);
	*out = g;
	return (long)ng;
}

fn_handler_t fn_ngrams;

int fn_ngrams(const json_t *input, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	size_t len;
	const char *text = fn_arg_text(input, "text", "", &len);
	size_t n = (size_t)fn_arg_int(input, "n", 2);
	const char *unit = fn_arg_str(input, "unit", "word");
	struct ws_item *g = NULL;
	char *buf = NULL;
	long ng;
	json_t *out = NULL;

	(void)ctx;
	if (strcmp(unit, "char") == 0) {
		ng = char_grams(text, len, n, &g);
	} else {
		struct ws_item *w;
		char *low;
		long nw = ws_lower_words(text, len, &low, &w);
		ng = nw < 0 ? -1 : word_grams(w, (size_t)nw, n, &buf, &g);
		if (nw >= 0) {
			free(w);
			free(low);
		}
	}
	if (ng >= 0)
		out = ws_pairs_json(g, ws_rank(g, (size_t)ng));
	free(g);
	free(buf);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
