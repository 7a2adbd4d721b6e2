/* fn_schema.h - validation of a JSON value against the subset of JSON Schema
 * that catalog functions declare:
 *   type (a name or an array of names: null boolean integer number string
 *   array object), properties, required, additionalProperties (boolean or
 *   schema), items (schema), enum, const, minimum, maximum, exclusiveMinimum,
 *   exclusiveMaximum, minLength, maxLength (in code points), minItems,
 *   maxItems, maxProperties, oneOf (exactly one branch matches; when none
 *   does, the error of the branch with most of its required members present),
 *   default and description (ignored).
 * Unknown keywords are an error at catalog init (fn_schema_check), so a typo
 * in a table row cannot silently disable a check. */
#ifndef FN_SCHEMA_H
#define FN_SCHEMA_H

#include <jansson.h>

#include "sopm_err.h"

/* Checks that schema (borrowed) uses only supported keywords with values of
 * the right type. Returns 0, or -1 with SOPM_E_INTERNAL. */
int fn_schema_check(const json_t *schema, struct sopm_err *err);

/* Validates value against schema (both borrowed). Returns 0, or -1 with
 * SOPM_E_INVALID_INPUT and a message naming the field, e.g.
 * "field 'items[2]' must be a number". */
int fn_schema_validate(const json_t *schema, const json_t *value,
                       struct sopm_err *err);

#endif
