/* stopwords.c - the functions over the built-in stop-word lists:
 * `keywords` (English) and `detect_language` (one profile per language). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "wordscan.h"

#include <stdlib.h>

/* Each list is sorted by UTF-8 bytes (tests/refs/textb.py checks it). */
static const char *const sw_en[] = {
#include "stopwords_en.inc"
};
static const char *const sw_es[] = {
#include "stopwords_es.inc"
};
static const char *const sw_fr[] = {
#include "stopwords_fr.inc"
};
static const char *const sw_de[] = {
#include "stopwords_de.inc"
};
static const char *const sw_it[] = {
#include "stopwords_it.inc"
};
static const char *const sw_pt[] = {
#include "stopwords_pt.inc"
};
static const char *const sw_nl[] = {
#include "stopwords_nl.inc"
};

#define LIST(code, l)                                                          \
	{                                                                      \
		code, l, sizeof(l) / sizeof(l[0])                              \
	}

/* In the order that breaks ties. */
static const struct profile {
	const char *lang;
	const char *const *words;
	size_t count;
} profiles[] = {
    LIST("en", sw_en), LIST("es", sw_es), LIST("fr", sw_fr), LIST("de", sw_de),
    LIST("it", sw_it), LIST("pt", sw_pt), LIST("nl", sw_nl),
};

#define NPROFILES        (sizeof(profiles) / sizeof(profiles[0]))
#define DETECT_MIN_SHARE 0.1 /* below it the language is unknown */

fn_handler_t fn_keywords;
fn_handler_t fn_detect_language;

int fn_keywords(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	size_t n, kept = 0, u;
	const char *text = fn_arg_text(input, "text", "", &n);
	size_t top = (size_t)fn_arg_int(input, "top", 10);
	struct ws_item *w;
	char *low;
	long nw = ws_lower_words(text, n, &low, &w);
	json_t *out;

	(void)ctx;
	if (nw < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (long i = 0; i < nw; i++)
		if (!ws_in_list(sw_en, profiles[0].count, w[i].p, w[i].len))
			w[kept++] = w[i];
	u = ws_rank(w, kept);
	out = ws_pairs_json(w, u < top ? u : top);
	free(w);
	free(low);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

int fn_detect_language(const json_t *input, json_t **result, struct fn_ctx *ctx,
                       struct sopm_err *err)
{
	size_t n, counts[NPROFILES] = {0}, best = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct ws_item *w;
	char *low;
	long nw = ws_lower_words(text, n, &low, &w);
	double share = 0.0;
	json_t *out;

	if (nw < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (long i = 0; i < nw; i++)
		for (size_t k = 0; k < NPROFILES; k++)
			counts[k] += (size_t)ws_in_list(profiles[k].words,
			                                profiles[k].count,
			                                w[i].p, w[i].len);
	free(w);
	free(low);
	for (size_t k = 1; k < NPROFILES; k++)
		if (counts[k] > counts[best])
			best = k;
	if (nw > 0)
		share = (double)counts[best] / (double)nw;
	out =
	    json_pack("{s:s, s:o}", "language",
	              nw > 0 && share >= DETECT_MIN_SHARE ? profiles[best].lang
	                                                  : "unknown",
	              "confidence", fn_result_real(ctx, "confidence", share));
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
