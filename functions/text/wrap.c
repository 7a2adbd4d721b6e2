/* wrap.c - `wrap`: Python 3.11's textwrap.fill(text, width) with the
 * default TextWrapper: expand_tabs (8), replace_whitespace,
 * drop_whitespace, break_long_words, break_on_hyphens, no indents, no
 * max_lines. The text is split into chunks by TextWrapper.wordsep_re, run by
 * PCRE2 (UTF + UCP: \w, \d and \W as Python's re on str), and the chunks are
 * laid out as TextWrapper._wrap_chunks does. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "sopm_buf.h"
#include "wordscan.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define TAB_SIZE 8

/* TextWrapper.wordsep_re with ws = [\t\n\x0b\x0c\r ], nws its complement,
 * wp = [\w!"'&.,?], lt = [^\d\W]; Python's \Z is PCRE2's \z. */
#define WS  "[\\t\\n\\x0b\\x0c\\r ]"
#define NWS "[^\\t\\n\\x0b\\x0c\\r ]"
#define WP  "[\\w!\"'&.,?]"
#define LT  "[^\\d\\W]"
static const char wordsep[] =
    WS "+"
       "|(?<=" WP ")-{2,}(?=\\w)"
       "|" NWS "+?(?:-(?:(?<=" LT "{2}-)|(?<=" LT "-" LT "-))"
       "(?=" LT "-?" LT ")"
       "|(?=" WS "|\\z)"
       "|(?<=" WP ")(?=-{2,}\\w))";

/* One chunk of the munged text: len bytes at off, cps code points. ns is
 * the offset of its first code point that is not a space (str.isspace), at
 * or after off, or off + len when there is none; it is only moved forward
 * (chunk_ns), so that checking a long chunk line after line stays linear. */
#define NS_UNKNOWN ((size_t)-1)
struct chunk {
	size_t off, len, cps, ns;
};

/* text.expandtabs(8) with every \t\n\v\f\r then made a space. */
static int munge(const char *s, size_t n, struct sopm_buf *b)
{
	size_t i = 0, col = 0;
	static const char spaces[TAB_SIZE] = "        ";

	while (i < n) {
		uint32_t uc;
		size_t step = fn_uni_next(s + i, n - i, &uc);
		int rc;
		if (uc == '\t') {
			size_t pad = TAB_SIZE - col % TAB_SIZE;
			rc = sopm_buf_add(b, spaces, pad);
			col += pad;
		} else if (uc == '\n' || uc == '\r' || uc == '\v' ||
		           uc == '\f') {
			rc = sopm_buf_add(b, " ", 1);
			col = (uc == '\n' || uc == '\r') ? 0 : col + 1;
		} else {
			rc = sopm_buf_add(b, s + i, step);
			col++;
		}
		if (rc != 0)
			return -1;
		i += step;
	}
	return 0;
}

static int add_chunk(struct chunk **c, size_t *nc, size_t *cap, const char *s,
                     size_t off, size_t len)
{
	if (len == 0)
		return 0;
	if (*nc == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct chunk *p = realloc(*c, ncap * sizeof(**c));
		if (p == NULL)
			return -1;
		*c = p;
		*cap = ncap;
	}
	(*c)[(*nc)++] =
	    (struct chunk){off, len, fn_uni_count(s + off, len), NS_UNKNOWN};
	return 0;
}

/* wordsep_re.split(s) without the empty strings. Returns the number of
 * chunks in *out (NEW), or -1 with err set. */
static long split_chunks(const char *s, size_t n, struct chunk **out,
                         struct sopm_err *err)
{
	int ecode;
	PCRE2_SIZE eoff, pos = 0;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)wordsep, PCRE2_ZERO_TERMINATED,
	                  PCRE2_UTF | PCRE2_UCP, &ecode, &eoff, NULL);
	pcre2_match_data *md =
	    re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	struct chunk *c = NULL;
	size_t nc = 0, cap = 0;
	long rc = -1;

	if (md == NULL) {
		sopm_err_set(err, SOPM_E_INTERNAL, "wrap: pattern");
		goto done;
	}
	while (pos < n) {
		int m = pcre2_match(re, (PCRE2_SPTR)s, n, pos,
		                    PCRE2_NO_UTF_CHECK, md, NULL);
		PCRE2_SIZE *ov;
		if (m == PCRE2_ERROR_NOMATCH) {
			if (add_chunk(&c, &nc, &cap, s, pos, n - pos) != 0)
				goto oom;
			break;
		}
		if (m < 0) {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'text' is too complex to split");
			goto done;
		}
		ov = pcre2_get_ovector_pointer(md);
		if (add_chunk(&c, &nc, &cap, s, pos, ov[0] - pos) != 0 ||
		    add_chunk(&c, &nc, &cap, s, ov[0], ov[1] - ov[0]) != 0)
			goto oom;
		/* Every alternative consumes: ov[1] > ov[0] >= pos. */
		pos = ov[1] > pos ? ov[1] : pos + 1;
	}
	*out = c;
	c = NULL;
	rc = (long)nc;
	goto done;
