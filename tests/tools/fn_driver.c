/* fn_driver.c - reads "fn<TAB>json" lines and prints "OK <json>" or
 * "ERR <code> <message>", for tests/gen_golden.py diff. Build after make:
 *   cc -Ilib -Ifunctions -Ibuild/gen tests/tools/fn_driver.c \
 *      $(find build/obj/functions build/obj/gen build/obj/lib -name '*.o') \
 *      $(pkg-config --libs jansson libcrypto gmp mpfr zlib libpcre2-8 \
 *      libcurl hiredis lapack) -lmariadb -lunistring -licuuc -licui18n \
 *      -lm -pthread -o /tmp/fn_driver */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fn.h"
#include "fn_tz.h"
static char line[1 << 22];
int main(void)
{
	struct sopm_err err = {0};
	struct fn_limits lim = {10000, 1 << 20, ""};
	struct fn_ctx *ctx;
	if (fn_catalog_init(&err) || (ctx = fn_ctx_new(&lim, &err)) == NULL) {
		fprintf(stderr, "init: %s\n", err.msg);
		return 1;
	}
	while (fgets(line, sizeof line, stdin)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		json_error_t je;
		json_t *in = json_loads(tab + 1, JSON_ALLOW_NUL, &je);
		if (!in) {
			printf("BADJSON %s\n", je.text);
			fflush(stdout);
			continue;
		}
		const struct fn_entry *e = fn_catalog_find(line);
		json_t *out = NULL;
		uint64_t us;
		if (fn_dispatch(e, in, ctx, &out, &us, &err) == 0) {
			char *s =
			    json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT |
			                        JSON_REAL_PRECISION(17));
			printf("OK %s\n", s);
			free(s);
			json_decref(out);
		} else
			printf("ERR %d %s\n", err.code, err.msg);
		fflush(stdout);
		json_decref(in);
	}
	fn_ctx_free(ctx);
	fn_catalog_free();
	fn_tz_cache_free();
	return 0;
}
