/* fn_html.c - see fn_html.h. */
#include "fn_html.h"
#include "fn_unicode.h"
#include "sopm_bytes.h"
#include "sopm_buf.h"

#include <stdlib.h>
#include <string.h>

#include <unistr.h>

struct html5_entity {
	const char *name; /* with its ';' where the name has one */
	const char *value;
};

static const struct html5_entity html5_entities[] = {
#include "fn_html5_entities.inc"
};

#define HTML5_COUNT (sizeof(html5_entities) / sizeof(*html5_entities))

/* The value of the entity named s[0..n) (which may hold U+0000), or
 * NULL. The table is sorted by strcmp, which for names without U+0000 is
 * the order of (bytes, then length). */
static const char *entity_find(const char *s, size_t n)
{
	size_t lo = 0, hi = HTML5_COUNT;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *name = html5_entities[mid].name;
		size_t len = strlen(name);
		int c = memcmp(name, s, len < n ? len : n);
		if (c == 0)
			c = (len > n) - (len < n);
		if (c == 0)
			return html5_entities[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* html._invalid_charrefs: the numeric references below 0xa0 that HTML5
 * maps to another character (0 means none; 0x0d stays itself). */
static const uint32_t charref_c1[0x20] = {
    0x20ac, 0x81,   0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,   0x017d, 0x8f,
    0x90,   0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,   0x017e, 0x0178};

/* _replace_charref for a number: the code point to emit, or -1 for
 * nothing (html._invalid_codepoints). num is saturated above 0x110000. */
static long charref_value(unsigned long num)
{
	if (num == 0)
		return 0xfffd;
	if (num == 0x0d)
		return 0x0d;
	if (num >= 0x80 && num <= 0x9f)
		return charref_c1[num - 0x80];
	if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff)
		return 0xfffd;
	if ((num >= 0x1 && num <= 0x8) || num == 0xb ||
	    (num >= 0xe && num <= 0x1f) || num == 0x7f ||
	    (num >= 0xfdd0 && num <= 0xfdef) || (num & 0xfffe) == 0xfffe)
		return -1;
	return (long)num;
}

static int add_cp(struct sopm_buf *b, long cp)
{
	uint8_t u[6];
	int len;

	if (cp < 0)
		return 0;
	len = u8_uctomb(u, (ucs4_t)cp, sizeof(u));
	return len > 0 ? sopm_buf_add(b, u, (size_t)len) : -1;
}

/* A numeric reference at s[0..n) (s[0] is '#'): the bytes it takes
 * (0 when it is none) and its code point in *cp. */
static size_t numeric_ref(const char *s, size_t n, long *cp)
{
	size_t i = 1, start;
	unsigned long num = 0;
	int base = 10;

	if (i < n && (s[i] == 'x' || s[i] == 'X')) {
		base = 16;
		i++;
	}
	start = i;
	while (i < n && (base == 16 ? sopm_hex_digit((unsigned char)s[i]) >= 0
	                            : (s[i] >= '0' && s[i] <= '9'))) {
		num = num * (unsigned long)base +
		      (unsigned long)sopm_hex_digit((unsigned char)s[i]);
		if (num > 0x110000)
			num = 0x110000; /* saturated: all the same past it */
		i++;
	}
	if (i == start)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	*cp = charref_value(num);
	return i;
}

/* A named reference at s[0..n) (after '&'): appends its replacement and
 * returns the bytes it takes, or 0 when the text is no reference. */
static int named_ref(struct sopm_buf *b, const char *s, size_t n, size_t *took)
{
	size_t i = 0, chars = 0, ascii = 0;
	const char *v;

	/* [^\t\n\f <&#;]{1,32};? over code points */
	while (i < n && chars < 32 &&
	       (s[i] == '\0' || !strchr("\t\n\f <&#;", s[i]))) {
		uint32_t uc;
		size_t l = fn_uni_next(s + i, n - i, &uc);
		if (ascii == i && uc < 0x80)
			ascii = i + 1;
		i += l;
		chars++;
	}
	*took = 0;
	if (chars == 0)
		return 0;
	if (i < n && s[i] == ';') {
		i++;
		chars++;
		if (ascii == i - 1)
			ascii = i;
	}
	*took = i;
	if ((v = entity_find(s, i)) != NULL && ascii == i)
		return sopm_buf_add(b, v, strlen(v));
	/* The longest prefix of 2..len-1 characters that is a name; names
	 * are ASCII, so only the ASCII head can hold one. */
	for (size_t x = ascii < chars - 1 ? ascii : chars - 1; x >= 2; x--) {
		if ((v = entity_find(s, x)) != NULL)
			return sopm_buf_add(b, v, strlen(v)) ||
			       sopm_buf_add(b, s + x, i - x);
	}
	return sopm_buf_add(b, "&", 1) || sopm_buf_add(b, s, i);
}

int fn_html_unescape(struct sopm_buf *b, const char *s, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		size_t took = 0;
		long cp;
		if (s[i] != '&') {
			i++;
			continue;
		}
		if (sopm_buf_add(b, s + start, i - start) != 0)
			return -1;
		i++;
		if (i < n && s[i] == '#') {
			took = numeric_ref(s + i, n - i, &cp);
			if (took > 0 && add_cp(b, cp) != 0)
				return -1;
		} else if (i < n && named_ref(b, s + i, n - i, &took) != 0)
			return -1;
		if (took == 0) {
			start = i - 1; /* the '&' stays */
			continue;
		}
		i += took;
		start = i;
	}
	return sopm_buf_add(b, s + start, n - start);
}
