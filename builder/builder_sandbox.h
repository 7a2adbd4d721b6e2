/* builder_sandbox.h - one short-lived gVisor sandbox (runsc, ptrace
 * platform, no network) over a read-only root: how every step that touches
 * user code runs (validation, compilation). The OCI runtime config is ours
 * (builder_sandbox_config), not the image's. */
#ifndef BUILDER_SANDBOX_H
#define BUILDER_SANDBOX_H

#include <jansson.h>
#include <sys/types.h>

#include "builder_exec.h"
#include "sopm_err.h"

#define BUILDER_SANDBOX_UID 65534 /* nobody: the user code's uid */

struct builder_sandbox {
	const char *runsc_root;  /* runsc --root: state of our sandboxes */
	const char *rootfs;      /* absolute; mounted read-only as / */
	const char *fn_dir;      /* absolute; bound read-only at /fn, or NULL */
	const char *out_dir;     /* absolute; bound read-write at /out (owned
	                          * by BUILDER_SANDBOX_UID), or NULL */
	const char *const *argv; /* the process, NULL-terminated */
	const char *const *env;  /* "K=V", NULL-terminated, or NULL: PATH,
	                          * HOME=/tmp and LANG=C.UTF-8 only */
	const char *cwd;         /* NULL: /tmp */
	long memory_mb;          /* cgroup memory limit */
	int nproc;               /* RLIMIT_NPROC: the real process cap */
	int cpu_millis;          /* CPU quota, 1000 = one core; 0: one core;
	                          * < 0: none until builder_sandbox_set_cpu */
	int tmp_mb;              /* size of the /tmp tmpfs; 0: 64 */
	long timeout_ms;         /* then the sandbox is killed */
};

/* The OCI runtime config (runtime-spec 1.0) of sb, as a NEW object: root
 * read-only, /tmp a tmpfs of tmp_mb, uid/gid 65534 with no capabilities and
 * no_new_privs, RLIMIT_NPROC and RLIMIT_NOFILE, memory, CPU (one core) and
 * pids limits (pids >= 512: gVisor's own threads count, ARCHITECTURE.md)
 * in the cgroup /sopm-builder/<id>. NULL when out of memory. */
json_t *builder_sandbox_config(const struct builder_sandbox *sb,
                               const char *id);

/* Runs sb as sandbox `id` ([A-Za-z0-9_-]) from the bundle folder run_dir
 * (made here; config.json and the process's output file `output` go
 * there), then deletes it (runsc delete --force) and its cgroups. res gets
 * the exit code, whether the time bound killed it, and the output's last
 * `tail` bytes. Returns 0 when the sandbox ran, or -1 with
 * SOPM_E_INTERNAL. */
int builder_sandbox_run(const struct builder_sandbox *sb, const char *id,
                        const char *run_dir, size_t tail,
                        struct builder_exec_result *res, struct sopm_err *err);

/* Starts sb as sandbox `id` from run_dir (made here, with config.json)
 * and returns at once: `runsc run` is a child of this process (it gets
 * SIGKILL when this process dies), its stdin and stdout are pipes (the
 * sandbox's protocol, docs/runtimes.md), its stderr (runsc's messages and
 * the function's stdout and stderr) is appended to run_dir/log. Stores the
 * pid, the pipe ends this side keeps (fds[0] writes to the sandbox's
 * stdin, fds[1] reads its stdout; both close-on-exec) and a read-write
 * O_APPEND descriptor of the log (fds[2]). Returns 0, or -1 with
 * SOPM_E_INTERNAL. */
int builder_sandbox_spawn(const struct builder_sandbox *sb, const char *id,
                          const char *run_dir, pid_t *pid, int fds[3],
                          struct sopm_err *err);

/* Kills sandbox id (when kill_first), deletes it (runsc delete --force,
 * about 1.5 s) and removes its cgroups. */
void builder_sandbox_destroy(const char *runsc_root, const char *log,
                             const char *id, int kill_first);

/* Sets the CPU quota of running sandbox id's cgroup (cgroup v1
 * cpu.cfs_quota_us, else v2 cpu.max), in thousandths of a core (1000 = one
 * core). Returns 0, or -1 when its cgroup is not there. */
int builder_sandbox_set_cpu(const char *id, int cpu_millis);

/* Whether the kernel OOM-killed a process in sandbox id's memory cgroup
 * (cgroup v1 memory.oom_control "oom_kill", v2 memory.events), read
 * before the sandbox is deleted. */
int builder_sandbox_oom_killed(const char *id);

/* Deletes every sandbox that runsc_root still knows (left by a builder
 * that died), and our empty cgroups. Returns how many were deleted. */
int builder_sandbox_reap(const char *runsc_root, const char *work_dir);

#endif