oom:
	sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
done:
	free(c);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc;
}

/* The first code point of c, at or after c->off, that is not a space
 * (c->off + c->len when none): chunk[:k].strip() == '' for a prefix of k
 * bytes is chunk_ns(c) >= c->off + k. */
static size_t chunk_ns(const char *s, struct chunk *c)
{
	size_t end = c->off + c->len, i;
	uint32_t uc;

	if (c->ns != NS_UNKNOWN && c->ns >= c->off)
		return c->ns; /* everything in [off, ns) was a space */
	for (i = c->off; i < end;) {
		size_t step = fn_uni_next(s + i, end - i, &uc);
		if (!fn_uni_is_space(uc))
			break;
		i += step;
	}
	c->ns = i;
	return i;
}

/* Bytes of the first k code points of s[off..off+len). */
static size_t prefix_bytes(const char *s, size_t off, size_t len, size_t k)
{
	size_t i = 0;
	uint32_t uc;

	while (k-- > 0 && i < len)
		i += fn_uni_next(s + off + i, len - i, &uc);
	return i;
}

/* TextWrapper._handle_long_word for a line of cur_len code points: how many
 * code points of the chunk c go on it. */
static size_t long_word_cut(const char *s, const struct chunk *c, size_t width,
                            size_t cur_len)
{
	size_t space_left = width - cur_len, i = 0, k = 0;
	size_t hyphen = 0, any_other = 0, other_before = 0;
	int found = 0;
	uint32_t uc;

	if (c->cps <= space_left)
		return space_left;
	/* hyphen = chunk.rfind('-', 0, space_left); then end = hyphen + 1 if
	 * hyphen > 0 and chunk[:hyphen] holds a character other than '-'. */
	while (k < space_left && i < c->len) {
		i += fn_uni_next(s + c->off + i, c->len - i, &uc);
		if (uc == '-') {
			hyphen = k;
			other_before = any_other;
			found = 1;
		} else {
			any_other = 1;
		}
		k++;
	}
	if (found && hyphen > 0 && other_before)
		return hyphen + 1;
	return space_left;
}

/* TextWrapper._wrap_chunks, then "\n".join: every line is a contiguous
 * piece of the munged text s. */
static int wrap_chunks(const char *s, struct chunk *c, size_t nc, size_t width,
                       struct sopm_buf *out)
{
	size_t i = 0, lines = 0;

	while (i < nc) {
		size_t cur_len = 0, pieces = 0, start, end = 0, last = 0;
		int last_blank = 0;
		if (lines > 0 && chunk_ns(s, &c[i]) >= c[i].off + c[i].len) {
			if (++i == nc)
				break;
		}
		start = c[i].off;
		while (i < nc && cur_len + c[i].cps <= width) {
			last_blank = chunk_ns(s, &c[i]) >= c[i].off + c[i].len;
			last = c[i].off;
			end = c[i].off + c[i].len;
			cur_len += c[i].cps;
			pieces++;
			i++;
		}
		if (i < nc && c[i].cps > width) {
			size_t cut = long_word_cut(s, &c[i], width, cur_len);
			size_t nb = prefix_bytes(s, c[i].off, c[i].len, cut);
			last_blank = chunk_ns(s, &c[i]) >= c[i].off + nb;
			last = c[i].off;
			end = c[i].off + nb;
			pieces++;
			c[i].off += nb;
			c[i].len -= nb;
			c[i].cps -= cut;
		}
		/* drop_whitespace: the last piece goes when it is blank; the
		 * pieces are contiguous, so the line then ends where it began.
		 */
		if (pieces > 0 && last_blank) {
			pieces--;
			end = last;
		}
		if (pieces == 0)
			continue;
		if ((lines > 0 && sopm_buf_add(out, "\n", 1) != 0) ||
		    sopm_buf_add(out, s + start, end - start) != 0)
			return -1;
		lines++;
	}
	return 0;
}

fn_handler_t fn_wrap;

int fn_wrap(const json_t *input, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	size_t n;
	const char *text = fn_arg_text(input, "text", "", &n);
	size_t width = (size_t)fn_arg_int(input, "width", 70);
	struct sopm_buf m = {0}, out = {0};
	struct chunk *c = NULL;
	long nc = 0;
	json_t *res = NULL;

	(void)ctx;
	if (munge(text, n, &m) != 0) {
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto done;
	}
	nc = split_chunks(m.len ? m.p : "", m.len, &c, err);
	if (nc < 0)
		goto done;
	if (wrap_chunks(m.p, c, (size_t)nc, width, &out) != 0 ||
	    (res = json_stringn(out.len ? out.p : "", out.len)) == NULL)
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
done:
	free(c);
	free(m.p);
	free(out.p);
	if (res == NULL)
		return -1;
	*result = res;
	return 0;
}
