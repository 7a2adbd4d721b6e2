/* fn_arg.h - reading members of validated input in handlers. The schema
 * guarantees a member's type when it is present, so these only supply the
 * default when it is absent. Returned strings are borrowed from in. */
#ifndef FN_ARG_H
#define FN_ARG_H

#include <jansson.h>
#include <stddef.h>

const char *fn_arg_str(const json_t *in, const char *key, const char *dflt);
json_int_t fn_arg_int(const json_t *in, const char *key, json_int_t dflt);
double fn_arg_num(const json_t *in, const char *key, double dflt);
int fn_arg_bool(const json_t *in, const char *key, int dflt);

/* The string member key with its length in bytes in *len (it may hold
 * U+0000), or dflt (NUL-terminated) when absent. */
const char *fn_arg_text(const json_t *in, const char *key, const char *dflt,
                        size_t *len);

#endif
