/* builder_build.c - see builder_build.h. Every tool gets an argv; the only
 * strings from a request that reach one are checked here first (ids are
 * integers, the handler an identifier, file paths relative and plain). */
#include "builder_build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "builder_exec.h"
#include "builder_runtimes.h"
#include "builder_sandbox.h"
#include "sopm_bytes.h"
#include "sopm_log.h"
#include "sopm_time.h"

#define TOOL_TIMEOUT_MS 300000 /* buildah, skopeo, umoci: generous */
#define TOOL_TAIL       8192
#define CHECK_NPROC     64
#define HANDLER_MAX     128
#define PATH_SEGMENTS   8

/* One build's state: its folder, its log (a memstream), its times. */
struct build {
	const struct builder_env *env;
	const struct builder_runtime *rt;
	long long version_id, function_id, version;
	const char *handler;
	char work[PATH_MAX];
	char image[512]; /* local reference */
	char *log;
	size_t log_len;
	FILE *logf;
	uint64_t base_ms;
	char failure[256]; /* why it failed, "" while it has not */
};

int builder_path_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

void builder_remove_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		return -1;
	return chmod(path, mode);
}

int builder_env_init(struct builder_env *env, const struct sopm_config *cfg,
                     struct sopm_err *err)
{
	static const struct {
		const char *name;
		mode_t mode;
	} dirs[] = {{"", 0711},          {"bases", 0711},
	            {"bundles", 0711},   {"containers", 0700},
	            {"oci", 0700},       {"runsc", 0700},
	            {"work", 0711},      {"debcache", 0700},
	            {"runsc-run", 0700}, {"sandboxes", 0700}};
	char path[PATH_MAX];

	env->cfg = cfg;
	if (realpath(cfg->builder_runtimes_dir, env->runtimes) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "builder.runtimes_dir %s: %s",
		                    cfg->builder_runtimes_dir, strerror(errno));
	if (make_dir(cfg->builder_state_dir, 0711) != 0 ||
	    realpath(cfg->builder_state_dir, env->state) == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "builder.state_dir %s: %s",
		                    cfg->builder_state_dir, strerror(errno));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		if (builder_path_fmt(path, sizeof(path), "%s/%s", env->state,
		                     dirs[i].name) != 0 ||
		    make_dir(path, dirs[i].mode) != 0)
			return sopm_err_set(err, SOPM_E_INTERNAL,
			                    "cannot make %s: %s", path,
			                    strerror(errno));
	}
	return 0;
}

/* ------------------------------------------------------------ the log --- */

static void say(struct build *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(struct build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(b->logf, fmt, ap);
	va_end(ap);
	fputc('\n', b->logf);
}

static int fail(struct build *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct build *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->failure, sizeof(b->failure), fmt, ap);
	va_end(ap);
	say(b, "build failed: %s", b->failure);
	return -1;
}

/* Appends a tool's output to the log, under a heading. */
static void say_output(struct build *b, const struct builder_exec_result *r)
{
	if (r->output_len == 0)
		return;
	fwrite(r->output, 1, r->output_len, b->logf);
	if (r->output[r->output_len - 1] != '\n')
		fputc('\n', b->logf);
}

/* ---------------------------------------------------------- the tools --- */

static void store_opts(const struct builder_env *env, char root[PATH_MAX],
                       char runroot[PATH_MAX])
{
	builder_path_fmt(root, PATH_MAX, "%s/containers/storage", env->state);
	builder_path_fmt(runroot, PATH_MAX, "%s/containers/run", env->state);
}

/* Runs a tool for build b: its output goes to work/tool.out (read back),
 * and a failure is logged with it. Returns 0 on exit 0, else -1. */
static int tool(struct build *b, const char *what, const char *const argv[],
                const char *const env[], long timeout_ms,
                struct builder_exec_result *res)
{
	char out[PATH_MAX];
	struct sopm_err err;

	builder_path_fmt(out, sizeof(out), "%s/tool.out", b->work);
	unlink(out);
	if (builder_exec(argv, env, out, timeout_ms, TOOL_TAIL, res, &err) != 0)
		return fail(b, "%s: %s", what, err.msg);
	if (res->exit_code == 0 && !res->timed_out)
		return 0;
	say_output(b, res);
	if (res->timed_out)
		return fail(b, "%s did not finish within %ld s", what,
		            timeout_ms / 1000);
	return fail(b, "%s exited with %d", what, res->exit_code);
}

