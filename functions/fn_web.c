/* fn_web.c - web encodings and digests of the catalog (category "web"). */
#include "fn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>
#include <unistr.h>
#include <zlib.h>

/* Every text field is bounded in code points by its schema. */
#define TEXT_MAX_CHARS "1000000"

/* The member `key` of validated input: a string with its length in bytes. */
static const char *arg_text(const json_t *in, const char *key, size_t *len)
{
	json_t *v = json_object_get(in, key);

	*len = json_string_length(v);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/* ---- hash ---- */

static const struct {
	const char *name; /* as the schema's enum, Python hashlib's name */
	const EVP_MD *(*md)(void);
} hash_algorithms[] = {
    {"md5", EVP_md5},           {"sha1", EVP_sha1},
    {"sha224", EVP_sha224},     {"sha256", EVP_sha256},
    {"sha384", EVP_sha384},     {"sha512", EVP_sha512},
    {"sha3_256", EVP_sha3_256}, {"blake2b", EVP_blake2b512},
};

/* zlib.crc32(data) & 0xffffffff, fed in chunks because uInt may be short. */
static unsigned long crc32_all(const unsigned char *p, size_t n)
{
	unsigned long crc = crc32(0L, Z_NULL, 0);

	while (n > 0) {
		uInt chunk = n > 0x40000000u ? 0x40000000u : (uInt)n;
		crc = crc32(crc, p, chunk);
		p += chunk;
		n -= chunk;
	}
	return crc & 0xffffffffUL;
}

static int fn_hash(const json_t *input, json_t **result,
                   const struct fn_ctx *ctx, struct sopm_err *err)
{
	size_t n;
	const char *text = arg_text(input, "text", &n);
	const char *algo = fn_arg_str(input, "algorithm", "sha256");
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int mdlen = 0;
	json_t *out;

	(void)ctx;
	if (strcmp(algo, "crc32") == 0) {
		snprintf(hex, sizeof(hex), "%08lx",
		         crc32_all((const unsigned char *)text, n));
	} else {
		const EVP_MD *type = NULL;
		for (size_t i = 0;
		     i < sizeof(hash_algorithms) / sizeof(*hash_algorithms);
		     i++)
			if (strcmp(algo, hash_algorithms[i].name) == 0)
				type = hash_algorithms[i].md();
		/* The schema's enum leaves no other name; a NULL type means
		 * the provider lacks the digest. */
		if (type == NULL ||
		    EVP_Digest(text, n, md, &mdlen, type, NULL) != 1)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "digest '%s' is unavailable", algo);
		hex_encode(md, mdlen, hex);
	}
	out = json_string(hex);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* ---- base64 ---- */

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64.b64encode / urlsafe_b64encode, with padding. Returns a NEW
 * reference or NULL on OOM. */
static json_t *b64_encode(const unsigned char *in, size_t n, int urlsafe)
{
	const char *alpha = urlsafe ? b64_url : b64_std;
	size_t outlen = (n + 2) / 3 * 4, o = 0;
	char *out = malloc(outlen + 1);
	json_t *s;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16;
		size_t left = n - i;
		if (left > 1)
			v |= (unsigned long)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[o++] = alpha[(v >> 18) & 63];
		out[o++] = alpha[(v >> 12) & 63];
		out[o++] = left > 1 ? alpha[(v >> 6) & 63] : '=';
		out[o++] = left > 2 ? alpha[v & 63] : '=';
	}
	s = json_stringn(out, o);
	free(out);
	return s;
}

static int b64_value(unsigned char c, int urlsafe)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (urlsafe ? '-' : '+'))
		return 62;
	if (c == (urlsafe ? '_' : '/'))
		return 63;
	return -1;
}

/* binascii.a2b_base64(strict_mode=True) as Python 3.11 does it: the same
 * checks in the same order, so the same inputs fail. out has room for
 * n / 4 * 3 + 3 bytes. Returns NULL on success, or why it failed. */
