/* json_validate.c - `json_validate`: JSON Schema draft 2020-12 for the
 * keywords type, enum, const, required, properties, additionalProperties,
 * items, minItems, maxItems, minLength, maxLength, minimum, maximum and
 * pattern, reporting every error as jsonschema's iter_errors does (one per
 * failing keyword at each instance location).
 *
 * The schema is compiled once per call into a tree of jv_node (patterns
 * compiled, enum and const values in canonical form), so that a schema
 * applied to many instance values costs no repeated work. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "fn.h"
#include "fn_json.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "sopm_buf.h"
#include "sopm_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>
#include <unictype.h>
#include <uniname.h>

#define JV_KEYWORDS(X)                                                         \
	X(TYPE, "type")                                                        \
	X(ENUM, "enum")                                                        \
	X(CONST, "const")                                                      \
	X(REQUIRED, "required")                                                \
	X(PROPERTIES, "properties")                                            \
	X(ADDITIONAL, "additionalProperties")                                  \
	X(ITEMS, "items")                                                      \
	X(MIN_ITEMS, "minItems")                                               \
	X(MAX_ITEMS, "maxItems")                                               \
	X(MIN_LENGTH, "minLength")                                             \
	X(MAX_LENGTH, "maxLength")                                             \
	X(MINIMUM, "minimum")                                                  \
	X(MAXIMUM, "maximum")                                                  \
	X(PATTERN, "pattern")

enum jv_kw {
#define X(id, name) KW_##id,
	JV_KEYWORDS(X)
#undef X
	    KW_COUNT
};

static const char *const jv_kw_name[] = {
#define X(id, name) name,
    JV_KEYWORDS(X)
#undef X
};

#define JV_TYPES(X)                                                            \
	X(NULL, "null")                                                        \
	X(BOOLEAN, "boolean")                                                  \
	X(INTEGER, "integer")                                                  \
	X(NUMBER, "number")                                                    \
	X(STRING, "string")                                                    \
	X(ARRAY, "array")                                                      \
	X(OBJECT, "object")

enum jv_type {
#define X(id, name) T_##id,
	JV_TYPES(X)
#undef X
	    T_COUNT
};

static const char *const jv_type_name[] = {
#define X(id, name) name,
    JV_TYPES(X)
#undef X
};

/* A value in the canonical form of fn_json_canon (JSON Schema equality is
 * byte equality there). */
struct jv_canon {
	char *p;
	size_t len;
};

/* One compiled (sub)schema. */
struct jv_node {
	int boolean;                /* -1 for an object, else 0 or 1 */
	enum jv_kw order[KW_COUNT]; /* keywords in the schema's order */
	size_t norder;
	const json_t *kw[KW_COUNT];    /* borrowed from the schema */
	unsigned types;                /* bit per jv_type */
	struct jv_canon *enums, konst; /* canonical enum and const */
	size_t nenums;
	double bound[KW_COUNT];  /* min/max items and length */
	const json_t *prop_keys; /* the properties object */
	struct jv_node **props;  /* compiled, in its order */
	size_t nprops;
	struct jv_node *additional, *items;
	pcre2_code *re;
	struct jv_node *next_alloc; /* every node, for jv_free */
};

/* One call's state: what owns the nodes, the error list, the path. */
struct jv {
	struct jv_node *nodes;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	json_t *errors;       /* NEW array */
	struct sopm_buf path; /* JSON Pointer of the instance location */
	struct sopm_err *err;
	char where[256]; /* schema location while compiling */
};

static void jv_free(struct jv *jv)
{
	struct jv_node *n = jv->nodes, *next;

	for (; n; n = next) {
		next = n->next_alloc;
		for (size_t i = 0; i < n->nenums; i++)
			free(n->enums[i].p);
		free(n->enums);
		free(n->konst.p);
		free(n->props);
		pcre2_code_free(n->re);
		free(n);
	}
	pcre2_match_data_free(jv->md);
	pcre2_match_context_free(jv->mctx);
	json_decref(jv->errors);
	free(jv->path.p);
}

static int bad_schema(struct jv *jv, const char *kw, const char *why)
{
	return sopm_err_set(jv->err, SOPM_E_INVALID_INPUT,
	                    "field 'schema' is not a valid schema: '%s' at "
	                    "'%s' %s",
	                    kw, jv->path.len ? jv->path.p : "", why);
}

