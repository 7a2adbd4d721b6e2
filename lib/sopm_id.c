/* sopm_id.c - ids from lib/sopm_bytes (random bytes, hex). */
#include "sopm_id.h"

#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sopm_bytes.h"

#define ID_BYTES (SOPM_ID_HEX / 2)

int sopm_id_random(char out[SOPM_ID_LEN])
{
	unsigned char raw[ID_BYTES];

	if (sopm_random_bytes(raw, sizeof(raw)) != 0) {
		out[0] = '\0';
		return -1;
	}
	sopm_hex_encode(raw, sizeof(raw), out);
	return 0;
}

/* xoshiro256** per thread: ids that only need to be unique cost no system
 * call. */
static __thread uint64_t rng[4];

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Seeds the calling thread's generator. Without kernel randomness the
 * clock, the pid and the thread's own address still tell threads and
 * processes apart. */
static void rng_seed(void)
{
	if (sopm_random_bytes(rng, sizeof(rng)) != 0 ||
	    (rng[0] | rng[1] | rng[2] | rng[3]) == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		rng[0] =
		    (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		rng[1] = (uint64_t)getpid() << 32 | 0x9e3779b9u;
		rng[2] = (uint64_t)(uintptr_t)&rng;
		rng[3] = 0x6a09e667f3bcc909u;
	}
}

static uint64_t rng_next(void)
{
	uint64_t result, t;

	if ((rng[0] | rng[1] | rng[2] | rng[3]) == 0)
		rng_seed();
	result = rotl(rng[1] * 5, 7) * 9;
	t = rng[1] << 17;
	rng[2] ^= rng[0];
	rng[3] ^= rng[1];
	rng[1] ^= rng[2];
	rng[0] ^= rng[3];
	rng[2] ^= t;
	rng[3] = rotl(rng[3], 45);
	return result;
}

void sopm_id_unique(char out[SOPM_ID_LEN])
{
	uint64_t words[2] = {rng_next(), rng_next()};
	unsigned char raw[ID_BYTES];

	memcpy(raw, words, sizeof(raw));
	sopm_hex_encode(raw, sizeof(raw), out);
}

int sopm_id_valid(const char *id)
{
	size_t n = 0;

	if (id == NULL)
		return 0;
	for (; id[n]; n++)
		if (!((id[n] >= '0' && id[n] <= '9') ||
		      (id[n] >= 'a' && id[n] <= 'f')))
			return 0;
	return n == SOPM_ID_HEX;
}
