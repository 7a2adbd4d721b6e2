/* sopm_dbq.c - see sopm_dbq.h. */
#include "sopm_dbq.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#include "sopm_log.h"

#define MAX_ARGS  SOPM_DBQ_ARGS_MAX
#define MAX_COLS  32
#define CELL_SIZE 256 /* a cell longer than this is fetched again, whole */

/* Maps a failed statement's error: a lost server to 503 (dropping the
 * connection), a duplicate key to 409, anything else to 500. */
static int fail(struct sopm_db *db, MYSQL_STMT *st, struct sopm_err *err)
{
	unsigned code = st ? mysql_stmt_errno(st) : mysql_errno(db->conn);
	const char *text = st ? mysql_stmt_error(st) : mysql_error(db->conn);

	switch (code) {
	case ER_DUP_ENTRY:
		return sopm_err_set(err, SOPM_E_CONFLICT, "duplicate entry");
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
		return sopm_db_down(db, err);
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
		sopm_logf(SOPM_LOG_WARN, "database busy: %s", text);
		return sopm_err_set(err, SOPM_E_UNAVAILABLE,
		                    "the registry database is busy; try again");
	default:
		sopm_logf(SOPM_LOG_ERROR, "database error %u: %s", code, text);
		return sopm_err_code(err, SOPM_E_INTERNAL);
	}
}

/* A server that closed a connection we kept (it restarted, or
 * wait_timeout passed): the first round trip on it finds out. */
static int gone(unsigned code)
{
	return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST ||
	       code == CR_SERVER_LOST_EXTENDED || code == ER_CONNECTION_KILLED;
}

/* Prepares and runs sql with args bound. A kept connection that turns out
 * gone at the prepare (nothing ran yet) is replaced once, outside a
 * transaction, so a restarted server costs no request a 503. Returns the
 * statement (close it with mysql_stmt_close), or NULL with err. */
static MYSQL_STMT *run(struct sopm_db *db, const char *sql,
                       const struct sopm_dbq_arg *args, int nargs,
                       struct sopm_err *err)
{
	MYSQL *conn = sopm_db_conn(db, err);
	MYSQL_BIND bind[MAX_ARGS];
	unsigned long lens[MAX_ARGS];
	MYSQL_STMT *st;

	if (conn == NULL)
		return NULL;
	if (nargs > MAX_ARGS) {
		sopm_err_set(err, SOPM_E_INTERNAL, "too many query parameters");
		return NULL;
	}
	memset(bind, 0, sizeof(bind));
	for (int i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case SOPM_DBQ_INT:
			bind[i].buffer_type = MYSQL_TYPE_LONGLONG;
			bind[i].buffer = (void *)&args[i].i;
			break;
		case SOPM_DBQ_TEXT:
			lens[i] = (unsigned long)args[i].len;
			bind[i].buffer_type = MYSQL_TYPE_STRING;
			bind[i].buffer = (void *)args[i].s;
			bind[i].buffer_length = lens[i];
			bind[i].length = &lens[i];
			break;
		default:
			bind[i].buffer_type = MYSQL_TYPE_NULL;
		}
	}
	for (int tries = 0;; tries++) {
		st = mysql_stmt_init(conn);
		if (st == NULL) {
			fail(db, NULL, err);
			return NULL;
		}
		if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) ==
		    0)
			break;
		if (tries > 0 || db->in_tx || !gone(mysql_stmt_errno(st)))
			goto failed;
		mysql_stmt_close(st);
		sopm_db_close(db);
		conn = sopm_db_conn(db, err);
		if (conn == NULL)
			return NULL;
	}
	if ((nargs > 0 && mysql_stmt_bind_param(st, bind) != 0) ||
	    mysql_stmt_execute(st) != 0)
		goto failed;
	return st;
failed:
	fail(db, st, err);
	mysql_stmt_close(st);
	return NULL;
}

/* "2026-11-28 23:05:33.123" -> "2026-11-28T23:05:33.123Z". */
static json_t *rfc3339(const char *v, size_t len)
{
	char out[40];

	if (len + 2 > sizeof(out))
		return json_stringn(v, len);
	memcpy(out, v, len);
	if (len > 10 && out[10] == ' ')
		out[10] = 'T';
	out[len] = 'Z';
	return json_stringn(out, len + 1);
}

static json_t *cell(enum enum_field_types type, const char *v, size_t len)
{
	char num[64];

	switch (type) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_DOUBLE:
	case MYSQL_TYPE_FLOAT:
	case MYSQL_TYPE_NEWDECIMAL:
		if (len >= sizeof(num))
			return json_stringn(v, len);
		memcpy(num, v, len);
		num[len] = '\0';
		if (type == MYSQL_TYPE_DOUBLE || type == MYSQL_TYPE_FLOAT ||
		    (type == MYSQL_TYPE_NEWDECIMAL && strchr(num, '.')))
			return json_real(strtod(num, NULL));
		return json_integer(strtoll(num, NULL, 10));
	case MYSQL_TYPE_TIMESTAMP:
	case MYSQL_TYPE_DATETIME:
		return rfc3339(v, len);
	default:
		return json_stringn(v, len);
	}
}

