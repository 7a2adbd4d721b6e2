/* builder_runtimes.c - the runtime table (see builder_runtimes.h). Every
 * process runs as uid 65534 on a read-only root under runsc; the paths are
 * those of the images runtimes/base-image.sh makes. */
#include "builder_runtimes.h"

#include <string.h>

static const struct builder_runtime runtimes[] = {
    {
        .name = "python3",
        .entry_file = "main.py",
        .base = "python3",
        .check_base = "python3",
        /* compiles every .py file (py_compile), imports the handler's
         * module and checks the handler; bytecode goes to /tmp */
        .check_argv = {"/usr/bin/python3", "-B", "-s", "-X",
                       "pycache_prefix=/tmp/pyc", "/sopm/python3/shim.py",
                       "--check", "%h"},
        .entrypoint = {"/sopm/init", "/usr/bin/python3", "-B", "-s",
                       "/sopm/python3/shim.py", "%h"},
    },
    {
        .name = "node",
        .entry_file = "index.js",
        .base = "node",
        .check_base = "node",
        /* the syntax check of node --check for every .js file, then
         * require() and a look at the export */
        .check_argv = {"/usr/bin/node", "/sopm/node/shim.js", "--check", "%h"},
        .entrypoint = {"/sopm/init", "/usr/bin/node", "/sopm/node/shim.js",
                       "%h"},
    },
    {
        .name = "c",
        .entry_file = "main.c",
        .base = "c",
        .check_base = "cbuild",
        /* API.md: compiled with -Wall -Werror, static, against sopm.h */
        .check_argv = {"/usr/bin/gcc", "-Wall", "-Werror", "-O2", "-static",
                       "-I/sopm/c", "-DSOPM_HANDLER=%h", "-o", "/out/fn",
                       "/sopm/c/sopm_shim.c"},
        .source_suffix = ".c",
        .check_tail = {"-lm"}, /* <math.h> is in libm when static */
        .entrypoint = {"/sopm/init", "/fn/fn"},
    },
};

const struct builder_runtime *builder_runtime_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(runtimes) / sizeof(*runtimes);
	     i++)
		if (strcmp(runtimes[i].name, name) == 0)
			return &runtimes[i];
	return NULL;
}
