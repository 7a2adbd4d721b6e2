/* sopm_ascii.h - ASCII character classes that do not depend on the locale
 * and take a plain char (ctype's functions want an unsigned char value). */
#ifndef SOPM_ASCII_H
#define SOPM_ASCII_H

/* 1 if c is '0'..'9'. */
static inline int sopm_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

#endif
