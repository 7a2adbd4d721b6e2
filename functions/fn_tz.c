/* fn_tz.c - TZif reader and zone cache for fn_tz.h, following CPython
 * 3.11's Lib/zoneinfo/_zoneinfo.py and _common.py step by step, so that
 * offsets agree with ZoneInfo everywhere, including its choices in
 * ambiguous and skipped wall times. */
#include "fn_tz.h"
#include "sopm_ascii.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TZ_DIR        "/usr/share/zoneinfo/"
#define TZ_FILE_MAX   (1 << 20) /* the largest real file is ~4 KiB */
#define TZ_CACHE_MAX  4096      /* more than every file under TZ_DIR */
#define TZ_FOOTER_MAX 256

/* A POSIX TZ transition rule: Mm.w.d, Jn or n, then /time. */
struct tz_rule {
	int kind; /* 'M', 'J' or 'n' */
	int m, w, d;
	int day;
	long hour, minute, second;
};

/* The footer: a fixed offset, or std/dst with rules (_TZStr). */
struct tz_after {
	int has_dst;
	int32_t std_off, dst_off, dst_diff;
	struct tz_rule start, end;
};

struct fn_tz {
	size_t n;         /* transitions */
	int64_t *utc;     /* transition instants */
	int64_t *wall[2]; /* the same on the local clock, for fold 0 and 1 */
	int32_t *off;     /* offset in force from each transition */
	int32_t before;   /* offset before the first transition */
	struct tz_after after;
};

/* ---- calendar ----------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int fn_tz_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fn_tz_days_in_month(int64_t y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30,
	                          31, 31, 30, 31, 30, 31};
	return m == 2 && fn_tz_is_leap(y) ? 29 : dim[m - 1];
}

/* H. Hinnant's days_from_civil. */
int64_t fn_tz_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void fn_tz_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t year_of(int64_t t)
{
	int64_t y;
	int m, d;

	fn_tz_civil_from_days(floor_div(t, 86400), &y, &m, &d);
	return y;
}

/* ---- POSIX TZ rules (_TZStr) ------------------------------------------- */

/* _DayOffset.year_to_epoch / _CalendarOffset.year_to_epoch. zoneinfo's
 * days-before-year is one less than the day number of January 1. */
static int64_t rule_epoch(const struct tz_rule *r, int64_t year)
{
	int64_t before = fn_tz_days_from_civil(year, 1, 1) - 1, days;

	if (r->kind == 'M') {
		/* weekday of the 1st, Monday = 0 */
		int64_t first = fn_tz_days_from_civil(year, r->m, 1);
		int first_day = (int)(((first + 3) % 7 + 7) % 7);
		int dim = fn_tz_days_in_month(year, r->m);
		int md = ((r->d - (first_day + 1)) % 7 + 7) % 7 + 1;
		md += (r->w - 1) * 7;
		if (md > dim)
			md -= 7;
		days = fn_tz_days_from_civil(year, r->m, md);
	} else {
		int64_t dd = r->day;
		if (r->kind == 'J' && dd >= 59 && fn_tz_is_leap(year))
			dd += 1;
		days = before + dd;
	}
	return days * 86400 + r->hour * 3600 + r->minute * 60 + r->second;
}

static int32_t after_fromutc(const struct tz_after *a, int64_t ts, int64_t year)
{
	int64_t start = rule_epoch(&a->start, year) - a->std_off;
	int64_t end = rule_epoch(&a->end, year) - a->dst_off;
	int isdst;

	if (start < end)
		isdst = start <= ts && ts < end;
	else
		isdst = !(end <= ts && ts < start);
	return isdst ? a->dst_off : a->std_off;
}

static int32_t after_local(const struct tz_after *a, int64_t ts, int64_t year,
                           int fold)
{
	int64_t start = rule_epoch(&a->start, year);
	int64_t end = rule_epoch(&a->end, year);
	int isdst;

	if (fold == (a->dst_diff >= 0))
		end -= a->dst_diff;
	else
		start += a->dst_diff;
	if (start < end)
		isdst = start <= ts && ts < end;
	else
		isdst = !(end <= ts && ts < start);
	return isdst ? a->dst_off : a->std_off;
}

