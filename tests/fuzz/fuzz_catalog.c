/* fuzz_catalog.c - the libFuzzer harness of the catalog: arbitrary bytes
 * become one function's input the way the pool makes them, and go through
 * fn_dispatch (schema validation, then the handler, then the result check).
 *
 * One function per run: SOPM_FUZZ_FN=name, or -fn=name on the command line
 * (read in LLVMFuzzerInitialize, ignored by libFuzzer), so each function
 * gets its own time slice and corpus (`make fuzz`, scripts/fuzz.sh).
 *
 * The bytes are what a client puts after "input": in POST /execute. The
 * harness wraps them as {"input":<bytes>} and parses that with the pool's own
 * body parser (fcgi_json_parse: depth limit, jansson flags, an object at the
 * top) under the configured body size limit, then takes "input" as
 * api_execute does. Junk that is not JSON is thus refused where production
 * refuses it, and a handler only ever sees what a client could send it.
 *
 * A finding is a crash, a sanitizer report, a leak, a timeout, or one of the
 * harness's own checks (abort): a success whose result cannot be encoded as
 * the response, or a failure that is a 500 (a client's input must never be
 * an internal error). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi_http.h"
#include "fn.h"
#include "sopm_config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sopm_config cfg;
static const struct fn_entry *entry;
static struct fn_ctx *ctx; /* one per process, as a worker thread has */

static const char head[] = "{\"input\":";
static const char tail[] = "}";

static const char *fn_name(int argc, char **argv)
{
	const char *name = getenv("SOPM_FUZZ_FN");

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "-fn=", 4) == 0)
			name = argv[i] + 4;
	return name;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *name = fn_name(*argc, *argv);
	struct fn_limits limits;
	struct sopm_err err;

	if (sopm_config_load(&cfg, NULL, &err) != 0 ||
	    fn_catalog_init(&err) != 0) {
		fprintf(stderr, "fuzz_catalog: %s\n", err.msg);
		exit(2);
	}
	entry = name ? fn_catalog_find(name) : NULL;
	if (entry == NULL) {
		fprintf(stderr,
		        "fuzz_catalog: set SOPM_FUZZ_FN (or -fn=) to one of:");
		for (size_t i = 0; i < fn_catalog_count(); i++)
			fprintf(stderr, " %s", fn_catalog_at(i)->def->name);
		fprintf(stderr, "\n");
		exit(2);
	}
	/* The server's limits, but `sleep` may wait 1 ms at most (a slice
	 * is a few seconds), and no host is on the allow-list: the guard
	 * refuses every address that is not global before connecting, and
	 * fuzz_offline.c refuses the rest, so nothing leaves the machine. */
	fn_limits_from_config(&limits, &cfg);
	limits.sleep_max_ms = 1;
	limits.http_allow = "";
	ctx = fn_ctx_new(&limits, &err);
	if (ctx == NULL) {
		fprintf(stderr, "fuzz_catalog: fn_ctx_new: %s\n", err.msg);
		exit(2);
	}
	return 0;
}

/* A successful result must become a response body, as fcgi_resp_json
 * encodes it. */
static void check_result(const json_t *result)
{
	char *text = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);

	if (text == NULL) {
		fprintf(stderr,
		        "fuzz_catalog: %s returned a result that "
		        "cannot be encoded\n",
		        entry->def->name);
		abort();
	}
	free(text);
}

static void check_error(const struct sopm_err *err)
{
	if (err->code == SOPM_E_OK || sopm_err_status(err->code) >= 500) {
		fprintf(stderr, "fuzz_catalog: %s failed with code %d: %s\n",
		        entry->def->name, (int)err->code, err->msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = sizeof(head) - 1 + size + sizeof(tail) - 1;
	json_t *body = NULL, *result = NULL;
	struct sopm_err err;
	uint64_t us;
	char *text;

	if (n > cfg.http_max_body_bytes)
		return 0; /* 413 before parsing */
	text = malloc(n + 1);
	if (text == NULL)
		return 0;
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + sizeof(head) - 1, data, size);
	memcpy(text + sizeof(head) - 1 + size, tail, sizeof(tail));
	if (fcgi_json_parse(text, n, &cfg, &body, &err) == 0) {
		const json_t *input = json_object_get(body, "input");
		if (fn_dispatch(entry, input, ctx, &result, &us, &err) == 0)
			check_result(result);
		else
			check_error(&err);
		json_decref(result);
	}
	json_decref(body);
	free(text);
	return 0;
}
