/* sopm_config.h - the configuration file (etc/sopm.conf documents every key)
 * and its environment overrides. */
#ifndef SOPM_CONFIG_H
#define SOPM_CONFIG_H

#include <stddef.h>

#include "sopm_err.h"

#define SOPM_CONF_STR 256

struct sopm_config {
	char fcgi_socket[SOPM_CONF_STR];
	unsigned fcgi_socket_mode;
	char fcgi_user[64];
	int fcgi_workers; /* resolved: 0 in the file means one per core */
	int fcgi_threads;
	long fcgi_shutdown_grace_ms;

	size_t http_max_body_bytes;
	size_t http_max_upload_bytes; /* user-function uploads */
	int http_max_json_depth;

	char log_file[SOPM_CONF_STR];
	int log_level; /* enum sopm_log_level */

	char redis_socket[SOPM_CONF_STR];
	char redis_host[SOPM_CONF_STR];
	int redis_port;
	long redis_timeout_ms;

	char db_socket[SOPM_CONF_STR];
	char db_host[SOPM_CONF_STR];
	int db_port;
	char db_user[64];
	char db_password[128];
	char db_password_file[SOPM_CONF_STR]; /* wins over db_password */
	char db_name[64];
	long db_timeout_ms;

	long jobs_ttl_s;
	long jobs_timeout_ms;
	int jobs_executor_threads;
	int jobs_max_attempts;
	size_t jobs_finish_buffer_bytes; /* outcomes kept while Redis is away */

	long catalog_sleep_max_ms;
	size_t catalog_http_max_response_bytes;
	char catalog_http_allow[SOPM_CONF_STR]; /* comma-separated hosts */

	int auth_catalog_required; /* auth.catalog = required */
	long auth_cache_ms;        /* a looked-up key is trusted this long */

	/* Defaults of the per-user quotas (table quotas overrides them). */
	int quota_rate_per_s; /* token bucket refill, per API key */
	int quota_burst;      /* token bucket size */
	int quota_max_concurrency;
	int quota_max_functions;

	/* sopm-builder (docs/design.md, "Builder") */
	char builder_user[64]; /* when started as root: the daemon's own
	                        * (unprivileged) half runs as this user */
	char builder_log_file[SOPM_CONF_STR];
	char builder_state_dir[SOPM_CONF_STR];
	char builder_runtimes_dir[SOPM_CONF_STR]; /* base-image.sh, shims */
	char builder_registry[SOPM_CONF_STR];     /* host:port; empty: none */
	int builder_registry_tls_verify;
	long builder_check_timeout_ms; /* the sandboxed validation */
	long builder_check_memory_mb;
	long builder_base_timeout_ms; /* preparing one base image */

	/* the executor in sopm-builder (docs/design.md, "The executor") */
	int executor_workers;              /* calls run at once */
	int executor_max_warm;             /* sandboxes kept, in total */
	int executor_max_warm_per_version; /* ... and per function version */
	int executor_idle_timeout_s;       /* an idle sandbox is then stopped */
	long executor_init_timeout_ms;  /* a cold start's boot and module load,
	                                 * on top of the function's timeout_ms */
	int executor_cpu_millis;        /* CPU quota: 1000 = one core */
	int executor_nproc;             /* RLIMIT_NPROC in the sandbox */
	int executor_tmp_mb;            /* the writable /tmp (tmpfs) */
	long executor_max_result_bytes; /* of one call's result */
	long executor_max_log_bytes;    /* stdout + stderr of one call */
};

/* Fills cfg with the defaults, then the file at path (NULL: none), then the
 * SOPM_* environment. Returns 0, or -1 with SOPM_E_INVALID_INPUT naming the
 * file, line and key of the first bad entry; cfg is then unspecified. */
int sopm_config_load(struct sopm_config *cfg, const char *path,
                     struct sopm_err *err);

#endif
