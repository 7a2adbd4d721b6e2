/* executor_local.c - the local backend (executor_backend.h): sandboxes are
 * `runsc run` processes that the root helper starts (executor_root.h); the
 * daemon holds their stdin, stdout and log descriptors. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builder_build.h"
#include "builder_helper.h"
#include "executor_backend.h"
#include "sopm_log.h"

#define LOG_KEEP_MAX                                                           \
	(1 << 20) /* a log file past this is emptied between                   \
	           * calls (its writer appends) */

static struct {
	const struct sopm_config *cfg;
	const atomic_int *stop;
	int helper_fd;
	pthread_mutex_t lock; /* one request at a time on helper_fd */
} local = {.lock = PTHREAD_MUTEX_INITIALIZER};

static json_t *helper(const char *op, json_t *req, int *fds, int *nfds,
                      struct sopm_err *err)
{
	json_t *res;

	if (req == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	pthread_mutex_lock(&local.lock);
	res = builder_helper_call_fds(local.helper_fd, op, req, fds, nfds, err);
	pthread_mutex_unlock(&local.lock);
	json_decref(req);
	return res;
}

static int local_reap(struct sopm_err *err)
{
	json_t *res = helper("sandbox_reap", json_object(), NULL, NULL, err);

	json_decref(res);
	return res ? 0 : -1;
}

static int local_start(struct executor_sandbox *sb,
                       const struct executor_spec *spec, struct sopm_err *err)
{
	int fds[BUILDER_HELPER_FDS], nfds = 0;
	json_t *res =
	    helper("sandbox_start",
	           json_pack("{s:s, s:I, s:I, s:I, s:O?}", "id", sb->id,
	                     "function_id", (json_int_t)spec->function_id,
	                     "version", (json_int_t)spec->version, "memory_mb",
	                     (json_int_t)spec->memory_mb, "env", spec->env),
	           fds, &nfds, err);

	json_decref(res);
	if (res != NULL && nfds == 3) {
		sb->in_fd = fds[0];
		sb->out_fd = fds[1];
		sb->log_fd = fds[2];
		/* The frame calls poll with a deadline: never block. */
		fcntl(sb->in_fd, F_SETFL, O_NONBLOCK);
		fcntl(sb->out_fd, F_SETFL, O_NONBLOCK);
		return 0;
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	if (res != NULL)
		sopm_err_set(err, SOPM_E_INTERNAL,
		             "the helper handed over %d descriptors", nfds);
	return -1;
}

static long long log_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (long long)st.st_size : 0;
}

static long long local_log_mark(struct executor_sandbox *sb)
{
	long long n = log_size(sb->log_fd);

	if (n > LOG_KEEP_MAX && ftruncate(sb->log_fd, 0) == 0)
		return 0;
	return n;
}

static json_t *local_logs_since(struct executor_sandbox *sb, long long mark,
                                size_t max)
{
	long long end = log_size(sb->log_fd);
	size_t n;
	char *buf;
	ssize_t k;
	json_t *text;

	if (end - mark > (long long)max)
		mark = end - (long long)max;
	n = end > mark ? (size_t)(end - mark) : 0;
	buf = malloc(n + 1);
	if (buf == NULL)
		return json_string("");
	k = pread(sb->log_fd, buf, n, mark);
	text = builder_log_json(buf, k > 0 ? (size_t)k : 0);
	free(buf);
	return text;
}

static enum executor_io local_call(struct executor_sandbox *sb,
                                   uint64_t deadline, const char *header,
                                   size_t header_len, const char *body,
                                   size_t body_len,
                                   struct executor_reply *reply)
{
	struct executor_call c = {
	    .in_fd = sb->in_fd,
	    .out_fd = sb->out_fd,
	    .log_fd = sb->log_fd,
	    .deadline = deadline,
	    .max_body = (size_t)local.cfg->executor_max_result_bytes,
	    .max_log = local.cfg->executor_max_log_bytes,
	    .log_start = log_size(sb->log_fd),
	    .stop = local.stop,
	};

	return executor_frame_call(&c, header, header_len, body, body_len,
	                           reply);
}

static int local_settle(struct executor_sandbox *sb, struct sopm_err *err)
{
	json_t *res = helper("sandbox_settle", json_pack("{s:s}", "id", sb->id),
	                     NULL, NULL, err);

	json_decref(res);
	return res ? 0 : -1;
}

static int local_alive(struct executor_sandbox *sb)
{
	struct pollfd p = {sb->out_fd, POLLIN, 0};

	return poll(&p, 1, 0) == 0;
}

static void local_stop(struct executor_sandbox *sb, long wait_ms,
                       struct executor_end *end)
{
	struct sopm_err err;
	json_t *res, *st;

	/* Our ends of the pipes first: a shim that still reads sees EOF. */
	close(sb->in_fd);
	close(sb->out_fd);
	close(sb->log_fd);
	sb->in_fd = sb->out_fd = sb->log_fd = -1;
	res = helper("sandbox_stop",
	             json_pack("{s:s, s:I}", "id", sb->id, "wait_ms",
	                       (json_int_t)wait_ms),
	             NULL, NULL, &err);
	if (res == NULL)
		sopm_logf(SOPM_LOG_WARN, "stopping sandbox %s: %s", sb->id,
		          err.msg);
	if (end != NULL) {
		st = json_object_get(res, "exit_status");
		end->oom = json_is_true(json_object_get(res, "oom"));
		end->exit_status =
		    json_is_integer(st) ? (int)json_integer_value(st) : -1;
	}
	json_decref(res);
}

const struct executor_backend *
executor_local_backend(const struct sopm_config *cfg, int helper_fd,
                       const atomic_int *stop)
{
	static const struct executor_backend backend = {
	    .name = "local",
	    .reap = local_reap,
	    .start = local_start,
	    .call = local_call,
	    .log_mark = local_log_mark,
	    .logs_since = local_logs_since,
	    .settle = local_settle,
	    .alive = local_alive,
	    .stop = local_stop,
	};

	local.cfg = cfg;
	local.helper_fd = helper_fd;
	local.stop = stop;
	return &backend;
}
