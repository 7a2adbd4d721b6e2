/* soundex.c - `soundex`: American Soundex of the ASCII letters of a text. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "textscan.h"

#include <stdlib.h>

fn_handler_t fn_soundex;

/* The digit of an upper-case letter: '0' for the vowels A E I O U Y (which
 * separate equal digits), '_' for H and W (which do not). */
static char letter_digit(char c)
{
	static const char digits[] = "0123012_02245501262301_202";

	return digits[c - 'A'];
}

struct soundex {
	char code[5];
	size_t len;
	char last; /* digit of the previous coded letter; '0' after a vowel */
};

/* Feeds one upper-case ASCII letter. */
static void soundex_add(struct soundex *s, char c)
{
	char d = letter_digit(c);

	if (s->len == 0) {
		s->code[s->len++] = c;
		s->last = d == '_' ? '0' : d;
		return;
	}
	if (d == '_') /* H, W: the digits on both sides still merge */
		return;
	if (d != '0' && d != s->last && s->len < 4)
		s->code[s->len++] = d;
	s->last = d;
}

/* Feeds the A-Z of NFKD(str.upper(uc)). Returns 0, or -1 on OOM. */
static int soundex_feed(struct soundex *s, uint32_t uc, struct sopm_buf *tmp)
{
	tmp->len = 0;
	if (fn_text_map_cp(tmp, uc, FN_TEXT_UPPER) != 0)
		return -1;
	for (size_t k = 0; k < tmp->len;) {
		uint32_t c, d[FN_UNI_DECOMP_MAX];
		size_t nd;
		k += fn_uni_next(tmp->p + k, tmp->len - k, &c);
		if (c < 0x80) {
			d[0] = c;
			nd = 1;
		} else if ((nd = fn_uni_nfkd_char(c, d, FN_UNI_DECOMP_MAX)) ==
		           0) {
			return -1;
		}
		for (size_t i = 0; i < nd; i++)
			if (d[i] >= 'A' && d[i] <= 'Z')
				soundex_add(s, (char)d[i]);
	}
	return 0;
}

int fn_soundex(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	size_t n, i = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	struct soundex s = {.len = 0};
	struct sopm_buf tmp = {0};
	json_t *out;
	int rc = 0;

	(void)ctx;
	while (rc == 0 && i < n && s.len < 4) {
		uint32_t uc;
		i += fn_uni_next(text + i, n - i, &uc);
		rc = soundex_feed(&s, uc, &tmp);
	}
	free(tmp.p);
	if (rc != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	while (s.len > 0 && s.len < 4)
		s.code[s.len++] = '0';
	out = json_stringn(s.code, s.len);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
