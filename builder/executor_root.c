/* executor_root.c - see executor_root.h. Runs in the root helper, one
 * request at a time. */
#include "executor_root.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builder_sandbox.h"
#include "sopm_log.h"

#define RUN_ROOT    "runsc-run" /* runsc --root of function sandboxes */
#define RUN_DIRS    "sandboxes" /* their bundles: config.json and log */
#define ENV_MAX     128         /* entries: the image's and the function's */
#define WAIT_MAX_MS 1000
#define DRAIN_MS    30000 /* for the deletes at shutdown */
#define MEMORY_MIN  32
#define MEMORY_MAX  1024

/* The `runsc run` processes we started and have not stopped. */
static struct running {
	char id[EXECUTOR_ID_MAX];
	pid_t pid;
	int status; /* -1 while it runs */
} * running;
static size_t n_running, cap_running;

/* Reaps every child that ended: a sandbox's status is kept for its stop;
 * delete children are forgotten. */
static void reap_children(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (size_t i = 0; i < n_running; i++)
			if (running[i].pid == pid)
				running[i].status = WIFEXITED(st)
				                        ? WEXITSTATUS(st)
				                        : 128 + WTERMSIG(st);
}

static struct running *find(const char *id)
{
	for (size_t i = 0; i < n_running; i++)
		if (strcmp(running[i].id, id) == 0)
			return &running[i];
	return NULL;
}

static int valid_id(const char *id)
{
	return id != NULL && id[0] != '\0' && strlen(id) < EXECUTOR_ID_MAX &&
	       strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
	           strlen(id);
}

/* POSIX names, and none that the platform keeps (SOPM_*). */
static int valid_env_name(const char *name)
{
	static const char first[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";

	return name[0] != '\0' && strchr(first, name[0]) != NULL &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
	                    "yz_0123456789") == strlen(name) &&
	       strncmp(name, "SOPM_", 5) != 0;
}

/* The environment: the image's entries, then the function's (strings
 * kept in `keep`, a NEW array the caller frees). */
static int build_env(const json_t *image_env, const json_t *fn_env,
                     const char **envp, json_t *keep, struct sopm_err *err)
{
	size_t n = 0, i;
	const char *name;
	json_t *v;

	json_array_foreach(image_env, i, v)
	{
		if (json_is_string(v) && n < ENV_MAX - 1)
			envp[n++] = json_string_value(v);
	}
	json_object_foreach((json_t *)fn_env, name, v)
	{
		json_t *kv;

		if (!json_is_string(v) || !valid_env_name(name) ||
		    strchr(json_string_value(v), '\0') !=
		        json_string_value(v) + json_string_length(v))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "bad env entry '%s'", name);
		kv = json_sprintf("%s=%s", name, json_string_value(v));
		if (kv == NULL || n >= ENV_MAX - 1 ||
		    json_array_append_new(keep, kv) != 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "too many env entries");
		envp[n++] = json_string_value(kv);
	}
	envp[n] = NULL;
	return 0;
}

json_t *executor_root_start(const struct builder_env *env, const json_t *req,
                            int *fds, int *nfds, struct sopm_err *err)
{
	const struct sopm_config *cfg = env->cfg;
	const char *id = json_string_value(json_object_get(req, "id"));
	json_int_t fid =
	    json_integer_value(json_object_get(req, "function_id"));
	json_int_t ver = json_integer_value(json_object_get(req, "version"));
	json_int_t mem = json_integer_value(json_object_get(req, "memory_mb"));
	char bundle[PATH_MAX], path[PATH_MAX], rootfs[PATH_MAX],
	    run_root[PATH_MAX], run_dir[PATH_MAX];
	const char *argv[32], *envp[ENV_MAX];
	json_t *image, *args, *keep = json_array(), *v, *result = NULL;
	struct builder_sandbox sb;
	size_t i, n = 0;
	pid_t pid;

	reap_children();
	if (!valid_id(id) || find(id) != NULL || fid <= 0 || ver <= 0 ||
	    mem < MEMORY_MIN || mem > MEMORY_MAX) {
		json_decref(keep);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "bad sandbox request"),
		       NULL;
	}
	builder_path_fmt(bundle, sizeof(bundle), "%s/bundles/%lld/v%lld",
	                 env->state, (long long)fid, (long long)ver);
	builder_path_fmt(path, sizeof(path), "%s/config.json", bundle);
	builder_path_fmt(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	builder_path_fmt(run_root, sizeof(run_root), "%s/" RUN_ROOT,
	                 env->state);
	builder_path_fmt(run_dir, sizeof(run_dir), "%s/" RUN_DIRS "/%s",
	                 env->state, id);
	image = json_load_file(path, 0, NULL);
	args = json_object_get(json_object_get(image, "process"), "args");
	json_array_foreach(args, i, v)
	{
		if (json_is_string(v) && n < sizeof(argv) / sizeof(*argv) - 1)
			argv[n++] = json_string_value(v);
	}
	argv[n] = NULL;
	if (image == NULL || n == 0) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "no bundle for version %lld of function %lld",
		             (long long)ver, (long long)fid);
		goto out;
	}
	if (build_env(json_object_get(json_object_get(image, "process"), "env"),
	              json_object_get(req, "env"), envp, keep, err) != 0)
		goto out;
	sb = (struct builder_sandbox){
	    .runsc_root = run_root,
	    .rootfs = rootfs,
	    .argv = argv,
	    .env = envp,
	    .memory_mb = (long)mem,
	    .nproc = cfg->executor_nproc,
	    .cpu_millis =
	        -1, /* the boot is not throttled: executor_root_settle */
	    .tmp_mb = cfg->executor_tmp_mb,
	};
	if (builder_sandbox_spawn(&sb, id, run_dir, &pid, fds, err) != 0)
		goto out;
	if (n_running == cap_running) {
		size_t cap = cap_running ? cap_running * 2 : 64;
		struct running *r = realloc(running, cap * sizeof(*r));

		if (r == NULL) {
			kill(pid, SIGKILL);
			for (int k = 0; k < 3; k++)
				close(fds[k]);
			sopm_err_set(err, SOPM_E_INTERNAL, "no memory");
			goto out;
		}
		running = r;
		cap_running = cap;
	}
	snprintf(running[n_running].id, EXECUTOR_ID_MAX, "%s", id);
	running[n_running].pid = pid;
	running[n_running].status = -1;
	n_running++;
	*nfds = 3;
	result = json_pack("{s:i}", "pid", (int)pid);
