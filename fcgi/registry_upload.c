/* registry_upload.c - see registry_upload.h. */
#include "registry_upload.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x)  STR_(x)

#define PROPS                                                                  \
	"\"code\":{\"type\":\"string\",\"minLength\":1},"                      \
	"\"files\":{\"type\":\"object\",\"maxProperties\":100,"                \
	"\"additionalProperties\":{\"type\":\"string\"}},"                     \
	"\"handler\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":128}," \
	"\"description\":{\"type\":\"string\",\"maxLength\":1024},"            \
	"\"memory_mb\":{\"type\":\"integer\",\"minimum\":32,"                  \
	"\"maximum\":1024},"                                                   \
	"\"timeout_ms\":{\"type\":\"integer\",\"minimum\":100,"                \
	"\"maximum\":" STR(                                                    \
	    REGISTRY_MAX_TIMEOUT_MS) "},"                                      \
	                             "\"env\":{\"type\":\"object\","           \
	                             "\"maxProperties\":64,"                   \
	                             "\"additionalProperties\":{\"type\":"     \
	                             "\"string\",\"maxLength\":4096}},"        \
	                             "\"name\":{\"type\":\"string\","          \
	                             "\"minLength\":1,\"maxLength\":63},"      \
	                             "\"runtime\":{\"enum\":[\"python3\","     \
	                             "\"node\",\"c\"]}"

const char registry_create_schema[] =
    "{\"type\":\"object\",\"required\":[\"name\",\"runtime\",\"code\"],"
    "\"additionalProperties\":false,\"properties\":{" PROPS "}}";
const char registry_update_schema[] =
    "{\"type\":\"object\",\"required\":[\"code\"],"
    "\"additionalProperties\":false,\"properties\":{" PROPS "}}";

static int in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

#define LOWER  "abcdefghijklmnopqrstuvwxyz"
#define UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63 || !in_set(s[0], LOWER))
		return 0;
	return strspn(s, LOWER DIGITS "_-") == n;
}

static int identifier(const char *s, size_t n)
{
	if (n == 0 || n > 128 || !in_set(s[0], LOWER UPPER "_"))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!in_set(s[i], LOWER UPPER DIGITS "_"))
			return 0;
	return 1;
}

const char *registry_entry_file(const char *runtime)
{
	if (strcmp(runtime, "node") == 0)
		return "index.js";
	if (strcmp(runtime, "c") == 0)
		return "main.c";
	return "main.py";
}

/* A relative path of 1-8 segments of [A-Za-z0-9._-], none "." or "..". */
static const char *path_problem(const char *p, size_t len)
{
	int segments = 0;

	if (len == 0 || len > 255)
		return "must be 1-255 bytes";
	if (strlen(p) != len)
		return "must not hold NUL";
	if (p[0] == '/')
		return "must be relative";
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 0)
			return "must not have empty segments";
		if ((n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return "must not hold '.' or '..' segments";
		for (size_t i = 0; i < n; i++)
			if (!in_set(s[i], LOWER UPPER DIGITS "._-"))
				return "may hold only A-Z a-z 0-9 . _ - and /";
		if (++segments > 8)
			return "may have at most 8 segments";
		s += n;
		if (*s == '/' && *++s == '\0')
			return "must not end with '/'";
	}
	return NULL;
}

static int no_nul(const json_t *s)
{
	return strlen(json_string_value(s)) == json_string_length(s);
}

size_t registry_upload_bytes(const json_t *upload)
{
	const char *path;
	json_t *text;
	size_t total = json_string_length(json_object_get(upload, "code"));

	json_object_foreach((json_t *)json_object_get(upload, "files"), path,
	                    text) total += json_string_length(text);
	return total;
}

static int check_files(const json_t *files, const char *runtime,
                       struct sopm_err *err)
{
	const char *path;
	json_t *text;

	json_object_foreach((json_t *)files, path, text)
	{
		const char *why = path_problem(
		    path,
		    json_object_iter_key_len(json_object_key_to_iter(path)));
		if (why)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'files': path '%.64s' %s",
			                    path, why);
		if (runtime && strcmp(path, registry_entry_file(runtime)) == 0)
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'files': '%s' is the code itself: put it in "
			    "'code'",
			    path);
		if (!no_nul(text))
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'files': '%.64s' must not "
			                    "hold NUL",
			                    path);
	}
	return 0;
}

static int check_env(const json_t *env, struct sopm_err *err)
{
	const char *name;
	json_t *value;
	size_t total = 0;

	json_object_foreach((json_t *)env, name, value)
	{
		size_t n =
		    json_object_iter_key_len(json_object_key_to_iter(name));
		if (strlen(name) != n || !identifier(name, n))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'env': name '%.64s' must "
			    "match ^[A-Za-z_][A-Za-z0-9_]{0,127}$",
			    name);
		if (strncmp(name, "SOPM_", 5) == 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field 'env': names starting SOPM_ "
			                    "are reserved ('%.64s')",
			                    name);
		if (!no_nul(value))
			return sopm_err_set(
			    err, SOPM_E_INVALID_INPUT,
			    "field 'env': '%.64s' must not hold "
			    "NUL",
			    name);
		total += n + json_string_length(value);
	}
	if (total > REGISTRY_MAX_ENV_BYTES)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'env' must hold at most %d bytes of "
		                    "names and values",
		                    REGISTRY_MAX_ENV_BYTES);
	return 0;
}