static int oom(struct jv *jv)
{
	return sopm_err_set(jv->err, SOPM_E_INTERNAL, "out of memory");
}

/* Pushes /token (escaped as RFC 6901) onto jv->path; returns the old
 * length for jv_pop, or (size_t)-1 when memory runs out. */
static size_t jv_push(struct jv *jv, const char *tok, size_t n)
{
	size_t old = jv->path.len;

	if (sopm_buf_add(&jv->path, "/", 1) != 0)
		return (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		const char *e = tok[i] == '~'   ? "~0"
		                : tok[i] == '/' ? "~1"
		                                : NULL;
		if (e ? sopm_buf_add(&jv->path, e, 2)
		      : sopm_buf_add(&jv->path, tok + i, 1))
			return (size_t)-1;
	}
	if (sopm_buf_add(&jv->path, "", 1) != 0)
		return (size_t)-1;
	jv->path.len--; /* kept NUL-terminated for messages */
	return old;
}

static size_t jv_push_index(struct jv *jv, size_t i)
{
	char num[24];

	snprintf(num, sizeof(num), "%zu", i);
	return jv_push(jv, num, strlen(num));
}

static void jv_pop(struct jv *jv, size_t old)
{
	jv->path.len = old;
	if (jv->path.p)
		jv->path.p[old] = '\0';
}

/* jsonschema's "integer": an integer, or a real with no fraction. */
static int is_integral(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return 1;
	if (!json_is_real(v))
		return 0;
	d = json_real_value(v);
	return isfinite(d) && d == floor(d);
}

static int type_of(const json_t *v, enum jv_type t)
{
	switch (t) {
	case T_NULL:
		return json_is_null(v);
	case T_BOOLEAN:
		return json_is_boolean(v);
	case T_INTEGER:
		return is_integral(v);
	case T_NUMBER:
		return json_is_number(v);
	case T_STRING:
		return json_is_string(v);
	case T_ARRAY:
		return json_is_array(v);
	case T_OBJECT:
		return json_is_object(v);
	default:
		return 0;
	}
}

static int type_bit(const json_t *name, unsigned *bits)
{
	for (int t = 0; t < T_COUNT; t++)
		if (json_is_string(name) &&
		    strcmp(json_string_value(name), jv_type_name[t]) == 0 &&
		    strlen(jv_type_name[t]) == json_string_length(name)) {
			if (*bits & (1u << t))
				return -1; /* not unique */
			*bits |= 1u << t;
			return 0;
		}
	return -1;
}

static int canon_of(struct jv *jv, const json_t *v, struct jv_canon *c)
{
	struct sopm_buf b = {0};

	if (fn_json_canon(&b, v, FN_LIMIT_JSON_VALIDATE_DEPTH_MAX + 1) != 0) {
		free(b.p);
		return oom(jv);
	}
	c->p = b.p;
	c->len = b.len;
	return 0;
}

static struct jv_node *jv_compile(struct jv *jv, const json_t *s);

/* Python's escapes of one code point that PCRE2 reads otherwise, at p[*i]
 * (a backslash): \UXXXXXXXX (eight hex digits) and \N{NAME} (a Unicode
 * name, through libunistring) become PCRE2's \N{U+X}. *ok is 1 when one
 * was written (and *i moved past it). Returns 0, or -1 on OOM. */
static int pattern_codepoint(const char *p, size_t n, size_t *i,
                             struct sopm_buf *b, int *ok)
{
	size_t j = *i + 2;
	unsigned long uc = 0;
	char out[24];

	*ok = 0;
	if (p[*i + 1] == 'U' && n - j >= 8) {
		for (size_t k = 0; k < 8; k++) {
			int v = sopm_hex_digit(p[j + k]);
			if (v < 0)
				return 0;
			uc = uc << 4 | (unsigned long)v;
		}
		j += 8;
	} else if (p[*i + 1] == 'N' && j < n && p[j] == '{') {
		const char *close = memchr(p + j, '}', n - j);
		char name[UNINAME_MAX + 1];
		size_t len = close ? (size_t)(close - (p + j + 1)) : 0;
		ucs4_t c;
		if (close == NULL || len == 0 || len > UNINAME_MAX ||
		    memchr(p + j + 1, '\0', len) != NULL)
			return 0;
		memcpy(name, p + j + 1, len);
		name[len] = '\0';
		if ((c = unicode_name_character(name)) == UNINAME_INVALID)
			return 0;
		uc = c;
		j += len + 2;
	} else
		return 0;
	if (uc > 0x10ffff)
		return 0; /* PCRE2 and Python both refuse it */
	snprintf(out, sizeof(out), "\\N{U+%lX}", uc);
	if (sopm_buf_add(b, out, strlen(out)) != 0)
		return -1;
	*i = j;
	*ok = 1;
	return 0;
}

