/* user_agent_parse.c - `user_agent_parse`: the ordered rules of
 * user_agent_rules.tsv (compiled in as user_agent_rules.inc) matched with
 * PCRE2. The compiled regexes are shared read-only by every thread: they
 * are built once per process (pthread_once) and never freed, like the
 * catalog table itself. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "fn.h"
#include "fn_arg.h"
#include "fn_limits.h"
#include "sopm_buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

enum ua_kind { UA_BOT, UA_BROWSER, UA_OS, UA_TABLET, UA_MOBILE };

struct ua_rule {
	enum ua_kind kind;
	const char *name;
	const char *version; /* "$1", a literal, or "" for null */
	const char *regex;
};

static const struct ua_rule ua_rules[] = {
#include "user_agent_rules.inc"
};

#define UA_COUNT (sizeof(ua_rules) / sizeof(*ua_rules))

static pcre2_code *ua_code[UA_COUNT];
static int ua_ready; /* 1 when every rule compiled */
static pthread_once_t ua_once = PTHREAD_ONCE_INIT;

static void ua_compile(void)
{
	for (size_t i = 0; i < UA_COUNT; i++) {
		int code;
		PCRE2_SIZE off;
		ua_code[i] = pcre2_compile(
		    (PCRE2_SPTR)ua_rules[i].regex, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
		if (ua_code[i] == NULL)
			return;
	}
	ua_ready = 1;
}

struct ua_match {
	const struct ua_rule *rule;
	json_t *version; /* NEW: string or null */
};

/* The first rule of kind that matches s[0..n), its version in *m.
 * Returns 1 (found), 0 (none) or -1 (out of memory or match limit). */
static int ua_first(enum ua_kind kind, const char *s, size_t n,
                    pcre2_match_data *md, pcre2_match_context *mc,
                    struct ua_match *m)
{
	for (size_t i = 0; i < UA_COUNT; i++) {
		const struct ua_rule *r = &ua_rules[i];
		PCRE2_SIZE *ov;
		int rc;
		if (r->kind != kind)
			continue;
		rc = pcre2_match(ua_code[i], (PCRE2_SPTR)s, n, 0, 0, md, mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0)
			return -1;
		m->rule = r;
		ov = pcre2_get_ovector_pointer(md);
		if (strcmp(r->version, "$1") != 0)
			m->version = r->version[0] ? json_string(r->version)
			                           : json_null();
		else if (rc < 2 || ov[2] == PCRE2_UNSET)
			m->version = json_null();
		else {
			size_t len = ov[3] - ov[2];
			char *v = malloc(len + 1);
			if (v == NULL)
				return -1;
			for (size_t k = 0; k < len; k++)
				v[k] = s[ov[2] + k] == '_' ? '.' : s[ov[2] + k];
			m->version = json_stringn(v, len);
			free(v);
		}
		return m->version ? 1 : -1;
	}
	return 0;
}

fn_handler_t fn_user_agent_parse;

int fn_user_agent_parse(const json_t *input, json_t **result,
                        struct fn_ctx *ctx, struct sopm_err *err)
{
	size_t n;
	const char *s = fn_arg_text(input, "user_agent", "", &n);
	struct ua_match bot = {0}, browser = {0}, os = {0}, dev = {0};
	pcre2_match_data *md = NULL;
	pcre2_match_context *mc = NULL;
	int fb, fr = 0, fo, ft = 0, fm = 0;
	const char *device;
	json_t *out = NULL;

	(void)ctx;
	pthread_once(&ua_once, ua_compile);
	if (!ua_ready)
		return sopm_err_set(err, SOPM_E_INTERNAL,
		                    "user agent rules did not compile");
	md = pcre2_match_data_create(2, NULL);
	mc = pcre2_match_context_create(NULL);
	if (md == NULL || mc == NULL)
		goto fail;
	pcre2_set_match_limit(mc, FN_LIMIT_USER_AGENT_PARSE_MATCH_LIMIT);
	fb = ua_first(UA_BOT, s, n, md, mc, &bot);
	if (fb == 0)
		fr = ua_first(UA_BROWSER, s, n, md, mc, &browser);
	fo = ua_first(UA_OS, s, n, md, mc, &os);
	if (fb == 0)
		ft = ua_first(UA_TABLET, s, n, md, mc, &dev);
	if (fb == 0 && ft == 0)
		fm = ua_first(UA_MOBILE, s, n, md, mc, &dev);
	if (fb < 0 || fr < 0 || fo < 0 || ft < 0 || fm < 0)
		goto fail;
	json_decref(dev.version);
	device = fb ? "bot" : ft ? "tablet" : fm ? "mobile" : "desktop";
	if (fb)
		browser = bot;
	out = json_pack("{s:s, s:o, s:s, s:o, s:s}", "browser",
	                fr || fb ? browser.rule->name : "Other",
	                "browser_version",
	                fr || fb ? browser.version : json_null(), "os",
	                fo ? os.rule->name : "Other", "os_version",
	                fo ? os.version : json_null(), "device", device);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
fail:
	json_decref(dev.version);
	json_decref(bot.version);
	json_decref(browser.version);
	json_decref(os.version);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return sopm_err_set(err, SOPM_E_INTERNAL, "user agent matching failed");
}
