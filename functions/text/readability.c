/* readability.c - `readability`: Flesch reading ease and Flesch-Kincaid
 * grade from counts of sentences, words and syllables. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "fn_unicode.h"
#include "wordscan.h"

#include <stdlib.h>

/* Pieces of s between runs of '.', '!', '?' that hold a `\w` character:
 * len([p for p in re.split(r"[.!?]+", s) if re.search(r"\w", p)]). */
static size_t count_sentences(const char *s, size_t n)
{
	size_t count = 0, i = 0;
	int has_word = 0;

	while (i < n) {
		uint32_t uc;
		i += fn_uni_next(s + i, n - i, &uc);
		if (uc == '.' || uc == '!' || uc == '?') {
			count += has_word;
			has_word = 0;
		} else if (!has_word && fn_uni_is_word(uc)) {
			has_word = 1;
		}
	}
	return count + (size_t)has_word;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	       c == 'y';
}

/* Runs of ASCII vowels, minus a silent final 'e' (not "le") when there are
 * two or more, at least 1. A UTF-8 multibyte sequence holds no ASCII byte,
 * so bytes give the same runs as code points. */
static size_t syllables(const char *w, size_t len)
{
	size_t runs = 0;

	for (size_t i = 0; i < len; i++)
		if (is_vowel(w[i]) && (i == 0 || !is_vowel(w[i - 1])))
			runs++;
	if (runs > 1 && w[len - 1] == 'e' && !(len >= 2 && w[len - 2] == 'l'))
		runs--;
	return runs ? runs : 1;
}

fn_handler_t fn_readability;

int fn_readability(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	size_t n, sentences, syl = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct ws_item *w;
	char *low;
	long nw = ws_lower_words(text, n, &low, &w);
	double fre = 0.0, fkg = 0.0;
	json_t *out;

	if (nw < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	sentences = count_sentences(text, n);
	for (long i = 0; i < nw; i++)
		syl += syllables(w[i].p, w[i].len);
	if (nw > 0) {
		double wps, spw;
		if (sentences == 0)
			sentences = 1;
		wps = (double)nw / (double)sentences;
		spw = (double)syl / (double)nw;
		/* The same operations in the same order as the Python. */
		fre = 206.835 - 1.015 * wps - 84.6 * spw;
		fkg = 0.39 * wps + 11.8 * spw - 15.59;
	}
	free(w);
	free(low);
	out = json_pack("{s:o, s:o, s:I, s:I, s:I}", "flesch_reading_ease",
	                fn_result_real(ctx, "flesch_reading_ease", fre),
	                "flesch_kincaid_grade",
	                fn_result_real(ctx, "flesch_kincaid_grade", fkg),
	                "sentences", (json_int_t)sentences, "words",
	                (json_int_t)nw, "syllables", (json_int_t)syl);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
