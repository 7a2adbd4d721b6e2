/* strip_html.c - `strip_html`: the text of an HTML string, without tags,
 * comments, scripts and styles, with character references decoded as
 * Python 3.11's html.unescape does. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_html.h"
#include "sopm_buf.h"

#include <stdlib.h>
#include <string.h>

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
		rc = fn_html_unescape(&b, s + text, i - text);
		i = text = end;
	}
	if (rc == 0 && fn_html_unescape(&b, s + text, n - text) == 0)
		out = json_stringn(b.len ? b.p : "", b.len);
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
