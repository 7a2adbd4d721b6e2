/* sopm_init.c - /sopm/init, the entrypoint of every function image.
 *
 * Usage: /sopm/init PROGRAM [ARG...]
 *
 * The sandbox's stdin and stdout carry the framed protocol (docs/runtimes.md,
 * "Wire protocol"), and its stderr is the call's log. User code must be able
 * to print without corrupting the protocol, so before exec'ing PROGRAM:
 *
 *   fd 3 := fd 0 (protocol in)     fd 0 := /dev/null
 *   fd 4 := fd 1 (protocol out)    fd 1 := fd 2 (stdout joins the log)
 *
 * Fds 3 and 4 stay open across the exec; the shim marks them close-on-exec so
 * that the user's child processes do not inherit them. PROGRAM is run as it
 * is named (execv, no PATH search). Any failure: a line on stderr, exit 127.
 * Built static: gcc -static -O2 -Wall -Wextra -Werror.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum {
	PROTO_IN = 3,
	PROTO_OUT = 4,
	EXIT_LAUNCH = 127,
};

static void die(const char *what, const char *arg, int err)
{
	fprintf(stderr, "sopm-init: %s%s%s: %s\n", what, arg ? " " : "",
	        arg ? arg : "", strerror(err));
	_exit(EXIT_LAUNCH);
}

/* dup2 that reports its own failure; the copy is never close-on-exec. */
static void move_fd(int from, int to, const char *what)
{
	int rc;

	do
		rc = dup2(from, to);
	while (rc == -1 && errno == EINTR);
	if (rc == -1)
		die(what, NULL, errno);
}

int main(int argc, char **argv)
{
	int null_fd;

	/* Without a stderr there is nowhere to report anything. */
	if (fcntl(2, F_GETFD) == -1)
		_exit(EXIT_LAUNCH);
	if (argc < 2 || argv[1][0] == '\0') {
		fputs("usage: sopm-init PROGRAM [ARG...]\n", stderr);
		return EXIT_LAUNCH;
	}
	move_fd(0, PROTO_IN, "fd 3 := stdin");
	move_fd(1, PROTO_OUT, "fd 4 := stdout");
	/* Fds 0 to 4 are open now, so this lands above them. */
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd == -1)
		die("open", "/dev/null", errno);
	move_fd(null_fd, 0, "fd 0 := /dev/null");
	if (close(null_fd) == -1)
		die("close /dev/null", NULL, errno);
	move_fd(2, 1, "fd 1 := stderr");
	execv(argv[1], argv + 1);
	die("exec", argv[1], errno);
	return EXIT_LAUNCH;
}
