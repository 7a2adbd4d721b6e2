/* template_render.c - `template_render`: Mustache's interpolation,
 * sections, inverted sections and comments, with the spec's standalone-line
 * rules; no partials, delimiter changes or blocks (400 naming 'template').
 * The template is parsed into a flat array of nodes, a section holding the
 * index just past its end, then rendered against a stack of contexts. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_json.h"
#include "fn_limits.h"
#include "sopm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED };

struct node {
	enum node_kind kind;
	size_t off, len; /* text, or the tag's name, in the template */
	size_t end;      /* a section: the index of the node after it */
};

struct tpl {
	const char *t;
	size_t n;
	struct node *v;
	size_t nv, cap;
};

struct render {
	const struct tpl *tpl;
	const json_t *stack[FN_LIMIT_TEMPLATE_RENDER_NESTING_MAX + 2];
	size_t depth;
	struct sopm_buf out;
	unsigned long steps;
	int failed; /* -1 out of memory, -2 output or steps exceeded */
};

static int tpl_add(struct tpl *p, enum node_kind kind, size_t off, size_t len)
{
	if (p->nv == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct node *v = realloc(p->v, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->nv].kind = kind;
	p->v[p->nv].off = off;
	p->v[p->nv].len = len;
	p->v[p->nv].end = 0;
	p->nv++;
	return 0;
}

static const char *find2(const char *s, size_t from, size_t n, const char *pat,
                         size_t pl)
{
	if (from > n)
		return NULL;
	for (size_t i = from; i + pl <= n; i++)
		if (s[i] == pat[0] && memcmp(s + i, pat, pl) == 0)
			return s + i;
	return NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int only_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* The start of the line that holds the tag at `at`, when no other tag is
 * on that line before it (the text since the last tag, from text_start,
 * reaches back to the line start). */
static int standalone_start(const char *t, size_t text_start, size_t at,
                            size_t *ls)
{
	size_t i = at;

	while (i > text_start && t[i - 1] != '\n')
		i--;
	if (i == text_start && i > 0 && t[i - 1] != '\n')
		return 0;
	*ls = i;
	return 1;
}

/* Parses p->t. Returns 0, -1 (a malformed or unsupported template) or -2
 * (out of memory). */
static int tpl_parse(struct tpl *p)
{
	const char *t = p->t;
	size_t n = p->n, pos = 0, text_start = 0;
	size_t open[FN_LIMIT_TEMPLATE_RENDER_NESTING_MAX + 1], nopen = 0;

	for (;;) {
		const char *q = find2(t, pos, n, "{{", 2), *e;
		size_t at, end, name, nlen;
		char kind;
		if (q == NULL) {
			if (n > text_start &&
			    tpl_add(p, N_TEXT, text_start, n - text_start) != 0)
				return -2;
			break;
		}
		at = (size_t)(q - t);
		if (at + 2 < n && t[at + 2] == '{') {
			if ((e = find2(t, at + 3, n, "}}}", 3)) == NULL)
				return -1;
			kind = '&';
			name = at + 3;
			end = (size_t)(e - t) + 3;
			nlen = (size_t)(e - t) - name;
		} else {
			if ((e = find2(t, at + 2, n, "}}", 2)) == NULL)
				return -1;
			name = at + 2;
			end = (size_t)(e - t) + 2;
			nlen = (size_t)(e - t) - name;
			kind = nlen ? t[name] : '\0';
			if (kind && strchr("#^/!&>={$<", kind) != NULL) {
				name++;
				nlen--;
			} else {
				kind = '\0';
			}
		}
		if (kind && strchr(">={$<", kind) != NULL)
			return -1; /* partials, delimiters, blocks */
		while (nlen && is_ws(t[name])) {
			name++;
			nlen--;
		}
		while (nlen && is_ws(t[name + nlen - 1]))
			nlen--;
		if (kind != '!' &&
		    (nlen == 0 || nlen > FN_LIMIT_TEMPLATE_RENDER_NAME_MAX))
			return -1;
		size_t pre_end = at;
		if (kind == '#' || kind == '^' || kind == '/' || kind == '!') {
			size_t ls, k = end;
			/* linear: look back no further than the text since
			 * the last tag, and ahead only over blanks */
			if (standalone_start(t, text_start, at, &ls) &&
			    only_blank(t + ls, at - ls)) {
				while (k < n && (t[k] == ' ' || t[k] == '\t'))
					k++;
				if (k < n && t[k] == '\r' && k + 1 < n &&
				    t[k + 1] == '\n')
					k++;
				if (k == n || t[k] == '\n') {
					pre_end = ls;
					end = k < n ? k + 1 : n;
				}
			}
		}
		if (pre_end > text_start &&
		    tpl_add(p, N_TEXT, text_start, pre_end - text_start) != 0)
			return -2;
		if (kind == '#' || kind == '^') {
			if (nopen == FN_LIMIT_TEMPLATE_RENDER_NESTING_MAX)
				return -1;
			open[nopen++] = p->nv;
			if (tpl_add(p, kind == '#' ? N_SECTION : N_INVERTED,
			            name, nlen) != 0)
				return -2;
		} else if (kind == '/') {
			struct node *o;
			if (nopen == 0)
				return -1;
			o = &p->v[open[--nopen]];
			if (o->len != nlen ||
			    memcmp(t + o->off, t + name, nlen))
				return -1;
			o->end = p->nv;
		} else if (kind != '!') {
			if (tpl_add(p, kind ? N_RAW : N_VAR, name, nlen) != 0)
				return -2;
		}
		pos = text_start = end;
	}
	return nopen ? -1 : 0;
}

/* The value of name[0..len) in the context stack (borrowed), or NULL. */
static const json_t *lookup(struct render *r, const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len);
	size_t first = dot ? (size_t)(dot - name) : len;
	const json_t *v = NULL;

	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	/* every context looked at and every part walked is a step */
	for (size_t k = r->depth; k-- > 0;) {
		r->steps++;
		if (json_is_object(r->stack[k]) &&
		    (v = json_object_getn(r->stack[k], name, first)) != NULL)
			break;
	}
	while (v != NULL && dot != NULL) {
		const char *part = dot + 1, *stop = name + len;
		dot = memchr(part, '.', (size_t)(stop - part));
		r->steps++;
		v = json_is_object(v)
		        ? json_object_getn(v, part,
		                           (size_t)((dot ? dot : stop) - part))
		        : NULL;
	}
	return v;
}

static int falsey(const json_t *v)
{
	return v == NULL || json_is_null(v) || json_is_false(v) ||
	       (json_is_string(v) && json_string_length(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0) ||
	       (json_is_integer(v) && json_integer_value(v) == 0) ||
	       (json_is_real(v) && json_real_value(v) == 0.0);
}

static void out_add(struct render *r, const char *s, size_t n)
{
	if (r->failed)
		return;
	if (r->out.len + n > FN_LIMIT_TEMPLATE_RENDER_OUTPUT_MAX)
		r->failed = -2;
	else if (sopm_buf_add(&r->out, s, n) != 0)
		r->failed = -1;
}

/* Python's repr() of a double: the shortest digits that read back, in
 * fixed notation when the decimal exponent is in -4..15. */
static void out_real(struct render *r, double d)
{
	char e[40], dig[24], buf[64];
	int prec, exp10, nd = 0, len = 0;
	const char *p;

	for (prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, d);
		if (strtod(e, NULL) == d)
			break;
	}
	p = e;
	if (*p == '-')
		buf[len++] = *p++;
	for (; *p != 'e'; p++)
		if (*p != '.')
			dig[nd++] = *p;
	exp10 = atoi(p + 1);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	int decpt = exp10 + 1;
	if (decpt > -4 && decpt <= 16) {
		if (decpt <= 0) {
			len += snprintf(buf + len, sizeof(buf) - (size_t)len,
			                "0.%.*s%.*s", -decpt, "0000", nd, dig);
		} else if (decpt >= nd) {
			len += snprintf(buf + len, sizeof(buf) - (size_t)len,
			                "%.*s%.*s.0", nd, dig, decpt - nd,
			                "0000000000000000");
		} else {
			len += snprintf(buf + len, sizeof(buf) - (size_t)len,
			                "%.*s.%.*s", decpt, dig, nd - decpt,
			                dig + decpt);
		}
	} else {
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, "%c",
		                dig[0]);
		if (nd > 1)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len,
			                ".%.*s", nd - 1, dig + 1);
		len +=
		    snprintf(buf + len, sizeof(buf) - (size_t)len, "e%c%02d",
		             exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
	}
	out_add(r, buf, (size_t)len);
}

