/* primes.c - `is_prime`, `prime_factors` and `primes`: 64-bit number
 * theory without big integers. Products modulo n < 2^63 go through
 * unsigned __int128; Pollard's rho (Brent's variant) works in Montgomery
 * form, so a 63-bit semiprime splits in well under a millisecond. */
#include "fn.h"
#include "fn_arg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

fn_handler_t fn_is_prime, fn_prime_factors, fn_primes;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1 % m;

	b %= m;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

/* The first 12 primes: as Miller-Rabin bases they decide every n below
 * 3.3e24 (Sorenson and Webster), so every 64-bit n. */
static const uint64_t mr_bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

static int is_prime_u64(uint64_t n)
{
	uint64_t d = n - 1;
	int s = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < sizeof(mr_bases) / sizeof(mr_bases[0]); i++)
		if (n % mr_bases[i] == 0)
			return n == mr_bases[i];
	while ((d & 1) == 0) {
		d >>= 1;
		s++;
	}
	for (size_t i = 0; i < sizeof(mr_bases) / sizeof(mr_bases[0]); i++) {
		uint64_t x = powmod(mr_bases[i], d, n);
		int r;
		if (x == 1 || x == n - 1)
			continue;
		for (r = 1; r < s; r++) {
			x = mulmod(x, x, n);
			if (x == n - 1)
				break;
		}
		if (r == s)
			return 0;
	}
	return 1;
}

/* ---- Pollard-Brent in Montgomery form ------------------------------------ */

struct mont {
	uint64_t n;    /* odd, < 2^63 */
	uint64_t ninv; /* -n^-1 mod 2^64 */
};

static void mont_init(struct mont *m, uint64_t n)
{
	uint64_t inv = n; /* correct to 3 bits; each step doubles them */

	for (int i = 0; i < 5; i++)
		inv *= 2 - n * inv;
	m->n = n;
	m->ninv = (uint64_t)0 - inv;
}

/* a * b / 2^64 mod n; n < 2^63 keeps the sum below 2^128 */
static uint64_t mont_mul(const struct mont *m, uint64_t a, uint64_t b)
{
	u128 t = (u128)a * b;
	uint64_t k = (uint64_t)t * m->ninv;
	uint64_t r = (uint64_t)((t + (u128)k * m->n) >> 64);

	return r >= m->n ? r - m->n : r;
}

/* Binary gcd (Stein): no divisions, which rho would otherwise spend a
 * good part of its time in. */
static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	int shift;

	if (a == 0 || b == 0)
		return a | b;
	shift = __builtin_ctzll(a | b);
	a >>= __builtin_ctzll(a);
	do {
		b >>= __builtin_ctzll(b);
		if (a > b) {
			uint64_t t = a;
			a = b;
			b = t;
		}
		b -= a;
	} while (b != 0);
	return a << shift;
}

/* A proper factor of the odd composite n (not a prime power of a factor
 * below 1000, which trial division removed). Values stay in Montgomery
 * form: the gcd with n is the same, 2^64 being prime to n. */
