/* fn_unicode.h - Unicode helpers shared by catalog functions, built on
 * libunistring so that `\w`, case mapping and normalisation agree with
 * Python 3.11's str (both use Unicode 14.0).
 *
 * Strings are UTF-8 with an explicit length (they may hold U+0000). Input
 * that comes from jansson is valid UTF-8; the helpers still never read past
 * the given length on invalid bytes, and decode such bytes as U+FFFD. */
#ifndef FN_UNICODE_H
#define FN_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s (n > 0 bytes left) into *uc and returns the
 * number of bytes it takes (1..4). An invalid sequence yields U+FFFD and
 * consumes at least one byte. */
size_t fn_uni_next(const char *s, size_t n, uint32_t *uc);

/* Number of code points in s[0..n) (Python len()). */
size_t fn_uni_count(const char *s, size_t n);

/* 1 if uc matches Python's `\w` for str patterns: str.isalnum() or '_'
 * (general category L*, or a decimal, digit or numeric value). */
int fn_uni_is_word(uint32_t uc);

/* 1 if uc ends a line for str.splitlines(): \n \v \f \r \x1c \x1d \x1e
 * \x85 U+2028 U+2029 (\r\n counts once; see fn_uni_count_lines). */
int fn_uni_is_linebreak(uint32_t uc);

/* 1 if uc is whitespace for Python's str.isspace(), re's `\s` and
 * str.strip(): bidirectional class WS, B or S, or general category Zs. */
int fn_uni_is_space(uint32_t uc);

/* CPython's _PyUnicode_TransformDecimalAndSpaceToASCII, which int(),
 * float() and complex() apply before they parse: of the UTF-8 text
 * s[0..n), ASCII (below U+007F) stays, other whitespace (fn_uni_is_space)
 * becomes ' ', other decimal digits (Nd) their ASCII digit, and anything
 * else '?', which no number parse accepts. One byte per code point into
 * out (caller's, at least n + 1 bytes), NUL-terminated; returns its length
 * (the number of code points). */
size_t fn_uni_py_ascii(const char *s, size_t n, char *out);

/* len(s.splitlines()) for s[0..n). */
size_t fn_uni_count_lines(const char *s, size_t n);

/* Python str.lower(): full case mapping (U+0130 -> "i\u0307"), final sigma
 * decided as Python does, no locale. Returns a NEW malloc'd buffer of
 * *outlen bytes (not NUL-terminated) that the caller frees, or NULL on
 * OOM. */
char *fn_uni_lower(const char *s, size_t n, size_t *outlen);

/* NFKD of the single code point uc into out[0..cap). Returns the number of
 * code points written, or 0 if the decomposition does not fit or on OOM
 * (cap >= FN_UNI_DECOMP_MAX always fits). NFKD of a string is the
 * concatenation of these followed by canonical reordering, which only
 * moves combining marks (never an ASCII character). */
#define FN_UNI_DECOMP_MAX 32
size_t fn_uni_nfkd_char(uint32_t uc, uint32_t *out, size_t cap);

#endif
