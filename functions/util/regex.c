/* regex.c - `regex_match` and `regex_replace` with PCRE2 (8-bit, UTF + UCP),
 * bounded by a match limit, a depth limit, a heap limit and a JIT stack, so
 * a catastrophic pattern ends in milliseconds with 400 naming 'pattern'.
 * The util category's per-thread state is the match context and JIT stack
 * (fn_util_init / fn_util_free, named in fn_category.h). */
#include "regex.h"

#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "sopm_buf.h"
#include "sopm_time.h"

#include <stdlib.h>
#include <string.h>

/* Per pcre2_match call: enough for linear patterns over the longest text
 * (a backtracking point or two per character), far too little for
 * exponential backtracking, which ends in some 20 ms. The JIT stack is
 * reserved, and used only as deep as a match needs. Neither the JIT nor
 * the interpreter counts every step (a repeat of one character that
 * backtracks is not counted: (?=.{0,30000}x) is quadratic, and three such
 * repeats in a row are cubic), so patterns are compiled with automatic
 * callouts, and rx_callout ends the match once all searches of the request
 * have taken RX_TIME_LIMIT_US. */
#define RX_MATCH_LIMIT   2000000
#define RX_DEPTH_LIMIT   250000
#define RX_HEAP_LIMIT_KB 32768
#define RX_JIT_STACK_MIN (32 * 1024)
#define RX_JIT_STACK_MAX (16 * 1024 * 1024)
#define RX_TIME_LIMIT_US 1000000

int fn_regex_use_jit = 1;

struct util_state {
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	pcre2_compile_context *cctx;
};

int fn_util_init(struct fn_ctx *ctx, void **state, struct sopm_err *err)
{
	struct util_state *st = calloc(1, sizeof(*st));

	(void)ctx;
	*state = st;
	if (st == NULL ||
	    (st->mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (st->cctx = pcre2_compile_context_create(NULL)) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	pcre2_set_match_limit(st->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(st->mctx, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(st->mctx, RX_HEAP_LIMIT_KB);
	pcre2_set_newline(st->cctx, PCRE2_NEWLINE_LF);
	pcre2_set_max_pattern_length(st->cctx,
	                             4 * FN_LIMIT_REGEX_MATCH_PATTERN_MAX);
	/* without a JIT stack (no JIT on this machine) matching still works,
	 * through the interpreter */
	st->jit =
	    pcre2_jit_stack_create(RX_JIT_STACK_MIN, RX_JIT_STACK_MAX, NULL);
	if (st->jit != NULL)
		pcre2_jit_stack_assign(st->mctx, NULL, st->jit);
	return 0;
}

void fn_util_free(void *state)
{
	struct util_state *st = state;

	if (st == NULL)
		return;
	pcre2_match_context_free(st->mctx);
	pcre2_compile_context_free(st->cctx);
	pcre2_jit_stack_free(st->jit);
	free(st);
}

int fn_rx_compile(struct fn_rx *rx, const json_t *input, struct fn_ctx *ctx,
                  struct sopm_err *err)
{
	struct util_state *st = ctx->state[FN_CAT_util];
	/* \C (one code unit) could end a match inside a UTF-8 sequence,
	 * which no JSON string can hold; Python has no \C either */
	/* PCRE2_ALT_CIRCUMFLEX: with m, ^ also matches after a newline that
	 * ends the text, as Python's re (PCRE2 and Perl do not by default) */
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_AUTO_CALLOUT |
	                PCRE2_NEVER_BACKSLASH_C | PCRE2_ALT_CIRCUMFLEX;
	const json_t *flags = json_object_get(input, "flags");
	size_t plen, i;
	const char *pat = fn_arg_text(input, "pattern", "", &plen);
	const json_t *f;
	int ec;
	PCRE2_SIZE eo;

	memset(rx, 0, sizeof(*rx));
	rx->text = fn_arg_text(input, "text", "", &rx->len);
	rx->mctx = st->mctx;
	json_array_foreach(flags, i, f)
	{
		const char *s = json_string_value(f);
		opts |= s[0] == 'i'   ? PCRE2_CASELESS
		        : s[0] == 'm' ? PCRE2_MULTILINE
		                      : PCRE2_DOTALL;
	}
	rx->code =
	    pcre2_compile((PCRE2_SPTR)pat, plen, opts, &ec, &eo, st->cctx);
	if (rx->code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pattern': %s at offset %zu",
		                    (const char *)msg,
		                    fn_uni_count(pat, eo < plen ? eo : plen));
	}
	if (fn_regex_use_jit)
		(void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
	rx->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
	if (rx->md == NULL) {
		fn_rx_free(rx);
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	}
	pcre2_pattern_info(rx->code, PCRE2_INFO_CAPTURECOUNT, &rx->ngroups);
	return 0;
}

void fn_rx_free(struct fn_rx *rx)
{
	pcre2_match_data_free(rx->md);
	pcre2_code_free(rx->code);
	free(rx->cp);
	memset(rx, 0, sizeof(*rx));
}

/* Called before every item of the pattern as it matches: a look at the
 * clock every 256 calls. */
static int rx_callout(pcre2_callout_block *cb, void *data)
{
	struct fn_rx *rx = data;

	(void)cb;
	if ((++rx->callouts & 255) == 0 && sopm_time_mono_us() > rx->deadline)
		return PCRE2_ERROR_CALLOUT;
	return 0;
}

int fn_rx_next(struct fn_rx *rx, size_t *pos, int *notempty,
               struct sopm_err *err)
{
	uint32_t opts = rx->checked ? PCRE2_NO_UTF_CHECK : 0;
	PCRE2_SIZE *ov;
	int rc;

	if (*pos > rx->len)
		return 0;
	if (rx->deadline == 0)
		rx->deadline = sopm_time_mono_us() + RX_TIME_LIMIT_US;
	else if (sopm_time_mono_us() > rx->deadline)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "fields 'pattern' and 'text': matching "
		                    "took longer than %d ms",
		                    RX_TIME_LIMIT_US / 1000);
	if (*notempty)
		opts |= PCRE2_NOTEMPTY_ATSTART;
	pcre2_set_callout(rx->mctx, rx_callout, rx);
	rc = pcre2_match(rx->code, (PCRE2_SPTR)rx->text, rx->len, *pos, opts,
	                 rx->md, rx->mctx);
	rx->checked = 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_CALLOUT)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "fields 'pattern' and 'text': matching "
		                    "took longer than %d ms",
		                    RX_TIME_LIMIT_US / 1000);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pattern': match limit exceeded "
		                    "(catastrophic backtracking)");
	if (rc < 0) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(rc, msg, sizeof(msg));
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pattern': %s", (const char *)msg);
	}
	ov = pcre2_get_ovector_pointer(rx->md);
	if (ov[0] > ov[1]) /* \K in a lookaround */
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pattern': \\K gives a match that "
		                    "ends before it starts");
	/* Python's rule: after an empty match the next one may not be
	 * empty at the same place */
	*notempty = ov[0] == ov[1];
	*pos = ov[1];
	return 1;
}

