/* sopm_dbq.h - prepared statements over a struct sopm_db, with rows as
 * JSON. Every value a caller passes is a bound parameter: no SQL is ever
 * built from input.
 *
 * Rows come back as a JSON array of objects keyed by column name (the
 * query's AS names): integer columns as integers, floating-point columns as
 * reals, TIMESTAMP/DATETIME as RFC 3339 UTC strings with milliseconds
 * (API.md; the session's time_zone is '+00:00', see sopm_db.c), SQL NULL
 * as null, and everything else as a string (JSON columns too: MariaDB's
 * JSON is LONGTEXT, so the caller parses them).
 *
 * Errors: a lost or unreachable server is SOPM_E_UNAVAILABLE (the
 * connection is dropped and reconnects on a later call, see sopm_db_down);
 * a duplicate key is SOPM_E_CONFLICT; anything else is SOPM_E_INTERNAL. The
 * driver's text goes to the log only. */
#ifndef SOPM_DBQ_H
#define SOPM_DBQ_H

#include <jansson.h>
#include <stddef.h>

#include "sopm_db.h"

enum sopm_dbq_type { SOPM_DBQ_NULL, SOPM_DBQ_INT, SOPM_DBQ_TEXT };

#define SOPM_DBQ_ARGS_MAX 16 /* parameters of one statement */

/* One bound parameter. TEXT values are borrowed, len bytes (may hold any
 * byte). */
struct sopm_dbq_arg {
	enum sopm_dbq_type type;
	long long i;
	const char *s;
	size_t len;
};

#define SOPM_DBQ_I(v)     ((struct sopm_dbq_arg){SOPM_DBQ_INT, (v), NULL, 0})
#define SOPM_DBQ_S(v)     ((struct sopm_dbq_arg){SOPM_DBQ_TEXT, 0, (v), strlen(v)})
#define SOPM_DBQ_SN(v, n) ((struct sopm_dbq_arg){SOPM_DBQ_TEXT, 0, (v), (n)})
#define SOPM_DBQ_NUL      ((struct sopm_dbq_arg){SOPM_DBQ_NULL, 0, NULL, 0})

/* Runs sql (a statement with nargs '?' placeholders, args borrowed) and
 * returns its rows as a NEW JSON array (empty for a statement without a
 * result), or NULL with err. */
json_t *sopm_dbq_rows(struct sopm_db *db, const char *sql,
                      const struct sopm_dbq_arg *args, int nargs,
                      struct sopm_err *err);

/* As sopm_dbq_rows, for at most one row: a NEW object, or NULL with
 * SOPM_E_NOT_FOUND (no row; the message is for the caller to replace) or
 * another error. */
json_t *sopm_dbq_row(struct sopm_db *db, const char *sql,
                     const struct sopm_dbq_arg *args, int nargs,
                     struct sopm_err *err);

/* Runs a statement without a result. Stores the affected rows and the
 * AUTO_INCREMENT id it made (either pointer may be NULL). Returns 0, or -1
 * with err. */
int sopm_dbq_exec(struct sopm_db *db, const char *sql,
                  const struct sopm_dbq_arg *args, int nargs,
                  unsigned long long *affected, unsigned long long *insert_id,
                  struct sopm_err *err);

/* Transactions on db's connection: begin turns autocommit off, commit and
 * rollback end the transaction and turn it back on. Return 0, or -1 with
 * err (a rollback on a lost connection reports nothing: the server rolled
 * back already). */
int sopm_dbq_begin(struct sopm_db *db, struct sopm_err *err);
int sopm_dbq_commit(struct sopm_db *db, struct sopm_err *err);
void sopm_dbq_rollback(struct sopm_db *db);

#endif
