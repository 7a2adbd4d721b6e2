/* sopm-fcgi - the prefork FastCGI pool of SOPM.
 *
 * usage: sopm-fcgi [-c CONFIG] [--check]
 * Opens the unix socket, drops root (fcgi.user), then runs the master in the
 * foreground; logs go to log.file. --check loads the configuration and the
 * catalog and exits. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fcgi_master.h"
#include "fcgi_router.h"
#include "fcgi_stats.h"
#include "fn.h"
#include "sopm_config.h"
#include "sopm_db.h"
#include "sopm_log.h"
#include "sopm_time.h"

static int die(const char *what, const char *detail)
{
	fprintf(stderr, "sopm-fcgi: %s%s%s\n", what, detail ? ": " : "",
	        detail ? detail : "");
	return 1;
}

/* Refuses a socket path that a live pool still answers on. */
static int socket_in_use(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int in_use = fd >= 0 && connect(fd, (const struct sockaddr *)addr,
	                                sizeof(*addr)) == 0;
	if (fd >= 0)
		close(fd);
	return in_use;
}

static int open_socket(const struct sopm_config *cfg)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(cfg->fcgi_socket) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, cfg->fcgi_socket);
	if (socket_in_use(&addr)) {
		errno = EADDRINUSE;
		return -1;
	}
	unlink(cfg->fcgi_socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    chmod(cfg->fcgi_socket, cfg->fcgi_socket_mode) != 0 ||
	    listen(fd, 1024) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Started as root: give the socket to fcgi.user and become that user for
 * good. No worker ever serves a request as root. */
static int drop_privileges(const struct sopm_config *cfg)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if (cfg->fcgi_user[0] == '\0') {
		fprintf(stderr, "sopm-fcgi: refusing to serve as root; set "
		                "fcgi.user\n");
		return -1;
	}
	pw = getpwnam(cfg->fcgi_user);
	if (pw == NULL || pw->pw_uid == 0) {
		fprintf(stderr,
		        "sopm-fcgi: fcgi.user '%s' is not a usable "
		        "unprivileged user\n",
		        cfg->fcgi_user);
		return -1;
	}
	if (chown(cfg->fcgi_socket, pw->pw_uid, pw->pw_gid) != 0 ||
	    initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
	    setuid(0) == 0) {
		fprintf(stderr, "sopm-fcgi: could not drop privileges: %s\n",
		        strerror(errno));
		return -1;
	}
	return 0;
}

/* Kept connections are file descriptors: allow as many as the hard limit
 * lets (the worker's connection table is sized from this). */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	const char *config_path = "etc/sopm.conf";
	struct sopm_config cfg;
	struct sopm_err err;
	int check_only = 0, fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (strcmp(argv[i], "--check") == 0)
			check_only = 1;
		else
			return die("usage: sopm-fcgi [-c CONFIG] [--check]",
			           NULL);
	}
	if (sopm_config_load(&cfg, config_path, &err) != 0)
		return die("bad configuration", err.msg);
	if (fn_catalog_init(&err) != 0 || fcgi_routes_init(&err) != 0)
		return die("bad catalog", err.msg);
	if (check_only) {
		printf("configuration and %zu catalog functions OK\n",
		       fn_catalog_count());
		return 0;
	}
	if (sopm_db_library_init(&err) != 0)
		return die(err.msg, NULL);
	raise_fd_limit();
	fd = open_socket(&cfg);
	if (fd < 0)
		return die("cannot listen on", cfg.fcgi_socket);
	if (drop_privileges(&cfg) != 0)
		return 1;
	if (sopm_log_open(cfg.log_file, cfg.log_level) != 0)
		return die("cannot open the log file", cfg.log_file);
	if (fcgi_stats_create(fn_catalog_count()) == NULL)
		return die("cannot map shared statistics", strerror(errno));
	fcgi_stats()->started_us = sopm_time_now_us();
	return fcgi_master_run(fd, &cfg, config_path);
}
