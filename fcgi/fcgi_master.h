/* fcgi_master.h - the master of the prefork pool: forks the workers,
 * replaces any that die, reloads on SIGHUP, drains on SIGTERM. */
#ifndef FCGI_MASTER_H
#define FCGI_MASTER_H

#include "sopm_config.h"

/* Runs the pool on listen_fd until SIGTERM/SIGINT and every worker has
 * exited. cfg is the loaded configuration; config_path is re-read on SIGHUP.
 * Returns the process exit code. */
int fcgi_master_run(int listen_fd, struct sopm_config *cfg,
                    const char *config_path);

#endif
