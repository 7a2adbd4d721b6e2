/* fcgi_db.h - a thread's MySQL/MariaDB connection, connected lazily with the
 * configured timeouts; a failed connect is retried at most every 500 ms. */
#ifndef FCGI_DB_H
#define FCGI_DB_H

#include "fcgi_worker.h"
#include "sopm_err.h"

/* Checks that the database answers (connecting if needed). Returns 0, or -1
 * with SOPM_E_UNAVAILABLE. The driver's error text goes to the log only. */
int fcgi_db_ping(struct fcgi_worker_ctx *w, struct sopm_err *err);

/* Closes the thread's connection. */
void fcgi_db_close(struct fcgi_worker_ctx *w);

#endif
