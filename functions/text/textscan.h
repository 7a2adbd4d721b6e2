/* textscan.h - helpers shared by the text functions over code points:
 * decoding, Python's str.isspace(), the `\w+` scanner and the full case
 * mappings of one code point. Strings are UTF-8 with an explicit length, as
 * in fn_unicode.h. */
#ifndef TEXTSCAN_H
#define TEXTSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "sopm_buf.h"

/* The code points of s[0..n) as a NEW malloc'd array of *count elements
 * (never NULL on success, even when empty) that the caller frees; when offs
 * is not NULL, also a NEW array *offs of *count + 1 byte offsets (the start
 * of each code point, then n). NULL on OOM (then *offs is NULL too). */
uint32_t *fn_text_decode(const char *s, size_t n, size_t *count, size_t **offs);

/* 1 if uc is alphanumeric for Python's str.isalnum(): `\w` without '_'. */
int fn_text_is_alnum(uint32_t uc);

/* The next maximal run of `\w` code points (Python re.findall(r"\w+")) in
 * s[*pos..n): returns 1 with its byte range in *off, *len and *pos moved
 * past it, or 0 when there is none left. */
int fn_text_next_word(const char *s, size_t n, size_t *pos, size_t *off,
                      size_t *len);

/* The full case mappings of one code point, without context and language
 * (SpecialCasing.txt's unconditional rules), as Python's str methods apply
 * them to one character. */
enum fn_text_case {
	FN_TEXT_UPPER, /* str.upper(): U+00DF -> "SS" */
	FN_TEXT_LOWER, /* str.lower() except final sigma: U+0130 -> "i\u0307" */
	FN_TEXT_TITLE, /* the title-case mapping: U+FB01 -> "Fi" */
	FN_TEXT_FOLD,  /* str.casefold(): U+00DF -> "ss" */
};

/* Appends the mapping of uc to b. Returns 0, or -1 on OOM. */
int fn_text_map_cp(struct sopm_buf *b, uint32_t uc, enum fn_text_case how);

#endif
