/* json_pointer.c - `json_pointer`: the value a JSON Pointer (RFC 6901)
 * designates in a document. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"

#include <stdint.h>

fn_handler_t fn_json_pointer;

/* input borrowed; *result a NEW deep copy of the designated value, so the
 * result never shares the input. */
int fn_json_pointer(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	const json_t *doc = json_object_get(input, "document");
	size_t n;
	const char *s = fn_arg_text(input, "pointer", "", &n);
	struct fn_ptr p;
	json_t *v;
	size_t values;
	int depth;
	char q[72];
	int rc = fn_ptr_parse(s, n, &p);

	(void)ctx;
	if (rc == -2)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	fn_json_quote(q, sizeof(q), s, n);
	if (rc != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pointer': '%s' is not a JSON "
		                    "pointer (\"\" or '/' tokens, where '~' is "
		                    "followed by 0 or 1)",
		                    q);
	v = fn_ptr_get(doc, &p, p.n);
	fn_ptr_free(&p);
	if (v == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'pointer': '%s' does not exist in "
		                    "the document",
		                    q);
	if (fn_json_measure(v, SIZE_MAX, FN_LIMIT_JSON_POINTER_DEPTH_MAX,
	                    &values, &depth) != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'document': the value nests deeper "
		                    "than %d levels",
		                    FN_LIMIT_JSON_POINTER_DEPTH_MAX);
	v = fn_json_copy(v, FN_LIMIT_JSON_POINTER_DEPTH_MAX);
	if (v == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = v;
	return 0;
}
