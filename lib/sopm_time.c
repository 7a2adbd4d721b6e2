#include "sopm_time.h"

#include <stdio.h>
#include <time.h>

uint64_t sopm_time_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t sopm_time_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void sopm_time_rfc3339(uint64_t epoch_us, char out[SOPM_TIME_RFC3339_LEN])
{
	/* Formatting the date costs more than the rest of a log line: each
	 * thread keeps the last second it formatted. */
	static __thread time_t cached_secs = -1;
	static __thread char cached[24];
	time_t secs = (time_t)(epoch_us / 1000000u);

	if (secs != cached_secs) {
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_secs = secs;
	}
	snprintf(out, SOPM_TIME_RFC3339_LEN, "%.19s.%03uZ", cached,
	         (unsigned)(epoch_us / 1000u % 1000u));
}
