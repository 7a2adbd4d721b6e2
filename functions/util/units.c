/* units.c - human-readable quantities: `bytes_format` and
 * `duration_format` (both directions). */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_ascii.h"
#include "fn_num.h"
#include "fn_result.h"

#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The largest power k of base not above a (at most 8), exactly. */
static int bytes_unit(long double a, unsigned base)
{
	long double p = base;
	int k = 0;

	/* base^k is exact in a long double up to 1000^8 = 2^24 * 5^24 */
	while (k < 8 && p <= a) {
		p *= base;
		k++;
	}
	return k;
}

fn_handler_t fn_bytes_format;

int fn_bytes_format(const json_t *input, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	static const char *const dec[] = {"B",  "kB", "MB", "GB", "TB",
	                                  "PB", "EB", "ZB", "YB"};
	static const char *const bin[] = {"B",   "KiB", "MiB", "GiB", "TiB",
	                                  "PiB", "EiB", "ZiB", "YiB"};
	const json_t *v = json_object_get(input, "bytes");
	int binary = fn_arg_bool(input, "binary", 0), k;
	unsigned base = binary ? 1024 : 1000;
	const char *const *units = binary ? bin : dec;
	char buf[96];
	json_t *out;

	(void)ctx;
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		unsigned long a =
		    n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
		const char *sign = n < 0 ? "-" : "";
		k = a < base ? 0 : bytes_unit((long double)a, base);
		if (k == 0) {
			snprintf(buf, sizeof(buf), "%s%lu B", sign, a);
		} else {
			/* a / base^k rounded once, as Python's int / int */
			mpq_t q;
			mpq_init(q);
			mpz_set_ui(mpq_numref(q), a);
			mpz_ui_pow_ui(mpq_denref(q), base, (unsigned long)k);
			mpq_canonicalize(q);
			snprintf(buf, sizeof(buf), "%s%.1f %s", sign,
			         fn_q_to_double(q), units[k]);
			mpq_clear(q);
		}
	} else {
		/* |bytes| <= 1e30 (schema); Python's float / int divides by
		 * the double nearest base^k */
		double d = json_real_value(v), a = fabs(d);
		const char *sign = d < 0 ? "-" : "";
		k = a < base ? 0 : bytes_unit((long double)a, base);
		snprintf(buf, sizeof(buf), "%s%.1f %s", sign,
		         k ? a / (double)powl(base, k) : a, units[k]);
	}
	if ((out = json_string(buf)) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}

/* ---- duration_format ---------------------------------------------------- */

static int dur_format(const json_t *sec, json_t **result, struct sopm_err *err)
{
	int64_t ms, d, h, m, s, f;
	char stext[48], iso[128], human[128];
	size_t hl = 0;

	if (json_is_integer(sec))
		ms = (int64_t)json_integer_value(sec) * 1000;
	else /* 0 <= seconds <= 1e12 (schema); Python's round(): half even */
		ms = (int64_t)nearbyint(json_real_value(sec) * 1000.0);
	d = ms / 86400000;
	h = ms / 3600000 % 24;
	m = ms / 60000 % 60;
	s = ms / 1000 % 60;
	f = ms % 1000;
	if (f == 0) {
		snprintf(stext, sizeof(stext), "%lld", (long long)s);
	} else {
		size_t l;
		snprintf(stext, sizeof(stext), "%lld.%03lld", (long long)s,
		         (long long)f);
		l = strlen(stext);
		while (stext[l - 1] == '0')
			stext[--l] = '\0';
	}
	/* iso8601 */
	{
		int len = snprintf(iso, sizeof(iso), "P");
		if (d)
			len += snprintf(iso + len, sizeof(iso) - (size_t)len,
			                "%lldD", (long long)d);
		if (h || m || s || f || !d)
			len +=
			    snprintf(iso + len, sizeof(iso) - (size_t)len, "T");
		if (h)
			len += snprintf(iso + len, sizeof(iso) - (size_t)len,
			                "%lldH", (long long)h);
		if (m)
			len += snprintf(iso + len, sizeof(iso) - (size_t)len,
			                "%lldM", (long long)m);
		if (s || f || ms == 0)
			snprintf(iso + len, sizeof(iso) - (size_t)len, "%sS",
			         stext);
	}
	human[0] = '\0';
	if (d)
		hl += (size_t)snprintf(human + hl, sizeof(human) - hl, "%lldd ",
		                       (long long)d);
	if (h)
		hl += (size_t)snprintf(human + hl, sizeof(human) - hl, "%lldh ",
		                       (long long)h);
	if (m)
		hl += (size_t)snprintf(human + hl, sizeof(human) - hl, "%lldm ",
		                       (long long)m);
	if (s || f || ms == 0)
		hl += (size_t)snprintf(human + hl, sizeof(human) - hl, "%ss ",
		                       stext);
	human[hl - 1] = '\0';
	*result = json_pack("{s:s, s:s}", "iso8601", iso, "human", human);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}

/* Adds the decimal number s[0..n) (digits, optionally '.' digits) times
 * num/den to total. */
