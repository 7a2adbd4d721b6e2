/* dates.c - `date_diff`, `date_add` and `timezone_convert`, as Python 3.11
 * computes them: datetime.fromisoformat (isotime.c) for the inputs,
 * datetime subtraction, dateutil.relativedelta addition (with its float
 * normalization and timedelta's float rounding, CPython's delta_new), and
 * zoneinfo (fn_tz.c) with astimezone(). */
#include "fn.h"
#include "fn_arg.h"
#include "fn_result.h"
#include "fn_tz.h"
#include "isotime.h"

#include <math.h>
#include <string.h>

#define IN_RANGE(us) ((us) >= FN_ISO_MIN_US && (us) <= FN_ISO_MAX_US)

/* The string field `field` of in, parsed as datetime.fromisoformat. */
static int parse_field(const json_t *in, const char *field,
                       struct fn_iso_dt *dt, struct sopm_err *err)
{
	const json_t *v = json_object_get(in, field);

	if (fn_iso_parse(json_string_value(v), json_string_length(v), dt) < 0)
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field '%s' is not an ISO 8601 date or time "
		    "that Python's datetime.fromisoformat reads",
		    field);
	return 0;
}

static json_t *oom(struct sopm_err *err)
{
	sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return NULL;
}

/* ---- date_diff -------------------------------------------------------- */

fn_handler_t fn_date_diff;

int fn_date_diff(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	struct fn_iso_dt a, b;

	if (parse_field(in, "from", &a, err) < 0 ||
	    parse_field(in, "to", &b, err) < 0)
		return -1;
	if (a.aware != b.aware)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "fields 'from' and 'to' mix a time with a "
		                    "UTC offset and one without (Python's "
		                    "TypeError)");
	int64_t td =
	    (fn_iso_wall_us(&b) - b.off_us) - (fn_iso_wall_us(&a) - a.off_us);
	int64_t days = fn_iso_floor_div(td, FN_ISO_US_PER_DAY);
	int64_t rem = td - days * FN_ISO_US_PER_DAY;
	int64_t secs = rem / FN_ISO_US_PER_S, us = rem % FN_ISO_US_PER_S;
	json_t *seconds =
	    us ? fn_result_real(ctx, "seconds",
	                        (double)(secs % 60) + (double)us / 1e6)
	       : json_integer(secs % 60);
	if (seconds == NULL)
		return oom(err), -1;
	*result = json_pack(
	    "{sIsIsIsoso}", "days", (json_int_t)days, "hours",
	    (json_int_t)(secs / 3600), "minutes",
	    (json_int_t)(secs % 3600 / 60), "seconds", seconds, "total_seconds",
	    fn_result_real(ctx, "total_seconds", fn_iso_us_to_seconds(td)));
	if (*result == NULL)
		return oom(err), -1;
	return 0;
}

/* ---- date_add: dateutil.relativedelta --------------------------------- */

/* Python's divmod(x, y) of floats (float_divmod). */
static void py_divmod(double vx, double wx, double *q, double *r)
{
	double mod = fmod(vx, wx), div = (vx - mod) / wx, floordiv;

	if (mod) {
		if ((wx < 0) != (mod < 0)) {
			mod += wx;
			div -= 1.0;
		}
	} else {
		mod = copysign(0.0, wx);
	}
	if (div) {
		floordiv = floor(div);
		if (div - floordiv > 0.5)
			floordiv += 1.0;
	} else {
		floordiv = copysign(0.0, vx / wx);
	}
	*q = floordiv;
	*r = mod;
}

/* One step of relativedelta._fix: carry *v beyond +-limit into *up. */
static void rd_carry(double *v, double *up, double limit, double base)
{
	if (fabs(*v) > limit) {
		double s = copysign(1.0, *v), div, mod;
		py_divmod(*v * s, base, &div, &mod);
		*v = mod * s;
		*up += div * s;
	}
}

/* CPython's delta_new accum(): the integer part exactly, the fraction
 * through a double into *leftover. */
static void td_accum(int64_t *sum, double num, int64_t factor, double *leftover)
{
	double ip, fp = modf(num, &ip);

	*sum += (int64_t)ip * factor;
	if (fp == 0.0)
		return;
	double d = (double)factor * fp;
	fp = modf(d, &ip);
	*sum += (int64_t)ip;
	*leftover += fp;
}

/* timedelta(days, hours, minutes, seconds) in microseconds (microseconds
 * is always 0 here). */
static int64_t td_new(double days, double hours, double minutes, double seconds)
{
	int64_t sum = 0;
	double left = 0.0;

	td_accum(&sum, seconds, 1000000, &left);
	td_accum(&sum, minutes, 60000000, &left);
	td_accum(&sum, hours, 3600000000LL, &left);
	td_accum(&sum, days, 86400000000LL, &left);
	if (left != 0.0) {
		double whole = round(left);
		if (fabs(whole - left) == 0.5) {
			int odd = (int)(sum & 1);
			whole = 2.0 * round((left + odd) * 0.5) - odd;
		}
		sum += (int64_t)whole;
	}
	return sum;
}

struct rd {
	double years, months, days, hours, minutes, seconds;
};

