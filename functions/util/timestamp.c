/* timestamp.c - `timestamp`, following CPython 3.11 exactly:
 * datetime.fromisoformat's C parser (Modules/_datetimemodule.c, quirks
 * included), fromtimestamp's half-even rounding to microseconds, and
 * zoneinfo (fn_tz.c) for zones. */
#include "fn.h"
#include "fn_tz.h"
#include "sopm_ascii.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- timestamp: datetime.fromisoformat (C implementation) --------------- */

struct iso_dt {
	int year, month, day, hour, minute, second, us;
	int aware;
	int64_t off_us; /* UTC offset of an aware time */
};

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

static int iso_date(const char *s, size_t len, struct iso_dt *dt)
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

static int iso_time(const char *s, size_t len, struct iso_dt *dt)
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

static int iso_parse(const char *s, size_t len, struct iso_dt *dt)
{
	size_t sep;

	memset(dt, 0, sizeof(*dt));
	if (len < 7 || strlen(s) != len) /* code points >= bytes >= 7 */
		return -1;
	sep = iso_separator(s, len);
	if (sep == (size_t)-1 || iso_date(s, sep, dt) < 0)
		return -1;
	if (len > sep && iso_time(s + sep + 1, len - sep - 1, dt) < 0)
		return -1;
	/* new_datetime_ex2's range checks */
	if (dt->year < 1 || dt->year > 9999 || dt->month < 1 ||
	    dt->month > 12 || dt->day < 1 ||
	    dt->day > fn_tz_days_in_month(dt->year, dt->month) ||
	    dt->hour > 23 || dt->minute > 59 || dt->second > 59 ||
	    dt->us > 999999)
		return -1;
	return 0;
}

/* ---- timestamp ---------------------------------------------------------- */

#define US_PER_S       1000000LL
#define DT_MIN_S       (-62135596800LL) /* 0001-01-01T00:00:00 */
#define DT_MAX_S       253402300799LL   /* 9999-12-31T23:59:59 */
#define DT_IN_RANGE(s) ((s) >= DT_MIN_S && (s) <= DT_MAX_S)

