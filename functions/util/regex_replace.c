/* regex_replace.c - `regex_replace`: Python's re.sub over PCRE2 matches,
 * with Python's replacement template (sre_parse.parse_template of 3.11):
 * \1..\99 and \g<n> \g<name> for groups (an unmatched group gives ""),
 * \0 and three-digit \ooo octal escapes, \a \b \f \n \r \t \v \\, an
 * unknown escape of an ASCII letter is an error, any other \c stays as is. */
#include "regex.h"

#include "fn_arg.h"
#include "sopm_ascii.h"
#include "fn_limits.h"
#include "sopm_buf.h"

#include <stdlib.h>
#include <string.h>

/* One piece of a parsed template: a literal (group < 0) or a group. */
struct piece {
	long group;
	size_t off, len; /* the literal, in tpl->lit */
};

struct tpl {
	struct sopm_buf lit;
	struct piece *p;
	size_t n, cap;
};

static int tpl_push(struct tpl *t, long group, const char *s, size_t n)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct piece *p = realloc(t->p, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		t->p = p;
		t->cap = cap;
	}
	t->p[t->n].group = group;
	t->p[t->n].off = t->lit.len;
	t->p[t->n].len = n;
	if (n && sopm_buf_add(&t->lit, s, n) != 0)
		return -1;
	t->n++;
	return 0;
}

static int tpl_char(struct tpl *t, unsigned c)
{
	char u[2];

	if (c < 0x80) {
		u[0] = (char)c;
		return tpl_push(t, -1, u, 1);
	}
	u[0] = (char)(0xc0 | (c >> 6));
	u[1] = (char)(0x80 | (c & 0x3f));
	return tpl_push(t, -1, u, 2);
}

static int is_oct(char c)
{
	return c >= '0' && c <= '7';
}

static int bad(struct sopm_err *err, const char *why)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'replacement': %s", why);
}

/* \g<...>: a name or a number of ASCII digits. */
static int tpl_named(struct tpl *t, const struct fn_rx *rx, const char *s,
                     size_t n, struct sopm_err *err)
{
	long g = 0;
	char name[128];

	if (n == 0)
		return bad(err, "missing group name");
	if (s[0] == '_' || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')) {
		int rc;
		for (size_t i = 0; i < n; i++)
			if (!(s[i] == '_' || sopm_is_digit(s[i]) ||
			      ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
				return bad(err, "bad character in group name");
		if (n >= sizeof(name))
			return bad(err, "unknown group name");
		memcpy(name, s, n);
		name[n] = '\0';
		rc = pcre2_substring_number_from_name(rx->code,
		                                      (PCRE2_SPTR)name);
		if (rc < 0)
			return bad(err, "unknown group name");
		return tpl_push(t, rc, NULL, 0) != 0 ? -2 : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (!sopm_is_digit(s[i]))
			return bad(err, "bad character in group name");
		g = g * 10 + (s[i] - '0');
		if (g > (long)rx->ngroups)
			return bad(err, "invalid group reference");
	}
	return tpl_push(t, g, NULL, 0) != 0 ? -2 : 0;
}

/* Parses the template s[0..n). Returns 0, -1 (err set) or -2 (no memory). */
static int tpl_parse(struct tpl *t, const struct fn_rx *rx, const char *s,
                     size_t n, struct sopm_err *err)
{
	static const char esc_from[] = "abfnrtv\\";
	static const char esc_to[] = "\a\b\f\n\r\t\v\\";
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\\')
			j++;
		if (j > i && tpl_push(t, -1, s + i, j - i) != 0)
			return -2;
		if (j == n)
			break;
		if (j + 1 == n)
			return bad(err, "bad escape (end of pattern)");
		char c = s[j + 1];
		i = j + 2;
		if (c == 'g') {
			const char *end;
			if (i >= n || s[i] != '<')
				return bad(err, "missing <");
			end = memchr(s + i + 1, '>', n - i - 1);
			if (end == NULL)
				return bad(err, "missing >, unterminated name");
			int rc = tpl_named(t, rx, s + i + 1,
			                   (size_t)(end - s - i - 1), err);
			if (rc != 0)
				return rc;
			i = (size_t)(end - s) + 1;
		} else if (c == '0') {
			unsigned v = 0;
			for (int k = 0; k < 2 && i < n && is_oct(s[i]); k++)
				v = v * 8 + (unsigned)(s[i++] - '0');
			if (tpl_char(t, v & 0xff) != 0)
				return -2;
		} else if (sopm_is_digit(c)) {
			long g = c - '0';
			if (i < n && sopm_is_digit(s[i])) {
				if (is_oct(c) && is_oct(s[i]) && i + 1 < n &&
				    is_oct(s[i + 1])) {
					unsigned v =
					    (unsigned)(c - '0') * 64 +
					    (unsigned)(s[i] - '0') * 8 +
					    (unsigned)(s[i + 1] - '0');
					if (v > 0377)
						return bad(err,
						           "octal escape "
						           "value outside "
						           "of range 0-0o377");
					i += 2;
					if (tpl_char(t, v) != 0)
						return -2;
					continue;
				}
				g = g * 10 + (s[i++] - '0');
			}
			if (g > (long)rx->ngroups)
				return bad(err, "invalid group reference");
			if (tpl_push(t, g, NULL, 0) != 0)
				return -2;
		} else {
			const char *e = c ? strchr(esc_from, c) : NULL;
			if (e != NULL) {
				if (tpl_push(t, -1, esc_to + (e - esc_from),
				             1) != 0)
					return -2;
			} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
				return bad(err, "bad escape");
			} else if (tpl_push(t, -1, s + j, 2) != 0) {
				return -2;
			}
		}
	}
	return 0;
}