/* A buildah command with the private store: "buildah", store..., then the
 * rest (up to 12 more). */
#define BUILDAH(root, runroot, ...)                                            \
	(const char *const[])                                                  \
	{                                                                      \
		"buildah", "--root", root, "--runroot", runroot,               \
		    "--storage-driver", "overlay", __VA_ARGS__, NULL           \
	}

/* The last line of a tool's output (e.g. the id `buildah from` prints). */
static const char *last_line(struct builder_exec_result *r)
{
	char *s = r->output, *nl;

	while (r->output_len > 0 && s[r->output_len - 1] == '\n')
		s[--r->output_len] = '\0';
	nl = strrchr(s, '\n');
	return nl ? nl + 1 : s;
}

/* -------------------------------------------------------- base images --- */

/* The recipe key of base `recipe` (base-image.sh key), computed once per
 * process: the recipe's files do not change under a running builder. */
static int recipe_key(struct build *b, const char *recipe, char key[65])
{
	static struct {
		char recipe[16];
		char key[65];
	} cache[8];
	char script[PATH_MAX];
	const char *argv[] = {script, "key", recipe, NULL};
	struct builder_exec_result res;
	const char *line;
	size_t i;
	int rc;

	for (i = 0; i < 8 && cache[i].recipe[0]; i++)
		if (strcmp(cache[i].recipe, recipe) == 0) {
			memcpy(key, cache[i].key, 65);
			return 0;
		}
	builder_path_fmt(script, sizeof(script), "%s/base-image.sh",
	                 b->env->runtimes);
	rc = tool(b, "base-image.sh key", argv, NULL, TOOL_TIMEOUT_MS, &res);
	line = rc == 0 ? last_line(&res) : "";
	if (rc == 0 && strlen(line) != 64)
		rc = fail(b, "base-image.sh key printed no key");
	if (rc == 0) {
		memcpy(key, line, 65);
		if (i < 8) {
			snprintf(cache[i].recipe, sizeof(cache[i].recipe), "%s",
			         recipe);
			memcpy(cache[i].key, key, 65);
		}
	}
	builder_exec_result_clear(&res);
	return rc;
}

/* Makes sure base `recipe` exists; fills its folder (bases/R-KEY16) and
 * its image reference. Builds it when missing, and says so in the log. */
static int ensure_base(struct build *b, const char *recipe, char dir[PATH_MAX],
                       char image[256])
{
	char key[65], ready[PATH_MAX], script[PATH_MAX], store[3 * PATH_MAX],
	    root[PATH_MAX], runroot[PATH_MAX], debcache[PATH_MAX + 16];
	const char *argv[] = {script, "build", recipe, dir, NULL};
	const char *envv[] = {store, debcache, NULL};
	struct builder_exec_result res;
	uint64_t start;
	int rc;

	if (recipe_key(b, recipe, key) != 0)
		return -1;
	key[16] = '\0';
	builder_path_fmt(dir, PATH_MAX, "%s/bases/%s-%s", b->env->state, recipe,
	                 key);
	snprintf(image, 256, "localhost/sopm/base-%s:%s", recipe, key);
	builder_path_fmt(ready, sizeof(ready), "%s/key", dir);
	if (access(ready, F_OK) == 0)
		return 0;
	start = sopm_time_mono_us();
	say(b, "preparing the base image %s (recipe %s): once per recipe",
	    recipe, key);
	sopm_logf(SOPM_LOG_INFO, "preparing base image %s (recipe %s)", recipe,
	          key);
	store_opts(b->env, root, runroot);
	builder_path_fmt(
	    store, sizeof(store),
	    "BUILDAH_STORE=--root %s --runroot %s --storage-driver overlay",
	    root, runroot);
	builder_path_fmt(debcache, sizeof(debcache), "DEB_CACHE=%s/debcache",
	                 b->env->state);
	builder_path_fmt(script, sizeof(script), "%s/base-image.sh",
	                 b->env->runtimes);
	rc = tool(b, "preparing the base image", argv, envv,
	          b->env->cfg->builder_base_timeout_ms, &res);
	builder_exec_result_clear(&res);
	if (rc != 0)
		return -1;
	b->base_ms += (sopm_time_mono_us() - start) / 1000u;
	say(b, "base image %s ready in %.1f s", recipe,
	    (double)(sopm_time_mono_us() - start) / 1e6);
	sopm_logf(SOPM_LOG_INFO, "base image %s ready in %.1f s", recipe,
	          (double)(sopm_time_mono_us() - start) / 1e6);
	return 0;
}

