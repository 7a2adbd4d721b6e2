/* fn_arg.c - see fn_arg.h. */
#include "fn_arg.h"

#include <string.h>

const char *fn_arg_str(const json_t *in, const char *key, const char *dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

json_int_t fn_arg_int(const json_t *in, const char *key, json_int_t dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

double fn_arg_num(const json_t *in, const char *key, double dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

int fn_arg_bool(const json_t *in, const char *key, int dflt)
{
	json_t *v = json_object_get(in, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

const char *fn_arg_text(const json_t *in, const char *key, const char *dflt,
                        size_t *len)
{
	json_t *v = json_object_get(in, key);

	if (!json_is_string(v)) {
		*len = strlen(dflt);
		return dflt;
	}
	*len = json_string_length(v);
	return json_string_value(v);
}