/* Python's \s: str.isspace() (PCRE2's UCP \s leaves out \x1c-\x1f and
 * takes U+180E), as the body of a character class. */
#define PY_SPACE                                                               \
	"\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-"                          \
	"\\u200a\\u2028\\u2029\\u202f"                                         \
	"\\u205f\\u3000"

/* i, I, İ and ı: one letter for Python's re when it ignores case (İ
 * lowers to i; ı is in its table of equivalences), four for PCRE2. */
#define PY_I_EXTRA "iI\\u0130\\u0131"

/* 1 if the class body p[0..n) names i or I: as a literal (İ and ı too) or
 * inside a range of two ASCII characters. */
static int class_has_i(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != '\\' &&
		    (unsigned char)p[i] < 128 &&
		    (unsigned char)p[i + 2] < 128 &&
		    ((p[i] <= 'i' && 'i' <= p[i + 2]) ||
		     (p[i] <= 'I' && 'I' <= p[i + 2])))
			return 1;
		if (p[i] == 'i' || p[i] == 'I' ||
		    (i + 1 < n && (unsigned char)p[i] == 0xc4 &&
		     ((unsigned char)p[i + 1] == 0xb0 ||
		      (unsigned char)p[i + 1] == 0xb1)))
			return 1;
	}
	return 0;
}

/* The length of an inline flag group at p[0..n) ("(?i)", "(?i-s:"...: the
 * letters aiLmsux, maybe '-' and more, then ')' or ':'), or 0. *on and
 * *off say whether i is set or cleared. */
static size_t flag_group(const char *p, size_t n, int *on, int *off)
{
	size_t k = 2;
	int neg = 0;

	*on = *off = 0;
	if (n < 3 || p[0] != '(' || p[1] != '?')
		return 0;
	for (; k < n; k++) {
		if (p[k] == '-' && !neg)
			neg = 1;
		else if (p[k] != '\0' && strchr("aiLmsux", p[k]) != NULL) {
			if (p[k] == 'i')
				*(neg ? off : on) = 1;
		} else
			break;
	}
	if (k == 2 || k >= n || (p[k] != ')' && p[k] != ':'))
		return 0;
	return k + 1;
}

/* Appends the flag group p[0..n) ("(?iu)", "(?u:"...) without its letters
 * u (Unicode matching, which Python's str patterns always have and PCRE2
 * does not name); nothing for "(?u)". Returns 0, or -1 on OOM. */
static int add_flags(struct sopm_buf *b, const char *p, size_t n)
{
	size_t u = 0;

	for (size_t k = 2; k < n; k++)
		u += p[k] == 'u';
	if (n - u == 3 && p[n - 1] == ')')
		return 0;
	for (size_t k = 0; k < n; k++)
		if ((k < 2 || p[k] != 'u') && sopm_buf_add(b, p + k, 1) != 0)
			return -1;
	return 0;
}

/* The length of what follows '(' at p[0..n) that names or refers to a
 * group or is a comment ("?P<name>", "?<name>", "?P=name)", "?#...)"),
 * copied as it is, or 0. */
static size_t group_name(const char *p, size_t n)
{
	size_t e = 1;

	if (n < 2 || p[0] != '?')
		return 0;
	if (!((n > 2 && p[1] == 'P' && (p[2] == '<' || p[2] == '=')) ||
	      (n > 2 && p[1] == '<' && p[2] != '=' && p[2] != '!') ||
	      p[1] == '#'))
		return 0;
	while (e < n && p[e] != '>' && p[e] != ')')
		e++;
	return e;
}

