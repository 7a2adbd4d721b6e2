/* sopm_log.c - JSON-lines logging. */
#include "sopm_log.h"
#include "sopm_time.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int log_fd = STDERR_FILENO;
static int log_level = SOPM_LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

int sopm_log_open(const char *path, int level)
{
	int fd;

	log_level = level;
	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDERR_FILENO;
	} else {
		fd =
		    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
	}
	if (log_fd != STDERR_FILENO && log_fd != fd)
		close(log_fd);
	log_fd = fd;
	return 0;
}

int sopm_log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

int sopm_log_enabled(int level)
{
	return level >= log_level;
}

#define LOG_BUFFER_SIZE       16384
#define LOG_BUFFER_MAX_AGE_US 100000

/* The calling thread's buffered lines; owned by that thread. */
static __thread char *tl_buf;
static __thread size_t tl_len;
static __thread uint64_t tl_oldest_us;

static void write_all(const char *p, size_t len)
{
	ssize_t rc = write(log_fd, p, len);
	(void)rc; /* a full disk must not fail the request */
}

int sopm_log_buffer(void)
{
	if (tl_buf == NULL)
		tl_buf = malloc(LOG_BUFFER_SIZE);
	tl_len = 0;
	return tl_buf ? 0 : -1;
}

void sopm_log_flush(void)
{
	if (tl_len > 0)
		write_all(tl_buf, tl_len);
	tl_len = 0;
}

int sopm_log_pending(void)
{
	return tl_len > 0;
}

void sopm_log_unbuffer(void)
{
	sopm_log_flush();
	free(tl_buf);
	tl_buf = NULL;
}

void sopm_log_line(const char *line, size_t len)
{
	uint64_t now;

	if (tl_buf == NULL || len > LOG_BUFFER_SIZE) {
		write_all(line, len);
		return;
	}
	now = sopm_time_mono_us();
	if (len > LOG_BUFFER_SIZE - tl_len ||
	    (tl_len > 0 && now - tl_oldest_us > LOG_BUFFER_MAX_AGE_US))
		sopm_log_flush();
	if (tl_len == 0)
		tl_oldest_us = now;
	memcpy(tl_buf + tl_len, line, len);
	tl_len += len;
}

void sopm_log_json_str(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t p = *pos;

	if (p + 2 >= size)
		return;
	buf[p++] = '"';
	for (; *s && p + 8 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			buf[p++] = '\\';
			buf[p++] = (char)ch;
		} else if (ch < 0x20) {
			p += (size_t)snprintf(buf + p, size - p, "\\u%04x", ch);
		} else {
			buf[p++] = (char)ch;
		}
	}
	buf[p++] = '"';
	buf[p] = '\0';
	*pos = p;
}

void sopm_log(int level, const char *msg, const char *fields_json)
{
	char line[2048], ts[SOPM_TIME_RFC3339_LEN];
	size_t pos;

	if (!sopm_log_enabled(level))
		return;
	sopm_time_rfc3339(sopm_time_now_us(), ts);
	pos = (size_t)snprintf(line, sizeof(line),
	                       "{\"ts\":\"%s\",\"level\":\"%s\",\"pid\":%d,"
	                       "\"msg\":",
	                       ts, level_names[level], (int)getpid());
	sopm_log_json_str(line, sizeof(line) - 256, &pos, msg);
	if (fields_json != NULL && pos < sizeof(line))
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos, ",%s",
		                        fields_json);
	if (pos > sizeof(line) - 3)
		pos = sizeof(line) - 3;
	line[pos++] = '}';
	line[pos++] = '\n';
	sopm_log_line(line, pos);
}

void sopm_logf(int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!sopm_log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sopm_log(level, msg, NULL);
}
