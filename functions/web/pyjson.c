/* pyjson.c - see pyjson.h. */
#include "pyjson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

void pyjson_float_repr(double d, char out[32])
{
	char tmp[40], digits[20];
	int prec, exp, nd = 0, o = 0;
	const char *p;

	if (d == 0) {
		snprintf(out, 32, "%s", signbit(d) ? "-0.0" : "0.0");
		return;
	}
	/* the shortest %e that reads back as d: Python's repr digits */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	p = tmp;
	if (*p == '-')
		out[o++] = *p++;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp < -4 || exp >= 16) {
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, nd - 1);
			o += nd - 1;
		}
		snprintf(out + o, 32 - o, "e%c%02d", exp < 0 ? '-' : '+',
		         exp < 0 ? -exp : exp);
		return;
	}
	if (exp < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -exp - 1; i++)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		o += nd;
	} else {
		for (int i = 0; i <= exp; i++)
			out[o++] = i < nd ? digits[i] : '0';
		out[o++] = '.';
		if (nd > exp + 1) {
			memcpy(out + o, digits + exp + 1, nd - exp - 1);
			o += nd - exp - 1;
		} else {
			out[o++] = '0';
		}
	}
	out[o] = '\0';
}

static int add(struct sopm_buf *b, const char *s)
{
	return sopm_buf_add(b, s, strlen(s));
}

static int dump_string(struct sopm_buf *b, const char *s, size_t n,
                       int ensure_ascii)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	char esc[16];

	if (add(b, "\"") != 0)
		return -1;
	while (p < end) {
		ucs4_t c;
		int len = u8_mbtouc(&c, p, end - p);
		const char *e = NULL;

		switch (c) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		default:
			if (c < 0x20 ||
			    (ensure_ascii && c > 0x7e && c < 0x10000)) {
				snprintf(esc, sizeof(esc), "\\u%04x",
				         (unsigned)c);
				e = esc;
			} else if (ensure_ascii && c >= 0x10000) {
				c -= 0x10000;
				snprintf(esc, sizeof(esc), "\\u%04x\\u%04x",
				         0xd800 + (unsigned)(c >> 10),
				         0xdc00 + (unsigned)(c & 0x3ff));
				e = esc;
			}
		}
		if (e ? add(b, e) : sopm_buf_add(b, p, len))
			return -1;
		p += len;
	}
	return add(b, "\"");
}

int pyjson_dump(struct sopm_buf *b, const json_t *v, int ensure_ascii,
                int depth_max)
{
	char num[32];

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *m;
		int first = 1;
		if (depth_max <= 0 || add(b, "{") != 0)
			return -1;
		json_object_foreach((json_t *)v, k, m)
		{
			if ((!first && add(b, ",") != 0) ||
			    dump_string(b, k, strlen(k), ensure_ascii) != 0 ||
			    add(b, ":") != 0 ||
			    pyjson_dump(b, m, ensure_ascii, depth_max - 1) != 0)
				return -1;
			first = 0;
		}
		return add(b, "}");
	}
	case JSON_ARRAY:
		if (depth_max <= 0 || add(b, "[") != 0)
			return -1;
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((i > 0 && add(b, ",") != 0) ||
			    pyjson_dump(b, json_array_get(v, i), ensure_ascii,
			                depth_max - 1) != 0)
				return -1;
		return add(b, "]");
	case JSON_STRING:
		return dump_string(b, json_string_value(v),
		                   json_string_length(v), ensure_ascii);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		         json_integer_value(v));
		return add(b, num);
	case JSON_REAL:
		pyjson_float_repr(json_real_value(v), num);
		return add(b, num);
	case JSON_TRUE:
		return add(b, "true");
	case JSON_FALSE:
		return add(b, "false");
	default:
		return add(b, "null");
	}
}