static const char *b64_decode_strict(const unsigned char *in, size_t n,
                                     int urlsafe, unsigned char *out,
                                     size_t *outlen)
{
	int quad = 0, pads = 0, padding = 0;
	unsigned char left = 0;
	size_t o = 0;

	if (n > 0 && in[0] == '=')
		return "leading padding is not allowed";
	for (size_t i = 0; i < n; i++) {
		int v;
		if (in[i] == '=') {
			/* 3.11 ignores '=' where a quad starts (3.13 refuses
			 * it), but nothing but '=' may follow. */
			padding = 1;
			if (quad >= 2 && quad + ++pads >= 4) {
				if (i + 1 < n)
					return "excess data after padding";
				*outlen = o;
				return NULL;
			}
			continue;
		}
		if (in[i] >= 0x80)
			return "only ASCII characters are allowed";
		if ((v = b64_value(in[i], urlsafe)) < 0)
			return "only base64 data is allowed";
		if (padding)
			return "discontinuous padding is not allowed";
		pads = 0;
		switch (quad) {
		case 0:
			left = (unsigned char)v;
			break;
		case 1:
			out[o++] = (unsigned char)(left << 2 | v >> 4);
			left = v & 0x0f;
			break;
		case 2:
			out[o++] = (unsigned char)(left << 4 | v >> 2);
			left = v & 0x03;
			break;
		default:
			out[o++] = (unsigned char)(left << 6 | v);
			break;
		}
		quad = (quad + 1) & 3;
	}
	if (quad == 1)
		return "the number of data characters cannot be 1 more than a "
		       "multiple of 4";
	if (quad != 0)
		return "incorrect padding";
	*outlen = o;
	return NULL;
}

static int fn_base64(const json_t *input, json_t **result,
                     const struct fn_ctx *ctx, struct sopm_err *err)
{
	size_t n, outlen = 0;
	const unsigned char *text =
	    (const unsigned char *)arg_text(input, "text", &n);
	int urlsafe = fn_arg_bool(input, "urlsafe", 0);
	unsigned char *bytes;
	const char *why;
	json_t *out;

	(void)ctx;
	if (!fn_arg_bool(input, "decode", 0)) {
		out = b64_encode(text, n, urlsafe);
		if (out == NULL)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		*result = out;
		return 0;
	}
	bytes = malloc(n / 4 * 3 + 3);
	if (bytes == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	why = b64_decode_strict(text, n, urlsafe, bytes, &outlen);
	if (why != NULL) {
		free(bytes);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'text' is not valid %sbase64: %s",
		                    urlsafe ? "URL-safe " : "", why);
	}
	if (u8_check(bytes, outlen) != NULL) {
		free(bytes);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'text' does not decode to UTF-8 "
		                    "text");
	}
	out = json_stringn((const char *)bytes, outlen);
	free(bytes);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* ---- table ---- */

/* ---- uuid --------------------------------------------------------------- */

#define UUID_MAX_COUNT 100