/* ------------------------------------------------------ the user files --- */

/* A file path as registry_upload.c allows it: relative, plain segments
 * (no "", ".", ".."), at most PATH_SEGMENTS of them. Checked again here,
 * as root, before anything is written. */
static int path_plain(const char *p)
{
	int segments = 0;

	if (*p == '\0' || *p == '/' || strlen(p) > 255)
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    ++segments > PATH_SEGMENTS)
			return 0;
		p += n;
		if (*p == '/' && *++p == '\0')
			return 0;
	}
	return 1;
}

/* Writes text to dir/path, making the folders in between (0755; the file
 * 0644: the sandbox's uid reads them). Never follows a link. */
static int write_file(const char *dir, const char *path, const char *text,
                      size_t len)
{
	char full[PATH_MAX], *slash;
	int fd;
	ssize_t n;

	if (builder_path_fmt(full, sizeof(full), "%s/%s", dir, path) != 0)
		return -1;
	for (slash = full + strlen(dir) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		if (mkdir(full, 0755) != 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	          0644);
	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	if (close(fd) != 0 || n < 0 || (size_t)n != len)
		return -1;
	return 0;
}

static int handler_plain(const char *h)
{
	size_t n = h ? strlen(h) : 0;

	return n > 0 && n <= HANDLER_MAX &&
	       strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                 "0123456789_.") == n &&
	       h[0] != '.';
}

static int write_sources(struct build *b, const json_t *req, char fn[PATH_MAX])
{
	const json_t *files = json_object_get(req, "files");
	const char *path;
	json_t *text;

	builder_path_fmt(fn, PATH_MAX, "%s/fn", b->work);
	if (mkdir(fn, 0755) != 0)
		return fail(b, "cannot make the source folder: %s",
		            strerror(errno));
	if (!json_is_string(json_object_get(req, "code")) ||
	    write_file(fn, b->rt->entry_file,
	               json_string_value(json_object_get(req, "code")),
	               json_string_length(json_object_get(req, "code"))) != 0)
		return fail(b, "cannot write %s", b->rt->entry_file);
	json_object_foreach((json_t *)files, path, text)
	{
		if (!path_plain(path) || !json_is_string(text))
			return fail(b, "bad file path '%s'", path);
		if (write_file(fn, path, json_string_value(text),
		               json_string_length(text)) != 0)
			return fail(b, "cannot write file '%s'", path);
	}
	return 0;
}

/* ---------------------------------------------------------- the steps --- */

/* argv with "%h" replaced by the handler; for a compiling runtime the
 * sources (/fn/<path> of each file with the suffix) are appended. */
static const char **expand_argv(struct build *b, const char *const tmpl[],
                                const json_t *req, int with_sources,
                                char *handler_arg)
{
	const json_t *files = json_object_get(req, "files");
	size_t n = 0, cap = 2 * BUILDER_ARGV_MAX + json_object_size(files) + 2;
	const char **argv = calloc(cap, sizeof(*argv));
	const char *path;
	json_t *text;

	if (argv == NULL)
		return NULL;
	for (size_t i = 0; tmpl[i]; i++) {
		const char *h = strstr(tmpl[i], "%h");

		if (h == NULL) {
			argv[n++] = tmpl[i];
			continue;
		}
		snprintf(handler_arg, 256, "%.*s%s%s", (int)(h - tmpl[i]),
		         tmpl[i], b->handler, h + 2);
		argv[n++] = handler_arg;
	}
	if (with_sources && b->rt->source_suffix != NULL) {
		size_t sl = strlen(b->rt->source_suffix);
		char *entry = NULL;

		if (asprintf(&entry, "/fn/%s", b->rt->entry_file) < 0)
			entry = NULL;
		argv[n++] = entry; /* freed with argv by free_argv */
		json_object_foreach((json_t *)files, path, text)
		{
			size_t pl = strlen(path);
			char *s = NULL;

			if (pl > sl &&
			    strcmp(path + pl - sl, b->rt->source_suffix) == 0 &&
			    asprintf(&s, "/fn/%s", path) >= 0)
				argv[n++] = s;
		}
		for (size_t i = 0; b->rt->check_tail[i]; i++)
			argv[n++] = strdup(b->rt->check_tail[i]);
	}
	argv[n] = NULL;
	return argv;
}

