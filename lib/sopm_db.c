/* sopm_db.c - see sopm_db.h. */
#include "sopm_db.h"

#include <mysql.h>
#include <stdio.h>
#include <string.h>

#include "sopm_log.h"

/* The password: the first line of db.password_file when set (read at each
 * connect, so a rotated password needs no restart), else db.password.
 * Returns 0, or -1 when the file cannot be read. */
static int password(const struct sopm_config *c, char *out, size_t size)
{
	FILE *f;

	if (c->db_password_file[0] == '\0') {
		snprintf(out, size, "%s", c->db_password);
		return 0;
	}
	f = fopen(c->db_password_file, "r");
	if (f == NULL)
		return -1;
	if (fgets(out, (int)size, f) == NULL)
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int sopm_db_library_init(struct sopm_err *err)
{
	if (mysql_library_init(0, NULL, NULL) != 0)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "cannot initialise the MySQL client");
	return 0;
}

void sopm_db_init(struct sopm_db *db, const struct sopm_config *cfg)
{
	db->cfg = cfg;
	db->conn = NULL;
	db->in_tx = 0;
	sopm_backoff_reset(&db->backoff);
}

void sopm_db_close(struct sopm_db *db)
{
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
}

int sopm_db_down(struct sopm_db *db, struct sopm_err *err)
{
	sopm_logf(SOPM_LOG_WARN, "database unavailable: %s",
	          db->conn ? mysql_error(db->conn) : "out of memory");
	sopm_db_close(db);
	sopm_backoff_failed(&db->backoff);
	return sopm_err_set(err, SOPM_E_UNAVAILABLE,
	                    "the registry database is unavailable");
}

MYSQL *sopm_db_conn(struct sopm_db *db, struct sopm_err *err)
{
	const struct sopm_config *c = db->cfg;
	unsigned timeout = (unsigned)((c->db_timeout_ms + 999) / 1000);
	char pw[256];
	MYSQL *ok;

	if (db->conn != NULL)
		return db->conn;
	if (!sopm_backoff_ready(&db->backoff)) {
		sopm_err_set(err, SOPM_E_UNAVAILABLE,
		             "the registry database is unavailable");
		return NULL;
	}
	db->conn = mysql_init(NULL);
	if (db->conn == NULL) {
		sopm_db_down(db, err);
		return NULL;
	}
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Times are stored and shown in UTC (API.md). */
	mysql_options(db->conn, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (password(c, pw, sizeof(pw)) != 0) {
		sopm_logf(SOPM_LOG_ERROR, "cannot read db.password_file");
		sopm_db_down(db, err);
		return NULL;
	}
	ok = mysql_real_connect(db->conn, c->db_socket[0] ? NULL : c->db_host,
	                        c->db_user, pw[0] ? pw : NULL, c->db_name,
	                        (unsigned)c->db_port,
	                        c->db_socket[0] ? c->db_socket : NULL, 0);
	explicit_bzero(pw, sizeof(pw));
	if (ok == NULL) {
		sopm_db_down(db, err);
		return NULL;
	}
	sopm_backoff_reset(&db->backoff);
	return db->conn;
}

int sopm_db_ping(struct sopm_db *db, struct sopm_err *err)
{
	MYSQL *conn = sopm_db_conn(db, err);

	if (conn == NULL)
		return -1;
	if (mysql_ping(conn) != 0)
		return sopm_db_down(db, err);
	return 0;
}
