"""References of the webb group (web category): url_parse, url_build,
query_string, url_encode, hex, html_escape, json_validate, email_validate,
ip_info, user_agent_parse. Python 3.11's standard library (and jsonschema)
where CATALOG.md names them; plain Python for the rules the descriptions
state (email_validate, user_agent_parse)."""
import ast
import html
import html.entities
import ipaddress
import json
import re
import urllib.parse as up
import warnings

from reference import Invalid

# ---- urllib.parse -------------------------------------------------------------


def _strlen(d, field, limit):
    if not isinstance(d[field], str) or len(d[field]) > limit:
        raise Invalid(field)


def url_parse(d):
    _strlen(d, "url", 65536)
    try:
        s = up.urlsplit(d["url"])
        port = s.port
    except ValueError:
        raise Invalid("url") from None
    return {"scheme": s.scheme, "netloc": s.netloc, "path": s.path,
            "query": s.query, "fragment": s.fragment,
            "username": s.username, "password": s.password,
            "hostname": s.hostname, "port": port,
            "params": up.parse_qs(s.query)}


def _check_query(q, field, limit=65536):
    """The schema of a urlencode object: values are strings, integers,
    booleans or arrays of those (a float is a 400 naming its path)."""
    if len(q) > 1000:
        raise Invalid(field)
    for k, v in q.items():
        f = "%s.%s" % (field, k)
        if isinstance(v, list):
            if len(v) > 1000:
                raise Invalid(f)
            for i, e in enumerate(v):
                if not isinstance(e, (str, int)) or (
                        isinstance(e, str) and len(e) > limit):
                    raise Invalid("%s[%d]" % (f, i))
        elif not isinstance(v, (str, int)) or (
                isinstance(v, str) and len(v) > limit):
            raise Invalid(f)


def url_build(d):
    for f in ("scheme", "host"):
        if f not in d:
            raise Invalid(f)
    for k, v in d.items():  # the schema checks members in input order
        if k in ("scheme", "host", "path", "fragment"):
            _strlen(d, k, 65536)
        elif k == "port":
            if isinstance(v, bool) or not isinstance(v, int) or \
                    not 0 <= v <= 65535:
                raise Invalid("port")
        elif k == "query":
            _check_query(v, "query")
        else:
            raise Invalid(k)
    port = d.get("port")
    netloc = d["host"] + ("" if port is None else ":%d" % port)
    return up.urlunsplit((d["scheme"], netloc, d.get("path", ""),
                          up.urlencode(d.get("query", {}), doseq=True),
                          d.get("fragment", "")))


def query_string(d):
    if "parse" in d and "build" in d:
        raise Invalid("input")
    if "build" in d:
        _check_query(d["build"], "build", 1000000)
        return up.urlencode(d["build"], doseq=True)
    if "parse" not in d:
        raise Invalid("parse")
    _strlen(d, "parse", 1000000)
    try:
        return up.parse_qs(d["parse"], keep_blank_values=True,
                           max_num_fields=100000)
    except ValueError:
        raise Invalid("parse") from None


def url_encode(d):
    _strlen(d, "text", 1000000)
    t, plus = d["text"], d.get("plus", False)
    if d.get("decode", False):
        return up.unquote_plus(t) if plus else up.unquote(t)
    return up.quote_plus(t, safe="") if plus else up.quote(t, safe="")


_URL_PARTS = ["http", "https", "HTTP", "ftp", "mailto", "svn+ssh", "1a", "a-b.c",
              "", " ", "\x01", "\t", "é"]
_HOSTS = ["example.com", "EXAMPLE.com", "[::1]", "[fe80::1%25eth0]",
          "[fe80::1%eTh0]", "[v1.x]", "[vz.x]", "[1.2.3.4]", "[::1", "::1]",
          "a[::1]", "[::1]x:80", "[::1]@h", "u@[::1]", "u:p@h", "u@h@h2",
          "u:@h", ":p@h", "@h", "h:", "h:80", "h:080", "h:65535", "h:65536",
          "h:-1", "h:8a", "h:٨٠", "h: 80", "ℂ℀.com", "ex\u2100ample", "ｅｘ.com",
          "İ.com", "ΣΑΣ.gr", "h%41", "h#", ""]
