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
	time_t secs = (time_t)(epoch_us / 1000000u);
	struct tm tm;

	char buf[24];

	gmtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, SOPM_TIME_RFC3339_LEN, "%.19s.%03uZ", buf,
	         (unsigned)(epoch_us / 1000u % 1000u));
}
