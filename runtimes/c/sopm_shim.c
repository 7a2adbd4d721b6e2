/* sopm_shim.c - main() of a C function (installed as /sopm/c/sopm_shim.c).
 *
 * Compiled together with the user's files:
 *   gcc -Wall -Werror -O2 -static -I/sopm/c [-DSOPM_HANDLER=name] \
 *       /src/...c /sopm/c/sopm_shim.c -o /fn/fn
 * and run as /sopm/init /fn/fn, which hands it the protocol on fds 3 (in)
 * and 4 (out). It loops: read a frame, call SOPM_HANDLER, write a frame
 * (docs/runtimes.md, "Wire protocol"). It does not check that the event or
 * the result is JSON: the executor does.
 *
 * Exit status: 0 at EOF between frames; 2 for a malformed frame or a broken
 * protocol fd; 1 when the shim cannot start (no /fn) or runs out of memory.
 * Everything but main() and the sopm_* API of sopm.h is static, so that it
 * cannot collide with the user's names.
 */
#define _POSIX_C_SOURCE 200809L
#include "sopm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOPM_STR_(x) #x
#define SOPM_STR(x)  SOPM_STR_(x)

enum {
	PROTO_IN = 3,
	PROTO_OUT = 4,
	EXIT_START = 1,
	EXIT_PROTOCOL = 2,
};

#define HEADER_MAX   65536
#define BODY_MAX     SOPM_OUT_MAX /* 64 MiB, both ways */
#define LEN_LINE_MAX 32           /* "65536 67108864\n" is 15 */
#define LEN_DIGITS   9            /* more cannot be under the limits */
#define INT_DIGITS   15           /* header integers: below 2^53 */
#define READ_BUF     65536
#define OUT_MIN_CAP  4096

struct sopm_out {
	char *buf; /* owned; buf[len] is always '\0' once allocated */
	size_t len;
	size_t cap;
	int err; /* 0, or the errno of the first refused append */
};

/* The protocol input, buffered: the length line is read bytewise. */
struct reader {
	int fd;
	size_t pos;
	size_t end;
	char buf[READ_BUF];
};

static struct reader proto_in = {PROTO_IN, 0, 0, {0}};
static sopm_context cur_ctx = {"", 0, "", 0};

static void die(int code, const char *fmt, ...) SOPM_PRINTF_LIKE(2, 3);

/* Flushes the user's stdio (their log lines), reports, exits. */
static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(NULL);
	fputs("sopm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

/* Waits until fd is ready after EAGAIN (a non-blocking pipe). */
static void wait_fd(int fd, short events)
{
	struct pollfd p = {fd, events, 0};

	if (poll(&p, 1, -1) == -1 && errno != EINTR)
		die(EXIT_PROTOCOL, "poll fd %d: %s", fd, strerror(errno));
}

/* Reads at most n bytes: > 0, or 0 at EOF. Dies on an error. */
static size_t read_some(int fd, char *dst, size_t n)
{
	for (;;) {
		ssize_t r = read(fd, dst, n);

		if (r >= 0)
			return (size_t)r;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			wait_fd(fd, POLLIN);
		else if (errno != EINTR)
			die(EXIT_PROTOCOL, "read fd %d: %s", fd,
			    strerror(errno));
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w >= 0) {
			p += w;
			n -= (size_t)w;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			wait_fd(fd, POLLOUT);
		} else if (errno != EINTR) {
			die(EXIT_PROTOCOL, "write fd %d: %s", fd,
			    strerror(errno));
		}
	}
}

/* Parses "0" or [1-9][0-9]* of at most max_digits digits at *p, moving *p
 * past it. 0, or -1 when *p does not start with such a number. */
static int parse_uint(const char **p, const char *end, int max_digits,
                      long long *v)
{
	const char *s = *p;
	long long n = 0;
	int digits = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		if (++digits > max_digits || (digits == 2 && n == 0))
			return -1;
		n = n * 10 + (*s - '0');
		s++;
	}
	if (digits == 0)
		return -1;
	*p = s;
	*v = n;
	return 0;
}

/* Reads "<header_len> <body_len>\n". 0, or 1 at EOF before its first byte;
 * dies when it is malformed, over the limits, or cut by EOF. */
