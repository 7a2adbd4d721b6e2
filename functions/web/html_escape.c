/* html_escape.c - `html_escape`: Python 3.11's html.escape(quote=True),
 * or html.unescape (fn_html.h). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_html.h"
#include "sopm_buf.h"

#include <stdlib.h>
#include <string.h>

static int escape(struct sopm_buf *b, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#x27;";
			break;
		default:
			continue;
		}
		if (sopm_buf_add(b, s + start, i - start) != 0 ||
		    sopm_buf_add(b, rep, strlen(rep)) != 0)
			return -1;
		start = i + 1;
	}
	return sopm_buf_add(b, s + start, n - start);
}

fn_handler_t fn_html_escape;

int fn_html_escape(const json_t *input, json_t **result, struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	size_t n;
	const char *s = fn_arg_text(input, "text", "", &n);
	struct sopm_buf b = {0};
	int rc = fn_arg_bool(input, "unescape", 0) ? fn_html_unescape(&b, s, n)
	                                           : escape(&b, s, n);
	json_t *out = rc == 0 ? json_stringn(b.p ? b.p : "", b.len) : NULL;

	(void)ctx;
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
