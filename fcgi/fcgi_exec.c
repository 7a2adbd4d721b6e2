#include "fcgi_exec.h"

#include "fcgi_stats.h"
#include "fn_schema.h"

int fcgi_exec_catalog(const struct fn_entry *e, const json_t *input,
                      struct fn_ctx *ctx, json_t **result,
                      uint64_t *duration_us, struct sopm_err *err)
{
	int rc;

	*duration_us = 0;
	rc = fn_dispatch(e, input, ctx, result, duration_us, err);
	fcgi_stats_execution(e->index, rc != 0, *duration_us);
	return rc;
}

int fcgi_exec_check(const struct fn_entry *e, const json_t *input,
                    struct sopm_err *err)
{
	if (fn_schema_validate(e->schema, input, err) == 0)
		return 0;
	fcgi_stats_execution(e->index, 1, 0);
	return -1;
}
