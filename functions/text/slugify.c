/* slugify.c - `slugify`: NFKD, ASCII only, lowercase, runs of other
 * characters joined by one separator. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_unicode.h"
#include "sopm_buf.h"

#include <stdlib.h>

fn_handler_t fn_slugify;

int fn_slugify(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	size_t n, seplen, i = 0;
	const char *text = fn_arg_text(input, "text", "", &n);
	const char *sep = fn_arg_text(input, "separator", "-", &seplen);
	struct sopm_buf b = {0};
	int pending = 0; /* a separator is due before the next alphanumeric */
	json_t *out;

	(void)ctx;
	while (i < n) {
		uint32_t uc, d[FN_UNI_DECOMP_MAX];
		size_t nd;
		i += fn_uni_next(text + i, n - i, &uc);
		if (uc < 0x80) {
			d[0] = uc;
			nd = 1;
		} else if ((nd = fn_uni_nfkd_char(uc, d, FN_UNI_DECOMP_MAX)) ==
		           0) {
			free(b.p);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		}
		for (size_t k = 0; k < nd; k++) {
			uint32_t c = d[k];
			char ch;
			if (c >= 0x80)
				continue; /* dropped, joins its neighbours */
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (!((c >= 'a' && c <= 'z') ||
			      (c >= '0' && c <= '9'))) {
				pending = b.len > 0;
				continue;
			}
			ch = (char)c;
			if ((pending && sopm_buf_add(&b, sep, seplen) != 0) ||
			    sopm_buf_add(&b, &ch, 1) != 0) {
				free(b.p);
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "out of memory");
			}
			pending = 0;
		}
	}
	out = json_stringn(b.len ? b.p : "", b.len);
	free(b.p);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
