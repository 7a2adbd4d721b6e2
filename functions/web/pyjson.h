/* pyjson.h - JSON text exactly as Python's json.dumps(v, separators=(",",
 * ":"), ensure_ascii=...) writes it: members in input order, floats as
 * repr(float), and the same escapes. jwt_sign uses it so that its tokens
 * are byte for byte PyJWT's, webhook so that its body is stated. */
#ifndef WEB_PYJSON_H
#define WEB_PYJSON_H

#include <jansson.h>

#include "sopm_buf.h"

/* Appends the text of v (borrowed) to b. ensure_ascii: escape every code
 * point past U+007E as \uXXXX (surrogate pairs past U+FFFF, lower-case
 * hex), as Python's default; else only '"', '\\' and controls. Returns 0,
 * or -1 when memory runs out or v nests deeper than depth_max. */
int pyjson_dump(struct sopm_buf *b, const json_t *v, int ensure_ascii,
                int depth_max);

/* repr(d) of a finite double into out (32 bytes are enough). */
void pyjson_float_repr(double d, char out[32]);

#endif
