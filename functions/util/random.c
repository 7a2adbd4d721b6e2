/* random.c - `random`: integers, reals, choices, a shuffle or bytes. With a
 * seed the generator is xoshiro256** (Blackman and Vigna, 2018) whose four
 * words are the first four outputs of SplitMix64 started at the seed (as an
 * unsigned 64-bit integer), so that a Python reference reproduces every
 * draw; without one the 64-bit words come from getrandom(2). Every draw is
 * a 64-bit word x, and the kinds use it as random.json states. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "sopm_bytes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

struct rng {
	int seeded;
	uint64_t s[4];
	uint64_t buf[32]; /* unseeded: words from the kernel */
	size_t pos;
	int failed;
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
	if (!r->seeded) {
		if (r->pos == 32) {
			if (sopm_random_bytes(r->buf, sizeof(r->buf)) < 0)
				r->failed = 1;
			r->pos = 0;
		}
		return r->buf[r->pos++];
	}
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, span) (span 0 means 2^64), by rejection: words below
 * 2^64 mod span are drawn again. */
static uint64_t rng_below(struct rng *r, uint64_t span)
{
	if (span == 0)
		return rng_next(r);
	uint64_t threshold = (0 - span) % span, x;
	do
		x = rng_next(r);
	while (x < threshold);
	return x % span;
}

static int bad(struct sopm_err *err, const char *field, const char *what)
{
	return sopm_err_set(err, SOPM_E_INVALID_INPUT, "field '%s' %s", field,
	                    what);
}

static int gen_int(const json_t *in, struct rng *r, json_int_t count,
                   json_t *out, struct sopm_err *err)
{
	const json_t *jmin = json_object_get(in, "min");
	const json_t *jmax = json_object_get(in, "max");

	if (jmin != NULL && !json_is_integer(jmin))
		return bad(err, "min", "must be an integer for kind 'int'");
	if (jmax != NULL && !json_is_integer(jmax))
		return bad(err, "max", "must be an integer for kind 'int'");
	int64_t lo = jmin ? json_integer_value(jmin) : 0;
	int64_t hi = jmax ? json_integer_value(jmax) : 100;
	if (lo > hi)
		return bad(err, "max", "is below 'min'");
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
	for (json_int_t k = 0; k < count; k++) {
		uint64_t v = (uint64_t)lo + rng_below(r, span);
		if (json_array_append_new(out, json_integer((int64_t)v)) < 0)
			return -1;
	}
	return 0;
}

static int gen_float(const json_t *in, struct rng *r, json_int_t count,
                     json_t *out, struct fn_ctx *ctx, struct sopm_err *err)
{
	double lo = fn_arg_num(in, "min", 0.0), hi = fn_arg_num(in, "max", 1.0);

	if (!(lo < hi))
		return bad(err, "max", "must be above 'min' for kind 'float'");
	double width = hi - lo;
	if (!isfinite(width))
		return bad(err, "max", "minus 'min' is not a finite number");
	for (json_int_t k = 0; k < count; k++) {
		double u = (double)(rng_next(r) >> 11) * 0x1p-53;
		if (json_array_append_new(
		        out, fn_result_real(ctx, NULL, lo + width * u)) < 0)
			return -1;
	}
	return 0;
}

static int gen_items(const json_t *in, struct rng *r, json_int_t count,
                     int shuffle, json_t *out, struct sopm_err *err)
{
	const json_t *items = json_object_get(in, "items");

	if (items == NULL)
		return bad(err, "items", "is required for this kind");
	size_t n = json_array_size(items);
	if (!shuffle) {
		if (n == 0)
			return bad(err, "items", "is empty");
		for (json_int_t k = 0; k < count; k++)
			if (json_array_append(
			        out, json_array_get(items, rng_below(r, n))) <
			    0)
				return -1;
		return 0;
	}
	size_t idx[1000];
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	for (size_t i = n; i-- > 1;) { /* Fisher-Yates */
		size_t j = (size_t)rng_below(r, i + 1), t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		if (json_array_append(out, json_array_get(items, idx[i])) < 0)
			return -1;
	return 0;
}

static int gen_bytes(struct rng *r, json_int_t count, json_t *out)
{
	unsigned char b[1000];
	char hex[2001];
	uint64_t w = 0;

	for (json_int_t k = 0; k < count; k++) {
		if (k % 8 == 0)
			w = rng_next(r);
		b[k] = (unsigned char)(w >> (8 * (k % 8)));
	}
	sopm_hex_encode(b, (size_t)count, hex);
	return json_array_append_new(out, json_string(hex));
}

fn_handler_t fn_random;

int fn_random(const json_t *in, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	const char *kind = fn_arg_str(in, "kind", "int");
	json_int_t count = fn_arg_int(in, "count", 1);
	const json_t *seed = json_object_get(in, "seed");
	struct rng r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.pos = 32;
	if (seed != NULL) {
		uint64_t x = (uint64_t)json_integer_value(seed);
		r.seeded = 1;
		for (int i = 0; i < 4; i++)
			r.s[i] = splitmix64(&x);
	}
	json_t *out = json_array();
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	if (strcmp(kind, "int") == 0)
		rc = gen_int(in, &r, count, out, err);
	else if (strcmp(kind, "float") == 0)
		rc = gen_float(in, &r, count, out, ctx, err);
	else if (strcmp(kind, "choice") == 0)
		rc = gen_items(in, &r, count, 0, out, err);
	else if (strcmp(kind, "shuffle") == 0)
		rc = gen_items(in, &r, count, 1, out, err);
	else
		rc = gen_bytes(&r, count, out);
	if (rc == 0 && r.failed)
		rc = sopm_err_set(err, SOPM_E_INTERNAL,
		                  "no random bytes from the kernel");
	explicit_bzero(&r, sizeof(r));
	if (rc < 0) {
		json_decref(out);
		return -1;
	}
	*result = out;
	return 0;
}
