/* webcodec.c - urllib.parse's quoting, unquoting, urlencode and parse_qs,
 * byte for byte as Python 3.11 gives them. */
#include "webcodec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sopm_bytes.h"

/* The length of the well-formed UTF-8 sequence at b[0..n), or 0 when the
 * bytes there are ill-formed; then *bad is the length of the maximal
 * subpart to replace by one U+FFFD (at least 1). Unicode 14 table 3-7. */
static size_t utf8_seq(const unsigned char *b, size_t n, size_t *bad)
{
	unsigned char c = b[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3;
	else {
		*bad = 1;
		return 0;
	}
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	for (i = 1; i <= need; i++) {
		if (i >= n || b[i] < lo || b[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

int webc_utf8_replace(struct sopm_buf *out, const unsigned char *b, size_t n)
{
	size_t i = 0, start = 0;

	if (n == 0) /* b may be NULL (an empty sopm_buf): no b + 0 */
		return 0;
	while (i < n) {
		size_t bad = 0, len = utf8_seq(b + i, n - i, &bad);
		if (len > 0) {
			i += len;
			continue;
		}
		if (sopm_buf_add(out, b + start, i - start) != 0 ||
		    sopm_buf_add(out, "\xef\xbf\xbd", 3) != 0)
			return -1;
		i += bad;
		start = i;
	}
	return sopm_buf_add(out, b + start, i - start);
}

static int is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	       c == '~';
}

int webc_quote(struct sopm_buf *out, const char *s, size_t n, int plus)
{
	static const char hexu[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3] = {'%', hexu[c >> 4], hexu[c & 15]};
		int rc;
		if (is_unreserved(c))
			rc = sopm_buf_add(out, s + i, 1);
		else if (plus && c == ' ')
			rc = sopm_buf_add(out, "+", 1);
		else
			rc = sopm_buf_add(out, esc, 3);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Python's unquote splits the text into runs of ASCII characters and the
 * rest: only a run's %XX escapes are decoded, and each run's bytes are
 * decoded on their own, so a sequence cut by a non-ASCII character is
 * replaced. Non-ASCII characters pass through. */
int webc_unquote(struct sopm_buf *out, const char *s, size_t n, int plus)
{
	struct sopm_buf run = {0};
	size_t i = 0;
	int rc = 0;

	while (i < n && rc == 0) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			size_t j = i + 1;
			while (j < n && ((unsigned char)s[j] & 0xc0) == 0x80)
				j++;
			rc = webc_utf8_replace(out, (unsigned char *)run.p,
			                       run.len);
			run.len = 0;
			if (rc == 0)
				rc = sopm_buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c == '%' && i + 2 < n && sopm_hex_digit(s[i + 1]) >= 0 &&
		    sopm_hex_digit(s[i + 2]) >= 0) {
			unsigned char byte =
			    (unsigned char)(sopm_hex_digit(s[i + 1]) * 16 +
			                    sopm_hex_digit(s[i + 2]));
			rc = sopm_buf_add(&run, &byte, 1);
			i += 3;
			continue;
		}
		if (plus && c == '+')
			c = ' ';
		rc = sopm_buf_add(&run, &c, 1);
		i++;
	}
	if (rc == 0)
		rc = webc_utf8_replace(out, (unsigned char *)run.p, run.len);
	free(run.p);
	return rc;
}

/* str(v) of a scalar value as Python gives it, quote_plus'd. */
static int add_scalar(struct sopm_buf *out, const json_t *v)
{
	char num[32];

	if (json_is_string(v))
		return webc_quote(out, json_string_value(v),
		                  json_string_length(v), 1);
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld",
		         (long long)json_integer_value(v));
		return webc_quote(out, num, strlen(num), 1);
	}
	if (json_is_true(v))
		return sopm_buf_add(out, "True", 4);
	return sopm_buf_add(out, "False", 5);
}

static int add_pair(struct sopm_buf *out, int *first, const char *key,
                    size_t klen, const json_t *v)
{
	if (!*first && sopm_buf_add(out, "&", 1) != 0)
		return -1;
	*first = 0;
	if (webc_quote(out, key, klen, 1) != 0 ||
	    sopm_buf_add(out, "=", 1) != 0)
		return -1;
	return add_scalar(out, v);
}

int webc_urlencode(struct sopm_buf *out, const json_t *query)
{
	const char *key;
	size_t klen, i;
	json_t *v, *e;
	int first = 1;

	json_object_keylen_foreach((json_t *)query, key, klen, v)
	{
		if (!json_is_array(v)) {
			if (add_pair(out, &first, key, klen, v) != 0)
				return -1;
			continue;
		}
		json_array_foreach(v, i, e)
		{
			if (add_pair(out, &first, key, klen, e) != 0)
				return -1;
		}
	}
	return 0;
}

/* Appends the unquote_plus'd s[0..n) as a NEW string to the list of key
 * in obj. */
static int qs_add(json_t *obj, const char *k, size_t kn, const char *v,
                  size_t vn)
{
	struct sopm_buf kb = {0}, vb = {0};
	json_t *list, *sv;
	int rc = -1;

	if (webc_unquote(&kb, k, kn, 1) != 0 ||
	    webc_unquote(&vb, v, vn, 1) != 0 || sopm_buf_add(&kb, "", 1) != 0)
		goto out;
	list = json_object_getn(obj, kb.p, kb.len - 1);
	if (list == NULL) {
		list = json_array();
		if (list == NULL ||
		    json_object_setn_new(obj, kb.p, kb.len - 1, list) != 0)
			goto out;
	}
	sv = json_stringn(vb.p ? vb.p : "", vb.len);
	if (sv != NULL && json_array_append_new(list, sv) == 0)
		rc = 0;
out:
	free(kb.p);
	free(vb.p);
	return rc;
}

json_t *webc_parse_qs(const char *s, size_t n, int keep_blank)
{
	json_t *obj = json_object();
	size_t i = 0;

	if (obj == NULL)
		return NULL;
	while (i < n) {
		const char *f = s + i, *amp = memchr(f, '&', n - i), *eq;
		size_t fl = amp ? (size_t)(amp - f) : n - i;
		i += fl + 1;
		if (fl == 0)
			continue;
		eq = memchr(f, '=', fl);
		if (eq == NULL) {
			if (!keep_blank)
				continue;
			eq = f + fl;
		} else if (eq == f + fl - 1 && !keep_blank)
			continue;
		if (qs_add(obj, f, (size_t)(eq - f), eq < f + fl ? eq + 1 : eq,
		           eq < f + fl ? (size_t)(f + fl - eq - 1) : 0) != 0) {
			json_decref(obj);
			return NULL;
		}
	}
	return obj;
}
