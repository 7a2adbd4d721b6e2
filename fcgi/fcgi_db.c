#include "fcgi_db.h"

#include "sopm_log.h"
#include "sopm_time.h"

#define RETRY_AFTER_FAILURE_US 500000

void fcgi_db_close(struct fcgi_worker_ctx *w)
{
	if (w->db != NULL)
		mysql_close(w->db);
	w->db = NULL;
}

static int db_down(struct fcgi_worker_ctx *w, struct sopm_err *err)
{
	sopm_logf(SOPM_LOG_WARN, "database unavailable: %s",
	          w->db ? mysql_error(w->db) : "out of memory");
	fcgi_db_close(w);
	w->db_retry_at_us = sopm_time_mono_us() + RETRY_AFTER_FAILURE_US;
	return sopm_err_set(err, SOPM_E_UNAVAILABLE,
	                    "the registry database is unavailable");
}

static int ensure_connected(struct fcgi_worker_ctx *w, struct sopm_err *err)
{
	const struct sopm_config *c = w->cfg;
	unsigned timeout = (unsigned)((c->db_timeout_ms + 999) / 1000);

	if (w->db != NULL)
		return 0;
	if (sopm_time_mono_us() < w->db_retry_at_us)
		return sopm_err_set(err, SOPM_E_UNAVAILABLE,
		                    "the registry database is unavailable");
	w->db = mysql_init(NULL);
	if (w->db == NULL)
		return db_down(w, err);
	mysql_options(w->db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(w->db, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(w->db, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	mysql_options(w->db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(
	        w->db, c->db_socket[0] ? NULL : c->db_host, c->db_user,
	        c->db_password[0] ? c->db_password : NULL, c->db_name,
	        (unsigned)c->db_port, c->db_socket[0] ? c->db_socket : NULL,
	        0) == NULL)
		return db_down(w, err);
	return 0;
}

int fcgi_db_ping(struct fcgi_worker_ctx *w, struct sopm_err *err)
{
	if (ensure_connected(w, err) != 0)
		return -1;
	if (mysql_ping(w->db) != 0)
		return db_down(w, err);
	return 0;
}
