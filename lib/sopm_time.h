/* sopm_time.h - clocks and the API's time format. */
#ifndef SOPM_TIME_H
#define SOPM_TIME_H

#include <stdint.h>

/* "2026-11-28T23:05:33.123Z" plus NUL. */
#define SOPM_TIME_RFC3339_LEN 25

/* Wall clock, microseconds since the epoch. */
uint64_t sopm_time_now_us(void);

/* Monotonic clock, microseconds. */
uint64_t sopm_time_mono_us(void);

/* Formats epoch microseconds as RFC 3339 UTC with milliseconds into out. */
void sopm_time_rfc3339(uint64_t epoch_us, char out[SOPM_TIME_RFC3339_LEN]);

#endif
