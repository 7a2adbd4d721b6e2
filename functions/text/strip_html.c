/* strip_html.c - `strip_html`: the text of an HTML string, without tags,
 * comments, scripts and styles, with character references decoded as
 * Python 3.11's html.unescape does. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "sopm_buf.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>

struct named_ref {
	const char *name, *value;
};
struct numeric_fix {
	uint32_t code;
	const char *value;
};

/* Generated from Python's html module (tests/tools/gen_html_entities.py):
 * html.entities.html5 sorted by name bytes, and html._invalid_charrefs. */
static const struct named_ref named_refs[] = {
#define HTML_NAMED
#include "html_entities.inc"
#undef HTML_NAMED
};
static const struct numeric_fix numeric_fixes[] = {
#define HTML_NUMERIC_FIX
#include "html_entities.inc"
#undef HTML_NUMERIC_FIX
};

#define NAME_MAX_CPS 32 /* html.unescape: [^\t\n\f <&#;]{1,32} */
#define CP_PAST_MAX  0x110000

/* The value of the named reference of len bytes at s, or NULL. */
static const char *named_value(const char *s, size_t len)
{
	size_t lo = 0, hi = sizeof(named_refs) / sizeof(named_refs[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = named_refs[mid].name;
		size_t elen = strlen(e);
		int c = memcmp(s, e, len < elen ? len : elen);
		if (c == 0 && len != elen)
			c = len < elen ? -1 : 1;
		if (c == 0)
			return named_refs[mid].value;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* html._replace_charref for &#num; */
static int add_numeric(struct sopm_buf *b, uint32_t num)
{
	uint8_t u[6];
	int len;

	for (size_t i = 0; i < sizeof(numeric_fixes) / sizeof(numeric_fixes[0]);
	     i++)
		if (numeric_fixes[i].code == num)
			return sopm_buf_add(b, numeric_fixes[i].value,
			                    strlen(numeric_fixes[i].value));
	if ((num >= 0xd800 && num <= 0xdfff) || num >= CP_PAST_MAX)
		num = 0xfffd;
	/* html._invalid_codepoints: dropped. */
	if ((num >= 0x1 && num <= 0x8) || num == 0xb ||
	    (num >= 0xe && num <= 0x1f) || (num >= 0x7f && num <= 0x9f) ||
	    (num >= 0xfdd0 && num <= 0xfdef) || (num & 0xfffe) == 0xfffe)
		return 0;
	len = u8_uctomb(u, num, sizeof(u));
	return len > 0 ? sopm_buf_add(b, u, (size_t)len) : -1;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A numeric reference at s[0..n) (s[0] == '&', s[1] == '#'). Returns the
 * bytes it spans, or 0 when it is none (no digits). */
static size_t numeric_ref(const char *s, size_t n, struct sopm_buf *b, int *rc)
{
	size_t i = 2, digits = 0;
	uint32_t num = 0;
	int base = 10;

	if (i < n && (s[i] == 'x' || s[i] == 'X') && i + 1 < n &&
	    hex_value(s[i + 1]) >= 0) {
		base = 16;
		i++;
	}
	for (; i < n; i++, digits++) {
		int v = base == 16
		            ? hex_value(s[i])
		            : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
		if (v < 0)
			break;
		num = num * (uint32_t)base + (uint32_t)v;
		if (num >= CP_PAST_MAX)
			num = CP_PAST_MAX; /* saturates: all of them give U+FFFD
			                    */
	}
	if (digits == 0)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	*rc = add_numeric(b, num);
	return i;
}

static int is_name_char(uint32_t uc)
{
	return uc != '\t' && uc != '\n' && uc != '\f' && uc != ' ' &&
	       uc != '<' && uc != '&' && uc != '#' && uc != ';';
}

/* A named reference at s[0..n) (s[0] == '&'): the longest name of the
 * table that the up to 32 following name characters (and ';') start with,
 * of at least 2 characters, as html._replace_charref. Returns the bytes
 * consumed (the unmatched rest is copied as is), or 0 when no name
 * character follows. */
static size_t named_ref(const char *s, size_t n, struct sopm_buf *b, int *rc)
{
	size_t off[NAME_MAX_CPS + 2], k = 0, i = 1;
	const char *v;

	while (i < n && k < NAME_MAX_CPS) {
		uint32_t uc;
		size_t step = fn_uni_next(s + i, n - i, &uc);
		if (!is_name_char(uc))
			break;
		off[k++] = i;
		i += step;
	}
	if (k == 0)
		return 0;
	if (i < n && s[i] == ';') {
		off[k++] = i;
		i++;
	}
	off[k] = i;
	/* s[1..i) whole, then its prefixes of k-1 .. 2 code points. */
	if ((v = named_value(s + 1, i - 1)) != NULL) {
		*rc = sopm_buf_add(b, v, strlen(v));
		return i;
	}
	for (size_t x = k - 1; x >= 2; x--) {
		if ((v = named_value(s + 1, off[x] - 1)) != NULL) {
			*rc =
			    sopm_buf_add(b, v, strlen(v)) != 0 ||
			            sopm_buf_add(b, s + off[x], i - off[x]) != 0
			        ? -1
			        : 0;
			return i;
		}
	}
	*rc = sopm_buf_add(b, s, i);
	return i;
}

/* html.unescape(s[0..n)) appended to b. 0, or -1 on OOM. */
static int unescape(const char *s, size_t n, struct sopm_buf *b)
{
	size_t i = 0;

	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t run = amp ? (size_t)(amp - (s + i)) : n - i, used;
		int rc = 0;
		if (sopm_buf_add(b, s + i, run) != 0)
			return -1;
		i += run;
		if (i == n)
			break;
		if (i + 1 < n && s[i + 1] == '#')
			used = numeric_ref(s + i, n - i, b, &rc);
		else
			used = named_ref(s + i, n - i, b, &rc);
		if (used == 0) {
			used = 1;
			rc = sopm_buf_add(b, "&", 1);
		}
		if (rc != 0)
			return -1;
		i += used;
	}
	return 0;
}

static int is_tag_space(char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* The offset past the '>' that closes a tag whose rest starts at s[i], or
 * n. quoted: a quote after '=' (and whitespace) opens a value that runs to
 * the same quote and may hold '>'. */
static size_t tag_end(const char *s, size_t n, size_t i, int quoted)
{
	int after_eq = 0;

	while (i < n) {
		char c = s[i];
		if (c == '>')
			return i + 1;
		if (quoted && after_eq && (c == '"' || c == '\'')) {
			const char *q = memchr(s + i + 1, c, n - i - 1);
			if (q == NULL)
				return n;
			i = (size_t)(q - s) + 1;
			after_eq = 0;
			continue;
		}
		if (c == '=')
			after_eq = 1;
		else if (!is_tag_space(c))
			after_eq = 0;
		i++;
	}
	return n;
}

/* s[i..n) starts with name (ASCII letters in any case), then whitespace,
 * '/', '>' or the end of the input. */
static int named(const char *s, size_t n, size_t i, const char *name)
{
	size_t len = strlen(name), e = i + len;

	if (n - i < len)
		return 0;
	for (size_t k = 0; k < len; k++)
		if ((s[i + k] | 0x20) != name[k])
			return 0;
	return e == n || is_tag_space(s[e]) || s[e] == '/' || s[e] == '>';
}

/* A script or style element at s[i] ('<' + name): start tag, content up to
 * the first end tag of that name, and that end tag. */
static size_t raw_element_end(const char *s, size_t n, size_t i,
                              const char *name)
{
	size_t len = strlen(name), j = tag_end(s, n, i + 1 + len, 1);

	for (; j + 2 <= n; j++)
		if (s[j] == '<' && s[j + 1] == '/' && named(s, n, j + 2, name))
			return tag_end(s, n, j + 2 + len, 0);
	return n;
}

/* The end of the construct that starts with the '<' at s[i], or 0 when
 * this '<' is text. */
static size_t markup_end(const char *s, size_t n, size_t i)
{
	static const char *const raw[] = {"script", "style"};
	char c;

	if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		for (size_t j = i + 4; j + 3 <= n; j++)
			if (memcmp(s + j, "-->", 3) == 0)
				return j + 3;
		return n;
	}
	for (size_t k = 0; k < 2; k++)
		if (i + 1 < n && named(s, n, i + 1, raw[k]))
			return raw_element_end(s, n, i, raw[k]);
	if (i + 1 >= n)
		return 0;
	c = s[i + 1];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return tag_end(s, n, i + 2, 1);
	if (c == '/' || c == '!' || c == '?')
		return tag_end(s, n, i + 2, 0);
	return 0;
}

fn_handler_t fn_strip_html;

int fn_strip_html(const json_t *input, json_t **result, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	size_t n, i = 0, text = 0;
	const char *s = fn_arg_text(input, "html", "", &n);
	struct sopm_buf b = {0};
	json_t *out = NULL;
	int rc = 0;

	(void)ctx;
	while (rc == 0 && i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t end;
		if (lt == NULL)
			break;
		i = (size_t)(lt - s);
		end = markup_end(s, n, i);
		if (end == 0) {
			i++;
			continue;
		}
		rc = unescape(s + text, i - text, &b);
		i = text = end;
	}
	if (rc == 0 && unescape(s + text, n - text, &b) == 0)
		out = json_stringn(b.len ? b.p : "", b.len);
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
