/* passwords.c - `password_generate` (from the kernel's CSPRNG, without
 * modulo bias, each enabled class at least once) and `password_strength`
 * (a stated entropy rule, see password_strength.json). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "sopm_bytes.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOWER   "abcdefghijklmnopqrstuvwxyz"
#define UPPER   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS  "0123456789"
#define SYMBOLS "!#$%&()*+,-./:;<=>?@[]^_{|}~"

/* Random bytes, read from getrandom(2) a buffer at a time. */
struct rbuf {
	unsigned char b[256];
	size_t pos;
};

static int rbuf_byte(struct rbuf *r, unsigned char *out)
{
	if (r->pos == sizeof(r->b)) {
		if (sopm_random_bytes(r->b, sizeof(r->b)) < 0)
			return -1;
		r->pos = 0;
	}
	*out = r->b[r->pos++];
	return 0;
}

/* One password of len characters into out; the alphabet holds n <= 90
 * characters; classes[] are the enabled classes (each must appear). */
static int one_password(struct rbuf *r, char *out, size_t len,
                        const char *alpha, size_t n, const char *const *classes,
                        size_t nclasses)
{
	unsigned limit = 256 - 256 % (unsigned)n;

	for (;;) {
		for (size_t i = 0; i < len; i++) {
			unsigned char b;
			do {
				if (rbuf_byte(r, &b) < 0)
					return -1;
			} while (b >= limit);
			out[i] = alpha[b % n];
		}
		out[len] = '\0';
		size_t ok = 0;
		for (size_t c = 0; c < nclasses; c++)
			ok += strpbrk(out, classes[c]) != NULL;
		if (ok == nclasses)
			return 0;
	}
}

fn_handler_t fn_password_generate;

int fn_password_generate(const json_t *in, json_t **result, struct fn_ctx *ctx,
                         struct sopm_err *err)
{
	size_t len = (size_t)fn_arg_int(in, "length", 16);
	json_int_t count = fn_arg_int(in, "count", 1);
	const char *classes[4];
	size_t nclasses = 0;
	char alpha[128] = "", out[512];
	struct rbuf r;

	(void)ctx;
	classes[nclasses++] = LOWER;
	if (fn_arg_bool(in, "uppercase", 1))
		classes[nclasses++] = UPPER;
	if (fn_arg_bool(in, "digits", 1))
		classes[nclasses++] = DIGITS;
	if (fn_arg_bool(in, "symbols", 1))
		classes[nclasses++] = SYMBOLS;
	for (size_t c = 0; c < nclasses; c++)
		strcat(alpha, classes[c]);
	r.pos = sizeof(r.b);
	json_t *arr = json_array();
	if (arr == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (json_int_t k = 0; k < count; k++) {
		if (one_password(&r, out, len, alpha, strlen(alpha), classes,
		                 nclasses) < 0) {
			json_decref(arr);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "no random bytes from the kernel");
		}
		if (json_array_append_new(arr, json_string(out)) < 0) {
			json_decref(arr);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		}
	}
	explicit_bzero(out, sizeof(out));
	explicit_bzero(r.b, sizeof(r.b));
	*result = arr;
	return 0;
}

/* ---- password_strength ------------------------------------------------ */

/* Compared after ASCII lowercasing. */
static const char *const common[] = {
    "123456",   "123456789", "12345678",  "12345",    "1234567",   "1234567890",
    "qwerty",   "password",  "password1", "111111",   "123123",    "abc123",
    "iloveyou", "admin",     "welcome",   "monkey",   "dragon",    "letmein",
    "football", "baseball",  "sunshine",  "princess", "qwerty123", "000000",
    "trustno1", "master",    "shadow",    "superman", "passw0rd",  "1q2w3e4r",
};

/* The next code point of valid UTF-8 at *p. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

	if (n > 1)
		c &= 0x3f >> (n - 1);
	for (int i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*p = s + n;
	return c;
}

static int is_common(const char *pw, size_t n)
{
	char low[16];

	if (n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (pw[i] >= 'A' && pw[i] <= 'Z') ? pw[i] | 0x20 : pw[i];
	low[n] = '\0';
	for (size_t k = 0; k < sizeof(common) / sizeof(common[0]); k++)
		if (strlen(common[k]) == n && memcmp(low, common[k], n) == 0)
			return 1;
	return 0;
}

fn_handler_t fn_password_strength;

int fn_password_strength(const json_t *in, json_t **result, struct fn_ctx *ctx,
                         struct sopm_err *err)
{
	size_t n;
	const char *pw = fn_arg_text(in, "password", "", &n);
	const unsigned char *p = (const unsigned char *)pw, *end = p + n;
	int lower = 0, upper = 0, digit = 0, symbol = 0, other = 0, run = 0;
	int repeated = 0;
	uint32_t prev = (uint32_t)-1;
	size_t len = 0;

	while (p < end) {
		uint32_t c = next_cp(&p);
		len++;
		run = c == prev ? run + 1 : 1;
		repeated |= run >= 3;
		prev = c;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else if (c >= 0x20 && c <= 0x7e)
			symbol = 1;
		else
			other = 1;
	}
	int pool =
	    26 * lower + 26 * upper + 10 * digit + 33 * symbol + 100 * other;
	double bits = pool ? (double)len * log2((double)pool) : 0.0;
	int com = is_common(pw, n);
	int score = com || bits < 28 ? 0
	            : bits < 36      ? 1
	            : bits < 60      ? 2
	            : bits < 80      ? 3
	                             : 4;
	json_t *fb = json_array();
	if (fb == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	if (com)
		json_array_append_new(fb, json_string("This is a commonly used "
		                                      "password"));
	if (len < 12)
		json_array_append_new(fb, json_string("Use at least 12 "
		                                      "characters"));
	if (!lower)
		json_array_append_new(fb, json_string("Add lowercase letters"));
	if (!upper)
		json_array_append_new(fb, json_string("Add uppercase letters"));
	if (!digit)
		json_array_append_new(fb, json_string("Add digits"));
	if (!symbol)
		json_array_append_new(fb, json_string("Add symbols"));
	if (repeated)
		json_array_append_new(fb, json_string("Avoid repeating a "
		                                      "character three times "
		                                      "in a row"));
	*result = json_pack("{sisoso}", "score", score, "entropy_bits",
	                    fn_result_real(ctx, "entropy_bits", bits),
	                    "feedback", fb);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}
