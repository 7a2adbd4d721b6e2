/* sopm_log.h - structured logs: one JSON object per line, appended to one
 * file that every process and thread shares (O_APPEND, one write per line,
 * so lines never interleave). Never written to a client. */
#ifndef SOPM_LOG_H
#define SOPM_LOG_H

#include <stddef.h>

enum sopm_log_level {
	SOPM_LOG_DEBUG,
	SOPM_LOG_INFO,
	SOPM_LOG_WARN,
	SOPM_LOG_ERROR
};

/* Opens (or reopens, for log rotation) the log file; "-" means stderr.
 * Returns 0, or -1 with errno set; the previous file stays in use then. */
int sopm_log_open(const char *path, int level);

/* Level by name ("debug", "info", "warn", "error"), or -1. */
int sopm_log_level_parse(const char *name);

/* Writes {"ts","level","msg", ...fields} where fields_json is either NULL or
 * a run of already-encoded members, e.g. "\"pid\":12". */
void sopm_log(int level, const char *msg, const char *fields_json);

/* printf-style message, no extra fields. */
void sopm_logf(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes one preformatted JSON line (ending in a newline). In a thread that
 * called sopm_log_buffer(), the line waits in that thread's buffer. */
void sopm_log_line(const char *line, size_t len);

/* Makes the calling thread buffer its lines: they are written when the
 * buffer fills, when the oldest line is 100 ms old at the next line, or at
 * sopm_log_flush() (request threads call it after 50 ms without work).
 * Returns 0, or -1 (no memory: lines are then written one by one). */
int sopm_log_buffer(void);

/* Writes what the calling thread has buffered. */
void sopm_log_flush(void);

/* True when the calling thread has buffered lines. */
int sopm_log_pending(void);

/* Flushes and frees the calling thread's buffer. */
void sopm_log_unbuffer(void);

/* True when level would be written. */
int sopm_log_enabled(int level);

/* Appends a JSON string literal (quoted, escaped) of s to buf at *pos, never
 * past size; used to build log lines without allocating. */
void sopm_log_json_str(char *buf, size_t size, size_t *pos, const char *s);

#endif