static void free_argv(struct build *b, const char **argv,
                      const char *const tmpl[])
{
	size_t i = 0;

	if (argv == NULL)
		return;
	while (tmpl[i])
		i++;
	if (b->rt->source_suffix != NULL)
		for (; argv[i]; i++)
			free((char *)argv[i]);
	free(argv);
}

/* The validation: under runsc, on the check base's root, the code at /fn
 * read-only, no network, bounded in time and memory. For c, /out/fn is
 * the compiled function. */
static int validate(struct build *b, const json_t *req, const char *fn,
                    const char *check_root, char out[PATH_MAX])
{
	const struct sopm_config *cfg = b->env->cfg;
	char run_dir[PATH_MAX], runsc_root[PATH_MAX], id[64], handler_arg[256];
	const char **argv =
	    expand_argv(b, b->rt->check_argv, req, 1, handler_arg);
	struct builder_sandbox sb = {0};
	struct builder_exec_result res;
	struct sopm_err err;
	unsigned nonce;
	int rc;

	if (argv == NULL)
		return fail(b, "no memory");
	builder_path_fmt(run_dir, sizeof(run_dir), "%s/check", b->work);
	builder_path_fmt(runsc_root, sizeof(runsc_root), "%s/runsc",
	                 b->env->state);
	builder_path_fmt(out, PATH_MAX, "%s/out", b->work);
	/* cgroups are machine-wide: another stack's builder (a test's, a
	 * namespace's) must never pick the same id */
	if (sopm_random_bytes(&nonce, sizeof(nonce)) != 0)
		nonce = (unsigned)sopm_time_mono_us();
	snprintf(id, sizeof(id), "sopm-check-%lld-%d-%08x", b->version_id,
	         (int)getpid(), nonce);
	if (b->rt->source_suffix != NULL &&
	    (mkdir(out, 0755) != 0 ||
	     chown(out, BUILDER_SANDBOX_UID, BUILDER_SANDBOX_UID) != 0)) {
		free_argv(b, argv, b->rt->check_argv);
		return fail(b, "cannot make the output folder: %s",
		            strerror(errno));
	}
	sb.runsc_root = runsc_root;
	sb.rootfs = check_root;
	sb.fn_dir = fn;
	sb.out_dir = b->rt->source_suffix ? out : NULL;
	sb.argv = argv;
	sb.memory_mb = cfg->builder_check_memory_mb;
	sb.nproc = CHECK_NPROC;
	sb.timeout_ms = cfg->builder_check_timeout_ms;
	say(b, "validating in a sandbox: %s ...", argv[0]);
	rc = builder_sandbox_run(&sb, id, run_dir, BUILDER_LOG_MAX / 2, &res,
	                         &err);
	free_argv(b, argv, b->rt->check_argv);
	if (rc != 0)
		return fail(b, "the validation sandbox: %s", err.msg);
	say_output(b, &res);
	if (res.timed_out)
		rc = fail(b,
		          "the validation did not finish within %ld ms "
		          "(builder.check_timeout_ms)",
		          cfg->builder_check_timeout_ms);
	else if (res.exit_code == 128 + 9)
		rc = fail(b,
		          "the validation was killed: over its memory limit "
		          "of %ld MiB (builder.check_memory_mb)?",
		          cfg->builder_check_memory_mb);
	else if (res.exit_code != 0)
		rc = fail(b, "the validation failed (exit code %d)",
		          res.exit_code);
	else
		say(b, "validated in %.2f s", (double)res.duration_ms / 1e3);
	builder_exec_result_clear(&res);
	return rc;
}

