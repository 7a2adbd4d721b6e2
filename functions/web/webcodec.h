/* webcodec.h - the pieces of Python's urllib.parse that url_parse,
 * url_build, query_string and url_encode share: percent-encoding (quote,
 * quote_plus), percent-decoding (unquote, unquote_plus), urlencode with
 * doseq=True and parse_qs, plus bytes.decode("utf-8", "replace").
 *
 * Every function appends to a sopm_buf (which the caller owns and frees)
 * and returns 0, or -1 when memory runs out. */
#ifndef WEBCODEC_H
#define WEBCODEC_H

#include <jansson.h>
#include <stddef.h>

#include "sopm_buf.h"

/* bytes(b[0..n)).decode("utf-8", "replace") as CPython does it: each
 * maximal ill-formed subpart becomes one U+FFFD. */
int webc_utf8_replace(struct sopm_buf *out, const unsigned char *b, size_t n);

/* urllib.parse.quote(s, safe="") of the UTF-8 text s[0..n); with plus,
 * quote_plus(s, safe="") (a space becomes '+'). */
int webc_quote(struct sopm_buf *out, const char *s, size_t n, int plus);

/* urllib.parse.unquote(s) (UTF-8, errors="replace"); with plus,
 * unquote_plus(s). */
int webc_unquote(struct sopm_buf *out, const char *s, size_t n, int plus);

/* urlencode(query, doseq=True) of an object (borrowed) whose values are
 * strings, integers, booleans or arrays of those, as the schemas allow. */
int webc_urlencode(struct sopm_buf *out, const json_t *query);

/* parse_qs(s[0..n), keep_blank_values=keep_blank) as a NEW object of
 * arrays of strings, keys in order of first appearance; NULL on OOM. */
json_t *webc_parse_qs(const char *s, size_t n, int keep_blank);

#endif
