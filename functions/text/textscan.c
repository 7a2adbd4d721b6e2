/* textscan.c - see textscan.h. */
#include "textscan.h"
#include "fn_unicode.h"

#include <stdlib.h>

#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

uint32_t *fn_text_decode(const char *s, size_t n, size_t *count, size_t **offs)
{
	/* A code point takes at least one byte: n + 1 elements suffice. */
	uint32_t *cp = malloc((n + 1) * sizeof(*cp));
	size_t *off = offs ? malloc((n + 1) * sizeof(*off)) : NULL;
	size_t i = 0, k = 0;

	if (cp == NULL || (offs && off == NULL)) {
		free(cp);
		free(off);
		if (offs)
			*offs = NULL;
		return NULL;
	}
	while (i < n) {
		if (off)
			off[k] = i;
		i += fn_uni_next(s + i, n - i, &cp[k]);
		k++;
	}
	if (off) {
		off[k] = n;
		*offs = off;
	}
	*count = k;
	return cp;
}

int fn_text_is_alnum(uint32_t uc)
{
	return uc != '_' && fn_uni_is_word(uc);
}

int fn_text_next_word(const char *s, size_t n, size_t *pos, size_t *off,
                      size_t *len)
{
	size_t i = *pos, start = n;
	uint32_t uc;

	while (i < n) {
		size_t step = fn_uni_next(s + i, n - i, &uc);
		if (fn_uni_is_word(uc)) {
			if (start == n)
				start = i;
		} else if (start != n) {
			break;
		}
		i += step;
	}
	*pos = i;
	if (start == n)
		return 0;
	*off = start;
	*len = i - start;
	return 1;
}

typedef uint8_t *case_map_t(const uint8_t *s, size_t n, const char *lang,
                            uninorm_t nf, uint8_t *buf, size_t *len);

int fn_text_map_cp(struct sopm_buf *b, uint32_t uc, enum fn_text_case how)
{
	static case_map_t *const maps[] = {
	    [FN_TEXT_UPPER] = u8_toupper,
	    [FN_TEXT_LOWER] = u8_tolower,
	    [FN_TEXT_TITLE] = u8_totitle,
	    [FN_TEXT_FOLD] = u8_casefold,
	};
	uint8_t in[6], tmp[32], *r;
	size_t rlen = sizeof(tmp);
	int n, rc;

	if (uc < 0x80) {
		char c = (char)uc;
		if (how == FN_TEXT_UPPER || how == FN_TEXT_TITLE) {
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 32);
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c + 32);
		}
		return sopm_buf_add(b, &c, 1);
	}
	n = u8_uctomb(in, uc, sizeof(in));
	if (n <= 0)
		return sopm_buf_add(b, "\xef\xbf\xbd", 3);
	/* One code point alone: libunistring's word-start logic of totitle
	 * then maps it by its title-case mapping, as Python does. */
	r = maps[how](in, (size_t)n, NULL, NULL, tmp, &rlen);
	if (r == NULL)
		return -1;
	rc = sopm_buf_add(b, r, rlen);
	if (r != tmp)
		free(r);
	return rc;
}