/* The function's image: FROM the runtime's base, COPY the code (or the
 * compiled binary), USER 65534, the shim as the entrypoint. COPY-only,
 * with a zero timestamp: the same input gives the same image. */
static int make_image(struct build *b, const char *base_image, const char *fn,
                      const char *out)
{
	char root[PATH_MAX], runroot[PATH_MAX], handler_arg[256], fid[32],
	    ver[32], bin[PATH_MAX], *entry = NULL;
	const char **ep =
	    expand_argv(b, b->rt->entrypoint, NULL, 0, handler_arg);
	json_t *ep_json = json_array();
	struct builder_exec_result res;
	char container[128];
	uint64_t start = sopm_time_mono_us();
	int rc;

	store_opts(b->env, root, runroot);
	for (size_t i = 0; ep && ep[i]; i++)
		json_array_append_new(ep_json, json_string(ep[i]));
	free(ep);
	entry = json_dumps(ep_json, JSON_COMPACT);
	json_decref(ep_json);
	if (entry == NULL)
		return fail(b, "no memory");
	snprintf(fid, sizeof(fid), "sopm.function_id=%lld", b->function_id);
	snprintf(ver, sizeof(ver), "sopm.version=%lld", b->version);
	rc = tool(b, "buildah from",
	          BUILDAH(root, runroot, "from", "--quiet", "--pull=never",
	                  base_image),
	          NULL, TOOL_TIMEOUT_MS, &res);
	snprintf(container, sizeof(container), "%s",
	         rc == 0 ? last_line(&res) : "");
	builder_exec_result_clear(&res);
	if (rc != 0) {
		free(entry);
		return -1;
	}
	if (b->rt->source_suffix == NULL)
		rc = tool(b, "buildah copy",
		          BUILDAH(root, runroot, "copy", "--quiet", container,
		                  fn, "/fn"),
		          NULL, TOOL_TIMEOUT_MS, &res);
	else {
		builder_path_fmt(bin, sizeof(bin), "%s/fn", out);
		rc = tool(b, "buildah copy",
		          BUILDAH(root, runroot, "copy", "--quiet", "--chmod",
		                  "0555", container, bin, "/fn/fn"),
		          NULL, TOOL_TIMEOUT_MS, &res);
	}
	builder_exec_result_clear(&res);
	if (rc == 0)
		rc =
		    tool(b, "buildah config",
		         BUILDAH(root, runroot, "config", "--user",
		                 "65534:65534", "--entrypoint", entry, "--cmd",
		                 "", "--label", fid, "--label", ver, container),
		         NULL, TOOL_TIMEOUT_MS, &res);
	builder_exec_result_clear(&res);
	free(entry);
	if (rc == 0)
		rc = tool(b, "buildah commit",
		          BUILDAH(root, runroot, "commit", "--quiet", "--rm",
		                  "--timestamp", "0", container, b->image),
		          NULL, TOOL_TIMEOUT_MS, &res);
	builder_exec_result_clear(&res);
	if (rc != 0) {
		struct sopm_err err;
		char log[PATH_MAX];

		builder_path_fmt(log, sizeof(log), "%s/rm.out", b->work);
		builder_exec(BUILDAH(root, runroot, "rm", container), NULL, log,
		             TOOL_TIMEOUT_MS, 0, &res, &err);
		return -1;
	}
	say(b, "image %s in %.2f s", b->image,
	    (double)(sopm_time_mono_us() - start) / 1e6);
	return 0;
}

static int read_digest(struct build *b, const char *path, char digest[128])
{
	size_t len;
	char *d = builder_file_tail(path, 127, &len);

	if (d == NULL || strncmp(d, "sha256:", 7) != 0 || len != 71) {
		free(d);
		return fail(b, "no digest in %s", path);
	}
	memcpy(digest, d, len + 1);
	free(d);
	return 0;
}

/* The bundle the executor runs (unpacked at build time, not at the first
 * call), by way of an OCI layout; and the push when a registry is set.
 * The digest is the manifest's in the OCI layout, the same one a registry
 * serves (both compress the layers the same way; docs/builder-spike.md). */
