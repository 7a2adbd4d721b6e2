#include "sopm_err.h"

#include <stdio.h>
#include <string.h>

static const struct {
	int status;
	const char *name;
	const char *message;
} err_table[] = {
#define SOPM_ERR_ROW(e, status, name, msg) {status, name, msg},
    SOPM_ERR_MAP(SOPM_ERR_ROW)
#undef SOPM_ERR_ROW
};

static int code_valid(enum sopm_code code)
{
	return (unsigned)code < SOPM_E__COUNT;
}

/* Cuts a UTF-8 sequence that truncation left incomplete at the end of s
 * (len bytes), so that a message quoting user text stays valid UTF-8. */
static void trim_partial_utf8(char *s, size_t len)
{
	size_t start = len, need;
	unsigned char lead;

	while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return;
	lead = (unsigned char)s[start - 1];
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (start - 1) < need)
		s[start - 1] = '\0';
}

int sopm_err_set(struct sopm_err *err, enum sopm_code code, const char *fmt,
                 ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(err->msg))
		trim_partial_utf8(err->msg, sizeof(err->msg) - 1);
	return -1;
}

int sopm_err_code(struct sopm_err *err, enum sopm_code code)
{
	return sopm_err_set(err, code, "%s", sopm_err_default_message(code));
}

void sopm_err_clear(struct sopm_err *err)
{
	err->code = SOPM_E_OK;
	err->msg[0] = '\0';
}

int sopm_err_status(enum sopm_code code)
{
	return code_valid(code) ? err_table[code].status : 500;
}

const char *sopm_err_name(enum sopm_code code)
{
	return code_valid(code) ? err_table[code].name : "internal";
}

const char *sopm_err_default_message(enum sopm_code code)
{
	return code_valid(code) ? err_table[code].message : "internal error";
}

enum sopm_code sopm_err_from_name(const char *name)
{
	for (int c = 0; name != NULL && c < SOPM_E__COUNT; c++)
		if (strcmp(err_table[c].name, name) == 0)
			return (enum sopm_code)c;
	return SOPM_E_INTERNAL;
}
