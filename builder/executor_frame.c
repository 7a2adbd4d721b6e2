/* executor_frame.c - see executor_frame.h. */
#include "executor_frame.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sopm_time.h"

#define LOG_CHECK_MS 100 /* how often the log's size is looked at */
#define LENGTH_LINE  48  /* "<header_len> <body_len>\n" fits */

void executor_reply_clear(struct executor_reply *reply)
{
	free(reply->body);
	memset(reply, 0, sizeof(*reply));
}

/* Whether the log grew by more than the call may write. */
static int log_grew_too_much(const struct executor_call *c)
{
	struct stat st;

	return c->log_fd >= 0 && fstat(c->log_fd, &st) == 0 &&
	       st.st_size - c->log_start > c->max_log;
}

/* Waits for fd to be ready for events, up to the deadline, looking at the
 * log and the stop flag every LOG_CHECK_MS. Returns OK when ready, or how the
 * call ends. */
static enum executor_io wait_for(const struct executor_call *c, int fd,
                                 short events)
{
	for (;;) {
		uint64_t now = sopm_time_mono_us();
		struct pollfd p = {fd, events, 0};
		long ms;
		int n;

		if (now >= c->deadline)
			return EXECUTOR_IO_TIMEOUT;
		if (c->stop != NULL && atomic_load(c->stop))
			return EXECUTOR_IO_STOPPED;
		if (log_grew_too_much(c))
			return EXECUTOR_IO_LOG_FLOOD;
		ms = (long)((c->deadline - now + 999) / 1000);
		n = poll(&p, 1, ms < LOG_CHECK_MS ? (int)ms : LOG_CHECK_MS);
		if (n < 0 && errno != EINTR)
			return EXECUTOR_IO_PROTOCOL;
		if (n > 0 && (p.revents & events))
			return EXECUTOR_IO_OK;
		if (n > 0) /* POLLHUP or POLLERR without data */
			return EXECUTOR_IO_EOF;
	}
}

static enum executor_io write_all(const struct executor_call *c, const char *p,
                                  size_t n)
{
	while (n > 0) {
		ssize_t k = write(c->in_fd, p, n);
		enum executor_io io;

		if (k > 0) {
			p += k;
			n -= (size_t)k;
			continue;
		}
		if (k < 0 && errno == EPIPE)
			return EXECUTOR_IO_EOF;
		if (k < 0 && errno != EAGAIN && errno != EINTR)
			return EXECUTOR_IO_PROTOCOL;
		if ((io = wait_for(c, c->in_fd, POLLOUT)) != EXECUTOR_IO_OK)
			return io;
	}
	return EXECUTOR_IO_OK;
}

/* Reads exactly n bytes into p. */
static enum executor_io read_all(const struct executor_call *c, char *p,
                                 size_t n)
{
	while (n > 0) {
		ssize_t k = read(c->out_fd, p, n);
		enum executor_io io;

		if (k > 0) {
			p += k;
			n -= (size_t)k;
			continue;
		}
		if (k == 0)
			return EXECUTOR_IO_EOF;
		if (errno != EAGAIN && errno != EINTR)
			return EXECUTOR_IO_PROTOCOL;
		if ((io = wait_for(c, c->out_fd, POLLIN)) != EXECUTOR_IO_OK)
			return io;
	}
	return EXECUTOR_IO_OK;
}

/* "0|[1-9][0-9]*" of at most 15 digits at *p, then `end`. */
static int parse_length(const char **p, char end, size_t *out)
{
	const char *s = *p;
	size_t v = 0, n = 0;

	while (s[n] >= '0' && s[n] <= '9' && n < 16)
		v = v * 10 + (size_t)(s[n++] - '0');
	if (n == 0 || n > 15 || (n > 1 && s[0] == '0') || s[n] != end)
		return -1;
	*out = v;
	*p = s + n + 1;
	return 0;
}

/* Reads the length line, one byte at a time: nothing past it is taken
 * from the pipe. */
static enum executor_io read_lengths(const struct executor_call *c,
                                     size_t *hlen, size_t *blen)
{
	char line[LENGTH_LINE];
	const char *p = line;
	size_t n = 0;
	enum executor_io io;

	do {
		if (n == sizeof(line) - 1)
			return EXECUTOR_IO_PROTOCOL;
		if ((io = read_all(c, &line[n], 1)) != EXECUTOR_IO_OK)
			return io;
	} while (line[n++] != '\n');
	line[n] = '\0';
	if (parse_length(&p, ' ', hlen) != 0 ||
	    parse_length(&p, '\n', blen) != 0)
		return EXECUTOR_IO_PROTOCOL;
	return EXECUTOR_IO_OK;
}

/* Takes status and error_type from the header's lines. */
static int parse_header(char *h, struct executor_reply *reply)
{
	char *line, *save = NULL;
	int status = -1;

	for (line = strtok_r(h, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strcmp(line, "status=ok") == 0)
			status = 1;
		else if (strcmp(line, "status=error") == 0)
			status = 0;
		else if (strncmp(line, "duration_us=", 12) == 0)
			reply->duration_us = strtoull(line + 12, NULL, 10);
		else if (strncmp(line, "error_type=", 11) == 0)
			snprintf(reply->error_type, sizeof(reply->error_type),
			         "%s", line + 11);
	}
	reply->ok = status == 1;
	return status < 0 ? -1 : 0;
}

enum executor_io executor_frame_call(const struct executor_call *c,
                                     const char *header, size_t header_len,
                                     const char *body, size_t body_len,
                                     struct executor_reply *reply)
{
	char lengths[LENGTH_LINE], *h;
	size_t hlen, blen;
	enum executor_io io;

	memset(reply, 0, sizeof(*reply));
	snprintf(lengths, sizeof(lengths), "%zu %zu\n", header_len, body_len);
	if ((io = write_all(c, lengths, strlen(lengths))) != EXECUTOR_IO_OK ||
	    (io = write_all(c, header, header_len)) != EXECUTOR_IO_OK ||
	    (io = write_all(c, body, body_len)) != EXECUTOR_IO_OK ||
	    (io = read_lengths(c, &hlen, &blen)) != EXECUTOR_IO_OK)
		return io;
	if (hlen > EXECUTOR_HEADER_MAX)
		return EXECUTOR_IO_PROTOCOL;
	if (blen > c->max_body)
		return EXECUTOR_IO_TOO_LARGE;
	h = malloc(hlen + 1);
	reply->body = malloc(blen + 1);
	if (h == NULL || reply->body == NULL) {
		free(h);
		executor_reply_clear(reply);
		return EXECUTOR_IO_PROTOCOL;
	}
	io = read_all(c, h, hlen);
	h[hlen] = '\0';
	if (io == EXECUTOR_IO_OK)
		io = read_all(c, reply->body, blen);
	if (io == EXECUTOR_IO_OK && parse_header(h, reply) != 0)
		io = EXECUTOR_IO_PROTOCOL;
	free(h);
	if (io != EXECUTOR_IO_OK) {
		executor_reply_clear(reply);
		return io;
	}
	reply->body[blen] = '\0';
	reply->body_len = blen;
	/* A fast writer may have passed the bound between two looks. */
	if (log_grew_too_much(c)) {
		executor_reply_clear(reply);
		return EXECUTOR_IO_LOG_FLOOD;
	}
	return EXECUTOR_IO_OK;
}