static int make_bundle(struct build *b, char digest[128], char ref[512])
{
	const struct sopm_config *cfg = b->env->cfg;
	char root[PATH_MAX], runroot[PATH_MAX], src[2 * PATH_MAX + 600],
	    layout[PATH_MAX + 64], bundle[PATH_MAX], tmp[PATH_MAX + 8],
	    dfile[PATH_MAX], dest[600], tls[32];
	struct builder_exec_result res;
	uint64_t start = sopm_time_mono_us();
	int rc;

	store_opts(b->env, root, runroot);
	builder_path_fmt(src, sizeof(src),
	                 "containers-storage:[overlay@%s+%s]%s", root, runroot,
	                 b->image);
	builder_path_fmt(layout, sizeof(layout), "oci:%s/oci:fn-%lld-v%lld",
	                 b->env->state, b->function_id, b->version);
	builder_path_fmt(dfile, sizeof(dfile), "%s/digest", b->work);
	rc = tool(b, "skopeo copy",
	          (const char *const[]){"skopeo", "copy", "--quiet",
	                                "--digestfile", dfile, src, layout,
	                                NULL},
	          NULL, TOOL_TIMEOUT_MS, &res);
	builder_exec_result_clear(&res);
	if (rc != 0 || read_digest(b, dfile, digest) != 0)
		return -1;
	builder_path_fmt(bundle, sizeof(bundle), "%s/bundles/%lld",
	                 b->env->state, b->function_id);
	if (make_dir(bundle, 0711) != 0)
		return fail(b, "cannot make %s", bundle);
	builder_path_fmt(bundle, sizeof(bundle), "%s/bundles/%lld/v%lld",
	                 b->env->state, b->function_id, b->version);
	builder_path_fmt(tmp, sizeof(tmp), "%s.tmp", bundle);
	builder_remove_tree(tmp);
	rc = tool(b, "umoci unpack",
	          (const char *const[]){"umoci", "unpack", "--image",
	                                layout + 4, tmp, NULL},
	          NULL, TOOL_TIMEOUT_MS, &res);
	builder_exec_result_clear(&res);
	if (rc != 0)
		return -1;
	builder_remove_tree(bundle);
	if (chmod(tmp, 0711) != 0 || rename(tmp, bundle) != 0)
		return fail(b, "cannot place the bundle: %s", strerror(errno));
	say(b, "bundle unpacked in %.2f s",
	    (double)(sopm_time_mono_us() - start) / 1e6);
	snprintf(ref, 512, "%s", b->image);
	if (cfg->builder_registry[0] == '\0')
		return 0;
	start = sopm_time_mono_us();
	builder_path_fmt(dest, sizeof(dest), "docker://%s/sopm/fn-%lld:v%lld",
	                 cfg->builder_registry, b->function_id, b->version);
	snprintf(tls, sizeof(tls), "--dest-tls-verify=%s",
	         cfg->builder_registry_tls_verify ? "true" : "false");
	rc = tool(b, "skopeo copy (push)",
	          (const char *const[]){"skopeo", "copy", "--quiet", tls,
	                                "--digestfile", dfile, layout, dest,
	                                NULL},
	          NULL, TOOL_TIMEOUT_MS, &res);
	builder_exec_result_clear(&res);
	if (rc != 0 || read_digest(b, dfile, digest) != 0)
		return -1;
	snprintf(ref, 512, "%.500s", dest + strlen("docker://"));
	say(b, "pushed %s in %.2f s", ref,
	    (double)(sopm_time_mono_us() - start) / 1e6);
	return 0;
}

/* --------------------------------------------------------- the build --- */

json_t *builder_log_json(const char *s, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	char *out = malloc(n * 3 + 1), *o = out;
	json_t *j;

	if (out == NULL)
		return NULL;
	while (n > 0) {
		ucs4_t c;
		int len = u8_mbtoucr(&c, (const uint8_t *)s, n);

		if (len <= 0 || c == 0) {
			memcpy(o, replacement, 3);
			o += 3;
			len = len == -2 ? (int)n : len <= 0 ? 1 : len;
		} else {
			memcpy(o, s, (size_t)len);
			o += len;
		}
		s += len;
		n -= (size_t)len;
	}
	j = json_stringn(out, (size_t)(o - out));
	free(out);
	return j;
}

