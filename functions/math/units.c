/* units.c - `unit_convert` (a table of units as data) and `haversine`. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_num.h"
#include "fn_result.h"

#include <math.h>
#include <string.h>

/* The dimensions of the table, with their base unit. */
#define UNIT_DIMS(X)                                                           \
	X(LENGTH, "length")                                                    \
	X(MASS, "mass")                                                        \
	X(TIME, "time")                                                        \
	X(DATA, "data size")                                                   \
	X(SPEED, "speed")                                                      \
	X(TEMP, "temperature")

enum unit_dim {
#define X(id, name) DIM_##id,
	UNIT_DIMS(X)
#undef X
};

static const char *const dim_names[] = {
#define X(id, name) name,
    UNIT_DIMS(X)
#undef X
};

/* A unit is num/den base units, both exact integers in a double (the
 * conversion is value * (num_from * den_to) / (den_from * num_to)); a
 * temperature's num is its scale: 'C', 'F' or 'K'. */
struct unit {
	const char *name;
	enum unit_dim dim;
	double num, den;
};

static const struct unit units[] = {
    /* length, in metres */
    {"m", DIM_LENGTH, 1, 1},
    {"km", DIM_LENGTH, 1000, 1},
    {"cm", DIM_LENGTH, 1, 100},
    {"mm", DIM_LENGTH, 1, 1000},
    {"um", DIM_LENGTH, 1, 1e6},
    {"nm", DIM_LENGTH, 1, 1e9},
    {"in", DIM_LENGTH, 254, 10000},
    {"ft", DIM_LENGTH, 3048, 10000},
    {"yd", DIM_LENGTH, 9144, 10000},
    {"mi", DIM_LENGTH, 1609344, 1000},
    {"nmi", DIM_LENGTH, 1852, 1},
    /* mass, in kilograms */
    {"kg", DIM_MASS, 1, 1},
    {"g", DIM_MASS, 1, 1000},
    {"mg", DIM_MASS, 1, 1e6},
    {"ug", DIM_MASS, 1, 1e9},
    {"t", DIM_MASS, 1000, 1},
    {"lb", DIM_MASS, 45359237, 1e8},
    {"oz", DIM_MASS, 45359237, 16e8},
    {"st", DIM_MASS, 635029318, 1e8},
    /* time, in seconds */
    {"s", DIM_TIME, 1, 1},
    {"ms", DIM_TIME, 1, 1000},
    {"us", DIM_TIME, 1, 1e6},
    {"ns", DIM_TIME, 1, 1e9},
    {"min", DIM_TIME, 60, 1},
    {"h", DIM_TIME, 3600, 1},
    {"d", DIM_TIME, 86400, 1},
    {"wk", DIM_TIME, 604800, 1},
    {"yr", DIM_TIME, 31557600, 1},
    /* data size, in bytes */
    {"bit", DIM_DATA, 1, 8},
    {"kbit", DIM_DATA, 1000, 8},
    {"Mbit", DIM_DATA, 1e6, 8},
    {"Gbit", DIM_DATA, 1e9, 8},
    {"Tbit", DIM_DATA, 1e12, 8},
    {"B", DIM_DATA, 1, 1},
    {"kB", DIM_DATA, 1e3, 1},
    {"MB", DIM_DATA, 1e6, 1},
    {"GB", DIM_DATA, 1e9, 1},
    {"TB", DIM_DATA, 1e12, 1},
    {"PB", DIM_DATA, 1e15, 1},
    {"EB", DIM_DATA, 1e18, 1},
    {"KiB", DIM_DATA, 1024.0, 1},
    {"MiB", DIM_DATA, 1048576.0, 1},
    {"GiB", DIM_DATA, 1073741824.0, 1},
    {"TiB", DIM_DATA, 1099511627776.0, 1},
    {"PiB", DIM_DATA, 1125899906842624.0, 1},
    {"EiB", DIM_DATA, 1152921504606846976.0, 1},
    /* speed, in metres per second */
    {"m/s", DIM_SPEED, 1, 1},
    {"km/h", DIM_SPEED, 1000, 3600},
    {"mph", DIM_SPEED, 1609344, 3600000},
    {"kn", DIM_SPEED, 1852, 3600},
    {"ft/s", DIM_SPEED, 3048, 10000},
    /* temperature: a scale, not a factor */
    {"C", DIM_TEMP, 'C', 1},
    {"F", DIM_TEMP, 'F', 1},
    {"K", DIM_TEMP, 'K', 1},
};