_PATHS = ["", "/", "/a/b", "a", "//x", "/a;b", "/é", "/a b", "/%zz", "/\t/\n"]
_QUERIES = ["", "a=1", "a=1&a=2&b=", "a", "&&=x&=", "x=%E2%82%AC+y",
            "x=%E2%82", "%C3é%A9=1", "a=b=c", "a;b=c", "é=ü", "x=%00",
            "t=\t1"]
_FRAGS = ["", "f", "f?x", "f#g", "é"]


def _gen_url(r):
    if r.random() < 0.1:
        return {"url": "".join(r.choice(":/?#[]@%.+aé \t\x00\x1f1")
                               for _ in range(r.randrange(12)))}
    u = ""
    if r.random() < 0.85:
        u += r.choice(_URL_PARTS) + ":"
    if r.random() < 0.85:
        u += "//" + r.choice(_HOSTS)
    u += r.choice(_PATHS)
    q = r.choice(_QUERIES)
    if q or r.random() < 0.2:
        u += "?" + q
    f = r.choice(_FRAGS)
    if f or r.random() < 0.2:
        u += "#" + f
    if r.random() < 0.1:
        u = r.choice([" ", "\x00", "\x1f ", "\t", "\u00a0"]) + u
    return {"url": u}


_QVALS = ["", "x", "a b", "a+b", "&=?#", "é", "😀", "~_.-", "\x00", 0, -7,
          2**53, True, False]


def _gen_query(r):
    q = {}
    for _ in range(r.randrange(4)):
        k = r.choice(["a", "b c", "é", "", "k+&=", "x"])
        if r.random() < 0.3:
            q[k] = [r.choice(_QVALS) for _ in range(r.randrange(4))]
        else:
            q[k] = r.choice(_QVALS)
    if r.random() < 0.03:
        q["bad"] = r.choice([1.5, None, {"x": 1}, [[1]], [None]])
    return q


def _gen_url_build(r):
    d = {"scheme": r.choice(["http", "https", "mailto", "", "svn+ssh", "HTTP",
                             "x"]),
         "host": r.choice(["", "example.com", "[::1]", "h", "é.com", "u@h"])}
    if r.random() < 0.5:
        d["port"] = r.choice([0, 80, 8080, 65535, 65536, -1])
    if r.random() < 0.7:
        d["path"] = r.choice(_PATHS)
    if r.random() < 0.6:
        d["query"] = _gen_query(r)
    if r.random() < 0.4:
        d["fragment"] = r.choice(_FRAGS)
    return d


def _qs_text(r):
    parts = []
    for _ in range(r.randrange(6)):
        parts.append(r.choice(["a", "b", "a+b", "%41", "%zz", "é", "%C3",
                               "%A9", "", "x%00", "%E2%82%AC", "%F0%9F",
                               "+", ";"]) +
                     r.choice(["", "=", "=1", "=a+b", "=%C3%A9", "==",
                               "=%ED%A0%80", "=é%A9"]))
    return "&".join(parts)


def _gen_query_string(r):
    k = r.random()
    if k < 0.5:
        return {"parse": _qs_text(r)}
    if k < 0.95:
        return {"build": _gen_query(r)}
    return r.choice([{}, {"parse": "", "build": {}}, {"parse": 1}])


def _gen_url_encode(r):
    if r.random() < 0.5:
        t = "".join(r.choice("ab +%~_.-/?&=é😀\x00\u0301") for _ in
                    range(r.randrange(10)))
    else:
        t = "".join(r.choice(["%41", "%2", "%zz", "%C3", "%A9", "%E2%82%AC",
                              "%F0%9F%98%80", "%FF", "%ED%A0%80", "é", "+",
                              "%", "a", "%c3%a9", "%F4%90%80%80",
                              "%E0%80%80", "%F0%80"])
                    for _ in range(r.randrange(8)))
    d = {"text": t}
    if r.random() < 0.5:
        d["decode"] = r.random() < 0.7
    if r.random() < 0.5:
        d["plus"] = r.random() < 0.5
    return d


