/* fcgi_worker.c - a worker process.
 *
 * Each request thread owns at most one FastCGI connection. It waits in
 * poll() on that connection (or, with none, on the shared listening socket)
 * and on a wake pipe, accepts connections itself, and hands a readable
 * connection to libfcgi only to parse and answer one request. So:
 *  - nginx's kept connections (fastcgi_keep_conn) are served by the thread
 *    that holds them, with no lock around accept (the fast shape measured in
 *    ARCHITECTURE.md), and
 *  - on SIGTERM every thread wakes at once: an idle one closes its
 *    connection unread (nginx retries that request elsewhere), a busy one
 *    finishes its response first. libfcgi never blocks in accept(), which it
 *    would not leave on SIGTERM. */
#include "fcgi_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcgi_db.h"
#include "fcgi_handle.h"
#include "fcgi_jobs.h"
#include "fcgi_redis.h"
#include "sopm_log.h"

static int listen_sock = -1;
static int wake_pipe[2] = {-1, -1};
static atomic_int draining;
static const struct sopm_config *worker_cfg;
static struct fn_limits worker_limits;
static struct fn_ctx worker_fn_ctx = {&worker_limits};

void fcgi_worker_ctx_close(struct fcgi_worker_ctx *w)
{
	fcgi_redis_close(w);
	fcgi_db_close(w);
}

/* Waits until conn (or, when conn < 0, the listening socket) is readable.
 * Returns 1 when readable, 0 when the worker is draining. */
static int wait_readable(int conn)
{
	for (;;) {
		struct pollfd p[2] = {
		    {conn >= 0 ? conn : listen_sock, POLLIN, 0},
		    {wake_pipe[0], POLLIN, 0}};
		int n = poll(p, 2, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0;
		if (p[0].revents)
			return 1;
		if (p[1].revents)
			return 0;
	}
}

static void *request_thread(void *arg)
{
	struct fcgi_worker_ctx w = {.cfg = worker_cfg,
	                            .fn_ctx = &worker_fn_ctx};
	FCGX_Request fr;
	int conn = -1;

	(void)arg;
	/* listen_sock -1: libfcgi must never accept by itself (see top). */
	FCGX_InitRequest(&fr, -1, 0);
	while (!atomic_load(&draining)) {
		if (!wait_readable(conn))
			break;
		if (conn < 0) {
			conn = accept4(listen_sock, NULL, NULL, SOCK_CLOEXEC);
			if (conn < 0)
				continue; /* another thread got it */
		}
		fr.ipcFd = conn;
		fr.keepConnection = 1; /* FCGX_Accept_r must not close it */
		if (FCGX_Accept_r(&fr) < 0) {
			conn = -1; /* peer closed it; libfcgi closed our end */
			continue;
		}
		fcgi_handle(&fr, &w);
		FCGX_Finish_r(&fr); /* closes unless nginx keeps it */
		conn = fr.ipcFd;
	}
	if (conn >= 0)
		close(conn);
	fcgi_worker_ctx_close(&w);
	return NULL;
}

static void wait_for_sigterm(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	while (sigwait(&set, &sig) != 0 || sig == 0)
		;
}

int fcgi_worker_run(int listen_fd, const struct sopm_config *cfg)
{
	int n = cfg->fcgi_threads, started = 0;
	pthread_t *threads = calloc((size_t)n, sizeof(*threads));
	sigset_t all;

	listen_sock = listen_fd;
	worker_cfg = cfg;
	worker_limits.sleep_max_ms = cfg->catalog_sleep_max_ms;
	worker_limits.http_max_response = 1048576;
	worker_limits.http_allow = "";
	if (threads == NULL || pipe2(wake_pipe, O_CLOEXEC) != 0 ||
	    FCGX_Init() != 0) {
		sopm_logf(SOPM_LOG_ERROR, "worker start-up failed");
		return 1;
	}
	/* Threads inherit this mask: signals reach only sigwait() below. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (fcgi_jobs_start(cfg, &worker_fn_ctx) != 0)
		sopm_logf(SOPM_LOG_ERROR, "could not start job executors");
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, request_thread,
		                   NULL) != 0)
			break;
	sopm_logf(SOPM_LOG_INFO, "worker ready with %d request threads",
	          started);

	wait_for_sigterm();
	atomic_store(&draining, 1);
	if (write(wake_pipe[1], "x", 1) != 1)
		sopm_logf(SOPM_LOG_ERROR, "could not wake request threads");
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	fcgi_jobs_stop();
	free(threads);
	sopm_logf(SOPM_LOG_INFO, "worker drained");
	return 0;
}
