/* hash.c - `hash`: hex digests of the UTF-8 text with OpenSSL's libcrypto
 * (as Python's hashlib), and zlib's crc32. */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_bytes.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

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

fn_handler_t fn_hash;

int fn_hash(const json_t *input, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	size_t n;
	const char *text = fn_arg_text(input, "text", "", &n);
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
		sopm_hex_encode(md, mdlen, hex);
	}
	out = json_string(hex);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
