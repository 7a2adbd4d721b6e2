/* cron_next.c - `cron_next`: the next times of a 5-field cron expression,
 * as croniter 1.3.5 (Debian's python3-croniter) computes them for a naive
 * UTC start: its field expansion (croniter._expand, with its quirks: "7"
 * and "sun" as the high end of a day-of-week range, "L" as the high end of
 * a day-of-month range) and its search (croniter._calc: month, day of
 * month, day of week, hour, minute, restarting after every change, for at
 * most 50 years), with the day-of-month / day-of-week OR rule. croniter's
 * extensions beyond 5 plain fields (seconds, L, #, H, R) are refused. */
#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "fn_tz.h"
#include "isotime.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NFIELDS   5
#define MAX_YEARS 50      /* croniter's max_years_between_matches */
#define SAT       1000000 /* numbers saturate here (all bounds are < 60) */

static const int lo_of[NFIELDS] = {0, 0, 1, 1, 0};
static const int hi_of[NFIELDS] = {59, 23, 31, 12, 7};
static const int len_all[NFIELDS] = {60, 24, 31, 12, 7};

struct field {
	int all;
	int n; /* sorted distinct values */
	int val[60];
};

struct cron {
	struct field f[NFIELDS];
};

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int to_int(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > SAT)
			v = SAT;
	}
	return v;
}

/* croniter.ALPHACONV for months and days of the week; -1 if unknown. */
static int name_value(int i, const char *s, size_t n)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr",
	                                  "may", "jun", "jul", "aug",
	                                  "sep", "oct", "nov", "dec"};
	static const char *const dow[] = {"sun", "mon", "tue", "wed",
	                                  "thu", "fri", "sat"};
	if (n != 3)
		return -1;
	for (int k = 0; i == 3 && k < 12; k++)
		if (memcmp(s, mon[k], 3) == 0)
			return k + 1;
	for (int k = 0; i == 4 && k < 7; k++)
		if (memcmp(s, dow[k], 3) == 0)
			return k;
	return -1;
}

/* A bound of a range: digits or a name; *zero_text when it reads "0". */
static int bound_value(int i, const char *s, size_t n, int *zero_text)
{
	if (all_digits(s, n)) {
		*zero_text = n == 1 && s[0] == '0';
		return to_int(s, n);
	}
	int v = name_value(i, s, n);
	*zero_text = v == 0;
	return v;
}

static int add_value(struct field *f, int i, int v, int seen[61])
{
	if (i == 4 && v == 7) /* LOWMAP */
		v = 0;
	if (v < lo_of[i] || v > hi_of[i])
		return -1;
	seen[v] = 1;
	(void)f;
	return 0;
}

/* croniter's "{low}-{high}[/{step}]" (step_search_re). Returns 1 when t
 * has that form (filling the parts), else 0. */
static int step_form(const char *t, size_t n, size_t *dash, size_t *slash)
{
	const char *d = memchr(t, '-', n);
	if (d == NULL || d == t)
		return 0;
	size_t k = (size_t)(d - t), e = k + 1;
	while (e < n && t[e] != '-' && t[e] != '/')
		e++;
	if (e == k + 1)
		return 0;
	if (e < n) {
		if (t[e] != '/' || !all_digits(t + e + 1, n - e - 1))
			return 0;
	}
	*dash = k;
	*slash = e;
	return 1;
}

