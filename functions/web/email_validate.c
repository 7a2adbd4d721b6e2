/* email_validate.c - `email_validate`: syntax of an address as RFC 5322
 * section 3.2.3 dot-atom (local part) and RFC 1035/5321 host names
 * (domain), with RFC 5321's length limits. No DNS. The checks run in the
 * order of the description; the first failure is the reason. */
#include "fn.h"
#include "fn_arg.h"

#include <string.h>

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* RFC 5322 atext */
static int is_atext(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* The reason local[0..n) is not a dot-atom of at most 64 octets, or
 * NULL. */
static const char *local_reason(const char *s, size_t n)
{
	if (n == 0)
		return "empty local part";
	if (s[0] == '"')
		return "quoted local parts are not supported";
	if (n > 64)
		return "local part longer than 64 octets";
	for (size_t i = 0; i < n; i++)
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return "invalid character in local part";
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' && (i == 0 || i == n - 1 || s[i + 1] == '.'))
			return "misplaced dot in local part";
	return NULL;
}

static const char *label_reason(const char *s, size_t n)
{
	if (n == 0)
		return "empty domain label";
	if (n > 63)
		return "domain label longer than 63 octets";
	for (size_t i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return "invalid character in domain";
	if (s[0] == '-' || s[n - 1] == '-')
		return "domain label starts or ends with a hyphen";
	return NULL;
}

static const char *domain_reason(const char *s, size_t n)
{
	size_t start = 0;

	if (n == 0)
		return "empty domain";
	if (n > 255)
		return "domain longer than 255 octets";
	if (s[0] == '[')
		return "address literals are not supported";
	for (size_t i = 0; i <= n; i++) {
		const char *why;
		if (i < n && s[i] != '.')
			continue;
		if ((why = label_reason(s + start, i - start)) != NULL)
			return why;
		start = i + 1;
	}
	return NULL;
}

fn_handler_t fn_email_validate;

int fn_email_validate(const json_t *input, json_t **result, struct fn_ctx *ctx,
                      struct sopm_err *err)
{
	size_t n, ln, dn;
	const char *s = fn_arg_text(input, "email", "", &n);
	const char *at = NULL, *why;
	json_t *out;

	(void)ctx;
	for (size_t i = n; i > 0 && at == NULL; i--)
		if (s[i - 1] == '@')
			at = s + i - 1;
	ln = at ? (size_t)(at - s) : n;
	dn = at ? n - ln - 1 : 0;
	if (at == NULL)
		why = "missing '@'";
	else if ((why = local_reason(s, ln)) == NULL &&
	         (why = domain_reason(at + 1, dn)) == NULL && n > 254)
		why = "address longer than 254 octets";
	out = json_pack("{s:b, s:s%, s:s%}", "valid", why == NULL, "local", s,
	                ln, "domain", at ? at + 1 : "", dn);
	if (out != NULL && why != NULL &&
	    json_object_set_new(out, "reason", json_string(why)) != 0) {
		json_decref(out);
		out = NULL;
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
