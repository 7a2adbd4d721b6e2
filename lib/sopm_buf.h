/* sopm_buf.h - a growable byte buffer. The buffer owns p; free it with
 * free(b->p). Every append checks its allocation. */
#ifndef SOPM_BUF_H
#define SOPM_BUF_H

#include <stddef.h>

struct sopm_buf {
	char *p;
	size_t len, cap;
};

/* Appends n bytes of s. Returns 0, or -1 when memory runs out (b is then
 * unchanged). */
int sopm_buf_add(struct sopm_buf *b, const void *s, size_t n);

#endif
