/* builder_helper.c - see builder_helper.h. */
#include "builder_helper.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "executor_root.h"
#include "sopm_log.h"

typedef json_t *(*op_fn)(const struct builder_env *env, const json_t *req,
                         struct sopm_err *err);
typedef json_t *(*op_fd_fn)(const struct builder_env *env, const json_t *req,
                            int *fds, int *nfds, struct sopm_err *err);

static json_t *op_list(const struct builder_env *env, const json_t *req,
                       struct sopm_err *err)
{
	(void)req;
	return builder_list(env, err);
}

static json_t *op_recover(const struct builder_env *env, const json_t *req,
                          struct sopm_err *err)
{
	(void)req;
	return builder_recover(env, err);
}

/* What the helper does, by name. */
static const struct {
	const char *op;
	op_fn fn;
	op_fd_fn fd_fn; /* when the answer hands over descriptors */
} ops[] = {
    {"build", builder_build, NULL},
    {"remove", builder_remove, NULL},
    {"list", op_list, NULL},
    {"recover", op_recover, NULL},
    {"sandbox_start", NULL, executor_root_start},
    {"sandbox_settle", executor_root_settle, NULL},
    {"sandbox_stop", executor_root_stop, NULL},
    {"sandbox_reap", executor_root_reap, NULL},
};

static int full_io(int fd, void *buf, size_t n, int writing)
{
	char *p = buf;

	while (n > 0) {
		ssize_t k =
		    writing ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Sends msg, with nfds descriptors (SCM_RIGHTS) beside its first byte. */
static int send_msg(int fd, const json_t *msg, const int *fds, int nfds)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t n = text ? strlen(text) : 0;
	unsigned char len[4] = {n >> 24, n >> 16, n >> 8, n};
	union {
		char buf[CMSG_SPACE(sizeof(int) * BUILDER_HELPER_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {len, 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t k;
	int rc = -1;

	if (text == NULL || n > BUILDER_MSG_MAX)
		goto out;
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	while ((k = sendmsg(fd, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (k == 1 && full_io(fd, len + 1, 3, 1) == 0 &&
	    full_io(fd, text, n, 1) == 0)
		rc = 0;
out:
	free(text);
	return rc;
}

/* NULL at EOF or on a broken message. Descriptors that came with it go to
 * fds (up to BUILDER_HELPER_FDS, close-on-exec; the count in *nfds, which
 * may be NULL when none are expected: extra ones are closed). */
static json_t *recv_msg(int fd, int *fds, int *nfds)
{
	unsigned char len[4];
	union {
		char buf[CMSG_SPACE(sizeof(int) * BUILDER_HELPER_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {len, 1};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = u.buf,
	                    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	uint32_t n;
	char *text;
	json_t *msg = NULL;
	ssize_t k;
	int got = 0;

	while ((k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	for (c = k == 1 ? CMSG_FIRSTHDR(&mh) : NULL; c;
	     c = CMSG_NXTHDR(&mh, c)) {
		int m = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

		for (int i = 0; c->cmsg_type == SCM_RIGHTS && i < m; i++) {
			int d;

			memcpy(&d, CMSG_DATA(c) + sizeof(int) * (size_t)i,
			       sizeof(int));
			if (nfds != NULL && got < BUILDER_HELPER_FDS)
				fds[got++] = d;
			else
				close(d);
		}
	}
	if (nfds != NULL)
		*nfds = got;
	if (k != 1 || full_io(fd, len + 1, 3, 0) != 0)
		goto fail;
	n = (uint32_t)len[0] << 24 | (uint32_t)len[1] << 16 |
	    (uint32_t)len[2] << 8 | len[3];
	if (n > BUILDER_MSG_MAX || (text = malloc(n)) == NULL)
		goto fail;
	if (full_io(fd, text, n, 0) == 0)
		msg = json_loadb(text, n, 0, NULL);
	free(text);
	if (msg != NULL)
		return msg;
fail:
	for (int i = 0; i < got; i++)
		close(fds[i]);
	if (nfds != NULL)
		*nfds = 0;
	return NULL;
}

/* Runs req's op. Descriptors it hands over go to fds (*nfds of them). */
static json_t *dispatch(const struct builder_env *env, const json_t *req,
                        int *fds, int *nfds)
{
	const char *op = json_string_value(json_object_get(req, "op"));
	struct sopm_err err = {SOPM_E_INTERNAL, "unknown op"};
	json_t *result = NULL;

	for (size_t i = 0; op && i < sizeof(ops) / sizeof(*ops); i++)
		if (strcmp(ops[i].op, op) == 0) {
			result = ops[i].fn
			             ? ops[i].fn(env, req, &err)
			             : ops[i].fd_fn(env, req, fds, nfds, &err);
			break;
		}
	if (result == NULL)
		return json_pack("{s:s}", "error", err.msg);
	return json_pack("{s:o}", "result", result)
	           ?: json_pack("{s:s}", "error", "no memory");
}

static void serve(const struct builder_env *env, int fd)
{
	json_t *req;

	while ((req = recv_msg(fd, NULL, NULL)) != NULL) {
		int fds[BUILDER_HELPER_FDS], nfds = 0, rc;
		json_t *answer = dispatch(env, req, fds, &nfds);

		json_decref(req);
		rc = answer ? send_msg(fd, answer, fds, nfds) : -1;
		for (int i = 0; i < nfds; i++) /* the daemon has its own */
			close(fds[i]);
		json_decref(answer);
		if (rc != 0)
			break;
	}
}

int builder_helper_start(const struct builder_env *env, int *fd, pid_t *pid,
                         struct sopm_err *err)
{
	int sv[2];
	pid_t parent = getpid();

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "socketpair: %s",
		                    strerror(errno));
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return sopm_err_set(err, SOPM_E_INTERNAL, "fork: %s",
		                    strerror(errno));
	}
	if (*pid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		prctl(PR_SET_NAME, "sopm-builder-root");
		serve(env, sv[1]);
		executor_root_drain(env);
		_exit(0);
	}
	close(sv[1]);
	*fd = sv[0];
	return 0;
}

json_t *builder_helper_call_fds(int fd, const char *op, const json_t *req,
                                int fds[BUILDER_HELPER_FDS], int *nfds,
                                struct sopm_err *err)
{
	json_t *msg = req ? json_deep_copy(req) : json_object();
	json_t *answer, *result;

	if (nfds != NULL)
		*nfds = 0;
	if (msg == NULL ||
	    json_object_set_new(msg, "op", json_string(op)) != 0) {
		json_decref(msg);
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	}
	if (send_msg(fd, msg, NULL, 0) != 0 ||
	    (answer = recv_msg(fd, fds, nfds)) == NULL) {
		json_decref(msg);
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "the root helper is gone"),
		       NULL;
	}
	json_decref(msg);
	result = json_incref(json_object_get(answer, "result"));
	if (result == NULL)
		sopm_err_set(err, SOPM_E_INTERNAL, "%s",
		             json_string_value(json_object_get(answer, "error"))
		                 ?: "no answer");
	json_decref(answer);
	return result;
}

json_t *builder_helper_call(int fd, const char *op, const json_t *req,
                            struct sopm_err *err)
{
	return builder_helper_call_fds(fd, op, req, NULL, NULL, err);
}