/* An abbreviation: <[A-Za-z0-9+-]+> or a run of characters outside
 * "0-9:.+-" (and '<' for std). */
static const char *parse_abbr(const char *p, int is_std)
{
	const char *s = p;

	if (*p == '<') {
		for (p++; *p && *p != '>'; p++)
			if (!(sopm_is_digit(*p) || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || *p == '+' ||
			      *p == '-'))
				return NULL;
		return *p == '>' && p - s > 1 ? p + 1 : NULL;
	}
	while (*p && !sopm_is_digit(*p) && !strchr(":.+-,", *p) &&
	       !(is_std && *p == '<'))
		p++;
	return p > s ? p : NULL;
}

/* [+-]?h{1,2}(:mm(:ss)?)? -> seconds east of UTC (POSIX is west). */
static const char *parse_offset(const char *p, int32_t *out)
{
	int sign = 1;
	long h = 0, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!sopm_is_digit(*p))
		return NULL;
	h = *p++ - '0';
	if (sopm_is_digit(*p))
		h = h * 10 + (*p++ - '0');
	if (*p == ':' && sopm_is_digit(p[1]) && sopm_is_digit(p[2])) {
		m = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == ':' && sopm_is_digit(p[1]) && sopm_is_digit(p[2])) {
			s = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
		}
	}
	long total = h * 3600 + m * 60 + s;
	if (total >= 86400)
		return NULL;
	*out = (int32_t)(sign < 0 ? total : -total);
	return p;
}

