/* extract.c - `extract`: emails, urls, hashtags, mentions and numbers, each
 * by one PCRE2 pattern (UTF + UCP, so \w, \W and \d are Python's re on
 * str), the same text as the Python patterns of tests/refs/textb.py. The
 * patterns are compiled per call: no state outlives it. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "fn.h"
#include "fn_arg.h"

#include <pcre2.h>
#include <string.h>

/* Characters a URL never holds: controls, spaces, < > " ' `. */
#define URL_OUT                                                                \
	"\\x00-\\x20\\x7f-\\xa0<>\"'`\\x{1680}\\x{2000}-\\x{200b}\\x{2028}"    \
	"\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}"

static const struct kind {
	const char *name, *pattern;
} kinds[] = {
    {"emails", "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@"
               "(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}"},
    {"urls",
     "(?<![A-Za-z0-9])https?://[^" URL_OUT "]*[^" URL_OUT ".,;:!?)\\]}]"},
    {"hashtags", "(?<![\\w#])#\\w*[^\\W\\d]\\w*"},
    {"mentions", "(?<![\\w@])@\\w+"},
    {"numbers", "(?<![\\w.])[-+]?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)"
                "(?:[eE][-+]?[0-9]+)?(?!\\w)"},
};

/* Every match of pattern in s[0..n), left to right (re.findall), as a NEW
 * array; NULL with err set on failure. */
static json_t *find_all(const char *pattern, const char *s, size_t n,
                        struct sopm_err *err)
{
	int ecode;
	PCRE2_SIZE eoff, pos = 0;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                  PCRE2_UTF | PCRE2_UCP, &ecode, &eoff, NULL);
	pcre2_match_data *md =
	    re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	json_t *arr = md ? json_array() : NULL;

	if (arr == NULL)
		sopm_err_set(err, SOPM_E_INTERNAL, "extract: pattern");
	while (arr != NULL && pos <= n) {
		int m = pcre2_match(re, (PCRE2_SPTR)s, n, pos,
		                    PCRE2_NO_UTF_CHECK, md, NULL);
		PCRE2_SIZE *ov;
		if (m == PCRE2_ERROR_NOMATCH)
			break;
		if (m < 0) {
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field 'text' is too complex to search");
			json_decref(arr);
			arr = NULL;
			break;
		}
		ov = pcre2_get_ovector_pointer(md);
		if (json_array_append_new(
		        arr, json_stringn(s + ov[0], ov[1] - ov[0])) != 0) {
			sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
			json_decref(arr);
			arr = NULL;
			break;
		}
		/* No pattern matches the empty string. */
		pos = ov[1] > pos ? ov[1] : pos + 1;
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return arr;
}

fn_handler_t fn_extract;

int fn_extract(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	size_t n, i;
	const char *text = fn_arg_text(input, "text", "", &n);
	json_t *asked = json_object_get(input, "kinds"), *k;
	json_t *out = json_object();

	(void)ctx;
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	json_array_foreach(asked, i, k)
	{
		const char *name = json_string_value(k);
		json_t *found;
		if (json_object_get(out, name) != NULL)
			continue;
		for (size_t j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++) {
			if (strcmp(kinds[j].name, name) != 0)
				continue;
			found = find_all(kinds[j].pattern, text, n, err);
			if (found == NULL) {
				json_decref(out);
				return -1;
			}
			if (json_object_set_new(out, name, found) != 0) {
				json_decref(out);
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "out of memory");
			}
		}
	}
	*result = out;
	return 0;
}
