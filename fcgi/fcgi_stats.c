#include "fcgi_stats.h"

#include <sys/mman.h>

const uint64_t fcgi_stats_bucket_us[FCGI_STATS_BUCKETS] = {
    10,   25,   50,    100,   250,    500,     1000,
    2500, 5000, 10000, 25000, 100000, 1000000, 10000000,
};

static struct fcgi_stats *shared;

struct fcgi_stats *fcgi_stats_create(size_t n_functions)
{
	size_t size = sizeof(struct fcgi_stats) +
	              n_functions * sizeof(struct fcgi_fn_stats);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	shared = p; /* zero-filled by mmap */
	shared->n_fn = n_functions;
	return shared;
}

struct fcgi_stats *fcgi_stats(void)
{
	return shared;
}

void fcgi_stats_add(enum fcgi_counter c, uint64_t n)
{
	if (shared != NULL)
		atomic_fetch_add_explicit(&shared->counter[c], n,
		                          memory_order_relaxed);
}

void fcgi_stats_set(enum fcgi_counter c, uint64_t v)
{
	if (shared != NULL)
		atomic_store_explicit(&shared->counter[c], v,
		                      memory_order_relaxed);
}

static void observe(struct fcgi_histogram *h, uint64_t us)
{
	size_t b = 0;
	while (b < FCGI_STATS_BUCKETS && us > fcgi_stats_bucket_us[b])
		b++;
	atomic_fetch_add_explicit(&h->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, us, memory_order_relaxed);
}

uint64_t fcgi_histogram_count(const struct fcgi_histogram *h)
{
	uint64_t n = 0;
	for (int b = 0; b <= FCGI_STATS_BUCKETS; b++)
		n += atomic_load_explicit(&h->bucket[b], memory_order_relaxed);
	return n;
}

void fcgi_stats_request(int status, uint64_t duration_us)
{
	if (shared == NULL)
		return;
	if (status > 0 && status < FCGI_STATS_STATUS_MAX)
		atomic_fetch_add_explicit(&shared->by_status[status], 1,
		                          memory_order_relaxed);
	observe(&shared->requests, duration_us);
}

void fcgi_stats_execution(size_t fn, int failed, uint64_t duration_us)
{
	if (shared == NULL || fn >= shared->n_fn)
		return;
	observe(&shared->fn[fn].latency, duration_us);
	if (failed)
		atomic_fetch_add_explicit(&shared->fn[fn].errors, 1,
		                          memory_order_relaxed);
}
