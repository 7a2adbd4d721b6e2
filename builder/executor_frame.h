/* executor_frame.h - one call over a sandbox's pipes, in the runtimes'
 * frame protocol (docs/runtimes.md, "The wire protocol"): a request frame
 * to the sandbox's stdin, its answer from its stdout, within a deadline,
 * while the sandbox's log may grow only so much. */
#ifndef EXECUTOR_FRAME_H
#define EXECUTOR_FRAME_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define EXECUTOR_HEADER_MAX 65536 /* the protocol's header_len bound */

/* How a call ended. */
enum executor_io {
	EXECUTOR_IO_OK,        /* an answer came: see the reply */
	EXECUTOR_IO_TIMEOUT,   /* the deadline passed first */
	EXECUTOR_IO_EOF,       /* the sandbox closed its stdout: it ended */
	EXECUTOR_IO_PROTOCOL,  /* a malformed frame, or a pipe error */
	EXECUTOR_IO_TOO_LARGE, /* the answer's body is over max_body */
	EXECUTOR_IO_LOG_FLOOD, /* the log grew by more than max_log */
	EXECUTOR_IO_STOPPED    /* the daemon is stopping */
};

/* The answer of a call. */
struct executor_reply {
	int ok;              /* status=ok */
	char error_type[32]; /* with status=error: exception, bad_result, ... */
	uint64_t duration_us; /* the handler's own time, when the runtime
	                       * says (header duration_us); else 0 */
	char *body;           /* NEW (free()), body_len bytes and a NUL */
	size_t body_len;
};

/* The limits and clock of one call. */
struct executor_call {
	int in_fd, out_fd;      /* the sandbox's stdin (write), stdout (read) */
	int log_fd;             /* its log, watched for size; -1: not watched */
	uint64_t deadline;      /* sopm_time_mono_us() by which it must end */
	size_t max_body;        /* of the answer */
	long long max_log;      /* bytes the log may grow by during the call */
	long long log_start;    /* the log's size when the call began */
	const atomic_int *stop; /* set: give up (may be NULL) */
};

/* Sends the request frame (header: `name=value\n` lines, body: the event's
 * JSON text; both borrowed) and reads one answer into reply (cleared
 * first; free with executor_reply_clear). After anything but
 * EXECUTOR_IO_OK the sandbox's pipes are out of step: it must not be used
 * again. */
enum executor_io executor_frame_call(const struct executor_call *c,
                                     const char *header, size_t header_len,
                                     const char *body, size_t body_len,
                                     struct executor_reply *reply);

/* Frees reply->body; may be called twice. */
void executor_reply_clear(struct executor_reply *reply);

#endif