/* Other spellings of the same units. */
static const char *const aliases[][2] = {
    {"meter", "m"},        {"metre", "m"},        {"kilometer", "km"},
    {"kilometre", "km"},   {"centimeter", "cm"},  {"centimetre", "cm"},
    {"millimeter", "mm"},  {"millimetre", "mm"},  {"µm", "um"},
    {"μm", "um"},          {"inch", "in"},        {"foot", "ft"},
    {"feet", "ft"},        {"yard", "yd"},        {"mile", "mi"},
    {"gram", "g"},         {"kilogram", "kg"},    {"µg", "ug"},
    {"μg", "ug"},          {"pound", "lb"},       {"ounce", "oz"},
    {"tonne", "t"},        {"stone", "st"},       {"second", "s"},
    {"sec", "s"},          {"µs", "us"},          {"μs", "us"},
    {"minute", "min"},     {"hour", "h"},         {"day", "d"},
    {"week", "wk"},        {"year", "yr"},        {"byte", "B"},
    {"kph", "km/h"},       {"knot", "kn"},        {"celsius", "C"},
    {"fahrenheit", "F"},   {"kelvin", "K"},       {"meters", "m"},
    {"metres", "m"},       {"kilometers", "km"},  {"kilometres", "km"},
    {"centimeters", "cm"}, {"centimetres", "cm"}, {"millimeters", "mm"},
    {"millimetres", "mm"}, {"inches", "in"},      {"yards", "yd"},
    {"miles", "mi"},       {"grams", "g"},        {"kilograms", "kg"},
    {"pounds", "lb"},      {"lbs", "lb"},         {"ounces", "oz"},
    {"tonnes", "t"},       {"seconds", "s"},      {"minutes", "min"},
    {"hours", "h"},        {"hr", "h"},           {"days", "d"},
    {"weeks", "wk"},       {"years", "yr"},       {"bytes", "B"},
    {"bits", "bit"},       {"knots", "kn"},       {"kt", "kn"},
    {"mi/h", "mph"},       {"°C", "C"},           {"°F", "F"},
};

/* The unit named name[0..len), or NULL; a name holding U+0000 is no unit
 * (not the unit named by its part before the NUL). */
static const struct unit *unit_find(const char *name, size_t len)
{
	if (strlen(name) != len)
		return NULL;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(name, aliases[i][0]) == 0) {
			name = aliases[i][1];
			break;
		}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(name, units[i].name) == 0)
			return &units[i];
	return NULL;
}

/* Celsius as the pivot: exact formulas, evaluated as written. */
static double temp_to_c(double v, char scale)
{
	if (scale == 'K')
		return v - 273.15;
	if (scale == 'F')
		return (v - 32.0) * 5.0 / 9.0;
	return v;
}

static double temp_from_c(double c, char scale)
{
	if (scale == 'K')
		return c + 273.15;
	if (scale == 'F')
		return c * 9.0 / 5.0 + 32.0;
	return c;
}

fn_handler_t fn_unit_convert;

/* input borrowed; *result a NEW reference. */
int fn_unit_convert(const json_t *in, json_t **result, struct fn_ctx *ctx,
                    struct sopm_err *err)
{
	struct fn_num v = fn_num_of_json(json_object_get(in, "value"));
	size_t flen, tlen;
	const char *fname = fn_arg_text(in, "from", "", &flen),
	           *tname = fn_arg_text(in, "to", "", &tlen);
	const struct unit *from = unit_find(fname, flen),
	                  *to = unit_find(tname, tlen);
	double x = v.is_int ? (double)v.i : v.d, r;

	if (from == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'from' is not a known unit");
	if (to == NULL)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'to' is not a known unit");
	if (from->dim != to->dim)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'to' is a unit of %s, 'from' of %s",
		                    dim_names[to->dim], dim_names[from->dim]);
	if (from == to)
		r = x;
	else if (from->dim == DIM_TEMP)
		r = temp_from_c(temp_to_c(x, (char)from->num), (char)to->num);
	else
		r = x * (from->num * to->den) / (from->den * to->num);
	*result = fn_result_real(ctx, "value", r);
	return *result ? 0
	               : sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}

/* ---- haversine ---- */

#define EARTH_RADIUS_KM 6371.0088
#define KM_PER_MILE     1.609344

static double radians(double deg)
{
	return deg * (M_PI / 180.0); /* math.radians */
}

fn_handler_t fn_haversine;

/* input borrowed; *result a NEW reference. */
int fn_haversine(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	double lat1 = fn_arg_num(in, "lat1", 0),
	       lon1 = fn_arg_num(in, "lon1", 0),
	       lat2 = fn_arg_num(in, "lat2", 0),
	       lon2 = fn_arg_num(in, "lon2", 0);
	const char *unit = fn_arg_str(in, "unit", "km");
	double s1 = sin(radians(lat2 - lat1) / 2.0),
	       s2 = sin(radians(lon2 - lon1) / 2.0);
	double h = s1 * s1 + cos(radians(lat1)) * cos(radians(lat2)) * s2 * s2;
	double d;

	if (h > 1.0) /* rounding past the antipode */
		h = 1.0;
	d = 2.0 * EARTH_RADIUS_KM * asin(sqrt(h));
	if (strcmp(unit, "mi") == 0)
		d /= KM_PER_MILE;
	*result = fn_result_real(ctx, NULL, d);
	return *result ? 0
	               : sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
}
