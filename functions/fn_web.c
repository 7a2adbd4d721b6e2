/* fn_web.c - web encodings and digests of the catalog (category "web"). */
#include "fn.h"

#include <stdlib.h>
#include <string.h>

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
};

const size_t fn_web_count = sizeof(fn_web_defs) / sizeof(fn_web_defs[0]);
