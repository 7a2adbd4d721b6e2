/* fn_schema.c - the JSON Schema subset that catalog rows declare. */
#include "fn_schema.h"
#include "fn_unicode.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 128

static const char *const known_keywords[] = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "maxProperties",
    "oneOf",
    "default",
    "description",
    "title",
    "examples",
};

static int keyword_known(const char *key)
{
	for (size_t i = 0; i < sizeof(known_keywords) / sizeof(*known_keywords);
	     i++)
		if (strcmp(key, known_keywords[i]) == 0)
			return 1;
	return 0;
}

static int type_name_known(const char *t)
{
	static const char *const names[] = {"null",   "boolean", "integer",
	                                    "number", "string",  "array",
	                                    "object"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(t, names[i]) == 0)
			return 1;
	return 0;
}

int fn_schema_check(const json_t *schema, struct sopm_err *err)
{
	const char *key;
	json_t *val;

	if (!json_is_object(schema))
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "schema is not an object");
	json_object_foreach((json_t *)schema, key, val)
	{
		if (!keyword_known(key))
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "unsupported schema keyword '%s'",
			                    key);
		if (strcmp(key, "type") == 0) {
			size_t i;
			json_t *t;
			if (json_is_string(val)) {
				if (!type_name_known(json_string_value(val)))
					return sopm_err_set(
					    err, SOPM_E_INTERNAL,
					    "unknown type '%s'",
					    json_string_value(val));
				continue;
			}
			if (!json_is_array(val))
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "bad 'type'");
			json_array_foreach(
			    val, i,
			    t) if (!json_is_string(t) ||
			           !type_name_known(json_string_value(
			               t))) return sopm_err_set(err,
			                                        SOPM_E_INTERNAL,
			                                        "bad 'type'");
		} else if (strcmp(key, "properties") == 0) {
			const char *pk;
			json_t *pv;
			if (!json_is_object(val))
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "bad 'properties'");
			json_object_foreach(val, pk,
			                    pv) if (fn_schema_check(pv, err) !=
			                            0) return -1;
		} else if (strcmp(key, "items") == 0) {
			if (fn_schema_check(val, err) != 0)
				return -1;
		} else if (strcmp(key, "additionalProperties") == 0) {
			if (!json_is_boolean(val) &&
			    fn_schema_check(val, err) != 0)
				return -1;
		} else if (strcmp(key, "oneOf") == 0) {
			size_t i;
			json_t *sub;
			if (!json_is_array(val) || json_array_size(val) == 0)
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "bad 'oneOf'");
			json_array_foreach(val, i,
			                   sub) if (fn_schema_check(sub, err) !=
			                            0) return -1;
		} else if (strcmp(key, "required") == 0 ||
		           strcmp(key, "enum") == 0) {
			if (!json_is_array(val))
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "bad '%s'", key);
		} else if (strncmp(key, "min", 3) == 0 ||
		           strncmp(key, "max", 3) == 0 ||
		           strncmp(key, "exclusive", 9) == 0) {
			if (!json_is_number(val))
				return sopm_err_set(err, SOPM_E_INTERNAL,
				                    "bad '%s'", key);
		}
	}
	return 0;
}

/* The field path of a validation error, e.g. "items[2].name". */
struct path {
	char buf[PATH_MAX_LEN];
	size_t len;
	size_t depth; /* members and items entered: an empty key has len 0 */
};

static size_t path_push_key(struct path *p, const char *key)
{
	size_t old = p->len;
	int n = snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "%s%s",
	                 p->len ? "." : "", key);
	p->depth++;
	if (n > 0)
		p->len = strnlen(p->buf, sizeof(p->buf));
	return old;
}

static size_t path_push_index(struct path *p, size_t i)
{
	size_t old = p->len;
	int n = snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "[%zu]", i);
	p->depth++;
	if (n > 0)
		p->len = strnlen(p->buf, sizeof(p->buf));
	return old;
}

static void path_pop(struct path *p, size_t old)
{
	p->len = old;
	p->buf[old] = '\0';
	p->depth--;
}

static const char *path_name(const struct path *p)
{
	return p->depth ? p->buf : "input";
}