static int read_length_line(struct reader *r, size_t *hlen, size_t *blen)
{
	char line[LEN_LINE_MAX];
	size_t n = 0;
	const char *p = line, *end;
	long long h, b;

	for (;;) {
		if (n == sizeof line)
			die(EXIT_PROTOCOL,
			    "malformed frame: length line "
			    "longer than %d bytes",
			    LEN_LINE_MAX);
		if (r->pos == r->end) {
			r->pos = 0;
			r->end = read_some(r->fd, r->buf, sizeof r->buf);
			if (r->end == 0) {
				if (n == 0)
					return 1;
				die(EXIT_PROTOCOL, "EOF inside a length line");
			}
		}
		line[n] = r->buf[r->pos++];
		if (line[n++] == '\n')
			break;
	}
	end = line + n - 1;
	if (parse_uint(&p, end, LEN_DIGITS, &h) != 0 || p == end ||
	    *p++ != ' ' || parse_uint(&p, end, LEN_DIGITS, &b) != 0 || p != end)
		die(EXIT_PROTOCOL, "malformed frame: bad length line");
	if (h > HEADER_MAX)
		die(EXIT_PROTOCOL, "malformed frame: header_len %lld > %d", h,
		    HEADER_MAX);
	if ((unsigned long long)b > BODY_MAX)
		die(EXIT_PROTOCOL, "malformed frame: body_len %lld > %zu", b,
		    (size_t)BODY_MAX);
	*hlen = (size_t)h;
	*blen = (size_t)b;
	return 0;
}

