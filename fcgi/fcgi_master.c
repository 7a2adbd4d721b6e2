/* fcgi_master.c - worker supervision.
 *
 * The master owns every signal: libfcgi's own SIGTERM handler would leave a
 * worker blocked until a request arrives, so the master tells workers to
 * drain with SIGTERM and SIGKILLs any still alive after the grace period. */
#include "fcgi_master.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fcgi_stats.h"
#include "fcgi_worker.h"
#include "sopm_log.h"
#include "sopm_time.h"

#define MAX_WORKERS      512
#define CRASH_WINDOW_US  1000000 /* a worker that dies this young ... */
#define CRASH_BACKOFF_US 1000000 /* ... after 5 in a row waits this long */

struct slot {
	pid_t pid; /* 0: free */
	unsigned generation;
	uint64_t started_us;
	uint64_t kill_at_us; /* draining: SIGKILL after this; 0 otherwise */
};

static struct slot slots[MAX_WORKERS];
static unsigned generation;
static int young_deaths;
static uint64_t respawn_not_before_us;

static pid_t spawn_worker(int listen_fd, const struct sopm_config *cfg)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(0); /* the master died between fork and prctl */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(fcgi_worker_run(listen_fd, cfg));
	}
	if (pid < 0)
		sopm_logf(SOPM_LOG_ERROR, "fork failed: %s", strerror(errno));
	return pid;
}

static void fill_slots(int listen_fd, const struct sopm_config *cfg)
{
	int have = 0;
	uint64_t now = sopm_time_mono_us();

	if (now < respawn_not_before_us)
		return;
	for (int i = 0; i < MAX_WORKERS; i++)
		if (slots[i].pid && slots[i].generation == generation &&
		    !slots[i].kill_at_us)
			have++;
	for (int i = 0; i < MAX_WORKERS && have < cfg->fcgi_workers; i++) {
		if (slots[i].pid)
			continue;
		slots[i].pid = spawn_worker(listen_fd, cfg);
		if (slots[i].pid <= 0) {
			slots[i].pid = 0;
			return;
		}
		slots[i].generation = generation;
		slots[i].started_us = now;
		slots[i].kill_at_us = 0;
		have++;
	}
	fcgi_stats_set(FCGI_C_WORKERS_ALIVE, (uint64_t)have);
	fcgi_stats_set(FCGI_C_WORKERS_CONFIGURED, (uint64_t)cfg->fcgi_workers);
}

static void drain(struct slot *s, const struct sopm_config *cfg)
{
	if (s->pid == 0 || s->kill_at_us)
		return;
	s->kill_at_us =
	    sopm_time_mono_us() + (uint64_t)cfg->fcgi_shutdown_grace_ms * 1000u;
	kill(s->pid, SIGTERM);
}

static void drain_all(const struct sopm_config *cfg, int old_only)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		if (!old_only || slots[i].generation != generation)
			drain(&slots[i], cfg);
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_WORKERS; i++) {
			struct slot *s = &slots[i];
			uint64_t now = sopm_time_mono_us();
			if (s->pid != pid)
				continue;
			if (!s->kill_at_us) {
				sopm_logf(SOPM_LOG_WARN,
				          "worker %d died (status %d); "
				          "restarting it",
				          (int)pid, status);
				fcgi_stats_add(FCGI_C_WORKER_RESTARTS, 1);
				young_deaths =
				    now - s->started_us < CRASH_WINDOW_US
				        ? young_deaths + 1
				        : 0;
				if (young_deaths >= 5)
					respawn_not_before_us =
					    now + CRASH_BACKOFF_US;
			}
			s->pid = 0;
		}
	}
}

static void kill_overdue(void)
{
	uint64_t now = sopm_time_mono_us();
	for (int i = 0; i < MAX_WORKERS; i++)
		if (slots[i].pid && slots[i].kill_at_us &&
		    now > slots[i].kill_at_us) {
			sopm_logf(SOPM_LOG_WARN,
			          "worker %d did not drain in time; killing it",
			          (int)slots[i].pid);
			kill(slots[i].pid, SIGKILL);
			slots[i].kill_at_us = UINT64_MAX;
		}
}

static int children_left(void)
{
	for (int i = 0; i < MAX_WORKERS; i++)
		if (slots[i].pid)
			return 1;
	return 0;
}

/* Re-reads the configuration; on success starts a new generation of workers
 * and drains the old one, so no request fails during a reload. */
static void reload(int listen_fd, struct sopm_config *cfg,
                   const char *config_path)
{
	struct sopm_config next;
	struct sopm_err err;

	if (sopm_config_load(&next, config_path, &err) != 0) {
		sopm_logf(SOPM_LOG_ERROR, "reload refused: %s", err.msg);
		return;
	}
	/* The socket and the user are fixed for the life of the master. */
	memcpy(next.fcgi_socket, cfg->fcgi_socket, sizeof(next.fcgi_socket));
	memcpy(next.fcgi_user, cfg->fcgi_user, sizeof(next.fcgi_user));
	if (next.fcgi_workers > MAX_WORKERS / 2)
		next.fcgi_workers = MAX_WORKERS / 2;
	*cfg = next;
	if (sopm_log_open(cfg->log_file, cfg->log_level) != 0)
		sopm_logf(SOPM_LOG_ERROR, "could not reopen the log file");
	generation++;
	respawn_not_before_us = 0;
	fill_slots(listen_fd, cfg);
	drain_all(cfg, 1);
	sopm_logf(SOPM_LOG_INFO, "reloaded: %d workers x %d threads",
	          cfg->fcgi_workers, cfg->fcgi_threads);
}

int fcgi_master_run(int listen_fd, struct sopm_config *cfg,
                    const char *config_path)
{
	sigset_t set;
	int stopping = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (cfg->fcgi_workers > MAX_WORKERS / 2)
		cfg->fcgi_workers = MAX_WORKERS / 2;

	fill_slots(listen_fd, cfg);
	sopm_logf(SOPM_LOG_INFO, "master %d: %d workers x %d threads",
	          (int)getpid(), cfg->fcgi_workers, cfg->fcgi_threads);
	while (!stopping || children_left()) {
		struct timespec tick = {0, 200 * 1000 * 1000};
		int sig = sigtimedwait(&set, NULL, &tick);

		if (sig == SIGHUP && !stopping) {
			reload(listen_fd, cfg, config_path);
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) {
			if (!stopping)
				sopm_logf(SOPM_LOG_INFO,
				          "draining on signal %d", sig);
			stopping = 1;
			drain_all(cfg, 0);
		}
		reap();
		kill_overdue();
		if (!stopping)
			fill_slots(listen_fd, cfg);
	}
	fcgi_stats_set(FCGI_C_WORKERS_ALIVE, 0);
	sopm_logf(SOPM_LOG_INFO, "master %d: stopped", (int)getpid());
	return 0;
}
