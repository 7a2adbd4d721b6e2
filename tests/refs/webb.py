"""References of the webb group (web category): url_parse, url_build,
query_string, url_encode, hex, html_escape, json_validate, email_validate,
ip_info, user_agent_parse. Python 3.11's standard library (and jsonschema)
where CATALOG.md names them; plain Python for the rules the descriptions
state (email_validate, user_agent_parse)."""
import html
import ipaddress
import json
import re
import urllib.parse as up

from reference import Invalid

# ---- ip_info ----------------------------------------------------------------


def ip_info(d):
    try:
        a = ipaddress.ip_address(d["address"])
        out = {"version": a.version, "is_private": a.is_private,
               "is_loopback": a.is_loopback, "is_global": a.is_global,
               "is_multicast": a.is_multicast,
               "reverse_pointer": a.reverse_pointer}
    except ValueError:
        raise Invalid("address") from None
    if "network" in d:
        try:
            n = ipaddress.ip_network(d["network"], strict=False)
        except ValueError:
            raise Invalid("network") from None
        out["in_network"] = a in n
    return out


_V4 = ["0.0.0.0", "10.1.2.3", "127.0.0.1", "169.254.1.1", "172.16.5.4",
       "172.32.0.1", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.2.1",
       "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
       "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
       "100.64.0.1", "100.127.255.255", "8.8.8.8", "1.1.1.1"]
_V6 = ["::", "::1", "::ffff:10.0.0.1", "::ffff:8.8.8.8", "::ffff:100.64.0.1",
       "64:ff9b:1::1", "100::1", "2001::1", "2001:1::1", "2001:1::2",
       "2001:3::5", "2001:4:112::1", "2001:20::1", "2001:30::1",
       "2001:db8::1", "2002::1", "fc00::1", "fd12:3456::1", "fe80::1",
       "ff02::1", "2606:4700:4700::1111", "2001:4860:4860::8888",
       "1:2:3:4:5:6:7:8", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
       "1::8", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "ABCD::EF"]
_BAD = ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.04",
        "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "::1::", ":::", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "12345::", "::g", ":1::", "1::2:", "fe80::1%",
        "fe80::1%a%b", "1.2.3.4%x", "::1/128", "1:2:3:4:5:6:7::8",
        "::1.2.3", "1::1.2.3.4.5", "١.٢.٣.٤", "1.2.3.4\n", "1:2:3:4:5:6:7:8::"]
_NETS = ["0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/08", "192.168.1.5/24",
         "1.2.3.4/255.255.0.0", "1.2.3.4/0.0.255.255", "1.2.3.4/255.0.255.0",
         "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/ 8", "::/0", "2001:db8::/32",
         "fe80::%eth0/64", "::1/0128", "::1/129", "::1/ffff::", "1/2/3",
         "2001:db8::1", "1.2.3.4", "x"]


def _gen_ip(r):
    k = r.random()
    if k < 0.35:
        a = r.choice(_V4) if r.random() < 0.5 else ".".join(
            str(r.randrange(256)) for _ in range(4))
    elif k < 0.75:
        a = r.choice(_V6) if r.random() < 0.5 else str(
            ipaddress.IPv6Address(r.getrandbits(128)))
        if r.random() < 0.3:
            a = ipaddress.IPv6Address(a).exploded
    elif k < 0.85:
        a = "fe80::%x%%%s" % (r.randrange(65536), r.choice(["eth0", "1", "é"]))
    else:
        a = r.choice(_BAD)
    d = {"address": a}
    if r.random() < 0.5:
        d["network"] = r.choice(_NETS)
    return d


REFS = {"ip_info": ip_info}
GEN = {"ip_info": _gen_ip}
EDGE = {"ip_info": [{"address": a} for a in _V4 + _V6 + _BAD] +
        [{"address": "10.1.2.3", "network": n} for n in _NETS] +
        [{"address": "fe80::1", "network": n} for n in _NETS] +
        [{"address": "1" * 257}]}
TOL = {}
