/* builder_build.h - the privileged half of a build: base images, the
 * sandboxed validation, the function's image, its bundle and the push.
 * Runs in the root helper (builder_helper.c) only; it trusts nothing in a
 * request: ids are integers, the handler and file paths are checked again.
 *
 * Layout under builder.state_dir (docs/design.md, "Builder"):
 *   bases/<recipe>-<key16>/rootfs   trimmed roots (validation sandboxes)
 *   containers/{storage,run}        buildah's private image store (overlay)
 *   oci/                            OCI image layout, one tag per version
 *   bundles/<function_id>/v<n>/     unpacked bundle (rootfs/, config.json)
 *   runsc/                          runsc --root of the build sandboxes
 *   work/v<version_id>/             one build's files, removed after it
 *   debcache/                       downloaded .debs, between base builds */
#ifndef BUILDER_BUILD_H
#define BUILDER_BUILD_H

#include <jansson.h>
#include <limits.h>

#include "sopm_config.h"
#include "sopm_err.h"

#define BUILDER_LOG_MAX (64 * 1024) /* build_log keeps this tail */

struct builder_env {
	const struct sopm_config *cfg; /* borrowed */
	char state[PATH_MAX];          /* absolute builder.state_dir */
	char runtimes[PATH_MAX];       /* absolute builder.runtimes_dir */
};

/* Fills env from cfg and makes the layout's folders (as root: 0700, except
 * bases/ and bundles/, which the sandbox user must traverse). Returns 0, or
 * -1 with SOPM_E_INTERNAL. */
int builder_env_init(struct builder_env *env, const struct sopm_config *cfg,
                     struct sopm_err *err);

/* Builds one version. req (borrowed): {"version_id", "function_id",
 * "version" (integers), "runtime", "handler", "code" (strings), "files"
 * (object path -> text)}. Returns a NEW object {"status": "ready" |
 * "failed", "image", "digest" (ready only), "log" (at most BUILDER_LOG_MAX
 * bytes, the tail), "duration_ms", "base_ms" (time spent preparing base
 * images, 0 when cached)}. A build that fails is a "failed" answer, not an
 * error: NULL (with err) only when out of memory. */
json_t *builder_build(const struct builder_env *env, const json_t *req,
                      struct sopm_err *err);

/* A build log as text that a JSON string and a utf8mb4 column can hold:
 * what user code printed may be any bytes, and each NUL or byte of a
 * broken UTF-8 sequence becomes U+FFFD (the Unicode replacement
 * character). s: n bytes, borrowed. Returns a NEW json string, or NULL
 * when out of memory. */
json_t *builder_log_json(const char *s, size_t n);

/* Removes every image, OCI tag, registry tag and bundle of a function.
 * req: {"function_id", "versions": [n, ...]}. Returns a NEW {"removed": n}.
 */
json_t *builder_remove(const struct builder_env *env, const json_t *req,
                       struct sopm_err *err);

/* The function ids that have bundles, as a NEW {"function_ids": [...]}. */
json_t *builder_list(const struct builder_env *env, struct sopm_err *err);

/* snprintf into a path buffer. Returns 0, or -1 when it does not fit. */
int builder_path_fmt(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rm -rf path, without following symbolic links. */
void builder_remove_tree(const char *path);

/* After a crash: deletes sandboxes and working containers left behind and
 * empties work/. Returns a NEW {"sandboxes": n}. */
json_t *builder_recover(const struct builder_env *env, struct sopm_err *err);

#endif