/* int() of a short, optionally signed decimal; -1 on error. */
static int parse_int(const char *s, size_t n, long *out)
{
	size_t i = 0;
	int neg = 0;
	long v = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n || n - i > 9)
		return -1;
	for (; i < n; i++) {
		if (!sopm_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

/* _parse_dst_start_end for the text [s, s+n). */
static int parse_rule(const char *s, size_t n, struct tz_rule *r)
{
	const char *slash = memchr(s, '/', n);
	size_t dn = slash ? (size_t)(slash - s) : n;
	long v;

	memset(r, 0, sizeof(*r));
	r->hour = 2;
	if (dn > 0 && s[0] == 'M') {
		/* M(\d{1,2})\.(\d).(\d)$ */
		size_t i = 1, k = 0;
		int m = 0;
		while (i < dn && sopm_is_digit(s[i]) && k < 2) {
			m = m * 10 + (s[i++] - '0');
			k++;
		}
		if (k == 0 || i + 4 != dn || s[i] != '.' ||
		    !sopm_is_digit(s[i + 1]) || !sopm_is_digit(s[i + 3]))
			return -1;
		r->kind = 'M';
		r->m = m;
		r->w = s[i + 1] - '0';
		r->d = s[i + 3] - '0';
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d > 6)
			return -1;
	} else {
		size_t i = 0;
		r->kind = 'n';
		if (dn > 0 && s[0] == 'J') {
			r->kind = 'J';
			i = 1;
		}
		if (parse_int(s + i, dn - i, &v) < 0 ||
		    v < (r->kind == 'J' ? 1 : 0) || v > 365)
			return -1;
		r->day = (int)v;
	}
	if (slash) {
		/* time[0].split(":"): one to three int() fields */
		const char *t = slash + 1, *e = s + n;
		const char *next = memchr(t, '/', (size_t)(e - t));
		long f[3] = {0, 0, 0};
		int nf = 0;
		if (next)
			e = next;
		for (;;) {
			const char *c = memchr(t, ':', (size_t)(e - t));
			const char *fe = c ? c : e;
			if (nf == 3 || parse_int(t, (size_t)(fe - t), &v) < 0)
				return -1;
			f[nf++] = v;
			if (!c)
				break;
			t = c + 1;
		}
		r->hour = f[0];
		r->minute = f[1];
		r->second = f[2];
	}
	return 0;
}

/* _parse_tz_str. Returns 0, or -1 when zoneinfo would raise. */
static int parse_footer(const char *s, struct tz_after *a)
{
	const char *p = parse_abbr(s, 1);
	int32_t std = 0, dst;

	memset(a, 0, sizeof(*a));
	if (p == NULL)
		return -1;
	if (*p && *p != ',') {
		if ((p = parse_offset(p, &std)) == NULL)
			return -1;
	}
	a->std_off = a->dst_off = std;
	if (*p == '\0')
		return 0;
	if (*p == ',')
		return -1; /* a rule without DST */
	if ((p = parse_abbr(p, 0)) == NULL)
		return -1;
	dst = std + 3600;
	if (*p && *p != ',' && (p = parse_offset(p, &dst)) == NULL)
		return -1;
	if (*p != ',')
		return -1;
	const char *r1 = p + 1, *comma = strchr(r1, ',');
	if (comma == NULL)
		return -1;
	if (parse_rule(r1, (size_t)(comma - r1), &a->start) < 0 ||
	    parse_rule(comma + 1, strlen(comma + 1), &a->end) < 0)
		return -1;
	a->has_dst = 1;
	a->dst_off = dst;
	a->dst_diff = dst - std;
	return 0;
}

/* ---- TZif -----------------------------------------------------------------
 */

struct rd {
	const unsigned char *p;
	size_t left;
};

static int take(struct rd *r, size_t n, const unsigned char **out)
{
	if (n > r->left)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_hdr {
	int version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int read_hdr(struct rd *r, struct tzif_hdr *h)
{
	const unsigned char *p;

	if (take(r, 44, &p) < 0 || memcmp(p, "TZif", 4) != 0)
		return -1;
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '9')
		h->version = p[4] - '0';
	else
		return -1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	/* every count is bounded by the (small) file: no overflow below */
	if (h->timecnt > TZ_FILE_MAX || h->typecnt > 256 ||
	    h->charcnt > TZ_FILE_MAX || h->leapcnt > TZ_FILE_MAX ||
	    h->isutcnt > TZ_FILE_MAX || h->isstdcnt > TZ_FILE_MAX)
		return -1;
	return 0;
}

static void tz_free(struct fn_tz *z)
{
	if (z == NULL)
		return;
	free(z->utc);
	free(z->wall[0]);
	free(z->wall[1]);
	free(z->off);
	free(z);
}

/* _common.load_data + ZoneInfo._load_file; NULL on a bad file or OOM
 * (*oom set). */
static struct fn_tz *tz_parse(const unsigned char *buf, size_t len, int *oom)
{
	struct rd r = {buf, len};
	struct tzif_hdr h;
	const unsigned char *times, *idx, *types, *p;
	int32_t utcoff[256];
	unsigned char isdst[256];
	size_t tsize = 4;
	struct fn_tz *z;

	*oom = 0;
	if (read_hdr(&r, &h) < 0)
		return NULL;
	if (h.version >= 2) {
		size_t skip = (size_t)h.timecnt * 5 + (size_t)h.typecnt * 6 +
		              h.charcnt + (size_t)h.leapcnt * 8 + h.isstdcnt +
		              h.isutcnt;
		if (take(&r, skip, &p) < 0 || read_hdr(&r, &h) < 0)
			return NULL;
		tsize = 8;
	}
	if (h.typecnt == 0 || take(&r, h.timecnt * tsize, &times) < 0 ||
	    take(&r, h.timecnt, &idx) < 0 ||
	    take(&r, (size_t)h.typecnt * 6, &types) < 0 ||
	    take(&r, h.charcnt, &p) < 0)
		return NULL;
	for (uint32_t i = 0; i < h.typecnt; i++) {
		utcoff[i] = (int32_t)be32(types + 6 * i);
		isdst[i] = types[6 * i + 4];
	}
	z = calloc(1, sizeof(*z));
	if (z == NULL)
		goto oom;
	z->n = h.timecnt;
	if (z->n) {
		z->utc = malloc(z->n * sizeof(*z->utc));
		z->wall[0] = malloc(z->n * sizeof(int64_t));
		z->wall[1] = malloc(z->n * sizeof(int64_t));
		z->off = malloc(z->n * sizeof(*z->off));
		if (!z->utc || !z->wall[0] || !z->wall[1] || !z->off)
			goto oom;
	}
	for (size_t i = 0; i < z->n; i++) {
		if (idx[i] >= h.typecnt)
			goto bad;
		z->utc[i] = tsize == 8 ? be64(times + 8 * i)
		                       : (int32_t)be32(times + 4 * i);
		z->off[i] = utcoff[idx[i]];
	}
	/* _ts_to_local: wall[0] uses the larger of the two offsets around a
	 * transition, wall[1] the smaller. */
	for (size_t i = 0; i < z->n; i++) {
		int32_t o0, o1;
		if (i == 0) {
			o0 = utcoff[0];
			o1 = h.typecnt > 1 ? utcoff[idx[0]] : utcoff[0];
		} else {
			o0 = z->off[i - 1];
			o1 = z->off[i];
		}
		if (o1 > o0) {
			int32_t t = o0;
			o0 = o1;
			o1 = t;
		}
		z->wall[0][i] = z->utc[i] + o0;
		z->wall[1][i] = z->utc[i] + o1;
	}
	/* _tti_before: the first standard-time type, else the first
	 * transition's */
	z->before = z->n ? z->off[0] : utcoff[0];
	for (uint32_t i = 0; i < h.typecnt; i++)
		if (!isdst[i]) {
			z->before = utcoff[i];
			break;
		}
	int have_footer = 0;
	if (h.version >= 2) {
		char footer[TZ_FOOTER_MAX];
		size_t skip = h.isutcnt + h.isstdcnt + (size_t)h.leapcnt * 12;
		size_t k = 0;
		if (take(&r, skip, &p) < 0 || take(&r, 1, &p) < 0 || *p != '\n')
			goto bad;
		for (;;) {
			if (take(&r, 1, &p) < 0 || k + 1 >= sizeof(footer))
				goto bad;
			if (*p == '\n')
				break;
			footer[k++] = (char)*p;
		}
		footer[k] = '\0';
		if (k > 0) {
			if (parse_footer(footer, &z->after) < 0)
				goto bad;
			have_footer = 1;
		}
	}
	if (!have_footer) {
		z->after.std_off =
		    z->n ? z->off[z->n - 1] : utcoff[h.typecnt - 1];
		z->after.dst_off = z->after.std_off;
	}
	return z;
oom:
	*oom = 1;
bad:
	tz_free(z);
	return NULL;
}

/* ---- lookups ------------------------------------------------------------ */

/* Index of the first element > t (bisect_right). */
static size_t bisect_right(const int64_t *a, size_t n, int64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t < a[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int32_t fn_tz_offset_utc(const struct fn_tz *z, int64_t ts)
{
	size_t n = z->n;

	if (n >= 1 && ts < z->utc[0])
		return z->before;
	if ((n == 0 || ts > z->utc[n - 1]) && z->after.has_dst)
		return after_fromutc(&z->after, ts, year_of(ts));
	if (n == 0)
		return z->after.std_off;
	size_t idx = bisect_right(z->utc, n, ts);
	if (n > 1 && ts >= z->utc[1])
		return z->off[idx - 1];
	if (ts > z->utc[n - 1])
		return z->after.std_off;
	return z->off[0];
}

int32_t fn_tz_offset_local(const struct fn_tz *z, int64_t ts, int fold)
{
	const int64_t *lt = z->wall[fold ? 1 : 0];
	size_t n = z->n;

	if (n && ts < lt[0])
		return z->before;
	if (!n || ts > lt[n - 1]) {
		if (z->after.has_dst)
			return after_local(&z->after, ts, year_of(ts),
			                   fold ? 1 : 0);
		return z->after.std_off;
	}
	return z->off[bisect_right(lt, n, ts) - 1];
}

/* ---- cache ------------------------------------------------------------- */

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz_entry {
	char name[FN_TZ_NAME_MAX + 1];
	struct fn_tz *z;
} * tz_cache;
static size_t tz_cache_n, tz_cache_cap;

/* zoneinfo's _validate_tzfile_path, with a conservative charset. */
static int name_ok(const char *s)
{
	size_t n = strlen(s), comp = 0;

	if (n == 0 || n > FN_TZ_NAME_MAX || s[0] == '/')
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		if (c == '/' || c == '\0') {
			const char *start = s + i - comp;
			if (comp == 0 || (comp == 1 && start[0] == '.') ||
			    (comp == 2 && start[0] == '.' && start[1] == '.'))
				return 0;
			comp = 0;
			continue;
		}
		if (!(sopm_is_digit(c) || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr("._+-", c)))
			return 0;
		comp++;
	}
	return 1;
}

/* Reads a regular file of at most TZ_FILE_MAX bytes. Returns a malloc'd
 * buffer, or NULL (*oom set when out of memory). */
static unsigned char *read_zone(const char *name, size_t *len, int *oom)
{
	char path[sizeof(TZ_DIR) + FN_TZ_NAME_MAX];
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd;

	*oom = 0;
	snprintf(path, sizeof(path), "%s%s", TZ_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > TZ_FILE_MAX) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		*oom = 1;
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	*len = got;
	return buf;
}

static struct fn_tz *cache_find(const char *name)
{
	for (size_t i = 0; i < tz_cache_n; i++)
		if (strcmp(tz_cache[i].name, name) == 0)
			return tz_cache[i].z;
	return NULL;
}

const struct fn_tz *fn_tz_get(const char *name, const char *field,
                              struct sopm_err *err)
{
	struct fn_tz *z;
	unsigned char *buf;
	size_t len = 0;
	int oom = 0;

	if (!name_ok(name)) {
		sopm_err_set(err, SOPM_E_INVALID_INPUT,
		             "field '%s' is not a valid IANA time zone name",
		             field);
		return NULL;
	}
	pthread_mutex_lock(&tz_lock);
	z = cache_find(name);
	if (z != NULL)
		goto out;
	/* Parsing under the lock is fine: a file is read once per process. */
	buf = read_zone(name, &len, &oom);
	if (buf != NULL) {
		z = tz_parse(buf, len, &oom);
		free(buf);
	}
	if (z == NULL) {
		if (oom)
			sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
		else
			sopm_err_set(err, SOPM_E_INVALID_INPUT,
			             "field '%s': unknown time zone '%s'",
			             field, name);
		goto out;
	}
	if (tz_cache_n == tz_cache_cap) {
		size_t cap = tz_cache_cap ? tz_cache_cap * 2 : 32;
		struct tz_entry *c =
		    cap > TZ_CACHE_MAX
		        ? NULL
		        : realloc(tz_cache, cap * sizeof(*tz_cache));
		if (c == NULL) {
			tz_free(z);
			z = NULL;
			sopm_err_set(err, SOPM_E_INTERNAL,
			             "time zone cache is full");
			goto out;
		}
		tz_cache = c;
		tz_cache_cap = cap;
	}
	snprintf(tz_cache[tz_cache_n].name, sizeof(tz_cache[0].name), "%s",
	         name);
	tz_cache[tz_cache_n++].z = z;
out:
	pthread_mutex_unlock(&tz_lock);
	return z;
}

void fn_tz_cache_free(void)
{
	pthread_mutex_lock(&tz_lock);
	for (size_t i = 0; i < tz_cache_n; i++)
		tz_free(tz_cache[i].z);
	free(tz_cache);
	tz_cache = NULL;
	tz_cache_n = tz_cache_cap = 0;
	pthread_mutex_unlock(&tz_lock);
}
