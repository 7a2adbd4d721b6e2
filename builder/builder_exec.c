/* builder_exec.c - see builder_exec.h. */
#include "builder_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sopm_time.h"

#define ENV_MAX 32
#define POLL_NS 5000000L /* 5 ms between looks at the child */
#define BASE_ENV                                                               \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

char *builder_file_tail(const char *path, size_t tail, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	off_t from = 0;
	char *buf;
	ssize_t n = 0;

	*len = 0;
	if (fd >= 0 && fstat(fd, &st) == 0 && (size_t)st.st_size > tail)
		from = st.st_size - (off_t)tail;
	buf = malloc(tail + 1);
	if (buf != NULL && fd >= 0) {
		n = pread(fd, buf, tail, from);
		if (n < 0)
			n = 0;
	}
	if (fd >= 0)
		close(fd);
	if (buf == NULL)
		return NULL;
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* In the child: never returns. */
static void child(const char *const argv[], char *const envp[], int out_fd,
                  pid_t parent)
{
	int null_fd = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before the prctl */
		_exit(127);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
	    dup2(out_fd, 2) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execvpe(argv[0], (char *const *)argv, envp);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int builder_exec(const char *const argv[], const char *const extra_env[],
                 const char *out_path, long timeout_ms, size_t tail,
                 struct builder_exec_result *res, struct sopm_err *err)
{
	char *envp[ENV_MAX + 3];
	int n = 0, status = 0, out_fd;
	uint64_t start = sopm_time_mono_us();
	pid_t pid, me = getpid();

	memset(res, 0, sizeof(*res));
	envp[n++] = (char *)BASE_ENV;
	envp[n++] = (char *)"LANG=C.UTF-8";
	for (int i = 0; extra_env && extra_env[i] && n < ENV_MAX; i++)
		envp[n++] = (char *)extra_env[i];
	envp[n] = NULL;
	out_fd =
	    open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out_fd < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "cannot open %s: %s",
		                    out_path, strerror(errno));
	pid = fork();
	if (pid == 0)
		child(argv, envp, out_fd, me);
	close(out_fd);
	if (pid < 0)
		return sopm_err_set(err, SOPM_E_INTERNAL, "fork: %s",
		                    strerror(errno));
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		struct timespec pause = {0, POLL_NS};

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = 0;
			break;
		}
		if (timeout_ms > 0 && !res->timed_out &&
		    sopm_time_mono_us() - start >=
		        (uint64_t)timeout_ms * 1000u) {
			res->timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		nanosleep(&pause, NULL);
	}
	res->duration_ms = (sopm_time_mono_us() - start) / 1000u;
	res->exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
	                 : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                                       : -1;
	if (tail > 0) {
		res->output =
		    builder_file_tail(out_path, tail, &res->output_len);
		if (res->output == NULL)
			return sopm_err_set(err, SOPM_E_INTERNAL, "no memory");
	}
	return 0;
}

void builder_exec_result_clear(struct builder_exec_result *res)
{
	free(res->output);
	res->output = NULL;
	res->output_len = 0;
}