out:
	json_decref(image);
	json_decref(keep);
	return result;
}

/* In a child of the helper: kill, delete, remove the folder; never
 * returns. */
static void destroy_in_child(const struct builder_env *env, const char *id)
{
	char run_root[PATH_MAX], run_dir[PATH_MAX], log[PATH_MAX];
	pid_t pid = fork();

	if (pid != 0) /* the helper, or fork failed: it is left to the reap */
		return;
	prctl(PR_SET_NAME, "sopm-sb-delete");
	builder_path_fmt(run_root, sizeof(run_root), "%s/" RUN_ROOT,
	                 env->state);
	builder_path_fmt(run_dir, sizeof(run_dir), "%s/" RUN_DIRS "/%s",
	                 env->state, id);
	builder_path_fmt(log, sizeof(log), "%s/" RUN_DIRS "/%s.delete",
	                 env->state, id);
	builder_sandbox_destroy(run_root, log, id, 1);
	builder_remove_tree(run_dir);
	unlink(log);
	_exit(0);
}

json_t *executor_root_stop(const struct builder_env *env, const json_t *req,
                           struct sopm_err *err)
{
	const char *id = json_string_value(json_object_get(req, "id"));
	json_int_t wait_ms =
	    json_integer_value(json_object_get(req, "wait_ms"));
	struct running *r = valid_id(id) ? find(id) : NULL;
	struct timespec tick = {0, 10 * 1000 * 1000};
	json_t *result;
	int oom;

	if (r == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "no sandbox %s",
		                    id ? id : "(none)"),
		       NULL;
	if (wait_ms > WAIT_MAX_MS)
		wait_ms = WAIT_MAX_MS;
	for (reap_children(); r->status < 0 && wait_ms > 0; wait_ms -= 10) {
		nanosleep(&tick, NULL);
		reap_children();
	}
	oom = builder_sandbox_oom_killed(r->id);
	result =
	    json_pack("{s:b, s:o}", "oom", oom, "exit_status",
	              r->status >= 0 ? json_integer(r->status) : json_null());
	destroy_in_child(env, r->id);
	*r = running[--n_running];
	return result;
}

json_t *executor_root_reap(const struct builder_env *env, const json_t *req,
                           struct sopm_err *err)
{
	char run_root[PATH_MAX], dirs[PATH_MAX], path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d;
	int n;

	(void)req;
	(void)err;
	builder_path_fmt(run_root, sizeof(run_root), "%s/" RUN_ROOT,
	                 env->state);
	builder_path_fmt(dirs, sizeof(dirs), "%s/" RUN_DIRS, env->state);
	n = builder_sandbox_reap(run_root, dirs);
	d = opendir(dirs);
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		builder_path_fmt(path, sizeof(path), "%s/%s", dirs, e->d_name);
		builder_remove_tree(path);
	}
	if (d)
		closedir(d);
	if (n > 0)
		sopm_logf(
		    SOPM_LOG_WARN,
		    "deleted %d function sandboxes left by a previous run", n);
	return json_pack("{s:i}", "sandboxes", n);
}

void executor_root_drain(const struct builder_env *env)
{
	struct timespec tick = {0, 50 * 1000 * 1000};
	int left = DRAIN_MS / 50;

	while (n_running > 0) {
		destroy_in_child(env, running[n_running - 1].id);
		n_running--;
	}
	while (left-- > 0 && waitpid(-1, NULL, WNOHANG) >= 0)
		nanosleep(&tick, NULL);
}

json_t *executor_root_settle(const struct builder_env *env, const json_t *req,
                             struct sopm_err *err)
{
	const char *id = json_string_value(json_object_get(req, "id"));

	if (!valid_id(id) || find(id) == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND, "no sandbox %s",
		                    id ? id : "(none)"),
		       NULL;
	if (builder_sandbox_set_cpu(id, env->cfg->executor_cpu_millis) != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "cannot set the CPU quota of %s", id),
		       NULL;
	return json_object();
}
