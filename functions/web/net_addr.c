/* net_addr.c - which addresses the guard of net.h refuses: everything that
 * is not global unicast (IANA's special-purpose registries), IPv4 forms
 * embedded in IPv6 judged by their IPv4 address. */
#include "net.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

/* ---- which addresses are refused ---------------------------------------- */

struct v4_range {
	uint32_t net;
	int bits;
	const char *why;
};

/* IANA's IPv4 special-purpose registry, plus multicast and class E: all
 * that is not global unicast. */
static const struct v4_range v4_refused[] = {
    {0x00000000u, 8, "unspecified ('this network')"},
    {0x0a000000u, 8, "private"},
    {0x64400000u, 10, "shared (CGNAT)"},
    {0x7f000000u, 8, "loopback"},
    {0xa9fe0000u, 16, "link-local"},
    {0xac100000u, 12, "private"},
    {0xc0000000u, 24, "reserved (IETF protocol assignments)"},
    {0xc0000200u, 24, "documentation"},
    {0xc0586300u, 24, "reserved (6to4 relay anycast)"},
    {0xc0a80000u, 16, "private"},
    {0xc6120000u, 15, "benchmarking"},
    {0xc6336400u, 24, "documentation"},
    {0xcb007100u, 24, "documentation"},
    {0xe0000000u, 4, "multicast"},
    {0xf0000000u, 4, "reserved (or broadcast)"},
};

const char *net_v4_refusal(uint32_t a)
{
	for (size_t i = 0; i < sizeof(v4_refused) / sizeof(*v4_refused); i++) {
		uint32_t mask = 0xffffffffu << (32 - v4_refused[i].bits);
		if ((a & mask) == v4_refused[i].net)
			return v4_refused[i].why;
	}
	return NULL;
}

uint32_t net_v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int v6_prefix(const unsigned char *a, const unsigned char *p, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, p, bytes) != 0)
		return 0;
	return rest == 0 ||
	       ((a[bytes] ^ p[bytes]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* IPv6: the forms that embed an IPv4 address are judged by it; of the
 * rest, only global unicast (2000::/3) outside its special ranges passes. */
const char *net_v6_refusal(const unsigned char *a)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
	                                         0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
	static const unsigned char nat64l[16] = {0, 0x64, 0xff, 0x9b, 0, 1};
	static const unsigned char teredo[16] = {0x20, 0x01, 0, 0};
	static const unsigned char ietf[16] = {0x20, 0x01};
	static const unsigned char doc[16] = {0x20, 0x01, 0x0d, 0xb8};
	static const unsigned char doc2[16] = {0x3f, 0xff};
	static const unsigned char sixto4[16] = {0x20, 0x02};
	static const unsigned char discard[16] = {1, 0};

	if (memcmp(a, zero, 15) == 0 && a[15] <= 1)
		return a[15] ? "loopback" : "unspecified";
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return net_v4_refusal(net_v4_at(a + 12));
	if (v6_prefix(a, sixto4, 16))
		return net_v4_refusal(net_v4_at(a + 2));
	if (a[0] == 0xff)
		return "multicast";
	if ((a[0] & 0xfe) == 0xfc)
		return "unique-local";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "link-local";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return "site-local";
	if (v6_prefix(a, nat64l, 48))
		return "reserved (local-use NAT64)";
	if (v6_prefix(a, discard, 64))
		return "reserved (discard-only)";
	if (v6_prefix(a, teredo, 32))
		return "reserved (Teredo)";
	if (v6_prefix(a, ietf, 23))
		return "reserved (IETF protocol assignments)";
	if (v6_prefix(a, doc, 32) || v6_prefix(a, doc2, 20))
		return "documentation";
	if ((a[0] & 0xe0) != 0x20)
		return "reserved";
	return NULL;
}

const char *net_addr_refusal(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return net_v4_refusal(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)sa;
		return net_v6_refusal(in6->sin6_addr.s6_addr);
	}
	return "not an IP address";
}
