/* codes.c - check digits: `luhn` and `iban_validate` (ISO 13616 mod 97). */
#include "fn.h"
#include "fn_arg.h"

#include <string.h>

/* Luhn sum of digits d[0..n) with a digit `extra` appended when extra >= 0 */
static int luhn_sum(const char *d, size_t n, int extra)
{
	int total = 0;
	size_t pos = extra >= 0 ? 1 : 0;

	if (extra >= 0)
		total += extra;
	for (size_t i = n; i-- > 0; pos++) {
		int v = d[i] - '0';
		if (pos % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		total = (total + v) % 10;
	}
	return total % 10;
}

fn_handler_t fn_luhn;

int fn_luhn(const json_t *input, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	size_t n, nd = 0;
	const json_t *num = json_object_get(input, "number");
	const char *s;
	char digits[1024], ibuf[32];
	json_t *out;

	(void)ctx;
	if (json_is_integer(num)) { /* >= 0 (schema): its decimal digits */
		n = (size_t)snprintf(ibuf, sizeof(ibuf), "%lld",
		                     (long long)json_integer_value(num));
		s = ibuf;
	} else {
		s = fn_arg_text(input, "number", "", &n);
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (nd < sizeof(digits)) /* n <= 1000 (schema) */
				digits[nd++] = s[i];
		} else if (s[i] != ' ' && s[i] != '-') {
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'number' may hold only digits, "
			    "spaces and '-'");
		}
	}
	if (nd == 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'number' has no digit");
	out = json_pack("{s:b, s:i}", "valid", luhn_sum(digits, nd, -1) == 0,
	                "check_digit", (10 - luhn_sum(digits, nd, 0)) % 10);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* The IBAN length of each country, from SWIFT's IBAN registry. */
static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
    {"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
    {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
    {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
    {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28},
    {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29},
    {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
    {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

static int iban_length(const char *cc)
{
	for (size_t i = 0; i < sizeof(iban_lengths) / sizeof(*iban_lengths);
	     i++)
		if (memcmp(iban_lengths[i].cc, cc, 2) == 0)
			return iban_lengths[i].len;
	return -1;
}

static int is_alnum_upper(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The reason s[0..n) (spaces removed, letters upper-cased) is not a valid
 * IBAN, or NULL. */
static const char *iban_reason(const char *s, size_t n)
{
	unsigned rem = 0;
	int len;

	for (size_t i = 0; i < n; i++)
		if (!is_alnum_upper(s[i]))
			return "invalid_characters";
	if (n < 2 || (len = iban_length(s)) < 0)
		return "unknown_country";
	if ((size_t)len != n)
		return "invalid_length";
	if (!(s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9'))
		return "invalid_check_digits";
	for (size_t k = 0; k < n; k++) {
		char c = s[(k + 4) % n];
		if (c >= 'A')
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
	}
	return rem == 1 ? NULL : "checksum_mismatch";
}

fn_handler_t fn_iban_validate;

int fn_iban_validate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	size_t n, m = 0;
	const char *raw = fn_arg_text(input, "iban", "", &n);
	char s[512]; /* n <= 100 code points (schema): at most 400 bytes */
	const char *reason;
	json_t *out;

	(void)ctx;
	for (size_t i = 0; i < n && m < sizeof(s); i++) {
		char c = raw[i];
		if (c == ' ')
			continue;
		s[m++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	reason = iban_reason(s, m);
	/* country, check_digits and bban cut at code points, as s[0:2],
	 * s[2:4] and s[4:] in Python */
	size_t cut[2] = {m, m}, cp = 0;
	for (size_t i = 0; i < m; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (cp == 2)
			cut[0] = i;
		if (cp == 4)
			cut[1] = i;
		cp++;
	}
	if (cut[1] < cut[0])
		cut[1] = cut[0];
	out = json_pack("{s:b, s:s%, s:s%, s:s%}", "valid", reason == NULL,
	                "country", s, cut[0], "check_digits", s + cut[0],
	                cut[1] - cut[0], "bban", s + cut[1], m - cut[1]);
	if (out != NULL && reason != NULL &&
	    json_object_set_new(out, "reason", json_string(reason)) != 0) {
		json_decref(out);
		out = NULL;
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
