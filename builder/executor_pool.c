/* executor_pool.c - see executor_pool.h. */
#include "executor_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sopm_log.h"
#include "sopm_time.h"

/* A sandbox in the pool: busy while a call holds it. */
struct slot {
	struct executor_sandbox *sb;
	int busy;
	int retired; /* stop it when its call ends */
	struct slot *next;
};

static struct {
	const struct sopm_config *cfg;
	const struct executor_backend *backend;
	pthread_mutex_t lock;
	struct slot *slots;
	int size;
	unsigned seq;
	atomic_long evictions;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

int executor_pool_init(const struct sopm_config *cfg,
                       const struct executor_backend *backend,
                       struct sopm_err *err)
{
	pool.cfg = cfg;
	pool.backend = backend;
	return backend->reap(err);
}

const struct sopm_config *executor_pool_config(void)
{
	return pool.cfg;
}

const struct executor_backend *executor_pool_backend(void)
{
	return pool.backend;
}

long executor_pool_evictions(void)
{
	return atomic_load(&pool.evictions);
}

/* Unlinks and returns the slot of sb (lock held), or NULL. */
static struct slot *unlink_slot(const struct executor_sandbox *sb)
{
	for (struct slot **p = &pool.slots; *p; p = &(*p)->next)
		if ((*p)->sb == sb) {
			struct slot *s = *p;

			*p = s->next;
			pool.size--;
			return s;
		}
	return NULL;
}

static int same_spec(const struct executor_sandbox *sb,
                     const struct executor_spec *spec)
{
	return sb->version_id == spec->version_id &&
	       strcmp(sb->generation, spec->generation) == 0;
}

struct executor_sandbox *executor_pool_take(const struct executor_spec *spec)
{
	for (;;) {
		struct executor_sandbox *found = NULL;

		pthread_mutex_lock(&pool.lock);
		for (struct slot *s = pool.slots; s; s = s->next)
			if (!s->busy && !s->retired && same_spec(s->sb, spec)) {
				s->busy = 1;
				found = s->sb;
				break;
			}
		pthread_mutex_unlock(&pool.lock);
		if (found == NULL || pool.backend->alive(found))
			return found;
		/* It ended while idle (a node timer's exception, a thread
		 * that exited the process): stopped, not used. */
		executor_pool_stop(found, 0, NULL);
	}
}

/* Decides whether a new sandbox of spec is pooled and, if so, puts its
 * slot in the pool at once (busy: it is starting), so that concurrent
 * starts count it (lock held). *evict gets the idle sandbox that must make
 * room. */
static int reserve(const struct executor_spec *spec, struct slot *slot,
                   struct executor_sandbox **evict)
{
	struct slot *lru = NULL;
	int of_version = 0;

	*evict = NULL;
	for (struct slot *s = pool.slots; s; s = s->next) {
		if (s->sb->version_id == spec->version_id && !s->retired)
			of_version++;
		if (!s->busy &&
		    (lru == NULL || s->sb->idle_since < lru->sb->idle_since))
			lru = s;
	}
	if (of_version >= pool.cfg->executor_max_warm_per_version)
		return 0;
	if (pool.size >= pool.cfg->executor_max_warm) {
		if (lru == NULL)
			return 0;
		unlink_slot(lru->sb);
		*evict = lru->sb;
		(*evict)->pooled = 0;
		free(lru);
		atomic_fetch_add(&pool.evictions, 1);
	}
	slot->busy = 1;
	slot->next = pool.slots;
	pool.slots = slot;
	pool.size++;
	return 1;
}

struct executor_sandbox *executor_pool_start(const struct executor_spec *spec,
                                             struct sopm_err *err)
{
	struct executor_sandbox *sb = calloc(1, sizeof(*sb)), *evict = NULL;
	struct slot *slot = calloc(1, sizeof(*slot));

