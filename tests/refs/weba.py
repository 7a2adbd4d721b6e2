"""References of the web group weba: hmac, jwt_decode, jwt_sign, jwt_verify;
and GEN/EDGE of hash, base64 and uuid, whose REFS are in tests/reference.py.

hmac is Python's hmac module. jwt_sign is PyJWT's jwt.encode itself.
jwt_decode and jwt_verify follow PyJWT 2.6's decode step by step with the
rules the catalog states where PyJWT is lenient or crashes: for jwt_decode
base64url is strict (jwt_verify decodes the parts as PyJWT does, which
silently drops characters outside the alphabet), header and
payload are RFC 8259 JSON as jansson reads it (no NaN/Infinity, integers
within int64, finite reals, no lone surrogates, no U+0000 in keys), a claim
that int() cannot read gives PyJWT's "must be an integer" message (PyJWT
raises TypeError for null, lists and objects), and a string iat compares
by its int() value. check_pyjwt() asserts, for ordinary tokens, that the
verdict is PyJWT's own.

The network functions (http_request, url_check, webhook) are tested in
tests/integration/test_network_functions.py against a local server.
"""
import base64
import binascii
import hmac as _hmac
import json
import math
import string
import time

import jwt as pyjwt

from reference import Invalid

INT64 = (-(2**63), 2**63 - 1)
HMAC_ALGS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512",
             "sha3_256", "blake2b"]
JWT_ALGS = ["HS256", "HS384", "HS512"]
DEPTH_MAX = 64
B64U = set(string.ascii_letters + string.digits + "-_")


def _str(d, k, limit, required=True, default=None):
    if k not in d:
        if required:
            raise Invalid(k)
        return default
    v = d[k]
    if not isinstance(v, str) or len(v) > limit:
        raise Invalid(k)
    return v


def _only(d, keys):
    if not isinstance(d, dict):
        raise Invalid("input")
    for k in d:
        if k not in keys:
            raise Invalid(k)


# ---- hmac ---------------------------------------------------------------------

def hmac_ref(d):
    _only(d, {"text", "key", "algorithm"})
    text = _str(d, "text", 1000000)
    key = _str(d, "key", 100000)
    alg = d.get("algorithm", "sha256")
    if alg not in HMAC_ALGS:
        raise Invalid("algorithm")
    return _hmac.new(key.encode(), text.encode(), alg).hexdigest()


# ---- JSON as jansson reads it ----------------------------------------------

class _Bad(Exception):
    pass


def _const(_):
    raise _Bad


def _int(s):
    v = int(s)
    if not INT64[0] <= v <= INT64[1]:
        raise _Bad
    return v


def _float(s):
    v = float(s)
    if not math.isfinite(v):
        raise _Bad
    return v


def _depth(v):
    if isinstance(v, dict):
        return 1 + max((_depth(x) for x in v.values()), default=0)
    if isinstance(v, list):
        return 1 + max((_depth(x) for x in v), default=0)
    return 0


def _no_nul_keys(v):
    if isinstance(v, dict):
        return all("\0" not in k and _no_nul_keys(x) for k, x in v.items())
    if isinstance(v, list):
        return all(_no_nul_keys(x) for x in v)
    return True


_NO = object()


def json_value(b):
    """The JSON value of bytes b, or _NO (with the catalog's RFC 8259
    rules)."""
    try:
        text = b.decode("utf-8")
        v = json.loads(text, parse_constant=_const, parse_int=_int,
                       parse_float=_float)
        json.dumps(v, ensure_ascii=False).encode("utf-8")  # lone surrogates
    except (ValueError, _Bad, UnicodeError, RecursionError):
        return _NO
    return v


def json_object(b):
    """The JSON object of bytes b, or None."""
    v = json_value(b)
    if not isinstance(v, dict) or _depth(v) > DEPTH_MAX or \
            not _no_nul_keys(v):
        return None
    return v


def _not_object(b):
    """PyJWT's "must be a json object": JSON, but not an object."""
    v = json_value(b)
    return v is not _NO and not isinstance(v, dict)