static uint64_t brent(uint64_t n)
{
	struct mont m;
	const uint64_t block = 128;

	mont_init(&m, n);
	for (uint64_t c = 1;; c++) {
		uint64_t y = 2, x = y, ys = y, q = 1, g = 1, r = 1;
		do {
			x = y;
			for (uint64_t i = 0; i < r; i++)
				y = mont_mul(&m, y, y) + c;
			for (uint64_t k = 0; k < r && g == 1; k += block) {
				ys = y;
				for (uint64_t i = 0; i < block && i < r - k;
				     i++) {
					y = mont_mul(&m, y, y) + c;
					q = mont_mul(&m, q,
					             x > y ? x - y : y - x);
				}
				g = gcd_u64(q, n);
			}
			r <<= 1;
		} while (g == 1);
		if (g == n) { /* the block overshot: step from its start */
			do {
				ys = mont_mul(&m, ys, ys) + c;
				g = gcd_u64(x > ys ? x - ys : ys - x, n);
			} while (g == 1);
		}
		if (g != n)
			return g;
	}
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

/* Appends the prime factors of n (odd, no factor below 1000) to f. */
static void factor_big(uint64_t n, uint64_t *f, size_t *nf)
{
	while (n > 1) {
		if (is_prime_u64(n)) {
			f[(*nf)++] = n;
			return;
		}
		uint64_t d = brent(n);
		factor_big(d, f, nf); /* at most log2(n) levels */
		n /= d;
	}
}

/* ---- handlers --------------------------------------------------------------
 */

/* input borrowed; *result a NEW reference. */
int fn_is_prime(const json_t *in, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	json_int_t n = fn_arg_int(in, "n", 0);

	(void)ctx;
	(void)err;
	*result = json_boolean(n >= 2 && is_prime_u64((uint64_t)n));
	return 0;
}

/* input borrowed; *result a NEW reference. */
int fn_prime_factors(const json_t *in, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	uint64_t n = (uint64_t)fn_arg_int(in, "n", 2), f[64];
	size_t nf = 0;
	json_t *out;

	(void)ctx;
	for (uint64_t p = 2; p < 1000 && p * p <= n; p += 1 + (p > 2))
		while (n % p == 0) {
			f[nf++] = p;
			n /= p;
		}
	if (n > 1 && n < 1000 * 1000)
		f[nf++] = n; /* no factor below 1000 left: a prime */
	else if (n > 1)
		factor_big(n, f, &nf);
	qsort(f, nf, sizeof(f[0]), u64_cmp);
	out = json_array();
	if (out == NULL)
		goto oom;
	for (size_t i = 0; i < nf; i++)
		if (json_array_append_new(out, json_integer((json_int_t)f[i])))
			goto oom;
	*result = out;
	return 0;
oom:
	json_decref(out);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* The odd primes up to limit (< 65536), by a plain sieve; -1 when out of
 * memory. */
static long base_primes(uint32_t limit, uint32_t *out)
{
	unsigned char *comp = calloc(limit + 1, 1);
	long n = 0;

	if (comp == NULL)
		return -1;
	for (uint32_t i = 3; i <= limit; i += 2) {
		if (comp[i])
			continue;
		out[n++] = i;
		for (uint32_t j = i * i; j <= limit; j += 2 * i)
			comp[j] = 1;
	}
	free(comp);
	return n;
}

#define SIEVE_SEG   32768 /* odd numbers per segment */
#define PRIMES_LIST 1000  /* primes listed */

/* input borrowed; *result a NEW reference. */
int fn_primes(const json_t *in, json_t **result, struct fn_ctx *ctx,
              struct sopm_err *err)
{
	json_int_t limit = fn_arg_int(in, "limit", 0);
	uint32_t *bp = malloc(6600 * sizeof(*bp));
	unsigned char *seg = malloc(SIEVE_SEG);
	json_t *list = json_array(), *out = NULL;
	uint64_t count = 0;
	long nbp;

	(void)ctx;
	if (bp == NULL || seg == NULL || list == NULL)
		goto oom;
	if (limit >= 2) {
		count = 1;
		if (json_array_append_new(list, json_integer(2)))
			goto oom;
	}
	uint32_t root = 1;
	while ((json_int_t)(root + 1) * (root + 1) <= limit)
		root++;
	if ((nbp = base_primes(root, bp)) < 0)
		goto oom;
	/* segment s holds the odd numbers 2k+1 for k in [lo, lo+SIEVE_SEG) */
	uint64_t kmax = limit >= 3 ? ((uint64_t)limit - 1) / 2 : 0;
	for (uint64_t lo = 1; lo <= kmax; lo += SIEVE_SEG) {
		uint64_t hi =
		    lo + SIEVE_SEG - 1 < kmax ? lo + SIEVE_SEG - 1 : kmax;
		memset(seg, 0, SIEVE_SEG);
		for (long i = 0; i < nbp; i++) {
			uint64_t p = bp[i], k = (p * p - 1) / 2;
			if (k > hi)
				break;
			if (k <
			    lo) /* the first odd multiple of p at or past lo */
				k += (lo - k + p - 1) / p * p;
			for (; k <= hi; k += p)
				seg[k - lo] = 1;
		}
		for (uint64_t k = lo; k <= hi; k++) {
			if (seg[k - lo])
				continue;
			if (count++ < PRIMES_LIST &&
			    json_array_append_new(
			        list, json_integer((json_int_t)(2 * k + 1))))
				goto oom;
		}
	}
	out = json_pack("{sIsO}", "count", (json_int_t)count, "primes", list);
	if (out == NULL)
		goto oom;
	json_decref(list);
	free(bp);
	free(seg);
	*result = out;
	return 0;
oom:
	json_decref(list);
	free(bp);
	free(seg);
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}
