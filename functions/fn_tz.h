/* fn_tz.h - IANA time zones from the system TZif files, for handlers.
 *
 * A thread-safe port of Python 3.11's zoneinfo: it reads
 * /usr/share/zoneinfo/<name> (the 64-bit v2+ section, or v1), and past the
 * last transition it follows the footer's POSIX TZ rule. Zones are parsed
 * once and cached for the life of the process; the process TZ and
 * tzset() are never touched. Also the proleptic Gregorian calendar helpers
 * that Python's datetime uses. */
#ifndef FN_TZ_H
#define FN_TZ_H

#include <stdint.h>

#include "sopm_err.h"

#define FN_TZ_NAME_MAX 128 /* longest accepted zone name, in bytes */

struct fn_tz;

/* The zone named name (a key like "Europe/Paris": letters, digits, and
 * . _ + - /, relative, normalized, no ".." component). Returns a borrowed
 * zone valid until fn_tz_cache_free(), or NULL with SOPM_E_INVALID_INPUT
 * ("field '<field>' ...") when the name is not a valid zone, or
 * SOPM_E_INTERNAL when out of memory. Thread-safe. */
const struct fn_tz *fn_tz_get(const char *name, const char *field,
                              struct sopm_err *err);

/* UTC offset in seconds at the UTC instant t (seconds since the epoch):
 * ZoneInfo.fromutc(). */
int32_t fn_tz_offset_utc(const struct fn_tz *z, int64_t t);

/* UTC offset in seconds for the wall time `local` (seconds since the epoch
 * on the local clock), with fold 0 (first) or 1 (second) for ambiguous or
 * skipped times: ZoneInfo.utcoffset(). */
int32_t fn_tz_offset_local(const struct fn_tz *z, int64_t local, int fold);

/* Frees every cached zone. Only for process exit and tests: no thread may
 * use a zone afterwards. */
void fn_tz_cache_free(void);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t fn_tz_days_from_civil(int64_t y, int m, int d);

/* The date of a day number (inverse of fn_tz_days_from_civil). */
void fn_tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* 1 if y is a leap year. */
int fn_tz_is_leap(int64_t y);

/* Days in month m (1..12) of year y. */
int fn_tz_days_in_month(int64_t y, int m);

#endif
