#include "sopm_backoff.h"

#include "sopm_time.h"

int sopm_backoff_ready(const struct sopm_backoff *b)
{
	return sopm_time_mono_us() >= b->retry_at_us;
}

void sopm_backoff_failed(struct sopm_backoff *b)
{
	if (b->delay_us == 0)
		b->delay_us = SOPM_BACKOFF_FIRST_US;
	b->retry_at_us = sopm_time_mono_us() + b->delay_us;
	b->delay_us *= 2;
	if (b->delay_us > SOPM_BACKOFF_MAX_US)
		b->delay_us = SOPM_BACKOFF_MAX_US;
}

void sopm_backoff_reset(struct sopm_backoff *b)
{
	b->retry_at_us = 0;
	b->delay_us = 0;
}
