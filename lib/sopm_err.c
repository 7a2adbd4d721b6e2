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

int sopm_err_set(struct sopm_err *err, enum sopm_code code, const char *fmt,
                 ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
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
