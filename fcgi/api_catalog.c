/* api_catalog.c - listing, describing and executing catalog functions. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fcgi_api.h"
#include "fcgi_exec.h"
#include "fcgi_stats.h"
#include "fcgi_worker.h"
#include "fn.h"
#include "sopm_id.h"
#include "sopm_jobq.h"

static int matches_query(const struct fn_entry *e, const char *q)
{
	return q[0] == '\0' || strcasestr(e->def->name, q) != NULL ||
	       (e->def->description &&
	        strcasestr(e->def->description, q) != NULL);
}

/* Encodes {"count": n, "functions": [...]} of the matching rows from each
 * row's pre-encoded description into a NEW malloc()ed string, or NULL. */
static char *list_functions(const char *category, const char *q)
{
	char *items = NULL, *all;
	size_t len = 0, count = 0;
	FILE *f = open_memstream(&items, &len);
	int n;

	if (f == NULL)
		return NULL;
	for (size_t i = 0; i < fn_catalog_count(); i++) {
		const struct fn_entry *e = fn_catalog_at(i);
		if ((category[0] && strcmp(category, e->def->category) != 0) ||
		    !matches_query(e, q))
			continue;
		fprintf(f, "%s%s", count++ ? "," : "", e->description_text);
	}
	if (fclose(f) != 0) {
		free(items);
		return NULL;
	}
	all = malloc(len + 64);
	if (all != NULL) {
		n = snprintf(all, 64, "{\"count\":%zu,\"functions\":[", count);
		memcpy(all + n, items, len);
		memcpy(all + n + len, "]}", 3);
	}
	free(items);
	return all;
}

/* The unfiltered list never changes in a process: encoded once, shared
 * read-only by every thread, never freed. */
static pthread_once_t full_list_once = PTHREAD_ONCE_INIT;
static char *full_list_text;

static void encode_full_list(void)
{
	full_list_text = list_functions("", "");
}

int api_functions_list(struct fcgi_req *req, struct sopm_err *err)
{
	const char *category = fcgi_req_arg(req, "category");
	const char *q = fcgi_req_arg(req, "q");
	const char *text;

	if (category == NULL)
		category = "";
	if (q == NULL)
		q = "";
	if (category[0] == '\0' && q[0] == '\0') {
		pthread_once(&full_list_once, encode_full_list);
		text = full_list_text;
	} else {
		text = req->resp_text_owned = list_functions(category, q);
	}
	if (text == NULL)
		return sopm_err_code(err, SOPM_E_INTERNAL);
	fcgi_resp_text(req, 200, "application/json", text);
	return 0;
}

int api_functions_get(struct fcgi_req *req, struct sopm_err *err)
{
	const char *name = fcgi_req_arg(req, "name");
	const struct fn_entry *e = fn_catalog_find(name);

	if (e == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND,
		                    "function '%s' not found", name);
	fcgi_resp_text(req, 200, "application/json", e->description_text);
	return 0;
}

static int execute_async(struct fcgi_req *req, const struct fn_entry *e,
                         const json_t *input, struct sopm_err *err)
{
	char url[64];

	/* Reject bad input now, not as a failed job later. */
	if (fcgi_exec_check(e, input, err) != 0)
		return -1;
	if (sopm_jobq_submit(req->worker->jobq, &req->worker->redis,
	                     e->def->name, "catalog", input, req->job_id,
	                     err) != 0)
		return -1;
	fcgi_stats_add(FCGI_C_JOBS_ACCEPTED, 1);
	snprintf(url, sizeof(url), "/api/status/%s", req->job_id);
	fcgi_resp_header(req, "Location", url);
	fcgi_resp_json(req, 202,
	               json_pack("{s:s, s:s, s:s, s:s}", "job_id", req->job_id,
	                         "function", e->def->name, "status", "queued",
	                         "status_url", url));
	return 0;
}

int api_execute(struct fcgi_req *req, struct sopm_err *err)
{
	json_t *fn = json_object_get(req->json, "function");
	const char *name = json_string_value(fn);
	const struct fn_entry *e = fn_catalog_find(name);
	json_t *input = json_object_get(req->json, "input");
	json_t *result = NULL, *empty = NULL;
	uint64_t duration_us = 0;
	int rc;

	/* A name with a NUL names no function (not the one before the NUL). */
	if (strlen(name) != json_string_length(fn))
		return sopm_err_set(
		    err, SOPM_E_NOT_FOUND,
		    "function not found (its name holds a NUL)");
	if (e == NULL)
		return sopm_err_set(err, SOPM_E_NOT_FOUND,
		                    "function '%s' not found", name);
	req->fn_name = e->def->name;
	if (input == NULL)
		input = empty = json_object();
	if (fcgi_req_wants_async(req)) {
		rc = execute_async(req, e, input, err);
		json_decref(empty);
		return rc;
	}
	rc = fcgi_exec_catalog(e, input, req->worker->fn_ctx, &result,
	                       &duration_us, err);
	json_decref(empty);
	if (rc != 0)
		return -1;
	sopm_id_unique(req->job_id);
	fcgi_resp_json(req, 200,
	               json_pack("{s:s, s:s, s:s, s:o, s:I}", "job_id",
	                         req->job_id, "function", e->def->name,
	                         "status", "completed", "result", result,
	                         "duration_us", (json_int_t)duration_us));
	return 0;
}