static json_t *answer(struct build *b, const char *ref, const char *digest,
                      uint64_t start)
{
	const char *log;
	size_t len;
	json_t *a;

	fclose(b->logf);
	b->logf = NULL;
	log = b->log ? b->log : "";
	len = b->log ? b->log_len : 0;
	if (len > BUILDER_LOG_MAX) { /* the tail, from a line start if near */
		const char *from = log + len - BUILDER_LOG_MAX;
		const char *nl = memchr(from, '\n', 512);

		while (nl == NULL && (*from & 0xC0) == 0x80)
			from++;
		from = nl ? nl + 1 : from;
		len -= (size_t)(from - log);
		log = from;
	}
	a = json_pack("{s:s, s:s?, s:s?, s:o, s:I, s:I}", "status",
	              b->failure[0] ? "failed" : "ready", "image", ref,
	              "digest", digest, "log", builder_log_json(log, len),
	              "duration_ms",
	              (json_int_t)((sopm_time_mono_us() - start) / 1000u),
	              "base_ms", (json_int_t)b->base_ms);
	free(b->log);
	return a;
}

json_t *builder_build(const struct builder_env *env, const json_t *req,
                      struct sopm_err *err)
{
	struct build b = {0};
	char fn[PATH_MAX], out[PATH_MAX], base_dir[PATH_MAX],
	    check_dir[PATH_MAX], check_root[PATH_MAX + 8], base_image[256],
	    check_image[256], digest[128] = "", ref[512] = "";
	uint64_t start = sopm_time_mono_us();
	int ok;

	b.env = env;
	b.logf = open_memstream(&b.log, &b.log_len);
	if (b.logf == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	b.rt = builder_runtime_find(
	    json_string_value(json_object_get(req, "runtime")));
	b.version_id = json_integer_value(json_object_get(req, "version_id"));
	b.function_id = json_integer_value(json_object_get(req, "function_id"));
	b.version = json_integer_value(json_object_get(req, "version"));
	b.handler = json_string_value(json_object_get(req, "handler"));
	builder_path_fmt(b.work, sizeof(b.work), "%s/work/v%lld", env->state,
	                 b.version_id);
	snprintf(b.image, sizeof(b.image), "localhost/sopm/fn-%lld:v%lld",
	         b.function_id, b.version);
	if (b.rt == NULL)
		fail(&b, "unknown runtime");
	else if (b.version_id <= 0 || b.function_id <= 0 || b.version <= 0)
		fail(&b, "bad ids");
	else if (!handler_plain(b.handler))
		fail(&b, "bad handler");
	if (b.failure[0])
		return answer(&b, NULL, NULL, start);
	builder_remove_tree(b.work);
	if (mkdir(b.work, 0711) != 0) {
		fail(&b, "cannot make %s: %s", b.work, strerror(errno));
		return answer(&b, NULL, NULL, start);
	}
	say(&b, "building version %lld of function %lld (%s, handler %s)",
	    b.version, b.function_id, b.rt->name, b.handler);
	ok = ensure_base(&b, b.rt->check_base, check_dir, check_image) == 0 &&
	     ensure_base(&b, b.rt->base, base_dir, base_image) == 0 &&
	     write_sources(&b, req, fn) == 0 &&
	     builder_path_fmt(check_root, sizeof(check_root), "%s/rootfs",
	                      check_dir) == 0 &&
	     validate(&b, req, fn, check_root, out) == 0 &&
	     make_image(&b, base_image, fn, out) == 0 &&
	     make_bundle(&b, digest, ref) == 0;
	if (ok)
		say(&b, "ready: %s %s", ref, digest);
	builder_remove_tree(b.work);
	return answer(&b, ok ? ref : NULL, ok ? digest : NULL, start);
}

/* ------------------------------------------------- removal, recovery --- */

/* Runs a tool whose failure only goes to the daemon's log (removals of
 * what may already be gone). */
static void tool_quiet(const struct builder_env *env, const char *const argv[])
{
	char out[PATH_MAX];
	struct builder_exec_result res;
	struct sopm_err err;

	builder_path_fmt(out, sizeof(out), "%s/work/quiet.out", env->state);
	unlink(out);
	if (builder_exec(argv, NULL, out, TOOL_TIMEOUT_MS, 1024, &res, &err) ==
	        0 &&
	    res.exit_code != 0)
		sopm_logf(SOPM_LOG_DEBUG, "%s %s: exit %d: %s", argv[0],
		          argv[1], res.exit_code, res.output ? res.output : "");
	builder_exec_result_clear(&res);
}

json_t *builder_remove(const struct builder_env *env, const json_t *req,
                       struct sopm_err *err)
{
	const struct sopm_config *cfg = env->cfg;
	long long fid = json_integer_value(json_object_get(req, "function_id"));
	const json_t *versions = json_object_get(req, "versions");
	char root[PATH_MAX], runroot[PATH_MAX], image[128], tag[PATH_MAX + 64],
	    layout[PATH_MAX], dest[600], tls[32], bundle[PATH_MAX];
	size_t i;
	json_t *v;