/* The pattern p[0..n) in PCRE2's dialect where Python's re differs: \s as
 * Python's class (\S too, outside a character class), \Z as \z (the very
 * end), a quantifier {,m} as {0,m}, \v as \x0b, \UXXXXXXXX and \N{NAME}
 * as \N{U+X}, '[' inside a class as a literal (never a POSIX class), the
 * flag u dropped, and where case is ignored ((?i) at the start, (?i:...))
 * i, I, İ and ı as one letter; and ECMA-262's long General_Category names in
 * \p{...} and \P{...} (Letter, Uppercase_Letter, ...) turned into the
 * short ones PCRE2 knows (L, Lu, ...), through libunistring's alias
 * table. Everything else is copied. Returns 0, or -1 when memory runs
 * out. */
static int pattern_translate(struct sopm_buf *b, const char *p, size_t n)
{
	size_t i = 0, class_at = 0, depth = 0;
	int in_class = 0, ci = 0;
	unsigned char saved[256]; /* ci outside each open group */

	while (i < n) {
		const char *close;
		const char *sub = NULL;
		int ok, on, off;
		size_t fl;
		if (p[i] != '\\' || i + 1 >= n) {
			size_t k = i + 1;
			if (!in_class && p[i] == '[') {
				/* a ']' first in the class is literal */
				in_class = 1;
				if (k < n && p[k] == '^')
					k++;
				if (k < n && p[k] == ']')
					k++;
				class_at = k;
			} else if (in_class && p[i] == ']') {
				in_class = 0;
				if (ci &&
				    class_has_i(p + class_at, i - class_at) &&
				    sopm_buf_add(b, PY_I_EXTRA,
				                 strlen(PY_I_EXTRA)) != 0)
					return -1;
			} else if (!in_class && p[i] == '{' && k < n &&
			           p[k] == ',') {
				size_t d = k + 1;
				while (d < n && p[d] >= '0' && p[d] <= '9')
					d++;
				if (d < n && p[d] == '}') {
					if (sopm_buf_add(b, "{0", 2) != 0)
						return -1;
					i++;
					continue;
				}
			} else if (in_class && p[i] == '[') {
				/* literal for Python: never a POSIX class */
				if (sopm_buf_add(b, "\\[", 2) != 0)
					return -1;
				i++;
				continue;
			} else if (!in_class && p[i] == '(' &&
			           (fl = flag_group(p + i, n - i, &on, &off)) &&
			           p[i + fl - 1] == ')') {
				ci = (ci || on) && !off; /* global flags */
				if (add_flags(b, p + i, fl) != 0)
					return -1;
				i += fl;
				continue;
			} else if (!in_class && p[i] == '(') {
				if (depth < sizeof(saved))
					saved[depth] = (unsigned char)ci;
				depth++;
				if ((fl =
				         flag_group(p + i, n - i, &on, &off))) {
					ci = (ci || on) && !off;
					if (add_flags(b, p + i, fl) != 0)
						return -1;
					i += fl;
					continue;
				}
				k += group_name(p + k, n - k);
			} else if (!in_class && p[i] == ')' && depth > 0) {
				depth--;
				if (depth < sizeof(saved))
					ci = saved[depth];
			} else if (!in_class && ci &&
			           (p[i] == 'i' || p[i] == 'I' ||
			            (k < n && (unsigned char)p[i] == 0xc4 &&
			             ((unsigned char)p[k] == 0xb0 ||
			              (unsigned char)p[k] == 0xb1)))) {
				if (sopm_buf_add(b, "[" PY_I_EXTRA "]",
				                 strlen("[" PY_I_EXTRA "]")) !=
				    0)
					return -1;
				i += p[i] == 'i' || p[i] == 'I' ? 1 : 2;
				continue;
			}
			if (sopm_buf_add(b, p + i, k - i) != 0)
				return -1;
			i = k;
			continue;
		}
		if (pattern_codepoint(p, n, &i, b, &ok) != 0)
			return -1;
		if (ok)
			continue;
		if (p[i + 1] == 's')
			sub = in_class ? PY_SPACE : "[" PY_SPACE "]";
		else if (p[i + 1] == 'v')
			sub = "\\x0b";
		else if (p[i + 1] == 'S' && !in_class)
			sub = "[^" PY_SPACE "]";
		else if (p[i + 1] == 'Z' && !in_class)
			sub = "\\z";
		if (sub != NULL) {
			if (sopm_buf_add(b, sub, strlen(sub)) != 0)
				return -1;
			i += 2;
			continue;
		}
		if ((p[i + 1] == 'p' || p[i + 1] == 'P') && i + 2 < n &&
		    p[i + 2] == '{' &&
		    (close = memchr(p + i + 3, '}', n - i - 3)) != NULL) {
			size_t len = (size_t)(close - (p + i + 3));
			char name[64];
			uc_general_category_t gc;
			if (len > 0 && len < sizeof(name) &&
			    !memchr(p + i + 3, '\0', len)) {
				memcpy(name, p + i + 3, len);
				name[len] = '\0';
				gc = uc_general_category_byname(name);
				if (gc.bitmask != 0) {
					const char *s =
					    uc_general_category_name(gc);
					if (sopm_buf_add(b, p + i, 3) != 0 ||
					    sopm_buf_add(b, s, strlen(s)) !=
					        0 ||
					    sopm_buf_add(b, "}", 1) != 0)
						return -1;
					i += 3 + len + 1;
					continue;
				}
			}
		}
		/* any other escape: both characters as they are */
		if (sopm_buf_add(b, p + i, 2) != 0)
			return -1;
		i += 2;
	}
	return 0;
}