/* s as json.dumps(ensure_ascii=False) quotes it. */
static void out_json_string(struct render *r, const char *s, size_t n)
{
	out_add(r, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			out_add(r, esc, 2);
		} else if (c < 0x20) {
			const char *m = c == '\n'   ? "\\n"
			                : c == '\r' ? "\\r"
			                : c == '\t' ? "\\t"
			                : c == '\b' ? "\\b"
			                : c == '\f' ? "\\f"
			                            : NULL;
			if (m == NULL) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				m = esc;
			}
			out_add(r, m, strlen(m));
		} else {
			out_add(r, s + i, 1);
		}
	}
	out_add(r, "\"", 1);
}

/* v as Python's str(): JSON text for arrays and objects (compact). The
 * data's depth is bounded (depth_max), and so is this recursion. */
static void out_value(struct render *r, const json_t *v, int top)
{
	char buf[32];
	size_t i, klen;
	const char *k;
	json_t *x;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (top)
			out_add(r, json_string_value(v), json_string_length(v));
		else
			out_json_string(r, json_string_value(v),
			                json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%lld",
		         (long long)json_integer_value(v));
		out_add(r, buf, strlen(buf));
		break;
	case JSON_REAL:
		out_real(r, json_real_value(v));
		break;
	case JSON_TRUE:
		out_add(r, "true", 4);
		break;
	case JSON_FALSE:
		out_add(r, "false", 5);
		break;
	case JSON_NULL:
		if (!top)
			out_add(r, "null", 4);
		break;
	case JSON_ARRAY:
		out_add(r, "[", 1);
		json_array_foreach(v, i, x)
		{
			if (i)
				out_add(r, ",", 1);
			out_value(r, x, 0);
		}
		out_add(r, "]", 1);
		break;
	case JSON_OBJECT:
		i = 0;
		out_add(r, "{", 1);
		json_object_keylen_foreach((json_t *)v, k, klen, x)
		{
			if (i++)
				out_add(r, ",", 1);
			out_json_string(r, k, klen);
			out_add(r, ":", 1);
			out_value(r, x, 0);
		}
		out_add(r, "}", 1);
		break;
	}
}

