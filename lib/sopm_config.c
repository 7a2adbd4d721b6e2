/* sopm_config.c - key = value configuration with SOPM_* overrides. */
#include "sopm_config.h"
#include "sopm_log.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum key_kind { K_STR, K_INT, K_LONG, K_SIZE, K_MODE, K_LEVEL, K_AUTH };

/* Every key: its kind, where it lands in the struct, and its bounds. */
static const struct key_def {
	const char *key;
	enum key_kind kind;
	size_t offset;
	size_t size; /* K_STR: buffer size */
	long min, max;
} keys[] = {
#define STR(k, f)                                                              \
	{                                                                      \
		k, K_STR, offsetof(struct sopm_config, f),                     \
		    sizeof(((struct sopm_config *)0)->f), 0, 0                 \
	}
#define NUM(k, kind, f, lo, hi)                                                \
	{                                                                      \
		k, kind, offsetof(struct sopm_config, f), 0, lo, hi            \
	}
    STR("fcgi.socket", fcgi_socket),
    NUM("fcgi.socket_mode", K_MODE, fcgi_socket_mode, 0, 0777),
    STR("fcgi.user", fcgi_user),
    NUM("fcgi.workers", K_INT, fcgi_workers, 0, 256),
    NUM("fcgi.threads", K_INT, fcgi_threads, 1, 1024),
    NUM("fcgi.shutdown_grace_ms", K_LONG, fcgi_shutdown_grace_ms, 0, 600000),
    NUM("http.max_body_bytes", K_SIZE, http_max_body_bytes, 1, 1L << 30),
    NUM("http.max_upload_bytes", K_SIZE, http_max_upload_bytes, 1, 8L << 20),
    NUM("http.max_json_depth", K_INT, http_max_json_depth, 1, 1000),
    STR("log.file", log_file),
    NUM("log.level", K_LEVEL, log_level, 0, 0),
    STR("redis.socket", redis_socket),
    STR("redis.host", redis_host),
    NUM("redis.port", K_INT, redis_port, 1, 65535),
    NUM("redis.timeout_ms", K_LONG, redis_timeout_ms, 1, 60000),
    STR("db.socket", db_socket),
    STR("db.host", db_host),
    NUM("db.port", K_INT, db_port, 1, 65535),
    STR("db.user", db_user),
    STR("db.password", db_password),
    STR("db.password_file", db_password_file),
    STR("db.name", db_name),
    NUM("db.timeout_ms", K_LONG, db_timeout_ms, 1, 60000),
    NUM("jobs.ttl_s", K_LONG, jobs_ttl_s, 1, 30L * 86400),
    NUM("jobs.timeout_ms", K_LONG, jobs_timeout_ms, 1, 3600000),
    NUM("jobs.executor_threads", K_INT, jobs_executor_threads, 1, 64),
    NUM("jobs.max_attempts", K_INT, jobs_max_attempts, 1, 10),
    NUM("jobs.finish_buffer_bytes", K_SIZE, jobs_finish_buffer_bytes, 0,
        1L << 30),
    NUM("catalog.sleep_max_ms", K_LONG, catalog_sleep_max_ms, 0, 600000),
    NUM("catalog.http_max_response_bytes", K_SIZE,
        catalog_http_max_response_bytes, 1, 1L << 30),
    STR("catalog.http_allow", catalog_http_allow),
    NUM("auth.catalog", K_AUTH, auth_catalog_required, 0, 0),
    NUM("auth.cache_ms", K_LONG, auth_cache_ms, 0, 4000),
    NUM("quota.rate_per_s", K_INT, quota_rate_per_s, 0, 1000000),
    NUM("quota.burst", K_INT, quota_burst, 1, 1000000),
    NUM("quota.max_concurrency", K_INT, quota_max_concurrency, 0, 100000),
    NUM("quota.max_functions", K_INT, quota_max_functions, 0, 1000000),
    STR("builder.user", builder_user),
    STR("builder.log_file", builder_log_file),
    STR("builder.state_dir", builder_state_dir),
    STR("builder.runtimes_dir", builder_runtimes_dir),
    STR("builder.registry", builder_registry),
    NUM("builder.registry_tls_verify", K_INT, builder_registry_tls_verify, 0,
        1),
    NUM("builder.check_timeout_ms", K_LONG, builder_check_timeout_ms, 1000,
        600000),
    NUM("builder.check_memory_mb", K_LONG, builder_check_memory_mb, 64, 8192),
    NUM("builder.base_timeout_ms", K_LONG, builder_base_timeout_ms, 10000,
        3600000),
    NUM("executor.workers", K_INT, executor_workers, 1, 256),
    NUM("executor.max_warm", K_INT, executor_max_warm, 1, 4096),
    NUM("executor.max_warm_per_version", K_INT, executor_max_warm_per_version,
        1, 256),
    NUM("executor.idle_timeout_s", K_INT, executor_idle_timeout_s, 1, 86400),
    NUM("executor.init_timeout_ms", K_LONG, executor_init_timeout_ms, 1000,
        120000),
    NUM("executor.cpu_millis", K_INT, executor_cpu_millis, 10, 64000),
    NUM("executor.nproc", K_INT, executor_nproc, 1, 4096),
    NUM("executor.tmp_mb", K_INT, executor_tmp_mb, 1, 4096),
    NUM("executor.max_result_bytes", K_LONG, executor_max_result_bytes, 1024,
        67108864),
    NUM("executor.max_log_bytes", K_LONG, executor_max_log_bytes, 65536,
        1073741824),
#undef STR
#undef NUM
};