/* Compiles the keyword k of value v into n. */
static int compile_kw(struct jv *jv, struct jv_node *n, enum jv_kw k,
                      const json_t *v)
{
	const char *name = jv_kw_name[k];
	size_t i;
	const json_t *x;

	n->kw[k] = v;
	switch (k) {
	case KW_TYPE:
		if (json_is_array(v)) {
			if (json_array_size(v) == 0)
				return bad_schema(jv, name, "is empty");
			json_array_foreach(v, i, x) if (
			    type_bit(
			        x, &n->types)) return bad_schema(jv, name,
			                                         "is not a "
			                                         "list of "
			                                         "distinct "
			                                         "type names");
		} else if (type_bit(v, &n->types))
			return bad_schema(jv, name, "is not a type name");
		return 0;
	case KW_ENUM:
		if (!json_is_array(v))
			return bad_schema(jv, name, "is not an array");
		n->enums = calloc(json_array_size(v) + 1, sizeof(*n->enums));
		if (n->enums == NULL)
			return oom(jv);
		json_array_foreach(v, i, x)
		{
			if (canon_of(jv, x, &n->enums[i]) != 0)
				return -1;
			n->nenums++;
		}
		return 0;
	case KW_CONST:
		return canon_of(jv, v, &n->konst);
	case KW_REQUIRED:
		if (!json_is_array(v))
			return bad_schema(jv, name, "is not an array");
		json_array_foreach(v, i, x)
		{
			if (!json_is_string(x))
				return bad_schema(jv, name,
				                  "holds a value that is not a "
				                  "string");
			for (size_t j = 0; j < i; j++)
				if (json_equal(x, json_array_get(v, j)))
					return bad_schema(jv, name,
					                  "holds a name twice");
		}
		return 0;
	case KW_PROPERTIES: {
		const char *key;
		size_t klen;
		json_t *sub;
		if (!json_is_object(v))
			return bad_schema(jv, name, "is not an object");
		n->prop_keys = v;
		n->props = calloc(json_object_size(v) + 1, sizeof(*n->props));
		if (n->props == NULL)
			return oom(jv);
		json_object_keylen_foreach((json_t *)v, key, klen, sub)
		{
			size_t old = jv_push(jv, name, strlen(name));
			if (old == (size_t)-1 ||
			    jv_push(jv, key, klen) == (size_t)-1)
				return oom(jv);
			n->props[n->nprops] = jv_compile(jv, sub);
			jv_pop(jv, old);
			if (n->props[n->nprops++] == NULL)
				return -1;
		}
		return 0;
	}
	case KW_ADDITIONAL:
	case KW_ITEMS: {
		size_t old = jv_push(jv, name, strlen(name));
		struct jv_node *sub;
		if (old == (size_t)-1)
			return oom(jv);
		sub = jv_compile(jv, v);
		jv_pop(jv, old);
		*(k == KW_ITEMS ? &n->items : &n->additional) = sub;
		return sub ? 0 : -1;
	}
	case KW_MIN_ITEMS:
	case KW_MAX_ITEMS:
	case KW_MIN_LENGTH:
	case KW_MAX_LENGTH:
		if (!is_integral(v) || json_number_value(v) < 0)
			return bad_schema(jv, name,
			                  "is not a non-negative integer");
		n->bound[k] = json_number_value(v);
		return 0;
	case KW_MINIMUM:
	case KW_MAXIMUM:
		if (!json_is_number(v))
			return bad_schema(jv, name, "is not a number");
		return 0;
	case KW_PATTERN: {
		int code;
		PCRE2_SIZE off;
		struct sopm_buf pat = {0};
		if (!json_is_string(v))
			return bad_schema(jv, name, "is not a string");
		if (pattern_translate(&pat, json_string_value(v),
		                      json_string_length(v)) != 0) {
			free(pat.p);
			return oom(jv);
		}
		n->re = pcre2_compile((PCRE2_SPTR)(pat.p ? pat.p : ""), pat.len,
		                      PCRE2_UTF | PCRE2_UCP | PCRE2_ALT_BSUX |
		                          PCRE2_NEVER_BACKSLASH_C,
		                      &code, &off, NULL);
		free(pat.p);
		if (n->re == NULL)
			return bad_schema(jv, name,
			                  "is not a regular "
			                  "expression PCRE2 accepts");
		return 0;
	}
	default:
		return 0;
	}
}