static void out_escaped(struct render *r, const char *s, size_t n)
{
	size_t i = 0, from = 0;

	for (; i < n; i++) {
		const char *m = s[i] == '&'   ? "&amp;"
		                : s[i] == '"' ? "&quot;"
		                : s[i] == '<' ? "&lt;"
		                : s[i] == '>' ? "&gt;"
		                              : NULL;
		if (m == NULL)
			continue;
		out_add(r, s + from, i - from);
		out_add(r, m, strlen(m));
		from = i + 1;
	}
	out_add(r, s + from, n - from);
}

static int step(struct render *r, unsigned long n)
{
	r->steps += n;
	if (r->steps > FN_LIMIT_TEMPLATE_RENDER_STEPS_MAX && !r->failed)
		r->failed = -2;
	return r->failed;
}

static void render(struct render *r, size_t from, size_t to)
{
	const struct tpl *p = r->tpl;

	for (size_t i = from; i < to && !r->failed; i++) {
		const struct node *nd = &p->v[i];
		const json_t *v;
		if (nd->kind == N_TEXT) {
			out_add(r, p->t + nd->off, nd->len);
			continue;
		}
		if (step(r, 1))
			return;
		v = lookup(r, p->t + nd->off, nd->len);
		if (step(r, 0))
			return;
		if (nd->kind == N_VAR || nd->kind == N_RAW) {
			struct sopm_buf save;
			if (v == NULL)
				continue;
			if (nd->kind == N_RAW) {
				out_value(r, v, 1);
				continue;
			}
			/* render raw into a scratch buffer, then escape */
			save = r->out;
			r->out = (struct sopm_buf){0};
			out_value(r, v, 1);
			{
				struct sopm_buf raw = r->out;
				r->out = save;
				if (!r->failed)
					out_escaped(r, raw.p ? raw.p : "",
					            raw.len);
				free(raw.p);
			}
			continue;
		}
		if (nd->kind == N_INVERTED) {
			if (falsey(v))
				render(r, i + 1, nd->end);
		} else if (!falsey(v)) {
			/* nesting <= nesting_max (parse), so the stack fits */
			if (json_is_array(v)) {
				size_t k;
				json_t *item;
				json_array_foreach(v, k, item)
				{
					if (step(r, 1))
						return;
					r->stack[r->depth++] = item;
					render(r, i + 1, nd->end);
					r->depth--;
				}
			} else {
				r->stack[r->depth++] = v;
				render(r, i + 1, nd->end);
				r->depth--;
			}
		}
		i = nd->end - 1;
	}
}

fn_handler_t fn_template_render;

int fn_template_render(const json_t *input, json_t **result, struct fn_ctx *ctx,
                       struct sopm_err *err)
{
	struct tpl p = {0};
	struct render r = {0};
	const json_t *data = json_object_get(input, "data");
	json_t *empty = NULL;
	size_t values;
	int depth, rc;

	(void)ctx;
	p.t = fn_arg_text(input, "template", "", &p.n);
	rc = tpl_parse(&p);
	if (rc == -1) {
		free(p.v);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'template' is not a template of "
		                    "this Mustache subset (an unclosed tag or "
		                    "section, an empty name, a partial, a "
		                    "delimiter change or nesting past %d)",
		                    FN_LIMIT_TEMPLATE_RENDER_NESTING_MAX);
	}
	if (data == NULL)
		data = empty = json_object();
	if (rc == 0 &&
	    fn_json_measure(data, SIZE_MAX, FN_LIMIT_TEMPLATE_RENDER_DEPTH_MAX,
	                    &values, &depth) != 0) {
		free(p.v);
		json_decref(empty);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'data' nests deeper than %d",
		                    FN_LIMIT_TEMPLATE_RENDER_DEPTH_MAX);
	}
	r.tpl = &p;
	r.stack[r.depth++] = data;
	if (rc == 0)
		render(&r, 0, p.nv);
	else
		r.failed = -1;
	free(p.v);
	json_decref(empty);
	if (r.failed == -2) {
		free(r.out.p);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'template' gives more than %d bytes "
		                    "or %d steps",
		                    FN_LIMIT_TEMPLATE_RENDER_OUTPUT_MAX,
		                    FN_LIMIT_TEMPLATE_RENDER_STEPS_MAX);
	}
	if (r.failed == 0 &&
	    (*result = json_stringn(r.out.p ? r.out.p : "", r.out.len)) == NULL)
		r.failed = -1;
	free(r.out.p);
	if (r.failed)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}
