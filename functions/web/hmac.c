/* hmac.c - `hmac`: Python's hmac.new(key, text, algorithm).hexdigest() over
 * the UTF-8 bytes of key and text, with OpenSSL's HMAC. */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_bytes.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static const struct {
	const char *name; /* as the schema's enum, Python hashlib's name */
	const EVP_MD *(*md)(void);
} hmac_algorithms[] = {
    {"md5", EVP_md5},           {"sha1", EVP_sha1},
    {"sha224", EVP_sha224},     {"sha256", EVP_sha256},
    {"sha384", EVP_sha384},     {"sha512", EVP_sha512},
    {"sha3_256", EVP_sha3_256}, {"blake2b", EVP_blake2b512},
};

fn_handler_t fn_hmac;

int fn_hmac(const json_t *input, json_t **result, struct fn_ctx *ctx,
            struct sopm_err *err)
{
	size_t n, klen;
	const char *text = fn_arg_text(input, "text", "", &n);
	const char *key = fn_arg_text(input, "key", "", &klen);
	const char *algo = fn_arg_str(input, "algorithm", "sha256");
	const EVP_MD *type = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int mdlen = 0;
	json_t *out;

	(void)ctx;
	for (size_t i = 0;
	     i < sizeof(hmac_algorithms) / sizeof(*hmac_algorithms); i++)
		if (strcmp(algo, hmac_algorithms[i].name) == 0)
			type = hmac_algorithms[i].md();
	/* The schema's enum leaves no other name; a NULL type means the
	 * provider lacks the digest. HMAC wants a non-NULL key even when
	 * empty. */
	if (type == NULL ||
	    HMAC(type, klen ? key : "", (int)klen, (const unsigned char *)text,
	         n, md, &mdlen) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "HMAC with '%s' is unavailable", algo);
	sopm_hex_encode(md, mdlen, hex);
	out = json_string(hex);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