/* A NEW node for the schema s (borrowed), or NULL with jv->err set. */
static struct jv_node *jv_compile(struct jv *jv, const json_t *s)
{
	struct jv_node *n;
	const char *key;
	size_t klen;
	json_t *v;

	if (!json_is_object(s) && !json_is_boolean(s)) {
		bad_schema(jv, "", "is neither an object nor a boolean");
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		oom(jv);
		return NULL;
	}
	n->next_alloc = jv->nodes;
	jv->nodes = n;
	n->boolean = json_is_boolean(s) ? json_is_true(s) : -1;
	json_object_keylen_foreach((json_t *)s, key, klen, v)
	{
		for (int k = 0; k < KW_COUNT; k++) {
			if (klen != strlen(jv_kw_name[k]) ||
			    memcmp(key, jv_kw_name[k], klen) != 0)
				continue;
			n->order[n->norder++] = (enum jv_kw)k;
			if (compile_kw(jv, n, (enum jv_kw)k, v) != 0)
				return NULL;
		}
	}
	return n;
}

/* Adds {path, message} for the current location; message is prefix +
 * quoted[0..qn) + suffix (quoted may hold U+0000). */
static int add_error3(struct jv *jv, const char *prefix, const char *quoted,
                      size_t qn, const char *suffix)
{
	struct sopm_buf m = {0};
	json_t *e = NULL;
	int rc = -1;

	if (sopm_buf_add(&m, prefix, strlen(prefix)) == 0 &&
	    sopm_buf_add(&m, quoted, qn) == 0 &&
	    sopm_buf_add(&m, suffix, strlen(suffix)) == 0)
		e = json_pack("{s:s%, s:s%}", "path",
		              jv->path.p ? jv->path.p : "", jv->path.len,
		              "message", m.p, m.len);
	if (e != NULL && json_array_append_new(jv->errors, e) == 0)
		rc = 0;
	free(m.p);
	return rc == 0 ? 0 : oom(jv);
}

static int add_error(struct jv *jv, const char *message)
{
	return add_error3(jv, message, "", 0, "");
}

/* Compares two JSON numbers exactly (as Python compares int and float):
 * <0, 0 or >0. */
static int num_cmp(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return (x > y) - (x < y);
	}
	if (json_is_real(a) && json_is_real(b)) {
		double x = json_real_value(a), y = json_real_value(b);
		return (x > y) - (x < y);
	}
	if (json_is_real(a))
		return -num_cmp(b, a);
	/* a integer i, b real d */
	json_int_t i = json_integer_value(a);
	double d = json_real_value(b), t;
	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	t = trunc(d);
	if ((json_int_t)t != i)
		return i < (json_int_t)t ? -1 : 1;
	return (d > t) ? -1 : (d < t) ? 1 : 0;
}

static int jv_validate(struct jv *jv, const struct jv_node *n, const json_t *v);

