/* regex.h - what regex_match and regex_replace share: a compiled pattern
 * over the input's text, and Python's iteration over its matches. */
#ifndef FN_UTIL_REGEX_H
#define FN_UTIL_REGEX_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <stdint.h>

#include "fn.h"

/* 0 turns JIT compilation off (for the unit tests of both paths). */
extern int fn_regex_use_jit;

struct fn_rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx; /* borrowed from the thread's state */
	const char *text;          /* borrowed from the input */
	size_t len;
	uint32_t ngroups;
	int checked;       /* the subject's UTF-8 has been checked */
	uint32_t *cp;      /* byte offset -> code point index, made on demand */
	uint64_t deadline; /* monotonic us, set by the first fn_rx_next */
	unsigned long callouts;
};

/* Compiles input's pattern with its flags over its text. Returns 0, or -1
 * with err (400 naming 'pattern' with PCRE2's message and offset). Free rx
 * with fn_rx_free either way. */
int fn_rx_compile(struct fn_rx *rx, const json_t *input, struct fn_ctx *ctx,
                  struct sopm_err *err);

void fn_rx_free(struct fn_rx *rx);

/* The next match at or after *pos, as Python's finditer: after an empty
 * match (*notempty set) the next one may not be empty at the same offset.
 * Returns 1 (and advances *pos, *notempty), 0 when there is none, or -1
 * with err (400 naming 'pattern' when a limit is hit). */
int fn_rx_next(struct fn_rx *rx, size_t *pos, int *notempty,
               struct sopm_err *err);

/* Byte span of group g of the current match: the start (and *end), or
 * (size_t)-1 when the group did not take part. */
size_t fn_rx_group(const struct fn_rx *rx, uint32_t g, size_t *end);

#endif
