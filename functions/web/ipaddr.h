/* ipaddr.h - parsing IP addresses and networks exactly as Python 3.11's
 * ipaddress module accepts them (ip_address, ip_network(strict=False)),
 * for ip_info and for url_parse's check of bracketed hosts. */
#ifndef IPADDR_H
#define IPADDR_H

#include <stddef.h>
#include <stdint.h>

struct ipa_addr {
	int version;   /* 4 or 6 */
	uint8_t b[16]; /* big-endian; IPv4 uses b[0..4) */
	int has_scope; /* IPv6 with a "%zone" suffix */
};

/* ipaddress.ip_address(s[0..n)): IPv4 dotted quad (four decimal octets,
 * no leading zeros, each <= 255), else IPv6 (RFC 4291 text, an optional
 * trailing dotted quad, one "::", hextets of 1-4 hex digits, an optional
 * non-empty "%zone" without another '%'). Returns 0, or -1 if invalid. */
int ipa_parse_address(const char *s, size_t n, struct ipa_addr *a);

/* ipaddress.ip_network(s[0..n), strict=False): the address a with host
 * bits cleared and its prefix length in *prefix. IPv4 takes a decimal
 * prefix length, a netmask or a hostmask after '/'; IPv6 a decimal prefix
 * length. Returns 0, or -1 if invalid. */
int ipa_parse_network(const char *s, size_t n, struct ipa_addr *a, int *prefix);

/* 1 if a lies in the network net/prefix of the same version. */
int ipa_in_network(const struct ipa_addr *a, const struct ipa_addr *net,
                   int prefix);

#endif