static int expand_token(struct field *f, int i, const char *e, size_t n,
                        int seen[61])
{
	char t[FN_LIMIT_CRON_NEXT_EXPRESSION_MAX + 16];
	size_t dash, slash;
	int m;

	if (n == 0)
		return -1;
	if (n >= 2 && e[0] == '*' && e[1] == '/' && n > 2) /* "*" + "/.+" */
		snprintf(t, sizeof(t), "%d-%d%.*s", lo_of[i], hi_of[i],
		         (int)(n - 1), e + 1);
	else
		snprintf(t, sizeof(t), "%.*s", (int)n, e);
	m = step_form(t, strlen(t), &dash, &slash);
	if (!m) { /* "{start}/{step}" -> "{start}-{max}/{step}" */
		const char *sl = NULL;
		for (size_t k = n; k-- > 1;)
			if (e[k] == '/') {
				sl = e + k;
				break;
			}
		if (sl != NULL && (size_t)(sl - e) + 1 < n) {
			snprintf(t, sizeof(t), "%.*s-%d%.*s", (int)(sl - e), e,
			         hi_of[i], (int)(n - (size_t)(sl - e)), sl);
			m = step_form(t, strlen(t), &dash, &slash);
		}
	}
	size_t tn = strlen(t);
	if (m) {
		int zlo, zhi, low, high, step = 1;
		const char *h = t + dash + 1;
		size_t hn = slash - dash - 1;
		if (i == 2 && hn == 1 && h[0] == 'l') {
			h = "31";
			hn = 2;
		}
		low = bound_value(i, t, dash, &zlo);
		high = bound_value(i, h, hn, &zhi);
		if (low < 0 || high < 0)
			return -1;
		if (slash < tn)
			step = to_int(t + slash + 1, tn - slash - 1);
		if (low > high) {
			if (i == 4 && zhi)
				high = 7;
			else
				return -1;
		}
		if ((low > high ? low : high) > hi_of[i] || step == 0)
			return -1;
		for (int v = low; v <= high; v += step)
			if (add_value(f, i, v, seen) < 0)
				return -1;
		return 0;
	}
	if (t[0] == '-')
		return -1;
	if (tn == 1 && t[0] == '*') {
		f->all = 1;
		return 0;
	}
	int v = all_digits(t, tn) ? to_int(t, tn) : name_value(i, t, tn);
	if (v < 0)
		return -1;
	return add_value(f, i, v, seen);
}

static int expand_field(struct field *f, int i, const char *s, size_t n)
{
	int seen[61] = {0};
	size_t a = 0;

	memset(f, 0, sizeof(*f));
	for (size_t k = 0; k <= n; k++) {
		if (k < n && s[k] != ',')
			continue;
		if (expand_token(f, i, s + a, k - a, seen) < 0)
			return -1;
		a = k + 1;
	}
	for (int v = 0; v <= 60; v++)
		if (seen[v])
			f->val[f->n++] = v;
	if (f->n == len_all[i])
		f->all = 1;
	return 0;
}

