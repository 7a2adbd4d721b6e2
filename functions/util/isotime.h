/* isotime.h - Python 3.11's datetime.fromisoformat and isoformat() for the
 * date functions of util (timestamp, date_diff, date_add,
 * timezone_convert, cron_next). Times are counted in microseconds since
 * 1970-01-01T00:00:00 on the proleptic Gregorian calendar. */
#ifndef FN_ISOTIME_H
#define FN_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define FN_ISO_US_PER_S   1000000LL
#define FN_ISO_US_PER_DAY 86400000000LL
#define FN_ISO_MIN_S      (-62135596800LL) /* 0001-01-01T00:00:00 */
#define FN_ISO_MAX_S      253402300799LL   /* 9999-12-31T23:59:59 */
#define FN_ISO_MIN_US     (FN_ISO_MIN_S * FN_ISO_US_PER_S)
#define FN_ISO_MAX_US     (FN_ISO_MAX_S * FN_ISO_US_PER_S + 999999)

struct fn_iso_dt {
	int year, month, day, hour, minute, second, us;
	int aware;
	int64_t off_us; /* UTC offset of an aware time */
	int has_time;   /* the string had a time part (not a date alone) */
};

/* Parses s (len bytes) as datetime.fromisoformat does. Returns 0, or -1
 * when Python would raise ValueError. */
int fn_iso_parse(const char *s, size_t len, struct fn_iso_dt *dt);

/* Parses s (len bytes) as date.fromisoformat does (which reads the date
 * from a string of 7, 8 or 10 bytes and ignores what follows it). Returns
 * 0, or -1 when Python would raise ValueError. */
int fn_iso_parse_date(const char *s, size_t len, struct fn_iso_dt *dt);

/* The wall-clock time of dt in microseconds (the offset not applied). */
int64_t fn_iso_wall_us(const struct fn_iso_dt *dt);

/* us / 10**6 as Python's int true division: correctly rounded (what
 * timedelta.total_seconds() and croniter's timestamps give). */
double fn_iso_us_to_seconds(int64_t us);

/* Floor division. */
int64_t fn_iso_floor_div(int64_t a, int64_t b);

/* Python's utcoffset formatting of whole seconds: +HH<sep>MM, then
 * <sep>SS if needed. */
void fn_iso_fmt_offset(char *buf, size_t n, int32_t off, const char *sep);

/* datetime.isoformat() of the wall time wall_us (in range), with the
 * offset off_us when aware: YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM[:SS[.f]]].
 * buf holds at least 48 bytes. */
void fn_iso_format(char *buf, size_t n, int64_t wall_us, int aware,
                   int64_t off_us);

/* date.isoformat() of a day number: YYYY-MM-DD. */
void fn_iso_format_date(char *buf, size_t n, int64_t days);

#endif