size_t fn_rx_group(const struct fn_rx *rx, uint32_t g, size_t *end)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx->md);

	if (ov[2 * g] == PCRE2_UNSET)
		return (size_t)-1;
	*end = ov[2 * g + 1];
	return ov[2 * g];
}

/* The code point index of byte offset off (a character boundary). */
static size_t rx_cp(struct fn_rx *rx, size_t off)
{
	if (rx->cp == NULL) {
		size_t i = 0, k = 0;
		rx->cp = malloc((rx->len + 1) * sizeof(*rx->cp));
		if (rx->cp == NULL)
			return fn_uni_count(rx->text, off);
		while (i < rx->len) {
			uint32_t uc;
			size_t n = fn_uni_next(rx->text + i, rx->len - i, &uc);
			for (size_t j = 0; j < n; j++)
				rx->cp[i + j] = (uint32_t)k;
			i += n;
			k++;
		}
		rx->cp[rx->len] = (uint32_t)k;
	}
	return rx->cp[off];
}

static json_t *rx_sub(const struct fn_rx *rx, uint32_t g, size_t *budget)
{
	size_t s, e;

	s = fn_rx_group(rx, g, &e);
	*budget += 8;
	if (s == (size_t)-1)
		return json_null();
	*budget += e - s + 16;
	return json_stringn(rx->text + s, e - s);
}

/* {match, start, end, groups, named} of the current match. */
static json_t *rx_match_obj(struct fn_rx *rx, size_t *budget)
{
	json_t *o = json_object(), *groups = json_array(),
	       *named = json_object();
	size_t s, e = 0;
	uint32_t n = 0, esz = 0;
	PCRE2_SPTR tab = NULL;

	if (o == NULL || groups == NULL || named == NULL)
		goto fail;
	json_object_set_new(o, "groups", groups);
	json_object_set_new(o, "named", named);
	s = fn_rx_group(rx, 0, &e);
	if (json_object_set_new(o, "match", rx_sub(rx, 0, budget)) != 0 ||
	    json_object_set_new(o, "start",
	                        json_integer((json_int_t)rx_cp(rx, s))) != 0 ||
	    json_object_set_new(o, "end",
	                        json_integer((json_int_t)rx_cp(rx, e))) != 0)
		goto fail_o;
	for (uint32_t g = 1; g <= rx->ngroups; g++)
		if (json_array_append_new(groups, rx_sub(rx, g, budget)) != 0)
			goto fail_o;
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMECOUNT, &n);
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMEENTRYSIZE, &esz);
	pcre2_pattern_info(rx->code, PCRE2_INFO_NAMETABLE, &tab);
	for (uint32_t i = 0; i < n; i++) {
		PCRE2_SPTR ent = tab + (size_t)i * esz;
		uint32_t g = ((uint32_t)ent[0] << 8) | ent[1];
		if (json_object_set(named, (const char *)ent + 2,
		                    json_array_get(groups, g - 1)) != 0)
			goto fail_o;
	}
	return o;
fail:
	json_decref(groups);
	json_decref(named);
fail_o:
	json_decref(o);
	return NULL;
}

fn_handler_t fn_regex_match;

int fn_regex_match(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	struct fn_rx rx;
	size_t pos = 0, budget = 0;
	int notempty = 0, all = fn_arg_bool(input, "all", 0), rc;
	json_t *out = NULL;

	if (fn_rx_compile(&rx, input, ctx, err) != 0)
		return -1;
	if (all && (out = json_array()) == NULL)
		goto oom;
	while ((rc = fn_rx_next(&rx, &pos, &notempty, err)) == 1) {
		json_t *m = rx_match_obj(&rx, &budget);
		if (m == NULL)
			goto oom;
		if (!all) {
			out = m;
			break;
		}
		if (json_array_append_new(out, m) != 0)
			goto oom;
		budget += 64;
		if (budget > FN_LIMIT_REGEX_MATCH_RESULT_MAX) {
			sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'text': the matches exceed %d bytes",
			    FN_LIMIT_REGEX_MATCH_RESULT_MAX);
			rc = -1;
			break;
		}
	}
	fn_rx_free(&rx);
	if (rc < 0) {
		json_decref(out);
		return -1;
	}
	*result = out != NULL ? out : json_null();
	return 0;
oom:
	fn_rx_free(&rx);
	json_decref(out);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}
