/* builder_runtimes.h - the runtimes of user functions (API.md "Runtime
 * contract"; docs/runtimes.md) as data: which base image a function's image
 * is FROM, which root its validation runs on, the validation command and
 * the image's entrypoint. "%h" in an argv stands for the version's
 * handler. */
#ifndef BUILDER_RUNTIMES_H
#define BUILDER_RUNTIMES_H

#define BUILDER_ARGV_MAX 16

struct builder_runtime {
	const char *name;       /* python3 | node | c */
	const char *entry_file; /* where `code` goes under /fn */
	const char *base;       /* recipe of the image FROM (base-image.sh) */
	const char *check_base; /* recipe of the validation sandbox's root */
	/* validation, run on check_base with the code at /fn (read-only);
	 * for a runtime that compiles, the sources (files ending in
	 * source_suffix) are appended and /out/fn is the artifact */
	const char *check_argv[BUILDER_ARGV_MAX];
	const char *source_suffix; /* NULL: nothing is compiled */
	const char *check_tail[4]; /* after the sources (libraries) */
	const char *entrypoint[BUILDER_ARGV_MAX];
};

/* The runtime called name, or NULL. */
const struct builder_runtime *builder_runtime_find(const char *name);

#endif
