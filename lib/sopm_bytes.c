#include "sopm_bytes.h"

#include <errno.h>
#include <sys/random.h>

#define RANDOM_MAX_FAILURES 8

int sopm_random_bytes(void *buf, size_t n)
{
	size_t got = 0;
	int failures = 0;

	while (got < n) {
		ssize_t k = getrandom((char *)buf + got, n - got, 0);
		if (k > 0) {
			got += (size_t)k;
		} else if (k < 0 && errno == EINTR) {
			continue;
		} else if (++failures >= RANDOM_MAX_FAILURES) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
	}
	return 0;
}

void sopm_hex_encode(const void *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = in;

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int sopm_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sopm_hex_decode(const char *in, size_t n, unsigned char *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = sopm_hex_digit((unsigned char)in[2 * i]);
		int lo =
		    hi < 0 ? -1 : sopm_hex_digit((unsigned char)in[2 * i + 1]);
		if (lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
