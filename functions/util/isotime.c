/* isotime.c - datetime.fromisoformat (CPython 3.11's C parser, quirks
 * included) and isoformat pieces, shared by timestamp and the date
 * functions. Moved here from timestamp.c. */
#include "isotime.h"

#include "fn_tz.h"
#include "sopm_ascii.h"

#include <mpfr.h>
#include <stdio.h>
#include <string.h>

/* ---- timestamp: datetime.fromisoformat (C implementation) --------------- */

static const char *parse_digits(const char *p, int *var, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned tmp = (unsigned)(*(p++) - '0');
		if (tmp > 9)
			return NULL;
		*var = *var * 10 + (int)tmp;
	}
	return p;
}

static size_t iso_separator(const char *s, size_t len)
{
	if (len == 7)
		return 7;
	if (s[4] == '-') {
		if (s[5] == 'W') {
			if (len < 8)
				return (size_t)-1;
			if (len > 8 && s[8] == '-') {
				if (len == 9)
					return (size_t)-1;
				if (len > 10 && sopm_is_digit(s[10]))
					return 8;
				return 10;
			}
			return 8;
		}
		return 10;
	}
	if (s[4] == 'W') {
		size_t idx = 7;
		while (idx < len && sopm_is_digit(s[idx]))
			idx++;
		if (idx < 9)
			return idx;
		return idx % 2 == 0 ? 7 : 8;
	}
	return 8;
}

/* Proleptic Gregorian day number of the Monday of ISO week 1. */
static int64_t iso_week1_monday(int year)
{
	int64_t first = fn_tz_days_from_civil(year, 1, 1);
	int wd = (int)(((first + 3) % 7 + 7) % 7); /* Monday = 0 */
	int64_t monday = first - wd;

	return wd > 3 ? monday + 7 : monday;
}

static int iso_date(const char *s, size_t len, struct fn_iso_dt *dt)
{
	const char *p = parse_digits(s, &dt->year, 4);
	int has_sep;

	if (p == NULL)
		return -1;
	has_sep = *p == '-';
	p += has_sep;
	if (*p == 'W') {
		int week = 0, wday = 0;
		p = parse_digits(p + 1, &week, 2);
		if (p == NULL)
			return -1;
		if ((size_t)(p - s) < len) {
			if (has_sep && *(p++) != '-')
				return -1;
			if ((p = parse_digits(p, &wday, 1)) == NULL)
				return -1;
		} else {
			wday = 1;
		}
		if (dt->year < 1) /* ISO year 0 never lands in year 1 */
			return -1;
		if (week <= 0 || week >= 53) {
			int64_t first = fn_tz_days_from_civil(dt->year, 1, 1);
			int wd = (int)(((first + 3) % 7 + 7) % 7);
			if (!(week == 53 &&
			      (wd == 3 ||
			       (wd == 2 && fn_tz_is_leap(dt->year)))))
				return -1;
		}
		if (wday <= 0 || wday >= 8)
			return -1;
		int64_t y, days = iso_week1_monday(dt->year) +
		                  (int64_t)(week - 1) * 7 + wday - 1;
		fn_tz_civil_from_days(days, &y, &dt->month, &dt->day);
		if (y < 1 || y > 9999)
			return -1;
		dt->year = (int)y;
		return 0;
	}
	if ((p = parse_digits(p, &dt->month, 2)) == NULL)
		return -1;
	if (has_sep && *(p++) != '-')
		return -1;
	return parse_digits(p, &dt->day, 2) == NULL ? -1 : 0;
}

/* parse_hh_mm_ss_ff: <0 error, 0 at the end of the string, 1 if more. */
static int iso_hms(const char *p, const char *p_end, int *vals[4])
{
	static const int correction[] = {100000, 10000, 1000, 100, 10};
	int has_sep = 1;

	*vals[0] = *vals[1] = *vals[2] = *vals[3] = 0;
	for (int i = 0; i < 3; i++) {
		if ((p = parse_digits(p, vals[i], 2)) == NULL)
			return -3;
		char c = *(p++);
		if (i == 0)
			has_sep = c == ':';
		if (p >= p_end)
			return c != '\0';
		else if (has_sep && c == ':')
			continue;
		else if (c == '.' || c == ',')
			break;
		else if (!has_sep)
			--p;
		else
			return -4;
	}
	size_t left = (size_t)(p_end - p), n = left >= 6 ? 6 : left;
	if (n == 0 || (p = parse_digits(p, vals[3], n)) == NULL)
		return -3;
	if (n < 6)
		*vals[3] *= correction[n - 1];
	while (sopm_is_digit(*p))
		p++;
	return *p != '\0';
}

static int iso_time(const char *s, size_t len, struct fn_iso_dt *dt)
{
	const char *end = s + len, *tz = s;
	int *vals[4] = {&dt->hour, &dt->minute, &dt->second, &dt->us};
	int rv;

	do {
		if (*tz == 'Z' || *tz == '+' || *tz == '-')
			break;
	} while (++tz < end);
	rv = iso_hms(s, tz, vals);
	if (rv < 0)
		return rv;
	if (tz >= end)
		return rv == 1 ? -5 : 0;
	if (*tz == 'Z') {
		dt->aware = 1;
		dt->off_us = 0;
		return tz[1] != '\0' ? -5 : 0;
	}
	int sign = *tz == '-' ? -1 : 1, h, m, sec, us;
	int *tv[4] = {&h, &m, &sec, &us};
	rv = iso_hms(tz + 1, end, tv);
	if (rv != 0)
		return -5;
	dt->aware = 1;
	/* tzinfo_from_isoformat_results: a zero second offset is UTC, even
	 * with microseconds */
	int64_t secs = (int64_t)h * 3600 + m * 60 + sec;
	dt->off_us = secs == 0 ? 0 : sign * (secs * 1000000 + us);
	if (dt->off_us <= -86400000000LL || dt->off_us >= 86400000000LL)
		return -5;
	return 0;
}