static int check_type(struct jv *jv, const struct jv_node *n, const json_t *v)
{
	const json_t *t = n->kw[KW_TYPE], *x;
	struct sopm_buf m = {0};
	size_t i;
	int rc;

	for (int k = 0; k < T_COUNT; k++)
		if ((n->types & (1u << k)) && type_of(v, (enum jv_type)k))
			return 0;
	/* "is not of type 'a', 'b'" in the keyword's order */
	if (json_is_string(t))
		return add_error3(jv, "is not of type '", json_string_value(t),
		                  json_string_length(t), "'");
	json_array_foreach(t, i, x)
	{
		if ((i && sopm_buf_add(&m, ", ", 2)) ||
		    sopm_buf_add(&m, "'", 1) ||
		    sopm_buf_add(&m, json_string_value(x),
		                 json_string_length(x)) ||
		    sopm_buf_add(&m, "'", 1)) {
			free(m.p);
			return oom(jv);
		}
	}
	rc = add_error3(jv, "is not of type ", m.p ? m.p : "", m.len, "");
	free(m.p);
	return rc;
}

/* enum and const: JSON Schema equality through the canonical form. */
static int check_equal(struct jv *jv, const struct jv_node *n, const json_t *v,
                       enum jv_kw k)
{
	struct jv_canon c;
	int found = 0;

	if (canon_of(jv, v, &c) != 0)
		return -1;
	if (k == KW_CONST)
		found = c.len == n->konst.len &&
		        memcmp(c.p, n->konst.p, c.len) == 0;
	for (size_t i = 0; k == KW_ENUM && !found && i < n->nenums; i++)
		found = c.len == n->enums[i].len &&
		        memcmp(c.p, n->enums[i].p, c.len) == 0;
	free(c.p);
	if (found)
		return 0;
	return add_error(jv, k == KW_CONST ? "is not the const value"
	                                   : "is not one of the enum values");
}

static int descend(struct jv *jv, const struct jv_node *n, const json_t *v,
                   const char *key, size_t klen, size_t index)
{
	size_t old = key ? jv_push(jv, key, klen) : jv_push_index(jv, index);
	int rc;

	if (old == (size_t)-1)
		return oom(jv);
	rc = jv_validate(jv, n, v);
	jv_pop(jv, old);
	return rc;
}

static int check_object(struct jv *jv, const struct jv_node *n, const json_t *v,
                        enum jv_kw k)
{
	const char *key;
	size_t klen, i;
	json_t *m;
	const json_t *x;

	switch (k) {
	case KW_REQUIRED:
		json_array_foreach(n->kw[k], i, x)
		{
			if (json_object_getn(v, json_string_value(x),
			                     json_string_length(x)))
				continue;
			if (add_error3(jv, "'", json_string_value(x),
			               json_string_length(x),
			               "' is a required property") != 0)
				return -1;
		}
		return 0;
	case KW_PROPERTIES:
		i = 0;
		json_object_keylen_foreach((json_t *)n->prop_keys, key, klen, m)
		{
			const json_t *member = json_object_getn(v, key, klen);
			if (member && n->props[i]->boolean != 1 &&
			    descend(jv, n->props[i], member, key, klen, 0) != 0)
				return -1;
			i++;
		}
		return 0;
	default: /* KW_ADDITIONAL */
		if (n->additional->boolean == 1)
			return 0;
		json_object_keylen_foreach((json_t *)v, key, klen, m)
		{
			if (n->prop_keys &&
			    json_object_getn(n->prop_keys, key, klen))
				continue;
			if (n->additional->boolean == 0)
				return add_error(jv, "Additional properties "
				                     "are not allowed");
			if (descend(jv, n->additional, m, key, klen, 0) != 0)
				return -1;
		}
		return 0;
	}
}

static int check_pattern(struct jv *jv, const struct jv_node *n,
                         const json_t *v)
{
	int rc = pcre2_match(n->re, (PCRE2_SPTR)json_string_value(v),
	                     json_string_length(v), 0, 0, jv->md, jv->mctx);

	if (rc >= 0)
		return 0;
	if (rc == PCRE2_ERROR_NOMATCH)
		return add_error(jv, "does not match the pattern");
	return sopm_err_set(jv->err, SOPM_E_INVALID_INPUT,
	                    "field 'schema' has a pattern that exceeds the "
	                    "match limits at '%s'",
	                    jv->path.len ? jv->path.p : "");
}

static int check_kw(struct jv *jv, const struct jv_node *n, const json_t *v,
                    enum jv_kw k)
{
	double count;

