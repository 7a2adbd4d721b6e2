/* json_merge_patch.c - `json_merge_patch`: RFC 7396 JSON Merge Patch. */
#include "fn.h"
#include "fn_json.h"
#include "fn_limits.h"

#include <stdint.h>

#define DEPTH_MAX FN_LIMIT_JSON_MERGE_PATCH_DEPTH_MAX

/* RFC 7396 section 2, MergePatch(Target, Patch): consumes target (a NEW
 * reference or NULL, changed in place) and returns the result as a NEW
 * reference, or NULL when memory runs out. patch is borrowed; the
 * recursion follows patch's objects, which the caller measured. */
static json_t *merge(json_t *target, const json_t *patch)
{
	const char *key;
	size_t klen;
	json_t *pv;

	if (!json_is_object(patch)) {
		json_decref(target);
		return fn_json_copy(patch, DEPTH_MAX);
	}
	if (!json_is_object(target)) {
		json_decref(target);
		target = json_object();
		if (target == NULL)
			return NULL;
	}
	json_object_keylen_foreach((json_t *)patch, key, klen, pv)
	{
		json_t *m;

		if (json_is_null(pv)) {
			json_object_deln(target, key, klen);
			continue;
		}
		m = merge(json_incref(json_object_getn(target, key, klen)), pv);
		if (m == NULL ||
		    json_object_setn_new_nocheck(target, key, klen, m) != 0) {
			json_decref(target);
			return NULL;
		}
	}
	return target;
}

fn_handler_t fn_json_merge_patch;

/* input borrowed; *result NEW, built from copies (it never shares the
 * input). */
int fn_json_merge_patch(const json_t *input, json_t **result,
                        struct fn_ctx *ctx, struct sopm_err *err)
{
	static const char *const fields[] = {"target", "patch"};
	json_t *target, *out;
	size_t values;
	int depth;

	(void)ctx;
	for (int i = 0; i < 2; i++)
		if (fn_json_measure(json_object_get(input, fields[i]), SIZE_MAX,
		                    DEPTH_MAX, &values, &depth) != 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' nests deeper than %d "
			                    "levels",
			                    fields[i], DEPTH_MAX);
	target = fn_json_copy(json_object_get(input, "target"), DEPTH_MAX);
	if (target == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	out = merge(target, json_object_get(input, "patch"));
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