# ---- hex, html_escape ----------------------------------------------------------


def hex_(d):
    _strlen(d, "text", 1000000)
    if not d.get("decode", False):
        return d["text"].encode("utf-8").hex()
    try:
        return bytes.fromhex(d["text"]).decode("utf-8")
    except ValueError:  # UnicodeDecodeError is one
        raise Invalid("text") from None


def html_escape(d):
    _strlen(d, "text", 1000000)
    if d.get("unescape", False):
        return html.unescape(d["text"])
    return html.escape(d["text"], quote=True)


def _gen_hex(r):
    if r.random() < 0.3:
        return {"text": "".join(r.choice("ab é😀\x00\n'\"")
                                for _ in range(r.randrange(8)))}
    bs = bytes(r.randrange(256) if r.random() < 0.2 else r.randrange(128)
               for _ in range(r.randrange(8)))
    if r.random() < 0.5:
        bs = "é😀x".encode()[:r.randrange(8)]
    h = bs.hex()
    if r.random() < 0.5:
        h = h.upper()
    if r.random() < 0.3:
        h = r.choice(["", " ", "\t", "\n "]) + " ".join(
            h[i:i + 2] for i in range(0, len(h), 2)) + r.choice(["", " ", "\r"])
    if r.random() < 0.1:
        i = r.randrange(len(h) + 1)
        h = h[:i] + r.choice(["g", " ", "\x1c", "\u00a0", "0", "\u0660"]) + h[i:]
    return {"text": h, "decode": True}


_HTML_BITS = ["&", "<", ">", '"', "'", "&amp;", "&lt", "&LT;", "&notit;",
              "&notin;", "&#", "&#x", "&#65", "&#x41;", "&#X41", "&#0;",
              "&#128;", "&#x9f;", "&#xd800;", "&#1114112;", "&#11;",
              "&#xFFFE;", "&#99999999999999999;", "&#x10FFFF;", "&;", "& ",
              "&zz;", "&ampé", "&éacute;", "&AElig", "&AEligx", "&Aacute",
              "&aacute;", "&nbsp", "&nbspx", "&" + "a" * 33, "&" + "a" * 31 + ";",
              "&copy2", "a", "é", "😀", " ", "\n", "\x00", ";"]


def _gen_html(r):
    t = "".join(r.choice(_HTML_BITS) for _ in range(r.randrange(10)))
    d = {"text": t}
    if r.random() < 0.7:
        d["unescape"] = r.random() < 0.8
    return d


# ---- json_validate --------------------------------------------------------------

_JV_KEYWORDS = ("type", "enum", "const", "required", "properties",
                "additionalProperties", "items", "minItems", "maxItems",
                "minLength", "maxLength", "minimum", "maximum", "pattern")


def _jv_validator():
    """Draft202012Validator with two changes the description states: enum
    uses jsonschema's own JSON equality (true is never 1, also inside
    arrays, as in later jsonschema releases and the Test Suite), and
    additionalProperties visits the extra members in the instance's order
    (4.10 uses a set, whose order varies from run to run)."""
    import jsonschema
    from jsonschema import _utils

    def enum(validator, enums, instance, schema):
        if all(not _utils.equal(instance, e) for e in enums):
            yield jsonschema.ValidationError("not in enum")

    def additional(validator, ap, instance, schema):
        if not validator.is_type(instance, "object"):
            return
        extras = [k for k in instance if k not in schema.get("properties", {})]
        if validator.is_type(ap, "object"):
            for k in extras:
                yield from validator.descend(instance[k], ap, path=k)
        elif not ap and extras:
            yield jsonschema.ValidationError("extras")

    base = jsonschema.Draft202012Validator
    validators = {k: base.VALIDATORS[k] for k in _JV_KEYWORDS}
    validators["enum"] = enum
    validators["additionalProperties"] = additional
    # only the listed keywords are applied
    return jsonschema.validators.create(
        meta_schema=base.META_SCHEMA, validators=validators,
        type_checker=base.TYPE_CHECKER, format_checker=base.FORMAT_CHECKER,
        id_of=base.ID_OF, applicable_validators=lambda s: s.items()), base


