/* registry_upload.h - the rules of a user-function upload (API.md "User
 * functions"), beyond what the route's JSON Schema declares: checked before
 * the handler runs (the route's body_check).
 *
 *   name      ^[a-z][a-z0-9_-]{0,62}$
 *   code      no NUL; with files, at most REGISTRY_MAX_CODE_BYTES
 *   files     path -> text; a path is 1-8 segments of [A-Za-z0-9._-]
 *             joined by '/', at most 255 bytes, no segment "." or "..",
 *             no leading '/', not the runtime's entry file (main.py,
 *             index.js, main.c); at most 100 files; no NUL in a text
 *   handler   an identifier, or file.identifier for python3 (checked with
 *             the function's runtime when a PUT omits it)
 *   name, handler, description: no NUL
 *   env       names ^[A-Za-z_][A-Za-z0-9_]{0,127}$ not starting SOPM_,
 *             values without NUL, at most 4 KiB each and 32 KiB in all
 * The JSON parser already refused invalid UTF-8 and duplicate members. */
#ifndef REGISTRY_UPLOAD_H
#define REGISTRY_UPLOAD_H

#include <jansson.h>

#include "fcgi_http.h"
#include "sopm_err.h"

#define REGISTRY_MAX_CODE_BYTES (1024 * 1024) /* code plus files */
#define REGISTRY_MAX_TIMEOUT_MS 60000         /* a function's timeout_ms */
#define REGISTRY_MAX_ENV_BYTES  (32 * 1024)

/* The JSON Schemas of the POST and PUT bodies (PUT: name and runtime may be
 * left out; they default to the function's). */
extern const char registry_create_schema[];
extern const char registry_update_schema[];

/* Checks req->json (an upload that passed its schema). Returns 0, or -1 with
 * SOPM_E_INVALID_INPUT naming the field. */
int registry_upload_check(struct fcgi_req *req, struct sopm_err *err);

/* The rules that depend on the runtime (the entry file among files, a
 * python3 handler's file.identifier form), for an upload u of that runtime.
 * registry_upload_check applies them when u names its runtime; a PUT that
 * keeps the function's runtime must call this with it. Returns 0, or -1
 * with SOPM_E_INVALID_INPUT. */
int registry_upload_check_runtime(const json_t *u, const char *runtime,
                                  struct sopm_err *err);

/* The runtime's entry file: "main.py", "index.js" or "main.c". */
const char *registry_entry_file(const char *runtime);

/* Total bytes of code and files of a checked upload (borrowed). */
size_t registry_upload_bytes(const json_t *upload);

/* The SHA-256 (64 lowercase hex digits and NUL, into out) of an upload's
 * code and files: of the compact UTF-8 JSON {"code": ..., "files": {...}}
 * with sorted keys (Python: json.dumps(..., sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False), for text without control
 * characters). Returns 0, or -1 (no memory). */
int registry_upload_sha256(const json_t *upload, char out[65]);

#endif
