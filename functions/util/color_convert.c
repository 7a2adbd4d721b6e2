/* color_convert.c - `color_convert`: "#rrggbb", "#rgb", "rgb(r,g,b)" or
 * "hsl(h,s%,l%)" to {hex, rgb, hsl}, with Python's colorsys (rgb_to_hls,
 * hls_to_rgb) in the same double arithmetic, and Python's round() (half
 * to even) for the integers. */
#include "fn.h"
#include "fn_arg.h"
#include "sopm_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ONE_THIRD (1.0 / 3.0)
#define ONE_SIXTH (1.0 / 6.0)
#define TWO_THIRD (2.0 / 3.0)

/* Python's x % 1.0 for floats. */
static double pymod1(double x)
{
	double m = fmod(x, 1.0);
	if (m) {
		if (m < 0)
			m += 1.0;
	} else {
		m = copysign(0.0, 1.0);
	}
	return m;
}

static void rgb_to_hls(double r, double g, double b, double *h, double *l,
                       double *s)
{
	double maxc = fmax(r, fmax(g, b)), minc = fmin(r, fmin(g, b));
	double sumc = maxc + minc, rangec = maxc - minc;

	*l = sumc / 2.0;
	if (minc == maxc) {
		*h = 0.0;
		*s = 0.0;
		return;
	}
	*s = *l <= 0.5 ? rangec / sumc : rangec / (2.0 - sumc);
	double rc = (maxc - r) / rangec, gc = (maxc - g) / rangec,
	       bc = (maxc - b) / rangec, hh;
	if (r == maxc)
		hh = bc - gc;
	else if (g == maxc)
		hh = 2.0 + rc - bc;
	else
		hh = 4.0 + gc - rc;
	*h = pymod1(hh / 6.0);
}

static double hls_v(double m1, double m2, double hue)
{
	hue = pymod1(hue);
	if (hue < ONE_SIXTH)
		return m1 + (m2 - m1) * hue * 6.0;
	if (hue < 0.5)
		return m2;
	if (hue < TWO_THIRD)
		return m1 + (m2 - m1) * (TWO_THIRD - hue) * 6.0;
	return m1;
}

static void hls_to_rgb(double h, double l, double s, double rgb[3])
{
	if (s == 0.0) {
		rgb[0] = rgb[1] = rgb[2] = l;
		return;
	}
	double m2 = l <= 0.5 ? l * (1.0 + s) : l + s - (l * s);
	double m1 = 2.0 * l - m2;
	rgb[0] = hls_v(m1, m2, h + ONE_THIRD);
	rgb[1] = hls_v(m1, m2, h);
	rgb[2] = hls_v(m1, m2, h - ONE_THIRD);
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* A decimal number [0-9]+(.[0-9]+)? (integers only when !frac). */
static int read_num(const char **p, int frac, double *v)
{
	const char *s = *p, *q = s;
	char tmp[40];

	while (*q >= '0' && *q <= '9')
		q++;
	if (q == s)
		return -1;
	if (frac && *q == '.') {
		const char *f = ++q;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == f)
			return -1;
	}
	if ((size_t)(q - s) >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, (size_t)(q - s));
	tmp[q - s] = '\0';
	*v = strtod(tmp, NULL);
	*p = q;
	return 0;
}

/* "name(" a , b , c ")" with optional blanks and '%' after b and c when
 * pct; case-insensitive name. */
static int read_func(const char *s, const char *name, int pct, int frac,
                     double v[3])
{
	size_t n = strlen(name);
	const char *p = s;

	skip_ws(&p);
	if (strncasecmp(p, name, n) != 0)
		return -1;
	p += n;
	skip_ws(&p);
	if (*p++ != '(')
		return -1;
	for (int i = 0; i < 3; i++) {
		skip_ws(&p);
		if (read_num(&p, frac, &v[i]) < 0)
			return -1;
		skip_ws(&p);
		if (pct && i > 0 && *p++ != '%')
			return -1;
		skip_ws(&p);
		if (*p++ != (i < 2 ? ',' : ')'))
			return -1;
	}
	skip_ws(&p);
	return *p == '\0' ? 0 : -1;
}

static int parse_hex(const char *s, int rgb[3])
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '#')
		return -1;
	for (n = 0; sopm_hex_digit(s[n]) >= 0; n++)
		;
	const char *e = s + n;
	while (*e == ' ' || *e == '\t')
		e++;
	if (*e != '\0' || (n != 3 && n != 6))
		return -1;
	for (int i = 0; i < 3; i++)
		rgb[i] = n == 3 ? sopm_hex_digit(s[i]) * 17
		                : sopm_hex_digit(s[2 * i]) * 16 +
		                      sopm_hex_digit(s[2 * i + 1]);
	return 0;
}

fn_handler_t fn_color_convert;

int fn_color_convert(const json_t *in, json_t **result, struct fn_ctx *ctx,
                     struct sopm_err *err)
{
	size_t len;
	const char *c = fn_arg_text(in, "color", "", &len);
	int rgb[3], hsl[3];
	double v[3];
	char hex[8];

	(void)ctx;
	if (strlen(c) != len)
		goto bad;
	if (parse_hex(c, rgb) == 0 ||
	    (read_func(c, "rgb", 0, 0, v) == 0 && v[0] <= 255 && v[1] <= 255 &&
	     v[2] <= 255 &&
	     (rgb[0] = (int)v[0], rgb[1] = (int)v[1], rgb[2] = (int)v[2], 1))) {
		double h, l, s;
		rgb_to_hls(rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0, &h,
		           &l, &s);
		hsl[0] = (int)rint(h * 360.0) % 360;
		hsl[1] = (int)rint(s * 100.0);
		hsl[2] = (int)rint(l * 100.0);
	} else if (read_func(c, "hsl", 1, 1, v) == 0 && v[0] <= 360 &&
	           v[1] <= 100 && v[2] <= 100) {
		double out[3];
		hls_to_rgb(v[0] / 360.0, v[2] / 100.0, v[1] / 100.0, out);
		for (int i = 0; i < 3; i++)
			rgb[i] = (int)rint(out[i] * 255.0);
		hsl[0] = (int)rint(v[0]) % 360;
		hsl[1] = (int)rint(v[1]);
		hsl[2] = (int)rint(v[2]);
	} else {
		goto bad;
	}
	snprintf(hex, sizeof(hex), "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
	*result = json_pack("{ss s[iii] s[iii]}", "hex", hex, "rgb", rgb[0],
	                    rgb[1], rgb[2], "hsl", hsl[0], hsl[1], hsl[2]);
	if (*result == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return 0;
bad:
	return sopm_err_set(err, SOPM_E_INVALID_INPUT,
	                    "field 'color' is not \"#rrggbb\", \"#rgb\", "
	                    "\"rgb(r,g,b)\" (0..255) or \"hsl(h,s%%,l%%)\" (h "
	                    "0..360, s and l 0..100)");
}