def _jv_message(e):
    kw = e.validator
    if kw == "type":
        t = e.validator_value
        return "is not of type " + (", ".join("'%s'" % x for x in t)
                                    if isinstance(t, list) else "'%s'" % t)
    if kw == "required":
        name = ast.literal_eval(e.message[:-len(" is a required property")])
        return "'%s' is a required property" % name
    return {None: "False schema does not allow the value",
            "enum": "is not one of the enum values",
            "const": "is not the const value",
            "additionalProperties": "Additional properties are not allowed",
            "items": "Expected at most 0 items",
            "minItems": "is too short", "maxItems": "is too long",
            "minLength": "is too short", "maxLength": "is too long",
            "minimum": "is less than the minimum",
            "maximum": "is greater than the maximum",
            "pattern": "does not match the pattern"}[kw]


def _jv_measure(v, depth=0):
    """(values, depth) as fn_json_measure counts them."""
    if isinstance(v, dict):
        kids = [_jv_measure(x) for x in v.values()]
    elif isinstance(v, list):
        kids = [_jv_measure(x) for x in v]
    else:
        return 1, 0
    return 1 + sum(k[0] for k in kids), 1 + max([k[1] for k in kids] or [0])


def _jv_patterns(s):
    if not isinstance(s, dict):
        return
    if "pattern" in s:
        re.compile(s["pattern"])
    for sub in s.get("properties", {}).values():
        _jv_patterns(sub)
    for k in ("items", "additionalProperties"):
        if k in s:
            _jv_patterns(s[k])


def json_validate(d):
    for f, most in (("schema", 2000), ("instance", 20000)):
        values, depth = _jv_measure(d[f])
        if values > most or depth > 64:
            raise Invalid(f)
    schema = d["schema"]
    cls, base = _jv_validator()
    try:
        base.check_schema(schema)
    except Exception:  # SchemaError
        raise Invalid("schema") from None
    errors = []
    try:
        # 4.10's check_schema does not compile patterns (later releases
        # check format "regex"): every pattern must compile, used or not.
        with warnings.catch_warnings():  # "Possible nested set": [[:a:]]
            warnings.simplefilter("ignore", FutureWarning)
            _jv_patterns(schema)
            found = list(cls(schema).iter_errors(d["instance"]))
    except re.error:
        raise Invalid("schema") from None
    for e in found:
        path = "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                       for p in e.absolute_path)
        errors.append({"path": path, "message": _jv_message(e)})
    return {"valid": not errors, "errors": errors}


_JV_PATTERNS = ["^a", "b$", "^[a-z]+$", "\\d", "é", "^.{2,4}$", "a|b", "^$",
                "x*", "[^a]", "\\w+\\s", "^\\u00e9"]
_JV_NAMES = ["a", "b", "a/b", "m~n", "", "é", "c"]


