/* hex.c - `hex`: bytes.hex() of the UTF-8 text, or bytes.fromhex(text)
 * decoded as UTF-8 (strictly). */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_bytes.h"

#include <stdlib.h>
#include <string.h>

/* Py_ISSPACE: the ASCII whitespace that fromhex skips between bytes. */
static int py_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

fn_handler_t fn_hex;

int fn_hex(const json_t *input, json_t **result, struct fn_ctx *ctx,
           struct sopm_err *err)
{
	size_t n, o = 0;
	const char *s = fn_arg_text(input, "text", "", &n);
	unsigned char *buf = malloc(2 * n + 1);
	json_t *out = NULL;

	(void)ctx;
	if (buf == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	if (!fn_arg_bool(input, "decode", 0)) {
		sopm_hex_encode(s, n, (char *)buf);
		out = json_stringn((char *)buf, 2 * n);
		goto done;
	}
	for (size_t i = 0; i < n;) {
		int hi, lo;
		if (py_isspace(s[i])) {
			i++;
			continue;
		}
		hi = sopm_hex_digit((unsigned char)s[i]);
		lo = i + 1 < n ? sopm_hex_digit((unsigned char)s[i + 1]) : -1;
		if (hi < 0 || lo < 0) {
			free(buf);
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'text' has a non-hexadecimal "
			    "number at position %zu",
			    hi < 0 ? i : i + 1);
		}
		buf[o++] = (unsigned char)(hi * 16 + lo);
		i += 2;
	}
	/* json_stringn refuses bytes that are not UTF-8, as .decode() does
	 * (surrogates included). */
	out = json_stringn((char *)buf, o);
	if (out == NULL) {
		free(buf);
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'text' decodes to bytes that are not "
		    "UTF-8");
	}
done:
	free(buf);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
