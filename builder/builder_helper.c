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

#include "sopm_log.h"

typedef json_t *(*op_fn)(const struct builder_env *env, const json_t *req,
                         struct sopm_err *err);

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
} ops[] = {
    {"build", builder_build},
    {"remove", builder_remove},
    {"list", op_list},
    {"recover", op_recover},
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

static int send_msg(int fd, const json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t n = text ? strlen(text) : 0;
	unsigned char len[4] = {n >> 24, n >> 16, n >> 8, n};
	int rc = text && n <= BUILDER_MSG_MAX && full_io(fd, len, 4, 1) == 0 &&
	                 full_io(fd, text, n, 1) == 0
	             ? 0
	             : -1;

	free(text);
	return rc;
}

/* NULL at EOF or on a broken message. */
static json_t *recv_msg(int fd)
{
	unsigned char len[4];
	uint32_t n;
	char *text;
	json_t *msg = NULL;

	if (full_io(fd, len, 4, 0) != 0)
		return NULL;
	n = (uint32_t)len[0] << 24 | (uint32_t)len[1] << 16 |
	    (uint32_t)len[2] << 8 | len[3];
	if (n > BUILDER_MSG_MAX || (text = malloc(n)) == NULL)
		return NULL;
	if (full_io(fd, text, n, 0) == 0)
		msg = json_loadb(text, n, 0, NULL);
	free(text);
	return msg;
}

static json_t *dispatch(const struct builder_env *env, const json_t *req)
{
	const char *op = json_string_value(json_object_get(req, "op"));
	struct sopm_err err = {SOPM_E_INTERNAL, "unknown op"};
	json_t *result = NULL;

	for (size_t i = 0; op && i < sizeof(ops) / sizeof(*ops); i++)
		if (strcmp(ops[i].op, op) == 0) {
			result = ops[i].fn(env, req, &err);
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

	while ((req = recv_msg(fd)) != NULL) {
		json_t *answer = dispatch(env, req);

		json_decref(req);
		if (answer == NULL || send_msg(fd, answer) != 0) {
			json_decref(answer);
			break;
		}
		json_decref(answer);
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
		_exit(0);
	}
	close(sv[1]);
	*fd = sv[0];
	return 0;
}

json_t *builder_helper_call(int fd, const char *op, const json_t *req,
                            struct sopm_err *err)
{
	json_t *msg = req ? json_deep_copy(req) : json_object();
	json_t *answer, *result;

	if (msg == NULL ||
	    json_object_set_new(msg, "op", json_string(op)) != 0) {
		json_decref(msg);
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	}
	if (send_msg(fd, msg) != 0 || (answer = recv_msg(fd)) == NULL) {
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