static int cron_parse(struct cron *c, const char *expr, size_t len)
{
	static const char *const alias[][2] = {
	    {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"},
	    {"@daily", "0 0 * * *"},    {"@weekly", "0 0 * * 0"},
	    {"@monthly", "0 0 1 * *"},  {"@yearly", "0 0 1 1 *"},
	    {"@annually", "0 0 1 1 *"}};
	char low[FN_LIMIT_CRON_NEXT_EXPRESSION_MAX + 1];
	const char *p, *end;
	int i = 0;

	if (len > FN_LIMIT_CRON_NEXT_EXPRESSION_MAX || strlen(expr) != len)
		return -1;
	for (size_t k = 0; k < len; k++) {
		if ((unsigned char)expr[k] >= 0x80)
			return -1;
		low[k] = (expr[k] >= 'A' && expr[k] <= 'Z') ? expr[k] | 0x20
		                                            : expr[k];
	}
	low[len] = '\0';
	p = low;
	for (size_t k = 0; k < sizeof(alias) / sizeof(alias[0]); k++)
		if (strcmp(low, alias[k][0]) == 0)
			p = alias[k][1];
	end = p + strlen(p);
	while (p < end) {
		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		const char *q = p;
		while (q < end && !is_space(*q))
			q++;
		if (i == NFIELDS ||
		    expand_field(&c->f[i], i, p, (size_t)(q - p)) < 0)
			return -1;
		i++;
		p = q;
	}
	return i == NFIELDS ? 0 : -1;
}

/* croniter._get_next_nearest_diff */
static int nearest_diff(const struct field *f, int x, int range)
{
	for (int k = 0; k < f->n; k++)
		if (f->val[k] >= x)
			return f->val[k] - x;
	return f->val[0] - x + range;
}

enum { CALC_OK, CALC_NONE, CALC_RANGE };

/* croniter._calc for the next time after *t (seconds, UTC); fields with
 * skip_dom / skip_dow are taken as '*'. */
static int calc(const struct cron *c, int skip_dom, int skip_dow, int64_t *t)
{
	int64_t s = *t + 60, y;
	int m, d;

	if (s > FN_ISO_MAX_S)
		return CALC_RANGE;
	fn_tz_civil_from_days(fn_iso_floor_div(s, 86400), &y, &m, &d);
	int64_t cur_year = y, year = y;
	while ((year > cur_year ? year - cur_year : cur_year - year) <=
	       MAX_YEARS) {
		int64_t days = fn_iso_floor_div(s, 86400);
		int64_t sod = s - days * 86400;
		int diff;
		fn_tz_civil_from_days(days, &y, &m, &d);
		if (!c->f[3].all && (diff = nearest_diff(&c->f[3], m, 12))) {
			int64_t mon = y * 12 + (m - 1) + diff;
			int64_t ny = fn_iso_floor_div(mon, 12);
			if (ny > 9999)
				return CALC_RANGE;
			s = fn_tz_days_from_civil(ny, (int)(mon - ny * 12) + 1,
			                          1) *
			    86400;
		} else if (!skip_dom && !c->f[2].all &&
		           (diff = nearest_diff(&c->f[2], d,
		                                fn_tz_days_in_month(y, m)))) {
			s = (days + diff) * 86400;
		} else if (!skip_dow && !c->f[4].all &&
		           (diff = nearest_diff(&c->f[4],
		                                (int)(((days + 4) % 7 + 7) % 7),
		                                7))) {
			s = (days + diff) * 86400;
		} else if (!c->f[1].all &&
		           (diff = nearest_diff(&c->f[1], (int)(sod / 3600),
		                                24))) {
			s = days * 86400 + (sod / 3600 + diff) * 3600;
		} else if (!c->f[0].all &&
		           (diff = nearest_diff(&c->f[0], (int)(sod / 60 % 60),
		                                60))) {
			s = days * 86400 + (sod / 60 + diff) * 60;
		} else {
			*t = days * 86400 + sod / 60 * 60;
			return CALC_OK;
		}
		if (s > FN_ISO_MAX_S)
			return CALC_RANGE;
		fn_tz_civil_from_days(fn_iso_floor_div(s, 86400), &year, &m,
		                      &d);
	}
	return CALC_NONE;
}

/* croniter._get_next: the OR of day of month and day of week when both
 * are restricted. */
static int next_time(const struct cron *c, int64_t *t)
{
	if (!c->f[2].all && !c->f[4].all) {
		int64_t t1 = *t, t2 = *t;
		int rc = calc(c, 0, 1, &t1);
		if (rc != CALC_OK)
			return rc;
		if ((rc = calc(c, 1, 0, &t2)) != CALC_OK)
			return rc;
		*t = t1 < t2 ? t1 : t2;
		return CALC_OK;
	}
	return calc(c, 0, 0, t);
}

fn_handler_t fn_cron_next;

int fn_cron_next(const json_t *in, json_t **result, struct fn_ctx *ctx,
                 struct sopm_err *err)
{
	const json_t *jexpr = json_object_get(in, "expression");
	const json_t *jfrom = json_object_get(in, "from");
	json_int_t count = fn_arg_int(in, "count", 5);
	struct cron c;
	int64_t t;
	char buf[64];

	(void)ctx;
	if (cron_parse(&c, json_string_value(jexpr),
	               json_string_length(jexpr)) < 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'expression' is not a 5-field cron "
		                    "expression that croniter accepts");
	if (jfrom != NULL) {
		struct fn_iso_dt dt;
		if (fn_iso_parse(json_string_value(jfrom),
		                 json_string_length(jfrom), &dt) < 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'from' is not an ISO 8601 "
			                    "date or time");
		int64_t u = fn_iso_wall_us(&dt) - dt.off_us;
		if (u < FN_ISO_MIN_US || u > FN_ISO_MAX_US)
			goto range;
		/* croniter: floor() of the timestamp as a float */
		t = (int64_t)floor(fn_iso_us_to_seconds(u));
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		t = (int64_t)ts.tv_sec;
	}
	json_t *out = json_array();
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	for (json_int_t k = 0; k < count; k++) {
		int rc = next_time(&c, &t);
		if (rc != CALC_OK) {
			json_decref(out);
			if (rc == CALC_RANGE)
				goto range;
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'expression' matches no time "
			    "within 50 years (croniter)");
		}
		fn_iso_format(buf, sizeof(buf), t * FN_ISO_US_PER_S, 1, 0);
		if (json_array_append_new(out, json_string(buf)) < 0) {
			json_decref(out);
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "out of memory");
		}
	}
	*result = out;
	return 0;
range:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'from': the next times pass the year 9999");
}
