/* fcgi_worker.c - a worker process.
 *
 * Connections and threads are decoupled: one epoll set per process holds the
 * listening socket and every FastCGI connection nginx keeps open, each armed
 * once (EPOLLONESHOT). A request thread takes one ready connection, lets
 * libfcgi parse and answer one request on it, and re-arms it. So the thread
 * count bounds the requests served at once, not the connections nginx may
 * keep: an idle kept connection holds no thread, and no connection waits in
 * the listen queue behind idle ones.
 *
 * libfcgi never accepts by itself (listen_sock -1, connection preset): it
 * would block in accept(), which it does not leave on SIGTERM. On SIGTERM the
 * main thread closes every idle kept connection (nginx retries a request
 * that raced into one: it was never read), busy threads finish their
 * response and close theirs, fresh connections get their first request
 * served, and then the wake pipe ends every thread's wait. */
#include "fcgi_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcgi_executor.h"
#include "fcgi_handle.h"
#include "sopm_builds.h"
#include "sopm_jobq.h"
#include "sopm_runs.h"
#include "sopm_log.h"

#define TAG_LISTEN        UINT64_MAX
#define TAG_WAKE          (UINT64_MAX - 1)
#define MAX_CONNS         65536
#define LOG_IDLE_FLUSH_MS 50
#define FRESH_DRAIN_MS    2000 /* see wait_for_fresh */

/* FRESH: accepted, no request served yet. nginx opened it for a request it
 * is sending now, and does not retry a request on a connection it never
 * used before (only on one from its keep-alive cache), so a draining worker
 * must serve a fresh connection's first request, never close it. */
enum conn_state { CONN_FREE, CONN_FRESH, CONN_IDLE, CONN_BUSY };

/* One slot per fd. gen tells a reused fd number from its predecessor, so a
 * stale event for a closed connection is never served. */
struct conn_slot {
	uint32_t gen;
	enum conn_state state;
};

static int listen_sock = -1;
static int epfd = -1;
static int wake_pipe[2] = {-1, -1};
static atomic_int draining;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn_slot *conns; /* [max_conns], guarded by conns_lock */
static int max_conns;
static const struct sopm_config *worker_cfg;
static struct fn_limits worker_limits; /* from worker_cfg */
static struct sopm_jobq *worker_jobq;
static struct sopm_jobq *worker_runq;

static uint64_t conn_tag(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

static int arm(int op, int fd, uint64_t tag)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT};
	ev.data.u64 = tag;
	return epoll_ctl(epfd, op, fd, &ev);
}

/* Accepts what is pending and adds it to the set, then re-arms the listening
 * socket. Under accept_lock and only while not draining, so a draining
 * worker never takes a new connection that it would then leave unserved
 * (nginx would see it reset: a failed try). conns_lock guards only the
 * table. */
static void accept_pending(void)
{
	int full = 0;

	pthread_mutex_lock(&accept_lock);
	for (int i = 0; i < 64 && !atomic_load(&draining); i++) {
		int fd = accept4(listen_sock, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			break;
		pthread_mutex_lock(&conns_lock);
		if (fd < max_conns) {
			conns[fd].gen++;
			conns[fd].state = CONN_FRESH;
			if (arm(EPOLL_CTL_ADD, fd,
			        conn_tag(fd, conns[fd].gen)) != 0) {
				conns[fd].state = CONN_FREE;
				close(fd);
			}
		} else {
			full = 1;
			close(fd);
		}
		pthread_mutex_unlock(&conns_lock);
	}
	if (!atomic_load(&draining))
		arm(EPOLL_CTL_MOD, listen_sock, TAG_LISTEN);
	pthread_mutex_unlock(&accept_lock);
	if (full)
		sopm_logf(SOPM_LOG_ERROR, "connection table full");
}

/* Claims a ready connection; 0 when it was closed meanwhile. */
static int claim(int fd, uint32_t gen)
{
	int ok;
	pthread_mutex_lock(&conns_lock);
	ok = fd < max_conns && conns[fd].gen == gen &&
	     (conns[fd].state == CONN_IDLE || conns[fd].state == CONN_FRESH);
	if (ok)
		conns[fd].state = CONN_BUSY;
	pthread_mutex_unlock(&conns_lock);
	return ok;
}

/* After a request: keep the connection for the next one, or close it when
 * libfcgi already did (open = 0) or the worker is draining. When libfcgi
 * closed it, the fd number may already belong to a new connection: gen tells
 * them apart. */
static void release(int fd, uint32_t gen, int open)
{
	pthread_mutex_lock(&conns_lock);
	if (conns[fd].gen != gen) {
		/* closed by libfcgi and already reused: not ours any more */
	} else if (open && !atomic_load(&draining) &&
	           arm(EPOLL_CTL_MOD, fd, conn_tag(fd, conns[fd].gen)) == 0) {
		conns[fd].state = CONN_IDLE;
	} else {
		if (open)
			close(fd);
		conns[fd].state = CONN_FREE;
	}
	pthread_mutex_unlock(&conns_lock);
}

/* Starts the drain: no accept from now on (the listening socket leaves this
 * worker's set; the next generation takes new connections), and every idle
 * kept connection is closed (nginx retries a request that raced into one).
 * Busy and fresh ones close after their response (release). */
static void start_drain(void)
{
	pthread_mutex_lock(&accept_lock);
	atomic_store(&draining, 1);
	epoll_ctl(epfd, EPOLL_CTL_DEL, listen_sock, NULL);
	pthread_mutex_unlock(&accept_lock);
	pthread_mutex_lock(&conns_lock);
	for (int fd = 0; fd < max_conns; fd++)
		if (conns[fd].state == CONN_IDLE) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			close(fd);
			conns[fd].state = CONN_FREE;
		}
	pthread_mutex_unlock(&conns_lock);
}