def _jv_schema(r, depth=0):
    if r.random() < 0.1:
        return r.random() < 0.6
    s = {}
    for _ in range(r.randrange(4)):
        kw = r.choice(_JV_KEYWORDS)
        if kw == "type":
            names = ["null", "boolean", "integer", "number", "string",
                     "array", "object"]
            s[kw] = r.choice(names) if r.random() < 0.6 else r.sample(
                names, r.randrange(1, 3))
        elif kw in ("enum", "const"):
            vals = [_jv_value(r, 2) for _ in range(r.randrange(4))]
            s[kw] = vals if kw == "enum" else (vals[0] if vals else None)
        elif kw == "required":
            s[kw] = r.sample(_JV_NAMES, r.randrange(3))
        elif kw == "properties":
            s[kw] = {n: _jv_schema(r, depth + 1) if depth < 3 else {}
                     for n in r.sample(_JV_NAMES, r.randrange(3))}
        elif kw in ("additionalProperties", "items"):
            s[kw] = _jv_schema(r, depth + 1) if depth < 3 else r.random() < 0.5
        elif kw in ("minItems", "maxItems", "minLength", "maxLength"):
            s[kw] = r.choice([0, 1, 2, 3, 2.0])
        elif kw in ("minimum", "maximum"):
            s[kw] = r.choice([0, 1, -1, 2.5, 1e300, -0.0, 2**53, 3])
        else:
            s[kw] = r.choice(_JV_PATTERNS)
    if r.random() < 0.03:
        s[r.choice(["type", "minLength", "required", "pattern", "items"])] = \
            r.choice([-1, "nope", ["a", "a"], "(", [], 1.5])
    return s


def _jv_value(r, depth=0):
    k = r.random()
    if depth > 2 or k < 0.5:
        return r.choice([None, True, False, 0, 1, 1.0, -1, 2.5, 3, 2**53,
                         -2**63, 1e300, "", "a", "ab", "abc", "é", "b",
                         "١٢", "a b ", "aé", "😀😀"])
    if k < 0.75:
        return [_jv_value(r, depth + 1) for _ in range(r.randrange(4))]
    return {n: _jv_value(r, depth + 1)
            for n in r.sample(_JV_NAMES, r.randrange(4))}


def _gen_json_validate(r):
    return {"schema": _jv_schema(r), "instance": _jv_value(r)}


# ---- email_validate (the rule its description states) -------------------------

_ATEXT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
             "!#$%&'*+-/=?^_`{|}~")
_LDH = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def _octets(s):
    return len(s.encode("utf-8"))


def _email_reason(email):
    if "@" not in email:
        return "missing '@'"
    local, _, domain = email.rpartition("@")
    if not local:
        return "empty local part"
    if local[0] == '"':
        return "quoted local parts are not supported"
    if _octets(local) > 64:
        return "local part longer than 64 octets"
    if any(c != "." and c not in _ATEXT for c in local):
        return "invalid character in local part"
    if "" in local.split("."):
        return "misplaced dot in local part"
    if not domain:
        return "empty domain"
    if _octets(domain) > 255:
        return "domain longer than 255 octets"
    if domain[0] == "[":
        return "address literals are not supported"
    for label in domain.split("."):
        if not label:
            return "empty domain label"
        if _octets(label) > 63:
            return "domain label longer than 63 octets"
        if any(c not in _LDH for c in label):
            return "invalid character in domain"
        if label[0] == "-" or label[-1] == "-":
            return "domain label starts or ends with a hyphen"
    if _octets(email) > 254:
        return "address longer than 254 octets"
    return None


def email_validate(d):
    e = d["email"]
    if not isinstance(e, str) or len(e) > 1024:
        raise Invalid("email")
    local, at, domain = e.rpartition("@")
    if not at:
        local, domain = e, ""
    out = {"valid": True, "local": local, "domain": domain}
    why = _email_reason(e)
    if why is not None:
        out["valid"] = False
        out["reason"] = why
    return out


def _gen_email(r):
    def part(alphabet, n):
        return "".join(r.choice(alphabet) for _ in range(n))
    local = r.choice([
        part("abcXYZ019", r.randrange(1, 10)),
        part("ab.!#$%&'*+-/=?^_`{|}~", r.randrange(0, 8)),
        '"' + part("ab @", 3) + '"', "a" * r.choice([63, 64, 65]),
        part("a .,;:()<>[]\\\"é😀\x00", r.randrange(1, 5))])
    labels = [r.choice([part("abc09", r.randrange(1, 6)), "-a", "a-", "a-b",
                        "x" * r.choice([62, 63, 64]), "", "é", "a_b", "A1"])
              for _ in range(r.randrange(1, 4))]
    domain = r.choice([".".join(labels), "[1.2.3.4]",
                       ".".join(["a" * 63] * r.choice([3, 4])) + ".com"])
    k = r.random()
    if k < 0.05:
        return {"email": local + domain}
    if k < 0.1:
        return {"email": local + "@" + local + "@" + domain}
    return {"email": local + "@" + domain}


