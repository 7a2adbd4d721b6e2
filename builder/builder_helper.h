/* builder_helper.h - privilege separation (as in OpenSSH): sopm-builder
 * forks a helper that keeps root and runs the tools that need it (runsc,
 * buildah, skopeo, umoci, mmdebstrap); the daemon itself drops to
 * builder.user and does everything else (MySQL, Redis, the queue). They
 * talk over a socketpair: each message is a 4-byte big-endian length and
 * that many bytes of JSON. The helper takes no paths from the daemon, only
 * ids and data (builder_build.h). */
#ifndef BUILDER_HELPER_H
#define BUILDER_HELPER_H

#include <jansson.h>
#include <sys/types.h>

#include "builder_build.h"
#include "sopm_err.h"

#define BUILDER_MSG_MAX    (32u << 20) /* code and files are <= 1 MiB */
#define BUILDER_HELPER_FDS 4           /* descriptors in one answer */

/* Forks the helper, which serves requests until its socket closes and dies
 * with this process (PR_SET_PDEATHSIG). env is borrowed. Stores the socket
 * in *fd and the helper's pid in *pid. Returns 0, or -1 with
 * SOPM_E_INTERNAL. */
int builder_helper_start(const struct builder_env *env, int *fd, pid_t *pid,
                         struct sopm_err *err);

/* Sends {"op": op, ...req} (req borrowed, may be NULL) and waits for the
 * answer. Returns the helper's result (NEW), or NULL with err:
 * SOPM_E_INTERNAL when the helper failed or is gone. */
json_t *builder_helper_call(int fd, const char *op, const json_t *req,
                            struct sopm_err *err);

/* builder_helper_call for an op that hands over descriptors (SCM_RIGHTS):
 * they are stored in fds, close-on-exec and owned by the caller, and
 * their count in *nfds. */
json_t *builder_helper_call_fds(int fd, const char *op, const json_t *req,
                                int fds[BUILDER_HELPER_FDS], int *nfds,
                                struct sopm_err *err);

#endif
