/* sopm_backoff.h - pacing of reconnects to a service that is down (Redis,
 * MariaDB): after a failure, callers get "unavailable" at once instead of
 * waiting for another connect timeout, and the delay doubles up to a cap.
 * Plain data, owned by the connection that embeds it (one thread). */
#ifndef SOPM_BACKOFF_H
#define SOPM_BACKOFF_H

#include <stdint.h>

#define SOPM_BACKOFF_FIRST_US 100000  /* delay after the first failure */
#define SOPM_BACKOFF_MAX_US   1000000 /* the delay never grows past this */

struct sopm_backoff {
	uint64_t retry_at_us; /* monotonic; 0: try now */
	uint64_t delay_us;    /* the next delay; 0: no failure yet */
};

/* True when a connect may be tried now. */
int sopm_backoff_ready(const struct sopm_backoff *b);

/* Records a failed connect: no try before the current delay has passed. */
void sopm_backoff_failed(struct sopm_backoff *b);

/* Records a success: the next failure starts from the first delay. */
void sopm_backoff_reset(struct sopm_backoff *b);

#endif