def b64u_decode(s):
    """Strict base64url: the alphabet, then only the padding that completes
    a multiple of 4. None when s is not that."""
    data = s.rstrip("=")
    pad = len(s) - len(data)
    if any(c not in B64U for c in data) or len(data) % 4 == 1:
        return None
    if pad and (len(s) % 4 != 0 or pad > 2):
        return None
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except binascii.Error:
        return None


def b64u_encode(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def pyjwt_b64(s):
    """PyJWT's own base64url_decode of a part (bytes, as _load has them):
    lenient, it skips bytes outside the alphabet. None where it raises."""
    try:
        return pyjwt.utils.base64url_decode(s.encode("utf-8"))
    except (TypeError, binascii.Error):
        return None


def load(token, decode=b64u_decode):
    """PyJWS._load: (reason, parts); parts decoded by decode (strict for
    jwt_decode, PyJWT's own for jwt_verify)."""
    if "." not in token:
        return "Not enough segments", None
    signing, sig = token.rsplit(".", 1)
    if "." not in signing:
        return "Not enough segments", None
    h, p = signing.split(".", 1)
    hb = decode(h)
    if hb is None:
        return "Invalid header padding", None
    header = json_object(hb)
    if header is None:
        if _not_object(hb):
            return "Invalid header string: must be a json object", None
        return "Invalid header string", None
    pb = decode(p)
    if pb is None:
        return "Invalid payload padding", None
    sb = decode(sig)
    if sb is None:
        return "Invalid crypto padding", None
    return None, (signing, header, pb, sb, sig)


# ---- jwt_decode ------------------------------------------------------------------

def jwt_decode(d):
    _only(d, {"token"})
    tok = _str(d, "token", 100000)
    why, parts = load(tok)
    if why is not None:
        raise Invalid("token")
    signing, header, pb, _sb, sig = parts
    payload = json_object(pb)
    if payload is None:
        raise Invalid("token")
    return {"header": header, "payload": payload, "signature": sig}


# ---- jwt_sign ------------------------------------------------------------------

def _int_fallback(v):
    """The server reads integers past int64 as floats."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and not INT64[0] <= v <= INT64[1]:
        return float(v)
    if isinstance(v, dict):
        return {k: _int_fallback(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_int_fallback(x) for x in v]
    return v


def jwt_sign(d):
    _only(d, {"payload", "secret", "algorithm"})
    if "payload" not in d or not isinstance(d["payload"], dict):
        raise Invalid("payload")
    secret = _str(d, "secret", 100000)
    alg = d.get("algorithm", "HS256")
    if alg not in JWT_ALGS:
        raise Invalid("algorithm")
    return pyjwt.encode(_int_fallback(d["payload"]), secret, algorithm=alg)


# ---- jwt_verify ----------------------------------------------------------------

def claim_int(v):
    """Python's int(v) (for a string: int(v) itself, Unicode digits and
    whitespace included); None if it fails (PyJWT raises TypeError for
    null, lists and objects: the catalog says "must be an integer")."""
    if isinstance(v, (bool, int, float, str)):
        try:
            return int(v)
        except ValueError:
            return None
    return None


def check_header(h):
    if "kid" in h and not isinstance(h["kid"], str):
        return "Key ID header parameter must be a string"
    if "crit" in h:
        crit = h["crit"]
        if not isinstance(crit, list) or not crit:
            return "Invalid 'crit' header: must be a non-empty list"
        for ext in crit:
            if not isinstance(ext, str):
                return "Invalid 'crit' header: values must be strings"
            if ext != "b64":
                return "Unsupported critical extension: %s" % ext
            if ext not in h:
                return "Critical extension '%s' is missing from headers" % ext
    if h.get("b64", True) is False:
        return ('It is required that you pass in a value for the '
                '"detached_payload" argument to decode a message having '
                'the b64 header set to false.')
    return None


def check_claims(p, now):
    if "iat" in p:
        x = claim_int(p["iat"])
        if x is None:
            return "Issued At claim (iat) must be an integer."
        raw = p["iat"] if isinstance(p["iat"], float) else x
        if raw > now:
            return "The token is not yet valid (iat)"
    if "nbf" in p:
        x = claim_int(p["nbf"])
        if x is None:
            return "Not Before claim (nbf) must be an integer."
        if x > now:
            return "The token is not yet valid (nbf)"
    if "exp" in p:
        x = claim_int(p["exp"])
        if x is None:
            return "Expiration Time claim (exp) must be an integer."
        if x <= now:
            return "Signature has expired"
    if "aud" in p and p["aud"]:
        return "Invalid audience"
    return None


def verdict(token, secret, now):
    why, parts = load(token, pyjwt_b64)
    if why is not None:
        return {"valid": False, "reason": why}
    signing, header, pb, sb, _ = parts
    why = check_header(header)
    if why is not None:
        return {"valid": False, "reason": why}
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in JWT_ALGS:
        return {"valid": False,
                "reason": "The specified alg value is not allowed"}
    mac = _hmac.new(secret.encode(), signing.encode(),
                    "sha" + alg[2:]).digest()
    if not _hmac.compare_digest(mac, sb):
        return {"valid": False, "reason": "Signature verification failed"}
    payload = json_object(pb)
    if payload is None:
        return {"valid": False, "reason": "Invalid payload string" + (
            ": must be a json object" if _not_object(pb) else "")}
    why = check_claims(payload, now)
    if why is not None:
        return {"valid": False, "reason": why}
    return {"valid": True, "payload": payload}


def check_pyjwt(token, secret, got):
    """For a token PyJWT reads the same way: its verdict is ours."""
    try:
        payload = pyjwt.decode(token, secret, algorithms=JWT_ALGS)
        assert got == {"valid": True, "payload": payload}, (token, got)
    except pyjwt.InvalidTokenError as e:
        assert not got["valid"], (token, got)
        # the JSON decoder's own words are left out of ours
        assert str(e).startswith(got["reason"]), (token, got, str(e))


def jwt_verify(d):
    _only(d, {"token", "secret"})
    tok = _str(d, "token", 100000)
    secret = _str(d, "secret", 100000)
    now = int(time.time())
    got = verdict(tok, secret, now)
    if _ordinary(tok):
        check_pyjwt(tok, secret, got)
    return got


def _ordinary(tok):
    """Tokens where PyJWT and the strict rules agree: three well-formed
    parts, plain JSON, claims that are ints."""
    why, parts = load(tok)
    if why is not None or tok.count(".") != 2:
        return False
    payload = json_object(parts[2])
    if payload is None:
        return False
    return all(type(payload.get(c, 0)) is int for c in ("iat", "nbf", "exp"))


REFS = {"hmac": hmac_ref, "jwt_decode": jwt_decode, "jwt_sign": jwt_sign,
        "jwt_verify": jwt_verify}


# ---- generators ------------------------------------------------------------------

WORDS = ["", "a", "key", "héllo", "😀", "中文", "ß", "İ", "a\u0000b", "e\u0301",
         "\n\t", "\"quoted\"", "\\", "</script>", "x" * 200]


def rand_text(r, n=12):
    return "".join(r.choice(WORDS) for _ in range(r.randint(0, n)))


def _key(r):
    """The request parser refuses U+0000 in object keys."""
    return rand_text(r, 2).replace("\0", "")


def rand_value(r, depth=0):
    k = r.randint(0, 8 if depth < 3 else 5)
    if k == 0:
        return None
    if k == 1:
        return r.choice([True, False])
    if k == 2:
        return r.choice([0, -1, 2**53 + 1, -(2**63), 2**63 - 1,
                         r.randint(-10**9, 10**9)])
    if k == 3:
        return r.choice([0.0, -0.0, 1.5, 1e-7, 1e16, 1e300, 5e-324,
                         123456789.125, 0.1, r.uniform(-1e6, 1e6)])
    if k in (4, 5):
        return rand_text(r, 4)
    if k == 6:
        return [rand_value(r, depth + 1) for _ in range(r.randint(0, 3))]
    return {_key(r) + str(i): rand_value(r, depth + 1)
            for i in range(r.randint(0, 3))}


def rand_claims(r):
    now = int(time.time())
    p = {"sub": rand_text(r, 3)}
    for _ in range(r.randint(0, 4)):
        p[_key(r) + "k"] = rand_value(r)
    for c in ("iat", "nbf", "exp"):
        if r.random() < 0.4:
            p[c] = now + r.choice([-10**8, -3600, 3600, 10**8])
    if r.random() < 0.05:
        p["aud"] = r.choice(["", "x", [], ["a"]])
    return p


def gen_hmac(r):
    d = {"text": rand_text(r, 20), "key": rand_text(r, 6)}
    if r.random() < 0.9:
        d["algorithm"] = r.choice(HMAC_ALGS)
    if r.random() < 0.05:
        d["algorithm"] = r.choice(["SHA256", "sha3-256", "crc32", 5])
    if r.random() < 0.03:
        del d["key"]
    if r.random() < 0.03:
        d["text"] = 7
    return d


def sign(payload, secret, alg="HS256", header=None):
    h = json.dumps(header if header is not None else
                   {"alg": alg, "typ": "JWT"},
                   separators=(",", ":")).encode()
    p = payload if isinstance(payload, bytes) else \
        json.dumps(payload, separators=(",", ":")).encode()
    signing = b64u_encode(h) + "." + b64u_encode(p)
    mac = _hmac.new(secret.encode(), signing.encode(),
                    "sha" + (alg[2:] if alg in JWT_ALGS else "256")).digest()
    return signing + "." + b64u_encode(mac)


def mangle(r, tok):
    k = r.randint(0, 9)
    if k == 0:
        return tok[:-1] + ("A" if tok[-1] != "A" else "B")
    if k == 1:
        return tok.replace(".", "", 1)
    if k == 2:
        return tok + "."
    if k == 3:
        return tok + "=="
    if k == 4:
        i = r.randrange(len(tok))
        return tok[:i] + r.choice("!+/ é=") + tok[i + 1:]
    if k == 5:
        return "." + tok
    if k == 6:
        return tok.split(".")[0]
    if k == 7:
        h, p, s = tok.split(".")
        return h + "." + p + "==." + s
    if k == 8:
        return ""
    return tok[:r.randrange(len(tok))]


def rand_token(r, secret):
    alg = r.choice(JWT_ALGS)
    k = r.random()
    if k < 0.55:
        tok = sign(rand_claims(r), secret, alg)
    elif k < 0.65:
        hdr = r.choice([{"alg": "none"}, {"alg": "HS999"}, {}, {"alg": None},
                        {"alg": "HS256", "kid": 5},
                        {"alg": "HS256", "crit": ["b64"], "b64": True},
                        {"alg": "HS256", "crit": []},
                        {"alg": "HS256", "crit": ["exp"]},
                        {"alg": "HS256", "b64": False},
                        {"alg": alg, "kid": "k1", "typ": "JWT"}])
        tok = sign(rand_claims(r), secret, alg, header=hdr)
    elif k < 0.75:
        tok = sign(r.choice([b"[]", b"null", b"{", b"\xff", b"{\"a\":NaN}",
                             b"{\"exp\":\"soon\"}", b"{\"exp\":null}",
                             b"{\"nbf\":[1]}", b"{\"iat\":\"1 000\"}",
                             b"{\"exp\": \" 99999999999 \"}",
                             b"{\"exp\":1e300}", b"{\"exp\":true}",
                             b"{\"a\":1e400}", b"{\"a\":99999999999999999999}"]),
                   secret, alg)
    else:
        tok = mangle(r, sign(rand_claims(r), secret, alg))
    return tok


def gen_jwt_verify(r):
    secret = rand_text(r, 4)
    tok = rand_token(r, secret)
    if r.random() < 0.2:
        secret = secret + "x"
    d = {"token": tok, "secret": secret}
    if r.random() < 0.02:
        del d["secret"]
    return d


def gen_jwt_decode(r):
    d = {"token": rand_token(r, rand_text(r, 3))}
    if r.random() < 0.02:
        d["token"] = 5
    return d


def gen_jwt_sign(r):
    d = {"payload": rand_claims(r), "secret": rand_text(r, 5)}
    if r.random() < 0.8:
        d["algorithm"] = r.choice(JWT_ALGS)
    if r.random() < 0.04:
        d["algorithm"] = r.choice(["none", "RS256", "hs256"])
    if r.random() < 0.03:
        d["payload"] = r.choice([[], "x", None, 1])
    return d


GEN = {"hmac": gen_hmac, "jwt_decode": gen_jwt_decode,
       "jwt_sign": gen_jwt_sign, "jwt_verify": gen_jwt_verify}

# ---- hash, base64, uuid (REFS in tests/reference.py) ----------------------------

_TEXTS = ["", "a", "abc", "\x00", "\x7f\x80", "é", "ß", "İ", "ﬁ", "Σς",
          "\u2028\x85\xa0\x1c", "😀", "\U0010ffff", "\ufeff", "e\u0301",
          "The quick brown fox jumps over the lazy dog"]


def _rand_text(r):
    return "".join(r.choice(_TEXTS) for _ in range(r.randint(0, 4)))


def _bad_field(r, d, fields):
    """d with one fault: an unknown field, or one of fields with a value of
    another JSON type."""
    d = dict(d)
    k = r.choice(fields + ["extra"])
    d[k] = r.choice([None, 1, 1.5, True, [], {}, "x"] if k == "extra" else
                    [None, 1, 1.5, [], {}] if k == "text" else
                    [None, 1, "true", []])
    return d


def gen_hash(r):
    import reference
    d = {"text": _rand_text(r), "algorithm": r.choice(reference.HASH_ALGS)}
    k = r.random()
    if k < 0.1:
        d["algorithm"] = r.choice(["SHA256", "sha3_512", "sha3-256",
                                   "blake2s", "md4", "", "crc32c"])
    elif k < 0.15:
        del d[r.choice(["text", "algorithm"])]
    elif k < 0.2:
        d = _bad_field(r, d, ["text", "algorithm"])
    return d


def gen_base64(r):
    k = r.random()
    if k < 0.35:
        return {"text": _rand_text(r), **r.choice(
            [{}, {"urlsafe": True}, {"decode": False, "urlsafe": False}])}
    if k < 0.9:
        raw = r.choice([_rand_text(r).encode(), bytes(
            r.randrange(256) for _ in range(r.randint(0, 7)))])
        urlsafe = r.random() < 0.5
        t = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(
            raw).decode()
        m = r.random()
        if m < 0.15:
            t = t.rstrip("=")
        elif m < 0.25:
            t += "="
        elif m < 0.35:
            i = r.randint(0, len(t))
            t = t[:i] + r.choice(" \n=+/-_.é\x00") + t[i:]
        elif m < 0.4:
            t = t.translate(str.maketrans("+/-_", "-_+/"))
        d = {"text": t, "decode": True}
        if urlsafe or r.random() < 0.2:
            d["urlsafe"] = urlsafe
        return d
    return _bad_field(r, {"text": "YQ==", "decode": True},
                      ["text", "decode", "urlsafe"])


def gen_uuid(r):
    from gen_golden import rand_case
    d = rand_case(r, "uuid")
    k = r.random()
    if k < 0.2:
        u = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        d["namespace"] = r.choice([
            u.upper(), "{" + u + "}", "urn:uuid:" + u, u.replace("-", ""),
            "+0x" + u.replace("-", "")[:29], " " + u.replace("-", "")[:31],
            u.replace("-", "")[:31] + "_", u[:-1] + "\u0663",
            u[:-1] + "\uff11", u + "0", u[:-1], "DNS", "Url", "dns ", "x",
            "{{" + u + "}}", "uuuid:id:" + u])
    elif k < 0.3:
        d["count"] = r.choice([1, 2, 100, 0, 101, -1, 1.0, True, "2"])
    elif k < 0.4:
        d = r.choice([{"version": 4, "name": "x"},
                      {"version": 7, "namespace": "dns"},
                      {"version": 5}, {"version": 6, "name": "x"},
                      {"version": "5", "name": "x"},
                      {"version": True, "name": "x"},
                      {"version": 5, "name": 1},
                      {"version": 5, "name": "x", "namespace": ""},
                      {"version": 5, "name": "x" * 10001},
                      {"version": 5, "name": "x", "namespace": "d" * 65},
                      {"version": 4, "count": 0}, {"version": 7, "count": 101},
                      {"version": 5, "name": "x", "extra": 1}])
    return d


GEN.update({"hash": gen_hash, "base64": gen_base64, "uuid": gen_uuid})



# ---- hand-picked edges -----------------------------------------------------------

# RFC 4231 test cases whose key and data are UTF-8 text, which is all the
# function can take (it hashes text.encode() under key.encode()): 1 (key
# 0x0b*20, ASCII control characters), 2 ("Jefe") and 5 (key 0x0c*20; the RFC
# gives its output cut to 128 bits, the function the whole digest). Cases 3
# and 4 have data 0xdd*50 and 0xcd*50, and cases 3, 6 and 7 keys of bytes 0xaa:
# none is valid UTF-8 (U+00AA would encode as c2 aa), so they cannot be
# expressed. tests/unit/test_fn_weba.c checks the RFC's own hex values.
RFC4231 = [
    {"key": "\x0b" * 20, "text": "Hi There"},
    {"key": "Jefe", "text": "what do ya want for nothing?"},
    {"key": "\x0c" * 20, "text": "Test With Truncation"},
]
NOW = int(time.time())
SECRET = "s3cr3t"
_plain = sign({"sub": "1", "exp": NOW + 10**6}, SECRET)

EDGE = {
    "hmac": [dict(c, algorithm=a) for c in RFC4231
             for a in ("sha224", "sha256", "sha384", "sha512")] + [
        {"text": "", "key": ""},
        {"text": "İß😀\u0301", "key": "ß", "algorithm": "blake2b"},
        {"text": "x" * 1000000, "key": "k", "algorithm": "md5"},
        {"text": "x" * 1000001, "key": "k"},
        {"text": "x", "key": "k" * 100000, "algorithm": "sha3_256"},
        {"text": "x", "key": "k" * 100001},
        {"text": "x", "key": "k", "algorithm": "sha3_512"},
        {"text": "x", "key": "k", "extra": 1},
    ],
    "jwt_decode": [
        {"token": _plain},
        {"token": sign({"é": "😀", "n": [1, 2.5, None]}, "k", "HS512")},
        {"token": "e30.e30."},
        {"token": "e30.e30"},
        {"token": "e30..AA"},
        {"token": "e30.e30.A"},
        {"token": "e30.e30.AAA="},
        {"token": "e30.e30.AA=="},
        {"token": "e30.e30.AA="},
        {"token": "e30=.e30.AA"},
        {"token": "..."},
        {"token": ""},
        {"token": "e30.e30.AA\u00e9"},
        {"token": sign(b"{\"a\":\"\\ud800\"}", "k")},
        {"token": sign(b"{\"a\\u0000\":1}", "k")},
        {"token": sign(b"{\"a\":\"\\u0000\"}", "k")},
        {"token": sign(b"[" * 70 + b"]" * 70, "k")},
        {"token": sign(b"{\"a\":" * 64 + b"1" + b"}" * 64, "k")},
        {"token": sign(b"{\"a\":" * 65 + b"1" + b"}" * 65, "k")},
        {"token": "x" * 100001},
    ],
    "jwt_sign": [
        {"payload": {}, "secret": ""},
        {"payload": {"a": 2**63 - 1, "b": -(2**63), "c": 5e-324,
                     "d": 1.7976931348623157e308, "e": 1e16, "f": 1e15,
                     "g": 0.0001, "h": 0.00001, "i": -0.0},
         "secret": "k", "algorithm": "HS512"},
        {"payload": {"s": "\u0000\u001f\u007f\u0080\u2028\ud7ff\ue000\uffff"
                          "\U0001F600\U0010FFFF"}, "secret": "ß"},
        {"payload": {"z": 1, "a": 2, "m": {"y": [], "b": {}}}, "secret": "k",
         "algorithm": "HS384"},
        {"payload": {"x": 1}, "secret": "k" * 100000},
        {"payload": {"x": 1}, "secret": "k" * 100001},
        {"payload": {"x": 1}, "secret": "k", "algorithm": "none"},
        {"payload": [], "secret": "k"},
    ],
    "jwt_verify": [
        {"token": _plain, "secret": SECRET},
        {"token": _plain, "secret": SECRET + "x"},
        {"token": sign({"exp": NOW - 10**6}, SECRET), "secret": SECRET},
        {"token": sign({"nbf": NOW + 10**6}, SECRET), "secret": SECRET},
        {"token": sign({"iat": NOW + 10**6}, SECRET), "secret": SECRET},
        {"token": sign({"exp": str(NOW + 10**6)}, SECRET), "secret": SECRET},
        {"token": sign({"exp": float(NOW - 10**6)}, SECRET),
         "secret": SECRET},
        {"token": sign({"exp": "1_0"}, SECRET), "secret": SECRET},
        {"token": sign({"exp": None}, SECRET), "secret": SECRET},
        {"token": sign({"aud": "x"}, SECRET), "secret": SECRET},
        {"token": sign({"aud": ""}, SECRET), "secret": SECRET},
        {"token": sign({"x": 1}, SECRET, header={"alg": "none"}),
         "secret": SECRET},
        {"token": sign({"x": 1}, SECRET, "HS384"), "secret": SECRET},
        {"token": sign({"x": 1}, SECRET, "HS512"), "secret": SECRET},
        {"token": sign({"x": 1}, "", "HS512"), "secret": ""},
        {"token": _plain.rsplit(".", 1)[0] + ".", "secret": SECRET},
        {"token": "e30.e30.", "secret": ""},
        {"token": "abc", "secret": "k"},
        {"token": "", "secret": ""},
        {"token": "a.b", "secret": ""},
        {"token": _plain, "secret": "k" * 100001},
    ],
}


def sign_raw(signing, secret, alg="HS256"):
    """A token of signing input text signing (junk included) signed by
    secret: PyJWT verifies the text as written and decodes its parts
    leniently."""
    mac = _hmac.new(secret.encode(), signing.encode(),
                    "sha" + alg[2:]).digest()
    return signing + "." + b64u_encode(mac)


_h, _p, _s = _plain.split(".")
_std = _s.translate(str.maketrans("-_", "+/"))
EDGE["jwt_verify"] += [
    # PyJWT's base64url_decode skips bytes outside the alphabet, reads the
    # standard alphabet's + and / too and completes the padding itself
    {"token": _plain + "\n", "secret": SECRET},
    {"token": _plain + "=", "secret": SECRET},
    {"token": _plain + "====", "secret": SECRET},
    {"token": _h + "." + _p + "." + _std, "secret": SECRET},
    {"token": _h + "." + _p + "." + _s[:-1], "secret": SECRET},
    {"token": _h + "." + _p + "." + _s[:1], "secret": SECRET},
    {"token": sign_raw(" " + _h + ".\t" + _p + "é", SECRET),
     "secret": SECRET},
    {"token": sign_raw(_h + "=." + _p + "==x", SECRET), "secret": SECRET},
    {"token": sign_raw(_h + "." + _p + "!", SECRET), "secret": SECRET},
    {"token": sign_raw(_h[:-1] + "." + _p, SECRET), "secret": SECRET},
    {"token": sign_raw(_h[:1] + "." + _p, SECRET), "secret": SECRET},
    # JSON that is not an object: PyJWT's own words
    {"token": b64u_encode(b"null") + ".e30.AA", "secret": SECRET},
    {"token": b64u_encode(b"[]") + ".e30.AA", "secret": SECRET},
    {"token": b64u_encode(b"{") + ".e30.AA", "secret": SECRET},
    {"token": sign(b"[]", SECRET), "secret": SECRET},
    {"token": sign(b"null", SECRET), "secret": SECRET},
    {"token": sign(b"\"x\"", SECRET), "secret": SECRET},
    {"token": sign(b"1", SECRET), "secret": SECRET},
    {"token": sign(b"{", SECRET), "secret": SECRET},
    # claims as int() reads strings: Unicode digits and whitespace
    {"token": sign({"exp": "\u0663"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "\u00a0%d\u2003" % (NOW + 10**6)}, SECRET),
     "secret": SECRET},
    {"token": sign({"exp": "".join(chr(0xff10 + int(c)) for c in
                                   str(NOW + 10**6))}, SECRET),
     "secret": SECRET},
    {"token": sign({"nbf": "+%d" % (NOW + 10**6)}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "1_000"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "_1000"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "1__000"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "1000_"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "\x1c1000"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "1\u0000"}, SECRET), "secret": SECRET},
    {"token": sign({"exp": "\u00b2"}, SECRET), "secret": SECRET},
    {"token": sign({"iat": "\u0663"}, SECRET), "secret": SECRET},
]

_U = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
EDGE.update({
    "hash": [{"text": t, "algorithm": a} for a in (
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256",
        "blake2b", "crc32") for t in ("", "abc", "İß😀\u0301\x00")] + [
        {"text": "x" * 1000000, "algorithm": "crc32"},
        {"text": "x" * 1000001, "algorithm": "md5"},
        {"text": "a", "algorithm": "sha3_512"},
        {"text": "a", "algorithm": "SHA256"},
        {"text": "a", "algorithm": "sha3-256"},
        {"text": "a"},
        {"algorithm": "md5"},
        {"text": 1, "algorithm": "md5"},
        {"text": "a", "algorithm": "md5", "x": 1},
    ],
    "base64": [
        {"text": ""}, {"text": "", "decode": True},
        {"text": "😀\x00ÿ"}, {"text": "\xfb\xff", "urlsafe": True},
        {"text": "\xfb\xff"},
        {"text": "YQ==", "decode": True}, {"text": "YQ", "decode": True},
        {"text": "YQ=", "decode": True}, {"text": "YQ===", "decode": True},
        {"text": "Y===", "decode": True}, {"text": "====", "decode": True},
        {"text": "YQ==YQ==", "decode": True}, {"text": "YR==", "decode": True},
        {"text": "YQ== ", "decode": True}, {"text": "Y Q==", "decode": True},
        {"text": "YQ==\n", "decode": True},
        {"text": "w7/Dvw==", "decode": True},
        {"text": "w7_Dvw==", "decode": True, "urlsafe": True},
        {"text": "w7/Dvw==", "decode": True, "urlsafe": True},
        {"text": "w7_Dvw==", "decode": True},
        {"text": "/w==", "decode": True},  # b"\xff": not UTF-8
        {"text": "7aCA", "decode": True},  # an encoded surrogate
        {"text": "AA==", "decode": True},  # U+0000 is text
        {"text": "8J+YgA==", "decode": True},
        {"text": "8J+Y", "decode": True},  # a cut sequence
        {"text": "YQ==", "decode": 1}, {"text": "YQ==", "urlsafe": None},
        {"text": "x" * 1000000}, {"text": "x" * 1000001},
        {"text": "QUFB" * 250000, "decode": True},
    ],
    "uuid": [
        {"version": 5, "name": "python.org"},
        # U+0000 in the namespace (read up to it, "dns\0x" was dns)
        {"version": 5, "name": "a", "namespace": "dns\x00x"},
        {"version": 5, "name": "a", "namespace": _U + "\x00"},
        {"version": 5, "name": "", "namespace": "x500"},
        {"version": 5, "name": "😀\x00", "namespace": "OID", "count": 100},
        {"version": 5, "name": "x", "namespace": "{" + _U + "}"},
        {"version": 5, "name": "x", "namespace": "urn:uuid:" + _U.upper()},
        {"version": 5, "name": "x", "namespace": "uuuid:id:" + _U},
        {"version": 5, "name": "x", "namespace": "+" + _U.replace("-", "")[:31]},
        {"version": 5, "name": "x", "namespace": "0x" + _U.replace("-", "")[:30]},
        {"version": 5, "name": "x", "namespace": _U[:-1] + "\u0663"},
        {"version": 5, "name": "x", "namespace": _U[:-1] + "\uff21"},
        {"version": 5, "name": "x", "namespace": _U[:-1]},
        {"version": 5, "name": "x", "namespace": _U + "0"},
        {"version": 5, "name": "x", "namespace": ""},
        {"version": 5, "name": "x", "namespace": "d" * 65},
        {"version": 5, "name": "x" * 10000},
        {"version": 5, "name": "x" * 10001},
        {"version": 5}, {"version": 5, "name": None},
        {"version": 4, "name": "x"}, {"version": 7, "namespace": "dns"},
        {"version": 6}, {"version": 5.0, "name": "x"},
        {"version": True}, {"count": 0}, {"count": 101}, {"count": 1.0},
        {"count": True}, {"x": 1},
    ],
})