static void dur_add(mpq_t total, const char *s, size_t n, unsigned long num,
                    unsigned long den)
{
	char buf[128];
	const char *dot = memchr(s, '.', n);
	size_t ip = dot ? (size_t)(dot - s) : n, fl = dot ? n - ip - 1 : 0;
	mpq_t v;

	/* digits without the point, over 10^fl */
	memcpy(buf, s, ip);
	if (fl)
		memcpy(buf + ip, dot + 1, fl);
	buf[ip + fl] = '\0';
	mpq_init(v);
	mpz_set_str(mpq_numref(v), buf, 10);
	mpz_ui_pow_ui(mpq_denref(v), 10, fl);
	mpz_mul_ui(mpq_numref(v), mpq_numref(v), num);
	mpz_mul_ui(mpq_denref(v), mpq_denref(v), den);
	mpq_canonicalize(v);
	mpq_add(total, total, v);
	mpq_clear(v);
}

/* The length of a number (digits, then optionally '.' and digits) at s, or
 * 0. */
static size_t dur_number(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && sopm_is_digit(s[i]))
		i++;
	if (i == 0)
		return 0;
	if (i + 1 < n && s[i] == '.' && sopm_is_digit(s[i + 1])) {
		i++;
		while (i < n && sopm_is_digit(s[i]))
			i++;
	}
	return i;
}

/* ISO 8601 "P[nD][T[nH][nM][nS]]". */
static int dur_parse_iso(const char *s, size_t n, mpq_t total)
{
	static const char units[] = "DHMS";
	static const unsigned long mult[] = {86400, 3600, 60, 1};
	size_t i = 1;
	int next = 0, any = 0, t = 0;

	while (i < n) {
		size_t l;
		const char *u;
		if (s[i] == 'T' && !t) {
			t = 1;
			i++;
			if (next < 1)
				next = 1;
			if (i == n)
				return -1;
			continue;
		}
		if ((l = dur_number(s + i, n - i)) == 0 || i + l >= n)
			return -1;
		u = strchr(units, s[i + l]);
		if (s[i + l] == '\0' || u == NULL || (u - units) < next ||
		    (t != (u != units)))
			return -1;
		dur_add(total, s + i, l, mult[u - units], 1);
		next = (int)(u - units) + 1;
		any = 1;
		i += l + 1;
	}
	return any ? 0 : -1;
}

/* "1d 2h 3m 4.5s 6ms": units d h m s ms in this order, each at most once,
 * with or without spaces between them. */
static int dur_parse_human(const char *s, size_t n, mpq_t total)
{
	static const char *const units[] = {"d", "h", "m", "s", "ms"};
	static const unsigned long num[] = {86400, 3600, 60, 1, 1};
	static const unsigned long den[] = {1, 1, 1, 1, 1000};
	size_t i = 0;
	int last = -1, any = 0;

	for (;;) {
		size_t l;
		int u;
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		if ((l = dur_number(s + i, n - i)) == 0 || i + l >= n)
			return -1;
		if (s[i + l] == 'm' && i + l + 1 < n && s[i + l + 1] == 's')
			u = 4;
		else if (s[i + l] == 'd')
			u = 0;
		else if (s[i + l] == 'h')
			u = 1;
		else if (s[i + l] == 'm')
			u = 2;
		else if (s[i + l] == 's')
			u = 3;
		else
			return -1;
		if (u <= last)
			return -1;
		dur_add(total, s + i, l, num[u], den[u]);
		last = u;
		any = 1;
		i += l + strlen(units[u]);
	}
	return any ? 0 : -1;
}

static int dur_parse(const char *s, size_t n, json_t **result,
                     struct fn_ctx *ctx, struct sopm_err *err)
{
	mpq_t total;
	int rc;

	/* the schema bounds n (parse_max), and so every number's length */
	while (n && s[0] == ' ') {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	mpq_init(total);
	rc = n && s[0] == 'P' ? dur_parse_iso(s, n, total)
	                      : dur_parse_human(s, n, total);
	if (rc != 0) {
		mpq_clear(total);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'parse' is not a duration such as "
		                    "'1h30m' or 'PT1H30M'");
	}
	if (mpz_cmp_ui(mpq_denref(total), 1) == 0 &&
	    mpz_sizeinbase(mpq_numref(total), 2) <= 63)
		*result =
		    json_integer((json_int_t)mpz_get_si(mpq_numref(total)));
	else
		*result = fn_result_real(ctx, NULL, fn_q_to_double(total));
	mpq_clear(total);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}

fn_handler_t fn_duration_format;

int fn_duration_format(const json_t *input, json_t **result, struct fn_ctx *ctx,
                       struct sopm_err *err)
{
	const json_t *sec = json_object_get(input, "seconds");
	size_t n;
	const char *p;

	if (sec != NULL)
		return dur_format(sec, result, err);
	p = fn_arg_text(input, "parse", "", &n);
	return dur_parse(p, n, result, ctx, err);
}