static int rd_read(const json_t *in, struct rd *rd, struct sopm_err *err)
{
	rd->years = fn_arg_num(in, "years", 0);
	rd->months = fn_arg_num(in, "months", 0);
	rd->days = fn_arg_num(in, "days", 0);
	rd->hours = fn_arg_num(in, "hours", 0);
	rd->minutes = fn_arg_num(in, "minutes", 0);
	rd->seconds = fn_arg_num(in, "seconds", 0);
	if (rd->years != trunc(rd->years))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'years' must be a whole number "
		                    "(relativedelta)");
	if (rd->months != trunc(rd->months))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'months' must be a whole number "
		                    "(relativedelta)");
	/* relativedelta._fix (microseconds are 0 and stay so) */
	rd_carry(&rd->seconds, &rd->minutes, 59, 60);
	rd_carry(&rd->minutes, &rd->hours, 59, 60);
	rd_carry(&rd->hours, &rd->days, 23, 24);
	rd_carry(&rd->months, &rd->years, 11, 12);
	return 0;
}

fn_handler_t fn_date_add;

int fn_date_add(const json_t *in, json_t **result, struct fn_ctx *ctx,
                struct sopm_err *err)
{
	struct fn_iso_dt dt;
	struct rd rd;
	char buf[64];

	(void)ctx;
	const json_t *jd = json_object_get(in, "date");
	/* date.fromisoformat first, then datetime.fromisoformat */
	if (fn_iso_parse_date(json_string_value(jd), json_string_length(jd),
	                      &dt) < 0 &&
	    parse_field(in, "date", &dt, err) < 0)
		return -1;
	if (rd_read(in, &rd, err) < 0)
		return -1;
	int has_time = rd.hours != 0 || rd.minutes != 0 || rd.seconds != 0;
	/* year and month first; then the day clamps to the month's end */
	int64_t mon = (int64_t)dt.year * 12 + (dt.month - 1) +
	              (int64_t)rd.years * 12 + (int64_t)rd.months;
	int64_t year = fn_iso_floor_div(mon, 12);
	int month = (int)(mon - year * 12) + 1;
	if (year < 1 || year > 9999)
		goto range;
	int dim = fn_tz_days_in_month(year, month);
	struct fn_iso_dt r = dt;
	r.year = (int)year;
	r.month = month;
	r.day = dt.day < dim ? dt.day : dim;
	int64_t wall = fn_iso_wall_us(&r);
	int64_t delta = td_new(rd.days, rd.hours, rd.minutes, rd.seconds);
	if (!dt.has_time && !has_time) { /* date + timedelta: whole days */
		wall += fn_iso_floor_div(delta, FN_ISO_US_PER_DAY) *
		        FN_ISO_US_PER_DAY;
		if (!IN_RANGE(wall))
			goto range;
		fn_iso_format_date(buf, sizeof(buf),
		                   fn_iso_floor_div(wall, FN_ISO_US_PER_DAY));
	} else {
		wall += delta;
		if (!IN_RANGE(wall))
			goto range;
		fn_iso_format(buf, sizeof(buf), wall, dt.aware, dt.off_us);
	}
	*result = json_string(buf);
	if (*result == NULL)
		return oom(err), -1;
	return 0;
range:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'date' moved by the offsets leaves the "
	                    "years 1 to 9999");
}

/* ---- timezone_convert ------------------------------------------------- */

static const struct fn_tz *zone_field(const json_t *in, const char *field,
                                      struct sopm_err *err)
{
	const json_t *v = json_object_get(in, field);

	if (strlen(json_string_value(v)) != json_string_length(v)) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "field '%s' is not a valid IANA time zone name",
		             field);
		return NULL;
	}
	return fn_tz_get(json_string_value(v), field, err);
}

fn_handler_t fn_timezone_convert;

int fn_timezone_convert(const json_t *in, json_t **result, struct fn_ctx *ctx,
                        struct sopm_err *err)
{
	struct fn_iso_dt dt;
	const struct fn_tz *from, *to;
	char buf[64];

	(void)ctx;
	if (parse_field(in, "time", &dt, err) < 0)
		return -1;
	if ((from = zone_field(in, "from_tz", err)) == NULL ||
	    (to = zone_field(in, "to_tz", err)) == NULL)
		return -1;
	int64_t wall = fn_iso_wall_us(&dt), utc;
	int64_t wall_s = fn_iso_floor_div(wall, FN_ISO_US_PER_S);
	if (!dt.aware) { /* dt.replace(tzinfo=ZoneInfo(from_tz)), fold 0 */
		int32_t off = fn_tz_offset_local(from, wall_s, 0);
		if (strcmp(json_string_value(json_object_get(in, "from_tz")),
		           json_string_value(json_object_get(in, "to_tz"))) ==
		    0) {
			/* the same cached ZoneInfo: astimezone returns self */
			fn_iso_format(buf, sizeof(buf), wall, 1,
			              (int64_t)off * FN_ISO_US_PER_S);
			goto done;
		}
		utc = wall - (int64_t)off * FN_ISO_US_PER_S;
	} else {
		utc = wall - dt.off_us;
	}
	if (!IN_RANGE(utc))
		goto range;
	int32_t off =
	    fn_tz_offset_utc(to, fn_iso_floor_div(utc, FN_ISO_US_PER_S));
	int64_t local = utc + (int64_t)off * FN_ISO_US_PER_S;
	if (!IN_RANGE(local))
		goto range;
	fn_iso_format(buf, sizeof(buf), local, 1,
	              (int64_t)off * FN_ISO_US_PER_S);
done:
	*result = json_string(buf);
	if (*result == NULL)
		return oom(err), -1;
	return 0;
range:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'time' converted leaves the years 1 to "
	                    "9999");
}
