/* fn_unicode.c - Python-compatible Unicode helpers on top of libunistring. */
#include "fn_unicode.h"

#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

size_t fn_uni_next(const char *s, size_t n, uint32_t *uc)
{
	ucs4_t c;
	int len;

	if ((unsigned char)s[0] < 0x80) {
		*uc = (unsigned char)s[0];
		return 1;
	}
	len = u8_mbtouc(&c, (const uint8_t *)s, n);
	*uc = c;
	return len > 0 ? (size_t)len : 1;
}

size_t fn_uni_count(const char *s, size_t n)
{
	size_t i = 0, count = 0;
	uint32_t uc;

	while (i < n) {
		i += fn_uni_next(s + i, n - i, &uc);
		count++;
	}
	return count;
}

int fn_uni_is_word(uint32_t uc)
{
	if (uc < 0x80)
		return (uc >= 'a' && uc <= 'z') || (uc >= 'A' && uc <= 'Z') ||
		       (uc >= '0' && uc <= '9') || uc == '_';
	/* Python: isalpha (Lu Ll Lt Lm Lo) or isdecimal/isdigit/isnumeric,
	 * which are all "has a numeric value" in the Unicode data. */
	if (uc_is_general_category(uc, UC_CATEGORY_L))
		return 1;
	if (uc_decimal_value(uc) >= 0 || uc_digit_value(uc) >= 0)
		return 1;
	return uc_numeric_value(uc).denominator != 0;
}

int fn_uni_is_space(uint32_t uc)
{
	int bidi;

	if (uc < 0x80)
		return uc == ' ' || (uc >= 0x09 && uc <= 0x0d) ||
		       (uc >= 0x1c && uc <= 0x1f);
	bidi = uc_bidi_category(uc);
	return bidi == UC_BIDI_WS || bidi == UC_BIDI_B || bidi == UC_BIDI_S ||
	       uc_is_general_category(uc, UC_CATEGORY_Zs);
}

size_t fn_uni_py_ascii(const char *s, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t uc;
		int d;
		i += fn_uni_next(s + i, n - i, &uc);
		if (uc < 0x7f)
			out[o++] = (char)uc;
		else if (fn_uni_is_space(uc))
			out[o++] = ' ';
		else if ((d = uc_decimal_value(uc)) >= 0)
			out[o++] = (char)('0' + d);
		else
			out[o++] = '?';
	}
	out[o] = '\0';
	return o;
}

int fn_uni_is_linebreak(uint32_t uc)
{
	switch (uc) {
	case 0x0a:
	case 0x0b:
	case 0x0c:
	case 0x0d:
	case 0x1c:
	case 0x1d:
	case 0x1e:
	case 0x85:
	case 0x2028:
	case 0x2029:
		return 1;
	default:
		return 0;
	}
}

size_t fn_uni_count_lines(const char *s, size_t n)
{
	size_t i = 0, lines = 0;
	int open = 0; /* a line has started and not yet ended */
	uint32_t uc;

	while (i < n) {
		i += fn_uni_next(s + i, n - i, &uc);
		if (!fn_uni_is_linebreak(uc)) {
			open = 1;
			continue;
		}
		if (uc == '\r' && i < n && s[i] == '\n')
			i++;
		lines++;
		open = 0;
	}
	return lines + (size_t)open;
}

/* Python's handle_capital_sigma(): U+03A3 at s[i] lower-cases to final
 * sigma when a cased letter precedes it and none follows it, skipping
 * case-ignorable code points both ways. Python tests case-ignorable first,
 * and some code points (U+0345, modifier letters) are both; libunistring's
 * own Final_Sigma test checks cased first, so it is done here. */
static int final_sigma(const char *s, size_t n, size_t i, size_t len)
{
	size_t j = i;
	uint32_t c = 0;
	int found = 0;

	while (j > 0) {
		size_t k = j - 1;
		/* back to the start of the previous code point */
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80 &&
		       j - k < 4)
			k--;
		fn_uni_next(s + k, n - k, &c);
		j = k;
		if (!uc_is_property_case_ignorable(c)) {
			found = 1;
			break;
		}
	}
	if (!found || !uc_is_property_cased(c))
		return 0;
	for (j = i + len; j < n;) {
		j += fn_uni_next(s + j, n - j, &c);
		if (!uc_is_property_case_ignorable(c))
			return !uc_is_property_cased(c);
	}
	return 1;
}

char *fn_uni_lower(const char *s, size_t n, size_t *outlen)
{
	size_t cap = n + n / 2 + 16, o = 0, i = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	while (i < n) {
		uint8_t tmp[16], *r = tmp;
		size_t len, rlen = sizeof(tmp);
		uint32_t uc;

		len = fn_uni_next(s + i, n - i, &uc);
		if (uc < 0x80) {
			tmp[0] =
			    (uint8_t)(uc >= 'A' && uc <= 'Z' ? uc + 32 : uc);
			rlen = 1;
		} else if (uc == 0x03a3) {
			rlen = (size_t)u8_uctomb(
			    tmp, final_sigma(s, n, i, len) ? 0x03c2 : 0x03c3,
			    sizeof(tmp));
		} else {
			/* One code point with no language: the full mapping
			 * of SpecialCasing.txt (U+0130 -> i + U+0307) needs
			 * no context. */
			r = u8_tolower((const uint8_t *)s + i, len, NULL, NULL,
			               tmp, &rlen);
			if (r == NULL) {
				free(out);
				return NULL;
			}
		}
		if (cap - o < rlen) {
			char *p =
			    cap > SIZE_MAX / 2 ? NULL : realloc(out, cap * 2);
			if (p == NULL) {
				if (r != tmp)
					free(r);
				free(out);
				return NULL;
			}
			out = p;
			cap *= 2;
		}
		memcpy(out + o, r, rlen);
		o += rlen;
		if (r != tmp)
			free(r);
		i += len;
	}
	*outlen = o;
	return out;
}

size_t fn_uni_nfkd_char(uint32_t uc, uint32_t *out, size_t cap)
{
	uint32_t buf[FN_UNI_DECOMP_MAX];
	uint32_t *r;
	size_t len = FN_UNI_DECOMP_MAX;
	const uint32_t in = uc;

	r = u32_normalize(UNINORM_NFKD, &in, 1, buf, &len);
	if (r == NULL)
		return 0;
	if (len > cap) {
		len = 0;
	} else {
		memcpy(out, r, len * sizeof(*out));
	}
	if (r != buf)
		free(r);
	return len;
}