static int64_t floor_div64(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* _PyTime_RoundHalfEven */
static double round_half_even(double x)
{
	double r = round(x);
	if (fabs(x - r) == 0.5)
		r = 2.0 * round(x / 2.0);
	return r;
}

/* _PyTime_DoubleToDenominator(d, 1e6, ROUND_HALF_EVEN). */
static int double_to_timeval(double d, int64_t *sec, int64_t *us)
{
	double intpart;
	volatile double floatpart = modf(d, &intpart);

	floatpart *= 1e6;
	floatpart = round_half_even(floatpart);
	if (floatpart >= 1e6) {
		floatpart -= 1e6;
		intpart += 1.0;
	} else if (floatpart < 0) {
		floatpart += 1e6;
		intpart -= 1.0;
	}
	if (!(intpart >= (double)DT_MIN_S && intpart <= (double)DT_MAX_S))
		return -1;
	*sec = (int64_t)intpart;
	*us = (int64_t)floatpart;
	return 0;
}

/* The instant (UTC microseconds) and its local offset, as Python gets them
 * for `value`. */
static int ts_resolve(const json_t *v, const struct fn_tz *z, int64_t *utc_us,
                      int32_t *off, struct sopm_err *err)
{
	int64_t sec, us;

	if (v == NULL) { /* datetime.now(tz): the clock, floored to us */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		sec = (int64_t)ts.tv_sec;
		us = ts.tv_nsec / 1000;
	} else if (json_is_integer(v)) {
		sec = json_integer_value(v);
		us = 0;
		if (!DT_IN_RANGE(sec))
			goto range;
	} else if (json_is_real(v)) {
		if (double_to_timeval(json_real_value(v), &sec, &us) < 0)
			goto range;
	} else {
		struct iso_dt dt;
		if (iso_parse(json_string_value(v), json_string_length(v),
		              &dt) < 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'value' is not a valid ISO "
			                    "8601 date and time");
		int64_t wall =
		    fn_tz_days_from_civil(dt.year, dt.month, dt.day) * 86400 +
		    dt.hour * 3600 + dt.minute * 60 + dt.second;
		if (!dt.aware) { /* dt.replace(tzinfo=ZoneInfo(tz)), fold 0 */
			*off = fn_tz_offset_local(z, wall, 0);
			*utc_us = (wall - *off) * US_PER_S + dt.us;
			return 0;
		}
		/* dt.astimezone(ZoneInfo(tz)): to UTC, then fromutc */
		int64_t u = wall * US_PER_S + dt.us - dt.off_us;
		sec = floor_div64(u, US_PER_S);
		us = u - sec * US_PER_S;
		if (!DT_IN_RANGE(sec))
			goto range;
	}
	if (!DT_IN_RANGE(sec))
		goto range;
	*off = fn_tz_offset_utc(z, sec);
	if (!DT_IN_RANGE(sec + *off))
		goto range;
	*utc_us = sec * US_PER_S + us;
	return 0;
range:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'value' is out of range (years 1 to 9999)");
}

/* Python's utcoffset formatting: +HH<sep>MM, then <sep>SS if needed. */
static void fmt_offset(char *buf, size_t n, int32_t off, const char *sep)
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

fn_handler_t fn_timestamp;

int fn_timestamp(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	static const char *const wday_long[] = {
	    "Monday", "Tuesday",  "Wednesday", "Thursday",
	    "Friday", "Saturday", "Sunday"};
	static const char *const wday[] = {"Mon", "Tue", "Wed", "Thu",
	                                   "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
	                                  "May", "Jun", "Jul", "Aug",
	                                  "Sep", "Oct", "Nov", "Dec"};
	const struct fn_tz *z;
	int64_t utc_us = 0, y;
	int32_t off = 0;
	int m, d;
	char frac[8] = "", iso_off[16], rfc_off[16], iso[64], rfc[64];

	(void)ctx;
	const json_t *jtz = json_object_get(in, "tz");
	if (jtz != NULL &&
	    strlen(json_string_value(jtz)) != json_string_length(jtz))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'tz' is not a valid IANA time zone "
		                    "name");
	z = fn_tz_get(jtz != NULL ? json_string_value(jtz) : "UTC", "tz", err);
	if (z == NULL)
		return -1;
	if (ts_resolve(json_object_get(in, "value"), z, &utc_us, &off, err) < 0)
		return -1;
	int64_t local_us = utc_us + (int64_t)off * US_PER_S;
	int64_t ls = floor_div64(local_us, US_PER_S);
	int us = (int)(local_us - ls * US_PER_S);
	int64_t days = floor_div64(ls, 86400), sod = ls - days * 86400;
	int wd = (int)(((days + 3) % 7 + 7) % 7); /* Monday = 0 */
	fn_tz_civil_from_days(days, &y, &m, &d);
	if (us)
		snprintf(frac, sizeof(frac), ".%06d", us);
	fmt_offset(iso_off, sizeof(iso_off), off, ":");
	fmt_offset(rfc_off, sizeof(rfc_off), off, "");
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d%s%s", (int)y,
	         m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
	         frac, iso_off);
	snprintf(rfc, sizeof(rfc), "%s, %02d %s %04d %02d:%02d:%02d %s",
	         wday[wd], d, mon[m - 1], (int)y, (int)(sod / 3600),
	         (int)(sod / 60 % 60), (int)(sod % 60), rfc_off);
	*result = json_pack(
	    "{sIsIssssss}", "epoch", (json_int_t)floor_div64(utc_us, US_PER_S),
	    "epoch_ms", (json_int_t)floor_div64(utc_us, 1000), "iso", iso,
	    "rfc2822", rfc, "weekday", wday_long[wd]);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
}