static int type_matches(const char *t, const json_t *v)
{
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	return 0;
}

static const char *type_article(const char *t)
{
	return (t[0] == 'a' || t[0] == 'i' || t[0] == 'o') ? "an" : "a";
}

static int check_type(const json_t *type, const json_t *v, const struct path *p,
                      struct sopm_err *err)
{
	char want[96] = "";
	size_t i;
	json_t *t;

	if (json_is_string(type)) {
		const char *name = json_string_value(type);
		if (type_matches(name, v))
			return 0;
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' must be %s %s", path_name(p),
		                    type_article(name), name);
	}
	json_array_foreach(type, i, t)
	{
		if (type_matches(json_string_value(t), v))
			return 0;
		if (strlen(want) + 24 < sizeof(want)) {
			if (i)
				strcat(want, " or ");
			strcat(want, json_string_value(t));
		}
	}
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field '%s' must be of type %s", path_name(p),
	                    want);
}

static int check_bounds(const json_t *schema, const json_t *v,
                        const struct path *p, struct sopm_err *err)
{
	json_t *b;

	if (json_is_number(v)) {
		double x = json_number_value(v);
		if ((b = json_object_get(schema, "minimum")) &&
		    x < json_number_value(b))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' must be >= %.15g",
			                    path_name(p), json_number_value(b));
		if ((b = json_object_get(schema, "maximum")) &&
		    x > json_number_value(b))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' must be <= %.15g",
			                    path_name(p), json_number_value(b));
		if ((b = json_object_get(schema, "exclusiveMinimum")) &&
		    x <= json_number_value(b))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' must be > %.15g",
			                    path_name(p), json_number_value(b));
		if ((b = json_object_get(schema, "exclusiveMaximum")) &&
		    x >= json_number_value(b))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' must be < %.15g",
			                    path_name(p), json_number_value(b));
		if (!isfinite(x))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%s' must be finite",
			                    path_name(p));
	} else if (json_is_string(v)) {
		size_t len =
		    fn_uni_count(json_string_value(v), json_string_length(v));
		if ((b = json_object_get(schema, "minLength")) &&
		    len < (size_t)json_number_value(b))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must have at least %.0f characters",
			    path_name(p), json_number_value(b));
		if ((b = json_object_get(schema, "maxLength")) &&
		    len > (size_t)json_number_value(b))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must have at most %.0f characters",
			    path_name(p), json_number_value(b));
	} else if (json_is_array(v)) {
		size_t n = json_array_size(v);
		if ((b = json_object_get(schema, "minItems")) &&
		    n < (size_t)json_number_value(b))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must have at least %.0f items",
			    path_name(p), json_number_value(b));
		if ((b = json_object_get(schema, "maxItems")) &&
		    n > (size_t)json_number_value(b))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must have at most %.0f items",
			    path_name(p), json_number_value(b));
	} else if (json_is_object(v)) {
		if ((b = json_object_get(schema, "maxProperties")) &&
		    json_object_size(v) > (size_t)json_number_value(b))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field '%s' must have at most %.0f members",
			    path_name(p), json_number_value(b));
	}
	return 0;
}

/* JSON equality as JSON Schema means it: 1 and 1.0 are equal. */
static int value_equal(const json_t *a, const json_t *b)
{
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	return json_equal((json_t *)a, (json_t *)b);
}

static int check_enum(const json_t *schema, const json_t *v,
                      const struct path *p, struct sopm_err *err)
{
	json_t *set = json_object_get(schema, "enum");
	json_t *c = json_object_get(schema, "const");
	size_t i;
	json_t *x;

	if (c && !value_equal(c, v))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' has an unexpected value",
		                    path_name(p));
	if (!set)
		return 0;
	json_array_foreach(set, i, x) if (value_equal(x, v)) return 0;

	char list[160] = "";
	json_array_foreach(set, i, x)
	{
		char item[48];
		if (json_is_string(x))
			snprintf(item, sizeof(item), "%s%s", i ? ", " : "",
			         json_string_value(x));
		else if (json_is_number(x))
			snprintf(item, sizeof(item), "%s%g", i ? ", " : "",
			         json_number_value(x));
		else
			continue;
		if (strlen(list) + strlen(item) + 4 >= sizeof(list)) {
			strcat(list, ", …");
			break;
		}
		strcat(list, item);
	}
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field '%s' must be one of: %s", path_name(p),
	                    list);
}

