/* sopm_jobq_int.h - internals shared by the files of sopm_jobq (the queue's
 * state, its key names and its Lua scripts). Not for other modules. */
#ifndef SOPM_JOBQ_INT_H
#define SOPM_JOBQ_INT_H

#include <pthread.h>

#include "sopm_jobq.h"

#define JOBQ_KEY_JOB        "sopm:job:"
#define JOBQ_DONE_SUFFIX    ":done" /* sopm:job:<id>:done, the wake-up */
#define JOBQ_PREFIX_MAX     64      /* "sopm:<queue>:processing:" */
#define JOBQ_KEY_MAX        192     /* a prefix and an owner */
#define JOBQ_OWNER_MAX      96
#define JOBQ_HEARTBEAT_MS   5000
#define JOBQ_DEADLINE_GRACE 5000 /* ms after jobs.timeout_ms */
#define JOBQ_SUSPECTS_MAX   256  /* ids audited per round */

/* An outcome that Redis did not take yet, in a FIFO list. */
struct jobq_deferred {
	struct jobq_deferred *next;
	char id[SOPM_ID_LEN];
	char attempt[24];
	const char *status; /* static */
	const char *field;  /* "result" or "error" */
	char finished_at[32];
	char duration_us[24];
	int nextra;                                 /* field/value pairs */
	const char *extra[2 * SOPM_JOBQ_EXTRA_MAX]; /* into text[] */
	size_t bytes; /* what it counts against jobs.finish_buffer_bytes */
	char text[];  /* the value (JSON), then the extra pairs, NUL apart */
};

struct sopm_jobq {
	const struct sopm_config *cfg; /* borrowed */
	int max_attempts;              /* 0: jobs.max_attempts */
	char owner[JOBQ_OWNER_MAX];
	char key_queue[JOBQ_KEY_MAX];
	char key_owners[JOBQ_KEY_MAX];
	char key_deadlines[JOBQ_KEY_MAX];
	char key_processing[JOBQ_KEY_MAX];       /* ours */
	char prefix_processing[JOBQ_PREFIX_MAX]; /* + an owner */
	char prefix_heartbeat[JOBQ_PREFIX_MAX];  /* + an owner */
	char key_heartbeat[JOBQ_KEY_MAX];        /* ours */

	pthread_mutex_t lock; /* guards hand[] and the deferred list */
	int nhand;
	struct jobq_hand {
		int used;
		char id[SOPM_ID_LEN]; /* "" while a take waits */
	} * hand;
	struct jobq_deferred *deferred, *deferred_tail;
	size_t deferred_bytes;
	pthread_mutex_t flush_lock; /* held by the one thread that flushes */

	/* Supervisor only (one thread): ids of our list that nobody held at
	 * the last round. */
	char (*suspects)[SOPM_ID_LEN];
	int nsuspects;
};

extern const char jobq_lua_submit[];
extern const char jobq_lua_start[];
extern const char jobq_lua_finish[];
extern const char jobq_lua_recover[];
extern const char jobq_lua_deadlines[];
extern const char jobq_lua_heartbeat[];
extern const char jobq_lua_leave[];

/* True when a thread of this process holds id (taken, or its outcome is
 * deferred). Takes q->lock. */
int jobq_holds(struct sopm_jobq *q, const char *id);

/* The attempts a job of q may have (sopm_jobq_set_max_attempts). */
int jobq_max_attempts(const struct sopm_jobq *q);

/* Encodes the extra record fields obj (borrowed; NULL = none) as
 * field/value strings: each value is its compact JSON text (sopm_jobq_get
 * decodes it back). Fills names[i] (borrowed from obj) and values[i] (NEW,
 * free() each) for up to SOPM_JOBQ_EXTRA_MAX fields. Returns how many, or
 * -1 with SOPM_E_INVALID_INPUT (not an object, too many, a reserved name)
 * or SOPM_E_INTERNAL; nothing is left to free then. */
int jobq_extra_encode(const json_t *obj, const char **names, char **values,
                      struct sopm_err *err);

/* Current wall clock as RFC 3339 (the API's format) into out[32]. */
void jobq_now(char out[32]);

/* Runs EVAL of script with argc arguments after it (keys count first);
 * binary-safe. Returns a NEW reply or NULL with err. */
struct redisReply *jobq_eval(struct sopm_redis *r, const char *script, int argc,
                             const char **args, struct sopm_err *err);

#endif
