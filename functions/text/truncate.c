/* truncate.c - `truncate`: at most length code points with the suffix,
 * cut at the last word end that fits. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "sopm_buf.h"
#include "wordscan.h"

#include <stdlib.h>

/* Byte offset of code point k of s[0..len) (len when k is past the end). */
static size_t cp_offset(const char *s, size_t len, size_t k)
{
	size_t i = 0;
	uint32_t uc;

	while (k-- > 0 && i < len)
		i += fn_uni_next(s + i, len - i, &uc);
	return i;
}

/* Byte length of the result's head: text[:i] for the largest i in 1..b
 * with text[i] a space and text[i-1] not, else text[:b]. The caller
 * guarantees that text has more than b code points. */
static size_t head_bytes(const char *s, size_t len, size_t b)
{
	size_t i = 0, k = 0, cut = 0, cut_b = 0;
	int prev_space = 1;
	uint32_t uc;

	while (i < len && k <= b) {
		size_t step = fn_uni_next(s + i, len - i, &uc);
		int sp = fn_uni_is_space(uc);
		if (k == b)
			cut_b = i;
		if (k >= 1 && sp && !prev_space)
			cut = i;
		prev_space = sp;
		i += step;
		k++;
	}
	return cut ? cut : cut_b;
}

fn_handler_t fn_truncate;

int fn_truncate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	size_t len, slen;
	const char *text = fn_arg_text(input, "text", "", &len);
	const char *suffix =
	    fn_arg_text(input, "suffix", "\xe2\x80\xa6", &slen);
	size_t length = (size_t)fn_arg_int(input, "length", 0);
	size_t scp = fn_uni_count(suffix, slen);
	struct sopm_buf b = {0};
	json_t *out;

	(void)ctx;
	if (fn_uni_count(text, len) <= length)
		out = json_stringn(text, len);
	else if (length < scp)
		out = json_stringn(text, cp_offset(text, len, length));
	else if (sopm_buf_add(&b, text, head_bytes(text, len, length - scp)) !=
	             0 ||
	         sopm_buf_add(&b, suffix, slen) != 0)
		out = NULL;
	else
		out = json_stringn(b.len ? b.p : "", b.len);
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