# ---- user_agent_parse (the rules of functions/web/user_agent_rules.tsv) --------


def _ua_rules():
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "functions", "web",
        "user_agent_rules.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                kind, name, version, regex = line.split("\t")
                out.append((kind, name, version, re.compile(regex)))
    return out


_UA = _ua_rules()


def _ua_first(kind, ua):
    for k, name, version, rx in _UA:
        if k != kind:
            continue
        m = rx.search(ua)
        if m is None:
            continue
        if version == "$1":
            g = m.group(1) if rx.groups else None
            return name, None if g is None else g.replace("_", ".")
        return name, version or None
    return None


def user_agent_parse(d):
    ua = d["user_agent"]
    if not isinstance(ua, str) or len(ua) > 2048:
        raise Invalid("user_agent")
    bot = _ua_first("bot", ua)
    browser = bot or _ua_first("browser", ua) or ("Other", None)
    os_ = _ua_first("os", ua) or ("Other", None)
    if bot:
        device = "bot"
    elif _ua_first("tablet", ua):
        device = "tablet"
    elif _ua_first("mobile", ua):
        device = "mobile"
    else:
        device = "desktop"
    return {"browser": browser[0], "browser_version": browser[1],
            "os": os_[0], "os_version": os_[1], "device": device}


_UA_SAMPLES = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0",
    "Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0.0.0",
    "Opera/9.80 (Windows NT 6.0) Presto/2.12.388 Version/12.14",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Vivaldi/6.4",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/119.0 Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36 EdgA/119.0",
    "Mozilla/5.0 (Linux; U; Android 8.1.0; en-US; Nexus 6P Build/OPM7.181205.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.108 UCBrowser/12.11.1.1197 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/23.11 Safari/537.36",
    "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977",
    "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/119.3.1 like Chrome/119.0.6045.193 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/79.0.3945.79 Chrome/79.0.3945.79 Safari/537.36",
    "Mozilla/5.0 (X11; FreeBSD amd64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "DuckDuckBot-Https/1.1; (+https://duckduckgo.com/duckduckbot)",
    "Mozilla/5.0 (compatible; Baiduspider-render/2.0; +http://www.baidu.com/search/spider.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Wget/1.21.3", "python-requests/2.31.0", "Go-http-client/1.1",
    "Python-urllib/3.11", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
    "MyCrawler/1.0", "SomeSpider", "abot", "robot", "Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko) Version/7.1.0.346 Mobile Safari/534.11+",
    "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "", "x", "Mozilla/5.0", "Android", "iPad", "Macintosh", "Windows NT 6.2",
    "Windows NT 6.0", "Windows 98", "Tablet PC", "😀 Firefox/1.0 é"]


def _gen_ua(r):
    ua = r.choice(_UA_SAMPLES)
    k = r.random()
    if k < 0.2 and ua:
        i = r.randrange(len(ua))
        ua = ua[:i] + ua[i + r.randrange(1, 10):]
    elif k < 0.3:
        ua = ua + " " + r.choice(_UA_SAMPLES)
    return {"user_agent": ua}


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


REFS = {"url_parse": url_parse, "url_build": url_build,
        "query_string": query_string, "url_encode": url_encode, "hex": hex_,
        "html_escape": html_escape, "json_validate": json_validate,
        "email_validate": email_validate, "ip_info": ip_info,
        "user_agent_parse": user_agent_parse}
