/* integers.c - `gcd_lcm`, `fibonacci`, `factorial` and `power_mod`:
 * exact integers as Python's (GMP), given as JSON integers where they fit
 * in int64 and as decimal strings where CATALOG.md says so. */
#include "fn.h"
#include "fn_arg.h"

#include <gmp.h>
#include <stdint.h>
#include <stdlib.h>

fn_handler_t fn_gcd_lcm, fn_fibonacci, fn_factorial, fn_power_mod;

/* A NEW JSON integer for z when it fits in int64, else a NEW decimal
 * string; NULL when out of memory. */
static json_t *int_or_string(const mpz_t z)
{
	char *s;
	json_t *v;

	if (mpz_fits_slong_p(z))
		return json_integer((json_int_t)mpz_get_si(z));
	s = mpz_get_str(NULL, 10, z);
	if (s == NULL)
		return NULL;
	v = json_string(s);
	free(s); /* GMP's default allocator is malloc */
	return v;
}

/* A NEW decimal string of z; NULL when out of memory. */
static json_t *decimal(const mpz_t z)
{
	char *s = mpz_get_str(NULL, 10, z);
	json_t *v;

	if (s == NULL)
		return NULL;
	v = json_string(s);
	free(s);
	return v;
}

static int oom(struct sopm_err *err)
{
	return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* input borrowed; *result a NEW reference. */
int fn_gcd_lcm(const json_t *in, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	const json_t *nums = json_object_get(in, "numbers");
	mpz_t g, l, x;
	json_t *jg, *jl, *out = NULL;
	size_t i;
	const json_t *v;

	(void)ctx;
	mpz_inits(g, x, NULL);
	mpz_init_set_ui(l, 1); /* math.lcm() is 1, math.gcd() is 0 */
	json_array_foreach(nums, i, v)
	{
		mpz_set_si(x, (long)json_integer_value(v));
		mpz_gcd(g, g, x); /* non-negative, as Python's */
		mpz_lcm(l, l, x); /* 0 once a 0 is met */
	}
	jg = int_or_string(g);
	jl = int_or_string(l);
	if (jg != NULL && jl != NULL)
		out = json_pack("{soso}", "gcd", jg, "lcm", jl);
	else {
		json_decref(jg);
		json_decref(jl);
	}
	mpz_clears(g, l, x, NULL);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* The decimal string of seq(input's n) (mpz_fib_ui or mpz_fac_ui) in
 * *result, a NEW reference. */
static int decimal_of(const json_t *in, void (*seq)(mpz_ptr, unsigned long),
                      json_t **result, struct sopm_err *err)
{
	json_t *out;
	mpz_t z;

	mpz_init(z);
	seq(z, (unsigned long)fn_arg_int(in, "n", 0));
	out = decimal(z);
	mpz_clear(z);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}

/* input borrowed; *result a NEW reference. */
int fn_fibonacci(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	(void)ctx;
	return decimal_of(in, mpz_fib_ui, result, err);
}

/* input borrowed; *result a NEW reference. */
int fn_factorial(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	(void)ctx;
	return decimal_of(in, mpz_fac_ui, result, err);
}

/* input borrowed; *result a NEW reference. */
int fn_power_mod(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	json_int_t base = fn_arg_int(in, "base", 0);
	uint64_t e = (uint64_t)fn_arg_int(in, "exponent", 0);
	uint64_t m = (uint64_t)fn_arg_int(in, "modulus", 1);
	uint64_t b, r = 1 % m;
	json_t *out;

	(void)ctx;
	/* Python reduces a negative base to [0, m) */
	b = base >= 0 ? (uint64_t)base % m
	              : (m - ((uint64_t)0 - (uint64_t)base) % m) % m;
	while (e) {
		if (e & 1)
			r = (uint64_t)((unsigned __int128)r * b % m);
		b = (uint64_t)((unsigned __int128)b * b % m);
		e >>= 1;
	}
	out = json_integer((json_int_t)r);
	if (out == NULL)
		return oom(err);
	*result = out;
	return 0;
}