	switch (k) {
	case KW_TYPE:
		return check_type(jv, n, v);
	case KW_ENUM:
	case KW_CONST:
		return check_equal(jv, n, v, k);
	case KW_REQUIRED:
	case KW_PROPERTIES:
	case KW_ADDITIONAL:
		return json_is_object(v) ? check_object(jv, n, v, k) : 0;
	case KW_ITEMS:
		if (!json_is_array(v) || n->items->boolean == 1)
			return 0;
		if (n->items->boolean == 0)
			return json_array_size(v) > 0
			           ? add_error(jv, "Expected at most 0 items")
			           : 0;
		for (size_t i = 0; i < json_array_size(v); i++)
			if (descend(jv, n->items, json_array_get(v, i), NULL, 0,
			            i) != 0)
				return -1;
		return 0;
	case KW_MIN_ITEMS:
	case KW_MAX_ITEMS:
		if (!json_is_array(v))
			return 0;
		count = (double)json_array_size(v);
		goto counted;
	case KW_MIN_LENGTH:
	case KW_MAX_LENGTH:
		if (!json_is_string(v))
			return 0;
		count = (double)fn_uni_count(json_string_value(v),
		                             json_string_length(v));
	counted:
		if (k == KW_MIN_ITEMS || k == KW_MIN_LENGTH)
			return count < n->bound[k]
			           ? add_error(jv, "is too short")
			           : 0;
		return count > n->bound[k] ? add_error(jv, "is too long") : 0;
	case KW_MINIMUM:
		if (json_is_number(v) && num_cmp(v, n->kw[k]) < 0)
			return add_error(jv, "is less than the minimum");
		return 0;
	case KW_MAXIMUM:
		if (json_is_number(v) && num_cmp(v, n->kw[k]) > 0)
			return add_error(jv, "is greater than the maximum");
		return 0;
	case KW_PATTERN:
		return json_is_string(v) ? check_pattern(jv, n, v) : 0;
	default:
		return 0;
	}
}

static int jv_validate(struct jv *jv, const struct jv_node *n, const json_t *v)
{
	if (n->boolean == 1)
		return 0;
	if (n->boolean == 0)
		return add_error(jv, "False schema does not allow the value");
	for (size_t i = 0; i < n->norder; i++)
		if (check_kw(jv, n, v, n->order[i]) != 0)
			return -1;
	return 0;
}

fn_handler_t fn_json_validate;

int fn_json_validate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	const json_t *schema = json_object_get(input, "schema");
	const json_t *instance = json_object_get(input, "instance");
	struct jv jv = {.err = err};
	struct jv_node *root;
	size_t values;
	int depth, rc = -1;

	(void)ctx;
	if (fn_json_measure(schema, FN_LIMIT_JSON_VALIDATE_SCHEMA_VALUES_MAX,
	                    FN_LIMIT_JSON_VALIDATE_DEPTH_MAX, &values,
	                    &depth) != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'schema' has more than %d values or "
		                    "nests more than %d levels",
		                    FN_LIMIT_JSON_VALIDATE_SCHEMA_VALUES_MAX,
		                    FN_LIMIT_JSON_VALIDATE_DEPTH_MAX);
	if (fn_json_measure(
	        instance, FN_LIMIT_JSON_VALIDATE_INSTANCE_VALUES_MAX,
	        FN_LIMIT_JSON_VALIDATE_DEPTH_MAX, &values, &depth) != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'instance' has more than %d values "
		                    "or nests more than %d levels",
		                    FN_LIMIT_JSON_VALIDATE_INSTANCE_VALUES_MAX,
		                    FN_LIMIT_JSON_VALIDATE_DEPTH_MAX);
	jv.errors = json_array();
	jv.md = pcre2_match_data_create(1, NULL);
	jv.mctx = pcre2_match_context_create(NULL);
	if (jv.errors == NULL || jv.md == NULL || jv.mctx == NULL) {
		oom(&jv);
		goto out;
	}
	pcre2_set_match_limit(jv.mctx, FN_LIMIT_JSON_VALIDATE_MATCH_LIMIT);
	pcre2_set_depth_limit(jv.mctx, FN_LIMIT_JSON_VALIDATE_MATCH_DEPTH);
	root = jv_compile(&jv, schema);
	jv_pop(&jv, 0);
	if (root == NULL || jv_validate(&jv, root, instance) != 0)
		goto out;
	*result =
	    json_pack("{s:b, s:O}", "valid", json_array_size(jv.errors) == 0,
	              "errors", jv.errors);
	if (*result == NULL)
		oom(&jv);
	else
		rc = 0;
out:
	jv_free(&jv);
	return rc;
}