/* Waits, up to timeout_ms, until no accepted connection still waits for its
 * first request (see CONN_FRESH). */
static void wait_for_fresh(int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 5) {
		int fresh = 0;
		pthread_mutex_lock(&conns_lock);
		for (int fd = 0; fd < max_conns && !fresh; fd++)
			fresh = conns[fd].state == CONN_FRESH;
		pthread_mutex_unlock(&conns_lock);
		if (!fresh)
			return;
		usleep(5000);
	}
}

static void serve(FCGX_Request *fr, struct fcgi_worker_ctx *w, int fd,
                  uint32_t gen)
{
	fr->ipcFd = fd;
	fr->keepConnection = 1; /* FCGX_Accept_r must not close it */
	if (FCGX_Accept_r(fr) < 0) {
		release(fd, gen, 0); /* the peer closed it; so did libfcgi */
		return;
	}
	fcgi_handle(fr, w);
	FCGX_Finish_r(fr); /* closes it unless nginx keeps it */
	release(fd, gen, fr->ipcFd >= 0);
	fr->ipcFd = -1;
}

static void *request_thread(void *arg)
{
	struct fcgi_worker_ctx w = {
	    .cfg = worker_cfg, .jobq = worker_jobq, .runq = worker_runq};
	struct sopm_err err;
	FCGX_Request fr;

	(void)arg;
	w.fn_ctx = fn_ctx_new(&worker_limits, &err);
	if (w.fn_ctx == NULL) {
		sopm_logf(SOPM_LOG_ERROR, "request thread: %s", err.msg);
		return NULL;
	}
	sopm_redis_init(&w.redis, worker_cfg);
	sopm_db_init(&w.db, worker_cfg);
	FCGX_InitRequest(&fr, -1, 0);
	sopm_log_buffer();
	for (;;) {
		struct epoll_event ev;
		/* Buffered log lines wait at most LOG_IDLE_FLUSH_MS for an idle
		 * thread (sopm_log_buffer), at no cost to a busy one. */
		int n = epoll_wait(epfd, &ev, 1,
		                   sopm_log_pending() ? LOG_IDLE_FLUSH_MS : -1);
		if (n == 0) {
			sopm_log_flush();
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || ev.data.u64 == TAG_WAKE)
			break;
		if (ev.data.u64 == TAG_LISTEN) {
			accept_pending();
		} else {
			int fd = (int)(uint32_t)ev.data.u64;
			uint32_t gen = (uint32_t)(ev.data.u64 >> 32);
			if (claim(fd, gen))
				serve(&fr, &w, fd, gen);
		}
	}
	sopm_redis_close(&w.redis);
	sopm_db_close(&w.db);
	fn_ctx_free(w.fn_ctx);
	sopm_log_unbuffer();
	return NULL;
}

/* Builds the epoll set: the listening socket (one-shot) and the wake pipe
 * (level-triggered, so every thread sees it). */
static int setup_events(void)
{
	struct rlimit rl;
	struct epoll_event wake = {.events = EPOLLIN};

	max_conns = MAX_CONNS;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MAX_CONNS)
		max_conns = (int)rl.rlim_cur;
	conns = calloc((size_t)max_conns, sizeof(*conns));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || epfd < 0 || pipe2(wake_pipe, O_CLOEXEC) != 0)
		return -1;
	wake.data.u64 = TAG_WAKE;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, wake_pipe[0], &wake) != 0)
		return -1;
	return arm(EPOLL_CTL_ADD, listen_sock, TAG_LISTEN);
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
	struct sopm_err err;
	sigset_t all;

	listen_sock = listen_fd;
	worker_cfg = cfg;
	fn_limits_from_config(&worker_limits, cfg);
	worker_jobq =
	    sopm_jobq_new("jobs", fcgi_executor_count(cfg), cfg, &err);
	/* One taker: the pool submits runs and supervises them, never takes
	 * one (sopm-builder runs them). */
	worker_runq = worker_jobq ? sopm_runs_new(1, cfg, &err) : NULL;
	if (threads == NULL || worker_jobq == NULL || worker_runq == NULL ||
	    sopm_builds_init(cfg, &err) != 0 || setup_events() != 0 ||
	    FCGX_Init() != 0) {
		sopm_logf(SOPM_LOG_ERROR, "worker start-up failed%s%s",
		          worker_runq ? "" : ": ", worker_runq ? "" : err.msg);
		free(threads);
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

	if (fcgi_executor_start(worker_jobq, worker_runq, cfg,
	                        &worker_limits) != 0)
		sopm_logf(SOPM_LOG_ERROR, "could not start job executors");
	for (; started < n; started++)
		if (pthread_create(&threads[started], NULL, request_thread,
		                   NULL) != 0)
			break;
	sopm_logf(SOPM_LOG_INFO, "worker ready with %d request threads",
	          started);

	wait_for_sigterm();
	start_drain();
	wait_for_fresh(FRESH_DRAIN_MS);
	if (write(wake_pipe[1], "x", 1) != 1)
		sopm_logf(SOPM_LOG_ERROR, "could not wake request threads");
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	fcgi_executor_stop();
	sopm_jobq_free(worker_jobq);
	sopm_jobq_free(worker_runq);
	free(threads);
	sopm_logf(SOPM_LOG_INFO, "worker drained");
	return 0;
}
