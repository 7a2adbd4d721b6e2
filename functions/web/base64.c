/* base64.c - `base64`: RFC 4648 encoding of the UTF-8 text, and decoding
 * exactly as strict as Python 3.11's b64decode(validate=True). */
#include "fn.h"
#include "fn_arg.h"

#include <stdlib.h>

#include <unistr.h>

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64.b64encode / urlsafe_b64encode, with padding. Returns a NEW
 * reference or NULL on OOM. */
static json_t *b64_encode(const unsigned char *in, size_t n, int urlsafe)
{
	const char *alpha = urlsafe ? b64_url : b64_std;
	size_t outlen = (n + 2) / 3 * 4, o = 0;
	char *out = malloc(outlen + 1);
	json_t *s;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (unsigned long)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = alpha[(v >> 18) & 63];
		out[o++] = alpha[(v >> 12) & 63];
		out[o++] = left > 1 ? alpha[(v >> 6) & 63] : '=';
		out[o++] = left > 2 ? alpha[v & 63] : '=';
	}
	s = json_stringn(out, o);
	free(out);
	return s;
}

static int b64_value(unsigned char c, int urlsafe)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (urlsafe ? '-' : '+'))
		return 62;
	if (c == (urlsafe ? '_' : '/'))
		return 63;
	return -1;
}

/* binascii.a2b_base64(strict_mode=True) as Python 3.11 does it: the same
 * checks in the same order, so the same inputs fail. out has room for
 * n / 4 * 3 + 3 bytes. Returns NULL on success, or why it failed. */
static const char *b64_decode_strict(const unsigned char *in, size_t n,
                                     int urlsafe, unsigned char *out,
                                     size_t *outlen)
{
	int quad = 0, pads = 0, padding = 0;
	unsigned char left = 0;
	size_t o = 0;

	if (n > 0 && in[0] == '=')
		return "leading padding is not allowed";
	for (size_t i = 0; i < n; i++) {
		int v;
		if (in[i] == '=') {
			/* 3.11 ignores '=' where a quad starts (3.13 refuses
			 * it), but nothing but '=' may follow. */
			padding = 1;
			if (quad >= 2 && quad + ++pads >= 4) {
				if (i + 1 < n)
					return "excess data after padding";
				*outlen = o;
				return NULL;
			}
			continue;
		}
		if (in[i] >= 0x80)
			return "only ASCII characters are allowed";
		if ((v = b64_value(in[i], urlsafe)) < 0)
			return "only base64 data is allowed";
		if (padding)
			return "discontinuous padding is not allowed";
		pads = 0;
		switch (quad) {
		case 0:
			left = (unsigned char)v;
			break;
		case 1:
			out[o++] = (unsigned char)(left << 2 | v >> 4);
			left = v & 0x0f;
			break;
		case 2:
			out[o++] = (unsigned char)(left << 4 | v >> 2);
			left = v & 0x03;
			break;
		default:
			out[o++] = (unsigned char)(left << 6 | v);
			break;
		}
		quad = (quad + 1) & 3;
	}
	if (quad == 1)
		return "the number of data characters cannot be 1 more than a "
		       "multiple of 4";
	if (quad != 0)
		return "incorrect padding";
	*outlen = o;
	return NULL;
}

fn_handler_t fn_base64;

int fn_base64(const json_t *input, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	size_t n, outlen = 0;
	const unsigned char *text =
	    (const unsigned char *)fn_arg_text(input, "text", "", &n);
	int urlsafe = fn_arg_bool(input, "urlsafe", 0);
	unsigned char *bytes;
	const char *why;
	json_t *out;

	(void)ctx;
	if (!fn_arg_bool(input, "decode", 0)) {
		out = b64_encode(text, n, urlsafe);
		if (out == NULL)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		*result = out;
		return 0;
	}
	bytes = malloc(n / 4 * 3 + 3);
	if (bytes == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	why = b64_decode_strict(text, n, urlsafe, bytes, &outlen);
	if (why != NULL) {
		free(bytes);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'text' is not valid %sbase64: %s",
		                    urlsafe ? "URL-safe " : "", why);
	}
	if (u8_check(bytes, outlen) != NULL) {
		free(bytes);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'text' does not decode to UTF-8 "
		                    "text");
	}
	out = json_stringn((const char *)bytes, outlen);
	free(bytes);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