	if (sb == NULL || slot == NULL) {
		free(sb);
		free(slot);
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	}
	sb->function_id = spec->function_id;
	sb->version_id = spec->version_id;
	memcpy(sb->generation, spec->generation, sizeof(sb->generation));
	slot->sb = sb;
	pthread_mutex_lock(&pool.lock);
	snprintf(sb->id, sizeof(sb->id), "sopm-run-%lld-%lld-%x-%u",
	         spec->function_id, spec->version, (unsigned)getpid(),
	         ++pool.seq);
	sb->pooled = reserve(spec, slot, &evict);
	pthread_mutex_unlock(&pool.lock);
	if (!sb->pooled)
		free(slot);
	if (evict != NULL)
		executor_pool_stop(evict, 0, NULL);
	if (pool.backend->start(sb, spec, err) != 0) {
		if (sb->pooled) {
			pthread_mutex_lock(&pool.lock);
			free(unlink_slot(sb));
			pthread_mutex_unlock(&pool.lock);
		}
		free(sb);
		return NULL;
	}
	return sb;
}

void executor_pool_stop(struct executor_sandbox *sb, long wait_ms,
                        struct executor_end *end)
{
	if (sb->pooled) {
		pthread_mutex_lock(&pool.lock);
		free(unlink_slot(sb));
		pthread_mutex_unlock(&pool.lock);
	}
	pool.backend->stop(sb, wait_ms, end);
	free(sb);
}

void executor_pool_put(struct executor_sandbox *sb)
{
	int keep = 0;

	if (sb->pooled) {
		pthread_mutex_lock(&pool.lock);
		for (struct slot *s = pool.slots; s; s = s->next)
			if (s->sb == sb) {
				keep = !s->retired;
				s->busy = 0;
				sb->idle_since = sopm_time_mono_us();
				break;
			}
		pthread_mutex_unlock(&pool.lock);
	}
	if (!keep)
		executor_pool_stop(sb, 0, NULL);
}

/* Takes out of the pool the idle sandboxes for which want(slot, arg) holds
 * and marks the busy ones retired; stops them outside the lock. */
static int stop_where(int (*want)(const struct slot *, const void *),
                      const void *arg)
{
	struct executor_sandbox *victims = NULL;
	int n = 0;

	pthread_mutex_lock(&pool.lock);
	for (struct slot **p = &pool.slots; *p;) {
		struct slot *s = *p;

		if (!want(s, arg)) {
			p = &s->next;
			continue;
		}
		if (s->busy) {
			s->retired = 1;
			p = &s->next;
			continue;
		}
		*p = s->next;
		pool.size--;
		s->sb->pooled = 0;
		s->sb->next = victims;
		victims = s->sb;
		free(s);
	}
	pthread_mutex_unlock(&pool.lock);
	while (victims != NULL) {
		struct executor_sandbox *sb = victims;

		victims = sb->next;
		executor_pool_stop(sb, 0, NULL);
		n++;
	}
	atomic_fetch_add(&pool.evictions, n);
	return n;
}

static int idle_before(const struct slot *s, const void *arg)
{
	return !s->busy && s->sb->idle_since < *(const uint64_t *)arg;
}

int executor_pool_sweep(uint64_t now)
{
	uint64_t limit = (uint64_t)pool.cfg->executor_idle_timeout_s * 1000000;
	uint64_t before = now > limit ? now - limit : 0;

	return stop_where(idle_before, &before);
}

struct retire_arg {
	long long function_id;
	const char *generation;
};

static int outdated(const struct slot *s, const void *arg)
{
	const struct retire_arg *r = arg;

	return s->sb->function_id == r->function_id &&
	       (r->generation == NULL ||
	        strcmp(s->sb->generation, r->generation) != 0);
}

int executor_pool_retire(long long function_id, const char *generation)
{
	struct retire_arg r = {function_id, generation};

	return stop_where(outdated, &r);
}

static int any(const struct slot *s, const void *arg)
{
	(void)s;
	(void)arg;
	return 1;
}

void executor_pool_shutdown(void)
{
	stop_where(any, NULL);
}

json_t *executor_pool_live(void)
{
	json_t *ids = json_array();

	pthread_mutex_lock(&pool.lock);
	for (struct slot *s = pool.slots; s && ids; s = s->next)
		json_array_append_new(ids, json_integer(s->sb->function_id));
	pthread_mutex_unlock(&pool.lock);
	return ids;
}

int executor_pool_size(void)
{
	int n;

	pthread_mutex_lock(&pool.lock);
	n = pool.size;
	pthread_mutex_unlock(&pool.lock);
	return n;
}