/* Fetches every row of st into a NEW array. */
static json_t *fetch_all(struct sopm_db *db, MYSQL_STMT *st,
                         struct sopm_err *err)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_BIND bind[MAX_COLS];
	char cells[MAX_COLS][CELL_SIZE];
	unsigned long lens[MAX_COLS];
	my_bool nulls[MAX_COLS], truncated[MAX_COLS];
	MYSQL_FIELD *fields;
	unsigned ncols;
	json_t *rows = json_array();
	int rc;

	if (meta == NULL || rows == NULL) {
		if (meta != NULL)
			mysql_free_result(meta);
		return rows;
	}
	ncols = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	if (ncols > MAX_COLS) {
		mysql_free_result(meta);
		json_decref(rows);
		sopm_err_set(err, SOPM_E_INTERNAL, "too many result columns");
		return NULL;
	}
	memset(bind, 0, sizeof(bind));
	for (unsigned i = 0; i < ncols; i++) {
		bind[i].buffer_type = MYSQL_TYPE_STRING;
		bind[i].buffer = cells[i];
		bind[i].buffer_length = CELL_SIZE;
		bind[i].length = &lens[i];
		bind[i].is_null = &nulls[i];
		bind[i].error = &truncated[i];
	}
	if (mysql_stmt_bind_result(st, bind) != 0) {
		mysql_free_result(meta);
		json_decref(rows);
		fail(db, st, err);
		return NULL;
	}
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		json_t *row = json_object();
		for (unsigned i = 0; row && i < ncols; i++) {
			json_t *v;
			if (nulls[i]) {
				v = json_null();
			} else if (lens[i] <= CELL_SIZE) {
				v = cell(fields[i].type, cells[i], lens[i]);
			} else {
				/* A long cell: fetch it again, whole. */
				char *big = malloc(lens[i] + 1);
				MYSQL_BIND one;
				unsigned long got = 0;
				memset(&one, 0, sizeof(one));
				one.buffer_type = MYSQL_TYPE_STRING;
				one.buffer = big;
				one.buffer_length = lens[i] + 1;
				one.length = &got;
				v = big && mysql_stmt_fetch_column(st, &one, i,
				                                   0) == 0
				        ? cell(fields[i].type, big, got)
				        : NULL;
				free(big);
			}
			if (v == NULL ||
			    json_object_set_new(row, fields[i].name, v) != 0) {
				json_decref(row);
				row = NULL;
			}
		}
		if (row == NULL || json_array_append_new(rows, row) != 0) {
			rc = -2;
			break;
		}
	}
	mysql_free_result(meta);
	if (rc == MYSQL_NO_DATA)
		return rows;
	json_decref(rows);
	if (rc == -2)
		sopm_err_code(err, SOPM_E_INTERNAL);
	else
		fail(db, st, err);
	return NULL;
}

json_t *sopm_dbq_rows(struct sopm_db *db, const char *sql,
                      const struct sopm_dbq_arg *args, int nargs,
                      struct sopm_err *err)
{
	MYSQL_STMT *st = run(db, sql, args, nargs, err);
	json_t *rows;

	if (st == NULL)
		return NULL;
	rows = fetch_all(db, st, err);
	mysql_stmt_close(st);
	return rows;
}

json_t *sopm_dbq_row(struct sopm_db *db, const char *sql,
                     const struct sopm_dbq_arg *args, int nargs,
                     struct sopm_err *err)
{
	json_t *rows = sopm_dbq_rows(db, sql, args, nargs, err);
	json_t *row;

	if (rows == NULL)
		return NULL;
	row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (row == NULL)
		sopm_err_code(err, SOPM_E_NOT_FOUND);
	return row;
}

int sopm_dbq_exec(struct sopm_db *db, const char *sql,
                  const struct sopm_dbq_arg *args, int nargs,
                  unsigned long long *affected, unsigned long long *insert_id,
                  struct sopm_err *err)
{
	MYSQL_STMT *st = run(db, sql, args, nargs, err);

	if (st == NULL)
		return -1;
	if (affected)
		*affected = (unsigned long long)mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = (unsigned long long)mysql_stmt_insert_id(st);
	mysql_stmt_close(st);
	return 0;
}

int sopm_dbq_begin(struct sopm_db *db, struct sopm_err *err)
{
	MYSQL *conn = sopm_db_conn(db, err);

	if (conn == NULL)
		return -1;
	if (mysql_autocommit(conn, 0) != 0 && gone(mysql_errno(conn))) {
		/* nothing ran yet: a gone kept connection is replaced once */
		sopm_db_close(db);
		conn = sopm_db_conn(db, err);
		if (conn == NULL)
			return -1;
		if (mysql_autocommit(conn, 0) != 0)
			return fail(db, NULL, err);
	} else if (mysql_errno(conn) != 0) {
		return fail(db, NULL, err);
	}
	db->in_tx = 1;
	return 0;
}

int sopm_dbq_commit(struct sopm_db *db, struct sopm_err *err)
{
	db->in_tx = 0;
	if (db->conn == NULL)
		return sopm_db_down(db, err);
	if (mysql_commit(db->conn) != 0)
		return fail(db, NULL, err);
	mysql_autocommit(db->conn, 1);
	return 0;
}

void sopm_dbq_rollback(struct sopm_db *db)
{
	db->in_tx = 0;
	if (db->conn == NULL)
		return;
	mysql_rollback(db->conn);
	mysql_autocommit(db->conn, 1);
}