static int random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = getrandom(buf + got, n - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

static void uuid_format(const unsigned char b[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* uuid.UUID(text): "urn:" and "uuid:" removed, braces stripped from the
 * ends, hyphens removed, then exactly 32 hex digits. */
static int uuid_parse(const char *s, unsigned char b[16])
{
	char buf[65], hexd[33];
	size_t n = 0, h = 0;

	for (size_t i = 0; s[i]; i++) {
		if (strncmp(s + i, "urn:", 4) == 0) {
			i += 3;
			continue;
		}
		if (strncmp(s + i, "uuid:", 5) == 0) {
			i += 4;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return -1;
		buf[n++] = s[i];
	}
	size_t lo = 0, hi = n;
	while (lo < hi && (buf[lo] == '{' || buf[lo] == '}'))
		lo++;
	while (hi > lo && (buf[hi - 1] == '{' || buf[hi - 1] == '}'))
		hi--;
	for (size_t i = lo; i < hi; i++) {
		if (buf[i] == '-')
			continue;
		if (h == 32 || hex_val(buf[i]) < 0)
			return -1;
		hexd[h++] = buf[i];
	}
	if (h != 32)
		return -1;
	for (int i = 0; i < 16; i++)
		b[i] = (unsigned char)(hex_val(hexd[2 * i]) << 4 |
		                       hex_val(hexd[2 * i + 1]));
	return 0;
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

static int fn_uuid(const json_t *in, json_t **result, const struct fn_ctx *ctx,
                   struct sopm_err *err)
{
	json_int_t version = fn_arg_int(in, "version", 4);
	json_int_t count = fn_arg_int(in, "count", 1);
	const json_t *jname = json_object_get(in, "name");
	const char *ns = fn_arg_str(in, "namespace", NULL);
	unsigned char rnd[UUID_MAX_COUNT][16], nsb[16], b[16];
	struct v7_state v7 = {0, 0};
	char text[37];
	json_t *out;

	(void)ctx;
	if (count < 1 || count > UUID_MAX_COUNT)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'count' must be 1..%d",
		                    UUID_MAX_COUNT);
	if (version == 5) {
		if (jname == NULL)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'name' is required for "
			                    "version 5");
		if (uuid_namespace(ns ? ns : "dns", nsb) < 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'namespace' must be dns, "
			                    "url, oid, x500 or a UUID");
		if (uuid_v5(nsb, json_string_value(jname),
		            json_string_length(jname), b) < 0)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "SHA-1 failed");
	} else if (jname != NULL || ns != NULL) {
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%s' is only used with version 5",
		                    jname != NULL ? "name" : "namespace");
	} else if (version != 4 && version != 7) {
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'version' must be 4, 5 or 7");
	} else if (random_bytes(&rnd[0][0], (size_t)count * 16) < 0) {
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

const struct fn_def fn_web_defs[] = {
    {
        "base64",
        "web",
        fn_base64,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"text\"],"
        " \"properties\": {\"text\": {\"type\": \"string\", "
        "\"maxLength\": " TEXT_MAX_CHARS
        "}, \"decode\": {\"type\": \"boolean\", \"default\": false},"
        " \"urlsafe\": {\"type\": \"boolean\", \"default\": false}}}",
        "Base64 of the UTF-8 bytes of text (Python base64.b64encode, or "
        "urlsafe_b64encode with urlsafe), with padding. With decode: "
        "b64decode(text, validate=True); with urlsafe the alphabet is - and _ "
        "instead of + and / and is checked as strictly. Invalid base64, or "
        "bytes that are not UTF-8, give 400.",
        "{\"text\": \"héllo?>\"}",
        "\"aMOpbGxvPz4=\"",
    },
    {
        "hash",
        "web",
        fn_hash,
        "{\"type\": \"object\", \"additionalProperties\": false,"
        " \"required\": [\"text\", \"algorithm\"],"
        " \"properties\": {\"text\": {\"type\": \"string\", "
        "\"maxLength\": " TEXT_MAX_CHARS
        "}, \"algorithm\": {\"type\": \"string\", \"enum\": [\"md5\", \"sha1\","
        " \"sha224\", \"sha256\", \"sha384\", \"sha512\", \"sha3_256\","
        " \"blake2b\", \"crc32\"]}}}",
        "Lowercase hex digest of the UTF-8 bytes of text (Python hashlib; "
        "blake2b is BLAKE2b-512). crc32 is zlib.crc32 as 8 hex digits.",
        "{\"text\": \"hello\", \"algorithm\": \"sha256\"}",
        "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"",
    },
    {
        "uuid",
        "web",
        fn_uuid,
        "{\"type\":\"object\",\"properties\":{\"version\":{\"type\":"
        "\"integer\",\"enum\":[4,5,7],\"default\":4,\"description\":\"4: "
        "random; 5: SHA-1 of namespace and name (Python uuid.uuid5); 7: Unix "
        "time in ms then random, increasing within one call.\"},"
        "\"namespace\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64,"
        "\"description\":\"Version 5 only: dns, url, oid, x500 or a UUID; "
        "default dns.\"},\"name\":{\"type\":\"string\",\"maxLength\":10000,"
        "\"description\":\"Version 5 only, required: the name, hashed as "
        "UTF-8.\"},\"count\":{\"type\":\"integer\",\"minimum\":1,"
        "\"maximum\":100,\"default\":1,\"description\":\"How many UUIDs (all "
        "equal for version 5).\"}},\"additionalProperties\":false}",
        "Generates UUIDs: version 4 and 7 from the kernel CSPRNG, version 5 "
        "as Python's uuid.uuid5(namespace, name). Returns an array of "
        "strings.",
        "{\"version\":5,\"namespace\":\"dns\",\"name\":\"python.org\"}",
        "[\"886313e1-3b8a-5372-9b90-0c9aee199e5d\"]",
    },
};

const size_t fn_web_count = sizeof(fn_web_defs) / sizeof(fn_web_defs[0]);
