/* fcgi_quota.h - the per-user quotas of API.md (429 rate_limited), shared
 * by every worker of every pool through Redis.
 *
 * Rate: a token bucket per API key (sopm:rate:<key id>), refilled at
 * caller->rate_per_s tokens a second up to caller->burst, with Redis's own
 * clock, so all workers and pods draw from one bucket. Concurrency: a
 * counter per user (sopm:running:<user id>) of executions in flight. */
#ifndef FCGI_QUOTA_H
#define FCGI_QUOTA_H

#include "fcgi_http.h"
#include "sopm_err.h"

/* Takes one token from the caller's bucket. Returns 0, or -1 with
 * SOPM_E_RATE_LIMITED and a Retry-After response header (RFC 9110 section
 * 10.2.3, whole seconds, at least 1). When Redis cannot be asked, the
 * request passes (logged): a rate limit is not worth an outage. */
int fcgi_quota_rate(struct fcgi_req *req, struct sopm_err *err);

/* Counts one more execution of the caller's user in flight, when under
 * caller->max_concurrency. Returns 0 (call fcgi_quota_release after), or
 * -1 with SOPM_E_RATE_LIMITED (and Retry-After: 1) or SOPM_E_UNAVAILABLE.
 * The count expires after jobs.timeout_ms plus a minute, so a worker that
 * dies holding one does not hold it for ever. */
int fcgi_quota_acquire(struct fcgi_req *req, struct sopm_err *err);

/* Counts one execution of the caller's user as ended. */
void fcgi_quota_release(struct fcgi_req *req);

#endif