	if (fid <= 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT, "bad id"), NULL;
	store_opts(env, root, runroot);
	builder_path_fmt(layout, sizeof(layout), "%s/oci", env->state);
	snprintf(tls, sizeof(tls), "--tls-verify=%s",
	         cfg->builder_registry_tls_verify ? "true" : "false");
	json_array_foreach(versions, i, v)
	{
		long long n = json_integer_value(v);

		if (n <= 0)
			continue;
		snprintf(image, sizeof(image), "localhost/sopm/fn-%lld:v%lld",
		         fid, n);
		tool_quiet(env, BUILDAH(root, runroot, "rmi", image));
		builder_path_fmt(tag, sizeof(tag), "%s:fn-%lld-v%lld", layout,
		                 fid, n);
		tool_quiet(env, (const char *const[]){"umoci", "rm", "--image",
		                                      tag, NULL});
		if (cfg->builder_registry[0] == '\0')
			continue;
		builder_path_fmt(dest, sizeof(dest),
		                 "docker://%s/sopm/fn-%lld:v%lld",
		                 cfg->builder_registry, fid, n);
		tool_quiet(env, (const char *const[]){"skopeo", "delete", tls,
		                                      dest, NULL});
	}
	tool_quiet(env, (const char *const[]){"umoci", "gc", "--layout", layout,
	                                      NULL});
	builder_path_fmt(bundle, sizeof(bundle), "%s/bundles/%lld", env->state,
	                 fid);
	builder_remove_tree(bundle);
	sopm_logf(SOPM_LOG_INFO,
	          "removed the images and bundles of function %lld", fid);
	return json_pack("{s:I}", "removed",
	                 (json_int_t)json_array_size(versions));
}

json_t *builder_list(const struct builder_env *env, struct sopm_err *err)
{
	char path[PATH_MAX];
	json_t *ids = json_array();
	struct dirent *e;
	DIR *d;

	builder_path_fmt(path, sizeof(path), "%s/bundles", env->state);
	d = opendir(path);
	while (d && ids && (e = readdir(d)) != NULL) {
		char *end;
		long long id = strtoll(e->d_name, &end, 10);

		if (id > 0 && *end == '\0')
			json_array_append_new(ids, json_integer(id));
	}
	if (d)
		closedir(d);
	if (ids == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "no memory"), NULL;
	return json_pack("{s:o}", "function_ids", ids);
}

json_t *builder_recover(const struct builder_env *env, struct sopm_err *err)
{
	char runsc_root[PATH_MAX], work[PATH_MAX], root[PATH_MAX],
	    runroot[PATH_MAX];
	int n;

	(void)err;
	builder_path_fmt(runsc_root, sizeof(runsc_root), "%s/runsc",
	                 env->state);
	builder_path_fmt(work, sizeof(work), "%s/work", env->state);
	n = builder_sandbox_reap(runsc_root, work);
	store_opts(env, root, runroot);
	tool_quiet(env, BUILDAH(root, runroot, "rm", "--all"));
	builder_remove_tree(work);
	make_dir(work, 0711);
	return json_pack("{s:i}", "sandboxes", n);
}