static int validate(const json_t *schema, const json_t *v, struct path *p,
                    struct sopm_err *err);

static int check_object(const json_t *schema, const json_t *v, struct path *p,
                        struct sopm_err *err)
{
	json_t *props = json_object_get(schema, "properties");
	json_t *required = json_object_get(schema, "required");
	json_t *extra = json_object_get(schema, "additionalProperties");
	const char *key;
	json_t *member;
	size_t i;
	json_t *r;

	if (required)
		json_array_foreach(required, i, r)
		{
			const char *name = json_string_value(r);
			if (name && !json_object_get(v, name)) {
				size_t old = path_push_key(p, name);
				sopm_err_set(err, SOPM_E_INVALID_INPUT,
				             "field '%s' is required",
				             path_name(p));
				path_pop(p, old);
				return -1;
			}
		}
	json_object_foreach((json_t *)v, key, member)
	{
		json_t *sub = props ? json_object_get(props, key) : NULL;
		size_t old = path_push_key(p, key);
		int rc = 0;
		if (sub)
			rc = validate(sub, member, p, err);
		else if (json_is_false(extra))
			rc = sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                  "field '%s' is not allowed",
			                  path_name(p));
		else if (json_is_object(extra))
			rc = validate(extra, member, p, err);
		path_pop(p, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int check_items(const json_t *schema, const json_t *v, struct path *p,
                       struct sopm_err *err)
{
	json_t *items = json_object_get(schema, "items");
	size_t i;
	json_t *x;

	if (!items)
		return 0;
	json_array_foreach(v, i, x)
	{
		size_t old = path_push_index(p, i);
		int rc = validate(items, x, p, err);
		path_pop(p, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* How many of a oneOf branch's required members v has: the branch the
 * caller most likely meant is the one whose error is reported. */
static size_t branch_affinity(const json_t *branch, const json_t *v)
{
	json_t *required = json_object_get(branch, "required");
	size_t i, n = 0;
	json_t *r;

	if (json_is_object(v) && required)
		json_array_foreach(
		    required, i,
		    r) if (json_string_value(r) &&
		           json_object_get(v, json_string_value(r))) n++;
	return n;
}

/* JSON Schema 2020-12 section 10.2.1.3: exactly one branch must match. When
 * none does, the error is the one of the branch with the most of its
 * required members present (the first on a tie). */
static int check_one_of(const json_t *schema, const json_t *v, struct path *p,
                        struct sopm_err *err)
{
	json_t *branches = json_object_get(schema, "oneOf");
	size_t i, matches = 0, best = 0, best_affinity = 0;
	json_t *b;
	struct sopm_err ignored;

	if (!branches)
		return 0;
	json_array_foreach(branches, i, b)
	{
		size_t a = branch_affinity(b, v);
		if (validate(b, v, p, &ignored) == 0)
			matches++;
		if (a > best_affinity) {
			best_affinity = a;
			best = i;
		}
	}
	if (matches == 1)
		return 0;
	if (matches > 1)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' matches more than one form",
		                    path_name(p));
	return validate(json_array_get(branches, best), v, p, err);
}

static int validate(const json_t *schema, const json_t *v, struct path *p,
                    struct sopm_err *err)
{
	json_t *type = json_object_get(schema, "type");

	if (check_one_of(schema, v, p, err) != 0)
		return -1;

	if (type && check_type(type, v, p, err) != 0)
		return -1;
	if (check_enum(schema, v, p, err) != 0 ||
	    check_bounds(schema, v, p, err) != 0)
		return -1;
	if (json_is_object(v))
		return check_object(schema, v, p, err);
	if (json_is_array(v))
		return check_items(schema, v, p, err);
	return 0;
}

int fn_schema_validate(const json_t *schema, const json_t *value,
                       struct sopm_err *err)
{
	struct path p = {.buf = "", .len = 0, .depth = 0};
	return validate(schema, value, &p, err);
}
