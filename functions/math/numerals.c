/* numerals.c - `base_convert` (Python's int(value, base), then digits in
 * another base, with GMP) and `roman`. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>

/* ---- base_convert ---- */

/* Py_ISSPACE: the ASCII whitespace of PyLong_FromString. */
static int ascii_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* PyLong_FromString for a base of 2..36 on the ASCII s[0..n): the digits
 * without underscores into digits (NUL-terminated), the sign into *neg.
 * Returns -1 on what Python raises ValueError for. */
static int py_int_digits(const char *s, size_t n, int base, char *digits,
                         int *neg)
{
	const char *end = s + n, *start;
	size_t nd = 0;
	char prev = 0;

	while (s < end && ascii_space(*s))
		s++;
	*neg = 0;
	if (s < end && (*s == '+' || *s == '-'))
		*neg = *s++ == '-';
	if (end - s >= 2 && s[0] == '0' &&
	    ((base == 16 && (s[1] == 'x' || s[1] == 'X')) ||
	     (base == 8 && (s[1] == 'o' || s[1] == 'O')) ||
	     (base == 2 && (s[1] == 'b' || s[1] == 'B')))) {
		s += 2;
		if (s < end && *s == '_') /* one underscore after a prefix */
			s++;
	}
	if (s < end && *s == '_')
		return -1;
	start = s;
	while (s < end && (digit_value(*s) < base || *s == '_')) {
		if (*s == '_' && prev == '_')
			return -1;
		if (*s != '_')
			digits[nd++] = *s;
		prev = *s++;
	}
	if (prev == '_' || s == start)
		return -1;
	while (s < end && ascii_space(*s))
		s++;
	digits[nd] = '\0';
	return s == end ? 0 : -1; /* a NUL inside ends Python's parse too */
}

fn_handler_t fn_base_convert;

/* input borrowed; *result a NEW reference. */
int fn_base_convert(const json_t *in, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	size_t n;
	const char *value = fn_arg_text(in, "value", "", &n);
	int from = (int)fn_arg_int(in, "from", 10),
	    to = (int)fn_arg_int(in, "to", 10);
	char *ascii = malloc(n + 1), *digits = malloc(n + 1), *out = NULL;
	int neg, rc = -1;
	mpz_t z;

	(void)ctx;
	if (ascii == NULL || digits == NULL) {
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto done;
	}
	if (py_int_digits(ascii, fn_uni_py_ascii(value, n, ascii), from, digits,
	                  &neg) < 0) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "field 'value' is not an integer in base %d",
		             from);
		goto done;
	}
	mpz_init(z);
	mpz_set_str(z, digits, from); /* only valid digits are left */
	if (neg)
		mpz_neg(z, z);
	out = mpz_get_str(NULL, to, z); /* lowercase for bases up to 36 */
	mpz_clear(z);
	if (out == NULL) {
		sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		goto done;
	}
	*result = json_string(out);
	rc = *result ? 0 : sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	free(out); /* GMP's default allocator is malloc */
done:
	free(ascii);
	free(digits);
	return rc;
}

/* ---- roman ---- */

static const struct {
	int value;
	const char *numeral;
} roman_digits[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"},
                    {100, "C"},  {90, "XC"},  {50, "L"},  {40, "XL"},
                    {10, "X"},   {9, "IX"},   {5, "V"},   {4, "IV"},
                    {1, "I"}};

/* The canonical numeral of 1 <= v <= 3999 into buf (16 bytes). */
static void to_roman(int v, char *buf)
{
	buf[0] = '\0';
	for (size_t i = 0; v > 0; i++)
		while (v >= roman_digits[i].value) {
			strcat(buf, roman_digits[i].numeral);
			v -= roman_digits[i].value;
		}
}

fn_handler_t fn_roman;

/* input borrowed; *result a NEW reference. */
int fn_roman(const json_t *in, json_t **result, struct fn_ctx *ctx,
             struct sopm_err *err)
{
	const json_t *v = json_object_get(in, "value");
	static const char letters[] = "IVXLCDM";
	static const int values[] = {1, 5, 10, 50, 100, 500, 1000};
	char buf[16], up[16], canon[16];
	const char *s;
	size_t n;
	int value = 0;

	(void)ctx;
	if (json_is_integer(v)) { /* the schema bounds it to 1..3999 */
		to_roman((int)json_integer_value(v), buf);
		*result = json_string(buf);
		goto done;
	}
	s = fn_arg_text(in, "value", "", &n);
	if (n == 0 || n >= sizeof(up))
		goto invalid;
	/* ASCII letters in either case */
	for (size_t i = 0; i < n; i++) {
		char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
		if (c == '\0' || strchr(letters, c) == NULL)
			goto invalid;
		up[i] = c;
	}
	up[n] = '\0';
	/* the value, a subtractive pair's small letter counting negatively;
	 * then only the numeral that writes it canonically is accepted */
	for (size_t i = 0; i < n; i++) {
		int a = values[strchr(letters, up[i]) - letters];
		int b = i + 1 < n ? values[strchr(letters, up[i + 1]) - letters]
		                  : 0;
		value += a < b ? -a : a;
	}
	if (value < 1 || value > 3999)
		goto invalid;
	to_roman(value, canon);
	if (strcmp(canon, up) != 0)
		goto invalid;
	*result = json_integer(value);
done:
	return *result ? 0
	               : sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
invalid:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'value' is not a canonical Roman numeral "
	                    "(I to MMMCMXCIX)");
}
