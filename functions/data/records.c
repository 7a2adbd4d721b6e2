/* records.c - members of arrays of objects: `pluck` (one member of each)
 * and `select_fields` (a projection with renames). Results hold new
 * references to the input's own values; nothing is copied. */
#include "fn.h"

#include <stdlib.h>
#include <string.h>

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* ---- pluck ---- */

fn_handler_t fn_pluck;

int fn_pluck(const json_t *input, json_t **result, struct fn_ctx *ctx,
             struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	const json_t *field = json_object_get(input, "field");
	json_t *out = json_array();

	(void)ctx;
	for (size_t i = 0; out != NULL && i < json_array_size(items); i++) {
		json_t *v = json_object_getn(json_array_get(items, i),
		                             json_string_value(field),
		                             json_string_length(field));
		if (json_array_append_new(out, v ? json_incref(v)
		                                 : json_null()) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* ---- select_fields ---- */

/* The selection: the distinct names of `fields` in order (slots), and what
 * each slot is called in the result. */
struct selection {
	json_t *slot_of;      /* NEW: {field name: slot} */
	const json_t **names; /* per slot: the output name (borrowed) */
	size_t n;             /* slots */
};

struct match {
	size_t slot;
	json_t *val; /* borrowed from the item */
};

static int match_cmp(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	return (x->slot > y->slot) - (x->slot < y->slot);
}

/* 1 when the string s (borrowed) holds U+0000: no object key can. */
static int has_nul(const json_t *s)
{
	return memchr(json_string_value(s), '\0', json_string_length(s)) !=
	       NULL;
}

/* Fills sel from fields and rename (borrowed; rename may be NULL): a name
 * listed twice keeps its first slot. Returns 0, or -1 with err: a name
 * with U+0000, a rename of a name that fields does not list, two slots
 * with one output name. sel->slot_of is set even on failure (free it). */
static int select_build(struct selection *sel, const json_t *fields,
                        const json_t *rename, struct sopm_err *err)
{
	const char *key;
	size_t klen;
	json_t *v, *seen;
	int rc = 0;

	sel->n = 0;
	sel->slot_of = json_object();
	sel->names = calloc(json_array_size(fields) + 1, sizeof(*sel->names));
	if (sel->slot_of == NULL || sel->names == NULL)
		return oom(err);
	for (size_t j = 0; j < json_array_size(fields); j++) {
		const json_t *f = json_array_get(fields, j);
		const char *s = json_string_value(f);
		size_t len = json_string_length(f);
		if (has_nul(f))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'fields[%zu]' may not contain "
			    "U+0000 (no object key can)",
			    j);
		if (json_object_getn(sel->slot_of, s, len) != NULL)
			continue;
		if (json_object_setn_new(sel->slot_of, s, len,
		                         json_integer((json_int_t)sel->n)) != 0)
			return oom(err);
		sel->names[sel->n++] = f;
	}
	json_object_keylen_foreach((json_t *)rename, key, klen, v)
	{
		json_t *slot = json_object_getn(sel->slot_of, key, klen);
		if (slot == NULL)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'rename' renames '%s', which "
			    "'fields' does not select",
			    key);
		if (has_nul(v))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'rename' gives '%s' a name "
			                    "with U+0000",
			                    key);
		sel->names[json_integer_value(slot)] = v;
	}
	seen = json_object();
	if (seen == NULL)
		return oom(err);
	for (size_t s = 0; rc == 0 && s < sel->n; s++) {
		const char *name = json_string_value(sel->names[s]);
		size_t len = json_string_length(sel->names[s]);
		if (json_object_getn(seen, name, len) != NULL)
			rc = sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                  "field 'rename' gives two selected "
			                  "fields the name '%s'",
			                  name);
		else if (json_object_setn_new(seen, name, len, json_null()) !=
		         0)
			rc = oom(err);
	}
	json_decref(seen);
	return rc;
}

/* A NEW object: the members of item (borrowed) that sel selects, in slot
 * order under their output names; m has room for sel->n matches. NULL when
 * out of memory. Walks the item's members, not the selection, so the work
 * is linear in the input. */
static json_t *select_one(const struct selection *sel, const json_t *item,
                          struct match *m)
{
	const char *key;
	size_t klen, k = 0;
	json_t *v, *out;

	json_object_keylen_foreach((json_t *)item, key, klen, v)
	{
		json_t *slot = json_object_getn(sel->slot_of, key, klen);
		if (slot != NULL)
			m[k++] =
			    (struct match){(size_t)json_integer_value(slot), v};
	}
	qsort(m, k, sizeof(*m), match_cmp);
	out = json_object();
	for (size_t i = 0; out != NULL && i < k; i++) {
		const json_t *name = sel->names[m[i].slot];
		if (json_object_setn(out, json_string_value(name),
		                     json_string_length(name), m[i].val) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

fn_handler_t fn_select_fields;

int fn_select_fields(const json_t *input, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	const json_t *items = json_object_get(input, "items");
	struct selection sel;
	struct match *m = NULL;
	json_t *out = NULL;
	int rc = -1;

	(void)ctx;
	if (select_build(&sel, json_object_get(input, "fields"),
	                 json_object_get(input, "rename"), err) != 0)
		goto done;
	m = calloc(sel.n + 1, sizeof(*m));
	out = json_array();
	if (m == NULL || out == NULL) {
		oom(err);
		goto done;
	}
	for (size_t i = 0; i < json_array_size(items); i++)
		if (json_array_append_new(
		        out, select_one(&sel, json_array_get(items, i), m)) !=
		    0) {
			oom(err);
			goto done;
		}
	*result = out;
	out = NULL;
	rc = 0;
done:
	json_decref(out);
	json_decref(sel.slot_of);
	free(sel.names);
	free(m);
	return rc;
}
