/* builder_sandbox.c - see builder_sandbox.h. */
#include "builder_sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sopm_log.h"

#define CGROUP_PARENT "/sopm-builder"
#define CGROUP_FS     "/sys/fs/cgroup"
#define PIDS_LIMIT    1024
#define NOFILE_LIMIT  1024
#define TMP_MB        64
#define CPU_PERIOD_US 100000
#define RUNSC_TIMEOUT 30000 /* kill, delete, list */
#define RUNSC_OPTS(root)                                                       \
	"runsc", "--root", (root), "--platform=ptrace", "--network=none"

static json_t *mount_of(const char *dest, const char *type, const char *src,
                        json_t *options)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", dest, "type",
	                 type, "source", src, "options", options);
}

static json_t *bind_of(const char *dest, const char *src, const char *mode)
{
	return mount_of(
	    dest, "bind", src,
	    json_pack("[s,s,s,s]", "rbind", mode, "nosuid", "nodev"));
}

json_t *builder_sandbox_config(const struct builder_sandbox *sb, const char *id)
{
	static const char *const default_env[] = {
	    "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8",
	    NULL};
	const char *const *envp = sb->env ? sb->env : default_env;
	char cgroup[128], tmp_size[32];
	json_t *args = json_array(), *env = json_array(), *mounts, *cfg, *caps;

	for (int i = 0; sb->argv[i]; i++)
		json_array_append_new(args, json_string(sb->argv[i]));
	for (int i = 0; envp[i]; i++)
		json_array_append_new(env, json_string(envp[i]));
	snprintf(tmp_size, sizeof(tmp_size), "size=%dm",
	         sb->tmp_mb > 0 ? sb->tmp_mb : TMP_MB);
	mounts = json_pack(
	    "[o,o,o,o]", mount_of("/proc", "proc", "proc", json_array()),
	    mount_of("/dev", "tmpfs", "tmpfs",
	             json_pack("[s,s,s]", "nosuid", "mode=755", "size=65536k")),
	    mount_of("/sys", "sysfs", "sysfs",
	             json_pack("[s,s,s,s]", "nosuid", "noexec", "nodev", "ro")),
	    mount_of("/tmp", "tmpfs", "tmpfs",
	             json_pack("[s,s,s,s]", "nosuid", "nodev", "mode=1777",
	                       tmp_size)));
	if (mounts && sb->fn_dir)
		json_array_append_new(mounts, bind_of("/fn", sb->fn_dir, "ro"));
	if (mounts && sb->out_dir)
		json_array_append_new(mounts,
		                      bind_of("/out", sb->out_dir, "rw"));
	caps = json_pack("{s:[],s:[],s:[],s:[],s:[]}", "bounding", "effective",
	                 "inheritable", "permitted", "ambient");
	snprintf(cgroup, sizeof(cgroup), CGROUP_PARENT "/%s", id);
	cfg = json_pack(
	    "{s:s, s:{s:b, s:{s:i,s:i}, s:o, s:o, s:s, s:o, s:[{s:s,s:i,"
	    "s:i},{s:s,s:i,s:i}], s:b}, s:{s:s,s:b}, s:s, s:o, s:{s:[{s:s},"
	    "{s:s},{s:s},{s:s},{s:s}], s:{s:{s:I}, s:{s:i}, s:{s:I,s:I}}, "
	    "s:s}}",
	    "ociVersion", "1.0.2", "process", "terminal", 0, "user", "uid",
	    BUILDER_SANDBOX_UID, "gid", BUILDER_SANDBOX_UID, "args", args,
	    "env", env, "cwd", sb->cwd ? sb->cwd : "/tmp", "capabilities", caps,
	    "rlimits", "type", "RLIMIT_NPROC", "hard", sb->nproc, "soft",
	    sb->nproc, "type", "RLIMIT_NOFILE", "hard", NOFILE_LIMIT, "soft",
	    NOFILE_LIMIT, "noNewPrivileges", 1, "root", "path", sb->rootfs,
	    "readonly", 1, "hostname", "sandbox", "mounts", mounts, "linux",
	    "namespaces", "type", "pid", "type", "network", "type", "ipc",
	    "type", "uts", "type", "mount", "resources", "memory", "limit",
	    (json_int_t)sb->memory_mb << 20, "pids", "limit", PIDS_LIMIT, "cpu",
	    "quota",
	    (json_int_t)CPU_PERIOD_US *
	        (sb->cpu_millis > 0 ? sb->cpu_millis : 1000) / 1000,
	    "period", (json_int_t)CPU_PERIOD_US, "cgroupsPath", cgroup);
	if (cfg != NULL && sb->cpu_millis < 0) /* set later: set_cpu */
		json_object_del(
		    json_object_get(json_object_get(cfg, "linux"), "resources"),
		    "cpu");
	return cfg;
}

