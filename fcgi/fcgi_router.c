/* fcgi_router.c - segment-wise matching of "/a/:b/c" patterns against the
 * raw request path. */
#include "fcgi_router.h"

#include <stdio.h>
#include <string.h>

#define MAX_SEGMENTS 8

/* Decodes one segment into out (room for n + 1 bytes). Returns its length,
 * or -1 for a segment that must match nothing: a bad escape, a decoded '/'
 * or NUL, "." or "..". */
static long decode_segment(const char *raw, size_t n, char *out)
{
	long len = fcgi_pct_decode(raw, n, out, n + 1, 0, 1);

	if (len < 0 || memchr(out, '/', (size_t)len) != NULL ||
	    memchr(out, '\0', (size_t)len) != NULL || strcmp(out, ".") == 0 ||
	    strcmp(out, "..") == 0)
		return -1;
	return len;
}

/* Splits the raw path on literal '/' into at most MAX_SEGMENTS decoded
 * segments in buf. Returns the count, or -1 when the path matches nothing
 * (see fcgi_router_match). A single trailing slash is ignored. */
static int split_path(const char *path, char *buf, size_t size,
                      char *seg[MAX_SEGMENTS])
{
	const char *p = path;
	size_t used = 0;
	int n = 0;

	if (*p != '/')
		return -1;
	p++;
	while (*p) {
		size_t len = strcspn(p, "/");
		long got;
		if (len == 0 || n == MAX_SEGMENTS || used + len + 1 > size)
			return -1;
		seg[n] = buf + used;
		got = decode_segment(p, len, seg[n]);
		if (got < 0)
			return -1;
		used += (size_t)got + 1;
		n++;
		p += len;
		if (*p == '/')
			p++;
	}
	return n;
}

/* Matches a pattern against decoded segments, capturing params. */
static int pattern_matches(const char *pattern, char *const seg[], int nseg,
                           const char *params[FCGI_MAX_PARAMS])
{
	const char *p = pattern + 1;
	int i = 0, np = 0;

	if (*p == '\0')
		return nseg == 0;
	while (*p) {
		size_t len = strcspn(p, "/");
		if (i >= nseg)
			return 0;
		if (*p == ':') {
			if (np < FCGI_MAX_PARAMS)
				params[np++] = seg[i];
		} else if (strlen(seg[i]) != len ||
		           strncmp(p, seg[i], len) != 0) {
			return 0;
		}
		i++;
		p += len;
		if (*p == '/')
			p++;
	}
	return i == nseg;
}

static int method_matches(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 &&
	        strcmp(route_method, "GET") == 0);
}

static void allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(allow);
	if (strstr(allow, method) != NULL)
		return;
	snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
	if (strcmp(method, "GET") == 0)
		allow_add(allow, size, "HEAD");
}

const struct fcgi_route *fcgi_router_match(const struct fcgi_route *table,
                                           size_t n, const char *method,
                                           const char *path, char *seg_buf,
                                           size_t size,
                                           const char *params[FCGI_MAX_PARAMS],
                                           char *allow, size_t allow_size)
{
	char *seg[MAX_SEGMENTS];
	int nseg = split_path(path, seg_buf, size, seg);

	allow[0] = '\0';
	if (nseg < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *caught[FCGI_MAX_PARAMS] = {0};
		if (!pattern_matches(table[i].pattern, seg, nseg, caught))
			continue;
		if (method_matches(table[i].method, method)) {
			memcpy(params, caught, sizeof(caught));
			return &table[i];
		}
		allow_add(allow, allow_size, table[i].method);
	}
	return NULL;
}

const struct fcgi_param *fcgi_route_param(const struct fcgi_route *r,
                                          const char *name)
{
	for (const struct fcgi_param *p = r->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
