/* ipaddr.c - Python 3.11 ipaddress parsing (see ipaddr.h). */
#include "ipaddr.h"

#include <string.h>

#include "sopm_bytes.h"

static int parse_v4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int oct = 0; oct < 4; oct++) {
		size_t start = i;
		unsigned v = 0;
		while (i < n && s[i] != '.') {
			if (s[i] < '0' || s[i] > '9' || i - start >= 3)
				return -1;
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return -1;
		out[oct] = (uint8_t)v;
		if (oct < 3) {
			if (i >= n)
				return -1;
			i++; /* the '.' */
		}
	}
	return i == n ? 0 : -1;
}

/* One hextet of 1-4 hex digits. */
static int parse_hextet(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	if (n == 0 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int d = sopm_hex_digit((unsigned char)s[i]);
		if (d < 0)
			return -1;
		*v = *v * 16 + (unsigned)d;
	}
	return 0;
}

#define V6_PARTS_MAX 10

struct part {
	const char *p;
	size_t len;
	int val; /* >= 0: already a value (the dotted quad's halves) */
};

static int part_value(const struct part *pt, unsigned *v)
{
	if (pt->val >= 0) {
		*v = (unsigned)pt->val;
		return 0;
	}
	return parse_hextet(pt->p, pt->len, v);
}

/* _BaseV6._ip_int_from_string, step by step. */
static int parse_v6(const char *s, size_t n, uint8_t out[16])
{
	struct part pt[V6_PARTS_MAX + 1];
	size_t np = 0, i = 0;
	int skip = -1, hi, lo, skipped, w = 0;
	uint8_t v4[4];
	unsigned v;

	if (n == 0)
		return -1;
	for (;;) { /* split(':') */
		size_t start = i;
		while (i < n && s[i] != ':')
			i++;
		if (np == V6_PARTS_MAX)
			return -1; /* more than 9 parts whatever follows */
		pt[np].p = s + start;
		pt[np].len = i - start;
		pt[np++].val = -1;
		if (i == n)
			break;
		i++;
	}
	if (np < 3)
		return -1;
	if (memchr(pt[np - 1].p, '.', pt[np - 1].len) != NULL) {
		if (parse_v4(pt[np - 1].p, pt[np - 1].len, v4) != 0)
			return -1;
		pt[np - 1].val = v4[0] << 8 | v4[1];
		pt[np].val = v4[2] << 8 | v4[3];
		pt[np].len = 4;
		pt[np++].p = "";
	}
	if (np > 9)
		return -1;
	for (size_t k = 1; k + 1 < np; k++) {
		if (pt[k].len == 0 && pt[k].val < 0) {
			if (skip >= 0)
				return -1;
			skip = (int)k;
		}
	}
	int first_empty = pt[0].len == 0;
	int last_empty = pt[np - 1].len == 0 && pt[np - 1].val < 0;
	if (skip >= 0) {
		hi = skip;
		lo = (int)np - skip - 1;
		if (first_empty && --hi)
			return -1;
		if (last_empty && --lo)
			return -1;
		skipped = 8 - (hi + lo);
		if (skipped < 1)
			return -1;
	} else {
		if (np != 8 || first_empty || last_empty)
			return -1;
		hi = 8;
		lo = 0;
		skipped = 0;
	}
	for (int k = 0; k < hi; k++, w++) {
		if (part_value(&pt[k], &v) != 0)
			return -1;
		out[2 * w] = (uint8_t)(v >> 8);
		out[2 * w + 1] = (uint8_t)v;
	}
	for (int k = 0; k < skipped; k++, w++)
		out[2 * w] = out[2 * w + 1] = 0;
	for (int k = (int)np - lo; k < (int)np; k++, w++) {
		if (part_value(&pt[k], &v) != 0)
			return -1;
		out[2 * w] = (uint8_t)(v >> 8);
		out[2 * w + 1] = (uint8_t)v;
	}
	return 0;
}

int ipa_parse_address(const char *s, size_t n, struct ipa_addr *a)
{
	const char *pct;

	memset(a, 0, sizeof(*a));
	if (parse_v4(s, n, a->b) == 0) {
		a->version = 4;
		return 0;
	}
	if (memchr(s, '/', n) != NULL)
		return -1;
	pct = memchr(s, '%', n);
	if (pct != NULL) {
		size_t zl = n - (size_t)(pct - s) - 1;
		if (zl == 0 || memchr(pct + 1, '%', zl) != NULL)
			return -1;
		n = (size_t)(pct - s);
		a->has_scope = 1;
	}
	if (parse_v6(s, n, a->b) != 0)
		return -1;
	a->version = 6;
	return 0;
}

/* _prefix_from_prefix_string: ASCII digits only, 0..max. */
static int prefix_digits(const char *s, size_t n, int max)
{
	long v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > max)
			return -1;
	}
	return (int)v;
}

/* The prefix of a contiguous netmask m, or -1. */
static int prefix_of_mask(uint32_t m)
{
	int p = 0;

	while (p < 32 && (m & (0x80000000u >> p)))
		p++;
	if (p < 32 && (m << p) != 0)
		return -1;
	return p;
}

int ipa_parse_network(const char *s, size_t n, struct ipa_addr *a, int *prefix)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	const char *ps = slash ? slash + 1 : NULL;
	size_t pn = slash ? n - an - 1 : 0;
	int p;

	if (slash && memchr(ps, '/', pn) != NULL)
		return -1;
	memset(a, 0, sizeof(*a));
	if (parse_v4(s, an, a->b) == 0) {
		a->version = 4;
		if (!slash)
			p = 32;
		else if ((p = prefix_digits(ps, pn, 32)) < 0) {
			uint8_t m[4];
			uint32_t mv;
			if (parse_v4(ps, pn, m) != 0)
				return -1;
			mv = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
			     (uint32_t)m[2] << 8 | m[3];
			if ((p = prefix_of_mask(mv)) < 0 &&
			    (p = prefix_of_mask(~mv)) < 0)
				return -1;
		}
	} else {
		if (ipa_parse_address(s, an, a) != 0 || a->version != 6)
			return -1;
		if (!slash)
			p = 128;
		else if ((p = prefix_digits(ps, pn, 128)) < 0)
			return -1;
	}
	for (int bit = p; bit < (a->version == 4 ? 32 : 128); bit++)
		a->b[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
	*prefix = p;
	return 0;
}

int ipa_in_network(const struct ipa_addr *a, const struct ipa_addr *net,
                   int prefix)
{
	if (a->version != net->version)
		return 0;
	for (int bit = 0; bit < prefix; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		if ((a->b[bit / 8] & m) != (net->b[bit / 8] & m))
			return 0;
	}
	return 1;
}
