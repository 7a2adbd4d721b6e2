/* pyrepr.c - Python's repr and str of JSON values (pyrepr.h). */
#include "pyrepr.h"

#include "fn_unicode.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>

/* ---- floats ---- */

/* Adds one unit in the last place to the nd digits of dig (a carry out of
 * the first digit makes "10..." and raises *exp). */
static void digits_up(char *dig, int nd, int *exp)
{
	int i = nd - 1;

	while (i >= 0 && dig[i] == '9')
		dig[i--] = '0';
	if (i >= 0) {
		dig[i]++;
		return;
	}
	dig[0] = '1';
	(*exp)++;
}

/* The value of sign, digits and exponent read back as a double. */
static double digits_value(int neg, const char *dig, int nd, int exp)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s%c.%.*se%d", neg ? "-" : "", dig[0],
	         nd - 1, dig + 1, exp);
	return strtod(buf, NULL);
}

/* The shortest digits (dig, *nd) and decimal exponent of |d| (d finite,
 * nonzero) that read back as d, the nearest such when there are two, as
 * Python's repr (David Gay's mode 0) picks them. */
static void shortest_digits(double d, char *dig, int *nd, int *exp)
{
	int neg = d < 0, unused;

	for (int p = 1; p <= 17; p++) {
		char buf[48], *e;
		int k = 0;

		snprintf(buf, sizeof(buf), "%.*e", p - 1, fabs(d));
		for (e = buf; *e != 'e'; e++)
			if (*e != '.')
				dig[k++] = *e;
		*nd = k;
		*exp = atoi(e + 1);
		if (digits_value(neg, dig, k, *exp) == d)
			break;
		/* Next to a power of two the gap below is half the gap above:
		 * the nearest p digits may fall below and miss while the next
		 * ones up still read back as d. */
		if (frexp(fabs(d), &unused) == 0.5 && p < 17) {
			char up[20];
			int uexp = *exp;
			memcpy(up, dig, (size_t)k);
			digits_up(up, k, &uexp);
			if (digits_value(neg, up, k, uexp) == d) {
				memcpy(dig, up, (size_t)k);
				*exp = uexp;
				break;
			}
		}
	}
	while (*nd > 1 && dig[*nd - 1] == '0')
		(*nd)--;
}

size_t pyrepr_float(double d, char *out)
{
	char dig[20];
	int nd, exp;
	size_t n = 0;

	if (d == 0)
		return (size_t)snprintf(out, PYREPR_FLOAT_MAX, "%s",
		                        signbit(d) ? "-0.0" : "0.0");
	shortest_digits(d, dig, &nd, &exp);
	if (d < 0)
		out[n++] = '-';
	if (exp < -4 || exp >= 16) {
		out[n++] = dig[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, dig + 1, (size_t)nd - 1);
			n += (size_t)nd - 1;
		}
		n += (size_t)snprintf(out + n, PYREPR_FLOAT_MAX - n, "e%c%02d",
		                      exp < 0 ? '-' : '+', abs(exp));
		return n;
	}
	if (exp < 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (int i = -1; i > exp; i--)
			out[n++] = '0';
		memcpy(out + n, dig, (size_t)nd);
		n += (size_t)nd;
	} else {
		for (int i = 0; i <= exp; i++)
			out[n++] = i < nd ? dig[i] : '0';
		out[n++] = '.';
		if (nd > exp + 1) {
			memcpy(out + n, dig + exp + 1, (size_t)(nd - exp - 1));
			n += (size_t)(nd - exp - 1);
		} else {
			out[n++] = '0';
		}
	}
	out[n] = '\0';
	return n;
}

/* ---- strings ---- */

/* Python's str.isprintable() for one code point: a space, or not of
 * general category C* or Z* (Unicode 14.0 in both). */
static int is_printable(uint32_t uc)
{
	if (uc == ' ')
		return 1;
	return !uc_is_general_category(uc, UC_CATEGORY_C) &&
	       !uc_is_general_category(uc, UC_CATEGORY_Z);
}

/* repr(s) of s[0..n): single quotes unless s holds ' and no ", the quote
 * and backslash escaped, \t \n \r, \xhh \uhhhh \Uhhhhhhhh for what is not
 * printable (CPython's unicode_repr). */
