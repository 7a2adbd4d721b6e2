/* uuid.c - `uuid`: versions 4 and 7 from the kernel CSPRNG, version 5 as
 * Python's uuid.uuid5. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_unicode.h"
#include "sopm_bytes.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

/* 8-4-4-4-12 lowercase hex digits and a NUL. */
static void uuid_format(const unsigned char b[16], char out[37])
{
	static const int group[] = {4, 2, 2, 2, 6}; /* bytes per group */
	size_t o = 0, i = 0;

	for (size_t g = 0; g < sizeof(group) / sizeof(*group); g++) {
		if (g > 0)
			out[o++] = '-';
		sopm_hex_encode(b + i, (size_t)group[g], out + o);
		o += 2 * (size_t)group[g];
		i += (size_t)group[g];
	}
}

/* Removes every occurrence of pat from s in place (str.replace(pat, "")). */
static void remove_all(char *s, const char *pat)
{
	size_t m = strlen(pat), o = 0;

	for (size_t i = 0; s[i];) {
		if (strncmp(s + i, pat, m) == 0) {
			i += m;
			continue;
		}
		s[o++] = s[i++];
	}
	s[o] = '\0';
}

static int ascii_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* int(hex, 16) of Python on the ASCII form of hex (other whitespace is ' ',
 * other decimal digits their ASCII digit, anything else refused): spaces
 * around, an optional '+', an optional 0x or 0X (then one optional '_'),
 * hex digits with single '_' between them. The value, right-aligned, goes
 * to b (the caller's 32 code points leave at most 32 digits). */
static int py_int16(const char *s, size_t n, unsigned char b[16])
{
	char a[33], d[33];
	size_t na = 0, nd = 0, i = 0;
	char prev = 0;

	if (fn_uni_count(s, n) > 32)
		return -1;
	na = fn_uni_py_ascii(s, n, a);
	while (i < na && ascii_space(a[i]))
		i++;
	if (i < na && a[i] == '+')
		i++;
	if (na - i >= 2 && a[i] == '0' &&
	    (a[i + 1] == 'x' || a[i + 1] == 'X')) {
		i += 2;
		if (i < na && a[i] == '_')
			i++;
	}
	if (i < na && a[i] == '_')
		return -1;
	for (; i < na && (sopm_hex_digit(a[i]) >= 0 || a[i] == '_'); i++) {
		if (a[i] == '_' && prev == '_')
			return -1;
		if (a[i] != '_')
			d[nd++] = a[i];
		prev = a[i];
	}
	if (nd == 0 || prev == '_')
		return -1;
	while (i < na && ascii_space(a[i]))
		i++;
	if (i != na)
		return -1;
	memset(b, 0, 16);
	for (size_t k = 0; k < nd; k++) {
		size_t pos = 31 - (nd - 1 - k); /* nibble index from the left */
		b[pos / 2] |=
		    (unsigned char)(sopm_hex_digit(d[k]) << (pos % 2 ? 0 : 4));
	}
	return 0;
}

/* uuid.UUID(text) of Python 3.11: every "urn:" then every "uuid:" removed,
 * '{' and '}' stripped from both ends, every '-' removed; then exactly 32
 * code points that int(_, 16) reads ("+", "0x", '_' between digits,
 * whitespace and non-ASCII decimal digits included). */
static int uuid_parse(const char *text, unsigned char b[16])
{
	size_t n = strlen(text), lo = 0, hi, o = 0;
	char *s = malloc(n + 1);
	int rc = -1;

	if (s == NULL)
		return -1;
	memcpy(s, text, n + 1);
	remove_all(s, "urn:");
	remove_all(s, "uuid:");
	hi = strlen(s);
	while (lo < hi && (s[lo] == '{' || s[lo] == '}'))
		lo++;
	while (hi > lo && (s[hi - 1] == '{' || s[hi - 1] == '}'))
		hi--;
	for (size_t i = lo; i < hi; i++)
		if (s[i] != '-')
			s[o++] = s[i];
	if (fn_uni_count(s, o) == 32)
		rc = py_int16(s, o, b);
	free(s);
	return rc;
}

static int uuid_namespace(const char *ns, unsigned char b[16])
{
	static const struct {
		const char *name;
		const char *uuid;
	} known[] = {
	    {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
	    {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
	    {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
	    {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(ns, known[i].name) == 0)
			return uuid_parse(known[i].uuid, b);
	return uuid_parse(ns, b);
}

/* uuid.uuid5: SHA-1 of namespace bytes + UTF-8 name, first 16 bytes. */
static int uuid_v5(const unsigned char ns[16], const char *name, size_t len,
                   unsigned char b[16])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c != NULL && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	         EVP_DigestUpdate(c, ns, 16) == 1 &&
	         EVP_DigestUpdate(c, name, len) == 1 &&
	         EVP_DigestFinal_ex(c, md, &mdlen) == 1 && mdlen >= 16;

	EVP_MD_CTX_free(c);
	if (!ok)
		return -1;
	memcpy(b, md, 16);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x50);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	return 0;
}

/* RFC 9562 UUIDv7: 48-bit Unix milliseconds, then 74 random bits used as
 * a counter within one call (the next one adds a random 1..2^32), so the
 * batch sorts in generation order ("method 2", monotonic random). */
struct v7_state {
	uint64_t ms;
	unsigned __int128 ctr; /* 74 bits */
};

static void uuid_v7(struct v7_state *st, int first, const unsigned char r[16],
                    unsigned char b[16])
{
	struct timespec ts;
	uint64_t now, step = 0;
	unsigned __int128 fresh = 0, max = ((unsigned __int128)1 << 74) - 1;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (int i = 0; i < 10; i++)
		fresh = fresh << 8 | r[i];
	fresh &= max;
	for (int i = 10; i < 14; i++)
		step = step << 8 | r[i];
	if (first || now > st->ms) {
		st->ms = now;
		st->ctr = fresh;
	} else if (st->ctr > max - (step + 1)) {
		st->ms++; /* counter exhausted: borrow the next millisecond */
		st->ctr = fresh;
	} else {
		st->ctr += step + 1;
	}
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(st->ms >> (40 - 8 * i));
	unsigned __int128 c = st->ctr;
	b[6] = (unsigned char)(0x70 | (unsigned)(c >> 70));
	b[7] = (unsigned char)(c >> 62);
	b[8] = (unsigned char)(0x80 | ((unsigned)(c >> 56) & 0x3f));
	for (int i = 9; i < 16; i++)
		b[i] = (unsigned char)(c >> (8 * (15 - i)));
}

fn_handler_t fn_uuid;

int fn_uuid(const json_t *in, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	json_int_t version = fn_arg_int(in, "version", 4);
	json_int_t count = fn_arg_int(in, "count", 1);
	const json_t *jname = json_object_get(in, "name");
	size_t ns_len = 0;
	const char *ns = fn_arg_text(in, "namespace", "dns", &ns_len);
	unsigned char rnd[FN_LIMIT_UUID_COUNT_MAX][16], nsb[16], b[16];
	struct v7_state v7 = {0, 0};
	char text[37];
	json_t *out;

	(void)ctx;
	if (count < 1 || count > FN_LIMIT_UUID_COUNT_MAX)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'count' must be 1..%d",
		                    FN_LIMIT_UUID_COUNT_MAX);
	if (version == 5) {
		if (jname == NULL)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'name' is required for "
			                    "version 5");
		/* a U+0000 would end the C string early: "dns\u0000x" is
		 * no namespace, as uuid.UUID() refuses it */
		if (strlen(ns) != ns_len || uuid_namespace(ns, nsb) < 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'namespace' must be dns, "
			                    "url, oid, x500 or a UUID");
		if (uuid_v5(nsb, json_string_value(jname),
		            json_string_length(jname), b) < 0)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "SHA-1 failed");
	} else if (jname != NULL || json_object_get(in, "namespace") != NULL) {
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' is only used with version 5",
		                    jname != NULL ? "name" : "namespace");
	} else if (version != 4 && version != 7) {
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'version' must be 4, 5 or 7");
	} else if (sopm_random_bytes(&rnd[0][0], (size_t)count * 16) < 0) {
		return sopm_err_set(err, SOPM_E_UNAVAILABLE,
		                    "no random numbers available");
	}
	out = json_array();
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (json_int_t i = 0; i < count; i++) {
		if (version == 4) {
			memcpy(b, rnd[i], 16);
			b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
			b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
		} else if (version == 7) {
			uuid_v7(&v7, i == 0, rnd[i], b);
		}
		uuid_format(b, text);
		if (json_array_append_new(out, json_string(text)) < 0) {
			json_decref(out);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		}
	}
	*result = out;
	return 0;
}
