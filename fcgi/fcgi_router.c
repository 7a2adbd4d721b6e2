/* fcgi_router.c - segment-wise matching of "/a/:b/c" patterns. */
#include "fcgi_router.h"

#include <stdio.h>
#include <string.h>

#define MAX_SEGMENTS 8

/* Splits path (modified in place) into at most MAX_SEGMENTS segments.
 * Returns the count, or -1 when there are too many or one is empty. A single
 * trailing slash is ignored. */
static int split_path(char *path, char *seg[MAX_SEGMENTS])
{
	int n = 0;
	char *p = path;

	if (*p != '/')
		return -1;
	p++;
	if (*p == '\0')
		return 0;
	while (*p) {
		char *slash = strchr(p, '/');
		if (n == MAX_SEGMENTS || p == slash)
			return -1;
		seg[n++] = p;
		if (slash == NULL)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	return n;
}

/* Matches a pattern against already split segments, capturing params. */
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
                                           char *path_copy,
                                           const char *params[FCGI_MAX_PARAMS],
                                           char *allow, size_t allow_size)
{
	char *seg[MAX_SEGMENTS];
	int nseg = split_path(path_copy, seg);

	allow[0] = '\0';
	if (nseg < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *caught[FCGI_MAX_PARAMS] = {NULL, NULL};
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