/* The date's fields in range (new_date_ex / new_datetime_ex2). */
static int date_in_range(const struct fn_iso_dt *dt)
{
	return dt->year >= 1 && dt->year <= 9999 && dt->month >= 1 &&
	       dt->month <= 12 && dt->day >= 1 &&
	       dt->day <= fn_tz_days_in_month(dt->year, dt->month);
}

int fn_iso_parse(const char *s, size_t len, struct fn_iso_dt *dt)
{
	size_t sep;

	memset(dt, 0, sizeof(*dt));
	if (len < 7) /* code points >= 7 follows from the parse */
		return -1;
	sep = iso_separator(s, len);
	if (sep == (size_t)-1 || iso_date(s, sep, dt) < 0)
		return -1;
	if (len > sep) {
		/* any one character separates, skipped by its UTF-8 lead byte
		 */
		unsigned char lead = (unsigned char)s[sep];
		size_t skip = lead < 0x80             ? 1
		              : (lead & 0xf0) == 0xe0 ? 3
		              : (lead & 0xf0) == 0xf0 ? 4
		                                      : 2;
		if (sep + skip > len)
			return -1;
		if (iso_time(s + sep + skip, len - sep - skip, dt) < 0)
			return -1;
		dt->has_time = 1;
	}
	if (!date_in_range(dt) || dt->hour > 23 || dt->minute > 59 ||
	    dt->second > 59 || dt->us > 999999)
		return -1;
	return 0;
}

int fn_iso_parse_date(const char *s, size_t len, struct fn_iso_dt *dt)
{
	memset(dt, 0, sizeof(*dt));
	if (len != 7 && len != 8 && len != 10)
		return -1;
	if (iso_date(s, len, dt) < 0 || !date_in_range(dt))
		return -1;
	return 0;
}

/* Python's utcoffset formatting: +HH<sep>MM, then <sep>SS if needed. */
void fn_iso_fmt_offset(char *buf, size_t n, int32_t off, const char *sep)
{
	char sign = off < 0 ? '-' : '+';
	int32_t a = off < 0 ? -off : off;

	if (a % 60)
		snprintf(buf, n, "%c%02d%s%02d%s%02d", sign, a / 3600, sep,
		         a / 60 % 60, sep, a % 60);
	else
		snprintf(buf, n, "%c%02d%s%02d", sign, a / 3600, sep,
		         a / 60 % 60);
}

int64_t fn_iso_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t fn_iso_wall_us(const struct fn_iso_dt *dt)
{
	int64_t days = fn_tz_days_from_civil(dt->year, dt->month, dt->day);
	int64_t s =
	    days * 86400 + dt->hour * 3600 + dt->minute * 60 + dt->second;
	return s * FN_ISO_US_PER_S + dt->us;
}

void fn_iso_format_date(char *buf, size_t n, int64_t days)
{
	int64_t y;
	int m, d;

	fn_tz_civil_from_days(days, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", (int)y, m, d);
}

void fn_iso_format(char *buf, size_t n, int64_t wall_us, int aware,
                   int64_t off_us)
{
	int64_t days = fn_iso_floor_div(wall_us, FN_ISO_US_PER_DAY);
	int64_t rem = wall_us - days * FN_ISO_US_PER_DAY;
	int64_t sod = rem / FN_ISO_US_PER_S;
	int us = (int)(rem % FN_ISO_US_PER_S);
	size_t k;

	fn_iso_format_date(buf, n, days);
	k = strlen(buf);
	k += (size_t)snprintf(buf + k, n - k, "T%02d:%02d:%02d",
	                      (int)(sod / 3600), (int)(sod / 60 % 60),
	                      (int)(sod % 60));
	if (us)
		k += (size_t)snprintf(buf + k, n - k, ".%06d", us);
	if (!aware)
		return;
	/* datetime._format_offset */
	char sign = off_us < 0 ? '-' : '+';
	int64_t a = off_us < 0 ? -off_us : off_us;
	int64_t s = a / FN_ISO_US_PER_S;
	int ous = (int)(a % FN_ISO_US_PER_S);
	k += (size_t)snprintf(buf + k, n - k, "%c%02d:%02d", sign,
	                      (int)(s / 3600), (int)(s / 60 % 60));
	if (s % 60 || ous)
		k += (size_t)snprintf(buf + k, n - k, ":%02d", (int)(s % 60));
	if (ous)
		snprintf(buf + k, n - k, ".%06d", ous);
}

double fn_iso_us_to_seconds(int64_t us)
{
	mpfr_t x, r;
	double d;

	mpfr_init2(x, 64);
	mpfr_init2(r, 53);
	mpfr_set_sj(x, us, MPFR_RNDN); /* exact */
	mpfr_div_ui(r, x, 1000000, MPFR_RNDN);
	d = mpfr_get_d(r, MPFR_RNDN);
	mpfr_clear(x);
	mpfr_clear(r);
	return d;
}