static int check_handler(const char *h, const char *runtime,
                         struct sopm_err *err)
{
	const char *dot = strchr(h, '.');
	int ok;

	if (dot && runtime && strcmp(runtime, "python3") == 0)
		ok = identifier(h, (size_t)(dot - h)) &&
		     identifier(dot + 1, strlen(dot + 1));
	else
		ok = identifier(h, strlen(h));
	/* A c handler is linked with the runtime's main (runtimes/c). */
	if (ok && runtime && strcmp(runtime, "c") == 0 &&
	    (strcmp(h, "main") == 0 || strncmp(h, "sopm_", 5) == 0))
		return sopm_err_set(
		    err, SOPM_E_INVALID_INPUT,
		    "field 'handler' of a c function must not be "
		    "main or start with sopm_");
	if (!ok)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'handler' must be an identifier%s",
		                    runtime && strcmp(runtime, "python3") == 0
		                        ? " or file.identifier"
		                        : "");
	return 0;
}

int registry_upload_check(struct fcgi_req *req, struct sopm_err *err)
{
	const json_t *u = req->json;
	const char *name = json_string_value(json_object_get(u, "name"));
	const char *runtime = json_string_value(json_object_get(u, "runtime"));
	const json_t *files = json_object_get(u, "files");
	const json_t *env = json_object_get(u, "env");

	json_t *strict;
	json_error_t jerr;

	/* A file path or env name given twice would silently keep the last
	 * (RFC 8259 section 4 leaves duplicates to the parser): refuse it. */
	strict = json_loads(req->body, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	                    &jerr);
	if (strict == NULL) {
		/* Name the field (not jansson's words): the top-level member
		 * around where the parser stopped, and the key given twice. */
		char member[128], key[128];
		size_t len = strlen(req->body);
		if (jerr.position <= 0 ||
		    fcgi_json_member_at(req->body, len, (size_t)jerr.position,
		                        member, sizeof(member), key,
		                        sizeof(key)) != 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "a member is given twice");
		if (strcmp(member, key) == 0)
			return sopm_err_set(err, SOPM_E_INVALID_INPUT,
			                    "field '%.64s' is given twice",
			                    member);
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field '%.64s': '%.64s' is given twice",
		                    member, key);
	}
	json_decref(strict);
	/* Stored as C strings: a NUL would cut the text short ("a\u0000b"
	 * would be stored as "a"). code, files and env are checked below. */
	{
		static const char *const texts[] = {"name", "handler",
		                                    "description"};
		for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
			const json_t *t = json_object_get(u, texts[i]);
			if (t && !no_nul(t))
				return sopm_err_set(err, SOPM_E_INVALID_INPUT,
				                    "field '%s' must not hold "
				                    "NUL",
				                    texts[i]);
		}
	}
	if (name && !valid_name(name))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'name' must match "
		                    "^[a-z][a-z0-9_-]{0,62}$");
	if (!no_nul(json_object_get(u, "code")))
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'code' must not hold NUL");
	if (files && check_files(files, NULL, err) != 0)
		return -1;
	if (registry_upload_bytes(u) > REGISTRY_MAX_CODE_BYTES)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'code': code plus files must be at "
		                    "most %d bytes",
		                    REGISTRY_MAX_CODE_BYTES);
	if (env && check_env(env, err) != 0)
		return -1;
	/* Without a runtime (a PUT keeping the function's), the handler
	 * updates the function checks these with the function's runtime. */
	if (runtime && registry_upload_check_runtime(u, runtime, err) != 0)
		return -1;
	return 0;
}

int registry_upload_check_runtime(const json_t *u, const char *runtime,
                                  struct sopm_err *err)
{
	const char *handler = json_string_value(json_object_get(u, "handler"));
	const json_t *files = json_object_get(u, "files");

	if (files && check_files(files, runtime, err) != 0)
		return -1;
	if (handler && check_handler(handler, runtime, err) != 0)
		return -1;
	return 0;
}

int registry_upload_sha256(const json_t *upload, char out[65])
{
	json_t *files = json_object_get(upload, "files");
	json_t *canon = json_object();
	unsigned char sha[SHA256_DIGEST_LENGTH];
	char *text = NULL;

	if (canon &&
	    json_object_set(canon, "code", json_object_get(upload, "code")) ==
	        0 &&
	    json_object_set_new(canon, "files",
	                        files ? json_incref(files) : json_object()) ==
	        0)
		text = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(canon);
	if (text == NULL)
		return -1;
	SHA256((const unsigned char *)text, strlen(text), sha);
	free(text);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", sha[i]);
	return 0;
}
