/* chars.c - the text functions over single code points: char_frequency,
 * reverse and palindrome. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "textscan.h"

#include <stdlib.h>
#include <string.h>

fn_handler_t fn_char_frequency;
fn_handler_t fn_reverse;
fn_handler_t fn_palindrome;

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* collections.Counter over the code points of s[0..n): a NEW object whose
 * keys come in order of first appearance, or NULL on OOM. */
static json_t *count_chars(const char *s, size_t n)
{
	json_t *out = json_object();
	size_t i = 0;

	while (out != NULL && i < n) {
		uint32_t uc;
		size_t len = fn_uni_next(s + i, n - i, &uc);
		json_t *v = json_object_getn(out, s + i, len);

		if (v != NULL) {
			json_integer_set(v, json_integer_value(v) + 1);
		} else if (json_object_setn_new(out, s + i, len,
		                                json_integer(1)) != 0) {
			json_decref(out);
			out = NULL;
		}
		i += len;
	}
	return out;
}

int fn_char_frequency(const json_t *input, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	size_t n, lown;
	const char *text = fn_arg_text(input, "text", "", &n);
	char *low = NULL;
	json_t *out;

	(void)ctx;
	if (fn_arg_bool(input, "ignore_case", 0)) {
		low = fn_uni_lower(text, n, &lown);
		if (low == NULL)
			return oom(err);
		text = low;
		n = lown;
	}
	out = count_chars(text, n);
	free(low);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

int fn_reverse(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	size_t n, i = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	char *out = malloc(n + 1);
	json_t *s;

	(void)ctx;
	if (out == NULL)
		return oom(err);
	/* Each code point's bytes move, in order, to the mirrored place. */
	while (i < n) {
		uint32_t uc;
		size_t len = fn_uni_next(text + i, n - i, &uc);
		memcpy(out + n - i - len, text + i, len);
		i += len;
	}
	s = json_stringn(out, n);
	free(out);
	if (s == NULL)
		return oom(err);
	*result = s;
	return 0;
}

/* normalized = the alphanumerics (str.isalnum) of str.casefold(text). */
static int palindrome_normalize(const char *text, size_t n, struct sopm_buf *b)
{
	struct sopm_buf fold = {0};
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && i < n) {
		uint32_t uc;
		i += fn_uni_next(text + i, n - i, &uc);
		fold.len = 0;
		rc = fn_text_map_cp(&fold, uc, FN_TEXT_FOLD);
		for (size_t k = 0; rc == 0 && k < fold.len;) {
			uint32_t c;
			size_t len = fn_uni_next(fold.p + k, fold.len - k, &c);
			if (fn_text_is_alnum(c))
				rc = sopm_buf_add(b, fold.p + k, len);
			k += len;
		}
	}
	free(fold.p);
	return rc;
}

int fn_palindrome(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n, count = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct sopm_buf b = {0};
	uint32_t *cp = NULL;
	int same = 1;
	json_t *out;

	(void)ctx;
	if (palindrome_normalize(text, n, &b) != 0 ||
	    (cp = fn_text_decode(b.p ? b.p : "", b.len, &count, NULL)) ==
	        NULL) {
		free(b.p);
		return oom(err);
	}
	for (size_t i = 0; same && i < count / 2; i++)
		same = cp[i] == cp[count - 1 - i];
	out = json_pack("{s:b, s:s%}", "palindrome", same, "normalized",
	                b.p ? b.p : "", b.len);
	free(cp);
	free(b.p);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
