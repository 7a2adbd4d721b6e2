/* sentiment.c - `sentiment`: the sum of the lexicon scores of the words. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "wordscan.h"

#include <stdlib.h>
#include <string.h>

struct lex_entry {
	const char *word;
	int score;
};

/* Sorted by the bytes of word (sentiment_lexicon.inc says so, and
 * tests/refs/textb.py checks it). */
static const struct lex_entry lexicon[] = {
#include "sentiment_lexicon.inc"
};

/* The score of the len bytes at w, 0 when not in the lexicon. */
static int lex_score(const char *w, size_t len)
{
	size_t lo = 0, hi = sizeof(lexicon) / sizeof(lexicon[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = lexicon[mid].word;
		size_t elen = strlen(e);
		int c = memcmp(w, e, len < elen ? len : elen);
		if (c == 0 && len != elen)
			c = len < elen ? -1 : 1;
		if (c == 0)
			return lexicon[mid].score;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

fn_handler_t fn_sentiment;

int fn_sentiment(const json_t *input, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	size_t n;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct ws_item *w;
	char *low;
	long nw = ws_lower_words(text, n, &low, &w);
	json_t *pos, *neg, *out = NULL;
	json_int_t score = 0;
	int ok;

	if (nw < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	pos = json_array();
	neg = json_array();
	ok = pos != NULL && neg != NULL;
	for (long i = 0; ok && i < nw; i++) {
		int s = lex_score(w[i].p, w[i].len);
		if (s == 0)
			continue;
		score += s;
		ok = json_array_append_new(s > 0 ? pos : neg,
		                           json_stringn(w[i].p, w[i].len)) == 0;
	}
	if (ok)
		out = json_pack(
		    "{s:I, s:o, s:s, s:O, s:O}", "score", score, "comparative",
		    fn_result_real(ctx, "comparative",
		                   nw ? (double)score / (double)nw : 0.0),
		    "label",
		    score > 0   ? "positive"
		    : score < 0 ? "negative"
		                : "neutral",
		    "positive", pos, "negative", neg);
	json_decref(pos);
	json_decref(neg);
	free(w);
	free(low);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