static void set_defaults(struct sopm_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->fcgi_socket, sizeof(c->fcgi_socket), "var/run/fcgi.sock");
	c->fcgi_socket_mode = 0660;
	c->fcgi_threads = 8;
	c->fcgi_shutdown_grace_ms = 10000;
	c->http_max_body_bytes = 1048576;
	c->http_max_upload_bytes = 4194304;
	c->http_max_json_depth = 64;
	snprintf(c->log_file, sizeof(c->log_file), "var/log/sopm-fcgi.log");
	c->log_level = SOPM_LOG_INFO;
	snprintf(c->redis_host, sizeof(c->redis_host), "127.0.0.1");
	c->redis_port = 6379;
	c->redis_timeout_ms = 500;
	snprintf(c->db_host, sizeof(c->db_host), "127.0.0.1");
	c->db_port = 3306;
	snprintf(c->db_user, sizeof(c->db_user), "sopm");
	snprintf(c->db_name, sizeof(c->db_name), "sopm");
	c->db_timeout_ms = 1000;
	c->jobs_ttl_s = 86400;
	c->jobs_timeout_ms = 30000;
	c->jobs_executor_threads = 2;
	c->jobs_max_attempts = 2;
	c->jobs_finish_buffer_bytes = 16777216;
	c->catalog_sleep_max_ms = 10000;
	c->catalog_http_max_response_bytes = 1048576;
	c->auth_cache_ms = 2000;
	c->quota_rate_per_s = 100;
	c->quota_burst = 200;
	c->quota_max_concurrency = 10;
	c->quota_max_functions = 100;
	snprintf(c->builder_log_file, sizeof(c->builder_log_file),
	         "var/log/sopm-builder.log");
	snprintf(c->builder_state_dir, sizeof(c->builder_state_dir),
	         "var/builder");
	snprintf(c->builder_runtimes_dir, sizeof(c->builder_runtimes_dir),
	         "runtimes");
	c->builder_registry_tls_verify = 1;
	c->builder_check_timeout_ms = 60000;
	c->builder_check_memory_mb = 512;
	c->builder_base_timeout_ms = 900000;
	c->executor_workers = 8;
	c->executor_max_warm = 32;
	c->executor_max_warm_per_version = 4;
	c->executor_idle_timeout_s = 300;
	c->executor_init_timeout_ms = 10000;
	c->executor_cpu_millis = 1000;
	c->executor_nproc = 64;
	c->executor_tmp_mb = 64;
	c->executor_max_result_bytes = 6 << 20;
	c->executor_max_log_bytes = 16 << 20;
}

static int parse_long(const char *v, int base, long *out)
{
	char *end;
	errno = 0;
	*out = strtol(v, &end, base);
	return (errno == 0 && end != v && *end == '\0') ? 0 : -1;
}

/* Stores value into the field of def. Returns 0 or -1 (bad value). */
static int set_key(struct sopm_config *c, const struct key_def *d,
                   const char *v)
{
	char *field = (char *)c + d->offset;
	long n;

	switch (d->kind) {
	case K_STR:
		if (strlen(v) >= d->size)
			return -1;
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case K_LEVEL:
		n = sopm_log_level_parse(v);
		if (n < 0)
			return -1;
		*(int *)field = (int)n;
		return 0;
	case K_AUTH: /* auth.catalog: optional | required */
		if (strcmp(v, "optional") != 0 && strcmp(v, "required") != 0)
			return -1;
		*(int *)field = strcmp(v, "required") == 0;
		return 0;
	case K_MODE:
		if (parse_long(v, 8, &n) != 0 || n < d->min || n > d->max)
			return -1;
		*(unsigned *)field = (unsigned)n;
		return 0;
	default:
		if (parse_long(v, 10, &n) != 0 || n < d->min || n > d->max)
			return -1;
		if (d->kind == K_INT)
			*(int *)field = (int)n;
		else if (d->kind == K_LONG)
			*(long *)field = n;
		else
			*(size_t *)field = (size_t)n;
		return 0;
	}
}

static const struct key_def *find_key(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

static char *trim(char *s)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct sopm_config *c, const char *path,
                     struct sopm_err *err)
{
	char line[1024];
	int lineno = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "cannot open config file %s: %s", path,
		                    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *hash = strchr(line, '#'), *eq, *key, *val;
		const struct key_def *d;

		lineno++;
		if (hash)
			*hash = '\0';
		key = trim(line);
		if (*key == '\0')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			fclose(f);
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "%s:%d: expected key = value", path,
			                    lineno);
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		d = find_key(key);
		if (d == NULL || set_key(c, d, val) != 0) {
			fclose(f);
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT, "%s:%d: %s '%s'", path,
			    lineno, d ? "bad value for" : "unknown key", key);
		}
	}
	fclose(f);
	return 0;
}

/* SOPM_FCGI_WORKERS for fcgi.workers. */
static void env_name(const char *key, char *out, size_t size)
{
	size_t n = snprintf(out, size, "SOPM_");
	for (; *key && n + 1 < size; key++)
		out[n++] =
		    *key == '.' ? '_' : (char)toupper((unsigned char)*key);
	out[n] = '\0';
}

int sopm_config_load(struct sopm_config *cfg, const char *path,
                     struct sopm_err *err)
{
	set_defaults(cfg);
	if (path != NULL && load_file(cfg, path, err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		char name[64];
		const char *v;
		env_name(keys[i].key, name, sizeof(name));
		v = getenv(name);
		if (v != NULL && set_key(cfg, &keys[i], v) != 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "bad value in environment %s",
			                    name);
	}
	if (cfg->fcgi_workers == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		cfg->fcgi_workers = cores > 0 ? (int)cores : 1;
	}
	return 0;
}
