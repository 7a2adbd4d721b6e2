/* main.c - sopm-builder: builds user-function versions into images, and
 * runs them in warm gVisor sandboxes (docs/design.md, "The builder" and
 * "The executor"; docs/runtimes.md).
 *
 * usage: sopm-builder [-c CONFIG]
 *
 * Started as root, it forks two root helpers (builder_helper.h): one for
 * builds, which take seconds, and one for the executor's sandboxes, so
 * that a cold start never waits behind a build. Then it drops to
 * builder.user for everything else. SIGTERM or SIGINT stop it: a build in
 * progress is abandoned (its sandbox and tools die with the helper) and is
 * taken back by the queue at the next start; the sandboxes are stopped. */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builder_build.h"
#include "builder_helper.h"
#include "builder_jobs.h"
#include "executor_jobs.h"
#include "sopm_builds.h"
#include "sopm_jobq.h"
#include "sopm_log.h"

#define SUPERVISE_EVERY_US 1000000
#define TOOLS_MARGIN_MS    120000 /* buildah, skopeo, umoci per build */

static struct builder_daemon daemon_state;
static volatile pid_t helper_pid;

static void on_stop(int sig)
{
	(void)sig;
	atomic_store(&daemon_state.stop, 1);
	if (helper_pid > 0) /* ends a build in progress at once */
		kill(helper_pid, SIGKILL);
}

/* One supervise round of q; what it took back is logged. */
static void supervise(struct sopm_jobq *q, struct sopm_redis *r,
                      const char *what)
{
	struct sopm_jobq_report rep = {0};
	struct sopm_err err;

	sopm_jobq_supervise(q, r, &rep, &err);
	if (rep.requeued || rep.failed || rep.timed_out)
		sopm_logf(SOPM_LOG_WARN,
		          "%s jobs taken back: %ld queued again, %ld failed, "
		          "%ld timed out",
		          what, rep.requeued, rep.failed, rep.timed_out);
}

/* The queue's heartbeat, deferred outcomes and taken-back jobs, every
 * second, beside the builds. */
static void *supervisor_main(void *arg)
{
	struct sopm_redis r;
	struct sopm_err err;

	(void)arg;
	sopm_redis_init(&r, daemon_state.cfg);
	while (!atomic_load(&daemon_state.stop)) {
		supervise(sopm_builds_queue(), &r, "build");
		supervise(executor_jobs_queue(), &r, "run");
		for (int i = 0; i < 10 && !atomic_load(&daemon_state.stop); i++)
			usleep(SUPERVISE_EVERY_US / 10);
	}
	if (sopm_jobq_leave(executor_jobs_queue(), &r, &err) != 0)
		sopm_logf(SOPM_LOG_WARN, "could not leave the run queue: %s",
		          err.msg);
	if (sopm_jobq_leave(sopm_builds_queue(), &r, &err) != 0)
		sopm_logf(SOPM_LOG_WARN, "could not leave the build queue: %s",
		          err.msg);
	sopm_redis_close(&r);
	return NULL;
}

/* As root with builder.user set: that user's uid, gid and no other groups.
 * Returns 0, or -1 (logged). */
static int drop_privileges(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0 || user[0] == '\0')
		return 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		sopm_logf(SOPM_LOG_ERROR, "builder.user %s: no such user",
		          user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0 || setuid(0) == 0) {
		sopm_logf(SOPM_LOG_ERROR, "cannot become %s: %s", user,
		          strerror(errno));
		return -1;
	}
	prctl(PR_SET_DUMPABLE, 0);
	return 0;
}

int main(int argc, char **argv)
{
	static struct sopm_config cfg, qcfg;
	const char *conf = NULL;
	struct builder_env env;
	struct sigaction sa;
	struct sopm_err err;
	pthread_t supervisor;
	int opt, fd, run_fd, status;
	pid_t pid, run_pid = -1;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt != 'c') {
			fprintf(stderr, "usage: sopm-builder [-c CONFIG]\n");
			return 2;
		}
		conf = optarg;
	}
	if (sopm_config_load(&cfg, conf, &err) != 0) {
		fprintf(stderr, "sopm-builder: %s\n", err.msg);
		return 2;
	}
	if (sopm_log_open(cfg.builder_log_file, cfg.log_level) != 0) {
		fprintf(stderr, "sopm-builder: cannot open %s: %s\n",
		        cfg.builder_log_file, strerror(errno));
		return 1;
	}
	/* A build job may run for a base image, the validation and the
	 * tools; the queue times out a run only past all of them. */
	qcfg = cfg;
	qcfg.jobs_timeout_ms = cfg.builder_base_timeout_ms * 2 +
	                       cfg.builder_check_timeout_ms + TOOLS_MARGIN_MS;
	if (sopm_db_library_init(&err) != 0 ||
	    builder_env_init(&env, &cfg, &err) != 0 ||
	    sopm_builds_init(&qcfg, &err) != 0 ||
	    builder_helper_start(&env, &fd, &pid, &err) != 0 ||
	    builder_helper_start(&env, &run_fd, &run_pid, &err) != 0) {
		sopm_logf(SOPM_LOG_ERROR, "sopm-builder: %s", err.msg);
		fprintf(stderr, "sopm-builder: %s\n", err.msg);
		return 1;
	}
	helper_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (drop_privileges(cfg.builder_user) != 0) {
		kill(pid, SIGKILL);
		kill(run_pid, SIGKILL);
		return 1;
	}
	daemon_state.cfg = &cfg;
	daemon_state.helper_fd = fd;
	sopm_db_init(&daemon_state.db, &cfg);
	sopm_redis_init(&daemon_state.redis, &cfg);
	sopm_logf(SOPM_LOG_INFO, "sopm-builder started (pid %d, helper %d)",
	          (int)getpid(), (int)pid);
	builder_jobs_recover(&daemon_state);
	if (executor_jobs_start(&cfg, run_fd, &daemon_state.stop, &err) != 0 ||
	    pthread_create(&supervisor, NULL, supervisor_main, NULL) != 0) {
		sopm_logf(SOPM_LOG_ERROR, "sopm-builder: %s", err.msg);
		kill(pid, SIGKILL);
		kill(run_pid, SIGKILL);
		return 1;
	}
	builder_jobs_run(&daemon_state);
	atomic_store(&daemon_state.stop, 1);
	pthread_join(supervisor, NULL);
	executor_jobs_join(); /* stops the sandboxes through the helper */
	close(fd);            /* the helpers end at EOF */
	close(run_fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	while (waitpid(run_pid, &status, 0) < 0 && errno == EINTR)
		;
	sopm_db_close(&daemon_state.db);
	sopm_redis_close(&daemon_state.redis);
	sopm_logf(SOPM_LOG_INFO, "sopm-builder stopped");
	return 0;
}
