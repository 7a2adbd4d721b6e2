/* sopm_bytes.h - bytes helpers that every layer needs once: random bytes
 * from the kernel's CSPRNG and hexadecimal (RFC 4648 section 8, "base16",
 * lowercase) encoding and decoding. */
#ifndef SOPM_BYTES_H
#define SOPM_BYTES_H

#include <stddef.h>

/* Fills buf with n bytes of getrandom(2). Retries EINTR and short reads,
 * gives up after a few failures of another kind. Returns 0, or -1 with
 * errno set (buf is then unspecified). */
int sopm_random_bytes(void *buf, size_t n);

/* Writes 2n lowercase hex digits of in[0..n) and a NUL to out (2n+1 bytes). */
void sopm_hex_encode(const void *in, size_t n, char *out);

/* Value of one hex digit (either case), or -1. */
int sopm_hex_digit(int c);

/* Decodes 2n hex digits of in into out[0..n). Returns 0, or -1 when a
 * character is not a hex digit (out is then unspecified). */
int sopm_hex_decode(const char *in, size_t n, unsigned char *out);

#endif
