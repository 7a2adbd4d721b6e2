/* timestamp.c - `timestamp`, following CPython 3.11 exactly:
 * datetime.fromisoformat's C parser (Modules/_datetimemodule.c, quirks
 * included), fromtimestamp's half-even rounding to microseconds, and
 * zoneinfo (fn_tz.c) for zones. */
#include "fn.h"
#include "fn_tz.h"
#include "isotime.h"
#include "sopm_ascii.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
		struct fn_iso_dt dt;
		if (fn_iso_parse(json_string_value(v), json_string_length(v),
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
	fn_iso_fmt_offset(iso_off, sizeof(iso_off), off, ":");
	fn_iso_fmt_offset(rfc_off, sizeof(rfc_off), off, "");
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
