/* casing.c - `case_convert`: Python's str.upper/lower/title, and the
 * identifier styles snake, camel, kebab and pascal over words found by
 * letter case. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "textscan.h"

#include <stdlib.h>
#include <string.h>

#include <unictype.h>

fn_handler_t fn_case_convert;

/* str.title(): a character after a cased one takes its lower-case mapping
 * (final sigma decided over the whole text, as str.lower() does), any
 * other its title-case mapping. low is str.lower() of s; each code point's
 * part of it is as long as its own lower-case mapping (U+03A3 becomes
 * U+03C3 or U+03C2, two bytes either way). */
static int title_case(const char *s, size_t n, const char *low,
                      struct sopm_buf *b)
{
	struct sopm_buf one = {0};
	size_t i = 0, lo = 0;
	int prev_cased = 0, rc = 0;

	while (rc == 0 && i < n) {
		uint32_t uc;
		size_t len = fn_uni_next(s + i, n - i, &uc);
		one.len = 0;
		rc = fn_text_map_cp(&one, uc, FN_TEXT_LOWER);
		if (rc == 0)
			rc = prev_cased ? sopm_buf_add(b, low + lo, one.len)
			                : fn_text_map_cp(b, uc, FN_TEXT_TITLE);
		lo += one.len;
		prev_cased = uc_is_property_cased(uc);
		i += len;
	}
	free(one.p);
	return rc;
}

/* Appends str.lower() of s[0..n), or with capital, str.capitalize(): the
 * title-case mapping of the first code point, then the rest of the
 * lower-cased word. Returns 0, or -1 on OOM. */
static int put_word(struct sopm_buf *b, const char *s, size_t n, int capital)
{
	size_t lown, skip = 0;
	char *low = fn_uni_lower(s, n, &lown);
	int rc;

	if (low == NULL)
		return -1;
	if (capital && n > 0) {
		struct sopm_buf one = {0};
		uint32_t uc;
		fn_uni_next(s, n, &uc);
		rc = fn_text_map_cp(&one, uc, FN_TEXT_LOWER);
		skip = one.len;
		free(one.p);
		if (rc != 0 || fn_text_map_cp(b, uc, FN_TEXT_TITLE) != 0) {
			free(low);
			return -1;
		}
	}
	rc = sopm_buf_add(b, low + skip, lown - skip);
	free(low);
	return rc;
}

static int is_mark(uint32_t uc)
{
	return uc >= 0x80 && uc_is_general_category(uc, UC_CATEGORY_M);
}

static int in_word(uint32_t uc)
{
	return fn_text_is_alnum(uc) || is_mark(uc);
}

static int is_digit(uint32_t uc)
{
	return uc_decimal_value(uc) >= 0 || uc_digit_value(uc) >= 0;
}

/* 1 if a word starts at cp[i], inside the run cp[run..end): an upper-case
 * letter after a lower-case letter or a digit ("camelCase", "v2Beta"), or
 * after an upper-case letter when a lower-case one follows ("XMLHttp").
 * Combining marks are skipped looking both ways. */
static int starts_word(const uint32_t *cp, size_t run, size_t end, size_t i)
{
	size_t j = i;
	uint32_t prev;

	if (is_mark(cp[i]) || !uc_is_property_uppercase(cp[i]))
		return 0;
	do {
		if (j == run)
			return 0;
		j--;
	} while (is_mark(cp[j]));
	prev = cp[j];
	if (uc_is_property_lowercase(prev) || is_digit(prev))
		return 1;
	if (!uc_is_property_uppercase(prev))
		return 0;
	for (j = i + 1; j < end && is_mark(cp[j]); j++)
		;
	return j < end && uc_is_property_lowercase(cp[j]);
}

/* The identifier styles: words joined by sep (snake, kebab: every word
 * lower-cased) or by nothing (camel, pascal: capitalized words; camel's
 * first word lower-cased). */
static int join_words(const char *s, size_t n, const char *sep, int capital,
                      int first_capital, struct sopm_buf *b)
{
	size_t count, *offs, i = 0, nwords = 0;
	uint32_t *cp = fn_text_decode(s, n, &count, &offs);
	int rc = cp ? 0 : -1;

	while (rc == 0 && i < count) {
		size_t end = i, w;
		if (!in_word(cp[i])) {
			i++;
			continue;
		}
		while (end < count && in_word(cp[end]))
			end++;
		for (w = i; rc == 0 && w < end;) {
			size_t next = w + 1;
			while (next < end && !starts_word(cp, i, end, next))
				next++;
			if (nwords > 0 && sep != NULL)
				rc = sopm_buf_add(b, sep, strlen(sep));
			if (rc == 0)
				rc = put_word(
				    b, s + offs[w], offs[next] - offs[w],
				    nwords > 0 ? capital : first_capital);
			nwords++;
			w = next;
		}
		i = end;
	}
	free(cp);
	free(offs);
	return rc;
}

int fn_case_convert(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	size_t n, i = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	const char *to = fn_arg_str(input, "to", "lower");
	struct sopm_buf b = {0};
	char *low = NULL;
	size_t lown;
	int rc = 0;
	json_t *out;

	(void)ctx;
	if (strcmp(to, "upper") == 0) {
		while (rc == 0 && i < n) {
			uint32_t uc;
			i += fn_uni_next(text + i, n - i, &uc);
			rc = fn_text_map_cp(&b, uc, FN_TEXT_UPPER);
		}
	} else if (strcmp(to, "lower") == 0 || strcmp(to, "title") == 0) {
		low = fn_uni_lower(text, n, &lown);
		if (low == NULL)
			rc = -1;
		else if (to[0] == 't')
			rc = title_case(text, n, low, &b);
		else
			rc = sopm_buf_add(&b, low, lown);
	} else if (strcmp(to, "snake") == 0) {
		rc = join_words(text, n, "_", 0, 0, &b);
	} else if (strcmp(to, "kebab") == 0) {
		rc = join_words(text, n, "-", 0, 0, &b);
	} else if (strcmp(to, "camel") == 0) {
		rc = join_words(text, n, NULL, 1, 0, &b);
	} else {
		rc = join_words(text, n, NULL, 1, 1, &b); /* pascal */
	}
	free(low);
	out = rc == 0 ? json_stringn(b.len ? b.p : "", b.len) : NULL;
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
