/*
 * bench-hello-fcgi - the hello-world FastCGI baseline of scripts/benchmark.sh.
 *
 * Usage: bench-hello-fcgi SOCKET_PATH THREADS
 *
 * It has the shape that ARCHITECTURE.md measured as the fastest behind
 * nginx with `fastcgi_keep_conn on`: one process, THREADS threads, each one
 * calling FCGX_Accept_r on the shared listening socket with no lock of our
 * own. A thread that holds a kept connection blocks in FCGX_Accept_r on that
 * connection, so THREADS must be at least the number of connections nginx
 * keeps open to us, or requests wait in the listen queue.
 *
 * Each request's body is read and dropped, and the answer is a small fixed
 * JSON document. Whatever sopm-fcgi does on top of this (routing, parsing,
 * dispatch, logging, statistics) is what the benchmark measures against it.
 *
 * There is no clean shutdown: the benchmark stops it with SIGTERM, then
 * SIGKILL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcgiapp.h>

#define HELLO_MAX_THREADS 1024
#define HELLO_BACKLOG     1024

static const char hello_body[] =
    "{\"status\":\"completed\",\"result\":{\"msg\":\"hello\"}}";

/* Headers and body, built once in main() so Content-Length cannot drift. */
static char hello_response[256];
static int hello_response_len;

static int hello_listen_fd = -1;

/* Reads the request body to its end and drops it. */
static void hello_drain(FCGX_Stream *in)
{
	char buf[4096];

	while (FCGX_GetStr(buf, (int)sizeof(buf), in) > 0)
		;
}

static void *hello_thread(void *arg)
{
	FCGX_Request req;
	int rc;

	(void)arg;
	if (FCGX_InitRequest(&req, hello_listen_fd, 0) != 0) {
		fprintf(stderr, "bench-hello-fcgi: FCGX_InitRequest failed\n");
		exit(1);
	}
	for (;;) {
		/* Finishes the previous request, then waits for the next one,
		 * on the kept connection when nginx asked to keep it. */
		rc = FCGX_Accept_r(&req);
		if (rc < 0) {
			/* A thread that gave up would silently shrink the pool
			 * and skew the baseline: fail loudly instead. */
			fprintf(stderr, "bench-hello-fcgi: FCGX_Accept_r: %s\n",
			        strerror(-rc));
			exit(1);
		}
		hello_drain(req.in);
		FCGX_PutStr(hello_response, hello_response_len, req.out);
	}
	return NULL;
}

static int hello_parse_threads(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 ||
	    n > HELLO_MAX_THREADS)
		return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	pthread_t tid;
	pthread_attr_t attr;
	int nthreads;
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCKET_PATH THREADS\n", argv[0]);
		return 2;
	}
	nthreads = hello_parse_threads(argv[2]);
	if (nthreads < 0) {
		fprintf(stderr, "bench-hello-fcgi: THREADS must be 1..%d\n",
		        HELLO_MAX_THREADS);
		return 2;
	}
	hello_response_len = snprintf(hello_response, sizeof(hello_response),
	                              "Status: 200 OK\r\n"
	                              "Content-Type: application/json\r\n"
	                              "Content-Length: %zu\r\n"
	                              "\r\n"
	                              "%s",
	                              sizeof(hello_body) - 1, hello_body);
	if (hello_response_len < 0 ||
	    (size_t)hello_response_len >= sizeof(hello_response))
		return 1;
	if (FCGX_Init() != 0) {
		fprintf(stderr, "bench-hello-fcgi: FCGX_Init failed\n");
		return 1;
	}
	/* A socket left by an earlier run would make bind() fail. */
	if (unlink(argv[1]) != 0 && errno != ENOENT) {
		perror("bench-hello-fcgi: unlink");
		return 1;
	}
	hello_listen_fd = FCGX_OpenSocket(argv[1], HELLO_BACKLOG);
	if (hello_listen_fd < 0) {
		fprintf(stderr, "bench-hello-fcgi: cannot listen on %s\n",
		        argv[1]);
		return 1;
	}
	/* nginx's workers run as another user and must be able to connect. */
	if (chmod(argv[1], 0666) != 0) {
		perror("bench-hello-fcgi: chmod");
		return 1;
	}

	/* The threads do little: a small stack keeps many of them cheap. */
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, 256 * 1024) != 0 ||
	    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) != 0) {
		fprintf(stderr, "bench-hello-fcgi: pthread_attr failed\n");
		return 1;
	}
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tid, &attr, hello_thread, NULL) != 0) {
			fprintf(stderr, "bench-hello-fcgi: pthread_create\n");
			return 1;
		}
	}
	pthread_attr_destroy(&attr);
	fprintf(stderr, "bench-hello-fcgi: pid %ld, %d threads on %s\n",
	        (long)getpid(), nthreads, argv[1]);
	hello_thread(NULL);
	return 0;
}
