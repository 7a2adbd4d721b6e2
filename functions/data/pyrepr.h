/* pyrepr.h - JSON values as Python 3.11 writes them, for the data functions
 * whose reference prints values: json_to_csv (csv.DictWriter writes str()
 * of a value) and group_by / aggregate (group keys are JSON text, which
 * Python's json.dumps writes with float.__repr__).
 *
 * Every function appends to a struct sopm_buf (lib/sopm_buf.h) and returns
 * 0, -1 when memory runs out, or -2 when a value nests deeper than the
 * caller's bound (containers counted: [] is 1 level). */
#ifndef DATA_PYREPR_H
#define DATA_PYREPR_H

#include <jansson.h>

#include "sopm_buf.h"

/* Room for any repr of a double, with the NUL. */
#define PYREPR_FLOAT_MAX 32

/* Python repr(d) (== str(d)) of a finite d into out (PYREPR_FLOAT_MAX
 * bytes): the shortest digits that read back as d, in fixed notation for
 * decimal exponents -4..15 ("0.0001", "1e+16", "1.0", "-0.0"). Returns the
 * length. */
size_t pyrepr_float(double d, char *out);

/* Python str(v) of the JSON value v (borrowed) as json.loads gives it:
 * a string itself, an integer in decimal, a real as repr, true/false/null
 * as True/False/None, arrays and objects as list and dict repr
 * ("[1, 'a', None]", "{'k': 1.5}"), strings inside them as repr(str). */
int pyrepr_str(struct sopm_buf *b, const json_t *v, int depth_max);

/* Python json.dumps(v) of a scalar v (borrowed): null, true, false, an
 * integer in decimal, a real as repr. 0 or -1 (out of memory); anything
 * else appends nothing and returns -2. */
int pyrepr_json_scalar(struct sopm_buf *b, const json_t *v);

#endif
