/* fn_ctx.c - the per-thread catalog context and its limits. */
#include "fn.h"
#include "sopm_config.h"

#include <stdlib.h>
#include <string.h>

static fn_category_init_t *const category_init[FN_CAT_COUNT] = {
#define FN_CAT_INIT(name, init, free) init,
    FN_CATEGORIES(FN_CAT_INIT)
#undef FN_CAT_INIT
};

static fn_category_free_t *const category_free[FN_CAT_COUNT] = {
#define FN_CAT_FREE(name, init, free) free,
    FN_CATEGORIES(FN_CAT_FREE)
#undef FN_CAT_FREE
};

static const char *const category_names[FN_CAT_COUNT] = {
#define FN_CAT_NAME(name, init, free) #name,
    FN_CATEGORIES(FN_CAT_NAME)
#undef FN_CAT_NAME
};

const char *fn_category_name(enum fn_category c)
{
	return (unsigned)c < FN_CAT_COUNT ? category_names[c] : NULL;
}

struct fn_ctx *fn_ctx_new(const struct fn_limits *limits, struct sopm_err *err)
{
	struct fn_ctx *ctx = calloc(1, sizeof(*ctx));
	char *allow;

	if (ctx == NULL)
		goto oom;
	ctx->limits = *limits;
	allow = strdup(limits->http_allow ? limits->http_allow : "");
	ctx->limits.http_allow = allow;
	if (allow == NULL)
		goto oom;
	for (int c = 0; c < FN_CAT_COUNT; c++) {
		if (category_init[c] == NULL)
			continue;
		if (category_init[c](ctx, &ctx->state[c], err) != 0) {
			fn_ctx_free(ctx);
			return NULL;
		}
	}
	return ctx;
oom:
	fn_ctx_free(ctx);
	sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	return NULL;
}

void fn_ctx_free(struct fn_ctx *ctx)
{
	if (ctx == NULL)
		return;
	for (int c = 0; c < FN_CAT_COUNT; c++)
		if (category_free[c] != NULL && ctx->state[c] != NULL)
			category_free[c](ctx->state[c]);
	free((char *)ctx->limits.http_allow);
	free(ctx);
}

void fn_limits_from_config(struct fn_limits *limits,
                           const struct sopm_config *cfg)
{
	limits->sleep_max_ms = cfg->catalog_sleep_max_ms;
	limits->http_max_response = cfg->catalog_http_max_response_bytes;
	limits->http_allow = cfg->catalog_http_allow;
}