static int repr_string(struct sopm_buf *b, const char *s, size_t n)
{
	char q = '\'';
	size_t i = 0;

	if (memchr(s, '\'', n) != NULL && memchr(s, '"', n) == NULL)
		q = '"';
	if (sopm_buf_add(b, &q, 1) != 0)
		return -1;
	while (i < n) {
		uint32_t uc;
		size_t len = fn_uni_next(s + i, n - i, &uc);
		char esc[16];
		int k = 0;

		if (uc == (uint32_t)q || uc == '\\')
			k = snprintf(esc, sizeof(esc), "\\%c", (char)uc);
		else if (uc == '\t')
			k = snprintf(esc, sizeof(esc), "\\t");
		else if (uc == '\n')
			k = snprintf(esc, sizeof(esc), "\\n");
		else if (uc == '\r')
			k = snprintf(esc, sizeof(esc), "\\r");
		else if (uc < ' ' || uc == 0x7f)
			k = snprintf(esc, sizeof(esc), "\\x%02x", uc);
		else if (uc < 0x7f || is_printable(uc))
			k = 0;
		else if (uc <= 0xff)
			k = snprintf(esc, sizeof(esc), "\\x%02x", uc);
		else if (uc <= 0xffff)
			k = snprintf(esc, sizeof(esc), "\\u%04x", uc);
		else
			k = snprintf(esc, sizeof(esc), "\\U%08x", uc);
		if (k > 0 ? sopm_buf_add(b, esc, (size_t)k)
		          : sopm_buf_add(b, s + i, len))
			return -1;
		i += len;
	}
	return sopm_buf_add(b, &q, 1);
}

/* ---- values ---- */

int pyrepr_json_scalar(struct sopm_buf *b, const json_t *v)
{
	char tmp[PYREPR_FLOAT_MAX];
	size_t n;

	switch (json_typeof(v)) {
	case JSON_NULL:
		return sopm_buf_add(b, "null", 4);
	case JSON_TRUE:
		return sopm_buf_add(b, "true", 4);
	case JSON_FALSE:
		return sopm_buf_add(b, "false", 5);
	case JSON_INTEGER:
		n = (size_t)snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
		                     json_integer_value(v));
		return sopm_buf_add(b, tmp, n);
	case JSON_REAL:
		n = pyrepr_float(json_real_value(v), tmp);
		return sopm_buf_add(b, tmp, n);
	default:
		return -2;
	}
}

/* repr(v); depth counts the containers above v. */
static int repr_value(struct sopm_buf *b, const json_t *v, int depth,
                      int depth_max)
{
	const char *key;
	size_t i, klen;
	json_t *x;
	int rc;

	if ((json_is_array(v) || json_is_object(v)) && depth >= depth_max)
		return -2;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return sopm_buf_add(b, "None", 4);
	case JSON_TRUE:
		return sopm_buf_add(b, "True", 4);
	case JSON_FALSE:
		return sopm_buf_add(b, "False", 5);
	case JSON_STRING:
		return repr_string(b, json_string_value(v),
		                   json_string_length(v));
	case JSON_ARRAY:
		if (sopm_buf_add(b, "[", 1) != 0)
			return -1;
		json_array_foreach((json_t *)v, i, x)
		{
			if (i > 0 && sopm_buf_add(b, ", ", 2) != 0)
				return -1;
			rc = repr_value(b, x, depth + 1, depth_max);
			if (rc != 0)
				return rc;
		}
		return sopm_buf_add(b, "]", 1);
	case JSON_OBJECT:
		if (sopm_buf_add(b, "{", 1) != 0)
			return -1;
		i = 0;
		json_object_keylen_foreach((json_t *)v, key, klen, x)
		{
			if (i++ > 0 && sopm_buf_add(b, ", ", 2) != 0)
				return -1;
			if (repr_string(b, key, klen) != 0 ||
			    sopm_buf_add(b, ": ", 2) != 0)
				return -1;
			rc = repr_value(b, x, depth + 1, depth_max);
			if (rc != 0)
				return rc;
		}
		return sopm_buf_add(b, "}", 1);
	default:
		return pyrepr_json_scalar(b, v);
	}
}

int pyrepr_str(struct sopm_buf *b, const json_t *v, int depth_max)
{
	if (json_is_string(v))
		return sopm_buf_add(b, json_string_value(v),
		                    json_string_length(v));
	return repr_value(b, v, 0, depth_max);
}
