/* ip_info.c - `ip_info`: Python 3.11's ipaddress.ip_address properties,
 * with the special-purpose registries of Debian's Python 3.11.2 (which
 * carries the gh-113171 fix: private_networks with exceptions, IPv4-mapped
 * IPv6 addresses judged by their IPv4 address). */
#include "fn.h"
#include "fn_arg.h"
#include "ipaddr.h"
#include "sopm_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const v4_private[] = {
    "0.0.0.0/8",      "10.0.0.0/8",         "127.0.0.0/8",
    "169.254.0.0/16", "172.16.0.0/12",      "192.0.0.0/24",
    "192.0.0.170/31", "192.0.2.0/24",       "192.168.0.0/16",
    "198.18.0.0/15",  "198.51.100.0/24",    "203.0.113.0/24",
    "240.0.0.0/4",    "255.255.255.255/32", NULL};
static const char *const v4_private_except[] = {"192.0.0.9/32", "192.0.0.10/32",
                                                NULL};
static const char *const v6_private[] = {
    "::1/128",        "::/128",    "::ffff:0:0/96",
    "64:ff9b:1::/48", "100::/64",  "2001::/23",
    "2001:db8::/32",  "2002::/16", "fc00::/7",
    "fe80::/10",      NULL};
static const char *const v6_private_except[] = {
    "2001:1::1/128", "2001:1::2/128", "2001:3::/32", "2001:4:112::/48",
    "2001:20::/28",  "2001:30::/28",  NULL};

static int in_text_net(const struct ipa_addr *a, const char *text)
{
	struct ipa_addr net;
	int prefix;

	if (ipa_parse_network(text, strlen(text), &net, &prefix) != 0)
		abort(); /* the tables above are constant */
	return ipa_in_network(a, &net, prefix);
}

static int in_any(const struct ipa_addr *a, const char *const *list)
{
	for (; *list; list++)
		if (in_text_net(a, *list))
			return 1;
	return 0;
}

static int is_private(const struct ipa_addr *a)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
	                                   0, 0, 0, 0, 0xff, 0xff};

	if (a->version == 6 && memcmp(a->b, mapped, 12) == 0) {
		struct ipa_addr v4 = {.version = 4};
		memcpy(v4.b, a->b + 12, 4);
		return is_private(&v4);
	}
	if (a->version == 4)
		return in_any(a, v4_private) && !in_any(a, v4_private_except);
	return in_any(a, v6_private) && !in_any(a, v6_private_except);
}

static void reverse_pointer(const struct ipa_addr *a, char *out, size_t cap)
{
	static const char hexl[] = "0123456789abcdef";
	size_t o = 0;

	if (a->version == 4) {
		snprintf(out, cap, "%u.%u.%u.%u.in-addr.arpa", a->b[3], a->b[2],
		         a->b[1], a->b[0]);
		return;
	}
	for (int i = 15; i >= 0; i--) {
		out[o++] = hexl[a->b[i] & 15];
		out[o++] = '.';
		out[o++] = hexl[a->b[i] >> 4];
		out[o++] = '.';
	}
	snprintf(out + o, cap - o, "ip6.arpa");
}

fn_handler_t fn_ip_info;

int fn_ip_info(const json_t *input, json_t **result, struct fn_ctx *ctx,
               struct sopm_err *err)
{
	size_t n, nn;
	const char *s = fn_arg_text(input, "address", "", &n);
	const json_t *nv = json_object_get(input, "network");
	const char *ns = nv ? fn_arg_text(input, "network", "", &nn) : NULL;
	struct ipa_addr a, net;
	char rp[80];
	int prefix, priv, global, loop, multi;
	json_t *out;

	(void)ctx;
	if (ipa_parse_address(s, n, &a) != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'address' is not an IPv4 or IPv6 "
		                    "address");
	/* Python's reverse_pointer re-parses str(address), which keeps the
	 * zone, and fails: so does this function. */
	if (a.has_scope)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'address' has a scope id, which has "
		                    "no reverse pointer");
	if (ns != NULL && ipa_parse_network(ns, nn, &net, &prefix) != 0)
		return sopm_err_set(err, SOPM_E_INVALID_INPUT,
		                    "field 'network' is not an IPv4 or IPv6 "
		                    "network");
	priv = is_private(&a);
	if (a.version == 4) {
		global = !in_text_net(&a, "100.64.0.0/10") && !priv;
		loop = in_text_net(&a, "127.0.0.0/8");
		multi = in_text_net(&a, "224.0.0.0/4");
	} else {
		static const uint8_t one[16] = {[15] = 1};
		global = !priv;
		loop = memcmp(a.b, one, 16) == 0;
		multi = a.b[0] == 0xff;
	}
	reverse_pointer(&a, rp, sizeof(rp));
	out = json_pack("{s:i, s:b, s:b, s:b, s:b, s:s}", "version", a.version,
	                "is_private", priv, "is_loopback", loop, "is_global",
	                global, "is_multicast", multi, "reverse_pointer", rp);
	if (out != NULL && ns != NULL &&
	    json_object_set_new(
	        out, "in_network",
	        json_boolean(ipa_in_network(&a, &net, prefix))) != 0) {
		json_decref(out);
		out = NULL;
	}
	if (out == NULL)
		return sopm_err_set(err, SOPM_E_INTERNAL, "out of memory");
	*result = out;
	return 0;
}