/* Reads exactly n bytes into dst; dies at EOF (inside a frame). */
static void read_exact(struct reader *r, char *dst, size_t n)
{
	while (n > 0) {
		size_t k;

		if (r->pos < r->end) {
			k = r->end - r->pos;
			k = k < n ? k : n;
			memcpy(dst, r->buf + r->pos, k);
			r->pos += k;
		} else if (n >= sizeof r->buf) {
			/* big bodies bypass the buffer */
			k = read_some(r->fd, dst, n);
			if (k == 0)
				die(EXIT_PROTOCOL, "EOF inside a frame");
		} else {
			r->pos = 0;
			r->end = read_some(r->fd, r->buf, sizeof r->buf);
			if (r->end == 0)
				die(EXIT_PROTOCOL, "EOF inside a frame");
			continue;
		}
		dst += k;
		n -= k;
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void check_header_text(const char *h, size_t n)
{
	size_t i = 0, k;

	if (n > 0 && h[n - 1] != '\n')
		die(EXIT_PROTOCOL, "malformed header: no final newline");
	while (i < n) {
		if (h[i] == '\0')
			die(EXIT_PROTOCOL, "malformed header: NUL byte");
		k = utf8_seq((const unsigned char *)h + i, n - i);
		if (k == 0)
			die(EXIT_PROTOCOL, "malformed header: not UTF-8");
		i += k;
	}
}

static long long header_int(const char *name, const char *value)
{
	const char *p = value;
	long long v;

	if (parse_uint(&p, p + strlen(p), INT_DIGITS, &v) != 0 || *p != '\0')
		die(EXIT_PROTOCOL, "malformed header: %s is not an integer",
		    name);
	return v;
}

/* Splits the header (n bytes, h[n] writable) into lines "name=value\n" in
 * place and fills cur_ctx, whose strings then point into h. Dies when it is
 * malformed; unknown names are ignored. */
static void parse_header(char *h, size_t n)
{
	char *line = h, *end = h + n;

	check_header_text(h, n);
	cur_ctx = (sopm_context){"", 0, "", 0};
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *eq = memchr(line, '=', (size_t)(nl - line));
		const char *c;

		if (eq == NULL || eq == line)
			die(EXIT_PROTOCOL, "malformed header: a line is not "
			                   "name=value");
		for (c = line; c < eq; c++)
			if ((*c < 'a' || *c > 'z') && *c != '_')
				die(EXIT_PROTOCOL,
				    "malformed header: bad name");
		*eq = '\0';
		*nl = '\0';
		if (strcmp(line, "function_name") == 0)
			cur_ctx.function_name = eq + 1;
		else if (strcmp(line, "job_id") == 0)
			cur_ctx.job_id = eq + 1;
		else if (strcmp(line, "function_version") == 0)
			cur_ctx.function_version = header_int(line, eq + 1);
		else if (strcmp(line, "deadline_ms") == 0)
			cur_ctx.deadline_ms = header_int(line, eq + 1);
		line = nl + 1;
	}
}

static struct timespec call_started; /* of the call being answered */

/* Sends an answer; its header gains duration_us, the handler's time. */
static void respond(const char *header, const char *body, size_t blen)
{
	char line[LEN_LINE_MAX], full[256];
	struct timespec now;
	long long us;
	size_t hlen;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (now.tv_sec - call_started.tv_sec) * 1000000LL +
	     (now.tv_nsec - call_started.tv_nsec) / 1000;
	hlen = (size_t)snprintf(full, sizeof full, "%sduration_us=%lld\n",
	                        header, us);
	n = snprintf(line, sizeof line, "%zu %zu\n", hlen, blen);
	write_all(PROTO_OUT, line, (size_t)n);
	write_all(PROTO_OUT, full, hlen);
	write_all(PROTO_OUT, body, blen);
}

/* Runs one call on a request read whole (body[blen] == '\0'). */
static void serve_one(char *header, size_t hlen, const char *body, size_t blen)
{
	struct sopm_out out = {NULL, 0, 0, 0};
	char msg[128];
	int rc;

	parse_header(header, hlen);
	clock_gettime(CLOCK_MONOTONIC, &call_started);
	rc = SOPM_HANDLER(body, blen, &out);
	cur_ctx = (sopm_context){"", 0, "", 0};
	/* The call's log lines go down the log pipe before its answer. */
	fflush(NULL);
	if (rc == 0 && out.err != 0) {
		snprintf(msg, sizeof msg,
		         "the result was refused: %s (the limit is %zu bytes)",
		         strerror(out.err), (size_t)SOPM_OUT_MAX);
		respond("status=error\nerror_type=bad_result\n", msg,
		        strlen(msg));
	} else if (rc == 0) {
		respond("status=ok\n", out.len ? out.buf : "null",
		        out.len ? out.len : 4);
	} else if (out.len > 0) {
		respond("status=error\nerror_type=exception\n", out.buf,
		        out.len);
	} else {
		snprintf(msg, sizeof msg, "%s returned %d",
		         SOPM_STR(SOPM_HANDLER), rc);
		respond("status=error\nerror_type=exception\n", msg,
		        strlen(msg));
	}
	free(out.buf);
}

/* Makes room for extra more bytes plus the trailing NUL. 0, or -1 with
 * errno and out->err set. */
static int out_reserve(sopm_out *out, size_t extra)
{
	size_t cap;
	char *p;

	if (extra > SOPM_OUT_MAX - out->len) {
		errno = EFBIG;
		goto refused;
	}
	if (out->len + extra < out->cap)
		return 0;
	cap = out->cap ? out->cap : OUT_MIN_CAP;
	while (cap <= out->len + extra)
		cap *= 2;
	p = realloc(out->buf, cap);
	if (p == NULL) {
		errno = ENOMEM;
		goto refused;
	}
	out->buf = p;
	out->cap = cap;
	return 0;
refused:
	if (out->err == 0)
		out->err = errno;
	return -1;
}

int sopm_out_write(sopm_out *out, const char *json, size_t len)
{
	if (out == NULL || (json == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	if (out_reserve(out, len) != 0)
		return -1;
	if (len > 0)
		memcpy(out->buf + out->len, json, len);
	out->len += len;
	out->buf[out->len] = '\0';
	return 0;
}

int sopm_out_printf(sopm_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out == NULL || fmt == NULL) {
		errno = EINVAL;
		return -1;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (out->err == 0)
			out->err = errno;
		return -1;
	}
	if (out_reserve(out, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(out->buf + out->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out->len += (size_t)n;
	return 0;
}

const sopm_context *sopm_context_get(void)
{
	return &cur_ctx;
}

long long sopm_remaining_ms(void)
{
	struct timespec ts;
	long long now;

	if (cur_ctx.deadline_ms == 0)
		return SOPM_NO_DEADLINE_MS;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	return cur_ctx.deadline_ms > now ? cur_ctx.deadline_ms - now : 0;
}

/* The protocol fds come from /sopm/init; the user's children must not
 * inherit them. */
static void claim_fd(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags == -1 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
		die(EXIT_PROTOCOL, "fd %d: %s (run under /sopm/init)", fd,
		    strerror(errno));
}

int main(void)
{
	const char *fn_dir = getenv("SOPM_FN_DIR");
	size_t hlen, blen;

	claim_fd(PROTO_IN);
	claim_fd(PROTO_OUT);
	if (fn_dir == NULL || fn_dir[0] == '\0')
		fn_dir = "/fn";
	if (chdir(fn_dir) != 0)
		die(EXIT_START, "chdir %s: %s", fn_dir, strerror(errno));
	while (read_length_line(&proto_in, &hlen, &blen) == 0) {
		char *header = malloc(hlen + 1);
		char *body = malloc(blen + 1);

		if (header == NULL || body == NULL)
			die(EXIT_START, "out of memory for a %zu-byte request",
			    hlen + blen);
		read_exact(&proto_in, header, hlen);
		header[hlen] = '\0';
		read_exact(&proto_in, body, blen);
		body[blen] = '\0';
		serve_one(header, hlen, body, blen);
		free(header);
		free(body);
	}
	fflush(NULL);
	return 0;
}