/* Runs `runsc ... VERB ID [extra]` and forgets the outcome. */
static void runsc_quiet(const char *root, const char *log, const char *verb,
                        const char *id, const char *extra)
{
	const char *argv[] = {
	    RUNSC_OPTS(root), verb, "--force", id, NULL, NULL};
	struct builder_exec_result res;
	struct sopm_err err;

	if (strcmp(verb, "delete") != 0) { /* kill ID SIGNAL */
		argv[6] = id;
		argv[7] = extra;
	}
	builder_exec(argv, NULL, log, RUNSC_TIMEOUT, 0, &res, &err);
}

/* Removes /sys/fs/cgroup/<controller>/sopm-builder/<id> where left. */
static void remove_cgroups(const char *id)
{
	DIR *d = opendir(CGROUP_FS);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
		         CGROUP_FS "/%s" CGROUP_PARENT "/%s", e->d_name, id);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

/* Writes cfg as run_dir/config.json (run_dir made 0700). */
static int write_config(const struct builder_sandbox *sb, const char *id,
                        const char *run_dir, struct sopm_err *err)
{
	char path[512];
	json_t *cfg = builder_sandbox_config(sb, id);
	int rc;

	snprintf(path, sizeof(path), "%s/config.json", run_dir);
	if (cfg == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory");
	rc = (mkdir(run_dir, 0700) == 0 || errno == EEXIST) &&
	             json_dump_file(cfg, path, JSON_INDENT(1)) == 0
	         ? 0
	         : sopm_err_set(err, SOPM_E_INTERNAL, "cannot write %s", path);
	json_decref(cfg);
	return rc;
}

int builder_sandbox_run(const struct builder_sandbox *sb, const char *id,
                        const char *run_dir, size_t tail,
                        struct builder_exec_result *res, struct sopm_err *err)
{
	char out_path[512], runsc_log[512];
	const char *argv[] = {
	    RUNSC_OPTS(sb->runsc_root), "run", "--bundle", run_dir, id, NULL};
	int rc;

	memset(res, 0, sizeof(*res));
	snprintf(out_path, sizeof(out_path), "%s/output", run_dir);
	snprintf(runsc_log, sizeof(runsc_log), "%s/runsc.log", run_dir);
	if (write_config(sb, id, run_dir, err) != 0)
		return -1;
	unlink(out_path);
	/* runsc's own messages and the process's output share the file: a
	 * sandbox that cannot start says why in the build log. */
	rc = builder_exec(argv, NULL, out_path, sb->timeout_ms, tail, res, err);
	builder_sandbox_destroy(sb->runsc_root, runsc_log, id, res->timed_out);
	return rc;
}

void builder_sandbox_destroy(const char *runsc_root, const char *log,
                             const char *id, int kill_first)
{
	if (kill_first)
		runsc_quiet(runsc_root, log, "kill", id, "KILL");
	runsc_quiet(runsc_root, log, "delete", id, NULL);
	remove_cgroups(id);
}

int builder_sandbox_spawn(const struct builder_sandbox *sb, const char *id,
                          const char *run_dir, pid_t *pid, int fds[3],
                          struct sopm_err *err)
{
	char log_path[512];
	const char *argv[] = {
	    RUNSC_OPTS(sb->runsc_root), "run", "--bundle", run_dir, id, NULL};
	int in[2] = {-1, -1}, out[2] = {-1, -1}, log_fd;
	pid_t parent = getpid();

	if (write_config(sb, id, run_dir, err) != 0)
		return -1;
	snprintf(log_path, sizeof(log_path), "%s/log", run_dir);
	log_fd = open(log_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (log_fd < 0 || pipe2(in, O_CLOEXEC) != 0 ||
	    pipe2(out, O_CLOEXEC) != 0 || (*pid = fork()) < 0) {
		sopm_err_set(err, SOPM_E_INTERNAL, "cannot start runsc: %s",
		             strerror(errno));
		goto fail;
	}
	if (*pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || dup2(in[0], 0) < 0 ||
		    dup2(out[1], 1) < 0 || dup2(log_fd, 2) < 0)
			_exit(127);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	fds[0] = in[1];
	fds[1] = out[0];
	fds[2] = log_fd;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	if (log_fd >= 0)
		close(log_fd);
	return -1;
}

/* Writes text to the file at path. Returns 0, or -1. */
static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	int rc = f != NULL && fputs(text, f) >= 0 ? 0 : -1;

	if (f != NULL && fclose(f) != 0)
		rc = -1;
	return rc;
}

int builder_sandbox_set_cpu(const char *id, int cpu_millis)
{
	char path[512], text[64];
	long quota = (long)CPU_PERIOD_US * cpu_millis / 1000;
	int rc;

	snprintf(path, sizeof(path),
	         CGROUP_FS "/cpu" CGROUP_PARENT "/%s/cpu.cfs_quota_us", id);
	snprintf(text, sizeof(text), "%ld", quota);
	rc = write_file(path, text);
	if (rc != 0) { /* cgroup v2 */
		snprintf(path, sizeof(path),
		         CGROUP_FS CGROUP_PARENT "/%s/cpu.max", id);
		snprintf(text, sizeof(text), "%ld %d", quota, CPU_PERIOD_US);
		rc = write_file(path, text);
	}
	return rc;
}

/* The number after `key` in the file at path, or 0. */
static long long file_counter(const char *path, const char *key)
{
	FILE *f = fopen(path, "re");
	char name[64];
	long long n, found = 0;

	while (f && fscanf(f, "%63s %lld", name, &n) == 2)
		if (strcmp(name, key) == 0)
			found = n;
	if (f)
		fclose(f);
	return found;
}

int builder_sandbox_oom_killed(const char *id)
{
	char path[512];

	snprintf(path, sizeof(path),
	         CGROUP_FS "/memory" CGROUP_PARENT "/%s/memory.oom_control",
	         id);
	if (file_counter(path, "oom_kill") > 0)
		return 1;
	snprintf(path, sizeof(path),
	         CGROUP_FS "/unified" CGROUP_PARENT "/%s/memory.events", id);
	if (file_counter(path, "oom_kill") > 0)
		return 1;
	snprintf(path, sizeof(path),
	         CGROUP_FS CGROUP_PARENT "/%s/memory.events", id);
	return file_counter(path, "oom_kill") > 0;
}

int builder_sandbox_reap(const char *runsc_root, const char *work_dir)
{
	const char *argv[] = {RUNSC_OPTS(runsc_root), "list", "-quiet", NULL};
	struct builder_exec_result res;
	struct sopm_err err;
	char log[512], *line, *save = NULL;
	int n = 0;

	snprintf(log, sizeof(log), "%s/reap.log", work_dir);
	unlink(log);
	if (builder_exec(argv, NULL, log, RUNSC_TIMEOUT, 1 << 16, &res, &err) !=
	    0)
		return 0;
	for (line = strtok_r(res.output, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
		        strlen(line) ||
		    *line == '\0')
			continue; /* runsc's own complaints */
		runsc_quiet(runsc_root, log, "delete", line, NULL);
		remove_cgroups(line);
		n++;
	}
	builder_exec_result_clear(&res);
	return n;
}
