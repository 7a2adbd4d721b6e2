/* sopm_db.h - one thread's MySQL/MariaDB connection, connected lazily with
 * the configured timeouts (db.*); reconnects are paced by sopm_backoff, so a
 * database that is down costs callers no wait. The driver's error text goes
 * to the log only.
 *
 * A struct sopm_db is owned by one thread and never shared. The client
 * library is forward-declared: only files that run queries include
 * <mysql.h>. */
#ifndef SOPM_DB_H
#define SOPM_DB_H

#include "sopm_backoff.h"
#include "sopm_config.h"
#include "sopm_err.h"

struct st_mysql; /* MYSQL */

struct sopm_db {
	const struct sopm_config *cfg; /* borrowed: db.* */
	struct st_mysql *conn;         /* NULL until first used */
	struct sopm_backoff backoff;
	int in_tx; /* a transaction is open (sopm_dbq_begin) */
};

/* Initialises the client library. Call once per process, before any thread
 * uses a connection. Returns 0, or -1 with SOPM_E_INTERNAL. */
int sopm_db_library_init(struct sopm_err *err);

/* Prepares db for cfg (borrowed; it must outlive db). Connects nothing. */
void sopm_db_init(struct sopm_db *db, const struct sopm_config *cfg);

/* Closes the connection, if any; db may be used again (it reconnects). */
void sopm_db_close(struct sopm_db *db);

/* The connected handle (connecting if needed), BORROWED: valid until the
 * next sopm_db_close() or a call that finds it broken. Returns NULL with
 * SOPM_E_UNAVAILABLE when the database cannot be reached. */
struct st_mysql *sopm_db_conn(struct sopm_db *db, struct sopm_err *err);

/* Drops a connection that a query found broken and reports it: logs the
 * driver's error, paces the reconnect, and returns -1 with
 * SOPM_E_UNAVAILABLE. */
int sopm_db_down(struct sopm_db *db, struct sopm_err *err);

/* Checks that the database answers (connecting if needed). Returns 0, or -1
 * with SOPM_E_UNAVAILABLE. */
int sopm_db_ping(struct sopm_db *db, struct sopm_err *err);

#endif
