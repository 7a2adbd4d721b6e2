/* fn_catalog.c - the generated table (build/gen/fn_table.c, from
 * functions/<category>/<name>.json) as the catalog: parses each row's schema
 * and example once, and looks rows up by name. */
#include "fn.h"
#include "fn_schema.h"

#include <stdlib.h>
#include <string.h>

/* Owned here: entries[] in catalog order, by_name[] sorted for bsearch. */
static struct fn_entry *entries;
static const struct fn_entry **by_name;
static size_t n_entries;

static int by_name_cmp(const void *a, const void *b)
{
	const struct fn_entry *const *x = a, *const *y = b;
	return strcmp((*x)->def->name, (*y)->def->name);
}

/* Returns a NEW reference to the parsed JSON text, or NULL. */
static json_t *parse_row_json(const struct fn_def *d, const char *what,
                              const char *text, struct sopm_err *err)
{
	json_error_t jerr;
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &jerr) : NULL;
	if (v == NULL)
		sopm_err_set(err, SOPM_E_INTERNAL, "%s: bad %s: %s", d->name,
		             what, text ? jerr.text : "missing");
	return v;
}

/* Builds the public description {name, category, description, input_schema,
 * example} of a row. Returns a NEW reference, or NULL. */
static json_t *describe(const struct fn_def *d, json_t *schema,
                        struct sopm_err *err)
{
	json_t *in = parse_row_json(d, "example_input", d->example_input, err);
	json_t *out =
	    in ? parse_row_json(d, "example_output", d->example_output, err)
	       : NULL;
	if (out == NULL) {
		json_decref(in);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:O, s:{s:o, s:o}}", "name", d->name,
	                 "category", d->category, "description",
	                 d->description ? d->description : "", "input_schema",
	                 schema, "example", "input", in, "output", out);
}

static int add_entry(const struct fn_def *d, struct sopm_err *err)
{
	struct fn_entry *e = &entries[n_entries];

	if (d->name == NULL || d->handler == NULL || d->category == NULL ||
	    fn_category_name(d->cat) == NULL ||
	    strcmp(d->category, fn_category_name(d->cat)) != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "catalog row %zu is incomplete", n_entries);
	e->def = d;
	e->index = n_entries;
	e->schema = parse_row_json(d, "input_schema", d->input_schema, err);
	if (e->schema == NULL)
		return -1;
	if (fn_schema_check(e->schema, err) != 0) {
		char why[SOPM_ERR_MSG_MAX];
		memcpy(why, err->msg, sizeof(why));
		json_decref(e->schema);
		return sopm_err_set(err, SOPM_E_INTERNAL, "%s: %s", d->name,
		                    why);
	}
	e->description = describe(d, e->schema, err);
	e->description_text =
	    e->description ? json_dumps(e->description, JSON_COMPACT) : NULL;
	if (e->description_text == NULL) {
		json_decref(e->description);
		json_decref(e->schema);
		return sopm_err_set(err, SOPM_E_INTERNAL, "%s: bad description",
		                    d->name);
	}
	n_entries++;
	return 0;
}

int fn_catalog_init(struct sopm_err *err)
{
	size_t total = fn_table_count;

	if (entries != NULL)
		return 0;
	entries = calloc(total ? total : 1, sizeof(*entries));
	by_name = calloc(total ? total : 1, sizeof(*by_name));
	if (entries == NULL || by_name == NULL) {
		fn_catalog_free();
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < total; i++)
		if (add_entry(&fn_table[i], err) != 0) {
			fn_catalog_free();
			return -1;
		}
	for (size_t i = 0; i < n_entries; i++)
		by_name[i] = &entries[i];
	qsort(by_name, n_entries, sizeof(*by_name), by_name_cmp);
	for (size_t i = 1; i < n_entries; i++)
		if (by_name_cmp(&by_name[i - 1], &by_name[i]) == 0) {
			const char *dup = by_name[i]->def->name;
			fn_catalog_free();
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "duplicate function '%s'", dup);
		}
	return 0;
}

void fn_catalog_free(void)
{
	for (size_t i = 0; i < n_entries; i++) {
		json_decref(entries[i].schema);
		json_decref(entries[i].description);
		free(entries[i].description_text);
	}
	free(entries);
	free(by_name);
	entries = NULL;
	by_name = NULL;
	n_entries = 0;
}

size_t fn_catalog_count(void)
{
	return n_entries;
}

const struct fn_entry *fn_catalog_at(size_t i)
{
	return i < n_entries ? &entries[i] : NULL;
}

const struct fn_entry *fn_catalog_find(const char *name)
{
	size_t lo = 0, hi = n_entries;

	if (name == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, by_name[mid]->def->name);
		if (c == 0)
			return by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
