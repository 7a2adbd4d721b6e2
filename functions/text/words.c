/* words.c - word_count over `\w+` words of the lower-cased text (see
 * wordscan.h): Python's re.findall(r"\w+", text.lower()), len(text) and
 * len(text.splitlines()). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "wordscan.h"

#include <stdlib.h>

#define TOP_WORDS 10 /* word_count's top: Counter.most_common(10) */

fn_handler_t fn_word_count;

int fn_word_count(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n, uniq;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct ws_item *w = NULL;
	char *low = NULL;
	long nw = ws_lower_words(text, n, &low, &w);
	json_t *tops, *out = NULL;

	(void)ctx;
	if (nw < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	uniq = ws_rank(w, (size_t)nw);
	tops = ws_pairs_json(w, uniq < TOP_WORDS ? uniq : TOP_WORDS);
	if (tops)
		out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "words",
		                (json_int_t)nw, "characters",
		                (json_int_t)fn_uni_count(text, n), "lines",
		                (json_int_t)fn_uni_count_lines(text, n),
		                "unique_words", (json_int_t)uniq, "top", tops);
	free(w);
	free(low);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
