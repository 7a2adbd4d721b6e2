/* segment.c - the text functions that cut text into pieces: tokenize (`\w+`
 * runs) and sentence_split. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "textscan.h"

#include <stdlib.h>

fn_handler_t fn_tokenize;
fn_handler_t fn_sentence_split;

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* Appends s[0..n) to arr as a NEW string. Returns 0, or -1 on OOM. */
static int append_str(json_t *arr, const char *s, size_t n)
{
	return json_array_append_new(arr, json_stringn(s, n));
}

int fn_tokenize(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	size_t n, lown, pos = 0, off, len;
	const char *text = fn_arg_text(input, "text", "", &n);
	char *low = NULL;
	json_t *out = json_array();

	(void)ctx;
	if (out != NULL && fn_arg_bool(input, "lowercase", 0)) {
		low = fn_uni_lower(text, n, &lown);
		if (low == NULL) {
			json_decref(out);
			out = NULL;
		}
		text = low;
		n = lown;
	}
	while (out != NULL && fn_text_next_word(text, n, &pos, &off, &len)) {
		if (append_str(out, text + off, len) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	free(low);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

static int is_terminator(uint32_t uc)
{
	return uc == '.' || uc == '!' || uc == '?';
}

/* Appends s[start..end) stripped of whitespace (str.strip()) to arr unless
 * nothing is left. Returns 0, or -1 on OOM. */
static int append_sentence(json_t *arr, const char *s, const uint32_t *cp,
                           const size_t *offs, size_t start, size_t end)
{
	while (start < end && fn_uni_is_space(cp[start]))
		start++;
	while (end > start && fn_uni_is_space(cp[end - 1]))
		end--;
	if (start == end)
		return 0;
	return append_str(arr, s + offs[start], offs[end] - offs[start]);
}

int fn_sentence_split(const json_t *input, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	size_t n, count, *offs = NULL, start = 0, i = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	uint32_t *cp = fn_text_decode(text, n, &count, &offs);
	json_t *out = cp ? json_array() : NULL;

	(void)ctx;
	/* re.split(r"(?<=[.!?])\s+", text): a whitespace run right after a
	 * terminator ends a sentence. */
	while (out != NULL && i < count) {
		size_t end;
		if (!(is_terminator(cp[i]) && i + 1 < count &&
		      fn_uni_is_space(cp[i + 1]))) {
			i++;
			continue;
		}
		end = ++i;
		while (i < count && fn_uni_is_space(cp[i]))
			i++;
		if (append_sentence(out, text, cp, offs, start, end) != 0) {
			json_decref(out);
			out = NULL;
		}
		start = i;
	}
	if (out != NULL &&
	    append_sentence(out, text, cp, offs, start, count) != 0) {
		json_decref(out);
		out = NULL;
	}
	free(cp);
	free(offs);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