static int tpl_expand(const struct tpl *t, const struct fn_rx *rx,
                      struct sopm_buf *b)
{
	for (size_t k = 0; k < t->n; k++) {
		const struct piece *p = &t->p[k];
		size_t s, e;
		if (p->group < 0) {
			if (sopm_buf_add(b, t->lit.p + p->off, p->len) != 0)
				return -1;
			continue;
		}
		s = fn_rx_group(rx, (uint32_t)p->group, &e);
		if (s != (size_t)-1 &&
		    sopm_buf_add(b, rx->text + s, e - s) != 0)
			return -1;
	}
	return 0;
}

fn_handler_t fn_regex_replace;

int fn_regex_replace(const json_t *input, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	struct fn_rx rx;
	struct tpl t = {0};
	struct sopm_buf b = {0};
	size_t rlen, pos = 0, last = 0;
	const char *repl = fn_arg_text(input, "replacement", "", &rlen);
	json_int_t count = fn_arg_int(input, "count", 0), done = 0;
	int notempty = 0, rc;

	if (fn_rx_compile(&rx, input, ctx, err) != 0)
		return -1;
	rc = tpl_parse(&t, &rx, repl, rlen, err);
	while (rc == 0 && (count == 0 || done < count)) {
		size_t s, e;
		rc = fn_rx_next(&rx, &pos, &notempty, err);
		if (rc <= 0)
			break;
		rc = 0;
		s = fn_rx_group(&rx, 0, &e);
		if (sopm_buf_add(&b, rx.text + last, s - last) != 0 ||
		    tpl_expand(&t, &rx, &b) != 0) {
			rc = -2;
			break;
		}
		last = e;
		done++;
		if (b.len > FN_LIMIT_REGEX_REPLACE_RESULT_MAX) {
			rc = sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                  "field 'replacement': the result "
			                  "exceeds %d bytes",
			                  FN_LIMIT_REGEX_REPLACE_RESULT_MAX);
			break;
		}
	}
	if (rc == 0 && sopm_buf_add(&b, rx.text + last, rx.len - last) != 0)
		rc = -2;
	if (rc == 0 &&
	    (*result = json_stringn(b.len ? b.p : "", b.len)) == NULL)
		rc = -2;
	fn_rx_free(&rx);
	free(t.p);
	free(t.lit.p);
	free(b.p);
	if (rc == -2)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return rc;
}