GEN = {"url_parse": _gen_url, "url_build": _gen_url_build,
       "query_string": _gen_query_string, "url_encode": _gen_url_encode,
       "hex": _gen_hex, "html_escape": _gen_html,
       "json_validate": _gen_json_validate, "email_validate": _gen_email,
       "ip_info": _gen_ip, "user_agent_parse": _gen_ua}
EDGE = {
    "user_agent_parse": [{"user_agent": u} for u in _UA_SAMPLES] +
    [{"user_agent": "Android " * 256}, {"user_agent": "a" * 2048},
     {"user_agent": "a" * 2049}, {"user_agent": "\u0000Googlebot"},
     {"user_agent": "Ｃhrome/1 😀" * 100}],
    "email_validate": [{"email": e} for e in [
        "", "@", "a@", "@b", "a@b", "a.@b", "a@b.", "a@.b", "a@b-", "a@b--c",
        "a" * 64 + "@b.c", "a" * 65 + "@b.c", "a@" + "b" * 63 + ".c",
        "a@" + "b" * 64 + ".c", "a@" + ".".join(["b" * 63] * 4),
        "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".cc",
        "a@" + ".".join(["b" * 63] * 3) + ".ccc", "ß@x.de", "a@İ.com",
        "a\u0000@b.c", "a b@c.d", "a@b c.d", "!#$%&'*+-/=?^_`{|}~@x.y",
        "x@y.z\n", "x" * 1024, "x" * 1025]],
    "json_validate": [
        {"schema": {}, "instance": None}, {"schema": True, "instance": {}},
        {"schema": False, "instance": None},
        {"schema": {"items": {"type": "integer"}},
         "instance": list(range(19999))},
        {"schema": {"items": {"type": "integer"}},
         "instance": list(range(20000))},
        {"schema": {"enum": list(range(1999))}, "instance": 1998.0},
        {"schema": {"enum": list(range(2000))}, "instance": 1},
        {"schema": {"minimum": 9007199254740993},
         "instance": 9007199254740992.0},
        {"schema": {"maximum": -9223372036854775808},
         "instance": -9223372036854775808.0},
        {"schema": {"maximum": 9223372036854775807},
         "instance": 9223372036854775808.0},
        {"schema": {"minimum": -0.0}, "instance": 0},
        {"schema": {"maxLength": 1}, "instance": "e\u0301"},
        {"schema": {"maxLength": 1}, "instance": "😀"},
        {"schema": {"const": {"a": [1, {"b": 2.0}]}},
         "instance": {"a": [1.0, {"b": 2}]}},
        {"schema": {"type": "integer"}, "instance": 1e300},
        {"schema": {"type": "number"}, "instance": True},
        {"schema": {"items": {"items": {"items": {}}}},
         "instance": json.loads("[" * 62 + "]" * 62)},
        {"schema": {"required": ["a\u0000b"]}, "instance": {"a": 1}},
        {"schema": {"type": "sting"}, "instance": 1},
    ] + [
        # pattern: where PCRE2's dialect differs from Python's re, Python's
        # meaning (every code point of \\s and \\S, \\Z, {,m}, \\v, \\U, \\N)
        {"schema": {"items": {"pattern": pat}},
         "instance": [chr(c) for c in range(0x3001) if not 0xd800 <= c < 0xe000]}
        for pat in ("^\\s$", "^\\S$", "^[\\s]$", "^[^\\sa]$", "^[]\\s]$",
                    # ignoring case, Python's re takes i, I, İ and ı as one
                    "(?i)^i$", "(?i)^\u0130$", "(?i)^[a-z]$", "(?i)^[^h-j]$",
                    "^(?i:\u0131)$", "(?i)^(?-i:i)$", "(?i)^(?P<i>i)$",
                    "(?i)^[\u0130]$")
    ] + [
        {"schema": {"items": {"pattern": pat}},
         "instance": ["a", "a\n", "aab", "b", "", "\n", "\x0b", "\x1c",
                      "*", "\u2014", "{,2}", "a{,}", "x{,2}b", "U0001F600",
                      "\U0001F600", "\u180e", "\x85"]}
        for pat in ("a\\Z", "^a{,2}b$", "^a{,}$", "x{,2}", "[{,2}]", "^\\v$",
                    "[\\v]", "^\\U0000002A$", "^\\U0001F600$",
                    "[\\U00000061-\\U00000063]", "\\N{EM DASH}",
                    "^\\N{latin small letter a}{,3}\\Z", "\\s{,}\\S\\Z",
                    "[[:alpha:]]", "^[[]$", "(?u)^a", "(?iu:A)\\Z")
    ],
    "hex": [{"text": ""}, {"text": "", "decode": True},
            {"text": " ", "decode": True}, {"text": "ß İ 😀 e\u0301"},
            {"text": "c39f20c4b020f09f988020650cc81", "decode": True},
            {"text": "c39f20c4b020f09f988020650cc81"[:-1], "decode": True},
            {"text": "c0af", "decode": True}, {"text": "f4908080", "decode": True},
            {"text": "a" * 1000000}, {"text": "a" * 1000001},
            {"text": "00" * 500000, "decode": True}],
    "html_escape": [{"text": ""}, {"text": "", "unescape": True},
                    {"text": "&" * 1000000, "unescape": True},
                    {"text": "&" * 1000001},
                    {"text": "&amp;" * 200000, "unescape": True},
                    {"text": "ß İ 😀 e\u0301 &<>\"'"}] +
    [{"text": "&" + k + "x", "unescape": True}
     for k in sorted(html.entities.html5)],
    "url_parse": [{"url": "http://" + h + "/"} for h in _HOSTS] +
    [{"url": u} for u in ["", " ", "\x00\x01 \x1f", "\x7f:x",
                          "a" * 65536, "a" * 65537, "//h", "///p",
                          "http:", "http:/x", "1http://x", "+x:y",
                          "\u00a0http://x", "http://x\tz\ry\n/",
                          "h t t p://x", "HtTp://UsEr:PaSs@HoSt/PaTh",
                          "http://a.com:８０/", "http://ｅｘ.com/",
                          "http://u\uff03@x/", "http://x/\uff03"]],
    "url_build": [{"scheme": "", "host": ""},
                  {"scheme": "http", "host": "", "path": "x"},
                  {"scheme": "s" * 65537, "host": ""},
                  {"scheme": "https", "host": "h",
                   "query": {"k": ["v"] * 1000}},
                  {"scheme": "https", "host": "h",
                   "query": {"k": ["v"] * 1001}},
                  {"scheme": "https", "host": "h", "port": 2**63 - 1},
                  {"scheme": "https", "host": "h", "query": {"k": 2**63 - 1,
                                                           "m": -2**63}}],
    "query_string": [{"parse": ""}, {"build": {}}, {},
                     {"parse": "", "build": {}},
                     {"parse": "a=%ff%fe&b=%f0%9f%98%80&c=%e2%82%ac"},
                     {"parse": "x" * 1000000}, {"parse": "x" * 1000001},
                     {"parse": "&" * 99999}, {"parse": "&" * 100000},
                     {"parse": "a=1&" * 99999 + "b"},
                     {"build": {str(i): i for i in range(1000)}},
                     {"build": {str(i): i for i in range(1001)}}],
    "url_encode": [{"text": ""}, {"text": "", "decode": True},
                   {"text": "ß İ 😀 e\u0301", "plus": True},
                   {"text": "%", "decode": True}, {"text": "%%", "decode": True},
                   {"text": "%C3%", "decode": True},
                   {"text": "a" * 1000000}, {"text": "a" * 1000001}],
    "ip_info": [{"address": a} for a in _V4 + _V6 + _BAD] +
        [{"address": "10.1.2.3", "network": n} for n in _NETS] +
        [{"address": "fe80::1", "network": n} for n in _NETS] +
        [{"address": "1" * 257}]}
TOL = {}
