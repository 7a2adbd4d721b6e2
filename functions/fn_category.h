/* fn_category.h - the catalog's categories, once: every list of them (the
 * enum, the names, the per-thread hooks, the generator's check of the
 * folders under functions/) comes from FN_CATEGORIES.
 *
 * X(name, init, free): name is the folder functions/<name>/ and the
 * category's wire name; init and free are the optional per-thread hooks
 * (NULL when the category keeps no per-thread state), with the types
 * fn_category_init_t and fn_category_free_t of fn.h. A category's state
 * lives in ctx->state[FN_CAT_<name>]. */
#ifndef FN_CATEGORY_H
#define FN_CATEGORY_H

#define FN_CATEGORIES(X)                                                       \
	X(data, NULL, NULL)                                                    \
	X(text, NULL, NULL)                                                    \
	X(math, NULL, NULL)                                                    \
	X(web, NULL, NULL)                                                     \
	X(util, fn_util_init, fn_util_free)

/* The hooks named above (their types are fn_category_init_t and
 * fn_category_free_t of fn.h). util's keep PCRE2's match context and JIT
 * stack for regex_* (functions/util/regex.c). */
struct fn_ctx;
struct sopm_err;
int fn_util_init(struct fn_ctx *ctx, void **state, struct sopm_err *err);
void fn_util_free(void *state);

enum fn_category {
#define FN_CAT_ENUM(name, init, free) FN_CAT_##name,
	FN_CATEGORIES(FN_CAT_ENUM)
#undef FN_CAT_ENUM
	    FN_CAT_COUNT
};

#endif
